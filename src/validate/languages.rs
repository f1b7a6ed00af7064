//! `language:` and `languages:` of `content/site.yaml`: each a language code, each once, the
//! default first.

use crate::diagnostic::{Diagnostic, Diagnostics, SourceFile};
use crate::load::at;
use crate::load::schema::Spanned;

/// True for a primary language subtag of BCP 47 as the site takes it: two or three
/// lowercase letters (`en`, `es`, `fil`).
pub fn is_language_code(code: &str) -> bool {
    (2..=3).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_lowercase())
}

/// Checks `languages:` of `file` (`content/site.yaml`): every entry is a language code and
/// is listed once, and the first is the default language (`language:`, else `en`).
pub(super) fn check_languages(
    file: &SourceFile,
    language: Option<&Spanned<String>>,
    languages: Option<&Spanned<Vec<Spanned<String>>>>,
    diagnostics: &mut Diagnostics,
) {
    let Some(languages) = languages else {
        return;
    };
    let place = |value: &Spanned<String>| at(file, &value.referenced, value.value.chars().count());
    let hint = "write the two- or three-letter code of the language (BCP 47), such as `en`, \
                `es` or `fil`";
    let mut seen: Vec<&str> = Vec::new();
    for code in &languages.value {
        if !is_language_code(&code.value) {
            diagnostics.push(
                Diagnostic::at(
                    place(code),
                    format!("`{}` is not a language code", code.value),
                )
                .with_label("in `languages:`")
                .with_hint(hint),
            );
        } else if seen.contains(&code.value.as_str()) {
            diagnostics.push(
                Diagnostic::at(place(code), format!("`{}` is listed twice", code.value))
                    .with_label("again here")
                    .with_hint("list each language once"),
            );
        }
        seen.push(&code.value);
    }
    if let Some(language) = language.filter(|l| !is_language_code(&l.value)) {
        diagnostics.push(
            Diagnostic::at(
                place(language),
                format!("`{}` is not a language code", language.value),
            )
            .with_label("the default language")
            .with_hint(hint),
        );
    }
    check_default_first(file, language, languages, diagnostics);
}

/// Checks that the default language is the first of `languages`.
fn check_default_first(
    file: &SourceFile,
    language: Option<&Spanned<String>>,
    languages: &Spanned<Vec<Spanned<String>>>,
    diagnostics: &mut Diagnostics,
) {
    let default = language.map_or("en", |l| l.value.as_str());
    let first = languages.value.first();
    if first.is_some_and(|f| f.value == default) {
        return;
    }
    let named = match language {
        Some(_) => format!("`{default}`, the default language (`language:`)"),
        None => format!("`{default}`, the default language (`language:` is not set)"),
    };
    let listed = languages.value.iter().any(|l| l.value == default);
    let (message, location) = match first {
        Some(first) if listed => (
            format!("`languages:` must start with {named}"),
            at(file, &first.referenced, first.value.chars().count()),
        ),
        _ => (
            format!("`languages:` does not list {named}"),
            at(file, &languages.referenced, 1),
        ),
    };
    diagnostics.push(
        Diagnostic::at(location, message)
            .with_label("here")
            .with_hint(format!(
                "list the default language first, then the others: `languages: [{default}, …]`; \
                 its pages keep their addresses, the others' are under `<code>/`"
            )),
    );
}
