//! Arbitrary bytes as one YAML file of a guide (a data file or `site.yaml`), through the
//! loader's decoding and limits, the validator and resolve.
//!
//! The file is the one the first line names, as every shipped file does
//! (`# yaml-language-server: $schema=../schema/offices.json`); without such a line the first
//! byte picks it. The other files are those of the guide `casepath init` writes, so a
//! shipped data file used as a seed decodes in full but its references to the shipped
//! guide's other records are reported as unknown.

#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

/// The files this target can stand in for, by the name of their schema.
const FILES: [(&str, &str); 7] = [
    ("sources", "data/sources.yaml"),
    ("offices", "data/offices.yaml"),
    ("channels", "data/channels.yaml"),
    ("policies", "data/policies.yaml"),
    ("paths", "data/paths.yaml"),
    ("flowchart", "data/flowchart.yaml"),
    ("site", "site.yaml"),
];

fn which(text: &str) -> &'static str {
    let first = text.lines().next().unwrap_or("");
    for (schema, rel) in FILES {
        if first.contains(&format!("schema/{schema}.json")) {
            return rel;
        }
    }
    FILES[text.bytes().next().unwrap_or(0) as usize % FILES.len()].1
}

fuzz_target!(|data: &[u8]| {
    let Some(text) = common::text(data) else {
        return;
    };
    let (content, diagnostics) = common::Guide::starter().content(&[(which(text), text)]);
    common::resolve(content, diagnostics);
});
