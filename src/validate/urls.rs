//! The addresses of the Markdown pages: each must be free. A page may not take a folder the
//! generator writes (`search.md` would replace the search page), the home page or the
//! page-not-found page, and no two pages may share an address (`a.md` and `a/index.md`).
//! Each error names both files.

use std::collections::HashMap;

use crate::diagnostic::{Diagnostic, Diagnostics, Location};
use crate::load::Content;
use crate::urls::{generated_at, page_url, reserved_names};

/// Checks that every Markdown page of `content` gets an address of its own.
pub(super) fn check_page_urls(content: &Content, diagnostics: &mut Diagnostics) {
    let mut seen: HashMap<String, &str> = HashMap::new();
    for page in &content.pages {
        let url = page_url(&page.rel_path);
        let whole_page = Location::new(&page.file, 1, 1, 3);
        if let Some(what) = generated_at(&url) {
            diagnostics.push(
                Diagnostic::at(
                    whole_page,
                    format!(
                        "page `{}` would be written to `{url}`, which the guide uses",
                        page.rel_path
                    ),
                )
                .with_label("this page")
                .with_note(format!("`{url}` is where casepath writes {what}"))
                .with_hint(format!(
                    "rename or move the page; these names are taken: index, 404, {}",
                    reserved_names().join(", ")
                )),
            );
            continue;
        }
        if let Some(other) = seen.insert(url.clone(), &page.rel_path) {
            diagnostics.push(
                Diagnostic::at(
                    whole_page,
                    format!(
                        "pages `{other}` and `{}` would both be written to `{url}`",
                        page.rel_path
                    ),
                )
                .with_label("this page")
                .with_note(format!("content/pages/{other} is written to `{url}` too"))
                .with_hint("rename or move one of the two pages"),
            );
        }
    }
}
