//! What changed between two policy versions, as the diff pages and `casepath diff` show it.

use super::{Citation, Link, Withdrawn};
use serde::Serialize;

/// What changed from one version to another.
#[derive(Debug, Serialize, Clone)]
pub struct Diff {
    /// The version compared from (the older one, unless `reversed`).
    pub from: Link,
    /// The version compared to (the newer one, unless `reversed`).
    pub to: Link,
    /// True when `from` is the newer version: the diff then runs back in time.
    pub reversed: bool,
    /// Site-relative URL of the diff page.
    pub url: String,
    /// Rules added, changed or withdrawn.
    pub parameters: Vec<ParamChange>,
    /// Offices, channels and paths whose statements differ.
    pub records: Vec<RecordChange>,
    /// The source text of `from` (first source of the version).
    pub from_source: Option<Link>,
    /// The source text of `to`.
    pub to_source: Option<Link>,
    /// The word-level diff of the two source texts.
    pub text: Vec<TextPiece>,
}

/// One rule (policy parameter) that differs.
#[derive(Debug, Serialize, Clone)]
pub struct ParamChange {
    /// Parameter name.
    pub name: String,
    /// Readable label.
    pub label: String,
    /// `added`, `changed`, `withdrawn`, or `removed` (only when the diff runs back in time).
    pub change: &'static str,
    /// The value before, for display.
    pub old: Option<String>,
    /// The value after, for display (`None` when withdrawn).
    pub new: Option<String>,
    /// Where the value before is stated.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub old_sources: Vec<Citation>,
    /// Where the value after is stated, or the words that withdraw the rule.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub new_sources: Vec<Citation>,
    /// For a withdrawal: why it counts as withdrawn.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// An office, channel or path whose statements differ between the versions.
#[derive(Debug, Serialize, Clone, PartialEq)]
pub struct RecordChange {
    /// `office`, `channel` or `path`.
    pub kind: &'static str,
    /// Id.
    pub id: String,
    /// Name (in the newer version when it has one).
    pub name: String,
    /// URL of its page in the current view.
    pub url: String,
    /// `added` (only the newer version has it), `removed` or `changed`.
    pub change: &'static str,
    /// Statements only the newer version makes.
    pub added: Vec<String>,
    /// Statements only the older version makes (a newer source that merely does not
    /// restate something carries it over, so these come from replaced wording).
    pub removed: Vec<String>,
    /// Statements the newer version withdraws, with the words that withdraw them.
    pub withdrawn: Vec<WithdrawnStatement>,
}

/// A statement a version withdraws.
#[derive(Debug, Serialize, Clone, PartialEq)]
pub struct WithdrawnStatement {
    /// The statement, as the older version makes it.
    pub text: String,
    /// The withdrawal: the version, why, and the quote.
    #[serde(flatten)]
    pub by: Withdrawn,
}

/// A run of words of the source-text diff.
#[derive(Debug, Serialize, Clone, PartialEq)]
pub struct TextPiece {
    /// `equal`, `insert`, `delete`, or `skip` for a long unchanged run left out.
    pub op: &'static str,
    /// The words (for `skip`: how many words were left out).
    pub text: String,
}
