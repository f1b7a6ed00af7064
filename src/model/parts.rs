//! The sourced parts of each resolved record, listed once: the names, contacts, facts and
//! tiers of an office, a channel, a path, a step or a flowchart node, in the same order as
//! the data's parts (`crate::load::schema::Record::parts`).
//!
//! The views walk them: backlinks cite what every part cites, diffs compare what each part
//! states, search indexes their words, and the source notes of a page number them. These
//! are accessors only; what each view does with a part is up to the view.

use crate::load::schema::Field;

use super::flowchart::FlowNode;
use super::{
    Channel, Citation, ContactView, FactView, NameView, Office, Path, Step, TierView, Withdrawn,
};

/// What a resolved part is.
#[derive(Debug, Clone, Copy)]
pub enum ItemView<'a> {
    /// A name the record has in other versions.
    Name(&'a NameView),
    /// A contact detail.
    Contact(&'a ContactView),
    /// A sourced statement.
    Fact(&'a FactView),
    /// A tier of staff, whose facts are its own parts ([`PartView::inner`]).
    Tier(&'a TierView),
}

/// One sourced part of a resolved record, with the list it is in.
#[derive(Debug, Clone, Copy)]
pub struct PartView<'a> {
    /// The list it is in.
    pub field: Field,
    /// The part itself.
    pub item: ItemView<'a>,
}

impl<'a> PartView<'a> {
    /// Its citations.
    pub fn citations(&self) -> &'a [Citation] {
        match self.item {
            ItemView::Name(n) => &n.citations,
            ItemView::Contact(c) => &c.citations,
            ItemView::Fact(f) => &f.citations,
            ItemView::Tier(t) => &t.citations,
        }
    }

    /// The withdrawal of a fact or contact, when the version shown (or an older one)
    /// withdraws it.
    pub fn withdrawn(&self) -> Option<&'a Withdrawn> {
        match self.item {
            ItemView::Contact(c) => c.withdrawn.as_ref(),
            ItemView::Fact(f) => f.withdrawn.as_ref(),
            ItemView::Name(_) | ItemView::Tier(_) => None,
        }
    }

    /// The older wording of a fact or contact (the same slot in older versions), as parts
    /// of the same list; none for a name or tier.
    pub fn earlier(&self) -> impl Iterator<Item = PartView<'a>> {
        let field = self.field;
        let (facts, contacts): (&[FactView], &[ContactView]) = match self.item {
            ItemView::Fact(f) => (&f.earlier, &[]),
            ItemView::Contact(c) => (&[], &c.earlier),
            ItemView::Name(_) | ItemView::Tier(_) => (&[], &[]),
        };
        let facts = facts.iter().map(move |f| PartView {
            field,
            item: ItemView::Fact(f),
        });
        let contacts = contacts.iter().map(move |c| PartView {
            field,
            item: ItemView::Contact(c),
        });
        facts.chain(contacts)
    }

    /// The parts inside this one: a tier's `can` and `cannot` facts; none for the others.
    pub fn inner(&self) -> impl Iterator<Item = PartView<'a>> {
        let tier = match self.item {
            ItemView::Tier(t) => Some(t.parts()),
            _ => None,
        };
        tier.into_iter().flatten()
    }

    /// This part, then the parts inside it.
    pub fn and_inner(self) -> impl Iterator<Item = PartView<'a>> {
        std::iter::once(self).chain(self.inner())
    }
}

/// The facts of one list, as parts.
fn facts(field: Field, list: &[FactView]) -> impl Iterator<Item = PartView<'_>> {
    list.iter().map(move |f| PartView {
        field,
        item: ItemView::Fact(f),
    })
}

/// The other names of an office or channel, as parts.
fn names(list: &[NameView]) -> impl Iterator<Item = PartView<'_>> {
    list.iter().map(|n| PartView {
        field: Field::OtherNames,
        item: ItemView::Name(n),
    })
}

/// Contacts, as parts.
pub fn contacts(list: &[ContactView]) -> impl Iterator<Item = PartView<'_>> {
    list.iter().map(|c| PartView {
        field: Field::Contacts,
        item: ItemView::Contact(c),
    })
}

impl Office {
    /// Its other names, contacts, hours, whom it serves, other facts, then its tiers.
    pub fn parts(&self) -> impl Iterator<Item = PartView<'_>> {
        let tiers = self.tiers.iter().map(|t| PartView {
            field: Field::Tiers,
            item: ItemView::Tier(t),
        });
        names(&self.other_names)
            .chain(contacts(&self.contacts))
            .chain(facts(Field::Hours, &self.hours))
            .chain(facts(Field::Jurisdiction, &self.jurisdiction))
            .chain(facts(Field::Facts, &self.facts))
            .chain(tiers)
    }
}

impl TierView {
    /// What the tier can do, then what it cannot.
    pub fn parts(&self) -> impl Iterator<Item = PartView<'_>> {
        facts(Field::Can, &self.can).chain(facts(Field::Cannot, &self.cannot))
    }
}

impl Channel {
    /// Its other names, contacts, who may use it, how fast it answers, its hours, limits
    /// and other facts.
    pub fn parts(&self) -> impl Iterator<Item = PartView<'_>> {
        names(&self.other_names)
            .chain(contacts(&self.contacts))
            .chain(facts(Field::Who, &self.who))
            .chain(facts(Field::ResponseTime, &self.response_time))
            .chain(facts(Field::Hours, &self.hours))
            .chain(facts(Field::Limits, &self.limits))
            .chain(facts(Field::Facts, &self.facts))
    }
}

impl Path {
    /// Its own facts (its steps have theirs).
    pub fn parts(&self) -> impl Iterator<Item = PartView<'_>> {
        facts(Field::Facts, &self.facts)
    }
}

impl Step {
    /// What to do, what to have ready and what to write down. The contacts a step shows are
    /// its channel's or office's, not parts of the step.
    pub fn parts(&self) -> impl Iterator<Item = PartView<'_>> {
        facts(Field::Text, &self.text)
            .chain(facts(Field::HaveReady, &self.have_ready))
            .chain(facts(Field::Record, &self.record))
    }
}

impl FlowNode {
    /// Its facts.
    pub fn parts(&self) -> impl Iterator<Item = PartView<'_>> {
        facts(Field::Facts, &self.facts)
    }
}
