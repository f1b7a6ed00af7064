//! Unit tests of the flowchart layout: text wrapping, the horizontal placement
//! solver, cycles, and edge segments that cross a box.

use super::*;

#[test]
fn wrapping_keeps_lines_within_the_width() {
    let lines = wrap("Email the service center that has your case", 14.0, 120.0);
    assert!(lines.len() > 1);
    for line in &lines {
        assert!(text_width(line, 14.0) <= 120.0, "{line}");
    }
    assert_eq!(
        lines.join(" "),
        "Email the service center that has your case"
    );
}

#[test]
fn a_word_wider_than_a_line_is_cut() {
    let lines = wrap("SCOPSSCATA@dhs.gov.example.verylongaddress", 14.0, 60.0);
    assert!(lines.len() > 2);
    for line in &lines {
        assert!(text_width(line, 14.0) <= 60.0, "{line}");
    }
}

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

#[test]
fn segments_through_a_box_are_found() {
    let r = Rect {
        x: 10.0,
        y: 10.0,
        w: 20.0,
        h: 20.0,
    };
    assert!(r.crossed_by((0.0, 20.0), (40.0, 20.0), 0.5));
    assert!(!r.crossed_by((0.0, 5.0), (40.0, 5.0), 0.5));
    assert!(!r.crossed_by((20.0, 0.0), (20.0, 10.0), 0.5));
}
