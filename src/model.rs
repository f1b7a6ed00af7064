//! Stage 3, **resolve**: the Site model, and how it is made from validated content.
//!
//! The Site model is what templates see: plain, serialisable Rust types in which every
//! reference is already resolved to a [`Link`] (name and URL), every citation names its
//! source and policy version, every wait carries its number of days for the current view,
//! and every entity lists what links to it (backlinks). Templates only loop and print.
//!
//! **Versions inherit.** A policy version states only what its source changes: it carries
//! over every parameter and every fact, contact, tier and step of the versions before it,
//! unless it states a new value (a parameter, or a fact or contact in the same `slot`) or
//! explicitly withdraws the item (`withdrawn:`, with the quote that shows it). So the view
//! of a version shows everything its own and older sources state, minus what it or an older
//! version withdraws; a withdrawn contact or fact stays on the page with a warning that
//! names the withdrawing version and quotes it.
//!
//! **Current view.** The current view is the newest version with everything it inherits,
//! plus the facts of sources that belong to no version (shown as unverified when their
//! source is). Where sources disagree, the value shown is the one from the newest version
//! that states it: for a policy parameter, the version with the highest `order` that has
//! the parameter; for facts and contacts that share a `slot`, the one whose citations reach
//! the newest version. The others are kept as `earlier` so pages can show them with their
//! sources.
//!
//! URLs are site-relative paths to files (`offices/help-desk/index.html`), so
//! templates make relative links by prefixing the page's `root` (`../../`).

use std::collections::{BTreeMap, HashMap, HashSet};

use rayon::prelude::*;
use serde::Serialize;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::load::schema::*;
use crate::load::Content;
use crate::markdown::{self, LinkError};
use crate::strings::Strings;
use crate::validate::{nearest, step_sources, Validated};

/// The whole site, resolved.
#[derive(Debug, Serialize)]
pub struct Site {
    /// Site-wide settings.
    pub info: SiteInfo,
    /// Source documents.
    pub sources: Vec<Source>,
    /// Policy versions, oldest first.
    pub versions: Vec<Version>,
    /// Every policy parameter with its current value and its value in each version.
    pub parameters: Vec<ParameterView>,
    /// Offices.
    pub offices: Vec<Office>,
    /// Channels.
    pub channels: Vec<Channel>,
    /// Escalation paths.
    pub paths: Vec<Path>,
    /// Markdown pages, by weight then title.
    pub pages: Vec<Page>,
    /// One printable handout per path, in the paths' order.
    pub handouts: Vec<crate::handout::Handout>,
    /// The offices, channels and paths as each policy version alone states them.
    pub views: Vec<VersionView>,
    /// What changed between each pair of versions, older first.
    pub diffs: Vec<crate::versions::Diff>,
    /// Receipt-number prefixes and the office each belongs to, for the receipt helper.
    pub prefixes: Vec<PrefixRow>,
    /// The decision flowchart, if the guide has one.
    pub flowchart: Option<crate::flowchart::Flowchart>,
    /// Where the flowchart is and the chart of each version, for the menu and the version
    /// switcher: the few fields every page needs, without the whole chart.
    pub chart_links: Option<ChartLinks>,
    /// The folders of `content/pages/`, each with its pages and subfolders; the first is
    /// the top level (listed on the home page), the others get a page of their own unless
    /// they hold an `index.md`.
    pub folders: Vec<Folder>,
    /// The first [`FOOTER_PAGES`] pages of the top-level folder, for the footer of every
    /// page: prepared here so that no template loops over every page to show a few.
    pub footer_pages: Vec<Link>,
    /// For each version, in the order of `versions`: the diffs it is part of, so that a
    /// version's page and the versions page need not look through every diff.
    pub compare: Vec<VersionDiffs>,
    /// The string table: the words of the theme and of the guide that pages show around
    /// the data (titles, labels, units). Templates read it through their `t` function.
    #[serde(skip)]
    pub strings: Strings,
}

/// The diffs one version is part of.
#[derive(Debug, Serialize, Default)]
pub struct VersionDiffs {
    /// Each diff from or to it, in the order of `Site::diffs`.
    pub diffs: Vec<DiffLink>,
    /// The diff from the version before it (by index into `Site::diffs`), if there is one.
    pub since_previous: Option<usize>,
}

/// A link to a diff page, with the names of its two versions.
#[derive(Debug, Serialize)]
pub struct DiffLink {
    /// Site-relative URL of the diff page.
    pub url: String,
    /// The version compared from.
    pub from: String,
    /// The version compared to.
    pub to: String,
}

/// How many pages of the top-level folder the footer of every page links to.
pub const FOOTER_PAGES: usize = 6;

/// Links to the decision flowchart.
#[derive(Debug, Serialize)]
pub struct ChartLinks {
    /// URL of the chart of the newest sources.
    pub url: String,
    /// URL of its first question.
    pub start_url: String,
    /// The chart as each policy version gives it: the version's id and name, the chart's URL.
    pub versions: Vec<Link>,
}

/// A folder of Markdown pages.
#[derive(Debug, Serialize)]
pub struct Folder {
    /// URL of its listing page (`guide/index.html`; `index.html` for the top level).
    pub url: String,
    /// Its name, from the folder name.
    pub title: String,
    /// True when an `index.md` of the folder is its page (no listing is generated).
    pub has_index_page: bool,
    /// Pages directly in it, by weight then title.
    pub pages: Vec<Link>,
    /// Folders directly in it.
    pub folders: Vec<Link>,
}

/// A receipt-number prefix: its office, the office's email, and the step to follow.
#[derive(Debug, Serialize)]
pub struct PrefixRow {
    /// Three letters.
    pub prefix: String,
    /// The office.
    pub office: Link,
    /// The office's first email contact, with its withdrawn status.
    pub email: Option<ContactView>,
    /// The path step that uses this office (URL with the step's anchor), if any.
    pub step: Option<Link>,
    /// Where the prefix is stated (the office's sources).
    pub citations: Vec<Citation>,
}

/// The waits of a path, in each version, for the deadline calculator.
#[derive(Debug, Serialize)]
pub struct Schedule {
    /// One column per wait, in step order.
    pub columns: Vec<ScheduleColumn>,
    /// How the waits count their days, each unit once, in the order of the columns.
    pub units: Vec<Unit>,
    /// One row per view: the newest sources first, then each version, oldest first.
    pub rows: Vec<ScheduleRow>,
}

/// A wait of a path.
#[derive(Debug, Serialize)]
pub struct ScheduleColumn {
    /// The step's number.
    pub step: usize,
    /// The step's title.
    pub title: String,
    /// The step's id (anchor).
    pub id: String,
    /// `wait` (before the step) or `response` (for the step's answer).
    pub kind: &'static str,
    /// What the wait counts from.
    pub after: String,
    /// How its days are counted: `calendar_days` or `business_days`.
    pub unit: Unit,
}

/// The days of each wait in one view.
#[derive(Debug, Serialize)]
pub struct ScheduleRow {
    /// `current` or the version's id.
    pub id: String,
    /// "Newest sources" or the version's name.
    pub name: String,
    /// Days per column; `None` where the version does not say.
    pub days: Vec<Option<i64>>,
}

/// What one policy version states: its offices, channels and paths, with their pages
/// under `versions/<id>/`.
#[derive(Debug, Serialize)]
pub struct VersionView {
    /// The version.
    pub version: Link,
    /// Site-relative URL of the version's own index page.
    pub url: String,
    /// Offices the version's sources mention.
    pub offices: Vec<Office>,
    /// Channels the version's sources mention.
    pub channels: Vec<Channel>,
    /// Paths with at least one step the version's sources state.
    pub paths: Vec<Path>,
    /// The flowchart with this version's waits (its boxes link to the current pages).
    pub flowchart: Option<crate::flowchart::Flowchart>,
}

/// One entry of a page's version switcher, which lists every version.
#[derive(Debug, Serialize, Clone)]
pub struct Switch {
    /// "Newest sources" or the version's name.
    pub label: String,
    /// The same entity's page in that view, or the version's own page when the entity is
    /// not in that version yet.
    pub url: String,
    /// True for the page being shown.
    pub here: bool,
    /// False when no source up to that version states the entity.
    pub present: bool,
}

/// Site-wide settings, with defaults filled in.
#[derive(Debug, Serialize)]
pub struct SiteInfo {
    /// Title of the guide.
    pub title: String,
    /// What the guide is for.
    pub description: String,
    /// Page language.
    pub language: String,
    /// Notice shown on every page.
    pub disclaimer: Option<String>,
    /// Canonical base URL, without a trailing slash.
    pub base_url: Option<String>,
    /// Custom domain for GitHub Pages.
    pub cname: Option<String>,
    /// The day the site was built, "November 25, 2026" (see [`crate::build_date`]).
    pub build_date: String,
    /// The same day as `2026-11-25`.
    pub build_date_iso: String,
}

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
    #[serde(skip)]
    slot: Option<String>,
    #[serde(skip)]
    newest: i64,
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
    #[serde(skip)]
    slot: Option<String>,
    #[serde(skip)]
    newest: i64,
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
    pub unit: Unit,
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

/// Site-relative URL of an entity page.
pub fn entity_url(kind: &str, id: &str) -> String {
    format!("{}/{id}/index.html", section_of(kind))
}

/// The folder an entity kind's pages live in.
pub fn section_of(kind: &str) -> &'static str {
    match kind {
        "office" => "offices",
        "channel" => "channels",
        "path" => "paths",
        "source" => "sources",
        _ => "versions",
    }
}

/// Top-level folders the generator owns; Markdown pages may not use them.
pub const RESERVED_SECTIONS: [&str; 8] = [
    "offices",
    "channels",
    "paths",
    "sources",
    "versions",
    "static",
    "flowchart",
    "handouts",
];

/// The `../` prefix that leads from a page at `url` back to the site root.
pub fn root_of(url: &str) -> String {
    "../".repeat(url.matches('/').count())
}

/// Resolves validated content into the Site model.
pub fn resolve(validated: &Validated) -> Result<Site, Diagnostics> {
    let Validated {
        content, slices, ..
    } = validated;
    let resolver = Resolver::new(content, slices);
    let mut diagnostics = Diagnostics::new();
    let build_date = crate::build_date::build_date();

    let info = SiteInfo {
        title: content
            .config
            .title
            .clone()
            .unwrap_or_else(|| content.strings.get("layout.default_title").to_string()),
        description: content.config.description.clone().unwrap_or_default(),
        language: content
            .config
            .language
            .clone()
            .unwrap_or_else(|| "en".to_string()),
        disclaimer: content.config.disclaimer.clone(),
        base_url: content
            .config
            .base_url
            .as_ref()
            .map(|u| u.trim_end_matches('/').to_string()),
        cname: content.config.cname.clone(),
        build_date: build_date.long(),
        build_date_iso: build_date.iso(),
    };

    let versions: Vec<Version> = resolver
        .versions
        .iter()
        .map(|p| resolver.version(p))
        .collect();

    let parameters = resolver.parameter_views();

    let offices: Vec<Office> = content
        .offices
        .records
        .iter()
        .map(|o| resolver.office(o))
        .collect();
    let channels: Vec<Channel> = content
        .channels
        .records
        .iter()
        .map(|c| resolver.channel(c))
        .collect();
    let paths: Vec<Path> = content
        .paths
        .records
        .iter()
        .map(|p| resolver.path(p))
        .collect();

    let sources: Vec<Source> = content
        .sources
        .records
        .iter()
        .map(|s| {
            let slice = slices.get(&s.id.value);
            Source {
                id: s.id.value.clone(),
                title: s.title.clone(),
                url: entity_url("source", &s.id.value),
                publisher: s.publisher.clone(),
                date: s.date.clone(),
                era: s.era.clone(),
                unverified: s.trust == Trust::Unverified,
                file: s.file.value.clone(),
                summary: s.summary.clone(),
                trust_note: s.trust_note.clone(),
                text: slice.map(|s| s.text.clone()).unwrap_or_default(),
                first_line: slice.map_or(1, |s| s.first_line),
                lines: slice.map(numbered_lines).unwrap_or_default(),
                versions: resolver
                    .versions
                    .iter()
                    .filter(|v| v.sources.iter().any(|c| c.source.value == s.id.value))
                    .map(|v| resolver.version_link(v))
                    .collect(),
                backlinks: Vec::new(),
            }
        })
        .collect();

    let pages = resolver.pages(content, &mut diagnostics);
    let flowchart = crate::flowchart::resolve(
        &content.flowchart.records,
        &crate::flowchart::Entities {
            offices: &offices,
            channels: &channels,
            paths: &paths,
        },
        &resolver,
        "flowchart/",
    );

    let entities = crate::flowchart::Entities {
        offices: &offices,
        channels: &channels,
        paths: &paths,
    };
    let views = resolver
        .versions
        .iter()
        .map(|version| {
            resolver
                .for_version(version)
                .version_view(content, version, &entities)
        })
        .collect();

    let mut site = Site {
        info,
        sources,
        versions,
        parameters,
        offices,
        channels,
        paths,
        pages,
        views,
        diffs: Vec::new(),
        prefixes: Vec::new(),
        folders: Vec::new(),
        footer_pages: Vec::new(),
        compare: Vec::new(),
        flowchart,
        chart_links: None,
        handouts: Vec::new(),
        strings: content.strings.clone(),
    };
    let page_links = resolver
        .page_links
        .into_inner()
        .unwrap_or_else(|e| e.into_inner());
    add_backlinks(&mut site, page_links);
    add_switches(&mut site);
    site.diffs = crate::versions::all_diffs(&site);
    site.compare = version_diffs(&site);
    site.prefixes = prefix_rows(&site);
    site.folders = folders(&site.pages, site.strings.get("home.more_reading"));
    site.footer_pages = site.folders[0]
        .pages
        .iter()
        .take(FOOTER_PAGES)
        .cloned()
        .collect();
    site.handouts = crate::handout::handouts(&site);
    site.chart_links = chart_links(&site);
    diagnostics.into_result(site)
}

/// The diffs each version is part of ([`Site::compare`]), in one pass over the diffs.
fn version_diffs(site: &Site) -> Vec<VersionDiffs> {
    let index: HashMap<&str, usize> = site
        .versions
        .iter()
        .enumerate()
        .map(|(i, v)| (v.id.as_str(), i))
        .collect();
    let mut compare: Vec<VersionDiffs> = site
        .versions
        .iter()
        .map(|_| VersionDiffs::default())
        .collect();
    for (d, diff) in site.diffs.iter().enumerate() {
        let (Some(&from), Some(&to)) = (
            index.get(diff.from.id.as_str()),
            index.get(diff.to.id.as_str()),
        ) else {
            continue;
        };
        for v in if from == to {
            vec![from]
        } else {
            vec![from, to]
        } {
            compare[v].diffs.push(DiffLink {
                url: diff.url.clone(),
                from: diff.from.name.clone(),
                to: diff.to.name.clone(),
            });
        }
        if from + 1 == to && compare[to].since_previous.is_none() {
            compare[to].since_previous = Some(d);
        }
    }
    compare
}

/// The links to the flowchart and to each version's chart, if the guide has a flowchart.
fn chart_links(site: &Site) -> Option<ChartLinks> {
    let chart = site.flowchart.as_ref()?;
    Some(ChartLinks {
        url: chart.url.clone(),
        start_url: chart.start.url.clone(),
        versions: site
            .views
            .iter()
            .filter_map(|view| {
                Some(Link {
                    url: view.flowchart.as_ref()?.url.clone(),
                    ..view.version.clone()
                })
            })
            .collect(),
    })
}

/// The non-empty lines of a source slice, with their line numbers in the file.
fn numbered_lines(slice: &crate::validate::SourceSlice) -> Vec<SourceLine> {
    slice
        .text
        .lines()
        .enumerate()
        .filter(|(_, text)| !text.trim().is_empty())
        .map(|(i, text)| SourceLine {
            number: slice.first_line + i,
            text: text.trim_end().to_string(),
        })
        .collect()
}

/// The flowchart resolves its citations, facts and waits in the current view.
impl crate::flowchart::Lookup for Resolver<'_> {
    fn citations(&self, refs: &[SourceRef]) -> Vec<Citation> {
        Resolver::citations(self, refs)
    }

    fn facts(&self, facts: &[Fact]) -> Vec<FactView> {
        Resolver::facts(self, facts)
    }

    fn wait(&self, wait: &Wait) -> Option<WaitView> {
        Resolver::wait(self, wait)
    }

    fn strings(&self) -> &Strings {
        self.strings
    }
}

/// An entity link found in a Markdown page: the page, the target's kind and id.
type PageLink = (Link, &'static str, String);

/// Looks things up while resolving.
struct Resolver<'a> {
    /// Versions, oldest first.
    versions: Vec<&'a PolicyRecord>,
    /// Source id → source record.
    sources: HashMap<&'a str, &'a SourceRecord>,
    /// Source id → order of the newest version resting on it.
    source_order: HashMap<&'a str, i64>,
    /// Office id → record.
    offices: HashMap<&'a str, &'a OfficeRecord>,
    /// Office id → the offices whose parent it is, so that an office's page finds them
    /// without looking through every office.
    children: HashMap<&'a str, Vec<&'a OfficeRecord>>,
    /// Office id → the channels it runs.
    office_channels: HashMap<&'a str, Vec<&'a ChannelRecord>>,
    /// Channel id → record.
    channels: HashMap<&'a str, &'a ChannelRecord>,
    /// Path id → record.
    paths: HashMap<&'a str, &'a PathRecord>,
    /// Source id → the text it covers.
    slices: &'a BTreeMap<String, crate::validate::SourceSlice>,
    /// Entity links found in Markdown pages: (page link, target kind, target id).
    page_links: std::sync::Mutex<Vec<PageLink>>,
    /// The policy version this resolver shows, or `None` for the current view (the
    /// newest version stating each value).
    view: Option<&'a PolicyRecord>,
    /// The order of the viewed version: it shows what versions up to this one state
    /// (`i64::MAX` in the current view).
    upto: i64,
    /// The string table, for the words the resolver puts around the data.
    strings: &'a Strings,
    /// Policy parameter name → its declaration in `parameters.yaml`.
    declared: HashMap<&'a str, &'a ParameterRecord>,
    /// (office or channel, kind id) → the kind's label, from `kinds.yaml`.
    kind_labels: HashMap<(KindOf, &'a str), &'a str>,
}

impl<'a> Resolver<'a> {
    fn new(
        content: &'a Content,
        slices: &'a BTreeMap<String, crate::validate::SourceSlice>,
    ) -> Self {
        let mut versions: Vec<&PolicyRecord> = content.policies.records.iter().collect();
        versions.sort_by_key(|p| p.order.value);
        let mut source_order = HashMap::new();
        for version in &versions {
            for citation in &version.sources {
                source_order.insert(citation.source.value.as_str(), version.order.value);
            }
        }
        let mut children: HashMap<&str, Vec<&OfficeRecord>> = HashMap::new();
        for office in &content.offices.records {
            if let Some(parent) = &office.parent {
                children
                    .entry(parent.value.as_str())
                    .or_default()
                    .push(office);
            }
        }
        let mut office_channels: HashMap<&str, Vec<&ChannelRecord>> = HashMap::new();
        for channel in &content.channels.records {
            if let Some(office) = &channel.office {
                office_channels
                    .entry(office.value.as_str())
                    .or_default()
                    .push(channel);
            }
        }
        Resolver {
            versions,
            children,
            office_channels,
            sources: content
                .sources
                .records
                .iter()
                .map(|r| (r.id.value.as_str(), r))
                .collect(),
            source_order,
            offices: content
                .offices
                .records
                .iter()
                .map(|r| (r.id.value.as_str(), r))
                .collect(),
            channels: content
                .channels
                .records
                .iter()
                .map(|r| (r.id.value.as_str(), r))
                .collect(),
            paths: content
                .paths
                .records
                .iter()
                .map(|r| (r.id.value.as_str(), r))
                .collect(),
            slices,
            page_links: Default::default(),
            view: None,
            upto: i64::MAX,
            strings: &content.strings,
            declared: content
                .parameters
                .records
                .iter()
                .map(|p| (p.id.value.as_str(), p))
                .collect(),
            kind_labels: content
                .kinds
                .records
                .iter()
                .map(|k| ((k.of, k.id.value.as_str()), k.label.as_str()))
                .collect(),
        }
    }

    /// The same resolver, showing what policy version `version` states and inherits.
    fn for_version(&self, version: &'a PolicyRecord) -> Self {
        Resolver {
            versions: self.versions.clone(),
            sources: self.sources.clone(),
            source_order: self.source_order.clone(),
            offices: self.offices.clone(),
            children: self.children.clone(),
            office_channels: self.office_channels.clone(),
            channels: self.channels.clone(),
            paths: self.paths.clone(),
            slices: self.slices,
            page_links: Default::default(),
            view: Some(version),
            upto: version.order.value,
            strings: self.strings,
            declared: self.declared.clone(),
            kind_labels: self.kind_labels.clone(),
        }
    }

    /// The offices, channels and paths this resolver's version states or inherits.
    fn version_view(
        &self,
        content: &Content,
        version: &PolicyRecord,
        entities: &crate::flowchart::Entities<'_>,
    ) -> VersionView {
        let prefix = self.prefix();
        let mut view = VersionView {
            flowchart: crate::flowchart::resolve(
                &content.flowchart.records,
                entities,
                self,
                &format!("{prefix}flowchart/"),
            ),
            version: self.version_link(version),
            url: format!("{prefix}index.html"),
            offices: content
                .offices
                .records
                .iter()
                .filter(|o| self.in_view(&office_sources(o)))
                .map(|o| self.office(o))
                .collect(),
            channels: content
                .channels
                .records
                .iter()
                .filter(|c| self.in_view(&channel_sources(c)))
                .map(|c| self.channel(c))
                .collect(),
            paths: content
                .paths
                .records
                .iter()
                .map(|p| self.path(p))
                .filter(|p| !p.steps.is_empty())
                .collect(),
        };
        let mut graph = LinkGraph::new(self.strings);
        graph.add_entities(&view.offices, &view.channels, &view.paths);
        graph.fill(&mut view.offices, &mut view.channels, &mut view.paths);
        view
    }

    /// True when one of these citations is visible in this view (always, in the current
    /// view).
    fn in_view(&self, refs: &[SourceRef]) -> bool {
        self.view.is_none() || refs.iter().any(|r| self.visible(r))
    }

    /// True when the citation's source belongs to the viewed version or an older one; in
    /// the current view, every source is visible, also those of no version.
    fn visible(&self, r: &SourceRef) -> bool {
        match self.source_order.get(r.source.value.as_str()) {
            Some(&order) => order <= self.upto,
            None => self.view.is_none(),
        }
    }

    /// The folder prefix of entity pages in this view (`versions/<id>/` or nothing).
    fn prefix(&self) -> String {
        self.view
            .map_or_else(String::new, |v| format!("versions/{}/", v.id.value))
    }

    fn version_link(&self, version: &PolicyRecord) -> Link {
        Link {
            kind: "version",
            id: version.id.value.clone(),
            name: version.name.clone(),
            url: format!("versions/{}/index.html", version.id.value),
        }
    }

    fn link(&self, kind: &'static str, id: &str) -> Option<Link> {
        let name = match kind {
            "office" => self.offices.get(id).map(|r| r.name.clone()),
            "channel" => self.channels.get(id).map(|r| r.name.clone()),
            "path" => self.paths.get(id).map(|r| r.name.clone()),
            "source" => self.sources.get(id).map(|r| r.title.clone()),
            "version" => {
                return self
                    .versions
                    .iter()
                    .find(|v| v.id.value == id)
                    .map(|v| self.version_link(v))
            }
            _ => None,
        }?;
        let url = match kind {
            "office" | "channel" | "path" => format!("{}{}", self.prefix(), entity_url(kind, id)),
            _ => entity_url(kind, id),
        };
        Some(Link {
            kind,
            id: id.to_string(),
            name,
            url,
        })
    }

    /// Resolves citations, one per source (the first quote of each source wins). A
    /// version's pages cite only the sources of that version and older ones.
    fn citations(&self, refs: &[SourceRef]) -> Vec<Citation> {
        let mut seen: Vec<&str> = Vec::new();
        refs.iter()
            .filter(|r| self.visible(r))
            .filter(|r| {
                let new = !seen.contains(&r.source.value.as_str());
                seen.push(&r.source.value);
                new
            })
            .filter_map(|r| {
                let record = self.sources.get(r.source.value.as_str())?;
                let url = entity_url("source", &r.source.value);
                let line = r
                    .quote
                    .as_ref()
                    .and_then(|q| self.slices.get(r.source.value.as_str())?.line_of(&q.value));
                Some(Citation {
                    source: Link {
                        kind: "source",
                        id: r.source.value.clone(),
                        name: record
                            .short_title
                            .clone()
                            .unwrap_or_else(|| record.title.clone()),
                        url: url.clone(),
                    },
                    href: match line {
                        Some(line) => format!("{url}#L{line}"),
                        None => url,
                    },
                    line,
                    quote: r.quote.as_ref().map(|q| q.value.clone()),
                    section: r.section.clone(),
                    unverified: record.trust == Trust::Unverified,
                    version: self
                        .versions
                        .iter()
                        .rev()
                        .find(|v| v.sources.iter().any(|c| c.source.value == r.source.value))
                        .map(|v| self.version_link(v)),
                })
            })
            .collect()
    }

    /// The order of the newest version, up to the viewed one, any of these sources belongs
    /// to (0 if none).
    fn newest(&self, refs: &[SourceRef]) -> i64 {
        refs.iter()
            .filter_map(|r| self.source_order.get(r.source.value.as_str()).copied())
            .filter(|&order| order <= self.upto)
            .max()
            .unwrap_or(0)
    }

    /// The withdrawal of an item, when the viewed version or an older one makes it.
    fn withdrawal(&self, withdrawal: Option<&Withdrawal>) -> Option<Withdrawn> {
        let withdrawal = withdrawal?;
        let by =
            self.versions
                .iter()
                .rev()
                .filter(|v| v.order.value <= self.upto)
                .find(|v| {
                    withdrawal.sources.iter().any(|r| {
                        self.source_order.get(r.source.value.as_str()) == Some(&v.order.value)
                    })
                })?;
        Some(Withdrawn {
            version: self.version_link(by),
            note: withdrawal.note.clone(),
            citations: self.citations(&withdrawal.sources),
        })
    }

    fn facts(&self, facts: &[Fact]) -> Vec<FactView> {
        let views = facts
            .iter()
            .filter(|f| self.in_view(&f.sources))
            .map(|f| {
                let citations = self.citations(&f.sources);
                FactView {
                    text: f.text.value.clone(),
                    unverified: !citations.is_empty() && citations.iter().all(|c| c.unverified),
                    citations,
                    earlier: Vec::new(),
                    withdrawn: self.withdrawal(f.withdrawn.as_ref()),
                    handout: f.handout,
                    slot: f.slot.clone(),
                    newest: self.newest(&f.sources),
                }
            })
            .collect();
        group_slots(views, |f| (f.slot.clone(), f.newest), |f| &mut f.earlier)
    }

    fn contacts(&self, contacts: &[Contact]) -> Vec<ContactView> {
        let views = contacts
            .iter()
            .filter(|c| self.in_view(&c.sources))
            .map(|c| {
                let citations = self.citations(&c.sources);
                ContactView {
                    kind: c.kind,
                    label: c.label.clone(),
                    value: c.value.value.clone(),
                    href: contact_href(c.kind, &c.value.value),
                    note: c.note.clone(),
                    unverified: !citations.is_empty() && citations.iter().all(|c| c.unverified),
                    citations,
                    earlier: Vec::new(),
                    withdrawn: self.withdrawal(c.withdrawn.as_ref()).or_else(|| {
                        c.published_per
                            .as_ref()
                            .and_then(|p| self.withdrawn(&p.value))
                    }),
                    handout: c.handout,
                    slot: c.slot.clone(),
                    newest: self.newest(&c.sources),
                }
            })
            .collect();
        group_slots(views, |c| (c.slot.clone(), c.newest), |c| &mut c.earlier)
    }

    /// The offices in this view that list one of these contact values themselves.
    fn offices_sharing_contacts(&self, contacts: &[Contact]) -> Vec<Link> {
        let values: Vec<&str> = contacts.iter().map(|c| c.value.value.as_str()).collect();
        let mut offices: Vec<&&OfficeRecord> = self
            .offices
            .values()
            .filter(|o| {
                o.contacts
                    .iter()
                    .any(|c| values.contains(&c.value.value.as_str()))
            })
            .filter(|o| self.in_view(&office_sources(o)))
            .collect();
        offices.sort_by_key(|o| o.id.value.as_str());
        offices
            .into_iter()
            .filter_map(|o| self.link("office", &o.id.value))
            .collect()
    }

    /// `Some` when the yes/no parameter `name`, as it stands in this view, says no.
    fn withdrawn(&self, name: &str) -> Option<Withdrawn> {
        let (version, parameter) = self.current(name)?;
        (parameter.value() == Some(&ParamValue::Bool(false))).then(|| Withdrawn {
            version: self.version_link(version),
            note: parameter.note.clone(),
            citations: self.citations(&parameter.sources),
        })
    }

    /// The version whose entry for parameter `name` this view shows, and the entry: the
    /// newest version up to the viewed one that states or withdraws it.
    fn current(&self, name: &str) -> Option<(&'a PolicyRecord, &'a Parameter)> {
        in_effect(self.versions.iter().copied(), name, self.upto)
    }

    /// The value of parameter `name` in this view, with the version that states it; `None`
    /// when no version up to the viewed one states it, or one withdraws it.
    fn current_value(
        &self,
        name: &str,
    ) -> Option<(&'a PolicyRecord, &'a Parameter, &'a ParamValue)> {
        let (version, parameter) = self.current(name)?;
        Some((version, parameter, parameter.value()?))
    }

    /// A policy version with the parameters it states and those it carries over.
    fn version(&self, version: &'a PolicyRecord) -> Version {
        let mut names: Vec<&String> = self
            .versions
            .iter()
            .filter(|v| v.order.value < version.order.value)
            .flat_map(|v| v.parameters.keys())
            .filter(|name| !version.parameters.contains_key(*name))
            .collect();
        names.sort();
        names.dedup();
        let older = version.order.value - 1;
        Version {
            id: version.id.value.clone(),
            name: version.name.clone(),
            order: version.order.value,
            order_reason: version.order_reason.clone(),
            date: version.date.clone(),
            era: version.era.clone(),
            summary: version.summary.clone(),
            url: format!("versions/{}/index.html", version.id.value),
            parameters: version
                .parameters
                .iter()
                .map(|(name, parameter)| self.version_parameter(name, version, parameter))
                .collect(),
            carried_over: names
                .into_iter()
                .filter_map(|name| {
                    let (from, parameter) = in_effect(self.versions.iter().copied(), name, older)?;
                    Some(self.version_parameter(name, from, parameter))
                })
                .collect(),
            citations: self.citations(&version.sources),
        }
    }

    /// A parameter as `version` states (or withdraws) it.
    fn version_parameter(
        &self,
        name: &str,
        version: &PolicyRecord,
        parameter: &Parameter,
    ) -> VersionParameter {
        VersionParameter {
            name: name.to_string(),
            label: self.label(name),
            display: parameter
                .value()
                .map(|v| self.display(name, v))
                .unwrap_or_default(),
            withdrawn: parameter.is_withdrawn(),
            note: parameter.note.clone(),
            citations: self.citations(&parameter.sources),
            from: self.version_link(version),
        }
    }

    fn names(&self, names: &[OtherName]) -> Vec<NameView> {
        names
            .iter()
            .filter(|n| self.in_view(&n.sources))
            .map(|n| NameView {
                name: n.name.value.clone(),
                citations: self.citations(&n.sources),
            })
            .collect()
    }

    /// The name an office or channel has in this view: in a version whose newest source
    /// naming it uses one of its other names (no newer source of the record itself), that
    /// name, with the current name listed among the others.
    fn name_in_view(
        &self,
        name: &str,
        others: &[OtherName],
        record: &[SourceRef],
    ) -> (String, Vec<NameView>) {
        let mut names = self.names(others);
        let newest_other = others
            .iter()
            .filter(|n| self.in_view(&n.sources))
            .enumerate()
            .map(|(i, n)| (self.newest(&n.sources), i))
            .max_by_key(|&(newest, i)| (newest, std::cmp::Reverse(i)));
        let Some((newest, index)) = newest_other else {
            return (name.to_string(), names);
        };
        if self.view.is_none() || newest < self.newest(record) {
            return (name.to_string(), names);
        }
        let used = names.remove(index);
        names.push(NameView {
            name: name.to_string(),
            citations: Vec::new(),
        });
        (used.name, names)
    }

    fn office(&self, o: &OfficeRecord) -> Office {
        let id = o.id.value.as_str();
        let (name, other_names) = self.name_in_view(&o.name, &o.other_names, &o.sources);
        Office {
            id: id.to_string(),
            name,
            url: format!("{}{}", self.prefix(), entity_url("office", id)),
            other_names,
            kind: self.kind_label(KindOf::Office, &o.kind.value),
            summary: o.summary.clone(),
            receipt_prefix: o.receipt_prefix.as_ref().map(|p| PrefixView {
                value: p.value.clone(),
            }),
            contacts: self.contacts(&o.contacts),
            hours: self.facts(&o.hours),
            jurisdiction: self.facts(&o.jurisdiction),
            tiers: o
                .tiers
                .iter()
                .filter(|t| self.in_view(&t.sources))
                .map(|t| TierView {
                    name: t.name.value.clone(),
                    staff: t.staff.clone(),
                    can: self.facts(&t.can),
                    cannot: self.facts(&t.cannot),
                    citations: self.citations(&t.sources),
                })
                .collect(),
            facts: self.facts(&o.facts),
            parent: o
                .parent
                .as_ref()
                .and_then(|p| self.link("office", &p.value)),
            children: (self.children.get(id).into_iter().flatten())
                .filter(|c| self.in_view(&office_sources(c)))
                .filter_map(|c| self.link("office", &c.id.value))
                .collect(),
            channels: (self.office_channels.get(id).into_iter().flatten())
                .filter(|c| self.in_view(&channel_sources(c)))
                .filter_map(|c| self.link("channel", &c.id.value))
                .collect(),
            citations: self.citations(&o.sources),
            backlinks: Vec::new(),
            switch: Vec::new(),
        }
        .sorted()
    }

    fn channel(&self, c: &ChannelRecord) -> Channel {
        let (name, other_names) = self.name_in_view(&c.name, &c.other_names, &c.sources);
        Channel {
            id: c.id.value.clone(),
            name,
            url: format!("{}{}", self.prefix(), entity_url("channel", &c.id.value)),
            other_names,
            kind: self.kind_label(KindOf::Channel, &c.kind.value),
            summary: c.summary.clone(),
            office: c
                .office
                .as_ref()
                .and_then(|o| self.link("office", &o.value)),
            case_specific: self
                .strings
                .get(match c.case_specific {
                    CaseSpecific::Yes => "channel.case_specific.yes",
                    CaseSpecific::No => "channel.case_specific.no",
                    CaseSpecific::Limited => "channel.case_specific.limited",
                })
                .to_string(),
            who: self.facts(&c.who),
            response_time: self.facts(&c.response_time),
            hours: self.facts(&c.hours),
            limits: self.facts(&c.limits),
            contacts: self.contacts(&c.contacts),
            facts: self.facts(&c.facts),
            citations: self.citations(&c.sources),
            backlinks: Vec::new(),
            switch: Vec::new(),
        }
    }

    fn path(&self, p: &PathRecord) -> Path {
        Path {
            id: p.id.value.clone(),
            name: p.name.clone(),
            url: format!("{}{}", self.prefix(), entity_url("path", &p.id.value)),
            for_whom: p.for_whom.clone(),
            summary: p.summary.clone(),
            steps: p
                .steps
                .iter()
                .filter(|s| self.in_view(&step_sources(s)))
                .enumerate()
                .map(|(i, s)| self.step(i + 1, s))
                .collect(),
            facts: self.facts(&p.facts),
            citations: self.citations(&p.sources),
            backlinks: Vec::new(),
            switch: Vec::new(),
            schedule: if self.view.is_none() {
                self.schedule(p)
            } else {
                None
            },
        }
    }

    /// The waits of a path in the current view and in each version.
    fn schedule(&self, p: &PathRecord) -> Option<Schedule> {
        let mut columns = Vec::new();
        let mut parameters = Vec::new();
        for (i, step) in p.steps.iter().enumerate() {
            let waits = [("wait", &step.wait), ("response", &step.response)];
            for (kind, wait) in waits {
                if let Some(wait) = wait {
                    columns.push(ScheduleColumn {
                        step: i + 1,
                        title: step.title.clone(),
                        id: step.id.value.clone(),
                        kind,
                        after: wait.after.clone(),
                        unit: self.unit(&wait.parameter.value),
                    });
                    parameters.push(wait.parameter.value.as_str());
                }
            }
        }
        if columns.is_empty() {
            return None;
        }
        let days =
            |name: &str, upto: i64| match in_effect(self.versions.iter().copied(), name, upto)?
                .1
                .value()
            {
                Some(ParamValue::Number(n)) => Some(*n),
                _ => None,
            };
        let mut rows = vec![ScheduleRow {
            id: "current".into(),
            name: self.strings.get("versions.newest").to_string(),
            days: parameters.iter().map(|n| days(n, self.upto)).collect(),
        }];
        rows.extend(self.versions.iter().map(|v| ScheduleRow {
            id: v.id.value.clone(),
            name: v.name.clone(),
            days: parameters.iter().map(|n| days(n, v.order.value)).collect(),
        }));
        rows.retain(|r| r.days.iter().any(Option::is_some));
        let mut units: Vec<Unit> = Vec::new();
        for column in &columns {
            if !units.contains(&column.unit) {
                units.push(column.unit);
            }
        }
        Some(Schedule {
            columns,
            units,
            rows,
        })
    }

    fn step(&self, number: usize, s: &StepRecord) -> Step {
        let channel = s
            .channel
            .as_ref()
            .and_then(|c| self.channels.get(c.value.as_str()));
        let office = s
            .office
            .as_ref()
            .and_then(|o| self.offices.get(o.value.as_str()));
        let contacts = match (channel, office) {
            (Some(c), _) if !c.contacts.is_empty() => self.contacts(&c.contacts),
            (_, Some(o)) => self.contacts(&o.contacts),
            _ => Vec::new(),
        };
        Step {
            id: s.id.value.clone(),
            number,
            title: s.title.clone(),
            wait: s.wait.as_ref().and_then(|w| self.wait(w)),
            response: s.response.as_ref().and_then(|w| self.wait(w)),
            office: s
                .office
                .as_ref()
                .and_then(|o| self.link("office", &o.value)),
            channel: s
                .channel
                .as_ref()
                .and_then(|c| self.link("channel", &c.value)),
            contacts,
            text: self.facts(&s.text),
            have_ready: self.facts(&s.have_ready),
            record: self.facts(&s.record),
            citations: self.citations(&s.sources),
            related_offices: channel
                .map(|c| self.offices_sharing_contacts(&c.contacts))
                .unwrap_or_default(),
            unstated_waits: s
                .wait
                .iter()
                .chain(&s.response)
                .filter(|w| self.current_value(&w.parameter.value).is_none())
                .map(|w| self.label(&w.parameter.value))
                .collect(),
        }
    }

    /// A wait in this view: the value of the newest version up to the viewed one that
    /// states the parameter, and the other values other versions state.
    fn wait(&self, wait: &Wait) -> Option<WaitView> {
        let name = wait.parameter.value.as_str();
        let (version, parameter, value) = self.current_value(name)?;
        let ParamValue::Number(days) = *value else {
            return None;
        };
        let others = self
            .versions
            .iter()
            .filter_map(|v| v.parameters.get(name).map(|p| (*v, p)))
            .filter(|(_, p)| p.value().is_some_and(|v| v != value))
            .map(|(v, p)| OtherValue {
                display: p.value().map(|v| self.display(name, v)).unwrap_or_default(),
                version: self.version_link(v),
                citations: self.citations(&p.sources),
            })
            .collect();
        Some(WaitView {
            parameter: name.to_string(),
            label: self.label(name),
            days,
            unit: self.unit(name),
            after: wait.after.clone(),
            version: self.version_link(version),
            note: parameter.note.clone(),
            citations: self.citations(&parameter.sources),
            others,
        })
    }

    /// Parameter `name` as it stands in `version`: stated, carried over or withdrawn.
    fn parameter_cell(&self, name: &str, version: &PolicyRecord) -> ParameterCell {
        let Some((from, parameter)) =
            in_effect(self.versions.iter().copied(), name, version.order.value)
        else {
            return ParameterCell {
                display: None,
                state: "none",
                from: None,
            };
        };
        let state = match (parameter.is_withdrawn(), from.id.value == version.id.value) {
            (true, _) => "withdrawn",
            (false, true) => "stated",
            (false, false) => "carried-over",
        };
        ParameterCell {
            display: parameter.value().map(|v| self.display(name, v)),
            state,
            from: Some(self.version_link(from)),
        }
    }

    fn parameter_views(&self) -> Vec<ParameterView> {
        let mut names: Vec<&String> = self
            .versions
            .iter()
            .flat_map(|v| v.parameters.keys())
            .collect();
        names.sort();
        names.dedup();
        names
            .into_iter()
            .filter_map(|name| {
                let (version, parameter) = self.current(name)?;
                Some(ParameterView {
                    name: name.clone(),
                    label: self.label(name),
                    current: parameter
                        .value()
                        .map(|v| self.display(name, v))
                        .unwrap_or_default(),
                    current_withdrawn: parameter.is_withdrawn(),
                    current_version: self.version_link(version),
                    by_version: self
                        .versions
                        .iter()
                        .map(|v| self.parameter_cell(name, v))
                        .collect(),
                })
            })
            .collect()
    }

    /// The label of policy parameter `name`, as `parameters.yaml` declares it.
    fn label(&self, name: &str) -> String {
        match self.declared.get(name) {
            Some(p) => p.label.clone(),
            None => parameter_label(name),
        }
    }

    /// How policy parameter `name` counts (calendar days when it is not declared).
    fn unit(&self, name: &str) -> Unit {
        self.declared
            .get(name)
            .map_or(Unit::CalendarDays, |p| p.unit.value)
    }

    /// A value of policy parameter `name` for display, in its unit.
    fn display(&self, name: &str, value: &ParamValue) -> String {
        display_value(self.declared.get(name).copied(), value, self.strings)
    }

    /// The label of a kind of office or channel, as `kinds.yaml` declares it.
    fn kind_label(&self, of: KindOf, id: &str) -> String {
        self.kind_labels
            .get(&(of, id))
            .map_or_else(|| id.to_string(), |label| label.to_string())
    }

    /// Renders the Markdown pages, resolving and checking their links.
    fn pages(&self, content: &Content, diagnostics: &mut Diagnostics) -> Vec<Page> {
        let page_urls: HashMap<&str, String> = content
            .pages
            .iter()
            .map(|p| (p.rel_path.as_str(), page_url(&p.rel_path)))
            .collect();
        let mut accepted = Vec::new();
        let mut seen_urls: HashMap<String, &str> = HashMap::new();
        for page in &content.pages {
            let url = page_urls[page.rel_path.as_str()].clone();
            let first = url.split('/').next().unwrap_or("");
            if RESERVED_SECTIONS.contains(&first) || url == "index.html" || url == "404/index.html"
            {
                diagnostics.push(
                    Diagnostic::at(
                        crate::diagnostic::Location::new(&page.file, 1, 1, 3),
                        format!(
                            "page `{}` would be written to `{url}`, which the guide uses",
                            page.rel_path
                        ),
                    )
                    .with_label("this page")
                    .with_hint(format!(
                        "rename or move the page; these names are taken: index, 404, {}",
                        RESERVED_SECTIONS.join(", ")
                    )),
                );
                continue;
            }
            if let Some(other) = seen_urls.insert(url.clone(), &page.rel_path) {
                diagnostics.push(Diagnostic::new(format!(
                    "pages `{other}` and `{}` would both be written to `{url}`",
                    page.rel_path
                )));
                continue;
            }
            accepted.push((page, url));
        }
        // The Markdown of the pages is rendered in parallel; each page's problems and entity
        // links are then added in page order, as if rendered one after the other.
        let rendered: Vec<(Page, Vec<Diagnostic>, Vec<PageLink>)> = accepted
            .into_par_iter()
            .map(|(page, url)| {
                let root = root_of(&url);
                let page_link = Link {
                    kind: "page",
                    id: page.rel_path.clone(),
                    name: page.front.title.clone(),
                    url: url.clone(),
                };
                let dir = page.rel_path.rsplit_once('/').map_or("", |(d, _)| d);
                let mut links = Vec::new();
                let (html, errors) = markdown::to_html(page, |target| {
                    self.resolve_link(target, dir, &root, &page_urls, &page_link, &mut links)
                });
                let page = Page {
                    source_path: page.rel_path.clone(),
                    url,
                    title: page.front.title.clone(),
                    description: page.front.description.clone(),
                    weight: page.front.weight,
                    html,
                    backlinks: Vec::new(),
                };
                (page, errors, links)
            })
            .collect();
        let mut pages = Vec::with_capacity(rendered.len());
        let mut page_links = self.page_links.lock().unwrap_or_else(|e| e.into_inner());
        for (page, errors, links) in rendered {
            for error in errors {
                diagnostics.push(error);
            }
            page_links.extend(links);
            pages.push(page);
        }
        drop(page_links);
        pages.sort_by(|a, b| a.weight.cmp(&b.weight).then_with(|| a.title.cmp(&b.title)));
        pages
    }

    /// Resolves one Markdown link target for a page in folder `dir`.
    fn resolve_link(
        &self,
        target: &str,
        dir: &str,
        root: &str,
        page_urls: &HashMap<&str, String>,
        from: &Link,
        found: &mut Vec<PageLink>,
    ) -> Result<Option<String>, LinkError> {
        let (path, fragment) = match target.split_once('#') {
            Some((p, f)) => (p, Some(f)),
            None => (target, None),
        };
        let with_fragment = |url: String| match fragment {
            Some(f) => format!("{root}{url}#{f}"),
            None => format!("{root}{url}"),
        };
        if let Some(entity) = path.strip_prefix('@') {
            let Some((kind, id)) = entity.split_once('/') else {
                return Err(LinkError {
                    message: format!("entity link `{target}` has no kind"),
                    hint: Some(
                        "write `@office/<id>`, `@channel/<id>`, `@path/<id>` or `@source/<id>`"
                            .into(),
                    ),
                });
            };
            let kind: &'static str = match kind {
                "office" => "office",
                "channel" => "channel",
                "path" => "path",
                "source" => "source",
                _ => {
                    return Err(LinkError {
                        message: format!("unknown entity kind `{kind}` in link `{target}`"),
                        hint: Some("the kinds are office, channel, path and source".into()),
                    })
                }
            };
            return match self.link(kind, id) {
                Some(link) => {
                    found.push((from.clone(), kind, id.to_string()));
                    Ok(Some(with_fragment(link.url)))
                }
                None => {
                    let known: Vec<&str> = match kind {
                        "office" => self.offices.keys().copied().collect(),
                        "channel" => self.channels.keys().copied().collect(),
                        "path" => self.paths.keys().copied().collect(),
                        _ => self.sources.keys().copied().collect(),
                    };
                    Err(LinkError {
                        message: format!("unknown {kind} `{id}` in link `{target}`"),
                        hint: nearest(id, &known).map(|n| format!("did you mean `@{kind}/{n}`?")),
                    })
                }
            };
        }
        let is_external = path.contains(':') || path.starts_with('/') || path.starts_with("//");
        if is_external || !path.ends_with(".md") {
            return Ok(None);
        }
        let joined = join_path(dir, path);
        match joined.as_deref().and_then(|p| page_urls.get(p)) {
            Some(url) => Ok(Some(with_fragment(url.clone()))),
            None => {
                let known: Vec<&str> = page_urls.keys().copied().collect();
                let wanted = joined.unwrap_or_else(|| path.to_string());
                Err(LinkError {
                    message: format!("link to missing page `{target}`"),
                    hint: nearest(&wanted, &known)
                        .map(|n| format!("did you mean `{n}`? (paths are relative to this page's folder in content/pages/)")),
                })
            }
        }
    }
}

/// Every citation of an office, of its names, contacts, facts and tiers.
fn office_sources(o: &OfficeRecord) -> Vec<SourceRef> {
    let facts = o.hours.iter().chain(&o.jurisdiction).chain(&o.facts);
    let tiers = o.tiers.iter().flat_map(|t| {
        t.sources
            .iter()
            .chain(t.can.iter().chain(&t.cannot).flat_map(|f| &f.sources))
    });
    o.sources
        .iter()
        .chain(o.contacts.iter().flat_map(|c| &c.sources))
        .chain(facts.flat_map(|f| &f.sources))
        .chain(tiers)
        .cloned()
        .collect()
}

/// Every citation of a channel, of its contacts and facts.
fn channel_sources(c: &ChannelRecord) -> Vec<SourceRef> {
    let facts = c
        .who
        .iter()
        .chain(&c.response_time)
        .chain(&c.hours)
        .chain(&c.limits)
        .chain(&c.facts);
    c.sources
        .iter()
        .chain(c.contacts.iter().flat_map(|k| &k.sources))
        .chain(facts.flat_map(|f| &f.sources))
        .cloned()
        .collect()
}

impl Office {
    fn sorted(mut self) -> Self {
        self.children.sort_by(|a, b| a.name.cmp(&b.name));
        self.channels.sort_by(|a, b| a.name.cmp(&b.name));
        self
    }
}

/// Folds items that share a slot: the one reaching the newest version stays, at the place
/// of the first of its slot; the others go into its `earlier` list, newest first.
fn group_slots<T>(
    items: Vec<T>,
    key: impl Fn(&T) -> (Option<String>, i64),
    earlier: impl Fn(&mut T) -> &mut Vec<T>,
) -> Vec<T> {
    let mut out: Vec<T> = Vec::new();
    let mut slot_index: HashMap<String, usize> = HashMap::new();
    for item in items {
        let (slot, newest) = key(&item);
        let Some(slot) = slot else {
            out.push(item);
            continue;
        };
        match slot_index.get(&slot) {
            None => {
                slot_index.insert(slot, out.len());
                out.push(item);
            }
            Some(&index) => {
                let current_newest = key(&out[index]).1;
                if newest > current_newest {
                    let mut old = std::mem::replace(&mut out[index], item);
                    let older = std::mem::take(earlier(&mut old));
                    let list = earlier(&mut out[index]);
                    list.push(old);
                    list.extend(older);
                } else {
                    earlier(&mut out[index]).push(item);
                }
            }
        }
    }
    for item in &mut out {
        earlier(item).sort_by_key(|e| -key(e).1);
    }
    out
}

/// Joins a relative link onto a folder, resolving `.` and `..`; `None` if it leaves the root.
pub fn join_path(dir: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    for part in rel.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    Some(parts.join("/"))
}

/// The output URL of a Markdown page: `guide/intro.md` → `guide/intro/index.html`;
/// `guide/index.md` and `guide/_index.md` → `guide/index.html`.
pub fn page_url(rel_path: &str) -> String {
    let stem = rel_path.trim_end_matches(".md");
    let stem = stem
        .strip_suffix("/_index")
        .or_else(|| stem.strip_suffix("/index"))
        .unwrap_or(stem);
    format!("{stem}/index.html")
}

/// A link for a contact value: `tel:` for phone numbers, `mailto:` for emails, `https:`
/// for web addresses; `None` for anything else.
pub fn contact_href(kind: ContactKind, value: &str) -> Option<String> {
    match kind {
        ContactKind::Phone | ContactKind::Tty => {
            let digits: String = value.chars().filter(char::is_ascii_digit).collect();
            match digits.len() {
                10 => Some(format!("tel:+1{digits}")),
                11 if digits.starts_with('1') => Some(format!("tel:+{digits}")),
                _ => None,
            }
        }
        ContactKind::Email if value.contains('@') && !value.contains(' ') => {
            Some(format!("mailto:{value}"))
        }
        ContactKind::Web if !value.contains(' ') && value.contains('.') => {
            if value.starts_with("http") {
                Some(value.to_string())
            } else {
                Some(format!("https://{value}"))
            }
        }
        _ => None,
    }
}

/// A readable label for a parameter that `parameters.yaml` does not declare (validation
/// refuses one, so only tools that skip it see this): its name in words,
/// `followup_days` → "Followup".
pub fn parameter_label(name: &str) -> String {
    let words = name.trim_end_matches("_days").replace('_', " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A parameter value for display in the unit its declaration gives: days with the string
/// table's words for the unit ("15 days", "10 business days"), yes/no with the declared
/// words or the table's, numbers and text as they are.
pub fn display_value(
    parameter: Option<&ParameterRecord>,
    value: &ParamValue,
    strings: &Strings,
) -> String {
    let unit = parameter.map(|p| p.unit.value);
    match value {
        ParamValue::Number(n) => match unit {
            Some(unit) if unit.is_days() => strings.count(&format!("units.{}", unit.id()), *n),
            _ => n.to_string(),
        },
        ParamValue::Bool(true) => parameter
            .and_then(|p| p.when_yes.clone())
            .unwrap_or_else(|| strings.get("units.yes_no.yes").to_string()),
        ParamValue::Bool(false) => parameter
            .and_then(|p| p.when_no.clone())
            .unwrap_or_else(|| strings.get("units.yes_no.no").to_string()),
        ParamValue::Text(t) => t.clone(),
    }
}

/// Collects who links to what, to fill the entities' backlinks.
struct LinkGraph<'a> {
    /// (target kind, target id, the backlink), in the order found.
    links: Vec<(&'static str, String, Backlink)>,
    /// The string table, for the words that say where a backlink is.
    strings: &'a Strings,
}

impl<'a> LinkGraph<'a> {
    /// An empty graph.
    fn new(strings: &'a Strings) -> Self {
        LinkGraph {
            links: Vec::new(),
            strings,
        }
    }

    /// `from` links to the entity `kind`/`id`, at `context`.
    fn add(&mut self, kind: &'static str, id: &str, from: &Link, context: Option<String>) {
        self.links.push((
            kind,
            id.to_string(),
            Backlink {
                from: from.clone(),
                context,
            },
        ));
    }

    /// `from` cites each source of `citations`.
    fn cite(&mut self, from: &Link, citations: &[Citation]) {
        for c in citations {
            self.add("source", &c.source.id, from, None);
        }
    }

    /// The backlinks of each target, without duplicates, in the order found. Duplicates
    /// are found in a set, not by comparing with each backlink kept: a source that ten
    /// thousand offices cite would otherwise cost fifty million comparisons.
    fn by_target(self) -> HashMap<(&'static str, String), Vec<Backlink>> {
        let mut by_target: HashMap<(&'static str, String), Vec<Backlink>> = HashMap::new();
        let mut seen: HashSet<(&'static str, String, Link, Option<String>)> = HashSet::new();
        for (kind, id, backlink) in self.links {
            let key = (
                kind,
                id.clone(),
                backlink.from.clone(),
                backlink.context.clone(),
            );
            if seen.insert(key) {
                by_target.entry((kind, id)).or_default().push(backlink);
            }
        }
        by_target
    }
}

/// The link to an entity page.
fn self_link(kind: &'static str, id: &str, name: &str, url: &str) -> Link {
    Link {
        kind,
        id: id.to_string(),
        name: name.to_string(),
        url: url.to_string(),
    }
}

impl LinkGraph<'_> {
    /// Records the links between offices, channels and paths, and their citations.
    fn add_entities(&mut self, offices: &[Office], channels: &[Channel], paths: &[Path]) {
        for office in offices {
            let from = self_link("office", &office.id, &office.name, &office.url);
            if let Some(parent) = &office.parent {
                let context = self.strings.get("backlinks.part_of").to_string();
                self.add("office", &parent.id, &from, Some(context));
            }
            for c in office_citations(office) {
                self.cite(&from, c);
            }
        }
        for channel in channels {
            let from = self_link("channel", &channel.id, &channel.name, &channel.url);
            if let Some(office) = &channel.office {
                let context = self.strings.get("backlinks.answered_by").to_string();
                self.add("office", &office.id, &from, Some(context));
            }
            for c in channel_citations(channel) {
                self.cite(&from, c);
            }
        }
        for path in paths {
            let from = self_link("path", &path.id, &path.name, &path.url);
            self.cite(&from, &path.citations);
            for fact in &path.facts {
                self.cite(&from, &fact.citations);
            }
            for step in &path.steps {
                let context = Some(self.strings.fill(
                    "path.step_title",
                    &[("n", &step.number), ("title", &step.title)],
                ));
                if let Some(o) = &step.office {
                    self.add("office", &o.id, &from, context.clone());
                }
                if let Some(c) = &step.channel {
                    self.add("channel", &c.id, &from, context.clone());
                }
                for o in &step.related_offices {
                    self.add("office", &o.id, &from, context.clone());
                }
                self.cite(&from, &step.citations);
                for fact in step.text.iter().chain(&step.have_ready).chain(&step.record) {
                    self.cite(&from, &fact.citations);
                }
                for wait in step.wait.iter().chain(&step.response) {
                    self.cite(&from, &wait.citations);
                }
            }
        }
    }

    /// Sets the backlinks of offices, channels and paths; returns what is left (sources).
    fn fill(
        self,
        offices: &mut [Office],
        channels: &mut [Channel],
        paths: &mut [Path],
    ) -> HashMap<(&'static str, String), Vec<Backlink>> {
        let mut by_target = self.by_target();
        let mut take = |kind: &'static str, id: &str| {
            by_target
                .remove(&(kind, id.to_string()))
                .unwrap_or_default()
        };
        for o in offices {
            o.backlinks = take("office", &o.id);
        }
        for c in channels {
            c.backlinks = take("channel", &c.id);
        }
        for p in paths {
            p.backlinks = take("path", &p.id);
        }
        by_target
    }
}

/// Fills every entity's `backlinks` from the references between entities and from pages.
fn add_backlinks(site: &mut Site, page_links: Vec<(Link, &'static str, String)>) {
    let mut graph = LinkGraph::new(&site.strings);
    graph.add_entities(&site.offices, &site.channels, &site.paths);
    for version in &site.versions {
        let from = self_link("version", &version.id, &version.name, &version.url);
        graph.cite(&from, &version.citations);
    }
    for node in site.flowchart.iter().flat_map(|chart| &chart.nodes) {
        let from = self_link(
            "flowchart",
            &node.id,
            site.strings.get("backlinks.flowchart"),
            &node.url,
        );
        let context = Some(node.text.clone());
        for link in [&node.path, &node.office, &node.channel]
            .into_iter()
            .flatten()
        {
            graph.add(link.kind, &link.id, &from, context.clone());
        }
        graph.cite(&from, &node.citations);
        for fact in &node.facts {
            graph.cite(&from, &fact.citations);
        }
    }
    for (from, kind, id) in page_links {
        graph.add(kind, &id, &from, None);
    }
    let mut rest = graph.fill(&mut site.offices, &mut site.channels, &mut site.paths);
    for s in &mut site.sources {
        s.backlinks = rest.remove(&("source", s.id.clone())).unwrap_or_default();
    }
}

/// The folders of the Markdown pages, top level first, then in path order. A page
/// `a/b/c.md` (URL `a/b/c/index.html`) is listed in folder `a/b`; `a/b/index.md` (URL
/// `a/b/index.html`) is folder `a/b`'s own page and is listed in folder `a`.
fn folders(pages: &[Page], top_title: &str) -> Vec<Folder> {
    // Folder path ("" for the top level) → (pages, subfolders).
    let mut tree: BTreeMap<String, (Vec<Link>, Vec<String>)> = BTreeMap::new();
    tree.entry(String::new()).or_default();
    let mut index_pages: Vec<String> = Vec::new();
    for page in pages {
        let dir = page
            .url
            .trim_end_matches("index.html")
            .trim_end_matches('/');
        if page.url == page_url(&page.source_path) && page.source_path.ends_with("index.md") {
            index_pages.push(dir.to_string());
        }
        let listed_in = dir.rsplit_once('/').map_or("", |(parent, _)| parent);
        // Every folder on the way exists and is listed in its parent.
        let mut path = String::new();
        for part in listed_in.split('/').filter(|p| !p.is_empty()) {
            let child = if path.is_empty() {
                part.to_string()
            } else {
                format!("{path}/{part}")
            };
            let subfolders = &mut tree.entry(path.clone()).or_default().1;
            if !subfolders.contains(&child) {
                subfolders.push(child.clone());
            }
            path = child;
        }
        tree.entry(listed_in.to_string()).or_default().0.push(Link {
            kind: "page",
            id: page.source_path.clone(),
            name: page.title.clone(),
            url: page.url.clone(),
        });
    }
    let title_of = |path: &str| {
        let name = path
            .rsplit('/')
            .next()
            .unwrap_or(path)
            .replace(['-', '_'], " ");
        let mut chars = name.chars();
        chars
            .next()
            .map_or(String::new(), |c| c.to_uppercase().chain(chars).collect())
    };
    let url_of = |path: &str| match path {
        "" => "index.html".to_string(),
        path => format!("{path}/index.html"),
    };
    tree.iter()
        .map(|(path, (pages, subfolders))| Folder {
            url: url_of(path),
            title: if path.is_empty() {
                top_title.to_string()
            } else {
                title_of(path)
            },
            has_index_page: path.is_empty() || index_pages.contains(path),
            pages: pages.clone(),
            folders: subfolders
                .iter()
                .map(|f| Link {
                    kind: "folder",
                    id: f.clone(),
                    name: title_of(f),
                    url: url_of(f),
                })
                .collect(),
        })
        .collect()
}

/// The receipt prefixes of the offices, each with its email and the step that uses it.
fn prefix_rows(site: &Site) -> Vec<PrefixRow> {
    site.offices
        .iter()
        .filter_map(|o| {
            let prefix = o.receipt_prefix.as_ref()?;
            let step = site.paths.iter().find_map(|p| {
                let step = p.steps.iter().find(|s| {
                    s.office.as_ref().is_some_and(|l| l.id == o.id)
                        || s.related_offices.iter().any(|l| l.id == o.id)
                })?;
                Some(Link {
                    kind: "path",
                    id: p.id.clone(),
                    name: site.strings.fill(
                        "receipt.step_link",
                        &[
                            ("path", &p.name),
                            ("n", &step.number),
                            ("title", &step.title),
                        ],
                    ),
                    url: format!("{}#{}", p.url, step.id),
                })
            });
            Some(PrefixRow {
                prefix: prefix.value.clone(),
                office: self_link("office", &o.id, &o.name, &o.url),
                email: o
                    .contacts
                    .iter()
                    .find(|c| c.kind == ContactKind::Email)
                    .cloned(),
                step,
                citations: o.citations.clone(),
            })
        })
        .collect()
}

/// Gives every office, channel and path page a switcher to the same entity in the other
/// views: the current view ("Newest sources") and every version, oldest first. A version
/// whose sources (and older ones) do not state the entity yet links to its own page.
fn add_switches(site: &mut Site) {
    let newest = site.strings.get("versions.newest").to_string();
    let newest = newest.as_str();
    // The entity's URL in each view: the current one first, then each version's.
    let mut urls: Vec<HashMap<(&'static str, &str), &str>> = Vec::new();
    let views = std::iter::once((&site.offices, &site.channels, &site.paths)).chain(
        site.views
            .iter()
            .map(|v| (&v.offices, &v.channels, &v.paths)),
    );
    for (offices, channels, paths) in views {
        let mut map = HashMap::new();
        map.extend(
            offices
                .iter()
                .map(|o| (("office", o.id.as_str()), o.url.as_str())),
        );
        map.extend(
            channels
                .iter()
                .map(|c| (("channel", c.id.as_str()), c.url.as_str())),
        );
        map.extend(
            paths
                .iter()
                .map(|p| (("path", p.id.as_str()), p.url.as_str())),
        );
        urls.push(map);
    }
    let labels: Vec<(&str, &str)> = std::iter::once((newest, "index.html"))
        .chain(
            site.views
                .iter()
                .map(|v| (v.version.name.as_str(), v.url.as_str())),
        )
        .collect();
    let mut entries: HashMap<(&'static str, String), Vec<Switch>> = HashMap::new();
    for &key in urls[0].keys() {
        let list = labels
            .iter()
            .zip(&urls)
            .map(|(&(label, view_url), map)| Switch {
                label: label.to_string(),
                url: map.get(&key).copied().unwrap_or(view_url).to_string(),
                here: false,
                present: map.contains_key(&key),
            })
            .collect();
        entries.insert((key.0, key.1.to_string()), list);
    }
    let switch = |kind: &'static str, id: &str, url: &str| -> Vec<Switch> {
        entries
            .get(&(kind, id.to_string()))
            .map(|list| {
                list.iter()
                    .map(|s| Switch {
                        here: s.url == url,
                        ..s.clone()
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    let views = site
        .views
        .iter_mut()
        .map(|v| (&mut v.offices, &mut v.channels, &mut v.paths));
    let all =
        std::iter::once((&mut site.offices, &mut site.channels, &mut site.paths)).chain(views);
    for (offices, channels, paths) in all {
        offices
            .iter_mut()
            .for_each(|o| o.switch = switch("office", &o.id, &o.url));
        channels
            .iter_mut()
            .for_each(|c| c.switch = switch("channel", &c.id, &c.url));
        paths
            .iter_mut()
            .for_each(|p| p.switch = switch("path", &p.id, &p.url));
    }
}

/// Every citation list inside an office.
fn office_citations(office: &Office) -> Vec<&Vec<Citation>> {
    let mut lists = vec![&office.citations];
    lists.extend(office.other_names.iter().map(|n| &n.citations));
    lists.extend(contact_citations(&office.contacts));
    for list in [&office.hours, &office.jurisdiction, &office.facts] {
        lists.extend(fact_citations(list));
    }
    for tier in &office.tiers {
        lists.push(&tier.citations);
        lists.extend(fact_citations(&tier.can));
        lists.extend(fact_citations(&tier.cannot));
    }
    lists
}

/// Every citation list inside a channel.
fn channel_citations(channel: &Channel) -> Vec<&Vec<Citation>> {
    let mut lists = vec![&channel.citations];
    lists.extend(channel.other_names.iter().map(|n| &n.citations));
    lists.extend(contact_citations(&channel.contacts));
    for list in [
        &channel.who,
        &channel.response_time,
        &channel.hours,
        &channel.limits,
        &channel.facts,
    ] {
        lists.extend(fact_citations(list));
    }
    lists
}

fn fact_citations(facts: &[FactView]) -> Vec<&Vec<Citation>> {
    facts
        .iter()
        .flat_map(|f| std::iter::once(&f.citations).chain(fact_citations(&f.earlier)))
        .collect()
}

fn contact_citations(contacts: &[ContactView]) -> Vec<&Vec<Citation>> {
    contacts
        .iter()
        .flat_map(|c| std::iter::once(&c.citations).chain(contact_citations(&c.earlier)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_urls_are_folders() {
        assert_eq!(page_url("about.md"), "about/index.html");
        assert_eq!(page_url("guide/intro.md"), "guide/intro/index.html");
        assert_eq!(page_url("guide/_index.md"), "guide/index.html");
    }

    #[test]
    fn roots_climb_one_level_per_folder() {
        assert_eq!(root_of("index.html"), "");
        assert_eq!(root_of("offices/x/index.html"), "../../");
    }

    #[test]
    fn links_join_relative_paths() {
        assert_eq!(
            join_path("guide", "../about.md").as_deref(),
            Some("about.md")
        );
        assert_eq!(join_path("", "../x.md"), None);
    }

    #[test]
    fn phone_links_use_international_form() {
        assert_eq!(
            contact_href(ContactKind::Phone, "1-800-375-5283").as_deref(),
            Some("tel:+18003755283")
        );
        assert_eq!(
            contact_href(ContactKind::Phone, "(202) 663-1225").as_deref(),
            Some("tel:+12026631225")
        );
        assert_eq!(
            contact_href(ContactKind::Email, "a@b.gov").as_deref(),
            Some("mailto:a@b.gov")
        );
    }
}
