//! Stage 4, **plan**: one [`PlannedPage`] per output URL.
//!
//! The plan decides which pages exist, where each is written, which template renders it
//! and which part of the Site model it shows. It renders nothing; [`crate::render`] does.

use crate::model::{Site, TranslationNotice};
use crate::urls::{
    section_index, CHANNELS, HANDOUTS, HOME, NOT_FOUND, OFFICES, PATHS, SEARCH, SOURCES, VERSIONS,
};

/// What a page shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    /// The home page.
    Home,
    /// An office page, by index into `Site::offices`.
    Office(usize),
    /// A channel page.
    Channel(usize),
    /// A path page.
    Path(usize),
    /// A source page.
    Source(usize),
    /// A Markdown page.
    Page(usize),
    /// The list of all offices.
    Offices,
    /// The list of all channels.
    Channels,
    /// The list of all paths.
    Paths,
    /// The list of all sources.
    Sources,
    /// The policy versions and their parameters.
    Versions,
    /// The "page not found" page.
    NotFound,
    /// The search page.
    Search,
    /// The listing of a folder of Markdown pages, by index into `Site::folders`.
    Folder(usize),
    /// A policy version's own page, by index into `Site::views`.
    Version(usize),
    /// The diff between two versions, by index into `Site::diffs`.
    Diff(usize),
    /// The decision flowchart: the drawing and the outline.
    Flowchart,
    /// A step-through page of the flowchart, by index into its nodes.
    FlowchartNode(usize),
    /// A path's printable handout, by index into `Site::handouts`.
    Handout(usize),
    /// Every handout, one per printed page.
    Handouts,
}

/// One page to render.
#[derive(Debug, Clone)]
pub struct PlannedPage {
    /// Site-relative output path (`offices/x/index.html`).
    pub url: String,
    /// The template that renders it.
    pub template: &'static str,
    /// The page title.
    pub title: String,
    /// What it shows.
    pub subject: Subject,
    /// For office, channel and path pages: the policy version they show, by index into
    /// `Site::views`, or `None` for the current view.
    pub view: Option<usize>,
    /// On a page of another language: whether its translation is behind or missing.
    pub notice: Option<TranslationNotice>,
}

/// Plans every page of the site, in a stable order. Titles come from the data, or from the
/// string table (`titles.…`).
pub fn plan(site: &Site) -> Vec<PlannedPage> {
    let mut pages = fixed_pages(site);
    pages.extend(entity_pages(site));
    pages.extend(version_pages(site));
    pages.extend(source_pages(site));
    pages.extend(folder_pages(site));
    pages.extend(flowchart_pages(site));
    pages.extend(handout_pages(site));
    pages.extend(markdown_pages(site));
    pages
}

/// The pages every site has: the home page, the lists of paths, offices, channels, sources
/// and versions, the search page and the page-not-found page.
fn fixed_pages(site: &Site) -> Vec<PlannedPage> {
    let strings = &site.strings;
    let list = |folder: &str, template, key: &str, subject| {
        page(
            &section_index(folder),
            template,
            strings.get(key),
            subject,
            None,
        )
    };
    vec![
        page(HOME, "home.html", &site.info.title, Subject::Home, None),
        list(PATHS, "paths.html", "titles.paths", Subject::Paths),
        list(OFFICES, "offices.html", "titles.offices", Subject::Offices),
        list(
            CHANNELS,
            "channels.html",
            "titles.channels",
            Subject::Channels,
        ),
        list(SOURCES, "sources.html", "titles.sources", Subject::Sources),
        list(
            VERSIONS,
            "versions.html",
            "titles.versions",
            Subject::Versions,
        ),
        list(SEARCH, "search.html", "titles.search", Subject::Search),
        page(
            NOT_FOUND,
            "404.html",
            strings.get("titles.not_found"),
            Subject::NotFound,
            None,
        ),
    ]
}

/// The page of every path, office and channel: those of the current view, then those of
/// each policy version's view.
fn entity_pages(site: &Site) -> Vec<PlannedPage> {
    let views = std::iter::once((None, &site.paths, &site.offices, &site.channels)).chain(
        site.views
            .iter()
            .enumerate()
            .map(|(v, view)| (Some(v), &view.paths, &view.offices, &view.channels)),
    );
    let mut pages = Vec::new();
    for (view, paths, offices, channels) in views {
        pages.extend(
            paths
                .iter()
                .enumerate()
                .map(|(i, path)| page(&path.url, "path.html", &path.name, Subject::Path(i), view)),
        );
        pages.extend(offices.iter().enumerate().map(|(i, office)| {
            let subject = Subject::Office(i);
            page(&office.url, "office.html", &office.name, subject, view)
        }));
        pages.extend(channels.iter().enumerate().map(|(i, channel)| {
            let subject = Subject::Channel(i);
            page(&channel.url, "channel.html", &channel.name, subject, view)
        }));
    }
    pages
}

/// Each policy version's own page, then the diff pages between versions.
fn version_pages(site: &Site) -> Vec<PlannedPage> {
    let versions = site.views.iter().enumerate().map(|(v, view)| {
        let name = &view.version.name;
        page(
            &view.url,
            "version.html",
            name,
            Subject::Version(v),
            Some(v),
        )
    });
    let diffs = site.diffs.iter().enumerate().map(|(d, diff)| {
        let title = site.strings.fill(
            "titles.diff",
            &[("from", &diff.from.name), ("to", &diff.to.name)],
        );
        page(&diff.url, "diff.html", &title, Subject::Diff(d), None)
    });
    versions.chain(diffs).collect()
}

/// The page of every source.
fn source_pages(site: &Site) -> Vec<PlannedPage> {
    let sources = site.sources.iter().enumerate();
    sources
        .map(|(i, source)| {
            let subject = Subject::Source(i);
            page(&source.url, "source.html", &source.title, subject, None)
        })
        .collect()
}

/// The listing of every folder of Markdown pages that has no index page of its own.
fn folder_pages(site: &Site) -> Vec<PlannedPage> {
    let folders = site.folders.iter().enumerate();
    folders
        .filter(|(_, folder)| !folder.has_index_page)
        .map(|(i, folder)| {
            let subject = Subject::Folder(i);
            page(&folder.url, "folder.html", &folder.title, subject, None)
        })
        .collect()
}

/// The flowchart page and its step-through pages, in the current view and in each policy
/// version's view that has a chart.
fn flowchart_pages(site: &Site) -> Vec<PlannedPage> {
    let charts = std::iter::once((None, &site.flowchart)).chain(
        site.views
            .iter()
            .enumerate()
            .map(|(v, view)| (Some(v), &view.flowchart)),
    );
    let title = site.strings.get("titles.flowchart");
    let mut pages = Vec::new();
    for (view, chart) in charts {
        let Some(chart) = chart else { continue };
        pages.push(page(
            &chart.url,
            "flowchart.html",
            title,
            Subject::Flowchart,
            view,
        ));
        pages.extend(chart.nodes.iter().enumerate().map(|(i, node)| {
            let subject = Subject::FlowchartNode(i);
            page(&node.url, "flowchart_node.html", &node.text, subject, view)
        }));
    }
    pages
}

/// The page of all handouts, then each path's handout.
fn handout_pages(site: &Site) -> Vec<PlannedPage> {
    let strings = &site.strings;
    let all = page(
        &section_index(HANDOUTS),
        "handouts.html",
        strings.get("titles.handouts"),
        Subject::Handouts,
        None,
    );
    let each = site.handouts.iter().enumerate().map(|(i, handout)| {
        let title = strings.fill("titles.handout", &[("name", &handout.name)]);
        page(
            &handout.url,
            "handout.html",
            &title,
            Subject::Handout(i),
            None,
        )
    });
    std::iter::once(all).chain(each).collect()
}

/// The page of every Markdown file.
fn markdown_pages(site: &Site) -> Vec<PlannedPage> {
    let markdown = site.pages.iter().enumerate();
    markdown
        .map(|(i, p)| page(&p.url, "page.html", &p.title, Subject::Page(i), None))
        .collect()
}

/// A page at `url`, rendered by `template`, showing `subject` in `view`.
fn page(
    url: &str,
    template: &'static str,
    title: &str,
    subject: Subject,
    view: Option<usize>,
) -> PlannedPage {
    PlannedPage {
        url: url.to_string(),
        template,
        title: title.to_string(),
        subject,
        view,
        notice: None,
    }
}

/// The records a page shows, as (kind, id), for what a page of another language says about
/// its translation: an office, channel or path (and a path's handout), a step of the
/// flowchart (`node`), a policy version, a Markdown page (`page`, by its file), the home page
/// (`site`, the guide's own words), and for a list or the whole chart, each record it lists.
pub fn records_of<'a>(site: &'a Site, page: &PlannedPage) -> Vec<(&'static str, &'a str)> {
    let view = page.view.map(|v| &site.views[v]);
    let (offices, channels, paths) = match view {
        Some(v) => (&v.offices, &v.channels, &v.paths),
        None => (&site.offices, &site.channels, &site.paths),
    };
    let chart = match view {
        Some(v) => v.flowchart.as_ref(),
        None => site.flowchart.as_ref(),
    };
    let nodes = chart.map_or(&[][..], |c| c.nodes.as_slice());
    let all =
        |kind: &'static str, ids: Vec<&'a str>| ids.into_iter().map(|id| (kind, id)).collect();
    match page.subject {
        Subject::Office(i) => vec![("office", offices[i].id.as_str())],
        Subject::Channel(i) => vec![("channel", channels[i].id.as_str())],
        Subject::Path(i) => vec![("path", paths[i].id.as_str())],
        Subject::Handout(i) => vec![("path", site.handouts[i].id.as_str())],
        Subject::FlowchartNode(i) => vec![("node", nodes[i].id.as_str())],
        Subject::Version(v) => vec![("version", site.views[v].version.id.as_str())],
        Subject::Page(i) => vec![("page", site.pages[i].source_path.as_str())],
        Subject::Home => vec![("site", "")],
        Subject::Offices => all("office", offices.iter().map(|o| o.id.as_str()).collect()),
        Subject::Channels => all("channel", channels.iter().map(|c| c.id.as_str()).collect()),
        Subject::Paths => all("path", paths.iter().map(|p| p.id.as_str()).collect()),
        Subject::Handouts => all(
            "path",
            site.handouts.iter().map(|h| h.id.as_str()).collect(),
        ),
        Subject::Flowchart => all("node", nodes.iter().map(|n| n.id.as_str()).collect()),
        _ => Vec::new(),
    }
}

/// Sets what each page of another language says about its translation, from `notice` of
/// each record the page shows ([`records_of`]): missing when any is, else stale when any is.
pub fn mark_notices(
    plan: &mut [PlannedPage],
    site: &Site,
    notice: impl Fn(&str, &str) -> Option<TranslationNotice>,
) {
    for page in plan {
        let notices: Vec<TranslationNotice> = records_of(site, page)
            .into_iter()
            .filter_map(|(kind, id)| notice(kind, id))
            .collect();
        page.notice = [TranslationNotice::Missing, TranslationNotice::Stale]
            .into_iter()
            .find(|n| notices.contains(n));
    }
}
