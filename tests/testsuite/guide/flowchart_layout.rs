//! The flowchart layout's promises (see `flowchart_layout.rs` of the engine tests), checked
//! on the shipped chart: no two boxes overlap, no route crosses a box other than its own
//! label, no label overlaps a box or another label, and every line of text fits inside its
//! box; and the same chart lays out the same way every time.

use casepath::render::flowchart::layout::layout;

use super::shipped_chart;
use crate::flowchart_layout::problems;

#[test]
fn the_shipped_chart_keeps_every_promise() {
    let chart = shipped_chart();
    let graph = casepath::render::flowchart::svg::graph(&chart);
    assert!(graph.nodes.len() >= 20, "{} nodes", graph.nodes.len());
    let placed = layout(&graph);
    let problems = problems(&graph, &placed);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // Legible at 1280 px beside the outline: not wider than the room the page gives it.
    assert!(
        placed.width <= 900.0,
        "the chart is {} px wide",
        placed.width
    );
}

#[test]
fn the_layout_is_deterministic() {
    let graph = casepath::render::flowchart::svg::graph(&shipped_chart());
    let a = format!("{:?}", layout(&graph));
    let b = format!("{:?}", layout(&graph));
    assert_eq!(a, b);
}
