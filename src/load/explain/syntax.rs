//! Errors of YAML text that the parser cannot read, said at the place of the mistake: a
//! tab in the indentation, a quote that is not closed, text that starts with a sign YAML
//! gives a meaning to, a `: ` inside text, a key indented wrongly or written without its
//! `:` or its `- `.

use serde_saphyr::granit_parser::{Parser, ScanError};

use super::{
    content_column, content_line_from, dash_without_space, indent_of, is_blank, key_of, line_above,
    missing_dash, value_of, ErrorKind, Pos, Text,
};
use crate::diagnostic::{Diagnostic, Location};

/// The first syntax error of `yaml`, if the parser finds one: its kind and 1-based place.
pub(in crate::load) fn first_syntax_error(yaml: &str) -> Option<(ErrorKind, Pos)> {
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
pub(in crate::load) fn syntax(text: &Text, kind: &ErrorKind, at: Pos) -> Diagnostic {
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

/// A key indented more, or less, than the keys around it: the first of the mistakes below
/// that fits the key's line and the line above it.
fn indentation(text: &Text, lines: &[&str], (line, _): Pos) -> Option<Diagnostic> {
    let at = KeyLine::find(lines, line)?;
    record_without_dash_above(text, lines, &at)
        .or_else(|| indented_more(text, &at))
        .or_else(|| new_record_without_dash(text, lines, &at))
        .or_else(|| indented_less(text, lines, &at))
}

/// The line of a key an indentation error is about, and the line above it that holds
/// something.
struct KeyLine<'a> {
    /// Its number in the text.
    number: usize,
    /// The line.
    current: &'a str,
    /// Its key.
    key: &'a str,
    /// The column of the key.
    column: usize,
    /// The column of its first character.
    indent: usize,
    /// The number of the line above.
    above: usize,
    /// The line above.
    above_text: &'a str,
    /// The column of the key, or else the text, of the line above.
    above_column: usize,
    /// Whether the line above ends with `:`, opening what the key's line is in.
    above_opens: bool,
}

impl<'a> KeyLine<'a> {
    /// The key line at `line` (or the next that holds something) of `lines`, if it holds a
    /// key and has a line above.
    fn find(lines: &[&'a str], line: usize) -> Option<Self> {
        let number = content_line_from(lines, line)?;
        let current = lines[number - 1];
        let (key, column) = key_of(current)?;
        let (above, above_text) = line_above(lines, number)?;
        Some(KeyLine {
            number,
            current,
            key,
            column,
            indent: indent_of(current) + 1,
            above,
            above_text,
            above_column: content_column(above_text),
            above_opens: above_text.trim_end().ends_with(':'),
        })
    }

    /// Where the key is, for a diagnostic.
    fn location(&self, text: &Text) -> Location {
        let len = self.column - self.indent + self.key.chars().count();
        text.at((self.number, self.indent), len)
    }
}

/// A record whose first line lacks its `- `: the key's line is indented as if it had one.
fn record_without_dash_above(text: &Text, lines: &[&str], at: &KeyLine) -> Option<Diagnostic> {
    let above_indent = indent_of(at.above_text) + 1;
    let dash_at_above = above_indent == 1 && text.item.is_some()
        || lines
            .iter()
            .any(|l| l.trim_start().starts_with("- ") && indent_of(l) + 1 == above_indent);
    if at.above_text.trim_start().starts_with("- ")
        || at.indent != above_indent + 2
        || !dash_at_above
        || at.above_opens
    {
        return None;
    }
    let (above_key, _) = key_of(at.above_text)?;
    let dash = (1..at.above).rev().find(|n| {
        lines[n - 1].trim_start().starts_with("- ") && indent_of(lines[n - 1]) + 1 == above_indent
    });
    Some(missing_dash(
        text,
        at.above,
        above_indent,
        above_key,
        dash.unwrap_or(at.above),
    ))
}

/// A key indented more than the line above, which does not open anything.
fn indented_more(text: &Text, at: &KeyLine) -> Option<Diagnostic> {
    if at.indent <= at.above_column || at.above_opens {
        return None;
    }
    let key = at.key;
    let (above_key, _) = key_of(at.above_text).unwrap_or(("", 0));
    Some(
        Diagnostic::at(
            at.location(text),
            format!("`{key}:` is indented more than the keys above it"),
        )
        .with_label(format!(
            "{} spaces here, {} on line {}",
            at.indent - 1,
            at.above_column - 1,
            text.file_line(at.above)
        ))
        .with_hint(format!(
            "start the line with {} spaces, like `{above_key}:` on line {}; a key indented \
             more than the line above it is read as part of that line's text",
            at.above_column - 1,
            text.file_line(at.above)
        )),
    )
}

/// A key that starts a new record without its `- `: at the column of the dashes above.
fn new_record_without_dash(text: &Text, lines: &[&str], at: &KeyLine) -> Option<Diagnostic> {
    if at.current.trim_start().starts_with("- ") {
        return None;
    }
    let dash_line = (1..at.number).rev().find(|n| {
        lines[n - 1].trim_start().starts_with("- ") && indent_of(lines[n - 1]) + 1 == at.indent
    })?;
    Some(missing_dash(text, at.number, at.indent, at.key, dash_line))
}

/// A key indented less than its neighbours, but more than the record it is in.
fn indented_less(text: &Text, lines: &[&str], at: &KeyLine) -> Option<Diagnostic> {
    let indent = at.indent;
    let siblings: Vec<usize> = (1..at.number)
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
    let key = at.key;
    Some(
        Diagnostic::at(
            at.location(text),
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
    for (_, schema) in crate::load::schema::json_schemas() {
        collect(&schema, &mut keys);
    }
    keys.sort();
    keys.dedup();
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

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
