//! The shape of the engine, checked from its source: the pipeline runs one way, and no
//! file grows past what one can read in a sitting without a stated reason.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The top-level modules of `src/`, in pipeline order: each may use only those before it.
/// `diagnostic` and `build_date` are helpers every stage may use, and `strings` the string
/// table (the words of the pages) that load reads and every later stage looks up; `markdown` is the
/// Markdown reader the load, validate, resolve and views stages share; `model` holds the
/// types and `urls` every URL; `cmd` is what only the command line needs.
const ORDER: [&str; 16] = [
    "diagnostic",
    "build_date",
    "strings",
    "load",
    "markdown",
    "model",
    "urls",
    "validate",
    "resolve",
    "views",
    "plan",
    "render",
    "publish",
    "check",
    "write",
    "cmd",
];

/// Files allowed past [`MAX_LINES`], each with the reason it stays whole.
const LONG_FILES: [(&str, &str); 0] = [];

/// About as long as a file of the engine should be.
const MAX_LINES: usize = 800;

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every `.rs` file under `dir`, with its path relative to `src/`.
fn rust_files(dir: &Path, found: &mut Vec<(String, String)>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().flatten().collect();
    entries.sort_by_key(|e| e.path());
    for entry in entries {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let rel = path
                .strip_prefix(src())
                .unwrap()
                .to_string_lossy()
                .into_owned();
            found.push((rel, std::fs::read_to_string(&path).unwrap()));
        }
    }
}

/// The code of a file without comments and without its unit tests.
fn code(text: &str) -> String {
    let text = match text.find("#[cfg(test)]") {
        Some(i) => &text[..i],
        None => text,
    };
    text.lines()
        .map(|line| match line.find("//") {
            Some(i) => &line[..i],
            None => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Top-level module → the top-level modules its code names through `crate::`.
fn module_graph() -> BTreeMap<String, BTreeSet<String>> {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (rel, text) in files {
        let top = rel
            .split('/')
            .next()
            .unwrap()
            .trim_end_matches(".rs")
            .to_string();
        if top == "lib" || top == "main" {
            continue;
        }
        let used = graph.entry(top.clone()).or_default();
        let code = code(&text);
        for (i, _) in code.match_indices("crate::") {
            let name: String = code[i + 7..]
                .chars()
                .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                .collect();
            if ORDER.contains(&name.as_str()) && name != top {
                used.insert(name);
            }
        }
    }
    graph
}

#[test]
fn every_module_uses_only_the_stages_before_it() {
    let graph = module_graph();
    let rank = |m: &str| ORDER.iter().position(|o| *o == m);
    let mut wrong = Vec::new();
    for (module, used) in &graph {
        let Some(r) = rank(module) else {
            wrong.push(format!(
                "`{module}` is not in the pipeline order of this test"
            ));
            continue;
        };
        for u in used {
            if rank(u).is_some_and(|ru| ru > r) {
                wrong.push(format!("`{module}` uses `{u}`, a later stage"));
            }
        }
    }
    let shown: Vec<String> = graph
        .iter()
        .map(|(m, used)| {
            format!(
                "{m} -> {}",
                used.iter().cloned().collect::<Vec<_>>().join(", ")
            )
        })
        .collect();
    assert!(
        wrong.is_empty(),
        "{}\n\nthe graph:\n{}",
        wrong.join("\n"),
        shown.join("\n")
    );
}

#[test]
fn the_module_check_sees_a_backward_use() {
    // The check above must be able to fail: a stage naming a later one is found.
    let code = code("use crate::render::Output; // crate::cmd in a comment\n");
    assert!(code.contains("crate::render"));
    assert!(!code.contains("crate::cmd"));
}

#[test]
fn no_file_is_longer_than_about_800_lines_without_a_reason() {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let long: Vec<String> = files
        .iter()
        .filter(|(_, text)| text.lines().count() > MAX_LINES)
        .filter(|(rel, _)| !LONG_FILES.iter().any(|(f, _)| f == rel))
        .map(|(rel, text)| format!("src/{rel}: {} lines", text.lines().count()))
        .collect();
    assert!(
        long.is_empty(),
        "split these files, or list them with a reason:\n{}",
        long.join("\n")
    );
}
