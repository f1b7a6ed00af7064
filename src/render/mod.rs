//! Stage 5, **render**: turn the planned pages into files, in memory.
//!
//! The theme's Tera templates are parsed once. The Site model is put in Tera's global
//! context once (`site`), so each page's own context holds only what is particular to it:
//! `root` (the `../` prefix back to the site root), `url`, `title`, `kind` and the entity it
//! shows (`office`, `channel`, `path`, `source`, `page`). Template errors become diagnostics
//! at the template's line and column, with the page and data record that triggered them.
//!
//! Templates take every word from the string table ([`crate::strings`]) through the function
//! `t(key="…")`, which works in components too; a key written out in a template that the
//! table does not hold is reported before anything renders, at its line and column.

mod fingerprint;
pub mod flowchart;
pub mod notes;
mod template_errors;
mod words;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::{Hash, Hasher};
use std::sync::OnceLock;

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, ErrorKind, Tera, Value};

use fingerprint::Fingerprinter;

use crate::diagnostic::{Diagnostic, Diagnostics, Location, SourceFile};
use crate::load::Theme;
use crate::model::Site;
use crate::plan::{PlannedPage, Subject};
use crate::strings::Strings;
use crate::urls::root_of;

/// The rendered site: output path → bytes, sorted by path.
pub type Output = BTreeMap<String, Vec<u8>>;

/// The templates every theme must have.
pub const REQUIRED_TEMPLATES: [&str; 20] = [
    "home.html",
    "office.html",
    "channel.html",
    "path.html",
    "source.html",
    "page.html",
    "offices.html",
    "channels.html",
    "paths.html",
    "sources.html",
    "versions.html",
    "404.html",
    "version.html",
    "diff.html",
    "search.html",
    "folder.html",
    "flowchart.html",
    "flowchart_node.html",
    "handout.html",
    "handouts.html",
];

/// Parses the theme's templates; reports syntax errors, and the keys of the string table
/// (`strings`) that a template names and the table does not hold, at their line and column.
pub fn templates(theme: &Theme, strings: &Strings) -> Result<Tera, Diagnostics> {
    let mut tera = words::tera_with(strings);
    let mut diagnostics = Diagnostics::new();
    // Components and base templates must be parsed together, so add all at once; on a
    // syntax error, add them one by one to find every broken file.
    let all: Vec<(&str, &str)> = theme
        .templates
        .iter()
        .map(|(name, file)| (name.as_str(), &*file.text))
        .collect();
    if let Err(error) = tera.add_raw_templates(all.clone()) {
        let mut found = false;
        for (name, text) in &all {
            let mut single = words::tera_with(strings);
            if let Err(error) = single.add_raw_template(name, text) {
                if matches!(error.kind(), ErrorKind::SyntaxError(_)) {
                    diagnostics.push(template_diagnostic(&error, theme, None));
                    found = true;
                }
            }
        }
        if !found {
            let reports = match error.kind() {
                ErrorKind::Msg(message) => template_errors::from_reports(message, theme),
                _ => Vec::new(),
            };
            if reports.is_empty() {
                diagnostics.push(template_diagnostic(&error, theme, None));
            }
            reports.into_iter().for_each(|d| diagnostics.push(d));
        }
        return Err(diagnostics);
    }
    words::check_keys(theme, strings, &mut diagnostics);
    for name in REQUIRED_TEMPLATES {
        if !tera.contains_template(name) {
            diagnostics.push(
                Diagnostic::new(format!("the theme has no template `{name}`"))
                    .with_hint("copy it from themes/default/templates/ or create it"),
            );
        }
    }
    diagnostics.into_result(tera)
}

/// Renders every planned page and copies the theme's static files under `static/`.
///
/// With a [`RenderCache`] from the previous build (as `casepath serve` keeps one), a page
/// whose inputs are the same as then is not rendered again: its HTML is taken from the
/// cache. The result is the same either way.
pub fn render(
    site: &Site,
    plan: &[PlannedPage],
    theme: &Theme,
    tera: &mut Tera,
    cache: &mut RenderCache,
) -> Result<Output, Diagnostics> {
    // Each view's flowchart is turned into a template value once, not once per node page.
    let charts: Vec<Option<Chart<'_>>> = std::iter::once(&site.flowchart)
        .chain(site.views.iter().map(|v| &v.flowchart))
        .map(|chart| {
            chart.as_ref().map(|chart| Chart {
                chart,
                value: OnceLock::new(),
                hash: if cache.keep {
                    fingerprint::of(chart)
                } else {
                    0
                },
            })
        })
        .collect();
    let dependencies = TemplateDependencies::new(theme);
    let templates: HashMap<&str, (u64, BTreeSet<&str>)> = plan
        .iter()
        .map(|page| page.template)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .map(|name| (name, dependencies.of(name)))
        .collect();
    // Without a kept cache (`casepath build`) nothing is fingerprinted: every page renders.
    let Fingerprints {
        pages: fingerprints,
        fields: field_hashes,
    } = match cache.keep {
        true => Fingerprints::new(site, &templates, plan, &charts),
        false => Fingerprints {
            pages: vec![0; plan.len()],
            fields: HashMap::new(),
        },
    };
    let stale: Vec<bool> = fingerprints
        .iter()
        .zip(plan)
        .map(|(fingerprint, page)| !cache.keep || cache.get(&page.url, *fingerprint).is_none())
        .collect();
    // Only the fields of the site that the templates to render name are made into values.
    let fields: BTreeSet<&str> = plan
        .iter()
        .zip(&stale)
        .filter(|(_, &stale)| stale)
        .flat_map(|(page, _)| templates[page.template].1.iter().copied())
        .collect();
    let mut fresh = RenderCache {
        keep: cache.keep,
        ..RenderCache::default()
    };
    let mut shared = Shared::default();
    if !fields.is_empty() {
        // A field whose hash is the one it had last time keeps its value from then.
        let value = site_value(site, &fields, |field, make| {
            match (field_hashes.get(field), cache.fields.get(field)) {
                (Some(hash), Some((old, value))) if old == hash => value.clone(),
                _ => make(),
            }
        });
        for field in &fields {
            if let (Some(&hash), Some(made)) = (field_hashes.get(field), value.get_from_path(field))
            {
                fresh.fields.insert(field.to_string(), (hash, made.clone()));
            }
        }
        shared.site = Some(value.clone());
        tera.global_context().insert_value("site", value);
    }

    // Values of fields not used this time stay while their fields are unchanged.
    for (field, hash) in &field_hashes {
        if let Some((old, value)) = cache.fields.remove(*field) {
            if old == *hash && !fresh.fields.contains_key(*field) {
                fresh.fields.insert(field.to_string(), (old, value));
            }
        }
    }
    let tera = &*tera;
    // Pages render in parallel; the results come back in plan order.
    let rendered: Vec<Option<tera::TeraResult<String>>> = plan
        .par_iter()
        .zip(&stale)
        .map(|(page, &stale)| stale.then(|| render_page(site, page, tera, &charts, &shared)))
        .collect();
    let mut output = Output::new();
    // The same template mistake fails on many pages: report it once, with the first page
    // that hit it and how many others did.
    let mut failures: Vec<(String, tera::Error, &PlannedPage, usize)> = Vec::new();
    for ((page, result), fingerprint) in plan.iter().zip(rendered).zip(&fingerprints) {
        let html = match result {
            None => cache
                .pages
                .remove(&page.url)
                .map(|(_, html)| html)
                .unwrap_or_default(),
            Some(Ok(html)) => html.into_bytes(),
            Some(Err(error)) => {
                let key = error_key(&error);
                match failures.iter_mut().find(|(k, ..)| *k == key) {
                    Some((.., others)) => *others += 1,
                    None => failures.push((key, error, page, 0)),
                }
                continue;
            }
        };
        if fresh.keep {
            fresh
                .pages
                .insert(page.url.clone(), (*fingerprint, html.clone()));
        }
        output.insert(page.url.clone(), html);
    }
    fresh.rendered = stale.iter().filter(|&&s| s).count();
    *cache = fresh;
    let mut diagnostics = Diagnostics::new();
    for (_, error, page, others) in &failures {
        let mut trigger = format!(
            "while rendering `{}` for {}",
            page.url,
            describe_subject(site, page)
        );
        if *others > 0 {
            trigger.push_str(&format!(
                ", and {others} more page{}",
                if *others == 1 { "" } else { "s" }
            ));
        }
        diagnostics.push(template_diagnostic(error, theme, Some(trigger)));
    }
    for (path, bytes) in &theme.static_files {
        output.insert(format!("static/{path}"), bytes.clone());
    }
    diagnostics.into_result(output)
}

/// The pages of the last build with what each was rendered from, so that the next build
/// renders only the pages whose inputs changed.
///
/// A page's inputs are summed up in a fingerprint (a 64-bit hash): the text of its
/// template and of every template it can reach; the parts of the Site model (`site.…`)
/// those templates name; and its own context, hashed from the same values that are put
/// into it (see [`page_inputs`]). Nothing is guessed: a template that names `site` as a
/// whole (or dumps the context) depends on all of it.
#[derive(Debug, Default)]
pub struct RenderCache {
    /// Whether to keep anything (`casepath build` renders once and keeps nothing).
    keep: bool,
    /// Output path → (fingerprint, HTML).
    pages: HashMap<String, (u64, Vec<u8>)>,
    /// Field of the site → (hash, template value) of the last render that used it.
    fields: HashMap<String, (u64, Value)>,
    /// How many pages the last render had to render (the others came from the cache).
    rendered: usize,
}

impl RenderCache {
    /// A cache that keeps each render's pages for the next.
    pub fn kept() -> Self {
        RenderCache {
            keep: true,
            ..RenderCache::default()
        }
    }

    fn get(&self, url: &str, fingerprint: u64) -> Option<&[u8]> {
        self.pages
            .get(url)
            .filter(|(f, _)| *f == fingerprint)
            .map(|(_, html)| html.as_slice())
    }

    /// How many pages the last render rendered; the others were unchanged.
    pub fn rendered(&self) -> usize {
        self.rendered
    }
}

/// A view's flowchart, made into a template value once (and only if a page that shows it
/// is rendered), with its hash.
struct Chart<'a> {
    chart: &'a crate::model::flowchart::Flowchart,
    value: OnceLock<Value>,
    hash: u64,
}

/// The fingerprint of every planned page, in plan order.
struct Fingerprints<'a> {
    pages: Vec<u64>,
    /// The hash of each field of the site that a template reads.
    fields: HashMap<&'a str, u64>,
}

impl<'a> Fingerprints<'a> {
    fn new(
        site: &Site,
        per_template: &HashMap<&str, (u64, BTreeSet<&'a str>)>,
        plan: &[PlannedPage],
        charts: &[Option<Chart<'_>>],
    ) -> Self {
        // Each field of the site that some template reads is hashed once.
        let mut fields: Vec<&str> = per_template
            .values()
            .flat_map(|(_, reads)| reads.iter().copied())
            .collect();
        fields.sort_unstable();
        fields.dedup();
        let field_hashes: HashMap<&'a str, u64> = fields
            .par_iter()
            .map(|field| (*field, site_field_hash(site, field)))
            .collect();
        // Every template can name any text of the string table.
        let strings = fingerprint::of(&site.strings);
        let per_template: HashMap<&str, u64> = per_template
            .iter()
            .map(|(name, (text_hash, reads))| {
                let mut hasher = fingerprint::hasher();
                text_hash.hash(&mut hasher);
                strings.hash(&mut hasher);
                for field in reads {
                    (field, field_hashes[field]).hash(&mut hasher);
                }
                (*name, hasher.finish())
            })
            .collect();
        let pages = plan
            .par_iter()
            .map(|page| {
                let mut hasher = fingerprint::hasher();
                hasher.write_u64(per_template[page.template]);
                page.template.hash(&mut hasher);
                page_inputs(
                    site,
                    page,
                    charts,
                    &Shared::default(),
                    &mut |name, input| {
                        name.hash(&mut hasher);
                        input.hash_into(&mut hasher);
                    },
                );
                hasher.finish()
            })
            .collect();
        Fingerprints {
            pages,
            fields: field_hashes,
        }
    }
}

/// What each page template can read: the hash of its text and of every template it
/// reaches, and the names of the Site model's fields those templates use.
struct TemplateDependencies<'a> {
    /// Each template's name and text, with the fields it reads and the templates it names.
    templates: Vec<(&'a str, &'a str, BTreeSet<&'a str>, Vec<usize>)>,
}

/// The name that stands for every field of the Site model.
const ALL_FIELDS: &str = "*";

impl<'a> TemplateDependencies<'a> {
    fn new(theme: &'a Theme) -> Self {
        let names: Vec<&str> = theme.templates.iter().map(|(n, _)| n.as_str()).collect();
        let templates = theme
            .templates
            .iter()
            .map(|(name, file)| {
                let text: &str = &file.text;
                let named = names
                    .iter()
                    .enumerate()
                    .filter(|(_, other)| {
                        text.contains(&format!("\"{other}\""))
                            || text.contains(&format!("'{other}'"))
                    })
                    .map(|(i, _)| i)
                    .collect();
                (name.as_str(), text, site_fields_read(text), named)
            })
            .collect();
        TemplateDependencies { templates }
    }

    /// The templates `name` can reach: itself, every template that is not a page template
    /// (bases and components, which any template can use), and any template named in a
    /// string in those; then the hash of their texts and the `site` fields they name.
    fn of(&self, name: &str) -> (u64, BTreeSet<&'a str>) {
        let mut reached: BTreeSet<usize> = (0..self.templates.len())
            .filter(|&i| {
                let n = self.templates[i].0;
                n == name || !REQUIRED_TEMPLATES.contains(&n)
            })
            .collect();
        let mut queue: Vec<usize> = reached.iter().copied().collect();
        while let Some(i) = queue.pop() {
            for &j in &self.templates[i].3 {
                if reached.insert(j) {
                    queue.push(j);
                }
            }
        }
        let mut hasher = fingerprint::hasher();
        let mut fields = BTreeSet::new();
        for &i in &reached {
            let (name, text, reads, _) = &self.templates[i];
            (name, text).hash(&mut hasher);
            fields.extend(reads.iter().copied());
        }
        if fields.contains(ALL_FIELDS) {
            fields = BTreeSet::from([ALL_FIELDS]);
        }
        (hasher.finish(), fields)
    }
}

/// The fields of the Site model a template names inside its tags (`site.offices` →
/// `offices`); [`ALL_FIELDS`] when it uses `site` otherwise, or dumps the whole context.
fn site_fields_read(text: &str) -> BTreeSet<&str> {
    let mut fields = BTreeSet::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let close = match after.chars().next() {
            Some('{') => "}}",
            Some('%') => "%}",
            _ => {
                rest = after;
                continue;
            }
        };
        let end = after.find(close).map_or(after.len(), |i| i + close.len());
        let tag = &after[..end];
        rest = &after[end..];
        if tag.contains("__tera_context") {
            fields.insert(ALL_FIELDS);
        }
        let bytes = tag.as_bytes();
        let is_ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
        for (at, _) in tag.match_indices("site") {
            let before = at.checked_sub(1).map(|i| bytes[i]);
            let after = bytes.get(at + 4).copied();
            if before.is_some_and(|b| is_ident(b) || b == b'.') || after.is_some_and(is_ident) {
                continue;
            }
            let field_start = at + 5;
            let field_len = bytes
                .get(field_start..)
                .map_or(0, |b| b.iter().take_while(|&&c| is_ident(c)).count());
            if after == Some(b'.') && field_len > 0 {
                fields.insert(&tag[field_start..field_start + field_len]);
            } else {
                fields.insert(ALL_FIELDS);
            }
        }
    }
    fields
}

/// One field of the Site model, by name; `None` for a name it does not have.
fn site_field<'a>(site: &'a Site, field: &str) -> Option<&'a (dyn PageInput + Sync)> {
    Some(match field {
        "info" => &site.info,
        "sources" => &site.sources,
        "versions" => &site.versions,
        "parameters" => &site.parameters,
        "offices" => &site.offices,
        "channels" => &site.channels,
        "paths" => &site.paths,
        "pages" => &site.pages,
        "handouts" => &site.handouts,
        "views" => &site.views,
        "diffs" => &site.diffs,
        "prefixes" => &site.prefixes,
        "flowchart" => &site.flowchart,
        "chart_links" => &site.chart_links,
        "folders" => &site.folders,
        "footer_pages" => &site.footer_pages,
        "compare" => &site.compare,
        _ => return None,
    })
}

/// The hash of one field of the Site model, by name; an unknown name hashes the whole.
fn site_field_hash(site: &Site, field: &str) -> u64 {
    match site_field(site, field) {
        Some(input) => {
            let mut hasher = fingerprint::hasher();
            input.hash_into(&mut hasher);
            hasher.finish()
        }
        None => fingerprint::of(site),
    }
}

/// The `site` of the templates: the fields they name, or the whole Site model when one
/// names all of it (or a field it does not have, which the whole model leaves undefined
/// just the same).
/// `value_of` gives each field's value from the name and a maker of the value, so that a
/// caller can take it from a cache instead.
/// The fields are made in parallel.
fn site_value(
    site: &Site,
    fields: &BTreeSet<&str>,
    value_of: impl Fn(&str, &dyn Fn() -> Value) -> Value + Sync,
) -> Value {
    let inputs: Option<Vec<(&str, &(dyn PageInput + Sync))>> = fields
        .iter()
        .map(|field| Some((*field, site_field(site, field)?)))
        .collect();
    let Some(inputs) = inputs else {
        return Value::from_serializable(site);
    };
    let map: BTreeMap<String, Value> = inputs
        .par_iter()
        .map(|(field, input)| (field.to_string(), value_of(field, &|| input.to_value())))
        .collect();
    Value::from(map)
}

/// One value of a page's own context: put into the Tera context to render the page, and
/// hashed into its fingerprint. Both come from the same list ([`page_inputs`]), so the
/// fingerprint covers exactly what the page is rendered from.
trait PageInput {
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
struct Shared {
    site: Option<Value>,
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

/// What makes two template errors the same mistake: the template, place and message.
fn error_key(error: &tera::Error) -> String {
    match error.kind() {
        ErrorKind::SyntaxError(r) | ErrorKind::RenderingError(r) => {
            format!("{}:{:?}:{}", r.filename(), r.span(), r.message())
        }
        other => other.to_string(),
    }
}

/// Renders one page with its own small context.
fn render_page(
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

/// Hands each value of a page's own context to `visit`, by name: `root` (the `../` prefix
/// back to the site root), `url`, `title`, `version`, `kind`, `description` and the entity
/// the page shows.
fn page_inputs(
    site: &Site,
    page: &PlannedPage,
    charts: &[Option<Chart<'_>>],
    shared: &Shared,
    visit: &mut dyn FnMut(&'static str, &dyn PageInput),
) {
    // An item of a list of the Site model, or of the page's version view.
    let item = |view: Option<usize>, field: &'static str, index: usize| Place {
        shared,
        view,
        field,
        index,
    };
    let root = match page.subject {
        // The 404 page is served at whatever depth the missing URL had, so its links must
        // be absolute: the base URL's path when one is set, else the host's root.
        Subject::NotFound => site
            .info
            .base_url
            .as_deref()
            .map_or_else(|| "/".to_string(), base_path),
        _ => root_of(&page.url),
    };
    visit("root", &root);
    visit("url", &page.url);
    visit("title", &page.title);
    let view = page.view.map(|v| &site.views[v]);
    visit("version", &view.map(|v| &v.version));
    let (offices, channels, paths) = match view {
        Some(v) => (&v.offices, &v.channels, &v.paths),
        None => (&site.offices, &site.channels, &site.paths),
    };
    let chart = match view {
        Some(v) => v.flowchart.as_ref(),
        None => site.flowchart.as_ref(),
    };
    let chart_value = charts[page.view.map_or(0, |v| v + 1)].as_ref();
    // The numbered source notes of the page; made from the values visited with them, so
    // they are not hashed again.
    let kind = match page.subject {
        Subject::Home => {
            visit("notes", &Derived(|| notes::of_home(site)));
            "home"
        }
        Subject::Office(i) => {
            visit("office", &item(page.view, "offices", i).of(&offices[i]));
            let prefixes = match offices[i].receipt_prefix {
                Some(_) => site.prefixes.as_slice(),
                None => &[],
            };
            visit(
                "notes",
                &Derived(|| notes::of_office(&offices[i], prefixes, &site.strings)),
            );
            "office"
        }
        Subject::Channel(i) => {
            visit("channel", &item(page.view, "channels", i).of(&channels[i]));
            visit(
                "notes",
                &Derived(|| notes::of_channel(&channels[i], &site.strings)),
            );
            "channel"
        }
        Subject::Path(i) => {
            visit("path", &item(page.view, "paths", i).of(&paths[i]));
            visit(
                "notes",
                &Derived(|| notes::of_path(&paths[i], &site.strings)),
            );
            "path"
        }
        Subject::Version(v) => {
            visit("view", &ViewSummary::of(&site.views[v]));
            visit("details", &item(None, "versions", v).of(&site.versions[v]));
            visit("compare", &item(None, "compare", v).of(&site.compare[v]));
            visit(
                "notes",
                &Derived(|| notes::of_version(&site.versions[v], &site.strings)),
            );
            "version"
        }
        Subject::Diff(d) => {
            visit("diff", &item(None, "diffs", d).of(&site.diffs[d]));
            visit(
                "notes",
                &Derived(|| notes::of_diff(&site.diffs[d], &site.strings)),
            );
            "diff"
        }
        Subject::Source(i) => {
            visit("source", &item(None, "sources", i).of(&site.sources[i]));
            "source"
        }
        Subject::Page(i) => {
            visit("page", &site.pages[i]);
            "page"
        }
        Subject::Offices => "offices",
        Subject::Channels => "channels",
        Subject::Paths => "paths",
        Subject::Sources => "sources",
        Subject::Versions => "versions",
        Subject::NotFound => "404",
        Subject::Search => {
            // Every page from A to Z, for readers without JavaScript.
            visit("a_to_z", &crate::views::search::a_to_z(site));
            "search"
        }
        Subject::Folder(i) => {
            visit("folder", &site.folders[i]);
            "folder"
        }
        Subject::Flowchart => {
            if let (Some(chart), Some(value)) = (chart, chart_value) {
                visit("chart", value);
                visit(
                    "flowchart_svg",
                    &Derived(|| flowchart::svg::render(chart, &root)),
                );
            }
            "flowchart"
        }
        Subject::FlowchartNode(i) => {
            if let (Some(chart), Some(value)) = (chart, chart_value) {
                visit("chart", value);
                // The chart's hash covers its nodes: the node's place says which it is.
                visit(
                    "node",
                    &Part {
                        value: &chart.nodes[i],
                        index: i,
                    },
                );
            }
            "flowchart-node"
        }
        Subject::Handout(i) => {
            visit("handout", &item(None, "handouts", i).of(&site.handouts[i]));
            // Handouts are made in the paths' order; the page offers the path's calculator.
            visit("path", &item(None, "paths", i).of(&site.paths[i]));
            "handout"
        }
        Subject::Handouts => "handouts",
    };
    visit("kind", &kind);
    let description = match page.subject {
        Subject::Office(i) => offices[i].summary.as_str(),
        Subject::Channel(i) => channels[i].summary.as_str(),
        Subject::Path(i) => paths[i].summary.as_str(),
        Subject::Source(i) => site.sources[i].summary.as_str(),
        Subject::Version(v) => site.versions[v].summary.as_str(),
        Subject::FlowchartNode(i) => chart.map_or("", |c| c.nodes[i].text.as_str()),
        Subject::Handout(i) => site.handouts[i].summary.as_str(),
        Subject::Page(i) => site.pages[i]
            .description
            .as_deref()
            .unwrap_or(&site.info.description),
        _ => site.info.description.as_str(),
    };
    visit("description", &description.trim());
}

/// The path part of a base URL, ending with `/`: `https://x.github.io/guide` → `/guide/`.
pub fn base_path(base_url: &str) -> String {
    let after_scheme = base_url
        .split_once("://")
        .map_or(base_url, |(_, rest)| rest);
    let path = after_scheme.find('/').map_or("", |i| &after_scheme[i..]);
    format!("{}/", path.trim_end_matches('/'))
}

/// Names the data behind a page, so a template error points at the content too.
fn describe_subject(site: &Site, page: &PlannedPage) -> String {
    let (offices, channels, paths) = match page.view.map(|v| &site.views[v]) {
        Some(v) => (&v.offices, &v.channels, &v.paths),
        None => (&site.offices, &site.channels, &site.paths),
    };
    match page.subject {
        Subject::Office(i) => format!("office `{}` (content/data/offices.yaml)", offices[i].id),
        Subject::Channel(i) => format!("channel `{}` (content/data/channels.yaml)", channels[i].id),
        Subject::Path(i) => format!("path `{}` (content/data/paths.yaml)", paths[i].id),
        Subject::Source(i) => format!(
            "source `{}` (content/data/sources.yaml)",
            site.sources[i].id
        ),
        Subject::Page(i) => format!("content/pages/{}", site.pages[i].source_path),
        Subject::FlowchartNode(i) => format!(
            "flowchart node `{}` (content/data/flowchart.yaml)",
            site.flowchart
                .as_ref()
                .map_or("", |c| c.nodes[i].id.as_str())
        ),
        Subject::Handout(i) => format!(
            "the handout of path `{}` (content/data/paths.yaml)",
            site.handouts[i].id
        ),
        other => format!("the {other:?} page").to_lowercase(),
    }
}

/// A diagnostic for a Tera error, at the template's line and column when Tera gives one.
fn template_diagnostic(error: &tera::Error, theme: &Theme, trigger: Option<String>) -> Diagnostic {
    let report = match error.kind() {
        ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => Some(report),
        _ => None,
    };
    let mut diagnostic = match report {
        Some(report) => {
            let file = theme
                .templates
                .iter()
                .find(|(name, _)| name == report.filename())
                .map(|(_, file)| file.clone())
                .unwrap_or_else(|| SourceFile::new(report.filename(), ""));
            let span = report.span();
            let len = if span.start_line == span.end_line {
                span.end_col.saturating_sub(span.start_col).max(1)
            } else {
                1
            };
            let location = Location::new(&file, span.start_line, span.start_col + 1, len);
            let unknown_tag = (report.message() == "Unknown tag")
                .then(|| template_errors::unknown_tag(&file, span.range.start))
                .flatten();
            unknown_tag.unwrap_or_else(|| {
                Diagnostic::at(location, format!("template error: {}", report.message()))
                    .with_label("here")
            })
        }
        None => Diagnostic::new(format!("template error: {error}")),
    };
    if let Some(trigger) = trigger {
        diagnostic = diagnostic.with_hint(trigger);
    }
    diagnostic
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_of_the_site_is_hashed_on_its_own() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let site = crate::site(root).expect("the shipped guide resolves");
        let whole = fingerprint::of(&site);
        let json = serde_json::to_value(&site).unwrap();
        for field in json.as_object().unwrap().keys() {
            assert_ne!(
                site_field_hash(&site, field),
                whole,
                "site.{field} has no arm in site_field_hash"
            );
        }
    }

    #[test]
    fn templates_name_the_site_fields_they_read() {
        let read = site_fields_read(
            r#"<p class="site-x">{{ site.info.title }}</p>{% for o in site.offices %}{% endfor %}"#,
        );
        assert_eq!(read, BTreeSet::from(["info", "offices"]));
        assert_eq!(
            site_fields_read("{{ site | json_encode }}"),
            BTreeSet::from([ALL_FIELDS])
        );
        assert_eq!(
            site_fields_read("{{ __tera_context }}"),
            BTreeSet::from([ALL_FIELDS])
        );
        assert!(site_fields_read("<p>site.offices</p>").is_empty());
    }

    #[test]
    fn base_paths_keep_the_project_folder() {
        assert_eq!(base_path("https://user.github.io/guide"), "/guide/");
        assert_eq!(base_path("https://user.github.io/guide/"), "/guide/");
        assert_eq!(base_path("https://example.org"), "/");
    }
}
