//! Markdown to HTML, with links checked and rewritten.
//!
//! Used by the resolve stage ([`crate::model`]) to turn each Markdown page into HTML once.
//! Links are rewritten by a caller-supplied resolver: `@office/<id>` and the other entity
//! links become relative URLs, links to other `.md` pages become the pages' output URLs,
//! and a link the resolver rejects becomes a diagnostic at the link's line and column.
//! Raw HTML and the addresses of links and images are checked against an allowlist
//! ([`html_check`]). Headings get `id` attributes so they can be linked to.

pub mod html_check;

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};

use crate::diagnostic::{Diagnostic, Location};
use crate::load::MarkdownFile;
use html_check::{url_problem, UrlUse};

/// A link the resolver could not resolve: why, and how to fix it.
pub struct LinkError {
    /// The message ("unknown office `help-dsk`").
    pub message: String,
    /// The hint ("did you mean `contact-center`?").
    pub hint: Option<String>,
}

/// The Markdown extensions every page gets (tables, footnotes, strikethrough, task lists).
fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
}

/// Renders a page's body to HTML. `resolve` maps a link target to its output URL: `Some(url)`
/// rewrites it, `None` keeps it.
///
/// The validate stage has reported every problem of the page ([`check`]); the same checks
/// run here again only to keep what they refuse out of the HTML, so a page that was not
/// validated still renders nothing active.
pub fn to_html(page: &MarkdownFile, mut resolve: impl FnMut(&str) -> Option<String>) -> String {
    let body = page.body();
    let mut problems = Vec::new();
    let mut events: Vec<(Event, Range<usize>)> = Vec::new();
    let mut has_html = false;
    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        let event = match event {
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = match url_problem(&dest_url, UrlUse::Image) {
                    Some(found) => {
                        problems.push(address_problem("image", body, &range, &dest_url, found));
                        CowStr::from("")
                    }
                    None => dest_url,
                };
                Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = if let Some(found) = url_problem(&dest_url, UrlUse::Link) {
                    problems.push(address_problem("link", body, &range, &dest_url, found));
                    CowStr::from("#")
                } else {
                    match resolve(&dest_url) {
                        Some(url) => CowStr::from(url),
                        None => dest_url,
                    }
                };
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            }
            event @ (Event::Html(_) | Event::InlineHtml(_)) => {
                has_html = true;
                event
            }
            other => other,
        };
        events.push((event, range));
    }
    if has_html {
        check_raw_html(body, &mut events, &mut problems);
    }
    let mut events: Vec<Event> = events.into_iter().map(|(event, _)| event).collect();
    add_heading_ids(&mut events);
    let mut html = String::with_capacity(body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    html
}

/// Checks a page's body before anything is rendered, so that its problems are reported
/// with the content's other problems, at their line and column in the Markdown, in the
/// order of the page: every link target with `check`, link and image addresses with
/// [`html_check::url_problem`], and every run of raw HTML with [`html_check::check`]. The
/// validate stage calls it; [`to_html`] can then not meet a problem to report.
pub fn check(
    page: &MarkdownFile,
    mut check: impl FnMut(&str) -> Result<(), LinkError>,
) -> Vec<Diagnostic> {
    let body = page.body();
    let mut problems = Vec::new();
    let mut events: Vec<(Event, Range<usize>)> = Vec::new();
    let mut has_html = false;
    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        match &event {
            Event::Start(Tag::Image { dest_url, .. }) => {
                if let Some(found) = url_problem(dest_url, UrlUse::Image) {
                    problems.push(address_problem("image", body, &range, dest_url, found));
                }
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                if let Some(found) = url_problem(dest_url, UrlUse::Link) {
                    problems.push(address_problem("link", body, &range, dest_url, found));
                } else if let Err(error) = check(dest_url) {
                    problems.push(link_problem(body, &range, dest_url, error));
                }
            }
            Event::Html(_) | Event::InlineHtml(_) => has_html = true,
            _ => {}
        }
        events.push((event, range));
    }
    if has_html {
        check_raw_html(body, &mut events, &mut problems);
    }
    diagnostics(page, problems)
}

/// The place in a page's file of the first link or image whose address is `target`, if the
/// page has one: for a broken link found in the built page.
pub fn link_location(page: &MarkdownFile, target: &str) -> Option<Location> {
    let body = page.body();
    Parser::new_ext(body, options())
        .into_offset_iter()
        .find_map(|(event, range)| match event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. })
                if &*dest_url == target =>
            {
                let at = link_target_offset(body, range, target);
                Some(Location::at_offset(
                    &page.file,
                    page.body_start + at,
                    target.chars().count(),
                ))
            }
            _ => None,
        })
}

/// The anchors (`#…`) a page has once rendered by [`to_html`]: the ids of its headings, and
/// the `id`s written in its raw HTML.
pub fn anchors(page: &MarkdownFile) -> Vec<String> {
    let mut events: Vec<Event> = Parser::new_ext(page.body(), options()).collect();
    add_heading_ids(&mut events);
    let mut anchors = Vec::new();
    for event in &events {
        match event {
            Event::Start(Tag::Heading { id: Some(id), .. }) => anchors.push(id.to_string()),
            Event::Html(html) | Event::InlineHtml(html) => anchors.extend(html_ids(html)),
            _ => {}
        }
    }
    anchors
}

/// The values of the `id="…"` attributes written literally in some HTML (or a template).
pub fn html_ids(html: &str) -> Vec<String> {
    let mut ids = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find("id=") {
        let before = rest[..at].chars().next_back();
        rest = &rest[at + 3..];
        if before.is_some_and(|c| !c.is_whitespace()) {
            continue;
        }
        let Some(quote) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') else {
            continue;
        };
        let value = &rest[1..];
        if let Some(end) = value.find(quote) {
            let id = &value[..end];
            if !id.is_empty() && !id.contains("{{") && !id.contains("{%") {
                ids.push(id.to_string());
            }
        }
    }
    ids
}

/// One problem of a page, before it becomes a [`Diagnostic`].
struct Problem {
    /// Byte offset in the page's body.
    at: usize,
    /// Length in characters.
    len: usize,
    /// What is wrong.
    message: String,
    /// The text beside the caret.
    label: &'static str,
    /// How to fix it.
    hint: Option<String>,
}

/// The problem of a link whose target `url` does not lead anywhere.
fn link_problem(body: &str, range: &Range<usize>, url: &str, error: LinkError) -> Problem {
    Problem {
        at: link_target_offset(body, range.clone(), url),
        len: url.chars().count(),
        message: error.message,
        label: "this link does not lead anywhere",
        hint: error.hint,
    }
}

/// The problem of a Markdown link or image address that [`url_problem`] refused.
fn address_problem(
    what: &str,
    body: &str,
    range: &Range<usize>,
    url: &str,
    (why, hint): (String, &str),
) -> Problem {
    Problem {
        at: link_target_offset(body, range.clone(), url),
        len: url.chars().count(),
        message: format!("{what} address `{url}` {why}"),
        label: "not allowed",
        hint: Some(hint.into()),
    }
}

/// The problems as diagnostics, in the order of the page. Line and column are counted
/// onwards from the previous problem, so a page with thousands of them costs one pass.
fn diagnostics(page: &MarkdownFile, mut problems: Vec<Problem>) -> Vec<Diagnostic> {
    problems.sort_by_key(|p| p.at);
    let text = &page.file.text;
    let (mut offset, mut line, mut column) = (0, 1, 1);
    let mut diagnostics = Vec::with_capacity(problems.len());
    for problem in problems {
        let mut at = (page.body_start + problem.at).min(text.len());
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        for c in text[offset..at].chars() {
            if c == '\n' {
                line += 1;
                column = 1;
            } else {
                column += 1;
            }
        }
        offset = at;
        let location = Location::new(&page.file, line, column, problem.len.max(1));
        let mut diagnostic = Diagnostic::at(location, problem.message).with_label(problem.label);
        if let Some(hint) = problem.hint {
            diagnostic = diagnostic.with_hint(hint);
        }
        diagnostics.push(diagnostic);
    }
    diagnostics
}

/// Raw HTML as the browser will read it: consecutive raw events of the page joined (the
/// lines of an HTML block, inline tags side by side, adjacent blocks), with the way back
/// from each byte to the page's body.
#[derive(Default)]
struct RawRun {
    /// The joined HTML.
    html: String,
    /// `(offset in html, offset in body)` where each piece or line starts.
    anchors: Vec<(usize, usize)>,
}

impl RawRun {
    /// Adds the output of one event, `text`, written from `range` of the body.
    ///
    /// Inside a block quote or a list, the text of inline HTML over several lines lacks
    /// the `> ` or indent that starts each line in the body: each line is then anchored
    /// where it ends up in its line of the body.
    fn push(&mut self, body: &str, range: Range<usize>, text: &str) {
        let source = body.get(range.clone()).unwrap_or("");
        if source == text || !text.contains('\n') {
            self.anchors.push((self.html.len(), range.start));
        } else {
            let mut at = self.html.len();
            let mut source_at = range.start;
            let mut source_lines = source.split_inclusive('\n');
            for line in text.split_inclusive('\n') {
                let source_line = source_lines.next().unwrap_or("");
                let content = line.trim_end_matches('\n');
                let source_content = source_line.trim_end_matches('\n');
                let skip = if source_content.ends_with(content) {
                    source_content.len() - content.len()
                } else {
                    0
                };
                self.anchors.push((at, source_at + skip));
                at += line.len();
                source_at += source_line.len();
            }
        }
        self.html.push_str(text);
    }

    /// The body offset of a byte of the joined HTML.
    fn source(&self, at: usize) -> usize {
        let i = self.anchors.partition_point(|&(start, _)| start <= at);
        let (start, source) = self.anchors[i.saturating_sub(1)];
        source + (at - start)
    }
}

/// Checks every run of raw HTML in the events, adding a problem for each thing that is
/// not allowed; a run with problems is left out of the page.
fn check_raw_html(body: &str, events: &mut [(Event, Range<usize>)], problems: &mut Vec<Problem>) {
    let mut in_block = false;
    let mut i = 0;
    while i < events.len() {
        let first = i;
        let mut run = RawRun::default();
        while let Some((event, range)) = events.get(i) {
            match event {
                Event::Start(Tag::HtmlBlock) => in_block = true,
                Event::End(TagEnd::HtmlBlock) => in_block = false,
                Event::Html(text) | Event::InlineHtml(text) => {
                    run.push(body, range.clone(), text);
                }
                // The indent of a line of an HTML block whose tab was split.
                Event::Text(text) if in_block => {
                    let mut escaped = String::new();
                    let text = Event::Text(text.clone());
                    pulldown_cmark::html::push_html(&mut escaped, std::iter::once(text));
                    run.push(body, range.clone(), &escaped);
                }
                _ => break,
            }
            i += 1;
        }
        if i == first {
            i += 1;
            continue;
        }
        let found = html_check::check(&run.html);
        if found.is_empty() {
            continue;
        }
        for (event, _) in &mut events[first..i] {
            if let Event::Html(_) | Event::InlineHtml(_) = event {
                *event = Event::Html(CowStr::from(""));
            }
        }
        for problem in found {
            let shown = &run.html[problem.start..problem.end];
            problems.push(Problem {
                at: run.source(problem.start),
                len: shown.split('\n').next().unwrap_or("").chars().count(),
                message: problem.message,
                label: "not allowed in a page",
                hint: Some(problem.hint),
            });
        }
    }
}

/// The byte offset of a link's target inside the link's source text (or its start): after
/// the `](` of an inline link, so that a target that is also a word of the link's text
/// (`[the notes](notes)`) is found where it is the target.
fn link_target_offset(body: &str, range: Range<usize>, target: &str) -> usize {
    body.get(range.clone())
        .and_then(|text| {
            let after = text.find("](").map_or(0, |i| i + 2);
            text[after..]
                .find(target)
                .map(|i| after + i)
                .or_else(|| text.find(target))
        })
        .map_or(range.start, |i| range.start + i)
}

/// The ids given to a page's headings so far, so that each new one is made unique in
/// constant time on average, however many headings share a text.
#[derive(Default)]
struct HeadingIds {
    /// Every id given.
    used: HashSet<String>,
    /// For each base id that was taken, the number to try next (`x-2`, `x-3`, …).
    next: HashMap<String, usize>,
}

impl HeadingIds {
    /// `base` if it is free, otherwise the first free one of `base-2`, `base-3`, …; it is
    /// taken from then on.
    ///
    /// A number once tried for a base is never tried again, and a taken id can block only
    /// one number of one base, so the work for a page is linear in its headings.
    fn unique(&mut self, base: String) -> String {
        if !self.used.contains(&base) {
            self.used.insert(base.clone());
            return base;
        }
        let n = self.next.entry(base.clone()).or_insert(2);
        loop {
            let id = format!("{base}-{n}");
            *n += 1;
            if !self.used.contains(&id) {
                self.used.insert(id.clone());
                return id;
            }
        }
    }
}

/// Gives every heading without an id one made from its text, unique within the page.
fn add_heading_ids(events: &mut [Event]) {
    let mut ids = HeadingIds::default();
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading { id: None, .. }) = &events[i] {
            let mut text = String::new();
            for event in &events[i + 1..] {
                match event {
                    Event::End(TagEnd::Heading(_)) => break,
                    Event::Text(t) | Event::Code(t) => text.push_str(t),
                    _ => {}
                }
            }
            let base = slugify(&text);
            let base = if base.is_empty() {
                "section".to_string()
            } else {
                base
            };
            let slug = ids.unique(base);
            if let Event::Start(Tag::Heading {
                level,
                classes,
                attrs,
                ..
            }) = std::mem::replace(&mut events[i], Event::HardBreak)
            {
                events[i] = Event::Start(Tag::Heading {
                    level,
                    id: Some(CowStr::from(slug)),
                    classes,
                    attrs,
                });
            }
        }
        i += 1;
    }
}

/// Lower-case words joined by hyphens: `What to Do?` → `what-to-do`.
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_alphanumeric() {
            slug.extend(c.to_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').to_string()
}

/// The plain text of the first paragraph, for descriptions and search snippets.
pub fn plain_text(markdown: &str) -> String {
    let mut text = String::new();
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            Event::End(TagEnd::Paragraph) | Event::End(TagEnd::Heading(_)) => text.push(' '),
            _ => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The ids `add_heading_ids` gives to headings with these texts, in order.
    fn heading_ids(texts: &[&str]) -> Vec<String> {
        let markdown: String = texts.iter().map(|t| format!("## {t}\n\n")).collect();
        let mut events: Vec<Event> = Parser::new_ext(&markdown, options()).collect();
        add_heading_ids(&mut events);
        events
            .into_iter()
            .filter_map(|event| match event {
                Event::Start(Tag::Heading { id: Some(id), .. }) => Some(id.to_string()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn repeated_headings_get_numbered_ids() {
        assert_eq!(heading_ids(&["x", "x", "x"]), ["x", "x-2", "x-3"]);
        // A heading literally called `x-2` takes neither an id given nor its own twice.
        assert_eq!(
            heading_ids(&["x", "x", "x-2", "x", "x-2"]),
            ["x", "x-2", "x-2-2", "x-3", "x-2-3"]
        );
        assert_eq!(heading_ids(&["x-2", "x", "x"]), ["x-2", "x", "x-3"]);
        assert_eq!(heading_ids(&["?", "!"]), ["section", "section-2"]);
    }

    #[test]
    fn thousands_of_identical_headings_get_distinct_ids() {
        let ids = heading_ids(&vec!["Step"; 5000]);
        let distinct: HashSet<&String> = ids.iter().collect();
        assert_eq!(distinct.len(), 5000);
        assert_eq!(ids[4999], "step-5000");
    }

    /// The `line:column message` of each problem `check` finds in a page with `body`.
    fn problems(body: &str) -> Vec<String> {
        let file = crate::diagnostic::SourceFile::new(
            "content/pages/p.md",
            format!("---\ntitle: P\n---\n{body}"),
        );
        let mut diagnostics = crate::diagnostic::Diagnostics::new();
        let page = crate::load::parse_markdown("p.md".into(), file, &mut diagnostics).unwrap();
        let found = check(&page, |_| Ok(()));
        found
            .iter()
            .map(|d| {
                let at = d.location.as_ref().unwrap();
                format!("{}:{} {}", at.line, at.column, d.message)
            })
            .collect()
    }

    #[test]
    fn problems_are_reported_in_page_order_at_their_place() {
        let body = "[ftp](ftp://x/) and <b>\n\
                    > quoted <span\n\
                    > onclick=x>s</span> ![i](//host/i.png)\n\n\
                    <div>\n<a href=\"java\nscript:x\">a</a></div>\n\n\
                    [call](tel:+18005550100) [mail](mailto:a@b.gov) [top](#top) ![i](i.png)\n";
        assert_eq!(
            problems(body),
            [
                "4:7 link address `ftp://x/` uses the `ftp:` scheme; a link may lead only to a \
                 web page (`http:`, `https:`), an email address (`mailto:`), a phone number \
                 (`tel:`) or a page of the guide",
                "6:3 `onclick=` is an event attribute, which runs code in the reader's browser",
                "6:27 image address `//host/i.png` loads an image from another site, which \
                 would learn who reads the page (the guide loads nothing from other hosts)",
                "9:4 `href=` address `java\\nscript:x` could run code in the reader's browser",
            ]
        );
    }

    #[test]
    fn slugs_are_lower_case_words() {
        assert_eq!(
            slugify("What to Do During My Call?"),
            "what-to-do-during-my-call"
        );
        assert_eq!(slugify("Step 2: wait"), "step-2-wait");
    }
}
