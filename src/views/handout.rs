//! One-page printable handouts, one per escalation path: a view of the resolved Site model.
//!
//! A handout is what a person takes to an appointment or a legal-aid clinic: the steps of
//! one path with the waits, phone numbers and addresses of the current policy version, what
//! to have ready, a call log to fill in by hand, the receipt-prefix table where the path
//! reaches offices with case-number prefixes, the sources, the build date and, when the site has a base
//! URL, the address of the path page with a QR code.
//!
//! It must fit one printed page, so it is trimmed here, in Rust, not in the template:
//! - only the current view of each fact (no older wording) and only facts and contacts that
//!   rest on at least one official source (unverified tips stay on the online page);
//! - citations become numbers (`[2]`) into one list of short source titles per handout, so
//!   every fact keeps its source at the cost of a few characters;
//! - contacts that the receipt-prefix table shows are not repeated in their step.

use std::collections::BTreeSet;

use super::qr;
use crate::load::schema::ContactKind;
use crate::model::handout::{
    CallLog, Handout, HandoutContact, HandoutSource, HandoutStep, HandoutWait, Item, Online,
    PrefixRow, PrefixTable, Segment,
};
use crate::model::Resolved;
use crate::model::{Citation, ContactView, FactView, Link, Office, Path, Step, WaitView};
use crate::urls::handout_url;

/// The fewest empty rows the call log has, each at least 8 mm high on paper.
pub const CALL_LOG_MIN_ROWS: usize = 8;
/// The most rows the call log has; a short handout gets taller rows instead.
pub const CALL_LOG_MAX_ROWS: usize = 16;

/// Splits `text` around each of `values` it contains (first match wins, left to right).
fn segments(text: &str, values: &[&str]) -> Vec<Segment> {
    let mut out = Vec::new();
    let mut rest = text;
    loop {
        let next = values
            .iter()
            .filter(|v| !v.is_empty())
            .filter_map(|v| rest.find(*v).map(|i| (i, *v)))
            .min_by_key(|(i, v)| (*i, std::cmp::Reverse(v.len())));
        let Some((i, value)) = next else { break };
        if i > 0 {
            out.push(Segment {
                text: rest[..i].to_string(),
                strong: false,
            });
        }
        out.push(Segment {
            text: value.to_string(),
            strong: true,
        });
        rest = &rest[i + value.len()..];
    }
    if !rest.is_empty() {
        out.push(Segment {
            text: rest.to_string(),
            strong: false,
        });
    }
    out
}

/// The handouts of every path, in the paths' order.
pub fn handouts(site: &Resolved) -> Vec<Handout> {
    site.paths.iter().map(|p| handout(site, p)).collect()
}

/// Numbers sources in order of first use on one handout.
#[derive(Default)]
struct Numbering {
    sources: Vec<HandoutSource>,
}

impl Numbering {
    /// The numbers of these citations' sources, `"1, 3"`, numbering new ones.
    fn cite(&mut self, citations: &[Citation]) -> String {
        let mut numbers = BTreeSet::new();
        for c in citations {
            let number = match self.sources.iter().find(|s| s.url == c.source.url) {
                Some(s) => s.number,
                None => {
                    let number = self.sources.len() + 1;
                    self.sources.push(HandoutSource {
                        number,
                        title: c.source.name.clone(),
                        url: c.source.url.clone(),
                        unverified: c.unverified,
                    });
                    number
                }
            };
            numbers.insert(number);
        }
        number_ranges(&numbers)
    }

    /// The facts fit for paper (official, not withdrawn, not left off by the editors),
    /// with the contact values they give picked out.
    fn items(&mut self, facts: &[FactView], values: &[&str]) -> Vec<Item> {
        facts
            .iter()
            .filter(|f| !f.unverified && f.handout && f.withdrawn.is_none())
            .map(|f| Item {
                text: f.text.clone(),
                segments: segments(&f.text, values),
                cites: self.cite(&f.citations),
            })
            .collect()
    }

    fn wait(&mut self, wait: &WaitView) -> HandoutWait {
        HandoutWait {
            days: wait.days,
            unit: wait.unit,
            after: wait.after.clone(),
            cites: self.cite(&wait.citations),
        }
    }

    fn contact(&mut self, contact: &ContactView) -> HandoutContact {
        HandoutContact {
            kind: serde_json::to_value(contact.kind)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default(),
            label: contact.label.clone(),
            value: contact.value.clone(),
            href: contact.href.clone(),
            note: contact.note.clone(),
            withdrawn_by: contact.withdrawn.as_ref().map(|w| w.version.name.clone()),
            cites: self.cite(&contact.citations),
        }
    }
}

/// The receipt-prefix table's offices, and whether one path reaches them.
struct Prefixed<'a> {
    /// Every office with a receipt prefix, by prefix.
    offices: Vec<(String, &'a Office)>,
    /// The emails the table shows.
    emails: BTreeSet<&'a str>,
    /// Whether a step of the path reaches one of these offices or one of those emails;
    /// only then does the handout show the table.
    reached: bool,
}

impl<'a> Prefixed<'a> {
    /// The receipt-prefix table: every office with a prefix, by prefix, with its first email.
    /// It applies when a step of `path` reaches one of these offices or one of those emails.
    fn new(site: &'a Resolved, path: &Path) -> Self {
        let mut offices: Vec<_> = site
            .offices
            .iter()
            .filter_map(|o| Some((o.receipt_prefix.as_ref()?.value.clone(), o)))
            .collect();
        offices.sort_by(|a, b| a.0.cmp(&b.0));
        let emails: BTreeSet<&str> = offices
            .iter()
            .flat_map(|(_, o)| table_emails(o).map(|c| c.value.as_str()))
            .collect();
        let reached = path.steps.iter().any(|s| {
            s.contacts.iter().any(|c| emails.contains(c.value.as_str()))
                || s.office
                    .as_ref()
                    .is_some_and(|o| offices.iter().any(|(_, p)| p.id == o.id))
        });
        Prefixed {
            offices,
            emails,
            reached,
        }
    }

    /// Whether a statement says what the shown table says: it names every prefix.
    fn in_table(&self, text: &str) -> bool {
        self.reached && self.offices.iter().all(|(p, _)| text.contains(p.as_str()))
    }

    /// Whether the shown table gives this contact.
    fn shows(&self, contact: &ContactView) -> bool {
        self.reached && self.emails.contains(contact.value.as_str())
    }
}

impl Numbering {
    /// One step as paper shows it. What the prefix table says is left to the table, and a
    /// contact that the step's text already gives is not repeated.
    fn step(&mut self, step: &Step, prefixed: &Prefixed) -> HandoutStep {
        let wait = step.wait.as_ref().map(|w| self.wait(w));
        let cites = self.cite(&step.citations);
        let shown_text: Vec<FactView> = step
            .text
            .iter()
            .filter(|f| !prefixed.in_table(&f.text))
            .cloned()
            .collect();
        let values: Vec<&str> = step.contacts.iter().map(|c| c.value.as_str()).collect();
        let text = self.items(&shown_text, &values);
        let mut contacts = Vec::new();
        let mut contacts_in_prefix_table = false;
        for c in step.contacts.iter().filter(|c| !c.unverified && c.handout) {
            if prefixed.shows(c) {
                contacts_in_prefix_table = true;
            } else if !text.iter().any(|t| t.text.contains(&c.value)) {
                contacts.push(self.contact(c));
            }
        }
        let have_ready = self.items(&step.have_ready, &[]);
        let response = step.response.as_ref().map(|w| self.wait(w));
        HandoutStep {
            number: step.number,
            title: step.title.clone(),
            wait,
            response,
            text,
            contacts,
            contacts_in_prefix_table,
            have_ready,
            cites,
        }
    }

    /// The receipt-prefix table: one row per email of each office with a prefix (or one
    /// row without an email), the first email being the office's follow-up email.
    fn prefix_table(&mut self, prefixed: &Prefixed) -> PrefixTable {
        let mut rows = Vec::new();
        for (prefix, o) in &prefixed.offices {
            let office = Link {
                kind: "office",
                id: o.id.clone(),
                name: o.name.clone(),
                url: o.url.clone(),
            };
            let cites = self.cite(&o.citations);
            let mut emails = table_emails(o).peekable();
            if emails.peek().is_none() {
                rows.push(PrefixRow {
                    prefix: prefix.clone(),
                    office: office.clone(),
                    email: None,
                    note: None,
                    cites: cites.clone(),
                });
            }
            for (i, c) in emails.enumerate() {
                rows.push(PrefixRow {
                    prefix: prefix.clone(),
                    office: office.clone(),
                    // The first email is the center's follow-up email; others say what for.
                    note: if i == 0 { None } else { c.note.clone() },
                    email: Some(self.contact(c)),
                    cites: cites.clone(),
                });
            }
        }
        let withdrawn = prefixed
            .offices
            .iter()
            .flat_map(|(_, o)| table_emails(o))
            .find_map(|c| c.withdrawn.as_ref());
        let cites = cite_once(&mut rows);
        PrefixTable {
            rows,
            cites,
            withdrawn_by: withdrawn.map(|w| w.version.name.clone()),
            withdrawn_cites: withdrawn.map_or_else(String::new, |w| self.cite(&w.citations)),
        }
    }
}

/// When every row of the prefix table rests on the same sources, the caption cites them
/// once: the rows' own numbers are cleared and the shared ones returned (else none).
fn cite_once(rows: &mut [PrefixRow]) -> String {
    match rows.first() {
        Some(first) if rows.iter().all(|r| r.cites == first.cites) => {
            let cites = first.cites.clone();
            for row in rows.iter_mut() {
                row.cites.clear();
            }
            // An email that rests on the same sources needs no number of its own.
            for email in rows.iter_mut().filter_map(|r| r.email.as_mut()) {
                if email.cites == cites {
                    email.cites.clear();
                }
            }
            cites
        }
        _ => String::new(),
    }
}

/// The sources of the advice to write each contact down: this path's, else the whole
/// guide's.
fn record_citations(site: &Resolved, of_path: Vec<Citation>) -> Vec<Citation> {
    if !of_path.is_empty() {
        return of_path;
    }
    site.paths
        .iter()
        .flat_map(|p| &p.steps)
        .flat_map(|s| &s.record)
        .filter(|f| !f.unverified)
        .flat_map(|f| f.citations.clone())
        .collect()
}

/// The path page's address and its QR code, when the site has a base URL.
fn online(site: &Resolved, path: &Path) -> Option<Online> {
    site.info.base_url.as_ref().and_then(|base| {
        let url = format!("{base}/{}", path.url.trim_end_matches("index.html"));
        qr::svg(&url).map(|qr_svg| Online { url, qr_svg })
    })
}

/// The handout of one path. Sources are numbered in the order the page shows them.
fn handout(site: &Resolved, path: &Path) -> Handout {
    let mut numbering = Numbering::default();
    let cites = numbering.cite(&path.citations);
    let prefixed = Prefixed::new(site, path);

    let mut steps = Vec::new();
    let mut record: Vec<Item> = Vec::new();
    let mut record_citations_of_path: Vec<Citation> = Vec::new();
    for step in &path.steps {
        steps.push(numbering.step(step, &prefixed));
        for item in numbering.items(&step.record, &[]) {
            if !record.iter().any(|r| r.text == item.text) {
                record.push(item);
            }
        }
        record_citations_of_path.extend(step.record.iter().flat_map(|f| f.citations.clone()));
    }

    let prefixes = prefixed.reached.then(|| numbering.prefix_table(&prefixed));
    let call_log = CallLog {
        rows: CALL_LOG_MIN_ROWS,
        cites: numbering.cite(&record_citations(site, record_citations_of_path)),
    };
    let waits_differ = path
        .steps
        .iter()
        .flat_map(|s| s.wait.iter().chain(&s.response))
        .any(|w| !w.others.is_empty());

    let mut handout = Handout {
        id: path.id.clone(),
        name: path.name.clone(),
        url: handout_url(&path.id),
        path: Link {
            kind: "path",
            id: path.id.clone(),
            name: path.name.clone(),
            url: path.url.clone(),
        },
        for_whom: path.for_whom.clone(),
        summary: path.summary.clone(),
        cites,
        steps,
        prefixes,
        record,
        call_log,
        waits_differ,
        sources: numbering.sources,
        online: online(site, path),
    };
    handout.call_log.rows = call_log_rows(&handout);
    handout
}

/// How many rows the call log gets. On paper the log takes whatever height the rest of the
/// handout leaves (see print.css), so the number of rows only sets how tall each one is:
/// aim at rows about 12 mm high on Letter, the shorter page, judged from a rough count of
/// the lines the rest takes. Rows never go below 8 mm; the browser test proves the fit.
fn call_log_rows(h: &Handout) -> usize {
    const PAGE_MM: f64 = 263.4; // Letter, 279.4 mm less 2 × 8 mm margins (print.css)
    const LINE_MM: f64 = 4.0; // 10 pt type, 1.12 line height, plus spacing
    const ROW_MM: f64 = 12.0;
    // Characters, not bytes: an accented letter is one character but two bytes.
    let chars = |text: &str| text.chars().count();
    // Lines a text takes in a column (half the page) or across the page.
    let half = |chars: usize| (chars + 8).div_ceil(50) as f64;
    let full = |chars: usize| (chars + 8).div_ceil(105) as f64;
    let items = |list: &[Item]| list.iter().map(|i| half(chars(&i.text))).sum::<f64>();

    let mut column_lines = 0.0;
    for s in &h.steps {
        column_lines += half(chars(&s.title) + 9) + 0.4;
        for w in s.wait.iter().chain(&s.response) {
            column_lines += half(chars(&w.after) + 30) + 0.3;
        }
        column_lines += items(&s.text) + items(&s.have_ready);
        column_lines += f64::from(!s.have_ready.is_empty());
        column_lines += f64::from(s.contacts_in_prefix_table);
        for c in &s.contacts {
            let note = c.note.as_deref().map_or(0, chars);
            let withdrawn = if c.withdrawn_by.is_some() { 60 } else { 0 };
            column_lines += half(chars(&c.label) + chars(&c.value) + note + withdrawn);
        }
    }
    let mut lines = 2.0 + full(chars(&h.for_whom)) + column_lines / 2.0 + 1.0;
    if let Some(p) = &h.prefixes {
        lines += 4.0 + p.rows.len() as f64 * 1.1;
    }
    lines += 2.5 + h.record.len().div_ceil(2) as f64 * 1.5;
    let sources: usize = h.sources.iter().map(|s| chars(&s.title) + 6).sum();
    lines += full(sources + 90) + 3.0 + f64::from(h.online.is_some());

    let left_mm = PAGE_MM - lines * LINE_MM;
    let rows = (left_mm / ROW_MM).floor().max(0.0) as usize;
    rows.clamp(CALL_LOG_MIN_ROWS, CALL_LOG_MAX_ROWS)
}

/// The emails the receipt-prefix table shows for an office: its official ones, one a row.
fn table_emails(office: &Office) -> impl Iterator<Item = &ContactView> {
    office
        .contacts
        .iter()
        .filter(|c| c.kind == ContactKind::Email && !c.unverified && c.handout)
}

/// `{1, 2, 3, 5}` → `"1–3, 5"`.
fn number_ranges(numbers: &BTreeSet<usize>) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut iter = numbers.iter().copied().peekable();
    while let Some(first) = iter.next() {
        let mut last = first;
        while iter.peek() == Some(&(last + 1)) {
            last = iter.next().unwrap_or(last);
        }
        parts.push(match last - first {
            0 => first.to_string(),
            1 => format!("{first}, {last}"),
            _ => format!("{first}–{last}"),
        });
    }
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contact_values_in_a_statement_are_picked_out() {
        let parts = segments(
            "Call 1-866-315-5718 or write to a@b.gov.",
            &["a@b.gov", "1-866-315-5718"],
        );
        let shown: Vec<(&str, bool)> = parts.iter().map(|s| (s.text.as_str(), s.strong)).collect();
        assert_eq!(
            shown,
            [
                ("Call ", false),
                ("1-866-315-5718", true),
                (" or write to ", false),
                ("a@b.gov", true),
                (".", false)
            ]
        );
        assert_eq!(segments("Nothing here.", &["x@y.z"]).len(), 1);
    }

    #[test]
    fn source_numbers_are_written_as_ranges() {
        let set = |v: &[usize]| v.iter().copied().collect::<BTreeSet<_>>();
        assert_eq!(number_ranges(&set(&[])), "");
        assert_eq!(number_ranges(&set(&[2])), "2");
        assert_eq!(number_ranges(&set(&[1, 2])), "1, 2");
        assert_eq!(number_ranges(&set(&[1, 2, 3, 5])), "1–3, 5");
        assert_eq!(
            number_ranges(&set(&[1, 3, 4, 5, 6, 9, 10])),
            "1, 3–6, 9, 10"
        );
    }
}
