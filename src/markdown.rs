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
        let mut report =
            |offset: usize, len: usize, message: String, label: &str, hint: Option<String>| {
                let location = Location::at_offset(&page.file, page.body_start + offset, len);
                let mut diagnostic = Diagnostic::at(location, message).with_label(label);
                if let Some(hint) = hint {
                    diagnostic = diagnostic.with_hint(hint);
                }
                diagnostics.push(diagnostic);
            };
        let event = match event {
            Event::Html(html) | Event::InlineHtml(html) if unsafe_html(&html).is_some() => {
                let (at, what) = unsafe_html(&html).unwrap_or((0, ""));
                let len = html[at..]
                    .find('>')
                    .map_or(1, |end| html[at..at + end + 1].chars().count());
                report(
                    range.start + at,
                    len,
                    format!(
                        "this Markdown has {what}, which could run code in the reader's browser"
                    ),
                    "not allowed in a page",
                    Some(
                        "write the content in Markdown; scripts, frames, embedded objects and \
                         `on…=` event attributes are not allowed"
                            .into(),
                    ),
                );
                continue;
            }
            Event::Start(Tag::Image { dest_url, .. }) if unsafe_url(&dest_url) => {
                let at = link_target_offset(body, range.clone(), &dest_url);
                report(
                    at,
                    dest_url.chars().count(),
                    format!("image address `{dest_url}` could run code"),
                    "not allowed",
                    Some(UNSAFE_URL_HINT.into()),
                );
                continue;
            }
            Event::Start(Tag::Link { dest_url, .. }) if unsafe_url(&dest_url) => {
                let at = link_target_offset(body, range.clone(), &dest_url);
                report(
                    at,
                    dest_url.chars().count(),
                    format!("link address `{dest_url}` could run code"),
                    "not allowed",
                    Some(UNSAFE_URL_HINT.into()),
                );
                Event::Start(Tag::Link {
                    link_type: pulldown_cmark::LinkType::Inline,
                    dest_url: CowStr::from("#"),
                    title: CowStr::from(""),
                    id: CowStr::from(""),
                })
            }
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
                        let at = link_target_offset(body, range.clone(), &dest_url);
                        report(
                            at,
                            dest_url.chars().count(),
                            error.message,
                            "this link does not lead anywhere",
                            error.hint,
                        );
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

const UNSAFE_URL_HINT: &str =
    "use an http(s), mailto: or tel: address, or a link to a page of the guide";

/// Tags that can run code or load other pages inside a page.
const UNSAFE_TAGS: [(&str, &str); 7] = [
    ("<script", "a `<script>` element"),
    ("<iframe", "an `<iframe>` element"),
    ("<object", "an `<object>` element"),
    ("<embed", "an `<embed>` element"),
    ("<frame", "a `<frame>` element"),
    ("<base", "a `<base>` element"),
    ("<meta", "a `<meta>` element"),
];

/// The first dangerous thing in a piece of raw HTML: its byte offset and what it is.
pub fn unsafe_html(html: &str) -> Option<(usize, &'static str)> {
    let lower = html.to_ascii_lowercase();
    for (tag, what) in UNSAFE_TAGS {
        if let Some(at) = lower.find(tag) {
            return Some((at, what));
        }
    }
    // An event handler attribute: whitespace or `/`, then `on<letters>` and `=`.
    let bytes = lower.as_bytes();
    for (i, window) in bytes.windows(2).enumerate() {
        let before_ok = i == 0 || bytes[i - 1].is_ascii_whitespace() || bytes[i - 1] == b'/';
        if window == b"on" && before_ok && lower[..i].contains('<') {
            let rest = &lower[i + 2..];
            let name_len = rest.bytes().take_while(u8::is_ascii_alphabetic).count();
            if name_len > 0 && rest[name_len..].trim_start().starts_with('=') {
                return Some((i, "an `on…=` event attribute"));
            }
        }
    }
    // Browsers decode character references and skip tabs and line breaks in addresses,
    // so look for the schemes in the text as a browser would read it.
    let decoded: String = decode_references(&lower)
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_control())
        .collect();
    for scheme in ["javascript:", "vbscript:", "data:"] {
        let in_attribute = ["=\"", "='", "="]
            .iter()
            .any(|opening| decoded.contains(&format!("{opening}{scheme}")));
        if in_attribute {
            let at = lower.find(&scheme[..4]).unwrap_or(0);
            return Some((at, "a `javascript:`, `vbscript:` or `data:` address"));
        }
    }
    None
}

/// Decodes numeric character references (`&#115;`, `&#x73;`) and the named ones used to
/// hide schemes (`&colon;`, `&tab;`, `&newline;`).
fn decode_references(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest[1..]
            .find(|c: char| !c.is_ascii_alphanumeric() && c != '#')
            .map_or(rest.len(), |e| e + 1);
        let name = &rest[1..end];
        let decoded = match name {
            "colon" => Some(':'),
            "tab" => Some('\t'),
            "newline" => Some('\n'),
            n if n.starts_with("#x") => u32::from_str_radix(&n[2..], 16)
                .ok()
                .and_then(char::from_u32),
            n if n.starts_with('#') => n[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = rest[end..].strip_prefix(';').unwrap_or(&rest[end..]);
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// True for link addresses that run code: `javascript:`, `vbscript:` and `data:`.
pub fn unsafe_url(url: &str) -> bool {
    let cleaned: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    ["javascript:", "vbscript:", "data:"]
        .iter()
        .any(|s| cleaned.starts_with(s))
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
    fn code_in_html_and_addresses_is_found() {
        assert_eq!(
            unsafe_html("<script>alert(1)</script>"),
            Some((0, "a `<script>` element"))
        );
        assert_eq!(
            unsafe_html("<IFRAME src=x>"),
            Some((0, "an `<iframe>` element"))
        );
        assert_eq!(
            unsafe_html("<img src=x onerror=alert(1)>"),
            Some((11, "an `on…=` event attribute"))
        );
        assert_eq!(
            unsafe_html("<a href=\"java&#x73;cript&colon;x\">"),
            Some((9, "a `javascript:`, `vbscript:` or `data:` address"))
        );
        assert!(unsafe_html("<a href=\"jav\tascript:x\">").is_some());
        assert_eq!(unsafe_html("<kbd>Enter</kbd>"), None);
        assert_eq!(unsafe_html("<p>Call us on Monday</p>"), None);
        assert_eq!(unsafe_html("<p>Enter data: your name</p>"), None);
        assert!(unsafe_url(" JavaScript:alert(1)"));
        assert!(unsafe_url("data:text/html,x"));
        assert!(!unsafe_url("https://www.uscis.gov"));
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
