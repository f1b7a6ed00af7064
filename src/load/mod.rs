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
//!
//! Its parts, one concern each: `files` walks the folders and reads files without leaving
//! the tree, `yaml` decodes YAML under limits and explains its errors (with `explain`),
//! `data` reads the data files, `pages` the Markdown pages and their front matter,
//! `theme` the theme (or the one built into the binary), and [`strings`] the string table.

mod data;
mod encoding;
mod explain;
mod files;
mod languages;
mod pages;
pub mod schema;
pub mod strings;
mod theme;
pub mod translations;
mod yaml;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, Diagnostics, Location, SourceFile};
use schema::*;

pub use data::{data_file, DATA_FILES};
pub use files::display_path;
pub use languages::{site_words, translations_in, PageTranslation, SiteWordsFile};
pub use pages::parse_markdown;
pub use theme::embedded_theme;
pub use yaml::{parse_yaml, DecodeMemo, MAX_YAML_BYTES};

/// Everything read from the site root, decoded but not yet cross-checked.
#[derive(Debug, Default, Clone)]
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
    /// The Markdown pages of the default language, sorted by path.
    pub pages: Vec<MarkdownFile>,
    /// The translations of the pages into the other languages (`name.<lang>.md`).
    pub page_translations: Vec<PageTranslation>,
    /// `content/site.<lang>.yaml` of each other language that has one, by code.
    pub site_words: BTreeMap<String, SiteWordsFile>,
    /// The string table of each other language, by code.
    pub language_strings: BTreeMap<String, crate::strings::Strings>,
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
    /// The translations of the data files, by language code (`content/data/es/`).
    pub translations: translations::ByLanguage,
}

/// The records of one data file, and the file itself for diagnostics.
#[derive(Debug, Clone)]
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
#[derive(Debug, Clone)]
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
#[derive(Debug, Default, Clone)]
pub struct Theme {
    /// Templates: the name (path relative to `templates/`) and the file.
    pub templates: Vec<(String, SourceFile)>,
    /// Static files: path relative to `static/` and contents.
    pub static_files: Vec<(String, Vec<u8>)>,
    /// The string files at the top of the theme (`strings.yaml`, `strings.es.yaml`), by
    /// file name.
    pub strings: Vec<(String, SourceFile)>,
}

/// Reads the site under `root`, decoding every YAML file afresh: [`load_with`] for a run
/// that reads the site once.
pub fn load(given_root: &Path) -> Result<(Content, Diagnostics), Diagnostics> {
    load_with(given_root, &DecodeMemo::default())
}

/// Reads the site under `root`. Files that fail to read or decode are reported in the
/// returned diagnostics, listed in [`Content::failed`] and left empty, so that the next
/// stage can still check the rest; only a missing `content/` folder stops here. YAML that
/// `memo` holds from an earlier load with the same text is not decoded again.
///
/// Content never leaves the tree: the root is resolved first (`--root` may be a symbolic
/// link), and a file is read only when, once every symbolic link on its way is resolved,
/// it lies inside the root's `content/` folder (theme files: inside `themes/`, unless
/// `site.yaml` sets `follow_theme_links: true`). Anything else is an error that names the
/// link and never quotes what it leads to.
pub fn load_with(
    given_root: &Path,
    memo: &DecodeMemo,
) -> Result<(Content, Diagnostics), Diagnostics> {
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
    if let Some(refused) = files::leads_outside(root, &content_dir, &content_dir) {
        return Err(refused.into());
    }
    let mut diagnostics = Diagnostics::new();
    let mut content = Content {
        root: root.to_path_buf(),
        ..Content::default()
    };
    load_config(&mut content, memo, &mut diagnostics);
    data::load_data_files(&mut content, memo, &mut diagnostics);
    translations::load_translations(&mut content, memo, &mut diagnostics);
    load_documents(&mut content, &mut diagnostics);
    pages::load_all_pages(&mut content, memo, &mut diagnostics);
    languages::split_translations(&mut content, &mut diagnostics);
    languages::load_site_words(&mut content, memo, &mut diagnostics);

    let theme_name = content.config.theme.as_deref().unwrap_or("default");
    let follow_links = content.config.follow_theme_links;
    content.theme = theme::load_theme(root, theme_name, follow_links, &mut diagnostics);
    content.strings = strings::string_table(
        &strings::embedded(),
        Some(&content.theme),
        &content.site_file.iter().collect::<Vec<_>>(),
        content.config.language.as_deref(),
        &mut diagnostics,
    );
    languages::language_strings(&mut content, &mut diagnostics);
    Ok((content, diagnostics))
}

/// Reads `content/site.yaml` of `content.root`, when there is one, into `content.config`
/// (its text into `content.site_file`).
fn load_config(content: &mut Content, memo: &DecodeMemo, diagnostics: &mut Diagnostics) {
    let root = content.root.as_path();
    let content_dir = root.join("content");
    let config_path = content_dir.join("site.yaml");
    if !config_path.is_file() && !config_path.is_symlink() {
        return;
    }
    let Some(file) = files::read_text_within(root, &config_path, &content_dir, diagnostics) else {
        return;
    };
    if let Some(config) = memo.decode::<SiteConfig>(&file, &file.text, 0, diagnostics) {
        content.config = config;
    }
    content.site_file = Some(file);
}

/// Reads the texts of `content/sources/` into `content.documents`, by file name; the names
/// of those that cannot be read go to `content.failed_documents`.
fn load_documents(content: &mut Content, diagnostics: &mut Diagnostics) {
    let root = content.root.as_path();
    let content_dir = root.join("content");
    let sources_dir = content_dir.join("sources");
    for path in files::files_under(root, &sources_dir, Some(&content_dir), diagnostics) {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        match files::read_text(root, &path, diagnostics) {
            Some(file) => {
                content.documents.insert(name, file);
            }
            None => content.failed_documents.push(name),
        }
    }
}
