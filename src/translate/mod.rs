//! Stage 2b, **translate**: the content of one language, made from the validated content of
//! the default language and the translations of its texts.
//!
//! This is a stand-in that translates nothing: every record is the original and counted as
//! missing its translation, so that the pages of every other language are built, in the
//! original's words, with the notice that says so. The data overlays
//! (`content/data/<lang>/*.yaml`) replace it.

use std::collections::BTreeSet;

use crate::validate::Validated;

/// What a page of another language says about its translation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Notice {
    /// The translation was made from an older original: it may be behind.
    Stale,
    /// Some of the page is not translated and is shown in the original language.
    Missing,
}

/// Which records of one language are stale or missing a translation.
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
    /// What a page of record `id` of `kind` says: missing before stale.
    pub fn of(&self, kind: &str, id: &str) -> Option<Notice> {
        let key = (kind.to_string(), id.to_string());
        if self.missing.contains(&key) {
            Some(Notice::Missing)
        } else if self.stale.contains(&key) {
            Some(Notice::Stale)
        } else {
            None
        }
    }
}

/// The content of one language: texts of the overlay put in place of the English ones,
/// facts untouched, and which records are stale or missing. (Here: the original, with
/// every record missing.)
pub fn apply(validated: &Validated, _language: &str) -> (Validated, Freshness) {
    let content = &validated.content;
    let mut freshness = Freshness::default();
    let mut missing = |kind: &str, ids: Vec<&str>| {
        for id in ids {
            freshness.missing.insert((kind.to_string(), id.to_string()));
        }
    };
    missing("office", content.offices.ids(|r| &r.id));
    missing("channel", content.channels.ids(|r| &r.id));
    missing("path", content.paths.ids(|r| &r.id));
    missing("node", content.flowchart.ids(|r| &r.id));
    missing("kind", content.kinds.ids(|r| &r.id));
    missing("parameter", content.parameters.ids(|r| &r.id));
    missing("version", content.policies.ids(|r| &r.id));
    (validated.clone(), freshness)
}

/// The fingerprint of an original text, which its translation records: the first 8 hex
/// digits of the 64-bit FNV-1a hash of the text with its whitespace collapsed (runs of
/// spaces, tabs and line breaks read as one space; none at the ends).
pub fn fingerprint(text: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |byte: u8| {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    };
    for (i, word) in text.split_whitespace().enumerate() {
        if i > 0 {
            feed(b' ');
        }
        word.bytes().for_each(&mut feed);
    }
    format!("{hash:016x}")[..8].to_string()
}

#[cfg(test)]
mod tests {
    use super::fingerprint;

    #[test]
    fn fingerprints_ignore_how_whitespace_is_laid_out() {
        assert_eq!(fingerprint("a  b\n c "), fingerprint("a b c"));
        assert_ne!(fingerprint("a b c"), fingerprint("a b d"));
        assert_eq!(fingerprint("").len(), 8);
        // FNV-1a 64 of the empty text is cbf29ce484222325.
        assert_eq!(fingerprint(""), "cbf29ce4");
    }
}
