//! The fuzz targets under `fuzz/` on stable Rust, in plain `cargo test`: the targets' code
//! (`fuzz/fuzz_targets/common.rs`) is included in this test suite as module `fuzz`, so an
//! input a fuzzer finds to crash or hang is replayed through the very same functions. Add each such input as a test below,
//! with the target it came from.
//!
//! The local runs so far (about six minutes per target, see `fuzz/run`; `html_check`, newer,
//! about three minutes and 180,000 inputs) found no crash, no hang and no accepted HTML that
//! was not inert; the tests here replay the committed seeds and check that the targets' entry
//! points, `load::parse_yaml` and `load::parse_markdown`, read a file as `load` does.

use crate::fuzz;

use std::path::Path;

use casepath::diagnostic::{Diagnostics, SourceFile};
use casepath::load::schema::OfficeRecord;
use casepath::load::{self, parse_markdown, parse_yaml};

/// Every file of `fuzz/seeds/<target>/`.
fn seeds(target: &str) -> Vec<Vec<u8>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/seeds")
        .join(target);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no seeds in {}", dir.display());
    files.iter().map(|f| std::fs::read(f).unwrap()).collect()
}

#[test]
fn the_seeds_go_through_every_target() {
    for seed in seeds("yaml_loader") {
        fuzz::yaml_loader(&seed);
    }
    for seed in seeds("markdown") {
        fuzz::markdown(&seed);
    }
    for seed in seeds("html_check") {
        fuzz::html_check(&seed);
    }
    for seed in seeds("flowchart") {
        fuzz::flowchart(&seed);
    }
}

#[test]
fn the_html_check_seeds_are_refused_except_the_allowed_one() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds/html_check");
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let refused = !casepath::markdown::html_check::check(&text).is_empty();
        let allowed = path.file_name().unwrap() == "allowed.md";
        assert_eq!(refused, !allowed, "{}", path.display());
    }
}

#[test]
fn the_seeds_for_the_starter_guide_resolve() {
    let guide = fuzz::Guide::starter();
    let chart = String::from_utf8(seeds("flowchart").remove(0)).unwrap();
    let (content, errors) = guide.content(&[("data/flowchart.yaml", &chart)]);
    let site = fuzz::resolve(content, errors).expect("the seed chart resolves");
    assert!(site.flowchart.is_some_and(|c| c.nodes.len() >= 5));
    for page in seeds("markdown") {
        let page = String::from_utf8(page).unwrap();
        let (content, errors) = guide.content(&[("pages/guide/page.md", &page)]);
        assert!(fuzz::resolve(content, errors).is_some(), "{page}");
    }
}

#[test]
fn parse_yaml_and_parse_markdown_read_files_as_load_does() {
    let dir = tempfile::tempdir().unwrap();
    casepath::cmd::init::init(dir.path(), false).unwrap();
    let (content, errors) = load::load(dir.path()).unwrap();
    assert!(errors.is_empty(), "{errors}");

    let mut diagnostics = Diagnostics::new();
    let offices: Vec<OfficeRecord> = parse_yaml(&content.offices.file, &mut diagnostics).unwrap();
    assert_eq!(
        offices.iter().map(|o| &o.id.value).collect::<Vec<_>>(),
        content
            .offices
            .records
            .iter()
            .map(|o| &o.id.value)
            .collect::<Vec<_>>()
    );

    let loaded = &content.pages[0];
    let page = parse_markdown(
        loaded.rel_path.clone(),
        loaded.file.clone(),
        &mut diagnostics,
    )
    .unwrap();
    assert_eq!(page.body(), loaded.body());
    assert_eq!(page.front.title, loaded.front.title);
    assert!(diagnostics.is_empty(), "{diagnostics}");
}

#[test]
fn parse_yaml_keeps_the_loaders_limits() {
    let bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n\
                b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n\
                c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n\
                d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n\
                e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n\
                f: [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n";
    let file = SourceFile::new("content/site.yaml", bomb);
    let mut diagnostics = Diagnostics::new();
    let decoded = parse_yaml::<casepath::load::schema::SiteConfig>(&file, &mut diagnostics);
    assert!(decoded.is_none());
    let shown = diagnostics.render(false);
    assert!(shown.contains("content/site.yaml"), "{shown}");
    assert!(
        shown.contains("limit") || shown.contains("budget"),
        "{shown}"
    );

    let page = "---\ntitle: [\n---\nbody\n";
    let mut diagnostics = Diagnostics::new();
    let file = SourceFile::new("content/pages/x.md", page);
    assert!(parse_markdown("x.md".into(), file, &mut diagnostics).is_none());
    assert!(diagnostics.render(false).contains("content/pages/x.md:2:"));
}
