//! The decision flowchart resolved into the [`Flowchart`] that templates see, with texts
//! and waits filled in through a [`Lookup`], so the same chart can be resolved again under
//! another policy version; and its `outline`, the same chart as nested lists in words.

use std::collections::HashMap;

use crate::load::schema::*;
use crate::model::flowchart::{
    Crumb, FlowEdge, FlowNode, Flowchart, OutlineEntry, UNSTATED_WAIT, WAIT_PLACEHOLDER,
};
use crate::model::{Channel, Citation, FactView, Link, Office, Path, Step, WaitView};
use crate::strings::Strings;
use crate::urls::{flowchart_node_url, flowchart_url};

/// What the flowchart needs from the resolver: citations, facts and waits for one view of
/// the policy versions. [`crate::model`] implements it for the current view; a view of one
/// policy version can implement it to resolve the chart under that version.
pub trait Lookup {
    /// Resolves citations.
    fn citations(&self, refs: &[SourceRef]) -> Vec<Citation>;
    /// Resolves facts.
    fn facts(&self, facts: &[Fact]) -> Vec<FactView>;
    /// Resolves a wait in this view; `None` when the view states no number for it.
    fn wait(&self, wait: &Wait) -> Option<WaitView>;
    /// The string table, for the words around the data.
    fn strings(&self) -> &Strings;
}

/// The resolved entities the chart links to.
pub struct Entities<'a> {
    /// Offices.
    pub offices: &'a [Office],
    /// Channels.
    pub channels: &'a [Channel],
    /// Paths.
    pub paths: &'a [Path],
}

/// A wait as the texts show it: "15 days", "10 business days", or the words of
/// [`UNSTATED_WAIT`].
pub fn wait_words(wait: Option<&WaitView>, strings: &Strings) -> String {
    match wait {
        Some(w) => strings.count(&format!("units.{}", w.unit.id()), w.days),
        None => strings.get(UNSTATED_WAIT).to_string(),
    }
}

/// Fills `{wait}` into a text.
fn fill(text: &str, wait: Option<&WaitView>, strings: &Strings) -> String {
    if text.contains(WAIT_PLACEHOLDER) {
        text.replace(WAIT_PLACEHOLDER, &wait_words(wait, strings))
    } else {
        text.to_string()
    }
}

/// Resolves validated flowchart records into the chart, with pages under `prefix`
/// (`flowchart/`), links to `entities`, and citations, facts and waits from `lookup`.
/// `None` when there are no nodes.
pub fn resolve(
    records: &[FlowNodeRecord],
    entities: &Entities<'_>,
    lookup: &dyn Lookup,
    prefix: &str,
) -> Option<Flowchart> {
    let chart = Chart::new(records, entities, lookup, prefix)?;
    let mut nodes: Vec<FlowNode> = records
        .iter()
        .enumerate()
        .map(|(i, n)| chart.node(i, n))
        .collect();
    link_back(&mut nodes, &chart.index);
    Some(chart.flowchart(nodes))
}

/// A link to a page of the site.
fn link(kind: &'static str, id: &str, name: &str, url: &str) -> Link {
    Link {
        kind,
        id: id.to_string(),
        name: name.to_string(),
        url: url.to_string(),
    }
}

/// What resolving the nodes needs: the records, where their pages go, what they link to and
/// the view that fills in their texts and waits.
struct Chart<'a> {
    /// The validated records.
    records: &'a [FlowNodeRecord],
    /// The resolved entities the nodes link to.
    entities: &'a Entities<'a>,
    /// The view of the policy versions.
    lookup: &'a dyn Lookup,
    /// Where the chart's pages go (`flowchart/`).
    prefix: &'a str,
    /// Node id → its position in `records`.
    index: HashMap<&'a str, usize>,
    /// Each node's text, its wait filled in.
    texts: Vec<String>,
    /// The start node's position; a chart without one has no nodes.
    start: usize,
}

impl<'a> Chart<'a> {
    /// The chart's records indexed, with their texts filled in; `None` without a start node.
    fn new(
        records: &'a [FlowNodeRecord],
        entities: &'a Entities<'a>,
        lookup: &'a dyn Lookup,
        prefix: &'a str,
    ) -> Option<Self> {
        let start = records
            .iter()
            .position(|n| n.start.as_ref().is_some_and(|s| s.value))?;
        let index = records
            .iter()
            .enumerate()
            .map(|(i, n)| (n.id.value.as_str(), i))
            .collect();
        let texts = records
            .iter()
            .map(|n| {
                fill(
                    &n.text.value,
                    n.wait.as_ref().and_then(|w| lookup.wait(w)).as_ref(),
                    lookup.strings(),
                )
            })
            .collect();
        Some(Chart {
            records,
            entities,
            lookup,
            prefix,
            index,
            texts,
            start,
        })
    }

    /// The page of a node.
    fn url(&self, id: &str) -> String {
        flowchart_node_url(self.prefix, id)
    }

    /// A path by id.
    fn path(&self, id: &str) -> Option<&'a Path> {
        self.entities.paths.iter().find(|p| p.id == id)
    }

    /// The path step a node names (`path#step`), with its path.
    fn step(&self, n: &FlowNodeRecord) -> Option<(&'a Path, &'a Step)> {
        let (path_id, step_id) = n.step.as_ref()?.value.split_once('#')?;
        let p = self.path(path_id)?;
        let step = p.steps.iter().find(|st| st.id == step_id)?;
        Some((p, step))
    }

    /// Node `i`, without the ways into it (see [`link_back`]). Its contacts are its
    /// channel's, else its office's, else its step's.
    fn node(&self, i: usize, n: &FlowNodeRecord) -> FlowNode {
        let step = self.step(n);
        let office = n
            .office
            .as_ref()
            .and_then(|o| self.entities.offices.iter().find(|x| x.id == o.value));
        let channel = n
            .channel
            .as_ref()
            .and_then(|c| self.entities.channels.iter().find(|x| x.id == c.value));
        let contacts = match (channel, office, step) {
            (Some(c), _, _) if !c.contacts.is_empty() => c.contacts.clone(),
            (_, Some(o), _) if !o.contacts.is_empty() => o.contacts.clone(),
            (_, _, Some((_, s))) => s.contacts.clone(),
            _ => Vec::new(),
        };
        let path_link = n
            .path
            .as_ref()
            .and_then(|p| self.path(&p.value))
            .or(step.map(|(p, _)| p))
            .map(|p| link("path", &p.id, &p.name, &p.url));
        FlowNode {
            id: n.id.value.clone(),
            kind: n.kind,
            text: self.texts[i].clone(),
            url: self.url(&n.id.value),
            start: i == self.start,
            wait: n.wait.as_ref().and_then(|w| self.lookup.wait(w)),
            options: self.options(n),
            path: path_link,
            step: step.map(|(p, s)| self.step_link(p, s)),
            office: office.map(|o| link("office", &o.id, &o.name, &o.url)),
            channel: channel.map(|c| link("channel", &c.id, &c.name, &c.url)),
            contacts,
            facts: self.lookup.facts(&n.facts),
            citations: self.lookup.citations(&n.sources),
            before: Vec::new(),
            ancestors: Vec::new(),
        }
    }

    /// The ways out of a node, with their labels' waits filled in.
    fn options(&self, n: &FlowNodeRecord) -> Vec<FlowEdge> {
        n.options
            .iter()
            .filter_map(|o| {
                let j = *self.index.get(o.to.value.as_str())?;
                let wait = o.wait.as_ref().and_then(|w| self.lookup.wait(w));
                Some(FlowEdge {
                    label: fill(&o.label.value, wait.as_ref(), self.lookup.strings()),
                    to: o.to.value.clone(),
                    url: self.url(&o.to.value),
                    to_text: self.texts[j].clone(),
                    to_kind: self.records[j].kind,
                    wait,
                })
            })
            .collect()
    }

    /// A link to one step of a path.
    fn step_link(&self, p: &Path, s: &Step) -> Link {
        link(
            "step",
            &format!("{}#{}", p.id, s.id),
            &self
                .lookup
                .strings()
                .fill("path.step_title", &[("n", &s.number), ("title", &s.title)]),
            &format!("{}#{}", p.url, s.id),
        )
    }

    /// The chart of these resolved nodes, with its outline and the words of its picture.
    fn flowchart(&self, nodes: Vec<FlowNode>) -> Flowchart {
        let start = self.start;
        let outline = outline(&nodes, &self.index, start);
        let questions = nodes
            .iter()
            .filter(|n| n.kind == NodeKind::Question)
            .count();
        let strings = self.lookup.strings();
        let description = strings.fill(
            "flowchart.svg.description",
            &[
                ("questions", &questions),
                ("first", &nodes[start].text),
                ("in_words", &strings.get("flowchart.in_words")),
            ],
        );
        Flowchart {
            url: flowchart_url(self.prefix),
            start: link(
                "flowchart",
                &nodes[start].id,
                &nodes[start].text,
                &nodes[start].url,
            ),
            questions,
            nodes,
            outline,
            title: strings.get("flowchart.svg.title").to_string(),
            description,
        }
    }
}

/// Fills in the ways into each node (`before`) and the nodes it can be reached from.
fn link_back(nodes: &mut [FlowNode], index: &HashMap<&str, usize>) {
    let edges: Vec<Vec<usize>> = nodes
        .iter()
        .map(|n| n.options.iter().map(|o| index[o.to.as_str()]).collect())
        .collect();
    for (i, targets) in edges.iter().enumerate() {
        for (k, &j) in targets.iter().enumerate() {
            let crumb = Crumb {
                text: nodes[i].text.clone(),
                url: nodes[i].url.clone(),
                answer: nodes[i].options[k].label.clone(),
            };
            nodes[j].before.push(crumb);
        }
    }
    for (j, ancestors) in ancestors(&edges).into_iter().enumerate() {
        nodes[j].ancestors = ancestors;
    }
}

/// For each node, the nodes it can be reached from, in index order. The chart is small and
/// has no loops; a search back from each node costs at most the number of edges.
fn ancestors(edges: &[Vec<usize>]) -> Vec<Vec<usize>> {
    let mut into: Vec<Vec<usize>> = vec![Vec::new(); edges.len()];
    for (i, targets) in edges.iter().enumerate() {
        for &j in targets {
            into[j].push(i);
        }
    }
    (0..edges.len())
        .map(|j| {
            let mut seen = vec![false; edges.len()];
            let mut stack = vec![j];
            while let Some(k) = stack.pop() {
                for &i in &into[k] {
                    if !seen[i] {
                        seen[i] = true;
                        stack.push(i);
                    }
                }
            }
            seen[j] = false;
            (0..edges.len()).filter(|&i| seen[i]).collect()
        })
        .collect()
}

/// The chart as flattened nested lists, depth first from the start, answers in order.
fn outline(nodes: &[FlowNode], index: &HashMap<&str, usize>, start: usize) -> Vec<OutlineEntry> {
    let mut outline = Outline {
        nodes,
        index,
        listed: vec![false; nodes.len()],
        out: Vec::new(),
    };
    outline.push("open", None, None, None);
    outline.emit(start, None);
    outline.push("close", None, None, None);
    outline.out
}

/// Builds the outline; see [`OutlineEntry`].
struct Outline<'a> {
    nodes: &'a [FlowNode],
    index: &'a HashMap<&'a str, usize>,
    listed: Vec<bool>,
    out: Vec<OutlineEntry>,
}

impl Outline<'_> {
    fn push(
        &mut self,
        entry: &'static str,
        node: Option<usize>,
        answer: Option<String>,
        goto: Option<&'static str>,
    ) {
        self.out.push(OutlineEntry {
            entry,
            node,
            answer,
            goto,
        });
    }

    /// Lists node `i`, its answers nested below it, then its continuation, if any.
    fn emit(&mut self, i: usize, answer: Option<String>) {
        self.listed[i] = true;
        self.push("item", Some(i), answer, None);
        let targets: Vec<(usize, String)> = self.nodes[i]
            .options
            .iter()
            .map(|o| (self.index[o.to.as_str()], o.label.clone()))
            .collect();
        let open: Vec<usize> = targets
            .iter()
            .map(|&(j, _)| j)
            .filter(|&j| !self.listed[j] && !self.nodes[j].options.is_empty())
            .collect();
        let continuation = match open.as_slice() {
            [only] => Some(*only),
            _ => None,
        };
        if !targets.is_empty() {
            self.push("open", None, None, None);
            for (j, label) in targets {
                if Some(j) == continuation {
                    self.push("item", Some(j), Some(label), Some("below"));
                    self.push("end", None, None, None);
                } else if self.listed[j] {
                    self.push("item", Some(j), Some(label), Some("above"));
                    self.push("end", None, None, None);
                } else {
                    self.emit(j, Some(label));
                }
            }
            self.push("close", None, None, None);
        }
        self.push("end", None, None, None);
        if let Some(j) = continuation {
            if !self.listed[j] {
                self.emit(j, None);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_version_without_the_wait_says_what_the_string_table_says() {
        let strings = Strings::new([(UNSTATED_WAIT.to_string(), "a while".to_string())].into());
        assert_eq!(
            fill("No answer after {wait}", None, &strings),
            "No answer after a while"
        );
        assert_eq!(fill("No wait here", None, &strings), "No wait here");
    }
}
