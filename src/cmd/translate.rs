//! `casepath translate LANG`: keeps the translations of the data files
//! (`content/data/<lang>/*.yaml`) in step with the English. It records, for every
//! translated text that does not say yet, which English it was made from: a draft's `en:`
//! (the English copied by the translator) becomes `from:` with its fingerprint, and a text
//! with neither gets the fingerprint of the current English. It then lists the texts whose
//! English has changed since (stale) and the records with texts not translated (missing).
//! The files are edited in place, one line at a time: comments and layout stay as written.
//! It adds no stubs: the list of missing texts, with the English file, is what a translator
//! starts from, and a stub would be an empty text to fill in by hand anyway.

use std::collections::BTreeMap;
use std::path::Path;

use crate::diagnostic::{Diagnostic, Diagnostics, SourceFile};
use crate::load::schema::Spanned;
use crate::load::translations::pairs::each_text;
use crate::load::translations::{fingerprint, is_language_code, of_language, Translations};
use crate::validate::translations::overlay_file;

/// What `casepath translate` found and did.
#[derive(Debug, Default)]
pub struct Summary {
    /// How many texts got a `from:` (or would, with `--check`).
    pub recorded: usize,
    /// The overlay files changed (or that would change), relative to the root.
    pub changed: Vec<String>,
    /// The stale texts: `file:line:col: kind `id`, field`, in file order.
    pub stale: Vec<String>,
    /// The records with texts not translated: `file: kind `id`: N texts (fields)`.
    pub missing: Vec<String>,
    /// Texts whose `from:` could not be written (an unusual layout), with the fingerprint
    /// to write by hand.
    pub by_hand: Vec<String>,
}

/// One change to a file's text: bytes `start..end` replaced.
struct Edit {
    start: usize,
    end: usize,
    with: String,
}

/// Runs `casepath translate` for `language` on the guide at `root`; with `write` false
/// (`--check`), changes nothing.
pub fn translate(root: &Path, language: &str, write: bool) -> Result<Summary, Diagnostics> {
    if !is_language_code(language) {
        return Err(
            Diagnostic::new(format!("`{language}` is not a language code"))
                .with_hint("write the code of the language, 2 or 3 lowercase letters: `es`, `fr`")
                .into(),
        );
    }
    let (content, load_errors) = crate::load::load(root)?;
    let validated = crate::validate::validate(content, load_errors)?;
    let mut english = validated.content.clone();
    let translations = of_language(&validated.content.translations, language);
    let mut summary = Summary::default();
    let mut edits: BTreeMap<String, Vec<Edit>> = BTreeMap::new();
    let mut missing: BTreeMap<(&str, String), Vec<String>> = BTreeMap::new();
    each_text(&mut english, translations, &mut |english, text, place| {
        let file = overlay_file(translations, place.kind);
        let Some(text) = text.filter(|t| t.is_translated()) else {
            if place.shown {
                let key = (place.kind, place.id.clone());
                missing.entry(key).or_default().push(place.field.clone());
            }
            return;
        };
        let at = format!(
            "{}:{}:{}: {} `{}`, {}",
            file.path,
            text.text.referenced.line(),
            text.text.referenced.column(),
            place.kind,
            place.id,
            place.field
        );
        let made = text.made_from().unwrap_or_else(|| fingerprint(english));
        if made != fingerprint(english) {
            summary.stale.push(at.clone());
        }
        let edit = match (&text.from, &text.en) {
            (Some(_), _) => return,
            (None, Some(en)) => replace_key(file, en, "en:", &made),
            (None, None) => add_from(file, &text.text, &made),
        };
        summary.recorded += 1;
        match edit {
            Some(edit) => edits.entry(file.path.clone()).or_default().push(edit),
            None => summary
                .by_hand
                .push(format!("{at}: write `from: {}`", as_yaml(&made))),
        }
    });
    summary.missing = missing_lines(language, &missing);
    for (path, mut file_edits) in edits {
        if write {
            let file = files_of(translations).find(|f| f.path == path);
            let Some(file) = file else { continue };
            file_edits.sort_by_key(|e| std::cmp::Reverse(e.start));
            let mut text = file.text.to_string();
            for edit in file_edits {
                text.replace_range(edit.start..edit.end, &edit.with);
            }
            std::fs::write(root.join(&path), text)
                .map_err(|error| Diagnostic::new(format!("could not write {path}: {error}")))?;
        }
        summary.changed.push(path);
    }
    Ok(summary)
}

/// The overlay files of one language.
fn files_of(t: &Translations) -> impl Iterator<Item = &SourceFile> {
    [
        &t.offices.file,
        &t.channels.file,
        &t.parameters.file,
        &t.kinds.file,
        &t.policies.file,
        &t.paths.file,
        &t.flowchart.file,
    ]
    .into_iter()
}

/// The lines for records with texts not translated, each naming the overlay file.
fn missing_lines(language: &str, missing: &BTreeMap<(&str, String), Vec<String>>) -> Vec<String> {
    let mut lines: Vec<(usize, String)> = missing
        .iter()
        .map(|((kind, id), fields)| {
            let shown: Vec<&str> = fields.iter().take(4).map(String::as_str).collect();
            let more = match fields.len().saturating_sub(4) {
                0 => String::new(),
                n => format!(", and {n} more"),
            };
            let n = fields.len();
            let line = format!(
                "content/data/{language}/{}: {kind} `{id}`: {n} text{} not translated ({}{more})",
                file_of(kind),
                if n == 1 { "" } else { "s" },
                shown.join(", ")
            );
            (order_of(kind), line)
        })
        .collect();
    lines.sort();
    lines.into_iter().map(|(_, line)| line).collect()
}

/// The data file of a kind of record.
fn file_of(kind: &str) -> &'static str {
    match kind {
        "office" => "offices.yaml",
        "channel" => "channels.yaml",
        "parameter" => "parameters.yaml",
        "kind" => "kinds.yaml",
        "version" => "policies.yaml",
        "path" => "paths.yaml",
        _ => "flowchart.yaml",
    }
}

/// Where a kind's file comes in the list of missing texts.
fn order_of(kind: &str) -> usize {
    [
        "path",
        "node",
        "office",
        "channel",
        "version",
        "parameter",
        "kind",
    ]
    .iter()
    .position(|k| *k == kind)
    .unwrap_or(usize::MAX)
}

/// The byte range of a value in `file`, trailing whitespace left out.
fn value_range(file: &SourceFile, value: &Spanned<String>) -> Option<(usize, usize)> {
    let span = value.referenced.span();
    let start = usize::try_from(span.byte_offset()?).ok()?;
    let len = usize::try_from(span.byte_len()?).ok()?;
    let written = file.text.get(start..start + len)?;
    Some((start, start + written.trim_end().len()))
}

/// Where the key `key` of `value` starts: the last `key` before the value, with only
/// spaces or a block scalar's indicator between them.
fn key_before(file: &SourceFile, start: usize, key: &str) -> Option<usize> {
    let at = file.text.get(..start)?.rfind(key)?;
    let between = &file.text[at + key.len()..start];
    let plain = |c: char| c.is_whitespace() || ">|-+".contains(c) || c.is_ascii_digit();
    let at_word_start = file.text[..at]
        .chars()
        .next_back()
        .is_none_or(|c| c.is_whitespace() || c == '{' || c == ',');
    (between.chars().all(plain) && at_word_start).then_some(at)
}

/// The edit that replaces `key value` (`en: "…"`) by `from: <fingerprint>`.
fn replace_key(file: &SourceFile, value: &Spanned<String>, key: &str, made: &str) -> Option<Edit> {
    let (start, end) = value_range(file, value)?;
    let key_start = key_before(file, start, key)?;
    Some(Edit {
        start: key_start,
        end,
        with: format!("from: {}", as_yaml(made)),
    })
}

/// The edit that adds `from: <fingerprint>` after the `text:` of a translated text: on
/// the next line, under `text:`, or after it inside `{…}`.
fn add_from(file: &SourceFile, text: &Spanned<String>, made: &str) -> Option<Edit> {
    let (start, end) = value_range(file, text)?;
    let key = key_before(file, start, "text:")?;
    let line_start = file.text[..key].rfind('\n').map_or(0, |i| i + 1);
    let before = file.text[line_start..key].trim_end();
    let with = if before.ends_with('{') || before.ends_with(',') {
        format!(", from: {}", as_yaml(made))
    } else {
        let indent = file.text[line_start..key].chars().count();
        let newline = if file.text.contains("\r\n") {
            "\r\n"
        } else {
            "\n"
        };
        format!("{newline}{}from: {}", " ".repeat(indent), as_yaml(made))
    };
    Some(Edit {
        start: end,
        end,
        with,
    })
}

/// A fingerprint as YAML: quoted when YAML would read it as a number (`12345678`,
/// `123e4567`), so that it stays a text.
fn as_yaml(made: &str) -> String {
    let (mantissa, exponent) = made.split_once(['e', 'E']).unwrap_or((made, "0"));
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if digits(mantissa) && digits(exponent) {
        format!("\"{made}\"")
    } else {
        made.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_that_read_as_numbers_are_quoted() {
        assert_eq!(as_yaml("12345678"), "\"12345678\"");
        assert_eq!(as_yaml("123e4567"), "\"123e4567\"");
        assert_eq!(as_yaml("0023fd2b"), "0023fd2b");
        assert_eq!(as_yaml("e1234567"), "e1234567");
    }
}
