//! Warnings for what nothing uses: a text in `content/sources/` that no source record lists,
//! a source that nothing cites, a policy parameter of days that no wait reads (unless it is
//! declared as a limit: a window such as how far back a review reaches).
//!
//! Each is probably a mistake (a typo in a `file:` or an id, a step that still names an old
//! parameter), but the site can be built without it, so each is a warning: `build` prints it
//! and goes on, `check --deny-warnings` fails on it. None is reported while a data file that
//! could use the item failed to load: its uses are unknown.

use std::collections::HashSet;

use crate::diagnostic::{Diagnostic, Diagnostics, Location};
use crate::load::schema::Parameter;
use crate::load::{at, Content, DATA_FILES};

use super::sourced::for_each_sourced;

/// Adds a warning for each unused source text, source and policy parameter.
pub(super) fn warn_unused(content: &Content, diagnostics: &mut Diagnostics) {
    if !content.failed("sources.yaml") {
        unlisted_texts(content, diagnostics);
    }
    if DATA_FILES.iter().any(|name| content.failed(name)) {
        return;
    }
    unused_sources(content, diagnostics);
    unused_parameters(content, diagnostics);
}

/// Texts of `content/sources/` that no source record names in its `file:`.
fn unlisted_texts(content: &Content, diagnostics: &mut Diagnostics) {
    for (name, file) in &content.documents {
        if content
            .sources
            .records
            .iter()
            .any(|r| &r.file.value == name)
        {
            continue;
        }
        let first = file.text.lines().next().unwrap_or("").chars().count();
        diagnostics.push(
            Diagnostic::warning_at(
                Location::new(file, 1, 1, first),
                format!("{} is not listed in content/data/sources.yaml", file.path),
            )
            .with_label("no source record names this text")
            .with_hint(format!(
                "add a source record with `file: {name}` to content/data/sources.yaml, or move \
                 the file out of content/sources/ if the guide does not use it"
            )),
        );
    }
}

/// Source records that no record, fact, version or page cites.
fn unused_sources(content: &Content, diagnostics: &mut Diagnostics) {
    let mut cited: HashSet<&str> = HashSet::new();
    for_each_sourced(content, |_, item| {
        cited.extend(item.sources.iter().map(|s| s.source.value.as_str()));
    });
    for record in &content.sources.records {
        let id = record.id.value.as_str();
        let linked = || {
            let link = format!("@source/{id}");
            content.pages.iter().any(|p| {
                p.body()
                    .match_indices(&link)
                    .any(|(i, _)| !p.body()[i + link.len()..].starts_with(is_id_char))
            })
        };
        if cited.contains(id) || linked() {
            continue;
        }
        diagnostics.push(
            Diagnostic::warning_at(
                content
                    .sources
                    .at(&record.id.referenced, id.chars().count()),
                format!("source `{id}` is cited by nothing"),
            )
            .with_label("no fact, record or page cites this source")
            .with_hint(format!(
                "cite it where the guide uses its words (`- source: {id}` with a `quote:`), link \
                 to it from a page (`@source/{id}`), or remove the record"
            )),
        );
    }
}

/// True for a character that can be part of an id.
fn is_id_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-'
}

/// Policy parameters of days (see [`super::days::day_parameters`]) that no wait or response of a
/// step or the flowchart reads: a number of days is there to be waited, so a step that should
/// read it probably names it differently. A parameter declared with `limit: true` is a
/// window, not a wait, and other parameters (a name, a yes/no rule) are shown in the table
/// of rules, which is their use.
fn unused_parameters(content: &Content, diagnostics: &mut Diagnostics) {
    let mut used: HashSet<&str> = HashSet::new();
    for step in content.paths.records.iter().flat_map(|p| &p.steps) {
        used.extend(
            step.wait
                .iter()
                .chain(&step.response)
                .map(|w| w.parameter.value.as_str()),
        );
    }
    for node in &content.flowchart.records {
        let waits = node
            .wait
            .iter()
            .chain(node.options.iter().filter_map(|o| o.wait.as_ref()));
        used.extend(waits.map(|w| w.parameter.value.as_str()));
    }
    let days = super::days::day_parameters(content);
    let policies = &content.policies;
    let mut warned: HashSet<&str> = HashSet::new();
    for version in &policies.records {
        for (name, parameter) in &version.parameters {
            let limit = content.parameter(name).is_some_and(|p| p.limit);
            if used.contains(name.as_str())
                || limit
                || !days.contains(&name.as_str())
                || !warned.insert(name)
            {
                continue;
            }
            let Some(place) = Parameter::location(parameter) else {
                continue;
            };
            let len = parameter
                .value
                .as_ref()
                .map_or(1, |v| super::versions::display_len(&v.value));
            diagnostics.push(
                Diagnostic::warning_at(
                    at(&policies.file, place, len),
                    format!("no step or flowchart answer waits on policy parameter `{name}`"),
                )
                .with_label(format!("`{name}` of version `{}`", version.id.value))
                .with_hint(
                    "name it in a step's `wait:` or `response:`, or in a flowchart `wait:`; if \
                     a step names it differently, one of the two names is misspelt; if it is a \
                     limit rather than a wait, declare it with `limit: true` in \
                     content/data/parameters.yaml",
                ),
            );
        }
    }
}
