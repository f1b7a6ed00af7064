//! Stage 4, **plan**: one [`PlannedPage`] per output URL.
//!
//! The plan decides which pages exist, where each is written, which template renders it
//! and which part of the Site model it shows. It renders nothing; [`crate::render`] does.

use crate::model::{entity_url, Site};

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
}

/// Plans every page of the site, in a stable order.
pub fn plan(site: &Site) -> Vec<PlannedPage> {
    let mut pages = vec![PlannedPage {
        url: "index.html".into(),
        template: "home.html",
        title: site.info.title.clone(),
        subject: Subject::Home,
    }];
    let section = |url: &str, template, title: &str, subject| PlannedPage {
        url: url.into(),
        template,
        title: title.into(),
        subject,
    };
    pages.push(section(
        "paths/index.html",
        "paths.html",
        "What is your situation?",
        Subject::Paths,
    ));
    pages.push(section(
        "offices/index.html",
        "offices.html",
        "Offices",
        Subject::Offices,
    ));
    pages.push(section(
        "channels/index.html",
        "channels.html",
        "Ways to contact USCIS and others",
        Subject::Channels,
    ));
    pages.push(section(
        "sources/index.html",
        "sources.html",
        "Sources",
        Subject::Sources,
    ));
    pages.push(section(
        "versions/index.html",
        "versions.html",
        "Policy versions",
        Subject::Versions,
    ));
    pages.push(section(
        "404.html",
        "404.html",
        "Page not found",
        Subject::NotFound,
    ));
    for (i, path) in site.paths.iter().enumerate() {
        pages.push(entity(
            "path",
            &path.id,
            "path.html",
            &path.name,
            Subject::Path(i),
        ));
    }
    for (i, office) in site.offices.iter().enumerate() {
        pages.push(entity(
            "office",
            &office.id,
            "office.html",
            &office.name,
            Subject::Office(i),
        ));
    }
    for (i, channel) in site.channels.iter().enumerate() {
        pages.push(entity(
            "channel",
            &channel.id,
            "channel.html",
            &channel.name,
            Subject::Channel(i),
        ));
    }
    for (i, source) in site.sources.iter().enumerate() {
        pages.push(entity(
            "source",
            &source.id,
            "source.html",
            &source.title,
            Subject::Source(i),
        ));
    }
    pages.push(section(
        "handouts/index.html",
        "handouts.html",
        "Print all handouts",
        Subject::Handouts,
    ));
    for (i, handout) in site.handouts.iter().enumerate() {
        pages.push(PlannedPage {
            url: handout.url.clone(),
            template: "handout.html",
            title: format!("Handout: {}", handout.name),
            subject: Subject::Handout(i),
        });
    }
    for (i, page) in site.pages.iter().enumerate() {
        pages.push(PlannedPage {
            url: page.url.clone(),
            template: "page.html",
            title: page.title.clone(),
            subject: Subject::Page(i),
        });
    }
    pages
}

fn entity(
    kind: &str,
    id: &str,
    template: &'static str,
    title: &str,
    subject: Subject,
) -> PlannedPage {
    PlannedPage {
        url: entity_url(kind, id),
        template,
        title: title.to_string(),
        subject,
    }
}
