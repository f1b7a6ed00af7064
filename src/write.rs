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
//!
//! The output is never anything but the output: [`guard_output`] resolves `--out` and
//! `--root` (symbolic links, `..`) before it refuses a folder whose replacement would delete
//! the guide, a repository, a home folder or files casepath did not write; every output
//! carries a [`MARKER`] file. Nothing is ever deleted through a symbolic link: an output
//! path that is a link is replaced as a link, and removal never follows links.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::render::Output;

/// The file every build writes at the top of its output, so that a later build knows the
/// folder is one it may replace (see [`guard_output`]).
pub const MARKER: &str = ".casepath-output";

/// What [`MARKER`] says to a person who opens it.
const MARKER_TEXT: &str = "This folder was written by `casepath build`, which deletes and \
    replaces all of it on every build. Do not keep other files here.\n";

/// `path` made absolute with every symbolic link and `..` resolved: the nearest ancestor
/// that exists is resolved by the file system (`canonicalize`), and the rest, which does
/// not exist yet and so holds no links, is applied by name.
pub fn resolve(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let parts: Vec<Component> = absolute.components().collect();
    for keep in (1..=parts.len()).rev() {
        let existing: PathBuf = parts[..keep].iter().collect();
        if let Ok(mut real) = fs::canonicalize(&existing) {
            for part in &parts[keep..] {
                match part {
                    Component::ParentDir => {
                        real.pop();
                    }
                    Component::Normal(name) => real.push(name),
                    _ => {}
                }
            }
            return real;
        }
    }
    absolute
}

/// The output folder as the build will replace it: its parent resolved ([`resolve`]), its
/// own name kept, so that an output path that is a symbolic link names the link (which is
/// what gets replaced), not what it leads to.
pub fn resolve_output(out: &Path) -> PathBuf {
    let absolute = std::path::absolute(out).unwrap_or_else(|_| out.to_path_buf());
    match (absolute.components().next_back(), absolute.parent()) {
        (Some(Component::Normal(name)), Some(parent)) => resolve(parent).join(name),
        _ => resolve(&absolute),
    }
}

/// Refuses an output folder whose replacement would delete anything but a previous output,
/// and returns the resolved output path ([`resolve_output`]) to build into. `root` and
/// `out` are resolved first, so `site/../content`, `../<root>`, a root given through a
/// symbolic link and a symbolic link to a folder are judged by where they really lead.
/// The output may not be:
/// - the file system root, or hold the site root;
/// - `content/`, `themes/` or `.git` of the root, or lie inside one;
/// - the home folder (`$HOME`), or hold it;
/// - an existing folder that holds files but no [`MARKER`] (files casepath did not write),
///   except `<root>/site`, the default output, which builds before the marker existed
///   wrote without one.
///
/// An output path that is a symbolic link is replaced as a link (see [`write_atomic`]), so
/// what the link leads to is not judged: nothing is deleted there.
pub fn guard_output(root: &Path, out: &Path) -> Result<PathBuf, Diagnostics> {
    let root = resolve(root);
    let resolved = resolve_output(out);
    let shown = if out == resolved {
        out.display().to_string()
    } else {
        format!("{} (that is, {})", out.display(), resolved.display())
    };
    let refuse = |rule: String, hint: &str| -> Result<PathBuf, Diagnostics> {
        Err(Diagnostic::new(format!("the output folder {shown} {rule}"))
            .with_hint(format!(
                "casepath deletes and replaces the whole output folder on every build; {hint}"
            ))
            .into())
    };
    let choose = "choose a new or empty folder with --out, such as `site` in the site root";
    if resolved.parent().is_none() {
        return refuse("is the root of the file system".into(), choose);
    }
    if root.starts_with(&resolved) {
        return refuse(
            format!(
                "holds the site root; building there would delete the content (the site root \
                 is {})",
                root.display()
            ),
            choose,
        );
    }
    for folder in ["content", "themes", ".git"] {
        if resolved.starts_with(root.join(folder)) {
            return refuse(
                format!("is or lies inside the site's {folder}/, which it would delete"),
                "choose an output folder outside content/, themes/ and .git, such as `site`",
            );
        }
    }
    let home = std::env::var_os("HOME").filter(|h| !h.is_empty());
    if let Some(home) = home.map(|h| resolve(Path::new(&h))) {
        if home.starts_with(&resolved) {
            return refuse(
                format!("is or holds your home folder {}", home.display()),
                choose,
            );
        }
    }
    let is_folder = fs::symlink_metadata(&resolved).is_ok_and(|m| m.is_dir());
    let holds_files =
        is_folder && fs::read_dir(&resolved).is_ok_and(|mut entries| entries.next().is_some());
    if holds_files && !resolved.join(MARKER).is_file() && resolved != root.join("site") {
        return refuse(
            format!("already holds files, and no `{MARKER}` file says casepath wrote them"),
            &format!(
                "building there would delete them. Choose a new or empty folder with --out, or, \
                 if the folder holds only a site that an older casepath built, delete it or \
                 mark it as casepath's with `touch {}`",
                resolved.join(MARKER).display()
            ),
        );
    }
    Ok(resolved)
}

/// Writes `output` to `out_dir`, replacing what was there only on success.
///
/// `out_dir` is the output as [`guard_output`] returned it. When it is a symbolic link, the
/// link itself is replaced by the new folder and nothing is deleted where it led.
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
    let existing = fs::symlink_metadata(out_dir).ok();
    let is_link = existing
        .as_ref()
        .is_some_and(|m| m.file_type().is_symlink());
    if existing.as_ref().is_some_and(|m| m.is_file()) {
        return Err(Diagnostic::new(format!(
            "the output path {} is a file, not a folder",
            out_dir.display()
        ))
        .with_hint("remove the file or choose another folder with --out")
        .into());
    }
    // Unchanged files are hard-linked from a previous output, never from where a link leads.
    let previous_output = existing.as_ref().is_some_and(|m| m.is_dir());
    fs::create_dir_all(&parent)
        .map_err(|e| fail(format!("cannot create {}", parent.display()), e))?;
    let replaceable = if is_link {
        Ok(())
    } else {
        check_replaceable(out_dir)
    };
    if let Err((folder, error)) = replaceable {
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

    let written = write_all(&staging, output, previous_output.then_some(out_dir)).and_then(|()| {
        let marker = staging.join(MARKER);
        fs::write(&marker, MARKER_TEXT).map_err(|e| (marker, e))
    });
    if let Err((path, error)) = written {
        let _ = fs::remove_dir_all(&staging);
        return Err(fail(format!("cannot write {}", path.display()), error));
    }
    // A link (even to nothing) is moved aside like a folder: rename moves the link itself.
    let had_previous = existing.is_some();
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
            "old" if fs::symlink_metadata(out_dir).is_err() => {
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
    fn resolving_applies_dotdot_after_links_and_keeps_an_output_link_itself() {
        let dir = tempfile::tempdir().unwrap();
        let base = fs::canonicalize(dir.path()).unwrap();
        fs::create_dir_all(base.join("root/content")).unwrap();
        fs::create_dir(base.join("elsewhere")).unwrap();
        symlink(base.join("root"), base.join("link")).unwrap();
        symlink(base.join("elsewhere"), base.join("root/site")).unwrap();
        // `..` after a link is the link target's parent, as the kernel applies it.
        for (given, resolved) in [
            ("link/content/../content", "root/content"),
            ("root/new/../content", "root/content"),
            ("link/missing/x", "root/missing/x"),
        ] {
            assert_eq!(resolve(&base.join(given)), base.join(resolved), "{given}");
        }
        // The output's own name is kept, so a link there is replaced, not followed; and
        // `site/..` goes where the kernel goes: to the parent of what the link leads to.
        assert_eq!(
            resolve_output(&base.join("link/site")),
            base.join("root/site")
        );
        assert_eq!(resolve_output(&base.join("link/site/..")), base);
    }

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

    #[test]
    fn the_file_system_root_is_never_an_output() {
        let dir = tempfile::tempdir().unwrap();
        let refused = guard_output(dir.path(), Path::new("/")).unwrap_err();
        assert_eq!(
            refused.0[0].message,
            "the output folder / is the root of the file system"
        );
    }
}
