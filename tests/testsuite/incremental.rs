//! Incremental rebuilds, as `casepath serve` makes them: with a [`casepath::Cache`] kept
//! from the last compile, an edit renders only the pages whose inputs changed, and the
//! result is byte for byte what a compile from nothing gives.

use crate::common::SiteTest;
use casepath::{compile, compile_with, Cache, Options};

fn options(test: &SiteTest) -> Options {
    Options {
        root: test.root().to_path_buf(),
        out: test.root().join("site"),
        base_url: None,
    }
}

/// Replaces the first `from` in a file of the site.
pub(crate) fn edit(test: &SiteTest, rel: &str, from: &str, to: &str) {
    let text = std::fs::read_to_string(test.root().join(rel)).unwrap();
    assert!(text.contains(from), "{rel} has no `{from}`");
    test.write(rel, &text.replacen(from, to, 1));
}

/// Compiles with the cache, checks the result against a compile from nothing, and returns
/// how many pages were rendered.
pub(crate) fn rebuild(test: &SiteTest, cache: &mut Cache, what: &str) -> usize {
    let incremental = compile_with(&options(test), cache).expect(what);
    let full = compile(&options(test)).expect(what);
    assert_eq!(
        incremental.keys().collect::<Vec<_>>(),
        full.keys().collect::<Vec<_>>(),
        "{what}: the files differ"
    );
    for (path, bytes) in &full {
        assert!(incremental[path] == *bytes, "{what}: {path} differs");
    }
    let rendered = cache.render.rendered();
    eprintln!("{what}: rendered {rendered} of {} pages", full.len());
    rendered
}

/// How many HTML pages of a full build are under `folder`, in any version.
pub(crate) fn pages_under(test: &SiteTest, folder: &str) -> usize {
    compile(&options(test))
        .unwrap()
        .keys()
        .filter(|k| {
            k.ends_with(".html") && (k.starts_with(folder) || k.contains(&format!("/{folder}")))
        })
        .count()
}

#[test]
fn a_failed_build_between_edits_leaves_the_cache_usable() {
    let test = SiteTest::minimal();
    let mut cache = Cache::kept();
    rebuild(&test, &mut cache, "first build");
    edit(
        &test,
        "content/data/offices.yaml",
        "kind: contact-center",
        "kind: [contact-center",
    );
    assert!(compile_with(&options(&test), &mut cache).is_err());
    edit(
        &test,
        "content/data/offices.yaml",
        "kind: [contact-center",
        "kind: contact-center",
    );
    edit(
        &test,
        "content/data/offices.yaml",
        "name: Help Desk",
        "name: Helpdesk",
    );
    assert!(rebuild(&test, &mut cache, "after the fix") > 0);
}

/// Issue 18: the footer of every page links to the first six top-level pages, prepared in
/// Rust (`site.footer_pages`). Retitling a page past the sixth renders only the few pages
/// that list it, not every page: no page's template reads the whole list of pages.
#[test]
fn retitling_a_page_past_the_footer_renders_only_the_pages_that_list_it() {
    let test = SiteTest::minimal();
    for i in 1..=8 {
        test.write(
            &format!("content/pages/extra-{i}.md"),
            &format!(
                "---\ntitle: Extra page {i}\nweight: {}\n---\nText {i}.\n",
                10 + i
            ),
        );
    }
    let mut cache = Cache::kept();
    let all = rebuild(&test, &mut cache, "first build");
    assert!(all > 20, "{all} pages");
    let home = compile(&options(&test)).unwrap()["index.html"].clone();
    let home = String::from_utf8(home).unwrap();
    let footer_links = home
        .split("<footer")
        .nth(1)
        .unwrap()
        .matches("Extra page")
        .count();
    assert_eq!(footer_links, 5, "the about page and five extra pages");

    edit(
        &test,
        "content/pages/extra-8.md",
        "title: Extra page 8",
        "title: Extra page eight",
    );
    let retitled = rebuild(&test, &mut cache, "title of the eighth extra page");
    assert!(retitled <= 4, "rendered {retitled} of {all} pages");
}

#[test]
fn the_word_diffs_of_the_sources_are_kept_in_the_cache_between_compiles() {
    let test = SiteTest::shipped();
    let mut cache = Cache::kept();
    compile_with(&options(&test), &mut cache).expect("first build");
    let kept = cache.diffs.len();
    assert!(kept > 0, "the first compile diffs the source texts");
    // An edit that changes no source text diffs nothing new.
    edit(
        &test,
        "content/pages/before-you-call.md",
        "starts before you dial",
        "begins before you dial",
    );
    compile_with(&options(&test), &mut cache).expect("second build");
    assert_eq!(cache.diffs.len(), kept);
    // A fresh cache starts empty: nothing is kept in the process behind its back.
    assert!(Cache::kept().diffs.is_empty());
}

/// Issue 16: the decoded YAML of each file is kept in the [`Cache`] that `serve` holds, not
/// in a memo of the process that tests cannot see. An edit decodes only the text it changed.
#[test]
fn the_decoded_yaml_of_each_file_is_kept_in_the_cache_between_compiles() {
    let test = SiteTest::minimal();
    let mut cache = Cache::kept();
    rebuild(&test, &mut cache, "first build");
    let (kept, decoded) = (cache.decoded.len(), cache.decoded.decodes());
    // site.yaml, the data files and the page's front matter.
    assert!(kept >= 10, "the first compile keeps {kept} decoded files");
    assert_eq!(decoded, kept);
    // An edit of a page's body changes no YAML: nothing is decoded again.
    edit(&test, "content/pages/about.md", "first.", "first of all.");
    rebuild(&test, &mut cache, "body edited");
    assert_eq!(cache.decoded.decodes(), decoded);
    // An edit of its front matter decodes that front matter alone, which replaces the old.
    edit(&test, "content/pages/about.md", "weight: 1", "weight: 2");
    rebuild(&test, &mut cache, "front matter edited");
    assert_eq!(cache.decoded.decodes(), decoded + 1);
    assert_eq!(cache.decoded.len(), kept);
    // A fresh cache starts empty, and a cache that is not kept keeps nothing.
    assert!(Cache::kept().decoded.is_empty());
    let mut once = Cache::default();
    compile_with(&options(&test), &mut once).expect("a build from nothing");
    assert!(once.decoded.is_empty());
}
