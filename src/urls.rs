//! Every URL of the site, decided in one place.
//!
//! URLs are site-relative paths to files (`offices/<id>/index.html`); a page links to
//! another by prefixing [`root_of`] its own URL. Markdown pages get [`page_url`]; the pages
//! the generator makes live in the folders of [`RESERVED`], and a page of the guide that
//! would take one of them is refused by the validate stage, naming both files.

use crate::load::schema::ContactKind;

/// Site-relative URL of an entity page.
pub fn entity_url(kind: &str, id: &str) -> String {
    format!("{}/{id}/{HOME}", section_of(kind))
}

/// The folder an entity kind's pages live in.
pub fn section_of(kind: &str) -> &'static str {
    match kind {
        "office" => OFFICES,
        "channel" => CHANNELS,
        "path" => PATHS,
        "source" => SOURCES,
        _ => VERSIONS,
    }
}

/// The folder of the office pages, with their list at its index.
pub const OFFICES: &str = "offices";

/// The folder of the channel pages, with their list at its index.
pub const CHANNELS: &str = "channels";

/// The folder of the path pages, with their list at its index.
pub const PATHS: &str = "paths";

/// The folder of the source pages, with their list at its index.
pub const SOURCES: &str = "sources";

/// The folder of the policy versions: their list at its index, each version's own view
/// ([`version_prefix`]) and the diffs ([`diff_url`]).
pub const VERSIONS: &str = "versions";

/// The folder of the search page, which is its index.
pub const SEARCH: &str = "search";

/// The folder the theme's static files are copied to.
pub const STATIC: &str = "static";

/// The site's home page.
pub const HOME: &str = "index.html";

/// The page shown for an address the site does not have.
pub const NOT_FOUND: &str = "404.html";

/// The folder of the decision flowchart, within a view (`flowchart/`, or
/// `versions/<id>/flowchart/`).
pub const FLOWCHART: &str = "flowchart/";

/// The top-level folders the generator writes, each with what it holds (as said in an
/// error when a Markdown page would be written there). Markdown pages may not use them.
pub const RESERVED: [(&str, &str); 9] = [
    (
        OFFICES,
        "the office pages (templates offices.html and office.html)",
    ),
    (
        CHANNELS,
        "the channel pages (templates channels.html and channel.html)",
    ),
    (PATHS, "the path pages (templates paths.html and path.html)"),
    (
        SOURCES,
        "the source pages (templates sources.html and source.html)",
    ),
    (
        VERSIONS,
        "the policy version pages (templates versions.html, version.html and diff.html)",
    ),
    (STATIC, "the theme's static files"),
    (
        "flowchart",
        "the flowchart pages (templates flowchart.html and flowchart_node.html)",
    ),
    (
        HANDOUTS,
        "the handouts (templates handouts.html and handout.html)",
    ),
    (SEARCH, "the search page (template search.html)"),
];

/// The names of [`RESERVED`], for messages.
pub fn reserved_names() -> Vec<&'static str> {
    RESERVED.iter().map(|(name, _)| *name).collect()
}

/// What the generator writes under the top-level folder of `url`, if it owns that folder;
/// also for the home page and the 404 page.
pub fn generated_at(url: &str) -> Option<&'static str> {
    if url == HOME {
        return Some("the home page (template home.html)");
    }
    if url == section_index("404") || url == NOT_FOUND {
        return Some("the page-not-found page (template 404.html)");
    }
    let first = url.split('/').next().unwrap_or("");
    RESERVED
        .iter()
        .find(|(name, _)| *name == first)
        .map(|(_, what)| *what)
}

/// The index page of a folder: `offices` → `offices/index.html`.
pub fn section_index(section: &str) -> String {
    format!("{section}/{HOME}")
}

/// The listing page of a folder of Markdown pages: the home page for the top level (the
/// empty path), else the folder's index (`guide/index.html`).
pub fn folder_url(folder: &str) -> String {
    match folder {
        "" => HOME.to_string(),
        folder => section_index(folder),
    }
}

/// The folder of a policy version's own view of the site: `versions/<id>/`.
pub fn version_prefix(id: &str) -> String {
    format!("{VERSIONS}/{id}/")
}

/// The home page of a policy version's own view: `versions/<id>/index.html`.
pub fn version_url(id: &str) -> String {
    format!("{}{HOME}", version_prefix(id))
}

/// The flowchart page of a view, whose pages live under `chart_prefix` (`flowchart/`, or
/// `versions/<id>/flowchart/`).
pub fn flowchart_url(chart_prefix: &str) -> String {
    format!("{chart_prefix}{HOME}")
}

/// The step-through page of flowchart node `id`, under `chart_prefix` (as for
/// [`flowchart_url`]).
pub fn flowchart_node_url(chart_prefix: &str, id: &str) -> String {
    format!("{chart_prefix}{id}/{HOME}")
}

/// Where a static file of the theme (`css/site.css`) is written: `static/css/site.css`.
pub fn static_url(path: &str) -> String {
    format!("{STATIC}/{path}")
}

/// The path part of a base URL, ending with `/`: `https://x.github.io/guide` → `/guide/`.
pub fn base_path(base_url: &str) -> String {
    let after_scheme = base_url
        .split_once("://")
        .map_or(base_url, |(_, rest)| rest);
    let path = after_scheme.find('/').map_or("", |i| &after_scheme[i..]);
    format!("{}/", path.trim_end_matches('/'))
}

/// The folder of the pages of `language`: none for the default language (its pages keep
/// their addresses), `es/` for another.
pub fn language_prefix(language: &str, default: &str) -> String {
    match language == default {
        true => String::new(),
        false => format!("{language}/"),
    }
}

/// The `../` prefix that leads from a page at `url` back to the site root.
pub fn root_of(url: &str) -> String {
    "../".repeat(url.matches('/').count())
}

/// Joins a relative link onto a folder, resolving `.` and `..`; `None` if it leaves the root.
pub fn join_path(dir: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    for part in rel.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    Some(parts.join("/"))
}

/// The output URL of a Markdown page: `guide/intro.md` → `guide/intro/index.html`;
/// `guide/index.md` and `guide/_index.md` → `guide/index.html`.
pub fn page_url(rel_path: &str) -> String {
    let stem = rel_path.trim_end_matches(".md");
    let stem = stem
        .strip_suffix("/_index")
        .or_else(|| stem.strip_suffix("/index"))
        .unwrap_or(stem);
    format!("{stem}/{HOME}")
}

/// A link for a contact value: `tel:` for phone numbers, `mailto:` for emails, `https:`
/// for web addresses; `None` for anything else.
pub fn contact_href(kind: ContactKind, value: &str) -> Option<String> {
    match kind {
        ContactKind::Phone | ContactKind::Tty => {
            let digits: String = value.chars().filter(char::is_ascii_digit).collect();
            match digits.len() {
                10 => Some(format!("tel:+1{digits}")),
                11 if digits.starts_with('1') => Some(format!("tel:+{digits}")),
                _ => None,
            }
        }
        ContactKind::Email if value.contains('@') && !value.contains(' ') => {
            Some(format!("mailto:{value}"))
        }
        ContactKind::Web if !value.contains(' ') && value.contains('.') => {
            if value.starts_with("http") {
                Some(value.to_string())
            } else {
                Some(format!("https://{value}"))
            }
        }
        _ => None,
    }
}

/// URL of the diff page between two versions.
pub fn diff_url(from: &str, to: &str) -> String {
    format!("{VERSIONS}/compare/{from}/{to}/{HOME}")
}

/// Where the handouts live: `handouts/<path-id>/index.html`.
pub const HANDOUTS: &str = "handouts";

/// Site-relative URL of a path's handout.
pub fn handout_url(path_id: &str) -> String {
    format!("{HANDOUTS}/{path_id}/{HOME}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_urls_are_folders() {
        assert_eq!(page_url("about.md"), "about/index.html");
        assert_eq!(page_url("guide/intro.md"), "guide/intro/index.html");
        assert_eq!(page_url("guide/_index.md"), "guide/index.html");
    }

    #[test]
    fn roots_climb_one_level_per_folder() {
        assert_eq!(root_of("index.html"), "");
        assert_eq!(root_of("offices/x/index.html"), "../../");
    }

    #[test]
    fn links_join_relative_paths() {
        assert_eq!(
            join_path("guide", "../about.md").as_deref(),
            Some("about.md")
        );
        assert_eq!(join_path("", "../x.md"), None);
    }

    #[test]
    fn base_paths_keep_the_project_folder() {
        assert_eq!(base_path("https://user.github.io/guide"), "/guide/");
        assert_eq!(base_path("https://user.github.io/guide/"), "/guide/");
        assert_eq!(base_path("https://example.org"), "/");
    }

    #[test]
    fn generated_pages_have_fixed_urls() {
        assert_eq!(section_index(SEARCH), "search/index.html");
        assert_eq!(folder_url(""), "index.html");
        assert_eq!(folder_url("guide/a"), "guide/a/index.html");
        assert_eq!(version_url("v1"), "versions/v1/index.html");
        assert_eq!(
            flowchart_node_url("versions/v1/flowchart/", "start"),
            "versions/v1/flowchart/start/index.html"
        );
        assert_eq!(static_url("css/site.css"), "static/css/site.css");
        assert_eq!(diff_url("a", "b"), "versions/compare/a/b/index.html");
        assert_eq!(language_prefix("en", "en"), "");
        assert_eq!(language_prefix("es", "en"), "es/");
    }

    #[test]
    fn phone_links_use_international_form() {
        assert_eq!(
            contact_href(ContactKind::Phone, "1-800-375-5283").as_deref(),
            Some("tel:+18003755283")
        );
        assert_eq!(
            contact_href(ContactKind::Phone, "(202) 663-1225").as_deref(),
            Some("tel:+12026631225")
        );
        assert_eq!(
            contact_href(ContactKind::Email, "a@b.gov").as_deref(),
            Some("mailto:a@b.gov")
        );
    }
}
