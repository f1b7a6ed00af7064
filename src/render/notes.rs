//! Source notes: the numbered list of sources at the end of a page, and the number each
//! sourced statement's marker shows.
//!
//! A page shows one small marker after each sourced statement (a fact, a contact, a wait, a
//! rule), in place of a line of links. The marker links to a note at the end of the page that names
//! each source, quotes it and links to the quoted line. Statements that rest on the same
//! lines share one note, as Wikipedia reuses a footnote.
//!
//! The notes of a page are numbered here, in the order the default theme shows the
//! statements, so that numbers rise down the page. A template finds a statement's number
//! with the `note` filter (`list | note(notes=notes)`), which looks it up by the lines the
//! list cites; a list that the page's notes do not hold is a template error, so a marker
//! can never point at a missing note. A theme that orders its page differently still gets
//! correct numbers, only not rising ones.
//!
//! A note links back to the parts of the page that cite it, by their names: the same keys
//! of the string table as the headings the templates show (`sections.good_to_know`), or the
//! heading's short form (`office.tiers.short`), so each word is written once.

use std::collections::BTreeMap;

use serde::Serialize;
use tera::{Kwargs, State, TeraResult, Value};

use crate::load::schema::Field;
use crate::model::diff::Diff;
use crate::model::parts::contacts;
use crate::model::{
    Channel, Citation, Link, Office, PartView, Path, PrefixRow, Site, Version, Withdrawn,
};
use crate::strings::Strings;

/// The numbered notes of one page.
#[derive(Debug, Default, Serialize)]
pub struct Notes {
    /// The notes, numbered from 1 in the order of their first marker.
    pub list: Vec<Note>,
    /// The number of each note, by the key of the lines it cites (see [`key`]).
    pub numbers: BTreeMap<String, usize>,
    /// True when the page's "older rules" part cites anything: older values or wording.
    pub older_rules: bool,
    /// On a page of another language than the default: the default language's code, which
    /// the quotes are in (they stay as their source words them).
    pub quotes_lang: Option<String>,
}

/// `notes` of a page of `site`, with the language of their quotes when it is not the
/// page's.
pub fn in_language(mut notes: Notes, site: &Site) -> Notes {
    if !site.info.prefix.is_empty() {
        notes.quotes_lang = site.info.languages.first().map(|l| l.code.clone());
    }
    notes
}

/// One note: the sources behind one or more statements of the page.
#[derive(Debug, Serialize)]
pub struct Note {
    /// Its number, from 1.
    pub number: usize,
    /// Its parts: the statement's sources, then, for a fact or contact that a version
    /// withdraws, the words of that version that withdraw it.
    pub parts: Vec<NotePart>,
    /// The parts of the page whose statements cite it, to link back to, in page order.
    pub used_in: Vec<Place>,
}

/// A group of cited lines within a note.
#[derive(Debug, Serialize)]
pub struct NotePart {
    /// `sources` (what backs the statement) or `withdrawn` (where a version withdraws the
    /// fact or contact).
    pub kind: &'static str,
    /// For `withdrawn`: the version that withdraws it.
    pub version: Option<Link>,
    /// For `withdrawn`: what that version says instead.
    pub note: Option<String>,
    /// The cited lines, each once, in the order first cited, grouped by what they say: lines
    /// of different sources that say the same words share a group and show them once.
    pub groups: Vec<QuoteGroup>,
    /// The cited lines while the page is read (made into `groups` at the end).
    #[serde(skip)]
    lines: Vec<CitedLine>,
}

/// Lines that say the same words, and those words.
#[derive(Debug, Serialize, PartialEq)]
pub struct QuoteGroup {
    /// The lines.
    pub lines: Vec<CitedLine>,
    /// The quoted words, each once.
    pub quotes: Vec<String>,
}

/// One cited line of a source, with every passage the statements quote from it.
#[derive(Debug, Serialize, PartialEq)]
pub struct CitedLine {
    /// The source document.
    pub source: Link,
    /// Site-relative link to the line (or to the source page when no line is known).
    pub href: String,
    /// The line number.
    pub line: Option<usize>,
    /// The section of the source, as the content names it.
    pub section: Option<String>,
    /// The quoted words, each once (shown by its group).
    #[serde(skip)]
    quotes: Vec<String>,
    /// True when the source is not an official one.
    pub unverified: bool,
}

/// A part of the page a note links back to.
#[derive(Debug, Serialize, Clone, PartialEq)]
pub struct Place {
    /// The id of the part on the page.
    pub anchor: String,
    /// Its name, for the link ("Step 2").
    pub label: String,
}

/// The key of a statement's sources: the lines it cites, sorted, then the lines of `also`
/// (where a withdrawn fact or contact's withdrawal is stated). Only the lines count, not the quotes or
/// their order, so statements that cite the same lines share one note that shows each quote.
pub fn key<'a>(lists: impl IntoIterator<Item = impl IntoIterator<Item = &'a str>>) -> String {
    let lists: Vec<String> = lists
        .into_iter()
        .map(|list| {
            let mut hrefs: Vec<&str> = list.into_iter().collect();
            hrefs.sort_unstable();
            hrefs.dedup();
            hrefs.join(" ")
        })
        .collect();
    lists.join(" + ")
}

/// The Tera filter `note`: the number of the note of a citation list on this page.
///
/// `{{ list | note(notes=notes) }}`, or with `also=` a second list (the citations of a
/// fact's or contact's withdrawal). Fails when the page's notes have no such note: the theme shows a statement
/// that [`of_page`] does not number.
pub fn note_filter(list: Value, kwargs: Kwargs, _: &State) -> TeraResult<Value> {
    let notes: Value = kwargs.must_get("notes")?;
    let also: Option<Value> = kwargs.get("also")?;
    let hrefs = |value: &Value| -> Vec<String> {
        value
            .as_array()
            .unwrap_or_default()
            .iter()
            .filter_map(|c| c.get_from_path("href").and_then(|h| h.as_str()))
            .map(str::to_string)
            .collect()
    };
    let mut lists = vec![hrefs(&list)];
    if let Some(also) = also.filter(|a| a.as_array().is_some_and(|a| !a.is_empty())) {
        lists.push(hrefs(&also));
    }
    let key = key(lists.iter().map(|l| l.iter().map(String::as_str)));
    notes
        .get_from_path("numbers")
        .and_then(Value::as_map)
        .and_then(|numbers| numbers.iter().find(|(k, _)| k.as_str() == Some(&key)))
        .map(|(_, number)| number.clone())
        .ok_or_else(|| {
            tera::Error::message(format!(
                "no source note on this page for the citations `{key}`: a page numbers \
                 the sources of what its kind of page shows, not of other entities"
            ))
        })
}

/// Numbers the notes of a page as it is read: one note per set of cited lines.
struct Book<'a> {
    notes: Notes,
    place: Option<Place>,
    /// The string table, for the names of the parts of the page.
    strings: &'a Strings,
}

impl<'a> Book<'a> {
    /// A book with no notes yet.
    fn new(strings: &'a Strings) -> Self {
        Book {
            notes: Notes::default(),
            place: None,
            strings,
        }
    }

    /// The statements cited from now on are in the part `anchor`, named by the text of
    /// `key` in the string table.
    fn part(&mut self, anchor: &str, key: &str) {
        let label = self.strings.get(key).to_string();
        self.place(anchor, label);
    }

    /// The statements cited from now on are in this part of the page.
    fn place(&mut self, anchor: &str, label: impl Into<String>) {
        self.place = Some(Place {
            anchor: anchor.to_string(),
            label: label.into(),
        });
    }

    /// A statement with its sources.
    fn cite(&mut self, citations: &[Citation]) {
        self.cite_withdrawn(citations, None);
    }

    /// A fact or contact: its sources and, when a version withdraws it, the words that do.
    fn statement(&mut self, citations: &[Citation], withdrawn: Option<&Withdrawn>) {
        self.cite_withdrawn(
            citations,
            withdrawn.map(|w| (&w.version, &w.note, w.citations.as_slice())),
        );
    }

    fn cite_withdrawn(
        &mut self,
        citations: &[Citation],
        withdrawn: Option<(&Link, &Option<String>, &[Citation])>,
    ) {
        if citations.is_empty() {
            return;
        }
        let withdrawn = withdrawn.filter(|(_, _, c)| !c.is_empty());
        if self.place.as_ref().is_some_and(|p| p.anchor == OLDER_RULES) {
            self.notes.older_rules = true;
        }
        let key = key(std::iter::once(citations)
            .chain(withdrawn.map(|(_, _, c)| c))
            .map(|list| list.iter().map(|c| c.href.as_str())));
        let place = self.place.clone();
        let list = &mut self.notes.list;
        let number = *self.notes.numbers.entry(key).or_insert_with(|| {
            let mut parts = vec![part("sources", None, None, citations)];
            if let Some((version, note, citations)) = withdrawn {
                parts.push(part(
                    "withdrawn",
                    Some(version.clone()),
                    note.clone(),
                    citations,
                ));
            }
            list.push(Note {
                number: list.len() + 1,
                parts,
                used_in: Vec::new(),
            });
            list.len()
        });
        let note = &mut self.notes.list[number - 1];
        if let Some(place) = place {
            if !note.used_in.contains(&place) {
                note.used_in.push(place);
            }
        }
        // Statements quoting other words of the same lines add their quotes.
        for c in citations {
            let line = note.parts[0].lines.iter_mut().find(|l| l.href == c.href);
            if let (Some(line), Some(quote)) = (line, &c.quote) {
                if !line.quotes.contains(quote) {
                    line.quotes.push(quote.clone());
                }
            }
        }
    }

    /// Each part with its sources (a fact or contact also with the words that withdraw
    /// it), then the parts inside it (a tier's facts).
    fn parts<'p>(&mut self, parts: impl Iterator<Item = PartView<'p>>) {
        for part in parts {
            self.statement(part.citations(), part.withdrawn());
            self.parts(part.inner());
        }
    }

    /// The older wording of each part and of the parts inside it, for the "older rules"
    /// part of the page, which shows each with its sources only (a withdrawal is shown with
    /// the newest wording).
    fn earlier<'p>(&mut self, parts: impl Iterator<Item = PartView<'p>>) {
        for part in parts {
            for earlier in part.earlier() {
                self.cite(earlier.citations());
            }
            self.earlier(part.inner());
        }
    }

    /// The top of an office or channel page: its other names, then its own sources.
    fn opening(&mut self, parts: &[PartView<'_>], citations: &[Citation]) {
        self.part(TOP, TOP_LABEL);
        self.parts(of_field(parts, Field::OtherNames));
        self.cite(citations);
    }

    /// The parts of a record in the sections of its page, in page order.
    fn sections(&mut self, parts: &[PartView<'_>], sections: &[Section]) {
        for section in sections {
            self.part(section.anchor, section.label);
            for &field in section.fields {
                self.parts(of_field(parts, field));
            }
        }
    }

    /// The older wording of the parts of a record, in the order of its page's sections.
    fn older(&mut self, parts: &[PartView<'_>], sections: &[Section]) {
        self.part(OLDER_RULES, OLDER_RULES_LABEL);
        for section in sections {
            for &field in section.fields {
                self.earlier(of_field(parts, field));
            }
        }
    }

    fn prefixes(&mut self, prefixes: &[PrefixRow]) {
        for row in prefixes {
            self.cite(&row.citations);
        }
    }

    fn finish(mut self) -> Notes {
        for part in self.notes.list.iter_mut().flat_map(|n| &mut n.parts) {
            for line in std::mem::take(&mut part.lines) {
                match part.groups.iter_mut().find(|g| g.quotes == line.quotes) {
                    Some(group) => group.lines.push(line),
                    None => part.groups.push(QuoteGroup {
                        quotes: line.quotes.clone(),
                        lines: vec![line],
                    }),
                }
            }
        }
        self.notes
    }
}

/// A part of a note: the lines of `citations`, each once, with their quotes.
fn part(
    kind: &'static str,
    version: Option<Link>,
    note: Option<String>,
    citations: &[Citation],
) -> NotePart {
    let mut lines: Vec<CitedLine> = Vec::new();
    for c in citations {
        match lines.iter_mut().find(|l| l.href == c.href) {
            Some(line) => {
                if let Some(quote) = &c.quote {
                    if !line.quotes.contains(quote) {
                        line.quotes.push(quote.clone());
                    }
                }
            }
            None => lines.push(CitedLine {
                source: c.source.clone(),
                href: c.href.clone(),
                line: c.line,
                section: c.section.clone(),
                quotes: c.quote.iter().cloned().collect(),
                unverified: c.unverified,
            }),
        }
    }
    NotePart {
        kind,
        version,
        note,
        groups: Vec::new(),
        lines,
    }
}

/// The id of the top of every page's content, where the first statements are.
const TOP: &str = "main";
/// The key of the label of the top of the page, for the links back from the notes.
const TOP_LABEL: &str = "notes.top";
/// The id of the part of a page that shows what older versions of the rules said.
pub const OLDER_RULES: &str = "older-rules";
/// The key of its heading.
const OLDER_RULES_LABEL: &str = "older_rules.heading";

/// The parts of the list `field`, in order.
fn of_field<'a, 'p>(
    parts: &'a [PartView<'p>],
    field: Field,
) -> impl Iterator<Item = PartView<'p>> + 'a {
    parts.iter().copied().filter(move |p| p.field == field)
}

/// A part of an office's or channel's page that shows some lists of the record.
struct Section {
    /// Its id on the page.
    anchor: &'static str,
    /// The key of its name in the string table.
    label: &'static str,
    /// The lists it shows, in page order.
    fields: &'static [Field],
}

/// The sections of office.html, from the top, after the office's names and sources.
const OFFICE_PAGE: [Section; 4] = [
    Section {
        anchor: "contacts",
        label: "reach.how",
        fields: &[Field::Hours, Field::Contacts],
    },
    Section {
        anchor: "who-it-serves",
        label: "office.who_it_serves",
        fields: &[Field::Jurisdiction],
    },
    Section {
        anchor: "tiers",
        label: "office.tiers.short",
        fields: &[Field::Tiers],
    },
    Section {
        anchor: "good-to-know",
        label: "sections.good_to_know",
        fields: &[Field::Facts],
    },
];

/// The sections of channel.html, from the top, after the channel's names and sources.
const CHANNEL_PAGE: [Section; 5] = [
    Section {
        anchor: "contacts",
        label: "reach.how",
        fields: &[Field::Hours, Field::Contacts],
    },
    Section {
        anchor: "who-can-use-it",
        label: "channel.who",
        fields: &[Field::Who],
    },
    Section {
        anchor: "response-time",
        label: "channel.response_time",
        fields: &[Field::ResponseTime],
    },
    Section {
        anchor: "limits",
        label: "channel.limits",
        fields: &[Field::Limits],
    },
    Section {
        anchor: "good-to-know",
        label: "sections.good_to_know",
        fields: &[Field::Facts],
    },
];

/// The notes of a path page, in the order path.html shows its statements.
pub fn of_path(path: &Path, strings: &Strings) -> Notes {
    let mut book = Book::new(strings);
    book.part(TOP, TOP_LABEL);
    book.cite(&path.citations);
    for step in &path.steps {
        book.place(&step.id, strings.fill("path.step", &[("n", &step.number)]));
        if let Some(wait) = &step.wait {
            book.cite(&wait.citations);
        }
        book.parts(contacts(&step.contacts));
        book.cite(&step.citations);
        book.parts(step.parts());
        if let Some(response) = &step.response {
            book.cite(&response.citations);
        }
    }
    book.part("good-to-know", "sections.good_to_know");
    book.parts(path.parts());
    book.part(OLDER_RULES, OLDER_RULES_LABEL);
    for step in &path.steps {
        for wait in step.wait.iter().chain(&step.response) {
            for other in &wait.others {
                book.cite(&other.citations);
            }
        }
        book.earlier(contacts(&step.contacts));
        book.earlier(step.parts());
    }
    book.earlier(path.parts());
    book.finish()
}

/// The notes of an office page, in the order office.html shows its statements.
/// `prefixes` is the receipt-prefix table the page shows, if it shows one.
pub fn of_office(office: &Office, prefixes: &[PrefixRow], strings: &Strings) -> Notes {
    let mut book = Book::new(strings);
    let parts: Vec<PartView<'_>> = office.parts().collect();
    book.opening(&parts, &office.citations);
    book.sections(&parts, &OFFICE_PAGE);
    book.part("receipt-heading", "receipt.short");
    book.prefixes(prefixes);
    book.older(&parts, &OFFICE_PAGE);
    book.finish()
}

/// The notes of a channel page, in the order channel.html shows its statements.
pub fn of_channel(channel: &Channel, strings: &Strings) -> Notes {
    let mut book = Book::new(strings);
    let parts: Vec<PartView<'_>> = channel.parts().collect();
    book.opening(&parts, &channel.citations);
    book.sections(&parts, &CHANNEL_PAGE);
    book.older(&parts, &CHANNEL_PAGE);
    book.finish()
}

/// The notes of the home page: the receipt-prefix table.
pub fn of_home(site: &Site) -> Notes {
    let mut book = Book::new(&site.strings);
    book.part("receipt-heading", "receipt.short");
    book.prefixes(&site.prefixes);
    book.finish()
}

/// The notes of a policy version's page: its sources, then each rule it states (or
/// withdraws), then each rule it carries over from an older version.
pub fn of_version(version: &Version, strings: &Strings) -> Notes {
    let mut book = Book::new(strings);
    book.part(TOP, TOP_LABEL);
    book.cite(&version.citations);
    book.part("rules", "version.rules");
    for parameter in &version.parameters {
        book.cite(&parameter.citations);
    }
    book.part("carried-over", "version.carried_over.short");
    for parameter in &version.carried_over {
        book.cite(&parameter.citations);
    }
    book.finish()
}

/// The notes of a diff page: where each version states (or withdraws) each changed rule,
/// then the words that withdraw a statement of an office, channel or path.
pub fn of_diff(diff: &Diff, strings: &Strings) -> Notes {
    let mut book = Book::new(strings);
    book.part("rules", "diff.rules");
    for change in &diff.parameters {
        book.cite(&change.old_sources);
        book.cite(&change.new_sources);
    }
    book.part("records", "diff.records");
    for record in &diff.records {
        for statement in &record.withdrawn {
            book.cite(&statement.by.citations);
        }
    }
    book.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn citation(href: &str, quote: &str) -> Citation {
        Citation {
            source: Link {
                kind: "source",
                id: "s".into(),
                name: "S".into(),
                url: "sources/s/index.html".into(),
            },
            href: href.into(),
            line: Some(1),
            quote: Some(quote.into()),
            section: None,
            unverified: false,
            version: None,
        }
    }

    #[test]
    fn statements_citing_the_same_lines_share_a_note_with_every_quote() {
        let strings = Strings::default();
        let mut book = Book::new(&strings);
        book.place("a", "A");
        book.cite(&[citation("s#L1", "one")]);
        book.place("b", "B");
        book.cite(&[citation("s#L2", "two")]);
        book.cite(&[citation("s#L1", "other words")]);
        let notes = book.finish();
        assert_eq!(notes.list.len(), 2);
        assert_eq!(notes.numbers["s#L1"], 1);
        assert_eq!(notes.numbers["s#L2"], 2);
        let first = &notes.list[0];
        assert_eq!(first.parts[0].groups[0].quotes, ["one", "other words"]);
        let places: Vec<&str> = first.used_in.iter().map(|p| p.anchor.as_str()).collect();
        assert_eq!(places, ["a", "b"]);
    }

    #[test]
    fn the_filter_finds_the_number_the_book_gave_and_refuses_an_unnumbered_list() {
        let strings = Strings::default();
        let mut book = Book::new(&strings);
        book.cite(&[citation("s#L1", "one"), citation("s#L5", "five")]);
        book.cite(&[citation("s#L9", "nine")]);
        let mut tera = tera::Tera::default();
        tera.register_filter("note", note_filter);
        tera.add_raw_template(
            "t",
            "{{ a | note(notes=notes) }}|{{ b | note(notes=notes) }}",
        )
        .unwrap();
        let mut context = tera::Context::new();
        context.insert_value("notes", Value::from_serializable(&book.finish()));
        // The order of a statement's sources does not matter, nor its quotes.
        context.insert("a", &[citation("s#L5", "y"), citation("s#L1", "x")]);
        context.insert("b", &[citation("s#L9", "nine")]);
        assert_eq!(tera.render("t", &context).unwrap(), "1|2");
        context.insert("b", &[citation("s#L7", "seven")]);
        let error = tera.render("t", &context).unwrap_err();
        assert!(
            format!("{error:?}").contains("no source note on this page for the citations `s#L7`")
        );
    }
}
