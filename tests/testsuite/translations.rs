//! The translations of the data files (`content/data/<lang>/*.yaml`): a stale translation
//! in `casepath check`, `casepath translate`, and the translate stage keeping every fact of
//! the English. What a mistake in an overlay looks like is in [`crate::errors`].

use casepath::load::translations::pairs::each_text;
use casepath::load::Content;
use casepath::translate::{apply, fingerprint, Notice};

use crate::common::{repo, SiteTest};

#[test]
fn check_lists_a_stale_translation_with_its_file_and_line() {
    let test = SiteTest::good("stale-translation");
    let run = test.run(&["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.ends_with(", with 1 warning (above)\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stderr.contains("content/data/es/offices.yaml:8:11"),
        "{}",
        run.stderr
    );
    insta::assert_snapshot!("stale_translation_check", run.stderr);
    let denied = test.run(&["check", "--deny-warnings"]);
    assert_eq!(denied.code, 1);
}

/// A file of the site root.
fn read(test: &SiteTest, rel: &str) -> String {
    std::fs::read_to_string(test.root().join(rel)).unwrap()
}

#[test]
fn translate_records_the_english_and_lists_stale_and_missing_texts() {
    let test = SiteTest::minimal();
    test.write(
        "content/data/es/offices.yaml",
        "# Drafts.\nhelp-desk:\n  name:\n    text: \"Mesa de Ayuda\"\n    en: \"Help Desk\"\n  \
         summary: {text: \"Responde por teléfono.\"}\n  facts:\n    - text: >-\n        Llame \
         primero.\n    # A comment stays.\n",
    );
    let check = test.run(&["translate", "es", "--check"]);
    assert_eq!(check.code, 1, "{}", check.stdout);
    assert!(
        check
            .stdout
            .contains("3 texts do not record their English yet"),
        "{}",
        check.stdout
    );
    let run = test.run(&["translate", "es"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let written = read(&test, "content/data/es/offices.yaml");
    let expected = format!(
        "# Drafts.\nhelp-desk:\n  name:\n    text: \"Mesa de Ayuda\"\n    from: {}\n  summary: \
         {{text: \"Responde por teléfono.\", from: {}}}\n  facts:\n    - text: >-\n        Llame \
         primero.\n      from: {}\n    # A comment stays.\n",
        fingerprint("Help Desk"),
        fingerprint("Answers questions by phone."),
        fingerprint("Call the Help Desk first.")
    );
    assert_eq!(written, expected);
    // The office's contact label is not translated; the other records not at all.
    assert!(
        run.stdout.contains("content/data/es/offices.yaml: office `help-desk`: 1 text not translated (contacts[0].label)"),
        "{}",
        run.stdout
    );
    assert_eq!(test.run(&["translate", "es", "--check"]).code, 0);
    // The English changes: the translation is listed as stale, and --check fails.
    let offices = read(&test, "content/data/offices.yaml");
    test.write(
        "content/data/offices.yaml",
        &offices.replace("Help Desk\n", "Help Line\n"),
    );
    let stale = test.run(&["translate", "es", "--check"]);
    assert_eq!(stale.code, 1);
    assert!(
        stale
            .stdout
            .contains("content/data/es/offices.yaml:4:11: office `help-desk`, name"),
        "{}",
        stale.stdout
    );
}

#[test]
fn translate_refuses_what_is_not_a_language_code() {
    let test = SiteTest::minimal();
    let run = test.run(&["translate", "Spanish"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("`Spanish` is not a language code"),
        "{}",
        run.stderr
    );
}

/// The content with every text an overlay can translate made blank: what is left are the
/// facts.
fn facts_only(mut content: Content) -> String {
    let none = Default::default();
    each_text(&mut content, &none, &mut |english, _, _| english.clear());
    format!(
        "{:?}{:?}{:?}{:?}{:?}{:?}{:?}",
        content.offices.records,
        content.channels.records,
        content.parameters.records,
        content.kinds.records,
        content.policies.records,
        content.paths.records,
        content.flowchart.records
    )
}

#[test]
fn the_spanish_guide_has_the_facts_of_the_english_and_its_translations_are_current() {
    let (content, errors) = casepath::load::load(&repo()).expect("the guide loads");
    let validated = casepath::validate::validate(content, errors).expect("the guide validates");
    let stale: Vec<String> = validated
        .warnings
        .0
        .iter()
        .map(|w| w.render(false))
        .collect();
    assert!(stale.is_empty(), "{}", stale.join("\n"));
    let (spanish, freshness) = apply(&validated, "es");
    assert_eq!(
        facts_only(spanish.content.clone()),
        facts_only(validated.content.clone())
    );
    assert_ne!(
        spanish.content.paths.records[0].name,
        validated.content.paths.records[0].name
    );
    assert!(freshness.stale.is_empty(), "{:?}", freshness.stale);
    assert_eq!(freshness.of("path", "service-center-case"), None);
    assert_eq!(freshness.of("office", "contact-center"), None);
    assert_eq!(freshness.of("node", "start"), None);
    assert_eq!(
        freshness.of("office", "field-offices"),
        Some(Notice::Missing)
    );
}

#[test]
fn a_stale_fixture_translation_is_used_and_marked() {
    let test = SiteTest::good("stale-translation");
    let (content, errors) = casepath::load::load(test.root()).unwrap();
    let validated = casepath::validate::validate(content, errors).unwrap();
    let (spanish, freshness) = apply(&validated, "es");
    let office = &spanish.content.offices.records[0];
    assert_eq!(office.summary, "Responde preguntas por correo.");
    assert_eq!(freshness.of("office", "help-desk"), Some(Notice::Stale));
    assert_eq!(
        freshness.of("channel", "followup-email"),
        Some(Notice::Missing)
    );
    assert_eq!(
        facts_only(spanish.content.clone()),
        facts_only(validated.content.clone())
    );
}

#[test]
fn an_overlay_of_an_english_file_that_does_not_load_is_not_checked() {
    let test = SiteTest::bad("translation-unknown-id");
    test.write(
        "content/data/offices.yaml",
        "- id: help-desk\n  nme: Help Desk\n",
    );
    let run = test.run(&["check"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("unknown key `nme`"), "{}", run.stderr);
    assert!(!run.stderr.contains("help-dsk"), "{}", run.stderr);
}
