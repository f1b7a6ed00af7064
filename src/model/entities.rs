//! The resolved entities: offices, channels, paths, sources, versions, pages, and the
//! links, citations, facts and contacts inside them.

use super::{Schedule, Switch};
use crate::load::schema::ContactKind;
use serde::Serialize;

/// A resolved reference to an entity.
#[derive(Debug, Serialize, Clone, PartialEq, Eq, Hash)]
pub struct Link {
    /// `office`, `channel`, `path`, `source`, `version` or `page`.
    pub kind: &'static str,
    /// The entity's id.
    pub id: String,
    /// The entity's name.
    pub name: String,
    /// Site-relative URL.
    pub url: String,
}

/// A resolved citation.
#[derive(Debug, Serialize, Clone, PartialEq)]
pub struct Citation {
    /// The source document (its name is the short title).
    pub source: Link,
    /// Link to the source page, at the quoted line when there is a quote.
    pub href: String,
    /// The line of the source file the quote starts on.
    pub line: Option<usize>,
    /// The quoted words.
    pub quote: Option<String>,
    /// The section of the source.
    pub section: Option<String>,
    /// True when the source is not an official one.
    pub unverified: bool,
    /// The policy version the source belongs to, if any.
    pub version: Option<Link>,
}

/// A sourced statement, resolved.
#[derive(Debug, Serialize, Clone)]
pub struct FactView {
    /// The statement.
    pub text: String,
    /// Its sources.
    pub citations: Vec<Citation>,
    /// True when every source is unofficial.
    pub unverified: bool,
    /// Other wording of the same slot in older versions.
    pub earlier: Vec<FactView>,
    /// Set when the version shown (or an older one) withdraws the statement.
    pub withdrawn: Option<Withdrawn>,
    /// False when the editors leave it off the printed handout.
    pub handout: bool,
    /// The slot it shares with other statements of the same thing (not shown).
    #[serde(skip)]
    pub slot: Option<String>,
    /// The order of the newest version its citations reach (not shown).
    #[serde(skip)]
    pub newest: i64,
}

/// A contact detail, resolved.
#[derive(Debug, Serialize, Clone)]
pub struct ContactView {
    /// `phone`, `tty`, `email`, `web` or `mail`.
    pub kind: ContactKind,
    /// What it is for.
    pub label: String,
    /// The number or address as the source writes it.
    pub value: String,
    /// A `tel:`, `mailto:` or `https:` link, when the value is one.
    pub href: Option<String>,
    /// Who may use it, or a limit.
    pub note: Option<String>,
    /// Its sources.
    pub citations: Vec<Citation>,
    /// True when every source is unofficial.
    pub unverified: bool,
    /// The same slot as older versions give it.
    pub earlier: Vec<ContactView>,
    /// Set when the version shown (or an older one) withdraws this detail: explicitly, or
    /// by saying no to its `published_per` parameter.
    pub withdrawn: Option<Withdrawn>,
    /// False when the editors leave it off the printed handouts.
    pub handout: bool,
    /// The slot it shares with other statements of the same thing (not shown).
    #[serde(skip)]
    pub slot: Option<String>,
    /// The order of the newest version its citations reach (not shown).
    #[serde(skip)]
    pub newest: i64,
}

/// A fact or contact detail that a version withdraws.
#[derive(Debug, Serialize, Clone, PartialEq)]
pub struct Withdrawn {
    /// The version that withdraws it.
    pub version: Link,
    /// What that version says instead, or why it counts as withdrawn.
    pub note: Option<String>,
    /// The words that withdraw it.
    pub citations: Vec<Citation>,
}

/// A former or other name.
#[derive(Debug, Serialize, Clone)]
pub struct NameView {
    /// The name.
    pub name: String,
    /// Where it is used.
    pub citations: Vec<Citation>,
}

/// A tier of staff with what it can and cannot do.
#[derive(Debug, Serialize)]
pub struct TierView {
    /// The tier's name.
    pub name: String,
    /// Who staffs it.
    pub staff: Option<String>,
    /// What it can do.
    pub can: Vec<FactView>,
    /// What it cannot do.
    pub cannot: Vec<FactView>,
    /// Where the description comes from.
    pub citations: Vec<Citation>,
}

/// Something that links to an entity.
#[derive(Debug, Serialize, Clone)]
pub struct Backlink {
    /// The linking page.
    pub from: Link,
    /// Where on it ("Step 2: Email the office").
    pub context: Option<String>,
}

/// An office.
#[derive(Debug, Serialize)]
pub struct Office {
    /// Id.
    pub id: String,
    /// Current name.
    pub name: String,
    /// URL of its page.
    pub url: String,
    /// Names in other versions.
    pub other_names: Vec<NameView>,
    /// Kind, as a word for display.
    pub kind: String,
    /// Plain summary.
    pub summary: String,
    /// Receipt-number prefix, with its sources.
    pub receipt_prefix: Option<PrefixView>,
    /// Contacts.
    pub contacts: Vec<ContactView>,
    /// Hours.
    pub hours: Vec<FactView>,
    /// Whom it serves.
    pub jurisdiction: Vec<FactView>,
    /// Staff tiers.
    pub tiers: Vec<TierView>,
    /// Other facts.
    pub facts: Vec<FactView>,
    /// Parent office.
    pub parent: Option<Link>,
    /// Offices that name this one as parent.
    pub children: Vec<Link>,
    /// Channels this office answers.
    pub channels: Vec<Link>,
    /// Sources of the record.
    pub citations: Vec<Citation>,
    /// What links here.
    pub backlinks: Vec<Backlink>,
    /// The same office in each view.
    pub switch: Vec<Switch>,
}

/// A receipt prefix and where it is stated.
#[derive(Debug, Serialize)]
pub struct PrefixView {
    /// Three letters.
    pub value: String,
}

/// A channel.
#[derive(Debug, Serialize)]
pub struct Channel {
    /// Id.
    pub id: String,
    /// Current name.
    pub name: String,
    /// URL of its page.
    pub url: String,
    /// Names in other versions.
    pub other_names: Vec<NameView>,
    /// Kind, as a word for display.
    pub kind: String,
    /// Plain summary.
    pub summary: String,
    /// The office that answers it.
    pub office: Option<Link>,
    /// "Yes", "No" or "Only in part".
    pub case_specific: String,
    /// Who may use it.
    pub who: Vec<FactView>,
    /// How fast an answer comes.
    pub response_time: Vec<FactView>,
    /// When it is open.
    pub hours: Vec<FactView>,
    /// Limits.
    pub limits: Vec<FactView>,
    /// Numbers and addresses.
    pub contacts: Vec<ContactView>,
    /// Other facts.
    pub facts: Vec<FactView>,
    /// Sources of the record.
    pub citations: Vec<Citation>,
    /// What links here.
    pub backlinks: Vec<Backlink>,
    /// The same channel in each view.
    pub switch: Vec<Switch>,
}

/// A wait before a step (or for an answer), resolved for the current view.
#[derive(Debug, Serialize, Clone)]
pub struct WaitView {
    /// The parameter name.
    pub parameter: String,
    /// Its label.
    pub label: String,
    /// Days, in the current view.
    pub days: i64,
    /// How the days are counted: `calendar_days` or `business_days`.
    pub unit: crate::load::schema::Unit,
    /// What the wait counts from.
    pub after: String,
    /// The version the current value comes from.
    pub version: Link,
    /// A note on the value in that version.
    pub note: Option<String>,
    /// Where that version states it.
    pub citations: Vec<Citation>,
    /// The value in other versions that state a different number.
    pub others: Vec<OtherValue>,
}

/// A parameter's value in another version.
#[derive(Debug, Serialize, Clone)]
pub struct OtherValue {
    /// The value, for display.
    pub display: String,
    /// The version.
    pub version: Link,
    /// Where that version states it.
    pub citations: Vec<Citation>,
}

/// A step of a path.
#[derive(Debug, Serialize)]
pub struct Step {
    /// Id (the anchor).
    pub id: String,
    /// 1-based position.
    pub number: usize,
    /// The action.
    pub title: String,
    /// Wait before the step.
    pub wait: Option<WaitView>,
    /// Wait for an answer.
    pub response: Option<WaitView>,
    /// Office to contact.
    pub office: Option<Link>,
    /// Channel to use.
    pub channel: Option<Link>,
    /// The contacts to use for this step (the channel's, else the office's).
    pub contacts: Vec<ContactView>,
    /// What to do.
    pub text: Vec<FactView>,
    /// What to have ready.
    pub have_ready: Vec<FactView>,
    /// What to write down.
    pub record: Vec<FactView>,
    /// Sources of the step.
    pub citations: Vec<Citation>,
    /// Labels of the waits this step has that the viewed version does not state.
    pub unstated_waits: Vec<String>,
    /// Offices whose own contact details this step's channel lists (the offices whose
    /// follow-up addresses an "email your office" step gives).
    pub related_offices: Vec<Link>,
}

/// An escalation path.
#[derive(Debug, Serialize)]
pub struct Path {
    /// Id.
    pub id: String,
    /// The situation.
    pub name: String,
    /// URL of its page.
    pub url: String,
    /// Who it is for.
    pub for_whom: String,
    /// Plain summary.
    pub summary: String,
    /// Steps in order.
    pub steps: Vec<Step>,
    /// Other facts.
    pub facts: Vec<FactView>,
    /// Sources.
    pub citations: Vec<Citation>,
    /// What links here.
    pub backlinks: Vec<Backlink>,
    /// The same path in each view.
    pub switch: Vec<Switch>,
    /// The path's waits in each version, when it has any (current view only).
    pub schedule: Option<Schedule>,
}

/// A source document (or part of one).
#[derive(Debug, Serialize)]
pub struct Source {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// URL of its page.
    pub url: String,
    /// Publisher.
    pub publisher: String,
    /// Date as stated, if any.
    pub date: Option<String>,
    /// Era.
    pub era: String,
    /// True when not an official source.
    pub unverified: bool,
    /// File name under `content/sources/`.
    pub file: String,
    /// Summary.
    pub summary: String,
    /// Why it is trusted as it is.
    pub trust_note: Option<String>,
    /// The text of the part this record covers.
    pub text: String,
    /// The line of the file the text starts on.
    pub first_line: usize,
    /// The non-empty lines of the text, numbered as in the file (anchors `L<n>`).
    pub lines: Vec<SourceLine>,
    /// Policy versions that rest on this source.
    pub versions: Vec<Link>,
    /// What cites it.
    pub backlinks: Vec<Backlink>,
}

/// One line of a source text.
#[derive(Debug, Serialize)]
pub struct SourceLine {
    /// The line number in the file.
    pub number: usize,
    /// The text, without the line break.
    pub text: String,
}

/// A policy version.
#[derive(Debug, Serialize)]
pub struct Version {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Position, oldest first.
    pub order: i64,
    /// Why it sits there.
    pub order_reason: String,
    /// Date as stated, if any.
    pub date: Option<String>,
    /// Era.
    pub era: String,
    /// Summary.
    pub summary: String,
    /// Anchor URL on the versions page.
    pub url: String,
    /// The parameters it states itself: new values, and the rules it withdraws.
    pub parameters: Vec<VersionParameter>,
    /// The parameters it carries over from older versions without restating them (and the
    /// rules an older version withdrew), each with the version it comes from.
    pub carried_over: Vec<VersionParameter>,
    /// Its sources.
    pub citations: Vec<Citation>,
}

/// A parameter as it stands in a version.
#[derive(Debug, Serialize, Clone)]
pub struct VersionParameter {
    /// Name.
    pub name: String,
    /// Label.
    pub label: String,
    /// Value for display; empty when withdrawn.
    pub display: String,
    /// True when the version in `from` withdraws the rule.
    pub withdrawn: bool,
    /// Note.
    pub note: Option<String>,
    /// Where the version in `from` states it.
    pub citations: Vec<Citation>,
    /// The version that states it (the version itself, or an older one it carries over).
    pub from: Link,
}

/// A parameter across versions.
#[derive(Debug, Serialize)]
pub struct ParameterView {
    /// Name.
    pub name: String,
    /// Label.
    pub label: String,
    /// Current value for display (empty when withdrawn).
    pub current: String,
    /// True when the newest version that speaks to it withdraws it.
    pub current_withdrawn: bool,
    /// The version it comes from.
    pub current_version: Link,
    /// The rule in each version, oldest first.
    pub by_version: Vec<ParameterCell>,
}

/// A parameter in one version, for the table of rules.
#[derive(Debug, Serialize)]
pub struct ParameterCell {
    /// The value in force, for display (`None` when no version up to this one states it,
    /// or when it is withdrawn).
    pub display: Option<String>,
    /// `stated` (this version states it), `carried-over` (an older version does),
    /// `withdrawn` or `none`.
    pub state: &'static str,
    /// The version the value or withdrawal comes from.
    pub from: Option<Link>,
}

/// A Markdown page.
#[derive(Debug, Serialize)]
pub struct Page {
    /// Path under `content/pages/`.
    pub source_path: String,
    /// URL.
    pub url: String,
    /// Title.
    pub title: String,
    /// Description.
    pub description: Option<String>,
    /// Weight.
    pub weight: i64,
    /// Rendered body, with links relative to the page.
    pub html: String,
    /// What links here.
    pub backlinks: Vec<Backlink>,
}
