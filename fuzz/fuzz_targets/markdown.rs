//! Arbitrary UTF-8 as a Markdown page with front matter (`content/pages/guide/page.md`)
//! in the guide `casepath init` writes: front matter split and decoded as `load` does,
//! then validate and resolve, which render the Markdown and resolve its links
//! (`@office/…`, `../about.md#…`), and the plain text the search index keeps.

#![no_main]

mod common;

use casepath::diagnostic::{Diagnostics, SourceFile};
use libfuzzer_sys::fuzz_target;

const PAGE: &str = "pages/guide/page.md";

fuzz_target!(|data: &[u8]| {
    let Some(text) = common::text(data) else {
        return;
    };
    // The page alone, as the loader splits it.
    let mut diagnostics = Diagnostics::new();
    let file = SourceFile::new(format!("content/{PAGE}"), text);
    if let Some(page) =
        casepath::load::parse_markdown("guide/page.md".into(), file, &mut diagnostics)
    {
        std::hint::black_box(casepath::markdown::plain_text(page.body()));
        std::hint::black_box(casepath::markdown::slugify(&page.front.title));
    }
    common::render(&diagnostics);

    // The page in a guide.
    let (content, diagnostics) = common::Guide::starter().content(&[(PAGE, text)]);
    common::resolve(content, diagnostics);
});
