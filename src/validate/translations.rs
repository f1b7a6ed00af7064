//! The translations of the data files (`content/data/<lang>/*.yaml`, see
//! [`crate::load::translations`]): every record, step and parameter an overlay names must
//! exist in the English files (errors name the nearest id), every overlay text must
//! translate an English text, and a translation must keep the facts of its English text:
//! the same digit runs (numbers, phone numbers), emails, web addresses and `{placeholders}`,
//! as many times each. A translation made from an older English text (its `from:` is not
//! the fingerprint of the current English) is a warning: the translation may be behind.

use std::collections::{BTreeMap, HashSet};

use super::references::unknown_reference;
use crate::diagnostic::{Diagnostic, Diagnostics, SourceFile};
use crate::load::schema::Spanned;
use crate::load::translations::pairs::{each_text, AllTexts, Place};
use crate::load::translations::{fingerprint, Overlay, Text, Translations, OVERLAY_FILES};
use crate::load::{at, Content};

/// Checks the overlays of every language against the English records of `content`. They
/// are checked once every English data file they translate has loaded: until then an
/// overlay's ids cannot be told right from wrong, and the English file's errors come first.
pub fn check_translations(content: &Content, diagnostics: &mut Diagnostics) {
    if content.translations.is_empty() || OVERLAY_FILES.iter().any(|f| content.failed(f)) {
        return;
    }
    let mut english = records_of(content);
    for (language, translations) in &content.translations {
        check_ids(content, translations, diagnostics);
        let mut met = HashSet::new();
        each_text(&mut english, translations, &mut |english, text, place| {
            if let Some(text) = text {
                met.insert(where_is(place.kind, text));
                let file = overlay_file(translations, place.kind);
                check_text(file, language, english, text, place, diagnostics);
            }
        });
        check_all_met(content, translations, &met, diagnostics);
    }
}

/// A copy of the English records of `content` that [`each_text`] can walk.
fn records_of(content: &Content) -> Content {
    Content {
        offices: content.offices.clone(),
        channels: content.channels.clone(),
        parameters: content.parameters.clone(),
        kinds: content.kinds.clone(),
        policies: content.policies.clone(),
        paths: content.paths.clone(),
        flowchart: content.flowchart.clone(),
        ..Content::default()
    }
}

/// Where a text is written: its kind of record (one file per kind) and line and column.
fn where_is(kind: &'static str, text: &Text) -> (&'static str, u64, u64) {
    let location = &text.text.referenced;
    (kind, location.line(), location.column())
}

/// The overlay file that holds the records of `kind`.
pub fn overlay_file<'a>(translations: &'a Translations, kind: &str) -> &'a SourceFile {
    let t = translations;
    match kind {
        "office" => &t.offices.file,
        "channel" => &t.channels.file,
        "parameter" => &t.parameters.file,
        "kind" => &t.kinds.file,
        "version" => &t.policies.file,
        "path" => &t.paths.file,
        _ => &t.flowchart.file,
    }
}

/// The checks of one translated text against its English: its fingerprint, its facts.
fn check_text(
    file: &SourceFile,
    language: &str,
    english: &str,
    text: &Text,
    place: &Place,
    diagnostics: &mut Diagnostics,
) {
    if let (Some(from), Some(_)) = (&text.from, &text.en) {
        let location = at(file, &from.referenced, from.value.len());
        diagnostics.push(
            Diagnostic::at(location, "a text has both `from:` and `en:`")
                .with_label("keep one")
                .with_hint("`from:` is the fingerprint of the English; delete `en:`"),
        );
    }
    if let Some(from) = &text.from {
        if !is_fingerprint(&from.value) {
            let location = at(file, &from.referenced, from.value.len().max(1));
            diagnostics.push(
                Diagnostic::at(location, "`from:` is not a fingerprint")
                    .with_label("expected 8 hex digits")
                    .with_hint(format!(
                        "delete `from:` and run `casepath translate {language}` to record the \
                         English this text was made from"
                    )),
            );
            return;
        }
    }
    if !text.is_translated() {
        return;
    }
    check_facts(file, english, &text.text, diagnostics);
    let location = at(file, &text.text.referenced, 1);
    let current = fingerprint(english);
    match text.made_from() {
        Some(made) if made == current => {}
        Some(_) => diagnostics.push(
            Diagnostic::warning_at(location, "the translation may be behind the English text")
                .with_label(format!("{} `{}`, {}", place.kind, place.id, place.field))
                .with_note(format!("the English is now: {}", english.trim()))
                .with_hint(format!(
                    "update the translation, then delete its `from:` line and run `casepath \
                     translate {language}` (it records the current English's fingerprint)"
                )),
        ),
        None => diagnostics.push(
            Diagnostic::warning_at(
                location,
                "the translation does not say which English text it was made from",
            )
            .with_label(format!("{} `{}`, {}", place.kind, place.id, place.field))
            .with_hint(format!(
                "run `casepath translate {language}`: it adds `from:`, the fingerprint of \
                     the current English"
            )),
        ),
    }
}

/// True for 8 lowercase hex digits.
fn is_fingerprint(text: &str) -> bool {
    text.len() == 8
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// The error for a translation whose facts differ from its English text's.
fn check_facts(
    file: &SourceFile,
    english: &str,
    text: &Spanned<String>,
    diagnostics: &mut Diagnostics,
) {
    let (lost, added) = difference(&facts_of(english), &facts_of(&text.value));
    if lost.is_empty() && added.is_empty() {
        return;
    }
    let mut said = Vec::new();
    if !lost.is_empty() {
        said.push(format!("leaves out {}", quoted(&lost)));
    }
    if !added.is_empty() {
        said.push(format!("adds {}", quoted(&added)));
    }
    let location = at(file, &text.referenced, 1);
    diagnostics.push(
        Diagnostic::at(
            location,
            "the translation does not keep the facts of the English text",
        )
        .with_label(said.join(" and "))
        .with_note(format!("the English: {}", english.trim()))
        .with_hint(
            "numbers, phone numbers, emails, web addresses and `{placeholders}` must be \
                 written as in the English, as many times each; write a number added for \
                 clarity in words",
        ),
    );
}

/// `a, b and c`, each in backticks.
fn quoted(items: &[String]) -> String {
    let items: Vec<String> = items.iter().map(|i| format!("`{i}`")).collect();
    match items.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => items.concat(),
    }
}

/// What is in `english` and not in `translated`, and what is in `translated` and not in
/// `english`, counting repeats.
fn difference(english: &[String], translated: &[String]) -> (Vec<String>, Vec<String>) {
    let mut counts: BTreeMap<&str, i64> = BTreeMap::new();
    for fact in english {
        *counts.entry(fact).or_default() += 1;
    }
    for fact in translated {
        *counts.entry(fact).or_default() -= 1;
    }
    let mut lost = Vec::new();
    let mut added = Vec::new();
    for (fact, count) in counts {
        let list = if count > 0 { &mut lost } else { &mut added };
        for _ in 0..count.unsigned_abs() {
            list.push(fact.to_string());
        }
    }
    (lost, added)
}

/// The facts written in a text, sorted: web addresses, emails, `{placeholders}` and the
/// runs of digits elsewhere (numbers, and the parts of phone numbers and dates).
pub fn facts_of(text: &str) -> Vec<String> {
    let mut facts = Vec::new();
    for word in text.split_whitespace() {
        let trimmed = word.trim_matches(|c: char| !c.is_alphanumeric() && c != '/');
        let lower = trimmed.to_ascii_lowercase();
        if lower.starts_with("http://")
            || lower.starts_with("https://")
            || lower.starts_with("www.")
        {
            facts.push(trimmed.to_string());
            continue;
        }
        if trimmed.contains('@') {
            facts.push(trimmed.to_string());
            continue;
        }
        let mut rest = word;
        while let Some(start) = rest.find(|c: char| c.is_ascii_digit() || c == '{') {
            rest = &rest[start..];
            let end = if rest.starts_with('{') {
                rest.find('}').map_or(1, |i| i + 1)
            } else {
                rest.find(|c: char| !c.is_ascii_digit())
                    .unwrap_or(rest.len())
            };
            if end > 1 || !rest.starts_with('{') {
                facts.push(rest[..end].to_string());
            }
            rest = &rest[end..];
        }
    }
    facts.sort();
    facts
}

/// Every overlay record must name an English record, every step an English step of its
/// path and every parameter one its version states.
fn check_ids(content: &Content, t: &Translations, diagnostics: &mut Diagnostics) {
    check_keys(
        &t.offices,
        "office",
        &content.offices.ids(|r| &r.id),
        diagnostics,
    );
    check_keys(
        &t.channels,
        "channel",
        &content.channels.ids(|r| &r.id),
        diagnostics,
    );
    let parameters = content.parameters.ids(|r| &r.id);
    check_keys(&t.parameters, "parameter", &parameters, diagnostics);
    check_keys(&t.kinds, "kind", &content.kinds.ids(|r| &r.id), diagnostics);
    check_keys(
        &t.policies,
        "policy version",
        &content.policies.ids(|r| &r.id),
        diagnostics,
    );
    check_keys(&t.paths, "path", &content.paths.ids(|r| &r.id), diagnostics);
    check_keys(
        &t.flowchart,
        "flowchart node",
        &content.flowchart.ids(|r| &r.id),
        diagnostics,
    );
    for (id, path) in &t.paths.records {
        if let Some(english) = content
            .paths
            .records
            .iter()
            .find(|p| p.id.value == id.value)
        {
            let steps: Vec<&str> = english.steps.iter().map(|s| s.id.value.as_str()).collect();
            let within = format!("path `{}` has no step called this", id.value);
            keys_exist(
                &t.paths.file,
                &path.steps.0,
                ("step", &within),
                &steps,
                diagnostics,
            );
        }
    }
    for (id, version) in &t.policies.records {
        if let Some(english) = content
            .policies
            .records
            .iter()
            .find(|p| p.id.value == id.value)
        {
            let names: Vec<&str> = english.parameters.keys().map(String::as_str).collect();
            let within = format!("version `{}` states no parameter called this", id.value);
            let kind = ("parameter", within.as_str());
            keys_exist(
                &t.policies.file,
                &version.parameters.0,
                kind,
                &names,
                diagnostics,
            );
        }
    }
}

/// The errors for the records of `overlay` whose ids are not among `known`.
fn check_keys<T>(overlay: &Overlay<T>, kind: &str, known: &[&str], diagnostics: &mut Diagnostics) {
    let english = overlay.file.path.rsplit('/').next().unwrap_or_default();
    let note = format!("the records of an overlay are those of content/data/{english}, by id");
    keys_exist(
        &overlay.file,
        &overlay.records,
        (kind, &note),
        known,
        diagnostics,
    );
}

/// The errors for the keys of `entries` (written in `file`) that are not among `known`;
/// `kind` is what a key names (`step`) and a note that says where it was looked for.
fn keys_exist<T>(
    file: &SourceFile,
    entries: &[(Spanned<String>, T)],
    (kind, note): (&str, &str),
    known: &[&str],
    diagnostics: &mut Diagnostics,
) {
    for (key, _) in entries {
        if !known.contains(&key.value.as_str()) {
            let location = at(file, &key.referenced, key.value.chars().count().max(1));
            let error = unknown_reference(location, kind, &key.value, known.iter().copied());
            diagnostics.push(error.with_note(note));
        }
    }
}

/// The errors for the texts of an overlay that translate no English text: a text past the
/// end of an English list, or for a field the English record leaves out. `met` holds the
/// texts [`each_text`] met. Records, steps and parameters with unknown keys are reported by
/// [`check_ids`] instead.
fn check_all_met(
    content: &Content,
    t: &Translations,
    met: &HashSet<(&'static str, u64, u64)>,
    diagnostics: &mut Diagnostics,
) {
    let mut texts: Vec<(&'static str, &SourceFile, Vec<&Text>)> = vec![
        (
            "office",
            &t.offices.file,
            known(&t.offices, &content.offices.ids(|r| &r.id)),
        ),
        (
            "channel",
            &t.channels.file,
            known(&t.channels, &content.channels.ids(|r| &r.id)),
        ),
        (
            "kind",
            &t.kinds.file,
            known(&t.kinds, &content.kinds.ids(|r| &r.id)),
        ),
        (
            "node",
            &t.flowchart.file,
            known(&t.flowchart, &content.flowchart.ids(|r| &r.id)),
        ),
    ];
    let parameters = content.parameters.ids(|r| &r.id);
    texts.push((
        "parameter",
        &t.parameters.file,
        known(&t.parameters, &parameters),
    ));
    texts.push(("path", &t.paths.file, path_texts(content, t)));
    texts.push(("version", &t.policies.file, version_texts(content, t)));
    for (kind, file, texts) in texts {
        for text in texts {
            if !met.contains(&where_is(kind, text)) {
                diagnostics.push(translates_nothing(file, text));
            }
        }
    }
}

/// Every text of the overlay's paths with known ids, steps of unknown ids left out.
fn path_texts<'a>(content: &Content, t: &'a Translations) -> Vec<&'a Text> {
    let mut of_paths = Vec::new();
    for (id, record) in &t.paths.records {
        let Some(english) = content
            .paths
            .records
            .iter()
            .find(|p| p.id.value == id.value)
        else {
            continue;
        };
        for field in [&record.name, &record.for_whom, &record.summary] {
            field.all_texts(&mut of_paths);
        }
        record.facts.all_texts(&mut of_paths);
        for (step, texts_of_step) in &record.steps.0 {
            if english.steps.iter().any(|s| s.id.value == step.value) {
                texts_of_step.all_texts(&mut of_paths);
            }
        }
    }
    of_paths
}

/// Every text of the overlay's versions with known ids, parameters the version does not
/// state left out.
fn version_texts<'a>(content: &Content, t: &'a Translations) -> Vec<&'a Text> {
    let mut of_versions = Vec::new();
    for (id, record) in &t.policies.records {
        let english = content
            .policies
            .records
            .iter()
            .find(|p| p.id.value == id.value);
        let Some(english) = english else {
            continue;
        };
        let fields = [
            &record.name,
            &record.order_reason,
            &record.era,
            &record.summary,
        ];
        fields
            .iter()
            .for_each(|field| field.all_texts(&mut of_versions));
        for (name, note) in &record.parameters.0 {
            if english.parameters.contains_key(&name.value) {
                note.all_texts(&mut of_versions);
            }
        }
    }
    of_versions
}

/// Every text of the records of `overlay` whose ids are among `ids`.
fn known<'a, T: AllTexts>(overlay: &'a Overlay<T>, ids: &[&str]) -> Vec<&'a Text> {
    let mut texts = Vec::new();
    for (id, record) in &overlay.records {
        if ids.contains(&id.value.as_str()) {
            record.all_texts(&mut texts);
        }
    }
    texts
}

/// The error for a text that translates no English text.
fn translates_nothing(file: &SourceFile, text: &Text) -> Diagnostic {
    Diagnostic::at(
        at(file, &text.text.referenced, 1),
        "this translation has no English text to translate",
    )
    .with_label("nothing in the English file is here")
    .with_hint(
        "the English record has no text at this place: a list item past the end of its \
         English list, or a field the English leaves out; remove it, or check the English file",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facts_are_numbers_emails_addresses_and_placeholders() {
        let facts = facts_of(
            "Call 1-800-555-0100 within 30 days, or write to desk@example.org \
             (see https://example.org/help.) after {wait}.",
        );
        assert_eq!(
            facts,
            [
                "0100",
                "1",
                "30",
                "555",
                "800",
                "desk@example.org",
                "https://example.org/help",
                "{wait}"
            ]
        );
    }

    #[test]
    fn a_translation_keeps_the_facts_in_any_order_and_wording() {
        let english = facts_of("Email desk@example.org; answers come in 10 days.");
        let translated = facts_of("Las respuestas llegan en 10 días: escriba a desk@example.org.");
        assert_eq!(difference(&english, &translated), (vec![], vec![]));
    }

    #[test]
    fn a_number_written_twice_is_a_change() {
        let (lost, added) = difference(&facts_of("Level 1"), &facts_of("Level 1 (nivel 1)"));
        assert!(lost.is_empty());
        assert_eq!(added, ["1"]);
        let (lost, _) = difference(&facts_of("Write to a@example.org"), &facts_of("Escriba"));
        assert_eq!(lost, ["a@example.org"]);
    }

    #[test]
    fn fingerprints_are_eight_lowercase_hex_digits() {
        assert!(is_fingerprint("0123abcd"));
        assert!(!is_fingerprint("0123ABCD"));
        assert!(!is_fingerprint("0123abc"));
        assert!(!is_fingerprint("Email"));
    }
}
