//! Stage 6, **write**: put the rendered site on disk, all or nothing.
//!
//! When a previous output is there (a real folder holding only files and folders), it is
//! updated **in place**: only the files whose bytes changed are written, files the new site
//! no longer has are removed, and unchanged files are not touched at all, so a build that
//! changes nothing writes nothing. The new and changed files are first written into a
//! temporary folder beside the output (same file system, so renames are cheap and never
//! copy), and a journal that lists every change is put beside it before the output is
//! touched. Each change is then a rename: the old file is moved into a backup folder, the
//! new one into its place. A failure at any point undoes the changes that were made, from
//! the journal, and leaves the previous output as it was; a build that was killed is undone
//! by the next build ([`recover_interrupted`]) the same way. The journal is removed once
//! every change is made: that is the moment the new site is in place. While the changes are
//! made (a few renames), a reader of the folder may see some files old and some new; a
//! reader never sees a file half written.
//!
//! Without a previous output (or when it is a symbolic link, or holds links or other
//! special files), files are written into a temporary folder beside the output folder. Only
//! when every file is written is the old output moved aside and the new one renamed into
//! place; the old one is then removed. A failure at any point removes the temporary folder
//! and leaves the previous output as it was.
//!
//! Before writing anything it checks that it may do all of that: create a folder beside the
//! output folder, and change and remove the files of the previous output (every folder in
//! it writable by this user). A folder that is not writable is an error that names it, and
//! the previous output stays. Without the check, a previous output with a read-only folder
//! was swapped out and then could not be removed: a hidden, half-removed copy of it stayed
//! beside the output, and later builds could not remove it either.
//!
//! The output is never anything but the output: [`guard_output`] resolves `--out` and
//! `--root` (symbolic links, `..`) before it refuses a folder whose replacement would delete
//! the guide, a repository, a home folder or files casepath did not write; every output
//! carries a [`MARKER`] file. Nothing is ever deleted through a symbolic link: an output
//! path that is a link is replaced as a link, and removal never follows links. An existing
//! file of the output is never opened for writing (it is replaced by a rename), so a file
//! hard-linked elsewhere is never changed there.
//!
//! Its parts: [`guard`] decides whether a folder may be the output at all, [`scan`] lists a
//! previous output and checks that this process may change it, and [`journal`] updates a
//! previous output in place and undoes an update that failed or was killed. This file
//! writes a whole new output and swaps it in.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::render::Output;

mod guard;
mod journal;
mod scan;

pub use guard::{guard_output, resolve, resolve_output};
pub use journal::recover_interrupted;
use journal::{changes, Transaction};
use scan::{may_change, scan_output};

/// The file every build writes at the top of its output, so that a later build knows the
/// folder is one it may replace (see [`guard_output`]).
pub const MARKER: &str = ".casepath-output";

/// What [`MARKER`] says to a person who opens it.
const MARKER_TEXT: &str = "This folder was written by `casepath build`, which deletes and \
    replaces all of it on every build. Do not keep other files here.\n";

/// Writes `output` to `out_dir`, replacing what was there only on success.
///
/// `out_dir` is the output as [`guard_output`] returned it. When it is a symbolic link, the
/// link itself is replaced by the new folder and nothing is deleted where it led.
pub fn write_atomic(out_dir: &Path, output: &Output) -> Result<(), Diagnostics> {
    let parent = match out_dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let existing = fs::symlink_metadata(out_dir).ok();
    if existing.as_ref().is_some_and(|m| m.is_file()) {
        return Err(Diagnostic::new(format!(
            "the output path {} is a file, not a folder",
            out_dir.display()
        ))
        .with_hint("remove the file or choose another folder with --out")
        .into());
    }
    // A previous output is updated in place, or its unchanged files are hard-linked into the
    // new one; never one that is a link (`symlink_metadata` does not follow it).
    let previous_output = existing.as_ref().is_some_and(|m| m.is_dir());
    fs::create_dir_all(&parent)
        .map_err(|e| fail(format!("cannot create {}", parent.display()), e))?;
    let name = out_dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "site".to_string());
    let id = std::process::id();
    if previous_output {
        if let Some(journal) = in_place_changes(out_dir, &parent, output)? {
            let transaction = Transaction::new(&parent, &name, id);
            return transaction.write_in_place(out_dir, &journal, output);
        }
    }
    let staging = parent.join(format!(".{name}.new-{id}"));
    let _ = fs::remove_dir_all(&staging);
    if let Err(error) = fs::create_dir(&staging) {
        return Err(cannot_write_beside(out_dir, &parent, error));
    }
    write_staging(&staging, output, previous_output.then_some(out_dir))?;
    // A link (even to nothing) is moved aside like a folder: rename moves the link itself.
    let previous = existing
        .is_some()
        .then(|| parent.join(format!(".{name}.old-{id}")));
    swap_in(out_dir, &staging, previous.as_deref())
}

/// The changes that update the previous output `out_dir` in place into `output`, after
/// checking that this process may change it and write beside it in `parent`; `None` when
/// it cannot be updated in place (it holds links or other special files) and is replaced
/// whole.
fn in_place_changes(
    out_dir: &Path,
    parent: &Path,
    output: &Output,
) -> Result<Option<journal::Journal>, Diagnostics> {
    let found = scan_output(out_dir);
    if let Some((folder, error)) = found.denied {
        return Err(cannot_replace(out_dir, &folder, error));
    }
    if let Err(error) = may_change(parent) {
        return Err(cannot_write_beside(out_dir, parent, error));
    }
    Ok(found
        .plain
        .then(|| changes(out_dir, &found, output))
        .flatten())
}

/// Writes `output` and the [`MARKER`] into the empty folder `staging`, hard-linking the
/// files that are unchanged in `previous` (the previous output, if it is a real folder).
/// On failure the folder is removed.
fn write_staging(
    staging: &Path,
    output: &Output,
    previous: Option<&Path>,
) -> Result<(), Diagnostics> {
    let written = write_all(staging, output, previous).and_then(|()| {
        let marker = staging.join(MARKER);
        fs::write(&marker, MARKER_TEXT).map_err(|e| (marker, e))
    });
    if let Err((path, error)) = written {
        let _ = fs::remove_dir_all(staging);
        return Err(fail(format!("cannot write {}", path.display()), error));
    }
    Ok(())
}

/// Puts the written folder `staging` in the place of `out_dir`. What was there is moved
/// aside to `previous` first (when there was something) and removed once the new folder is
/// in place; on failure it is moved back and `staging` is removed.
fn swap_in(out_dir: &Path, staging: &Path, previous: Option<&Path>) -> Result<(), Diagnostics> {
    if let Some(previous) = previous {
        if let Err(error) = fs::rename(out_dir, previous) {
            let _ = fs::remove_dir_all(staging);
            return Err(fail(
                format!("cannot move {} aside", out_dir.display()),
                error,
            ));
        }
    }
    if let Err(error) = fs::rename(staging, out_dir) {
        if let Some(previous) = previous {
            let _ = fs::rename(previous, out_dir);
        }
        let _ = fs::remove_dir_all(staging);
        return Err(fail(
            format!("cannot move the new site to {}", out_dir.display()),
            error,
        ));
    }
    if let Some(previous) = previous {
        remove_tree(previous);
    }
    Ok(())
}

/// The error for a failure that left the previous output as it was.
fn fail(what: String, error: std::io::Error) -> Diagnostics {
    Diagnostic::new(format!("{what}: {error}"))
        .with_hint("the previous site was left unchanged")
        .into()
}

/// The error for a previous output with a folder this process may not change.
fn cannot_replace(out_dir: &Path, folder: &Path, error: std::io::Error) -> Diagnostics {
    Diagnostic::new(format!(
        "cannot replace the output folder {}: cannot remove the files in {}: {error}",
        out_dir.display(),
        folder.display()
    ))
    .with_hint(format!(
        "casepath replaces the whole output folder on every build; make it writable by the \
         user who runs casepath (for example `chmod -R u+w {}`), or choose another folder \
         with --out; the previous site was left unchanged",
        out_dir.display()
    ))
    .into()
}

/// The error for a folder beside the output (its parent) that this process may not write in.
fn cannot_write_beside(out_dir: &Path, parent: &Path, error: std::io::Error) -> Diagnostics {
    Diagnostic::new(format!(
        "cannot write in {}, the folder that holds the output folder: {error}",
        parent.display()
    ))
    .with_hint(format!(
        "casepath writes the new site beside {} and then swaps it in, so it needs to write \
         in {}; make that folder writable by the user who runs casepath, or choose another \
         output folder with --out; the previous site was left unchanged",
        out_dir.display(),
        parent.display()
    ))
    .into()
}

/// Removes what `path` names (a previous output this build renamed aside), never anything
/// a symbolic link leads to. A link or file is unlinked. A folder's entries, as listed
/// without following links, are removed in parallel: each folder with `fs::remove_dir_all`,
/// which never follows a link (it opens each folder beneath its parent with
/// `O_NOFOLLOW`, so a folder swapped for a link meanwhile is not followed either), each
/// other entry with `fs::remove_file`, which unlinks a link itself. The previous version
/// walked `path` with walkdir, which follows a root that is a link, and so deleted the
/// files of the folder a symbolic-link `site/` led to.
fn remove_tree(path: &Path) {
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.is_dir() => {}
        Ok(_) => {
            let _ = fs::remove_file(path);
            return;
        }
        Err(_) => return,
    }
    if let Ok(entries) = fs::read_dir(path) {
        let entries: Vec<fs::DirEntry> = entries.filter_map(Result::ok).collect();
        entries.par_iter().for_each(|entry| {
            let _ = match entry.file_type() {
                Ok(kind) if kind.is_dir() => fs::remove_dir_all(entry.path()),
                _ => fs::remove_file(entry.path()),
            };
        });
    }
    let _ = fs::remove_dir_all(path);
}

/// Writes every file under `dir`, folders first, then the files in parallel; returns a
/// failure with its path. A file whose bytes equal the previous output's is hard-linked
/// from it instead of written: nothing is copied, and removing the previous output then
/// frees no data (on file systems mounted with `discard`, freeing blocks is what is slow).
fn write_all(
    dir: &Path,
    output: &Output,
    previous: Option<&Path>,
) -> Result<(), (PathBuf, std::io::Error)> {
    fs::create_dir_all(dir).map_err(|e| (dir.to_path_buf(), e))?;
    let folders: BTreeSet<PathBuf> = output
        .keys()
        .filter_map(|rel| dir.join(rel).parent().map(Path::to_path_buf))
        .collect();
    for folder in &folders {
        fs::create_dir_all(folder).map_err(|e| (folder.clone(), e))?;
    }
    output.par_iter().try_for_each(|(rel, bytes)| {
        let path = dir.join(rel);
        if let Some(old) = previous.map(|p| p.join(rel)) {
            if unchanged(&old, bytes) && fs::hard_link(&old, &path).is_ok() {
                return Ok(());
            }
        }
        fs::write(&path, bytes).map_err(|e| (path, e))
    })
}

/// True when the file at `path` holds exactly `bytes`.
fn unchanged(path: &Path, bytes: &[u8]) -> bool {
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.is_file() && meta.len() == bytes.len() as u64 => {
            fs::read(path).is_ok_and(|old| old == bytes)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    #[test]
    fn removing_a_link_or_a_folder_holding_links_deletes_nothing_they_lead_to() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("target");
        fs::create_dir_all(target.join("inner")).unwrap();
        fs::write(target.join("a"), "sentinel").unwrap();
        fs::write(target.join("inner/b"), "sentinel").unwrap();
        let link = dir.path().join(".site.old-1");
        symlink(&target, &link).unwrap();
        remove_tree(&link);
        assert!(fs::symlink_metadata(&link).is_err());

        let folder = dir.path().join(".site.old-2");
        fs::create_dir_all(folder.join("sub")).unwrap();
        symlink(&target, folder.join("to-folder")).unwrap();
        symlink(target.join("a"), folder.join("sub/to-file")).unwrap();
        fs::write(folder.join("sub/own"), "old output").unwrap();
        remove_tree(&folder);
        assert!(fs::symlink_metadata(&folder).is_err());

        assert!(target.join("a").is_file() && target.join("inner/b").is_file());
    }
}
