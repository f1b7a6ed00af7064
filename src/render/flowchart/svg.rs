//! The flowchart drawn as a static SVG, made at build time from the [`layout`](super::layout).
//!
//! The drawing is a labelled group (`<title>` and `<desc>`, in the words of the string table
//! that [`super::resolve`] put in the chart): every node is a link to its
//! step-through page whose name is the node's text; routes and answer labels are hidden from
//! assistive technology, because the outline beside the drawing says the same in words.
//! Colours and line widths are presentation attributes, so the drawing reads the same without
//! the stylesheet; the stylesheet adds the font and the focus ring.

use std::fmt::Write;

use super::layout::{layout, Graph, GraphEdge, Layout};
use super::text::TextBox;
use crate::load::schema::NodeKind;
use crate::model::flowchart::Flowchart;

/// The graph of a chart: node texts and answer labels, by node index.
pub fn graph(chart: &Flowchart) -> Graph {
    let index = |id: &str| chart.nodes.iter().position(|n| n.id == id);
    Graph {
        nodes: chart.nodes.iter().map(|n| n.text.clone()).collect(),
        edges: chart
            .nodes
            .iter()
            .enumerate()
            .flat_map(|(i, n)| {
                n.options.iter().filter_map(move |o| {
                    Some(GraphEdge {
                        from: i,
                        to: index(&o.to)?,
                        label: o.label.clone(),
                    })
                })
            })
            .collect(),
    }
}

/// Lays out the chart and draws it; node links start with `root` (the `../` prefix of the
/// page the drawing is on).
pub fn render(chart: &Flowchart, root: &str) -> String {
    draw(chart, &layout(&graph(chart)), root)
}

/// Draws a laid-out chart.
pub fn draw(chart: &Flowchart, layout: &Layout, root: &str) -> String {
    let mut svg = String::new();
    open(&mut svg, chart, layout);
    routes(&mut svg, layout);
    labels(&mut svg, layout);
    nodes(&mut svg, chart, layout, root);
    svg.push_str("</svg>");
    svg
}

/// Opens the drawing: the `<svg>` element with its title, description and arrow head.
fn open(svg: &mut String, chart: &Flowchart, layout: &Layout) {
    let (w, h) = (layout.width, layout.height);
    let _ = writeln!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="flowchart" width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="group" aria-labelledby="flowchart-title" aria-describedby="flowchart-desc">"#
    );
    let _ = writeln!(
        svg,
        r#"<title id="flowchart-title">{}</title>"#,
        escape(&chart.title)
    );
    let _ = writeln!(
        svg,
        r#"<desc id="flowchart-desc">{}</desc>"#,
        escape(&chart.description)
    );
    svg.push_str(concat!(
        r#"<defs><marker id="flowchart-arrow" viewBox="0 0 10 10" refX="9" refY="5" "#,
        r##"markerWidth="7" markerHeight="7" orient="auto"><path d="M0,1 L9,5 L0,9 z" fill="#4a4a4a"/></marker></defs>"##,
        "\n"
    ));
}

/// The routes of the edges, as one group of paths with arrow heads.
fn routes(svg: &mut String, layout: &Layout) {
    svg.push_str(r##"<g class="fc-edges" fill="none" stroke="#4a4a4a" stroke-width="1.5" aria-hidden="true">"##);
    svg.push('\n');
    for edge in &layout.edges {
        let mut d = String::new();
        for (i, (x, y)) in edge.points.iter().enumerate() {
            let _ = write!(
                d,
                "{}{} {}",
                if i == 0 { "M" } else { " L" },
                num(*x),
                num(*y)
            );
        }
        let _ = writeln!(svg, r#"<path d="{d}" marker-end="url(#flowchart-arrow)"/>"#);
    }
    svg.push_str("</g>\n");
}

/// The answer labels of the edges, each a boxed text.
fn labels(svg: &mut String, layout: &Layout) {
    svg.push_str(r#"<g class="fc-labels" aria-hidden="true">"#);
    svg.push('\n');
    for edge in &layout.edges {
        let r = edge.label.rect;
        let _ = write!(
            svg,
            r##"<g class="fc-label"><rect x="{}" y="{}" width="{}" height="{}" rx="4" fill="#ffffff" stroke="#8a8f98"/>"##,
            num(r.x),
            num(r.y),
            num(r.w),
            num(r.h)
        );
        text(svg, &edge.label, "#1b1b1b");
        svg.push_str("</g>\n");
    }
    svg.push_str("</g>\n");
}

/// The nodes, each a link (under `root`) to its step-through page, drawn by its kind.
fn nodes(svg: &mut String, chart: &Flowchart, layout: &Layout, root: &str) {
    svg.push_str("<g class=\"fc-nodes\">\n");
    for (node, placed) in chart.nodes.iter().zip(&layout.nodes) {
        let (class, fill, stroke, rx) = match node.kind {
            NodeKind::Question => ("fc-question", "#e7effa", "#0b4f9c", 12),
            NodeKind::Action => ("fc-action", "#ffffff", "#4a4a4a", 2),
            NodeKind::Outcome => ("fc-outcome", "#e3f1e6", "#1d6b35", 2),
        };
        let width = match (node.start, node.kind) {
            (true, _) => "3",
            (_, NodeKind::Outcome) => "2.5",
            _ => "1.5",
        };
        let r = placed.rect;
        // The first box has an id, so a link can scroll the drawing to it.
        let id = if node.start {
            r#" id="flowchart-start""#
        } else {
            ""
        };
        let _ = write!(
            svg,
            r#"<a class="fc-node {class}"{id} href="{}{}"><rect x="{}" y="{}" width="{}" height="{}" rx="{rx}" fill="{fill}" stroke="{stroke}" stroke-width="{width}"/>"#,
            escape(root),
            escape(&node.url),
            num(r.x),
            num(r.y),
            num(r.w),
            num(r.h)
        );
        text(svg, placed, "#1b1b1b");
        svg.push_str("</a>\n");
    }
    svg.push_str("</g>\n");
}

/// Writes the lines of a box as one `<text>` with a `<tspan>` per line.
fn text(svg: &mut String, placed: &TextBox, fill: &str) {
    let _ = write!(
        svg,
        r#"<text font-size="{}" text-anchor="middle" fill="{fill}">"#,
        num(placed.style.font_size)
    );
    for (x, y, line) in placed.baselines() {
        let _ = write!(
            svg,
            r#"<tspan x="{}" y="{}">{}</tspan>"#,
            num(x),
            num(y),
            escape(line)
        );
    }
    svg.push_str("</text>");
}

/// A coordinate with at most one decimal, without a trailing `.0`.
fn num(value: f64) -> String {
    let rounded = (value * 10.0).round() / 10.0;
    if rounded.fract() == 0.0 {
        format!("{}", rounded as i64)
    } else {
        format!("{rounded:.1}")
    }
}

/// Escapes text for SVG content and attribute values.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
