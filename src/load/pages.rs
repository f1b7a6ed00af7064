//! The Markdown pages of `content/pages/`: each read, in parallel, and split into its YAML
//! front matter (decoded into [`FrontMatter`]) and its body.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::files::{display_path, files_under, read_text};
use super::schema::FrontMatter;
use super::yaml::{nul_character, DecodeMemo};
use super::{Content, MarkdownFile};
use crate::diagnostic::{Diagnostic, Diagnostics, Location, SourceFile};

/// Reads the pages of `content/pages/` under `content.root` into `content.pages`, decoding
/// their front matter through `memo`; the pages that cannot be read, or whose front matter
/// is broken, go to `content.failed_pages`.
pub(super) fn load_all_pages(
    content: &mut Content,
    memo: &DecodeMemo,
    diagnostics: &mut Diagnostics,
) {
    let root = content.root.as_path();
    let content_dir = root.join("content");
    let pages_dir = content_dir.join("pages");
    let listed = files_under(root, &pages_dir, Some(&content_dir), diagnostics);
    let pages = load_pages(root, &pages_dir, &listed, memo, diagnostics);
    content.failed_pages = listed
        .iter()
        .filter(|path| path.extension().and_then(|e| e.to_str()) == Some("md"))
        .map(|path| page_path(&pages_dir, path))
        .filter(|rel| !pages.iter().any(|p| &p.rel_path == rel))
        .collect();
    content.pages = pages;
}

/// Reads the Markdown pages among the files listed under `pages_dir`. Listing and reading
/// are two steps, so a listed file may be gone when it is read (deleted or renamed while
/// the build runs): [`super::files::read_error`] reports it, and the other pages are still read.
fn load_pages(
    root: &Path,
    pages_dir: &Path,
    listed: &[PathBuf],
    memo: &DecodeMemo,
    diagnostics: &mut Diagnostics,
) -> Vec<MarkdownFile> {
    // Read and split in parallel, each page with its own problems, reported in list order.
    let loaded: Vec<(Option<MarkdownFile>, Diagnostics)> = listed
        .par_iter()
        .filter(|path| path.extension().and_then(|e| e.to_str()) == Some("md"))
        .map(|path| {
            let mut found = Diagnostics::new();
            (
                load_markdown(root, pages_dir, path, memo, &mut found),
                found,
            )
        })
        .collect();
    let mut pages = Vec::with_capacity(loaded.len());
    for (page, found) in loaded {
        diagnostics.extend(found);
        pages.extend(page);
    }
    pages
}

/// Reads a Markdown file and splits off its `---` front matter.
fn load_markdown(
    root: &Path,
    pages_dir: &Path,
    path: &Path,
    memo: &DecodeMemo,
    diagnostics: &mut Diagnostics,
) -> Option<MarkdownFile> {
    let file = read_text(root, path, diagnostics)?;
    parse_markdown_with(memo, page_path(pages_dir, path), file, diagnostics)
}

/// The path of a page relative to `content/pages/`, with `/` separators.
fn page_path(pages_dir: &Path, path: &Path) -> String {
    display_path(pages_dir, path)
}

/// Splits a Markdown page read from `content/pages/<rel_path>` into its front matter and
/// body, as [`super::load`] does, without touching the disk (the fuzz targets and tests use
/// it). `None` when the front matter is missing, unclosed or does not decode; the problems
/// are in `diagnostics`.
pub fn parse_markdown(
    rel_path: String,
    file: SourceFile,
    diagnostics: &mut Diagnostics,
) -> Option<MarkdownFile> {
    parse_markdown_with(&DecodeMemo::default(), rel_path, file, diagnostics)
}

/// [`parse_markdown`], with the front matter decoded through `memo`.
fn parse_markdown_with(
    memo: &DecodeMemo,
    rel_path: String,
    file: SourceFile,
    diagnostics: &mut Diagnostics,
) -> Option<MarkdownFile> {
    let text = file.text.clone();
    let Some(after_open) = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))
    else {
        diagnostics.push(
            Diagnostic::at(Location::new(&file, 1, 1, 1), "page has no front matter")
                .with_label("expected `---` here")
                .with_hint("start the page with `---`, a line `title: ...`, and `---`"),
        );
        return None;
    };
    let open_len = text.len() - after_open.len();
    let close = find_closing_fence(after_open);
    let Some((yaml_len, fence_len)) = close else {
        diagnostics.push(
            Diagnostic::at(Location::new(&file, 1, 1, 3), "front matter is not closed")
                .with_label("front matter opens here")
                .with_hint("end the front matter with a line that holds only `---`"),
        );
        return None;
    };
    let yaml = &after_open[..yaml_len];
    let front = memo.decode::<FrontMatter>(&file, yaml, 1, diagnostics)?;
    let body_start = open_len + yaml_len + fence_len;
    // The front matter's NUL bytes were refused by the YAML parser; report the body's, the
    // first of each line.
    let body = &text[body_start..];
    if memchr::memchr(0, body.as_bytes()).is_some() {
        let first_line = file.line_col(body_start).0;
        for (index, line) in body.split('\n').enumerate() {
            if let Some(at) = line.find('\0') {
                let column = line[..at].chars().count() + 1;
                let location = Location::new(&file, first_line + index, column, 1);
                diagnostics.push(nul_character(location));
            }
        }
    }
    Some(MarkdownFile {
        rel_path,
        body_start,
        file,
        front,
    })
}

/// Finds the closing `---` line: returns the length of the YAML before it and of the fence
/// line itself.
fn find_closing_fence(text: &str) -> Option<(usize, usize)> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if line.trim_end_matches(['\n', '\r']) == "---" {
            return Some((offset, line.len()));
        }
        offset += line.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::files::tests::{site_with_pages, PAGE};
    use std::fs;

    /// [`load_pages`] of the `listed` files, with a memo that keeps nothing.
    fn load_listed(
        root: &Path,
        pages: &Path,
        listed: &[PathBuf],
        diagnostics: &mut Diagnostics,
    ) -> Vec<MarkdownFile> {
        load_pages(root, pages, listed, &DecodeMemo::default(), diagnostics)
    }

    #[test]
    fn a_page_deleted_between_listing_and_reading_is_reported_and_the_others_are_read() {
        let (dir, pages) = site_with_pages(&["a.md", "b.md", "c.md"]);
        let mut diagnostics = Diagnostics::new();
        let listed = files_under(dir.path(), &pages, None, &mut diagnostics);
        assert_eq!(listed.len(), 3);
        fs::remove_file(pages.join("b.md")).unwrap();

        let loaded = load_listed(dir.path(), &pages, &listed, &mut diagnostics);
        let names: Vec<&str> = loaded.iter().map(|p| p.rel_path.as_str()).collect();
        assert_eq!(names, ["a.md", "c.md"]);
        assert_eq!(diagnostics.len(), 1);
        let diagnostic = &diagnostics.0[0];
        assert_eq!(
            diagnostic.message,
            "content/pages/b.md was deleted while casepath was reading the content"
        );
        assert_eq!(
            diagnostic.hint.as_deref(),
            Some(
                "it was deleted or renamed during the build; run the build again once the \
                 files have stopped changing"
            )
        );
    }

    #[test]
    fn a_folder_of_pages_deleted_after_listing_is_reported_once_per_page() {
        let (dir, pages) = site_with_pages(&[]);
        fs::create_dir(pages.join("guide")).unwrap();
        fs::write(pages.join("guide/one.md"), PAGE).unwrap();
        fs::write(pages.join("guide/two.md"), PAGE).unwrap();
        let mut diagnostics = Diagnostics::new();
        let listed = files_under(dir.path(), &pages, None, &mut diagnostics);
        fs::remove_dir_all(pages.join("guide")).unwrap();

        let loaded = load_listed(dir.path(), &pages, &listed, &mut diagnostics);
        assert!(loaded.is_empty());
        let messages: Vec<&str> = diagnostics.0.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "content/pages/guide/one.md was deleted while casepath was reading the content",
                "content/pages/guide/two.md was deleted while casepath was reading the content",
            ]
        );
    }

    #[test]
    fn a_nul_escape_in_front_matter_is_reported_at_its_line() {
        let text = "---\ntitle: \"A\\0\"\n---\nText.\n";
        let mut diagnostics = Diagnostics::new();
        let file = SourceFile::new("content/pages/a.md", text);
        assert!(parse_markdown("a.md".into(), file, &mut diagnostics).is_none());
        assert_eq!(
            diagnostics.0[0].position().as_deref(),
            Some("content/pages/a.md:2:10")
        );
    }
}
