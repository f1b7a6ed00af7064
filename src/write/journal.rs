//! Updating a previous output in place: the changes that turn it into the new site, the
//! journal of them written beside the output before the first change, the renames that
//! make them, and undoing them from the journal, after a failure or, by the next build, after
//! a build that was killed ([`recover_interrupted`]).

use std::collections::{BTreeSet, HashSet};
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::scan::Found;
use super::{cannot_write_beside, fail, remove_tree, MARKER, MARKER_TEXT};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::render::Output;

/// The changes that turn the previous output (`found`, in `out_dir`) into `output` and its
/// [`MARKER`]: files whose bytes differ (read and compared in parallel), new files, files
/// to remove, and folders to make and to remove. `None` when a path that is a file in one
/// is a folder in the other; the output is then replaced whole.
pub(super) fn changes(out_dir: &Path, found: &Found, output: &Output) -> Option<Journal> {
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
pub(super) struct Journal {
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
pub(super) struct Transaction {
    staging: PathBuf,
    backup: PathBuf,
    journal: PathBuf,
}

impl Transaction {
    pub(super) fn new(parent: &Path, name: &str, id: u32) -> Self {
        Transaction {
            staging: parent.join(format!(".{name}.new-{id}")),
            backup: parent.join(format!(".{name}.backup-{id}")),
            journal: parent.join(format!(".{name}.journal-{id}")),
        }
    }

    /// Writes the changed and new files beside `out_dir`, then the journal, then makes the
    /// changes; on a failure, undoes them. Writes nothing when nothing changed.
    pub(super) fn write_in_place(
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

/// Whether a process still runs (Linux: its `/proc` entry exists; elsewhere assume it does,
/// so nothing of a running build is touched).
fn process_is_running(pid: u32) -> bool {
    if cfg!(target_os = "linux") {
        Path::new("/proc").join(pid.to_string()).exists()
    } else {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::super::{scan::scan_output, write_atomic};
    use super::*;

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
}
