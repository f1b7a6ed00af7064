//! Plain-words errors for YAML that does not decode.
//!
//! The YAML library reports what its parser saw, in its own terms ("mapping values are not
//! allowed in this context", "invalid i64") and often where it noticed the problem rather
//! than where the mistake is: a tab is reported on the line above it, an unclosed quote on
//! the line where the next quote closes it, a missing key at the record's last line. This
//! module turns each error into a [`Diagnostic`] at the place of the mistake, in the words a
//! volunteer uses (text, list, key, record), with a fix. It reads the raw lines around the
//! reported place (their indentation, quotes and keys) to say what was probably meant.
//!
//! No message here uses the parser's words (scalar, mapping, sequence, variant, i64).
//!
//! Its parts: [`syntax`] explains the errors of text the parser cannot read (tabs, quotes,
//! indentation, missing `:` or `- `); [`types`] explains the errors of text that parses but
//! does not hold what casepath reads (an unknown key, a missing key, a value of the wrong
//! type), using the [`outline`] of the text to name the record. This file holds what they
//! share: the text and its lines, and the mistakes both kinds of error can come from.

pub(super) use serde_saphyr::granit_parser::ErrorKind;

use crate::diagnostic::{Diagnostic, Location, SourceFile};

mod outline;
mod syntax;
mod types;

pub(super) use self::syntax::{first_syntax_error, syntax};
pub(super) use self::types::typed;

/// The YAML text being decoded and where it lies in its file.
pub(super) struct Text<'a> {
    /// The file the text is part of.
    pub file: &'a SourceFile,
    /// The YAML text (a whole data file, or a page's front matter).
    pub yaml: &'a str,
    /// How many lines of the file come before the text.
    pub line_offset: usize,
    /// What each top-level item of the text is ("office"), or `None` when the text is one
    /// record of keys (`site.yaml`, front matter).
    pub item: Option<&'static str>,
    /// What the text is, when it is one record of keys: "the site settings".
    pub whole: &'static str,
}

/// A place in the YAML text: 1-based line and column (in characters).
type Pos = (usize, usize);

impl Text<'_> {
    /// The lines of the text, without their line breaks.
    fn lines(&self) -> Vec<&str> {
        self.yaml
            .split('\n')
            .map(|l| l.strip_suffix('\r').unwrap_or(l))
            .collect()
    }

    /// A location in the file from a place in the text.
    fn at(&self, (line, column): Pos, len: usize) -> Location {
        Location::new(self.file, line + self.line_offset, column, len)
    }

    /// The line number in the file of a line of the text.
    fn file_line(&self, line: usize) -> usize {
        line + self.line_offset
    }
}

/// Number of spaces and tabs a line starts with.
fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches([' ', '\t']).len()
}

/// True for a line that holds nothing for YAML: blank, or only a comment.
fn is_blank(line: &str) -> bool {
    let trimmed = line.trim();
    trimmed.is_empty() || trimmed.starts_with('#')
}

/// The key a line starts with (after any `- `), with its 1-based column, if it has one:
/// `  - source: x` gives `source` at column 5.
fn key_of(line: &str) -> Option<(&str, usize)> {
    let mut column = indent_of(line) + 1;
    let mut rest = line.trim_start();
    while let Some(after) = rest.strip_prefix("- ") {
        let skipped = after.len() - after.trim_start().len();
        column += 2 + skipped;
        rest = after.trim_start();
    }
    let end = rest.find(':')?;
    let key = &rest[..end];
    let after = &rest[end + 1..];
    let is_key = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
        && (after.is_empty() || after.starts_with([' ', '\t']));
    is_key.then_some((key, column))
}

/// The column at which the content of a line starts for the lines below it: after its
/// indentation and any `- `.
fn content_column(line: &str) -> usize {
    key_of(line).map_or(indent_of(line) + 1, |(_, column)| column)
}

/// The first line from `line` (1-based) on that holds something: the parser may report the
/// end of the line before, or a blank line.
fn content_line_from(lines: &[&str], line: usize) -> Option<usize> {
    (line.max(1)..=lines.len()).find(|n| !is_blank(lines[*n - 1]))
}

/// The nearest line above `line` (1-based) that holds something, with its number.
fn line_above<'a>(lines: &[&'a str], line: usize) -> Option<(usize, &'a str)> {
    (1..line)
        .rev()
        .map(|n| (n, lines[n - 1]))
        .find(|(_, l)| !is_blank(l))
}

/// The value of a line after its key (`summary: [x` gives `[x` and its column).
fn value_of(line: &str) -> Option<(&str, usize)> {
    let (key, column) = key_of(line)?;
    let start_byte = line
        .char_indices()
        .nth(column - 1)
        .map_or(line.len(), |(b, _)| b)
        + key.len()
        + 1;
    let rest = &line[start_byte.min(line.len())..];
    let value = rest.trim_start();
    if value.is_empty() {
        return None;
    }
    let value_column = line[..line.len() - value.len()].chars().count() + 1;
    Some((value, value_column))
}

/// The error for a record written without its `- ` (line `number`, key at `column`); `above`
/// is a line that starts a record with its `- `, or `number` itself for the first record.
fn missing_dash(text: &Text, number: usize, column: usize, key: &str, above: usize) -> Diagnostic {
    let written = text
        .lines()
        .get(number - 1)
        .map_or(String::new(), |l| l.trim().to_string());
    let starts = match (text.item, column) {
        (Some(item), 1 | 3) => format!("{item} starts with `- `"),
        _ => "item of a list starts with `- `".to_string(),
    };
    let (message, hint) = if above == number {
        (
            format!("each {starts}"),
            format!("write this line as `- {written}`"),
        )
    } else {
        (
            format!("a new {starts}"),
            format!(
                "write this line as `- {written}`, like line {}; without the `- `, YAML reads \
                 it as part of the record above",
                text.file_line(above)
            ),
        )
    };
    let _ = key;
    Diagnostic::at(text.at((number, column), key.chars().count()), message)
        .with_label("this line has no `- `")
        .with_hint(hint)
}

/// A key written with its `-` but no space (`-id: x`): YAML reads `-id` as the key.
fn dash_without_space(text: &Text, lines: &[&str]) -> Option<Diagnostic> {
    let (number, line) = lines.iter().enumerate().find(|(_, l)| {
        let content = l.trim_start();
        content.starts_with('-')
            && content[1..].starts_with(|c: char| c.is_alphabetic())
            && key_of(&content[1..]).is_some()
    })?;
    let column = indent_of(line) + 1;
    let rest = line.trim_start()[1..].trim_end();
    Some(
        Diagnostic::at(
            text.at((number + 1, column), 1),
            "`-` needs a space after it",
        )
        .with_label("no space after `-`")
        .with_hint(format!("write `- {rest}`")),
    )
}

/// The error for YAML that breaks one of casepath's limits (deep nesting, alias expansion).
pub(super) fn limit(text: &Text, error: &serde_saphyr::Error) -> Diagnostic {
    let at: Pos = error.location().map_or((1, 1), |l| {
        ((l.line() as usize).max(1), (l.column() as usize).max(1))
    });
    let message = error.to_string();
    let (message, label) = if message.contains("Depth") || message.contains("depth") {
        (
            "lists and records here are nested deeper than casepath's limit of 32 levels",
            "too deep",
        )
    } else {
        (
            "the `*` references of this file repeat their values past casepath's limit",
            "one reference too many",
        )
    };
    Diagnostic::at(text.at(at, 1), message)
        .with_label(label)
        .with_hint(
            "casepath refuses YAML that nests deeper than 32 levels, uses more than 1,000 \
             `&` names or `*` references, or repeats values through them more than 100,000 \
             times; write the values out",
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_found_after_dashes() {
        assert_eq!(key_of("  - source: x"), Some(("source", 5)));
        assert_eq!(key_of("- id: a"), Some(("id", 3)));
        assert_eq!(key_of("  summary: >-"), Some(("summary", 3)));
        assert_eq!(key_of("  by phone."), None);
        assert_eq!(key_of("  url: https://x"), Some(("url", 3)));
        assert_eq!(key_of("  name:\"x\""), None);
    }
}
