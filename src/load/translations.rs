//! The translations of the data files: `content/data/<lang>/<file>.yaml`, one overlay per
//! English data file (`content/data/es/paths.yaml` translates `content/data/paths.yaml`).
//!
//! An overlay holds only the words a reader reads, keyed by record id; each text is a
//! [`Text`]: the translation (`text:`) and the [`fingerprint`] of the English text it was
//! made from (`from:`). Lists whose items have ids (a path's `steps:`, a version's
//! `parameters:`) are maps keyed by that id; lists without ids (`facts:`, `contacts:`,
//! `options:`) are lists in the English order, one item per English item, where `~` (or
//! leaving out the items at the end) leaves an item untranslated. Facts (numbers, emails,
//! addresses, waits, sources, quotes) have no place in an overlay, so they cannot be
//! copied into one. The types deny unknown keys, so a misspelt key is an error that lists
//! the keys allowed there. How each overlay field pairs with its English text is in
//! [`pairs`].

pub mod pairs;

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use serde::de::{Deserialize, DeserializeOwned, Deserializer, MapAccess, Visitor};
use serde::Deserialize as DeriveDeserialize;

use super::files::{files_under, read_text};
use super::schema::Spanned;
use super::yaml::DecodeMemo;
use super::{Content, DataFile};
use crate::diagnostic::{Diagnostic, Diagnostics};

/// The fingerprint of an English text: the first 8 hex digits of the 64-bit FNV-1a hash of
/// the text with every run of whitespace made one space and the ends trimmed, so that
/// re-wrapping a text does not change it.
pub fn fingerprint(text: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut first = true;
    for word in text.split_whitespace() {
        let space = (!first).then_some(" ");
        first = false;
        for byte in space.into_iter().chain([word]).flat_map(str::bytes) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{hash:016x}")[..8].to_string()
}

/// One translated text.
#[derive(Debug, Clone, DeriveDeserialize)]
#[serde(deny_unknown_fields)]
pub struct Text {
    /// The translation. Empty when not translated yet.
    pub text: Spanned<String>,
    /// The [`fingerprint`] of the English text it was made from.
    #[serde(default)]
    pub from: Option<Spanned<String>>,
    /// A draft's English text, copied from the English file; `casepath translate` turns it
    /// into `from:`.
    #[serde(default)]
    pub en: Option<Spanned<String>>,
}

impl Text {
    /// The fingerprint of the English this translation was made from: `from:`, or that of
    /// `en:`; `None` when the overlay records neither.
    pub fn made_from(&self) -> Option<String> {
        match (&self.from, &self.en) {
            (Some(from), _) => Some(from.value.clone()),
            (None, Some(en)) => Some(fingerprint(&en.value)),
            (None, None) => None,
        }
    }

    /// True when there is a translation (the text is not blank).
    pub fn is_translated(&self) -> bool {
        !self.text.value.trim().is_empty()
    }
}

/// A list without ids: one item per English item, in the English order; `~` for an item
/// not translated.
pub type List<T> = Vec<Option<T>>;

/// A map whose keys are ids or names, in file order, each key with where it is written.
#[derive(Debug, Clone)]
pub struct Keyed<T>(pub Vec<(Spanned<String>, T)>);

impl<T> Default for Keyed<T> {
    fn default() -> Self {
        Keyed(Vec::new())
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Keyed<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyedVisitor<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for KeyedVisitor<T> {
            type Value = Keyed<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a map keyed by id")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Keyed<T>, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry::<Spanned<String>, T>()? {
                    entries.push(entry);
                }
                Ok(Keyed(entries))
            }
        }
        deserializer.deserialize_map(KeyedVisitor(std::marker::PhantomData))
    }
}

/// A wait's words: what it counts from.
#[derive(Debug, Clone, Default, DeriveDeserialize)]
#[serde(deny_unknown_fields)]
pub struct WaitTexts {
    /// `after:` of the wait.
    #[serde(default)]
    pub after: Option<Text>,
}

/// A name of `other_names:`.
#[derive(Debug, Clone, Default, DeriveDeserialize)]
#[serde(deny_unknown_fields)]
pub struct NameTexts {
    /// The name.
    #[serde(default)]
    pub name: Option<Text>,
}

/// A contact's words.
#[derive(Debug, Clone, Default, DeriveDeserialize)]
#[serde(deny_unknown_fields)]
pub struct ContactTexts {
    /// What it is for.
    #[serde(default)]
    pub label: Option<Text>,
    /// Who may use it.
    #[serde(default)]
    pub note: Option<Text>,
}

/// A tier's words.
#[derive(Debug, Clone, Default, DeriveDeserialize)]
#[serde(deny_unknown_fields)]
pub struct TierTexts {
    /// Its name.
    #[serde(default)]
    pub name: Option<Text>,
    /// Who staffs it.
    #[serde(default)]
    pub staff: Option<Text>,
    /// What it can do.
    #[serde(default)]
    pub can: List<Text>,
    /// What it cannot do.
    #[serde(default)]
    pub cannot: List<Text>,
}

/// An office's words (`offices.yaml`).
#[derive(Debug, Clone, Default, DeriveDeserialize)]
#[serde(deny_unknown_fields)]
pub struct OfficeTexts {
    /// The name.
    #[serde(default)]
    pub name: Option<Text>,
    /// Other names.
    #[serde(default)]
    pub other_names: List<NameTexts>,
    /// The summary.
    #[serde(default)]
    pub summary: Option<Text>,
    /// The contacts' labels and notes.
    #[serde(default)]
    pub contacts: List<ContactTexts>,
    /// The hours.
    #[serde(default)]
    pub hours: List<Text>,
    /// Whom it serves.
    #[serde(default)]
    pub jurisdiction: List<Text>,
    /// The tiers.
    #[serde(default)]
    pub tiers: List<TierTexts>,
    /// Other facts.
    #[serde(default)]
    pub facts: List<Text>,
}

/// A channel's words (`channels.yaml`).
#[derive(Debug, Clone, Default, DeriveDeserialize)]
#[serde(deny_unknown_fields)]
pub struct ChannelTexts {
    /// The name.
    #[serde(default)]
    pub name: Option<Text>,
    /// Other names.
    #[serde(default)]
    pub other_names: List<NameTexts>,
    /// The summary.
    #[serde(default)]
    pub summary: Option<Text>,
    /// Who may use it.
    #[serde(default)]
    pub who: List<Text>,
    /// How fast an answer comes.
    #[serde(default)]
    pub response_time: List<Text>,
    /// When it is open.
    #[serde(default)]
    pub hours: List<Text>,
    /// Limits and cautions.
    #[serde(default)]
    pub limits: List<Text>,
    /// The contacts' labels and notes.
    #[serde(default)]
    pub contacts: List<ContactTexts>,
    /// Other facts.
    #[serde(default)]
    pub facts: List<Text>,
}

/// A policy parameter's words (`parameters.yaml`).
#[derive(Debug, Clone, Default, DeriveDeserialize)]
#[serde(deny_unknown_fields)]
pub struct ParameterTexts {
    /// The label.
    #[serde(default)]
    pub label: Option<Text>,
    /// The words for yes.
    #[serde(default)]
    pub when_yes: Option<Text>,
    /// The words for no.
    #[serde(default)]
    pub when_no: Option<Text>,
    /// The editors' note (not shown; translating it is optional).
    #[serde(default)]
    pub description: Option<Text>,
}

/// A kind's words (`kinds.yaml`).
#[derive(Debug, Clone, Default, DeriveDeserialize)]
#[serde(deny_unknown_fields)]
pub struct KindTexts {
    /// The label.
    #[serde(default)]
    pub label: Option<Text>,
    /// The editors' note (not shown; translating it is optional).
    #[serde(default)]
    pub description: Option<Text>,
}

/// A version's parameter's words.
#[derive(Debug, Clone, Default, DeriveDeserialize)]
#[serde(deny_unknown_fields)]
pub struct ParameterNoteTexts {
    /// The note.
    #[serde(default)]
    pub note: Option<Text>,
}

/// A policy version's words (`policies.yaml`).
#[derive(Debug, Clone, Default, DeriveDeserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyTexts {
    /// The name.
    #[serde(default)]
    pub name: Option<Text>,
    /// Why it sits at its place in time.
    #[serde(default)]
    pub order_reason: Option<Text>,
    /// The era.
    #[serde(default)]
    pub era: Option<Text>,
    /// The summary.
    #[serde(default)]
    pub summary: Option<Text>,
    /// The notes of its parameters, by parameter name.
    #[serde(default)]
    pub parameters: Keyed<ParameterNoteTexts>,
}

/// A step's words.
#[derive(Debug, Clone, Default, DeriveDeserialize)]
#[serde(deny_unknown_fields)]
pub struct StepTexts {
    /// The title.
    #[serde(default)]
    pub title: Option<Text>,
    /// The wait's words.
    #[serde(default)]
    pub wait: Option<WaitTexts>,
    /// The response wait's words.
    #[serde(default)]
    pub response: Option<WaitTexts>,
    /// What to do.
    #[serde(default)]
    pub text: List<Text>,
    /// What to have ready.
    #[serde(default)]
    pub have_ready: List<Text>,
    /// What to write down.
    #[serde(default)]
    pub record: List<Text>,
}

/// A path's words (`paths.yaml`).
#[derive(Debug, Clone, Default, DeriveDeserialize)]
#[serde(deny_unknown_fields)]
pub struct PathTexts {
    /// The name.
    #[serde(default)]
    pub name: Option<Text>,
    /// Who it is for.
    #[serde(default)]
    pub for_whom: Option<Text>,
    /// The summary.
    #[serde(default)]
    pub summary: Option<Text>,
    /// The steps, by step id.
    #[serde(default)]
    pub steps: Keyed<StepTexts>,
    /// Other facts.
    #[serde(default)]
    pub facts: List<Text>,
}

/// A flowchart option's words.
#[derive(Debug, Clone, Default, DeriveDeserialize)]
#[serde(deny_unknown_fields)]
pub struct OptionTexts {
    /// The label.
    #[serde(default)]
    pub label: Option<Text>,
    /// The wait's words.
    #[serde(default)]
    pub wait: Option<WaitTexts>,
}

/// A flowchart node's words (`flowchart.yaml`).
#[derive(Debug, Clone, Default, DeriveDeserialize)]
#[serde(deny_unknown_fields)]
pub struct NodeTexts {
    /// The question or action.
    #[serde(default)]
    pub text: Option<Text>,
    /// The wait's words.
    #[serde(default)]
    pub wait: Option<WaitTexts>,
    /// The options, in the English order.
    #[serde(default)]
    pub options: List<OptionTexts>,
    /// Other facts.
    #[serde(default)]
    pub facts: List<Text>,
}

/// The records of one overlay file, each with its id and where the id is written.
pub type Overlay<T> = DataFile<(Spanned<String>, T)>;

/// The overlays of one language.
#[derive(Debug, Clone, Default)]
pub struct Translations {
    /// `offices.yaml`.
    pub offices: Overlay<OfficeTexts>,
    /// `channels.yaml`.
    pub channels: Overlay<ChannelTexts>,
    /// `parameters.yaml`.
    pub parameters: Overlay<ParameterTexts>,
    /// `kinds.yaml`.
    pub kinds: Overlay<KindTexts>,
    /// `policies.yaml`.
    pub policies: Overlay<PolicyTexts>,
    /// `paths.yaml`.
    pub paths: Overlay<PathTexts>,
    /// `flowchart.yaml`.
    pub flowchart: Overlay<NodeTexts>,
}

/// The data files an overlay may translate (`sources.yaml` is not one: sources are facts).
pub const OVERLAY_FILES: [&str; 7] = [
    "offices.yaml",
    "channels.yaml",
    "parameters.yaml",
    "kinds.yaml",
    "policies.yaml",
    "paths.yaml",
    "flowchart.yaml",
];

/// True for a language code: a BCP 47 primary tag, 2 or 3 lowercase letters.
pub fn is_language_code(name: &str) -> bool {
    (2..=3).contains(&name.len()) && name.bytes().all(|b| b.is_ascii_lowercase())
}

/// Reads the overlays of every language folder of `content/data/` (a folder named by a
/// language code) into `content.translations`. A file that does not decode is reported
/// and left empty; a YAML file that translates no data file is reported too.
pub(super) fn load_translations(
    content: &mut Content,
    memo: &DecodeMemo,
    diagnostics: &mut Diagnostics,
) {
    let root = content.root.clone();
    let data_dir = root.join("content").join("data");
    let Ok(entries) = std::fs::read_dir(&data_dir) else {
        return;
    };
    let mut languages: Vec<String> = entries
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| is_language_code(name))
        .collect();
    languages.sort();
    for language in languages {
        let dir = data_dir.join(&language);
        let translations = load_language(&root, &dir, memo, diagnostics);
        content.translations.insert(language, translations);
    }
}

/// Reads the overlay files of one language folder.
fn load_language(
    root: &Path,
    dir: &Path,
    memo: &DecodeMemo,
    diagnostics: &mut Diagnostics,
) -> Translations {
    let mut translations = Translations::default();
    let within = root.join("content");
    for path in files_under(root, dir, Some(&within), diagnostics) {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        let name = name.unwrap_or_default();
        if !(name.ends_with(".yaml") || name.ends_with(".yml")) {
            continue;
        }
        if path.parent() != Some(dir) || !OVERLAY_FILES.contains(&name.as_str()) {
            diagnostics.push(unknown_overlay(root, &path));
            continue;
        }
        let Some(file) = read_text(root, &path, diagnostics) else {
            continue;
        };
        let t = &mut translations;
        match name.as_str() {
            "offices.yaml" => t.offices = decode(memo, file, diagnostics),
            "channels.yaml" => t.channels = decode(memo, file, diagnostics),
            "parameters.yaml" => t.parameters = decode(memo, file, diagnostics),
            "kinds.yaml" => t.kinds = decode(memo, file, diagnostics),
            "policies.yaml" => t.policies = decode(memo, file, diagnostics),
            "paths.yaml" => t.paths = decode(memo, file, diagnostics),
            _ => t.flowchart = decode(memo, file, diagnostics),
        }
    }
    translations
}

/// The error for a YAML file in a language folder that translates no data file.
fn unknown_overlay(root: &Path, path: &Path) -> Diagnostic {
    Diagnostic::new(format!(
        "`{}` translates no data file",
        super::display_path(root, path)
    ))
    .with_hint(format!(
        "a language folder of content/data/ holds {}, each named after the English file it \
         translates",
        OVERLAY_FILES.join(", ")
    ))
}

/// One overlay file decoded; empty when it does not decode (the problem is reported) or
/// holds nothing.
fn decode<T: DeserializeOwned + Clone + Send + 'static>(
    memo: &DecodeMemo,
    file: crate::diagnostic::SourceFile,
    diagnostics: &mut Diagnostics,
) -> Overlay<T> {
    let only_comments = file
        .text
        .lines()
        .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'));
    let records = if only_comments {
        Vec::new()
    } else {
        let keyed = memo.decode::<Keyed<T>>(&file, &file.text, 0, diagnostics);
        keyed.map(|k| k.0).unwrap_or_default()
    };
    DataFile { file, records }
}

/// The overlays by language code, as `Content::translations` holds them.
pub type ByLanguage = BTreeMap<String, Translations>;

/// The overlays of `language`; empty ones for a language that has none.
pub fn of_language<'a>(by: &'a ByLanguage, language: &str) -> &'a Translations {
    static NONE: std::sync::LazyLock<Translations> = std::sync::LazyLock::new(Default::default);
    by.get(language).unwrap_or(&NONE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprint_ignores_how_the_text_is_wrapped() {
        assert_eq!(
            fingerprint("Call the\n  help desk. "),
            fingerprint("Call the help desk.")
        );
        assert_ne!(
            fingerprint("Call the help desk."),
            fingerprint("Call the help desk")
        );
        assert_eq!(fingerprint("Call the help desk.").len(), 8);
    }

    #[test]
    fn fingerprint_is_fnv1a() {
        // FNV-1a 64 of the empty text is the offset basis; of "a" it is af63dc4c8601ec8c.
        assert_eq!(fingerprint(""), "cbf29ce4");
        assert_eq!(fingerprint("a"), "af63dc4c");
    }

    #[test]
    fn keyed_keeps_keys_in_order_with_places() {
        let yaml = "b-record:\n  label: {text: Uno, from: 0123abcd}\na-record: {}\n";
        let keyed: Keyed<KindTexts> = serde_saphyr::from_str(yaml).unwrap();
        let keys: Vec<_> = keyed.0.iter().map(|(k, _)| k.value.as_str()).collect();
        assert_eq!(keys, ["b-record", "a-record"]);
        assert_eq!(keyed.0[1].0.referenced.line(), 3);
        let label = keyed.0[0].1.label.as_ref().unwrap();
        assert_eq!(label.text.value, "Uno");
        assert_eq!(label.text.referenced.line(), 2);
    }

    #[test]
    fn lists_take_tilde_for_an_item_not_translated() {
        let yaml = "facts:\n  - ~\n  - {text: Dos, from: 0123abcd}\n";
        let node: NodeTexts = serde_saphyr::from_str(yaml).unwrap();
        assert!(node.facts[0].is_none());
        assert_eq!(node.facts[1].as_ref().unwrap().text.value, "Dos");
    }
}
