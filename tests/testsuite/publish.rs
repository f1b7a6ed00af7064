//! Publishing and finding: base URL, GitHub Pages files, sitemap, robots and data export.
//! (The search index and the Content-Security-Policy are checked on the shipped guide in
//! `guide/publish.rs`.)

use crate::common::SiteTest;

const BASE: &str = "https://user.github.io/casepath";

#[test]
fn a_project_page_base_url_drives_canonical_links_and_the_sitemap() {
    let test = SiteTest::minimal();
    let run = test.run(&["build", "--base-url", &format!("{BASE}/")]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let office = test.read("offices/help-desk/index.html");
    assert!(
        office.contains(&format!(
            r#"<link rel="canonical" href="{BASE}/offices/help-desk/">"#
        )),
        "{office}"
    );
    assert!(office.contains(&format!(
        r#"<meta property="og:url" content="{BASE}/offices/help-desk/">"#
    )));
    assert!(office
        .contains(r#"<meta property="og:description" content="Answers questions by phone.">"#));
    let sitemap = test.read("sitemap.xml");
    assert!(sitemap.contains(&format!("<url><loc>{BASE}/</loc></url>")));
    assert!(sitemap.contains(&format!("<url><loc>{BASE}/offices/help-desk/</loc></url>")));
    assert!(!sitemap.contains("404"));
    assert_eq!(
        test.read("robots.txt"),
        format!("User-agent: *\nAllow: /\nSitemap: {BASE}/sitemap.xml\n")
    );
    // Internal links stay relative, so the same site works from disk.
    for (path, bytes) in test.snapshot_output() {
        if path.ends_with(".html") && path != "404.html" {
            let html = String::from_utf8(bytes).unwrap();
            // The canonical link is the one place the base URL belongs.
            let html: String = html
                .lines()
                .filter(|l| !l.contains("rel=\"canonical\""))
                .collect();
            for attr in [" href=\"", " src=\""] {
                for target in html
                    .split(attr)
                    .skip(1)
                    .map(|r| r.split('"').next().unwrap())
                {
                    assert!(!target.starts_with('/'), "{path}: absolute link {target}");
                    assert!(
                        !target.starts_with(BASE),
                        "{path}: internal link with the base URL {target}"
                    );
                }
            }
        }
    }
}

#[test]
fn without_a_base_url_there_is_no_sitemap_and_no_canonical_link() {
    let test = SiteTest::minimal();
    test.build();
    assert!(!test.root().join("site/sitemap.xml").exists());
    assert!(!test.root().join("site/robots.txt").exists());
    assert!(!test.read("index.html").contains("rel=\"canonical\""));
}

#[test]
fn github_pages_files_are_written() {
    let test = SiteTest::minimal();
    test.build();
    assert!(test.root().join("site/.nojekyll").is_file());
    assert!(!test.root().join("site/CNAME").exists());
    test.write(
        "content/site.yaml",
        "title: Minimal guide\ncname: guide.example.org\n",
    );
    test.build();
    assert_eq!(test.read("CNAME"), "guide.example.org\n");
}

#[test]
fn data_json_has_every_entity_resolved_with_sources() {
    let test = SiteTest::minimal();
    test.build();
    let data: serde_json::Value = serde_json::from_str(&test.read("data.json")).unwrap();
    let office = &data["offices"][0];
    assert_eq!(office["id"], "help-desk");
    assert_eq!(office["url"], "offices/help-desk/index.html");
    assert_eq!(office["contacts"][0]["value"], "1-800-555-0100");
    assert_eq!(
        office["contacts"][0]["citations"][0]["source"]["id"],
        "notice"
    );
    let channel = &data["channels"][0];
    assert_eq!(channel["office"]["id"], "help-desk");
    assert_eq!(channel["office"]["url"], "offices/help-desk/index.html");
    let step = &data["paths"][0]["steps"][1];
    assert_eq!(step["wait"]["days"], 15);
    assert_eq!(step["channel"]["id"], "followup-email");
    assert_eq!(data["sources"].as_array().unwrap().len(), 2);
}
