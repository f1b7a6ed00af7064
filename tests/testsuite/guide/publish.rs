//! Publishing the shipped guide: its search index finds what a reader types, and every page
//! has a strict Content-Security-Policy and loads nothing from another host.

use crate::common::SiteTest;

#[test]
fn the_search_index_finds_vermont_and_form_7001_in_the_shipped_guide() {
    let test = SiteTest::shipped();
    test.build();
    let index = test.read("search-index.js");
    let json = index
        .strip_prefix("window.CASEPATH_SEARCH = ")
        .unwrap()
        .trim_end()
        .trim_end_matches(';');
    let docs: Vec<serde_json::Value> = serde_json::from_str(json).unwrap();
    let find = |url: &str| {
        docs.iter()
            .find(|d| d["u"] == url)
            .unwrap_or_else(|| panic!("{url} not indexed"))
    };
    assert_eq!(
        find("offices/vermont-service-center/index.html")["t"],
        "Vermont Service Center"
    );
    assert!(find("offices/cis-ombudsman/index.html")["b"]
        .as_str()
        .unwrap()
        .contains("Form 7001"));
    let search = test.read("search/index.html");
    assert!(search.contains(r#"<script src="../search-index.js"></script>"#));
    assert!(search.contains(r#"<script src="../static/search.js"></script>"#));
    // Kinds are ids; the theme names them.
    assert_eq!(find("paths/service-center-case/index.html")["k"], "path");
    assert_eq!(find("channels/dhs-form-7001/index.html")["k"], "channel");
    // What only the unofficial FAQ says is marked, so a snippet can keep its label.
    let field_office = find("paths/field-office-case/index.html")["b"]
        .as_str()
        .unwrap();
    assert!(
        field_office
            .contains("\u{1}A third-party FAQ says field offices do not allow walk-ins.\u{2}"),
        "{field_office}"
    );
    assert!(!find("offices/vermont-service-center/index.html")["b"]
        .as_str()
        .unwrap()
        .contains('\u{2}'));
    let faq = docs
        .iter()
        .find(|d| d["u"] == "sources/faq-tail-2024/index.html")
        .unwrap();
    assert_eq!(faq["v"], true);
    assert!(find("sources/ombudsman-2015/index.html").get("v").is_none());
    // Every indexed page is in the A–Z list of the search page, which needs no script.
    for d in &docs {
        let link = format!(
            r#"<li><a href="../{}">{}</a>"#,
            d["u"].as_str().unwrap(),
            d["t"].as_str().unwrap()
        );
        assert_eq!(search.matches(&link).count(), 1, "{link}");
    }
    let a = search.find(r#"<h3 id="a-z-A">A</h3>"#).unwrap();
    let y = search.find(r#"<h3 id="a-z-Y">Y</h3>"#).unwrap();
    assert!(a < y && search[y..].contains(r#"<a href="../paths/service-center-case/index.html">Your case is at a service center</a> <span class="kind-label">Your situation</span>"#));
    assert!(search.contains(r#"Question-and-answer block found after the 2024 chapter (not from USCIS)</a> <span class="kind-label">Source</span> <strong class="unverified">Not an official source</strong>"#));
}

#[test]
fn every_page_has_a_strict_csp_and_nothing_loads_from_another_host() {
    let test = SiteTest::shipped();
    test.build();
    for (path, bytes) in test.snapshot_output() {
        let text = String::from_utf8_lossy(&bytes);
        if path.ends_with(".html") {
            assert!(text.contains(r#"<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'">"#), "{path}");
            assert!(
                !text.contains("<script>")
                    && !text.contains(" style=\"")
                    && !text.contains(" onclick="),
                "{path} has inline script or style"
            );
            for tag in [
                "<script src=\"",
                "<link rel=\"stylesheet\" href=\"",
                "<img src=\"",
                "<iframe",
            ] {
                for target in text
                    .split(tag)
                    .skip(1)
                    .map(|r| r.split('"').next().unwrap())
                {
                    assert!(
                        !target.contains("://") && !target.starts_with("//"),
                        "{path} loads {target}"
                    );
                }
            }
        }
        if path.ends_with(".css") || path.ends_with(".js") && path != "search-index.js" {
            assert!(
                !text.contains("http://") && !text.contains("https://"),
                "{path} refers to another host"
            );
        }
    }
}
