//! What the site's search finds, a view of the resolved Site model: one [`Document`] per
//! page of the current view (paths, offices, channels, Markdown pages and sources).
//!
//! [`crate::publish`] writes them with their text as `search-index.js`, which the theme's
//! `search.js` searches in the browser. The search page lists the same pages from A to Z
//! ([`a_to_z`]), so a reader without JavaScript can still find a page, and a reader with it
//! can browse.
//!
//! The index is our own small format, a script that assigns a global
//! (`window.CASEPATH_SEARCH = [...]`): a page can load it with a `<script>` tag, which
//! works offline and from `file://`, where `fetch` of a JSON file is blocked. Each entry is
//! `{t: title, u: URL, k: kind, v: true when the page is an unofficial source, b: text}`.
//! The kind is an id (`path`, `office`, `channel`, `page`, `source`): the theme names it.
//! In the text, what only an unofficial source says is wrapped in [`UNVERIFIED_START`] and
//! [`UNVERIFIED_END`], so a result's snippet can keep the theme's "unverified" label.

use rayon::prelude::*;
use serde::Serialize;

use crate::markdown::plain_text;
use crate::model::parts::contacts;
use crate::model::{Channel, ItemView, Office, Page, PartView, Path, Site, Source};

/// Marks the start of text that rests only on unofficial sources.
pub const UNVERIFIED_START: char = '\u{1}';
/// Marks the end of such text.
pub const UNVERIFIED_END: char = '\u{2}';

/// A page that search finds.
pub struct Document<'a> {
    /// Its title.
    pub title: &'a str,
    /// Its site-relative URL.
    pub url: &'a str,
    /// `path`, `office`, `channel`, `page` or `source`.
    pub kind: &'static str,
    /// True for the page of an unofficial source.
    pub unverified: bool,
    /// What the page shows, to make its text from.
    subject: Subject<'a>,
}

/// The record behind a document.
enum Subject<'a> {
    Path(&'a Path),
    Office(&'a Office),
    Channel(&'a Channel),
    Page(&'a Page),
    Source(&'a Source),
}

/// The searchable pages of the current view, in a stable order: paths, offices, channels,
/// Markdown pages, sources.
pub fn documents(site: &Site) -> Vec<Document<'_>> {
    let subjects = (site.paths.iter().map(Subject::Path))
        .chain(site.offices.iter().map(Subject::Office))
        .chain(site.channels.iter().map(Subject::Channel))
        .chain(site.pages.iter().map(Subject::Page))
        .chain(site.sources.iter().map(Subject::Source));
    subjects
        .map(|subject| {
            let (title, url, kind, unverified) = match subject {
                Subject::Path(p) => (&p.name, &p.url, "path", false),
                Subject::Office(o) => (&o.name, &o.url, "office", false),
                Subject::Channel(c) => (&c.name, &c.url, "channel", false),
                Subject::Page(p) => (&p.title, &p.url, "page", false),
                Subject::Source(s) => (&s.title, &s.url, "source", s.unverified),
            };
            Document {
                title,
                url,
                kind,
                unverified,
                subject,
            }
        })
        .collect()
}

impl Document<'_> {
    /// The page's text as plain words, with unofficial parts marked.
    pub fn text(&self) -> String {
        match self.subject {
            Subject::Path(p) => {
                let mut body = format!("{} {} ", p.summary, p.for_whom);
                for s in &p.steps {
                    body.push_str(&s.title);
                    body.push_str(". ");
                    body.push_str(&texts(contacts(&s.contacts).chain(s.parts())));
                }
                body
            }
            Subject::Office(o) => {
                let prefix = o.receipt_prefix.as_ref().map_or("", |p| p.value.as_str());
                let mut body = format!("{} {} {prefix} ", names(o.parts()), o.summary);
                body.push_str(&texts(o.parts()));
                body
            }
            Subject::Channel(c) => {
                let mut body = format!("{} {} ", names(c.parts()), c.summary);
                body.push_str(&texts(c.parts()));
                body
            }
            Subject::Page(p) => plain_text_of_html(&p.html),
            Subject::Source(s) => plain_text(&format!(
                "{} {}",
                s.summary,
                s.text.split_whitespace().collect::<Vec<_>>().join(" ")
            )),
        }
    }
}

/// One entry of the search index.
#[derive(Serialize)]
struct IndexEntry<'a> {
    /// Title.
    t: &'a str,
    /// Site-relative URL.
    u: &'a str,
    /// Kind, named by the theme.
    k: &'static str,
    /// True for an unofficial source.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    v: bool,
    /// Plain text.
    b: String,
}

/// `search-index.js`: every document with its text, made in parallel.
pub fn index_script(site: &Site) -> String {
    let entries: Vec<IndexEntry<'_>> = documents(site)
        .par_iter()
        .map(|d| IndexEntry {
            t: d.title,
            u: d.url,
            k: d.kind,
            v: d.unverified,
            b: d.text(),
        })
        .collect();
    let json = serde_json::to_string(&entries).unwrap_or_else(|_| "[]".into());
    format!("window.CASEPATH_SEARCH = {json};\n")
}

/// The pages under one letter of the A–Z list.
#[derive(Debug, Serialize, Clone, PartialEq)]
pub struct Letter {
    /// The letter as shown: `A`, or `0–9` for titles that start with a digit.
    pub letter: String,
    /// The letter as an anchor (`A`, `0-9`).
    pub anchor: String,
    /// Its pages, by title.
    pub pages: Vec<Listed>,
}

/// A page in the A–Z list.
#[derive(Debug, Serialize, Clone, PartialEq)]
pub struct Listed {
    /// Title.
    pub title: String,
    /// Site-relative URL.
    pub url: String,
    /// Kind, as in the search index.
    pub kind: &'static str,
    /// True for an unofficial source.
    pub unverified: bool,
}

/// Every searchable page, grouped by the first letter or digit of its title and sorted by
/// title (case and leading punctuation ignored).
pub fn a_to_z(site: &Site) -> Vec<Letter> {
    let key = |title: &str| -> String {
        title
            .trim_start_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase()
    };
    let mut docs = documents(site);
    docs.sort_by_cached_key(|d| (key(d.title), d.url.to_string()));
    let mut letters: Vec<Letter> = Vec::new();
    for d in docs {
        let first = key(d.title).chars().next();
        let (letter, anchor) = match first {
            Some(c) if c.is_numeric() => ("0–9".to_string(), "0-9".to_string()),
            Some(c) => {
                let upper: String = c.to_uppercase().collect();
                (upper.clone(), upper)
            }
            None => ("…".to_string(), "other".to_string()),
        };
        if letters.last().is_none_or(|l| l.letter != letter) {
            letters.push(Letter {
                letter,
                anchor,
                pages: Vec::new(),
            });
        }
        if let Some(last) = letters.last_mut() {
            last.pages.push(Listed {
                title: d.title.to_string(),
                url: d.url.to_string(),
                kind: d.kind,
                unverified: d.unverified,
            });
        }
    }
    letters
}

/// The other names among `parts`, joined by spaces.
fn names<'a>(parts: impl Iterator<Item = PartView<'a>>) -> String {
    let names: Vec<&str> = parts
        .filter_map(|part| match part.item {
            ItemView::Name(n) => Some(n.name.as_str()),
            _ => None,
        })
        .collect();
    names.join(" ")
}

/// Plain text of the contacts among `parts`, then of the facts (a tier's among them), one
/// after another; what rests only on unofficial sources is marked. Names and tiers' names
/// are left to the caller.
fn texts<'a>(parts: impl Iterator<Item = PartView<'a>>) -> String {
    let mut text = String::new();
    let mut push = |part: &str, unverified: bool| {
        if unverified {
            text.push(UNVERIFIED_START);
        }
        text.push_str(part);
        if unverified {
            text.push(UNVERIFIED_END);
        }
        text.push(' ');
    };
    let (contacts, facts): (Vec<PartView<'a>>, Vec<PartView<'a>>) = parts
        .flat_map(PartView::and_inner)
        .partition(|part| matches!(part.item, ItemView::Contact(_)));
    for part in contacts.into_iter().chain(facts) {
        match part.item {
            ItemView::Contact(c) => push(&format!("{}: {}.", c.label, c.value), c.unverified),
            ItemView::Fact(f) => push(&f.text, f.unverified),
            ItemView::Name(_) | ItemView::Tier(_) => {}
        }
    }
    text
}

/// The text of rendered HTML, without tags: each tag (and a `>` outside one) becomes a
/// space, the entities the Markdown renderer writes are decoded, and runs of white space
/// become one space.
fn plain_text_of_html(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    loop {
        // Outside a tag: copy up to the next `<` or `>`.
        let Some(at) = rest.find(['<', '>']) else {
            text.push_str(rest);
            break;
        };
        text.push_str(&rest[..at]);
        let opens = rest.as_bytes()[at] == b'<';
        rest = &rest[at + 1..];
        if opens {
            // Inside a tag: skip to its end.
            let Some(end) = rest.find('>') else { break };
            rest = &rest[end + 1..];
        }
        text.push(' ');
    }
    if text.contains('&') {
        text = text
            .replace("&amp;", "&")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&lt;", "<")
            .replace("&gt;", ">");
    }
    let mut words = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !words.is_empty() {
            words.push(' ');
        }
        words.push_str(word);
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_becomes_plain_words() {
        assert_eq!(
            plain_text_of_html("<p>Call <a href=\"x\">the\n office</a>.</p><p>a &amp;lt; b &quot;c&quot;</p> d > e <unclosed"),
            "Call the office . a < b \"c\" d e"
        );
    }
}
