//! The shape of the engine, checked from its source: the pipeline runs one way, and no
//! file or function grows past what one can read in a sitting without a stated reason.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The top-level modules of `src/`, in pipeline order: each may use only those before it.
/// `diagnostic` and `build_date` are helpers every stage may use, and `strings` the string
/// table (the words of the pages) that load reads and every later stage looks up; `markdown` is the
/// Markdown reader the load, validate, resolve and views stages share; `model` holds the
/// types and `urls` every URL; `cmd` is what only the command line needs.
const ORDER: [&str; 17] = [
    "diagnostic",
    "build_date",
    "strings",
    "load",
    "markdown",
    "model",
    "urls",
    "validate",
    "translate",
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

/// About as long as a function of the engine should be, from its `fn` line to its closing
/// brace. A longer one says why in its doc comment, in a sentence beginning "Long because".
const MAX_FN_LINES: usize = 80;

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

/// `text` with every comment, string literal and character literal blanked out by spaces,
/// line breaks kept, so that braces and `fn` in them are not seen and every byte keeps its
/// line. Lifetimes (`'a`) are left alone.
fn blank_literals(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let blank = |out: &mut String, c: char| out.push(if c == '\n' { '\n' } else { ' ' });
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        let end = if c == '/' && next == Some('/') {
            // A line comment, to the end of the line.
            (i..chars.len())
                .find(|&j| chars[j] == '\n')
                .unwrap_or(chars.len())
        } else if c == '/' && next == Some('*') {
            // A block comment; they nest.
            let (mut depth, mut j) = (0, i);
            while j < chars.len() {
                match (chars[j], chars.get(j + 1)) {
                    ('/', Some('*')) => (depth, j) = (depth + 1, j + 2),
                    ('*', Some('/')) => (depth, j) = (depth - 1, j + 2),
                    _ => j += 1,
                }
                if depth == 0 {
                    break;
                }
            }
            j
        } else if c == 'r'
            && (i == 0 || !ident(chars[i - 1]) || chars[i - 1] == 'b')
            && matches!(next, Some('"' | '#'))
            && chars[i + 1..]
                .iter()
                .find(|&&c| c != '#')
                .is_some_and(|&c| c == '"')
        {
            // A raw string, r"…" or r#"…"#: it ends at a quote followed by as many `#`.
            let hashes = chars[i + 1..].iter().take_while(|&&c| c == '#').count();
            let closing: Vec<char> = std::iter::once('"')
                .chain(std::iter::repeat_n('#', hashes))
                .collect();
            let body = i + 2 + hashes;
            (body..chars.len())
                .find(|&j| chars[j..].starts_with(&closing))
                .map_or(chars.len(), |j| j + closing.len())
        } else if c == '"' {
            // A string, with escapes.
            let mut j = i + 1;
            while j < chars.len() && chars[j] != '"' {
                j += if chars[j] == '\\' { 2 } else { 1 };
            }
            j + 1
        } else if c == '\'' && next == Some('\\') {
            // An escaped character: '\n', '\'', '\u{1b}'.
            (i + 3..chars.len())
                .find(|&j| chars[j] == '\'')
                .map_or(chars.len(), |j| j + 1)
        } else if c == '\'' && chars.get(i + 2) == Some(&'\'') {
            // A character: 'x'.
            i + 3
        } else {
            out.push(c);
            i += 1;
            continue;
        };
        let end = end.min(chars.len());
        for &c in &chars[i..end] {
            blank(&mut out, c);
        }
        i = end;
    }
    out
}

/// A function of the engine that is longer than [`MAX_FN_LINES`].
#[derive(Debug, PartialEq)]
struct LongFn {
    /// Its name.
    name: String,
    /// The line of its `fn`, from 1.
    line: usize,
    /// Its length in lines, from the `fn` line to the closing brace.
    lines: usize,
    /// Whether its doc comment gives a reason ("Long because …").
    reason: bool,
}

/// The functions of one file's code (its unit tests left out) longer than
/// [`MAX_FN_LINES`], with whether each says why in its doc comment.
fn long_functions(text: &str) -> Vec<LongFn> {
    let text = match text.find("#[cfg(test)]") {
        Some(i) => &text[..i],
        None => text,
    };
    let code = blank_literals(text);
    let lines: Vec<&str> = text.lines().collect();
    let bytes = code.as_bytes();
    let line_of = |at: usize| code[..at].matches('\n').count();
    let ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let mut found = Vec::new();
    for (at, _) in code.match_indices("fn ") {
        if at > 0 && ident(bytes[at - 1]) {
            continue;
        }
        let name: String = code[at + 3..]
            .trim_start()
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if name.is_empty() {
            continue; // a function pointer type, `fn(&str)`
        }
        // The body: the first `{` outside the signature's brackets (none for a declaration).
        let mut depth = 0i32;
        let mut open = None;
        for (i, &b) in bytes.iter().enumerate().skip(at) {
            match b {
                b'(' | b'[' => depth += 1,
                b')' | b']' => depth -= 1,
                b';' if depth == 0 => break,
                b'{' if depth == 0 => {
                    open = Some(i);
                    break;
                }
                _ => {}
            }
        }
        let Some(open) = open else { continue };
        let mut depth = 0;
        let close = (open..bytes.len()).find(|&i| {
            match bytes[i] {
                b'{' => depth += 1,
                b'}' => depth -= 1,
                _ => {}
            }
            depth == 0
        });
        let first = line_of(at);
        let last = close.map_or(lines.len().saturating_sub(1), line_of);
        let length = last - first + 1;
        if length <= MAX_FN_LINES {
            continue;
        }
        // The doc comment and attributes just above the `fn` line.
        let reason = lines[..first]
            .iter()
            .rev()
            .map(|l| l.trim_start())
            .take_while(|l| l.starts_with("///") || l.starts_with("#["))
            .any(|l| l.contains("Long because"));
        found.push(LongFn {
            name,
            line: first + 1,
            lines: length,
            reason,
        });
    }
    found
}

#[test]
fn no_function_is_longer_than_about_80_lines_without_a_reason() {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let mut long = Vec::new();
    for (rel, text) in &files {
        for f in long_functions(text) {
            if !f.reason {
                long.push(format!(
                    "src/{rel}:{}: `{}` is {} lines",
                    f.line, f.name, f.lines
                ));
            }
        }
    }
    assert!(
        long.is_empty(),
        "split these functions, or say in their doc comments why they are long, in a \
         sentence beginning \"Long because\":\n{}",
        long.join("\n")
    );
}

#[test]
fn the_function_check_sees_a_long_function_without_a_reason() {
    // The check above must be able to fail. Braces, quotes and `fn` in strings, characters
    // and comments do not count; lifetimes are not characters; unit tests are left out.
    let tricky = r##"    let s = "}\" fn no() {"; let c = '}'; let e = '\''; // }
    let r = r#"}""#; /* } /* } */ fn nor() { */ let q = '{'; let u = '\u{7b}';
"##;
    let body = |lines: usize| "    let x = 1;\n".repeat(lines - 2);
    let text = format!(
        "/// Short.\nfn short<'a>(x: &'a str) -> &'a str {{\n{tricky}    x\n}}\n\n\
         /// Just short enough.\nfn exactly() {{\n{}}}\n\n\
         /// Too long.\n#[allow(unused)]\npub fn long(x: [u8; 2]) {{\n{}}}\n\n\
         /// Long too.\n///\n/// Long because it must be.\nfn long_with_reason() {{\n{}}}\n\n\
         #[cfg(test)]\nmod tests {{\n    fn long_test() {{\n{}    }}\n}}\n",
        body(MAX_FN_LINES),
        body(MAX_FN_LINES + 1),
        body(MAX_FN_LINES + 1),
        body(MAX_FN_LINES + 1),
    );
    let line = |of: &str| text[..text.find(of).unwrap()].lines().count() + 1;
    assert_eq!(
        long_functions(&text),
        vec![
            LongFn {
                name: "long".into(),
                line: line("pub fn long("),
                lines: MAX_FN_LINES + 1,
                reason: false,
            },
            LongFn {
                name: "long_with_reason".into(),
                line: line("fn long_with_reason"),
                lines: MAX_FN_LINES + 1,
                reason: true,
            },
        ]
    );
}

/// Words that belong to the shipped guide (its agency, offices and forms), never to the
/// engine: casepath is for any guide, so `src/` (code, unit tests and the starter guide of
/// `casepath init`) says none of them. Matched without regard to case.
const GUIDE_WORDS: [&str; 12] = [
    "uscis",
    "immigration",
    "ombudsman",
    "ncsc",
    "service center",
    "service-center",
    "contact center",
    "a-number",
    "alien",
    "receipt notice",
    "dhs.gov",
    "green card",
];

/// Every file under `dir`, with its path relative to `src/`, read as text where it is text.
fn all_text_files(dir: &Path, found: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            all_text_files(&path, found);
        } else if let Ok(text) = std::fs::read_to_string(&path) {
            let rel = path.strip_prefix(src()).unwrap().to_string_lossy();
            found.push((rel.into_owned(), text));
        }
    }
}

#[test]
fn no_word_of_the_shipped_guide_is_in_the_engine() {
    let mut files = Vec::new();
    all_text_files(&src(), &mut files);
    assert!(files.len() > 50, "only {} files under src/", files.len());
    let mut found = Vec::new();
    for (rel, text) in &files {
        for (n, line) in text.lines().enumerate() {
            let lower = line.to_lowercase();
            for word in GUIDE_WORDS {
                if lower.contains(word) {
                    found.push(format!("src/{rel}:{}: `{word}`: {}", n + 1, line.trim()));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "the engine names the shipped guide; use the guide's data or a neutral example:\n{}",
        found.join("\n")
    );
}
