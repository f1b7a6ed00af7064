//! The Markdown pages, rendered to HTML with their links resolved to URLs.
//!
//! The validate stage has checked every page: its address is its own, and each link leads
//! to a page or record that exists. So a link is only looked up here, never judged.

use std::collections::HashMap;

use rayon::prelude::*;

use crate::load::Content;
use crate::markdown;
use crate::model::{Link, Page, PageLink};
use crate::urls::{join_path, page_url, root_of};

use super::Resolver;

impl<'a> Resolver<'a> {
    /// Renders the Markdown pages, with their links resolved, and records the entity links
    /// they hold for the backlinks.
    pub(super) fn pages(&self, content: &Content) -> Vec<Page> {
        let page_urls: HashMap<&str, String> = content
            .pages
            .iter()
            .map(|p| (p.rel_path.as_str(), page_url(&p.rel_path)))
            .collect();
        // The Markdown of the pages is rendered in parallel; each page's entity links are
        // then added in page order, as if rendered one after the other.
        let rendered: Vec<(Page, Vec<PageLink>)> = content
            .pages
            .par_iter()
            .map(|page| {
                let url = page_urls[page.rel_path.as_str()].clone();
                let root = root_of(&url);
                let page_link = Link {
                    kind: "page",
                    id: page.rel_path.clone(),
                    name: page.front.title.clone(),
                    url: url.clone(),
                };
                let dir = page.rel_path.rsplit_once('/').map_or("", |(d, _)| d);
                let mut links = Vec::new();
                let html = markdown::to_html(page, |target| {
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
                (page, links)
            })
            .collect();
        let mut pages = Vec::with_capacity(rendered.len());
        let mut page_links = self.page_links.lock().unwrap_or_else(|e| e.into_inner());
        for (page, links) in rendered {
            page_links.extend(links);
            pages.push(page);
        }
        drop(page_links);
        pages.sort_by(|a, b| a.weight.cmp(&b.weight).then_with(|| a.title.cmp(&b.title)));
        pages
    }

    /// The URL, relative to a page at `root` in folder `dir`, of one Markdown link target:
    /// `@office/<id>` and the like lead to the record's page (and are noted in `found`),
    /// `other.md#part` to that page. `None` keeps the target as written (web addresses,
    /// `#anchors`, files of the site).
    pub(super) fn resolve_link(
        &self,
        target: &str,
        dir: &str,
        root: &str,
        page_urls: &HashMap<&str, String>,
        from: &Link,
        found: &mut Vec<PageLink>,
    ) -> Option<String> {
        let (path, fragment) = match target.split_once('#') {
            Some((p, f)) => (p, Some(f)),
            None => (target, None),
        };
        let with_fragment = |url: String| match fragment {
            Some(f) => format!("{root}{url}#{f}"),
            None => format!("{root}{url}"),
        };
        if let Some(entity) = path.strip_prefix('@') {
            let (kind, id) = entity.split_once('/')?;
            let kind: &'static str = ["office", "channel", "path", "source"]
                .into_iter()
                .find(|k| *k == kind)?;
            let link = self.link(kind, id)?;
            found.push((from.clone(), kind, id.to_string()));
            return Some(with_fragment(link.url));
        }
        let is_external = path.contains(':') || path.starts_with('/') || path.starts_with("//");
        if is_external || !path.ends_with(".md") {
            return None;
        }
        let joined = join_path(dir, path)?;
        page_urls.get(joined.as_str()).cloned().map(with_fragment)
    }
}
