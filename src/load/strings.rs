//! Reading the string table ([`crate::strings`]) from its layers, each overriding the one
//! before:
//!
//! 1. `strings.yaml` of the default theme built into the binary, which holds every key the
//!    engine and the default templates name;
//! 2. `strings.<language>.yaml` of the built-in theme, for the guide's `language:`;
//! 3. the theme's own `strings.yaml` and 4. its `strings.<language>.yaml`, which may also add
//!    keys of their own for their templates;
//! 5. `strings:` in `content/site.yaml`, where a guide puts its own words: only keys of the
//!    layers above, so a misspelt key is an error rather than a word that never shows.
//!
//! A string file is a YAML map of texts and groups of texts (`titles: {paths: …}`); a key
//! may also be written dotted (`titles.paths: …`). Every scalar is text as written: `no` stays
//! the word "no". Syntax errors are reported like those of the data files; a list, an alias,
//! a text where the table has a group (or the reverse) and an unknown key of `site.yaml`
//! are errors at their line and column.

use std::collections::BTreeMap;
use std::path::Path;

use serde_saphyr::granit_parser::{Event, Parser, Span};

use crate::diagnostic::{Diagnostic, Diagnostics, Location, SourceFile};
use crate::strings::Strings;

use super::files::{read_text, read_text_within};
use super::yaml::decode_text;
use super::Theme;

/// The name of a theme's string file, and of its file for `language`.
pub fn file_name(language: Option<&str>) -> String {
    match language {
        Some(language) => format!("strings.{language}.yaml"),
        None => "strings.yaml".to_string(),
    }
}

/// The string files at the top of the theme folder `theme_dir` (`strings.yaml`,
/// `strings.es.yaml`), by name. With `within`, each must lie inside it (see
/// [`super::load`]).
pub(super) fn theme_files(
    root: &Path,
    theme_dir: &Path,
    within: Option<&Path>,
    diagnostics: &mut Diagnostics,
) -> Vec<(String, SourceFile)> {
    let mut names: Vec<String> = std::fs::read_dir(theme_dir)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .filter(|n| n.starts_with("strings.") && n.ends_with(".yaml"))
        .collect();
    names.sort();
    let mut files = Vec::new();
    for name in names {
        let path = theme_dir.join(&name);
        let file = match within {
            Some(within) => read_text_within(root, &path, within, diagnostics),
            None => read_text(root, &path, diagnostics),
        };
        if let Some(file) = file {
            files.push((name, file));
        }
    }
    files
}

/// The string files of the default theme built into the binary, alone: the first layers of
/// every guide's string table.
pub fn embedded() -> Theme {
    let mut theme = Theme::default();
    for (path, bytes) in super::theme::embedded::FILES {
        if path.starts_with("strings.") && path.ends_with(".yaml") && !path.contains('/') {
            let text = String::from_utf8_lossy(bytes).into_owned();
            let file = SourceFile::new(format!("(built-in theme) {path}"), text);
            theme.strings.push((path.to_string(), file));
        }
    }
    theme
}

/// One text or group of a string file, with where its key is written.
struct Entry {
    /// The full dotted key.
    key: String,
    /// The text; `None` for a group.
    text: Option<String>,
    /// The key in the file.
    location: Location,
}

/// The string table of a guide: the built-in layers, the theme's (`theme`, unless it is the
/// built-in theme itself) and the `strings:` of `site_files` (`content/site.yaml`, then
/// `content/site.<language>.yaml` for a table of another language). Problems go to
/// `diagnostics`; what could be read is still used.
pub fn string_table(
    builtin: &Theme,
    theme: Option<&Theme>,
    site_files: &[&SourceFile],
    language: Option<&str>,
    diagnostics: &mut Diagnostics,
) -> Strings {
    let paths = |t: &Theme| {
        t.strings
            .iter()
            .map(|(_, f)| f.path.clone())
            .collect::<Vec<_>>()
    };
    let theme = theme.filter(|t| paths(t) != paths(builtin));
    let mut texts: BTreeMap<String, String> = BTreeMap::new();
    let mut languages = vec![None];
    languages.extend(language.filter(|l| !l.is_empty()).map(Some));
    let themes = std::iter::once(builtin).chain(theme);
    for (i, theme) in themes.enumerate() {
        for &language in &languages {
            let name = file_name(language);
            let Some((_, file)) = theme.strings.iter().find(|(n, _)| *n == name) else {
                continue;
            };
            let entries = entries(file, None, diagnostics);
            let first = i == 0 && language.is_none();
            merge(&mut texts, entries, first, false, diagnostics);
        }
    }
    for file in site_files {
        let entries = entries(file, Some("strings"), diagnostics);
        merge(&mut texts, entries, false, true, diagnostics);
    }
    Strings::new(texts)
}

/// Lays `entries` over `texts`. A layer may not turn a group into a text or the reverse; the
/// guide's layer (`known_only`) may only set keys the table has.
fn merge(
    texts: &mut BTreeMap<String, String>,
    entries: Vec<Entry>,
    first: bool,
    known_only: bool,
    diagnostics: &mut Diagnostics,
) {
    let is_group = |texts: &BTreeMap<String, String>, key: &str| {
        let prefix = format!("{key}.");
        texts
            .range(prefix.clone()..)
            .next()
            .is_some_and(|(k, _)| k.starts_with(&prefix))
    };
    for entry in entries {
        let key = entry.key.as_str();
        if first {
            if let Some(text) = entry.text {
                texts.insert(entry.key, text);
            }
            continue;
        }
        let problem = match &entry.text {
            None if texts.contains_key(key) => Some(
                Diagnostic::at(
                    entry.location,
                    format!("`{key}` is a text, not a group of texts"),
                )
                .with_label("a group here")
                .with_hint(format!("write the text itself: `{key}: …`")),
            ),
            Some(_) if is_group(texts, key) => {
                let inner: Vec<String> = texts
                    .keys()
                    .filter_map(|k| k.strip_prefix(&format!("{key}.")))
                    .take(4)
                    .map(|k| format!("`{k}`"))
                    .collect();
                Some(
                    Diagnostic::at(
                        entry.location,
                        format!("`{key}` is a group of texts, not one text"),
                    )
                    .with_label("one text here")
                    .with_hint(format!(
                        "write the texts of the group under it: {}",
                        inner.join(", ")
                    )),
                )
            }
            Some(_) if known_only && !texts.contains_key(key) => {
                let known: Vec<&str> = texts.keys().map(String::as_str).collect();
                let hint = match crate::diagnostic::nearest(key, &known) {
                    Some(near) => format!("did you mean `{near}`?"),
                    None => "the keys are those of the theme's strings.yaml \
                             (themes/default/strings.yaml for the default theme)"
                        .to_string(),
                };
                Some(
                    Diagnostic::at(
                        entry.location,
                        format!("the theme's string table has no `{key}`"),
                    )
                    .with_label("no text of the theme has this key")
                    .with_hint(hint),
                )
            }
            _ => None,
        };
        match problem {
            Some(problem) => diagnostics.push(problem),
            None => {
                if let Some(text) = entry.text {
                    texts.insert(entry.key, text);
                }
            }
        }
    }
}

/// The texts and groups of a string file, or of its key `under` (`strings` of `site.yaml`).
/// Syntax errors and values that are neither text nor a group go to `diagnostics`.
fn entries(file: &SourceFile, under: Option<&str>, diagnostics: &mut Diagnostics) -> Vec<Entry> {
    // The same decoding as every other YAML file first, for the same syntax errors; those
    // of `site.yaml` (`under`) are reported by its own decoding already.
    let mut found = Diagnostics::new();
    if decode_text::<serde::de::IgnoredAny>(file, &file.text, 0, &mut found).is_none() {
        if under.is_none() {
            diagnostics.extend(found);
        }
        return Vec::new();
    }
    let mut walk = Walk {
        file,
        events: Parser::new_from_str(&file.text)
            .filter_map(Result::ok)
            .filter(|(event, _)| {
                matches!(
                    event,
                    Event::Scalar(..)
                        | Event::Alias(_)
                        | Event::MappingStart(..)
                        | Event::MappingEnd
                        | Event::SequenceStart(..)
                        | Event::SequenceEnd
                )
            })
            .collect::<Vec<_>>()
            .into_iter()
            .peekable(),
        out: Vec::new(),
        diagnostics,
    };
    if let Some((Event::MappingStart(..), _)) = walk.events.next() {
        match under {
            None => walk.map(""),
            Some(wanted) => walk.find(wanted),
        }
    }
    walk.out
}

/// The walk through the events of a string file.
struct Walk<'a, 'd, I: Iterator<Item = (Event<'a>, Span)>> {
    file: &'a SourceFile,
    events: std::iter::Peekable<I>,
    out: Vec<Entry>,
    diagnostics: &'d mut Diagnostics,
}

impl<'a, I: Iterator<Item = (Event<'a>, Span)>> Walk<'a, '_, I> {
    /// The location of an event of `len` characters.
    fn at(&self, span: &Span, len: usize) -> Location {
        Location::new(
            self.file,
            span.start.line(),
            span.start.col() + 1,
            len.max(1),
        )
    }

    /// In the top map, walks the value of key `wanted` and skips the others.
    fn find(&mut self, wanted: &str) {
        while let Some((event, _)) = self.events.next() {
            match event {
                Event::MappingEnd => return,
                Event::Scalar(key, ..) if key == wanted => match self.events.next() {
                    Some((Event::MappingStart(..), _)) => self.map(""),
                    Some((other, _)) => self.skip(&other),
                    None => return,
                },
                other => {
                    self.skip(&other);
                    if let Some((value, _)) = self.events.next() {
                        self.skip(&value);
                    }
                }
            }
        }
    }

    /// Walks a map whose keys go under `prefix`, up to its end.
    fn map(&mut self, prefix: &str) {
        while let Some((event, span)) = self.events.next() {
            let key = match event {
                Event::MappingEnd => return,
                Event::Scalar(key, ..) => key,
                other => {
                    self.problem(&span, 1, "a key of a string table is a word", "not a word");
                    self.skip(&other);
                    if let Some((value, _)) = self.events.next() {
                        self.skip(&value);
                    }
                    continue;
                }
            };
            let full = if prefix.is_empty() {
                key.to_string()
            } else {
                format!("{prefix}.{key}")
            };
            let location = self.at(&span, key.chars().count());
            let Some((value, value_span)) = self.events.next() else {
                return;
            };
            match value {
                Event::Scalar(text, ..) => self.out.push(Entry {
                    key: full,
                    text: Some(text.into_owned()),
                    location,
                }),
                Event::MappingStart(..) => {
                    self.out.push(Entry {
                        key: full.clone(),
                        text: None,
                        location,
                    });
                    self.map(&full);
                }
                Event::SequenceStart(..) => {
                    self.problem(
                        &value_span,
                        1,
                        &format!("`{full}` is a list; a string table holds texts"),
                        "a list",
                    );
                    self.skip(&value);
                }
                _ => self.problem(
                    &value_span,
                    1,
                    &format!("`{full}` refers to another value; a string table holds texts"),
                    "an alias",
                ),
            }
        }
    }

    /// Skips the rest of the value that `first` starts.
    fn skip(&mut self, first: &Event<'a>) {
        let mut depth = match first {
            Event::MappingStart(..) | Event::SequenceStart(..) => 1,
            _ => 0,
        };
        while depth > 0 {
            match self.events.next() {
                Some((Event::MappingStart(..) | Event::SequenceStart(..), _)) => depth += 1,
                Some((Event::MappingEnd | Event::SequenceEnd, _)) => depth -= 1,
                Some(_) => {}
                None => return,
            }
        }
    }

    fn problem(&mut self, span: &Span, len: usize, message: &str, label: &str) {
        let location = self.at(span, len);
        self.diagnostics.push(
            Diagnostic::at(location, message)
                .with_label(label)
                .with_hint("write each text as `key: the words`, or a group of them under a key"),
        );
    }
}
