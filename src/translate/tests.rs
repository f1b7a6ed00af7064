//! Unit tests of [`super::apply`] on a small neutral guide.

use super::*;
use crate::diagnostic::{Diagnostics, SourceFile};
use crate::load::translations::{Keyed, Overlay, Translations};
use crate::load::{data_file, Content, DataFile};

const OFFICES: &str = "\
- id: help-desk
  name: Help Desk
  kind: desk
  summary: Answers questions by phone.
  contacts:
    - kind: phone
      label: Main line
      value: 1-800-555-0100
  facts:
    - text: Open 24 hours a day.
    - text: Closed on holidays.
- id: records-room
  name: Records Room
  kind: desk
  summary: Keeps the files.
";

/// An overlay file of `name` from its YAML.
fn overlay<T: serde::de::DeserializeOwned>(name: &str, yaml: &str) -> Overlay<T> {
    let keyed: Keyed<T> = serde_saphyr::from_str(yaml).unwrap();
    DataFile {
        file: SourceFile::new(format!("content/data/xx/{name}"), yaml),
        records: keyed.0,
    }
}

/// The validated content of [`OFFICES`] with an `xx` overlay of offices.
fn validated(offices_overlay: &str) -> Validated {
    let mut diagnostics = Diagnostics::new();
    let file = SourceFile::new("content/data/offices.yaml", OFFICES);
    let mut content = Content {
        offices: data_file(file, "offices.yaml", &mut diagnostics, &mut Vec::new()),
        ..Content::default()
    };
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let translations = Translations {
        offices: overlay("offices.yaml", offices_overlay),
        ..Translations::default()
    };
    content.translations.insert("xx".into(), translations);
    Validated {
        content,
        slices: Default::default(),
        warnings: Diagnostics::new(),
    }
}

/// An overlay text made from `english`.
fn text(words: &str, english: &str) -> String {
    format!("{{text: \"{words}\", from: {}}}", fingerprint(english))
}

#[test]
fn texts_are_replaced_and_facts_kept() {
    let yaml = format!(
        "help-desk:\n  name: {}\n  summary: {}\n  contacts:\n    - label: {}\n  facts:\n    - {}\n    - {}\n",
        text("Mesa de Ayuda", "Help Desk"),
        text("Responde por teléfono.", "Answers questions by phone."),
        text("Línea principal", "Main line"),
        text("Abierta 24 horas al día.", "Open 24 hours a day."),
        text("Cerrada los feriados.", "Closed on holidays."),
    );
    let original = validated(&yaml);
    let (translated, freshness) = apply(&original, "xx");
    let office = &translated.content.offices.records[0];
    assert_eq!(office.name, "Mesa de Ayuda");
    assert_eq!(office.contacts[0].label, "Línea principal");
    assert_eq!(office.facts[1].text.value, "Cerrada los feriados.");
    // The facts are the English record's.
    let english = &original.content.offices.records[0];
    assert_eq!(
        office.contacts[0].value.value,
        english.contacts[0].value.value
    );
    assert_eq!(office.contacts[0].kind, english.contacts[0].kind);
    assert_eq!(office.kind.value, english.kind.value);
    assert_eq!(office.id.value, english.id.value);
    assert_eq!(
        english.name, "Help Desk",
        "the English content is untouched"
    );
    assert_eq!(freshness.of("office", "help-desk"), None);
    // The record without a translation keeps its English and is marked missing.
    assert_eq!(translated.content.offices.records[1].name, "Records Room");
    assert_eq!(
        freshness.of("office", "records-room"),
        Some(Notice::Missing)
    );
}

#[test]
fn a_stale_translation_is_used_and_marked() {
    let yaml = format!(
        "help-desk:\n  name: {}\n  summary: {}\n  contacts:\n    - label: {}\n  facts:\n    - {}\n    - {}\n",
        text("Mesa de Ayuda", "Help Desk"),
        text("Responde por correo.", "Answers questions by email."),
        text("Línea principal", "Main line"),
        text("Abierta 24 horas al día.", "Open 24 hours a day."),
        text("Cerrada los feriados.", "Closed on holidays."),
    );
    let (translated, freshness) = apply(&validated(&yaml), "xx");
    assert_eq!(
        translated.content.offices.records[0].summary,
        "Responde por correo."
    );
    assert_eq!(freshness.of("office", "help-desk"), Some(Notice::Stale));
    assert!(!freshness
        .missing
        .contains(&("office".into(), "help-desk".into())));
}

#[test]
fn an_untranslated_item_keeps_its_english_and_marks_the_record_missing() {
    let yaml = format!(
        "help-desk:\n  name: {}\n  facts:\n    - ~\n    - {}\n",
        text("Mesa de Ayuda", "Help Desk"),
        text("Cerrada los feriados.", "Closed on holidays."),
    );
    let (translated, freshness) = apply(&validated(&yaml), "xx");
    let office = &translated.content.offices.records[0];
    assert_eq!(office.facts[0].text.value, "Open 24 hours a day.");
    assert_eq!(office.facts[1].text.value, "Cerrada los feriados.");
    assert_eq!(freshness.of("office", "help-desk"), Some(Notice::Missing));
}

#[test]
fn a_draft_with_the_english_text_is_fresh_while_the_english_is_the_same() {
    let yaml = "help-desk:\n  name: {text: Mesa de Ayuda, en: Help Desk}\n";
    let (_, freshness) = apply(&validated(yaml), "xx");
    assert!(!freshness
        .stale
        .contains(&("office".into(), "help-desk".into())));
    let yaml = "help-desk:\n  name: {text: Mesa de Ayuda, en: Help Room}\n";
    let (_, freshness) = apply(&validated(yaml), "xx");
    assert_eq!(freshness.of("office", "help-desk"), Some(Notice::Stale));
}

#[test]
fn a_language_without_overlays_is_the_english_marked_missing() {
    let original = validated("help-desk: {}\n");
    let (translated, freshness) = apply(&original, "yy");
    assert_eq!(translated.content.offices.records[0].name, "Help Desk");
    assert_eq!(freshness.missing.len(), 2);
    assert!(freshness.stale.is_empty());
}
