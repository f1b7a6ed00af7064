//! Policy versions compared: what changed between two versions of the rules.
//!
//! Versions inherit (see [`crate::model`]): each version's view holds what its own source
//! states and everything it carries over from older versions, minus what it withdraws. So
//! a diff compares two views and shows only changes: a rule or statement the newer source
//! states differently or newly, and what it withdraws, with the quote that withdraws it.
//! Something a newer source merely does not restate is carried over and is no change.
//!
//! A [`Diff`] between two versions has three parts: the **rules** (policy parameters added,
//! changed or withdrawn, old → new, each side with its source), the **records** (offices,
//! channels and paths, and the statements that differ), and a **word-level diff** of the two
//! versions' source texts (the `similar` crate). Diffs are computed from the resolved
//! [`Site`](crate::model::Site), so they show exactly what the version pages show. The site has a page per
//! pair; `casepath diff A B` prints the same.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Mutex;

use rayon::prelude::*;
use similar::{ChangeTag, TextDiff};

use crate::load::schema::Field;
use crate::model::diff::{Diff, ParamChange, RecordChange, TextPiece, WithdrawnStatement};
use crate::model::Resolved;
use crate::model::{
    ItemView, Link, PartView, Path, Version, VersionParameter, VersionView, Withdrawn,
};
use crate::strings::Strings;
use crate::urls::{diff_url, entity_url};

/// Every pair of versions, older first, with its diff.
pub fn all_diffs(site: &Resolved, memo: &WordDiffMemo) -> Vec<Diff> {
    let pairs: Vec<(&str, &str)> = site
        .versions
        .iter()
        .enumerate()
        .flat_map(|(i, a)| {
            site.versions[i + 1..]
                .iter()
                .map(move |b| (a.id.as_str(), b.id.as_str()))
        })
        .collect();
    // Word diffs of whole source texts are the slow part; pairs are independent.
    pairs
        .par_iter()
        .filter_map(|(a, b)| diff(site, a, b, memo))
        .collect()
}

/// The diff between versions `from` and `to` (by id), `None` if either is unknown.
pub fn diff(site: &Resolved, from: &str, to: &str, memo: &WordDiffMemo) -> Option<Diff> {
    let a = site.versions.iter().position(|v| v.id == from)?;
    let b = site.versions.iter().position(|v| v.id == to)?;
    let (va, vb) = (&site.versions[a], &site.versions[b]);
    let source_of = |i: usize| site.versions[i].citations.first().map(|c| c.source.clone());
    let text_of = |link: &Option<Link>| {
        link.as_ref()
            .and_then(|l| site.sources.iter().find(|s| s.id == l.id))
            .map_or("", |s| s.text.as_str())
    };
    let (from_source, to_source) = (source_of(a), source_of(b));
    Some(Diff {
        from: site.views[a].version.clone(),
        to: site.views[b].version.clone(),
        reversed: va.order > vb.order,
        url: diff_url(from, to),
        parameters: parameter_changes(va, vb),
        records: record_changes(&site.views[a], &site.views[b], site),
        text: memo.word_diff(text_of(&from_source), text_of(&to_source)),
        from_source,
        to_source,
    })
}

/// The rules in force in a version: those it states or withdraws, and those it carries over.
fn in_force(version: &Version) -> BTreeMap<&str, &VersionParameter> {
    version
        .carried_over
        .iter()
        .chain(&version.parameters)
        .map(|p| (p.name.as_str(), p))
        .collect()
}

/// Rules that differ between two versions, as each stands with what it inherits.
fn parameter_changes(a: &Version, b: &Version) -> Vec<ParamChange> {
    let (old, new) = (in_force(a), in_force(b));
    let names: BTreeSet<&str> = old.keys().chain(new.keys()).copied().collect();
    names
        .into_iter()
        .filter_map(|name| {
            // A rule withdrawn before `a` is no rule of `a`.
            let o = old.get(name).filter(|p| !p.withdrawn);
            let n = new.get(name);
            let change = match (o, n) {
                (Some(_), Some(n)) if n.withdrawn => "withdrawn",
                (Some(o), Some(n)) if o.display == n.display => return None,
                (Some(_), Some(_)) => "changed",
                (Some(_), None) => "removed",
                (None, Some(n)) if !n.withdrawn => "added",
                (None, _) => return None,
            };
            let any = o.or(n)?;
            Some(ParamChange {
                name: name.to_string(),
                label: any.label.clone(),
                change,
                old: o.map(|p| p.display.clone()),
                new: n.filter(|p| !p.withdrawn).map(|p| p.display.clone()),
                old_sources: o.map(|p| p.citations.clone()).unwrap_or_default(),
                new_sources: n.map(|p| p.citations.clone()).unwrap_or_default(),
                note: n.filter(|p| p.withdrawn).and_then(|p| p.note.clone()),
            })
        })
        .collect()
}

/// The statements a version's view makes about one entity, each in the words of the string
/// table's `diff.statement` (`Hours: {text}`).
#[derive(Default)]
struct Statements {
    /// The entity's name in the view.
    name: String,
    /// What it states.
    stated: BTreeSet<String>,
    /// What it (or an older version) withdraws, with the withdrawal.
    withdrawn: BTreeMap<String, Withdrawn>,
}

impl Statements {
    fn new(name: &str, strings: &Strings) -> Self {
        Statements {
            name: name.to_string(),
            stated: BTreeSet::from([statement(strings, "name", name)]),
            withdrawn: BTreeMap::new(),
        }
    }

    fn add(&mut self, text: String, withdrawn: &Option<Withdrawn>) {
        match withdrawn {
            Some(w) => {
                self.withdrawn.insert(text, w.clone());
            }
            None => {
                self.stated.insert(text);
            }
        }
    }

    /// What each part states: a contact as `label: value`, a fact as its list's statement
    /// (see [`statement_key`]), a tier's name and each of its facts with its name; other
    /// names are not compared.
    fn parts<'p>(&mut self, strings: &Strings, parts: impl Iterator<Item = PartView<'p>>) {
        for part in parts {
            match part.item {
                ItemView::Name(_) => {}
                ItemView::Contact(c) => {
                    self.add(format!("{}: {}", c.label, c.value), &c.withdrawn);
                }
                ItemView::Fact(f) => {
                    let text = statement(strings, statement_key(part.field), &f.text);
                    self.add(text, &f.withdrawn);
                }
                ItemView::Tier(t) => {
                    self.stated.insert(statement(strings, "tier", &t.name));
                    for inner in part.inner() {
                        let ItemView::Fact(f) = inner.item else {
                            continue;
                        };
                        let text = strings.fill(
                            &format!("diff.statement.{}", statement_key(inner.field)),
                            &[("tier", &t.name), ("text", &f.text)],
                        );
                        self.add(text, &f.withdrawn);
                    }
                }
            }
        }
    }
}

/// The key under `diff.statement.` of the string table that words a fact of the list
/// `field` (`Hours: {text}`); empty for the facts that stand alone.
fn statement_key(field: Field) -> &'static str {
    match field {
        Field::Hours => "hours",
        Field::Jurisdiction => "serves",
        Field::Can => "tier_can",
        Field::Cannot => "tier_cannot",
        Field::Who => "who",
        Field::ResponseTime => "response_time",
        Field::Limits => "limit",
        Field::HaveReady => "have_ready",
        Field::Record => "record",
        Field::Facts | Field::Text | Field::OtherNames | Field::Contacts | Field::Tiers => "",
    }
}

/// A statement in the words of `diff.statement.<key>` of the string table, with `{text}`
/// filled in; for the empty key, the text alone.
fn statement(strings: &Strings, key: &str, text: &str) -> String {
    if key.is_empty() {
        return text.to_string();
    }
    strings.fill(&format!("diff.statement.{key}"), &[("text", &text)])
}

/// The statements a version's view makes about each entity.
fn statements(
    view: &VersionView,
    strings: &Strings,
) -> BTreeMap<(&'static str, String), Statements> {
    let mut map = BTreeMap::new();
    for o in &view.offices {
        let mut set = Statements::new(&o.name, strings);
        set.parts(strings, o.parts());
        map.insert(("office", o.id.clone()), set);
    }
    for c in &view.channels {
        let mut set = Statements::new(&c.name, strings);
        set.parts(strings, c.parts());
        map.insert(("channel", c.id.clone()), set);
    }
    for p in &view.paths {
        map.insert(("path", p.id.clone()), path_statements(p, strings));
    }
    map
}

/// The statements of a path: each step's title and parts, and the path's own parts.
fn path_statements(p: &Path, strings: &Strings) -> Statements {
    let mut set = Statements {
        name: p.name.clone(),
        ..Statements::default()
    };
    for s in &p.steps {
        set.stated.insert(statement(strings, "step", &s.title));
        set.parts(strings, s.parts());
    }
    set.parts(strings, p.parts());
    set
}

/// Offices, channels and paths whose statements differ between two version views.
fn record_changes(a: &VersionView, b: &VersionView, site: &Resolved) -> Vec<RecordChange> {
    let (old, new) = (statements(a, &site.strings), statements(b, &site.strings));
    let keys: BTreeSet<&(&'static str, String)> = old.keys().chain(new.keys()).collect();
    let order = |kind: &str| match kind {
        "path" => 0,
        "office" => 1,
        _ => 2,
    };
    let empty = Statements::default();
    let mut changes: Vec<RecordChange> = keys
        .into_iter()
        .filter_map(|key| {
            let o = old.get(key).unwrap_or(&empty);
            let n = new.get(key).unwrap_or(&empty);
            let added: Vec<String> = n.stated.difference(&o.stated).cloned().collect();
            let removed: Vec<String> = o
                .stated
                .difference(&n.stated)
                .filter(|s| !n.withdrawn.contains_key(*s))
                .cloned()
                .collect();
            let withdrawn: Vec<WithdrawnStatement> = n
                .withdrawn
                .iter()
                .filter(|(s, _)| o.stated.contains(*s))
                .map(|(s, w)| WithdrawnStatement {
                    text: s.clone(),
                    by: w.clone(),
                })
                .collect();
            if added.is_empty() && removed.is_empty() && withdrawn.is_empty() {
                return None;
            }
            let change = match (old.contains_key(key), new.contains_key(key)) {
                (false, _) => "added",
                (_, false) => "removed",
                _ => "changed",
            };
            let (kind, id) = key;
            Some(RecordChange {
                kind,
                id: id.clone(),
                name: if n.name.is_empty() {
                    o.name.clone()
                } else {
                    n.name.clone()
                },
                url: current_url(site, kind, id),
                change,
                added,
                removed,
                withdrawn,
            })
        })
        .collect();
    changes.sort_by_key(|c| order(c.kind));
    changes
}

fn current_url(site: &Resolved, kind: &str, id: &str) -> String {
    let found = match kind {
        "office" => site
            .offices
            .iter()
            .find(|o| o.id == id)
            .map(|o| o.url.clone()),
        "channel" => site
            .channels
            .iter()
            .find(|c| c.id == id)
            .map(|c| c.url.clone()),
        _ => site
            .paths
            .iter()
            .find(|p| p.id == id)
            .map(|p| p.url.clone()),
    };
    found.unwrap_or_else(|| entity_url(kind, id))
}

/// Longest run of unchanged words shown in full; longer runs keep their ends only.
const CONTEXT_WORDS: usize = 25;

/// The word diffs of source texts already compared, so that `casepath serve`, which builds
/// the views again on every save while the source texts rarely change, does not diff them
/// again: they are the slowest part of the views (tens of milliseconds). Held in
/// [`crate::Cache`]; a build starts with an empty one.
#[derive(Debug, Default)]
pub struct WordDiffMemo(Mutex<HashMap<(String, String), Vec<TextPiece>>>);

impl WordDiffMemo {
    /// Enough for every pair of versions of a guide; past it the memo starts again.
    const SIZE: usize = 256;

    /// [`word_diff`] of the two texts, remembered.
    pub fn word_diff(&self, old: &str, new: &str) -> Vec<TextPiece> {
        let key = (old.to_string(), new.to_string());
        if let Some(pieces) = self.0.lock().ok().and_then(|memo| memo.get(&key).cloned()) {
            return pieces;
        }
        let pieces = word_diff(old, new);
        if let Ok(mut memo) = self.0.lock() {
            if memo.len() >= Self::SIZE {
                memo.clear();
            }
            memo.insert(key, pieces.clone());
        }
        pieces
    }

    /// How many diffs it holds.
    pub fn len(&self) -> usize {
        self.0.lock().map_or(0, |memo| memo.len())
    }

    /// True when it holds none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A word-level diff of two texts, with long unchanged runs shortened.
pub fn word_diff(old: &str, new: &str) -> Vec<TextPiece> {
    compute_word_diff(old, new)
}

/// True when two runs share so few words that the word diff below would show them as
/// removed, then added, whatever it found: the words the diff keeps are a common
/// subsequence of the two runs, so there are at most as many as the words they have in
/// common counted with repeats. This check costs a count of the words; the diff costs the
/// product of the run lengths, and most runs of two different texts are rewritten through.
fn rewritten_through(a: &str, b: &str) -> bool {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for word in a.split_whitespace() {
        *counts.entry(word).or_default() += 1;
    }
    let mut common = 0;
    for word in b.split_whitespace() {
        if let Some(left) = counts.get_mut(word).filter(|left| **left > 0) {
            *left -= 1;
            common += 1;
        }
    }
    common * 2 < shorter_words(a, b)
}

/// The words a word diff keeps: its equal pieces that are not white space.
fn kept_words(words: &TextDiff<'_, '_, str>) -> usize {
    words
        .iter_all_changes()
        .filter(|c| c.tag() == ChangeTag::Equal && !c.value().trim().is_empty())
        .count()
}

/// How many words the shorter of two runs has.
fn shorter_words(a: &str, b: &str) -> usize {
    a.split_whitespace()
        .count()
        .min(b.split_whitespace().count())
}

/// Most words a changed run may hold, both sides together, to be compared word by word;
/// a longer run (a rewritten section) is shown as removed, then added.
const WORD_DIFF_LIMIT: usize = 1000;

/// The diff in two passes, as `git diff --word-diff` reads on top of a line diff: first
/// sentence by sentence, then word by word inside each run of changed sentences. A
/// word-level Myers diff of two whole, very different documents costs the product of their
/// lengths (most of a build's time); sentences are few, and a changed run is short.
fn compute_word_diff(old: &str, new: &str) -> Vec<TextPiece> {
    let old = collapse(old);
    let new = collapse(new);
    let (old_sentences, new_sentences) = (sentences(&old), sentences(&new));
    let mut pieces = Pieces::default();
    let ops =
        similar::capture_diff_slices(similar::Algorithm::Myers, &old_sentences, &new_sentences);
    // Runs of deleted and inserted sentences between two equal ones.
    let span = |parts: &[&str], range: std::ops::Range<usize>| parts[range].concat();
    let mut changed: Option<(String, String)> = None;
    for op in ops {
        let (tag, old_range, new_range) = op.as_tag_tuple();
        if tag == similar::DiffTag::Equal {
            if let Some((a, b)) = changed.take() {
                pieces.changed_run(&a, &b);
            }
            pieces.push("equal", &span(&old_sentences, old_range));
        } else {
            let (a, b) = changed.get_or_insert_with(Default::default);
            a.push_str(&span(&old_sentences, old_range));
            b.push_str(&span(&new_sentences, new_range));
        }
    }
    if let Some((a, b)) = changed {
        pieces.changed_run(&a, &b);
    }
    shorten(pieces.0)
}

/// The pieces of a word diff as it is made: a piece of the same kind as the last one joins
/// it.
#[derive(Default)]
struct Pieces(Vec<TextPiece>);

impl Pieces {
    /// Adds `text` as a piece of kind `op` (`equal`, `insert`, `delete`).
    fn push(&mut self, op: &'static str, text: &str) {
        match self.0.last_mut() {
            Some(last) if last.op == op => last.text.push_str(text),
            _ if text.is_empty() => {}
            _ => self.0.push(TextPiece {
                op,
                text: text.to_string(),
            }),
        }
    }

    /// Adds a run of changed sentences, `a` in the old text and `b` in the new: word by word
    /// when the two share enough words, otherwise as removed, then added.
    fn changed_run(&mut self, a: &str, b: &str) {
        if a.is_empty()
            || b.is_empty()
            || a.split_whitespace().count() + b.split_whitespace().count() > WORD_DIFF_LIMIT
            || rewritten_through(a, b)
        {
            self.push("delete", a);
            self.push("insert", b);
            return;
        }
        let words = TextDiff::configure().diff_words(a, b);
        // A run rewritten through, sharing only a few small words, reads better as the
        // old text and then the new than as words swapped one by one.
        if kept_words(&words) * 2 < shorter_words(a, b) {
            self.push("delete", a);
            self.push("insert", b);
            return;
        }
        for change in words.iter_all_changes() {
            let op = match change.tag() {
                ChangeTag::Equal => "equal",
                ChangeTag::Insert => "insert",
                ChangeTag::Delete => "delete",
            };
            self.push(op, change.value());
        }
    }
}

/// The pieces with each long unchanged run shortened to its ends ([`CONTEXT_WORDS`] each,
/// none at the start or end of the text) around a `skip` piece that counts the words left
/// out.
fn shorten(pieces: Vec<TextPiece>) -> Vec<TextPiece> {
    let last = pieces.len().saturating_sub(1);
    let mut out = Vec::with_capacity(pieces.len());
    for (i, piece) in pieces.into_iter().enumerate() {
        let words: Vec<&str> = piece.text.split_whitespace().collect();
        let keep_head = if i == 0 { 0 } else { CONTEXT_WORDS };
        let keep_tail = if i == last { 0 } else { CONTEXT_WORDS };
        if piece.op != "equal" || words.len() <= keep_head + keep_tail + 10 {
            out.push(piece);
            continue;
        }
        let leading = if piece.text.starts_with(char::is_whitespace) {
            " "
        } else {
            ""
        };
        let trailing = if piece.text.ends_with(char::is_whitespace) {
            " "
        } else {
            ""
        };
        if keep_head > 0 {
            out.push(TextPiece {
                op: "equal",
                text: format!("{leading}{} ", words[..keep_head].join(" ")),
            });
        }
        out.push(TextPiece {
            op: "skip",
            text: (words.len() - keep_head - keep_tail).to_string(),
        });
        if keep_tail > 0 {
            out.push(TextPiece {
                op: "equal",
                text: format!(" {}{trailing}", words[words.len() - keep_tail..].join(" ")),
            });
        }
    }
    out
}

/// Splits a collapsed text after each `.`, `?`, `!` or `:` that ends a word; the pieces
/// keep their spaces, so joined they give the text back.
fn sentences(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    for (i, &byte) in bytes.iter().enumerate() {
        if matches!(byte, b'.' | b'?' | b'!' | b':') && bytes.get(i + 1) == Some(&b' ') {
            parts.push(&text[start..i + 2]);
            start = i + 2;
        }
    }
    if start < text.len() {
        parts.push(&text[start..]);
    }
    parts
}

/// Collapses runs of whitespace and removes Markdown `*`, as quotes are compared.
fn collapse(text: &str) -> String {
    crate::validate::normalize_quote(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_diff_marks_the_changed_number() {
        let pieces = word_diff("wait 30 days then email", "wait 15 days then email");
        let ops: Vec<(&str, &str)> = pieces.iter().map(|p| (p.op, p.text.as_str())).collect();
        assert_eq!(
            ops,
            [
                ("equal", "wait "),
                ("delete", "30"),
                ("insert", "15"),
                ("equal", " days then email")
            ]
        );
    }

    /// The count of shared words is an upper bound of what the word diff keeps: a run it
    /// calls rewritten through is one the word diff would show as removed, then added.
    #[test]
    fn runs_rewritten_through_are_found_without_the_word_diff() {
        let texts = [
            "the office will answer within 30 days of your call",
            "call the office and wait 30 days for the answer",
            "email the repair office after 15 days",
            "a b c d e f g h i j",
            "j i h g f e d c b a",
            "write to the tenant advocate if nobody answers the email in 21 days",
        ];
        for a in texts {
            for b in texts {
                let words = TextDiff::configure().diff_words(a, b);
                if rewritten_through(a, b) {
                    assert!(
                        kept_words(&words) * 2 < shorter_words(a, b),
                        "{a:?} / {b:?}"
                    );
                }
            }
        }
        assert!(rewritten_through(texts[2], texts[3]));
        assert!(!rewritten_through(texts[0], texts[1]));
    }

    #[test]
    fn long_unchanged_runs_are_shortened() {
        let same: String = (0..200).map(|i| format!("w{i} ")).collect();
        let pieces = word_diff(&format!("a {same}b"), &format!("x {same}y"));
        assert!(
            pieces.iter().any(|p| p.op == "skip" && p.text == "150"),
            "{pieces:?}"
        );
    }
}
