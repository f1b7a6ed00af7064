//! `casepath init DIR`: a small new guide to start from.
//!
//! Writes one source, one declared policy parameter with one policy version, the kinds of
//! office and channel it uses, one office, one channel, one path and one page into
//! `DIR/content/`, plus the JSON Schemas for editors and a GitHub Actions workflow
//! (`.github/workflows/pages.yml`) that checks the guide and publishes it to GitHub Pages
//! with this version of casepath. The site uses the default theme built into the binary, so
//! it builds and passes `casepath check` at once.

use std::fs;
use std::path::Path;

use crate::diagnostic::{Diagnostic, Diagnostics};

/// The files of a new guide: path under the folder, contents.
const FILES: &[(&str, &str)] = &[
    ("content/site.yaml", include_str!("starter/site.yaml")),
    (
        "content/data/sources.yaml",
        include_str!("starter/sources.yaml"),
    ),
    (
        "content/data/parameters.yaml",
        include_str!("starter/parameters.yaml"),
    ),
    (
        "content/data/kinds.yaml",
        include_str!("starter/kinds.yaml"),
    ),
    (
        "content/data/policies.yaml",
        include_str!("starter/policies.yaml"),
    ),
    (
        "content/data/offices.yaml",
        include_str!("starter/offices.yaml"),
    ),
    (
        "content/data/channels.yaml",
        include_str!("starter/channels.yaml"),
    ),
    (
        "content/data/paths.yaml",
        include_str!("starter/paths.yaml"),
    ),
    (
        "content/sources/help-desk-notice.txt",
        include_str!("starter/help-desk-notice.txt"),
    ),
    ("content/pages/about.md", include_str!("starter/about.md")),
    (".gitignore", "/site\n"),
];

/// Where a new guide's workflow goes, under the guide's folder.
pub const WORKFLOW_PATH: &str = ".github/workflows/pages.yml";

/// The GitHub Pages workflow of a new guide, pinned to this casepath's version, which
/// replaces `@VERSION@` (see [`pages_workflow`]).
const WORKFLOW: &str = include_str!("starter/pages.yml");

/// The workflow `init` writes to [`WORKFLOW_PATH`]: it installs this very version of
/// casepath, checks the guide on every push and pull request, and publishes it to GitHub
/// Pages from the repository's default branch.
pub fn pages_workflow() -> String {
    WORKFLOW.replace("@VERSION@", env!("CARGO_PKG_VERSION"))
}

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
    let workflow = pages_workflow();
    let files = FILES
        .iter()
        .copied()
        .chain([(WORKFLOW_PATH, workflow.as_str())]);
    for (rel, text) in files {
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
