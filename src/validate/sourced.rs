//! What must name its sources: every record, every part of a record (see
//! [`Record::parts`]) and every parameter of a policy version, walked once for the checks
//! that read citations (quotes, withdrawals, unused sources, skipped checks).

use crate::diagnostic::SourceFile;
use crate::load::schema::{Contact, Item, Part, Record, SourceRef};
use crate::load::Content;

/// A record, part or parameter that must name its sources.
pub struct Sourced<'a> {
    /// What it is, for the message ("office `help-desk`", "this fact").
    pub what: String,
    /// Where it is.
    pub at: &'a serde_saphyr::Location,
    /// How many characters to underline.
    pub len: usize,
    /// Its citations.
    pub sources: &'a [SourceRef],
    /// The part it is, when it is one (not for a record, a parameter or a withdrawal).
    pub part: Option<Part<'a>>,
}

impl<'a> Sourced<'a> {
    /// A record as a whole, named by its kind and id.
    fn record<R: Record>(record: &'a R) -> Self {
        let id = record.id();
        Sourced {
            what: format!("{} `{}`", R::KIND, id.value),
            at: &id.referenced,
            len: id.value.chars().count(),
            sources: record.sources(),
            part: None,
        }
    }

    /// A part of a record, named by what it is.
    fn part(part: Part<'a>) -> Self {
        let text = part.text();
        let what = match part.item {
            Item::Name(_) => format!("name `{}`", text.value),
            Item::Contact(_) => format!("contact `{}`", text.value),
            Item::Tier(_) => format!("tier `{}`", text.value),
            Item::Fact(_) => "this fact".to_string(),
        };
        Sourced {
            what,
            at: &text.referenced,
            len: text.value.chars().count(),
            sources: part.sources(),
            part: Some(part),
        }
    }

    /// The withdrawal of this fact or contact, at the same place, when a newer version
    /// withdraws it.
    fn withdrawal(&self) -> Option<Self> {
        let withdrawal = self.part?.withdrawn()?;
        Some(Sourced {
            what: format!("the withdrawal of {}", self.what),
            at: self.at,
            len: self.len,
            sources: &withdrawal.sources,
            part: None,
        })
    }
}

/// Calls `visit` for every record, fact, contact, tier, name and parameter of the data
/// files, and for each withdrawal of a fact or contact, each with its file.
pub fn for_each_sourced<'a>(
    content: &'a Content,
    mut visit: impl FnMut(&'a SourceFile, Sourced<'a>),
) {
    let offices = &content.offices;
    for office in &offices.records {
        visit_record(&offices.file, office, &mut visit);
    }
    let channels = &content.channels;
    for channel in &channels.records {
        visit_record(&channels.file, channel, &mut visit);
    }
    let policies = &content.policies;
    for policy in &policies.records {
        visit_record(&policies.file, policy, &mut visit);
        for (key, parameter) in &policy.parameters {
            let parameter = Sourced {
                what: format!("parameter `{key}`"),
                at: parameter.location().unwrap_or(&policy.id.referenced),
                len: 1,
                sources: &parameter.sources,
                part: None,
            };
            visit(&policies.file, parameter);
        }
    }
    let paths = &content.paths;
    for path in &paths.records {
        visit_record(&paths.file, path, &mut visit);
        for step in &path.steps {
            visit_record(&paths.file, step, &mut visit);
        }
    }
    let flowchart = &content.flowchart;
    for node in &flowchart.records {
        visit_record(&flowchart.file, node, &mut visit);
    }
}

/// Visits a record, then each of its parts (a tier's facts after the tier), each followed
/// by its withdrawal, if any.
fn visit_record<'a, R: Record>(
    file: &'a SourceFile,
    record: &'a R,
    visit: &mut impl FnMut(&'a SourceFile, Sourced<'a>),
) {
    visit(file, Sourced::record(record));
    for part in record.parts().flat_map(Part::and_inner) {
        let item = Sourced::part(part);
        let withdrawal = item.withdrawal();
        visit(file, item);
        if let Some(withdrawal) = withdrawal {
            visit(file, withdrawal);
        }
    }
}

/// Every part of every record (names, contacts, facts, tiers and tiers' facts), with its
/// data file.
pub(super) fn all_parts(content: &Content) -> Vec<(&SourceFile, Part<'_>)> {
    let mut parts = Vec::new();
    for_each_sourced(content, |file, item| {
        parts.extend(item.part.map(|part| (file, part)));
    });
    parts
}

/// Every contact of the data files, with its file.
pub(super) fn all_contacts(content: &Content) -> impl Iterator<Item = (&SourceFile, &Contact)> {
    all_parts(content)
        .into_iter()
        .filter_map(|(file, part)| match part.item {
            Item::Contact(contact) => Some((file, contact)),
            _ => None,
        })
}
