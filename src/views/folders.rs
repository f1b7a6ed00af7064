//! The folders of the Markdown pages, and the table of case-number prefixes.

use std::collections::BTreeMap;

use super::backlinks::self_link;
use crate::load::schema::ContactKind;
use crate::model::{Folder, Link, Page, PrefixRow, Resolved};
use crate::urls::{folder_url, page_url};

/// The folders of the Markdown pages, top level first, then in path order. A page
/// `a/b/c.md` (URL `a/b/c/index.html`) is listed in folder `a/b`; `a/b/index.md` (URL
/// `a/b/index.html`) is folder `a/b`'s own page and is listed in folder `a`.
/// The top level is called `top_title` (the string table's `home.more_reading`).
pub fn folders(pages: &[Page], top_title: &str) -> Vec<Folder> {
    // Folder path ("" for the top level) → (pages, subfolders).
    let mut tree: BTreeMap<String, (Vec<Link>, Vec<String>)> = BTreeMap::new();
    tree.entry(String::new()).or_default();
    let mut index_pages: Vec<String> = Vec::new();
    for page in pages {
        let dir = page
            .url
            .trim_end_matches("index.html")
            .trim_end_matches('/');
        if page.url == page_url(&page.source_path) && page.source_path.ends_with("index.md") {
            index_pages.push(dir.to_string());
        }
        let listed_in = dir.rsplit_once('/').map_or("", |(parent, _)| parent);
        // Every folder on the way exists and is listed in its parent.
        let mut path = String::new();
        for part in listed_in.split('/').filter(|p| !p.is_empty()) {
            let child = if path.is_empty() {
                part.to_string()
            } else {
                format!("{path}/{part}")
            };
            let subfolders = &mut tree.entry(path.clone()).or_default().1;
            if !subfolders.contains(&child) {
                subfolders.push(child.clone());
            }
            path = child;
        }
        tree.entry(listed_in.to_string()).or_default().0.push(Link {
            kind: "page",
            id: page.source_path.clone(),
            name: page.title.clone(),
            url: page.url.clone(),
        });
    }
    let title_of = |path: &str| {
        let name = path
            .rsplit('/')
            .next()
            .unwrap_or(path)
            .replace(['-', '_'], " ");
        let mut chars = name.chars();
        chars
            .next()
            .map_or(String::new(), |c| c.to_uppercase().chain(chars).collect())
    };
    tree.iter()
        .map(|(path, (pages, subfolders))| Folder {
            url: folder_url(path),
            title: if path.is_empty() {
                top_title.to_string()
            } else {
                title_of(path)
            },
            has_index_page: path.is_empty() || index_pages.contains(path),
            pages: pages.clone(),
            folders: subfolders
                .iter()
                .map(|f| Link {
                    kind: "folder",
                    id: f.clone(),
                    name: title_of(f),
                    url: folder_url(f),
                })
                .collect(),
        })
        .collect()
}

/// The case-number prefixes of the offices, each with its email and the step that uses it.
pub fn prefix_rows(site: &Resolved) -> Vec<PrefixRow> {
    site.offices
        .iter()
        .filter_map(|o| {
            let prefix = o.receipt_prefix.as_ref()?;
            let step = site.paths.iter().find_map(|p| {
                let step = p.steps.iter().find(|s| {
                    s.office.as_ref().is_some_and(|l| l.id == o.id)
                        || s.related_offices.iter().any(|l| l.id == o.id)
                })?;
                Some(Link {
                    kind: "path",
                    id: p.id.clone(),
                    name: site.strings.fill(
                        "receipt.step_link",
                        &[
                            ("path", &p.name),
                            ("n", &step.number),
                            ("title", &step.title),
                        ],
                    ),
                    url: format!("{}#{}", p.url, step.id),
                })
            });
            Some(PrefixRow {
                prefix: prefix.value.clone(),
                office: self_link("office", &o.id, &o.name, &o.url),
                email: o
                    .contacts
                    .iter()
                    .find(|c| c.kind == ContactKind::Email)
                    .cloned(),
                step,
                citations: o.citations.clone(),
            })
        })
        .collect()
}
