//! Unit tests of the flowchart layout: the horizontal placement solver and cycles.

use super::*;

#[test]
fn pool_adjacent_violators_keeps_order_and_gaps() {
    let mut elements: Vec<Element> = (0..3)
        .map(|_| Element {
            role: Role::Node(0),
            level: 0,
            w: 10.0,
            h: 10.0,
            x: 0.0,
            preds: vec![],
            succs: vec![],
        })
        .collect();
    solve_level(&mut elements, &[0, 1, 2], &[50.0, 0.0, 100.0]);
    let xs: Vec<f64> = elements.iter().map(|e| e.x).collect();
    let gap = 10.0 + GAP - 1e-9;
    assert!(xs[1] - xs[0] >= gap && xs[2] - xs[1] >= gap, "{xs:?}");
    assert_eq!(xs[2], 100.0);
}

#[test]
fn a_cycle_does_not_break_the_layout() {
    let edge = |from, to| GraphEdge {
        from,
        to,
        label: "Next".into(),
    };
    let graph = Graph {
        nodes: vec!["A".into(), "B".into(), "C".into()],
        edges: vec![edge(0, 1), edge(1, 2), edge(2, 1)],
    };
    let placed = layout(&graph);
    assert_eq!(placed.nodes.len(), 3);
    assert!(!placed.nodes[1].rect.overlaps(&placed.nodes[2].rect));
}
