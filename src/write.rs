//! Stage 6, **write**: put the rendered site on disk, all or nothing.
//!
//! Files are written into a temporary folder beside the output folder (same file system,
//! so renames are cheap and never copy). Only when every file is written is the old output
//! moved aside and the new one renamed into place; the old one is then removed. A failure at
//! any point removes the temporary folder and leaves the previous output as it was.
//!
//! Before writing anything it checks that it may do all of that: create a folder beside the
//! output folder, and remove the files of the previous output (every folder in it writable
//! by this user). A folder that is not writable is an error that names it, and the previous
//! output stays. Without the check, a previous output with a read-only folder was swapped
//! out and then could not be removed: a hidden, half-removed copy of it stayed beside the
//! output, and later builds could not remove it either.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::render::Output;

/// Writes `output` to `out_dir`, replacing what was there only on success.
pub fn write_atomic(out_dir: &Path, output: &Output) -> Result<(), Diagnostics> {
    let fail = |what: String, error: std::io::Error| -> Diagnostics {
        Diagnostic::new(format!("{what}: {error}"))
            .with_hint("the previous site was left unchanged")
            .into()
    };
    let parent = match out_dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if out_dir.exists() && !out_dir.is_dir() {
        return Err(Diagnostic::new(format!(
            "the output path {} is a file, not a folder",
            out_dir.display()
        ))
        .with_hint("remove the file or choose another folder with --out")
        .into());
    }
    fs::create_dir_all(&parent)
        .map_err(|e| fail(format!("cannot create {}", parent.display()), e))?;
    if let Err((folder, error)) = check_replaceable(out_dir) {
        return Err(Diagnostic::new(format!(
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
        .into());
    }
    let name = out_dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "site".to_string());
    let id = std::process::id();
    let staging = parent.join(format!(".{name}.new-{id}"));
    let previous = parent.join(format!(".{name}.old-{id}"));
    let _ = fs::remove_dir_all(&staging);
    if let Err(error) = fs::create_dir(&staging) {
        return Err(Diagnostic::new(format!(
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
        .into());
    }

    let written = write_all(&staging, output, out_dir);
    if let Err((path, error)) = written {
        let _ = fs::remove_dir_all(&staging);
        return Err(fail(format!("cannot write {}", path.display()), error));
    }
    let had_previous = out_dir.exists();
    if had_previous {
        if let Err(error) = fs::rename(out_dir, &previous) {
            let _ = fs::remove_dir_all(&staging);
            return Err(fail(
                format!("cannot move {} aside", out_dir.display()),
                error,
            ));
        }
    }
    if let Err(error) = fs::rename(&staging, out_dir) {
        if had_previous {
            let _ = fs::rename(&previous, out_dir);
        }
        let _ = fs::remove_dir_all(&staging);
        return Err(fail(
            format!("cannot move the new site to {}", out_dir.display()),
            error,
        ));
    }
    if had_previous {
        remove_tree(&previous);
    }
    Ok(())
}

/// Cleans up after a build that was killed: removes its half-written `.<name>.new-<pid>`
/// folder, and if it was killed between its two renames (no output folder, an
/// `.<name>.old-<pid>` beside it), puts the previous output back. Folders of a build that
/// is still running (its process exists) are left alone.
pub fn recover_interrupted(out_dir: &Path) {
    let parent = match out_dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let Some(name) = out_dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
    else {
        return;
    };
    let Ok(entries) = fs::read_dir(&parent) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = file_name.strip_prefix(&format!(".{name}.")) else {
            continue;
        };
        let Some((kind, pid)) = rest.split_once('-') else {
            continue;
        };
        let Ok(pid) = pid.parse::<u32>() else {
            continue;
        };
        if pid == std::process::id() || process_is_running(pid) {
            continue;
        }
        match kind {
            "old" if !out_dir.exists() => {
                let _ = fs::rename(entry.path(), out_dir);
            }
            "new" | "old" => remove_tree(&entry.path()),
            _ => {}
        }
    }
}

/// Checks that every folder of the previous output (if any) may be listed and changed by
/// this process, so that it can be removed once the new output is in place; returns the
/// first that may not. Links inside it are not followed: removing one removes the link.
fn check_replaceable(out_dir: &Path) -> Result<(), (PathBuf, std::io::Error)> {
    if !out_dir.is_dir() {
        return Ok(());
    }
    for entry in walkdir::WalkDir::new(out_dir).sort_by_file_name() {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(out_dir).to_path_buf();
            (
                path,
                e.into_io_error()
                    .unwrap_or_else(|| std::io::ErrorKind::Other.into()),
            )
        })?;
        if entry.file_type().is_dir() {
            may_change(entry.path()).map_err(|e| (entry.path().to_path_buf(), e))?;
        }
    }
    Ok(())
}

/// Whether this process may list a folder and add and remove files in it, by the same rules
/// the kernel applies to its effective user (`faccessat` with `AT_EACCESS`): root may, a
/// user may where the permission bits, access lists and mount allow it.
#[cfg(unix)]
fn may_change(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::ffi::OsStrExt;
    let path = std::ffi::CString::new(dir.as_os_str().as_bytes())
        .map_err(|_| std::io::Error::from(std::io::ErrorKind::InvalidInput))?;
    // SAFETY: `path` is a NUL-terminated string that lives until the call returns, and
    // faccessat only reads it.
    let result = unsafe {
        libc::faccessat(
            libc::AT_FDCWD,
            path.as_ptr(),
            libc::R_OK | libc::W_OK | libc::X_OK,
            libc::AT_EACCESS,
        )
    };
    if result == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

/// Elsewhere, assume it may: a folder that cannot be changed fails the removal afterwards.
#[cfg(not(unix))]
fn may_change(_dir: &Path) -> std::io::Result<()> {
    Ok(())
}

/// Whether a process still runs (Linux: its `/proc` entry exists; elsewhere assume it does,
/// so nothing of a running build is touched).
fn process_is_running(pid: u32) -> bool {
    if cfg!(target_os = "linux") {
        Path::new("/proc").join(pid.to_string()).exists()
    } else {
        true
    }
}

/// Removes a folder tree, deleting its files in parallel first.
fn remove_tree(dir: &Path) {
    let files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| !e.file_type().is_dir())
        .map(walkdir::DirEntry::into_path)
        .collect();
    files.par_iter().for_each(|f| {
        let _ = fs::remove_file(f);
    });
    let _ = fs::remove_dir_all(dir);
}

/// Writes every file under `dir`, folders first, then the files in parallel; returns a
/// failure with its path. A file whose bytes equal the previous output's is hard-linked
/// from it instead of written: nothing is copied, and removing the previous output then
/// frees no data (on file systems mounted with `discard`, freeing blocks is what is slow).
fn write_all(
    dir: &Path,
    output: &Output,
    previous: &Path,
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
        let old = previous.join(rel);
        if unchanged(&old, bytes) && fs::hard_link(&old, &path).is_ok() {
            return Ok(());
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
