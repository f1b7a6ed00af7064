//! Watching the site's files: `content/` (data, pages, sources and `site.yaml`) and `themes/`.
//!
//! File system events from notify are collected until the files have been quiet for a
//! moment, so the burst of events one save makes (an editor's temporary file, the rename
//! over the original, a backup) makes one rebuild. The moment is short ([`SETTLE`]) when the
//! events show every save complete (each written file closed, none left missing) and
//! longer ([`DEBOUNCE`]) while a file is still being written or was moved aside. Batches that name only editor litter (`.swp`, `~`, `.#x`,
//! vim's `4913`) or files outside `content/` and `themes/` (the output folder, `target/`)
//! are dropped. The site root itself is watched too, without recursion, so that a
//! `content/` or `themes/` folder that is deleted and made again (a `git checkout`, a
//! copy) is watched again.
//!
//! `--poll` swaps the operating system's events for notify's polling watcher, which
//! compares file contents every [`POLL_INTERVAL`]: slower, but it works where events do not
//! arrive (WSL on a Windows drive, Docker bind mounts, network drives). When the native
//! watcher cannot start (for example, out of inotify watches) the preview falls back to it.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode, CreateKind, EventKind, ModifyKind, RenameMode};
use notify::{Config, Event, PollWatcher, RecommendedWatcher, RecursiveMode, Watcher};

/// How long the files must be quiet before a rebuild starts once every file that was
/// written has been closed (Linux tells; elsewhere, and when polling, [`DEBOUNCE`] applies).
/// It is part of every save-to-reload delay, so it is short: the events of one save come
/// within a millisecond or two.
pub const SETTLE: Duration = Duration::from_millis(5);

/// How long the files must be quiet while a file is still open for writing, or has
/// disappeared (an editor that moves the original aside before writing the new one).
pub const DEBOUNCE: Duration = Duration::from_millis(50);

/// The longest a rebuild waits while files keep changing (a checkout, a copy).
pub const MAX_WAIT: Duration = Duration::from_millis(500);

/// How often `--poll` looks at the files.
pub const POLL_INTERVAL: Duration = Duration::from_millis(250);

/// The folders under the site root whose files a build reads.
const INPUT_FOLDERS: [&str; 2] = ["content", "themes"];

/// A running watch on a site root.
pub struct Watch {
    root: PathBuf,
    watcher: Box<dyn Watcher + Send>,
    events: Receiver<notify::Result<Event>>,
    /// True when polling.
    pub polling: bool,
}

impl Watch {
    /// Starts watching `root` (which must exist). With `poll`, or when the operating
    /// system's watcher fails, polls instead; the error that caused a fall-back is returned
    /// beside the watch so the caller can say so.
    pub fn start(root: &Path, poll: bool) -> Result<(Watch, Option<notify::Error>), notify::Error> {
        let root = root.canonicalize()?;
        let mut fallback = None;
        if !poll {
            let (sender, events) = channel();
            let native = RecommendedWatcher::new(sender, Config::default())
                .and_then(|watcher| Watch::with(&root, Box::new(watcher), events, false));
            match native {
                Ok(watch) => return Ok((watch, None)),
                Err(error) => fallback = Some(error),
            }
        }
        let (sender, events) = channel();
        let config = Config::default()
            .with_poll_interval(POLL_INTERVAL)
            .with_compare_contents(true);
        let watcher = PollWatcher::new(sender, config)?;
        Watch::with(&root, Box::new(watcher), events, true).map(|watch| (watch, fallback))
    }

    fn with(
        root: &Path,
        watcher: Box<dyn Watcher + Send>,
        events: Receiver<notify::Result<Event>>,
        polling: bool,
    ) -> Result<Watch, notify::Error> {
        let mut watch = Watch {
            root: root.to_path_buf(),
            watcher,
            events,
            polling,
        };
        watch
            .watcher
            .watch(&watch.root, RecursiveMode::NonRecursive)?;
        for folder in INPUT_FOLDERS {
            let path = watch.root.join(folder);
            if path.is_dir() {
                watch.watcher.watch(&path, RecursiveMode::Recursive)?;
            }
        }
        Ok(watch)
    }

    /// Waits for the next change to the site's files and returns the changed paths, once
    /// no file has changed for [`SETTLE`] (or [`DEBOUNCE`] while a file is half written or
    /// missing; at most [`MAX_WAIT`] after the first change). Returns `None` when the
    /// watcher has stopped.
    ///
    /// The quiet period is shared by all files, unlike notify's debouncers, which time
    /// each path on its own: an editor's save touches a temporary file and then the real
    /// one, and timed apart they would make two rebuilds.
    pub fn next_change(&mut self) -> Option<Vec<PathBuf>> {
        let mut paths = Vec::new();
        let mut saves = Saves::default();
        let mut first: Option<Instant> = None;
        let mut quiet_until: Option<Instant> = None;
        loop {
            let event = match quiet_until {
                None => self
                    .events
                    .recv()
                    .map_err(|_| RecvTimeoutError::Disconnected),
                Some(until) => self
                    .events
                    .recv_timeout(until.saturating_duration_since(Instant::now())),
            };
            match event {
                Ok(Ok(event)) => {
                    if is_read(&event.kind) {
                        continue;
                    }
                    let relevant = self.note(&event.paths, &mut paths);
                    if relevant {
                        saves.note(&event);
                    }
                    if relevant || first.is_some() {
                        let now = Instant::now();
                        let first = *first.get_or_insert(now);
                        quiet_until = Some((now + saves.quiet()).min(first + MAX_WAIT));
                    }
                }
                Ok(Err(error)) => eprintln!("warning: watching the files: {error}"),
                Err(RecvTimeoutError::Timeout) => {
                    paths.sort();
                    paths.dedup();
                    return Some(paths);
                }
                Err(RecvTimeoutError::Disconnected) => return None,
            }
        }
    }

    /// Adds the paths of one event that can change the site to `paths`; says whether
    /// there were any. Watches `content/` or `themes/` again when the folder itself was
    /// removed, renamed or made: a watch follows the old folder, not the name.
    fn note(&mut self, event_paths: &[PathBuf], paths: &mut Vec<PathBuf>) -> bool {
        let mut relevant = false;
        for path in event_paths {
            if INPUT_FOLDERS.iter().any(|f| *path == self.root.join(f)) {
                let _ = self.watcher.unwatch(path);
                if path.is_dir() {
                    if let Err(error) = self.watcher.watch(path, RecursiveMode::Recursive) {
                        eprintln!("warning: cannot watch {}: {error}", path.display());
                    }
                }
            }
            if !is_ignored(&self.root, path) {
                relevant = true;
                paths.push(path.clone());
            }
        }
        relevant
    }
}

/// What the events of one batch say about the saves in progress.
#[derive(Default)]
struct Saves {
    /// Files written and not yet closed.
    writing: HashSet<PathBuf>,
    /// Files that were there before the batch and have been removed or moved away.
    missing: HashSet<PathBuf>,
    /// Files made during the batch (an editor's temporary file may go again).
    created: HashSet<PathBuf>,
    /// Whether a folder was made: files copied into it right away may come before its
    /// watch does, so their events can be missing.
    new_folder: bool,
}

impl Saves {
    fn note(&mut self, event: &Event) {
        for path in &event.paths {
            match event.kind {
                EventKind::Create(CreateKind::Folder) => {
                    self.missing.remove(path);
                    self.new_folder = true;
                }
                EventKind::Create(_) => {
                    self.created.insert(path.clone());
                    self.missing.remove(path);
                    self.writing.insert(path.clone());
                }
                EventKind::Access(AccessKind::Close(AccessMode::Write)) => {
                    self.writing.remove(path);
                }
                EventKind::Modify(ModifyKind::Name(RenameMode::From)) | EventKind::Remove(_) => {
                    self.writing.remove(path);
                    if !self.created.contains(path) {
                        self.missing.insert(path.clone());
                    }
                }
                EventKind::Modify(ModifyKind::Name(RenameMode::To)) => {
                    self.missing.remove(path);
                }
                // The paths of a matched rename come in the `From` and `To` events too.
                EventKind::Modify(ModifyKind::Name(RenameMode::Both))
                | EventKind::Modify(ModifyKind::Metadata(_)) => {}
                // Data written, or an event that does not say (polling, other systems):
                // assume a write that may go on.
                _ => {
                    self.writing.insert(path.clone());
                }
            }
        }
    }

    /// How long to wait for more events.
    fn quiet(&self) -> Duration {
        if self.writing.is_empty() && self.missing.is_empty() && !self.new_folder {
            SETTLE
        } else {
            DEBOUNCE
        }
    }
}

/// Whether an event only says that a file was opened or read. notify reports those too,
/// and a build opens every file: counting them, each rebuild would set off the next.
fn is_read(kind: &EventKind) -> bool {
    matches!(kind, EventKind::Access(access) if *access != AccessKind::Close(AccessMode::Write))
}

/// Whether a change to `path` cannot change the site: a file outside `content/` and
/// `themes/` (the output folder among them), or an editor's temporary file.
pub fn is_ignored(root: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else {
        return true;
    };
    let in_inputs = rel
        .components()
        .next()
        .is_some_and(|first| INPUT_FOLDERS.iter().any(|f| first.as_os_str() == *f));
    if !in_inputs {
        return true;
    }
    path.file_name()
        .is_some_and(|name| is_editor_temp(&name.to_string_lossy()))
}

/// Names of the files editors make beside the one being saved. Hidden files are among
/// them; the build skips hidden files too.
fn is_editor_temp(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name == "4913"
        || (name.starts_with('#') && name.ends_with('#'))
        || [
            ".swp",
            ".swo",
            ".swx",
            ".kate-swp",
            ".crswap",
            "___jb_tmp___",
            "___jb_old___",
        ]
        .iter()
        .any(|suffix| name.ends_with(suffix))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quiet_after(events: &[(EventKind, &str)]) -> Duration {
        let mut saves = Saves::default();
        for (kind, path) in events {
            saves.note(&Event::new(*kind).add_path(PathBuf::from(path)));
        }
        saves.quiet()
    }

    #[test]
    fn a_finished_save_settles_quickly_and_an_unfinished_one_waits() {
        let write = EventKind::Modify(ModifyKind::Data(notify::event::DataChange::Any));
        let close = EventKind::Access(AccessKind::Close(AccessMode::Write));
        let create = EventKind::Create(CreateKind::File);
        let from = EventKind::Modify(ModifyKind::Name(RenameMode::From));
        let to = EventKind::Modify(ModifyKind::Name(RenameMode::To));
        let remove = EventKind::Remove(notify::event::RemoveKind::File);
        // Written in place and closed.
        assert_eq!(quiet_after(&[(write, "a"), (close, "a")]), SETTLE);
        // Still open for writing.
        assert_eq!(quiet_after(&[(write, "a")]), DEBOUNCE);
        // A temporary file written, closed and renamed over the original (sed -i, IDEs).
        assert_eq!(
            quiet_after(&[
                (create, "t"),
                (write, "t"),
                (close, "t"),
                (from, "t"),
                (to, "a")
            ]),
            SETTLE
        );
        // The original moved aside (vim's backup): wait until the new one is written.
        assert_eq!(quiet_after(&[(from, "a"), (to, "a~")]), DEBOUNCE);
        assert_eq!(
            quiet_after(&[(from, "a"), (create, "a"), (write, "a"), (close, "a")]),
            SETTLE
        );
        // A file deleted: perhaps for good, perhaps about to be written again.
        assert_eq!(quiet_after(&[(remove, "a")]), DEBOUNCE);
        // A folder made: files copied into it may come before its watch does.
        let folder = EventKind::Create(CreateKind::Folder);
        assert_eq!(
            quiet_after(&[(folder, "d"), (create, "d/a"), (close, "d/a")]),
            DEBOUNCE
        );
    }

    #[test]
    fn editor_litter_and_files_outside_the_inputs_are_ignored() {
        let root = Path::new("/site");
        for ignored in [
            "/site/content/data/.offices.yaml.swp",
            "/site/content/data/offices.yaml~",
            "/site/content/data/4913",
            "/site/content/pages/.#about.md",
            "/site/content/pages/#about.md#",
            "/site/content/pages/about.md___jb_tmp___",
            "/site/themes/default/static/.style.css.kate-swp",
            "/site/site/index.html",
            "/site/target/release/casepath",
            "/site/Cargo.toml",
            "/elsewhere/content/site.yaml",
        ] {
            assert!(is_ignored(root, Path::new(ignored)), "{ignored}");
        }
        for watched in [
            "/site/content/site.yaml",
            "/site/content/data/offices.yaml",
            "/site/content/pages/guide/intro.md",
            "/site/content/sources/notice.txt",
            "/site/themes/default/templates/base.html",
            "/site/content",
            "/site/themes",
        ] {
            assert!(!is_ignored(root, Path::new(watched)), "{watched}");
        }
    }
}
