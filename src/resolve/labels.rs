//! Words for parameters and kinds: the labels the guide declares (`parameters.yaml`,
//! `kinds.yaml`) and values in the words of their unit, from the string table.

use crate::load::schema::{ParamValue, ParameterRecord};
use crate::strings::Strings;

/// A readable label for a parameter that `parameters.yaml` does not declare (validation
/// refuses one, so only tools that skip it see this): its name in words,
/// `followup_days` → "Followup".
pub fn parameter_label(name: &str) -> String {
    let words = name.trim_end_matches("_days").replace('_', " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A parameter value for display in the unit its declaration gives: days with the string
/// table's words for the unit ("15 days", "10 business days"), yes/no with the declared
/// words or the table's, numbers and text as they are.
pub fn display_value(
    parameter: Option<&ParameterRecord>,
    value: &ParamValue,
    strings: &Strings,
) -> String {
    let unit = parameter.map(|p| p.unit.value);
    match value {
        ParamValue::Number(n) => match unit {
            Some(unit) if unit.is_days() => strings.count(&format!("units.{}", unit.id()), *n),
            _ => n.to_string(),
        },
        ParamValue::Bool(true) => parameter
            .and_then(|p| p.when_yes.clone())
            .unwrap_or_else(|| strings.get("units.yes_no.yes").to_string()),
        ParamValue::Bool(false) => parameter
            .and_then(|p| p.when_no.clone())
            .unwrap_or_else(|| strings.get("units.yes_no.no").to_string()),
        ParamValue::Text(t) => t.clone(),
    }
}
