//! The data files of `content/data/` ([`DATA_FILES`]): each read and decoded as a list of
//! its records, in parallel; a blank file, or one that does not decode, is reported and
//! left without records.

use std::fs;
use std::path::Path;

use serde::de::DeserializeOwned;

use super::files::{display_path, read_text_within};
use super::yaml::{DecodeMemo, MAX_YAML_BYTES};
use super::{Content, DataFile};
use crate::diagnostic::{Diagnostic, Diagnostics, Location, SourceFile};

/// Reads every data file of `content/data/` under `content.root` into `content`, decoding
/// through `memo`. The files are read in parallel, each with its own list of problems; the
/// lists are joined in the order of [`DATA_FILES`], as if read one after the other. Files
/// that fail go to `content.failed`; YAML files that are not data files are warned of.
pub(super) fn load_data_files(
    content: &mut Content,
    memo: &DecodeMemo,
    diagnostics: &mut Diagnostics,
) {
    let root = content.root.clone();
    let root = root.as_path();
    let data_dir = root.join("content").join("data");
    let mut problems: [(Diagnostics, Vec<String>); 8] = Default::default();
    let [p0, p1, p2, p3, p4, p5, p6, p7] = &mut problems;
    let data = &data_dir;
    rayon::scope(|s| {
        s.spawn(|_| content.sources = load_data(root, data, "sources.yaml", memo, p0));
        s.spawn(|_| content.parameters = load_data(root, data, "parameters.yaml", memo, p6));
        s.spawn(|_| content.kinds = load_data(root, data, "kinds.yaml", memo, p7));
        s.spawn(|_| content.offices = load_data(root, data, "offices.yaml", memo, p1));
        s.spawn(|_| content.channels = load_data(root, data, "channels.yaml", memo, p2));
        s.spawn(|_| content.policies = load_data(root, data, "policies.yaml", memo, p3));
        s.spawn(|_| content.paths = load_data(root, data, "paths.yaml", memo, p4));
        s.spawn(|_| content.flowchart = load_data(root, data, "flowchart.yaml", memo, p5));
    });
    // In the order of DATA_FILES.
    let [q0, q1, q2, q3, q4, q5, q6, q7] = problems;
    for (found, failed) in [q0, q6, q7, q1, q2, q3, q4, q5] {
        diagnostics.extend(found);
        content.failed.extend(failed);
    }
    warn_unknown_data_files(root, &data_dir, diagnostics);
}

/// Reads the data file `name` of records; a missing file is an empty list. A file that
/// fails is reported and its name added to the failed list.
fn load_data<T: DeserializeOwned + Clone + Send + 'static>(
    root: &Path,
    data_dir: &Path,
    name: &str,
    memo: &DecodeMemo,
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
    data_file_with(memo, file, name, diagnostics, failed)
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
    data_file_with(&DecodeMemo::default(), file, name, diagnostics, failed)
}

/// [`data_file`], with the text decoded through `memo`.
fn data_file_with<T: DeserializeOwned + Clone + Send + 'static>(
    memo: &DecodeMemo,
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
    match memo.decode::<Vec<T>>(&file, &file.text, 0, diagnostics) {
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

/// Warns of each YAML file in `data_dir` that is not one of [`DATA_FILES`].
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

/// What each top-level item of a data file is, by the file's name: `office` for
/// `offices.yaml`. `None` for other files (`site.yaml`).
pub(super) fn item_of(path: &str) -> Option<&'static str> {
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
