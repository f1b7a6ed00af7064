//! Tests of the shipped guide's content: the USCIS guide in the repository's `content/`,
//! built with the default theme. They check its facts, its page counts and its reading level,
//! and the engine's features as they show on it.
//!
//! The engine's own tests (the other modules of this test suite) use only fixtures under
//! `tests/fixtures/` and temporary folders, never `content/`; the helpers that reach
//! `content/` are here. `cargo test --test testsuite guide::` runs these tests alone.

mod flowchart;
mod flowchart_layout;
mod handouts;
mod incremental;
mod languages;
mod pages;
mod plain_language;
mod properties;
mod publish;
mod reading;
mod schema;
mod site;
mod versions;

use crate::common::{copy_dir, repo, SiteTest};

impl SiteTest {
    /// The shipped guide (`content/` and `themes/` of the repository).
    pub fn shipped() -> Self {
        let test = SiteTest::empty();
        copy_dir(&repo().join("content"), &test.root().join("content"));
        copy_dir(&repo().join("themes"), &test.root().join("themes"));
        test
    }
}

/// The shipped guide, built once per test binary.
pub fn guide() -> &'static SiteTest {
    static GUIDE: std::sync::OnceLock<SiteTest> = std::sync::OnceLock::new();
    GUIDE.get_or_init(|| {
        let test = SiteTest::shipped();
        test.build();
        test
    })
}

/// The shipped flowchart, resolved in the current view (the newest policy version).
pub fn shipped_chart() -> casepath::model::flowchart::Flowchart {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let (content, errors) = casepath::load::load(root).expect("content loads");
    let validated = casepath::validate::validate(content, errors).expect("content is valid");
    let site = casepath::resolve::resolve(&validated);
    site.flowchart.expect("the guide has a flowchart")
}

/// The `<main>` element of a page of the built shipped guide.
pub fn main_of(rel: &str) -> String {
    let html = guide().read(rel);
    let start = html.find("<main").expect("a <main>");
    let end = html.find("</main>").expect("a </main>");
    html[start..end + 7].to_string()
}
