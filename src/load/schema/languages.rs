//! `content/site.<lang>.yaml`: the guide's own words in one more language.

use schemars::JsonSchema;
use serde::Deserialize;

use super::StringOverrides;

/// `content/site.<lang>.yaml`: the words of `content/site.yaml` in another language. Each
/// value left out keeps the one of `site.yaml`; settings that are not words (`base_url`,
/// `theme`, …) are only in `site.yaml`.
#[derive(Debug, Deserialize, JsonSchema, Default, Clone)]
#[serde(deny_unknown_fields)]
pub struct SiteWords {
    /// The guide's title in this language.
    #[serde(default)]
    pub title: Option<String>,
    /// What the guide is for, in this language.
    #[serde(default)]
    pub description: Option<String>,
    /// The notice shown on every page, in this language.
    #[serde(default)]
    pub disclaimer: Option<String>,
    /// The guide's own words for texts of the theme's string table, in this language: the
    /// keys of `strings:` in `site.yaml`.
    #[serde(default)]
    pub strings: Option<StringOverrides>,
}
