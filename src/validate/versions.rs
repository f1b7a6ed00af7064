//! Policy versions and their parameters: distinct orders, a value or a withdrawal for each
//! parameter (not both), waits that are numbers of days and that every version stating a
//! step can show, and no `FILL IN` left by `casepath new-version`.

use std::collections::HashMap;

use crate::diagnostic::{Diagnostic, Diagnostics, Location};
use crate::load::schema::{in_effect, ParamValue, Parameter, PolicyRecord, Record, Spanned};
use crate::load::{at, Content, DataFile};

use super::days::{check_days, day_parameters};

/// Checks that versions have distinct orders and that waits are numbers of days.
pub(super) fn check_policies(content: &Content, diagnostics: &mut Diagnostics) {
    let data = &content.policies;
    let mut orders: HashMap<i64, &str> = HashMap::new();
    for policy in &data.records {
        if let Some(other) = orders.insert(policy.order.value, &policy.id.value) {
            diagnostics.push(
                Diagnostic::at(
                    data.at(
                        &policy.order.referenced,
                        policy.order.value.to_string().len(),
                    ),
                    format!(
                        "policy versions `{other}` and `{}` have the same order",
                        policy.id.value
                    ),
                )
                .with_label("each version needs its own position")
                .with_hint("give the versions distinct `order:` numbers, oldest first"),
            );
        }
    }
    let wait_parameters: Vec<&Spanned<String>> = content
        .paths
        .records
        .iter()
        .flat_map(|p| &p.steps)
        .flat_map(|s| s.wait.iter().chain(&s.response))
        .map(|w| &w.parameter)
        .collect();
    let days = day_parameters(content);
    for policy in &data.records {
        for (key, parameter) in &policy.parameters {
            let what = format!("parameter `{key}` of `{}`", policy.id.value);
            diagnostics.extend(check_withdrawn_parameter(data, policy, key, parameter));
            let Some(value) = &parameter.value else {
                continue;
            };
            if let ParamValue::Number(n) = value.value {
                if days.contains(&key.as_str()) {
                    diagnostics.extend_opt(check_days(data, &what, n, value, parameter));
                }
            }
            // A declared parameter's value is checked against its unit instead.
            let is_wait = wait_parameters.iter().any(|w| &w.value == key);
            let declared = content.parameter(key).is_some();
            if is_wait && !declared && !matches!(value.value, ParamValue::Number(_)) {
                diagnostics.push(
                    Diagnostic::at(
                        data.at(&value.referenced, 1),
                        format!(
                            "parameter `{key}` of `{}` must be a number of days",
                            policy.id.value
                        ),
                    )
                    .with_label("a path waits on this parameter")
                    .with_hint("write the number only, e.g. `value: 15`"),
                );
            }
        }
    }
}

/// Checks that a parameter has a value or is withdrawn (not both), and that a withdrawal
/// quotes its source and takes back a rule an older version states.
fn check_withdrawn_parameter(
    data: &DataFile<PolicyRecord>,
    policy: &PolicyRecord,
    key: &str,
    parameter: &Parameter,
) -> Diagnostics {
    let mut found = Diagnostics::new();
    let id = &policy.id.value;
    let location = || match (&parameter.value, &parameter.withdrawn) {
        (Some(value), _) => data.at(&value.referenced, display_len(&value.value)),
        (None, Some(withdrawn)) => {
            data.at(&withdrawn.referenced, withdrawn.value.to_string().len())
        }
        (None, None) => data.at(&policy.id.referenced, id.chars().count()),
    };
    let withdraw_hint = "when this version withdraws the rule, write `withdrawn: true` and \
                         quote the words of its source that withdraw it";
    match (&parameter.value, parameter.is_withdrawn()) {
        (Some(_), false) => {}
        (None, false) => found.push(
            Diagnostic::at(
                location(),
                format!("parameter `{key}` of `{id}` has no value"),
            )
            .with_label("no `value:` for this parameter")
            .with_hint(format!(
                "write `value:`; {withdraw_hint}; a version that does not mention a rule \
                 leaves it out and carries it over"
            )),
        ),
        (Some(_), true) => found.push(
            Diagnostic::at(
                location(),
                format!("parameter `{key}` of `{id}` has a value and is withdrawn"),
            )
            .with_label("a value here")
            .with_hint("a version either states a new value or withdraws the rule: keep one"),
        ),
        (None, true) => {
            let older = data
                .records
                .iter()
                .filter(|v| v.order.value < policy.order.value);
            let stated =
                in_effect(older, key, policy.order.value).is_some_and(|(_, p)| p.value().is_some());
            if !stated {
                found.push(
                    Diagnostic::at(
                        location(),
                        format!("version `{id}` withdraws `{key}`, but no older version states it"),
                    )
                    .with_label("nothing to withdraw")
                    .with_hint(
                        "withdraw only a rule an older version states; a version carries over \
                         every rule it does not mention",
                    ),
                );
            }
            if !parameter.sources.iter().any(|s| s.quote.is_some()) {
                found.push(
                    Diagnostic::at(
                        location(),
                        format!("the withdrawal of `{key}` in `{id}` quotes nothing"),
                    )
                    .with_label("withdrawn without a quote")
                    .with_hint(
                        "add `sources:` with `- source: <id>` and a `quote:` of the words \
                         that withdraw the rule",
                    ),
                );
            }
        }
    }
    found
}

/// How many characters a parameter value takes when written plainly, to underline it.
pub(super) fn display_len(value: &ParamValue) -> usize {
    match value {
        ParamValue::Bool(b) => b.to_string().len(),
        ParamValue::Number(n) => n.to_string().len(),
        ParamValue::Text(t) => t.chars().count(),
    }
}

/// Checks that every version stating a step has the step's waits, stated or carried over
/// from an older version (unless a wait is marked `optional`), so each version's page of
/// the path can show them.
pub(super) fn check_waits_per_version(content: &Content, diagnostics: &mut Diagnostics) {
    if content.failed("policies.yaml") {
        return;
    }
    for path in &content.paths.records {
        for step in &path.steps {
            for version in &content.policies.records {
                let in_effect = |name: &str| {
                    in_effect(&content.policies.records, name, version.order.value)
                        .is_some_and(|(_, p)| p.value().is_some())
                };
                let states_step = step.cited().any(|r| {
                    version
                        .sources
                        .iter()
                        .any(|v| v.source.value == r.source.value)
                });
                if !states_step {
                    continue;
                }
                for wait in step.wait.iter().chain(&step.response) {
                    let name = &wait.parameter;
                    let known = content
                        .policies
                        .records
                        .iter()
                        .any(|v| v.parameters.contains_key(&name.value));
                    // An unknown parameter is reported once, by `check_references`.
                    if !known || wait.optional || in_effect(&name.value) {
                        continue;
                    }
                    diagnostics.push(
                        Diagnostic::at(
                            at(&content.paths.file, &name.referenced, name.value.chars().count()),
                            format!(
                                "policy version `{}` states step `{}` of path `{}` but not its wait `{}`",
                                version.id.value, step.id.value, path.id.value, name.value
                            ),
                        )
                        .with_label("this wait has no value in that version or any older one")
                        .with_hint(format!(
                            "add `{}` to version `{}` in content/data/policies.yaml, or mark the wait `optional: true` if that source does not say",
                            name.value, version.id.value
                        )),
                    );
                }
            }
        }
    }
}

/// The words `casepath new-version` writes where the editor still has to write a value.
pub const PLACEHOLDER: &str = "FILL IN";

/// Reports every [`PLACEHOLDER`] left in the data files (outside comments).
pub(super) fn check_placeholders(content: &Content, diagnostics: &mut Diagnostics) {
    for file in content.data_files() {
        for (i, line) in file.text.lines().enumerate() {
            let Some(byte) = line.find(PLACEHOLDER) else {
                continue;
            };
            if line.trim_start().starts_with('#') {
                continue;
            }
            let column = line[..byte].chars().count() + 1;
            diagnostics.push(
                Diagnostic::at(
                    Location::new(file, i + 1, column, PLACEHOLDER.len()),
                    "a value still says FILL IN",
                )
                .with_label("write this from the source text")
                .with_hint(
                    "`casepath new-version` leaves these for you to write: replace the \
                     placeholder and its description with your own words",
                ),
            );
        }
    }
}
