//! Stage 1, **load**: find and read everything under the site root.
//!
//! Reads `content/site.yaml`, the data files in `content/data/`, the source texts in
//! `content/sources/`, the Markdown pages in `content/pages/**/*.md` (with their YAML front
//! matter) and the theme's templates and static files. YAML is decoded with serde-saphyr
//! into the types of [`schema`]; every syntax error, unknown key and wrong type becomes a
//! [`Diagnostic`] with the file, line and column. A file that fails to decode is reported
//! and the other files are still read, so one run reports every broken file.
//!
//! This stage knows nothing about references between records: that is [`crate::validate`].

pub mod schema;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use walkdir::WalkDir;

use crate::diagnostic::{Diagnostic, Diagnostics, Location, SourceFile};
use schema::*;

/// Everything read from the site root, decoded but not yet cross-checked.
#[derive(Debug, Default)]
pub struct Content {
    /// The site root.
    pub root: PathBuf,
    /// `content/site.yaml` (defaults when absent).
    pub config: SiteConfig,
    /// Records of `content/data/sources.yaml`.
    pub sources: DataFile<SourceRecord>,
    /// Records of `content/data/offices.yaml`.
    pub offices: DataFile<OfficeRecord>,
    /// Records of `content/data/channels.yaml`.
    pub channels: DataFile<ChannelRecord>,
    /// Records of `content/data/policies.yaml`.
    pub policies: DataFile<PolicyRecord>,
    /// Records of `content/data/paths.yaml`.
    pub paths: DataFile<PathRecord>,
    /// Nodes of `content/data/flowchart.yaml`.
    pub flowchart: DataFile<FlowNodeRecord>,
    /// The texts of `content/sources/`, by file name.
    pub documents: BTreeMap<String, SourceFile>,
    /// The Markdown pages, sorted by path.
    pub pages: Vec<MarkdownFile>,
    /// The theme.
    pub theme: Theme,
    /// Data files that could not be read or decoded (`offices.yaml`, …).
    pub failed: Vec<String>,
}

/// The records of one data file, and the file itself for diagnostics.
#[derive(Debug)]
pub struct DataFile<T> {
    /// The file (empty text when the file does not exist).
    pub file: SourceFile,
    /// Its records, in file order.
    pub records: Vec<T>,
}

impl<T> Default for DataFile<T> {
    fn default() -> Self {
        DataFile {
            file: SourceFile::new("", ""),
            records: Vec::new(),
        }
    }
}

impl Content {
    /// True when the data file `name` (`offices.yaml`, …) failed to load.
    pub fn failed(&self, name: &str) -> bool {
        self.failed.iter().any(|f| f == name)
    }

    /// The names of all policy parameters any version states, sorted, each once.
    pub fn parameter_names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self
            .policies
            .records
            .iter()
            .flat_map(|p| p.parameters.keys().map(String::as_str))
            .collect();
        names.sort_unstable();
        names.dedup();
        names
    }
}

impl<T> DataFile<T> {
    /// The ids of the records, in file order (`id` says where a record keeps its id).
    pub fn ids(&self, id: impl Fn(&T) -> &Spanned<String>) -> Vec<&str> {
        self.records.iter().map(|r| id(r).value.as_str()).collect()
    }

    /// A location inside this file from a serde-saphyr location.
    pub fn at(&self, location: &serde_saphyr::Location, len: usize) -> Location {
        at(&self.file, location, len)
    }
}

/// A location inside `file` from a serde-saphyr location.
pub fn at(file: &SourceFile, location: &serde_saphyr::Location, len: usize) -> Location {
    Location::new(
        file,
        location.line() as usize,
        location.column() as usize,
        len,
    )
}

/// A Markdown page with its front matter.
#[derive(Debug)]
pub struct MarkdownFile {
    /// Path relative to `content/pages/`, with `/` separators (`guide/intro.md`).
    pub rel_path: String,
    /// The whole file.
    pub file: SourceFile,
    /// The decoded front matter.
    pub front: FrontMatter,
    /// Byte offset of the Markdown body in the file.
    pub body_start: usize,
}

impl MarkdownFile {
    /// The Markdown body, after the front matter.
    pub fn body(&self) -> &str {
        &self.file.text[self.body_start..]
    }
}

/// The templates and static files of the theme.
#[derive(Debug, Default)]
pub struct Theme {
    /// Templates: the name (path relative to `templates/`) and the file.
    pub templates: Vec<(String, SourceFile)>,
    /// Static files: path relative to `static/` and contents.
    pub static_files: Vec<(String, Vec<u8>)>,
}

/// Reads the site under `root`. Files that fail to read or decode are reported in the
/// returned diagnostics, listed in [`Content::failed`] and left empty, so that the next
/// stage can still check the rest; only a missing `content/` folder stops here.
pub fn load(root: &Path) -> Result<(Content, Diagnostics), Diagnostics> {
    let mut diagnostics = Diagnostics::new();
    let content_dir = root.join("content");
    if !content_dir.is_dir() {
        return Err(
            Diagnostic::new(format!("no `content` folder in {}", root.display()))
                .with_hint("run casepath in the folder that holds `content/`, or pass `--root DIR`")
                .into(),
        );
    }
    let mut content = Content {
        root: root.to_path_buf(),
        ..Content::default()
    };

    let config_path = content_dir.join("site.yaml");
    if config_path.is_file() {
        if let Some(file) = read_text(root, &config_path, &mut diagnostics) {
            if let Some(config) = decode::<SiteConfig>(&file, &file.text, 0, &mut diagnostics) {
                content.config = config;
            }
        }
    }

    let data_dir = content_dir.join("data");
    let mut failed = Vec::new();
    let mut problems = (&mut diagnostics, &mut failed);
    content.sources = load_data(root, &data_dir, "sources.yaml", &mut problems);
    content.offices = load_data(root, &data_dir, "offices.yaml", &mut problems);
    content.channels = load_data(root, &data_dir, "channels.yaml", &mut problems);
    content.policies = load_data(root, &data_dir, "policies.yaml", &mut problems);
    content.paths = load_data(root, &data_dir, "paths.yaml", &mut problems);
    content.flowchart = load_data(root, &data_dir, "flowchart.yaml", &mut problems);
    content.failed = failed;
    warn_unknown_data_files(root, &data_dir, &mut diagnostics);

    for path in files_under(&content_dir.join("sources"), &mut diagnostics) {
        if let Some(file) = read_text(root, &path, &mut diagnostics) {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            content.documents.insert(name, file);
        }
    }

    let pages_dir = content_dir.join("pages");
    for path in files_under(&pages_dir, &mut diagnostics) {
        if path.extension().and_then(|e| e.to_str()) != Some("md") {
            continue;
        }
        if let Some(page) = load_markdown(root, &pages_dir, &path, &mut diagnostics) {
            content.pages.push(page);
        }
    }

    let theme_name = content.config.theme.as_deref().unwrap_or("default");
    content.theme = load_theme(root, theme_name, &mut diagnostics);

    Ok((content, diagnostics))
}

/// Reads the data file `name` of records; a missing file is an empty list. A file that
/// fails is reported and its name added to the failed list.
fn load_data<T: DeserializeOwned>(
    root: &Path,
    data_dir: &Path,
    name: &str,
    (diagnostics, failed): &mut (&mut Diagnostics, &mut Vec<String>),
) -> DataFile<T> {
    let path = data_dir.join(name);
    if !path.exists() {
        return DataFile::default();
    }
    let Some(file) = read_text(root, &path, diagnostics) else {
        failed.push(name.to_string());
        return DataFile::default();
    };
    if file.text.trim().is_empty() {
        return DataFile {
            file,
            records: Vec::new(),
        };
    }
    match decode::<Vec<T>>(&file, &file.text, 0, diagnostics) {
        Some(records) => DataFile { file, records },
        None => {
            failed.push(name.to_string());
            DataFile {
                file,
                records: Vec::new(),
            }
        }
    }
}

/// The data files casepath reads; any other YAML file in `content/data/` is a mistake.
const DATA_FILES: [&str; 6] = [
    "sources.yaml",
    "offices.yaml",
    "channels.yaml",
    "policies.yaml",
    "paths.yaml",
    "flowchart.yaml",
];

fn warn_unknown_data_files(root: &Path, data_dir: &Path, diagnostics: &mut Diagnostics) {
    let Ok(entries) = fs::read_dir(data_dir) else {
        return;
    };
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".yaml") || n.ends_with(".yml"))
        .collect();
    names.sort();
    for name in names {
        if !DATA_FILES.contains(&name.as_str()) {
            diagnostics.push(
                Diagnostic::new(format!(
                    "unknown data file `{}`",
                    display_path(root, &data_dir.join(&name))
                ))
                .with_hint(format!(
                    "the data files are {}; rename the file or move it out of content/data/",
                    DATA_FILES.join(", ")
                )),
            );
        }
    }
}

/// Decodes YAML text that starts `line_offset` lines into `file`.
fn decode<T: DeserializeOwned>(
    file: &SourceFile,
    yaml: &str,
    line_offset: usize,
    diagnostics: &mut Diagnostics,
) -> Option<T> {
    if yaml.len() > MAX_YAML_BYTES {
        diagnostics.push(
            Diagnostic::new(format!(
                "{} is too large to read: {} bytes of YAML, and the limit is {} bytes (8 MiB)",
                file.path,
                yaml.len(),
                MAX_YAML_BYTES
            ))
            .with_hint("split the data, or remove what the guide does not need"),
        );
        return None;
    }
    // When the typed reading fails, the raw YAML is read again whatever its shape: if it
    // breaks a limit (an alias bomb, deep nesting), that is the error to show.
    let checked = serde_saphyr::from_str_with_options::<T>(yaml, yaml_options()).map_err(|typed| {
        match serde_saphyr::from_str_with_options::<serde::de::IgnoredAny>(yaml, yaml_options()) {
            Err(raw) if is_limit(&raw.to_string()) => raw,
            _ => typed,
        }
    });
    match checked {
        Ok(value) => Some(value),
        Err(error) => {
            let message = error.without_snippet().to_string();
            // Drop the trailing " at line L, column C": the location is shown below.
            let message = match message.rsplit_once(" at line ") {
                Some((head, tail))
                    if tail
                        .split(", column ")
                        .all(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())) =>
                {
                    head.to_string()
                }
                _ => message,
            };
            let diagnostic = match error.location() {
                Some(location) => {
                    let len = (location.span().len() as usize).max(1);
                    let mut loc = at(file, &location, len);
                    loc.line += line_offset;
                    Diagnostic::at(loc, message.clone()).with_label(short_label(&message))
                }
                None => Diagnostic::new(format!("{}: {}", file.path, message)),
            };
            diagnostics.push(with_yaml_hint(diagnostic, &message));
            None
        }
    }
}

/// The largest YAML text (a data file or a page's front matter) casepath reads.
pub const MAX_YAML_BYTES: usize = 8 * 1024 * 1024;

/// Parser limits for YAML written by volunteers and changed through pull requests: deep
/// nesting, alias expansion ("billion laughs") and huge scalars are refused in bounded
/// time and memory, with an error that names the file and the limit.
fn yaml_options() -> serde_saphyr::Options {
    let mut options = serde_saphyr::Options::default();
    let mut budget = serde_saphyr::Budget::default();
    budget.max_depth = 32;
    budget.max_nodes = 200_000;
    budget.max_aliases = 1_000;
    budget.max_anchors = 1_000;
    budget.max_total_scalar_bytes = MAX_YAML_BYTES;
    options.budget = Some(budget);
    options.alias_limits.max_total_replayed_events = 100_000;
    options
}

/// True for the errors of the parser's limits (budget, alias replay).
fn is_limit(message: &str) -> bool {
    message.contains("limit exceeded") || message.contains("budget")
}

/// The caret label for a YAML error: its message without the list of allowed keys.
fn short_label(message: &str) -> String {
    match message.split_once(", expected one of") {
        Some((head, _)) => head.to_string(),
        None => message.to_string(),
    }
}

/// Adds a hint that says how to fix the common YAML mistakes.
fn with_yaml_hint(diagnostic: Diagnostic, message: &str) -> Diagnostic {
    if let Some((_, allowed)) = message
        .strip_prefix("unknown field")
        .and_then(|m| m.split_once("expected one of "))
    {
        diagnostic.with_hint(format!("the keys allowed here are: {allowed}"))
    } else if is_limit(message) {
        diagnostic.with_hint(
            "casepath refuses YAML that nests deeper than 32 levels, uses more than 1,000 \
             aliases, or expands aliases into more than 100,000 values; write the values out",
        )
    } else if message.starts_with("missing field") {
        diagnostic.with_hint("add the missing key to this record")
    } else if message.starts_with("duplicate mapping key") {
        diagnostic.with_hint("a key may appear only once in a record; remove one of them")
    } else if let Some((_, allowed)) = message.split_once("expected one of ") {
        diagnostic.with_hint(format!("the values allowed here are: {allowed}"))
    } else if message.starts_with("invalid i64") || message.starts_with("invalid u") {
        diagnostic.with_hint("write a whole number here, such as `15`")
    } else if message.starts_with("expected string scalar") {
        diagnostic.with_hint(
            "write plain text here; put text that starts with `[`, `{`, `*` or `&`, or that \
             holds `: `, in double quotes",
        )
    } else {
        diagnostic
    }
}

/// Reads a Markdown file and splits off its `---` front matter.
fn load_markdown(
    root: &Path,
    pages_dir: &Path,
    path: &Path,
    diagnostics: &mut Diagnostics,
) -> Option<MarkdownFile> {
    let file = read_text(root, path, diagnostics)?;
    let rel_path = path
        .strip_prefix(pages_dir)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/");
    let text = file.text.clone();
    let Some(after_open) = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))
    else {
        diagnostics.push(
            Diagnostic::at(Location::new(&file, 1, 1, 1), "page has no front matter")
                .with_label("expected `---` here")
                .with_hint("start the page with `---`, a line `title: ...`, and `---`"),
        );
        return None;
    };
    let open_len = text.len() - after_open.len();
    let close = find_closing_fence(after_open);
    let Some((yaml_len, fence_len)) = close else {
        diagnostics.push(
            Diagnostic::at(Location::new(&file, 1, 1, 3), "front matter is not closed")
                .with_label("front matter opens here")
                .with_hint("end the front matter with a line that holds only `---`"),
        );
        return None;
    };
    let yaml = &after_open[..yaml_len];
    let front = decode::<FrontMatter>(&file, yaml, 1, diagnostics)?;
    Some(MarkdownFile {
        rel_path,
        body_start: open_len + yaml_len + fence_len,
        file,
        front,
    })
}

/// Finds the closing `---` line: returns the length of the YAML before it and of the fence
/// line itself.
fn find_closing_fence(text: &str) -> Option<(usize, usize)> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if line.trim_end_matches(['\n', '\r']) == "---" {
            return Some((offset, line.len()));
        }
        offset += line.len();
    }
    None
}

/// Reads the theme folder `themes/<name>/`.
fn load_theme(root: &Path, name: &str, diagnostics: &mut Diagnostics) -> Theme {
    let theme_dir = root.join("themes").join(name);
    let mut theme = Theme::default();
    if !theme_dir.is_dir() && name == "default" {
        return embedded_theme();
    }
    if !theme_dir.is_dir() {
        diagnostics.push(
            Diagnostic::new(format!("theme folder `themes/{name}` not found"))
                .with_hint("create the theme folder, or set `theme:` in content/site.yaml"),
        );
        return theme;
    }
    let templates_dir = theme_dir.join("templates");
    for path in files_under(&templates_dir, diagnostics) {
        if let Some(file) = read_text(root, &path, diagnostics) {
            let name = path
                .strip_prefix(&templates_dir)
                .unwrap_or(&path)
                .to_string_lossy()
                .replace('\\', "/");
            theme.templates.push((name, file));
        }
    }
    let static_dir = theme_dir.join("static");
    for path in files_under(&static_dir, diagnostics) {
        match fs::read(&path) {
            Ok(bytes) => {
                let rel = path
                    .strip_prefix(&static_dir)
                    .unwrap_or(&path)
                    .to_string_lossy()
                    .replace('\\', "/");
                theme.static_files.push((rel, bytes));
            }
            Err(error) => diagnostics.push(Diagnostic::new(format!(
                "cannot read {}: {error}",
                display_path(root, &path)
            ))),
        }
    }
    theme
}

/// The default theme built into the binary, for sites without a `themes/default/` folder.
pub fn embedded_theme() -> Theme {
    mod embedded {
        include!(concat!(env!("OUT_DIR"), "/default_theme.rs"));
    }
    let mut theme = Theme::default();
    for (path, bytes) in embedded::FILES {
        if let Some(name) = path.strip_prefix("templates/") {
            let text = String::from_utf8_lossy(bytes).into_owned();
            let file = SourceFile::new(format!("(built-in theme) {path}"), text);
            theme.templates.push((name.to_string(), file));
        } else if let Some(name) = path.strip_prefix("static/") {
            theme.static_files.push((name.to_string(), bytes.to_vec()));
        }
    }
    theme
}

/// Every file under `dir` (none if it does not exist), sorted, skipping hidden files.
fn files_under(dir: &Path, diagnostics: &mut Diagnostics) -> Vec<PathBuf> {
    if !dir.is_dir() {
        return Vec::new();
    }
    let mut files = Vec::new();
    let walker = WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        match entry {
            Ok(entry) if entry.file_type().is_file() => files.push(entry.into_path()),
            Ok(_) => {}
            Err(error) => diagnostics.push(Diagnostic::new(format!(
                "cannot read {}: {error}",
                error
                    .path()
                    .map(|p| p.display().to_string())
                    .unwrap_or_else(|| dir.display().to_string())
            ))),
        }
    }
    files
}

/// Reads a UTF-8 text file; reports unreadable and non-UTF-8 files.
fn read_text(root: &Path, path: &Path, diagnostics: &mut Diagnostics) -> Option<SourceFile> {
    let shown = display_path(root, path);
    match fs::read(path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => Some(SourceFile::new(shown, text)),
            Err(error) => {
                diagnostics.push(
                    Diagnostic::new(format!(
                        "{shown} is not UTF-8 text (invalid byte at offset {})",
                        error.utf8_error().valid_up_to()
                    ))
                    .with_hint("save the file as UTF-8"),
                );
                None
            }
        },
        Err(error) => {
            diagnostics.push(Diagnostic::new(format!("cannot read {shown}: {error}")));
            None
        }
    }
}

/// A path as shown to the user: relative to the root, with `/` separators.
pub fn display_path(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}
