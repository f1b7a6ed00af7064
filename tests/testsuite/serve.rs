//! `casepath serve`: the real binary on a free port, against a copy of the minimal fixture.
//! Each test edits files as an editor would and watches what a browser would see: the
//! events on `/__casepath/events` and the pages over HTTP.

use std::collections::BTreeSet;
use std::fs;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::Command;
use std::sync::{Arc, Barrier};
use std::thread;
use std::time::{Duration, Instant};

use crate::common;
use crate::common::serve::{parse_reply, request, Events, Reply, Serve, PATIENCE};
use crate::common::SiteTest;
use serde_json::Value;

const SUMMARY: &str = "summary: Answers questions by phone.";

/// Replaces text in a file of the site, as an editor would save it (in place).
fn edit(test: &SiteTest, rel: &str, from: &str, to: &str) {
    let path = test.root().join(rel);
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{rel} has no {from:?}");
    fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

/// Saves a file the way many editors do: write a temporary file, then rename it over.
fn save_atomically(path: &Path, text: &str) {
    let temp = path.with_file_name(format!(
        ".{}.tmp",
        path.file_name().unwrap().to_string_lossy()
    ));
    fs::write(&temp, text).unwrap();
    fs::rename(&temp, path).unwrap();
}

/// The body as the site has it: without the live-reload script the server adds.
fn without_snippet(body: &[u8]) -> Vec<u8> {
    let text = String::from_utf8(body.to_vec()).expect("HTML is UTF-8");
    let start = text
        .find("<script src=\"/__casepath/live.js\"")
        .expect("live-reload script");
    let end = start + text[start..].find("</script>\n").unwrap() + "</script>\n".len();
    format!("{}{}", &text[..start], &text[end..]).into_bytes()
}

#[test]
fn an_edit_reloads_open_pages_and_serves_the_new_content() {
    let test = SiteTest::minimal();
    let serve = Serve::start(&test);
    assert!(serve
        .get("/offices/help-desk/")
        .text()
        .contains("Answers questions by phone."));
    let mut events = serve.events();
    edit(
        &test,
        "content/data/offices.yaml",
        SUMMARY,
        "summary: Answers questions by phone and by mail.",
    );
    let reload = events.wait_for("reload");
    let changed = reload["changed"].as_array().unwrap();
    assert!(
        changed.contains(&Value::from("offices/help-desk/index.html")),
        "{reload}"
    );
    assert!(!changed.contains(&Value::from("channels/followup-email/index.html")));
    let page = serve.get("/offices/help-desk/");
    assert_eq!(page.status, 200);
    assert!(page
        .text()
        .contains("Answers questions by phone and by mail."));
}

/// The event-stream query the live-reload script of a served page would use.
fn live_query(page: &Reply) -> String {
    let text = page.text();
    let start = text
        .find("data-casepath-live=\"")
        .expect("live-reload script")
        + 20;
    let query = &text[start..start + text[start..].find('"').unwrap()];
    format!("?{}", query.replace("&amp;", "&"))
}

#[test]
fn only_pages_whose_files_changed_are_told_to_reload() {
    let test = SiteTest::minimal();
    let serve = Serve::start(&test);
    let unrelated = live_query(&serve.get("/channels/followup-email/"));
    assert!(unrelated.contains("&page=static/style.css"), "{unrelated}");
    let office = live_query(&serve.get("/offices/help-desk/"));
    let mut unrelated_events = Events::connect(serve.addr, &unrelated);
    let mut office_events = Events::connect(serve.addr, &office);
    edit(
        &test,
        "content/data/offices.yaml",
        SUMMARY,
        "summary: Answers questions by phone, weekdays.",
    );
    office_events.wait_for("reload");
    // The stylesheet every page loads: the unrelated page hears of this change first.
    edit(
        &test,
        "themes/default/static/style.css",
        "",
        "/* edited */\n",
    );
    let (name, data) = unrelated_events.next();
    assert_eq!(name, "reload");
    assert_eq!(data["changed"], serde_json::json!(["static/style.css"]));

    // A page that reconnects after missing a change learns at once that it is out of date.
    let mut late = Events::connect(serve.addr, &office);
    assert_eq!(late.next().0, "reload");
}

#[test]
fn a_broken_edit_keeps_the_site_shows_the_error_and_the_fix_recovers() {
    let test = SiteTest::minimal();
    let serve = Serve::start(&test);
    let mut events = serve.events();
    edit(
        &test,
        "content/data/offices.yaml",
        SUMMARY,
        "summary: [Answers questions by phone.",
    );
    let error = events.wait_for("build-error");
    let positions = error["positions"].as_array().unwrap();
    assert!(
        positions.iter().any(|p| p
            .as_str()
            .unwrap()
            .starts_with("content/data/offices.yaml:")),
        "{error}"
    );
    let text = error["text"].as_str().unwrap();
    assert!(text.contains("--> content/data/offices.yaml:"), "{text}");
    assert!(
        text.contains("still showing the last good version"),
        "{text}"
    );

    // The last good site is still served, and the terminal shows where the problem is.
    let page = serve.get("/offices/help-desk/");
    assert_eq!(page.status, 200);
    assert!(page.text().contains("Answers questions by phone."));
    let deadline = Instant::now() + PATIENCE;
    while !serve.stderr().contains("--> content/data/offices.yaml:") {
        assert!(Instant::now() < deadline, "stderr: {}", serve.stderr());
        thread::sleep(Duration::from_millis(20));
    }

    // A page opened now learns of the error as soon as it connects.
    let mut opened_later = Events::connect(serve.addr, "");
    assert!(opened_later.next().0 == "build-error");

    edit(
        &test,
        "content/data/offices.yaml",
        "summary: [Answers questions by phone.",
        "summary: Answers questions by phone, fixed.",
    );
    for events in [&mut events, &mut opened_later] {
        let reload = events.wait_for("reload");
        assert_eq!(reload["recovered"], true);
    }
    assert!(serve
        .get("/offices/help-desk/")
        .text()
        .contains("Answers questions by phone, fixed."));
}

#[test]
fn a_failed_first_build_still_serves_and_recovers() {
    let test = SiteTest::bad("yaml-syntax");
    let serve = Serve::start(&test);
    let page = serve.get("/");
    assert_eq!(page.status, 500);
    let text = page.text();
    assert!(text.contains("The site could not be built"), "{text}");
    assert!(
        text.contains("--&gt; content/data/offices.yaml:4:"),
        "{text}"
    );
    assert!(text.contains("/__casepath/live.js"));
    let mut events = serve.events();
    assert_eq!(events.next().0, "build-error");

    let good = fs::read_to_string(
        common::repo().join("tests/fixtures/good/minimal/content/data/offices.yaml"),
    )
    .unwrap();
    fs::write(test.root().join("content/data/offices.yaml"), good).unwrap();
    events.wait_for("reload");
    let page = serve.get("/");
    assert_eq!(page.status, 200);
    assert!(page.text().contains("<h1"));
}

#[test]
fn paths_outside_the_site_get_the_404_page() {
    let test = SiteTest::minimal();
    // A symbolic link beside the content: the server reads nothing from disk, so it cannot
    // follow it.
    #[cfg(unix)]
    std::os::unix::fs::symlink("/etc", test.root().join("etc")).unwrap();
    let serve = Serve::start(&test);
    for target in [
        "/../Cargo.toml",
        "/../../../../etc/passwd",
        "/static/../../content/site.yaml",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
        "/static/..%2f..%2fcontent%2fsite.yaml",
        "/static%2fstyle.css",
        "/..%5c..%5cCargo.toml",
        "/..\\..\\Cargo.toml",
        "//etc/passwd",
        "/etc/passwd",
        "/content/site.yaml",
        "/themes/default/templates/base.html",
        "/C:/Windows/win.ini",
        "/index.html%00.txt",
        "http://127.0.0.1/etc/passwd",
    ] {
        let reply = serve.get(target);
        assert_eq!(reply.status, 404, "{target}");
        assert!(reply.text().contains("Page not found"), "{target}");
    }
}

#[test]
fn files_get_their_types_folders_their_index_and_unknown_urls_the_404_page() {
    let test = SiteTest::minimal();
    let serve = Serve::start(&test);
    let css = serve.get("/static/style.css");
    assert_eq!(css.status, 200);
    assert_eq!(css.header("Content-Type"), Some("text/css; charset=utf-8"));
    assert!(!css.text().contains("__casepath"));
    let index = serve.get("/offices/");
    assert_eq!(index.status, 200);
    assert_eq!(
        index.header("Content-Type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(index.header("Cache-Control"), Some("no-store"));
    assert_eq!(serve.get("/offices/index.html").body, index.body);
    let bare = serve.get("/offices?x=1");
    assert_eq!(bare.status, 302);
    assert_eq!(bare.header("Location"), Some("/offices/?x=1"));
    let missing = serve.get("/no/such/page/");
    assert_eq!(missing.status, 404);
    assert!(missing.text().contains("Page not found"));
    assert!(missing.text().contains("/__casepath/live.js"));
    let script = serve.get("/__casepath/live.js");
    assert_eq!(
        script.header("Content-Type"),
        Some("text/javascript; charset=utf-8")
    );
    let head = request(serve.addr, "HEAD", "/");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert_eq!(request(serve.addr, "POST", "/").status, 405);
}

#[test]
fn the_reload_script_is_added_when_serving_and_never_built() {
    let test = SiteTest::minimal();
    let serve = Serve::start(&test);
    let expected = casepath::compile(&options(test.root())).unwrap();
    for key in expected.keys().filter(|k| k.ends_with(".html")) {
        let text = serve.get(&format!("/{key}")).text();
        assert_eq!(text.matches("/__casepath/live.js").count(), 1, "{key}");
        let script = text.find("/__casepath/live.js").unwrap();
        assert!(script < text.rfind("</body>").unwrap(), "{key}");
    }
    drop(serve);
    test.build();
    for (path, bytes) in test.snapshot_output() {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("__casepath"),
            "{path} has the live-reload script"
        );
    }
}

fn options(root: &Path) -> casepath::Options {
    casepath::Options {
        root: root.to_path_buf(),
        out: root.join("site"),
        base_url: None,
    }
}

/// Checks that every file of `expected` is served byte for byte (HTML without the
/// live-reload script), and that files of `before` that it lacks are gone.
fn assert_serves(serve: &Serve, expected: &casepath::render::Output, before: &BTreeSet<String>) {
    for (key, bytes) in expected {
        let reply = serve.get(&format!("/{key}"));
        assert_eq!(reply.status, 200, "{key}");
        let body = if key.ends_with(".html") {
            without_snippet(&reply.body)
        } else {
            reply.body.clone()
        };
        assert!(body == *bytes, "{key} differs from a full build");
    }
    for key in before.iter().filter(|k| !expected.contains_key(*k)) {
        assert_eq!(
            serve.get(&format!("/{key}")).status,
            404,
            "{key} is still served"
        );
    }
}

/// One edit of a series, by name.
type Step<'a> = Box<dyn Fn() + 'a>;

#[test]
fn the_served_site_equals_a_full_build_after_every_kind_of_edit() {
    let test = SiteTest::minimal();
    let root = test.root();
    let serve = Serve::start(&test);
    let mut events = serve.events();
    let mut last_good = casepath::compile(&options(root)).unwrap();
    assert_serves(&serve, &last_good, &BTreeSet::new());
    let about = root.join("content/pages/about.md");
    let about_text = fs::read_to_string(&about).unwrap();
    let offices = "content/data/offices.yaml";
    let contact = root.join("content/pages/contact.md");
    let steps: Vec<(&str, Step)> = vec![
        (
            "Markdown edit",
            Box::new(|| {
                edit(
                    &test,
                    "content/pages/about.md",
                    "Call the",
                    "Please call the",
                )
            }),
        ),
        (
            "data edit",
            Box::new(|| edit(&test, offices, "name: Help Desk", "name: Helpdesk")),
        ),
        (
            "template edit",
            Box::new(|| {
                edit(
                    &test,
                    "themes/default/templates/base.html",
                    r##"<a class="skip" href="#main">"##,
                    r##"<a class="skip" href="#main" id="skip">"##,
                )
            }),
        ),
        (
            "string table edit",
            Box::new(|| {
                edit(
                    &test,
                    "themes/default/strings.yaml",
                    "Skip to content",
                    "Skip to the content",
                )
            }),
        ),
        (
            "stylesheet edit",
            Box::new(|| edit(&test, "themes/default/static/style.css", "", "/* v2 */\n")),
        ),
        (
            "page deletion",
            Box::new(|| fs::remove_file(&about).unwrap()),
        ),
        (
            "page re-creation",
            Box::new(|| fs::write(&about, about_text.replace("first.", "first, please.")).unwrap()),
        ),
        (
            "new page",
            Box::new(|| {
                test.write(
                    "content/pages/contact.md",
                    "---\ntitle: Contact\n---\n# Contact\n\nWrite to us.\n",
                )
            }),
        ),
        (
            "atomic save",
            Box::new(|| {
                save_atomically(
                    &contact,
                    "---\ntitle: Contact us\n---\n# Contact\n\nWrite.\n",
                )
            }),
        ),
        (
            "folder of pages copied in",
            Box::new(|| {
                let folder = root.join("content/pages/guide");
                fs::create_dir(&folder).unwrap();
                fs::write(
                    folder.join("intro.md"),
                    "---\ntitle: Intro\n---\n# Intro\n\nHello.\n",
                )
                .unwrap();
                fs::write(
                    folder.join("more.md"),
                    "---\ntitle: More\n---\n# More\n\nMore.\n",
                )
                .unwrap();
            }),
        ),
        (
            "broken data edit",
            Box::new(|| {
                edit(
                    &test,
                    offices,
                    "kind: contact-center",
                    "kind: [contact-center",
                )
            }),
        ),
        (
            "fix",
            Box::new(|| {
                edit(
                    &test,
                    offices,
                    "kind: [contact-center",
                    "kind: contact-center",
                )
            }),
        ),
        (
            "site configuration edit",
            Box::new(|| edit(&test, "content/site.yaml", "title: ", "title: The ")),
        ),
    ];
    for (name, step) in steps {
        step();
        let (event, data) = events.next();
        let before: BTreeSet<String> = last_good.keys().cloned().collect();
        match casepath::compile(&options(root)) {
            Ok(expected) => {
                assert_eq!(event, "reload", "{name}: {data}");
                assert_serves(&serve, &expected, &before);
                last_good = expected;
            }
            Err(_) => {
                assert_eq!(event, "build-error", "{name}: {data}");
                assert_serves(&serve, &last_good, &before);
            }
        }
    }
}

#[test]
fn a_theme_folder_replaced_whole_is_still_watched() {
    let test = SiteTest::minimal();
    let root = test.root();
    let serve = Serve::start(&test);
    let mut events = serve.events();
    // What a checkout or a copy does: a new folder with new files takes the old one's place.
    let themes = root.join("themes");
    common::copy_dir(&themes, &root.join("themes-new"));
    fs::remove_dir_all(&themes).unwrap();
    fs::rename(root.join("themes-new"), &themes).unwrap();
    thread::sleep(Duration::from_millis(200));
    edit(
        &test,
        "themes/default/strings.yaml",
        "Skip to content",
        "Skip to the guide",
    );
    let deadline = Instant::now() + PATIENCE;
    while !serve.get("/").text().contains("Skip to the guide") {
        assert!(
            Instant::now() < deadline,
            "the edit in the new folder was missed"
        );
        events.next();
    }
}

#[test]
fn a_burst_of_saves_ends_with_the_last_version_served() {
    let test = SiteTest::minimal();
    let serve = Serve::start(&test);
    let mut events = serve.events();
    let path = test.root().join("content/data/offices.yaml");
    let original = fs::read_to_string(&path).unwrap();
    for n in 0..20 {
        let text = original.replace(
            SUMMARY,
            &format!("summary: Answers questions by phone ({n})."),
        );
        if n % 2 == 0 {
            fs::write(&path, text).unwrap();
        } else {
            save_atomically(&path, &text);
        }
    }
    let deadline = Instant::now() + PATIENCE;
    loop {
        events.wait_for("reload");
        if serve
            .get("/offices/help-desk/")
            .text()
            .contains("by phone (19).")
        {
            break;
        }
        assert!(Instant::now() < deadline, "the last save was never served");
    }
    // Editor litter does not disturb anything, and the server is still up.
    for litter in [
        "4913",
        ".offices.yaml.swp",
        "offices.yaml~",
        ".#offices.yaml",
    ] {
        test.write(&format!("content/data/{litter}"), "x");
    }
    fs::remove_file(test.root().join("content/data/4913")).unwrap();
    assert_eq!(serve.get("/").status, 200);
}

#[test]
fn polling_sees_edits_where_file_events_do_not_arrive() {
    let test = SiteTest::minimal();
    let serve = Serve::with(&test, &["--port", "0", "--poll"]);
    let mut events = serve.events();
    edit(
        &test,
        "content/data/offices.yaml",
        SUMMARY,
        "summary: Answers questions by phone, polled.",
    );
    events.wait_for("reload");
    assert!(serve
        .get("/offices/help-desk/")
        .text()
        .contains("by phone, polled."));
}

#[test]
fn a_taken_default_port_moves_the_preview_to_the_next_free_one() {
    // Hold 1111 if it is free; if something else holds it, that does as well.
    let _held = std::net::TcpListener::bind("127.0.0.1:1111");
    let test = SiteTest::minimal();
    let serve = Serve::with(&test, &[]);
    let port = serve.addr.port();
    assert!((1112..1211).contains(&port), "port {port}");
    assert_eq!(serve.get("/").status, 200);
}

#[test]
fn the_site_is_served_under_the_path_of_its_base_url() {
    let test = SiteTest::minimal();
    let serve = Serve::with(
        &test,
        &["--port", "0", "--base-url", "https://user.github.io/guide/"],
    );
    let root = serve.get("/");
    assert_eq!(root.status, 302);
    assert_eq!(root.header("Location"), Some("/guide/"));
    assert_eq!(serve.get("/guide/").status, 200);
    assert_eq!(serve.get("/offices/").status, 404);
    // The 404 page's absolute links lead to files that are served.
    let missing = serve.get("/guide/no/such/page/");
    assert_eq!(missing.status, 404);
    assert!(missing.text().contains(r#"href="/guide/static/style.css""#));
    assert_eq!(serve.get("/guide/static/style.css").status, 200);
}

/// With few file descriptors the server runs out of them under load: it must wait and go on
/// serving, not stop accepting connections.
#[cfg(target_os = "linux")]
#[test]
fn running_out_of_file_descriptors_does_not_stop_the_server() {
    let test = SiteTest::minimal();
    let mut command = Command::new("bash");
    command
        .arg("-c")
        .arg("ulimit -n 64 && exec \"$0\" serve --port 0 --root \"$1\"")
        .arg(env!("CARGO_BIN_EXE_casepath"))
        .arg(test.root());
    let serve = Serve::spawn(command);
    let held: Vec<TcpStream> = (0..100)
        .map(|_| TcpStream::connect(serve.addr).expect("connect"))
        .collect();
    thread::sleep(Duration::from_millis(500));
    drop(held);
    let deadline = Instant::now() + PATIENCE;
    for _ in 0..20 {
        assert_eq!(serve.get("/").status, 200);
        assert!(Instant::now() < deadline);
    }
}

#[test]
fn a_thousand_concurrent_connections_all_get_answers() {
    let test = SiteTest::minimal();
    let serve = Serve::start(&test);
    let threads = 50;
    let per_thread = 20;
    let barrier = Arc::new(Barrier::new(threads));
    let addr = serve.addr;
    let handles: Vec<_> = (0..threads)
        .map(|t| {
            let barrier = barrier.clone();
            thread::spawn(move || {
                // Open every connection first, so all of them are open at once.
                let mut streams: Vec<TcpStream> = (0..per_thread)
                    .map(|_| {
                        let stream = TcpStream::connect(addr).expect("connect");
                        stream.set_read_timeout(Some(PATIENCE)).unwrap();
                        stream
                    })
                    .collect();
                barrier.wait();
                let targets = ["/", "/offices/", "/static/style.css", "/missing", "/../x"];
                for (i, stream) in streams.iter_mut().enumerate() {
                    let target = targets[(t + i) % targets.len()];
                    write!(
                        stream,
                        "GET {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
                    )
                    .unwrap();
                }
                let mut answered = 0;
                for mut stream in streams {
                    let mut raw = Vec::new();
                    if stream.read_to_end(&mut raw).is_ok()
                        && raw.starts_with(b"HTTP/1.1 ")
                        && parse_reply(&raw).status != 500
                    {
                        answered += 1;
                    }
                }
                answered
            })
        })
        .collect();
    let answered: usize = handles.into_iter().map(|h| h.join().unwrap()).sum();
    assert_eq!(answered, threads * per_thread);
    assert_eq!(serve.get("/").status, 200);
}
