//! What is not checked while a file fails to load: references into a data file that failed
//! are not reported one by one (each would be a false "unknown office"), nor quotes from a
//! source text that could not be read. The first error about each such file says how many
//! checks wait for it.

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::load::Content;

use super::sourced::for_each_sourced;

/// Adds a note to the first error about each file that failed to load, saying which checks
/// wait for it.
pub(super) fn note_skipped_checks(content: &Content, diagnostics: &mut Diagnostics) {
    let notes = content
        .failed
        .iter()
        .filter_map(|name| unchecked_references(content, name))
        .chain(
            (content.failed_documents.iter()).filter_map(|name| unchecked_quotes(content, name)),
        );
    for (path, note) in notes {
        let about = |d: &Diagnostic| match &d.location {
            Some(location) => location.file.path == path,
            None => d.message.starts_with(&path),
        };
        if let Some(first) = diagnostics
            .0
            .iter_mut()
            .find(|d| !d.is_warning() && about(d))
        {
            first.notes.push(note);
        }
    }
}

/// The note for the data file `name` that failed to load: how many references to its
/// records the other data files and the pages make, unchecked. With its file's path.
fn unchecked_references(content: &Content, name: &str) -> Option<(String, String)> {
    let (what, keys, link): (&str, &[&str], &str) = match name {
        "sources.yaml" => ("sources", &["source"], "@source/"),
        "offices.yaml" => ("offices", &["office"], "@office/"),
        "channels.yaml" => ("channels", &["channel"], "@channel/"),
        "policies.yaml" => ("policy parameters", &["parameter", "published_per"], "\0"),
        "paths.yaml" => ("paths", &["path", "step"], "@path/"),
        _ => return None,
    };
    let path = format!("content/data/{name}");
    let in_data: usize = (content.data_files().iter())
        .filter(|f| f.path != path)
        .flat_map(|f| f.text.lines())
        .filter(|line| {
            let line = line.trim_start();
            let line = line.strip_prefix("- ").unwrap_or(line).trim_start();
            keys.iter()
                .any(|k| line.strip_prefix(k).is_some_and(|r| r.starts_with(':')))
        })
        .count();
    let in_pages: usize = (content.pages.iter())
        .map(|p| p.body().matches(link).count())
        .sum();
    let n = in_data + in_pages;
    let note = format!(
        "{n} reference{} to {what} in other files {} not checked until this file loads",
        if n == 1 { "" } else { "s" },
        if n == 1 { "is" } else { "are" },
    );
    (n > 0).then_some((path, note))
}

/// The note for the source text `name` that could not be read: how many quotes from it are
/// unchecked. With its file's path.
fn unchecked_quotes(content: &Content, name: &str) -> Option<(String, String)> {
    let ids: Vec<&str> = (content.sources.records.iter())
        .filter(|r| r.file.value == name)
        .map(|r| r.id.value.as_str())
        .collect();
    let mut n = 0;
    for_each_sourced(content, |_, item| {
        n += (item.sources.iter())
            .filter(|s| s.quote.is_some() && ids.contains(&s.source.value.as_str()))
            .count();
    });
    let note = format!(
        "{n} quote{} from this text {} not checked until it can be read",
        if n == 1 { "" } else { "s" },
        if n == 1 { "is" } else { "are" },
    );
    (n > 0).then(|| (format!("content/sources/{name}"), note))
}
