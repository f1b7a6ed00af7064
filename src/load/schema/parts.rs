//! The sourced parts of each record, listed once: the names, contacts, facts and tiers of an
//! office, a channel, a path, a step or a flowchart node, in the order the record's checks
//! and its search text take them.
//!
//! Validation (every part names its sources, every quote is found, every withdrawal is
//! made by a newer version), and the resolve stage (is a record in a version's view) walk
//! the parts through [`Record::parts`]; adding a list of facts to a record means adding it
//! to the record's `parts` here. The resolved records have the same list for the views
//! (`crate::model::PartView`).

use super::{
    ChannelRecord, Contact, Fact, FlowNodeRecord, OfficeRecord, OtherName, PathRecord,
    PolicyRecord, SourceRef, Spanned, StepRecord, Tier, Withdrawal,
};

/// The list of a record a part is written in (its key in the data file).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// `other_names:` of an office or channel.
    OtherNames,
    /// `contacts:` of an office or channel.
    Contacts,
    /// `hours:` of an office or channel.
    Hours,
    /// `jurisdiction:` of an office.
    Jurisdiction,
    /// `tiers:` of an office.
    Tiers,
    /// `can:` of a tier.
    Can,
    /// `cannot:` of a tier.
    Cannot,
    /// `who:` of a channel.
    Who,
    /// `response_time:` of a channel.
    ResponseTime,
    /// `limits:` of a channel.
    Limits,
    /// `facts:` of an office, channel, path or flowchart node.
    Facts,
    /// `text:` of a step.
    Text,
    /// `have_ready:` of a step.
    HaveReady,
    /// `record:` of a step.
    Record,
}

/// What a part is.
#[derive(Debug, Clone, Copy)]
pub enum Item<'a> {
    /// A name the record has in other versions.
    Name(&'a OtherName),
    /// A contact detail.
    Contact(&'a Contact),
    /// A sourced statement.
    Fact(&'a Fact),
    /// A tier of staff; its own facts follow it (see [`Part::and_inner`]).
    Tier(&'a Tier),
}

/// One sourced part of a record: a name, contact, fact or tier, with the list it is in.
#[derive(Debug, Clone, Copy)]
pub struct Part<'a> {
    /// The list it is in.
    pub field: Field,
    /// The part itself.
    pub item: Item<'a>,
}

impl<'a> Part<'a> {
    /// Its words as written, and so where it is: the name, the contact's value, the fact's
    /// text or the tier's name.
    pub fn text(&self) -> &'a Spanned<String> {
        match self.item {
            Item::Name(n) => &n.name,
            Item::Contact(c) => &c.value,
            Item::Fact(f) => &f.text,
            Item::Tier(t) => &t.name,
        }
    }

    /// Its citations.
    pub fn sources(&self) -> &'a [SourceRef] {
        match self.item {
            Item::Name(n) => &n.sources,
            Item::Contact(c) => &c.sources,
            Item::Fact(f) => &f.sources,
            Item::Tier(t) => &t.sources,
        }
    }

    /// The withdrawal of a fact or contact by a newer version, if one withdraws it.
    pub fn withdrawn(&self) -> Option<&'a Withdrawal> {
        match self.item {
            Item::Contact(c) => c.withdrawn.as_ref(),
            Item::Fact(f) => f.withdrawn.as_ref(),
            Item::Name(_) | Item::Tier(_) => None,
        }
    }

    /// This part, then the parts inside it: a tier's `can:` and `cannot:` facts.
    pub fn and_inner(self) -> impl Iterator<Item = Part<'a>> {
        let inner = match self.item {
            Item::Tier(t) => Some(t.parts()),
            _ => None,
        };
        std::iter::once(self).chain(inner.into_iter().flatten())
    }
}

/// The facts of one list, as parts.
fn facts(field: Field, list: &[Fact]) -> impl Iterator<Item = Part<'_>> {
    list.iter().map(move |f| Part {
        field,
        item: Item::Fact(f),
    })
}

/// The other names of an office or channel, as parts.
fn names(list: &[OtherName]) -> impl Iterator<Item = Part<'_>> {
    list.iter().map(|n| Part {
        field: Field::OtherNames,
        item: Item::Name(n),
    })
}

/// The contacts of an office or channel, as parts.
fn contacts(list: &[Contact]) -> impl Iterator<Item = Part<'_>> {
    list.iter().map(|c| Part {
        field: Field::Contacts,
        item: Item::Contact(c),
    })
}

impl Tier {
    /// What the tier can do, then what it cannot.
    pub fn parts(&self) -> impl Iterator<Item = Part<'_>> {
        facts(Field::Can, &self.can).chain(facts(Field::Cannot, &self.cannot))
    }
}

/// A record of a data file whose parts name their sources: an office, a channel, a path, a
/// step, a flowchart node or a policy version.
pub trait Record {
    /// What the record is called in messages (`office`).
    const KIND: &'static str;

    /// Its id.
    fn id(&self) -> &Spanned<String>;

    /// Where the record as a whole comes from.
    fn sources(&self) -> &[SourceRef];

    /// Its sourced parts, in order; a tier's facts come from [`Part::and_inner`]. A path's
    /// steps are records of their own.
    fn parts(&self) -> impl Iterator<Item = Part<'_>>;

    /// Every citation of the record that states something of it: its own, and those of its
    /// parts and their inner parts. Other names are left out: a source that only names a
    /// record does not bring the record into that source's version.
    fn cited(&self) -> impl Iterator<Item = &SourceRef> {
        let parts = self.parts().flat_map(Part::and_inner);
        let stated = parts.filter(|p| p.field != Field::OtherNames);
        self.sources()
            .iter()
            .chain(stated.flat_map(|p| p.sources()))
    }
}

/// Implements [`Record`] for a record type with `id` and `sources` fields: its kind's name
/// in messages, and the body of its `parts` (with `$record` for the record).
macro_rules! record {
    ($type:ty, $kind:literal, |$record:ident| $parts:block) => {
        impl Record for $type {
            const KIND: &'static str = $kind;

            fn id(&self) -> &Spanned<String> {
                &self.id
            }

            fn sources(&self) -> &[SourceRef] {
                &self.sources
            }

            fn parts(&self) -> impl Iterator<Item = Part<'_>> {
                let $record = self;
                $parts
            }
        }
    };
}

record!(OfficeRecord, "office", |r| {
    let tiers = r.tiers.iter().map(|t| Part {
        field: Field::Tiers,
        item: Item::Tier(t),
    });
    names(&r.other_names)
        .chain(contacts(&r.contacts))
        .chain(facts(Field::Hours, &r.hours))
        .chain(facts(Field::Jurisdiction, &r.jurisdiction))
        .chain(facts(Field::Facts, &r.facts))
        .chain(tiers)
});

record!(ChannelRecord, "channel", |r| {
    names(&r.other_names)
        .chain(contacts(&r.contacts))
        .chain(facts(Field::Who, &r.who))
        .chain(facts(Field::ResponseTime, &r.response_time))
        .chain(facts(Field::Hours, &r.hours))
        .chain(facts(Field::Limits, &r.limits))
        .chain(facts(Field::Facts, &r.facts))
});

record!(PathRecord, "path", |r| { facts(Field::Facts, &r.facts) });

record!(StepRecord, "step", |r| {
    facts(Field::Text, &r.text)
        .chain(facts(Field::HaveReady, &r.have_ready))
        .chain(facts(Field::Record, &r.record))
});

record!(FlowNodeRecord, "flowchart node", |r| {
    facts(Field::Facts, &r.facts)
});

// A policy version has no parts: it states parameters, which are checked on their own.
record!(PolicyRecord, "policy version", |_version| {
    std::iter::empty()
});

#[cfg(test)]
mod tests {
    use super::*;

    /// A fact of `key`, citing the source `source`.
    fn fact(key: &str, source: &str) -> String {
        format!("{key}:\n  - text: A fact of {key}.\n    sources: [{{source: {source}}}]\n")
    }

    #[test]
    fn every_list_of_an_office_is_a_part_and_names_do_not_bring_it_into_a_view() {
        let yaml = [
            "id: desk\nname: Desk\nkind: office\nsummary: A desk.\nsources: [{source: own}]\n",
            "other_names:\n  - name: Old Desk\n    sources: [{source: named}]\n",
            "contacts:\n  - kind: phone\n    label: Call\n    value: '1'\n    sources: [{source: c}]\n",
            &fact("hours", "h"),
            &fact("jurisdiction", "j"),
            &fact("facts", "f"),
            "tiers:\n  - name: Tier 1\n    sources: [{source: t}]\n",
            "    can:\n      - text: Can.\n        sources: [{source: can}]\n",
            "    cannot:\n      - text: Cannot.\n        sources: [{source: cannot}]\n",
        ]
        .concat();
        let office: OfficeRecord = serde_saphyr::from_str(&yaml).unwrap();
        let fields: Vec<Field> = office
            .parts()
            .flat_map(Part::and_inner)
            .map(|p| p.field)
            .collect();
        use Field::*;
        assert_eq!(
            fields,
            [
                OtherNames,
                Contacts,
                Hours,
                Jurisdiction,
                Facts,
                Tiers,
                Can,
                Cannot
            ]
        );
        let cited: Vec<&str> = office.cited().map(|s| s.source.value.as_str()).collect();
        assert_eq!(cited, ["own", "c", "h", "j", "f", "t", "can", "cannot"]);
    }

    #[test]
    fn every_list_of_a_channel_and_a_step_is_a_part() {
        let yaml = [
            "id: line\nname: Line\nkind: phone\nsummary: A line.\ncase_specific: no\n",
            "other_names:\n  - name: Old Line\n",
            "contacts:\n  - kind: phone\n    label: Call\n    value: '1'\n",
            &fact("who", "w"),
            &fact("response_time", "r"),
            &fact("hours", "h"),
            &fact("limits", "l"),
            &fact("facts", "f"),
        ]
        .concat();
        let channel: ChannelRecord = serde_saphyr::from_str(&yaml).unwrap();
        let fields: Vec<Field> = channel.parts().map(|p| p.field).collect();
        use Field::*;
        let channel_fields = [
            OtherNames,
            Contacts,
            Who,
            ResponseTime,
            Hours,
            Limits,
            Facts,
        ];
        assert_eq!(fields, channel_fields);
        let yaml = [
            "id: call\ntitle: Call\n",
            &fact("text", "t"),
            &fact("have_ready", "h"),
            &fact("record", "r"),
        ]
        .concat();
        let step: StepRecord = serde_saphyr::from_str(&yaml).unwrap();
        let fields: Vec<Field> = step.parts().map(|p| p.field).collect();
        assert_eq!(fields, [Text, HaveReady, Record]);
        let cited: Vec<&str> = step.cited().map(|s| s.source.value.as_str()).collect();
        assert_eq!(cited, ["t", "h", "r"]);
    }
}
