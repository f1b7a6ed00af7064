//! The source texts and the citations of them: each source record's part of its file is
//! found and cut into a [`SourceSlice`], and each citation names a known source and, when it
//! quotes, words that the slice really holds.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use crate::diagnostic::{Diagnostic, Diagnostics, SourceFile};
use crate::load::schema::{SourceRecord, Spanned};
use crate::load::{at, Content, DataFile};

use super::references::unknown_reference;
use super::sourced::{for_each_sourced, Sourced};

/// The part of a source file a source record covers.
#[derive(Debug, Clone)]
pub struct SourceSlice {
    /// The exact text of the part.
    pub text: String,
    /// The 1-based line of the file the part starts on.
    pub first_line: usize,
    /// The text with whitespace collapsed and `*` removed, for quote checks.
    pub normalized: String,
    /// For each line of the text, the byte offset in `normalized` where it starts.
    line_starts: Vec<usize>,
    /// Quotes already looked up, with their lines: the same quote is cited by every
    /// policy version that states the fact.
    found: Arc<Mutex<HashMap<String, Option<usize>>>>,
}

impl SourceSlice {
    /// Cuts a slice from the text of a part of a file that starts at `first_line`.
    pub fn new(text: String, first_line: usize) -> Self {
        let mut normalized = String::with_capacity(text.len());
        let mut line_starts = Vec::new();
        for line in text.split('\n') {
            line_starts.push(normalized.len() + usize::from(!normalized.is_empty()));
            let words = normalize_quote(line);
            if !words.is_empty() {
                if !normalized.is_empty() {
                    normalized.push(' ');
                }
                normalized.push_str(&words);
            }
        }
        SourceSlice {
            text,
            first_line,
            normalized,
            line_starts,
            found: Arc::default(),
        }
    }

    /// The file line on which `quote` starts, if the slice contains it.
    pub fn line_of(&self, quote: &str) -> Option<usize> {
        let mut found = self.found.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(line) = found.get(quote) {
            return *line;
        }
        let line = self.find_line(quote);
        found.insert(quote.to_string(), line);
        line
    }

    fn find_line(&self, quote: &str) -> Option<usize> {
        let needle = normalize_quote(quote);
        let at = memchr::memmem::find(self.normalized.as_bytes(), needle.as_bytes())?;
        let index = self.line_starts.partition_point(|&start| start <= at);
        Some(self.first_line + index.saturating_sub(1))
    }
}

/// Collapses whitespace and removes Markdown `*` so quotes match across line breaks.
pub fn normalize_quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().filter(|c| *c != '*'));
    }
    out
}

/// Checks that each source record's file exists and its start/end lines are found, and
/// cuts the slices.
pub(super) fn check_sources(
    content: &Content,
    diagnostics: &mut Diagnostics,
) -> BTreeMap<String, SourceSlice> {
    let data = &content.sources;
    let mut slices = BTreeMap::new();
    for record in &data.records {
        let file_name = &record.file;
        let Some(document) = content.documents.get(&file_name.value) else {
            if content.failed_documents.contains(&file_name.value) {
                continue; // Reported once, as a file that could not be read.
            }
            diagnostics.push(unknown_reference(
                data.at(&file_name.referenced, file_name.value.chars().count()),
                "file in content/sources/",
                &file_name.value,
                content.documents.keys().map(String::as_str),
            ));
            continue;
        };
        let lines: Vec<&str> = document.text.split_inclusive('\n').collect();
        let find = |marker: &Spanned<String>, from: usize| {
            lines
                .iter()
                .skip(from)
                .position(|l| l.trim_end_matches(['\n', '\r']).trim() == marker.value.trim())
                .map(|i| i + from)
        };
        let start = match &record.starts_at_line {
            Some(marker) => find(marker, 0).or_else(|| {
                diagnostics.push(marker_not_found(data, marker, &file_name.value));
                None
            }),
            None => Some(0),
        };
        let Some(start) = start else { continue };
        let end = match &record.ends_before_line {
            Some(marker) => find(marker, start + 1).or_else(|| {
                diagnostics.push(marker_not_found(data, marker, &file_name.value));
                None
            }),
            None => Some(lines.len()),
        };
        let Some(end) = end else { continue };
        let text: String = lines[start..end].concat();
        slices.insert(record.id.value.clone(), SourceSlice::new(text, start + 1));
    }
    slices
}

/// The error for a `starts_at_line` or `ends_before_line` that the file does not have.
fn marker_not_found(
    data: &DataFile<SourceRecord>,
    marker: &Spanned<String>,
    file: &str,
) -> Diagnostic {
    Diagnostic::at(
        data.at(&marker.referenced, marker.value.chars().count()),
        format!("line `{}` not found in {}", marker.value, file),
    )
    .with_label("no line of the source is exactly this")
    .with_hint("copy a whole line of the source file, without its line break")
}

/// Checks the citations of every record, part and parameter against the known sources
/// and their texts (`slices`).
pub(super) fn check_citations(
    content: &Content,
    slices: &BTreeMap<String, SourceSlice>,
    diagnostics: &mut Diagnostics,
) {
    let citations = Citations {
        slices,
        ids: content.sources.ids(|r| &r.id),
        sources_failed: content.failed("sources.yaml"),
    };
    for_each_sourced(content, |file, item| {
        citations.check(file, item, diagnostics)
    });
}

/// Checks citations against the known sources and their texts.
struct Citations<'a> {
    slices: &'a BTreeMap<String, SourceSlice>,
    ids: Vec<&'a str>,
    /// When `sources.yaml` failed to load, unknown sources are not reported again.
    sources_failed: bool,
}

impl Citations<'_> {
    /// Checks the citations of one record, part or parameter.
    fn check(&self, file: &SourceFile, item: Sourced<'_>, diagnostics: &mut Diagnostics) {
        if item.sources.is_empty() {
            diagnostics.push(
                Diagnostic::at(
                    at(file, item.at, item.len),
                    format!("{} has no source", item.what),
                )
                .with_label("no `sources:` for this")
                .with_hint(
                    "every fact names the document it comes from: add `sources:` with \
                     `- source: <id>` and a `quote:` from that document",
                ),
            );
        }
        for citation in item.sources {
            let id = &citation.source;
            let Some(slice) = self.slices.get(&id.value) else {
                if !self.sources_failed && !self.ids.contains(&id.value.as_str()) {
                    diagnostics.push(unknown_reference(
                        at(file, &id.referenced, id.value.chars().count()),
                        "source",
                        &id.value,
                        self.ids.iter().copied(),
                    ));
                }
                continue;
            };
            if let Some(quote) = &citation.quote {
                check_quote(file, &id.value, quote, slice, diagnostics);
            }
        }
    }
}

/// Checks a quote from the source `source`: it has words, enough of them to show that the
/// source says this (a warning otherwise), and the source's text (`slice`) holds them.
fn check_quote(
    file: &SourceFile,
    source: &str,
    quote: &Spanned<String>,
    slice: &SourceSlice,
    diagnostics: &mut Diagnostics,
) {
    let quote_at = || at(file, &quote.referenced, quote.value.chars().count());
    let words = quote.value.split_whitespace().count();
    if words == 0 {
        diagnostics.push(
            Diagnostic::at(
                at(file, &quote.referenced, 2),
                format!("this quote from `{source}` is empty"),
            )
            .with_label("no words quoted")
            .with_hint("copy the words of the source that state this, or remove the `quote:` line"),
        );
        return;
    }
    if words < MIN_QUOTE_WORDS {
        diagnostics.push(
            Diagnostic::warning_at(
                quote_at(),
                format!(
                    "this quote from `{source}` is only {words} word{} long",
                    if words == 1 { "" } else { "s" }
                ),
            )
            .with_label("too short to show that the source says this")
            .with_hint(format!(
                "quote at least {MIN_QUOTE_WORDS} words: the phrase or sentence of the source \
                 that states it, so a reader can find it there"
            )),
        );
    }
    if slice.line_of(&quote.value).is_none() {
        diagnostics.push(
            Diagnostic::at(quote_at(), format!("quote not found in source `{source}`"))
                .with_label("these words are not in the source text")
                .with_hint(
                    "copy the words exactly from the source (spaces, line breaks and `*` do \
                     not matter; punctuation and spelling do)",
                ),
        );
    }
}

/// The fewest words a quote should have; a shorter one is a warning.
pub const MIN_QUOTE_WORDS: usize = 3;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_are_found_on_their_first_line() {
        let slice = SourceSlice::new(
            "Title\n\nStep 1: call.\nStep 2: wait **15 days**\nthen email.\n".into(),
            10,
        );
        assert_eq!(slice.line_of("Title"), Some(10));
        assert_eq!(slice.line_of("Step 1: call."), Some(12));
        assert_eq!(slice.line_of("wait 15 days then email."), Some(13));
        assert_eq!(slice.line_of("then email"), Some(14));
        assert_eq!(slice.line_of("Step 3"), None);
    }
}
