//! Properties checked on the shipped guide: no page carries an event attribute or a script
//! address, a version against itself has no changes, and applying a diff's rule changes to
//! the older version's rules gives the newer version's.

use std::collections::BTreeMap;

use crate::common::{self, SiteTest};

#[test]
fn no_page_of_the_shipped_guide_has_an_event_attribute_or_a_script_address() {
    let test = SiteTest::shipped();
    test.build();
    let mut pages = 0;
    for (path, bytes) in test.snapshot_output() {
        if path.ends_with(".html") {
            let html = String::from_utf8(bytes).unwrap();
            let found = casepath::markdown::html_check::active_content(&html);
            assert_eq!(found, None, "{path}");
            pages += 1;
        }
    }
    assert!(pages > 20, "only {pages} pages");
}

#[test]
fn every_version_against_itself_has_no_changes() {
    let site = casepath::resolve(&common::repo()).expect("the shipped guide resolves");
    for version in &site.versions {
        let diff =
            casepath::views::diff::diff(&site, &version.id, &version.id, &Default::default())
                .unwrap();
        assert!(diff.parameters.is_empty(), "{}", version.id);
        assert!(diff.records.is_empty(), "{}", version.id);
        assert!(
            diff.text.iter().all(|p| p.op == "equal" || p.op == "skip"),
            "{}",
            version.id
        );
    }
}

#[test]
fn applying_a_diffs_rule_changes_to_the_older_version_gives_the_newer() {
    let site = casepath::site(&common::repo()).expect("the shipped guide resolves");
    // The rules in force in a version: those it states and those it carries over.
    let rules = |id: &str| -> BTreeMap<String, String> {
        let version = site.versions.iter().find(|v| v.id == id).unwrap();
        version
            .parameters
            .iter()
            .chain(&version.carried_over)
            .filter(|p| !p.withdrawn)
            .map(|p| (p.name.clone(), p.display.clone()))
            .collect()
    };
    for diff in &site.diffs {
        let mut applied = rules(&diff.from.id);
        for change in &diff.parameters {
            match &change.new {
                Some(new) => applied.insert(change.name.clone(), new.clone()),
                None => applied.remove(&change.name),
            };
        }
        assert_eq!(
            applied,
            rules(&diff.to.id),
            "{} → {}",
            diff.from.id,
            diff.to.id
        );
    }
}
