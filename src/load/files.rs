//! Walking the folders of the site and reading its files safely: hidden files are skipped,
//! a name that is not UTF-8 is an error with a command that renames it, nothing is read
//! through a symbolic link that leads outside `content/` (or `themes/`), and a file gone
//! between listing and reading is reported, not skipped.

use std::fs;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::diagnostic::{Diagnostic, Diagnostics, SourceFile};

/// Every file under `dir` (none if it does not exist), sorted, skipping hidden files.
///
/// A file or folder whose name is not UTF-8 is an error, and is left out (a folder with
/// all it holds). Someone coming from Zola or Hugo expects every file under `content/` to
/// be part of the site under its own name, and casepath makes page addresses, source
/// names and template names from file names, which are text. Replacing the bad bytes with
/// `�` (what casepath did before) published a page at an address nobody chose, and two
/// such names collided; skipping the file with a warning would drop a page from the site
/// with one line in a log that scrolls past, and `build` prints no warnings. So, as for a
/// file whose contents are not UTF-8, the build stops, names the file and says how to
/// rename it.
///
/// Listing and reading are separate steps: an entry that is gone when it is looked at
/// (deleted during the build) is reported like a file gone before it is read, by
/// [`read_error`].
///
/// With `within` (the root's `content/` or `themes/` folder), `dir` and every symbolic link
/// under it must lead inside that folder: a link that leads out, to a file or a folder, is
/// an error and is neither listed nor followed (see [`leads_outside`]). Links that stay inside
/// are followed, so a listed file lies inside `within` as long as the tree does not change
/// during the build. Without `within` (a theme with `follow_theme_links: true`), links are
/// followed anywhere.
pub(super) fn files_under(
    root: &Path,
    dir: &Path,
    within: Option<&Path>,
    diagnostics: &mut Diagnostics,
) -> Vec<PathBuf> {
    if !dir.is_dir() {
        return Vec::new();
    }
    if let Some(refused) = within.and_then(|within| leads_outside(root, dir, within)) {
        diagnostics.push(refused);
        return Vec::new();
    }
    let mut files = Vec::new();
    let mut not_utf8 = Vec::new();
    let mut refused = Vec::new();
    let walker = WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name();
            if e.depth() == 0 {
                return true;
            }
            if name.as_encoded_bytes().starts_with(b".") {
                return false;
            }
            if name.to_str().is_none() {
                not_utf8.push(not_utf8_name(root, e.path(), e.file_type().is_dir()));
                return false;
            }
            if let (true, Some(within)) = (e.path_is_symlink(), within) {
                if let Some(diagnostic) = leads_outside(root, e.path(), within) {
                    refused.push(diagnostic);
                    return false;
                }
            }
            true
        });
    for entry in walker {
        match entry {
            Ok(entry) if entry.file_type().is_file() => files.push(entry.into_path()),
            Ok(_) => {}
            Err(error) => {
                let path = error.path().unwrap_or(dir);
                diagnostics.push(match error.io_error() {
                    Some(io) if error.loop_ancestor().is_none() => read_error(root, path, io),
                    _ => Diagnostic::new(format!(
                        "cannot read {}: {error}",
                        display_path(root, path)
                    )),
                });
            }
        }
    }
    for diagnostic in not_utf8.into_iter().chain(refused) {
        diagnostics.push(diagnostic);
    }
    files
}

/// The error for a `path` that, once every symbolic link on its way is resolved, does not
/// lie inside `within` (the canonical root's `content/` or `themes/` folder); `None` when
/// it does. Git carries symbolic links, and content comes through pull requests: without
/// this check a link such as
/// `content/sources/a.txt -> /proc/self/environ` published the build machine's
/// environment, and a link to `../.git/config` (inside the root, outside `content/`) could
/// publish a token that CI keeps there. The error names the link and what it says, and
/// never shows the file it leads to.
pub(super) fn leads_outside(root: &Path, path: &Path, within: &Path) -> Option<Diagnostic> {
    match fs::canonicalize(path) {
        Ok(real) if real.starts_with(within) => None,
        Ok(_) => Some(outside_error(root, path, within)),
        Err(error) => Some(read_error(root, path, &error)),
    }
}

/// The error for a path that leads outside `within`: names the first symbolic link on its
/// way below the root, and what that link says.
fn outside_error(root: &Path, path: &Path, within: &Path) -> Diagnostic {
    let folder = display_path(root, within);
    let link = path
        .ancestors()
        .filter(|a| a.starts_with(root) && *a != root)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .find(|a| a.is_symlink());
    let message = match link {
        Some(link) => {
            let target = fs::read_link(link).unwrap_or_default();
            format!(
                "{} is a symbolic link to `{}`, which leads outside {folder}/",
                display_path(root, link),
                target.display()
            )
        }
        None => format!("{} lies outside {folder}/", display_path(root, path)),
    };
    let hint = format!(
        "casepath reads only files inside {folder}/, so that a change to the guide cannot \
         publish other files of the machine that builds it; put a copy of the file inside \
         {folder}/ instead of a link"
    );
    let hint = if folder == "themes" {
        format!(
            "{hint}, or, if the theme is meant to use files outside themes/, set \
             `follow_theme_links: true` in content/site.yaml"
        )
    } else {
        hint
    };
    Diagnostic::new(message).with_hint(hint)
}

/// [`read_text`] of a file named directly rather than listed (`site.yaml`, a data file),
/// after checking that it lies inside `within` ([`leads_outside`]).
pub(super) fn read_text_within(
    root: &Path,
    path: &Path,
    within: &Path,
    diagnostics: &mut Diagnostics,
) -> Option<SourceFile> {
    if let Some(refused) = leads_outside(root, path, within) {
        diagnostics.push(refused);
        return None;
    }
    read_text(root, path, diagnostics)
}

/// The error for a file or folder under the site root whose name is not UTF-8: the
/// path with `�` for the bad bytes, and a shell command that renames it.
fn not_utf8_name(root: &Path, path: &Path, is_dir: bool) -> Diagnostic {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let what = if is_dir { "folder" } else { "file" };
    let mut new_name = match rel.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => {
            format!("{}/new-name", display_path(root, parent))
        }
        _ => "new-name".to_string(),
    };
    if let Some(extension) = rel.extension().and_then(|e| e.to_str()).filter(|_| !is_dir) {
        new_name = format!("{new_name}.{extension}");
    }
    Diagnostic::new(format!(
        "the name of the {what} {} is not UTF-8",
        display_path(root, path)
    ))
    .with_hint(format!(
        "rename the {what} so that its name is UTF-8 text, for example from the site root \
         with `mv {} {new_name}`; casepath makes page addresses and names from file names, \
         which must be text",
        shell_quoted(rel.as_os_str().as_encoded_bytes())
    ))
}

/// A path as one shell word: as it is when it holds only letters, digits and `/._-`,
/// otherwise quoted for bash and zsh as `$'…'` with `\xHH` for every byte that is not
/// printable ASCII, so that a name that is not UTF-8 can be typed.
fn shell_quoted(bytes: &[u8]) -> String {
    let plain = |b: &u8| b.is_ascii_alphanumeric() || b"/._-".contains(b);
    if !bytes.is_empty() && bytes.iter().all(plain) {
        return String::from_utf8_lossy(bytes).into_owned();
    }
    let mut quoted = String::from("$'");
    for &byte in bytes {
        match byte {
            b'\'' | b'\\' => {
                quoted.push('\\');
                quoted.push(byte as char);
            }
            0x20..=0x7e => quoted.push(byte as char),
            _ => quoted.push_str(&format!("\\x{byte:02x}")),
        }
    }
    quoted.push('\'');
    quoted
}

/// Reads a file that was listed (or seen to exist) a moment ago; reports a failure.
pub(super) fn read_bytes(
    root: &Path,
    path: &Path,
    diagnostics: &mut Diagnostics,
) -> Option<Vec<u8>> {
    match fs::read(path) {
        Ok(bytes) => Some(bytes),
        Err(error) => {
            diagnostics.push(read_error(root, path, &error));
            None
        }
    }
}

/// Reads a UTF-8 text file; reports unreadable files and files not saved as UTF-8 (one error
/// each, naming the file: see [`encoding::check`]).
pub(super) fn read_text(
    root: &Path,
    path: &Path,
    diagnostics: &mut Diagnostics,
) -> Option<SourceFile> {
    let bytes = read_bytes(root, path, diagnostics)?;
    let shown = display_path(root, path);
    match super::encoding::check(&shown, bytes) {
        Ok(file) => Some(file),
        Err(error) => {
            diagnostics.push(*error);
            None
        }
    }
}

/// The error for a file or folder that was listed but could not be read. Listing and
/// reading are separate steps, so a file may be gone by the time it is read: deleted or
/// renamed while the build ran (by an editor, `git checkout`, a sync tool). That is an
/// error, not a skip: the content changed under the build, so what it read may mix old
/// and new files, and running it again gives a site made from one state of the content.
/// `serve` rebuilds after the change anyway. A file that cannot be read for lack of
/// permission is an error too, with the same reasoning as a file that is not UTF-8.
pub(super) fn read_error(root: &Path, path: &Path, error: &std::io::Error) -> Diagnostic {
    let shown = display_path(root, path);
    match error.kind() {
        std::io::ErrorKind::NotFound if path.is_symlink() => Diagnostic::new(format!(
            "{shown} is a symbolic link to a file that does not exist"
        ))
        .with_hint("point the link at an existing file, or remove it"),
        std::io::ErrorKind::NotFound => Diagnostic::new(format!(
            "{shown} was deleted while casepath was reading the content"
        ))
        .with_hint(
            "it was deleted or renamed during the build; run the build again once the files \
             have stopped changing",
        ),
        std::io::ErrorKind::PermissionDenied => {
            Diagnostic::new(format!("cannot read {shown}: {error}")).with_hint(format!(
                "casepath reads every file under content/ and the theme; let the user who runs \
                 casepath read it, for example with `chmod a+rX {}` from the site root",
                shell_quoted(shown.as_bytes())
            ))
        }
        _ => Diagnostic::new(format!("cannot read {shown}: {error}")),
    }
}

/// A path as shown to the user: relative to the root, with `/` separators.
pub fn display_path(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// A page with front matter and a line of text.
    pub(crate) const PAGE: &str = "---\ntitle: A page\n---\nText.\n";

    /// A site root with `content/pages/` holding the given pages.
    pub(crate) fn site_with_pages(names: &[&str]) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let pages = dir.path().join("content/pages");
        fs::create_dir_all(&pages).unwrap();
        for name in names {
            fs::write(pages.join(name), PAGE).unwrap();
        }
        (dir, pages)
    }

    #[test]
    fn a_source_text_or_theme_file_gone_before_it_is_read_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        let mut diagnostics = Diagnostics::new();
        let gone = dir.path().join("content/sources/notice.txt");
        assert!(read_text(dir.path(), &gone, &mut diagnostics).is_none());
        let gone = dir.path().join("themes/default/static/style.css");
        assert!(read_bytes(dir.path(), &gone, &mut diagnostics).is_none());
        let messages: Vec<&str> = diagnostics.0.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "content/sources/notice.txt was deleted while casepath was reading the content",
                "themes/default/static/style.css was deleted while casepath was reading the \
                 content",
            ]
        );
    }

    #[test]
    fn a_symbolic_link_to_nothing_is_not_called_deleted() {
        let (dir, pages) = site_with_pages(&["a.md"]);
        std::os::unix::fs::symlink("missing.md", pages.join("b.md")).unwrap();
        let mut diagnostics = Diagnostics::new();
        let listed = files_under(dir.path(), &pages, None, &mut diagnostics);
        assert_eq!(listed, [pages.join("a.md")]);
        let messages: Vec<&str> = diagnostics.0.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            ["content/pages/b.md is a symbolic link to a file that does not exist"]
        );
    }

    #[test]
    fn names_that_are_not_utf8_are_reported_with_a_command_that_renames_them() {
        use std::os::unix::ffi::OsStrExt;
        let (dir, pages) = site_with_pages(&["a.md"]);
        let bad = |name: &[u8]| pages.join(std::ffi::OsStr::from_bytes(name));
        fs::write(bad(b"caf\xe9.md"), PAGE).unwrap();
        fs::create_dir(bad(b"d\xff it's")).unwrap();
        fs::write(bad(b"d\xff it's/inner.md"), PAGE).unwrap();
        fs::write(bad(b".hidden\xff"), PAGE).unwrap();
        let mut diagnostics = Diagnostics::new();

        let listed = files_under(dir.path(), &pages, None, &mut diagnostics);
        assert_eq!(listed, [pages.join("a.md")]);
        let shown: Vec<(&str, &str)> = diagnostics
            .0
            .iter()
            .map(|d| (d.message.as_str(), d.hint.as_deref().unwrap()))
            .collect();
        assert_eq!(
            shown,
            [
                (
                    "the name of the file content/pages/caf\u{fffd}.md is not UTF-8",
                    "rename the file so that its name is UTF-8 text, for example from the site \
                     root with `mv $'content/pages/caf\\xe9.md' content/pages/new-name.md`; \
                     casepath makes page addresses and names from file names, which must be text"
                ),
                (
                    "the name of the folder content/pages/d\u{fffd} it's is not UTF-8",
                    "rename the folder so that its name is UTF-8 text, for example from the site \
                     root with `mv $'content/pages/d\\xff it\\'s' content/pages/new-name`; \
                     casepath makes page addresses and names from file names, which must be text"
                ),
            ]
        );
    }

    #[test]
    fn shell_quoting_leaves_plain_paths_alone() {
        assert_eq!(
            shell_quoted(b"content/pages/a-b_c.md"),
            "content/pages/a-b_c.md"
        );
        assert_eq!(shell_quoted(b"a b"), "$'a b'");
        assert_eq!(shell_quoted(b"\\\n"), "$'\\\\\\x0a'");
    }
}
