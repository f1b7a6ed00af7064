//! Checks of what a guide declares for the rest of its data: the policy parameters of
//! `parameters.yaml` (each once, with a unit its values fit) and the kinds of office and
//! channel of `kinds.yaml` (each office and channel names one).
//!
//! A parameter a version states but `parameters.yaml` does not declare is an error, as is a
//! value that does not fit the declared unit (words for a number of days), and a wait of a
//! step that names a parameter that is not a number of days, or one declared as a limit.

use std::collections::HashMap;

use crate::diagnostic::{Diagnostic, Diagnostics, Location, SourceFile};
use crate::load::schema::*;
use crate::load::{at, Content, DataFile};

use super::references::unknown_reference;
use super::versions::display_len;

/// Adds an error for each problem of the declarations and of their use.
pub(super) fn check_declarations(content: &Content, diagnostics: &mut Diagnostics) {
    if !content.failed("parameters.yaml") {
        check_parameter_records(content, diagnostics);
        if !content.failed("policies.yaml") {
            check_stated_parameters(content, diagnostics);
        }
        if !content.failed("paths.yaml") {
            check_step_waits(content, diagnostics);
        }
    }
    if !content.failed("kinds.yaml") {
        check_kinds(content, diagnostics);
    }
}

/// The records of `parameters.yaml`: each id once, and options that fit the unit.
fn check_parameter_records(content: &Content, diagnostics: &mut Diagnostics) {
    let data = &content.parameters;
    let mut seen: HashMap<&str, u64> = HashMap::new();
    for record in &data.records {
        let id = &record.id;
        let location = data.at(&id.referenced, id.value.chars().count());
        if let Some(line) = seen.insert(&id.value, id.referenced.line()) {
            diagnostics.push(
                Diagnostic::at(
                    location.clone(),
                    format!("policy parameter `{}` is declared twice", id.value),
                )
                .with_label("already declared")
                .with_hint(format!(
                    "the first declaration is at line {line}; keep one of the two"
                )),
            );
        }
        let unit = record.unit.value;
        let unit_at = data.at(&record.unit.referenced, unit.id().len());
        let misplaced = [
            (
                record.limit && !unit.is_days(),
                "`limit: true`",
                "a number of days",
            ),
            (
                (record.when_yes.is_some() || record.when_no.is_some()) && unit != Unit::YesNo,
                "`when_yes:` and `when_no:`",
                "a yes/no parameter",
            ),
        ];
        for (wrong, option, fits) in misplaced {
            if wrong {
                diagnostics.push(
                    Diagnostic::at(
                        unit_at.clone(),
                        format!(
                            "{option} is only for {fits}, and `{}` is {}",
                            id.value,
                            unit.id()
                        ),
                    )
                    .with_label("the unit of this parameter")
                    .with_hint(format!("remove {option}, or change the unit")),
                );
            }
        }
    }
}

/// The parameters each version states: declared, with values that fit their unit.
fn check_stated_parameters(content: &Content, diagnostics: &mut Diagnostics) {
    let data = &content.policies;
    let declared: Vec<&str> = content.parameters.ids(|p| &p.id);
    let mut reported: Vec<&str> = Vec::new();
    for version in &data.records {
        for (name, parameter) in &version.parameters {
            let place = parameter.location().unwrap_or(&version.id.referenced);
            let Some(record) = content.parameter(name) else {
                if reported.contains(&name.as_str()) {
                    continue;
                }
                reported.push(name);
                let location = key_location(&data.file, name, at(&data.file, place, 1));
                let declare = format!(
                    "declare it once in content/data/parameters.yaml, with its unit: \
                     `- id: {name}`, `label: …`, `unit: calendar_days` (or business_days, \
                     count, yes_no, text)"
                );
                let hint = match crate::diagnostic::nearest(name, &declared) {
                    Some(near) => format!("did you mean `{near}`? Otherwise {declare}"),
                    None => declare,
                };
                diagnostics.push(
                    Diagnostic::at(
                        location,
                        format!("policy parameter `{name}` is not declared"),
                    )
                    .with_label("not in content/data/parameters.yaml")
                    .with_hint(hint),
                );
                continue;
            };
            let Some(value) = &parameter.value else {
                continue;
            };
            let unit = record.unit.value;
            let fits = match value.value {
                ParamValue::Number(_) => unit.is_days() || unit == Unit::Count,
                ParamValue::Bool(_) => unit == Unit::YesNo,
                ParamValue::Text(_) => unit == Unit::Text,
            };
            if fits {
                continue;
            }
            let what = match unit {
                Unit::CalendarDays | Unit::BusinessDays => "a number of days",
                Unit::Count => "a number",
                Unit::YesNo => "yes or no (`true` or `false`)",
                Unit::Text => "words",
            };
            diagnostics.push(
                Diagnostic::at(
                    data.at(&value.referenced, display_len(&value.value)),
                    format!(
                        "parameter `{name}` of `{}` must be {what}",
                        version.id.value
                    ),
                )
                .with_label(format!("its unit is {}", unit.id()))
                .with_hint(format!(
                    "write {what} here, or change `unit:` of `{name}` in \
                     content/data/parameters.yaml (line {})",
                    record.id.referenced.line()
                )),
            );
        }
    }
}

/// The waits of steps: each names a number of days that is not a limit.
fn check_step_waits(content: &Content, diagnostics: &mut Diagnostics) {
    let file = &content.paths.file;
    let waits = content
        .paths
        .records
        .iter()
        .flat_map(|p| &p.steps)
        .flat_map(|s| s.wait.iter().chain(&s.response));
    for wait in waits {
        let name = &wait.parameter;
        let Some(record) = content.parameter(&name.value) else {
            continue;
        };
        let location = at(file, &name.referenced, name.value.chars().count());
        let unit = record.unit.value;
        let problem = if !unit.is_days() && values_fit(content, record) {
            Some((
                format!("parameter `{}` is not a number of days", name.value),
                format!("its unit is {}", unit.id()),
            ))
        } else if record.limit {
            Some((
                format!("parameter `{}` is a limit, not a wait", name.value),
                "declared with `limit: true`".to_string(),
            ))
        } else {
            None
        };
        if let Some((message, label)) = problem {
            diagnostics.push(
                Diagnostic::at(location, message)
                    .with_label(label)
                    .with_hint(format!(
                        "a wait names a parameter of calendar_days or business_days; see `{}` \
                         at line {} of content/data/parameters.yaml",
                        name.value,
                        record.id.referenced.line()
                    )),
            );
        }
    }
}

/// True when every value the versions give the parameter fits its declared unit: when one
/// does not, that is the mistake to report, not the waits that name the parameter.
pub(super) fn values_fit(content: &Content, record: &ParameterRecord) -> bool {
    let unit = record.unit.value;
    content
        .policies
        .records
        .iter()
        .filter_map(|v| v.parameters.get(&record.id.value)?.value())
        .all(|value| match value {
            ParamValue::Number(_) => unit.is_days() || unit == Unit::Count,
            ParamValue::Bool(_) => unit == Unit::YesNo,
            ParamValue::Text(_) => unit == Unit::Text,
        })
}

/// The kinds: each id once per kind of record, and every office and channel naming one.
fn check_kinds(content: &Content, diagnostics: &mut Diagnostics) {
    check_kind_ids(&content.kinds, diagnostics);
    let data = &content.kinds;
    let known = |of: KindOf| -> Vec<&str> {
        data.records
            .iter()
            .filter(|k| k.of == of)
            .map(|k| k.id.value.as_str())
            .collect()
    };
    let mut check = |file: &SourceFile, kind: &Spanned<String>, of: KindOf, known: &[&str]| {
        if known.contains(&kind.value.as_str()) {
            return;
        }
        let location = at(file, &kind.referenced, kind.value.chars().count());
        diagnostics.push(
            unknown_reference(
                location,
                &format!("{} kind", of_word(of)),
                &kind.value,
                known.iter().copied(),
            )
            .with_note(format!(
                "a guide declares its kinds in content/data/kinds.yaml; to add this one: \
                 `- id: {}`, `of: {}`, `label: …`",
                kind.value,
                of_word(of)
            )),
        );
    };
    let offices = (content.offices.records.iter()).map(|o| &o.kind);
    let channels = (content.channels.records.iter()).map(|c| &c.kind);
    let uses: [(&str, &SourceFile, Vec<&Spanned<String>>, KindOf); 2] = [
        (
            "offices.yaml",
            &content.offices.file,
            offices.collect(),
            KindOf::Office,
        ),
        (
            "channels.yaml",
            &content.channels.file,
            channels.collect(),
            KindOf::Channel,
        ),
    ];
    for (name, file, kinds, of) in uses {
        if content.failed(name) {
            continue;
        }
        let known = known(of);
        for kind in kinds {
            check(file, kind, of, &known);
        }
    }
}

/// Checks that each kind's id is kebab-case and declared once per kind of record.
fn check_kind_ids(data: &DataFile<KindRecord>, diagnostics: &mut Diagnostics) {
    let mut seen: HashMap<(KindOf, &str), u64> = HashMap::new();
    for kind in &data.records {
        let id = &kind.id;
        let location = data.at(&id.referenced, id.value.chars().count());
        if !super::references::is_kebab_case(&id.value) {
            diagnostics.push(
                Diagnostic::at(
                    location.clone(),
                    format!("kind id `{}` is not kebab-case", id.value),
                )
                .with_label("offices and channels name their kind by this id")
                .with_hint("use lower-case letters, digits and single hyphens"),
            );
        }
        if let Some(line) = seen.insert((kind.of, &id.value), id.referenced.line()) {
            diagnostics.push(
                Diagnostic::at(
                    location,
                    format!("duplicate {} kind `{}`", of_word(kind.of), id.value),
                )
                .with_label("this kind is already declared")
                .with_hint(format!("the first is at line {line}; keep one of the two")),
            );
        }
    }
}

/// `office` or `channel`.
fn of_word(of: KindOf) -> &'static str {
    match of {
        KindOf::Office => "office",
        KindOf::Channel => "channel",
    }
}

/// Where the key `name:` is written: the nearest line at or above `near` that starts with
/// it, else `near` itself.
fn key_location(file: &SourceFile, name: &str, near: Location) -> Location {
    let lines: Vec<&str> = file.text.lines().collect();
    let key = format!("{name}:");
    (1..=near.line.min(lines.len()))
        .rev()
        .find_map(|line| {
            let text = lines[line - 1];
            let indent = text.len() - text.trim_start().len();
            text.trim_start().starts_with(&key).then(|| {
                Location::new(
                    file,
                    line,
                    text[..indent].chars().count() + 1,
                    name.chars().count(),
                )
            })
        })
        .unwrap_or(near)
}
