//! `casepath diff`: a diff between two versions as text for the terminal.

use std::fmt::Write as _;

use crate::model::diff::{Diff, ParamChange, RecordChange};
use crate::model::Citation;

/// The diff as plain text for the terminal; `colour` adds ANSI colours.
pub fn to_text(diff: &Diff, colour: bool) -> String {
    let paint = Paint(colour);
    let mut out = format!(
        "Changes from {} to {}\n",
        paint.on("1", &diff.from.name),
        paint.on("1", &diff.to.name)
    );
    if diff.reversed {
        out.push_str("(back in time: the first version is the newer one)\n");
    }
    out.push_str("\nRules\n");
    if diff.parameters.is_empty() {
        out.push_str("  no rule changed\n");
    }
    for p in &diff.parameters {
        parameter(&mut out, p, paint);
    }
    out.push_str("\nOffices, channels and paths\n");
    if diff.records.is_empty() {
        out.push_str("  nothing changed\n");
    }
    for r in &diff.records {
        record(&mut out, r, paint);
    }
    out
}

/// Whether the text gets ANSI colours.
#[derive(Clone, Copy)]
struct Paint(bool);

impl Paint {
    /// `text` in the ANSI style `code` (`31` red, `32` green, `33` yellow, `1` bold).
    fn on(self, code: &str, text: &str) -> String {
        if self.0 {
            format!("\u{1b}[{code}m{text}\u{1b}[0m")
        } else {
            text.to_string()
        }
    }
}

/// The sources of citations, `"Name, line 4; Other"`.
fn sources(list: &[Citation]) -> String {
    list.iter()
        .map(|c| match c.line {
            Some(line) => format!("{}, line {line}", c.source.name),
            None => c.source.name.clone(),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The lines of one changed rule: the change, then its sources (or, for a withdrawal, the
/// version that withdrew it and its quote).
fn parameter(out: &mut String, p: &ParamChange, paint: Paint) {
    let old = || p.old.as_deref().unwrap_or("");
    let new = || p.new.as_deref().unwrap_or("");
    let _ = match p.change {
        "changed" => writeln!(
            out,
            "  changed  {}: {} → {}",
            p.label,
            paint.on("31", old()),
            paint.on("32", new())
        ),
        "added" => writeln!(out, "  added    {}: {}", p.label, paint.on("32", new())),
        "withdrawn" => writeln!(out, "  withdrawn {}: {}", p.label, paint.on("31", old())),
        _ => writeln!(out, "  removed  {}: {}", p.label, paint.on("31", old())),
    };
    let (o, n) = (sources(&p.old_sources), sources(&p.new_sources));
    if p.change == "withdrawn" {
        let _ = writeln!(out, "           withdrawn by: {n}");
        if let Some(quote) = p.new_sources.iter().find_map(|c| c.quote.as_ref()) {
            let _ = writeln!(out, "           “{quote}”");
        }
        return;
    }
    let line = match (o.is_empty(), n.is_empty()) {
        (false, false) => format!("sources: {o} → {n}"),
        (false, true) => format!("source: {o}"),
        (true, false) => format!("source: {n}"),
        (true, true) => return,
    };
    let _ = writeln!(out, "           {line}");
}

/// The lines of one changed office, channel or path: what was removed, added and withdrawn.
fn record(out: &mut String, r: &RecordChange, paint: Paint) {
    let _ = writeln!(out, "  {} {} ({})", r.kind, r.name, r.change);
    for s in &r.removed {
        let _ = writeln!(out, "    {}", paint.on("31", &format!("- {s}")));
    }
    for s in &r.added {
        let _ = writeln!(out, "    {}", paint.on("32", &format!("+ {s}")));
    }
    for w in &r.withdrawn {
        let _ = writeln!(
            out,
            "    {}",
            paint.on("33", &format!("withdrawn: {}", w.text))
        );
        let _ = writeln!(
            out,
            "      by {}: {}",
            w.by.version.name,
            sources(&w.by.citations)
        );
        if let Some(quote) = w.by.citations.iter().find_map(|c| c.quote.as_ref()) {
            let _ = writeln!(out, "      “{quote}”");
        }
    }
}
