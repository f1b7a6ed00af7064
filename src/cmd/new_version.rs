//! `casepath new-version ID --source FILE`: starts a new policy version.
//!
//! Copies the new source text into `content/sources/` and appends two skeleton records, as
//! text at the end of each file so that the files' comments and layout stay exactly as they
//! are: a source record to `content/data/sources.yaml` and a version to
//! `content/data/policies.yaml`, placed after the newest version. The version carries over
//! every rule and record of the versions before it, so the editor then writes only what the
//! new text changes. Values only the editor can write are left as
//! [`crate::validate::PLACEHOLDER`]s, which every build reports until they are written.

use std::fs;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::validate::{is_kebab_case, PLACEHOLDER};

/// Why a new version could not be added.
#[derive(Debug)]
pub enum Refused {
    /// The command line asks for something impossible (a bad or taken id, a missing file).
    Usage(String),
    /// The guide's data does not load, or a file cannot be written.
    Content(Diagnostics),
}

impl From<Diagnostics> for Refused {
    fn from(diagnostics: Diagnostics) -> Self {
        Refused::Content(diagnostics)
    }
}

/// What [`new_version`] wrote, for the message that tells the editor what to fill in.
#[derive(Debug)]
pub struct Added {
    /// The new version's position (`order:`).
    pub order: i64,
    /// The id of the version it comes after, if there is one.
    pub after: Option<String>,
    /// The source text, relative to the root (`content/sources/notice.txt`).
    pub text: String,
    /// The line of `content/data/sources.yaml` the source record starts on.
    pub source_line: usize,
    /// The line of `content/data/policies.yaml` the version starts on.
    pub version_line: usize,
    /// The policy parameters the guide has so far, sorted.
    pub parameters: Vec<String>,
}

/// Adds version `id`, resting on the text file `source`, to the guide at `root`.
pub fn new_version(root: &Path, id: &str, source: &Path) -> Result<Added, Refused> {
    if !is_kebab_case(id) {
        return Err(Refused::Usage(format!(
            "the id `{id}` is not kebab-case: use lower-case letters, digits and single hyphens, e.g. `notice-2026`"
        )));
    }
    let (content, load_errors) = crate::load::load(root)?;
    if !load_errors.is_empty() {
        return Err(Refused::Content(load_errors));
    }
    let taken = |ids: Vec<&str>| ids.contains(&id);
    if taken(content.policies.ids(|r| &r.id)) || taken(content.sources.ids(|r| &r.id)) {
        return Err(Refused::Usage(format!(
            "a policy version or source is already called `{id}`: choose another id"
        )));
    }
    let text = fs::read(source).map_err(|e| {
        Refused::Usage(format!(
            "cannot read the source text {}: {e}",
            source.display()
        ))
    })?;
    if std::str::from_utf8(&text).is_err() {
        return Err(Refused::Usage(format!(
            "{} is not UTF-8 text: save the source as plain text first",
            source.display()
        )));
    }
    let name = source
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| Refused::Usage(format!("{} names no file", source.display())))?;
    if name.chars().any(char::is_control) {
        return Err(Refused::Usage(format!(
            "the file name {name:?} has a control character: rename the file"
        )));
    }
    let text_rel = format!("content/sources/{name}");
    copy_text(&root.join(&text_rel), &text)?;

    let newest = content
        .policies
        .records
        .iter()
        .max_by_key(|v| v.order.value);
    let order = newest.map_or(1, |v| v.order.value + 1);
    let after = newest.map(|v| v.id.value.clone());
    let source_line = append(
        &root.join("content/data/sources.yaml"),
        &source_record(id, name),
    )?;
    let version_line = append(
        &root.join("content/data/policies.yaml"),
        &version_record(id, order, after.as_deref()),
    )?;
    Ok(Added {
        order,
        after,
        text: text_rel,
        source_line,
        version_line,
        parameters: content
            .parameter_names()
            .into_iter()
            .map(String::from)
            .collect(),
    })
}

/// Copies the source text to `to`, unless that file already holds the same text.
fn copy_text(to: &Path, text: &[u8]) -> Result<(), Refused> {
    match fs::read(to) {
        Ok(existing) if existing == text => return Ok(()),
        Ok(_) => {
            return Err(Refused::Usage(format!(
                "{} already exists with other text: rename the new source file",
                to.display()
            )))
        }
        Err(_) => {}
    }
    let parent = to.parent().map(PathBuf::from).unwrap_or_default();
    fs::create_dir_all(&parent)
        .and_then(|()| fs::write(to, text))
        .map_err(|e| cannot_write(to, &e))
}

/// Appends `block` to the data file at `path` after a blank line, leaving every byte
/// before it as it was; returns the line the block's record (`- id:`) starts on.
fn append(path: &Path, block: &str) -> Result<usize, Refused> {
    let mut text = fs::read_to_string(path).unwrap_or_default();
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    if !text.is_empty() {
        text.push('\n');
    }
    let comment_lines = block.lines().take_while(|l| l.starts_with('#')).count();
    let line = text.lines().count() + 1 + comment_lines;
    text.push_str(block);
    fs::write(path, text).map_err(|e| cannot_write(path, &e))?;
    Ok(line)
}

fn cannot_write(path: &Path, error: &std::io::Error) -> Refused {
    Refused::Content(Diagnostic::new(format!("cannot write {}: {error}", path.display())).into())
}

/// A YAML double-quoted string.
fn quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// The skeleton of the source record.
fn source_record(id: &str, file: &str) -> String {
    format!(
        r#"# Added by `casepath new-version {id}`: replace each {PLACEHOLDER}.
- id: {id}
  title: "{PLACEHOLDER}: the title as the text gives it, or a description if it has none"
  short_title: "{PLACEHOLDER}: a short name for citations"
  publisher: "{PLACEHOLDER}: who published the text"
  # date: "the date exactly as the text states it; leave this out if it states none"
  era: "{PLACEHOLDER}: the era as the text shows it (say so if it is undated)"
  trust: official
  file: {file}
  summary: >-
    {PLACEHOLDER}: what the text covers, in two or three plain sentences.
"#,
        file = quoted(file)
    )
}

/// The skeleton of the version record.
fn version_record(id: &str, order: i64, after: Option<&str>) -> String {
    let carries = match after {
        Some(after) => format!(
            "# It carries over every rule, fact and contact of `{after}` and older versions: list\n\
             # under `parameters:` only the rules its text states anew or withdraws.\n"
        ),
        None => String::new(),
    };
    format!(
        r#"# Added by `casepath new-version {id}`: replace each {PLACEHOLDER}.
{carries}- id: {id}
  name: "{PLACEHOLDER}: a short name for this version"
  order: {order}
  # date: "the date exactly as the text states it; leave this out if it states none"
  order_reason: "{PLACEHOLDER}: why it comes here (a date the text states, or the evidence)"
  era: "{PLACEHOLDER}: the era as the text shows it"
  summary: "{PLACEHOLDER}: what this version changes, in plain words"
  sources:
    - source: {id}
  # parameters:
  #   <parameter>:
  #     value: <the new value>
  #     sources:
  #       - source: {id}
  #         quote: "<the words of the text that state it>"
  #   <parameter it takes back>:
  #     withdrawn: true
  #     note: "<why this is withdrawn, not just left unsaid>"
  #     sources:
  #       - source: {id}
  #         quote: "<the words of the text that take it back>"
"#
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_quoted_for_yaml() {
        assert_eq!(quoted(r#"a "b" \c.txt"#), r#""a \"b\" \\c.txt""#);
    }

    #[test]
    fn the_skeletons_say_what_to_fill_in() {
        let source = source_record("notice-2026", "notice.txt");
        assert!(source.contains("\n- id: notice-2026\n"));
        assert!(source.contains("  file: \"notice.txt\"\n"));
        let version = version_record("notice-2026", 7, Some("notice-2025"));
        assert!(version.contains("\n  order: 7\n"));
        assert!(version.contains("of `notice-2025` and older versions"));
        assert!(version.matches(PLACEHOLDER).count() >= 4);
    }
}
