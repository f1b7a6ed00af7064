//! The values of each page's own Tera context, from its [`PlannedPage`]: `root`, `url`,
//! `title`, `version`, `kind`, `description` and what the page shows (its entity, the chart,
//! the source notes). The same list of [`PageInput`]s fills the context when a page renders
//! and feeds its fingerprint for the render cache, so the fingerprint covers exactly what
//! the page is rendered from.

use std::hash::Hasher;
use std::sync::OnceLock;

use serde::Serialize;
use tera::{Context, Tera, Value};

use super::fingerprint::{self, Fingerprinter};
use super::{flowchart, notes};
use crate::model::flowchart::Flowchart;
use crate::model::{Channel, Office, Path, Site, TranslationNotice};
use crate::plan::{PlannedPage, Subject};
use crate::urls::{base_path, root_of, HOME};

/// A view's flowchart, made into a template value once (and only if a page that shows it
/// is rendered), with its hash.
pub(super) struct Chart<'a> {
    chart: &'a Flowchart,
    value: OnceLock<Value>,
    hash: u64,
}

impl<'a> Chart<'a> {
    /// The chart of each view, current first (as [`PlannedPage::view`] counts them plus
    /// one); hashed only when the render cache is `kept`.
    pub(super) fn of_views(site: &'a Site, kept: bool) -> Vec<Option<Self>> {
        std::iter::once(&site.flowchart)
            .chain(site.views.iter().map(|v| &v.flowchart))
            .map(|chart| {
                chart.as_ref().map(|chart| Chart {
                    chart,
                    value: OnceLock::new(),
                    hash: if kept { fingerprint::of(chart) } else { 0 },
                })
            })
            .collect()
    }
}

/// One value of a page's own context: put into the Tera context to render the page, and
/// hashed into its fingerprint. Both come from the same list ([`page_inputs`]), so the
/// fingerprint covers exactly what the page is rendered from.
pub(super) trait PageInput {
    /// Feeds the value to the page's fingerprint.
    fn hash_into(&self, hasher: &mut Fingerprinter);
    /// The value as a template value.
    fn to_value(&self) -> Value;
    /// Puts the value into the context under `name`.
    fn insert_into(&self, name: &'static str, context: &mut Context) {
        context.insert_value(name, self.to_value());
    }
}

impl<T: Serialize + ?Sized> PageInput for T {
    fn to_value(&self) -> Value {
        Value::from_serializable(self)
    }

    fn hash_into(&self, hasher: &mut Fingerprinter) {
        fingerprint::feed(self, hasher);
    }
}

impl PageInput for Chart<'_> {
    fn to_value(&self) -> Value {
        let value = self
            .value
            .get_or_init(|| Value::from_serializable(self.chart));
        value.clone()
    }

    fn hash_into(&self, hasher: &mut Fingerprinter) {
        hasher.write_u64(self.hash);
    }
}

/// Template values made once and shared by the pages that show parts of them: the `site`
/// value of Tera's global context. Values share their contents, so a page that takes its
/// office from it gets it without making it again. Empty while fingerprinting, which makes
/// no values.
#[derive(Default)]
pub(super) struct Shared {
    /// The `site` value, when one was made.
    pub(super) site: Option<Value>,
}

/// Where a page input sits in the [`Shared`] site value: item `index` of `field`
/// (`offices`); in a version view (`view`), nowhere.
#[derive(Clone, Copy)]
struct Place<'a> {
    shared: &'a Shared,
    view: Option<usize>,
    field: &'static str,
    index: usize,
}

impl<'a> Place<'a> {
    /// Item `index` of `field`, in `view`, as `shared` may hold it.
    fn new(shared: &'a Shared, view: Option<usize>, field: &'static str, index: usize) -> Self {
        Place {
            shared,
            view,
            field,
            index,
        }
    }

    /// The value at this place, if it was made.
    fn get(&self) -> Option<Value> {
        if self.view.is_some() {
            return None;
        }
        let site = self.shared.site.as_ref()?;
        site.get_from_path(self.field)?
            .as_array()?
            .get(self.index)
            .cloned()
    }

    /// `value` as a page input that is found at this place.
    fn of<T>(self, value: &'a T) -> Placed<'a, T> {
        Placed { place: self, value }
    }
}

/// A page input that is part of a [`Shared`] value: taken from it when it was made, made
/// from `value` otherwise; hashed from `value` either way.
struct Placed<'a, T> {
    place: Place<'a>,
    value: &'a T,
}

impl<T: Serialize> PageInput for Placed<'_, T> {
    fn to_value(&self) -> Value {
        self.place
            .get()
            .unwrap_or_else(|| Value::from_serializable(self.value))
    }

    fn hash_into(&self, hasher: &mut Fingerprinter) {
        fingerprint::feed(self.value, hasher);
    }
}

/// What a version's own page shows of its view: the name and address of each path (with
/// its number of steps), office and channel, and where its flowchart is. Prepared here so
/// that the page does not take the whole view, every fact of every entity, to list them.
#[derive(Serialize)]
struct ViewSummary<'a> {
    flowchart: Option<Listed<'a>>,
    paths: Vec<Listed<'a>>,
    offices: Vec<Listed<'a>>,
    channels: Vec<Listed<'a>>,
}

/// One entry of a [`ViewSummary`].
#[derive(Serialize)]
struct Listed<'a> {
    name: &'a str,
    url: &'a str,
    /// Its number of steps (paths only).
    steps: usize,
}

impl<'a> ViewSummary<'a> {
    fn of(view: &'a crate::model::VersionView) -> Self {
        let listed = |name: &'a str, url: &'a str, steps: usize| Listed { name, url, steps };
        ViewSummary {
            flowchart: view.flowchart.as_ref().map(|c| listed("", &c.url, 0)),
            paths: (view.paths.iter())
                .map(|p| listed(&p.name, &p.url, p.steps.len()))
                .collect(),
            offices: (view.offices.iter())
                .map(|o| listed(&o.name, &o.url, 0))
                .collect(),
            channels: (view.channels.iter())
                .map(|c| listed(&c.name, &c.url, 0))
                .collect(),
        }
    }
}

/// A part of another input of the same page (a node of the chart), hashed by its place
/// only, as the whole it belongs to is hashed already.
struct Part<'a, T> {
    value: &'a T,
    index: usize,
}

impl<T: Serialize> PageInput for Part<'_, T> {
    fn to_value(&self) -> Value {
        Value::from_serializable(self.value)
    }

    fn hash_into(&self, hasher: &mut Fingerprinter) {
        hasher.write_usize(self.index);
    }
}

/// A value made from other inputs of the same page (the flowchart's SVG from the chart and
/// `root`, the source notes from the entity): made only when the page is rendered, and not
/// hashed, as its inputs are.
struct Derived<F>(F);

impl<T: Serialize, F: Fn() -> T> PageInput for Derived<F> {
    fn to_value(&self) -> Value {
        Value::from_serializable(&(self.0)())
    }

    fn hash_into(&self, _: &mut Fingerprinter) {}
}

/// Renders one page with its own small context.
pub(super) fn render_page(
    site: &Site,
    page: &PlannedPage,
    tera: &Tera,
    charts: &[Option<Chart<'_>>],
    shared: &Shared,
) -> tera::TeraResult<String> {
    let mut context = Context::new();
    page_inputs(site, page, charts, shared, &mut |name, input| {
        input.insert_into(name, &mut context)
    });
    tera.render(page.template, &context)
}

/// What visits the values of a page's own context, by name.
pub(super) type Visit<'v> = dyn FnMut(&'static str, &dyn PageInput) + 'v;

/// Hands each value of a page's own context to `visit`, by name: `root` (the `../` prefix
/// back to the site root), `url`, `title`, `version`, `kind`, `description` and what the
/// page shows.
pub(super) fn page_inputs(
    site: &Site,
    page: &PlannedPage,
    charts: &[Option<Chart<'_>>],
    shared: &Shared,
    visit: &mut Visit,
) {
    let root = page_root(site, page);
    visit("root", &root);
    let static_root = match page.subject {
        Subject::NotFound => page_root_of(site, ""),
        _ => format!("{root}{}", root_of(&site.info.prefix)),
    };
    visit("languages", &alternates(site, page, &static_root));
    let notice = page.notice.map(|kind| Notice {
        kind,
        url: format!("{static_root}{}", page.url),
        lang: site.info.languages.first().map_or("", |l| l.code.as_str()),
        language: site.info.languages.first().map_or("", |l| l.name.as_str()),
    });
    visit("translation_notice", &notice);
    visit("static_root", &static_root);
    visit("url", &page.url);
    visit("title", &page.title);
    visit("version", &page.view.map(|v| &site.views[v].version));
    let shown = Shown::of(site, page, charts, shared);
    let kind = match page.subject {
        Subject::Home => shown.home(visit),
        Subject::Office(i) => shown.office(i, visit),
        Subject::Channel(i) => shown.channel(i, visit),
        Subject::Path(i) => shown.path(i, visit),
        Subject::Version(v) => shown.version(v, visit),
        Subject::Diff(d) => shown.diff(d, visit),
        Subject::Source(i) => shown.source(i, visit),
        Subject::Page(i) => {
            visit("page", &site.pages[i]);
            "page"
        }
        Subject::Folder(i) => {
            visit("folder", &site.folders[i]);
            "folder"
        }
        Subject::Search => {
            // Every page from A to Z, for readers without JavaScript.
            visit("a_to_z", &crate::views::search::a_to_z(site));
            "search"
        }
        Subject::Flowchart => shown.flowchart(&root, visit),
        Subject::FlowchartNode(i) => shown.flowchart_node(i, visit),
        Subject::Handout(i) => shown.handout(i, visit),
        Subject::Offices => "offices",
        Subject::Channels => "channels",
        Subject::Paths => "paths",
        Subject::Sources => "sources",
        Subject::Versions => "versions",
        Subject::NotFound => "404",
        Subject::Handouts => "handouts",
    };
    visit("kind", &kind);
    visit("description", &shown.description().trim());
}

/// The `../` prefix of a page's links back to the root of its language (the site root for
/// the default language, `es/` for another).
fn page_root(site: &Site, page: &PlannedPage) -> String {
    match page.subject {
        Subject::NotFound => page_root_of(site, &site.info.prefix),
        _ => root_of(&page.url),
    }
}

/// The root of the 404 page's links, in the language folder `prefix`. The 404 page is served
/// at whatever depth the missing URL had, so its links must be absolute: the base URL's path
/// when one is set, else the host's root.
fn page_root_of(site: &Site, prefix: &str) -> String {
    let base = site
        .info
        .base_url
        .as_deref()
        .map_or_else(|| "/".to_string(), base_path);
    format!("{base}{prefix}")
}

/// The same page in one language, for the language switcher and the `hreflang` links.
#[derive(Serialize)]
struct Alternate<'a> {
    /// The language's code.
    code: &'a str,
    /// Its name, in itself.
    name: &'a str,
    /// The page in that language, relative to this page.
    url: String,
    /// The page's address in that language from the site root (`es/about/`), for absolute
    /// links with the base URL.
    path: String,
    /// True for the language of this page.
    here: bool,
}

/// The page in each language of the site (none for a guide in one language).
fn alternates<'a>(site: &'a Site, page: &PlannedPage, static_root: &str) -> Vec<Alternate<'a>> {
    let languages = &site.info.languages;
    if languages.len() < 2 {
        return Vec::new();
    }
    let address = page.url.strip_suffix(HOME).unwrap_or(&page.url);
    languages
        .iter()
        .map(|l| Alternate {
            code: &l.code,
            name: &l.name,
            url: format!("{static_root}{}{}", l.prefix, page.url),
            path: format!("{}{address}", l.prefix),
            here: l.prefix == site.info.prefix,
        })
        .collect()
}

/// What a page of another language says about its translation, with the original page.
#[derive(Serialize)]
struct Notice<'a> {
    /// `stale` or `missing`.
    kind: TranslationNotice,
    /// The page in the default language, relative to this page.
    url: String,
    /// The default language's code.
    lang: &'a str,
    /// The default language's name, in itself.
    language: &'a str,
}

/// The offices, channels and paths of a view: a policy version's, by index into
/// `Site::views`, or the current ones.
pub(super) fn view_entities(site: &Site, view: Option<usize>) -> (&[Office], &[Channel], &[Path]) {
    match view.map(|v| &site.views[v]) {
        Some(v) => (&v.offices, &v.channels, &v.paths),
        None => (&site.offices, &site.channels, &site.paths),
    }
}

/// What a page shows its subject from: the Site model, and the entities and flowchart of
/// the page's view. Each of its methods visits the inputs of one subject.
struct Shown<'a> {
    site: &'a Site,
    page: &'a PlannedPage,
    /// The values made once for all pages, which inputs are taken from when they can be.
    shared: &'a Shared,
    /// The offices, channels and paths of the page's view.
    offices: &'a [Office],
    channels: &'a [Channel],
    paths: &'a [Path],
    /// The flowchart of the page's view.
    chart: Option<&'a Flowchart>,
    /// The template value of `chart`.
    chart_value: Option<&'a Chart<'a>>,
}

impl<'a> Shown<'a> {
    fn of(
        site: &'a Site,
        page: &'a PlannedPage,
        charts: &'a [Option<Chart<'a>>],
        shared: &'a Shared,
    ) -> Self {
        let (offices, channels, paths) = view_entities(site, page.view);
        let chart = match page.view {
            Some(v) => site.views[v].flowchart.as_ref(),
            None => site.flowchart.as_ref(),
        };
        Shown {
            site,
            page,
            shared,
            offices,
            channels,
            paths,
            chart,
            chart_value: charts[page.view.map_or(0, |v| v + 1)].as_ref(),
        }
    }

    /// Item `index` of `field` in the page's view.
    fn in_view(&self, field: &'static str, index: usize) -> Place<'a> {
        Place::new(self.shared, self.page.view, field, index)
    }

    /// Item `index` of `field` of the Site model itself.
    fn in_site(&self, field: &'static str, index: usize) -> Place<'a> {
        Place::new(self.shared, None, field, index)
    }

    /// The home page: its numbered source notes. Like every page's notes, they are made
    /// from values the page visits anyway, so they are not hashed again; each method
    /// returns the page's `kind`.
    fn home(&self, visit: &mut Visit) -> &'static str {
        let site = self.site;
        visit(
            "notes",
            &Derived(|| notes::in_language(notes::of_home(site), site)),
        );
        "home"
    }

    /// An office page: the office, and its source notes with the receipt prefixes it takes.
    fn office(&self, i: usize, visit: &mut Visit) -> &'static str {
        let (office, site) = (&self.offices[i], self.site);
        visit("office", &self.in_view("offices", i).of(office));
        let prefixes = match office.receipt_prefix {
            Some(_) => site.prefixes.as_slice(),
            None => &[],
        };
        let notes = || notes::in_language(notes::of_office(office, prefixes, &site.strings), site);
        visit("notes", &Derived(notes));
        "office"
    }

    /// A channel page: the channel and its source notes.
    fn channel(&self, i: usize, visit: &mut Visit) -> &'static str {
        let (channel, strings) = (&self.channels[i], &self.site.strings);
        visit("channel", &self.in_view("channels", i).of(channel));
        let site = self.site;
        visit(
            "notes",
            &Derived(|| notes::in_language(notes::of_channel(channel, strings), site)),
        );
        "channel"
    }

    /// A path page: the path and its source notes.
    fn path(&self, i: usize, visit: &mut Visit) -> &'static str {
        let (path, strings) = (&self.paths[i], &self.site.strings);
        visit("path", &self.in_view("paths", i).of(path));
        let site = self.site;
        visit(
            "notes",
            &Derived(|| notes::in_language(notes::of_path(path, strings), site)),
        );
        "path"
    }

    /// A policy version's page: a summary of its view, its details, what it compares to,
    /// and its source notes.
    fn version(&self, v: usize, visit: &mut Visit) -> &'static str {
        let site = self.site;
        visit("view", &ViewSummary::of(&site.views[v]));
        visit(
            "details",
            &self.in_site("versions", v).of(&site.versions[v]),
        );
        visit("compare", &self.in_site("compare", v).of(&site.compare[v]));
        let notes =
            || notes::in_language(notes::of_version(&site.versions[v], &site.strings), site);
        visit("notes", &Derived(notes));
        "version"
    }

    /// A diff page: the diff and its source notes.
    fn diff(&self, d: usize, visit: &mut Visit) -> &'static str {
        let site = self.site;
        visit("diff", &self.in_site("diffs", d).of(&site.diffs[d]));
        let notes = || notes::in_language(notes::of_diff(&site.diffs[d], &site.strings), site);
        visit("notes", &Derived(notes));
        "diff"
    }

    /// A source page: the source.
    fn source(&self, i: usize, visit: &mut Visit) -> &'static str {
        let source = &self.site.sources[i];
        visit("source", &self.in_site("sources", i).of(source));
        "source"
    }

    /// The flowchart page: the chart, and its drawing made for the page's `root`.
    fn flowchart(&self, root: &str, visit: &mut Visit) -> &'static str {
        if let Some((chart, value)) = self.chart.zip(self.chart_value) {
            visit("chart", value);
            let svg = || flowchart::svg::render(chart, root);
            visit("flowchart_svg", &Derived(svg));
        }
        "flowchart"
    }

    /// A step-through page of the flowchart: the chart and node `i`.
    fn flowchart_node(&self, i: usize, visit: &mut Visit) -> &'static str {
        if let Some((chart, value)) = self.chart.zip(self.chart_value) {
            visit("chart", value);
            // The chart's hash covers its nodes: the node's place says which it is.
            let node = Part {
                value: &chart.nodes[i],
                index: i,
            };
            visit("node", &node);
        }
        "flowchart-node"
    }

    /// A path's handout: the handout, and the path, whose calculator the page offers.
    fn handout(&self, i: usize, visit: &mut Visit) -> &'static str {
        let site = self.site;
        visit(
            "handout",
            &self.in_site("handouts", i).of(&site.handouts[i]),
        );
        // Handouts are made in the paths' order.
        visit("path", &self.in_site("paths", i).of(&site.paths[i]));
        "handout"
    }

    /// The page's description, for its `<meta>`: the summary of what it shows, else the
    /// site's.
    fn description(&self) -> &'a str {
        let site = self.site;
        match self.page.subject {
            Subject::Office(i) => &self.offices[i].summary,
            Subject::Channel(i) => &self.channels[i].summary,
            Subject::Path(i) => &self.paths[i].summary,
            Subject::Source(i) => &site.sources[i].summary,
            Subject::Version(v) => &site.versions[v].summary,
            Subject::FlowchartNode(i) => self.chart.map_or("", |c| c.nodes[i].text.as_str()),
            Subject::Handout(i) => &site.handouts[i].summary,
            Subject::Page(i) => site.pages[i]
                .description
                .as_deref()
                .unwrap_or(&site.info.description),
            _ => &site.info.description,
        }
    }
}
