//! Stage 4, **views**: what is derived from the resolved entities, and the [`Site`] they
//! make together: backlinks ([`backlinks`]), version switchers ([`switches`]), diffs
//! ([`diff`]), handouts ([`handout`]), the folders of the pages ([`folders`]) and the search
//! documents ([`search`]). Nothing here reads the content again or can fail.

pub mod backlinks;
pub mod diff;
pub mod folders;
pub mod handout;
pub mod qr;
pub mod search;
pub mod switches;

use std::collections::HashMap;

use crate::model::{ChartLinks, DiffLink, Link, Resolved, Site, VersionDiffs, FOOTER_PAGES};

/// Completes the resolved entities into the [`Site`]: their backlinks and version
/// switchers, then everything derived from them. `memo` keeps word diffs between builds.
pub fn build(mut resolved: Resolved, memo: &diff::WordDiffMemo) -> Site {
    backlinks::add(&mut resolved);
    switches::add(&mut resolved);
    let diffs = diff::all_diffs(&resolved, memo);
    let compare = version_diffs(&resolved, &diffs);
    let prefixes = folders::prefix_rows(&resolved);
    let folders = folders::folders(&resolved.pages, resolved.strings.get("home.more_reading"));
    let footer_pages = folders[0]
        .pages
        .iter()
        .take(FOOTER_PAGES)
        .cloned()
        .collect();
    let handouts = handout::handouts(&resolved);
    let chart_links = chart_links(&resolved);
    let Resolved {
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
        page_links: _,
        strings,
    } = resolved;
    Site {
        info,
        sources,
        versions,
        parameters,
        offices,
        channels,
        paths,
        pages,
        handouts,
        views,
        diffs,
        prefixes,
        flowchart,
        chart_links,
        folders,
        footer_pages,
        compare,
        strings,
    }
}

/// The diffs each version is part of ([`Site::compare`]), in one pass over the diffs.
fn version_diffs(site: &Resolved, diffs: &[crate::model::diff::Diff]) -> Vec<VersionDiffs> {
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
    for (d, diff) in diffs.iter().enumerate() {
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
fn chart_links(site: &Resolved) -> Option<ChartLinks> {
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
