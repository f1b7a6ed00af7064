//! Stage 2, **validate**: check the loaded content as a whole before anything is built.
//!
//! Every rule that spans records lives here: ids are kebab-case and unique per kind; every
//! record and every fact names at least one source; every cited source exists and, when a
//! quote is given, really contains the quoted words; every reference (`office:`,
//! `channel:`, `parent:`, a wait's `parameter:`) resolves, with a "did you mean" hint when
//! it does not. All problems are collected, so one run reports them all.
//!
//! The output of this stage is the same [`Content`] plus the source slices the quotes were
//! checked against, which [`crate::model`] uses to resolve the site.

mod declarations;
mod flowchart;
mod links;
mod urls;
mod usage;

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use crate::diagnostic::{nearest, Diagnostic, Diagnostics, Location, SourceFile};
use crate::load::schema::*;
use crate::load::{at, Content, DataFile};

/// The part of a source file a source record covers.
#[derive(Debug, Clone)]
pub struct SourceSlice {
    /// The exact text of the part.
    pub text: String,
    /// The 1-based line of the file the part starts on.
    pub first_line: usize,
    /// The text with whitespace collapsed and `*` removed, for quote checks.
    pub normalized: String,
    /// For each line of the text, the byte offset in `normalized` where it starts.
    line_starts: Vec<usize>,
    /// Quotes already looked up, with their lines: the same quote is cited by every
    /// policy version that states the fact.
    found: Arc<Mutex<HashMap<String, Option<usize>>>>,
}

impl SourceSlice {
    /// Cuts a slice from the text of a part of a file that starts at `first_line`.
    pub fn new(text: String, first_line: usize) -> Self {
        let mut normalized = String::with_capacity(text.len());
        let mut line_starts = Vec::new();
        for line in text.split('\n') {
            line_starts.push(normalized.len() + usize::from(!normalized.is_empty()));
            let words = normalize_quote(line);
            if !words.is_empty() {
                if !normalized.is_empty() {
                    normalized.push(' ');
                }
                normalized.push_str(&words);
            }
        }
        SourceSlice {
            text,
            first_line,
            normalized,
            line_starts,
            found: Arc::default(),
        }
    }

    /// The file line on which `quote` starts, if the slice contains it.
    pub fn line_of(&self, quote: &str) -> Option<usize> {
        let mut found = self.found.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(line) = found.get(quote) {
            return *line;
        }
        let line = self.find_line(quote);
        found.insert(quote.to_string(), line);
        line
    }

    fn find_line(&self, quote: &str) -> Option<usize> {
        let needle = normalize_quote(quote);
        let at = memchr::memmem::find(self.normalized.as_bytes(), needle.as_bytes())?;
        let index = self.line_starts.partition_point(|&start| start <= at);
        Some(self.first_line + index.saturating_sub(1))
    }
}

/// Content that passed validation, with the text of every source record.
#[derive(Debug)]
pub struct Validated {
    /// The content as loaded.
    pub content: Content,
    /// Each source record's slice of its file, by source id.
    pub slices: BTreeMap<String, SourceSlice>,
    /// What validation warns about: the site can be built, but these are probably mistakes.
    pub warnings: Diagnostics,
}

/// Checks the content; returns it with the source slices, or every problem found,
/// after the problems the load stage found (`load_errors`).
pub fn validate(content: Content, load_errors: Diagnostics) -> Result<Validated, Diagnostics> {
    SUGGESTIONS.with(|left| left.set(SUGGESTION_BUDGET));
    let mut diagnostics = load_errors;
    let slices = check_sources(&content, &mut diagnostics);

    check_ids(&content.sources, |r| &r.id, "source", &mut diagnostics);
    check_ids(&content.offices, |r| &r.id, "office", &mut diagnostics);
    check_ids(&content.channels, |r| &r.id, "channel", &mut diagnostics);
    check_ids(
        &content.policies,
        |r| &r.id,
        "policy version",
        &mut diagnostics,
    );
    check_ids(&content.paths, |r| &r.id, "path", &mut diagnostics);
    check_ids(
        &content.flowchart,
        |r| &r.id,
        "flowchart node",
        &mut diagnostics,
    );

    let citations = Citations {
        slices: &slices,
        ids: content.sources.ids(|r| &r.id),
        sources_failed: content.failed("sources.yaml"),
    };
    for_each_sourced(&content, |file, item| {
        citations.check(file, item, &mut diagnostics)
    });

    check_references(&content, &mut diagnostics);
    declarations::check_declarations(&content, &mut diagnostics);
    check_waits_per_version(&content, &mut diagnostics);
    check_policies(&content, &mut diagnostics);
    check_withdrawals(&content, &mut diagnostics);
    check_placeholders(&content, &mut diagnostics);
    check_prefixes(&content, &mut diagnostics);
    check_site(&content, &mut diagnostics);
    flowchart::validate(&content, &mut diagnostics);
    urls::check_page_urls(&content, &mut diagnostics);
    links::check_page_links(&content, &mut diagnostics);
    usage::warn_unused(&content, &mut diagnostics);
    note_skipped_checks(&content, &mut diagnostics);

    if diagnostics.has_errors() {
        // The errors first: the warnings come once they are fixed.
        diagnostics.0.retain(|d| !d.is_warning());
        return Err(diagnostics);
    }
    Ok(Validated {
        content,
        slices,
        warnings: diagnostics,
    })
}

/// Adds a note to the first error about each file that failed to load, saying which checks
/// wait for it: references into a data file that failed are not reported one by one (each
/// would be a false "unknown office"), nor quotes from a source text that could not be read.
fn note_skipped_checks(content: &Content, diagnostics: &mut Diagnostics) {
    let data_files = content.data_files();
    let mut notes: Vec<(String, String)> = Vec::new();
    for name in &content.failed {
        let (what, keys, link): (&str, &[&str], &str) = match name.as_str() {
            "sources.yaml" => ("sources", &["source"], "@source/"),
            "offices.yaml" => ("offices", &["office"], "@office/"),
            "channels.yaml" => ("channels", &["channel"], "@channel/"),
            "policies.yaml" => ("policy parameters", &["parameter", "published_per"], "\0"),
            "paths.yaml" => ("paths", &["path", "step"], "@path/"),
            _ => continue,
        };
        let path = format!("content/data/{name}");
        let in_data: usize = data_files
            .iter()
            .filter(|f| f.path != path)
            .flat_map(|f| f.text.lines())
            .filter(|line| {
                let line = line.trim_start();
                let line = line.strip_prefix("- ").unwrap_or(line).trim_start();
                keys.iter()
                    .any(|k| line.strip_prefix(k).is_some_and(|r| r.starts_with(':')))
            })
            .count();
        let in_pages: usize = content
            .pages
            .iter()
            .map(|p| p.body().matches(link).count())
            .sum();
        let n = in_data + in_pages;
        if n > 0 {
            notes.push((
                path,
                format!(
                    "{n} reference{} to {what} in other files {} not checked until this file loads",
                    if n == 1 { "" } else { "s" },
                    if n == 1 { "is" } else { "are" },
                ),
            ));
        }
    }
    for name in &content.failed_documents {
        let ids: Vec<&str> = content
            .sources
            .records
            .iter()
            .filter(|r| &r.file.value == name)
            .map(|r| r.id.value.as_str())
            .collect();
        let mut n = 0;
        for_each_sourced(content, |_, item| {
            n += item
                .sources
                .iter()
                .filter(|s| s.quote.is_some() && ids.contains(&s.source.value.as_str()))
                .count();
        });
        if n > 0 {
            notes.push((
                format!("content/sources/{name}"),
                format!(
                    "{n} quote{} from this text {} not checked until it can be read",
                    if n == 1 { "" } else { "s" },
                    if n == 1 { "is" } else { "are" },
                ),
            ));
        }
    }
    for (path, note) in notes {
        let about = |d: &Diagnostic| match &d.location {
            Some(location) => location.file.path == path,
            None => d.message.starts_with(&path),
        };
        if let Some(first) = diagnostics
            .0
            .iter_mut()
            .find(|d| !d.is_warning() && about(d))
        {
            first.notes.push(note);
        }
    }
}

/// A record or fact that must name its sources.
pub struct Sourced<'a> {
    /// What it is, for the message ("office `help-desk`", "fact").
    pub what: String,
    /// Where it is.
    pub at: &'a serde_saphyr::Location,
    /// How many characters to underline.
    pub len: usize,
    /// Its citations.
    pub sources: &'a [SourceRef],
}

/// Calls `visit` for every record, fact, contact, tier, name and parameter of the data
/// files, each with its file.
pub fn for_each_sourced<'a>(
    content: &'a Content,
    mut visit: impl FnMut(&'a SourceFile, Sourced<'a>),
) {
    let record = |kind: &str, id: &'a Spanned<String>, sources: &'a [SourceRef]| Sourced {
        what: format!("{kind} `{}`", id.value),
        at: &id.referenced,
        len: id.value.chars().count(),
        sources,
    };
    // A fact or contact, and the withdrawal of it when a newer version withdraws it.
    let with_withdrawal = |item: Sourced<'a>, withdrawn: &'a Option<Withdrawal>| {
        let withdrawal = withdrawn.as_ref().map(|w| Sourced {
            what: format!("the withdrawal of {}", item.what),
            at: item.at,
            len: item.len,
            sources: &w.sources,
        });
        std::iter::once(item).chain(withdrawal)
    };
    let fact = move |f: &'a Fact| {
        let item = Sourced {
            what: "this fact".to_string(),
            at: &f.text.referenced,
            len: f.text.value.chars().count(),
            sources: &f.sources,
        };
        with_withdrawal(item, &f.withdrawn)
    };
    let contact = move |c: &'a Contact| {
        let item = Sourced {
            what: format!("contact `{}`", c.value.value),
            at: &c.value.referenced,
            len: c.value.value.chars().count(),
            sources: &c.sources,
        };
        with_withdrawal(item, &c.withdrawn)
    };
    let name = |n: &'a OtherName| Sourced {
        what: format!("name `{}`", n.name.value),
        at: &n.name.referenced,
        len: n.name.value.chars().count(),
        sources: &n.sources,
    };

    let file = &content.offices.file;
    for office in &content.offices.records {
        visit(file, record("office", &office.id, &office.sources));
        office.other_names.iter().for_each(|n| visit(file, name(n)));
        office
            .contacts
            .iter()
            .flat_map(contact)
            .for_each(|c| visit(file, c));
        for list in [&office.hours, &office.jurisdiction, &office.facts] {
            list.iter().flat_map(fact).for_each(|f| visit(file, f));
        }
        for tier in &office.tiers {
            visit(
                file,
                Sourced {
                    what: format!("tier `{}`", tier.name.value),
                    at: &tier.name.referenced,
                    len: tier.name.value.chars().count(),
                    sources: &tier.sources,
                },
            );
            tier.can
                .iter()
                .chain(&tier.cannot)
                .flat_map(fact)
                .for_each(|f| visit(file, f));
        }
    }
    let file = &content.channels.file;
    for channel in &content.channels.records {
        visit(file, record("channel", &channel.id, &channel.sources));
        channel
            .other_names
            .iter()
            .for_each(|n| visit(file, name(n)));
        channel
            .contacts
            .iter()
            .flat_map(contact)
            .for_each(|c| visit(file, c));
        for list in [
            &channel.who,
            &channel.response_time,
            &channel.hours,
            &channel.limits,
            &channel.facts,
        ] {
            list.iter().flat_map(fact).for_each(|f| visit(file, f));
        }
    }
    let file = &content.policies.file;
    for policy in &content.policies.records {
        visit(file, record("policy version", &policy.id, &policy.sources));
        for (key, parameter) in &policy.parameters {
            visit(
                file,
                Sourced {
                    what: format!("parameter `{key}`"),
                    at: parameter.location().unwrap_or(&policy.id.referenced),
                    len: 1,
                    sources: &parameter.sources,
                },
            );
        }
    }
    let file = &content.paths.file;
    for path in &content.paths.records {
        visit(file, record("path", &path.id, &path.sources));
        path.facts
            .iter()
            .flat_map(fact)
            .for_each(|f| visit(file, f));
        for step in &path.steps {
            visit(file, record("step", &step.id, &step.sources));
            for list in [&step.text, &step.have_ready, &step.record] {
                list.iter().flat_map(fact).for_each(|f| visit(file, f));
            }
        }
    }
    let file = &content.flowchart.file;
    for node in &content.flowchart.records {
        visit(file, record("flowchart node", &node.id, &node.sources));
        node.facts
            .iter()
            .flat_map(fact)
            .for_each(|f| visit(file, f));
    }
}

/// Checks citations against the known sources and their texts.
struct Citations<'a> {
    slices: &'a BTreeMap<String, SourceSlice>,
    ids: Vec<&'a str>,
    /// When `sources.yaml` failed to load, unknown sources are not reported again.
    sources_failed: bool,
}

impl Citations<'_> {
    fn check(&self, file: &SourceFile, item: Sourced<'_>, diagnostics: &mut Diagnostics) {
        if item.sources.is_empty() {
            diagnostics.push(
                Diagnostic::at(
                    at(file, item.at, item.len),
                    format!("{} has no source", item.what),
                )
                .with_label("no `sources:` for this")
                .with_hint(
                    "every fact names the document it comes from: add `sources:` with \
                     `- source: <id>` and a `quote:` from that document",
                ),
            );
        }
        for citation in item.sources {
            let id = &citation.source;
            let Some(slice) = self.slices.get(&id.value) else {
                if !self.sources_failed && !self.ids.contains(&id.value.as_str()) {
                    diagnostics.push(unknown_reference(
                        at(file, &id.referenced, id.value.chars().count()),
                        "source",
                        &id.value,
                        self.ids.iter().copied(),
                    ));
                }
                continue;
            };
            if let Some(quote) = &citation.quote {
                let quote_at = || at(file, &quote.referenced, quote.value.chars().count());
                let words = quote.value.split_whitespace().count();
                if words == 0 {
                    diagnostics.push(
                        Diagnostic::at(
                            at(file, &quote.referenced, 2),
                            format!("this quote from `{}` is empty", id.value),
                        )
                        .with_label("no words quoted")
                        .with_hint(
                            "copy the words of the source that state this, or remove the \
                             `quote:` line",
                        ),
                    );
                    continue;
                }
                if words < MIN_QUOTE_WORDS {
                    diagnostics.push(
                        Diagnostic::warning_at(
                            quote_at(),
                            format!(
                                "this quote from `{}` is only {words} word{} long",
                                id.value,
                                if words == 1 { "" } else { "s" }
                            ),
                        )
                        .with_label("too short to show that the source says this")
                        .with_hint(format!(
                            "quote at least {MIN_QUOTE_WORDS} words: the phrase or sentence of \
                             the source that states it, so a reader can find it there"
                        )),
                    );
                }
                if slice.line_of(&quote.value).is_none() {
                    diagnostics.push(
                        Diagnostic::at(
                            quote_at(),
                            format!("quote not found in source `{}`", id.value),
                        )
                        .with_label("these words are not in the source text")
                        .with_hint(
                            "copy the words exactly from the source (spaces, line breaks \
                             and `*` do not matter; punctuation and spelling do)",
                        ),
                    );
                }
            }
        }
    }
}

/// The fewest words a quote should have; a shorter one is a warning.
pub const MIN_QUOTE_WORDS: usize = 3;

/// Every citation of a step: its own and its facts'.
pub fn step_sources(step: &StepRecord) -> Vec<SourceRef> {
    let facts = step.text.iter().chain(&step.have_ready).chain(&step.record);
    step.sources
        .iter()
        .chain(facts.flat_map(|f| &f.sources))
        .cloned()
        .collect()
}

/// Collapses whitespace and removes Markdown `*` so quotes match across line breaks.
pub fn normalize_quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().filter(|c| *c != '*'));
    }
    out
}

/// Checks that each source record's file exists and its start/end lines are found, and
/// cuts the slices.
fn check_sources(
    content: &Content,
    diagnostics: &mut Diagnostics,
) -> BTreeMap<String, SourceSlice> {
    let data = &content.sources;
    let mut slices = BTreeMap::new();
    for record in &data.records {
        let file_name = &record.file;
        let Some(document) = content.documents.get(&file_name.value) else {
            if content.failed_documents.contains(&file_name.value) {
                continue; // Reported once, as a file that could not be read.
            }
            diagnostics.push(unknown_reference(
                data.at(&file_name.referenced, file_name.value.chars().count()),
                "file in content/sources/",
                &file_name.value,
                content.documents.keys().map(String::as_str),
            ));
            continue;
        };
        let lines: Vec<&str> = document.text.split_inclusive('\n').collect();
        let find = |marker: &Spanned<String>, from: usize| {
            lines
                .iter()
                .skip(from)
                .position(|l| l.trim_end_matches(['\n', '\r']).trim() == marker.value.trim())
                .map(|i| i + from)
        };
        let start = match &record.starts_at_line {
            Some(marker) => find(marker, 0).or_else(|| {
                diagnostics.push(marker_not_found(data, marker, &file_name.value));
                None
            }),
            None => Some(0),
        };
        let Some(start) = start else { continue };
        let end = match &record.ends_before_line {
            Some(marker) => find(marker, start + 1).or_else(|| {
                diagnostics.push(marker_not_found(data, marker, &file_name.value));
                None
            }),
            None => Some(lines.len()),
        };
        let Some(end) = end else { continue };
        let text: String = lines[start..end].concat();
        slices.insert(record.id.value.clone(), SourceSlice::new(text, start + 1));
    }
    slices
}

fn marker_not_found(
    data: &DataFile<SourceRecord>,
    marker: &Spanned<String>,
    file: &str,
) -> Diagnostic {
    Diagnostic::at(
        data.at(&marker.referenced, marker.value.chars().count()),
        format!("line `{}` not found in {}", marker.value, file),
    )
    .with_label("no line of the source is exactly this")
    .with_hint("copy a whole line of the source file, without its line break")
}

/// Checks that ids are kebab-case and unique within a kind.
fn check_ids<T>(
    data: &DataFile<T>,
    id_of: impl Fn(&T) -> &Spanned<String>,
    kind: &str,
    diagnostics: &mut Diagnostics,
) {
    let mut seen: HashMap<&str, &Spanned<String>> = HashMap::new();
    for record in &data.records {
        let id = id_of(record);
        let len = id.value.chars().count();
        if !is_kebab_case(&id.value) {
            diagnostics.push(
                Diagnostic::at(data.at(&id.referenced, len), format!("{kind} id `{}` is not kebab-case", id.value))
                    .with_label("ids are used in web addresses")
                    .with_hint("use lower-case letters, digits and single hyphens, e.g. `regional-office-north`"),
            );
        }
        if let Some(first) = seen.get(id.value.as_str()) {
            diagnostics.push(
                Diagnostic::at(
                    data.at(&id.referenced, len),
                    format!("duplicate {kind} id `{}`", id.value),
                )
                .with_label("this id is already used")
                .with_hint(format!(
                    "the first record with this id is at line {}; give each record its own id",
                    first.referenced.line()
                )),
            );
        } else {
            seen.insert(&id.value, id);
        }
    }
}

/// True for `lower-case-words-1`.
pub fn is_kebab_case(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('-')
        && !id.ends_with('-')
        && !id.contains("--")
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// An error for a reference to an id that does not exist, with the nearest id as a hint.
pub fn unknown_reference<'a>(
    location: Location,
    kind: &str,
    wanted: &str,
    known: impl Iterator<Item = &'a str>,
) -> Diagnostic {
    let known: Vec<&str> = known.collect();
    let diagnostic = Diagnostic::at(location, format!("unknown {kind} `{wanted}`"))
        .with_label(format!("no {kind} is called this"));
    // Looking for a near name costs a comparison with every known one: a file with
    // thousands of wrong references gets suggestions for its first few only.
    let near = SUGGESTIONS.with(|left| {
        let n = left.get();
        left.set(n.saturating_sub(1));
        (n > 0).then(|| nearest(wanted, &known)).flatten()
    });
    match near {
        Some(near) => diagnostic.with_hint(format!("did you mean `{near}`?")),
        None if known.is_empty() => diagnostic.with_hint(format!("there is no {kind} yet")),
        None if known.len() > KNOWN_LISTED => diagnostic.with_hint(format!(
            "known: {}, and {} more",
            known[..KNOWN_LISTED].join(", "),
            known.len() - KNOWN_LISTED
        )),
        None => diagnostic.with_hint(format!("known: {}", known.join(", "))),
    }
}

/// How many known names an unknown-reference error lists.
const KNOWN_LISTED: usize = 10;

/// How many unknown references of one validation get a "did you mean" suggestion.
const SUGGESTION_BUDGET: usize = 200;

thread_local! {
    /// The suggestions left to this validation (see [`SUGGESTION_BUDGET`]).
    static SUGGESTIONS: std::cell::Cell<usize> = const { std::cell::Cell::new(SUGGESTION_BUDGET) };
}

/// Every contact of the offices and channels, with its data file.
fn all_contacts(content: &Content) -> impl Iterator<Item = (&SourceFile, &Contact)> {
    let offices = &content.offices;
    let channels = &content.channels;
    offices
        .records
        .iter()
        .flat_map(move |o| o.contacts.iter().map(move |c| (&offices.file, c)))
        .chain(
            channels
                .records
                .iter()
                .flat_map(move |c| c.contacts.iter().map(move |k| (&channels.file, k))),
        )
}

/// Checks `office:`, `channel:`, `parent:` and waits' `parameter:` references.
fn check_references(content: &Content, diagnostics: &mut Diagnostics) {
    let office_ids: Vec<&str> = content.offices.ids(|r| &r.id);
    let channel_ids: Vec<&str> = content.channels.ids(|r| &r.id);
    // A reference into a file that failed to load is not reported again.
    let skip = |kind: &str| match kind {
        "office" => content.failed("offices.yaml"),
        "channel" => content.failed("channels.yaml"),
        _ => content.failed("policies.yaml"),
    };
    let check = |file: &SourceFile, reference: &Spanned<String>, kind: &str, known: &[&str]| {
        (!skip(kind) && !known.contains(&reference.value.as_str())).then(|| {
            unknown_reference(
                at(file, &reference.referenced, reference.value.chars().count()),
                kind,
                &reference.value,
                known.iter().copied(),
            )
        })
    };
    let parameters = content.parameter_names();
    let contacts = all_contacts(content);
    for (file, contact) in contacts {
        if let Some(parameter) = &contact.published_per {
            diagnostics.extend_opt(check(file, parameter, "policy parameter", &parameters));
            let not_yes_no = content.policies.records.iter().any(|p| {
                p.parameters
                    .get(&parameter.value)
                    .and_then(Parameter::value)
                    .is_some_and(|v| !matches!(v, ParamValue::Bool(_)))
            });
            if not_yes_no {
                diagnostics.push(
                    Diagnostic::at(
                        at(file, &parameter.referenced, parameter.value.chars().count()),
                        format!("parameter `{}` is not a yes/no value", parameter.value),
                    )
                    .with_label("`published_per` needs a parameter that is true or false")
                    .with_hint(
                        "name a parameter whose values are `true` or `false` in every version",
                    ),
                );
            }
        }
    }
    for office in &content.offices.records {
        if let Some(parent) = &office.parent {
            diagnostics.extend_opt(check(&content.offices.file, parent, "office", &office_ids));
        }
    }
    for channel in &content.channels.records {
        if let Some(office) = &channel.office {
            diagnostics.extend_opt(check(&content.channels.file, office, "office", &office_ids));
        }
    }
    for path in &content.paths.records {
        let mut step_ids: HashMap<&str, u64> = HashMap::new();
        for step in &path.steps {
            let file = &content.paths.file;
            if let Some(office) = &step.office {
                diagnostics.extend_opt(check(file, office, "office", &office_ids));
            }
            if let Some(channel) = &step.channel {
                diagnostics.extend_opt(check(file, channel, "channel", &channel_ids));
            }
            for wait in step.wait.iter().chain(&step.response) {
                diagnostics.extend_opt(check(
                    file,
                    &wait.parameter,
                    "policy parameter",
                    &parameters,
                ));
            }
            if let Some(line) = step_ids.insert(&step.id.value, step.id.referenced.line()) {
                diagnostics.push(
                    Diagnostic::at(
                        at(file, &step.id.referenced, step.id.value.chars().count()),
                        format!(
                            "duplicate step id `{}` in path `{}`",
                            step.id.value, path.id.value
                        ),
                    )
                    .with_label("this id is already used in this path")
                    .with_hint(format!("the first step with this id is at line {line}")),
                );
            }
            if !is_kebab_case(&step.id.value) {
                diagnostics.push(
                    Diagnostic::at(
                        at(file, &step.id.referenced, step.id.value.chars().count()),
                        format!("step id `{}` is not kebab-case", step.id.value),
                    )
                    .with_label("step ids are used as anchors")
                    .with_hint("use lower-case letters, digits and single hyphens"),
                );
            }
        }
        if path.steps.is_empty() {
            diagnostics.push(
                Diagnostic::at(
                    content
                        .paths
                        .at(&path.id.referenced, path.id.value.chars().count()),
                    format!("path `{}` has no steps", path.id.value),
                )
                .with_hint("add at least one step under `steps:`"),
            );
        }
    }
}

/// Checks that every version stating a step has the step's waits, stated or carried over
/// from an older version (unless a wait is marked `optional`), so each version's page of
/// the path can show them.
fn check_waits_per_version(content: &Content, diagnostics: &mut Diagnostics) {
    if content.failed("policies.yaml") {
        return;
    }
    for path in &content.paths.records {
        for step in &path.steps {
            let sources = step_sources(step);
            for version in &content.policies.records {
                let in_effect = |name: &str| {
                    in_effect(&content.policies.records, name, version.order.value)
                        .is_some_and(|(_, p)| p.value().is_some())
                };
                let states_step = sources.iter().any(|r| {
                    version
                        .sources
                        .iter()
                        .any(|v| v.source.value == r.source.value)
                });
                if !states_step {
                    continue;
                }
                for wait in step.wait.iter().chain(&step.response) {
                    let name = &wait.parameter;
                    let known = content
                        .policies
                        .records
                        .iter()
                        .any(|v| v.parameters.contains_key(&name.value));
                    // An unknown parameter is reported once, by `check_references`.
                    if !known || wait.optional || in_effect(&name.value) {
                        continue;
                    }
                    diagnostics.push(
                        Diagnostic::at(
                            at(&content.paths.file, &name.referenced, name.value.chars().count()),
                            format!(
                                "policy version `{}` states step `{}` of path `{}` but not its wait `{}`",
                                version.id.value, step.id.value, path.id.value, name.value
                            ),
                        )
                        .with_label("this wait has no value in that version or any older one")
                        .with_hint(format!(
                            "add `{}` to version `{}` in content/data/policies.yaml, or mark the wait `optional: true` if that source does not say",
                            name.value, version.id.value
                        )),
                    );
                }
            }
        }
    }
}

/// Checks that versions have distinct orders and that waits are numbers of days.
fn check_policies(content: &Content, diagnostics: &mut Diagnostics) {
    let data = &content.policies;
    let mut orders: HashMap<i64, &str> = HashMap::new();
    for policy in &data.records {
        if let Some(other) = orders.insert(policy.order.value, &policy.id.value) {
            diagnostics.push(
                Diagnostic::at(
                    data.at(
                        &policy.order.referenced,
                        policy.order.value.to_string().len(),
                    ),
                    format!(
                        "policy versions `{other}` and `{}` have the same order",
                        policy.id.value
                    ),
                )
                .with_label("each version needs its own position")
                .with_hint("give the versions distinct `order:` numbers, oldest first"),
            );
        }
    }
    let wait_parameters: Vec<&Spanned<String>> = content
        .paths
        .records
        .iter()
        .flat_map(|p| &p.steps)
        .flat_map(|s| s.wait.iter().chain(&s.response))
        .map(|w| &w.parameter)
        .collect();
    let days = day_parameters(content);
    for policy in &data.records {
        for (key, parameter) in &policy.parameters {
            let what = format!("parameter `{key}` of `{}`", policy.id.value);
            diagnostics.extend(check_withdrawn_parameter(data, policy, key, parameter));
            let Some(value) = &parameter.value else {
                continue;
            };
            if let ParamValue::Number(n) = value.value {
                if days.contains(&key.as_str()) {
                    diagnostics.extend_opt(check_days(data, &what, n, value, parameter));
                }
            }
            // A declared parameter's value is checked against its unit instead.
            let is_wait = wait_parameters.iter().any(|w| &w.value == key);
            let declared = content.parameter(key).is_some();
            if is_wait && !declared && !matches!(value.value, ParamValue::Number(_)) {
                diagnostics.push(
                    Diagnostic::at(
                        data.at(&value.referenced, 1),
                        format!(
                            "parameter `{key}` of `{}` must be a number of days",
                            policy.id.value
                        ),
                    )
                    .with_label("a path waits on this parameter")
                    .with_hint("write the number only, e.g. `value: 15`"),
                );
            }
        }
    }
}

/// Checks that a parameter has a value or is withdrawn (not both), and that a withdrawal
/// quotes its source and takes back a rule an older version states.
fn check_withdrawn_parameter(
    data: &DataFile<PolicyRecord>,
    policy: &PolicyRecord,
    key: &str,
    parameter: &Parameter,
) -> Diagnostics {
    let mut found = Diagnostics::new();
    let id = &policy.id.value;
    let location = || match (&parameter.value, &parameter.withdrawn) {
        (Some(value), _) => data.at(&value.referenced, display_len(&value.value)),
        (None, Some(withdrawn)) => {
            data.at(&withdrawn.referenced, withdrawn.value.to_string().len())
        }
        (None, None) => data.at(&policy.id.referenced, id.chars().count()),
    };
    let withdraw_hint = "when this version withdraws the rule, write `withdrawn: true` and \
                         quote the words of its source that withdraw it";
    match (&parameter.value, parameter.is_withdrawn()) {
        (Some(_), false) => {}
        (None, false) => found.push(
            Diagnostic::at(
                location(),
                format!("parameter `{key}` of `{id}` has no value"),
            )
            .with_label("no `value:` for this parameter")
            .with_hint(format!(
                "write `value:`; {withdraw_hint}; a version that does not mention a rule \
                 leaves it out and carries it over"
            )),
        ),
        (Some(_), true) => found.push(
            Diagnostic::at(
                location(),
                format!("parameter `{key}` of `{id}` has a value and is withdrawn"),
            )
            .with_label("a value here")
            .with_hint("a version either states a new value or withdraws the rule: keep one"),
        ),
        (None, true) => {
            let older = data
                .records
                .iter()
                .filter(|v| v.order.value < policy.order.value);
            let stated =
                in_effect(older, key, policy.order.value).is_some_and(|(_, p)| p.value().is_some());
            if !stated {
                found.push(
                    Diagnostic::at(
                        location(),
                        format!("version `{id}` withdraws `{key}`, but no older version states it"),
                    )
                    .with_label("nothing to withdraw")
                    .with_hint(
                        "withdraw only a rule an older version states; a version carries over \
                         every rule it does not mention",
                    ),
                );
            }
            if !parameter.sources.iter().any(|s| s.quote.is_some()) {
                found.push(
                    Diagnostic::at(
                        location(),
                        format!("the withdrawal of `{key}` in `{id}` quotes nothing"),
                    )
                    .with_label("withdrawn without a quote")
                    .with_hint(
                        "add `sources:` with `- source: <id>` and a `quote:` of the words \
                         that withdraw the rule",
                    ),
                );
            }
        }
    }
    found
}

/// How many characters a parameter value takes when written plainly, to underline it.
fn display_len(value: &ParamValue) -> usize {
    match value {
        ParamValue::Bool(b) => b.to_string().len(),
        ParamValue::Number(n) => n.to_string().len(),
        ParamValue::Text(t) => t.chars().count(),
    }
}

/// A fact or contact that a newer version withdraws, with where it is written.
struct Withdrawn<'a> {
    /// The data file.
    file: &'a SourceFile,
    /// The fact's text or the contact's value.
    at: &'a Spanned<String>,
    /// Its own sources.
    sources: &'a [SourceRef],
    /// The withdrawal.
    withdrawal: &'a Withdrawal,
}

/// Every withdrawn fact and contact of the data files.
fn withdrawn_items(content: &Content) -> Vec<Withdrawn<'_>> {
    fn facts<'a>(items: &mut Vec<Withdrawn<'a>>, file: &'a SourceFile, list: &'a [Fact]) {
        for f in list {
            if let Some(withdrawal) = &f.withdrawn {
                items.push(Withdrawn {
                    file,
                    at: &f.text,
                    sources: &f.sources,
                    withdrawal,
                })
            }
        }
    }
    let mut items = Vec::new();
    for o in &content.offices.records {
        let file = &content.offices.file;
        for list in [&o.hours, &o.jurisdiction, &o.facts] {
            facts(&mut items, file, list);
        }
        for t in &o.tiers {
            facts(&mut items, file, &t.can);
            facts(&mut items, file, &t.cannot);
        }
    }
    for c in &content.channels.records {
        let file = &content.channels.file;
        for list in [&c.who, &c.response_time, &c.hours, &c.limits, &c.facts] {
            facts(&mut items, file, list);
        }
    }
    for p in &content.paths.records {
        facts(&mut items, &content.paths.file, &p.facts);
        for s in &p.steps {
            for list in [&s.text, &s.have_ready, &s.record] {
                facts(&mut items, &content.paths.file, list);
            }
        }
    }
    for n in &content.flowchart.records {
        facts(&mut items, &content.flowchart.file, &n.facts);
    }
    let contacts = all_contacts(content);
    for (file, c) in contacts {
        if let Some(withdrawal) = &c.withdrawn {
            items.push(Withdrawn {
                file,
                at: &c.value,
                sources: &c.sources,
                withdrawal,
            });
        }
    }
    items
}

/// Checks that each withdrawn fact or contact is withdrawn by a quote from the source of a
/// policy version newer than every version that states it.
fn check_withdrawals(content: &Content, diagnostics: &mut Diagnostics) {
    if content.failed("policies.yaml") {
        return;
    }
    let mut version_of: HashMap<&str, &PolicyRecord> = HashMap::new();
    for version in &content.policies.records {
        for citation in &version.sources {
            let entry = version_of.entry(&citation.source.value).or_insert(version);
            if version.order.value > entry.order.value {
                *entry = version;
            }
        }
    }
    let newest = |refs: &[SourceRef]| {
        refs.iter()
            .filter_map(|r| version_of.get(r.source.value.as_str()).copied())
            .max_by_key(|v| v.order.value)
    };
    let known_sources = content.sources.ids(|r| &r.id);
    for item in withdrawn_items(content) {
        let refs = &item.withdrawal.sources;
        let source_at = |r: &SourceRef| at(item.file, &r.source.referenced, r.source.value.len());
        for r in refs {
            let known = known_sources.contains(&r.source.value.as_str());
            if known && !version_of.contains_key(r.source.value.as_str()) {
                diagnostics.push(
                    Diagnostic::at(
                        source_at(r),
                        format!("source `{}` belongs to no policy version", r.source.value),
                    )
                    .with_label("a withdrawal is made by a policy version")
                    .with_hint(
                        "cite the source of the version that withdraws it: one listed under \
                         `sources:` of a version in content/data/policies.yaml",
                    ),
                );
            }
        }
        let Some(first) = refs.first() else {
            continue; // Reported as a withdrawal without a source.
        };
        if !refs.iter().any(|r| r.quote.is_some()) {
            diagnostics.push(
                Diagnostic::at(
                    source_at(first),
                    format!("the withdrawal of `{}` quotes nothing", item.at.value),
                )
                .with_label("withdrawn without a quote")
                .with_hint("add a `quote:` of the words that withdraw it"),
            );
        }
        let (Some(by), Some(stated)) = (newest(refs), newest(item.sources)) else {
            continue;
        };
        if by.order.value <= stated.order.value {
            diagnostics.push(
                Diagnostic::at(
                    source_at(first),
                    format!(
                        "`{}` is withdrawn by version `{}`, but version `{}` states it and is not older",
                        item.at.value, by.id.value, stated.id.value
                    ),
                )
                .with_label("this version does not come after every version that states it")
                .with_hint(
                    "a version can withdraw only what older versions state: cite the source of \
                     a newer version here",
                ),
            );
        }
    }
}

/// The words `casepath new-version` writes where the editor still has to write a value.
pub const PLACEHOLDER: &str = "FILL IN";

/// Reports every [`PLACEHOLDER`] left in the data files (outside comments).
fn check_placeholders(content: &Content, diagnostics: &mut Diagnostics) {
    for file in content.data_files() {
        for (i, line) in file.text.lines().enumerate() {
            let Some(byte) = line.find(PLACEHOLDER) else {
                continue;
            };
            if line.trim_start().starts_with('#') {
                continue;
            }
            let column = line[..byte].chars().count() + 1;
            diagnostics.push(
                Diagnostic::at(
                    Location::new(file, i + 1, column, PLACEHOLDER.len()),
                    "a value still says FILL IN",
                )
                .with_label("write this from the source text")
                .with_hint(
                    "`casepath new-version` leaves these for you to write: replace the \
                     placeholder and its description with your own words",
                ),
            );
        }
    }
}

/// The longest wait or other number of days a policy parameter may hold: ten years. A larger
/// number (or one below 1) is a typo, or a value meant to break the pages.
pub const MAX_DAYS: i64 = 3650;

/// The policy parameters that count days: those `parameters.yaml` declares in calendar or
/// business days, and those a wait of a path or of the flowchart names.
fn day_parameters(content: &Content) -> Vec<&str> {
    let steps = content.paths.records.iter().flat_map(|p| &p.steps);
    let nodes = &content.flowchart.records;
    let waits = steps
        .flat_map(|s| s.wait.iter().chain(&s.response))
        .chain(nodes.iter().filter_map(|n| n.wait.as_ref()))
        .chain(
            nodes
                .iter()
                .flat_map(|n| &n.options)
                .filter_map(|o| o.wait.as_ref()),
        )
        .map(|w| w.parameter.value.as_str());
    let declared = content
        .parameters
        .records
        .iter()
        .filter(|p| p.unit.value.is_days())
        .map(|p| p.id.value.as_str());
    let mut names: Vec<&str> = declared.chain(waits).collect();
    names.sort_unstable();
    names.dedup();
    names
}

/// Checks the number of days `days` of a policy parameter (`what` names it): from 1 to
/// [`MAX_DAYS`], and, when a quote of the parameter states numbers, one of them.
fn check_days(
    data: &DataFile<PolicyRecord>,
    what: &str,
    days: i64,
    value: &Spanned<ParamValue>,
    parameter: &Parameter,
) -> Option<Diagnostic> {
    let location = data.at(&value.referenced, days.to_string().len());
    if !(1..=MAX_DAYS).contains(&days) {
        return Some(
            Diagnostic::at(
                location,
                format!("{what} is {days} days; a number of days must be from 1 to {MAX_DAYS}"),
            )
            .with_label("not a possible number of days")
            .with_hint("write the number of days the source states, e.g. `value: 15`"),
        );
    }
    parameter.sources.iter().find_map(|citation| {
        let quote = citation.quote.as_ref()?;
        let said = numbers_said(&quote.value);
        if said.is_empty() || said.contains(&days) {
            return None;
        }
        let said: Vec<String> = said.iter().map(i64::to_string).collect();
        Some(
            Diagnostic::at(
                location.clone(),
                format!("the quote says {}, the value is {days}", said.join(" or ")),
            )
            .with_label(format!("the value of {what}"))
            .with_hint(format!(
                "the quote at line {} states this value in the source's words: write the \
                 number it gives, or quote the words that give this number",
                quote.referenced.line()
            )),
        )
    })
}

/// The numbers of days a quote states, in order, each once: numbers written in digits
/// (`1,000` is one number) or in English words (`ten`, `twenty-one`, `one hundred and
/// twenty`); a number of weeks counts seven days a week. Empty when it states none, and
/// when it counts in months or years, whose days vary.
pub fn numbers_said(quote: &str) -> Vec<i64> {
    /// A word or a number of the quote.
    enum Token {
        /// A number in digits.
        Number(i64),
        /// A word, in lower case.
        Word(String),
    }
    let mut tokens = Vec::new();
    let mut chars = quote.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() {
            let mut digits = String::from(c);
            while let Some(&next) = chars.peek() {
                if next.is_ascii_digit() {
                    digits.push(next);
                } else if next != ',' || !chars.clone().nth(1).is_some_and(|d| d.is_ascii_digit()) {
                    break;
                }
                chars.next();
            }
            tokens.extend(digits.parse().ok().map(Token::Number));
        } else if c.is_alphabetic() {
            let mut word = c.to_lowercase().collect::<String>();
            while let Some(next) = chars.next_if(|n| n.is_alphabetic()) {
                word.extend(next.to_lowercase());
            }
            tokens.push(Token::Word(word));
        }
    }
    let word_value = |token: Option<&Token>| match token {
        Some(Token::Word(w)) => number_word(w),
        _ => None,
    };
    let mut said = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let value = match &tokens[i] {
            Token::Number(n) => {
                i += 1;
                *n
            }
            Token::Word(_) if word_value(tokens.get(i)).is_some() => {
                let (mut total, mut current) = (0i64, 0i64);
                loop {
                    match word_value(tokens.get(i)) {
                        Some(100) => current = current.max(1) * 100,
                        Some(1000) => {
                            total += current.max(1) * 1000;
                            current = 0;
                        }
                        Some(n) => current += n,
                        None => match &tokens.get(i) {
                            Some(Token::Word(and)) if and == "and" => {
                                if word_value(tokens.get(i + 1)).is_none() {
                                    break;
                                }
                            }
                            _ => break,
                        },
                    }
                    i += 1;
                }
                total + current
            }
            Token::Word(_) => {
                i += 1;
                continue;
            }
        };
        let days = match tokens.get(i) {
            Some(Token::Word(unit)) if unit.starts_with("week") => value.saturating_mul(7),
            Some(Token::Word(unit)) if unit.starts_with("month") || unit.starts_with("year") => {
                return Vec::new();
            }
            _ => value,
        };
        if !said.contains(&days) {
            said.push(days);
        }
    }
    said
}

/// The value of an English number word: `one` to `nineteen`, the tens, `hundred`, `thousand`.
fn number_word(word: &str) -> Option<i64> {
    const UNITS: [&str; 20] = [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
    ];
    const TENS: [&str; 8] = [
        "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    ];
    if let Some(n) = UNITS.iter().position(|u| *u == word) {
        return Some(n as i64);
    }
    if let Some(n) = TENS.iter().position(|t| *t == word) {
        return Some(20 + 10 * n as i64);
    }
    match word {
        "hundred" => Some(100),
        "thousand" => Some(1000),
        _ => None,
    }
}

/// The values of `content/site.yaml` that are checked, with their places.
#[derive(Clone, serde::Deserialize)]
struct SiteValues {
    /// `base_url:`, where the site is published.
    #[serde(default)]
    base_url: Option<Spanned<String>>,
    /// `cname:`, the custom domain written to `CNAME`.
    #[serde(default)]
    cname: Option<Spanned<String>>,
}

/// Checks `base_url` (see [`base_url_problem`]) and `cname` (one host name) of
/// `content/site.yaml`.
fn check_site(content: &Content, diagnostics: &mut Diagnostics) {
    let Some(file) = &content.site_file else {
        return;
    };
    // The file decoded as the configuration; its problems, if any, are reported already.
    let Some(values) = crate::load::parse_yaml::<SiteValues>(file, &mut Diagnostics::new()) else {
        return;
    };
    let location =
        |value: &Spanned<String>| at(file, &value.referenced, value.value.chars().count());
    if let Some(url) = &values.base_url {
        if let Some(problem) = base_url_problem(&url.value) {
            diagnostics.push(
                Diagnostic::at(location(url), format!("the base URL {problem}"))
                    .with_label("`base_url` of the site")
                    .with_hint(
                        "write the address the site is published at, such as \
                         `https://example.github.io/guide`",
                    ),
            );
        }
    }
    if let Some(cname) = &values.cname {
        if !is_host_name(&cname.value) {
            diagnostics.push(
                Diagnostic::at(location(cname), "`cname` must be one host name")
                    .with_label("written to the file CNAME for GitHub Pages")
                    .with_hint(
                        "write the domain only, such as `guide.example.org`: letters, digits, \
                         hyphens and dots, with no `https://`, no path and no spaces or line \
                         breaks",
                    ),
            );
        }
    }
}

/// What is wrong with a base URL (`base_url` in `content/site.yaml`, `--base-url`), as the end
/// of a sentence that starts "the base URL", or `None` when it is good: `http` or `https`, a
/// host name, an optional `:port`, and a path without `//` (the 404 page links to the path,
/// and a browser reads `//evil.example/` as another host), spaces, `?` or `#`.
pub fn base_url_problem(url: &str) -> Option<String> {
    let scheme = ["https://", "http://"].into_iter().find(|s| {
        url.get(..s.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(s))
    });
    let Some(scheme) = scheme else {
        return Some("must start with `http://` or `https://`".to_string());
    };
    let rest = &url[scheme.len()..];
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let (host, port) = match authority.rsplit_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (authority, None),
    };
    if authority.is_empty() {
        return Some(format!("must name a host after `{scheme}`"));
    }
    let port_ok =
        port.is_none_or(|p| (1..=5).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()));
    if !is_host_name(host) || !port_ok {
        return Some(
            "must have a host name of letters, digits, hyphens and dots, and may add a `:port`"
                .to_string(),
        );
    }
    if path.contains("//") {
        return Some(
            "must not hold `//` in its path: a browser reads what follows as another host"
                .to_string(),
        );
    }
    let allowed = |c: char| c.is_alphanumeric() || "/-._~%!$&'()*+,;=:@".contains(c);
    if !path.chars().all(allowed) {
        return Some(
            "may hold only letters, digits and `/-._~%!$&'()*+,;=:@` in its path, with no \
             spaces, `?` or `#`"
                .to_string(),
        );
    }
    None
}

/// True for one host name: dot-separated labels of ASCII letters, digits and hyphens, none
/// empty or longer than 63 characters or starting or ending with a hyphen.
pub fn is_host_name(name: &str) -> bool {
    name.len() <= 253
        && name.split('.').all(|label| {
            (1..=63).contains(&label.len())
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
}

/// Checks case-number prefixes (`receipt_prefix:`): three capital letters, each used by one
/// office.
fn check_prefixes(content: &Content, diagnostics: &mut Diagnostics) {
    let data = &content.offices;
    let mut seen: HashMap<&str, &str> = HashMap::new();
    for office in &data.records {
        let Some(prefix) = &office.receipt_prefix else {
            continue;
        };
        let value = prefix.value.as_str();
        if value.len() != 3 || !value.chars().all(|c| c.is_ascii_uppercase()) {
            diagnostics.push(
                Diagnostic::at(
                    data.at(&prefix.referenced, value.chars().count()),
                    format!("case-number prefix `{value}` is not three capital letters"),
                )
                .with_label("case numbers start with three letters")
                .with_hint("write the prefix as the sources show it, e.g. `ABC`"),
            );
        }
        if let Some(other) = seen.insert(value, &office.id.value) {
            diagnostics.push(
                Diagnostic::at(
                    data.at(&prefix.referenced, value.len()),
                    format!("case-number prefix `{value}` is already used by `{other}`"),
                )
                .with_label("each prefix belongs to one office")
                .with_hint("check the prefix against the source"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_are_found_on_their_first_line() {
        let slice = SourceSlice::new(
            "Title\n\nStep 1: call.\nStep 2: wait **15 days**\nthen email.\n".into(),
            10,
        );
        assert_eq!(slice.line_of("Title"), Some(10));
        assert_eq!(slice.line_of("Step 1: call."), Some(12));
        assert_eq!(slice.line_of("wait 15 days then email."), Some(13));
        assert_eq!(slice.line_of("then email"), Some(14));
        assert_eq!(slice.line_of("Step 3"), None);
    }

    #[test]
    fn ids_must_be_kebab_case() {
        assert!(is_kebab_case("vermont-service-center"));
        assert!(!is_kebab_case("Vermont"));
        assert!(!is_kebab_case("a--b"));
        assert!(!is_kebab_case("-a"));
    }

    #[test]
    fn quotes_state_numbers_in_digits_and_words() {
        let said = numbers_said;
        assert_eq!(said("If more than 30 days have passed"), [30]);
        assert_eq!(said("a response within ten days."), [10]);
        assert_eq!(said("within twenty-one days, or 1,000 days"), [21, 1000]);
        assert_eq!(said("one hundred and twenty days"), [120]);
        assert_eq!(
            said("call 1-800-555-0100 after 15 days"),
            [1, 800, 555, 100, 15]
        );
        assert_eq!(said("within two weeks"), [14]);
        assert_eq!(said("within 3 months"), Vec::<i64>::new());
        assert_eq!(said("Often is nothing, and none; 15, 30"), [15, 30]);
        assert_eq!(said("no number at all"), Vec::<i64>::new());
        assert_eq!(said("99999999999999999999 days"), Vec::<i64>::new());
    }

    #[test]
    fn base_urls_are_http_addresses_with_a_host_and_a_plain_path() {
        for good in [
            "https://example.github.io/guide",
            "https://example.github.io/guide/",
            "http://localhost:8000",
            "HTTPS://Example.org/a-b_c/~d/%20",
        ] {
            assert_eq!(base_url_problem(good), None, "{good}");
        }
        for bad in [
            "javascript:alert(1)",
            "//evil.example",
            "https://",
            "https://a.example//evil.example/",
            "https://a.example@evil.example",
            "https://a.example:port",
            "https://a.example\\evil.example",
            "https://a.example/a b",
            "https://a.example/a\nb",
            "https://a.example/?q",
            "https://a.example/#top",
            "https://-a.example",
        ] {
            assert!(base_url_problem(bad).is_some(), "{bad}");
        }
    }

    #[test]
    fn host_names_are_dotted_labels() {
        assert!(is_host_name("guide.example.org"));
        assert!(is_host_name("a-b.example"));
        for bad in [
            "",
            "https://guide.example.org",
            "guide.example.org/",
            "guide.example.org\nevil",
            " guide.example.org",
            "a..b",
            "a.example.",
            "-a.example",
        ] {
            assert!(!is_host_name(bad), "{bad:?}");
        }
        assert!(!is_host_name(&"a".repeat(64)));
    }

    #[test]
    fn nearest_suggests_close_ids_only() {
        assert_eq!(
            nearest("help-dsk", &["help-desk", "other"]),
            Some("help-desk")
        );
        assert_eq!(nearest("zzzz", &["help-desk"]), None);
    }
}
