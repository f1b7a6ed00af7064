//! Stage 4, **plan**: one [`PlannedPage`] per output URL.
//!
//! The plan decides which pages exist, where each is written, which template renders it
//! and which part of the Site model it shows. It renders nothing; [`crate::render`] does.

use crate::model::Site;

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
}

/// Plans every page of the site, in a stable order. Titles come from the data, or from the
/// string table (`titles.…`).
pub fn plan(site: &Site) -> Vec<PlannedPage> {
    let strings = &site.strings;
    let mut pages = vec![PlannedPage {
        url: "index.html".into(),
        template: "home.html",
        title: site.info.title.clone(),
        subject: Subject::Home,
        view: None,
    }];
    let section = |url: &str, template, title: &str, subject| PlannedPage {
        url: url.into(),
        template,
        title: title.into(),
        subject,
        view: None,
    };
    pages.push(section(
        "paths/index.html",
        "paths.html",
        strings.get("titles.paths"),
        Subject::Paths,
    ));
    pages.push(section(
        "offices/index.html",
        "offices.html",
        strings.get("titles.offices"),
        Subject::Offices,
    ));
    pages.push(section(
        "channels/index.html",
        "channels.html",
        strings.get("titles.channels"),
        Subject::Channels,
    ));
    pages.push(section(
        "sources/index.html",
        "sources.html",
        strings.get("titles.sources"),
        Subject::Sources,
    ));
    pages.push(section(
        "versions/index.html",
        "versions.html",
        strings.get("titles.versions"),
        Subject::Versions,
    ));
    pages.push(section(
        "search/index.html",
        "search.html",
        strings.get("titles.search"),
        Subject::Search,
    ));
    pages.push(section(
        "404.html",
        "404.html",
        strings.get("titles.not_found"),
        Subject::NotFound,
    ));
    let views = std::iter::once((None, &site.paths, &site.offices, &site.channels)).chain(
        site.views
            .iter()
            .enumerate()
            .map(|(v, view)| (Some(v), &view.paths, &view.offices, &view.channels)),
    );
    for (view, paths, offices, channels) in views {
        for (i, path) in paths.iter().enumerate() {
            pages.push(entity(
                &path.url,
                "path.html",
                &path.name,
                Subject::Path(i),
                view,
            ));
        }
        for (i, office) in offices.iter().enumerate() {
            pages.push(entity(
                &office.url,
                "office.html",
                &office.name,
                Subject::Office(i),
                view,
            ));
        }
        for (i, channel) in channels.iter().enumerate() {
            pages.push(entity(
                &channel.url,
                "channel.html",
                &channel.name,
                Subject::Channel(i),
                view,
            ));
        }
    }
    for (v, view) in site.views.iter().enumerate() {
        pages.push(PlannedPage {
            url: view.url.clone(),
            template: "version.html",
            title: view.version.name.clone(),
            subject: Subject::Version(v),
            view: Some(v),
        });
    }
    for (d, diff) in site.diffs.iter().enumerate() {
        pages.push(PlannedPage {
            url: diff.url.clone(),
            template: "diff.html",
            title: strings.fill(
                "titles.diff",
                &[("from", &diff.from.name), ("to", &diff.to.name)],
            ),
            subject: Subject::Diff(d),
            view: None,
        });
    }
    for (i, source) in site.sources.iter().enumerate() {
        pages.push(entity(
            &source.url,
            "source.html",
            &source.title,
            Subject::Source(i),
            None,
        ));
    }
    for (i, folder) in site.folders.iter().enumerate() {
        if !folder.has_index_page {
            pages.push(PlannedPage {
                url: folder.url.clone(),
                template: "folder.html",
                title: folder.title.clone(),
                subject: Subject::Folder(i),
                view: None,
            });
        }
    }
    let charts = std::iter::once((None, &site.flowchart)).chain(
        site.views
            .iter()
            .enumerate()
            .map(|(v, view)| (Some(v), &view.flowchart)),
    );
    for (view, chart) in charts {
        let Some(chart) = chart else { continue };
        pages.push(PlannedPage {
            url: chart.url.clone(),
            template: "flowchart.html",
            title: strings.get("titles.flowchart").to_string(),
            subject: Subject::Flowchart,
            view,
        });
        for (i, node) in chart.nodes.iter().enumerate() {
            pages.push(PlannedPage {
                url: node.url.clone(),
                template: "flowchart_node.html",
                title: node.text.clone(),
                subject: Subject::FlowchartNode(i),
                view,
            });
        }
    }
    pages.push(section(
        "handouts/index.html",
        "handouts.html",
        strings.get("titles.handouts"),
        Subject::Handouts,
    ));
    for (i, handout) in site.handouts.iter().enumerate() {
        pages.push(PlannedPage {
            url: handout.url.clone(),
            template: "handout.html",
            title: strings.fill("titles.handout", &[("name", &handout.name)]),
            subject: Subject::Handout(i),
            view: None,
        });
    }
    for (i, page) in site.pages.iter().enumerate() {
        pages.push(PlannedPage {
            url: page.url.clone(),
            template: "page.html",
            title: page.title.clone(),
            subject: Subject::Page(i),
            view: None,
        });
    }
    pages
}

/// An entity page at `url`.
fn entity(
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
    }
}
