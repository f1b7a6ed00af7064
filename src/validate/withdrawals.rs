//! Withdrawals of facts and contacts: a newer policy version takes a statement back by
//! quoting the words of its own source that do, and it must be newer than every version
//! that states the statement.

use std::collections::HashMap;

use crate::diagnostic::Diagnostic;
use crate::diagnostic::Diagnostics;
use crate::load::schema::{PolicyRecord, SourceRef};
use crate::load::{at, Content};

use super::sourced::all_parts;

/// Checks that each withdrawn fact or contact is withdrawn by a quote from the source of a
/// policy version newer than every version that states it.
pub(super) fn check_withdrawals(content: &Content, diagnostics: &mut Diagnostics) {
    if content.failed("policies.yaml") {
        return;
    }
    let mut version_of: HashMap<&str, &PolicyRecord> = HashMap::new();
    for version in &content.policies.records {
        for citation in &version.sources {
            let entry = version_of.entry(&citation.source.value).or_insert(version);
            if version.order.value > entry.order.value {
                *entry = version;
            }
        }
    }
    let newest = |refs: &[SourceRef]| {
        refs.iter()
            .filter_map(|r| version_of.get(r.source.value.as_str()).copied())
            .max_by_key(|v| v.order.value)
    };
    let known_sources = content.sources.ids(|r| &r.id);
    for (file, part) in all_parts(content) {
        let Some(withdrawal) = part.withdrawn() else {
            continue;
        };
        let refs = &withdrawal.sources;
        let source_at = |r: &SourceRef| at(file, &r.source.referenced, r.source.value.len());
        for r in refs {
            let known = known_sources.contains(&r.source.value.as_str());
            if known && !version_of.contains_key(r.source.value.as_str()) {
                diagnostics.push(
                    Diagnostic::at(
                        source_at(r),
                        format!("source `{}` belongs to no policy version", r.source.value),
                    )
                    .with_label("a withdrawal is made by a policy version")
                    .with_hint(
                        "cite the source of the version that withdraws it: one listed under \
                         `sources:` of a version in content/data/policies.yaml",
                    ),
                );
            }
        }
        let Some(first) = refs.first() else {
            continue; // Reported as a withdrawal without a source.
        };
        if !refs.iter().any(|r| r.quote.is_some()) {
            diagnostics.push(
                Diagnostic::at(
                    source_at(first),
                    format!("the withdrawal of `{}` quotes nothing", part.text().value),
                )
                .with_label("withdrawn without a quote")
                .with_hint("add a `quote:` of the words that withdraw it"),
            );
        }
        let (Some(by), Some(stated)) = (newest(refs), newest(part.sources())) else {
            continue;
        };
        if by.order.value <= stated.order.value {
            diagnostics.push(
                Diagnostic::at(
                    source_at(first),
                    format!(
                        "`{}` is withdrawn by version `{}`, but version `{}` states it and is not older",
                        part.text().value, by.id.value, stated.id.value
                    ),
                )
                .with_label("this version does not come after every version that states it")
                .with_hint(
                    "a version can withdraw only what older versions state: cite the source of \
                     a newer version here",
                ),
            );
        }
    }
}
