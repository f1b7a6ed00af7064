//! Template errors in plain words, at the theme file and line of the mistake.
//!
//! Tera reports an unclosed `{% if %}` as "Unknown tag" at the `{% endblock %}` it runs into,
//! and an unknown filter, test, function or included template as text that names only the
//! template (`page.html:3:21`), not the theme file. Here the first is traced back to the tag
//! left open, and the second is read back into one diagnostic per mistake, at the file under
//! `themes/`, with the names that do exist. An error met while rendering is reported once
//! per mistake, naming the page and the data record that triggered it.

use tera::ErrorKind;

use super::inputs::view_entities;
use crate::diagnostic::nearest;
use crate::diagnostic::{Diagnostic, Diagnostics, Location, SourceFile};
use crate::load::Theme;
use crate::model::Site;
use crate::plan::{PlannedPage, Subject};

/// The tags that open a section closed by `end<tag>`.
const SECTIONS: [&str; 6] = ["if", "for", "block", "filter", "raw", "macro"];

/// A tag of a template: its name and where it starts (byte offset of `{%`).
struct TagAt<'a> {
    name: &'a str,
    at: usize,
}

/// The `{% … %}` tags of a template before byte `end`, in order.
fn tags(text: &str, end: usize) -> Vec<TagAt<'_>> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(open) = text[from..].find("{%") {
        let at = from + open;
        if at >= end {
            break;
        }
        let inner = text[at + 2..].trim_start_matches(['-', ' ', '\t', '\n', '\r']);
        let name_len = inner
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(inner.len());
        found.push(TagAt {
            name: &inner[..name_len],
            at,
        });
        from = at + 2;
    }
    found
}

/// For Tera's "Unknown tag" at byte `at` of `file`: the diagnostic for the section left
/// open before it (`{% if %}` without `{% endif %}`), for an `{% end… %}` with no section to
/// close, or for a tag that does not exist.
pub(super) fn unknown_tag(file: &SourceFile, at: usize) -> Option<Diagnostic> {
    let all = tags(&file.text, file.text.len());
    let here = all.iter().rev().find(|t| t.at <= at)?;
    match here.name.strip_prefix("end") {
        Some(closes) => misplaced_end(file, here, closes, &open_before(&all, here)),
        None => Some(no_such_tag(file, here)),
    }
}

/// The sections still open where `here` starts, the innermost last.
fn open_before<'t, 'a>(all: &'t [TagAt<'a>], here: &TagAt) -> Vec<&'t TagAt<'a>> {
    let mut open: Vec<&TagAt> = Vec::new();
    for tag in all.iter().filter(|t| t.at < here.at) {
        if SECTIONS.contains(&tag.name) {
            open.push(tag);
        } else if let Some(closed) = tag.name.strip_prefix("end") {
            if open.last().is_some_and(|o| o.name == closed) {
                open.pop();
            }
        }
    }
    open
}

/// The text of the tag that starts at byte `at` of `text`, through its `%}`.
fn tag_text(text: &str, at: usize) -> &str {
    let len = text[at..].find("%}").map_or(2, |e| e + 2);
    &text[at..at + len]
}

/// For `here`, an `{% end… %}` that closes `closes`, with the sections `open` before it:
/// the diagnostic for a section left open inside the one it closes, or for an end tag that
/// closes nothing; `None` when it closes the innermost open section after all.
fn misplaced_end(
    file: &SourceFile,
    here: &TagAt,
    closes: &str,
    open: &[&TagAt],
) -> Option<Diagnostic> {
    let (line, column) = file.line_col(here.at);
    let here_shown = tag_text(&file.text, here.at);
    let closes_one = open.iter().any(|o| o.name == closes);
    if let Some(unclosed) = open.last().filter(|o| o.name != closes && closes_one) {
        let (open_line, open_column) = file.line_col(unclosed.at);
        let len = tag_text(&file.text, unclosed.at).len();
        return Some(
            Diagnostic::at(
                Location::new(file, open_line, open_column, len),
                format!(
                    "the `{{% {} %}}` opened on line {open_line} is not closed",
                    unclosed.name
                ),
            )
            .with_label("opened here")
            .with_hint(format!(
                "add `{{% end{} %}}` before `{here_shown}` on line {line}",
                unclosed.name
            )),
        );
    }
    (!closes_one).then(|| {
        Diagnostic::at(
            Location::new(file, line, column, here_shown.len()),
            format!("`{here_shown}` closes nothing: no `{{% {closes} %}}` is open here"),
        )
        .with_label("nothing to close")
        .with_hint(format!(
            "remove it, or add the `{{% {closes} … %}}` it was meant to close"
        ))
    })
}

/// The tags Tera has.
const TAGS: [&str; 15] = [
    "if",
    "elif",
    "else",
    "for",
    "break",
    "continue",
    "block",
    "extends",
    "include",
    "set",
    "set_global",
    "filter",
    "raw",
    "macro",
    "component",
];

/// For `here`, a tag Tera does not have: the diagnostic naming it, with the nearest tag
/// that exists.
fn no_such_tag(file: &SourceFile, here: &TagAt) -> Diagnostic {
    let (line, column) = file.line_col(here.at);
    let hint = match nearest(here.name, &TAGS) {
        Some(near) => format!("did you mean `{near}`? The tags are: {}", TAGS.join(", ")),
        None => format!("the tags are: {}", TAGS.join(", ")),
    };
    Diagnostic::at(
        Location::new(file, line, column, tag_text(&file.text, here.at).len()),
        format!("unknown tag `{}`", here.name),
    )
    .with_label("no tag is called this")
    .with_hint(hint)
}

/// The filters Tera has, as far as casepath's templates may use them.
const FILTERS: [&str; 35] = [
    "safe",
    "default",
    "upper",
    "lower",
    "wordcount",
    "escape",
    "escape_html",
    "escape_xml",
    "newlines_to_br",
    "pluralize",
    "trim",
    "trim_start",
    "trim_end",
    "replace",
    "capitalize",
    "title",
    "truncate",
    "indent",
    "str",
    "int",
    "float",
    "length",
    "reverse",
    "split",
    "abs",
    "round",
    "first",
    "last",
    "nth",
    "join",
    "sort",
    "unique",
    "get",
    "values",
    "keys",
];

/// The tests and functions Tera has.
const TESTS: [&str; 17] = [
    "string",
    "number",
    "map",
    "bool",
    "array",
    "integer",
    "float",
    "none",
    "iterable",
    "defined",
    "undefined",
    "odd",
    "even",
    "divisible_by",
    "starting_with",
    "ending_with",
    "containing",
];

/// The functions Tera has.
const FUNCTIONS: [&str; 2] = ["range", "throw"];

/// The diagnostics in an error message of Tera that holds its own reports (`error: Unknown
/// filter `x`` then ` --> page.html:3:21` and the line with carets), one per report, at the
/// theme's file. Empty when the message holds none.
pub(super) fn from_reports(message: &str, theme: &Theme) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    let lines: Vec<&str> = message.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let Some(title) = line.trim_start().strip_prefix("error: ") else {
            continue;
        };
        let Some(place) = lines
            .get(i + 1)
            .and_then(|l| l.trim_start().strip_prefix("--> "))
        else {
            continue;
        };
        let mut parts = place.rsplitn(3, ':');
        let (Some(column), Some(line_no), Some(name)) = (parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        let (Ok(line_no), Ok(column)) = (line_no.trim().parse(), column.trim().parse()) else {
            continue;
        };
        let len = lines[i + 1..]
            .iter()
            .take(5)
            .find_map(|l| {
                let carets = l.split('|').nth(1)?.trim();
                (carets.starts_with('^')).then(|| carets.chars().filter(|c| *c == '^').count())
            })
            .unwrap_or(1);
        let file = theme
            .templates
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, file)| file.clone())
            .unwrap_or_else(|| SourceFile::new(name, ""));
        found.push(unknown_name(
            title,
            Location::new(&file, line_no, column, len),
            theme,
        ));
    }
    found
}

/// The diagnostic for one report of Tera, `title` ("Unknown filter `upcase`"), at `location`.
fn unknown_name(title: &str, location: Location, theme: &Theme) -> Diagnostic {
    let name = title.split('`').nth(1).unwrap_or_default().to_string();
    let templates: Vec<&str> = theme.templates.iter().map(|(n, _)| n.as_str()).collect();
    let (what, known): (&str, Vec<&str>) = if title.starts_with("Unknown filter") {
        ("filter", FILTERS.to_vec())
    } else if title.starts_with("Unknown test") {
        ("test", TESTS.to_vec())
    } else if title.starts_with("Unknown function") {
        ("function", FUNCTIONS.to_vec())
    } else if title.starts_with("Unknown template") {
        ("template", templates)
    } else {
        return Diagnostic::at(location, format!("template error: {title}"));
    };
    let hint = match nearest(&name, &known) {
        Some(near) => format!("did you mean `{near}`?"),
        None => format!("the {what}s are: {}", known.join(", ")),
    };
    Diagnostic::at(location, format!("unknown {what} `{name}`"))
        .with_label(format!("no {what} is called this"))
        .with_hint(hint)
}

/// The pages that failed to render. The same template mistake fails on many pages: it is
/// reported once, with the first page that hit it and how many others did.
#[derive(Default)]
pub(super) struct Failures<'p> {
    /// Each mistake (as [`error_key`] names it) with its error, first page and how many
    /// other pages hit it.
    found: Vec<(String, tera::Error, &'p PlannedPage, usize)>,
}

impl<'p> Failures<'p> {
    /// Counts `error`, met while rendering `page`.
    pub(super) fn add(&mut self, error: tera::Error, page: &'p PlannedPage) {
        let key = error_key(&error);
        match self.found.iter_mut().find(|(k, ..)| *k == key) {
            Some((.., others)) => *others += 1,
            None => self.found.push((key, error, page, 0)),
        }
    }

    /// One diagnostic per mistake, at its template's line and column, naming the page and
    /// the data it was rendered for.
    pub(super) fn into_diagnostics(self, site: &Site, theme: &Theme) -> Diagnostics {
        let mut diagnostics = Diagnostics::new();
        for (_, error, page, others) in &self.found {
            let mut trigger = format!(
                "while rendering `{}` for {}",
                page.url,
                describe_subject(site, page)
            );
            if *others > 0 {
                trigger.push_str(&format!(
                    ", and {others} more page{}",
                    if *others == 1 { "" } else { "s" }
                ));
            }
            diagnostics.push(template_diagnostic(error, theme, Some(trigger)));
        }
        diagnostics
    }
}

/// What makes two template errors the same mistake: the template, place and message.
fn error_key(error: &tera::Error) -> String {
    match error.kind() {
        ErrorKind::SyntaxError(r) | ErrorKind::RenderingError(r) => {
            format!("{}:{:?}:{}", r.filename(), r.span(), r.message())
        }
        other => other.to_string(),
    }
}

/// Names the data behind a page, so a template error points at the content too.
fn describe_subject(site: &Site, page: &PlannedPage) -> String {
    let (offices, channels, paths) = view_entities(site, page.view);
    match page.subject {
        Subject::Office(i) => format!("office `{}` (content/data/offices.yaml)", offices[i].id),
        Subject::Channel(i) => format!("channel `{}` (content/data/channels.yaml)", channels[i].id),
        Subject::Path(i) => format!("path `{}` (content/data/paths.yaml)", paths[i].id),
        Subject::Source(i) => format!(
            "source `{}` (content/data/sources.yaml)",
            site.sources[i].id
        ),
        Subject::Page(i) => format!("content/pages/{}", site.pages[i].source_path),
        Subject::FlowchartNode(i) => format!(
            "flowchart node `{}` (content/data/flowchart.yaml)",
            site.flowchart
                .as_ref()
                .map_or("", |c| c.nodes[i].id.as_str())
        ),
        Subject::Handout(i) => format!(
            "the handout of path `{}` (content/data/paths.yaml)",
            site.handouts[i].id
        ),
        other => format!("the {other:?} page").to_lowercase(),
    }
}

/// A diagnostic for a Tera error, at the template's line and column when Tera gives one.
pub(super) fn template_diagnostic(
    error: &tera::Error,
    theme: &Theme,
    trigger: Option<String>,
) -> Diagnostic {
    let report = match error.kind() {
        ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => Some(report),
        _ => None,
    };
    let mut diagnostic = match report {
        Some(report) => {
            let file = theme
                .templates
                .iter()
                .find(|(name, _)| name == report.filename())
                .map(|(_, file)| file.clone())
                .unwrap_or_else(|| SourceFile::new(report.filename(), ""));
            let span = report.span();
            let len = if span.start_line == span.end_line {
                span.end_col.saturating_sub(span.start_col).max(1)
            } else {
                1
            };
            let location = Location::new(&file, span.start_line, span.start_col + 1, len);
            let unknown_tag = (report.message() == "Unknown tag")
                .then(|| unknown_tag(&file, span.range.start))
                .flatten();
            unknown_tag.unwrap_or_else(|| {
                Diagnostic::at(location, format!("template error: {}", report.message()))
                    .with_label("here")
            })
        }
        None => Diagnostic::new(format!("template error: {error}")),
    };
    if let Some(trigger) = trigger {
        diagnostic = diagnostic.with_hint(trigger);
    }
    diagnostic
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unclosed_if_is_found_from_the_endblock_it_runs_into() {
        let text = "{% block content %}\n{% if x %}\n<p>{% for a in b %}{% endfor %}</p>\n{% endblock content %}\n";
        let file = SourceFile::new("themes/default/templates/page.html", text);
        let at = text.find("{% endblock").unwrap() + 3;
        let found = unknown_tag(&file, at).unwrap();
        assert_eq!(
            found.message,
            "the `{% if %}` opened on line 2 is not closed"
        );
        assert_eq!(
            found.position().as_deref(),
            Some("themes/default/templates/page.html:2:1")
        );
        assert_eq!(
            found.hint.as_deref(),
            Some("add `{% endif %}` before `{% endblock content %}` on line 4")
        );
    }

    #[test]
    fn every_listed_filter_exists() {
        for filter in FILTERS {
            let mut tera = tera::Tera::default();
            let template = format!("{{{{ x | {filter} }}}}");
            assert!(tera.add_raw_template("t", &template).is_ok(), "{filter}");
        }
    }
}
