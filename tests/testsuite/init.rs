//! `casepath init`, and sites that rely on the default theme built into the binary.

use crate::common::SiteTest;

/// Runs `casepath init guide` in `test`'s folder; returns the new guide's folder.
fn new_guide(test: &SiteTest) -> std::path::PathBuf {
    let dir = test.root().join("guide");
    let run = test.run_plain(&["init", dir.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.starts_with("created a new guide in "));
    dir
}

#[test]
fn a_new_guide_builds_and_checks_at_once() {
    let test = SiteTest::empty();
    let dir = new_guide(&test);
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

/// Words of the shipped immigration guide that a guide made with `casepath init` must never
/// show: the engine and the default theme are for any guide, so these come from the shipped
/// guide's own data and `site.yaml`, never from casepath itself.
const SHIPPED_GUIDE_WORDS: [&str; 16] = [
    "uscis",
    "ombudsman",
    "immigration",
    "service center",
    "contact center",
    "receipt number",
    "receipt notice",
    "form i-",
    "green card",
    "ncsc",
    "infopass",
    "service request",
    "department of state",
    "visa",
    "asylum",
    "naturalization",
];

#[test]
fn a_new_guide_shows_no_word_of_the_shipped_guide() {
    let test = SiteTest::empty();
    let dir = new_guide(&test);
    let run = test.run_plain(&["build", "--root", dir.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        !run.stderr.contains("warning"),
        "a new guide builds without warnings: {}",
        run.stderr
    );
    let mut found = Vec::new();
    let mut files = 0;
    for entry in walkdir::WalkDir::new(dir.join("site")) {
        let entry = entry.unwrap();
        if !entry.file_type().is_file() {
            continue;
        }
        files += 1;
        let text = String::from_utf8_lossy(&std::fs::read(entry.path()).unwrap()).to_lowercase();
        for word in SHIPPED_GUIDE_WORDS {
            if text.contains(word) {
                found.push(format!("{}: {word}", entry.path().display()));
            }
        }
    }
    assert!(files > 20, "only {files} files built");
    assert!(found.is_empty(), "words of the shipped guide: {found:#?}");
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
