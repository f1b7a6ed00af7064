//! Arbitrary bytes as `content/data/flowchart.yaml` of the guide `casepath init` writes:
//! decoded, checked (one start, no loops, no dead ends, references), resolved for the
//! current view and every policy version, laid out and drawn as SVG.
//!
//! A chart whose references do not resolve in that guide (the shipped chart, as a seed)
//! stops at validation; so the layout is also run on the decoded nodes and answers
//! directly whenever they have no loop, as the layout requires.

#![no_main]

mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| common::flowchart(data));
