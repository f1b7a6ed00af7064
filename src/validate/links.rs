//! Links of the Markdown pages, checked against the content before anything is rendered.
//!
//! A link to a page names its Markdown file, relative to the page (`other.md#anchor`); a link
//! to a record is `@office/<id>` (or `@channel/`, `@path/`, `@source/`). Each is checked here,
//! with the other problems of the content, and reported at its line and column in the
//! Markdown: an unknown record or page, an `#anchor` that no heading of the target page has,
//! a link that starts with `/`, and a link to a page written as its address (`about/`)
//! rather than its file. What can only be known once rendered (an anchor a template makes on
//! an office's page) is left to the link checker of the built site.

use std::collections::HashMap;

use crate::diagnostic::Diagnostics;
use crate::load::{translations_in, Content, MarkdownFile};
use crate::markdown::{self, LinkError};
use crate::urls::{join_path as join, page_url};

use crate::diagnostic::nearest;

/// Checks the links of every page of `content`, and of every translation: a translation's
/// links lead to the pages of its language (the original where a page is not translated).
pub(super) fn check_page_links(content: &Content, diagnostics: &mut Diagnostics) {
    let originals: Vec<&MarkdownFile> = content.pages.iter().collect();
    check_links_of(content, &originals, diagnostics);
    for language in content.other_languages() {
        let translated: Vec<&MarkdownFile> = translations_in(content, &language).collect();
        if !translated.is_empty() {
            check_links_of(content, &translated, diagnostics);
        }
    }
}

/// Checks the links of `checked`, the pages of one language, among the pages of that
/// language.
fn check_links_of(content: &Content, checked: &[&MarkdownFile], diagnostics: &mut Diagnostics) {
    let mut pages: HashMap<&str, &MarkdownFile> = content
        .pages
        .iter()
        .map(|p| (p.rel_path.as_str(), p))
        .collect();
    pages.extend(checked.iter().map(|p| (p.rel_path.as_str(), *p)));
    let template_ids: Vec<String> = content
        .theme
        .templates
        .iter()
        .flat_map(|(_, file)| markdown::html_ids(&file.text))
        .collect();
    let mut anchors: HashMap<&str, Vec<String>> = HashMap::new();
    let checker = Checker {
        content,
        pages: &pages,
        template_ids: &template_ids,
    };
    for page in checked {
        let found = markdown::check(page, |target| checker.check(page, target, &mut anchors));
        for diagnostic in found {
            diagnostics.push(diagnostic);
        }
    }
}

/// A link of a page to another page (or to a place on the same page).
struct PageLink<'a> {
    /// The page the link is on.
    page: &'a MarkdownFile,
    /// The page's folder, relative to `content/pages/`.
    dir: &'a str,
    /// The link as written.
    target: &'a str,
    /// The link before its `#`.
    path: &'a str,
    /// The link after its `#`, if it has one.
    fragment: Option<&'a str>,
}

impl PageLink<'_> {
    /// `file` with the link's `#fragment`, if it has one.
    fn with_fragment(&self, file: &str) -> String {
        match self.fragment {
            Some(f) => format!("{file}#{f}"),
            None => file.to_string(),
        }
    }
}

/// What the links of the pages are checked against.
struct Checker<'a> {
    content: &'a Content,
    /// The pages that loaded, by path relative to `content/pages/`.
    pages: &'a HashMap<&'a str, &'a MarkdownFile>,
    /// The `id`s every page may have, written in the theme's templates.
    template_ids: &'a [String],
}

impl<'a> Checker<'a> {
    /// Checks one link `target` of `page`.
    fn check(
        &self,
        page: &'a MarkdownFile,
        target: &str,
        anchors: &mut HashMap<&'a str, Vec<String>>,
    ) -> Result<(), LinkError> {
        let (path, fragment) = match target.split_once('#') {
            Some((p, f)) => (p, Some(f)),
            None => (target, None),
        };
        if let Some(entity) = path.strip_prefix('@') {
            return self.check_entity(target, entity, fragment);
        }
        let is_external = path.contains(':') || path.starts_with("//");
        if is_external {
            return Ok(());
        }
        let link = PageLink {
            page,
            dir: page.rel_path.rsplit_once('/').map_or("", |(d, _)| d),
            target,
            path,
            fragment,
        };
        if path.is_empty() {
            return match fragment {
                Some(f) if !f.is_empty() => self.check_anchor(page, "this page", f, anchors),
                _ => Ok(()),
            };
        }
        if let Some(absolute) = path.strip_prefix('/') {
            return Err(self.absolute(&link, absolute));
        }
        if path.ends_with(".md") {
            return self.check_file_link(&link, anchors);
        }
        self.check_address_link(&link)
    }

    /// The error for a link that starts with `/` (`absolute` is the rest), with the link
    /// to write instead when it names a page's address.
    fn absolute(&self, link: &PageLink<'_>, absolute: &str) -> LinkError {
        let hint = match self.page_at_address(absolute) {
            Some(found) => format!(
                "write `{}`: a link to another page names its Markdown file, relative to this \
                 page",
                link.with_fragment(&relative(link.dir, &found.rel_path))
            ),
            None => "link to a page by its Markdown file, relative to this page (`other.md`), \
                     or to a record with `@office/<id>`, `@channel/<id>`, `@path/<id>` or \
                     `@source/<id>`"
                .to_string(),
        };
        LinkError {
            message: format!(
                "link `{}` starts with `/`, so it breaks when the site is opened from disk or \
                 published in a folder",
                link.target
            ),
            hint: Some(hint),
        }
    }

    /// Checks a link to a Markdown file (`other.md#anchor`): the page exists (or failed to
    /// load, which is reported already) and has the anchor.
    fn check_file_link(
        &self,
        link: &PageLink<'_>,
        anchors: &mut HashMap<&'a str, Vec<String>>,
    ) -> Result<(), LinkError> {
        let joined = join(link.dir, link.path);
        let known = joined.as_deref().and_then(|p| self.pages.get(p).copied());
        if let Some(other) = known {
            return match link.fragment {
                Some(f) if !f.is_empty() => {
                    let what = format!("page `{}`", other.rel_path);
                    self.check_anchor(other, &what, f, anchors)
                }
                _ => Ok(()),
            };
        }
        let failed = |p: &str| self.content.failed_pages.iter().any(|f| f == p);
        if joined.as_deref().is_some_and(failed) {
            return Ok(());
        }
        let names: Vec<&str> = self.pages.keys().copied().collect();
        let wanted = joined.unwrap_or_else(|| link.path.to_string());
        Err(LinkError {
            message: format!("link to missing page `{}`", link.target),
            hint: nearest(&wanted, &names).map(|n| {
                format!(
                    "did you mean `{}`? (paths are relative to this page's folder in \
                     content/pages/)",
                    relative(link.dir, n)
                )
            }),
        })
    }

    /// Checks a link to a page written as its address (`about/`) or without `.md`
    /// (`about`): fine when it leads to the page's address from this page's address,
    /// otherwise a mistake when it names a page's file without `.md`.
    fn check_address_link(&self, link: &PageLink<'_>) -> Result<(), LinkError> {
        let output_dir = page_url(&link.page.rel_path);
        let output_dir = output_dir.rsplit_once('/').map_or("", |(d, _)| d);
        let leads_to_page = join(output_dir, link.path).is_some_and(|p| {
            let p = p.trim_end_matches('/');
            self.pages.keys().any(|rel| {
                page_url(rel)
                    .trim_end_matches("index.html")
                    .trim_end_matches('/')
                    == p
                    || page_url(rel) == p
            })
        });
        if leads_to_page {
            return Ok(());
        }
        let stem = (link.path.trim_end_matches('/'))
            .trim_end_matches("/index.html")
            .trim_end_matches(".html");
        let named =
            join(link.dir, stem).and_then(|s| self.pages.get(format!("{s}.md").as_str()).copied());
        match named {
            Some(found) => Err(LinkError {
                message: format!("link `{}` names a page without its `.md`", link.target),
                hint: Some(format!(
                    "write `{}`: a link to another page names its Markdown file, relative to \
                     this page",
                    link.with_fragment(&relative(link.dir, &found.rel_path))
                )),
            }),
            None => Ok(()),
        }
    }

    /// The page published at the site address `address` (`about/`, `about/index.html`).
    fn page_at_address(&self, address: &str) -> Option<&'a MarkdownFile> {
        let address = address.trim_end_matches("index.html").trim_end_matches('/');
        let address = address.trim_end_matches(".md").trim_end_matches(".html");
        self.pages
            .values()
            .copied()
            .find(|p| page_url(&p.rel_path).trim_end_matches("/index.html") == address)
    }

    /// Checks that `page` (named `what` in messages) has the anchor `fragment`.
    fn check_anchor(
        &self,
        page: &'a MarkdownFile,
        what: &str,
        fragment: &str,
        anchors: &mut HashMap<&'a str, Vec<String>>,
    ) -> Result<(), LinkError> {
        let ids = anchors
            .entry(page.rel_path.as_str())
            .or_insert_with(|| markdown::anchors(page));
        if ids.iter().any(|id| id == fragment) || self.template_ids.iter().any(|id| id == fragment)
        {
            return Ok(());
        }
        let known: Vec<&str> = ids.iter().map(String::as_str).collect();
        let hint = match nearest(fragment, &known) {
            Some(near) => format!("did you mean `#{near}`?"),
            None if known.is_empty() => {
                format!("{what} has no headings to link to")
            }
            None => format!(
                "the anchors of {what} are: {}; each is made from a heading's words, in lower \
                 case, joined by `-`",
                known
                    .iter()
                    .map(|id| format!("#{id}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        Err(LinkError {
            message: format!("{what} has no heading with the anchor `#{fragment}`"),
            hint: Some(hint),
        })
    }

    /// Checks a link to a record: `@office/<id>`, with an `#anchor` for a path's step or a
    /// line of a source.
    fn check_entity(
        &self,
        target: &str,
        entity: &str,
        fragment: Option<&str>,
    ) -> Result<(), LinkError> {
        let Some((kind, id)) = entity.split_once('/') else {
            return Err(LinkError {
                message: format!("entity link `{target}` has no kind"),
                hint: Some(
                    "write `@office/<id>`, `@channel/<id>`, `@path/<id>` or `@source/<id>`".into(),
                ),
            });
        };
        let Some((known, failed)) = self.ids_of(kind) else {
            return Err(LinkError {
                message: format!("unknown entity kind `{kind}` in link `{target}`"),
                hint: Some("the kinds are office, channel, path and source".into()),
            });
        };
        if failed {
            return Ok(());
        }
        if !known.contains(&id) {
            return Err(LinkError {
                message: format!("unknown {kind} `{id}` in link `{target}`"),
                hint: nearest(id, &known).map(|n| format!("did you mean `@{kind}/{n}`?")),
            });
        }
        let Some(fragment) = fragment.filter(|f| !f.is_empty()) else {
            return Ok(());
        };
        if self.template_ids.iter().any(|t| t == fragment) {
            return Ok(());
        }
        match kind {
            "path" => self.check_step_anchor(id, fragment),
            "source" => self.check_source_line(id, fragment),
            _ => self.check_record_anchor(kind, id, fragment),
        }
    }

    /// The ids of the records of `kind` (`office`, `channel`, `path`, `source`), with
    /// `true` when their file failed to load; `None` for another kind.
    fn ids_of(&self, kind: &str) -> Option<(Vec<&'a str>, bool)> {
        let content = self.content;
        Some(match kind {
            "office" => (
                content.offices.ids(|r| &r.id),
                content.failed("offices.yaml"),
            ),
            "channel" => (
                content.channels.ids(|r| &r.id),
                content.failed("channels.yaml"),
            ),
            "path" => (content.paths.ids(|r| &r.id), content.failed("paths.yaml")),
            "source" => (
                content.sources.ids(|r| &r.id),
                content.failed("sources.yaml"),
            ),
            _ => return None,
        })
    }

    /// Checks `#<step-id>` of a link to the path `id`: the path has the step.
    fn check_step_anchor(&self, id: &str, fragment: &str) -> Result<(), LinkError> {
        let steps: Vec<&str> = (self.content.paths.records.iter())
            .filter(|p| p.id.value == id)
            .flat_map(|p| &p.steps)
            .map(|s| s.id.value.as_str())
            .collect();
        if steps.contains(&fragment) {
            return Ok(());
        }
        Err(LinkError {
            message: format!("path `{id}` has no step `{fragment}`"),
            hint: Some(match nearest(fragment, &steps) {
                Some(near) => format!("did you mean `@path/{id}#{near}`?"),
                None => format!("the steps of `{id}` are: {}", steps.join(", ")),
            }),
        })
    }

    /// Checks `#anchor` of a link to an office's or channel's page: the page has the
    /// anchors its template writes; when the template makes some from the data, they are
    /// left to the built site's check.
    fn check_record_anchor(&self, kind: &str, id: &str, fragment: &str) -> Result<(), LinkError> {
        let template = format!("{kind}.html");
        let made_from_data = (self.content.theme.templates.iter())
            .filter(|(name, _)| *name == template)
            .any(|(_, file)| file.text.contains("id=\"{{"));
        if made_from_data || self.template_ids.is_empty() {
            return Ok(());
        }
        Err(LinkError {
            message: format!("the page of {kind} `{id}` has no anchor `#{fragment}`"),
            hint: Some(format!(
                "link to the page without `#{fragment}`: `@{kind}/{id}`"
            )),
        })
    }
}

impl Checker<'_> {
    /// Checks `#L<n>` of a link to a source: its page shows the lines of the source's text,
    /// each with the anchor of its number.
    fn check_source_line(&self, id: &str, fragment: &str) -> Result<(), LinkError> {
        let content = self.content;
        let lines = content
            .sources
            .records
            .iter()
            .find(|r| r.id.value == id)
            .and_then(|r| content.documents.get(&r.file.value))
            .map(|file| file.text.lines().count());
        let Some(lines) = lines else {
            return Ok(()); // The text is missing or unreadable: reported as that.
        };
        let line = fragment
            .strip_prefix('L')
            .and_then(|n| n.parse::<usize>().ok());
        let message = match line {
            Some(n) if (1..=lines).contains(&n) => return Ok(()),
            Some(n) => format!("the text of source `{id}` has no line {n}"),
            None => format!("the page of source `{id}` has no anchor `#{fragment}`"),
        };
        Err(LinkError {
            message,
            hint: Some(format!(
                "link to a line of the text with `#L` and its number, from `#L1` to \
                 `#L{lines}`: `@source/{id}#L1`"
            )),
        })
    }
}

/// The path of `target` (relative to `content/pages/`) from the folder `dir`.
fn relative(dir: &str, target: &str) -> String {
    let from: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    let to: Vec<&str> = target.split('/').collect();
    let common = from
        .iter()
        .zip(&to)
        .take_while(|(a, b)| a == b)
        .count()
        .min(to.len().saturating_sub(1));
    let mut parts: Vec<&str> = vec![".."; from.len() - common];
    parts.extend(&to[common..]);
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_climb_out_of_folders() {
        assert_eq!(relative("", "about.md"), "about.md");
        assert_eq!(relative("guide", "about.md"), "../about.md");
        assert_eq!(relative("guide", "guide/a.md"), "a.md");
        assert_eq!(relative("", "guide/a.md"), "guide/a.md");
    }
}
