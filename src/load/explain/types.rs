//! Errors of YAML text that parses but does not hold what casepath reads: an unknown key or
//! value (with the nearest allowed one), a missing or repeated key, a value of the wrong
//! type or shape, said in a volunteer's words at the place of the value.

use super::outline::{record_name, Outline};
use super::{dash_without_space, key_of, missing_dash, value_of, Pos, Text};
use crate::diagnostic::Diagnostic;

/// The error for a value, list or record of the wrong shape or type (the text parses).
pub(in crate::load) fn typed(text: &Text, error: &serde_saphyr::Error) -> Diagnostic {
    use serde_saphyr::Error as E;
    let lines = text.lines();
    if let Some(diagnostic) = dash_without_space(text, &lines) {
        return diagnostic;
    }
    let outline = Outline::of(text.yaml).unwrap_or_default();
    let error = match error {
        E::WithSnippet { error, .. } => error.as_ref(),
        other => other,
    };
    let location = error.location();
    let at: Pos = location.map_or((1, 1), |l| {
        ((l.line() as usize).max(1), (l.column() as usize).max(1))
    });
    let (key, written) = key_and_value(&outline, lines.get(at.0 - 1).copied(), at);
    let len = written.chars().count().max(1);
    let key_words = key
        .as_deref()
        .map_or("this value".to_string(), |k| format!("`{k}:`"));
    match error {
        E::SerdeUnknownField {
            field, expected, ..
        } => unknown_key(text, &outline, at, field, expected),
        E::SerdeUnknownVariant {
            variant, expected, ..
        } => unknown_value(text, at, &key_words, variant, expected),
        E::SerdeMissingField { field, .. } => missing_key(text, &outline, at, field),
        E::DuplicateMappingKey { key: dup, .. } => {
            duplicate_key(text, &lines, &outline, at, dup.as_deref())
        }
        E::InvalidScalar { ty, .. } => wrong_type(text, at, &key_words, ty, &written),
        E::NullIntoString { .. } => Diagnostic::at(
            text.at(at, key.as_deref().map_or(1, |k| k.chars().count())),
            format!("{key_words} is empty"),
        )
        .with_label("nothing after the `:`")
        .with_hint("write its value after the `:`, on the same line"),
        E::SerdeInvalidType {
            unexpected,
            expected,
            ..
        }
        | E::SerdeInvalidValue {
            unexpected,
            expected,
            ..
        } => wrong_shape(
            text,
            at,
            len,
            &key_words,
            &shape_words(expected),
            Some(&shape_words(unexpected)),
        ),
        E::Unexpected { expected, .. } => {
            wrong_shape(text, at, len, &key_words, &shape_words(expected), None)
        }
        E::Message { msg, .. } if msg.contains("untagged enum ParamValue") => wrong_shape(
            text,
            at,
            len,
            &key_words,
            "a number, `true` or `false`, or text",
            None,
        ),
        E::Eof { .. } => Diagnostic::at(
            text.at((lines.len().max(1), 1), 1),
            "this file ends in the middle of a record",
        )
        .with_hint("finish the record, or remove its unfinished lines"),
        _ => unexpected_form(text, at, len, &key_words),
    }
}

/// The error for a value whose error the YAML library gives no kind for.
fn unexpected_form(text: &Text, at: Pos, len: usize, key_words: &str) -> Diagnostic {
    Diagnostic::at(
        text.at(at, len),
        format!("{key_words} does not have the form casepath expects"),
    )
    .with_hint(
        "compare it with the same key in another record, or in the guide that `casepath \
         init` writes",
    )
}

/// The error for a value `written` for `key_words` that is not of the type `ty` (as the
/// YAML library names it: `bool`, `u32`, …).
fn wrong_type(text: &Text, at: Pos, key_words: &str, ty: &str, written: &str) -> Diagnostic {
    let (wanted, example) = wanted_type(ty);
    let len = written.chars().count().max(1);
    Diagnostic::at(
        text.at(at, len),
        format!("{key_words} must be {wanted}, not `{written}`"),
    )
    .with_label(format!("not {wanted}"))
    .with_hint(format!("write {example}"))
}

/// The key whose value is at `at`, and the value as written (empty when there is none),
/// from the outline, or else from `line`, the text of the line at `at`.
fn key_and_value(outline: &Outline, line: Option<&str>, at: Pos) -> (Option<String>, String) {
    let line = line.unwrap_or("");
    let node = outline.node_at(at);
    let key = node
        .and_then(|n| n.key.clone())
        .or_else(|| key_of(line).map(|(k, _)| k.to_string()));
    let written = node
        .and_then(|n| n.value.clone())
        .or_else(|| value_of(line).map(|(v, _)| v.trim_end().to_string()))
        .unwrap_or_default();
    (key, written)
}

/// The error for a key `field` that the record at `at` does not have, with the nearest of
/// the keys it may have (`expected`).
fn unknown_key(
    text: &Text,
    outline: &Outline,
    at: Pos,
    field: &str,
    expected: &[&str],
) -> Diagnostic {
    let record = outline.record_at(at).map(|i| record_name(text, outline, i));
    let label = match &record {
        Some(name) => format!("not a key of {name}"),
        None => "not a key here".to_string(),
    };
    let near = crate::diagnostic::nearest(field, expected);
    let hint = match near {
        Some(near) => format!(
            "did you mean `{near}`? The keys allowed here are: {}",
            expected.join(", ")
        ),
        None => format!("the keys allowed here are: {}", expected.join(", ")),
    };
    Diagnostic::at(
        text.at(at, field.chars().count()),
        format!("unknown key `{field}`"),
    )
    .with_label(label)
    .with_hint(hint)
}

/// The error for a value `variant` of `key_words` that is not one of the allowed words
/// (`expected`), with the nearest of them.
fn unknown_value(
    text: &Text,
    at: Pos,
    key_words: &str,
    variant: &str,
    expected: &[&str],
) -> Diagnostic {
    let near = crate::diagnostic::nearest(variant, expected);
    let allowed = expected.join(", ");
    let hint = match near {
        Some(near) => format!("did you mean `{near}`? {key_words} can be: {allowed}"),
        None => format!("{key_words} can be: {allowed}"),
    };
    Diagnostic::at(
        text.at(at, variant.chars().count().max(1)),
        format!("{key_words} cannot be `{variant}`"),
    )
    .with_label("not one of the allowed values")
    .with_hint(hint)
}

/// How a type of the YAML library is said in words, with an example of a good value.
fn wanted_type(ty: &str) -> (&'static str, &'static str) {
    match ty {
        "bool" => ("`true` or `false`", "`true` or `false`"),
        "f32" | "f64" => ("a number", "digits only, such as `2.5`"),
        _ => ("a whole number", "digits only, such as `15`"),
    }
}

/// A shape or type as the YAML library or serde names it (`a sequence`, `string "x"`,
/// `struct OfficeRecord`), said in words.
fn shape_words(said: &str) -> String {
    let said = said.trim();
    let lower = said.to_lowercase();
    let word = lower.trim_start_matches("a ").trim_start_matches("an ");
    if word.starts_with("string") || word.starts_with("str") || word.contains("string") {
        if let Some(value) = said.split_once('"').map(|(_, v)| v.trim_end_matches('"')) {
            return format!("the text `{value}`");
        }
        return "text".into();
    }
    if word.starts_with("sequence") || word.starts_with("seq") || word.contains("sequence") {
        return "a list (one item per line, each starting with `- `)".into();
    }
    if word.starts_with("map") || word.starts_with("struct") || word.contains("mapping") {
        return "keys with values, on the lines below it".into();
    }
    if word.starts_with("bool") {
        return "`true` or `false`".into();
    }
    if word.starts_with("integer") || word.starts_with("i64") || word.starts_with("u") {
        return "a whole number".into();
    }
    if word.starts_with("float") || word.starts_with("f64") {
        return "a number".into();
    }
    if word.starts_with("unit") || word.starts_with("null") || word.starts_with("option") {
        return "empty".into();
    }
    if word.starts_with("enum") {
        return "one of the allowed words".into();
    }
    "another kind of value".into()
}

/// The error for a value of the wrong shape: `summary:` holding a list, `sources:` text.
fn wrong_shape(
    text: &Text,
    at: Pos,
    len: usize,
    key_words: &str,
    wanted: &str,
    found: Option<&str>,
) -> Diagnostic {
    let short = wanted.split(" (").next().unwrap_or(wanted);
    let message = match found {
        Some(found) => format!("{key_words} must be {wanted}, not {found}"),
        None => format!("{key_words} must be {wanted}"),
    };
    let hint = if wanted == "text" {
        "write the text after the `:`; put text that starts with `[`, `{`, `*`, `&` or `-`, or \
         that holds `: `, in double quotes"
            .to_string()
    } else if wanted.starts_with("a list") {
        format!("write each item on its own line below {key_words}, indented, starting with `- `")
    } else {
        format!("write {wanted} here")
    };
    Diagnostic::at(text.at(at, len), message)
        .with_label(format!("{short} is needed here"))
        .with_hint(hint)
}

/// The error for a record without a required key: at the record's first line, naming its id.
fn missing_key(text: &Text, outline: &Outline, at: Pos, field: &str) -> Diagnostic {
    let Some(index) = outline.record_at(at) else {
        return Diagnostic::at(text.at(at, 1), format!("`{field}:` is missing here"))
            .with_hint(format!("add `{field}:` and its value"));
    };
    let name = record_name(text, outline, index);
    let node = &outline.nodes[index];
    let (place, len) = match outline.id_of(index) {
        Some((id, place)) => (place, id.chars().count()),
        None => (
            node.keys.first().map_or(node.start, |(_, p)| *p),
            node.keys.first().map_or(1, |(k, _)| k.chars().count()),
        ),
    };
    let first_key = node
        .keys
        .first()
        .map_or(String::new(), |(k, _)| format!(", lined up with `{k}:`"));
    Diagnostic::at(
        text.at(place, len),
        format!("`{field}:` is missing from {name}"),
    )
    .with_label(format!("`{field}:` is needed in this record"))
    .with_hint(format!("add a line `{field}: …` to this record{first_key}"))
}

/// The error for a key written twice in a record; when the second is the record's first key
/// at the same indentation, the `- ` of a new record is missing.
fn duplicate_key(
    text: &Text,
    lines: &[&str],
    outline: &Outline,
    at: Pos,
    key: Option<&str>,
) -> Diagnostic {
    let line_text = lines.get(at.0 - 1).copied().unwrap_or("");
    let key = key
        .map(str::to_string)
        .or_else(|| key_of(line_text).map(|(k, _)| k.to_string()))
        .unwrap_or_default();
    let record = outline.record_at(at);
    let first = record.and_then(|i| {
        outline.nodes[i]
            .keys
            .iter()
            .enumerate()
            .find(|(_, (k, p))| *k == key && *p != at)
            .map(|(n, (_, p))| (n, *p))
    });
    if let (Some(index), Some((0, first_at))) = (record, first) {
        if first_at.1 == at.1 && first_at.0 < at.0 {
            let name = record_name(text, outline, index);
            let dash_line = (1..=first_at.0)
                .rev()
                .find(|n| {
                    lines
                        .get(n - 1)
                        .is_some_and(|l| l.trim_start().starts_with("- "))
                })
                .unwrap_or(first_at.0);
            let mut diagnostic = missing_dash(text, at.0, at.1, &key, dash_line);
            let written = line_text.trim();
            diagnostic.hint = Some(format!(
                "write this line as `- {written}`, like line {}; without the `- `, YAML reads \
                 these lines as more keys of {name}",
                text.file_line(dash_line)
            ));
            return diagnostic;
        }
    }
    let name = record.map_or("this record".to_string(), |i| record_name(text, outline, i));
    let hint = match first {
        Some((_, first_at)) => format!(
            "the first `{key}:` is on line {}; keep one of them",
            text.file_line(first_at.0)
        ),
        None => "keep one of them".to_string(),
    };
    Diagnostic::at(
        text.at(at, key.chars().count().max(1)),
        format!("`{key}:` is written twice in {name}"),
    )
    .with_label("a second time")
    .with_hint(hint)
}
