//! Watching the site's files: `content/` (data, pages, sources and `site.yaml`) and `themes/`.
//!
//! File system events from notify are collected until the files have been quiet for
//! [`DEBOUNCE`], so the burst of events one save makes (an editor's temporary file, the
//! rename over the original, a backup) makes one rebuild. Batches that name only editor litter (`.swp`, `~`, `.#x`,
//! vim's `4913`) or files outside `content/` and `themes/` (the output folder, `target/`)
//! are dropped. The site root itself is watched too, without recursion, so that a
//! `content/` or `themes/` folder that is deleted and made again (a `git checkout`, a
//! copy) is watched again.
//!
//! `--poll` swaps the operating system's events for notify's polling watcher, which
//! compares file contents every [`POLL_INTERVAL`]: slower, but it works where events do not
//! arrive (WSL on a Windows drive, Docker bind mounts, network drives). When the native
//! watcher cannot start (for example, out of inotify watches) the preview falls back to it.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode, EventKind};
use notify::{Config, Event, PollWatcher, RecommendedWatcher, RecursiveMode, Watcher};

/// How long the files must be quiet before a rebuild starts. It is part of every
/// save-to-reload delay, so it is short: the events of one save come within a millisecond
/// or two.
pub const DEBOUNCE: Duration = Duration::from_millis(20);

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
    /// no file has changed for [`DEBOUNCE`] (or [`MAX_WAIT`] after the first change).
    /// Returns `None` when the watcher has stopped.
    ///
    /// The quiet period is shared by all files, unlike notify's debouncers, which time
    /// each path on its own: an editor's save touches a temporary file and then the real
    /// one, and timed apart they would make two rebuilds.
    pub fn next_change(&mut self) -> Option<Vec<PathBuf>> {
        let mut paths = Vec::new();
        let mut first = None;
        let mut quiet_until: Option<Instant> = None;
        loop {
            let event = match quiet_until {
                None => self
                    .events
                    .recv()
                    .map_err(|_| RecvTimeoutError::Disconnected),
                Some(until) => {
                    let now = Instant::now();
                    self.events
                        .recv_timeout(until.saturating_duration_since(now))
                }
            };
            match event {
                Ok(Ok(event)) if !is_read(&event.kind) => {
                    let relevant = self.note(event.paths, &mut paths);
                    if relevant || first.is_some() {
                        let now = Instant::now();
                        let first = *first.get_or_insert(now);
                        quiet_until = Some((now + DEBOUNCE).min(first + MAX_WAIT));
                    }
                }
                Ok(Ok(_)) => {}
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
    fn note(&mut self, event_paths: Vec<PathBuf>, paths: &mut Vec<PathBuf>) -> bool {
        let mut relevant = false;
        for path in event_paths {
            if INPUT_FOLDERS.iter().any(|f| path == self.root.join(f)) {
                let _ = self.watcher.unwatch(&path);
                if path.is_dir() {
                    if let Err(error) = self.watcher.watch(&path, RecursiveMode::Recursive) {
                        eprintln!("warning: cannot watch {}: {error}", path.display());
                    }
                }
            }
            if !is_ignored(&self.root, &path) {
                relevant = true;
                paths.push(path);
            }
        }
        relevant
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
