//! `casepath init DIR`: a small new guide to start from.
//!
//! Writes one source, one policy version, one office, one channel, one path and one page
//! into `DIR/content/`, plus the JSON Schemas for editors. The site uses the default theme
//! built into the binary, so it builds and passes `casepath check` at once.

use std::fs;
use std::path::Path;

use crate::diagnostic::{Diagnostic, Diagnostics};

/// The files of a new guide: path under the folder, contents.
const FILES: &[(&str, &str)] = &[
    ("content/site.yaml", include_str!("init/site.yaml")),
    (
        "content/data/sources.yaml",
        include_str!("init/sources.yaml"),
    ),
    (
        "content/data/policies.yaml",
        include_str!("init/policies.yaml"),
    ),
    (
        "content/data/offices.yaml",
        include_str!("init/offices.yaml"),
    ),
    (
        "content/data/channels.yaml",
        include_str!("init/channels.yaml"),
    ),
    ("content/data/paths.yaml", include_str!("init/paths.yaml")),
    (
        "content/sources/help-desk-notice.txt",
        include_str!("init/help-desk-notice.txt"),
    ),
    ("content/pages/about.md", include_str!("init/about.md")),
    (".gitignore", "/site\n"),
];

/// Writes a new guide into `dir`. Refuses a folder that is not empty unless `force`.
pub fn init(dir: &Path, force: bool) -> Result<Vec<String>, Diagnostics> {
    let not_empty = fs::read_dir(dir)
        .map(|mut e| e.next().is_some())
        .unwrap_or(false);
    if not_empty && !force {
        return Err(Diagnostic::new(format!("{} is not empty", dir.display()))
            .with_hint("choose an empty or new folder, or pass --force to write the guide's files over what is there")
            .into());
    }
    let fail = |path: &Path, error: std::io::Error| -> Diagnostics {
        Diagnostic::new(format!("cannot write {}: {error}", path.display())).into()
    };
    let mut written = Vec::new();
    for (rel, text) in FILES {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| fail(parent, e))?;
        }
        fs::write(&path, text).map_err(|e| fail(&path, e))?;
        written.push(rel.to_string());
    }
    for (file, schema) in crate::load::schema::json_schemas() {
        let rel = format!("content/schema/{}.json", file.trim_end_matches(".yaml"));
        let path = dir.join(&rel);
        let text = serde_json::to_string_pretty(&schema).unwrap_or_default() + "\n";
        fs::create_dir_all(dir.join("content/schema")).map_err(|e| fail(&path, e))?;
        fs::write(&path, text).map_err(|e| fail(&path, e))?;
        written.push(rel);
    }
    Ok(written)
}
