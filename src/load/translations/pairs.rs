//! Which English text each overlay text translates: [`each_text`] walks every reader-facing
//! text of the English records, in file order, with its translation (if the overlay has
//! one) and its [`Place`]. Validation, the `translate` stage and `casepath translate` all
//! walk the texts this one way, so they agree on what a text is.

use super::{ContactTexts, Keyed, List, NameTexts, Text, Translations, WaitTexts};
use crate::load::schema::{Contact, Fact, OtherName, Spanned, Wait};
use crate::load::Content;

/// Where a text sits: the record it belongs to and the field inside it.
#[derive(Debug, Clone)]
pub struct Place {
    /// The kind of record: office, channel, path, node, kind, parameter or version.
    pub kind: &'static str,
    /// The record's id.
    pub id: String,
    /// The field inside the record, as the overlay writes it: `summary`,
    /// `steps.call.text[2]`, `contacts[0].label`.
    pub field: String,
    /// False for texts no page shows (the editors' `description:`): not translating them
    /// leaves nothing in English on a page.
    pub shown: bool,
}

/// What [`each_text`] calls for each English text: the English (which it may replace), the
/// translation if the overlay has one, and where the text sits.
pub type Visit<'f> = dyn FnMut(&mut String, Option<&Text>, &Place) + 'f;

/// Calls `visit` for every non-blank reader-facing text of the English records of
/// `content` (sources excepted: they are facts), with the translation `translations`
/// holds for it.
pub fn each_text(content: &mut Content, translations: &Translations, visit: &mut Visit) {
    let mut walk = Walk {
        visit,
        kind: "",
        id: String::new(),
    };
    let t = translations;
    for record in &mut content.offices.records {
        let tr = walk.enter("office", &record.id, &t.offices.records);
        walk.text("name", &mut record.name, tr.and_then(|r| r.name.as_ref()));
        walk.names(&mut record.other_names, tr.map(|r| &r.other_names));
        walk.text(
            "summary",
            &mut record.summary,
            tr.and_then(|r| r.summary.as_ref()),
        );
        walk.contacts(&mut record.contacts, tr.map(|r| &r.contacts));
        walk.facts("hours", &mut record.hours, tr.map(|r| &r.hours));
        let jurisdiction = tr.map(|r| &r.jurisdiction);
        walk.facts("jurisdiction", &mut record.jurisdiction, jurisdiction);
        for (i, tier) in record.tiers.iter_mut().enumerate() {
            let tt = tr.and_then(|r| item(&r.tiers, i));
            let at = format!("tiers[{i}]");
            let name = tt.and_then(|t| t.name.as_ref());
            walk.text(&format!("{at}.name"), &mut tier.name.value, name);
            let staff = tt.and_then(|t| t.staff.as_ref());
            walk.optional(&format!("{at}.staff"), &mut tier.staff, staff);
            walk.facts(&format!("{at}.can"), &mut tier.can, tt.map(|t| &t.can));
            walk.facts(
                &format!("{at}.cannot"),
                &mut tier.cannot,
                tt.map(|t| &t.cannot),
            );
        }
        walk.facts("facts", &mut record.facts, tr.map(|r| &r.facts));
    }
    for record in &mut content.channels.records {
        let tr = walk.enter("channel", &record.id, &t.channels.records);
        walk.text("name", &mut record.name, tr.and_then(|r| r.name.as_ref()));
        walk.names(&mut record.other_names, tr.map(|r| &r.other_names));
        walk.text(
            "summary",
            &mut record.summary,
            tr.and_then(|r| r.summary.as_ref()),
        );
        walk.facts("who", &mut record.who, tr.map(|r| &r.who));
        let response = tr.map(|r| &r.response_time);
        walk.facts("response_time", &mut record.response_time, response);
        walk.facts("hours", &mut record.hours, tr.map(|r| &r.hours));
        walk.facts("limits", &mut record.limits, tr.map(|r| &r.limits));
        walk.contacts(&mut record.contacts, tr.map(|r| &r.contacts));
        walk.facts("facts", &mut record.facts, tr.map(|r| &r.facts));
    }
    small_records(&mut walk, content, t);
    paths(&mut walk, content, t);
    flowchart(&mut walk, content, t);
}

/// The texts of parameters, kinds and policy versions.
fn small_records(walk: &mut Walk, content: &mut Content, t: &Translations) {
    for record in &mut content.parameters.records {
        let tr = walk.enter("parameter", &record.id, &t.parameters.records);
        walk.text(
            "label",
            &mut record.label,
            tr.and_then(|r| r.label.as_ref()),
        );
        let yes = tr.and_then(|r| r.when_yes.as_ref());
        walk.optional("when_yes", &mut record.when_yes, yes);
        let no = tr.and_then(|r| r.when_no.as_ref());
        walk.optional("when_no", &mut record.when_no, no);
        let description = tr.and_then(|r| r.description.as_ref());
        walk.unshown("description", &mut record.description, description);
    }
    for record in &mut content.kinds.records {
        let tr = walk.enter("kind", &record.id, &t.kinds.records);
        walk.text(
            "label",
            &mut record.label,
            tr.and_then(|r| r.label.as_ref()),
        );
        let description = tr.and_then(|r| r.description.as_ref());
        walk.unshown("description", &mut record.description, description);
    }
    for record in &mut content.policies.records {
        let tr = walk.enter("version", &record.id, &t.policies.records);
        walk.text("name", &mut record.name, tr.and_then(|r| r.name.as_ref()));
        let reason = tr.and_then(|r| r.order_reason.as_ref());
        walk.text("order_reason", &mut record.order_reason, reason);
        walk.text("era", &mut record.era, tr.and_then(|r| r.era.as_ref()));
        walk.text(
            "summary",
            &mut record.summary,
            tr.and_then(|r| r.summary.as_ref()),
        );
        for (name, parameter) in &mut record.parameters {
            let note = tr
                .and_then(|r| by_key(&r.parameters, name))
                .and_then(|p| p.note.as_ref());
            let field = format!("parameters.{name}.note");
            walk.optional(&field, &mut parameter.note, note);
        }
    }
}

/// The texts of the paths and their steps.
fn paths(walk: &mut Walk, content: &mut Content, t: &Translations) {
    for record in &mut content.paths.records {
        let tr = walk.enter("path", &record.id, &t.paths.records);
        walk.text("name", &mut record.name, tr.and_then(|r| r.name.as_ref()));
        walk.text(
            "for_whom",
            &mut record.for_whom,
            tr.and_then(|r| r.for_whom.as_ref()),
        );
        walk.text(
            "summary",
            &mut record.summary,
            tr.and_then(|r| r.summary.as_ref()),
        );
        for step in &mut record.steps {
            let ts = tr.and_then(|r| by_key(&r.steps, &step.id.value));
            let at = format!("steps.{}", step.id.value);
            let title = ts.and_then(|s| s.title.as_ref());
            walk.text(&format!("{at}.title"), &mut step.title, title);
            let wait = ts.and_then(|s| s.wait.as_ref());
            walk.wait(&format!("{at}.wait"), &mut step.wait, wait);
            let response = ts.and_then(|s| s.response.as_ref());
            walk.wait(&format!("{at}.response"), &mut step.response, response);
            walk.facts(&format!("{at}.text"), &mut step.text, ts.map(|s| &s.text));
            let ready = ts.map(|s| &s.have_ready);
            walk.facts(&format!("{at}.have_ready"), &mut step.have_ready, ready);
            walk.facts(
                &format!("{at}.record"),
                &mut step.record,
                ts.map(|s| &s.record),
            );
        }
        walk.facts("facts", &mut record.facts, tr.map(|r| &r.facts));
    }
}

/// The texts of the flowchart's nodes and their options.
fn flowchart(walk: &mut Walk, content: &mut Content, t: &Translations) {
    for record in &mut content.flowchart.records {
        let tr = walk.enter("node", &record.id, &t.flowchart.records);
        walk.text(
            "text",
            &mut record.text.value,
            tr.and_then(|r| r.text.as_ref()),
        );
        walk.wait("wait", &mut record.wait, tr.and_then(|r| r.wait.as_ref()));
        for (i, option) in record.options.iter_mut().enumerate() {
            let to = tr.and_then(|r| item(&r.options, i));
            let at = format!("options[{i}]");
            let label = to.and_then(|o| o.label.as_ref());
            walk.text(&format!("{at}.label"), &mut option.label.value, label);
            let wait = to.and_then(|o| o.wait.as_ref());
            walk.wait(&format!("{at}.wait"), &mut option.wait, wait);
        }
        walk.facts("facts", &mut record.facts, tr.map(|r| &r.facts));
    }
}

/// The record of an overlay with id `id`.
pub fn by_id<'a, T>(records: &'a [(Spanned<String>, T)], id: &str) -> Option<&'a T> {
    records.iter().find(|(k, _)| k.value == id).map(|(_, r)| r)
}

/// The entry of a keyed map with key `key`.
fn by_key<'a, T>(map: &'a Keyed<T>, key: &str) -> Option<&'a T> {
    by_id(&map.0, key)
}

/// Item `i` of a list without ids, when it is there and not `~`.
fn item<T>(list: &List<T>, i: usize) -> Option<&T> {
    list.get(i).and_then(Option::as_ref)
}

/// The walk through one language's texts: the visitor and the record it is in.
struct Walk<'v, 'f> {
    visit: &'v mut Visit<'f>,
    kind: &'static str,
    id: String,
}

impl Walk<'_, '_> {
    /// Starts record `id` of `kind`; returns its overlay record, if there is one.
    fn enter<'t, T>(
        &mut self,
        kind: &'static str,
        id: &Spanned<String>,
        overlay: &'t [(Spanned<String>, T)],
    ) -> Option<&'t T> {
        self.kind = kind;
        self.id = id.value.clone();
        by_id(overlay, &id.value)
    }

    /// One text that pages show.
    fn text(&mut self, field: &str, english: &mut String, translation: Option<&Text>) {
        self.visit_text(field, english, translation, true);
    }

    /// One text, shown on pages or not.
    fn visit_text(&mut self, field: &str, english: &mut String, tr: Option<&Text>, shown: bool) {
        if english.trim().is_empty() {
            return;
        }
        let place = Place {
            kind: self.kind,
            id: self.id.clone(),
            field: field.to_string(),
            shown,
        };
        (self.visit)(english, tr, &place);
    }

    /// An optional text that pages show.
    fn optional(&mut self, field: &str, english: &mut Option<String>, tr: Option<&Text>) {
        if let Some(english) = english {
            self.text(field, english, tr);
        }
    }

    /// An optional text that no page shows.
    fn unshown(&mut self, field: &str, english: &mut Option<String>, tr: Option<&Text>) {
        if let Some(english) = english {
            self.visit_text(field, english, tr, false);
        }
    }

    /// The `after:` of a wait.
    fn wait(&mut self, field: &str, english: &mut Option<Wait>, tr: Option<&WaitTexts>) {
        if let Some(wait) = english {
            let after = tr.and_then(|w| w.after.as_ref());
            self.text(&format!("{field}.after"), &mut wait.after, after);
        }
    }

    /// A list of facts (their `text:`), item by item.
    fn facts(&mut self, field: &str, english: &mut [Fact], tr: Option<&List<Text>>) {
        for (i, fact) in english.iter_mut().enumerate() {
            let translation = tr.and_then(|list| item(list, i));
            self.text(&format!("{field}[{i}]"), &mut fact.text.value, translation);
        }
    }

    /// The names of `other_names:`.
    fn names(&mut self, english: &mut [OtherName], tr: Option<&List<NameTexts>>) {
        for (i, other) in english.iter_mut().enumerate() {
            let name = tr.and_then(|l| item(l, i)).and_then(|n| n.name.as_ref());
            self.text(
                &format!("other_names[{i}].name"),
                &mut other.name.value,
                name,
            );
        }
    }

    /// The labels and notes of contacts.
    fn contacts(&mut self, english: &mut [Contact], tr: Option<&List<ContactTexts>>) {
        for (i, contact) in english.iter_mut().enumerate() {
            let tc = tr.and_then(|l| item(l, i));
            let label = tc.and_then(|c| c.label.as_ref());
            self.text(&format!("contacts[{i}].label"), &mut contact.label, label);
            let note = tc.and_then(|c| c.note.as_ref());
            self.optional(&format!("contacts[{i}].note"), &mut contact.note, note);
        }
    }
}

/// Every text an overlay value holds, wherever it sits: what [`each_text`] should meet,
/// so that a text it does not meet translates nothing.
pub trait AllTexts {
    /// Pushes every text of `self` onto `out`.
    fn all_texts<'a>(&'a self, out: &mut Vec<&'a Text>);
}

impl AllTexts for Text {
    fn all_texts<'a>(&'a self, out: &mut Vec<&'a Text>) {
        out.push(self);
    }
}

impl<T: AllTexts> AllTexts for Option<T> {
    fn all_texts<'a>(&'a self, out: &mut Vec<&'a Text>) {
        if let Some(value) = self {
            value.all_texts(out);
        }
    }
}

impl<T: AllTexts> AllTexts for Vec<T> {
    fn all_texts<'a>(&'a self, out: &mut Vec<&'a Text>) {
        self.iter().for_each(|value| value.all_texts(out));
    }
}

impl<T: AllTexts> AllTexts for Keyed<T> {
    fn all_texts<'a>(&'a self, out: &mut Vec<&'a Text>) {
        self.0.iter().for_each(|(_, value)| value.all_texts(out));
    }
}

/// [`AllTexts`] for overlay types, from the list of their fields.
macro_rules! all_texts {
    ($($type:ident: $($field:ident),*;)*) => {
        $(impl AllTexts for super::$type {
            fn all_texts<'a>(&'a self, out: &mut Vec<&'a Text>) {
                $(self.$field.all_texts(out);)*
            }
        })*
    };
}

all_texts! {
    WaitTexts: after;
    NameTexts: name;
    ContactTexts: label, note;
    TierTexts: name, staff, can, cannot;
    OfficeTexts: name, other_names, summary, contacts, hours, jurisdiction, tiers, facts;
    ChannelTexts: name, other_names, summary, who, response_time, hours, limits, contacts, facts;
    ParameterTexts: label, when_yes, when_no, description;
    KindTexts: label, description;
    ParameterNoteTexts: note;
    PolicyTexts: name, order_reason, era, summary, parameters;
    StepTexts: title, wait, response, text, have_ready, record;
    PathTexts: name, for_whom, summary, steps, facts;
    OptionTexts: label, wait;
    NodeTexts: text, wait, options, facts;
}
