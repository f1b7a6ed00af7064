//! Stage 3, **translate**: the content of one language. [`apply`] puts the texts of a
//! language's overlays (`content/data/<lang>/*.yaml`, read by
//! [`crate::load::translations`] and checked by [`crate::validate`]) in place of the
//! English texts of a copy of the validated content. Facts (numbers, contacts' values,
//! waits, sources, quotes) are untouched: the overlays cannot hold them. Nothing is hidden:
//! a translation made from an older English text is still used, and its record is marked
//! stale; a text with no translation stays in English, and its record is marked missing.

use std::collections::BTreeSet;

pub use crate::load::translations::fingerprint;
use crate::load::translations::of_language;
use crate::load::translations::pairs::each_text;
use crate::validate::Validated;

/// What a reader of a translated record should be told.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Notice {
    /// A text of the record was translated from an older English text.
    Stale,
    /// A text of the record is not translated: the English is shown.
    Missing,
}

/// Which records of one language are behind the English or not wholly translated.
#[derive(Clone, Debug, Default)]
pub struct Freshness {
    /// (kind, id) of records with at least one text whose translation is behind the
    /// original ("office", "contact-center"); kinds: office, channel, path, node, kind,
    /// parameter, version.
    pub stale: BTreeSet<(String, String)>,
    /// (kind, id) of records with at least one reader-facing text not translated.
    pub missing: BTreeSet<(String, String)>,
}

impl Freshness {
    /// The notice for record `id` of `kind`, if it needs one; a record both stale and
    /// missing gets [`Notice::Stale`] (the reader can see the English, not the staleness).
    pub fn of(&self, kind: &str, id: &str) -> Option<Notice> {
        let key = (kind.to_string(), id.to_string());
        if self.stale.contains(&key) {
            Some(Notice::Stale)
        } else if self.missing.contains(&key) {
            Some(Notice::Missing)
        } else {
            None
        }
    }
}

/// The content of one language: texts of the overlay put in place of the English ones,
/// facts untouched, and which records are stale or missing. A language without overlays
/// gives the English content with every record that has a shown text marked missing.
/// The copy carries no warnings: they were reported with the English content.
pub fn apply(validated: &Validated, language: &str) -> (Validated, Freshness) {
    let mut content = validated.content.clone();
    let translations = of_language(&validated.content.translations, language);
    let mut freshness = Freshness::default();
    each_text(&mut content, translations, &mut |english, text, place| {
        let key = || (place.kind.to_string(), place.id.clone());
        match text.filter(|t| t.is_translated()) {
            Some(text) => {
                if text.made_from() != Some(fingerprint(english)) {
                    freshness.stale.insert(key());
                }
                *english = text.text.value.clone();
            }
            None if place.shown => {
                freshness.missing.insert(key());
            }
            None => {}
        }
    });
    let translated = Validated {
        content,
        slices: validated.slices.clone(),
        warnings: Default::default(),
    };
    (translated, freshness)
}

#[cfg(test)]
mod tests;
