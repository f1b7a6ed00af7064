//! **check**: every internal link and `#anchor` of the rendered site leads somewhere.
//!
//! Runs on the in-memory output of [`crate::render`], so `casepath check` can verify the
//! would-be site without writing it, and `casepath build` refuses to write a site with a
//! broken link. Links to other hosts and to `mailto:`/`tel:` are not followed.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};

use rayon::prelude::*;

use crate::diagnostic::{Diagnostic, Diagnostics, Location};
use crate::render::Output;

/// What the last check found in each page, kept by `casepath serve` so that a page that
/// has not changed is not read again, and its links are not followed again while no page
/// or anchor has come or gone.
#[derive(Debug, Default)]
pub struct CheckCache {
    /// Whether to keep anything (`casepath build` checks once and keeps nothing).
    keep: bool,
    /// HTML path → what it held and what was found in it.
    pages: HashMap<String, Scan>,
    /// The hash of every output path and every page's anchors at the last check.
    universe: u64,
}

impl CheckCache {
    /// A cache that keeps what each check found for the next.
    pub fn kept() -> Self {
        CheckCache {
            keep: true,
            ..CheckCache::default()
        }
    }
}

/// The links and anchors of one page.
#[derive(Debug)]
struct Scan {
    /// The page as it was scanned (kept only in a kept cache).
    bytes: Vec<u8>,
    /// Its `id` values.
    ids: Vec<String>,
    /// Its `href` and `src` values, in order.
    links: Vec<String>,
    /// Whether all its links were good the last time they were followed.
    good: bool,
}

impl Scan {
    fn of(bytes: &[u8]) -> Scan {
        let text = std::str::from_utf8(bytes).unwrap_or("");
        let mut scan = Scan {
            bytes: Vec::new(),
            ids: Vec::new(),
            links: Vec::new(),
            good: false,
        };
        for (name, value) in attributes(text) {
            match name {
                "id" => scan.ids.push(value.to_string()),
                "href" | "src" => scan.links.push(value.to_string()),
                _ => {}
            }
        }
        scan
    }
}

/// Checks every `href` and `src` of every HTML file of `output`.
pub fn check_links(output: &Output) -> Result<(), Diagnostics> {
    check_links_with(output, &mut CheckCache::default())
}

/// Where a link of a built page was written, when the page was made from a file the user
/// edits (a Markdown page): given the page's output path and the link's address, the place
/// of the address in that file.
pub type Locate<'a> = &'a (dyn Fn(&str, &str) -> Option<Location> + Sync);

/// [`check_links`], reusing and updating what `cache` kept from the last check.
pub fn check_links_with(output: &Output, cache: &mut CheckCache) -> Result<(), Diagnostics> {
    check_links_located(output, cache, &|_, _| None)
}

/// [`check_links_with`], reporting a broken link that `locate` finds in a Markdown page at
/// its line and column there, rather than against the built page.
pub fn check_links_located(
    output: &Output,
    cache: &mut CheckCache,
    locate: Locate,
) -> Result<(), Diagnostics> {
    let html: Vec<(&str, &[u8])> = output
        .iter()
        .filter(|(path, _)| path.ends_with(".html"))
        .map(|(path, bytes)| (path.as_str(), bytes.as_slice()))
        .collect();
    let mut scans = scan_pages(&html, cache);
    let ids: HashMap<&str, HashSet<&str>> = html
        .iter()
        .zip(&scans)
        .map(|((path, _), scan)| (*path, scan.ids.iter().map(String::as_str).collect()))
        .collect();
    // Only a kept cache needs to know whether any page or anchor came or went.
    let universe = if cache.keep {
        universe(output, &scans)
    } else {
        0
    };
    let same_universe = cache.keep && universe == cache.universe;
    let paths: HashSet<&str> = output.keys().map(String::as_str).collect();
    let problems: Vec<Vec<Diagnostic>> = html
        .par_iter()
        .zip(&scans)
        .map(|((page, _), scan)| {
            // The 404 pages' links (`404.html`, `es/404.html`) are absolute, for the base
            // path; they are checked by the test that builds with a base URL.
            let not_found = page.ends_with(crate::urls::NOT_FOUND);
            if not_found || (same_universe && scan.good) {
                return Vec::new();
            }
            scan.links
                .iter()
                .filter_map(|target| {
                    let problem = check_target(page, target, &paths, &ids)?;
                    Some(broken_link(page, target, &problem, locate))
                })
                .collect()
        })
        .collect();
    let mut diagnostics = Diagnostics::new();
    for (scan, found) in scans.iter_mut().zip(problems) {
        scan.good = found.is_empty();
        for diagnostic in found {
            diagnostics.push(diagnostic);
        }
    }
    if cache.keep {
        cache.universe = universe;
        cache.pages = html
            .iter()
            .zip(scans)
            .map(|((path, bytes), mut scan)| {
                if scan.bytes.is_empty() {
                    scan.bytes = bytes.to_vec();
                }
                (path.to_string(), scan)
            })
            .collect();
    }
    diagnostics.into_result(())
}

/// The links and anchors of each HTML page (path, bytes): what `cache` found last time
/// for a page whose bytes are the same, else read now, in parallel. What the cache held
/// is taken out of it.
fn scan_pages(html: &[(&str, &[u8])], cache: &mut CheckCache) -> Vec<Scan> {
    let mut kept = std::mem::take(&mut cache.pages);
    let reused: Vec<Option<Scan>> = html
        .iter()
        .map(|(path, bytes)| kept.remove(*path).filter(|scan| scan.bytes == *bytes))
        .collect();
    html.par_iter()
        .zip(reused)
        .map(|((_, bytes), reused)| reused.unwrap_or_else(|| Scan::of(bytes)))
        .collect()
}

/// The hash of every output path and every page's anchors: while it stays the same, a
/// link that led somewhere still does.
fn universe(output: &Output, scans: &[Scan]) -> u64 {
    let mut hasher = DefaultHasher::new();
    for path in output.keys() {
        path.hash(&mut hasher);
    }
    for scan in scans {
        scan.ids.hash(&mut hasher);
    }
    hasher.finish()
}

/// The error for a broken link of `page`: at its place in the Markdown page when `locate`
/// finds it there, else against the built page.
fn broken_link(page: &str, target: &str, problem: &str, locate: Locate) -> Diagnostic {
    match locate(page, target) {
        Some(location) => Diagnostic::at(location, format!("link `{target}` {problem}"))
            .with_label("this link does not lead anywhere")
            .with_hint(
                "link to another page by its Markdown file, relative to \
                 this page (`other.md`), and to a record with \
                 `@office/<id>`, `@channel/<id>`, `@path/<id>` or \
                 `@source/<id>`",
            ),
        None => Diagnostic::new(format!("broken link in {page}: `{target}` {problem}"))
            .with_hint("fix the template or the data that made this link"),
    }
}

/// Why a link from `page` to `target` is broken, or `None` when it is fine.
fn check_target(
    page: &str,
    target: &str,
    paths: &HashSet<&str>,
    ids: &HashMap<&str, HashSet<&str>>,
) -> Option<String> {
    let target = decode_entities(target);
    if target.is_empty() {
        return Some("is empty".into());
    }
    if target.contains(':') || target.starts_with("//") {
        return None;
    }
    if target.starts_with('/') {
        return Some("is absolute; internal links must be relative".into());
    }
    let (path, fragment) = match target.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (&*target, None),
    };
    let path = path.split('?').next().unwrap_or("");
    let mut resolved = if path.is_empty() {
        page.to_string()
    } else {
        let dir = page.rsplit_once('/').map_or("", |(d, _)| d);
        match resolve(dir, path) {
            Some(p) => p,
            None => return Some("leaves the site".into()),
        }
    };
    if resolved.is_empty() || resolved.ends_with('/') {
        resolved.push_str("index.html");
    }
    if !paths.contains(resolved.as_str()) {
        return Some(format!("leads to `{resolved}`, which does not exist"));
    }
    match fragment {
        Some(f) if !f.is_empty() => match ids.get(resolved.as_str()) {
            Some(set) if set.contains(f) => None,
            _ => Some(format!("has no anchor `#{f}` in `{resolved}`")),
        },
        _ => None,
    }
}

/// Joins a relative path onto a folder; `None` if it climbs above the root.
fn resolve(dir: &str, rel: &str) -> Option<String> {
    let mut joined = String::with_capacity(dir.len() + rel.len());
    for part in dir.split('/').chain(rel.split('/')) {
        match part {
            "" | "." => {}
            ".." if joined.is_empty() => return None,
            ".." => joined.truncate(joined.rfind('/').unwrap_or(0)),
            other => {
                if !joined.is_empty() {
                    joined.push('/');
                }
                joined.push_str(other);
            }
        }
    }
    if rel.ends_with('/') && !joined.is_empty() {
        joined.push('/');
    }
    Some(joined)
}

/// Every `name="value"` attribute in `html` whose name follows a space (double-quoted,
/// as our templates and the Markdown renderer write them), in order.
fn attributes(html: &str) -> impl Iterator<Item = (&str, &str)> + '_ {
    let bytes = html.as_bytes();
    let mut finder = memchr::memmem::find_iter(bytes, b"=\"");
    let mut resume = 0;
    std::iter::from_fn(move || loop {
        let at = finder.next()?;
        if at < resume {
            continue;
        }
        let name_start = bytes[..at]
            .iter()
            .rposition(|b| !(b.is_ascii_alphanumeric() || *b == b'-' || *b == b'_'))
            .map_or(0, |i| i + 1);
        let value_start = at + 2;
        let value_end = memchr::memchr(b'"', &bytes[value_start..])? + value_start;
        resume = value_end + 1;
        if name_start == 0 || bytes[name_start - 1] != b' ' {
            continue;
        }
        return Some((&html[name_start..at], &html[value_start..value_end]));
    })
}

/// Undoes the HTML escaping of an attribute value (most have none: those are not copied).
fn decode_entities(value: &str) -> Cow<'_, str> {
    if !value.contains('&') {
        return Cow::Borrowed(value);
    }
    Cow::Owned(
        value
            .replace("&amp;", "&")
            .replace("&#x2F;", "/")
            .replace("&#47;", "/")
            .replace("&quot;", "\"")
            .replace("&#x27;", "'"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(files: &[(&str, &str)]) -> Output {
        files
            .iter()
            .map(|(p, t)| (p.to_string(), t.as_bytes().to_vec()))
            .collect()
    }

    #[test]
    fn finds_missing_pages_and_anchors() {
        let output = site(&[
            (
                "index.html",
                r#"<a href="a/index.html#x">a</a> <a href="b/index.html">b</a> <a href="a/index.html#nope">c</a>"#,
            ),
            (
                "a/index.html",
                r#"<h2 id="x">x</h2><a href="../index.html">home</a>"#,
            ),
        ]);
        let errors = check_links(&output).unwrap_err();
        let messages: Vec<String> = errors.0.iter().map(|d| d.message.clone()).collect();
        assert_eq!(
            messages,
            [
                "broken link in index.html: `b/index.html` leads to `b/index.html`, which does not exist",
                "broken link in index.html: `a/index.html#nope` has no anchor `#nope` in `a/index.html`",
            ]
        );
    }

    #[test]
    fn relative_paths_resolve_against_the_page_folder() {
        assert_eq!(
            resolve("a/b", "../c/index.html").as_deref(),
            Some("a/c/index.html")
        );
        assert_eq!(resolve("a/b", "../../").as_deref(), Some(""));
        assert_eq!(resolve("a", "./x/").as_deref(), Some("a/x/"));
        assert_eq!(resolve("", "x//y").as_deref(), Some("x/y"));
        assert_eq!(resolve("a", "../.."), None);
        assert_eq!(decode_entities("a&amp;b&#x2F;c"), "a&b/c");
    }

    #[test]
    fn external_links_are_not_followed() {
        let output = site(&[(
            "index.html",
            r#"<a href="https://www.example.org">u</a><a href="mailto:a@b">m</a>"#,
        )]);
        assert!(check_links(&output).is_ok());
    }
}
