//! What a previous output holds, listed without following links, and whether this process
//! may change every folder of it: the check made before anything is written, so that a
//! folder it could not change is an error and the previous output stays.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;

/// What is in a previous output, as [`scan_output`] found it.
#[derive(Debug, Default)]
pub(super) struct Found {
    /// Every file, by site-relative path with `/` between folders.
    pub(super) files: HashSet<String>,
    /// Every folder below the output folder, the same way.
    pub(super) folders: HashSet<String>,
    /// False when it holds anything but files and folders (a symbolic link, a socket) or a
    /// name that is not UTF-8: then it is replaced whole, not updated in place.
    pub(super) plain: bool,
    /// The first folder (in path order) that this process may not list or change.
    pub(super) denied: Option<(PathBuf, std::io::Error)>,
}

/// Lists the previous output without following links, its folders in parallel, and checks
/// that this process may change every folder of it (see [`may_change`]).
pub(super) fn scan_output(out_dir: &Path) -> Found {
    let found = Mutex::new(Found {
        plain: true,
        ..Found::default()
    });
    scan_folder(out_dir, "", &found);
    found.into_inner().unwrap_or_else(|e| e.into_inner())
}

/// [`scan_output`] of one folder (`rel` below the output) and, in parallel, its folders.
fn scan_folder(dir: &Path, rel: &str, found: &Mutex<Found>) {
    let lock = || found.lock().unwrap_or_else(|e| e.into_inner());
    let deny = |path: &Path, error: std::io::Error| {
        let mut found = lock();
        if found
            .denied
            .as_ref()
            .is_none_or(|(first, _)| path < first.as_path())
        {
            found.denied = Some((path.to_path_buf(), error));
        }
    };
    if let Err(error) = may_change(dir) {
        return deny(dir, error);
    }
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(error) => return deny(dir, error),
    };
    let (mut files, mut folders, mut plain) = (Vec::new(), Vec::new(), true);
    for entry in entries {
        let entry = match entry {
            Ok(entry) => entry,
            Err(error) => return deny(dir, error),
        };
        let Some(name) = entry.file_name().to_str().map(str::to_string) else {
            plain = false;
            continue;
        };
        let child = match rel {
            "" => name,
            _ => format!("{rel}/{name}"),
        };
        match entry.file_type() {
            Ok(kind) if kind.is_dir() => folders.push((entry.path(), child)),
            Ok(kind) if kind.is_file() => files.push(child),
            _ => plain = false,
        }
    }
    {
        let mut found = lock();
        found.plain &= plain;
        found.files.extend(files);
        found
            .folders
            .extend(folders.iter().map(|(_, child)| child.clone()));
    }
    folders
        .par_iter()
        .for_each(|(path, child)| scan_folder(path, child, found));
}

/// Whether this process may list a folder and add and remove files in it, by the same rules
/// the kernel applies to its effective user (`faccessat` with `AT_EACCESS`): root may, a
/// user may where the permission bits, access lists and mount allow it.
#[cfg(unix)]
pub(super) fn may_change(dir: &Path) -> std::io::Result<()> {
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
pub(super) fn may_change(_dir: &Path) -> std::io::Result<()> {
    Ok(())
}
