//! The outline of a YAML text that parses: its records, lists and values with their places,
//! which the errors of [`super::types`] use to find the record a place is in and to name it
//! ("office `help-desk`", "this item of `sources:`").

use serde_saphyr::granit_parser::{Event, Parser};

use super::{Pos, Text};

/// One node of the YAML: a record of keys, a list, or a single value.
#[derive(Debug)]
pub(super) struct Node {
    /// What it is.
    shape: Shape,
    /// Where it starts.
    pub(super) start: Pos,
    /// Where it ends.
    end: Pos,
    /// The node it is in.
    parent: Option<usize>,
    /// The key it is the value of, in a record.
    pub(super) key: Option<String>,
    /// For a record: its keys, each with its place.
    pub(super) keys: Vec<(String, Pos)>,
    /// For a single value: its text.
    pub(super) value: Option<String>,
}

/// The shape of a [`Node`].
#[derive(Debug, PartialEq)]
enum Shape {
    Record,
    List,
    Value,
}

/// A record or list not yet closed while reading events: its node, whether a key comes
/// next (in a record), and the key whose value comes next.
type Open = (usize, bool, Option<(String, Pos)>);

/// The nodes of a YAML text that parses, in document order.
#[derive(Debug, Default)]
pub(super) struct Outline {
    pub(super) nodes: Vec<Node>,
}

impl Outline {
    /// The outline of `yaml`, if it parses.
    pub(super) fn of(yaml: &str) -> Option<Outline> {
        let mut outline = Outline::default();
        // Open records and lists: the node, whether a key comes next, and the key read.
        let mut open: Vec<Open> = Vec::new();
        for event in Parser::new_from_str(yaml) {
            let (event, span) = event.ok()?;
            let start = (span.start.line(), span.start.col() + 1);
            let end = (span.end.line(), span.end.col() + 1);
            let parent = open.last().map(|(i, _, _)| *i);
            // The key this node is the value of, when its parent is a record.
            let mut key = None;
            if let Some((index, expecting_key, pending)) = open.last_mut() {
                if outline.nodes[*index].shape == Shape::Record {
                    if *expecting_key {
                        if let Event::Scalar(name, ..) = &event {
                            let name = name.to_string();
                            outline.nodes[*index].keys.push((name.clone(), start));
                            *pending = Some((name, start));
                            *expecting_key = false;
                            continue;
                        }
                        if matches!(event, Event::MappingEnd) {
                            // Handled below.
                        } else {
                            *expecting_key = false;
                        }
                    } else {
                        key = pending.take().map(|(k, _)| k);
                        *expecting_key = true;
                    }
                }
            }
            match event {
                Event::MappingStart(..) | Event::SequenceStart(..) => {
                    let shape = if matches!(event, Event::MappingStart(..)) {
                        Shape::Record
                    } else {
                        Shape::List
                    };
                    outline.nodes.push(Node {
                        shape,
                        start,
                        end: start,
                        parent,
                        key,
                        keys: Vec::new(),
                        value: None,
                    });
                    open.push((outline.nodes.len() - 1, true, None));
                }
                Event::MappingEnd | Event::SequenceEnd => {
                    if let Some((index, _, _)) = open.pop() {
                        outline.nodes[index].end = end;
                    }
                }
                Event::Scalar(value, ..) => outline.nodes.push(Node {
                    shape: Shape::Value,
                    start,
                    end,
                    parent,
                    key,
                    keys: Vec::new(),
                    value: Some(value.to_string()),
                }),
                _ => {}
            }
        }
        Some(outline)
    }

    /// The innermost record that holds `at`. A record ends where the next token starts, so
    /// a place at its end belongs to the record around it.
    pub(super) fn record_at(&self, at: Pos) -> Option<usize> {
        self.nodes
            .iter()
            .enumerate()
            .filter(|(_, n)| n.shape == Shape::Record && n.start <= at && at < n.end)
            .max_by_key(|(_, n)| n.start)
            .map(|(i, _)| i)
    }

    /// The single value or node that starts at `at`.
    pub(super) fn node_at(&self, at: Pos) -> Option<&Node> {
        self.nodes.iter().rev().find(|n| n.start == at)
    }

    /// How many lists and records hold node `index`.
    fn depth(&self, index: usize) -> usize {
        let mut depth = 0;
        let mut node = &self.nodes[index];
        while let Some(parent) = node.parent {
            depth += 1;
            node = &self.nodes[parent];
        }
        depth
    }

    /// The id written in record `index`, with its place.
    pub(super) fn id_of(&self, index: usize) -> Option<(&str, Pos)> {
        self.nodes
            .iter()
            .find(|n| n.parent == Some(index) && n.key.as_deref() == Some("id"))
            .and_then(|n| Some((n.value.as_deref()?, n.start)))
    }

    /// The top-level item that holds node `index`.
    fn top_item(&self, mut index: usize) -> Option<usize> {
        while let Some(parent) = self.nodes[index].parent {
            if self.nodes[parent].parent.is_none() {
                return Some(index);
            }
            index = parent;
        }
        None
    }
}

/// How a record is named in messages: "office `help-desk`", "this item of `sources:`",
/// "`wait:`".
pub(super) fn record_name(text: &Text, outline: &Outline, index: usize) -> String {
    let node = &outline.nodes[index];
    let top_level = text.item.is_some() && outline.depth(index) == 1;
    if top_level || (text.item.is_none() && node.parent.is_none()) {
        return match (outline.id_of(index), text.item) {
            (Some((id, _)), Some(item)) => format!("{item} `{id}`"),
            (None, Some(item)) => format!("this {item}"),
            (_, None) => text.whole.to_string(),
        };
    }
    let inside = outline
        .top_item(index)
        .filter(|top| *top != index && text.item.is_some())
        .and_then(|top| Some((text.item?, outline.id_of(top)?.0)));
    let inside = match inside {
        Some((item, id)) => format!(" (in {item} `{id}`)"),
        None => String::new(),
    };
    match (&node.key, node.parent.map(|p| &outline.nodes[p])) {
        (Some(key), _) => format!("`{key}:`{inside}"),
        (None, Some(list)) if list.shape == Shape::List => match &list.key {
            Some(key) => format!("this item of `{key}:`{inside}"),
            None => format!("this item{inside}"),
        },
        _ => format!("this record{inside}"),
    }
}
