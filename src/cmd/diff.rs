//! `casepath diff`: a diff between two versions as text for the terminal.

use crate::model::diff::Diff;
use crate::model::Citation;

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
    if diff.reversed {
        out.push_str("(back in time: the first version is the newer one)\n");
    }
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
            "withdrawn" => format!(
                "  withdrawn {}: {}",
                p.label,
                paint("31", p.old.as_deref().unwrap_or(""))
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
            _ if p.change == "withdrawn" => {
                out.push_str(&format!("           withdrawn by: {n}\n"));
                if let Some(quote) = p.new_sources.iter().find_map(|c| c.quote.as_ref()) {
                    out.push_str(&format!("           “{quote}”\n"));
                }
            }
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
        for w in &r.withdrawn {
            out.push_str(&format!(
                "    {}\n",
                paint("33", &format!("withdrawn: {}", w.text))
            ));
            out.push_str(&format!(
                "      by {}: {}\n",
                w.by.version.name,
                sources(&w.by.citations)
            ));
            if let Some(quote) = w.by.citations.iter().find_map(|c| c.quote.as_ref()) {
                out.push_str(&format!("      “{quote}”\n"));
            }
        }
    }
    out
}
