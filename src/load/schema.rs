//! The shape of the data files in `content/data/`: plain serde types, one per record kind.
//!
//! These types are the schema. Every struct denies unknown fields, so a misspelt key is a
//! build error that lists the keys allowed there. Values that other records refer to, and
//! values that validation checks, are wrapped in [`Spanned`] so that errors can point at
//! their file, line and column.
//!
//! Words written by the guide's editors (names, summaries, step texts) are plain language.
//! Facts (numbers, addresses, waits, what an office can and cannot do) always carry
//! `sources:`, a list of [`SourceRef`]s naming the source document and, ideally, quoting it.
//! Each record lists its sourced parts once, in [`Record::parts`].

use schemars::JsonSchema;
use serde::Deserialize;
pub use serde_saphyr::Spanned;

mod languages;
mod parts;
pub use languages::*;
pub use parts::*;

/// `content/site.yaml`: settings for the whole guide.
#[derive(Debug, Deserialize, JsonSchema, Default, Clone)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    /// The guide's title, shown in the header and the page titles.
    #[serde(default)]
    pub title: Option<String>,
    /// One sentence that says what the guide is for.
    #[serde(default)]
    pub description: Option<String>,
    /// The language of the pages (`lang` attribute); with `languages`, the default one,
    /// whose pages keep their addresses.
    #[serde(default)]
    pub language: Option<String>,
    /// Every language the site is published in, `language` first (`[en, es]`): the pages
    /// of each other language are under `<code>/`.
    #[serde(default)]
    pub languages: Option<Vec<String>>,
    /// The theme folder under `themes/` (default: `default`).
    #[serde(default)]
    pub theme: Option<String>,
    /// Follow symbolic links in the theme that lead outside `themes/` (default: `false`).
    /// Links in `content/` never may; set this only for a theme kept elsewhere on purpose.
    #[serde(default)]
    pub follow_theme_links: bool,
    /// Where the site will be published, for canonical links (optional).
    #[serde(default)]
    pub base_url: Option<String>,
    /// A custom domain for GitHub Pages, written to `CNAME` (e.g. `guide.example.org`).
    #[serde(default)]
    pub cname: Option<String>,
    /// A notice shown on every page, e.g. that this is not legal advice.
    #[serde(default)]
    pub disclaimer: Option<String>,
    /// The guide's own words for texts of the theme's string table (`strings.yaml` of the
    /// theme), by key: `titles: {channels: "Ways to reach the housing office"}`, or dotted,
    /// `titles.channels: …`. Only keys the theme has.
    #[serde(default)]
    pub strings: Option<StringOverrides>,
}

/// The `strings:` of `site.yaml`: texts and groups of texts by key. Read for their words and
/// places by [`crate::load`]; this type only checks that they form a map.
#[derive(Debug, Deserialize, Clone, Default)]
pub struct StringOverrides(
    #[allow(dead_code)] std::collections::BTreeMap<String, serde::de::IgnoredAny>,
);

impl JsonSchema for StringOverrides {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "StringOverrides".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "Texts of the theme's string table, by key: a text, or a group of texts.",
            "type": "object",
            "additionalProperties": {
                "anyOf": [
                    { "type": "string" },
                    { "$ref": "#/$defs/StringOverrides" }
                ]
            }
        })
    }
}

/// A source document's trust level.
#[derive(Debug, Deserialize, JsonSchema, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Trust {
    /// Official text, authoritative for its own era.
    Official,
    /// Text that is not an official source; facts from it are shown as unverified.
    Unverified,
}

/// A record of `sources.yaml`: one source document, or one part of a document when a
/// document mixes official and unofficial text.
#[derive(Debug, Deserialize, JsonSchema, Clone)]
#[serde(deny_unknown_fields)]
pub struct SourceRecord {
    /// Stable id, kebab-case.
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    /// The title, as the document gives it or as we describe it when it has none.
    pub title: String,
    /// A short name for citations ("2024 Policy Manual"); the title when absent.
    #[serde(default)]
    pub short_title: Option<String>,
    /// Who published the document.
    pub publisher: String,
    /// The date exactly as the text states it; absent when the text is undated.
    #[serde(default)]
    pub date: Option<String>,
    /// The era as the text shows it (undated texts say so here), in our words.
    pub era: String,
    /// How far to trust it.
    pub trust: Trust,
    /// A file name under `content/sources/`.
    #[schemars(with = "String")]
    pub file: Spanned<String>,
    /// If set, the part of the file this record covers starts at the first line equal to this.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub starts_at_line: Option<Spanned<String>>,
    /// If set, the part of the file this record covers ends before the first line equal to
    /// this (searched after the start).
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub ends_before_line: Option<Spanned<String>>,
    /// What the document is and what it covers, in plain words.
    pub summary: String,
    /// Why the guide trusts it as it does.
    #[serde(default)]
    pub trust_note: Option<String>,
}

/// A citation: which source backs a fact, and the words it uses.
#[derive(Debug, Deserialize, JsonSchema, Clone)]
#[serde(deny_unknown_fields)]
pub struct SourceRef {
    /// The id of a record in `sources.yaml`.
    #[schemars(with = "String")]
    pub source: Spanned<String>,
    /// Words copied from the source; the build checks that the source contains them
    /// (ignoring differences in spaces and line breaks).
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub quote: Option<Spanned<String>>,
    /// The section of the source, as the source names it.
    #[serde(default)]
    pub section: Option<String>,
}

/// A sourced statement, in our words.
#[derive(Debug, Deserialize, JsonSchema, Clone)]
#[serde(deny_unknown_fields)]
pub struct Fact {
    /// The statement, in plain language.
    #[schemars(with = "String")]
    pub text: Spanned<String>,
    /// Facts that share a slot within one record say the same thing in different policy
    /// versions; the page shows the newest as current and the others as earlier wording.
    #[serde(default)]
    pub slot: Option<String>,
    /// `false` leaves the fact off the printed one-page handout; it stays on the web page.
    /// For background and notes on other versions, so a long path still fits one page.
    #[serde(default = "yes")]
    pub handout: bool,
    /// Where it comes from.
    #[serde(default)]
    pub sources: Vec<SourceRef>,
    /// Set when a newer version withdraws the statement (see [`Withdrawal`]).
    #[serde(default)]
    pub withdrawn: Option<Withdrawal>,
}

/// A newer policy version withdrawing a fact or contact that older versions state.
///
/// A version carries over everything older versions state that it does not mention: not
/// restating something is not withdrawing it. Write `withdrawn:` only when the newer text
/// says something that takes the item back, and quote those words.
#[derive(Debug, Deserialize, JsonSchema, Clone)]
#[serde(deny_unknown_fields)]
pub struct Withdrawal {
    /// Why this counts as withdrawn, not just left unsaid, in plain words.
    #[serde(default)]
    pub note: Option<String>,
    /// The words of the newer version's source that withdraw it (with `quote:`).
    #[serde(default)]
    pub sources: Vec<SourceRef>,
}

fn yes() -> bool {
    true
}

/// The kinds of contact detail.
#[derive(Debug, Deserialize, JsonSchema, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ContactKind {
    /// A phone number.
    Phone,
    /// A TTY or TDD number for people who are deaf, hard of hearing or have a speech disability.
    Tty,
    /// An email address.
    Email,
    /// A web address or a place on a website.
    Web,
    /// A postal address or where to find one.
    Mail,
}

/// A way to reach an office or use a channel: a phone number, email address, web page.
#[derive(Debug, Deserialize, JsonSchema, Clone)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    /// What kind of detail this is.
    pub kind: ContactKind,
    /// What it is for, in plain words ("Step 2 follow-up email").
    pub label: String,
    /// The number, address or web page, exactly as the source gives it.
    #[schemars(with = "String")]
    pub value: Spanned<String>,
    /// Who may use it, or a limit, in plain words.
    #[serde(default)]
    pub note: Option<String>,
    /// See [`Fact::slot`].
    #[serde(default)]
    pub slot: Option<String>,
    /// A yes/no policy parameter that says whether the sources publish this detail
    /// (`followup_email_published`). When the newest version that states it says
    /// no, the page warns that the detail is no longer published.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub published_per: Option<Spanned<String>>,
    /// `false` leaves the contact off the printed handouts (see [`Fact::handout`]).
    #[serde(default = "yes")]
    pub handout: bool,
    /// Where it comes from.
    #[serde(default)]
    pub sources: Vec<SourceRef>,
    /// Set when a newer version withdraws the contact (see [`Withdrawal`]).
    #[serde(default)]
    pub withdrawn: Option<Withdrawal>,
}

/// A name an office or channel had in other versions of the sources.
#[derive(Debug, Deserialize, JsonSchema, Clone)]
#[serde(deny_unknown_fields)]
pub struct OtherName {
    /// The name, as the source writes it.
    #[schemars(with = "String")]
    pub name: Spanned<String>,
    /// Where it is used.
    #[serde(default)]
    pub sources: Vec<SourceRef>,
}

/// A level of staff inside an office (the tiers of a phone line), with what the sources
/// say it can and cannot do.
#[derive(Debug, Deserialize, JsonSchema, Clone)]
#[serde(deny_unknown_fields)]
pub struct Tier {
    /// The tier's name, as the source writes it.
    #[schemars(with = "String")]
    pub name: Spanned<String>,
    /// Who staffs it, in plain words.
    #[serde(default)]
    pub staff: Option<String>,
    /// What it can do.
    #[serde(default)]
    pub can: Vec<Fact>,
    /// What it cannot do.
    #[serde(default)]
    pub cannot: Vec<Fact>,
    /// Where the description comes from.
    #[serde(default)]
    pub sources: Vec<SourceRef>,
}

/// A record of `offices.yaml`.
#[derive(Debug, Deserialize, JsonSchema, Clone)]
#[serde(deny_unknown_fields)]
pub struct OfficeRecord {
    /// Stable id, kebab-case.
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    /// The current name.
    pub name: String,
    /// Names used in other versions of the sources.
    #[serde(default)]
    pub other_names: Vec<OtherName>,
    /// What kind of office it is: the id of an office kind of `kinds.yaml`.
    #[schemars(with = "String")]
    pub kind: Spanned<String>,
    /// One or two sentences in plain words: what this office does for you.
    pub summary: String,
    /// The three letters that start the case numbers this office handles, when the guide's
    /// sources say so; the pages then offer a helper that finds the office from a number.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub receipt_prefix: Option<Spanned<String>>,
    /// Phone numbers, emails, web pages.
    #[serde(default)]
    pub contacts: Vec<Contact>,
    /// When it can be reached.
    #[serde(default)]
    pub hours: Vec<Fact>,
    /// Whom or what it serves.
    #[serde(default)]
    pub jurisdiction: Vec<Fact>,
    /// Levels of staff and what each can and cannot do.
    #[serde(default)]
    pub tiers: Vec<Tier>,
    /// Other sourced facts.
    #[serde(default)]
    pub facts: Vec<Fact>,
    /// The office this one is part of or works for, if any.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub parent: Option<Spanned<String>>,
    /// Where the record as a whole comes from.
    #[serde(default)]
    pub sources: Vec<SourceRef>,
}

/// Whether a channel handles questions about one person's case.
#[derive(Debug, Deserialize, JsonSchema, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CaseSpecific {
    /// Yes, it handles case questions.
    Yes,
    /// No, general questions only.
    No,
    /// Only in part, or only some details.
    Limited,
}

/// A record of `channels.yaml`.
#[derive(Debug, Deserialize, JsonSchema, Clone)]
#[serde(deny_unknown_fields)]
pub struct ChannelRecord {
    /// Stable id, kebab-case.
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    /// The current name.
    pub name: String,
    /// Names used in other versions of the sources.
    #[serde(default)]
    pub other_names: Vec<OtherName>,
    /// What kind of channel: the id of a channel kind of `kinds.yaml`.
    #[schemars(with = "String")]
    pub kind: Spanned<String>,
    /// One or two sentences in plain words: what it is for.
    pub summary: String,
    /// The office that answers it, if one does.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub office: Option<Spanned<String>>,
    /// Whether it handles case-specific questions.
    pub case_specific: CaseSpecific,
    /// Who may use it.
    #[serde(default)]
    pub who: Vec<Fact>,
    /// How fast an answer comes.
    #[serde(default)]
    pub response_time: Vec<Fact>,
    /// When it is open.
    #[serde(default)]
    pub hours: Vec<Fact>,
    /// Limits and cautions.
    #[serde(default)]
    pub limits: Vec<Fact>,
    /// Numbers and addresses.
    #[serde(default)]
    pub contacts: Vec<Contact>,
    /// Other sourced facts.
    #[serde(default)]
    pub facts: Vec<Fact>,
    /// Where the record as a whole comes from.
    #[serde(default)]
    pub sources: Vec<SourceRef>,
}

/// How a policy parameter counts, and so how its value reads and is checked.
#[derive(Debug, Deserialize, JsonSchema, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// A number of days, every day counted: weekends and holidays too.
    CalendarDays,
    /// A number of days counted Monday to Friday: Saturdays and Sundays are skipped (public
    /// holidays are not known to casepath, and the pages say so).
    BusinessDays,
    /// A number of things (offices, lines), not days.
    Count,
    /// Yes or no (`true` or `false`).
    YesNo,
    /// Words: a name, or a time in words ("24 to 48 hours").
    Text,
}

impl Unit {
    /// True for a number of days: a value a step or the calculator can wait.
    pub fn is_days(self) -> bool {
        matches!(self, Unit::CalendarDays | Unit::BusinessDays)
    }

    /// The unit's name as written in `parameters.yaml` and as the string table's key under
    /// `units.` (`calendar_days`).
    pub fn id(self) -> &'static str {
        match self {
            Unit::CalendarDays => "calendar_days",
            Unit::BusinessDays => "business_days",
            Unit::Count => "count",
            Unit::YesNo => "yes_no",
            Unit::Text => "text",
        }
    }
}

/// A record of `parameters.yaml`: one policy parameter, declared once for every version.
#[derive(Debug, Deserialize, JsonSchema, Clone)]
#[serde(deny_unknown_fields)]
pub struct ParameterRecord {
    /// The name versions give the parameter under `parameters:` and waits under
    /// `parameter:` (`followup_days`).
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    /// What it is, in plain words, for the table of rules ("Wait before you email the
    /// office").
    pub label: String,
    /// How it counts: `calendar_days`, `business_days`, `count`, `yes_no` or `text`.
    #[schemars(with = "Unit")]
    pub unit: Spanned<Unit>,
    /// For a number of days: `true` when it is a limit or a window (how far back a review
    /// reaches), not a wait that a step or the calculator counts. No step needs to name it.
    #[serde(default)]
    pub limit: bool,
    /// For `yes_no`: the words shown for yes ("published"); the theme's "yes" otherwise.
    #[serde(default)]
    pub when_yes: Option<String>,
    /// For `yes_no`: the words shown for no ("not published"); the theme's "no" otherwise.
    #[serde(default)]
    pub when_no: Option<String>,
    /// Notes for the guide's editors; not shown.
    #[serde(default)]
    pub description: Option<String>,
}

/// What a kind of `kinds.yaml` is a kind of.
#[derive(Debug, Deserialize, JsonSchema, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum KindOf {
    /// A kind of office (`kind:` of `offices.yaml`).
    Office,
    /// A kind of channel (`kind:` of `channels.yaml`).
    Channel,
}

/// A record of `kinds.yaml`: a kind of office or of channel that this guide uses.
#[derive(Debug, Deserialize, JsonSchema, Clone)]
#[serde(deny_unknown_fields)]
pub struct KindRecord {
    /// Stable id, kebab-case; what offices or channels write as their `kind:`.
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    /// `office` or `channel`.
    pub of: KindOf,
    /// The kind as pages show it ("Regional office").
    pub label: String,
    /// What it covers, for the guide's editors; not shown.
    #[serde(default)]
    pub description: Option<String>,
}

/// A policy parameter's value.
#[derive(Debug, Deserialize, JsonSchema, Clone, PartialEq, serde::Serialize)]
#[serde(untagged)]
pub enum ParamValue {
    /// Yes or no ("follow-up emails published").
    Bool(bool),
    /// A number (of days).
    Number(i64),
    /// A name or other text.
    Text(String),
}

/// One parameter of a policy version, with where the version states it.
///
/// A version lists only the parameters its source states anew or withdraws; it carries
/// over every other parameter from the versions before it.
#[derive(Debug, Deserialize, JsonSchema, Clone)]
#[serde(deny_unknown_fields)]
pub struct Parameter {
    /// The value. Leave it out when the version withdraws the parameter.
    #[serde(default)]
    #[schemars(with = "Option<ParamValue>")]
    pub value: Option<Spanned<ParamValue>>,
    /// `true` when this version withdraws a rule an older version states: no value, and a
    /// quote under `sources:` with the words that take it back.
    #[serde(default)]
    #[schemars(with = "Option<bool>")]
    pub withdrawn: Option<Spanned<bool>>,
    /// Plain words that qualify the value ("counted from your first request"), or
    /// say why it is withdrawn.
    #[serde(default)]
    pub note: Option<String>,
    /// Where this version states it.
    #[serde(default)]
    pub sources: Vec<SourceRef>,
}

impl Parameter {
    /// The value, or `None` when the parameter is withdrawn (or has none).
    pub fn value(&self) -> Option<&ParamValue> {
        self.value.as_ref().map(|v| &v.value)
    }

    /// True when the version withdraws the parameter.
    pub fn is_withdrawn(&self) -> bool {
        self.withdrawn.as_ref().is_some_and(|w| w.value)
    }

    /// Where the parameter's value (or its `withdrawn:`) is written, for messages.
    pub fn location(&self) -> Option<&serde_saphyr::Location> {
        self.value
            .as_ref()
            .map(|v| &v.referenced)
            .or(self.withdrawn.as_ref().map(|w| &w.referenced))
    }
}

/// The parameter `name` as it stands at the version of order `upto`: stated by the newest
/// version up to it that lists the parameter (with a value, or withdrawn). Versions carry
/// over what they do not mention, so this is the rule in force in that version.
pub fn in_effect<'a>(
    versions: impl IntoIterator<Item = &'a PolicyRecord>,
    name: &str,
    upto: i64,
) -> Option<(&'a PolicyRecord, &'a Parameter)> {
    versions
        .into_iter()
        .filter(|v| v.order.value <= upto)
        .filter_map(|v| v.parameters.get(name).map(|p| (v, p)))
        .max_by_key(|(v, _)| v.order.value)
}

/// A record of `policies.yaml`: one policy version, as one source (or era) states it.
#[derive(Debug, Deserialize, JsonSchema, Clone)]
#[serde(deny_unknown_fields)]
pub struct PolicyRecord {
    /// Stable id, kebab-case.
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    /// A short name for the version.
    pub name: String,
    /// Position in time, oldest first; unique.
    #[schemars(with = "i64")]
    pub order: Spanned<i64>,
    /// Why the version sits at this position (the evidence, and whether it is inferred).
    pub order_reason: String,
    /// The date exactly as the sources state it; absent when undated.
    #[serde(default)]
    pub date: Option<String>,
    /// The era, in plain words.
    pub era: String,
    /// What sets this version apart, in plain words.
    pub summary: String,
    /// The parameters this version states, by name.
    #[serde(default)]
    pub parameters: std::collections::BTreeMap<String, Parameter>,
    /// The source documents of this version.
    #[serde(default)]
    pub sources: Vec<SourceRef>,
}

/// How long to wait before a step, as a policy parameter (so every version renders right).
#[derive(Debug, Deserialize, JsonSchema, Clone)]
#[serde(deny_unknown_fields)]
pub struct Wait {
    /// The name of a policy parameter that holds the number of days.
    #[schemars(with = "String")]
    pub parameter: Spanned<String>,
    /// What the wait counts from, in plain words ("after your call").
    pub after: String,
    /// True when some versions that state this step do not state the wait; their pages
    /// then say the version does not say. Otherwise every such version must state it.
    #[serde(default)]
    pub optional: bool,
}

/// One step of an escalation path.
#[derive(Debug, Deserialize, JsonSchema, Clone)]
#[serde(deny_unknown_fields)]
pub struct StepRecord {
    /// Stable id within the path, kebab-case (the step's anchor).
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    /// The action, first, in plain words ("Call the help desk").
    pub title: String,
    /// How long to wait before taking this step, if the sources say.
    #[serde(default)]
    pub wait: Option<Wait>,
    /// The office to contact.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub office: Option<Spanned<String>>,
    /// The channel to use.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub channel: Option<Spanned<String>>,
    /// What to do, in plain words.
    #[serde(default)]
    pub text: Vec<Fact>,
    /// What to have ready.
    #[serde(default)]
    pub have_ready: Vec<Fact>,
    /// What to write down.
    #[serde(default)]
    pub record: Vec<Fact>,
    /// How long an answer takes, as a policy parameter of days, if the sources say.
    #[serde(default)]
    pub response: Option<Wait>,
    /// Where the step comes from.
    #[serde(default)]
    pub sources: Vec<SourceRef>,
}

/// A record of `paths.yaml`: an escalation path, an ordered list of steps.
#[derive(Debug, Deserialize, JsonSchema, Clone)]
#[serde(deny_unknown_fields)]
pub struct PathRecord {
    /// Stable id, kebab-case.
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    /// The situation, in plain words ("Your case is at a regional office").
    pub name: String,
    /// Who this path is for.
    pub for_whom: String,
    /// One or two sentences: what this path does.
    pub summary: String,
    /// The steps, in order.
    pub steps: Vec<StepRecord>,
    /// Other sourced facts (cautions, exceptions).
    #[serde(default)]
    pub facts: Vec<Fact>,
    /// Where the path as a whole comes from.
    #[serde(default)]
    pub sources: Vec<SourceRef>,
}

/// The kinds of node in the decision flowchart.
#[derive(Debug, Deserialize, JsonSchema, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum NodeKind {
    /// A question; each option is an answer.
    Question,
    /// Something to do; its options say where to go next.
    Action,
    /// Where the chart ends: a path, office or channel to use.
    Outcome,
}

/// A labelled edge of the flowchart: an answer to a question, or the way on from an action.
#[derive(Debug, Deserialize, JsonSchema, Clone)]
#[serde(deny_unknown_fields)]
pub struct FlowOptionRecord {
    /// The answer, or what happened ("No answer after {wait}"), in plain words.
    #[schemars(with = "String")]
    pub label: Spanned<String>,
    /// The id of the node it leads to.
    #[schemars(with = "String")]
    pub to: Spanned<String>,
    /// The wait the label's `{wait}` stands for, as a policy parameter of days.
    #[serde(default)]
    pub wait: Option<Wait>,
}

/// A record of `flowchart.yaml`: one node of the decision flowchart.
#[derive(Debug, Deserialize, JsonSchema, Clone)]
#[serde(deny_unknown_fields)]
pub struct FlowNodeRecord {
    /// Stable id, kebab-case (the node's web address).
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    /// Question, action or outcome.
    pub kind: NodeKind,
    /// `true` on the one node the chart starts at.
    #[serde(default)]
    #[schemars(with = "Option<bool>")]
    pub start: Option<Spanned<bool>>,
    /// The question or the action, first, in plain words. A wait is written `{wait}` and
    /// comes from `wait:`, never as a number in the text.
    #[schemars(with = "String")]
    pub text: Spanned<String>,
    /// The wait the text's `{wait}` stands for, as a policy parameter of days.
    #[serde(default)]
    pub wait: Option<Wait>,
    /// The answers (questions) or the ways on (actions); outcomes have none.
    #[serde(default)]
    pub options: Vec<FlowOptionRecord>,
    /// The escalation path this node leads to.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub path: Option<Spanned<String>>,
    /// A step of a path, written `path-id#step-id`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub step: Option<Spanned<String>>,
    /// The office to contact.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub office: Option<Spanned<String>>,
    /// The channel to use.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub channel: Option<Spanned<String>>,
    /// More sourced facts, shown on the node's own page.
    #[serde(default)]
    pub facts: Vec<Fact>,
    /// Where the node comes from.
    #[serde(default)]
    pub sources: Vec<SourceRef>,
}

/// The front matter of a Markdown page.
#[derive(Debug, Deserialize, JsonSchema, Default, Clone)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    /// The page title.
    pub title: String,
    /// One sentence for the page list and the meta description.
    #[serde(default)]
    pub description: Option<String>,
    /// Sort order in lists; lower first.
    #[serde(default)]
    pub weight: i64,
    /// On a translation (`name.<lang>.md`): the fingerprint of the original's text it was
    /// made from.
    #[serde(default)]
    pub translated_from: Option<String>,
}

/// The JSON Schema of each file `content/` holds, by file name (`offices.yaml`, …), made
/// from these types, so editors can check and complete the YAML as it is typed.
pub fn json_schemas() -> Vec<(&'static str, serde_json::Value)> {
    fn of<T: JsonSchema>(title: &str) -> serde_json::Value {
        let mut schema = schemars::schema_for!(T).to_value();
        if let Some(object) = schema.as_object_mut() {
            object.insert("title".into(), title.into());
        }
        schema
    }
    vec![
        (
            "site.yaml",
            of::<SiteConfig>("casepath site configuration (content/site.yaml)"),
        ),
        (
            "sources.yaml",
            of::<Vec<SourceRecord>>("casepath sources (content/data/sources.yaml)"),
        ),
        (
            "offices.yaml",
            of::<Vec<OfficeRecord>>("casepath offices (content/data/offices.yaml)"),
        ),
        (
            "channels.yaml",
            of::<Vec<ChannelRecord>>("casepath channels (content/data/channels.yaml)"),
        ),
        (
            "parameters.yaml",
            of::<Vec<ParameterRecord>>("casepath policy parameters (content/data/parameters.yaml)"),
        ),
        (
            "kinds.yaml",
            of::<Vec<KindRecord>>("casepath kinds of office and channel (content/data/kinds.yaml)"),
        ),
        (
            "policies.yaml",
            of::<Vec<PolicyRecord>>("casepath policy versions (content/data/policies.yaml)"),
        ),
        (
            "paths.yaml",
            of::<Vec<PathRecord>>("casepath escalation paths (content/data/paths.yaml)"),
        ),
        (
            "flowchart.yaml",
            of::<Vec<FlowNodeRecord>>("casepath decision flowchart (content/data/flowchart.yaml)"),
        ),
        (
            "front-matter.yaml",
            of::<FrontMatter>("casepath Markdown page front matter"),
        ),
    ]
}
