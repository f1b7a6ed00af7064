//! The flowchart layout's promises, checked on random charts of up to 60 nodes (and on the
//! shipped chart in `guide/flowchart_layout.rs`): no two boxes overlap, no route crosses a box other than its own label, no
//! label overlaps a box or another label, and every line of text fits inside its box.

use casepath::render::flowchart::layout::{layout, Graph, GraphEdge, Layout};
use casepath::render::flowchart::text::{text_width, Rect};
use proptest::prelude::*;
use proptest::sample::Index;

/// Every broken promise of a layout, as readable lines (empty when all hold).
pub(crate) fn problems(graph: &Graph, layout: &Layout) -> Vec<String> {
    let mut problems = Vec::new();
    // (what, rect) for every node and label box.
    let mut boxes: Vec<(String, Rect)> = layout
        .nodes
        .iter()
        .enumerate()
        .map(|(i, b)| (format!("node {i}"), b.rect))
        .collect();
    boxes.extend(
        layout
            .edges
            .iter()
            .enumerate()
            .map(|(e, r)| (format!("label of edge {e}"), r.label.rect)),
    );
    for (i, (a, ra)) in boxes.iter().enumerate() {
        for (b, rb) in &boxes[i + 1..] {
            if ra.overlaps(rb) {
                problems.push(format!("{a} {ra:?} overlaps {b} {rb:?}"));
            }
        }
    }
    for (e, route) in layout.edges.iter().enumerate() {
        for segment in route.points.windows(2) {
            let (p, q) = (segment[0], segment[1]);
            if p.0 != q.0 && p.1 != q.1 {
                problems.push(format!("edge {e} has a slanted segment {p:?} → {q:?}"));
            }
            for (what, rect) in &boxes {
                if *what == format!("label of edge {e}") {
                    continue;
                }
                if rect.crossed_by(p, q, 0.5) {
                    problems.push(format!("edge {e} segment {p:?} → {q:?} crosses {what}"));
                }
            }
        }
    }
    let all_text = layout
        .nodes
        .iter()
        .map(|b| ("node", b))
        .chain(layout.edges.iter().map(|r| ("label", &r.label)));
    for (what, b) in all_text {
        let s = b.style;
        for line in &b.lines {
            let width = text_width(line, s.font_size);
            if width > b.rect.w - 2.0 * s.pad_x + 1e-6 {
                problems.push(format!(
                    "{what} line {line:?} ({width:.1} px) is wider than its box {:?}",
                    b.rect
                ));
            }
        }
        let height = b.lines.len() as f64 * s.line_height + 2.0 * s.pad_y;
        if height > b.rect.h + 1e-6 {
            problems.push(format!("{what} text {:?} is taller than its box", b.lines));
        }
    }
    if layout.edges.len() != graph.edges.len() {
        problems.push(format!(
            "{} of {} edges were routed",
            layout.edges.len(),
            graph.edges.len()
        ));
    }
    for (e, (route, edge)) in layout.edges.iter().zip(&graph.edges).enumerate() {
        let start = route.points[0];
        let end = *route.points.last().unwrap();
        let (from, to) = (layout.nodes[edge.from].rect, layout.nodes[edge.to].rect);
        if (start.1 - from.bottom()).abs() > 1e-6 || start.0 < from.x || start.0 > from.right() {
            problems.push(format!("edge {e} does not leave the bottom of its node"));
        }
        if (end.1 - to.y).abs() > 1e-6 || end.0 < to.x || end.0 > to.right() {
            problems.push(format!("edge {e} does not enter the top of its node"));
        }
        // The label sits on the route: some vertical segment runs through its middle.
        let label = route.label.rect;
        let on_route = route.points.windows(2).any(|s| {
            s[0].0 == s[1].0
                && (s[0].0 - label.center_x()).abs() <= 0.01
                && s[0].1 <= label.y
                && s[1].1 >= label.bottom()
        });
        if !on_route {
            problems.push(format!("the label of edge {e} is not on its route"));
        }
    }
    for b in layout
        .nodes
        .iter()
        .map(|b| b.rect)
        .chain(layout.edges.iter().map(|r| r.label.rect))
    {
        if b.x < 0.0 || b.y < 0.0 || b.right() > layout.width || b.bottom() > layout.height {
            problems.push(format!("{b:?} is outside the drawing"));
        }
    }
    problems
}

/// A random chart: a tree of `parents.len() + 1` nodes (node `i + 1` hangs under a node
/// before it), plus extra edges that always point further down, so some nodes have several
/// parents and some edges are long.
fn random_graph(
    parents: &[Index],
    extra: &[(Index, Index)],
    texts: &[String],
    labels: &[String],
) -> Graph {
    let n = parents.len() + 1;
    let mut edges: Vec<(usize, usize)> = parents
        .iter()
        .enumerate()
        .map(|(i, p)| (p.index(i + 1), i + 1))
        .collect();
    if n > 1 {
        for (a, b) in extra {
            let (a, b) = (a.index(n), b.index(n));
            let (a, b) = (a.min(b), a.max(b));
            if a != b && !edges.contains(&(a, b)) {
                edges.push((a, b));
            }
        }
    }
    Graph {
        nodes: (0..n).map(|i| texts[i % texts.len()].clone()).collect(),
        edges: edges
            .into_iter()
            .enumerate()
            .map(|(k, (from, to))| GraphEdge {
                from,
                to,
                label: labels[k % labels.len()].clone(),
            })
            .collect(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn random_charts_keep_every_promise(
        parents in prop::collection::vec(any::<Index>(), 0..60),
        extra in prop::collection::vec((any::<Index>(), any::<Index>()), 0..12),
        texts in prop::collection::vec("[A-Za-z]{1,9}( [a-z@.]{1,12}){0,12}|[A-Z@.]{20,40}", 1..8),
        labels in prop::collection::vec("[A-Z][a-z]{0,7}( [a-z0-9]{1,9}){0,6}", 1..6),
    ) {
        let graph = random_graph(&parents, &extra, &texts, &labels);
        let placed = layout(&graph);
        let problems = problems(&graph, &placed);
        prop_assert!(problems.is_empty(), "{}", problems.join("\n"));
    }
}
