//! One diagnostic type for every stage of the pipeline.
//!
//! Loading, validation, Markdown, templates and the link checker all report problems
//! as [`Diagnostic`]s: a message, the file it is about, the line and column (1-based),
//! an optional label for the caret and an optional hint. They are collected into
//! [`Diagnostics`] so a run reports every problem it found at once, and rendered in the
//! style of rustc by `annotate-snippets`: the file, line and column, the offending line,
//! a caret, and the hint.

use std::fmt;
use std::sync::Arc;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

/// The text of a file a diagnostic points into, shared between diagnostics.
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// Path as shown to the user, relative to the site root, with `/` separators.
    pub path: String,
    /// Full text of the file.
    pub text: Arc<str>,
}

impl SourceFile {
    /// A file with its text. A byte-order mark at the start (which some Windows editors
    /// write) is dropped: no editor shows it, so every stage reads the text after it and
    /// counts lines and columns as the editor does.
    pub fn new(path: impl Into<String>, text: impl Into<Arc<str>>) -> Self {
        let text: Arc<str> = text.into();
        let text = match text.strip_prefix('\u{feff}') {
            Some(rest) => rest.into(),
            None => text,
        };
        SourceFile {
            path: path.into(),
            text,
        }
    }

    /// The byte offset of a 1-based line and column (columns count characters).
    pub fn offset(&self, line: usize, column: usize) -> usize {
        let mut offset = 0;
        for (index, text) in self.text.split_inclusive('\n').enumerate() {
            if index + 1 == line {
                let chars = column.saturating_sub(1);
                let within: usize = text
                    .trim_end_matches('\n')
                    .chars()
                    .take(chars)
                    .map(char::len_utf8)
                    .sum();
                return offset + within;
            }
            offset += text.len();
        }
        self.text.len()
    }

    /// The 1-based line and column of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let before = &self.text[..floor_char_boundary(&self.text, offset)];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before[line_start..].chars().count() + 1;
        (line, column)
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// A place in a file: the file, a 1-based line and column, and how many characters
/// the caret should underline.
#[derive(Clone, Debug)]
pub struct Location {
    /// The file.
    pub file: SourceFile,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// Number of characters to underline (at least one is shown).
    pub len: usize,
}

impl Location {
    /// A location at a line and column of a file.
    pub fn new(file: &SourceFile, line: usize, column: usize, len: usize) -> Self {
        Location {
            file: file.clone(),
            line: line.max(1),
            column: column.max(1),
            len,
        }
    }

    /// A location at a byte offset of a file.
    pub fn at_offset(file: &SourceFile, offset: usize, len: usize) -> Self {
        let (line, column) = file.line_col(offset);
        Location::new(file, line, column, len)
    }
}

/// How serious a diagnostic is: an error stops the build; a warning is printed and the build
/// goes on (`casepath check --deny-warnings` fails on it).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Severity {
    /// The site cannot be built until this is fixed.
    #[default]
    Error,
    /// Probably a mistake, but the site can be built.
    Warning,
}

/// One problem found in the content or theme.
#[derive(Clone, Debug)]
pub struct Diagnostic {
    /// What is wrong, in one sentence.
    pub message: String,
    /// Where it is, when the problem has a place.
    pub location: Option<Location>,
    /// Short text printed beside the caret.
    pub label: Option<String>,
    /// How to fix it.
    pub hint: Option<String>,
    /// What else the reader should know (such as checks left out because of this problem).
    pub notes: Vec<String>,
    /// Error or warning.
    pub severity: Severity,
}

impl Diagnostic {
    /// A diagnostic with a message and no place.
    pub fn new(message: impl Into<String>) -> Self {
        Diagnostic {
            message: message.into(),
            location: None,
            label: None,
            hint: None,
            notes: Vec::new(),
            severity: Severity::Error,
        }
    }

    /// A warning at a place: printed, but the build goes on.
    pub fn warning_at(location: Location, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::at(location, message)
        }
    }

    /// True for a warning, false for an error.
    pub fn is_warning(&self) -> bool {
        self.severity == Severity::Warning
    }

    /// A diagnostic at a place.
    pub fn at(location: Location, message: impl Into<String>) -> Self {
        Diagnostic {
            location: Some(location),
            ..Diagnostic::new(message)
        }
    }

    /// Adds the text shown beside the caret.
    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    /// Adds a hint on how to fix the problem.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Adds a note, printed after the hint.
    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    /// `file:line:column` of the diagnostic, if it has a place.
    pub fn position(&self) -> Option<String> {
        self.location
            .as_ref()
            .map(|l| format!("{}:{}:{}", l.file.path, l.line, l.column))
    }

    /// Renders the diagnostic rustc-style, with colour when `styled` is true.
    pub fn render(&self, styled: bool) -> String {
        let renderer = if styled {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let title = level.primary_title(self.message.as_str());
        let mut groups = Vec::new();
        match &self.location {
            Some(location) => {
                let start = location.file.offset(location.line, location.column);
                let end = underline_end(&location.file.text, start, location.len);
                let mut annotation = AnnotationKind::Primary.span(start..end);
                if let Some(label) = &self.label {
                    annotation = annotation.label(label.as_str());
                }
                let snippet = Snippet::source(&*location.file.text)
                    .path(location.file.path.as_str())
                    .annotation(annotation);
                groups.push(title.element(snippet));
                if let Some(hint) = &self.hint {
                    groups.push(Group::with_title(
                        Level::HELP.secondary_title(hint.as_str()),
                    ));
                }
                for note in &self.notes {
                    groups.push(Group::with_title(
                        Level::NOTE.secondary_title(note.as_str()),
                    ));
                }
            }
            None => {
                let mut group = Group::with_title(title);
                if let Some(hint) = &self.hint {
                    group = group.element(Level::HELP.message(hint.as_str()));
                }
                for note in &self.notes {
                    group = group.element(Level::NOTE.message(note.as_str()));
                }
                groups.push(group);
            }
        }
        renderer.render(&groups)
    }
}

/// The end of the underlined range: `len` characters from `start`, kept on one line.
fn underline_end(text: &str, start: usize, len: usize) -> usize {
    let rest = &text[start.min(text.len())..];
    let line = rest.split('\n').next().unwrap_or("");
    let taken: usize = line.chars().take(len.max(1)).map(char::len_utf8).sum();
    start + taken
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(false))
    }
}

/// How many problems a run shows; a broken file can make thousands, and the first ones
/// usually explain the rest.
pub const SHOWN: usize = 100;

/// Every problem one run found, in the order found (they are shown sorted by file and line).
#[derive(Clone, Debug, Default)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// No problems.
    pub fn new() -> Self {
        Diagnostics(Vec::new())
    }

    /// Adds a problem.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    /// Adds a problem, if there is one.
    pub fn extend_opt(&mut self, diagnostic: Option<Diagnostic>) {
        self.0.extend(diagnostic);
    }

    /// Adds every problem of another run.
    pub fn extend(&mut self, other: Diagnostics) {
        self.0.extend(other.0);
    }

    /// True when nothing was reported.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// How many problems were reported.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// How many errors (not warnings) were reported.
    pub fn errors(&self) -> usize {
        self.0.iter().filter(|d| !d.is_warning()).count()
    }

    /// How many warnings were reported.
    pub fn warnings(&self) -> usize {
        self.0.iter().filter(|d| d.is_warning()).count()
    }

    /// True when at least one error (not a warning) was reported.
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(|d| !d.is_warning())
    }

    /// The problems in the order they are shown: those without a place first, then by file,
    /// line and column; problems at the same place keep the order they were found in.
    pub fn sorted(&self) -> Vec<&Diagnostic> {
        let mut sorted: Vec<&Diagnostic> = self.0.iter().collect();
        sorted.sort_by(|a, b| place(a).cmp(&place(b)));
        sorted
    }

    /// `Ok(value)` when no error was reported (warnings are dropped: callers that keep
    /// warnings take them out first), otherwise these diagnostics.
    pub fn into_result<T>(self, value: T) -> Result<T, Diagnostics> {
        if !self.has_errors() {
            Ok(value)
        } else {
            Err(self)
        }
    }

    /// Renders the problems, one after another (the first [`SHOWN`] of them), and a
    /// closing count.
    pub fn render(&self, styled: bool) -> String {
        let mut out = self.render_each(styled);
        let n = self.errors();
        let warnings = match self.warnings() {
            0 => String::new(),
            1 => ", and 1 warning".to_string(),
            w => format!(", and {w} warnings"),
        };
        out.push_str(&format!(
            "error: {} problem{} found{warnings}; nothing was written\n",
            n,
            if n == 1 { "" } else { "s" }
        ));
        out
    }

    /// Renders the first [`SHOWN`] problems, each followed by a blank line, and says how
    /// many more there are.
    pub fn render_each(&self, styled: bool) -> String {
        let mut out = String::new();
        for diagnostic in self.sorted().into_iter().take(SHOWN) {
            out.push_str(&diagnostic.render(styled));
            out.push_str("\n\n");
        }
        let n = self.0.len();
        if n > SHOWN {
            out.push_str(&format!(
                "note: {} more problems are not shown; fix these first\n",
                n - SHOWN
            ));
        }
        out
    }
}

/// The sort key of a diagnostic: problems without a place first, then file, line, column.
fn place(diagnostic: &Diagnostic) -> Option<(&str, usize, usize)> {
    diagnostic
        .location
        .as_ref()
        .map(|l| (l.file.path.as_str(), l.line, l.column))
}

impl From<Diagnostic> for Diagnostics {
    fn from(diagnostic: Diagnostic) -> Self {
        Diagnostics(vec![diagnostic])
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(false))
    }
}

/// The known id closest to `wanted`, when it is close enough to be a likely typo.
pub fn nearest<'a>(wanted: &str, known: &[&'a str]) -> Option<&'a str> {
    known
        .iter()
        .map(|k| (strsim::levenshtein(wanted, k), *k))
        .filter(|(distance, k)| *distance <= (k.len().max(wanted.len()) / 3).max(2))
        .min()
        .map(|(_, k)| k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_are_shown_by_file_then_line_and_warnings_are_counted_apart() {
        let a = SourceFile::new("content/data/a.yaml", "x\ny\nz\n");
        let b = SourceFile::new("content/data/b.yaml", "x\ny\n");
        let mut diagnostics = Diagnostics::new();
        diagnostics.push(Diagnostic::at(Location::new(&b, 1, 1, 1), "b1"));
        diagnostics.push(Diagnostic::at(Location::new(&a, 3, 1, 1), "a3"));
        diagnostics.push(Diagnostic::warning_at(Location::new(&a, 2, 1, 1), "a2"));
        diagnostics.push(Diagnostic::new("nowhere"));
        diagnostics.push(Diagnostic::at(Location::new(&a, 1, 2, 1), "a1"));
        let order: Vec<&str> = diagnostics
            .sorted()
            .iter()
            .map(|d| d.message.as_str())
            .collect();
        assert_eq!(order, ["nowhere", "a1", "a2", "a3", "b1"]);
        assert_eq!((diagnostics.errors(), diagnostics.warnings()), (4, 1));
        let shown = diagnostics.render(false);
        assert!(shown.contains("warning: a2\n"), "{shown}");
        assert!(shown.ends_with("error: 4 problems found, and 1 warning; nothing was written\n"));
        let warnings = Diagnostics(vec![Diagnostic::warning_at(
            Location::new(&a, 1, 1, 1),
            "w",
        )]);
        assert!(warnings.clone().into_result(()).is_ok());
    }

    #[test]
    fn notes_follow_the_hint() {
        let file = SourceFile::new("content/data/a.yaml", "x\n");
        let shown = Diagnostic::at(Location::new(&file, 1, 1, 1), "m")
            .with_hint("h")
            .with_note("n")
            .render(false);
        assert!(shown.ends_with("help: h\nnote: n"), "{shown}");
    }
}
