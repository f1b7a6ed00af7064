//! The fuzz targets' code: a guide to put the fuzzed file into, the pipeline from its text
//! to the resolved site, in memory, as `casepath build` runs it up to the templates, and one
//! function per target. The test suite includes this file too (`tests/testsuite/main.rs`,
//! as module `fuzz`), so an input a fuzzer found is replayed by `cargo test` through the very
//! same code (`tests/testsuite/fuzz_regressions.rs`).
//!
//! Each target replaces one file of a guide with the fuzzed text, decodes every file as
//! `load` does, and runs validate and resolve. The guide is the small one `casepath init`
//! writes: decoding and resolving the shipped guide takes tens of milliseconds, which would
//! leave the fuzzer a few runs a second. Every diagnostic is rendered, because rendering
//! points a caret into the file at a line and column the fuzzed text decides.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

use std::collections::HashMap;

use casepath::diagnostic::{Diagnostics, SourceFile};
use casepath::load::schema::{
    ChannelRecord, FlowNodeRecord, KindRecord, OfficeRecord, ParameterRecord, PathRecord,
    PolicyRecord, SiteConfig, SourceRecord,
};
use casepath::load::{parse_markdown, parse_yaml, Content, DataFile};
use casepath::markdown::html_check::active_content;
use casepath::model::Site;
use casepath::render::flowchart::layout::{self, Graph, GraphEdge};
use casepath::render::flowchart::svg;
use serde::de::DeserializeOwned;

pub use casepath::load::DATA_FILES;

/// The files of a guide's `content/` folder, by path under it (`data/offices.yaml`).
pub struct Guide {
    files: BTreeMap<String, String>,
}

impl Guide {
    /// The small guide `casepath init` writes.
    pub fn starter() -> &'static Guide {
        static GUIDE: OnceLock<Guide> = OnceLock::new();
        GUIDE.get_or_init(|| {
            let dir =
                std::env::temp_dir().join(format!("casepath-fuzz-init-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            casepath::cmd::init::init(&dir, false).expect("casepath init writes the starter guide");
            let guide = Guide::read(&dir.join("content"));
            let _ = std::fs::remove_dir_all(&dir);
            guide
        })
    }

    /// Reads `site.yaml`, `data/*.yaml`, `sources/*` and `pages/**/*.md` under `content`.
    fn read(content: &Path) -> Guide {
        let mut files = BTreeMap::new();
        let mut add = |rel: String, path: &Path| {
            let text = std::fs::read_to_string(path)
                .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
            files.insert(rel, text);
        };
        add("site.yaml".into(), &content.join("site.yaml"));
        for dir in ["data", "sources", "pages"] {
            let Ok(entries) = std::fs::read_dir(content.join(dir)) else {
                continue;
            };
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                let keep = match dir {
                    "data" => DATA_FILES.contains(&name.as_str()),
                    "pages" => name.ends_with(".md"),
                    _ => true,
                };
                if keep && entry.path().is_file() {
                    add(format!("{dir}/{name}"), &entry.path());
                }
            }
        }
        assert!(files.len() > 3, "no guide under {}", content.display());
        Guide { files }
    }

    /// The texts of the guide with `replace` (path under `content/`, text) put in, decoded
    /// into [`Content`] as `load` decodes them; also returns the problems found.
    pub fn content(&self, replace: &[(&str, &str)]) -> (Content, Diagnostics) {
        let mut files: BTreeMap<&str, &str> = self
            .files
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        for &(rel, text) in replace {
            files.insert(rel, text);
        }
        let mut diagnostics = Diagnostics::new();
        let mut content = Content::default();
        let file = |rel: &str, text: &str| SourceFile::new(format!("content/{rel}"), text);

        if let Some(text) = files.get("site.yaml") {
            let site = file("site.yaml", text);
            if let Some(config) = parse_yaml::<SiteConfig>(&site, &mut diagnostics) {
                content.config = config;
            }
            content.site_file = Some(site);
        }
        let mut failed = Vec::new();
        let data = |name: &str| -> Option<SourceFile> {
            files
                .get(format!("data/{name}").as_str())
                .map(|text| file(&format!("data/{name}"), text))
        };
        content.sources = data_file::<SourceRecord>(
            data("sources.yaml"),
            "sources.yaml",
            &mut diagnostics,
            &mut failed,
        );
        content.offices = data_file::<OfficeRecord>(
            data("offices.yaml"),
            "offices.yaml",
            &mut diagnostics,
            &mut failed,
        );
        content.channels = data_file::<ChannelRecord>(
            data("channels.yaml"),
            "channels.yaml",
            &mut diagnostics,
            &mut failed,
        );
        content.parameters = data_file::<ParameterRecord>(
            data("parameters.yaml"),
            "parameters.yaml",
            &mut diagnostics,
            &mut failed,
        );
        content.kinds = data_file::<KindRecord>(
            data("kinds.yaml"),
            "kinds.yaml",
            &mut diagnostics,
            &mut failed,
        );
        content.policies = data_file::<PolicyRecord>(
            data("policies.yaml"),
            "policies.yaml",
            &mut diagnostics,
            &mut failed,
        );
        content.paths = data_file::<PathRecord>(
            data("paths.yaml"),
            "paths.yaml",
            &mut diagnostics,
            &mut failed,
        );
        content.flowchart = data_file::<FlowNodeRecord>(
            data("flowchart.yaml"),
            "flowchart.yaml",
            &mut diagnostics,
            &mut failed,
        );
        content.failed = failed;

        for (rel, text) in &files {
            if let Some(name) = rel.strip_prefix("sources/") {
                content.documents.insert(name.to_string(), file(rel, text));
            }
        }
        for (rel, text) in &files {
            if let Some(page) = rel.strip_prefix("pages/") {
                if let Some(page) =
                    parse_markdown(page.to_string(), file(rel, text), &mut diagnostics)
                {
                    content.pages.push(page);
                }
            }
        }
        (content, diagnostics)
    }
}

/// One data file as `load` reads it; a missing file has no records.
fn data_file<T: DeserializeOwned + Clone + Send + 'static>(
    file: Option<SourceFile>,
    name: &str,
    diagnostics: &mut Diagnostics,
    failed: &mut Vec<String>,
) -> DataFile<T> {
    match file {
        Some(file) => casepath::load::data_file(file, name, diagnostics, failed),
        None => DataFile::default(),
    }
}

/// Validates and resolves `content`, renders every diagnostic, and returns the site when
/// it resolved.
pub fn resolve(content: Content, load_errors: Diagnostics) -> Option<Site> {
    let result = casepath::validate::validate(content, load_errors)
        .map(|validated| casepath::resolve::resolve(&validated))
        .map(|resolved| casepath::views::build(resolved, &Default::default()));
    match result {
        Ok(site) => Some(site),
        Err(diagnostics) => {
            render(&diagnostics);
            None
        }
    }
}

/// Renders diagnostics as the terminal shows them; each must point into its file.
pub fn render(diagnostics: &Diagnostics) {
    for diagnostic in &diagnostics.0 {
        let _ = diagnostic.position();
        std::hint::black_box(diagnostic.render(false));
    }
}

/// The fuzzed bytes as text, as `load` reads a file: anything but UTF-8 is refused before
/// decoding, so it is not interesting here.
pub fn text(data: &[u8]) -> Option<&str> {
    std::str::from_utf8(data).ok()
}

// ---------------------------------------------------------------------------------------------
// the targets (each fuzz_targets/<name>.rs calls its function;
// tests/testsuite/fuzz_regressions.rs replays found inputs through the same functions)

/// `yaml_loader`: the bytes as the YAML file the first line names (see [`which`]).
pub fn yaml_loader(data: &[u8]) {
    let Some(text) = text(data) else {
        return;
    };
    let (content, diagnostics) = Guide::starter().content(&[(which(text), text)]);
    resolve(content, diagnostics);
}

/// The files `yaml_loader` can stand in for, by the name of their schema.
const FILES: [(&str, &str); 9] = [
    ("sources", "data/sources.yaml"),
    ("offices", "data/offices.yaml"),
    ("channels", "data/channels.yaml"),
    ("policies", "data/policies.yaml"),
    ("paths", "data/paths.yaml"),
    ("flowchart", "data/flowchart.yaml"),
    ("site", "site.yaml"),
    ("parameters", "data/parameters.yaml"),
    ("kinds", "data/kinds.yaml"),
];

pub fn which(text: &str) -> &'static str {
    let first = text.lines().next().unwrap_or("");
    for (schema, rel) in FILES {
        if first.contains(&format!("schema/{schema}.json")) {
            return rel;
        }
    }
    FILES[text.bytes().next().unwrap_or(0) as usize % FILES.len()].1
}

/// Where `markdown` puts the page.
const PAGE: &str = "pages/guide/page.md";

/// `markdown`: the bytes as a page with front matter, alone and in a guide.
pub fn markdown(data: &[u8]) {
    let Some(text) = text(data) else {
        return;
    };
    // The page alone, as the loader splits it.
    let mut diagnostics = Diagnostics::new();
    let file = SourceFile::new(format!("content/{PAGE}"), text);
    if let Some(page) = parse_markdown("guide/page.md".into(), file, &mut diagnostics) {
        std::hint::black_box(casepath::markdown::plain_text(page.body()));
        std::hint::black_box(casepath::markdown::slugify(&page.front.title));
    }
    render(&diagnostics);

    // The page in a guide.
    let (content, diagnostics) = Guide::starter().content(&[(PAGE, text)]);
    resolve(content, diagnostics);
}

/// `html_check`: the bytes as raw HTML, and as the body of a Markdown page rendered with
/// its links kept as written. Whatever the check accepts must come out inert: read again
/// by a tokenizer, the HTML has no `on…=` event attribute and no `javascript:`, `vbscript:`
/// or `data:` address (see `markdown::html_check::active_content`).
pub fn html_check(data: &[u8]) {
    let Some(text) = text(data) else {
        return;
    };
    if casepath::markdown::html_check::check(text).is_empty() {
        if let Some(found) = active_content(text) {
            panic!("the HTML check accepted {found}:\n{text}");
        }
    }

    let file = SourceFile::new(
        "content/pages/page.md",
        format!("---\ntitle: Page\n---\n{text}"),
    );
    let mut diagnostics = Diagnostics::new();
    let Some(page) = parse_markdown("page.md".into(), file, &mut diagnostics) else {
        render(&diagnostics);
        return;
    };
    let problems = casepath::markdown::check(&page, |_| Ok(()));
    let html = casepath::markdown::to_html(&page, |_| None);
    if problems.is_empty() {
        if let Some(found) = active_content(&html) {
            panic!("a page the HTML check accepted has {found}:\n{text}\n--- rendered:\n{html}");
        }
    }
    render(&Diagnostics(problems));
}

/// `flowchart`: the bytes as `flowchart.yaml`; the nodes as written are laid out when
/// they have no loop, and the chart of the guide is resolved, laid out and drawn.
pub fn flowchart(data: &[u8]) {
    let Some(text) = text(data) else {
        return;
    };

    // The layout of the nodes as written.
    let file = SourceFile::new("content/data/flowchart.yaml", text);
    let mut diagnostics = Diagnostics::new();
    if let Some(records) = parse_yaml::<Vec<FlowNodeRecord>>(&file, &mut diagnostics) {
        if let Some(graph) = acyclic_graph(&records) {
            check(&layout::layout(&graph));
        }
    }

    // The chart in a guide.
    let (content, diagnostics) = Guide::starter().content(&[("data/flowchart.yaml", text)]);
    let Some(site) = resolve(content, diagnostics) else {
        return;
    };
    let charts = site
        .flowchart
        .iter()
        .chain(site.views.iter().filter_map(|v| v.flowchart.as_ref()));
    for chart in charts {
        let laid = layout::layout(&svg::graph(chart));
        check(&laid);
        std::hint::black_box(svg::draw(chart, &laid, "../"));
    }
}

/// The graph of the records (edges to unknown ids left out), or `None` when it has a loop.
fn acyclic_graph(records: &[FlowNodeRecord]) -> Option<Graph> {
    let index: HashMap<&str, usize> = records
        .iter()
        .enumerate()
        .map(|(i, n)| (n.id.value.as_str(), i))
        .collect();
    let mut edges = Vec::new();
    for (from, node) in records.iter().enumerate() {
        for option in &node.options {
            if let Some(&to) = index.get(option.to.value.as_str()) {
                edges.push(GraphEdge {
                    from,
                    to,
                    label: option.label.value.clone(),
                });
            }
        }
    }
    // Kahn's algorithm: every node is removed only when the graph has no loop.
    let mut indegree = vec![0usize; records.len()];
    let mut successors = vec![Vec::new(); records.len()];
    for edge in &edges {
        indegree[edge.to] += 1;
        successors[edge.from].push(edge.to);
    }
    let mut ready: Vec<usize> = (0..records.len()).filter(|&i| indegree[i] == 0).collect();
    let mut removed = 0;
    while let Some(i) = ready.pop() {
        removed += 1;
        for &to in &successors[i] {
            indegree[to] -= 1;
            if indegree[to] == 0 {
                ready.push(to);
            }
        }
    }
    (removed == records.len()).then(|| Graph {
        nodes: records.iter().map(|n| n.text.value.clone()).collect(),
        edges,
    })
}

/// What any layout must be: a drawing of finite size with every box inside it.
fn check(laid: &layout::Layout) {
    assert!(laid.width.is_finite() && laid.height.is_finite());
    for node in &laid.nodes {
        let r = node.rect;
        assert!(r.x.is_finite() && r.y.is_finite() && r.w.is_finite() && r.h.is_finite());
    }
}
