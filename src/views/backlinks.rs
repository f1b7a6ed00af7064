//! What links to each entity, from other entities, versions, the flowchart and pages.

use std::collections::{HashMap, HashSet};

use crate::model::{Backlink, Channel, Citation, Link, Office, PartView, Path, Resolved};
use crate::strings::Strings;

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

    /// `from` cites each source of each part, of the parts inside it (a tier's facts) and
    /// of its older wording.
    fn cite_parts<'p>(&mut self, from: &Link, parts: impl Iterator<Item = PartView<'p>>) {
        for part in parts {
            self.cite(from, part.citations());
            self.cite_parts(from, part.earlier().chain(part.inner()));
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
pub(super) fn self_link(kind: &'static str, id: &str, name: &str, url: &str) -> Link {
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
            self.cite(&from, &office.citations);
            self.cite_parts(&from, office.parts());
        }
        for channel in channels {
            let from = self_link("channel", &channel.id, &channel.name, &channel.url);
            if let Some(office) = &channel.office {
                let context = self.strings.get("backlinks.answered_by").to_string();
                self.add("office", &office.id, &from, Some(context));
            }
            self.cite(&from, &channel.citations);
            self.cite_parts(&from, channel.parts());
        }
        for path in paths {
            let from = self_link("path", &path.id, &path.name, &path.url);
            self.cite(&from, &path.citations);
            self.cite_parts(&from, path.parts());
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
                self.cite_parts(&from, step.parts());
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
pub fn add(site: &mut Resolved) {
    let page_links = std::mem::take(&mut site.page_links);
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
        graph.cite_parts(&from, node.parts());
    }
    for (from, kind, id) in page_links {
        graph.add(kind, &id, &from, None);
    }
    let mut rest = graph.fill(&mut site.offices, &mut site.channels, &mut site.paths);
    // Each version's view links within itself.
    for view in &mut site.views {
        let mut graph = LinkGraph::new(&site.strings);
        graph.add_entities(&view.offices, &view.channels, &view.paths);
        graph.fill(&mut view.offices, &mut view.channels, &mut view.paths);
    }
    for s in &mut site.sources {
        s.backlinks = rest.remove(&("source", s.id.clone())).unwrap_or_default();
    }
}
