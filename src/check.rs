//! **check**: every internal link and `#anchor` of the rendered site leads somewhere.
//!
//! Runs on the in-memory output of [`crate::render`], so `casepath check` can verify the
//! would-be site without writing it, and `casepath build` refuses to write a site with a
//! broken link. Links to other hosts and to `mailto:`/`tel:` are not followed.

use std::collections::{HashMap, HashSet};

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::render::Output;

/// Checks every `href` and `src` of every HTML file of `output`.
pub fn check_links(output: &Output) -> Result<(), Diagnostics> {
    let html: HashMap<&str, &str> = output
        .iter()
        .filter(|(path, _)| path.ends_with(".html"))
        .filter_map(|(path, bytes)| Some((path.as_str(), std::str::from_utf8(bytes).ok()?)))
        .collect();
    let ids: HashMap<&str, HashSet<&str>> = html
        .iter()
        .map(|(path, text)| (*path, attribute_values(text, "id").collect()))
        .collect();
    let mut diagnostics = Diagnostics::new();
    let mut pages: Vec<&&str> = html.keys().collect();
    pages.sort();
    for page in pages {
        // The 404 page's links are absolute, for the base path; they are checked by the
        // test that builds with a base URL.
        if *page == "404.html" {
            continue;
        }
        let text = html[*page];
        for target in attribute_values(text, "href").chain(attribute_values(text, "src")) {
            if let Some(problem) = check_target(page, target, output, &ids) {
                diagnostics.push(
                    Diagnostic::new(format!("broken link in {page}: `{target}` {problem}"))
                        .with_hint("fix the template or the data that made this link"),
                );
            }
        }
    }
    diagnostics.into_result(())
}

/// Why a link from `page` to `target` is broken, or `None` when it is fine.
fn check_target(
    page: &str,
    target: &str,
    output: &Output,
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
        None => (target.as_str(), None),
    };
    let path = path.split('?').next().unwrap_or("");
    let resolved = if path.is_empty() {
        page.to_string()
    } else {
        let dir = page.rsplit_once('/').map_or("", |(d, _)| d);
        match resolve(dir, path) {
            Some(p) => p,
            None => return Some("leaves the site".into()),
        }
    };
    let resolved = if resolved.is_empty() || resolved.ends_with('/') {
        format!("{resolved}index.html")
    } else {
        resolved
    };
    if !output.contains_key(&resolved) {
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
    let mut parts: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    let trailing = rel.ends_with('/');
    for part in rel.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    let mut joined = parts.join("/");
    if trailing && !joined.is_empty() {
        joined.push('/');
    }
    Some(joined)
}

/// The values of every `name="…"` attribute in `html` (double-quoted, as our templates and
/// the Markdown renderer write them).
fn attribute_values<'a>(html: &'a str, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    let needle = format!(" {name}=\"");
    let mut rest = html;
    std::iter::from_fn(move || {
        let start = rest.find(&needle)? + needle.len();
        let end = rest[start..].find('"')? + start;
        let value = &rest[start..end];
        rest = &rest[end..];
        Some(value)
    })
}

/// Undoes the HTML escaping of an attribute value.
fn decode_entities(value: &str) -> String {
    value
        .replace("&amp;", "&")
        .replace("&#x2F;", "/")
        .replace("&#47;", "/")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
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
    fn external_links_are_not_followed() {
        let output = site(&[(
            "index.html",
            r#"<a href="https://www.uscis.gov">u</a><a href="mailto:a@b">m</a>"#,
        )]);
        assert!(check_links(&output).is_ok());
    }
}
