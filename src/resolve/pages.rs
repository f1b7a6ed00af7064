//! The Markdown pages, rendered to HTML with their links resolved to URLs.

use std::collections::HashMap;

use rayon::prelude::*;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::load::Content;
use crate::markdown::{self, LinkError};
use crate::model::{Link, Page, PageLink};
use crate::urls::{join_path, page_url, root_of};
use crate::diagnostic::nearest;

use super::Resolver;

impl<'a> Resolver<'a> {
    /// Renders the Markdown pages, resolving and checking their links.
    pub(super) fn pages(&self, content: &Content, diagnostics: &mut Diagnostics) -> Vec<Page> {
        let page_urls: HashMap<&str, String> = content
            .pages
            .iter()
            .map(|p| (p.rel_path.as_str(), page_url(&p.rel_path)))
            .collect();
        // The validate stage has checked that each page has an address of its own.
        let accepted: Vec<_> = content
            .pages
            .iter()
            .map(|page| (page, page_urls[page.rel_path.as_str()].clone()))
            .collect();
        // The Markdown of the pages is rendered in parallel; each page's problems and entity
        // links are then added in page order, as if rendered one after the other.
        let rendered: Vec<(Page, Vec<Diagnostic>, Vec<PageLink>)> = accepted
            .into_par_iter()
            .map(|(page, url)| {
                let root = root_of(&url);
                let page_link = Link {
                    kind: "page",
                    id: page.rel_path.clone(),
                    name: page.front.title.clone(),
                    url: url.clone(),
                };
                let dir = page.rel_path.rsplit_once('/').map_or("", |(d, _)| d);
                let mut links = Vec::new();
                let (html, errors) = markdown::to_html(page, |target| {
                    self.resolve_link(target, dir, &root, &page_urls, &page_link, &mut links)
                });
                let page = Page {
                    source_path: page.rel_path.clone(),
                    url,
                    title: page.front.title.clone(),
                    description: page.front.description.clone(),
                    weight: page.front.weight,
                    html,
                    backlinks: Vec::new(),
                };
                (page, errors, links)
            })
            .collect();
        let mut pages = Vec::with_capacity(rendered.len());
        let mut page_links = self.page_links.lock().unwrap_or_else(|e| e.into_inner());
        for (page, errors, links) in rendered {
            for error in errors {
                diagnostics.push(error);
            }
            page_links.extend(links);
            pages.push(page);
        }
        drop(page_links);
        pages.sort_by(|a, b| a.weight.cmp(&b.weight).then_with(|| a.title.cmp(&b.title)));
        pages
    }

    /// Resolves one Markdown link target for a page in folder `dir`.
    pub(super) fn resolve_link(
        &self,
        target: &str,
        dir: &str,
        root: &str,
        page_urls: &HashMap<&str, String>,
        from: &Link,
        found: &mut Vec<PageLink>,
    ) -> Result<Option<String>, LinkError> {
        let (path, fragment) = match target.split_once('#') {
            Some((p, f)) => (p, Some(f)),
            None => (target, None),
        };
        let with_fragment = |url: String| match fragment {
            Some(f) => format!("{root}{url}#{f}"),
            None => format!("{root}{url}"),
        };
        if let Some(entity) = path.strip_prefix('@') {
            let Some((kind, id)) = entity.split_once('/') else {
                return Err(LinkError {
                    message: format!("entity link `{target}` has no kind"),
                    hint: Some(
                        "write `@office/<id>`, `@channel/<id>`, `@path/<id>` or `@source/<id>`"
                            .into(),
                    ),
                });
            };
            let kind: &'static str = match kind {
                "office" => "office",
                "channel" => "channel",
                "path" => "path",
                "source" => "source",
                _ => {
                    return Err(LinkError {
                        message: format!("unknown entity kind `{kind}` in link `{target}`"),
                        hint: Some("the kinds are office, channel, path and source".into()),
                    })
                }
            };
            return match self.link(kind, id) {
                Some(link) => {
                    found.push((from.clone(), kind, id.to_string()));
                    Ok(Some(with_fragment(link.url)))
                }
                None => {
                    let known: Vec<&str> = match kind {
                        "office" => self.offices.keys().copied().collect(),
                        "channel" => self.channels.keys().copied().collect(),
                        "path" => self.paths.keys().copied().collect(),
                        _ => self.sources.keys().copied().collect(),
                    };
                    Err(LinkError {
                        message: format!("unknown {kind} `{id}` in link `{target}`"),
                        hint: nearest(id, &known).map(|n| format!("did you mean `@{kind}/{n}`?")),
                    })
                }
            };
        }
        let is_external = path.contains(':') || path.starts_with('/') || path.starts_with("//");
        if is_external || !path.ends_with(".md") {
            return Ok(None);
        }
        let joined = join_path(dir, path);
        match joined.as_deref().and_then(|p| page_urls.get(p)) {
            Some(url) => Ok(Some(with_fragment(url.clone()))),
            None => {
                let known: Vec<&str> = page_urls.keys().copied().collect();
                let wanted = joined.unwrap_or_else(|| path.to_string());
                Err(LinkError {
                    message: format!("link to missing page `{target}`"),
                    hint: nearest(&wanted, &known)
                        .map(|n| format!("did you mean `{n}`? (paths are relative to this page's folder in content/pages/)")),
                })
            }
        }
    }
}
