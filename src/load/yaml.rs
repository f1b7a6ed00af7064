//! Decoding YAML: a data file, `site.yaml` or a page's front matter into the types of
//! [`super::schema`], under limits that bound the time and memory any text can take
//! ([`MAX_YAML_BYTES`], [`yaml_options`]), refusing NUL characters, and with every error
//! explained at its line and column (by [`super::explain`]). A [`DecodeMemo`] keeps what
//! decoded between loads.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use serde::de::DeserializeOwned;

use super::data::item_of;
use super::explain;
use crate::diagnostic::{Diagnostic, Diagnostics, Location, SourceFile};

/// Decodes the whole text of `file` (a data file such as `offices.yaml`, as `Vec` of its
/// records, or `site.yaml`) under the same limits and with the same diagnostics as [`super::load`],
/// without touching the disk: the entry point of the fuzz targets. `None` when it does not
/// decode; the problems are in `diagnostics`. (`load` refuses a blank data file without
/// decoding it.)
pub fn parse_yaml<T: DeserializeOwned + Clone + Send + 'static>(
    file: &SourceFile,
    diagnostics: &mut Diagnostics,
) -> Option<T> {
    decode_text(file, &file.text, 0, diagnostics)
}

/// A text that decoded, and its value.
type Decoded = (String, Box<dyn Any + Send>);

/// What decoding YAML keeps from one load to the next, so that `casepath serve`, which loads
/// every file again on each save, decodes only the files that changed: for each type and
/// file, the last text that decoded and its value. Only the last text of each file is kept,
/// so saving one file many times costs one copy of it, not one per version. It lives in the
/// [`crate::Cache`] that `serve` holds; one made with `Default` keeps nothing, as a run that
/// loads the site once needs.
#[derive(Default)]
pub struct DecodeMemo {
    /// Whether decoded values are kept ([`DecodeMemo::kept`]).
    keep: bool,
    /// For each type and file, the last text that decoded and its value.
    values: Mutex<HashMap<(TypeId, String), Decoded>>,
    /// How many texts a kept memo has decoded rather than answered from memory.
    decodes: AtomicUsize,
}

impl std::fmt::Debug for DecodeMemo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DecodeMemo")
            .field("keep", &self.keep)
            .field("files", &self.len())
            .field("decodes", &self.decodes())
            .finish()
    }
}

impl DecodeMemo {
    /// The most files the memo holds; past it the memo starts again. Enough for every file
    /// of a large guide.
    const SIZE: usize = 4096;

    /// A memo that keeps what each load decoded for the next.
    pub fn kept() -> Self {
        DecodeMemo {
            keep: true,
            ..DecodeMemo::default()
        }
    }

    /// How many decoded texts the memo holds (one per type and file).
    pub fn len(&self) -> usize {
        self.values.lock().map_or(0, |values| values.len())
    }

    /// True when the memo holds nothing.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// How many texts a kept memo has decoded since it was made; the others it was asked
    /// for it answered from memory.
    pub fn decodes(&self) -> usize {
        self.decodes.load(Ordering::Relaxed)
    }

    /// Decodes YAML text that starts `line_offset` lines into `file`, as [`decode_text`]
    /// does. A text this memo holds for the same type and file is not decoded again; a kept
    /// memo remembers what decoded without error.
    pub(super) fn decode<T: DeserializeOwned + Clone + Send + 'static>(
        &self,
        file: &SourceFile,
        yaml: &str,
        line_offset: usize,
        diagnostics: &mut Diagnostics,
    ) -> Option<T> {
        if !self.keep {
            return decode_text(file, yaml, line_offset, diagnostics);
        }
        let key = (TypeId::of::<T>(), file.path.clone());
        let remembered = self.values.lock().ok().and_then(|values| {
            let (text, value) = values.get(&key)?;
            if text != yaml {
                return None;
            }
            value.downcast_ref::<T>().cloned()
        });
        if remembered.is_some() {
            return remembered;
        }
        self.decodes.fetch_add(1, Ordering::Relaxed);
        let value = decode_text::<T>(file, yaml, line_offset, diagnostics)?;
        if let Ok(mut values) = self.values.lock() {
            if values.len() >= Self::SIZE && !values.contains_key(&key) {
                values.clear();
            }
            values.insert(key, (yaml.to_string(), Box::new(value.clone())));
        }
        Some(value)
    }
}

/// Decodes YAML text, reporting what is wrong at its place in `file`.
pub(super) fn decode_text<T: DeserializeOwned>(
    file: &SourceFile,
    yaml: &str,
    line_offset: usize,
    diagnostics: &mut Diagnostics,
) -> Option<T> {
    if yaml.len() > MAX_YAML_BYTES {
        diagnostics.push(
            Diagnostic::new(format!(
                "{} is too large to read: {} bytes of YAML, and the limit is {} bytes (8 MiB)",
                file.path,
                yaml.len(),
                MAX_YAML_BYTES
            ))
            .with_hint("split the data, or remove what the guide does not need"),
        );
        return None;
    }
    match serde_saphyr::from_str_with_options::<T>(yaml, yaml_options()) {
        Ok(_) if !nul_free(file, yaml, line_offset, diagnostics) => None,
        Ok(value) => Some(value),
        Err(error) => {
            diagnostics.push(explain_error(file, yaml, line_offset, &error));
            None
        }
    }
}

/// The error to show for YAML text (starting `line_offset` lines into `file`) that did not
/// decode with `error`. The text is read again whatever its shape: when it breaks a limit
/// (an alias bomb, deep nesting) that is the error; when it is not valid YAML, the syntax
/// error is the cause and the type error a symptom; otherwise the type error is explained.
fn explain_error(
    file: &SourceFile,
    yaml: &str,
    line_offset: usize,
    error: &serde_saphyr::Error,
) -> Diagnostic {
    let text = explain::Text {
        file,
        yaml,
        line_offset,
        item: (line_offset == 0).then(|| item_of(&file.path)).flatten(),
        whole: if line_offset == 0 {
            "the site settings"
        } else {
            "the front matter"
        },
    };
    if is_limit(&error.to_string()) {
        return explain::limit(&text, error);
    }
    if let Err(raw) =
        serde_saphyr::from_str_with_options::<serde::de::IgnoredAny>(yaml, yaml_options())
    {
        if is_limit(&raw.to_string()) {
            return explain::limit(&text, &raw);
        }
    }
    match explain::first_syntax_error(yaml) {
        Some((explain::ErrorKind::UnexpectedCharacter { character: '\0' }, (line, column))) => {
            nul_character(Location::new(file, line + line_offset, column, 1))
        }
        Some((kind, at)) => explain::syntax(&text, &kind, at),
        None => explain::typed(&text, error),
    }
}

/// The error for a NUL character (U+0000) in a text value or a page. Nothing a guide says
/// needs one, and browsers, tools and C libraries that read the pages may cut the text at it
/// or show it as nothing at all.
pub(super) fn nul_character(location: Location) -> Diagnostic {
    Diagnostic::at(
        location,
        "this text holds a NUL character (an invisible zero byte); remove it",
    )
    .with_label("a NUL character")
    .with_hint(
        "delete the escape `\\0` (or `\\x00`, `\\u0000`) or the invisible character; \
         no text of a guide needs it",
    )
}

/// Reports every scalar of `yaml` (text starting at line `line_offset + 1` of `file`) whose
/// value holds a NUL character: the parser refuses a NUL byte in the file, but a double-quoted
/// string makes one from the escapes `\0`, `\x00`, `\u0000` and `\U00000000`. False when
/// there was one. Text without a backslash cannot hold an escape and is not parsed again.
fn nul_free(
    file: &SourceFile,
    yaml: &str,
    line_offset: usize,
    diagnostics: &mut Diagnostics,
) -> bool {
    use serde_saphyr::granit_parser::{Event, Parser};
    if memchr::memchr(b'\\', yaml.as_bytes()).is_none() {
        return true;
    }
    let base = file.offset(line_offset + 1, 1);
    // Parser positions count characters; walk the text once to turn them into bytes.
    let mut chars = yaml.char_indices().enumerate().peekable();
    let mut byte_at = |index: usize| {
        while chars.next_if(|(i, _)| *i < index).is_some() {}
        chars.peek().map_or(yaml.len(), |(_, (byte, _))| *byte)
    };
    let mut clean = true;
    for event in Parser::new_from_str(yaml) {
        let Ok((Event::Scalar(value, ..), span)) = event else {
            continue;
        };
        if !value.contains('\0') {
            continue;
        }
        let start = byte_at(span.start.index());
        let end = byte_at(span.end.index()).max(start);
        let (at, len) = nul_escape(&yaml[start..end]).unwrap_or((0, 1));
        diagnostics.push(nul_character(Location::at_offset(
            file,
            base + start + at,
            len,
        )));
        clean = false;
    }
    clean
}

/// The byte offset and length of the first escape in the source of a double-quoted YAML
/// scalar that makes a NUL character.
fn nul_escape(source: &str) -> Option<(usize, usize)> {
    let bytes = source.as_bytes();
    let mut i = 0;
    while let Some(found) = memchr::memchr(b'\\', &bytes[i..]) {
        let at = i + found;
        let rest = &source[at + 1..];
        for escape in ["0", "x00", "u0000", "U00000000"] {
            if rest.starts_with(escape) {
                return Some((at, escape.len() + 1));
            }
        }
        // Skip the escaped character too, so `\\0` (a backslash, then 0) is not taken.
        i = (at + 2).min(bytes.len());
    }
    None
}

/// The largest YAML text (a data file or a page's front matter) casepath reads.
pub const MAX_YAML_BYTES: usize = 8 * 1024 * 1024;

/// Parser limits for YAML written by volunteers and changed through pull requests: deep
/// nesting, alias expansion ("billion laughs") and huge scalars are refused in bounded
/// time and memory, with an error that names the file and the limit.
fn yaml_options() -> serde_saphyr::Options {
    let mut options = serde_saphyr::Options::default();
    let mut budget = serde_saphyr::Budget::default();
    budget.max_depth = 32;
    // Enough for a data file of 10,000 records (about 20 values each); the file's size
    // (MAX_YAML_BYTES) and the alias limits below bound the rest.
    budget.max_nodes = 1_000_000;
    budget.max_aliases = 1_000;
    budget.max_anchors = 1_000;
    budget.max_total_scalar_bytes = MAX_YAML_BYTES;
    options.budget = Some(budget);
    options.alias_limits.max_total_replayed_events = 100_000;
    options
}

/// True for the errors of the parser's limits (budget, alias replay).
fn is_limit(message: &str) -> bool {
    message.contains("limit exceeded") || message.contains("budget")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The texts `memo` holds for `path`, by any type.
    fn memo_texts_of(memo: &DecodeMemo, path: &str) -> Vec<String> {
        let values = memo.values.lock().unwrap();
        values
            .iter()
            .filter(|((_, p), _)| p == path)
            .map(|(_, (text, _))| text.clone())
            .collect()
    }

    #[test]
    fn the_memo_keeps_only_the_last_text_of_each_file() {
        let memo = DecodeMemo::kept();
        let path = "content/data/memo-test-only.yaml";
        let mut diagnostics = Diagnostics::default();
        for n in 0..150 {
            let text = format!("- {n}\n- {}\n", n + 1);
            let file = SourceFile::new(path, text.as_str());
            let value = memo.decode::<Vec<u32>>(&file, &text, 0, &mut diagnostics);
            assert_eq!(value, Some(vec![n, n + 1]));
        }
        assert!(diagnostics.is_empty());
        assert_eq!(memo_texts_of(&memo, path), ["- 149\n- 150\n"]);
        // The same text again is answered from the memo, a text that fails is not kept.
        let file = SourceFile::new(path, "- 149\n- 150\n");
        assert_eq!(
            memo.decode::<Vec<u32>>(&file, "- 149\n- 150\n", 0, &mut diagnostics),
            Some(vec![149, 150])
        );
        assert_eq!(
            memo.decode::<Vec<u32>>(&file, "- [", 0, &mut diagnostics),
            None
        );
        assert_eq!(memo_texts_of(&memo, path), ["- 149\n- 150\n"]);
        assert_eq!(memo.len(), 1);
        assert_eq!(memo.decodes(), 151);
    }

    #[test]
    fn the_memo_starts_again_past_its_size_and_a_default_one_keeps_nothing() {
        let memo = DecodeMemo::kept();
        let mut diagnostics = Diagnostics::default();
        for n in 0..DecodeMemo::SIZE {
            let file = SourceFile::new(format!("content/pages/{n}.md"), "- 1\n");
            memo.decode::<Vec<u32>>(&file, "- 1\n", 0, &mut diagnostics);
        }
        assert_eq!(memo.len(), DecodeMemo::SIZE);
        let file = SourceFile::new("content/pages/one-more.md", "- 1\n");
        memo.decode::<Vec<u32>>(&file, "- 1\n", 0, &mut diagnostics);
        assert_eq!(memo.len(), 1);

        let once = DecodeMemo::default();
        assert_eq!(
            once.decode::<Vec<u32>>(&file, "- 1\n", 0, &mut diagnostics),
            Some(vec![1])
        );
        assert!(once.is_empty());
        assert!(diagnostics.is_empty());
    }

    #[test]
    fn nul_escapes_are_found_and_escaped_backslashes_are_not() {
        assert_eq!(nul_escape(r#""a\0b""#), Some((2, 2)));
        assert_eq!(nul_escape(r#""\\0 \x00""#), Some((5, 4)));
        assert_eq!(nul_escape(r#""\u0000""#), Some((1, 6)));
        assert_eq!(nul_escape(r#""\U00000000""#), Some((1, 10)));
        assert_eq!(nul_escape(r#""\\0""#), None);
        assert_eq!(nul_escape("ends with \\"), None);
    }
}
