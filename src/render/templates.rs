//! The theme's templates, parsed once into a Tera with casepath's filters and functions:
//! `t` over the string table ([`crate::strings`]), `note` and `json`; and the check that
//! every key a template writes out is in the table.

use tera::{ErrorKind, Tera, Value};

use super::notes;
use super::template_errors::{self, template_diagnostic};
use crate::diagnostic::{Diagnostic, Diagnostics, Location};
use crate::load::Theme;
use crate::strings::Strings;

/// The templates every theme must have.
pub const REQUIRED_TEMPLATES: [&str; 20] = [
    "home.html",
    "office.html",
    "channel.html",
    "path.html",
    "source.html",
    "page.html",
    "offices.html",
    "channels.html",
    "paths.html",
    "sources.html",
    "versions.html",
    "404.html",
    "version.html",
    "diff.html",
    "search.html",
    "folder.html",
    "flowchart.html",
    "flowchart_node.html",
    "handout.html",
    "handouts.html",
];

/// Parses the theme's templates; reports syntax errors, and the keys of the string table
/// (`strings`) that a template names and the table does not hold, at their line and column.
pub fn templates(theme: &Theme, strings: &Strings) -> Result<Tera, Diagnostics> {
    let mut tera = tera_with(strings);
    let mut diagnostics = Diagnostics::new();
    // Components and base templates must be parsed together, so add all at once; on a
    // syntax error, add them one by one to find every broken file.
    let all: Vec<(&str, &str)> = theme
        .templates
        .iter()
        .map(|(name, file)| (name.as_str(), &*file.text))
        .collect();
    if let Err(error) = tera.add_raw_templates(all.clone()) {
        let mut found = false;
        for (name, text) in &all {
            let mut single = tera_with(strings);
            if let Err(error) = single.add_raw_template(name, text) {
                if matches!(error.kind(), ErrorKind::SyntaxError(_)) {
                    diagnostics.push(template_diagnostic(&error, theme, None));
                    found = true;
                }
            }
        }
        if !found {
            let reports = match error.kind() {
                ErrorKind::Msg(message) => template_errors::from_reports(message, theme),
                _ => Vec::new(),
            };
            if reports.is_empty() {
                diagnostics.push(template_diagnostic(&error, theme, None));
            }
            reports.into_iter().for_each(|d| diagnostics.push(d));
        }
        return Err(diagnostics);
    }
    check_keys(theme, strings, &mut diagnostics);
    for name in REQUIRED_TEMPLATES {
        if !tera.contains_template(name) {
            diagnostics.push(
                Diagnostic::new(format!("the theme has no template `{name}`"))
                    .with_hint("copy it from themes/default/templates/ or create it"),
            );
        }
    }
    diagnostics.into_result(tera)
}

/// The templates of `tera` with the `t` function over `strings`: those of another
/// language, parsed once.
pub fn with_strings(tera: &Tera, strings: &Strings) -> Tera {
    let mut tera = tera.clone();
    tera.register_function("t", strings.tera_function());
    tera
}

/// A Tera with casepath's filters and functions: `note`, `json` and `t` over `strings`.
fn tera_with(strings: &Strings) -> Tera {
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
fn check_keys(theme: &Theme, strings: &Strings, diagnostics: &mut Diagnostics) {
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
