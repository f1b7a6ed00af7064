//! Property tests: the loader and validator never panic on YAML-ish input, and version
//! diffs are consistent (a version against itself is empty; applying the reported rule
//! changes to the older version's rules gives the newer version's).

mod common;

use std::collections::BTreeMap;

use common::SiteTest;
use proptest::prelude::*;

/// Pieces that YAML data files are made of, including broken ones.
fn yaml_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("- id: help-desk\n".to_string()),
        Just("  name: Help Desk\n".to_string()),
        Just("  kind: contact-center\n".to_string()),
        Just("  summary: x\n".to_string()),
        Just("  sources:\n    - source: notice\n".to_string()),
        Just("  contacts:\n    - kind: phone\n      label: L\n      value: 1\n".to_string()),
        Just("  - ".to_string()),
        Just(": ".to_string()),
        Just("[".to_string()),
        Just("]".to_string()),
        Just("{".to_string()),
        Just("&a ".to_string()),
        Just("*a ".to_string()),
        Just("\"".to_string()),
        Just("\t".to_string()),
        Just("\n".to_string()),
        Just("---\n".to_string()),
        "[a-z0-9 :#@-]{0,12}",
        any::<char>().prop_map(|c| c.to_string()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn loading_and_validating_any_yaml_never_panics(pieces in prop::collection::vec(yaml_piece(), 0..40)) {
        let test = SiteTest::minimal();
        test.write("content/data/offices.yaml", &pieces.concat());
        let (content, errors) = casepath::load::load(test.root()).expect("content/ exists");
        let result = casepath::validate::validate(content, errors);
        if let Ok(validated) = result {
            let _ = casepath::model::resolve(&validated);
        }
    }

    #[test]
    fn front_matter_and_markdown_never_panic(front in "[a-z: \\n-]{0,40}", body in "[\\PC]{0,200}") {
        let test = SiteTest::minimal();
        test.write("content/pages/about.md", &format!("---\n{front}\n---\n{body}"));
        let (content, errors) = casepath::load::load(test.root()).expect("content/ exists");
        if let Ok(validated) = casepath::validate::validate(content, errors) {
            let _ = casepath::model::resolve(&validated);
        }
    }
}

#[test]
fn every_version_against_itself_has_no_changes() {
    let site = casepath::resolve(&common::repo()).expect("the shipped guide resolves");
    for version in &site.versions {
        let diff = casepath::versions::diff(&site, &version.id, &version.id).unwrap();
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
    let site = casepath::resolve(&common::repo()).expect("the shipped guide resolves");
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
