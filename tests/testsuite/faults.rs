//! File-system faults (issue 11, point 3): an unwritable output folder, a file name that is
//! not UTF-8, a content file deleted during the build, an unreadable content file. Each
//! ends with a clear error naming the path, and the previous `site/` stays byte for byte.
//!
//! The other faults of that list are tested in `build.rs`: an output path that is a file, a
//! symbolic-link loop in `content/`, a build killed between its renames.
//!
//! Root ignores permission bits, so the permission tests run casepath as a user whom they
//! bind ([`Unprivileged`]: `nobody` through `setpriv` when the tests run as root).

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use crate::common::{chmod, Run, SiteTest, Unprivileged};

/// The minimal site, built once by `user`, and a copy of what the build wrote.
fn built_by(user: &Unprivileged, test: &SiteTest) -> Vec<(String, Vec<u8>)> {
    user.build(test);
    test.snapshot_output()
}

/// Asserts a failed build: exit code 1, no panic, and `site/` as it was, with no temporary
/// folders left beside it.
fn assert_failed_and_site_intact(test: &SiteTest, run: &Run, before: &[(String, Vec<u8>)]) {
    assert_eq!(
        run.code, 1,
        "stdout: {}\nstderr: {}",
        run.stdout, run.stderr
    );
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    assert!(test.snapshot_output() == before, "site/ changed");
    assert!(test.leftovers().is_empty(), "left: {:?}", test.leftovers());
}

#[test]
fn an_unwritable_folder_that_holds_the_output_is_a_clear_error_and_the_site_stays() {
    let test = SiteTest::minimal();
    let user = Unprivileged::for_site(&test);
    let before = built_by(&user, &test);
    let _guard = chmod(test.root(), 0o555);

    let run = user.run(&test, &["build"]);
    // The temporary root is written [ROOT].
    let root = test.root().display().to_string();
    insta::assert_snapshot!(run.stderr.replace(&root, "[ROOT]"), @"
    error: cannot write in [ROOT], the folder that holds the output folder: Permission denied (os error 13)
     |
     = help: casepath writes the new site beside [ROOT]/site and then swaps it in, so it needs to write in [ROOT]; make that folder writable by the user who runs casepath, or choose another output folder with --out; the previous site was left unchanged

    error: 1 problem found; nothing was written
    ");
    assert_failed_and_site_intact(&test, &run, &before);
}

#[test]
fn an_unwritable_output_folder_is_a_clear_error_and_the_site_stays() {
    let test = SiteTest::minimal();
    let user = Unprivileged::for_site(&test);
    let before = built_by(&user, &test);
    let site = test.root().join("site");
    let _guard = chmod(&site, 0o555);

    let run = user.run(&test, &["build"]);
    // The temporary output folder is written [SITE].
    let site = site.display().to_string();
    insta::assert_snapshot!(run.stderr.replace(&site, "[SITE]"), @"
    error: cannot replace the output folder [SITE]: cannot remove the files in [SITE]: Permission denied (os error 13)
     |
     = help: casepath replaces the whole output folder on every build; make it writable by the user who runs casepath (for example `chmod -R u+w [SITE]`), or choose another folder with --out; the previous site was left unchanged

    error: 1 problem found; nothing was written
    ");
    assert_failed_and_site_intact(&test, &run, &before);
}

#[test]
fn an_unwritable_folder_inside_the_output_is_named_and_the_site_stays() {
    let test = SiteTest::minimal();
    let user = Unprivileged::for_site(&test);
    let before = built_by(&user, &test);
    let offices = test.root().join("site/offices");
    let _guard = chmod(&offices, 0o555);

    let run = user.run(&test, &["build"]);
    assert!(
        run.stderr.starts_with(&format!(
            "error: cannot replace the output folder {}: cannot remove the files in {}: Permission denied (os error 13)\n",
            test.root().join("site").display(),
            offices.display()
        )),
        "{}",
        run.stderr
    );
    assert_failed_and_site_intact(&test, &run, &before);
}

#[test]
fn unreadable_content_is_a_clear_error_and_the_site_stays() {
    let test = SiteTest::minimal();
    let user = Unprivileged::for_site(&test);
    let before = built_by(&user, &test);
    for rel in [
        "content/pages/about.md",
        "content/pages",
        "content/data/offices.yaml",
    ] {
        let _guard = chmod(&test.root().join(rel), 0o000);
        let run = user.run(&test, &["build"]);
        assert!(
            run.stderr.starts_with(&format!(
                "error: cannot read {rel}: Permission denied (os error 13)\n |\n = help: casepath reads every file under content/ and the theme; let the user who runs casepath read it, for example with `chmod a+rX {rel}` from the site root\n"
            )),
            "{}",
            run.stderr
        );
        assert_failed_and_site_intact(&test, &run, &before);
    }
}

#[test]
fn a_page_name_that_is_not_utf8_is_a_clear_error_and_the_site_stays() {
    let test = SiteTest::minimal();
    test.build();
    let before = test.snapshot_output();
    let name = OsStr::from_bytes(b"caf\xe9.md");
    std::fs::copy(
        test.root().join("content/pages/about.md"),
        test.root().join("content/pages").join(name),
    )
    .unwrap();

    let run = test.run(&["build"]);
    insta::assert_snapshot!(run.stderr, @r"
    error: the name of the file content/pages/caf�.md is not UTF-8
     |
     = help: rename the file so that its name is UTF-8 text, for example from the site root with `mv $'content/pages/caf\xe9.md' content/pages/new-name.md`; casepath makes page addresses and names from file names, which must be text

    error: 1 problem found; nothing was written
    ");
    assert_failed_and_site_intact(&test, &run, &before);
}

#[test]
fn names_that_are_not_utf8_anywhere_in_the_site_are_each_reported() {
    let test = SiteTest::minimal();
    test.build();
    let before = test.snapshot_output();
    let at = |rel: &str, name: &[u8]| test.root().join(rel).join(OsStr::from_bytes(name));
    std::fs::create_dir(at("content/pages", b"guide\xff")).unwrap();
    std::fs::write(
        at("content/pages", b"guide\xff").join("inner.md"),
        "---\ntitle: Inner\n---\n",
    )
    .unwrap();
    std::fs::write(at("content/sources", b"notice\xfe.txt"), "text").unwrap();
    std::fs::write(at("themes/default/static", b"\xc3.css"), "p {}").unwrap();
    std::fs::write(at("content/data", b"\xff.yaml"), "[]").unwrap();
    // Hidden files are skipped, whatever their names.
    std::fs::write(at("content/pages", b".swap\xff"), "").unwrap();

    let run = test.run(&["build"]);
    for line in [
        "error: the name of the folder content/pages/guide\u{fffd} is not UTF-8\n",
        "error: the name of the file content/sources/notice\u{fffd}.txt is not UTF-8\n",
        "error: the name of the file themes/default/static/\u{fffd}.css is not UTF-8\n",
        "error: unknown data file `content/data/\u{fffd}.yaml`\n",
        "error: 4 problems found; nothing was written\n",
    ] {
        assert!(run.stderr.contains(line), "no {line:?} in:\n{}", run.stderr);
    }
    assert_failed_and_site_intact(&test, &run, &before);
}

/// Listing and reading a file are two steps, and the unit tests in `src/load/mod.rs` delete
/// a file between them deterministically. This test races the real thing: a thread adds and
/// deletes pages while casepath builds again and again. Every build either succeeds or
/// fails only with "was deleted while casepath was reading the content", never panics, and
/// a failed one leaves `site/` as it was.
#[test]
fn pages_deleted_during_builds_are_reported_and_the_site_stays() {
    let test = SiteTest::minimal();
    test.build();
    let pages = test.root().join("content/pages");
    let stop = Arc::new(AtomicBool::new(false));
    let churn = {
        let stop = Arc::clone(&stop);
        let pages = pages.clone();
        std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                for i in 0..40 {
                    // Written under a hidden name (skipped by the loader), then renamed:
                    // a page is never seen half written.
                    let hidden = pages.join(format!(".race-{i}.md"));
                    std::fs::write(&hidden, format!("---\ntitle: Race {i}\n---\nText.\n")).unwrap();
                    std::fs::rename(&hidden, pages.join(format!("race-{i}.md"))).unwrap();
                }
                for i in 0..40 {
                    std::fs::remove_file(pages.join(format!("race-{i}.md"))).unwrap();
                }
            }
        })
    };

    let mut failed = 0;
    for _ in 0..20 {
        let before = test.snapshot_output();
        let run = test.run(&["build"]);
        assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
        match run.code {
            0 => {
                assert!(test.root().join("site/index.html").is_file());
                assert!(test.leftovers().is_empty(), "{:?}", test.leftovers());
            }
            1 => {
                failed += 1;
                for line in run.stderr.lines().filter(|l| l.starts_with("error: ")) {
                    assert!(
                        line.ends_with(" was deleted while casepath was reading the content")
                            || line.ends_with(" found; nothing was written"),
                        "unexpected error:\n{}",
                        run.stderr
                    );
                }
                assert_failed_and_site_intact(&test, &run, &before);
            }
            code => panic!("exit code {code}:\n{}", run.stderr),
        }
    }
    stop.store(true, Ordering::Relaxed);
    churn.join().unwrap();
    eprintln!("{failed} of 20 builds met a page deleted while they read");
}
