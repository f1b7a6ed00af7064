//! The decision flowchart, resolved for one view of the policy versions.

use serde::Serialize;

use super::{Citation, FactView, Link};
use super::{ContactView, WaitView};
use crate::load::schema::NodeKind;

/// The placeholder a node text or answer label writes where its wait goes.
pub const WAIT_PLACEHOLDER: &str = "{wait}";

/// The key of the string table whose words are shown for `{wait}` when a policy version
/// states no number for the parameter ("a while").
pub const UNSTATED_WAIT: &str = "wait.unstated";

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
