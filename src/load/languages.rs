//! The languages of a guide: the translations of the Markdown pages (`name.<lang>.md`), the
//! guide's own words in each language (`content/site.<lang>.yaml`) and each language's string
//! table. Which languages there are is said by `language:` and `languages:` of
//! `content/site.yaml` (checked by [`crate::validate`]).

use super::files::{display_path, read_text_within};
use super::schema::SiteWords;
use super::yaml::DecodeMemo;
use super::{strings, Content, MarkdownFile};
use crate::diagnostic::{Diagnostic, Diagnostics, Location, SourceFile};

/// A translation of a Markdown page: `content/pages/<name>.<lang>.md`.
#[derive(Debug, Clone)]
pub struct PageTranslation {
    /// The language it is in (`es`).
    pub language: String,
    /// The page; its `rel_path` is the original's (`about.md`), its file the translation's.
    pub page: MarkdownFile,
}

/// `content/site.<lang>.yaml`: the guide's words in one more language.
#[derive(Debug, Clone)]
pub struct SiteWordsFile {
    /// The words.
    pub words: SiteWords,
    /// The file, for the string table's layer and its errors.
    pub file: SourceFile,
}

impl Content {
    /// The default language: `language:` of `site.yaml`, else `en`.
    pub fn default_language(&self) -> &str {
        self.config.language.as_deref().unwrap_or("en")
    }

    /// Every language the site is published in, the default first: `languages:` of
    /// `site.yaml`, else the default language alone.
    pub fn languages(&self) -> Vec<String> {
        match &self.config.languages {
            Some(list) if !list.is_empty() => list.clone(),
            _ => vec![self.default_language().to_string()],
        }
    }

    /// The languages other than the default one, in the order of `languages:`.
    pub fn other_languages(&self) -> Vec<String> {
        let default = self.default_language();
        let mut others: Vec<String> = self.languages();
        others.retain(|l| l != default);
        others.dedup();
        others
    }
}

/// The language of a page's file name, `es` for `about.es.md`: two or three lowercase
/// letters between the last two dots. A page name that looks like one is read as a
/// translation.
fn suffix_language(rel_path: &str) -> Option<(&str, &str)> {
    let stem = rel_path.strip_suffix(".md")?;
    let (name, code) = stem.rsplit_once('.')?;
    let is_code = (2..=3).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_lowercase());
    (is_code && !code.contains('/') && !name.is_empty()).then_some((name, code))
}

/// Moves the translations out of `content.pages` into `content.page_translations`. A page
/// whose name ends in a language that is not declared, or in the default one, and a
/// translation of a page that does not exist, are errors.
pub(super) fn split_translations(content: &mut Content, diagnostics: &mut Diagnostics) {
    let default = content.default_language().to_string();
    let others = content.other_languages();
    let pages = std::mem::take(&mut content.pages);
    let originals: Vec<String> = pages
        .iter()
        .filter(|p| suffix_language(&p.rel_path).is_none())
        .map(|p| p.rel_path.clone())
        .chain(content.failed_pages.iter().cloned())
        .collect();
    for mut page in pages {
        let Some((name, code)) = suffix_language(&page.rel_path)
            .map(|(name, code)| (name.to_string(), code.to_string()))
        else {
            content.pages.push(page);
            continue;
        };
        let (name, code) = (name.as_str(), code.as_str());
        let original = format!("{name}.md");
        let problem = if code == default {
            Some(in_default_language(&page, code, &original))
        } else if !others.iter().any(|l| l == code) {
            Some(undeclared(&page, code, name))
        } else if !originals.contains(&original) {
            Some(no_original(&page, &original))
        } else {
            None
        };
        match problem {
            Some(problem) => diagnostics.push(problem),
            None => {
                page.rel_path = original;
                content.page_translations.push(PageTranslation {
                    language: code.to_string(),
                    page,
                });
            }
        }
    }
}

/// The place of a whole page in errors about its name.
fn whole(page: &MarkdownFile) -> Location {
    Location::new(&page.file, 1, 1, 3)
}

fn undeclared(page: &MarkdownFile, code: &str, name: &str) -> Diagnostic {
    Diagnostic::at(
        whole(page),
        format!(
            "page `{}` is a translation into `{code}`, which is not in `languages:`",
            page.rel_path
        ),
    )
    .with_label("this page")
    .with_note("a page named `<name>.<language>.md` is the translation of `<name>.md`")
    .with_hint(format!(
        "add `{code}` to `languages:` in content/site.yaml, or, if `{code}` is not a \
         language, rename the page (`{name}-{code}.md`)"
    ))
}

fn in_default_language(page: &MarkdownFile, code: &str, original: &str) -> Diagnostic {
    Diagnostic::at(
        whole(page),
        format!(
            "page `{}` is named for `{code}`, the default language",
            page.rel_path
        ),
    )
    .with_label("this page")
    .with_hint(format!(
        "name it `{original}`: only translations into the other languages take a language \
         in their name"
    ))
}

fn no_original(page: &MarkdownFile, original: &str) -> Diagnostic {
    Diagnostic::at(
        whole(page),
        format!(
            "page `{}` translates `{original}`, which does not exist",
            page.rel_path
        ),
    )
    .with_label("this page")
    .with_note("a translation is shown at the address of its original, in its language")
    .with_hint(format!(
        "write content/pages/{original} in the default language first, or rename this page"
    ))
}

/// Reads `content/site.<lang>.yaml` of each other language that has one into
/// `content.site_words`; such a file for a language that is not declared is an error.
pub(super) fn load_site_words(
    content: &mut Content,
    memo: &DecodeMemo,
    diagnostics: &mut Diagnostics,
) {
    let root = content.root.clone();
    let content_dir = root.join("content");
    let others = content.other_languages();
    let names = std::fs::read_dir(&content_dir)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().to_str().map(str::to_string));
    let mut codes: Vec<String> = names
        .filter_map(|n| {
            let code = n.strip_prefix("site.")?.strip_suffix(".yaml")?;
            (!code.is_empty()).then(|| code.to_string())
        })
        .collect();
    codes.sort();
    for code in codes {
        let path = content_dir.join(format!("site.{code}.yaml"));
        let Some(file) = read_text_within(&root, &path, &content_dir, diagnostics) else {
            continue;
        };
        if !others.contains(&code) {
            diagnostics.push(
                Diagnostic::at(
                    Location::new(&file, 1, 1, 1),
                    format!(
                        "{} holds the words of `{code}`, which is not one of the other \
                         languages in `languages:`",
                        display_path(&root, &path)
                    ),
                )
                .with_label("this file")
                .with_hint(format!(
                    "add `{code}` to `languages:` in content/site.yaml, or remove the file"
                )),
            );
            continue;
        }
        if let Some(words) = memo.decode::<SiteWords>(&file, &file.text, 0, diagnostics) {
            content
                .site_words
                .insert(code, SiteWordsFile { words, file });
        }
    }
}

/// The string table of each other language, into `content.language_strings`: the layers of
/// the default language's table, each with its file for the language, and the `strings:` of
/// `site.yaml` then of `site.<lang>.yaml`. A problem of a layer the default table has
/// reported already is not reported again.
pub(super) fn language_strings(content: &mut Content, diagnostics: &mut Diagnostics) {
    let builtin = strings::embedded();
    for code in content.other_languages() {
        let mut site_files: Vec<&SourceFile> = content.site_file.iter().collect();
        if let Some(words) = content.site_words.get(&code) {
            site_files.push(&words.file);
        }
        let mut found = Diagnostics::new();
        let table = strings::string_table(
            &builtin,
            Some(&content.theme),
            &site_files,
            Some(&code),
            &mut found,
        );
        for problem in found.0 {
            let seen = diagnostics
                .0
                .iter()
                .any(|d| d.message == problem.message && d.position() == problem.position());
            if !seen {
                diagnostics.push(problem);
            }
        }
        content.language_strings.insert(code, table);
    }
}

/// Every language's Markdown translation of the pages, by language, with the original's
/// `rel_path`.
pub fn translations_in<'a>(
    content: &'a Content,
    language: &'a str,
) -> impl Iterator<Item = &'a MarkdownFile> + 'a {
    content
        .page_translations
        .iter()
        .filter(move |t| t.language == language)
        .map(|t| &t.page)
}

/// The words of `content/site.<lang>.yaml` for `language`, if it has the file.
pub fn site_words<'a>(content: &'a Content, language: &str) -> Option<&'a SiteWords> {
    content.site_words.get(language).map(|w| &w.words)
}

#[cfg(test)]
mod tests {
    use super::suffix_language;

    #[test]
    fn a_language_suffix_is_two_or_three_lowercase_letters() {
        assert_eq!(suffix_language("about.es.md"), Some(("about", "es")));
        assert_eq!(suffix_language("guide/a.fil.md"), Some(("guide/a", "fil")));
        assert_eq!(suffix_language("about.md"), None);
        assert_eq!(suffix_language("notes.v2.md"), None);
        assert_eq!(suffix_language("a.ES.md"), None);
        assert_eq!(suffix_language("a.spanish.md"), None);
    }
}
