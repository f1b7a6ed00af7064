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

mod encoding;
mod explain;
pub mod schema;
pub mod strings;

use std::any::{Any, TypeId};
use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;
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
    /// The text of `content/site.yaml`, when it was read, for errors about its values.
    pub site_file: Option<SourceFile>,
    /// Records of `content/data/sources.yaml`.
    pub sources: DataFile<SourceRecord>,
    /// Records of `content/data/offices.yaml`.
    pub offices: DataFile<OfficeRecord>,
    /// Records of `content/data/channels.yaml`.
    pub channels: DataFile<ChannelRecord>,
    /// Records of `content/data/parameters.yaml`: the policy parameters, declared.
    pub parameters: DataFile<ParameterRecord>,
    /// Records of `content/data/kinds.yaml`: the kinds of office and channel.
    pub kinds: DataFile<KindRecord>,
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
    /// The string table: the theme's words with the guide's own (see [`crate::strings`]).
    pub strings: crate::strings::Strings,
    /// Data files that could not be read or decoded (`offices.yaml`, …).
    pub failed: Vec<String>,
    /// Files of `content/sources/` that could not be read (not UTF-8, …), by file name:
    /// their error is reported once, and quotes from them are not checked.
    pub failed_documents: Vec<String>,
    /// Pages of `content/pages/` that could not be read or whose front matter is broken,
    /// by path relative to `content/pages/`: links to them are not reported as missing.
    pub failed_pages: Vec<String>,
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

    /// The texts of the data files (empty for a file that does not exist).
    pub fn data_files(&self) -> [&SourceFile; 8] {
        [
            &self.sources.file,
            &self.parameters.file,
            &self.kinds.file,
            &self.offices.file,
            &self.channels.file,
            &self.policies.file,
            &self.paths.file,
            &self.flowchart.file,
        ]
    }

    /// The declaration of policy parameter `name` in `parameters.yaml`, if it has one.
    pub fn parameter(&self, name: &str) -> Option<&ParameterRecord> {
        self.parameters.records.iter().find(|p| p.id.value == name)
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
    /// The string files at the top of the theme (`strings.yaml`, `strings.es.yaml`), by
    /// file name.
    pub strings: Vec<(String, SourceFile)>,
}

/// Reads the site under `root`. Files that fail to read or decode are reported in the
/// returned diagnostics, listed in [`Content::failed`] and left empty, so that the next
/// stage can still check the rest; only a missing `content/` folder stops here.
///
/// Content never leaves the tree: the root is resolved first (`--root` may be a symbolic
/// link), and a file is read only when, once every symbolic link on its way is resolved,
/// it lies inside the root's `content/` folder (theme files: inside `themes/`, unless
/// `site.yaml` sets `follow_theme_links: true`). Anything else is an error that names the
/// link and never quotes what it leads to.
pub fn load(given_root: &Path) -> Result<(Content, Diagnostics), Diagnostics> {
    let mut diagnostics = Diagnostics::new();
    let canonical_root = fs::canonicalize(given_root).unwrap_or_else(|_| given_root.into());
    let root = canonical_root.as_path();
    let content_dir = root.join("content");
    if !content_dir.is_dir() {
        return Err(
            Diagnostic::new(format!("no `content` folder in {}", given_root.display()))
                .with_hint("run casepath in the folder that holds `content/`, or pass `--root DIR`")
                .into(),
        );
    }
    if let Some(refused) = leads_outside(root, &content_dir, &content_dir) {
        return Err(refused.into());
    }
    let mut content = Content {
        root: root.to_path_buf(),
        ..Content::default()
    };

    let config_path = content_dir.join("site.yaml");
    if config_path.is_file() || config_path.is_symlink() {
        if let Some(file) = read_text_within(root, &config_path, &content_dir, &mut diagnostics) {
            if let Some(config) = decode::<SiteConfig>(&file, &file.text, 0, &mut diagnostics) {
                content.config = config;
            }
            content.site_file = Some(file);
        }
    }

    let data_dir = content_dir.join("data");
    // The data files are read and decoded in parallel, each with its own list of problems;
    // the lists are joined in the order of DATA_FILES, as if read one after the other.
    let mut problems: [(Diagnostics, Vec<String>); 8] = Default::default();
    let [p0, p1, p2, p3, p4, p5, p6, p7] = &mut problems;
    let data = &data_dir;
    rayon::scope(|s| {
        s.spawn(|_| content.sources = load_data(root, data, "sources.yaml", p0));
        s.spawn(|_| content.parameters = load_data(root, data, "parameters.yaml", p6));
        s.spawn(|_| content.kinds = load_data(root, data, "kinds.yaml", p7));
        s.spawn(|_| content.offices = load_data(root, data, "offices.yaml", p1));
        s.spawn(|_| content.channels = load_data(root, data, "channels.yaml", p2));
        s.spawn(|_| content.policies = load_data(root, data, "policies.yaml", p3));
        s.spawn(|_| content.paths = load_data(root, data, "paths.yaml", p4));
        s.spawn(|_| content.flowchart = load_data(root, data, "flowchart.yaml", p5));
    });
    // In the order of DATA_FILES.
    let [q0, q1, q2, q3, q4, q5, q6, q7] = problems;
    for (found, failed) in [q0, q6, q7, q1, q2, q3, q4, q5] {
        diagnostics.extend(found);
        content.failed.extend(failed);
    }
    warn_unknown_data_files(root, &data_dir, &mut diagnostics);

    let sources_dir = content_dir.join("sources");
    for path in files_under(root, &sources_dir, Some(&content_dir), &mut diagnostics) {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        match read_text(root, &path, &mut diagnostics) {
            Some(file) => {
                content.documents.insert(name, file);
            }
            None => content.failed_documents.push(name),
        }
    }

    let pages_dir = content_dir.join("pages");
    let listed = files_under(root, &pages_dir, Some(&content_dir), &mut diagnostics);
    content.pages = load_pages(root, &pages_dir, &listed, &mut diagnostics);
    content.failed_pages = listed
        .iter()
        .filter(|path| path.extension().and_then(|e| e.to_str()) == Some("md"))
        .map(|path| page_path(&pages_dir, path))
        .filter(|rel| !content.pages.iter().any(|p| &p.rel_path == rel))
        .collect();

    let theme_name = content.config.theme.as_deref().unwrap_or("default");
    let follow_links = content.config.follow_theme_links;
    content.theme = load_theme(root, theme_name, follow_links, &mut diagnostics);
    content.strings = strings::string_table(
        &strings::embedded(),
        Some(&content.theme),
        content.site_file.as_ref(),
        content.config.language.as_deref(),
        &mut diagnostics,
    );

    Ok((content, diagnostics))
}

/// Reads the data file `name` of records; a missing file is an empty list. A file that
/// fails is reported and its name added to the failed list.
fn load_data<T: DeserializeOwned + Clone + Send + 'static>(
    root: &Path,
    data_dir: &Path,
    name: &str,
    (diagnostics, failed): &mut (Diagnostics, Vec<String>),
) -> DataFile<T> {
    let path = data_dir.join(name);
    if !path.exists() && !path.is_symlink() {
        return DataFile::default();
    }
    let Some(file) = read_text_within(root, &path, &root.join("content"), diagnostics) else {
        failed.push(name.to_string());
        return DataFile::default();
    };
    data_file(file, name, diagnostics, failed)
}

/// One data file read from its text. A file that does not decode, or that is blank or holds
/// only comments (a save gone wrong, or a bad merge, more often than a guide with none of
/// these records: that guide leaves the file out, or writes `[]`), has no records: its
/// problems are in `diagnostics` and its name is added to `failed`, so that references into
/// it are not reported one by one. The fuzz targets call it on text that never was a file.
pub fn data_file<T: DeserializeOwned + Clone + Send + 'static>(
    file: SourceFile,
    name: &str,
    diagnostics: &mut Diagnostics,
    failed: &mut Vec<String>,
) -> DataFile<T> {
    let empty = (file.text.len() <= MAX_YAML_BYTES)
        .then(|| empty_data_file(&file, name))
        .flatten();
    if let Some(empty) = empty {
        diagnostics.push(empty);
        failed.push(name.to_string());
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

/// The error for a data file that is blank or holds only comments, or `None`.
fn empty_data_file(file: &SourceFile, name: &str) -> Option<Diagnostic> {
    let only_comments = file
        .text
        .lines()
        .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'));
    if !only_comments {
        return None;
    }
    let what = item_of(name).unwrap_or("record");
    let hint = format!(
        "write its {what} records back (`git diff {}` shows what was there), or, if the guide \
         has no {what} records, delete the file",
        file.path
    );
    let diagnostic = if file.text.trim().is_empty() {
        Diagnostic::at(
            Location::new(file, 1, 1, 1),
            format!("{} is empty", file.path),
        )
        .with_label("nothing in this file")
    } else {
        Diagnostic::at(
            Location::new(file, 1, 1, 1),
            format!("{} holds only comments, and no records", file.path),
        )
        .with_label("no records in this file")
    };
    Some(diagnostic.with_hint(hint))
}

/// Decodes the whole text of `file` (a data file such as `offices.yaml`, as `Vec` of its
/// records, or `site.yaml`) under the same limits and with the same diagnostics as [`load`],
/// without touching the disk: the entry point of the fuzz targets. `None` when it does not
/// decode; the problems are in `diagnostics`. (`load` refuses a blank data file without
/// decoding it.)
pub fn parse_yaml<T: DeserializeOwned + Clone + Send + 'static>(
    file: &SourceFile,
    diagnostics: &mut Diagnostics,
) -> Option<T> {
    decode(file, &file.text, 0, diagnostics)
}

/// The data files casepath reads, in the order it reads them; any other YAML file in
/// `content/data/` is a mistake.
pub const DATA_FILES: [&str; 8] = [
    "sources.yaml",
    "parameters.yaml",
    "kinds.yaml",
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

/// What [`decode`] remembers: for each type and file, the last text that decoded and its
/// value.
type Memo = HashMap<(TypeId, String), (String, Box<dyn Any + Send>)>;

/// The decoded-YAML memo of the process (see [`decode`]).
static MEMO: Mutex<Option<Memo>> = Mutex::new(None);

/// The most files the memo holds; past it the memo starts again. Enough for every file of a
/// large guide.
const MEMO_SIZE: usize = 4096;

/// Decodes YAML text that starts `line_offset` lines into `file`.
///
/// What decoded without error is remembered by its type and file for the life of the
/// process: `casepath serve` loads every file again on each save, and most are unchanged.
/// Only the last text of each file is kept, so saving one file many times costs one copy of
/// it, not one per version.
fn decode<T: DeserializeOwned + Clone + Send + 'static>(
    file: &SourceFile,
    yaml: &str,
    line_offset: usize,
    diagnostics: &mut Diagnostics,
) -> Option<T> {
    let key = (TypeId::of::<T>(), file.path.clone());
    let remembered = MEMO.lock().ok().and_then(|memo| {
        let (text, value) = memo.as_ref()?.get(&key)?;
        if text != yaml {
            return None;
        }
        value.downcast_ref::<T>().cloned()
    });
    if remembered.is_some() {
        return remembered;
    }
    let value = decode_text::<T>(file, yaml, line_offset, diagnostics)?;
    if let Ok(mut memo) = MEMO.lock() {
        let memo = memo.get_or_insert_with(HashMap::new);
        if memo.len() >= MEMO_SIZE && !memo.contains_key(&key) {
            memo.clear();
        }
        memo.insert(key, (yaml.to_string(), Box::new(value.clone())));
    }
    Some(value)
}

/// Decodes YAML text, reporting what is wrong at its place in `file`.
fn decode_text<T: DeserializeOwned>(
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
    match serde_saphyr::from_str_with_options::<T>(yaml, yaml_options()) {
        Ok(_) if !nul_free(file, yaml, line_offset, diagnostics) => None,
        Ok(value) => Some(value),
        Err(error) => {
            diagnostics.push(explain_error(file, yaml, line_offset, &error));
            None
        }
    }
}

/// The error to show for YAML text (starting `line_offset` lines into `file`) that did not
/// decode with `error`. The text is read again whatever its shape: when it breaks a limit
/// (an alias bomb, deep nesting) that is the error; when it is not valid YAML, the syntax
/// error is the cause and the type error a symptom; otherwise the type error is explained.
fn explain_error(
    file: &SourceFile,
    yaml: &str,
    line_offset: usize,
    error: &serde_saphyr::Error,
) -> Diagnostic {
    let text = explain::Text {
        file,
        yaml,
        line_offset,
        item: (line_offset == 0).then(|| item_of(&file.path)).flatten(),
        whole: if line_offset == 0 {
            "the site settings"
        } else {
            "the front matter"
        },
    };
    if is_limit(&error.to_string()) {
        return explain::limit(&text, error);
    }
    if let Err(raw) =
        serde_saphyr::from_str_with_options::<serde::de::IgnoredAny>(yaml, yaml_options())
    {
        if is_limit(&raw.to_string()) {
            return explain::limit(&text, &raw);
        }
    }
    match explain::first_syntax_error(yaml) {
        Some((explain::ErrorKind::UnexpectedCharacter { character: '\0' }, (line, column))) => {
            nul_character(Location::new(file, line + line_offset, column, 1))
        }
        Some((kind, at)) => explain::syntax(&text, &kind, at),
        None => explain::typed(&text, error),
    }
}

/// What each top-level item of a data file is, by the file's name: `office` for
/// `offices.yaml`. `None` for other files (`site.yaml`).
fn item_of(path: &str) -> Option<&'static str> {
    let name = path.rsplit('/').next().unwrap_or(path);
    Some(match name {
        "sources.yaml" => "source",
        "parameters.yaml" => "parameter",
        "kinds.yaml" => "kind",
        "offices.yaml" => "office",
        "channels.yaml" => "channel",
        "policies.yaml" => "policy version",
        "paths.yaml" => "path",
        "flowchart.yaml" => "flowchart node",
        _ => return None,
    })
}

/// The error for a NUL character (U+0000) in a text value or a page. Nothing a guide says
/// needs one, and browsers, tools and C libraries that read the pages may cut the text at it
/// or show it as nothing at all.
fn nul_character(location: Location) -> Diagnostic {
    Diagnostic::at(
        location,
        "this text holds a NUL character (an invisible zero byte); remove it",
    )
    .with_label("a NUL character")
    .with_hint(
        "delete the escape `\\0` (or `\\x00`, `\\u0000`) or the invisible character; \
         no text of a guide needs it",
    )
}

/// Reports every scalar of `yaml` (text starting at line `line_offset + 1` of `file`) whose
/// value holds a NUL character: the parser refuses a NUL byte in the file, but a double-quoted
/// string makes one from the escapes `\0`, `\x00`, `\u0000` and `\U00000000`. False when
/// there was one. Text without a backslash cannot hold an escape and is not parsed again.
fn nul_free(
    file: &SourceFile,
    yaml: &str,
    line_offset: usize,
    diagnostics: &mut Diagnostics,
) -> bool {
    use serde_saphyr::granit_parser::{Event, Parser};
    if memchr::memchr(b'\\', yaml.as_bytes()).is_none() {
        return true;
    }
    let base = file.offset(line_offset + 1, 1);
    // Parser positions count characters; walk the text once to turn them into bytes.
    let mut chars = yaml.char_indices().enumerate().peekable();
    let mut byte_at = |index: usize| {
        while chars.next_if(|(i, _)| *i < index).is_some() {}
        chars.peek().map_or(yaml.len(), |(_, (byte, _))| *byte)
    };
    let mut clean = true;
    for event in Parser::new_from_str(yaml) {
        let Ok((Event::Scalar(value, ..), span)) = event else {
            continue;
        };
        if !value.contains('\0') {
            continue;
        }
        let start = byte_at(span.start.index());
        let end = byte_at(span.end.index()).max(start);
        let (at, len) = nul_escape(&yaml[start..end]).unwrap_or((0, 1));
        diagnostics.push(nul_character(Location::at_offset(
            file,
            base + start + at,
            len,
        )));
        clean = false;
    }
    clean
}

/// The byte offset and length of the first escape in the source of a double-quoted YAML
/// scalar that makes a NUL character.
fn nul_escape(source: &str) -> Option<(usize, usize)> {
    let bytes = source.as_bytes();
    let mut i = 0;
    while let Some(found) = memchr::memchr(b'\\', &bytes[i..]) {
        let at = i + found;
        let rest = &source[at + 1..];
        for escape in ["0", "x00", "u0000", "U00000000"] {
            if rest.starts_with(escape) {
                return Some((at, escape.len() + 1));
            }
        }
        // Skip the escaped character too, so `\\0` (a backslash, then 0) is not taken.
        i = (at + 2).min(bytes.len());
    }
    None
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
    // Enough for a data file of 10,000 records (about 20 values each); the file's size
    // (MAX_YAML_BYTES) and the alias limits below bound the rest.
    budget.max_nodes = 1_000_000;
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

/// Reads the Markdown pages among the files listed under `pages_dir`. Listing and reading
/// are two steps, so a listed file may be gone when it is read (deleted or renamed while
/// the build runs): [`read_error`] reports it, and the other pages are still read.
fn load_pages(
    root: &Path,
    pages_dir: &Path,
    listed: &[PathBuf],
    diagnostics: &mut Diagnostics,
) -> Vec<MarkdownFile> {
    // Read and split in parallel, each page with its own problems, reported in list order.
    let loaded: Vec<(Option<MarkdownFile>, Diagnostics)> = listed
        .par_iter()
        .filter(|path| path.extension().and_then(|e| e.to_str()) == Some("md"))
        .map(|path| {
            let mut found = Diagnostics::new();
            (load_markdown(root, pages_dir, path, &mut found), found)
        })
        .collect();
    let mut pages = Vec::with_capacity(loaded.len());
    for (page, found) in loaded {
        diagnostics.extend(found);
        pages.extend(page);
    }
    pages
}

/// Reads a Markdown file and splits off its `---` front matter.
fn load_markdown(
    root: &Path,
    pages_dir: &Path,
    path: &Path,
    diagnostics: &mut Diagnostics,
) -> Option<MarkdownFile> {
    let file = read_text(root, path, diagnostics)?;
    parse_markdown(page_path(pages_dir, path), file, diagnostics)
}

/// The path of a page relative to `content/pages/`, with `/` separators.
fn page_path(pages_dir: &Path, path: &Path) -> String {
    path.strip_prefix(pages_dir)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

/// Splits a Markdown page read from `content/pages/<rel_path>` into its front matter and
/// body, as [`load`] does, without touching the disk (the fuzz targets and tests use it).
/// `None` when the front matter is missing, unclosed or does not decode; the problems are
/// in `diagnostics`.
pub fn parse_markdown(
    rel_path: String,
    file: SourceFile,
    diagnostics: &mut Diagnostics,
) -> Option<MarkdownFile> {
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
    let body_start = open_len + yaml_len + fence_len;
    // The front matter's NUL bytes were refused by the YAML parser; report the body's, the
    // first of each line.
    let body = &text[body_start..];
    if memchr::memchr(0, body.as_bytes()).is_some() {
        let first_line = file.line_col(body_start).0;
        for (index, line) in body.split('\n').enumerate() {
            if let Some(at) = line.find('\0') {
                let column = line[..at].chars().count() + 1;
                let location = Location::new(&file, first_line + index, column, 1);
                diagnostics.push(nul_character(location));
            }
        }
    }
    Some(MarkdownFile {
        rel_path,
        body_start,
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

/// Reads the theme folder `themes/<name>/`. Its files must lie inside `themes/` once their
/// symbolic links are resolved, unless `follow_links` (`follow_theme_links: true` in
/// `site.yaml`) lets them lead anywhere.
fn load_theme(root: &Path, name: &str, follow_links: bool, diagnostics: &mut Diagnostics) -> Theme {
    let mut theme = Theme::default();
    let mut parts = Path::new(name).components();
    if !matches!(
        (parts.next(), parts.next()),
        (Some(std::path::Component::Normal(_)), None)
    ) {
        diagnostics.push(
            Diagnostic::new(format!(
                "the theme `{name}` set in content/site.yaml is not the name of a folder in \
                 themes/"
            ))
            .with_hint("set `theme:` to a folder name without `/` or `..`, such as `default`"),
        );
        return theme;
    }
    let themes_dir = root.join("themes");
    let within = (!follow_links).then_some(themes_dir.as_path());
    let theme_dir = themes_dir.join(name);
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
    for path in files_under(root, &templates_dir, within, diagnostics) {
        if let Some(file) = read_text(root, &path, diagnostics) {
            let name = path
                .strip_prefix(&templates_dir)
                .unwrap_or(&path)
                .to_string_lossy()
                .replace('\\', "/");
            theme.templates.push((name, file));
        }
    }
    theme.strings = strings::theme_files(root, &theme_dir, within, diagnostics);
    let static_dir = theme_dir.join("static");
    for path in files_under(root, &static_dir, within, diagnostics) {
        if let Some(bytes) = read_bytes(root, &path, diagnostics) {
            let rel = path
                .strip_prefix(&static_dir)
                .unwrap_or(&path)
                .to_string_lossy()
                .replace('\\', "/");
            theme.static_files.push((rel, bytes));
        }
    }
    theme
}

/// The files of the default theme built into the binary.
mod embedded {
    include!(concat!(env!("OUT_DIR"), "/default_theme.rs"));
}

/// The default theme built into the binary, for sites without a `themes/default/` folder.
pub fn embedded_theme() -> Theme {
    let mut theme = strings::embedded();
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
///
/// A file or folder whose name is not UTF-8 is an error, and is left out (a folder with
/// all it holds). Someone coming from Zola or Hugo expects every file under `content/` to
/// be part of the site under its own name, and casepath makes page addresses, source
/// names and template names from file names, which are text. Replacing the bad bytes with
/// `�` (what casepath did before) published a page at an address nobody chose, and two
/// such names collided; skipping the file with a warning would drop a page from the site
/// with one line in a log that scrolls past, and `build` prints no warnings. So, as for a
/// file whose contents are not UTF-8, the build stops, names the file and says how to
/// rename it.
///
/// Listing and reading are separate steps: an entry that is gone when it is looked at
/// (deleted during the build) is reported like a file gone before it is read, by
/// [`read_error`].
///
/// With `within` (the root's `content/` or `themes/` folder), `dir` and every symbolic link
/// under it must lead inside that folder: a link that leads out, to a file or a folder, is
/// an error and is neither listed nor followed (see [`leads_outside`]). Links that stay inside
/// are followed, so a listed file lies inside `within` as long as the tree does not change
/// during the build. Without `within` (a theme with `follow_theme_links: true`), links are
/// followed anywhere.
fn files_under(
    root: &Path,
    dir: &Path,
    within: Option<&Path>,
    diagnostics: &mut Diagnostics,
) -> Vec<PathBuf> {
    if !dir.is_dir() {
        return Vec::new();
    }
    if let Some(refused) = within.and_then(|within| leads_outside(root, dir, within)) {
        diagnostics.push(refused);
        return Vec::new();
    }
    let mut files = Vec::new();
    let mut not_utf8 = Vec::new();
    let mut refused = Vec::new();
    let walker = WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name();
            if e.depth() == 0 {
                return true;
            }
            if name.as_encoded_bytes().starts_with(b".") {
                return false;
            }
            if name.to_str().is_none() {
                not_utf8.push(not_utf8_name(root, e.path(), e.file_type().is_dir()));
                return false;
            }
            if let (true, Some(within)) = (e.path_is_symlink(), within) {
                if let Some(diagnostic) = leads_outside(root, e.path(), within) {
                    refused.push(diagnostic);
                    return false;
                }
            }
            true
        });
    for entry in walker {
        match entry {
            Ok(entry) if entry.file_type().is_file() => files.push(entry.into_path()),
            Ok(_) => {}
            Err(error) => {
                let path = error.path().unwrap_or(dir);
                diagnostics.push(match error.io_error() {
                    Some(io) if error.loop_ancestor().is_none() => read_error(root, path, io),
                    _ => Diagnostic::new(format!(
                        "cannot read {}: {error}",
                        display_path(root, path)
                    )),
                });
            }
        }
    }
    for diagnostic in not_utf8.into_iter().chain(refused) {
        diagnostics.push(diagnostic);
    }
    files
}

/// The error for a `path` that, once every symbolic link on its way is resolved, does not
/// lie inside `within` (the canonical root's `content/` or `themes/` folder); `None` when
/// it does. Git carries symbolic links, and content comes through pull requests: without
/// this check a link such as
/// `content/sources/a.txt -> /proc/self/environ` published the build machine's
/// environment, and a link to `../.git/config` (inside the root, outside `content/`) could
/// publish a token that CI keeps there. The error names the link and what it says, and
/// never shows the file it leads to.
fn leads_outside(root: &Path, path: &Path, within: &Path) -> Option<Diagnostic> {
    match fs::canonicalize(path) {
        Ok(real) if real.starts_with(within) => None,
        Ok(_) => Some(outside_error(root, path, within)),
        Err(error) => Some(read_error(root, path, &error)),
    }
}

/// The error for a path that leads outside `within`: names the first symbolic link on its
/// way below the root, and what that link says.
fn outside_error(root: &Path, path: &Path, within: &Path) -> Diagnostic {
    let folder = display_path(root, within);
    let link = path
        .ancestors()
        .filter(|a| a.starts_with(root) && *a != root)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .find(|a| a.is_symlink());
    let message = match link {
        Some(link) => {
            let target = fs::read_link(link).unwrap_or_default();
            format!(
                "{} is a symbolic link to `{}`, which leads outside {folder}/",
                display_path(root, link),
                target.display()
            )
        }
        None => format!("{} lies outside {folder}/", display_path(root, path)),
    };
    let hint = format!(
        "casepath reads only files inside {folder}/, so that a change to the guide cannot \
         publish other files of the machine that builds it; put a copy of the file inside \
         {folder}/ instead of a link"
    );
    let hint = if folder == "themes" {
        format!(
            "{hint}, or, if the theme is meant to use files outside themes/, set \
             `follow_theme_links: true` in content/site.yaml"
        )
    } else {
        hint
    };
    Diagnostic::new(message).with_hint(hint)
}

/// [`read_text`] of a file named directly rather than listed (`site.yaml`, a data file),
/// after checking that it lies inside `within` ([`leads_outside`]).
fn read_text_within(
    root: &Path,
    path: &Path,
    within: &Path,
    diagnostics: &mut Diagnostics,
) -> Option<SourceFile> {
    if let Some(refused) = leads_outside(root, path, within) {
        diagnostics.push(refused);
        return None;
    }
    read_text(root, path, diagnostics)
}

/// The error for a file or folder under the site root whose name is not UTF-8: the
/// path with `�` for the bad bytes, and a shell command that renames it.
fn not_utf8_name(root: &Path, path: &Path, is_dir: bool) -> Diagnostic {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let what = if is_dir { "folder" } else { "file" };
    let mut new_name = match rel.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => {
            format!("{}/new-name", display_path(root, parent))
        }
        _ => "new-name".to_string(),
    };
    if let Some(extension) = rel.extension().and_then(|e| e.to_str()).filter(|_| !is_dir) {
        new_name = format!("{new_name}.{extension}");
    }
    Diagnostic::new(format!(
        "the name of the {what} {} is not UTF-8",
        display_path(root, path)
    ))
    .with_hint(format!(
        "rename the {what} so that its name is UTF-8 text, for example from the site root \
         with `mv {} {new_name}`; casepath makes page addresses and names from file names, \
         which must be text",
        shell_quoted(rel.as_os_str().as_encoded_bytes())
    ))
}

/// A path as one shell word: as it is when it holds only letters, digits and `/._-`,
/// otherwise quoted for bash and zsh as `$'…'` with `\xHH` for every byte that is not
/// printable ASCII, so that a name that is not UTF-8 can be typed.
fn shell_quoted(bytes: &[u8]) -> String {
    let plain = |b: &u8| b.is_ascii_alphanumeric() || b"/._-".contains(b);
    if !bytes.is_empty() && bytes.iter().all(plain) {
        return String::from_utf8_lossy(bytes).into_owned();
    }
    let mut quoted = String::from("$'");
    for &byte in bytes {
        match byte {
            b'\'' | b'\\' => {
                quoted.push('\\');
                quoted.push(byte as char);
            }
            0x20..=0x7e => quoted.push(byte as char),
            _ => quoted.push_str(&format!("\\x{byte:02x}")),
        }
    }
    quoted.push('\'');
    quoted
}

/// Reads a file that was listed (or seen to exist) a moment ago; reports a failure.
fn read_bytes(root: &Path, path: &Path, diagnostics: &mut Diagnostics) -> Option<Vec<u8>> {
    match fs::read(path) {
        Ok(bytes) => Some(bytes),
        Err(error) => {
            diagnostics.push(read_error(root, path, &error));
            None
        }
    }
}

/// Reads a UTF-8 text file; reports unreadable files and files not saved as UTF-8 (one error
/// each, naming the file: see [`encoding::check`]).
fn read_text(root: &Path, path: &Path, diagnostics: &mut Diagnostics) -> Option<SourceFile> {
    let bytes = read_bytes(root, path, diagnostics)?;
    let shown = display_path(root, path);
    match encoding::check(&shown, bytes) {
        Ok(file) => Some(file),
        Err(error) => {
            diagnostics.push(*error);
            None
        }
    }
}

/// The error for a file or folder that was listed but could not be read. Listing and
/// reading are separate steps, so a file may be gone by the time it is read: deleted or
/// renamed while the build ran (by an editor, `git checkout`, a sync tool). That is an
/// error, not a skip: the content changed under the build, so what it read may mix old
/// and new files, and running it again gives a site made from one state of the content.
/// `serve` rebuilds after the change anyway. A file that cannot be read for lack of
/// permission is an error too, with the same reasoning as a file that is not UTF-8.
fn read_error(root: &Path, path: &Path, error: &std::io::Error) -> Diagnostic {
    let shown = display_path(root, path);
    match error.kind() {
        std::io::ErrorKind::NotFound if path.is_symlink() => Diagnostic::new(format!(
            "{shown} is a symbolic link to a file that does not exist"
        ))
        .with_hint("point the link at an existing file, or remove it"),
        std::io::ErrorKind::NotFound => Diagnostic::new(format!(
            "{shown} was deleted while casepath was reading the content"
        ))
        .with_hint(
            "it was deleted or renamed during the build; run the build again once the files \
             have stopped changing",
        ),
        std::io::ErrorKind::PermissionDenied => {
            Diagnostic::new(format!("cannot read {shown}: {error}")).with_hint(format!(
                "casepath reads every file under content/ and the theme; let the user who runs \
                 casepath read it, for example with `chmod a+rX {}` from the site root",
                shell_quoted(shown.as_bytes())
            ))
        }
        _ => Diagnostic::new(format!("cannot read {shown}: {error}")),
    }
}

/// A path as shown to the user: relative to the root, with `/` separators.
pub fn display_path(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The texts the memo holds for `path`, by any type.
    fn memo_texts_of(path: &str) -> Vec<String> {
        let memo = MEMO.lock().unwrap();
        memo.iter()
            .flatten()
            .filter(|((_, p), _)| p == path)
            .map(|(_, (text, _))| text.clone())
            .collect()
    }

    #[test]
    fn the_memo_keeps_only_the_last_text_of_each_file() {
        // A path no other test uses: tests share the memo.
        let path = "content/data/memo-test-only.yaml";
        let mut diagnostics = Diagnostics::default();
        for n in 0..150 {
            let text = format!("- {n}\n- {}\n", n + 1);
            let file = SourceFile::new(path, text.as_str());
            let value = decode::<Vec<u32>>(&file, &text, 0, &mut diagnostics);
            assert_eq!(value, Some(vec![n, n + 1]));
        }
        assert!(diagnostics.is_empty());
        assert_eq!(memo_texts_of(path), ["- 149\n- 150\n"]);
        // The same text again is answered from the memo, a text that fails is not kept.
        let file = SourceFile::new(path, "- 149\n- 150\n");
        assert_eq!(
            decode::<Vec<u32>>(&file, "- 149\n- 150\n", 0, &mut diagnostics),
            Some(vec![149, 150])
        );
        assert_eq!(decode::<Vec<u32>>(&file, "- [", 0, &mut diagnostics), None);
        assert_eq!(memo_texts_of(path), ["- 149\n- 150\n"]);
    }

    const PAGE: &str = "---\ntitle: A page\n---\nText.\n";

    /// A site root with `content/pages/` holding the given pages.
    fn site_with_pages(names: &[&str]) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let pages = dir.path().join("content/pages");
        fs::create_dir_all(&pages).unwrap();
        for name in names {
            fs::write(pages.join(name), PAGE).unwrap();
        }
        (dir, pages)
    }

    #[test]
    fn a_page_deleted_between_listing_and_reading_is_reported_and_the_others_are_read() {
        let (dir, pages) = site_with_pages(&["a.md", "b.md", "c.md"]);
        let mut diagnostics = Diagnostics::new();
        let listed = files_under(dir.path(), &pages, None, &mut diagnostics);
        assert_eq!(listed.len(), 3);
        fs::remove_file(pages.join("b.md")).unwrap();

        let loaded = load_pages(dir.path(), &pages, &listed, &mut diagnostics);
        let names: Vec<&str> = loaded.iter().map(|p| p.rel_path.as_str()).collect();
        assert_eq!(names, ["a.md", "c.md"]);
        assert_eq!(diagnostics.len(), 1);
        let diagnostic = &diagnostics.0[0];
        assert_eq!(
            diagnostic.message,
            "content/pages/b.md was deleted while casepath was reading the content"
        );
        assert_eq!(
            diagnostic.hint.as_deref(),
            Some(
                "it was deleted or renamed during the build; run the build again once the \
                 files have stopped changing"
            )
        );
    }

    #[test]
    fn a_folder_of_pages_deleted_after_listing_is_reported_once_per_page() {
        let (dir, pages) = site_with_pages(&[]);
        fs::create_dir(pages.join("guide")).unwrap();
        fs::write(pages.join("guide/one.md"), PAGE).unwrap();
        fs::write(pages.join("guide/two.md"), PAGE).unwrap();
        let mut diagnostics = Diagnostics::new();
        let listed = files_under(dir.path(), &pages, None, &mut diagnostics);
        fs::remove_dir_all(pages.join("guide")).unwrap();

        let loaded = load_pages(dir.path(), &pages, &listed, &mut diagnostics);
        assert!(loaded.is_empty());
        let messages: Vec<&str> = diagnostics.0.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "content/pages/guide/one.md was deleted while casepath was reading the content",
                "content/pages/guide/two.md was deleted while casepath was reading the content",
            ]
        );
    }

    #[test]
    fn a_source_text_or_theme_file_gone_before_it_is_read_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        let mut diagnostics = Diagnostics::new();
        let gone = dir.path().join("content/sources/notice.txt");
        assert!(read_text(dir.path(), &gone, &mut diagnostics).is_none());
        let gone = dir.path().join("themes/default/static/style.css");
        assert!(read_bytes(dir.path(), &gone, &mut diagnostics).is_none());
        let messages: Vec<&str> = diagnostics.0.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "content/sources/notice.txt was deleted while casepath was reading the content",
                "themes/default/static/style.css was deleted while casepath was reading the \
                 content",
            ]
        );
    }

    #[test]
    fn a_symbolic_link_to_nothing_is_not_called_deleted() {
        let (dir, pages) = site_with_pages(&["a.md"]);
        std::os::unix::fs::symlink("missing.md", pages.join("b.md")).unwrap();
        let mut diagnostics = Diagnostics::new();
        let listed = files_under(dir.path(), &pages, None, &mut diagnostics);
        assert_eq!(listed, [pages.join("a.md")]);
        let messages: Vec<&str> = diagnostics.0.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            ["content/pages/b.md is a symbolic link to a file that does not exist"]
        );
    }

    #[test]
    fn names_that_are_not_utf8_are_reported_with_a_command_that_renames_them() {
        use std::os::unix::ffi::OsStrExt;
        let (dir, pages) = site_with_pages(&["a.md"]);
        let bad = |name: &[u8]| pages.join(std::ffi::OsStr::from_bytes(name));
        fs::write(bad(b"caf\xe9.md"), PAGE).unwrap();
        fs::create_dir(bad(b"d\xff it's")).unwrap();
        fs::write(bad(b"d\xff it's/inner.md"), PAGE).unwrap();
        fs::write(bad(b".hidden\xff"), PAGE).unwrap();
        let mut diagnostics = Diagnostics::new();

        let listed = files_under(dir.path(), &pages, None, &mut diagnostics);
        assert_eq!(listed, [pages.join("a.md")]);
        let shown: Vec<(&str, &str)> = diagnostics
            .0
            .iter()
            .map(|d| (d.message.as_str(), d.hint.as_deref().unwrap()))
            .collect();
        assert_eq!(
            shown,
            [
                (
                    "the name of the file content/pages/caf\u{fffd}.md is not UTF-8",
                    "rename the file so that its name is UTF-8 text, for example from the site \
                     root with `mv $'content/pages/caf\\xe9.md' content/pages/new-name.md`; \
                     casepath makes page addresses and names from file names, which must be text"
                ),
                (
                    "the name of the folder content/pages/d\u{fffd} it's is not UTF-8",
                    "rename the folder so that its name is UTF-8 text, for example from the site \
                     root with `mv $'content/pages/d\\xff it\\'s' content/pages/new-name`; \
                     casepath makes page addresses and names from file names, which must be text"
                ),
            ]
        );
    }

    #[test]
    fn nul_escapes_are_found_and_escaped_backslashes_are_not() {
        assert_eq!(nul_escape(r#""a\0b""#), Some((2, 2)));
        assert_eq!(nul_escape(r#""\\0 \x00""#), Some((5, 4)));
        assert_eq!(nul_escape(r#""\u0000""#), Some((1, 6)));
        assert_eq!(nul_escape(r#""\U00000000""#), Some((1, 10)));
        assert_eq!(nul_escape(r#""\\0""#), None);
        assert_eq!(nul_escape("ends with \\"), None);
    }

    #[test]
    fn a_nul_escape_in_front_matter_is_reported_at_its_line() {
        let text = "---\ntitle: \"A\\0\"\n---\nText.\n";
        let mut diagnostics = Diagnostics::new();
        let file = SourceFile::new("content/pages/a.md", text);
        assert!(parse_markdown("a.md".into(), file, &mut diagnostics).is_none());
        assert_eq!(
            diagnostics.0[0].position().as_deref(),
            Some("content/pages/a.md:2:10")
        );
    }

    #[test]
    fn shell_quoting_leaves_plain_paths_alone() {
        assert_eq!(
            shell_quoted(b"content/pages/a-b_c.md"),
            "content/pages/a-b_c.md"
        );
        assert_eq!(shell_quoted(b"a b"), "$'a b'");
        assert_eq!(shell_quoted(b"\\\n"), "$'\\\\\\x0a'");
    }
}
