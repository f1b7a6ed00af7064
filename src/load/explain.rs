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

pub(super) use serde_saphyr::granit_parser::ErrorKind;
use serde_saphyr::granit_parser::{Event, Parser, ScanError};

use crate::diagnostic::{Diagnostic, Location, SourceFile};

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

/// The first syntax error of `yaml`, if the parser finds one: its kind and 1-based place.
pub(super) fn first_syntax_error(yaml: &str) -> Option<(ErrorKind, Pos)> {
    for event in Parser::new_from_str(yaml) {
        if let Err(error) = event {
            return Some(syntax_place(&error));
        }
    }
    None
}

fn syntax_place(error: &ScanError) -> (ErrorKind, Pos) {
    let marker = error.marker();
    (
        error.kind().clone(),
        (marker.line().max(1), marker.col() + 1),
    )
}

/// The error for a syntax error of kind `kind` that the parser reports at `at`.
pub(super) fn syntax(text: &Text, kind: &ErrorKind, at: Pos) -> Diagnostic {
    let lines = text.lines();
    let found = tab(text, &lines, kind, at)
        .or_else(|| dash_without_space(text, &lines))
        .or_else(|| quote(text, &lines, kind, at))
        .or_else(|| special_start(text, &lines, kind, at))
        .or_else(|| colon_in_text(text, &lines, kind, at))
        .or_else(|| block_text(text, &lines, at))
        .or_else(|| about_keys(kind).then(|| indentation(text, &lines, at))?)
        .or_else(|| about_keys(kind).then(|| missing_colon(text, &lines, at))?);
    found.unwrap_or_else(|| {
        let (line, _) = at;
        let line = line.min(lines.len()).max(1);
        let column = indent_of(lines.get(line - 1).copied().unwrap_or("")) + 1;
        Diagnostic::at(text.at((line, column), 1), "YAML cannot read this line")
            .with_label("the problem is here or on the line above")
            .with_hint(
                "compare this line with the lines above it: indent with spaces only, put `: ` \
                 after each key and `- ` before each item of a list, and close every quote and \
                 bracket",
            )
    })
}

/// True for the parser's errors about where keys and items start, which the indentation
/// and the `:` of the lines around explain.
fn about_keys(kind: &ErrorKind) -> bool {
    matches!(
        kind,
        ErrorKind::MappingValueNotAllowed
            | ErrorKind::ExpectedBlockMappingKey
            | ErrorKind::InvalidIndentation
            | ErrorKind::ExpectedBlockSequenceEntry
            | ErrorKind::SimpleKeyExpected
            | ErrorKind::InvalidSimpleKey
            | ErrorKind::BlockSequenceEntryNotAllowed
            | ErrorKind::InvalidMappingValueWhitespace
    )
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

/// A line starting with a tab, at or just after the reported line: the parser often reports
/// a tab on the line before it.
fn tab(text: &Text, lines: &[&str], kind: &ErrorKind, (line, _): Pos) -> Option<Diagnostic> {
    let about_tabs = matches!(
        kind,
        ErrorKind::TabNotAllowed
            | ErrorKind::TabInBlockIndentation
            | ErrorKind::TabInIndentation
            | ErrorKind::TabInPlainScalar
            | ErrorKind::TabAtBlockScalarStart
    );
    let last = if about_tabs {
        lines.len()
    } else {
        (line + 2).min(lines.len())
    };
    let (number, tabbed) = (line.max(1)..=last)
        .map(|n| (n, lines[n - 1]))
        .find(|(_, l)| l[..indent_of(l)].contains('\t') && !l.trim().is_empty())?;
    let column = tabbed[..indent_of(tabbed)].find('\t').unwrap_or(0) + 1;
    let hint = match line_above(lines, number) {
        Some((above, above_text)) if key_of(tabbed.trim_start()).is_some() => {
            let spaces = if above_text.trim_end().ends_with(':') {
                content_column(above_text) + 1
            } else {
                content_column(above_text) - 1
            };
            if spaces == 0 {
                format!(
                    "remove the tab: this key starts at the beginning of the line, like line {}",
                    text.file_line(above)
                )
            } else {
                format!(
                    "replace the tab with spaces; to line this key up with line {}, start it \
                     with {spaces} space{}",
                    text.file_line(above),
                    plural(spaces)
                )
            }
        }
        _ => "replace the tab with spaces".to_string(),
    };
    Some(
        Diagnostic::at(
            text.at((number, column), 1),
            "this line starts with a tab; YAML needs spaces",
        )
        .with_label("a tab")
        .with_hint(hint),
    )
}

/// A quoted text of the YAML: where its quote opens and where it closes.
#[derive(Debug)]
struct Quoted {
    /// `"` or `'`.
    mark: char,
    /// The opening quote.
    open: Pos,
    /// The closing quote, if the text has one.
    close: Option<Pos>,
}

/// Every quoted text of the YAML, in order. Quotes count only where a value starts (after
/// `: `, `- `, `[`, `{`, `,` or at the start of a line); a quote inside plain text is text.
fn quoted_texts(lines: &[&str]) -> Vec<Quoted> {
    let mut found = Vec::new();
    let mut open: Option<Quoted> = None;
    for (index, line) in lines.iter().enumerate() {
        let number = index + 1;
        let chars: Vec<char> = line.chars().collect();
        let mut i = 0;
        // Whether the text so far on this line allows a value to start here.
        let mut value_start = true;
        while i < chars.len() {
            let c = chars[i];
            if let Some(quoted) = &mut open {
                let closes = match quoted.mark {
                    '"' if c == '\\' => {
                        i += 2;
                        continue;
                    }
                    '\'' if c == '\'' && chars.get(i + 1) == Some(&'\'') => {
                        i += 2;
                        continue;
                    }
                    mark => c == mark,
                };
                if closes {
                    quoted.close = Some((number, i + 1));
                    found.extend(open.take());
                    value_start = false;
                }
                i += 1;
                continue;
            }
            match c {
                '#' if i == 0 || chars[i - 1].is_whitespace() => break,
                '"' | '\'' if value_start => {
                    open = Some(Quoted {
                        mark: c,
                        open: (number, i + 1),
                        close: None,
                    });
                }
                ' ' | '\t' => {}
                '[' | '{' | ',' => value_start = true,
                ':' | '-' | '?' if chars.get(i + 1).is_none_or(|n| n.is_whitespace()) => {
                    value_start = true
                }
                _ => value_start = false,
            }
            i += 1;
        }
    }
    found.extend(open);
    found
}

/// A quote that is not closed, or that closes too early on its line.
fn quote(text: &Text, lines: &[&str], kind: &ErrorKind, at: Pos) -> Option<Diagnostic> {
    let quoted = quoted_texts(lines);
    let trailing = matches!(
        kind,
        ErrorKind::InvalidTrailingDoubleQuotedScalar | ErrorKind::InvalidTrailingSingleQuotedScalar
    );
    // A quoted text that never closes, or the last that opens before the reported place
    // (or on its line: the parser may report the line's key).
    let last = quoted.iter().find(|q| q.close.is_none()).or_else(|| {
        quoted
            .iter()
            .rev()
            .find(|q| q.open < at || q.open.0 == at.0)
    })?;
    let spans_lines = last.close.is_none_or(|(line, _)| line > last.open.0);
    let looks_unclosed = spans_lines
        && (last.close.is_none()
            || lines[last.open.0..last.close.map_or(lines.len(), |(l, _)| l - 1)]
                .iter()
                .any(|l| key_of(l).is_some() || l.trim_start().starts_with("- ")));
    let what = if last.mark == '"' {
        "quotation mark"
    } else {
        "apostrophe"
    };
    if looks_unclosed {
        let runs_to = last
            .close
            .map_or(lines.len(), |(line, _)| line)
            .max(last.open.0);
        return Some(
            Diagnostic::at(
                text.at(last.open, 1),
                format!(
                    "the quote opened on line {} is not closed",
                    text.file_line(last.open.0)
                ),
            )
            .with_label(if last.close.is_some() {
                format!(
                    "this text runs on to the next `{}`, on line {}",
                    last.mark,
                    text.file_line(runs_to)
                )
            } else {
                "this text runs on to the end of the file".to_string()
            })
            .with_hint(format!(
                "add the closing `{}` at the end of the text on line {}",
                last.mark,
                text.file_line(last.open.0)
            )),
        );
    }
    if !trailing {
        return None;
    }
    // The text closes on its own line and something follows: a quote inside the text.
    let close = last.close.filter(|c| c.0 == last.open.0)?;
    let hint = if last.mark == '"' {
        "to put a quotation mark inside the text, write it as `\\\"`, or put the whole text \
         in single quotes ('…') instead"
    } else {
        "to put an apostrophe inside single quotes, write it twice (`''`), or put the whole \
         text in double quotes (\"…\") instead"
    };
    Some(
        Diagnostic::at(
            text.at(close, 1),
            format!("this {what} ends the quoted text, but the line goes on after it"),
        )
        .with_label(format!(
            "the text that opened with `{}` in column {} ends here",
            last.mark, last.open.1
        ))
        .with_hint(hint),
    )
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

/// A value that starts with a character YAML gives a meaning to (`[`, `{`, `*`, `&`, `!`,
/// `@`, `` ` ``, `%`), on the reported line or the nearest line above it.
fn special_start(text: &Text, lines: &[&str], kind: &ErrorKind, at: Pos) -> Option<Diagnostic> {
    let in_brackets = matches!(
        kind,
        ErrorKind::UnclosedFlowCollection { .. }
            | ErrorKind::ExpectedFlowSequenceSeparator
            | ErrorKind::ExpectedFlowMappingSeparator
            | ErrorKind::UnexpectedEofFlowSequence
            | ErrorKind::UnexpectedEofFlowMapping
            | ErrorKind::UnexpectedEofImplicitFlowMapping
            | ErrorKind::MisplacedFlowCollectionEnd
            | ErrorKind::MismatchedFlowCollectionEnd { .. }
            | ErrorKind::InvalidFlowScalarIndent
            | ErrorKind::FlowMappingValueAdjacentCollection
            | ErrorKind::InvalidColonPlacement
            | ErrorKind::UnknownAnchor
            | ErrorKind::UnexpectedCharacter { .. }
            | ErrorKind::MissingAnchorOrAliasName
            | ErrorKind::ExpectedWhitespace
            | ErrorKind::MissingTagUri
            | ErrorKind::InvalidTagTerminator
            | ErrorKind::UndeclaredTagHandle
            | ErrorKind::MappingKeyNotAllowed
            | ErrorKind::BlockSequenceEntryNotAllowed
    );
    if !in_brackets {
        return None;
    }
    let (line, _) = at;
    let (number, value, column) = (1..=line.min(lines.len())).rev().find_map(|n| {
        let (value, column) = value_of(lines[n - 1])
            .or_else(|| {
                let l = lines[n - 1];
                let item = l.trim_start().strip_prefix("- ")?.trim_start();
                Some((item, l.len() - item.len() + 1))
            })
            .filter(|(v, _)| {
                v.starts_with(['[', '{', '*', '&', '!', '@', '`', '%']) || v.starts_with("- ")
            })?;
        Some((n, value, column))
    })?;
    let first = value.chars().next().unwrap_or('[');
    let meaning = match first {
        '[' => "the start of a list",
        '{' => "the start of a set of keys",
        '*' => "a reference to a value named elsewhere in the file",
        '&' => "a name for the value that follows",
        '!' => "a type for the value that follows",
        '-' => "the start of a list",
        _ => "a sign kept for later use: no text may start with it",
    };
    let key = key_of(lines[number - 1]).map(|(k, _)| k);
    let shown = match key {
        Some(key) => format!("{key}: \"{}\"", value.trim_end().replace('"', "\\\"")),
        None => format!("- \"{}\"", value.trim_end().replace('"', "\\\"")),
    };
    Some(
        Diagnostic::at(
            text.at((number, column), 1),
            format!("text that starts with `{first}` must be in quotes"),
        )
        .with_label(format!("YAML reads `{first}` here as {meaning}"))
        .with_hint(format!("put the whole text in double quotes: `{shown}`")),
    )
}

/// Text holding `: ` on a line that already has a key: YAML reads the second `: ` as
/// another key.
fn colon_in_text(text: &Text, lines: &[&str], kind: &ErrorKind, at: Pos) -> Option<Diagnostic> {
    if !matches!(kind, ErrorKind::MappingValueNotAllowed) {
        return None;
    }
    let (line, column) = at;
    let current = lines.get(line.checked_sub(1)?)?;
    let (value, value_column) = value_of(current)?;
    if column <= value_column || value.starts_with(['"', '\'']) {
        return None;
    }
    let (key, _) = key_of(current)?;
    Some(
        Diagnostic::at(
            text.at((line, column), 1),
            "this text holds `: `, which YAML reads as the start of another key",
        )
        .with_label("`: ` inside text")
        .with_hint(format!(
            "put the whole text in double quotes: `{key}: \"{}\"`",
            value.trim_end().replace('"', "\\\"")
        )),
    )
}

/// The text under `key: >-` (or `|`) indented no more than its key.
fn block_text(text: &Text, lines: &[&str], (line, _): Pos) -> Option<Diagnostic> {
    let current = lines.get(line.checked_sub(1)?)?;
    let (above, above_text) = line_above(lines, line)?;
    let (_, value_column) = value_of(above_text)?;
    let value = value_of(above_text)?.0.trim_end();
    let is_block = value.starts_with(['>', '|'])
        && value[1..]
            .trim_start_matches(['-', '+'])
            .trim_start_matches(|c: char| c.is_ascii_digit())
            .trim()
            .is_empty();
    let (key, key_column) = key_of(above_text)?;
    if !is_block || indent_of(current) + 1 > key_column {
        return None;
    }
    let _ = value_column;
    Some(
        Diagnostic::at(
            text.at((line, indent_of(current) + 1), 1),
            format!(
                "the text of `{key}:` must be indented more than `{key}:` on line {}",
                text.file_line(above)
            ),
        )
        .with_label("indented no more than the key")
        .with_hint(format!(
            "start each line of the text with {} spaces, two more than `{key}:`",
            key_column + 1
        )),
    )
}

/// A key indented more, or less, than the keys around it.
fn indentation(text: &Text, lines: &[&str], (line, _): Pos) -> Option<Diagnostic> {
    // The line the problem is on: the reported one, or the next that holds something.
    let number = content_line_from(lines, line)?;
    let current = lines[number - 1];
    let (key, column) = key_of(current)?;
    let indent = indent_of(current) + 1;
    let (above, above_text) = line_above(lines, number)?;
    let above_column = content_column(above_text);
    let above_opens = above_text.trim_end().ends_with(':');
    // A record whose first line lacks its `- `: the next line is indented as if it had one.
    let above_indent = indent_of(above_text) + 1;
    let dash_at_above = above_indent == 1 && text.item.is_some()
        || lines
            .iter()
            .any(|l| l.trim_start().starts_with("- ") && indent_of(l) + 1 == above_indent);
    if !above_text.trim_start().starts_with("- ")
        && indent == above_indent + 2
        && dash_at_above
        && !above_opens
    {
        if let Some((above_key, _)) = key_of(above_text) {
            let dash = (1..above).rev().find(|n| {
                lines[n - 1].trim_start().starts_with("- ")
                    && indent_of(lines[n - 1]) + 1 == above_indent
            });
            return Some(missing_dash(
                text,
                above,
                above_indent,
                above_key,
                dash.unwrap_or(above),
            ));
        }
    }
    if indent > above_column && !above_opens {
        let (above_key, _) = key_of(above_text).unwrap_or(("", 0));
        return Some(
            Diagnostic::at(
                text.at((number, indent), column - indent + key.chars().count()),
                format!("`{key}:` is indented more than the keys above it"),
            )
            .with_label(format!(
                "{} spaces here, {} on line {}",
                indent - 1,
                above_column - 1,
                text.file_line(above)
            ))
            .with_hint(format!(
                "start the line with {} spaces, like `{above_key}:` on line {}; a key indented \
                 more than the line above it is read as part of that line's text",
                above_column - 1,
                text.file_line(above)
            )),
        );
    }
    // A key that starts a new record without its `- `: at the column of the dashes above.
    let dashes: Vec<(usize, &str)> = (1..number)
        .rev()
        .map(|n| (n, lines[n - 1]))
        .filter(|(_, l)| l.trim_start().starts_with("- ") && indent_of(l) + 1 == indent)
        .take(1)
        .collect();
    if let Some((dash_line, _)) = dashes.first() {
        if !current.trim_start().starts_with("- ") {
            return Some(missing_dash(text, number, indent, key, *dash_line));
        }
    }
    // Indented less than its neighbours, but more than the record it is in.
    let siblings: Vec<usize> = (1..number)
        .rev()
        .map(|n| lines[n - 1])
        .filter(|l| !is_blank(l))
        .map(content_column)
        .take_while(|c| *c >= indent)
        .collect();
    let wanted = siblings.iter().copied().filter(|c| *c > indent).min()?;
    if siblings.contains(&indent) {
        return None;
    }
    Some(
        Diagnostic::at(
            text.at((number, indent), column - indent + key.chars().count()),
            format!("`{key}:` is indented less than the keys above it"),
        )
        .with_label(format!("{} space{} here", indent - 1, plural(indent - 1)))
        .with_hint(format!(
            "start the line with {} spaces, like the keys above it",
            wanted - 1
        )),
    )
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
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

/// A line with no `: ` after its key (`name Help Desk`, `name:"Help Desk"`), or text that
/// goes on to a line indented less than its key.
fn missing_colon(text: &Text, lines: &[&str], (line, _): Pos) -> Option<Diagnostic> {
    let number = content_line_from(lines, line)?;
    let current = lines[number - 1];
    let indent = indent_of(current) + 1;
    let content = current.trim();
    let word: String = content
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '-')
        .collect();
    if let Some(rest) = content
        .strip_prefix(word.as_str())
        .and_then(|r| r.strip_prefix(':'))
    {
        if !word.is_empty() && !rest.is_empty() && !rest.starts_with([' ', '\t']) {
            let column = indent + word.chars().count();
            return Some(
                Diagnostic::at(
                    text.at((number, column), 1),
                    format!("`{word}:` needs a space after its `:`"),
                )
                .with_label("no space after `:`")
                .with_hint(format!("write `{word}: {}`", rest.trim())),
            );
        }
    }
    let known_key = schema_keys().contains(&word)
        || lines
            .iter()
            .any(|l| key_of(l).is_some_and(|(k, _)| k == word));
    if let Some((above, above_text)) = line_above(lines, number) {
        let above_column = content_column(above_text);
        // Text that goes on to the next line, indented less than the keys, or no more than
        // them and not starting with a key's name.
        let continues_text = value_of(above_text).is_some()
            && (indent < above_column || (!known_key && indent == above_column));
        if continues_text {
            let (above_key, _) = key_of(above_text).unwrap_or(("", 0));
            return Some(
                Diagnostic::at(
                    text.at((number, indent), content.chars().count()),
                    format!(
                        "this line looks like more of the text of `{above_key}:` on line {}, \
                         but it is not indented more than `{above_key}:`",
                        text.file_line(above)
                    ),
                )
                .with_label("text with no key")
                .with_hint(format!(
                    "indent it with {} spaces, or join it to the end of line {}",
                    above_column + 1,
                    text.file_line(above)
                )),
            );
        }
    }
    if !word.is_empty() && content.len() > word.len() {
        return Some(
            Diagnostic::at(
                text.at((number, indent), word.chars().count()),
                format!("`{word}` needs a `:` after it"),
            )
            .with_label("no `:` after this key")
            .with_hint(format!(
                "write `{word}: {}`",
                content[word.len()..].trim_start()
            )),
        );
    }
    None
}

/// Every key of every kind of record casepath reads, from the JSON Schema of the data files.
fn schema_keys() -> Vec<String> {
    fn collect(value: &serde_json::Value, keys: &mut Vec<String>) {
        match value {
            serde_json::Value::Object(object) => {
                if let Some(serde_json::Value::Object(properties)) = object.get("properties") {
                    keys.extend(properties.keys().cloned());
                }
                object.values().for_each(|v| collect(v, keys));
            }
            serde_json::Value::Array(items) => items.iter().for_each(|v| collect(v, keys)),
            _ => {}
        }
    }
    let mut keys = Vec::new();
    for (_, schema) in super::schema::json_schemas() {
        collect(&schema, &mut keys);
    }
    keys.sort();
    keys.dedup();
    keys
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

/// One node of the YAML: a record of keys, a list, or a single value.
#[derive(Debug)]
struct Node {
    /// What it is.
    shape: Shape,
    /// Where it starts.
    start: Pos,
    /// Where it ends.
    end: Pos,
    /// The node it is in.
    parent: Option<usize>,
    /// The key it is the value of, in a record.
    key: Option<String>,
    /// For a record: its keys, each with its place.
    keys: Vec<(String, Pos)>,
    /// For a single value: its text.
    value: Option<String>,
}

/// The shape of a [`Node`].
#[derive(Debug, PartialEq)]
enum Shape {
    Record,
    List,
    Value,
}

/// A record or list not yet closed while reading events: its node, whether a key comes
/// next (in a record), and the key whose value comes next.
type Open = (usize, bool, Option<(String, Pos)>);

/// The nodes of a YAML text that parses, in document order.
#[derive(Debug, Default)]
pub(super) struct Outline {
    nodes: Vec<Node>,
}

impl Outline {
    /// The outline of `yaml`, if it parses.
    pub(super) fn of(yaml: &str) -> Option<Outline> {
        let mut outline = Outline::default();
        // Open records and lists: the node, whether a key comes next, and the key read.
        let mut open: Vec<Open> = Vec::new();
        for event in Parser::new_from_str(yaml) {
            let (event, span) = event.ok()?;
            let start = (span.start.line(), span.start.col() + 1);
            let end = (span.end.line(), span.end.col() + 1);
            let parent = open.last().map(|(i, _, _)| *i);
            // The key this node is the value of, when its parent is a record.
            let mut key = None;
            if let Some((index, expecting_key, pending)) = open.last_mut() {
                if outline.nodes[*index].shape == Shape::Record {
                    if *expecting_key {
                        if let Event::Scalar(name, ..) = &event {
                            let name = name.to_string();
                            outline.nodes[*index].keys.push((name.clone(), start));
                            *pending = Some((name, start));
                            *expecting_key = false;
                            continue;
                        }
                        if matches!(event, Event::MappingEnd) {
                            // Handled below.
                        } else {
                            *expecting_key = false;
                        }
                    } else {
                        key = pending.take().map(|(k, _)| k);
                        *expecting_key = true;
                    }
                }
            }
            match event {
                Event::MappingStart(..) | Event::SequenceStart(..) => {
                    let shape = if matches!(event, Event::MappingStart(..)) {
                        Shape::Record
                    } else {
                        Shape::List
                    };
                    outline.nodes.push(Node {
                        shape,
                        start,
                        end: start,
                        parent,
                        key,
                        keys: Vec::new(),
                        value: None,
                    });
                    open.push((outline.nodes.len() - 1, true, None));
                }
                Event::MappingEnd | Event::SequenceEnd => {
                    if let Some((index, _, _)) = open.pop() {
                        outline.nodes[index].end = end;
                    }
                }
                Event::Scalar(value, ..) => outline.nodes.push(Node {
                    shape: Shape::Value,
                    start,
                    end,
                    parent,
                    key,
                    keys: Vec::new(),
                    value: Some(value.to_string()),
                }),
                _ => {}
            }
        }
        Some(outline)
    }

    /// The innermost record that holds `at`. A record ends where the next token starts, so
    /// a place at its end belongs to the record around it.
    fn record_at(&self, at: Pos) -> Option<usize> {
        self.nodes
            .iter()
            .enumerate()
            .filter(|(_, n)| n.shape == Shape::Record && n.start <= at && at < n.end)
            .max_by_key(|(_, n)| n.start)
            .map(|(i, _)| i)
    }

    /// The single value or node that starts at `at`.
    fn node_at(&self, at: Pos) -> Option<&Node> {
        self.nodes.iter().rev().find(|n| n.start == at)
    }

    /// How many lists and records hold node `index`.
    fn depth(&self, index: usize) -> usize {
        let mut depth = 0;
        let mut node = &self.nodes[index];
        while let Some(parent) = node.parent {
            depth += 1;
            node = &self.nodes[parent];
        }
        depth
    }

    /// The id written in record `index`, with its place.
    fn id_of(&self, index: usize) -> Option<(&str, Pos)> {
        self.nodes
            .iter()
            .find(|n| n.parent == Some(index) && n.key.as_deref() == Some("id"))
            .and_then(|n| Some((n.value.as_deref()?, n.start)))
    }

    /// The top-level item that holds node `index`.
    fn top_item(&self, mut index: usize) -> Option<usize> {
        while let Some(parent) = self.nodes[index].parent {
            if self.nodes[parent].parent.is_none() {
                return Some(index);
            }
            index = parent;
        }
        None
    }
}

/// How a record is named in messages: "office `help-desk`", "this item of `sources:`",
/// "`wait:`".
fn record_name(text: &Text, outline: &Outline, index: usize) -> String {
    let node = &outline.nodes[index];
    let top_level = text.item.is_some() && outline.depth(index) == 1;
    if top_level || (text.item.is_none() && node.parent.is_none()) {
        return match (outline.id_of(index), text.item) {
            (Some((id, _)), Some(item)) => format!("{item} `{id}`"),
            (None, Some(item)) => format!("this {item}"),
            (_, None) => text.whole.to_string(),
        };
    }
    let inside = outline
        .top_item(index)
        .filter(|top| *top != index && text.item.is_some())
        .and_then(|top| Some((text.item?, outline.id_of(top)?.0)));
    let inside = match inside {
        Some((item, id)) => format!(" (in {item} `{id}`)"),
        None => String::new(),
    };
    match (&node.key, node.parent.map(|p| &outline.nodes[p])) {
        (Some(key), _) => format!("`{key}:`{inside}"),
        (None, Some(list)) if list.shape == Shape::List => match &list.key {
            Some(key) => format!("this item of `{key}:`{inside}"),
            None => format!("this item{inside}"),
        },
        _ => format!("this record{inside}"),
    }
}

/// The error for a value, list or record of the wrong shape or type (the text parses).
pub(super) fn typed(text: &Text, error: &serde_saphyr::Error) -> Diagnostic {
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
    let line_text = lines.get(at.0 - 1).copied().unwrap_or("");
    // The key whose value is at the place, and the value as written.
    let node = outline.node_at(at);
    let key = node
        .and_then(|n| n.key.clone())
        .or_else(|| key_of(line_text).map(|(k, _)| k.to_string()));
    let written = node
        .and_then(|n| n.value.clone())
        .or_else(|| value_of(line_text).map(|(v, _)| v.trim_end().to_string()))
        .unwrap_or_default();
    let len = written.chars().count().max(1);
    let key_words = key
        .as_deref()
        .map_or("this value".to_string(), |k| format!("`{k}:`"));
    match error {
        E::SerdeUnknownField {
            field, expected, ..
        } => {
            let record = outline
                .record_at(at)
                .map(|i| record_name(text, &outline, i));
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
        E::SerdeUnknownVariant {
            variant, expected, ..
        } => {
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
        E::SerdeMissingField { field, .. } => missing_key(text, &outline, at, field),
        E::DuplicateMappingKey { key: dup, .. } => {
            duplicate_key(text, &lines, &outline, at, dup.as_deref())
        }
        E::InvalidScalar { ty, .. } => {
            let (wanted, example) = wanted_type(ty);
            Diagnostic::at(
                text.at(at, len),
                format!("{key_words} must be {wanted}, not `{written}`"),
            )
            .with_label(format!("not {wanted}"))
            .with_hint(format!("write {example}"))
        }
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
        _ => Diagnostic::at(
            text.at(at, len),
            format!("{key_words} does not have the form casepath expects"),
        )
        .with_hint(
            "compare it with the same key in another record, or in the guide that `casepath \
             init` writes",
        ),
    }
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

    #[test]
    fn quotes_open_only_where_a_value_starts() {
        let lines = ["a: \"x", "b: y\"", "c: it's", "d: 'it''s'"];
        let found = quoted_texts(&lines);
        assert_eq!(found.len(), 2);
        assert_eq!((found[0].open, found[0].close), ((1, 4), Some((2, 5))));
        assert_eq!((found[1].open, found[1].close), ((4, 4), Some((4, 10))));
    }

    #[test]
    fn parser_places_are_one_based() {
        let (_, at) = first_syntax_error("a: 1\nb: \"x\" y\n").unwrap();
        assert_eq!(at.0, 2);
    }
}
