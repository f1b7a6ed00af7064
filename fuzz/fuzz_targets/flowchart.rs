//! Arbitrary bytes as `content/data/flowchart.yaml` of the guide `casepath init` writes:
//! decoded, checked (one start, no loops, no dead ends, references), resolved for the
//! current view and every policy version, laid out and drawn as SVG.
//!
//! A chart whose references do not resolve in that guide (the shipped chart, as a seed)
//! stops at validation; so the layout is also run on the decoded nodes and answers
//! directly whenever they have no loop, as the layout requires.

#![no_main]

mod common;

use std::collections::HashMap;

use casepath::diagnostic::{Diagnostics, SourceFile};
use casepath::flowchart::layout::{self, Graph, GraphEdge};
use casepath::flowchart::svg;
use casepath::load::schema::FlowNodeRecord;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(text) = common::text(data) else {
        return;
    };

    // The layout of the nodes as written.
    let file = SourceFile::new("content/data/flowchart.yaml", text);
    let mut diagnostics = Diagnostics::new();
    if let Some(records) =
        casepath::load::parse_yaml::<Vec<FlowNodeRecord>>(&file, &mut diagnostics)
    {
        if let Some(graph) = acyclic_graph(&records) {
            check(&layout::layout(&graph));
        }
    }

    // The chart in a guide.
    let (content, diagnostics) = common::Guide::starter().content(&[("data/flowchart.yaml", text)]);
    let Some(site) = common::resolve(content, diagnostics) else {
        return;
    };
    let charts = site
        .flowchart
        .iter()
        .chain(site.views.iter().filter_map(|v| v.flowchart.as_ref()));
    for chart in charts {
        let laid = layout::layout(&svg::graph(chart));
        check(&laid);
        std::hint::black_box(svg::draw(chart, &laid, "../"));
    }
});

/// The graph of the records (edges to unknown ids left out), or `None` when it has a loop.
fn acyclic_graph(records: &[FlowNodeRecord]) -> Option<Graph> {
    let index: HashMap<&str, usize> = records
        .iter()
        .enumerate()
        .map(|(i, n)| (n.id.value.as_str(), i))
        .collect();
    let mut edges = Vec::new();
    for (from, node) in records.iter().enumerate() {
        for option in &node.options {
            if let Some(&to) = index.get(option.to.value.as_str()) {
                edges.push(GraphEdge {
                    from,
                    to,
                    label: option.label.value.clone(),
                });
            }
        }
    }
    // Kahn's algorithm: every node is removed only when the graph has no loop.
    let mut indegree = vec![0usize; records.len()];
    let mut successors = vec![Vec::new(); records.len()];
    for edge in &edges {
        indegree[edge.to] += 1;
        successors[edge.from].push(edge.to);
    }
    let mut ready: Vec<usize> = (0..records.len()).filter(|&i| indegree[i] == 0).collect();
    let mut removed = 0;
    while let Some(i) = ready.pop() {
        removed += 1;
        for &to in &successors[i] {
            indegree[to] -= 1;
            if indegree[to] == 0 {
                ready.push(to);
            }
        }
    }
    (removed == records.len()).then(|| Graph {
        nodes: records.iter().map(|n| n.text.value.clone()).collect(),
        edges,
    })
}

/// What any layout must be: a drawing of finite size with every box inside it.
fn check(laid: &layout::Layout) {
    assert!(laid.width.is_finite() && laid.height.is_finite());
    for node in &laid.nodes {
        let r = node.rect;
        assert!(r.x.is_finite() && r.y.is_finite() && r.w.is_finite() && r.h.is_finite());
    }
}
