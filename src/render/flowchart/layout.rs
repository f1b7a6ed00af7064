//! A small, deterministic, layered top-down layout for the flowchart.
//!
//! **Why our own.** The layout crates we looked at do not give the guarantees the chart
//! needs. `layout-rs` (Graphviz-like) measures and draws text itself and places edge labels
//! without a no-overlap guarantee; the Rust ports of dagre are young and unmaintained;
//! `petgraph` has no layout at all. The chart is small (tens of nodes), so a plain
//! Sugiyama-style layout of a few hundred lines, whose properties we test, is the better
//! trade.
//!
//! **How.** The steps are the classic ones, each kept simple and deterministic:
//!
//! 1. *Text* ([`super::text`]): every node text and edge label is wrapped to a maximum width, measured with a
//!    per-character width table (the wider of DejaVu Sans and Liberation Sans/Arial at each
//!    character, plus a margin), so the text fits in its box in any common sans-serif font.
//! 2. *Layers*: longest-path layering from the sources; node layer `r` becomes level `2r`.
//!    **Edge labels are boxes of the layout**: each edge `u → v` becomes a chain
//!    `u → label → dummy … → v`, the label at the level right below `u` and one dummy at
//!    every level the edge passes through. So labels are placed like nodes, and can never
//!    overlap a node or another label.
//! 3. *Order*: elements start in depth-first order (answers left to right), then barycentric
//!    sweeps down and up reduce crossings; the order with the fewest crossings is kept.
//! 4. *Positions*: in each level, the x positions closest (least squares) to the mean of the
//!    neighbours' positions, keeping the order and a minimum gap, found exactly by isotonic
//!    regression (pool-adjacent-violators); alternated down and up a fixed number of times.
//! 5. *Edges*: orthogonal routes. A route leaves a box at the bottom centre, runs down its own
//!    column to the channel below the level, turns along a horizontal track of that channel
//!    (each source element gets its own track, so buses do not overlap) and drops into the
//!    next element at its top centre. Within a level a route only ever runs down the column
//!    of its own element (box, label or dummy), and the channels between levels hold no boxes,
//!    so **no route crosses a box** that is not its own.

use std::collections::HashMap;

use super::text::{Rect, TextBox, LABEL_STYLE, NODE_STYLE};

/// Space around the drawing.
pub const MARGIN: f64 = 12.0;
/// Horizontal gap between two boxes of a level.
const GAP: f64 = 16.0;
/// Horizontal gap beside a dummy (a route passing through a level).
const DUMMY_GAP: f64 = 10.0;
/// Space above the first and below the last track of a channel.
const CHANNEL_PAD: f64 = 12.0;
/// Distance between two tracks of a channel.
const TRACK: f64 = 8.0;
/// Barycentric sweeps.
const ORDER_SWEEPS: usize = 24;
/// Positioning sweeps.
const PLACE_SWEEPS: usize = 24;
/// A graph to lay out: node texts and labelled edges. It must have no cycles.
#[derive(Debug, Clone, Default)]
pub struct Graph {
    /// The text of each node.
    pub nodes: Vec<String>,
    /// The edges.
    pub edges: Vec<GraphEdge>,
}

/// A labelled edge, by node index.
#[derive(Debug, Clone)]
pub struct GraphEdge {
    /// The node it leaves.
    pub from: usize,
    /// The node it enters.
    pub to: usize,
    /// Its label.
    pub label: String,
}

/// A routed edge: its label box and the corners of its orthogonal route, from the bottom of
/// the node it leaves to the top of the node it enters.
#[derive(Debug, Clone)]
pub struct EdgeRoute {
    /// The node it leaves.
    pub from: usize,
    /// The node it enters.
    pub to: usize,
    /// The label, placed on the route.
    pub label: TextBox,
    /// The corners of the route, in order.
    pub points: Vec<(f64, f64)>,
}

/// The finished layout.
#[derive(Debug, Clone)]
pub struct Layout {
    /// Width of the drawing.
    pub width: f64,
    /// Height of the drawing.
    pub height: f64,
    /// The node boxes, in the graph's order.
    pub nodes: Vec<TextBox>,
    /// The edges, in the graph's order.
    pub edges: Vec<EdgeRoute>,
}

/// What an element of a level is.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Role {
    Node(usize),
    Label(usize),
    Dummy,
}

#[derive(Debug, Clone)]
struct Element {
    role: Role,
    level: usize,
    w: f64,
    h: f64,
    x: f64,
    preds: Vec<usize>,
    succs: Vec<usize>,
}

impl Element {
    /// An element of `role` at `level`, `w` by `h`, not yet placed or linked.
    fn new(role: Role, level: usize, w: f64, h: f64) -> Self {
        Element {
            role,
            level,
            w,
            h,
            x: 0.0,
            preds: Vec::new(),
            succs: Vec::new(),
        }
    }

    /// The elements it is linked to on the side a sweep comes from: those above it when
    /// sweeping `down`, those below otherwise.
    fn neighbours(&self, down: bool) -> &[usize] {
        if down {
            &self.preds
        } else {
            &self.succs
        }
    }
}

/// The elements of a layout with what each edge became: the nodes first, then for each
/// edge that goes down its label and a dummy at every level it passes.
struct Chains {
    elements: Vec<Element>,
    /// Each edge's label box, in the graph's order; `None` for an edge left out.
    labels: Vec<Option<TextBox>>,
    /// Each edge's elements from its node to its node, in the graph's order; `None` for an
    /// edge left out.
    chains: Vec<Option<Vec<usize>>>,
}

/// Lays out `graph` top-down. Edges that would go up (only possible in a graph with a cycle)
/// are left out of the result.
pub fn layout(graph: &Graph) -> Layout {
    let ranks = longest_path_ranks(graph);
    let mut nodes: Vec<TextBox> = graph
        .nodes
        .iter()
        .map(|t| TextBox::new(t, NODE_STYLE))
        .collect();
    let Chains {
        mut elements,
        mut labels,
        chains,
    } = chains(graph, &ranks, &nodes);
    let levels = order(&elements);
    place(&mut elements, &levels);
    let (tops, heights, tracks) = verticals(&elements, &levels);
    // Boxes: centred vertically in their level.
    let top: Vec<f64> = elements
        .iter()
        .map(|e| tops[e.level] + (heights[e.level] - e.h) / 2.0)
        .collect();
    for (element, &y) in elements.iter().zip(&top) {
        let rect = Rect {
            x: element.x - element.w / 2.0,
            y,
            w: element.w,
            h: element.h,
        };
        match element.role {
            Role::Node(i) => nodes[i].rect = rect,
            Role::Label(e) => {
                if let Some(label) = labels[e].as_mut() {
                    label.rect = rect;
                }
            }
            Role::Dummy => {}
        }
    }
    let edges = routes(graph, &elements, &top, &tracks, &chains, labels);
    let width = elements.iter().map(|e| e.x + e.w / 2.0).fold(0.0, f64::max) + MARGIN;
    let last = tops.len() - 1;
    let height = tops[last] + heights[last] + MARGIN;
    Layout {
        width: width.ceil(),
        height: height.ceil(),
        nodes,
        edges,
    }
}

/// The elements of `graph` at their levels (node rank `r` at level `2r`), linked along each
/// edge's chain `from → label → dummy … → to`; an edge that does not go down is left out.
fn chains(graph: &Graph, ranks: &[usize], nodes: &[TextBox]) -> Chains {
    let mut elements: Vec<Element> = (nodes.iter().enumerate())
        .map(|(i, node)| Element::new(Role::Node(i), 2 * ranks[i], node.rect.w, node.rect.h))
        .collect();
    let mut labels: Vec<Option<TextBox>> = Vec::new();
    let mut chains: Vec<Option<Vec<usize>>> = Vec::new();
    for (e, edge) in graph.edges.iter().enumerate() {
        if ranks[edge.to] <= ranks[edge.from] {
            labels.push(None);
            chains.push(None);
            continue;
        }
        let label = TextBox::new(&edge.label, LABEL_STYLE);
        let mut chain = vec![edge.from];
        let label_level = 2 * ranks[edge.from] + 1;
        let (w, h) = (label.rect.w, label.rect.h);
        elements.push(Element::new(Role::Label(e), label_level, w, h));
        chain.push(elements.len() - 1);
        for level in label_level + 1..2 * ranks[edge.to] {
            elements.push(Element::new(Role::Dummy, level, 0.0, 0.0));
            chain.push(elements.len() - 1);
        }
        chain.push(edge.to);
        for pair in chain.windows(2) {
            elements[pair[0]].succs.push(pair[1]);
            elements[pair[1]].preds.push(pair[0]);
        }
        labels.push(Some(label));
        chains.push(Some(chain));
    }
    Chains {
        elements,
        labels,
        chains,
    }
}

/// The route of every edge that was laid out, along its chain of placed `elements` (whose
/// boxes start at `top`), turning on the `tracks` of the elements it leaves, with its label.
fn routes(
    graph: &Graph,
    elements: &[Element],
    top: &[f64],
    tracks: &HashMap<usize, f64>,
    chains: &[Option<Vec<usize>>],
    mut labels: Vec<Option<TextBox>>,
) -> Vec<EdgeRoute> {
    let mut edges = Vec::new();
    for (e, chain) in chains.iter().enumerate() {
        let (Some(chain), Some(label)) = (chain, labels[e].take()) else {
            continue;
        };
        let first = chain[0];
        let mut x = elements[first].x;
        let mut points = vec![(x, top[first] + elements[first].h)];
        for pair in chain.windows(2) {
            let (a, b) = (&elements[pair[0]], &elements[pair[1]]);
            if jogs(a, b) {
                let y = tracks[&pair[0]];
                points.push((x, y));
                x = b.x;
                points.push((x, y));
            }
        }
        let last = *chain.last().expect("a chain has two ends");
        points.push((x, top[last]));
        edges.push(EdgeRoute {
            from: graph.edges[e].from,
            to: graph.edges[e].to,
            label,
            points,
        });
    }
    edges
}

/// True when the route from `a` to `b` must turn: their centres differ by more than a
/// hundredth of a pixel (positions are snapped to an eighth of a pixel).
fn jogs(a: &Element, b: &Element) -> bool {
    (a.x - b.x).abs() > 0.01
}

/// Longest-path ranks from the sources (Kahn's algorithm, lowest index first). Nodes on a
/// cycle, which a validated chart never has, get rank 0.
fn longest_path_ranks(graph: &Graph) -> Vec<usize> {
    let n = graph.nodes.len();
    let mut indegree = vec![0usize; n];
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); n];
    for edge in &graph.edges {
        if edge.from < n && edge.to < n && edge.from != edge.to {
            indegree[edge.to] += 1;
            out[edge.from].push(edge.to);
        }
    }
    let mut rank = vec![0usize; n];
    let mut ready: std::collections::BTreeSet<usize> =
        (0..n).filter(|&i| indegree[i] == 0).collect();
    while let Some(i) = ready.pop_first() {
        for &j in &out[i] {
            rank[j] = rank[j].max(rank[i] + 1);
            indegree[j] -= 1;
            if indegree[j] == 0 {
                ready.insert(j);
            }
        }
    }
    rank
}

/// The elements of each level, in order: depth-first first, then barycentric sweeps.
fn order(elements: &[Element]) -> Vec<Vec<usize>> {
    let depth = elements.iter().map(|e| e.level).max().unwrap_or(0) + 1;
    let mut levels: Vec<Vec<usize>> = vec![Vec::new(); depth];
    let mut seen = vec![false; elements.len()];
    // Sources first; then any node left over (only on a cycle, which validation forbids),
    // so that every element gets a place.
    let mut roots: Vec<usize> = (0..elements.len())
        .filter(|&i| elements[i].preds.is_empty() && matches!(elements[i].role, Role::Node(_)))
        .collect();
    roots.extend((0..elements.len()).filter(|&i| matches!(elements[i].role, Role::Node(_))));
    for root in roots {
        let mut stack = vec![root];
        while let Some(i) = stack.pop() {
            if seen[i] {
                continue;
            }
            seen[i] = true;
            levels[elements[i].level].push(i);
            for &s in elements[i].succs.iter().rev() {
                if !seen[s] {
                    stack.push(s);
                }
            }
        }
    }
    let mut position = vec![0usize; elements.len()];
    let renumber = |levels: &Vec<Vec<usize>>, position: &mut Vec<usize>| {
        for level in levels {
            for (p, &e) in level.iter().enumerate() {
                position[e] = p;
            }
        }
    };
    renumber(&levels, &mut position);
    let mut best = levels.clone();
    let mut best_crossings = crossings(elements, &levels, &position);
    for sweep in 0..ORDER_SWEEPS {
        let down = sweep % 2 == 0;
        let range: Vec<usize> = if down {
            (1..depth).collect()
        } else {
            (0..depth.saturating_sub(1)).rev().collect()
        };
        for l in range {
            let key: HashMap<usize, f64> = levels[l]
                .iter()
                .map(|&e| {
                    let neighbours = elements[e].neighbours(down);
                    let k = if neighbours.is_empty() {
                        position[e] as f64
                    } else {
                        neighbours.iter().map(|&n| position[n] as f64).sum::<f64>()
                            / neighbours.len() as f64
                    };
                    (e, k)
                })
                .collect();
            levels[l].sort_by(|a, b| key[a].total_cmp(&key[b]));
            for (p, &e) in levels[l].iter().enumerate() {
                position[e] = p;
            }
        }
        let c = crossings(elements, &levels, &position);
        if c < best_crossings {
            best_crossings = c;
            best = levels.clone();
        }
    }
    best
}

/// The number of pairs of element-to-element links that cross between adjacent levels.
fn crossings(elements: &[Element], levels: &[Vec<usize>], position: &[usize]) -> usize {
    let mut total = 0;
    for level in levels {
        let links: Vec<(usize, usize)> = level
            .iter()
            .flat_map(|&a| elements[a].succs.iter().map(move |&b| (a, b)))
            .map(|(a, b)| (position[a], position[b]))
            .collect();
        for (i, &(a1, b1)) in links.iter().enumerate() {
            for &(a2, b2) in &links[i + 1..] {
                if (a1 < a2 && b1 > b2) || (a1 > a2 && b1 < b2) {
                    total += 1;
                }
            }
        }
    }
    total
}

/// Sets every element's x: per level, as close as possible to its neighbours' mean while
/// keeping the order and the gaps; then shifts the drawing to the margin.
fn place(elements: &mut [Element], levels: &[Vec<usize>]) {
    for level in levels {
        let desired = vec![0.0; level.len()];
        solve_level(elements, level, &desired);
    }
    for sweep in 0..PLACE_SWEEPS {
        let down = sweep % 2 == 0;
        let range: Vec<usize> = if down {
            (1..levels.len()).collect()
        } else {
            (0..levels.len().saturating_sub(1)).rev().collect()
        };
        for l in range {
            let desired: Vec<f64> = levels[l]
                .iter()
                .map(|&e| {
                    let neighbours = elements[e].neighbours(down);
                    if neighbours.is_empty() {
                        elements[e].x
                    } else {
                        neighbours.iter().map(|&n| elements[n].x).sum::<f64>()
                            / neighbours.len() as f64
                    }
                })
                .collect();
            solve_level(elements, &levels[l], &desired);
        }
    }
    let left = elements
        .iter()
        .map(|e| e.x - e.w / 2.0)
        .fold(f64::INFINITY, f64::min);
    if left.is_finite() {
        for e in elements.iter_mut() {
            // Snapped to an eighth of a pixel: the gaps are many pixels wide, so no box comes
            // closer to another, and routes that should be straight are exactly straight.
            e.x = ((e.x + MARGIN - left) * 8.0).round() / 8.0;
        }
    }
}

/// Places one level: the x positions nearest to `desired` (least squares) such that each
/// element keeps its place in the order with at least the gap between neighbours. With
/// `o` the offsets the gaps force, this is isotonic regression of `desired - o`, solved by
/// pool-adjacent-violators.
fn solve_level(elements: &mut [Element], level: &[usize], desired: &[f64]) {
    if level.is_empty() {
        return;
    }
    let mut offsets = vec![0.0; level.len()];
    for i in 1..level.len() {
        let (a, b) = (&elements[level[i - 1]], &elements[level[i]]);
        let gap = if a.role == Role::Dummy || b.role == Role::Dummy {
            DUMMY_GAP
        } else {
            GAP
        };
        offsets[i] = offsets[i - 1] + (a.w + b.w) / 2.0 + gap;
    }
    // Blocks of pooled values: (sum, count).
    let mut blocks: Vec<(f64, usize)> = Vec::new();
    for (d, o) in desired.iter().zip(&offsets) {
        blocks.push((d - o, 1));
        while blocks.len() >= 2 {
            let (s2, c2) = blocks[blocks.len() - 1];
            let (s1, c1) = blocks[blocks.len() - 2];
            if s1 / c1 as f64 > s2 / c2 as f64 {
                blocks.pop();
                let last = blocks.len() - 1;
                blocks[last] = (s1 + s2, c1 + c2);
            } else {
                break;
            }
        }
    }
    let mut i = 0;
    for (sum, count) in blocks {
        let value = sum / count as f64;
        for _ in 0..count {
            elements[level[i]].x = value + offsets[i];
            i += 1;
        }
    }
}

/// The top and height of every level, and the y of the track each element's outgoing
/// routes turn on (in the channel below its level).
fn verticals(
    elements: &[Element],
    levels: &[Vec<usize>],
) -> (Vec<f64>, Vec<f64>, HashMap<usize, f64>) {
    let heights: Vec<f64> = levels
        .iter()
        .map(|level| level.iter().map(|&e| elements[e].h).fold(0.0, f64::max))
        .collect();
    // Tracks: per channel, each element whose routes turn gets a track; elements whose
    // horizontal spans overlap get different tracks (greedy, left to right).
    let mut track_of: HashMap<usize, usize> = HashMap::new();
    let mut channel_tracks = vec![0usize; levels.len()];
    for (l, level) in levels.iter().enumerate() {
        let mut spans: Vec<(f64, f64, usize)> = level
            .iter()
            .filter_map(|&a| {
                let x = elements[a].x;
                let xs: Vec<f64> = elements[a]
                    .succs
                    .iter()
                    .filter(|&&b| jogs(&elements[a], &elements[b]))
                    .map(|&b| elements[b].x)
                    .collect();
                if xs.is_empty() {
                    return None;
                }
                let lo = xs.iter().copied().fold(x, f64::min);
                let hi = xs.iter().copied().fold(x, f64::max);
                Some((lo, hi, a))
            })
            .collect();
        spans.sort_by(|p, q| p.0.total_cmp(&q.0).then(p.2.cmp(&q.2)));
        let mut ends: Vec<f64> = Vec::new();
        for (lo, hi, a) in spans {
            let free = ends.iter().position(|&end| end + DUMMY_GAP <= lo);
            let t = match free {
                Some(t) => t,
                None => {
                    ends.push(f64::NEG_INFINITY);
                    ends.len() - 1
                }
            };
            ends[t] = hi;
            track_of.insert(a, t);
        }
        channel_tracks[l] = ends.len();
    }
    let mut tops = vec![MARGIN; levels.len()];
    for l in 1..levels.len() {
        let channel = 2.0 * CHANNEL_PAD + channel_tracks[l - 1].saturating_sub(1) as f64 * TRACK;
        tops[l] = tops[l - 1] + heights[l - 1] + channel;
    }
    let tracks = track_of
        .into_iter()
        .map(|(a, t)| {
            let l = elements[a].level;
            (a, tops[l] + heights[l] + CHANNEL_PAD + t as f64 * TRACK)
        })
        .collect();
    (tops, heights, tracks)
}

#[cfg(test)]
mod tests;
