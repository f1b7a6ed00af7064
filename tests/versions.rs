//! Policy versions: each version's own pages, the switcher and banner, the structured and
//! word-level diffs, and `casepath diff`.

mod common;

use common::SiteTest;

#[test]
fn diff_prints_the_exact_structured_changes_between_two_versions() {
    let test = SiteTest::minimal();
    let run = test.run(&["diff", "older-era", "notice-era"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "Changes from The older notice to The notice

Rules
  changed  Followup: 30 days → 15 days
           sources: Older notice, line 3 → Help Desk notice, line 3

Offices, channels and paths
  path Your case is stuck (added)
    + Step: Call the Help Desk
    + Step: Email the follow-up address
  office Help Desk (changed)
    - Call the Help Desk first.
    + Main line: 1-800-555-0100
  channel Follow-up email (added)
    + Follow-up email: helpdesk-followup@example.gov
    + Name: Follow-up email
"
    );
}

#[test]
fn diff_of_a_version_with_itself_is_empty() {
    let test = SiteTest::minimal();
    let run = test.run(&["diff", "notice-era", "notice-era"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("Rules\n  no rule changed\n"));
    assert!(run
        .stdout
        .contains("Offices, channels and paths\n  nothing changed\n"));
}

#[test]
fn diff_as_json_for_tools() {
    let test = SiteTest::minimal();
    let run = test.run(&["diff", "older-era", "notice-era", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let change = &json["parameters"][0];
    assert_eq!(change["name"], "followup_days");
    assert_eq!(change["change"], "changed");
    assert_eq!(change["old"], "30 days");
    assert_eq!(change["new"], "15 days");
    assert_eq!(change["old_sources"][0]["source"]["id"], "older-notice");
    assert_eq!(
        change["new_sources"][0]["href"],
        "sources/notice/index.html#L3"
    );
    assert_eq!(json["records"].as_array().unwrap().len(), 3);
}

#[test]
fn unknown_versions_are_a_usage_error_listing_the_known_ones() {
    let test = SiteTest::minimal();
    let run = test.run(&["diff", "older-era", "newest"]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "error: unknown policy version `newest`\nhelp: the versions, oldest first, are: older-era, notice-era\n"
    );
}

#[test]
fn each_version_has_its_own_pages_with_a_banner_and_a_switcher() {
    let test = SiteTest::minimal();
    test.build();
    let older = test.read("versions/older-era/offices/help-desk/index.html");
    assert!(older.contains("<strong>Older rules:</strong> this page shows only what <a href=\"../../../../versions/older-era/index.html\">The older notice</a> says."));
    assert!(older.contains("Call the Help Desk first."));
    assert!(
        !older.contains("1-800-555-0100</a>"),
        "the current notice's phone line is not in the older version"
    );
    let current = test.read("offices/help-desk/index.html");
    assert!(!current.contains("Older rules:"));
    assert!(current.contains(r#"<li><a href="../../offices/help-desk/index.html" aria-current="page">Newest sources</a></li>"#), "{current}");
    assert!(current.contains(r#"<li><a href="../../versions/older-era/offices/help-desk/index.html">The older notice</a></li>"#));
    // The path exists only in the version whose source states its steps.
    assert!(test
        .root()
        .join("site/versions/notice-era/paths/stuck-case/index.html")
        .exists());
    assert!(!test
        .root()
        .join("site/versions/older-era/paths/stuck-case/index.html")
        .exists());
}

#[test]
fn waits_come_from_the_version_shown() {
    let test = SiteTest::minimal();
    test.build();
    let current = test.read("paths/stuck-case/index.html");
    assert!(current.contains("<strong>First wait 15 days</strong>"));
    assert!(
        current.contains("Older sources said 30 days: see “Older rules” below."),
        "{current}"
    );
    assert!(current.contains(r#"<strong>30 days</strong> in <a href="../../versions/older-era/index.html">The older notice</a>"#), "{current}");
    let version = test.read("versions/notice-era/paths/stuck-case/index.html");
    assert!(version.contains("<strong>First wait 15 days</strong>"));
}

#[test]
fn the_diff_page_marks_changes_with_ins_and_del_for_every_reader() {
    let test = SiteTest::minimal();
    test.build();
    let page = test.read("versions/compare/older-era/notice-era/index.html");
    assert!(
        page.contains(r#"<del><span class="visually-hidden">Before: </span>30 days</del>"#),
        "{page}"
    );
    assert!(page.contains(r#"<ins><span class="visually-hidden">After: </span>15 days</ins>"#));
    assert!(page.contains(r#"<li>Followup: 30 days → 15 days</li>"#));
    assert!(page.contains(r#"<del><span class="visually-hidden">[removed: </span>30</del><ins><span class="visually-hidden">[added: </span>15</ins>"#) || page.contains("[removed: </span>"));
    let timeline = test.read("versions/index.html");
    assert!(timeline.contains("<strong>What changed since The older notice:</strong>"));
    assert!(timeline.contains(r#"<a href="../versions/compare/older-era/notice-era/index.html">See every change, word by word</a>"#));
}

#[test]
fn the_shipped_30_to_15_day_diff_names_both_sources() {
    let test = SiteTest::shipped();
    let run = test.run(&["diff", "sc-30-day", "sc-15-day"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains(
        "  changed  Wait before you email the service center: 30 days → 15 days\n           sources: USCIS 30-day notice, line 11 → USCIS 15-day notice, line 13\n"
    ), "{}", run.stdout);
    let run = test.run(&["diff", "manual-older", "manual-2024"]);
    assert!(run.stdout.contains("  changed  Name of the contact center: National Customer Service Center (NCSC) → USCIS Contact Center\n"), "{}", run.stdout);
    assert!(run.stdout.contains(
        "  changed  Service-center email addresses published: published → not published\n"
    ));
    insta::assert_snapshot!("shipped_diff_manual_older_to_2024", run.stdout);
}
