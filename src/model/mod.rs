//! The Site model: what templates see, as plain serialisable types with no logic.
//!
//! Every reference is already resolved to a [`Link`] (name and URL), every citation names
//! its source and policy version, every wait carries its number of days for the view, and
//! every entity lists what links to it. The [`resolve`](mod@crate::resolve) stage makes the entities; the
//! [`crate::views`] stage derives the rest (backlinks, switchers, diffs, handouts, folders)
//! and assembles the [`Site`]. Templates only loop and print.
//!
//! URLs are site-relative paths to files (`offices/help-desk/index.html`), so
//! templates make relative links by prefixing the page's `root` (`../../`); see
//! [`crate::urls`].

pub mod diff;
mod entities;
pub mod flowchart;
pub mod handout;
pub mod parts;

pub use entities::*;
pub use parts::{ItemView, PartView};

use serde::Serialize;

use crate::load::schema::Unit;
use crate::strings::Strings;

/// What the resolve stage makes: every entity resolved, for the views stage to complete
/// into the [`Site`].
#[derive(Debug)]
pub struct Resolved {
    /// Site-wide settings.
    pub info: SiteInfo,
    /// Source documents; `backlinks` are left to the views.
    pub sources: Vec<Source>,
    /// Policy versions, oldest first.
    pub versions: Vec<Version>,
    /// Every policy parameter with its current value and its value in each version.
    pub parameters: Vec<ParameterView>,
    /// Offices; `backlinks` and `switch` are left to the views.
    pub offices: Vec<Office>,
    /// Channels; `backlinks` and `switch` are left to the views.
    pub channels: Vec<Channel>,
    /// Escalation paths; `backlinks` and `switch` are left to the views.
    pub paths: Vec<Path>,
    /// Markdown pages, by weight then title.
    pub pages: Vec<Page>,
    /// The offices, channels and paths as each policy version alone states them.
    pub views: Vec<VersionView>,
    /// The decision flowchart, if the guide has one.
    pub flowchart: Option<flowchart::Flowchart>,
    /// The entity links found in Markdown pages, for the backlinks.
    pub page_links: Vec<PageLink>,
    /// The string table, for the words the views put around the data.
    pub strings: Strings,
}

/// An entity link found in a Markdown page: the page, the target's kind and id.
pub type PageLink = (Link, &'static str, String);

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
    pub handouts: Vec<handout::Handout>,
    /// The offices, channels and paths as each policy version alone states them.
    pub views: Vec<VersionView>,
    /// What changed between each pair of versions, older first.
    pub diffs: Vec<diff::Diff>,
    /// Receipt-number prefixes and the office each belongs to, for the receipt helper.
    pub prefixes: Vec<PrefixRow>,
    /// The decision flowchart, if the guide has one.
    pub flowchart: Option<flowchart::Flowchart>,
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
    pub flowchart: Option<flowchart::Flowchart>,
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
    /// The folder this language's pages are under: empty for the default language, `es/`
    /// for another.
    pub prefix: String,
    /// Every language the site is published in, the default first (one for a guide in one
    /// language).
    pub languages: Vec<Language>,
}

/// A language the site is published in, for the language switcher and the alternates.
#[derive(Debug, Serialize, Clone, PartialEq, Eq)]
pub struct Language {
    /// Its code (`es`).
    pub code: String,
    /// Its name, in itself ("Español").
    pub name: String,
    /// The folder its pages are under: empty for the default language, `es/` for another.
    pub prefix: String,
}

/// What a page of another language says about its translation, at the top of the page.
#[derive(Debug, Serialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum TranslationNotice {
    /// The translation was made from an older original: it may be behind.
    Stale,
    /// The page, or part of it, is not translated and is shown in the original language.
    Missing,
}
