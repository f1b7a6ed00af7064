//! Unit tests of the preview server's HTTP handling: which file a URL serves,
//! redirects under the base path, the files a page loads, content types and the
//! live-reload subscriptions.

use super::*;

fn site() -> Output {
    [
        "index.html",
        "404.html",
        "offices/index.html",
        "static/style.css",
    ]
    .iter()
    .map(|k| (k.to_string(), b"x".to_vec()))
    .collect()
}

#[test]
fn folder_urls_serve_their_index_and_bare_folders_redirect() {
    let site = site();
    assert_eq!(route("/", "/", &site), Route::File("index.html".into()));
    assert_eq!(
        route("/offices/", "/", &site),
        Route::File("offices/index.html".into())
    );
    assert_eq!(
        route("/offices?x=1", "/", &site),
        Route::Redirect("/offices/?x=1".into())
    );
    assert_eq!(
        route("/static/style%2Ecss", "/", &site),
        Route::File("static/style.css".into())
    );
    assert_eq!(
        route("/nowhere/", "/", &site),
        Route::NotFound(Some("nowhere/index.html".into()))
    );
}

#[test]
fn the_site_is_served_under_its_base_path() {
    let site = site();
    assert_eq!(
        route("/", "/guide/", &site),
        Route::Redirect("/guide/".into())
    );
    assert_eq!(
        route("/guide", "/guide/", &site),
        Route::Redirect("/guide/".into())
    );
    assert_eq!(
        route("/guide/offices/", "/guide/", &site),
        Route::File("offices/index.html".into())
    );
    assert_eq!(route("/offices/", "/guide/", &site), Route::NotFound(None));
    assert_eq!(route(EVENTS_PATH, "/guide/", &site), Route::Events(None));
}

#[test]
fn paths_that_leave_the_site_are_not_found() {
    let site = site();
    for target in [
        "/../Cargo.toml",
        "/static/../../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
        "/static%2fstyle.css",
        "/static%5cstyle.css",
        "/..%5c..%5cwindows",
        "/static/./style.css",
        "//etc/passwd",
        "/static//style.css",
        "/index.html%00.txt",
        "/%zz",
        "/%ff",
        "http://example.org/index.html",
        "*",
        "/\\..\\Cargo.toml",
    ] {
        assert!(
            matches!(route(target, "/", &site), Route::NotFound(_)),
            "{target}"
        );
    }
}

#[test]
fn pages_depend_on_the_files_they_load_not_on_the_pages_they_link() {
    let mut site = site();
    site.insert("static/app.js".into(), b"x".to_vec());
    site.insert("qr.svg".into(), b"x".to_vec());
    let html = br#"<link rel="stylesheet" href="../static/style.css">
<a href="../index.html">Home</a> <a href="../static/app.js">source</a>
<img alt="" src='../qr.svg'> <script src="../static/app.js?v=1"></script>
<img src="https://example.org/x.png"> <link rel="icon" href="data:,">"#;
    assert_eq!(
        resources("offices/index.html", html, "/", &site),
        ["qr.svg", "static/app.js", "static/style.css"]
    );
    let not_found = br#"<link rel="stylesheet" href="/guide/static/style.css">"#;
    assert_eq!(
        resources("404.html", not_found, "/guide/", &site),
        ["static/style.css"]
    );
    assert!(resources(
        "404.html",
        b"<script src=\"/elsewhere.js\">",
        "/guide/",
        &site
    )
    .is_empty());
}

#[test]
fn the_snippet_goes_before_the_closing_body_tag() {
    assert_eq!(
        inject(b"<html><body><p>x</p></BODY></html>", "<s>"),
        b"<html><body><p>x</p><s></BODY></html>"
    );
    assert_eq!(inject(b"<p>x</p>", "<s>"), b"<p>x</p><s>");
}

#[test]
fn content_types_follow_the_extension() {
    for (key, expected) in [
        ("index.html", "text/html; charset=utf-8"),
        ("static/style.css", "text/css; charset=utf-8"),
        ("static/app.js", "text/javascript; charset=utf-8"),
        ("flowchart.svg", "image/svg+xml"),
        ("qr.png", "image/png"),
        ("data.json", "application/json"),
        ("sitemap.xml", "application/xml; charset=utf-8"),
        ("robots.txt", "text/plain; charset=utf-8"),
        ("handout.pdf", "application/pdf"),
        ("reminder.ics", "text/calendar; charset=utf-8"),
        ("CNAME", "application/octet-stream"),
    ] {
        assert_eq!(content_type(key), expected, "{key}");
    }
}

#[test]
fn subscriptions_are_read_from_the_query() {
    let s = subscription(Some(
        "instance=ab&generation=3&page=a%20b.html&page=404.html",
    ))
    .unwrap();
    assert_eq!(s.instance.as_deref(), Some("ab"));
    assert_eq!(s.generation, Some(3));
    assert_eq!(s.pages, ["a b.html", "404.html"]);
    let most = vec!["page=x"; MAX_PAGES].join("&");
    assert_eq!(subscription(Some(&most)).unwrap().pages.len(), MAX_PAGES);
    assert!(subscription(Some(&format!("{most}&page=y"))).is_err());
    let long = "x".repeat(MAX_PAGE_BYTES + 1);
    assert!(subscription(Some(&format!("page={long}"))).is_err());
    assert!(subscription(Some(&format!("instance={long}"))).is_err());
}

#[test]
fn served_pages_never_name_more_files_than_a_query_may_hold() {
    let pages = |n: usize, len: usize| -> Vec<String> { vec!["é".repeat(len / 2); n] };
    let most = subscription(Some(&live_query(
        "ab",
        1,
        &pages(MAX_PAGES, MAX_PAGE_BYTES),
    )));
    assert_eq!(most.unwrap().pages, pages(MAX_PAGES, MAX_PAGE_BYTES));
    for too_many in [pages(MAX_PAGES + 1, 10), pages(1, MAX_PAGE_BYTES + 2)] {
        let listened = subscription(Some(&live_query("ab", 1, &too_many)));
        assert_eq!(listened.unwrap().pages, [ANY_PAGE]);
    }
}

#[test]
fn the_base_path_redirect_never_leaves_the_server() {
    let site = site();
    for base_path in ["//evil.example/", "///evil.example/", "evil.example/"] {
        for target in ["/", "/evil.example"] {
            assert!(
                !matches!(route(target, base_path, &site), Route::Redirect(_)),
                "{base_path} {target}"
            );
        }
    }
}
