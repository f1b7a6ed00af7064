//! `casepath build` and `casepath check` on the minimal fixture: what is written, where
//! links lead, and that a failed build leaves the previous output untouched.

use crate::common::SiteTest;

#[test]
fn build_prints_one_summary_line_and_writes_every_page() {
    let test = SiteTest::minimal();
    let run = test.build();
    let files = test.snapshot_output();
    let pages = files.iter().filter(|(p, _)| p.ends_with(".html")).count();
    let expected = format!("built {pages} pages ({} files) in ", files.len());
    assert!(
        run.stdout.starts_with(&expected),
        "{} vs {expected}",
        run.stdout
    );
    assert!(run.stdout.trim_end().ends_with(" ms"));
    assert_eq!(run.stdout.lines().count(), 1);
    for page in [
        "index.html",
        "404.html",
        "offices/index.html",
        "offices/help-desk/index.html",
        "channels/followup-email/index.html",
        "paths/stuck-case/index.html",
        "sources/notice/index.html",
        "versions/index.html",
        "about/index.html",
        "handouts/index.html",
        "handouts/stuck-case/index.html",
        "static/style.css",
        "static/print.css",
    ] {
        assert!(
            test.root().join("site").join(page).is_file(),
            "missing {page}"
        );
    }
}

#[test]
fn internal_links_are_relative_so_the_site_works_from_disk() {
    let test = SiteTest::minimal();
    test.build();
    let office = test.read("offices/help-desk/index.html");
    assert!(office.contains(r#"<link rel="stylesheet" href="../../static/style.css">"#));
    assert!(office.contains(r#"<a href="../../index.html">Minimal guide</a>"#));
    for (path, bytes) in test.snapshot_output() {
        if path.ends_with(".html") && path != "404.html" {
            let html = String::from_utf8(bytes).unwrap();
            assert!(!html.contains("href=\"/"), "{path} has an absolute link");
        }
    }
}

#[test]
fn the_404_page_links_from_the_site_root_at_any_depth() {
    let test = SiteTest::minimal();
    test.build();
    let page = test.read("404.html");
    assert!(
        page.contains(r#"<link rel="stylesheet" href="/static/style.css">"#),
        "{page}"
    );
    let run = test.run(&["build", "--base-url", "https://user.github.io/guide/"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = test.read("404.html");
    assert!(page.contains(r#"<link rel="stylesheet" href="/guide/static/style.css">"#));
    assert!(page.contains(r#"<a href="/guide/index.html">Go to the start page</a>"#));
}

#[test]
fn markdown_entity_links_resolve_and_show_up_as_backlinks() {
    let test = SiteTest::minimal();
    test.build();
    let about = test.read("about/index.html");
    assert!(
        about.contains(r#"<a href="../offices/help-desk/index.html">Help Desk</a>"#),
        "{about}"
    );
    assert!(about.contains(r#"<a href="../paths/stuck-case/index.html#email">the path</a>"#));
    assert!(about.contains(r#"<h1 id="about">About</h1>"#));
    let office = test.read("offices/help-desk/index.html");
    let backlinks = &office[office.find("What links here").unwrap()..];
    assert!(backlinks.contains(r#"<a href="../../paths/stuck-case/index.html">Your case is stuck</a> — Step 1: Call the Help Desk"#), "{backlinks}");
    assert!(backlinks.contains(r#"<a href="../../about/index.html">About this guide</a>"#));
    assert!(backlinks.contains(r#"<a href="../../channels/followup-email/index.html">Follow-up email</a> — answered by this office"#));
}

/// A source that only the older wording of a step's fact cites still lists the path among
/// what cites it, as it lists an office whose older wording cites it: the backlinks walk
/// every part of every record, older wording included.
#[test]
fn the_older_wording_of_a_step_links_back_from_its_source() {
    let test = SiteTest::minimal();
    let paths = std::fs::read_to_string(test.root().join("content/data/paths.yaml")).unwrap();
    let wording = "      office: help-desk
      text:
        - text: Email the follow-up address.
          slot: next
          sources:
            - source: notice
              quote: since you called, email helpdesk-followup@example.gov
        - text: Write to the Help Desk.
          slot: next
          sources:
            - source: older-notice
              quote: since you called, write to the Help Desk
";
    test.write(
        "content/data/paths.yaml",
        &paths.replacen("      office: help-desk\n", wording, 1),
    );
    test.build();
    let path = test.read("paths/stuck-case/index.html");
    assert!(path.contains("Write to the Help Desk."), "{path}");
    let source = test.read("sources/older-notice/index.html");
    assert!(
        source.contains(r#"<a href="../../paths/stuck-case/index.html">Your case is stuck</a>"#),
        "{source}"
    );
}

#[test]
fn facts_link_to_the_quoted_line_of_their_source() {
    let test = SiteTest::minimal();
    test.build();
    let path = test.read("paths/stuck-case/index.html");
    assert!(
        path.contains(r#"<strong>First wait 15 days</strong> after your call."#),
        "{path}"
    );
    // The wait's marker leads to a note that links the quoted line.
    let marker = r##"<a href="#source-"##;
    let wait = &path[path.find("First wait 15 days").unwrap()..];
    let number = &wait[wait.find(marker).unwrap() + marker.len()..];
    let number = &number[..number.find('"').unwrap()];
    let note = &path[path.find(&format!(r#"<li id="source-{number}">"#)).unwrap()..];
    assert!(
        note[..note.find("</li>").unwrap()].contains(
            r#"<a href="../../sources/notice/index.html#L3">Help Desk notice, line 3</a>"#
        ),
        "{path}"
    );
    let source = test.read("sources/notice/index.html");
    assert!(source.contains(r#"<p id="L1"><span class="line-number" aria-hidden="true">1</span> Contact the Help Desk at 1-800-555-0100.</p>"#), "{source}");
}

#[test]
fn a_failed_build_leaves_the_previous_site_byte_for_byte() {
    let test = SiteTest::minimal();
    test.build();
    let before = test.snapshot_output();
    test.write(
        "content/data/offices.yaml",
        "- id: help-desk\n  name: [broken\n",
    );
    let run = test.run(&["build"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("content/data/offices.yaml:2:9"),
        "{}",
        run.stderr
    );
    assert_eq!(test.snapshot_output(), before);
    let leftovers: Vec<_> = std::fs::read_dir(test.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".site"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "temporary folders left: {leftovers:?}"
    );
}

#[test]
fn a_rebuild_replaces_the_previous_site() {
    let test = SiteTest::minimal();
    test.build();
    test.write("site/stale.html", "old");
    test.build();
    assert!(!test.root().join("site/stale.html").exists());
}

#[test]
fn check_writes_nothing_and_reports_success() {
    let test = SiteTest::minimal();
    let run = test.run(&["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.starts_with("checked ")
            && run.stdout.contains(" pages: no broken links or anchors ("),
        "{}",
        run.stdout
    );
    assert!(!test.root().join("site").exists());
}

#[test]
fn check_reports_a_broken_anchor_made_by_a_template() {
    let test = SiteTest::minimal();
    test.write(
        "themes/default/templates/404.html",
        "{% extends \"base.html\" %}{% block content %}<h1>Lost</h1>{% endblock content %}",
    );
    test.write(
        "themes/default/templates/paths.html",
        "{% extends \"base.html\" %}{% block content %}<h1>Paths</h1><a href=\"{{ root }}index.html#nowhere\">x</a>{% endblock content %}",
    );
    let run = test.run(&["check"]);
    assert_eq!(run.code, 1);
    insta::assert_snapshot!(run.stderr, @"
    error: broken link in paths/index.html: `../index.html#nowhere` has no anchor `#nowhere` in `index.html`
     |
     = help: fix the template or the data that made this link

    error: 1 problem found; nothing was written
    ");
}

#[test]
fn a_root_without_content_is_a_clear_error() {
    let test = SiteTest::empty();
    let run = test.run(&["build"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.starts_with("error: no `content` folder in "),
        "{}",
        run.stderr
    );
    assert!(run
        .stderr
        .contains("help: run casepath in the folder that holds `content/`, or pass `--root DIR`"));
}

#[test]
fn usage_errors_exit_with_code_two() {
    let test = SiteTest::minimal();
    let run = test.run(&["build", "--no-such-flag"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("unexpected argument '--no-such-flag'"));
}

#[test]
fn the_output_folder_may_not_hold_the_content() {
    let test = SiteTest::minimal();
    let run = test.run(&["build", "--out", "."]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("holds the site root; building there would delete the content"),
        "{}",
        run.stderr
    );
    assert!(test.root().join("content/site.yaml").exists());
}

#[test]
fn a_build_killed_between_its_renames_gets_the_previous_site_back() {
    let test = SiteTest::minimal();
    test.build();
    let before = test.snapshot_output();
    // As if a build with process id 999999999 (not running) moved site/ aside and died,
    // and another left a half-written new site.
    std::fs::rename(
        test.root().join("site"),
        test.root().join(".site.old-999999999"),
    )
    .unwrap();
    test.write(".site.new-999999998/index.html", "half");
    test.write("content/data/offices.yaml", "- id: [broken\n");
    let run = test.run(&["build"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        test.snapshot_output(),
        before,
        "the previous site is back in place"
    );
    assert!(!test.root().join(".site.old-999999999").exists());
    assert!(!test.root().join(".site.new-999999998").exists());
}

#[test]
fn an_output_path_that_is_a_file_is_a_clear_error_and_the_file_stays() {
    let test = SiteTest::minimal();
    test.write("site", "not a folder");
    let run = test.run(&["build"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("is a file, not a folder"),
        "{}",
        run.stderr
    );
    assert!(run
        .stderr
        .contains("remove the file or choose another folder with --out"));
    assert_eq!(
        std::fs::read_to_string(test.root().join("site")).unwrap(),
        "not a folder"
    );
}

#[test]
fn a_symbolic_link_loop_in_content_is_reported_not_followed_forever() {
    let test = SiteTest::minimal();
    std::os::unix::fs::symlink("..", test.root().join("content/pages/loop")).unwrap();
    let run = test.run(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stderr.contains("cannot read") && run.stderr.contains("loop"),
        "{}",
        run.stderr
    );
    assert!(!test.root().join("site").exists());
}

/// Every file and folder under `site/` with its inode, its change time (which a new hard
/// link to it changes too) and, for a file, its bytes.
fn files_with_inodes(test: &SiteTest) -> std::collections::BTreeMap<String, (u64, Vec<u8>)> {
    use std::os::unix::fs::MetadataExt;
    let site = test.root().join("site");
    walkdir::WalkDir::new(&site)
        .into_iter()
        .map(Result::unwrap)
        .map(|entry| {
            let rel = entry.path().strip_prefix(&site).unwrap();
            let meta = entry.metadata().unwrap();
            let mut bytes = format!("{}.{}", meta.ctime(), meta.ctime_nsec()).into_bytes();
            if entry.file_type().is_file() {
                bytes.extend(std::fs::read(entry.path()).unwrap());
            }
            (rel.to_string_lossy().into_owned(), (meta.ino(), bytes))
        })
        .collect()
}

/// Issue 18: a rebuild writes exactly the files whose bytes changed (each a new file moved
/// into place, so its inode changes); every other file is left as it was, and a rebuild
/// that changes nothing writes nothing.
#[test]
fn a_rebuild_rewrites_only_the_files_that_changed() {
    let test = SiteTest::minimal();
    test.build();
    let first = files_with_inodes(&test);
    test.build();
    let again = files_with_inodes(&test);
    let touched: Vec<&String> = again
        .keys()
        .filter(|rel| again[*rel] != first[*rel])
        .collect();
    assert!(touched.is_empty(), "an unchanged rebuild wrote {touched:?}");
    assert_eq!(again.len(), first.len());

    let page = test.root().join("content/pages/about.md");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(&page, text.replace("Call the", "Phone the")).unwrap();
    test.build();
    let second = files_with_inodes(&test);
    assert_eq!(
        second.keys().collect::<Vec<_>>(),
        first.keys().collect::<Vec<_>>()
    );
    let mut changed = 0;
    for (rel, (inode, bytes)) in &second {
        let (old_inode, old_bytes) = &first[rel];
        let is_folder = test.root().join("site").join(rel).is_dir();
        if is_folder {
            // A folder stays; its change time changes when a file in it is replaced.
            assert_eq!(inode, old_inode, "{rel}");
            continue;
        }
        assert_eq!(inode != old_inode, bytes != old_bytes, "{rel}");
        changed += usize::from(bytes != old_bytes);
    }
    assert!(
        changed >= 1 && changed < second.len() / 2,
        "{changed} changed"
    );
    assert!(test.leftovers().is_empty(), "{:?}", test.leftovers());
}
