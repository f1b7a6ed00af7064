//! Markdown to HTML, with links checked and rewritten.
//!
//! Used by the resolve stage ([`crate::model`]) to turn each Markdown page into HTML once.
//! Links are rewritten by a caller-supplied resolver: `@office/<id>` and the other entity
//! links become relative URLs, links to other `.md` pages become the pages' output URLs,
//! and a link the resolver rejects becomes a diagnostic at the link's line and column.
//! Headings get `id` attributes so they can be linked to.

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};

use crate::diagnostic::{Diagnostic, Location};
use crate::load::MarkdownFile;

/// A link the resolver could not resolve: why, and how to fix it.
pub struct LinkError {
    /// The message ("unknown office `ncsc`").
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

/// Renders a page's body to HTML. `resolve` maps a link target to its output URL:
/// `Ok(Some(url))` rewrites it, `Ok(None)` keeps it, `Err` reports it.
pub fn to_html(
    page: &MarkdownFile,
    mut resolve: impl FnMut(&str) -> Result<Option<String>, LinkError>,
) -> (String, Vec<Diagnostic>) {
    let body = page.body();
    let mut diagnostics = Vec::new();
    let mut events: Vec<Event> = Vec::new();
    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        let event = match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = match resolve(&dest_url) {
                    Ok(Some(url)) => CowStr::from(url),
                    Ok(None) => dest_url,
                    Err(error) => {
                        let offset =
                            page.body_start + link_target_offset(body, range.clone(), &dest_url);
                        let location =
                            Location::at_offset(&page.file, offset, dest_url.chars().count());
                        let mut diagnostic = Diagnostic::at(location, error.message)
                            .with_label("this link does not lead anywhere");
                        if let Some(hint) = error.hint {
                            diagnostic = diagnostic.with_hint(hint);
                        }
                        diagnostics.push(diagnostic);
                        dest_url
                    }
                };
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            }
            other => other,
        };
        events.push(event);
    }
    add_heading_ids(&mut events);
    let mut html = String::with_capacity(body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    (html, diagnostics)
}

/// The byte offset of a link's target inside the link's source text (or its start).
fn link_target_offset(body: &str, range: std::ops::Range<usize>, target: &str) -> usize {
    body.get(range.clone())
        .and_then(|text| text.find(target))
        .map_or(range.start, |i| range.start + i)
}

/// Gives every heading without an id one made from its text, unique within the page.
fn add_heading_ids(events: &mut [Event]) {
    let mut used: Vec<String> = Vec::new();
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
            let mut slug = base.clone();
            let mut n = 1;
            while used.contains(&slug) {
                n += 1;
                slug = format!("{base}-{n}");
            }
            used.push(slug.clone());
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

    #[test]
    fn slugs_are_lower_case_words() {
        assert_eq!(
            slugify("What to Do During My Call?"),
            "what-to-do-during-my-call"
        );
        assert_eq!(slugify("Step 2: wait"), "step-2-wait");
    }
}
