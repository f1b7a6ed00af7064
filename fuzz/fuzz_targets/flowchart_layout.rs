//! Structured input for the flowchart layout alone: a loop-free graph of up to 40 nodes
//! whose texts and answer labels are any Unicode (newlines, tabs, wide and zero-width
//! characters, long words), including several answers to the same node, as
//! `flowchart.yaml` allows. The layout must keep its promises (see
//! `tests/testsuite/flowchart_layout.rs`): every edge routed, no two boxes overlapping, every
//! box and line of text inside the drawing, and a finite size.

#![no_main]

use casepath::render::flowchart::layout::{layout, Graph, GraphEdge, Layout};
use casepath::render::flowchart::text::text_width;
use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;

/// A graph whose edges all point to a later node, so it has no loop.
fn graph(u: &mut Unstructured) -> Result<Graph> {
    let n = u.int_in_range(1..=40)?;
    let nodes = (0..n).map(|_| text(u)).collect::<Result<Vec<_>>>()?;
    let mut edges = Vec::new();
    for from in 0..n - 1 {
        for _ in 0..u.int_in_range(0..=3)? {
            edges.push(GraphEdge {
                from,
                to: u.int_in_range(from + 1..=n - 1)?,
                label: text(u)?,
            });
        }
    }
    Ok(Graph { nodes, edges })
}

/// A text of up to 200 characters.
fn text(u: &mut Unstructured) -> Result<String> {
    let text: &str = u.arbitrary()?;
    Ok(text.chars().take(200).collect())
}

fuzz_target!(|data: &[u8]| {
    let Ok(graph) = graph(&mut Unstructured::new(data)) else {
        return;
    };
    let laid = layout(&graph);
    if let Some(problem) = problem(&graph, &laid) {
        panic!("{problem}\n{graph:?}");
    }
});

/// The first broken promise of a layout.
fn problem(graph: &Graph, laid: &Layout) -> Option<String> {
    if !(laid.width.is_finite() && laid.height.is_finite()) {
        return Some(format!("size {} × {}", laid.width, laid.height));
    }
    if laid.edges.len() != graph.edges.len() {
        return Some(format!(
            "{} of {} edges routed",
            laid.edges.len(),
            graph.edges.len()
        ));
    }
    let boxes: Vec<_> = laid
        .nodes
        .iter()
        .chain(laid.edges.iter().map(|e| &e.label))
        .collect();
    for (i, a) in boxes.iter().enumerate() {
        let r = a.rect;
        if !(r.x >= 0.0 && r.y >= 0.0 && r.right() <= laid.width && r.bottom() <= laid.height) {
            return Some(format!("box {i} {r:?} is outside the drawing"));
        }
        for (j, b) in boxes.iter().enumerate().skip(i + 1) {
            if r.overlaps(&b.rect) {
                return Some(format!("box {i} {r:?} overlaps box {j} {:?}", b.rect));
            }
        }
        for line in &a.lines {
            let width = text_width(line, a.style.font_size);
            if width > r.w - 2.0 * a.style.pad_x + 1e-6 {
                return Some(format!(
                    "line {line:?} ({width} px) is wider than box {i} {r:?}"
                ));
            }
        }
    }
    None
}
