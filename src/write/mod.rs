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

use std::collections::{BTreeSet, HashSet};
use std::fs;
use std::io::Read;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

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
        let found = scan_output(out_dir);
        if let Some((folder, error)) = found.denied {
            return Err(cannot_replace(out_dir, &folder, error));
        }
        if let Err(error) = may_change(&parent) {
            return Err(cannot_write_beside(out_dir, &parent, error));
        }
        if let Some(journal) = found
            .plain
            .then(|| changes(out_dir, &found, output))
            .flatten()
        {
            let transaction = Transaction::new(&parent, &name, id);
            return transaction.write_in_place(out_dir, &journal, output);
        }
    }
    let staging = parent.join(format!(".{name}.new-{id}"));
    let previous = parent.join(format!(".{name}.old-{id}"));
    let _ = fs::remove_dir_all(&staging);
    if let Err(error) = fs::create_dir(&staging) {
        return Err(cannot_write_beside(out_dir, &parent, error));
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

/// What is in a previous output, as [`scan_output`] found it.
#[derive(Debug, Default)]
struct Found {
    /// Every file, by site-relative path with `/` between folders.
    files: HashSet<String>,
    /// Every folder below the output folder, the same way.
    folders: HashSet<String>,
    /// False when it holds anything but files and folders (a symbolic link, a socket) or a
    /// name that is not UTF-8: then it is replaced whole, not updated in place.
    plain: bool,
    /// The first folder (in path order) that this process may not list or change.
    denied: Option<(PathBuf, std::io::Error)>,
}

/// Lists the previous output without following links, its folders in parallel, and checks
/// that this process may change every folder of it (see [`may_change`]).
fn scan_output(out_dir: &Path) -> Found {
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

/// The changes that turn the previous output (`found`, in `out_dir`) into `output` and its
/// [`MARKER`]: files whose bytes differ (read and compared in parallel), new files, files
/// to remove, and folders to make and to remove. `None` when a path that is a file in one
/// is a folder in the other; the output is then replaced whole.
fn changes(out_dir: &Path, found: &Found, output: &Output) -> Option<Journal> {
    let files: Vec<(&str, &[u8])> = output
        .iter()
        .map(|(rel, bytes)| (rel.as_str(), bytes.as_slice()))
        .chain([(MARKER, MARKER_TEXT.as_bytes())])
        .collect();
    let mut folders: BTreeSet<&str> = BTreeSet::new();
    for (rel, _) in &files {
        let mut rest = *rel;
        while let Some((folder, _)) = rest.rsplit_once('/') {
            if !folders.insert(folder) {
                break;
            }
            rest = folder;
        }
    }
    let conflict = files.iter().any(|(rel, _)| found.folders.contains(*rel))
        || folders.iter().any(|folder| found.files.contains(*folder));
    if conflict {
        return None;
    }
    let mut ops: Vec<Op> = files
        .par_iter()
        .filter_map(|(rel, bytes)| {
            let change = match found.files.contains(*rel) {
                true if holds(&out_dir.join(rel), bytes) => return None,
                true => Change::Replace,
                false => Change::Add,
            };
            Some(Op {
                change,
                path: rel.to_string(),
            })
        })
        .collect();
    let wanted: HashSet<&str> = files.iter().map(|(rel, _)| *rel).collect();
    let mut removed: Vec<&String> = found
        .files
        .iter()
        .filter(|rel| !wanted.contains(rel.as_str()))
        .collect();
    removed.sort();
    ops.extend(removed.into_iter().map(|rel| Op {
        change: Change::Remove,
        path: rel.clone(),
    }));
    let mut rmdirs: Vec<String> = found
        .folders
        .iter()
        .filter(|folder| !folders.contains(folder.as_str()))
        .cloned()
        .collect();
    // Children before their parents.
    rmdirs.sort_by(|a, b| b.cmp(a));
    Some(Journal {
        mkdirs: folders
            .into_iter()
            .filter(|folder| !found.folders.contains(*folder))
            .map(str::to_string)
            .collect(),
        ops,
        rmdirs,
    })
}

/// True when the regular file at `path` holds exactly `bytes`.
fn holds(path: &Path, bytes: &[u8]) -> bool {
    let Ok(mut file) = fs::File::open(path) else {
        return false;
    };
    match file.metadata() {
        Ok(meta) if meta.is_file() && meta.len() == bytes.len() as u64 => {}
        _ => return false,
    }
    // The whole file in one read, then one more that must find its end.
    let mut old = vec![0; bytes.len()];
    file.read_exact(&mut old).is_ok() && old == bytes && matches!(file.read(&mut [0]), Ok(0))
}

/// The list of changes an in-place update makes, written beside the output before the first
/// change, so that a build killed halfway is undone by the next ([`recover_interrupted`]).
#[derive(Debug, Default, Serialize, Deserialize)]
struct Journal {
    /// Folders to make, parents first.
    mkdirs: Vec<String>,
    /// File changes; the temporary and backup files of the `i`-th are named `i`.
    ops: Vec<Op>,
    /// Folders to remove (they are empty once the files are moved), children first.
    rmdirs: Vec<String>,
}

impl Journal {
    fn is_empty(&self) -> bool {
        self.mkdirs.is_empty() && self.ops.is_empty() && self.rmdirs.is_empty()
    }
}

/// One file change of a [`Journal`].
#[derive(Debug, Serialize, Deserialize)]
struct Op {
    change: Change,
    /// Site-relative path.
    path: String,
}

/// What happens to a file.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
enum Change {
    /// It has new bytes: the old file is moved to the backup folder, the new one in.
    Replace,
    /// It is new: the new file is moved in.
    Add,
    /// It is gone from the new site: the old file is moved to the backup folder.
    Remove,
}

/// One step of an in-place update: each is atomic, and each can be undone.
#[derive(Debug)]
enum Step {
    Mkdir(PathBuf),
    Rename(PathBuf, PathBuf),
    Rmdir(PathBuf),
}

impl Step {
    fn run(&self) -> Result<(), (PathBuf, std::io::Error)> {
        match self {
            Step::Mkdir(dir) => fs::create_dir(dir).map_err(|e| (dir.clone(), e)),
            Step::Rename(from, to) => fs::rename(from, to).map_err(|e| (to.clone(), e)),
            Step::Rmdir(dir) => fs::remove_dir(dir).map_err(|e| (dir.clone(), e)),
        }
    }
}

/// The files beside the output that one in-place update uses: `.<name>.new-<id>` holds the
/// new files and (until it is complete) the journal, `.<name>.backup-<id>` the files it
/// replaced or removed, and `.<name>.journal-<id>` is the journal while the changes are made.
struct Transaction {
    staging: PathBuf,
    backup: PathBuf,
    journal: PathBuf,
}

impl Transaction {
    fn new(parent: &Path, name: &str, id: u32) -> Self {
        Transaction {
            staging: parent.join(format!(".{name}.new-{id}")),
            backup: parent.join(format!(".{name}.backup-{id}")),
            journal: parent.join(format!(".{name}.journal-{id}")),
        }
    }

    /// Writes the changed and new files beside `out_dir`, then the journal, then makes the
    /// changes; on a failure, undoes them. Writes nothing when nothing changed.
    fn write_in_place(
        &self,
        out_dir: &Path,
        journal: &Journal,
        output: &Output,
    ) -> Result<(), Diagnostics> {
        if journal.is_empty() {
            return Ok(());
        }
        self.prepare(out_dir, journal, output)?;
        if let Err((path, error)) = self.apply(out_dir, journal, None) {
            return Err(match self.roll_back(out_dir, journal) {
                true => {
                    self.clean_up();
                    fail(format!("cannot write {}", path.display()), error)
                }
                false => Diagnostic::new(format!("cannot write {}: {error}", path.display()))
                    .with_hint(format!(
                        "not every change could be undone; the next `casepath build` puts the \
                         previous site back from {}",
                        self.journal.display()
                    ))
                    .into(),
            });
        }
        // The new site is in place once the journal is gone.
        let _ = fs::remove_file(&self.journal);
        self.clean_up();
        Ok(())
    }

    /// Writes the new and changed files into the temporary folder, then the journal beside
    /// the output; on a failure, removes what it wrote. The output is not touched.
    fn prepare(
        &self,
        out_dir: &Path,
        journal: &Journal,
        output: &Output,
    ) -> Result<(), Diagnostics> {
        let parent = self.staging.parent().unwrap_or(Path::new("."));
        self.clean_up();
        if let Err(error) = fs::create_dir(&self.staging) {
            return Err(cannot_write_beside(out_dir, parent, error));
        }
        let staged = self.stage(journal, output).and_then(|()| {
            let text = serde_json::to_vec(journal).unwrap_or_default();
            let draft = self.staging.join("journal");
            fs::write(&draft, text)
                .and_then(|()| fs::rename(&draft, &self.journal))
                .map_err(|e| (self.journal.clone(), e))
        });
        staged.map_err(|(path, error)| {
            self.clean_up();
            fail(format!("cannot write {}", path.display()), error)
        })
    }

    /// Writes each new or changed file into the temporary folder, in parallel.
    fn stage(&self, journal: &Journal, output: &Output) -> Result<(), (PathBuf, std::io::Error)> {
        if journal.ops.iter().any(|op| op.change != Change::Add) {
            fs::create_dir(&self.backup).map_err(|e| (self.backup.clone(), e))?;
        }
        journal
            .ops
            .par_iter()
            .enumerate()
            .filter(|(_, op)| op.change != Change::Remove)
            .try_for_each(|(i, op)| {
                let bytes = match op.path.as_str() {
                    MARKER => MARKER_TEXT.as_bytes(),
                    path => output.get(path).map_or(&[][..], Vec::as_slice),
                };
                let path = self.staging.join(i.to_string());
                fs::write(&path, bytes).map_err(|e| (path, e))
            })
    }

    /// The steps of the changes: folders to make, then each file's renames (the files are
    /// independent of each other), then folders to remove.
    fn steps(&self, out_dir: &Path, journal: &Journal) -> (Vec<Step>, Vec<Vec<Step>>, Vec<Step>) {
        let mkdirs = journal
            .mkdirs
            .iter()
            .map(|d| Step::Mkdir(out_dir.join(d)))
            .collect();
        let files = journal
            .ops
            .iter()
            .enumerate()
            .map(|(i, op)| {
                let (target, staged, saved) = (
                    out_dir.join(&op.path),
                    self.staging.join(i.to_string()),
                    self.backup.join(i.to_string()),
                );
                match op.change {
                    Change::Replace => vec![
                        Step::Rename(target.clone(), saved),
                        Step::Rename(staged, target),
                    ],
                    Change::Add => vec![Step::Rename(staged, target)],
                    Change::Remove => vec![Step::Rename(target, saved)],
                }
            })
            .collect();
        let rmdirs = journal
            .rmdirs
            .iter()
            .map(|d| Step::Rmdir(out_dir.join(d)))
            .collect();
        (mkdirs, files, rmdirs)
    }

    /// Makes the changes of `journal`: all of them, the files in parallel; or, with
    /// `Some(limit)`, only the first `limit` steps in order (as a build killed then would
    /// have), for the tests.
    fn apply(
        &self,
        out_dir: &Path,
        journal: &Journal,
        limit: Option<usize>,
    ) -> Result<(), (PathBuf, std::io::Error)> {
        let (mkdirs, files, rmdirs) = self.steps(out_dir, journal);
        if let Some(limit) = limit {
            let all = mkdirs.iter().chain(files.iter().flatten()).chain(&rmdirs);
            return all.take(limit).try_for_each(Step::run);
        }
        mkdirs.iter().try_for_each(Step::run)?;
        files
            .par_iter()
            .try_for_each(|steps| steps.iter().try_for_each(Step::run))?;
        rmdirs.iter().try_for_each(Step::run)
    }

    /// Undoes whatever part of `journal` was done, in reverse: makes the removed folders
    /// again, moves each saved file back (over the new one, if that was moved in), removes
    /// the files that were added and the folders that were made. Each step checks what is
    /// there first, so it can run again after it was itself interrupted. Returns whether
    /// every step succeeded; the journal is removed only then.
    fn roll_back(&self, out_dir: &Path, journal: &Journal) -> bool {
        let mut ok = true;
        for dir in journal.rmdirs.iter().rev() {
            let dir = out_dir.join(dir);
            if fs::symlink_metadata(&dir).is_err() {
                ok &= fs::create_dir(&dir).is_ok();
            }
        }
        let undone = journal.ops.par_iter().enumerate().map(|(i, op)| {
            let target = out_dir.join(&op.path);
            match op.change {
                Change::Replace | Change::Remove => {
                    let saved = self.backup.join(i.to_string());
                    fs::symlink_metadata(&saved).is_err() || fs::rename(&saved, &target).is_ok()
                }
                Change::Add => {
                    fs::symlink_metadata(&target).is_err() || fs::remove_file(&target).is_ok()
                }
            }
        });
        ok &= undone.filter(|done| !done).count() == 0;
        // A folder it made is removed if it is empty again; one that holds files someone
        // else put there meanwhile stays, which keeps every file of the previous site.
        for dir in journal.mkdirs.iter().rev() {
            let _ = fs::remove_dir(out_dir.join(dir));
        }
        if ok {
            let _ = fs::remove_file(&self.journal);
        }
        ok
    }

    /// Removes the temporary and backup folders.
    fn clean_up(&self) {
        remove_tree(&self.staging);
        remove_tree(&self.backup);
    }
}

/// Cleans up after a build that was killed: undoes the changes of its in-place update from
/// its `.<name>.journal-<pid>` (see [`Transaction`]); removes its half-written
/// `.<name>.new-<pid>` folder and its `.<name>.backup-<pid>` folder; and if it was killed
/// between the two renames of a whole replacement (no output folder, an `.<name>.old-<pid>`
/// beside it), puts the previous output back. Folders of a build that is still running (its
/// process exists) are left alone, and so is the backup of a journal that could not be
/// undone completely (the next build tries again).
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
    let prefix = format!(".{name}.");
    let left: Vec<(PathBuf, String, u32)> = entries
        .flatten()
        .filter_map(|entry| {
            let file_name = entry.file_name().to_string_lossy().into_owned();
            let (kind, pid) = file_name.strip_prefix(&prefix)?.split_once('-')?;
            let pid = pid.parse::<u32>().ok()?;
            let dead = pid != std::process::id() && !process_is_running(pid);
            dead.then(|| (entry.path(), kind.to_string(), pid))
        })
        .collect();
    let mut kept = HashSet::new();
    for (path, _, pid) in left.iter().filter(|(_, kind, _)| kind == "journal") {
        let journal = fs::read(path)
            .ok()
            .and_then(|text| serde_json::from_slice::<Journal>(&text).ok());
        let undone = journal.is_some_and(|journal| {
            Transaction::new(&parent, &name, *pid).roll_back(out_dir, &journal)
        });
        if !undone {
            kept.insert(*pid);
        }
    }
    for (path, kind, pid) in &left {
        match kind.as_str() {
            "old" if fs::symlink_metadata(out_dir).is_err() => {
                let _ = fs::rename(path, out_dir);
            }
            "new" | "old" | "backup" if !kept.contains(pid) => remove_tree(path),
            _ => {}
        }
    }
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

    /// A rendered site from (path, text) pairs.
    fn site(files: &[(&str, &str)]) -> Output {
        files
            .iter()
            .map(|(path, text)| (path.to_string(), text.as_bytes().to_vec()))
            .collect()
    }

    /// Every file and folder under `dir`, with the bytes of each file.
    fn tree(dir: &Path) -> Vec<(String, Option<Vec<u8>>)> {
        walkdir::WalkDir::new(dir)
            .min_depth(1)
            .sort_by_file_name()
            .into_iter()
            .map(|entry| {
                let entry = entry.unwrap();
                let rel = entry.path().strip_prefix(dir).unwrap();
                let bytes = entry
                    .file_type()
                    .is_file()
                    .then(|| fs::read(entry.path()).unwrap());
                (rel.to_string_lossy().into_owned(), bytes)
            })
            .collect()
    }

    /// The names beside the output folder other than the output folder itself.
    fn leftovers(parent: &Path) -> Vec<String> {
        fs::read_dir(parent)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| name != "site")
            .collect()
    }

    fn inode(path: &Path) -> u64 {
        use std::os::unix::fs::MetadataExt;
        fs::symlink_metadata(path).unwrap().ino()
    }

    /// The first and second site of the update tests: one file unchanged, one changed, one
    /// removed with its folders, one added with new folders.
    fn two_sites() -> (Output, Output) {
        (
            site(&[
                ("index.html", "home"),
                ("a/index.html", "A"),
                ("b/index.html", "B"),
                ("c/d/index.html", "C"),
            ]),
            site(&[
                ("index.html", "home"),
                ("a/index.html", "A2"),
                ("e/f/index.html", "E"),
            ]),
        )
    }

    #[test]
    fn an_update_in_place_writes_only_what_changed() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        let (first, second) = two_sites();
        write_atomic(&out, &first).unwrap();
        let home = inode(&out.join("index.html"));
        let changed = inode(&out.join("a/index.html"));

        write_atomic(&out, &second).unwrap();
        let mut expected = site(&[(MARKER, MARKER_TEXT)]);
        expected.extend(second.clone());
        let files: Vec<(String, Vec<u8>)> = tree(&out)
            .into_iter()
            .filter_map(|(rel, bytes)| Some((rel, bytes?)))
            .collect();
        assert_eq!(files, expected.into_iter().collect::<Vec<_>>());
        assert!(!out.join("c").exists() && !out.join("b").exists());
        assert_eq!(
            inode(&out.join("index.html")),
            home,
            "an unchanged file stays"
        );
        assert_ne!(inode(&out.join("a/index.html")), changed);
        assert!(
            leftovers(dir.path()).is_empty(),
            "{:?}",
            leftovers(dir.path())
        );

        // The same site again: nothing is written, not even the marker.
        let before: Vec<u64> = ["index.html", "a/index.html", MARKER]
            .iter()
            .map(|rel| inode(&out.join(rel)))
            .collect();
        write_atomic(&out, &second).unwrap();
        let after: Vec<u64> = ["index.html", "a/index.html", MARKER]
            .iter()
            .map(|rel| inode(&out.join(rel)))
            .collect();
        assert_eq!(before, after);
    }

    #[test]
    fn a_file_where_a_folder_was_replaces_the_output_whole() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        write_atomic(&out, &site(&[("a/index.html", "A")])).unwrap();
        write_atomic(&out, &site(&[("a", "now a file")])).unwrap();
        assert_eq!(fs::read_to_string(out.join("a")).unwrap(), "now a file");
        write_atomic(&out, &site(&[("a/index.html", "A")])).unwrap();
        assert_eq!(fs::read_to_string(out.join("a/index.html")).unwrap(), "A");
        assert!(leftovers(dir.path()).is_empty());
    }

    /// An update killed after each of its steps in turn, then the next build's recovery:
    /// the previous site is back, file for file and folder for folder, and nothing is left
    /// beside it. Killed after its journal was removed, the new site stays.
    #[test]
    fn an_update_killed_at_any_step_is_undone_by_the_next_build() {
        let (first, second) = two_sites();
        let steps = {
            let dir = tempfile::tempdir().unwrap();
            let out = dir.path().join("site");
            write_atomic(&out, &first).unwrap();
            let journal = changes(&out, &scan_output(&out), &second).unwrap();
            let (mkdirs, files, rmdirs) =
                Transaction::new(dir.path(), "site", 1).steps(&out, &journal);
            mkdirs.len() + files.iter().flatten().count() + rmdirs.len()
        };
        assert!(steps >= 8, "{steps} steps");
        for limit in 0..=steps {
            let dir = tempfile::tempdir().unwrap();
            let out = dir.path().join("site");
            write_atomic(&out, &first).unwrap();
            let before = tree(&out);
            let journal = changes(&out, &scan_output(&out), &second).unwrap();
            // A process id that is not running.
            let killed = Transaction::new(dir.path(), "site", 999_999_999);
            killed.prepare(&out, &journal, &second).unwrap();
            killed.apply(&out, &journal, Some(limit)).unwrap();
            recover_interrupted(&out);
            assert_eq!(tree(&out), before, "killed after {limit} steps");
            assert!(leftovers(dir.path()).is_empty(), "after {limit} steps");
        }
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        write_atomic(&out, &first).unwrap();
        let journal = changes(&out, &scan_output(&out), &second).unwrap();
        let killed = Transaction::new(dir.path(), "site", 999_999_999);
        killed.prepare(&out, &journal, &second).unwrap();
        killed.apply(&out, &journal, None).unwrap();
        fs::remove_file(&killed.journal).unwrap();
        let after = tree(&out);
        recover_interrupted(&out);
        assert_eq!(tree(&out), after);
        assert!(leftovers(dir.path()).is_empty());
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
