//! Policy versions compared: what changed between two versions of the rules.
//!
//! A [`Diff`] between two versions has three parts: the **rules** (policy parameters added,
//! removed or changed, old → new, each side with its source), the **records** (offices,
//! channels and paths, and the facts each version's sources state about them, added or
//! removed), and a **word-level diff** of the two versions' source texts (the `similar`
//! crate). Diffs are computed from the resolved [`Site`], so they show exactly what the
//! version pages show. The site has a page per pair; `casepath diff A B` prints the same.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Mutex;

use rayon::prelude::*;
use serde::Serialize;
use similar::{ChangeTag, TextDiff};

use crate::model::{Channel, Citation, FactView, Link, Office, Path, Site, VersionView};

/// What changed from one version to another.
#[derive(Debug, Serialize, Clone)]
pub struct Diff {
    /// The older version (the "before").
    pub from: Link,
    /// The newer version (the "after").
    pub to: Link,
    /// Site-relative URL of the diff page.
    pub url: String,
    /// Rules added, removed or changed.
    pub parameters: Vec<ParamChange>,
    /// Offices, channels and paths whose facts differ.
    pub records: Vec<RecordChange>,
    /// The source text of `from` (first source of the version).
    pub from_source: Option<Link>,
    /// The source text of `to`.
    pub to_source: Option<Link>,
    /// The word-level diff of the two source texts.
    pub text: Vec<TextPiece>,
}

/// One rule (policy parameter) that differs.
#[derive(Debug, Serialize, Clone)]
pub struct ParamChange {
    /// Parameter name.
    pub name: String,
    /// Readable label.
    pub label: String,
    /// `added`, `removed` or `changed`.
    pub change: &'static str,
    /// The value before, for display.
    pub old: Option<String>,
    /// The value after, for display.
    pub new: Option<String>,
    /// Where the older version states it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub old_sources: Vec<Citation>,
    /// Where the newer version states it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub new_sources: Vec<Citation>,
}

/// An office, channel or path whose facts differ between the versions.
#[derive(Debug, Serialize, Clone, PartialEq)]
pub struct RecordChange {
    /// `office`, `channel` or `path`.
    pub kind: &'static str,
    /// Id.
    pub id: String,
    /// Name (in the newer version when it has one).
    pub name: String,
    /// URL of its page in the current view.
    pub url: String,
    /// `added` (only the newer version mentions it), `removed` or `changed`.
    pub change: &'static str,
    /// Statements only the newer version makes.
    pub added: Vec<String>,
    /// Statements only the older version makes.
    pub removed: Vec<String>,
}

/// A run of words of the source-text diff.
#[derive(Debug, Serialize, Clone, PartialEq)]
pub struct TextPiece {
    /// `equal`, `insert`, `delete`, or `skip` for a long unchanged run left out.
    pub op: &'static str,
    /// The words (for `skip`: how many words were left out).
    pub text: String,
}

/// URL of the diff page between two versions.
pub fn diff_url(from: &str, to: &str) -> String {
    format!("versions/compare/{from}/{to}/index.html")
}

/// Every pair of versions, older first, with its diff.
pub fn all_diffs(site: &Site) -> Vec<Diff> {
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
        .filter_map(|(a, b)| diff(site, a, b))
        .collect()
}

/// The diff between versions `from` and `to` (by id), `None` if either is unknown.
pub fn diff(site: &Site, from: &str, to: &str) -> Option<Diff> {
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
        from: link_of(&site.views[a]),
        to: link_of(&site.views[b]),
        url: diff_url(from, to),
        parameters: parameter_changes(va, vb),
        records: record_changes(&site.views[a], &site.views[b], site),
        text: word_diff(text_of(&from_source), text_of(&to_source)),
        from_source,
        to_source,
    })
}

fn link_of(view: &VersionView) -> Link {
    view.version.clone()
}

/// Rules that differ between two versions.
fn parameter_changes(a: &crate::model::Version, b: &crate::model::Version) -> Vec<ParamChange> {
    let old: BTreeMap<&str, _> = a.parameters.iter().map(|p| (p.name.as_str(), p)).collect();
    let new: BTreeMap<&str, _> = b.parameters.iter().map(|p| (p.name.as_str(), p)).collect();
    let names: BTreeSet<&str> = old.keys().chain(new.keys()).copied().collect();
    names
        .into_iter()
        .filter_map(|name| {
            let (o, n) = (old.get(name), new.get(name));
            let change = match (o, n) {
                (Some(o), Some(n)) if o.display == n.display => return None,
                (Some(_), Some(_)) => "changed",
                (Some(_), None) => "removed",
                (None, _) => "added",
            };
            let any = o.or(n)?;
            Some(ParamChange {
                name: name.to_string(),
                label: any.label.clone(),
                change,
                old: o.map(|p| p.display.clone()),
                new: n.map(|p| p.display.clone()),
                old_sources: o.map(|p| p.citations.clone()).unwrap_or_default(),
                new_sources: n.map(|p| p.citations.clone()).unwrap_or_default(),
            })
        })
        .collect()
}

/// The statements a version makes about each entity, as plain strings.
fn statements(view: &VersionView) -> BTreeMap<(&'static str, String), (String, BTreeSet<String>)> {
    let mut map = BTreeMap::new();
    for o in &view.offices {
        map.insert(
            ("office", o.id.clone()),
            (o.name.clone(), office_statements(o)),
        );
    }
    for c in &view.channels {
        map.insert(
            ("channel", c.id.clone()),
            (c.name.clone(), channel_statements(c)),
        );
    }
    for p in &view.paths {
        map.insert(("path", p.id.clone()), (p.name.clone(), path_statements(p)));
    }
    map
}

fn fact_texts<'a>(prefix: &'a str, facts: &'a [FactView]) -> impl Iterator<Item = String> + 'a {
    facts.iter().map(move |f| format!("{prefix}{}", f.text))
}

fn office_statements(o: &Office) -> BTreeSet<String> {
    let mut set: BTreeSet<String> = BTreeSet::from([format!("Name: {}", o.name)]);
    set.extend(
        o.contacts
            .iter()
            .map(|c| format!("{}: {}", c.label, c.value)),
    );
    set.extend(fact_texts("Hours: ", &o.hours));
    set.extend(fact_texts("Serves: ", &o.jurisdiction));
    set.extend(fact_texts("", &o.facts));
    for t in &o.tiers {
        set.insert(format!("Staff level: {}", t.name));
        set.extend(t.can.iter().map(|f| format!("{} can: {}", t.name, f.text)));
        set.extend(
            t.cannot
                .iter()
                .map(|f| format!("{} cannot: {}", t.name, f.text)),
        );
    }
    set
}

fn channel_statements(c: &Channel) -> BTreeSet<String> {
    let mut set: BTreeSet<String> = BTreeSet::from([format!("Name: {}", c.name)]);
    set.extend(
        c.contacts
            .iter()
            .map(|k| format!("{}: {}", k.label, k.value)),
    );
    set.extend(fact_texts("Who: ", &c.who));
    set.extend(fact_texts("Answer time: ", &c.response_time));
    set.extend(fact_texts("Hours: ", &c.hours));
    set.extend(fact_texts("Limit: ", &c.limits));
    set.extend(fact_texts("", &c.facts));
    set
}

fn path_statements(p: &Path) -> BTreeSet<String> {
    let mut set = BTreeSet::new();
    for s in &p.steps {
        set.insert(format!("Step: {}", s.title));
        set.extend(fact_texts("", &s.text));
        set.extend(fact_texts("Have ready: ", &s.have_ready));
        set.extend(fact_texts("Write down: ", &s.record));
    }
    set.extend(fact_texts("", &p.facts));
    set
}

/// Offices, channels and paths whose statements differ between two version views.
fn record_changes(a: &VersionView, b: &VersionView, site: &Site) -> Vec<RecordChange> {
    let (old, new) = (statements(a), statements(b));
    let keys: BTreeSet<&(&'static str, String)> = old.keys().chain(new.keys()).collect();
    let order = |kind: &str| match kind {
        "path" => 0,
        "office" => 1,
        _ => 2,
    };
    let mut changes: Vec<RecordChange> = keys
        .into_iter()
        .filter_map(|key| {
            let empty = (String::new(), BTreeSet::new());
            let (o_name, o) = old.get(key).unwrap_or(&empty);
            let (n_name, n) = new.get(key).unwrap_or(&empty);
            let added: Vec<String> = n.difference(o).cloned().collect();
            let removed: Vec<String> = o.difference(n).cloned().collect();
            if added.is_empty() && removed.is_empty() {
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
                name: if n_name.is_empty() {
                    o_name.clone()
                } else {
                    n_name.clone()
                },
                url: current_url(site, kind, id),
                change,
                added,
                removed,
            })
        })
        .collect();
    changes.sort_by_key(|c| order(c.kind));
    changes
}

fn current_url(site: &Site, kind: &str, id: &str) -> String {
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
    found.unwrap_or_else(|| crate::model::entity_url(kind, id))
}

/// Longest run of unchanged words shown in full; longer runs keep their ends only.
const CONTEXT_WORDS: usize = 25;

/// A word-level diff of two texts, with long unchanged runs shortened.
///
/// Diffs are remembered by their two texts for the life of the process: they are the
/// slowest part of resolving the site (tens of milliseconds), and `casepath serve`
/// resolves it again on every save while the source texts rarely change.
pub fn word_diff(old: &str, new: &str) -> Vec<TextPiece> {
    type Memo = HashMap<(String, String), Vec<TextPiece>>;
    static MEMO: Mutex<Option<Memo>> = Mutex::new(None);
    /// Enough for every pair of versions of a guide; past it the memo starts again.
    const MEMO_SIZE: usize = 256;
    let key = (old.to_string(), new.to_string());
    if let Some(pieces) = MEMO
        .lock()
        .ok()
        .and_then(|memo| memo.as_ref()?.get(&key).cloned())
    {
        return pieces;
    }
    let pieces = compute_word_diff(old, new);
    if let Ok(mut memo) = MEMO.lock() {
        let memo = memo.get_or_insert_with(HashMap::new);
        if memo.len() >= MEMO_SIZE {
            memo.clear();
        }
        memo.insert(key, pieces.clone());
    }
    pieces
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
    let mut pieces: Vec<TextPiece> = Vec::new();
    let mut push = |op: &'static str, text: &str| match pieces.last_mut() {
        Some(last) if last.op == op => last.text.push_str(text),
        _ if text.is_empty() => {}
        _ => pieces.push(TextPiece {
            op,
            text: text.to_string(),
        }),
    };
    let ops =
        similar::capture_diff_slices(similar::Algorithm::Myers, &old_sentences, &new_sentences);
    // Runs of deleted and inserted sentences between two equal ones, as byte ranges.
    let span = |parts: &[&str], range: std::ops::Range<usize>| parts[range].concat();
    let mut changed: Option<(String, String)> = None;
    let flush = |changed: &mut Option<(String, String)>,
                 push: &mut dyn FnMut(&'static str, &str)| {
        let Some((a, b)) = changed.take() else { return };
        if a.is_empty()
            || b.is_empty()
            || a.split_whitespace().count() + b.split_whitespace().count() > WORD_DIFF_LIMIT
        {
            push("delete", &a);
            push("insert", &b);
            return;
        }
        let words = TextDiff::configure().diff_words(&a, &b);
        // A run rewritten through, sharing only a few small words, reads better as the
        // old text and then the new than as words swapped one by one.
        let shared = words
            .iter_all_changes()
            .filter(|c| c.tag() == ChangeTag::Equal && !c.value().trim().is_empty())
            .count();
        let shorter = a
            .split_whitespace()
            .count()
            .min(b.split_whitespace().count());
        if shared * 2 < shorter {
            push("delete", &a);
            push("insert", &b);
            return;
        }
        for change in words.iter_all_changes() {
            let op = match change.tag() {
                ChangeTag::Equal => "equal",
                ChangeTag::Insert => "insert",
                ChangeTag::Delete => "delete",
            };
            push(op, change.value());
        }
    };
    for op in ops {
        let (tag, old_range, new_range) = op.as_tag_tuple();
        if tag == similar::DiffTag::Equal {
            flush(&mut changed, &mut push);
            push("equal", &span(&old_sentences, old_range));
        } else {
            let (a, b) = changed.get_or_insert_with(Default::default);
            a.push_str(&span(&old_sentences, old_range));
            b.push_str(&span(&new_sentences, new_range));
        }
    }
    flush(&mut changed, &mut push);
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

/// The diff as plain text for the terminal; `colour` adds ANSI colours.
pub fn to_text(diff: &Diff, colour: bool) -> String {
    let paint = |code: &str, text: &str| {
        if colour {
            format!("\u{1b}[{code}m{text}\u{1b}[0m")
        } else {
            text.to_string()
        }
    };
    let sources = |list: &[Citation]| {
        list.iter()
            .map(|c| match c.line {
                Some(line) => format!("{}, line {line}", c.source.name),
                None => c.source.name.clone(),
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    let mut out = format!(
        "Changes from {} to {}\n",
        paint("1", &diff.from.name),
        paint("1", &diff.to.name)
    );
    out.push_str("\nRules\n");
    if diff.parameters.is_empty() {
        out.push_str("  no rule changed\n");
    }
    for p in &diff.parameters {
        let line = match p.change {
            "changed" => format!(
                "  changed  {}: {} → {}",
                p.label,
                paint("31", p.old.as_deref().unwrap_or("")),
                paint("32", p.new.as_deref().unwrap_or(""))
            ),
            "added" => format!(
                "  added    {}: {}",
                p.label,
                paint("32", p.new.as_deref().unwrap_or(""))
            ),
            _ => format!(
                "  removed  {}: {}",
                p.label,
                paint("31", p.old.as_deref().unwrap_or(""))
            ),
        };
        out.push_str(&line);
        out.push('\n');
        let (o, n) = (sources(&p.old_sources), sources(&p.new_sources));
        match (o.is_empty(), n.is_empty()) {
            (false, false) => out.push_str(&format!("           sources: {o} → {n}\n")),
            (false, true) => out.push_str(&format!("           source: {o}\n")),
            (true, false) => out.push_str(&format!("           source: {n}\n")),
            (true, true) => {}
        }
    }
    out.push_str("\nOffices, channels and paths\n");
    if diff.records.is_empty() {
        out.push_str("  nothing changed\n");
    }
    for r in &diff.records {
        out.push_str(&format!("  {} {} ({})\n", r.kind, r.name, r.change));
        for s in &r.removed {
            out.push_str(&format!("    {}\n", paint("31", &format!("- {s}"))));
        }
        for s in &r.added {
            out.push_str(&format!("    {}\n", paint("32", &format!("+ {s}"))));
        }
    }
    out
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
