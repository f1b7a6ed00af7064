//! `casepath init`, and sites that rely on the default theme built into the binary.

use crate::common::SiteTest;

#[test]
fn a_new_guide_builds_and_checks_at_once() {
    let test = SiteTest::empty();
    let dir = test.root().join("guide");
    let run = test.run_plain(&["init", dir.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.starts_with("created a new guide in "));
    assert!(
        !dir.join("themes").exists(),
        "the theme stays in the binary"
    );
    let run = test.run_plain(&["check", "--root", dir.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = test.run_plain(&["build", "--root", dir.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let office = std::fs::read_to_string(dir.join("site/offices/help-desk/index.html")).unwrap();
    assert!(office.contains(r#"<a href="tel:+18005550100">1-800-555-0100</a>"#));
    assert!(dir.join("site/static/style.css").exists());
    assert!(dir.join("content/schema/offices.json").exists());
}

#[test]
fn init_refuses_a_folder_that_is_not_empty() {
    let test = SiteTest::empty();
    test.write("notes.txt", "mine");
    let run = test.run_plain(&["init", "."]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("is not empty"), "{}", run.stderr);
    assert!(run.stderr.contains("pass --force"));
    assert!(!test.root().join("content").exists());
    let run = test.run_plain(&["init", ".", "--force"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        std::fs::read_to_string(test.root().join("notes.txt")).unwrap(),
        "mine"
    );
}

#[test]
fn markdown_pages_alone_build_with_the_built_in_theme() {
    let test = SiteTest::empty();
    test.write(
        "content/pages/guide/start.md",
        "---\ntitle: Start\n---\nRead [the next page](next.md#more).\n",
    );
    test.write(
        "content/pages/guide/next.md",
        "---\ntitle: Next\nweight: 2\n---\n## More\n\nBack to [the start](start.md).\n",
    );
    let run = test.build();
    assert!(run.stdout.starts_with("built "), "{}", run.stdout);
    let start = test.read("guide/start/index.html");
    assert!(
        start.contains(r#"<a href="../../guide/next/index.html#more">the next page</a>"#),
        "{start}"
    );
}
