//! The decision flowchart of a guide: a guide without one has no flowchart pages, and the
//! minimal fixture's chart fills its waits and links its outcome. The shipped guide's chart
//! (the drawing, the outline, the step-through pages) is checked in `guide/flowchart.rs`.

use crate::common::SiteTest;

#[test]
fn a_guide_without_a_flowchart_has_no_flowchart_pages_or_link() {
    let test = SiteTest::minimal();
    std::fs::remove_file(test.root().join("content/data/flowchart.yaml")).unwrap();
    test.build();
    assert!(!test.root().join("site/flowchart").exists());
    assert!(!test
        .root()
        .join("site/versions/notice-era/flowchart")
        .exists());
    assert!(!test.read("index.html").contains("flowchart"));
}

#[test]
fn the_minimal_chart_fills_its_waits_and_links_its_outcome() {
    let test = SiteTest::minimal();
    test.build();
    let start = test.read("flowchart/start/index.html");
    assert!(
        start.contains(
            r#"<a href="../../flowchart/email/index.html">Yes, more than 15 days ago</a>"#
        ),
        "{start}"
    );
    let email = test.read("flowchart/email/index.html");
    assert!(email.contains(
        r#"<a href="mailto:helpdesk-followup@example.gov">helpdesk-followup@example.gov</a>"#
    ));
    assert!(test
        .read("index.html")
        .contains(r#"<a href="flowchart/start/index.html">Answer a few questions</a>"#));
}
