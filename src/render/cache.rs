//! The render cache: what each page of the last build was rendered from, so that
//! `casepath serve` renders again only the pages whose inputs changed, and keeps the
//! template values of the Site model's fields that did not change.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::{Hash, Hasher};

use rayon::prelude::*;
use tera::Value;

use super::fingerprint;
use super::inputs::{page_inputs, Chart, PageInput, Shared};
use super::templates::REQUIRED_TEMPLATES;
use crate::load::Theme;
use crate::model::Site;
use crate::plan::PlannedPage;

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

    /// How many pages the last render rendered; the others were unchanged.
    pub fn rendered(&self) -> usize {
        self.rendered
    }

    /// Whether this cache keeps anything for the next render.
    pub fn keeps(&self) -> bool {
        self.keep
    }

    /// What a render of `plan` with this cache must do. Without a kept cache (`casepath
    /// build`) nothing is fingerprinted: every page renders.
    pub(super) fn work<'a>(
        &self,
        site: &Site,
        theme: &'a Theme,
        plan: &[PlannedPage],
        charts: &[Option<Chart<'_>>],
    ) -> Work<'a> {
        let dependencies = TemplateDependencies::new(theme);
        let templates: TemplateReads<'a> = plan
            .iter()
            .map(|page| page.template)
            .collect::<BTreeSet<_>>()
            .into_iter()
            .map(|name| (name, dependencies.of(name)))
            .collect();
        let fingerprints = match self.keep {
            true => Fingerprints::new(site, &templates, plan, charts),
            false => Fingerprints {
                pages: vec![0; plan.len()],
                fields: HashMap::new(),
            },
        };
        let stale: Vec<bool> = (fingerprints.pages.iter().zip(plan))
            .map(|(fingerprint, page)| !self.keep || !self.has(&page.url, *fingerprint))
            .collect();
        // Only the fields of the site that the templates to render name are made into values.
        let fields = (plan.iter().zip(&stale))
            .filter(|(_, &stale)| stale)
            .flat_map(|(page, _)| templates[page.template].1.iter().copied())
            .collect();
        Work {
            fingerprints,
            stale,
            fields,
        }
    }

    /// True when the cache holds page `url` as rendered from inputs with this fingerprint.
    fn has(&self, url: &str, fingerprint: u64) -> bool {
        self.pages.get(url).is_some_and(|(f, _)| *f == fingerprint)
    }

    /// The cache for the render after the one that does `work`, holding so far the values of
    /// the fields that did not change; and the `site` value of Tera's global context for this
    /// render (`None` when no page to render reads any field). A field whose hash is the one
    /// it had last time keeps its value from then, and so does a field this render does not
    /// use, while it is unchanged.
    pub(super) fn next(&mut self, site: &Site, work: &Work) -> (RenderCache, Option<Value>) {
        let field_hashes = &work.fingerprints.fields;
        let mut fresh = RenderCache {
            keep: self.keep,
            rendered: work.stale.iter().filter(|&&s| s).count(),
            ..RenderCache::default()
        };
        let mut made = None;
        if !work.fields.is_empty() {
            let value = site_value(site, &work.fields, |field, make| {
                match (field_hashes.get(field), self.fields.get(field)) {
                    (Some(hash), Some((old, value))) if old == hash => value.clone(),
                    _ => make(),
                }
            });
            for field in &work.fields {
                if let (Some(&hash), Some(made)) =
                    (field_hashes.get(field), value.get_from_path(field))
                {
                    fresh.fields.insert(field.to_string(), (hash, made.clone()));
                }
            }
            made = Some(value);
        }
        for (field, hash) in field_hashes {
            if let Some((old, value)) = self.fields.remove(*field) {
                if old == *hash && !fresh.fields.contains_key(*field) {
                    fresh.fields.insert(field.to_string(), (old, value));
                }
            }
        }
        (fresh, made)
    }

    /// Takes the HTML of page `url` from the last render (empty if it has none).
    pub(super) fn take_page(&mut self, url: &str) -> Vec<u8> {
        self.pages
            .remove(url)
            .map(|(_, html)| html)
            .unwrap_or_default()
    }

    /// Keeps the HTML of page `url`, rendered from inputs with `fingerprint`, for the next
    /// render (if this cache keeps anything).
    pub(super) fn keep_page(&mut self, url: &str, fingerprint: u64, html: &[u8]) {
        if self.keep {
            self.pages
                .insert(url.to_string(), (fingerprint, html.to_vec()));
        }
    }
}

/// What one render must do: the fingerprint of every planned page, which pages must be
/// rendered (the others come from the cache), and the fields of the Site model those read.
pub(super) struct Work<'a> {
    /// The fingerprints, with the hashes of the fields of the site.
    fingerprints: Fingerprints<'a>,
    /// For each planned page, in plan order: whether it must be rendered.
    pub(super) stale: Vec<bool>,
    /// The fields of the Site model that the templates of the pages to render read.
    fields: BTreeSet<&'a str>,
}

impl Work<'_> {
    /// The fingerprint of every planned page, in plan order (all 0 without a kept cache).
    pub(super) fn fingerprints(&self) -> &[u64] {
        &self.fingerprints.pages
    }
}

/// Each page template of a plan, with the hash of the text of every template it reaches
/// and the fields of the Site model those read.
type TemplateReads<'a> = HashMap<&'static str, (u64, BTreeSet<&'a str>)>;

/// The fingerprint of every planned page, in plan order.
struct Fingerprints<'a> {
    pages: Vec<u64>,
    /// The hash of each field of the site that a template reads.
    fields: HashMap<&'a str, u64>,
}

impl<'a> Fingerprints<'a> {
    fn new(
        site: &Site,
        per_template: &TemplateReads<'a>,
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
}
