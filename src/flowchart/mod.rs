//! The decision flowchart: "who do I contact, and when?", as questions, actions and outcomes.
//!
//! `content/data/flowchart.yaml` is a list of nodes ([`FlowNodeRecord`]). A **question** has
//! two or more labelled answers, an **action** says what to do and has one or more ways on,
//! and an **outcome** ends the chart at a path, a step of a path, an office or a channel.
//! Texts that mention a wait write `{wait}` and name a policy parameter (`wait:`), so every
//! policy version shows its own number of days.
//!
//! This module holds the three flowchart parts of the pipeline, each called by its stage:
//!
//! - [`validate`] (from [`crate::validate`]): one start node, every node reachable, no dead
//!   ends, no loops, two or more answers per question, every reference resolved, every
//!   outcome leading somewhere, and waits written as parameters;
//! - [`resolve`] (from [`crate::model`]): the [`Flowchart`] that templates see, with texts
//!   and waits filled in through a [`Lookup`], so the same chart can be resolved again under
//!   another policy version;
//! - [`layout`] and [`svg`] (from [`crate::render`]): a layered top-down layout of our own,
//!   drawn as a static SVG, and [`outline`], the same chart as nested lists in words.

pub mod layout;
pub mod svg;

use std::collections::{HashMap, VecDeque};

use serde::Serialize;

use crate::diagnostic::{Diagnostic, Diagnostics, Location, SourceFile};
use crate::load::schema::*;
use crate::load::{at, Content};
use crate::model::{Channel, Citation, ContactView, FactView, Link, Office, Path, WaitView};
use crate::strings::Strings;
use crate::validate::unknown_reference;

/// The placeholder a node text or answer label writes where its wait goes.
pub const WAIT_PLACEHOLDER: &str = "{wait}";

/// The key of the string table whose words are shown for `{wait}` when a policy version
/// states no number for the parameter ("a while").
pub const UNSTATED_WAIT: &str = "wait.unstated";

// ---------------------------------------------------------------------------------------------
// validation

/// Checks the flowchart of `content` and adds every problem to `diagnostics`. A site without
/// `flowchart.yaml` (or with an empty one) has no flowchart, which is fine.
pub fn validate(content: &Content, diagnostics: &mut Diagnostics) {
    let data = &content.flowchart;
    let file = &data.file;
    let nodes = &data.records;
    if nodes.is_empty() {
        return;
    }
    let loc = |s: &Spanned<String>| at(file, &s.referenced, s.value.chars().count());
    let mut index: HashMap<&str, usize> = HashMap::new();
    for (i, node) in nodes.iter().enumerate() {
        index.entry(node.id.value.as_str()).or_insert(i);
    }
    let node_ids: Vec<&str> = nodes.iter().map(|n| n.id.value.as_str()).collect();

    // Exactly one start node.
    let starts: Vec<usize> = (0..nodes.len())
        .filter(|&i| nodes[i].start.as_ref().is_some_and(|s| s.value))
        .collect();
    match starts.as_slice() {
        [] => diagnostics.push(
            Diagnostic::at(loc(&nodes[0].id), "the flowchart has no start node")
                .with_label("no node has `start: true`")
                .with_hint("add `start: true` to the node the chart begins with, usually the first question"),
        ),
        [first, rest @ ..] => {
            for &extra in rest {
                let start = nodes[extra].start.as_ref().expect("a start");
                diagnostics.push(
                    Diagnostic::at(
                        at(file, &start.referenced, 4),
                        format!(
                            "the flowchart has a second start node, `{}`",
                            nodes[extra].id.value
                        ),
                    )
                    .with_label("only one node may start the chart")
                    .with_hint(format!(
                        "the chart starts at `{}` (line {}); remove `start: true` here",
                        nodes[*first].id.value,
                        nodes[*first].id.referenced.line()
                    )),
                );
            }
        }
    }

    // Edges resolve; each node has the right number of them.
    let mut unresolved = false;
    let mut edges: Vec<Vec<(usize, &FlowOptionRecord)>> = vec![Vec::new(); nodes.len()];
    for (i, node) in nodes.iter().enumerate() {
        for option in &node.options {
            match index.get(option.to.value.as_str()) {
                Some(&j) => edges[i].push((j, option)),
                None => {
                    unresolved = true;
                    diagnostics.push(unknown_reference(
                        loc(&option.to),
                        "flowchart node",
                        &option.to.value,
                        node_ids.iter().copied(),
                    ));
                }
            }
        }
        let id = &node.id.value;
        match node.kind {
            NodeKind::Question | NodeKind::Action if node.options.is_empty() => diagnostics.push(
                Diagnostic::at(
                    loc(&node.id),
                    format!("flowchart node `{id}` is a dead end"),
                )
                .with_label("nothing leads on from here")
                .with_hint(
                    "add `options:` that say where to go next, or make it an `outcome` \
                         that names a path, office or channel",
                ),
            ),
            NodeKind::Question if node.options.len() == 1 => diagnostics.push(
                Diagnostic::at(
                    loc(&node.id),
                    format!("question `{id}` has only one answer"),
                )
                .with_label("a question needs at least two answers")
                .with_hint(
                    "add the other answers under `options:`, or make it an `action` if \
                         there is only one way on",
                ),
            ),
            NodeKind::Outcome if !node.options.is_empty() => diagnostics.push(
                Diagnostic::at(loc(&node.id), format!("outcome `{id}` has options"))
                    .with_label("an outcome ends the chart")
                    .with_hint("make it an `action` to go on from it, or remove its `options:`"),
            ),
            _ => {}
        }
        if node.kind == NodeKind::Outcome
            && node.path.is_none()
            && node.step.is_none()
            && node.office.is_none()
            && node.channel.is_none()
        {
            diagnostics.push(
                Diagnostic::at(
                    loc(&node.id),
                    format!("outcome `{id}` does not say where to go"),
                )
                .with_label("no path, office or channel")
                .with_hint(
                    "add `path:`, `step:` (`path-id#step-id`), `office:` or `channel:` so \
                         the reader knows who to contact",
                ),
            );
        }
    }

    // Every node reachable from the start (unless an answer leads nowhere: fix that first).
    if let (Some(&start), false) = (starts.first(), unresolved) {
        let mut seen = vec![false; nodes.len()];
        seen[start] = true;
        let mut queue = VecDeque::from([start]);
        while let Some(i) = queue.pop_front() {
            for &(j, _) in &edges[i] {
                if !seen[j] {
                    seen[j] = true;
                    queue.push_back(j);
                }
            }
        }
        for (i, node) in nodes.iter().enumerate() {
            if !seen[i] && index.get(node.id.value.as_str()) == Some(&i) {
                diagnostics.push(
                    Diagnostic::at(
                        loc(&node.id),
                        format!(
                            "flowchart node `{}` cannot be reached from the start",
                            node.id.value
                        ),
                    )
                    .with_label("no answer leads here")
                    .with_hint(format!(
                        "point an answer of another node at `{}` (`to: {}`), or remove this node",
                        node.id.value, node.id.value
                    )),
                );
            }
        }
    }

    // No loops.
    for (from, option, path) in find_loops(&edges) {
        let names: Vec<&str> = path.iter().map(|&i| nodes[i].id.value.as_str()).collect();
        diagnostics.push(
            Diagnostic::at(
                loc(&option.to),
                format!(
                    "the flowchart loops: `{}` leads back to `{}`",
                    nodes[from].id.value, option.to.value
                ),
            )
            .with_label("this answer goes back up the chart")
            .with_hint(format!(
                "the loop is {}; a chart must always move on, so point this answer at a node \
                 further down",
                names.join(" → ")
            )),
        );
    }

    check_references(content, diagnostics);
    check_waits(content, diagnostics);
}

/// Every edge that closes a loop, with the loop's nodes (from its first node back to it).
fn find_loops<'a>(
    edges: &[Vec<(usize, &'a FlowOptionRecord)>],
) -> Vec<(usize, &'a FlowOptionRecord, Vec<usize>)> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Open,
        Done,
    }
    let mut mark = vec![Mark::New; edges.len()];
    let mut loops = Vec::new();
    for root in 0..edges.len() {
        if mark[root] != Mark::New {
            continue;
        }
        // Iterative depth-first search: (node, next edge to follow).
        let mut stack: Vec<(usize, usize)> = vec![(root, 0)];
        mark[root] = Mark::Open;
        while let Some(&mut (node, ref mut next)) = stack.last_mut() {
            if let Some(&(to, option)) = edges[node].get(*next) {
                *next += 1;
                match mark[to] {
                    Mark::New => {
                        mark[to] = Mark::Open;
                        stack.push((to, 0));
                    }
                    Mark::Open => {
                        let first = stack.iter().position(|&(n, _)| n == to).unwrap_or(0);
                        let mut path: Vec<usize> = stack[first..].iter().map(|&(n, _)| n).collect();
                        path.push(to);
                        loops.push((node, option, path));
                    }
                    Mark::Done => {}
                }
            } else {
                mark[node] = Mark::Done;
                stack.pop();
            }
        }
    }
    loops
}

/// Checks `path:`, `step:`, `office:` and `channel:` of every node.
fn check_references(content: &Content, diagnostics: &mut Diagnostics) {
    let file = &content.flowchart.file;
    let offices: Vec<&str> = content.offices.ids(|r| &r.id);
    let channels: Vec<&str> = content.channels.ids(|r| &r.id);
    let paths: Vec<&str> = content.paths.ids(|r| &r.id);
    let check = |reference: &Spanned<String>, kind: &str, known: &[&str], skip: bool| {
        (!skip && !known.contains(&reference.value.as_str())).then(|| {
            unknown_reference(
                at(file, &reference.referenced, reference.value.chars().count()),
                kind,
                &reference.value,
                known.iter().copied(),
            )
        })
    };
    for node in &content.flowchart.records {
        if let Some(office) = &node.office {
            diagnostics.extend_opt(check(
                office,
                "office",
                &offices,
                content.failed("offices.yaml"),
            ));
        }
        if let Some(channel) = &node.channel {
            diagnostics.extend_opt(check(
                channel,
                "channel",
                &channels,
                content.failed("channels.yaml"),
            ));
        }
        if let Some(path) = &node.path {
            diagnostics.extend_opt(check(path, "path", &paths, content.failed("paths.yaml")));
        }
        if let Some(step) = &node.step {
            if content.failed("paths.yaml") {
                continue;
            }
            diagnostics.extend_opt(check_step(file, step, content));
        }
    }
}

/// Checks a `path-id#step-id` reference.
fn check_step(file: &SourceFile, step: &Spanned<String>, content: &Content) -> Option<Diagnostic> {
    let value = step.value.as_str();
    let whole = at(file, &step.referenced, value.chars().count());
    let Some((path_id, step_id)) = value.split_once('#') else {
        return Some(
            Diagnostic::at(whole, format!("step `{value}` does not name its path"))
                .with_label("expected `path-id#step-id`")
                .with_hint("write the path's id, `#`, and the step's id, e.g. `stuck-case#email-the-office`"),
        );
    };
    let paths: Vec<&str> = content
        .paths
        .records
        .iter()
        .map(|p| p.id.value.as_str())
        .collect();
    let Some(path) = content.paths.records.iter().find(|p| p.id.value == path_id) else {
        let location = Location {
            len: path_id.chars().count(),
            ..whole
        };
        return Some(unknown_reference(
            location,
            "path",
            path_id,
            paths.into_iter(),
        ));
    };
    if path.steps.iter().any(|s| s.id.value == step_id) {
        return None;
    }
    let mut location = whole;
    location.column += path_id.chars().count() + 1;
    location.len = step_id.chars().count();
    let steps: Vec<&str> = path.steps.iter().map(|s| s.id.value.as_str()).collect();
    let diagnostic = Diagnostic::at(
        location,
        format!("path `{path_id}` has no step `{step_id}`"),
    )
    .with_label("no step of this path is called this");
    Some(match crate::validate::nearest(step_id, &steps) {
        Some(near) => diagnostic.with_hint(format!("did you mean `{path_id}#{near}`?")),
        None => diagnostic.with_hint(format!(
            "the steps of `{path_id}` are: {}",
            steps.join(", ")
        )),
    })
}

/// Checks that waits are written as `{wait}` with a number-of-days parameter, never as a
/// number in the text.
fn check_waits(content: &Content, diagnostics: &mut Diagnostics) {
    let file = &content.flowchart.file;
    let parameters = content.parameter_names();
    let policies_failed = content.failed("policies.yaml");
    for node in &content.flowchart.records {
        let texts = std::iter::once((&node.text, node.wait.as_ref(), "node")).chain(
            node.options
                .iter()
                .map(|o| (&o.label, o.wait.as_ref(), "answer")),
        );
        for (text, wait, what) in texts {
            if let Some(d) = literal_days(file, text) {
                diagnostics.push(d);
            }
            let uses = text.value.contains(WAIT_PLACEHOLDER);
            match wait {
                None if uses => diagnostics.push(
                    Diagnostic::at(
                        at(file, &text.referenced, text.value.chars().count()),
                        format!("this {what} writes `{{wait}}` but has no `wait:`"),
                    )
                    .with_label("`{wait}` needs a policy parameter")
                    .with_hint(
                        "add `wait: {parameter: <name>, after: \"...\"}` beside it, naming a \
                         parameter of policies.yaml",
                    ),
                ),
                Some(wait) => {
                    if !uses {
                        diagnostics.push(
                            Diagnostic::at(
                                at(
                                    file,
                                    &wait.parameter.referenced,
                                    wait.parameter.value.chars().count(),
                                ),
                                format!("the wait of this {what} is not shown in its text"),
                            )
                            .with_label("no `{wait}` in the text")
                            .with_hint("write `{wait}` in the text where the number of days goes"),
                        );
                    }
                    if policies_failed {
                        continue;
                    }
                    let name = &wait.parameter;
                    let location = at(file, &name.referenced, name.value.chars().count());
                    if !parameters.contains(&name.value.as_str()) {
                        diagnostics.push(unknown_reference(
                            location,
                            "policy parameter",
                            &name.value,
                            parameters.iter().copied(),
                        ));
                    } else if content.parameter(&name.value).map_or_else(
                        || {
                            content.policies.records.iter().any(|p| {
                                p.parameters
                                    .get(&name.value)
                                    .and_then(Parameter::value)
                                    .is_some_and(|v| !matches!(v, ParamValue::Number(_)))
                            })
                        },
                        |p| {
                            !p.unit.value.is_days()
                                && crate::validate::declared_values_fit(content, p)
                        },
                    ) {
                        diagnostics.push(
                            Diagnostic::at(
                                location,
                                format!("parameter `{}` is not a number of days", name.value),
                            )
                            .with_label("a wait needs a number of days")
                            .with_hint("name a parameter whose value is a number in every version"),
                        );
                    }
                }
                None => {}
            }
        }
    }
}

/// An error when `text` writes a wait as a number ("15 days"), at the number.
fn literal_days(file: &SourceFile, text: &Spanned<String>) -> Option<Diagnostic> {
    let value = &text.value;
    let chars: Vec<char> = value.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() || (i > 0 && chars[i - 1].is_alphanumeric()) {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && chars[i].is_ascii_digit() {
            i += 1;
        }
        let rest: String = chars[i..].iter().collect::<String>().to_lowercase();
        let rest = rest.trim_start_matches([' ', '-']);
        let rest = ["business ", "calendar "]
            .iter()
            .find_map(|w| rest.strip_prefix(w))
            .unwrap_or(rest);
        if rest.starts_with("day") {
            let mut location = at(file, &text.referenced, value.chars().count());
            // On one line, point at the number itself (after an opening quote, if any).
            if !value.contains('\n') {
                let line = file.text.lines().nth(location.line - 1).unwrap_or("");
                let quoted = matches!(line.chars().nth(location.column - 1), Some('"' | '\''));
                let number: String = chars[start..i].iter().collect();
                let shown: String = line.chars().skip(location.column - 1).collect();
                if shown.contains(&number) {
                    location.column += start + usize::from(quoted);
                    location.len = i - start;
                }
            }
            return Some(
                Diagnostic::at(location, "a wait is written as a number of days")
                    .with_label("this number of days is fixed in the text")
                    .with_hint(
                        "write `{wait}` instead and add `wait: {parameter: <name>, after: \
                         \"...\"}`, so each policy version shows its own number",
                    ),
            );
        }
    }
    None
}

// ---------------------------------------------------------------------------------------------
// the resolved chart

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

/// The decision flowchart, resolved for one view of the policy versions.
#[derive(Debug, Serialize, Clone)]
pub struct Flowchart {
    /// URL of the overview page (chart and outline).
    pub url: String,
    /// The start node.
    pub start: Link,
    /// The nodes, in file order.
    pub nodes: Vec<FlowNode>,
    /// The whole chart as nested lists, flattened: see [`OutlineEntry`].
    pub outline: Vec<OutlineEntry>,
    /// How many questions the chart asks.
    pub questions: usize,
    /// The name of the drawing, for assistive technology ("Flowchart: who to contact, and
    /// when"), from the string table.
    pub title: String,
    /// What the drawing shows, in a sentence, from the string table.
    pub description: String,
}

/// A node of the resolved chart.
#[derive(Debug, Serialize, Clone)]
pub struct FlowNode {
    /// Id.
    pub id: String,
    /// `question`, `action` or `outcome`.
    pub kind: NodeKind,
    /// The text, with its wait filled in.
    pub text: String,
    /// URL of its step-through page.
    pub url: String,
    /// True for the start node.
    pub start: bool,
    /// The wait of the text, resolved.
    pub wait: Option<WaitView>,
    /// Answers or ways on.
    pub options: Vec<FlowEdge>,
    /// The path it leads to (the step's path when only `step:` is given).
    pub path: Option<Link>,
    /// The step it leads to: its path's page at the step's anchor.
    pub step: Option<Link>,
    /// The office to contact.
    pub office: Option<Link>,
    /// The channel to use.
    pub channel: Option<Link>,
    /// Contact details: the channel's, else the office's, else the step's.
    pub contacts: Vec<ContactView>,
    /// More sourced facts.
    pub facts: Vec<FactView>,
    /// Its sources.
    pub citations: Vec<Citation>,
    /// The answers that lead here: each node with an answer to this one, and that answer,
    /// in file order. One entry means one way back; several mean the page cannot know which
    /// way the reader came, so it must not say.
    pub before: Vec<Crumb>,
    /// The nodes this one can be reached from (indices into [`Flowchart::nodes`], in file
    /// order): all a reader's walk to this node can pass, so a script can retell the walk
    /// the page's address records.
    pub ancestors: Vec<usize>,
}

/// A labelled edge, resolved.
#[derive(Debug, Serialize, Clone)]
pub struct FlowEdge {
    /// The answer, with its wait filled in.
    pub label: String,
    /// The id of the node it leads to.
    pub to: String,
    /// URL of that node's page.
    pub url: String,
    /// That node's text.
    pub to_text: String,
    /// That node's kind.
    pub to_kind: NodeKind,
    /// The wait of the label, resolved.
    pub wait: Option<WaitView>,
}

/// A way into a node: a node with an answer that leads there, and that answer.
#[derive(Debug, Serialize, Clone)]
pub struct Crumb {
    /// The node's text.
    pub text: String,
    /// The node's page.
    pub url: String,
    /// The answer that leads on.
    pub answer: String,
}

/// One entry of the outline. The outline is a tree of nested lists, flattened so templates
/// need no recursion: `open` starts a list, `item` starts a list item (the node and the
/// answer that leads to it), `end` ends the item, `close` ends the list.
///
/// To keep the lists shallow, a node's only continuation (its one answer that leads to a
/// question or action not listed yet) is listed right after the node, at the same depth,
/// and the answer points down to it (`goto: "below"`). A node reached a second time points
/// back up to its first place (`goto: "above"`).
#[derive(Debug, Serialize, Clone)]
pub struct OutlineEntry {
    /// `open`, `item`, `end` or `close`.
    pub entry: &'static str,
    /// For items: the node's index in [`Flowchart::nodes`].
    pub node: Option<usize>,
    /// For items: the answer that leads here (none for the start and continuations).
    pub answer: Option<String>,
    /// For items that only point to a node listed elsewhere: `above` or `below`.
    pub goto: Option<&'static str>,
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
    let start = records
        .iter()
        .position(|n| n.start.as_ref().is_some_and(|s| s.value))?;
    let url = |id: &str| format!("{prefix}{id}/index.html");
    let index: HashMap<&str, usize> = records
        .iter()
        .enumerate()
        .map(|(i, n)| (n.id.value.as_str(), i))
        .collect();
    let texts: Vec<String> = records
        .iter()
        .map(|n| {
            fill(
                &n.text.value,
                n.wait.as_ref().and_then(|w| lookup.wait(w)).as_ref(),
                lookup.strings(),
            )
        })
        .collect();

    let office = |id: &str| entities.offices.iter().find(|o| o.id == id);
    let channel = |id: &str| entities.channels.iter().find(|c| c.id == id);
    let path = |id: &str| entities.paths.iter().find(|p| p.id == id);
    let link = |kind: &'static str, id: &str, name: &str, url: &str| Link {
        kind,
        id: id.to_string(),
        name: name.to_string(),
        url: url.to_string(),
    };

    let mut nodes: Vec<FlowNode> = records
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let step = n.step.as_ref().and_then(|s| {
                let (path_id, step_id) = s.value.split_once('#')?;
                let p = path(path_id)?;
                let step = p.steps.iter().find(|st| st.id == step_id)?;
                Some((p, step))
            });
            let office = n.office.as_ref().and_then(|o| office(&o.value));
            let channel = n.channel.as_ref().and_then(|c| channel(&c.value));
            let contacts = match (channel, office, step) {
                (Some(c), _, _) if !c.contacts.is_empty() => c.contacts.clone(),
                (_, Some(o), _) if !o.contacts.is_empty() => o.contacts.clone(),
                (_, _, Some((_, s))) => s.contacts.clone(),
                _ => Vec::new(),
            };
            let path_link = n
                .path
                .as_ref()
                .and_then(|p| path(&p.value))
                .or(step.map(|(p, _)| p))
                .map(|p| link("path", &p.id, &p.name, &p.url));
            FlowNode {
                id: n.id.value.clone(),
                kind: n.kind,
                text: texts[i].clone(),
                url: url(&n.id.value),
                start: i == start,
                wait: n.wait.as_ref().and_then(|w| lookup.wait(w)),
                options: n
                    .options
                    .iter()
                    .filter_map(|o| {
                        let j = *index.get(o.to.value.as_str())?;
                        let wait = o.wait.as_ref().and_then(|w| lookup.wait(w));
                        Some(FlowEdge {
                            label: fill(&o.label.value, wait.as_ref(), lookup.strings()),
                            to: o.to.value.clone(),
                            url: url(&o.to.value),
                            to_text: texts[j].clone(),
                            to_kind: records[j].kind,
                            wait,
                        })
                    })
                    .collect(),
                path: path_link,
                step: step.map(|(p, s)| {
                    link(
                        "step",
                        &format!("{}#{}", p.id, s.id),
                        &lookup
                            .strings()
                            .fill("path.step_title", &[("n", &s.number), ("title", &s.title)]),
                        &format!("{}#{}", p.url, s.id),
                    )
                }),
                office: office.map(|o| link("office", &o.id, &o.name, &o.url)),
                channel: channel.map(|c| link("channel", &c.id, &c.name, &c.url)),
                contacts,
                facts: lookup.facts(&n.facts),
                citations: lookup.citations(&n.sources),
                before: Vec::new(),
                ancestors: Vec::new(),
            }
        })
        .collect();

    // The ways into each node, and the nodes it can be reached from.
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

    let outline = outline(&nodes, &index, start);
    let questions = nodes
        .iter()
        .filter(|n| n.kind == NodeKind::Question)
        .count();
    let strings = lookup.strings();
    let description = strings.fill(
        "flowchart.svg.description",
        &[
            ("questions", &questions),
            ("first", &nodes[start].text),
            ("in_words", &strings.get("flowchart.in_words")),
        ],
    );
    Some(Flowchart {
        url: format!("{prefix}index.html"),
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
    })
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

    fn spanned(text: &str) -> Spanned<String> {
        serde_saphyr::from_str::<Spanned<String>>(&format!("\"{text}\"")).unwrap()
    }

    #[test]
    fn a_version_without_the_wait_says_what_the_string_table_says() {
        let strings = Strings::new([(UNSTATED_WAIT.to_string(), "a while".to_string())].into());
        assert_eq!(
            fill("No answer after {wait}", None, &strings),
            "No answer after a while"
        );
        assert_eq!(fill("No wait here", None, &strings), "No wait here");
    }

    #[test]
    fn numbers_of_days_in_words_are_found() {
        let file = SourceFile::new("flowchart.yaml", "\"x\"\n");
        for text in [
            "after 15 days",
            "within 10 business days",
            "a 30-day wait",
            "21 Days",
        ] {
            assert!(literal_days(&file, &spanned(text)).is_some(), "{text}");
        }
        for text in [
            "after {wait}",
            "Form I-730",
            "EAC, WAC, LIN or SRC",
            "a7 days",
        ] {
            assert!(literal_days(&file, &spanned(text)).is_none(), "{text}");
        }
    }
}
