//! Stage 2, **validate**: check the loaded content as a whole before anything is built.
//!
//! Every rule that spans records lives here: ids are kebab-case and unique per kind; every
//! record and every fact names at least one source; every cited source exists and, when a
//! quote is given, really contains the quoted words; every reference (`office:`,
//! `channel:`, `parent:`, a wait's `parameter:`) resolves, with a "did you mean" hint when
//! it does not. All problems are collected, so one run reports them all.
//!
//! The checks are grouped by concern, one file each: [`sources`] (the source texts and the
//! quotes of every citation), [`sourced`] (what must name its sources), [`references`] (ids
//! and the references between records), [`versions`] (policy versions and their
//! parameters), [`withdrawals`], [`days`] (numbers of days), [`site`] (`site.yaml`),
//! [`declarations`], [`flowchart`], [`urls`], [`links`], [`usage`] (warnings for what
//! nothing uses) and [`skipped`] (what waits for a file that failed to load).
//!
//! The output of this stage is the same [`Content`] plus the source slices the quotes were
//! checked against, which [`crate::resolve`] uses to resolve the site.

mod days;
mod declarations;
mod flowchart;
mod languages;
pub use languages::is_language_code;
mod links;
mod references;
mod site;
mod skipped;
mod sourced;
mod sources;
pub mod translations;
mod urls;
mod usage;
mod versions;
mod withdrawals;

use std::collections::BTreeMap;

use crate::diagnostic::Diagnostics;
use crate::load::Content;

pub use references::is_kebab_case;
pub use site::base_url_problem;
pub use sources::{normalize_quote, SourceSlice};
pub use versions::PLACEHOLDER;

/// Content that passed validation, with the text of every source record.
#[derive(Debug, Clone)]
pub struct Validated {
    /// The content as loaded.
    pub content: Content,
    /// Each source record's slice of its file, by source id.
    pub slices: BTreeMap<String, SourceSlice>,
    /// What validation warns about: the site can be built, but these are probably mistakes.
    pub warnings: Diagnostics,
}

/// Checks the content; returns it with the source slices, or every problem found,
/// after the problems the load stage found (`load_errors`).
pub fn validate(content: Content, load_errors: Diagnostics) -> Result<Validated, Diagnostics> {
    references::reset_suggestions();
    let mut diagnostics = load_errors;
    let slices = sources::check_sources(&content, &mut diagnostics);
    references::check_all_ids(&content, &mut diagnostics);
    sources::check_citations(&content, &slices, &mut diagnostics);
    references::check_references(&content, &mut diagnostics);
    declarations::check_declarations(&content, &mut diagnostics);
    versions::check_waits_per_version(&content, &mut diagnostics);
    versions::check_policies(&content, &mut diagnostics);
    withdrawals::check_withdrawals(&content, &mut diagnostics);
    versions::check_placeholders(&content, &mut diagnostics);
    references::check_prefixes(&content, &mut diagnostics);
    site::check_site(&content, &mut diagnostics);
    flowchart::validate(&content, &mut diagnostics);
    urls::check_page_urls(&content, &mut diagnostics);
    links::check_page_links(&content, &mut diagnostics);
    translations::check_translations(&content, &mut diagnostics);
    usage::warn_unused(&content, &mut diagnostics);
    skipped::note_skipped_checks(&content, &mut diagnostics);

    if diagnostics.has_errors() {
        // The errors first: the warnings come once they are fixed.
        diagnostics.0.retain(|d| !d.is_warning());
        return Err(diagnostics);
    }
    Ok(Validated {
        content,
        slices,
        warnings: diagnostics,
    })
}
