//! Stage 3, **resolve**: validated content becomes the resolved entities of the Site model.
//!
//! The Site model is what templates see: plain, serialisable Rust types in which every
//! reference is already resolved to a [`Link`](crate::model::Link) (name and URL), every citation names its
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

use std::collections::BTreeMap;

use crate::load::schema::*;
use crate::load::Content;
use crate::model::{
    Channel, Citation, FactView, Office, Path, Resolved, SiteInfo, Source, SourceLine, Version,
    VersionView, WaitView,
};
use crate::urls::entity_url;
use crate::validate::{SourceSlice, Validated};
use resolver::Resolver;

pub mod flowchart;
mod labels;
mod pages;
mod records;
mod resolver;

/// Resolves validated content into the entities of the Site model.
pub fn resolve(validated: &Validated) -> Resolved {
    let Validated {
        content, slices, ..
    } = validated;
    let resolver = Resolver::new(content, slices);
    let info = site_info(content);

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
        .map(|s| source(&resolver, slices, s))
        .collect();

    let pages = resolver.pages(content);
    let entities = flowchart::Entities {
        offices: &offices,
        channels: &channels,
        paths: &paths,
    };
    let flowchart = flowchart::resolve(
        &content.flowchart.records,
        &entities,
        &resolver,
        crate::urls::FLOWCHART,
    );
    let views = version_views(&resolver, content, &entities);

    let page_links = resolver
        .page_links
        .into_inner()
        .unwrap_or_else(|e| e.into_inner());
    Resolved {
        info,
        sources,
        versions,
        parameters,
        offices,
        channels,
        paths,
        pages,
        views,
        flowchart,
        page_links,
        strings: content.strings.clone(),
    }
}

/// Each policy version's view of the offices, channels and paths, oldest first.
fn version_views(
    resolver: &Resolver<'_>,
    content: &Content,
    entities: &flowchart::Entities<'_>,
) -> Vec<VersionView> {
    resolver
        .versions
        .iter()
        .map(|version| {
            resolver
                .for_version(version)
                .version_view(content, version, entities)
        })
        .collect()
}

/// What every page says about the site: its title, language, base URL and build date, from
/// `content/site.yaml` with the string table's defaults.
fn site_info(content: &Content) -> SiteInfo {
    let build_date = crate::build_date::build_date();
    SiteInfo {
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
        build_date: long_date(&content.strings, &build_date),
        build_date_iso: build_date.iso(),
        prefix: String::new(),
        languages: Vec::new(),
    }
}

/// A date in full in the words of the string table: `dates.long` ("{month} {day}, {year}")
/// with the month's name from `dates.months`.
fn long_date(strings: &crate::strings::Strings, date: &crate::build_date::Date) -> String {
    let key = format!("dates.months.{}", date.month_key());
    let month = strings.get(&key).to_string();
    strings.fill(
        "dates.long",
        &[("month", &month), ("day", &date.day), ("year", &date.year)],
    )
}

/// One source with its text (its slice of the file, line by line) and the policy versions
/// that cite it; its backlinks are filled in by the views stage.
fn source(
    resolver: &Resolver<'_>,
    slices: &BTreeMap<String, SourceSlice>,
    s: &SourceRecord,
) -> Source {
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
}

/// The non-empty lines of a source slice, with their line numbers in the file.
fn numbered_lines(slice: &SourceSlice) -> Vec<SourceLine> {
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
impl flowchart::Lookup for Resolver<'_> {
    fn citations(&self, refs: &[SourceRef]) -> Vec<Citation> {
        Resolver::citations(self, refs)
    }

    fn facts(&self, facts: &[Fact]) -> Vec<FactView> {
        Resolver::facts(self, facts)
    }

    fn wait(&self, wait: &Wait) -> Option<WaitView> {
        Resolver::wait(self, wait)
    }

    fn strings(&self) -> &crate::strings::Strings {
        self.strings
    }
}
