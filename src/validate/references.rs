//! Ids and the references between records: ids are kebab-case and unique per kind, every
//! reference names a record or parameter that exists (with a "did you mean" hint when it
//! does not), and each case-number prefix belongs to one office.

use std::collections::HashMap;

use crate::diagnostic::{nearest, Diagnostic, Diagnostics, Location, SourceFile};
use crate::load::schema::{ParamValue, Parameter, PathRecord, Spanned};
use crate::load::{at, Content, DataFile};

use super::sourced::all_contacts;

/// Checks the ids of the sources, offices, channels, policy versions, paths and flowchart
/// nodes (see [`check_ids`]).
pub(super) fn check_all_ids(content: &Content, diagnostics: &mut Diagnostics) {
    check_ids(&content.sources, |r| &r.id, "source", diagnostics);
    check_ids(&content.offices, |r| &r.id, "office", diagnostics);
    check_ids(&content.channels, |r| &r.id, "channel", diagnostics);
    check_ids(&content.policies, |r| &r.id, "policy version", diagnostics);
    check_ids(&content.paths, |r| &r.id, "path", diagnostics);
    check_ids(&content.flowchart, |r| &r.id, "flowchart node", diagnostics);
}

/// Checks that ids are kebab-case and unique within a kind.
fn check_ids<T>(
    data: &DataFile<T>,
    id_of: impl Fn(&T) -> &Spanned<String>,
    kind: &str,
    diagnostics: &mut Diagnostics,
) {
    let mut seen: HashMap<&str, &Spanned<String>> = HashMap::new();
    for record in &data.records {
        let id = id_of(record);
        let len = id.value.chars().count();
        if !is_kebab_case(&id.value) {
            diagnostics.push(
                Diagnostic::at(data.at(&id.referenced, len), format!("{kind} id `{}` is not kebab-case", id.value))
                    .with_label("ids are used in web addresses")
                    .with_hint("use lower-case letters, digits and single hyphens, e.g. `regional-office-north`"),
            );
        }
        if let Some(first) = seen.get(id.value.as_str()) {
            diagnostics.push(
                Diagnostic::at(
                    data.at(&id.referenced, len),
                    format!("duplicate {kind} id `{}`", id.value),
                )
                .with_label("this id is already used")
                .with_hint(format!(
                    "the first record with this id is at line {}; give each record its own id",
                    first.referenced.line()
                )),
            );
        } else {
            seen.insert(&id.value, id);
        }
    }
}

/// True for `lower-case-words-1`.
pub fn is_kebab_case(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('-')
        && !id.ends_with('-')
        && !id.contains("--")
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// An error for a reference to an id that does not exist, with the nearest id as a hint.
pub fn unknown_reference<'a>(
    location: Location,
    kind: &str,
    wanted: &str,
    known: impl Iterator<Item = &'a str>,
) -> Diagnostic {
    let known: Vec<&str> = known.collect();
    let diagnostic = Diagnostic::at(location, format!("unknown {kind} `{wanted}`"))
        .with_label(format!("no {kind} is called this"));
    // Looking for a near name costs a comparison with every known one: a file with
    // thousands of wrong references gets suggestions for its first few only.
    let near = SUGGESTIONS.with(|left| {
        let n = left.get();
        left.set(n.saturating_sub(1));
        (n > 0).then(|| nearest(wanted, &known)).flatten()
    });
    match near {
        Some(near) => diagnostic.with_hint(format!("did you mean `{near}`?")),
        None if known.is_empty() => diagnostic.with_hint(format!("there is no {kind} yet")),
        None if known.len() > KNOWN_LISTED => diagnostic.with_hint(format!(
            "known: {}, and {} more",
            known[..KNOWN_LISTED].join(", "),
            known.len() - KNOWN_LISTED
        )),
        None => diagnostic.with_hint(format!("known: {}", known.join(", "))),
    }
}

/// How many known names an unknown-reference error lists.
const KNOWN_LISTED: usize = 10;

/// How many unknown references of one validation get a "did you mean" suggestion.
const SUGGESTION_BUDGET: usize = 200;

/// Gives a new validation its full budget of suggestions (see [`SUGGESTION_BUDGET`]).
pub(super) fn reset_suggestions() {
    SUGGESTIONS.with(|left| left.set(SUGGESTION_BUDGET));
}

thread_local! {
    /// The suggestions left to this validation (see [`SUGGESTION_BUDGET`]).
    static SUGGESTIONS: std::cell::Cell<usize> = const { std::cell::Cell::new(SUGGESTION_BUDGET) };
}

/// The ids that references may name, and whether to report a reference that names none.
struct Known<'a> {
    content: &'a Content,
    offices: Vec<&'a str>,
    channels: Vec<&'a str>,
    parameters: Vec<&'a str>,
}

impl Known<'_> {
    /// The error for `reference` (written in `file`) to an unknown `kind` (`office`,
    /// `channel` or `policy parameter`), if it is one; none when the file of that kind
    /// failed to load, as that is reported already.
    fn check(
        &self,
        file: &SourceFile,
        reference: &Spanned<String>,
        kind: &str,
    ) -> Option<Diagnostic> {
        let (known, failed) = match kind {
            "office" => (&self.offices, "offices.yaml"),
            "channel" => (&self.channels, "channels.yaml"),
            _ => (&self.parameters, "policies.yaml"),
        };
        (!self.content.failed(failed) && !known.contains(&reference.value.as_str())).then(|| {
            unknown_reference(
                at(file, &reference.referenced, reference.value.chars().count()),
                kind,
                &reference.value,
                known.iter().copied(),
            )
        })
    }
}

/// Checks `office:`, `channel:`, `parent:`, `published_per:` and waits' `parameter:`
/// references, and the step ids of each path.
pub(super) fn check_references(content: &Content, diagnostics: &mut Diagnostics) {
    let known = Known {
        content,
        offices: content.offices.ids(|r| &r.id),
        channels: content.channels.ids(|r| &r.id),
        parameters: content.parameter_names(),
    };
    check_published_per(content, &known, diagnostics);
    for office in &content.offices.records {
        if let Some(parent) = &office.parent {
            diagnostics.extend_opt(known.check(&content.offices.file, parent, "office"));
        }
    }
    for channel in &content.channels.records {
        if let Some(office) = &channel.office {
            diagnostics.extend_opt(known.check(&content.channels.file, office, "office"));
        }
    }
    for path in &content.paths.records {
        check_steps(content, path, &known, diagnostics);
    }
}

/// Checks that each contact's `published_per:` names a yes/no policy parameter.
fn check_published_per(content: &Content, known: &Known<'_>, diagnostics: &mut Diagnostics) {
    for (file, contact) in all_contacts(content) {
        let Some(parameter) = &contact.published_per else {
            continue;
        };
        diagnostics.extend_opt(known.check(file, parameter, "policy parameter"));
        let not_yes_no = content.policies.records.iter().any(|p| {
            p.parameters
                .get(&parameter.value)
                .and_then(Parameter::value)
                .is_some_and(|v| !matches!(v, ParamValue::Bool(_)))
        });
        if not_yes_no {
            diagnostics.push(
                Diagnostic::at(
                    at(file, &parameter.referenced, parameter.value.chars().count()),
                    format!("parameter `{}` is not a yes/no value", parameter.value),
                )
                .with_label("`published_per` needs a parameter that is true or false")
                .with_hint("name a parameter whose values are `true` or `false` in every version"),
            );
        }
    }
}

/// Checks the steps of a path: there is one at least, each id is kebab-case and unique in
/// the path, and each `office:`, `channel:` and wait's `parameter:` is known.
fn check_steps(
    content: &Content,
    path: &PathRecord,
    known: &Known<'_>,
    diagnostics: &mut Diagnostics,
) {
    let file = &content.paths.file;
    let mut step_ids: HashMap<&str, u64> = HashMap::new();
    for step in &path.steps {
        if let Some(office) = &step.office {
            diagnostics.extend_opt(known.check(file, office, "office"));
        }
        if let Some(channel) = &step.channel {
            diagnostics.extend_opt(known.check(file, channel, "channel"));
        }
        for wait in step.wait.iter().chain(&step.response) {
            diagnostics.extend_opt(known.check(file, &wait.parameter, "policy parameter"));
        }
        let id_at = || at(file, &step.id.referenced, step.id.value.chars().count());
        if let Some(line) = step_ids.insert(&step.id.value, step.id.referenced.line()) {
            diagnostics.push(
                Diagnostic::at(
                    id_at(),
                    format!(
                        "duplicate step id `{}` in path `{}`",
                        step.id.value, path.id.value
                    ),
                )
                .with_label("this id is already used in this path")
                .with_hint(format!("the first step with this id is at line {line}")),
            );
        }
        if !is_kebab_case(&step.id.value) {
            diagnostics.push(
                Diagnostic::at(
                    id_at(),
                    format!("step id `{}` is not kebab-case", step.id.value),
                )
                .with_label("step ids are used as anchors")
                .with_hint("use lower-case letters, digits and single hyphens"),
            );
        }
    }
    if path.steps.is_empty() {
        diagnostics.push(
            Diagnostic::at(
                content
                    .paths
                    .at(&path.id.referenced, path.id.value.chars().count()),
                format!("path `{}` has no steps", path.id.value),
            )
            .with_hint("add at least one step under `steps:`"),
        );
    }
}

/// Checks case-number prefixes (`receipt_prefix:`): three capital letters, each used by one
/// office.
pub(super) fn check_prefixes(content: &Content, diagnostics: &mut Diagnostics) {
    let data = &content.offices;
    let mut seen: HashMap<&str, &str> = HashMap::new();
    for office in &data.records {
        let Some(prefix) = &office.receipt_prefix else {
            continue;
        };
        let value = prefix.value.as_str();
        if value.len() != 3 || !value.chars().all(|c| c.is_ascii_uppercase()) {
            diagnostics.push(
                Diagnostic::at(
                    data.at(&prefix.referenced, value.chars().count()),
                    format!("case-number prefix `{value}` is not three capital letters"),
                )
                .with_label("case numbers start with three letters")
                .with_hint("write the prefix as the sources show it, e.g. `ABC`"),
            );
        }
        if let Some(other) = seen.insert(value, &office.id.value) {
            diagnostics.push(
                Diagnostic::at(
                    data.at(&prefix.referenced, value.len()),
                    format!("case-number prefix `{value}` is already used by `{other}`"),
                )
                .with_label("each prefix belongs to one office")
                .with_hint("check the prefix against the source"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_must_be_kebab_case() {
        assert!(is_kebab_case("north-repair-office"));
        assert!(!is_kebab_case("Vermont"));
        assert!(!is_kebab_case("a--b"));
        assert!(!is_kebab_case("-a"));
    }

    #[test]
    fn nearest_suggests_close_ids_only() {
        assert_eq!(
            nearest("help-dsk", &["help-desk", "other"]),
            Some("help-desk")
        );
        assert_eq!(nearest("zzzz", &["help-desk"]), None);
    }
}
