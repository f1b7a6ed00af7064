//! A guide in more than one language: `languages:` in `site.yaml`, the pages of each other
//! language under its folder, `<html lang>`, the `hreflang` alternates, the language
//! switcher, a search index per language, and the notice on a page whose translation is
//! behind or missing. The fixture `tests/fixtures/good/two-languages` has one page translated
//! (`about.es.md`), one translated from an older original (`notes.es.md`) and one not
//! translated (`more.md`). (The mistakes in `languages:` and in translated pages' names are
//! in `errors.rs`.)

use std::collections::BTreeSet;

use crate::common::SiteTest;

/// The two-language fixture, built.
fn built() -> (SiteTest, crate::common::Run) {
    let test = SiteTest::good("two-languages");
    let run = test.build();
    (test, run)
}

/// The `<main>` of a page.
fn main_of(html: &str) -> &str {
    let start = html.find("<main").expect("a <main>");
    let end = html.find("</main>").expect("a </main>");
    &html[start..end]
}

/// The value of attribute `name` of every tag of `html` that has `marker` in it.
fn attributes<'a>(html: &'a str, marker: &str, name: &str) -> Vec<&'a str> {
    html.split('<')
        .filter(|tag| tag.contains(marker))
        .filter_map(|tag| tag.split(&format!(" {name}=\"")).nth(1))
        .filter_map(|rest| rest.split('"').next())
        .collect()
}

#[test]
fn each_other_language_has_every_page_under_its_folder() {
    let (test, _) = built();
    let files = test.snapshot_output();
    let english: BTreeSet<&str> = (files.iter().map(|(p, _)| p.as_str()))
        .filter(|p| p.ends_with(".html") && !p.starts_with("es/"))
        .collect();
    let spanish: BTreeSet<&str> = (files.iter().map(|(p, _)| p.as_str()))
        .filter_map(|p| p.strip_prefix("es/"))
        .filter(|p| p.ends_with(".html"))
        .collect();
    assert_eq!(english, spanish);
    // The theme's static files are shared, not copied.
    assert!(!files.iter().any(|(p, _)| p.starts_with("es/static/")));
    assert!(test.read("index.html").contains("<html lang=\"en\">"));
    let home = test.read("es/index.html");
    assert!(home.contains("<html lang=\"es\">"), "{home}");
    assert!(
        home.contains("Guía en dos idiomas"),
        "the words of site.es.yaml"
    );
    assert!(home.contains("href=\"../static/style.css\""), "{home}");
    // The theme's Spanish string table.
    assert!(home.contains("Ir al contenido"));
    let about = test.read("es/about/index.html");
    assert!(about.contains("<h1 id=\"acerca\">Acerca</h1>"), "{about}");
    assert!(about.contains("href=\"../../static/style.css\""));
    // Links inside a language stay in it.
    assert!(about.contains("href=\"../offices/help-desk/index.html\""));
}

#[test]
fn quotes_stay_in_the_words_of_their_source_and_say_so() {
    let (test, _) = built();
    let office = test.read("es/offices/help-desk/index.html");
    assert!(
        office.contains(
            "<q lang=\"en\">Contact the Help Desk at 1-800-555-0100.</q> \
             <span class=\"original-wording\">(texto original, sin traducir)</span>"
        ),
        "{office}"
    );
    let english = test.read("offices/help-desk/index.html");
    assert!(english.contains("<q>Contact the Help Desk at 1-800-555-0100.</q>"));
    assert!(!english.contains("original-wording"));
    let source = test.read("es/sources/notice/index.html");
    assert!(source.contains("<div class=\"source-text\" lang=\"en\">"));
}

#[test]
fn every_page_links_the_same_page_in_each_language_both_ways() {
    let (test, _) = built();
    for (page, here) in [("about/index.html", "en"), ("es/about/index.html", "es")] {
        let html = test.read(page);
        let alternates = attributes(&html, "rel=\"alternate\"", "hreflang");
        assert_eq!(alternates, ["en", "x-default", "es"], "{page}");
        let targets: Vec<String> = attributes(&html, "rel=\"alternate\"", "href")
            .into_iter()
            .map(|href| crate::common::resolve_link(page, href))
            .collect();
        assert_eq!(
            targets,
            [
                "about/index.html",
                "about/index.html",
                "es/about/index.html"
            ]
        );
        // The switcher: plain links in the header, the current language marked.
        let header = &html[html.find("<header").unwrap()..html.find("</header>").unwrap()];
        let switcher = &header[header.find("class=\"language-switcher\"").unwrap()..];
        let links: Vec<String> = attributes(switcher, "hreflang", "href")
            .into_iter()
            .map(|href| crate::common::resolve_link(page, href))
            .collect();
        assert_eq!(links, ["about/index.html", "es/about/index.html"]);
        let current = attributes(switcher, "aria-current", "hreflang");
        assert_eq!(current, [here]);
        for target in links {
            assert!(test.root().join("site").join(target).is_file());
        }
    }
    assert!(!test.read("es/about/index.html").contains("<script"));
}

#[test]
fn each_language_has_its_own_search_index() {
    let (test, _) = built();
    let english = test.read("search-index.js");
    let spanish = test.read("es/search-index.js");
    assert!(english.contains("About this guide") && !english.contains("Sobre esta guía"));
    assert!(spanish.contains("Sobre esta guía") && !spanish.contains("About this guide"));
    // The Spanish search page reads the Spanish index, and the shared script.
    let search = test.read("es/search/index.html");
    assert!(search.contains("<script src=\"../search-index.js\"></script>"));
    assert!(search.contains("<script src=\"../../static/search.js\"></script>"));
}

#[test]
fn a_page_not_translated_shows_the_original_with_a_notice_in_the_readers_language() {
    let (test, _) = built();
    let html = test.read("es/more/index.html");
    let main = main_of(&html);
    assert!(main.starts_with("<main id=\"main\" lang=\"en\">"), "{main}");
    assert!(main.contains("More reading"));
    assert!(main.contains(
        "<p class=\"translation-notice\" role=\"note\" lang=\"es\">Parte de esta página aún no \
         está traducida. <a href=\"../../more/index.html\" \
         hreflang=\"en\">Leer el original (English)</a></p>"
    ));
    // The data of the fixture has no translation: a record's page, and a list of records,
    // say so too.
    for page in ["es/offices/help-desk/index.html", "es/offices/index.html"] {
        let html = test.read(page);
        assert!(
            main_of(&html).contains("Parte de esta página aún no está traducida."),
            "{page}"
        );
    }
    // A translated page that is up to date says nothing; the English pages never do.
    assert!(!test
        .read("es/about/index.html")
        .contains("translation-notice"));
    assert!(!test.read("more/index.html").contains("translation-notice"));
}

#[test]
fn a_translation_made_from_an_older_original_is_reported_at_its_line_and_marked() {
    let (test, run) = built();
    assert!(
        run.stdout.ends_with(", with 1 warning (above)\n"),
        "{}",
        run.stdout
    );
    insta::assert_snapshot!(run.stderr, @r"
    warning: this translation may be behind its original, content/pages/notes.md
     --> content/pages/notes.es.md:5:18
      |
    5 | translated_from: 00000000
      |                  ^^^^^^^^ made from an older text of the original
      |
    help: bring the translation up to date with content/pages/notes.md, then set `translated_from: 8f207bc7` in its front matter
    note: the original's text now has the fingerprint `8f207bc7`
    ");
    let check = test.run(&["check"]);
    assert_eq!(check.stderr, run.stderr);
    let html = test.read("es/notes/index.html");
    let main = main_of(&html);
    assert!(
        main.starts_with("<main id=\"main\">"),
        "the page is in Spanish"
    );
    assert!(main.contains("Esta traducción puede estar atrasada respecto al original."));
    assert!(main.contains("<a href=\"../../notes/index.html\" hreflang=\"en\">"));
    // Once the translation names the original's text, the warning and the notice go.
    let text = std::fs::read_to_string(test.root().join("content/pages/notes.es.md")).unwrap();
    test.write(
        "content/pages/notes.es.md",
        &text.replace("00000000", "8f207bc7"),
    );
    let run = test.build();
    assert_eq!(run.stderr, "");
    assert!(!test
        .read("es/notes/index.html")
        .contains("translation-notice"));
}

#[test]
fn the_sitemap_lists_every_page_in_every_language_with_its_alternates() {
    let test = SiteTest::good("two-languages");
    let base = "https://example.org/guide";
    let run = test.run(&["build", "--base-url", base]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let sitemap = test.read("sitemap.xml");
    let alternates = format!(
        "<xhtml:link rel=\"alternate\" hreflang=\"en\" href=\"{base}/about/\"/>\
         <xhtml:link rel=\"alternate\" hreflang=\"es\" href=\"{base}/es/about/\"/>"
    );
    for loc in ["about/", "es/about/"] {
        let entry = format!("<url><loc>{base}/{loc}</loc>{alternates}</url>");
        assert!(sitemap.contains(&entry), "{sitemap}");
    }
    assert!(!sitemap.contains("404"));
    let about = test.read("es/about/index.html");
    assert!(about.contains(&format!(
        "<link rel=\"canonical\" href=\"{base}/es/about/\">"
    )));
    assert!(about.contains(&format!(
        "<link rel=\"alternate\" hreflang=\"en\" href=\"{base}/about/\">"
    )));
    // The 404 page of each language links from the base path.
    let not_found = test.read("es/404.html");
    assert!(not_found.contains("href=\"/guide/es/index.html\""));
    assert!(not_found.contains("href=\"/guide/static/style.css\""));
}

#[test]
fn a_guide_in_one_language_has_no_switcher_and_no_alternates() {
    let test = SiteTest::minimal();
    test.build();
    let about = test.read("about/index.html");
    assert!(!about.contains("hreflang"));
    assert!(!about.contains("language-switcher"));
    assert!(!test.root().join("site/es").exists());
}

#[test]
fn a_handout_not_translated_says_so_beside_its_build_date_for_paper() {
    let (test, _) = built();
    let folder = test.root().join("site/es/handouts");
    let handouts: Vec<String> = std::fs::read_dir(&folder)
        .unwrap()
        .filter_map(|entry| {
            let name = entry.ok()?.file_name().into_string().ok()?;
            let page = format!("handouts/{name}/index.html");
            folder
                .join(&name)
                .join("index.html")
                .is_file()
                .then_some(page)
        })
        .collect();
    assert!(!handouts.is_empty(), "no handout in the fixture");
    for page in handouts {
        let spanish = test.read(&format!("es/{page}"));
        assert!(
            spanish.contains(
                "</time><span class=\"handout-notice\"> · Parte de esta página aún no está \
                 traducida.</span></p>"
            ),
            "es/{page}"
        );
        assert!(!test.read(&page).contains("handout-notice"), "{page}");
    }
}
