//! The words of the templates: casepath's Tera filters and functions, with `t` over the
//! string table ([`crate::strings`]), and the check that every key a template writes out is
//! in the table.

use tera::{Tera, Value};

use super::notes;
use crate::diagnostic::{Diagnostic, Diagnostics, Location};
use crate::load::Theme;
use crate::strings::Strings;

/// A Tera with casepath's filters and functions: `note`, `json` and `t` over `strings`.
pub(super) fn tera_with(strings: &Strings) -> Tera {
    let mut tera = Tera::default();
    tera.register_filter("note", notes::note_filter);
    tera.register_filter("json", |value: Value, _: tera::Kwargs, _: &tera::State| {
        sorted_json(&value)
    });
    tera.register_function("t", strings.tera_function());
    tera
}

/// A template value as JSON, for a script to read from an attribute (the `json` filter),
/// with the keys of every map sorted: the same value always gives the same text.
fn sorted_json(value: &Value) -> String {
    if let Some(map) = value.as_map() {
        let mut entries: Vec<(String, &Value)> =
            map.iter().map(|(k, v)| (k.to_string(), v)).collect();
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        let inner: Vec<String> = entries
            .iter()
            .map(|(k, v)| {
                let key = serde_json::to_string(k).unwrap_or_default();
                format!("{key}:{}", sorted_json(v))
            })
            .collect();
        return format!("{{{}}}", inner.join(","));
    }
    if let Some(items) = value.as_array() {
        let inner: Vec<String> = items.iter().map(sorted_json).collect();
        return format!("[{}]", inner.join(","));
    }
    serde_json::to_string(value).unwrap_or_else(|_| "null".to_string())
}

/// Reports each key of the string table that a template of `theme` writes out
/// (`t(key="…")`) and `strings` does not hold, at its line and column in the template, with
/// the nearest key: found before any page renders, even in a branch no page reaches.
pub(super) fn check_keys(theme: &Theme, strings: &Strings, diagnostics: &mut Diagnostics) {
    for (_, file) in &theme.templates {
        for (offset, key) in crate::strings::template_keys(&file.text) {
            if strings.contains(key) || strings.has_group(key) {
                continue;
            }
            let location = Location::at_offset(file, offset, key.chars().count());
            diagnostics.push(
                Diagnostic::at(location, format!("the string table has no `{key}`"))
                    .with_label("no text has this key")
                    .with_hint(crate::strings::missing_key_hint(strings, key)),
            );
        }
    }
}
