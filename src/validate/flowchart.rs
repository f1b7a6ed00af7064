//! The checks of the decision flowchart (`content/data/flowchart.yaml`): one start node,
//! every node reachable, no dead ends, no loops, two or more answers per question, every
//! reference resolved, every outcome leading somewhere, and waits written as parameters.

use std::collections::{HashMap, VecDeque};

use crate::diagnostic::{Diagnostic, Diagnostics, Location, SourceFile};
use crate::load::schema::*;
use crate::load::{at, Content};
use crate::model::flowchart::WAIT_PLACEHOLDER;

use super::references::unknown_reference;

/// Checks the flowchart of `content` and adds every problem to `diagnostics`. A site without
/// `flowchart.yaml` (or with an empty one) has no flowchart, which is fine.
pub fn validate(content: &Content, diagnostics: &mut Diagnostics) {
    let data = &content.flowchart;
    let nodes = &data.records;
    if nodes.is_empty() {
        return;
    }
    let mut index: HashMap<&str, usize> = HashMap::new();
    for (i, node) in nodes.iter().enumerate() {
        index.entry(node.id.value.as_str()).or_insert(i);
    }
    let chart = Chart {
        file: &data.file,
        nodes,
        index,
    };
    let starts = chart.check_start(diagnostics);
    let (edges, unresolved) = chart.edges(diagnostics);
    for node in nodes {
        chart.check_node(node, diagnostics);
    }
    // Every node reachable from the start (unless an answer leads nowhere: fix that first).
    if let (Some(&start), false) = (starts.first(), unresolved) {
        chart.check_reachable(start, &edges, diagnostics);
    }
    chart.check_loops(&edges, diagnostics);
    check_references(content, diagnostics);
    check_waits(content, diagnostics);
}

/// The nodes of the chart, with their file and where each id first is.
struct Chart<'a> {
    /// `flowchart.yaml`.
    file: &'a SourceFile,
    /// Its nodes, in file order.
    nodes: &'a [FlowNodeRecord],
    /// The index of the first node with each id.
    index: HashMap<&'a str, usize>,
}

/// The edges leaving each node (by index): the node each leads to, and the option.
type Edges<'a> = Vec<Vec<(usize, &'a FlowOptionRecord)>>;

impl<'a> Chart<'a> {
    /// Where `s` is written, to underline it.
    fn loc(&self, s: &Spanned<String>) -> Location {
        at(self.file, &s.referenced, s.value.chars().count())
    }

    /// Checks that exactly one node starts the chart; returns the indices of those that do.
    fn check_start(&self, diagnostics: &mut Diagnostics) -> Vec<usize> {
        let nodes = self.nodes;
        let starts: Vec<usize> = (0..nodes.len())
            .filter(|&i| nodes[i].start.as_ref().is_some_and(|s| s.value))
            .collect();
        match starts.as_slice() {
            [] => diagnostics.push(
                Diagnostic::at(self.loc(&nodes[0].id), "the flowchart has no start node")
                    .with_label("no node has `start: true`")
                    .with_hint("add `start: true` to the node the chart begins with, usually the first question"),
            ),
            [first, rest @ ..] => {
                for &extra in rest {
                    let start = nodes[extra].start.as_ref().expect("a start");
                    diagnostics.push(
                        Diagnostic::at(
                            at(self.file, &start.referenced, 4),
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
        starts
    }

    /// The edges of every node, reporting each option that leads to no node; with `true`
    /// when one does.
    fn edges(&self, diagnostics: &mut Diagnostics) -> (Edges<'a>, bool) {
        let node_ids: Vec<&str> = self.nodes.iter().map(|n| n.id.value.as_str()).collect();
        let mut unresolved = false;
        let mut edges: Edges<'a> = vec![Vec::new(); self.nodes.len()];
        for (i, node) in self.nodes.iter().enumerate() {
            for option in &node.options {
                match self.index.get(option.to.value.as_str()) {
                    Some(&j) => edges[i].push((j, option)),
                    None => {
                        unresolved = true;
                        diagnostics.push(unknown_reference(
                            self.loc(&option.to),
                            "flowchart node",
                            &option.to.value,
                            node_ids.iter().copied(),
                        ));
                    }
                }
            }
        }
        (edges, unresolved)
    }

    /// Checks that a node has the options its kind needs, and that an outcome says where
    /// to go.
    fn check_node(&self, node: &FlowNodeRecord, diagnostics: &mut Diagnostics) {
        let id = &node.id.value;
        let at_id = self.loc(&node.id);
        match node.kind {
            NodeKind::Question | NodeKind::Action if node.options.is_empty() => diagnostics.push(
                Diagnostic::at(
                    at_id.clone(),
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
                    at_id.clone(),
                    format!("question `{id}` has only one answer"),
                )
                .with_label("a question needs at least two answers")
                .with_hint(
                    "add the other answers under `options:`, or make it an `action` if \
                         there is only one way on",
                ),
            ),
            NodeKind::Outcome if !node.options.is_empty() => diagnostics.push(
                Diagnostic::at(at_id.clone(), format!("outcome `{id}` has options"))
                    .with_label("an outcome ends the chart")
                    .with_hint("make it an `action` to go on from it, or remove its `options:`"),
            ),
            _ => {}
        }
        let leads_nowhere = node.path.is_none()
            && node.step.is_none()
            && node.office.is_none()
            && node.channel.is_none();
        if node.kind == NodeKind::Outcome && leads_nowhere {
            diagnostics.push(
                Diagnostic::at(at_id, format!("outcome `{id}` does not say where to go"))
                    .with_label("no path, office or channel")
                    .with_hint(
                        "add `path:`, `step:` (`path-id#step-id`), `office:` or `channel:` so \
                         the reader knows who to contact",
                    ),
            );
        }
    }

    /// Reports every node (the first of each id) that no answer leads to from `start`.
    fn check_reachable(&self, start: usize, edges: &Edges<'a>, diagnostics: &mut Diagnostics) {
        let mut seen = vec![false; self.nodes.len()];
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
        for (i, node) in self.nodes.iter().enumerate() {
            if seen[i] || self.index.get(node.id.value.as_str()) != Some(&i) {
                continue;
            }
            let id = &node.id.value;
            diagnostics.push(
                Diagnostic::at(
                    self.loc(&node.id),
                    format!("flowchart node `{id}` cannot be reached from the start"),
                )
                .with_label("no answer leads here")
                .with_hint(format!(
                    "point an answer of another node at `{id}` (`to: {id}`), or remove this node"
                )),
            );
        }
    }

    /// Reports every answer that leads back up the chart.
    fn check_loops(&self, edges: &Edges<'a>, diagnostics: &mut Diagnostics) {
        let nodes = self.nodes;
        for (from, option, path) in find_loops(edges) {
            let names: Vec<&str> = path.iter().map(|&i| nodes[i].id.value.as_str()).collect();
            diagnostics.push(
                Diagnostic::at(
                    self.loc(&option.to),
                    format!(
                        "the flowchart loops: `{}` leads back to `{}`",
                        nodes[from].id.value, option.to.value
                    ),
                )
                .with_label("this answer goes back up the chart")
                .with_hint(format!(
                    "the loop is {}; a chart must always move on, so point this answer at a \
                     node further down",
                    names.join(" → ")
                )),
            );
        }
    }
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
    Some(match crate::diagnostic::nearest(step_id, &steps) {
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
                    } else if !counts_days(content, &name.value) {
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

/// False when the policy parameter `name` is not a number of days: declared in another
/// unit (whose values fit it), or, undeclared, a value that is not a number.
fn counts_days(content: &Content, name: &str) -> bool {
    match content.parameter(name) {
        Some(p) => p.unit.value.is_days() || !super::declarations::values_fit(content, p),
        None => !content.policies.records.iter().any(|p| {
            p.parameters
                .get(name)
                .and_then(Parameter::value)
                .is_some_and(|v| !matches!(v, ParamValue::Number(_)))
        }),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn spanned(text: &str) -> Spanned<String> {
        serde_saphyr::from_str::<Spanned<String>>(&format!("\"{text}\"")).unwrap()
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
        for text in ["after {wait}", "Form R-730", "ABC, DEF or GHI", "a7 days"] {
            assert!(literal_days(&file, &spanned(text)).is_none(), "{text}");
        }
    }
}
