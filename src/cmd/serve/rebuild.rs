//! The preview's state: the last good site in memory, the current build error, and the open
//! pages to tell when either changes.
//!
//! Every rebuild runs the whole pipeline ([`crate::compile_with`]) with a [`crate::Cache`]
//! kept from the one before: content is loaded, checked and resolved again, but a page is
//! rendered again only when its fingerprint (its templates, the parts of the site they
//! read, and its own context) changed, and its links are followed again only when it, or
//! the set of pages and anchors, changed. So what is served is always exactly what
//! `casepath build` would write (a test compares the two after a series of edits), and an
//! edit to one Markdown page renders that page and the few that list it. The new site is
//! then compared file by file with the one being served, nothing is sent when nothing
//! changed, and only the pages whose own HTML, or a stylesheet, script or image they load,
//! changed are told to reload. The terminal output comes after the browsers have been told.
//!
//! Each open page subscribes with the generation it was served at and the output files it
//! shows. A generation counts changes of the served site; the server remembers at which
//! generation each file last changed, so a page that reconnects (after a sleep, a lost
//! connection or a server restart) learns at once whether it is out of date, and a page that
//! was showing an error learns that it is fixed: no page is left stuck on an old view.
//!
//! At most [`MAX_SUBSCRIBERS`] pages listen at once: past that the oldest is told to stop
//! listening (a `closed` event) and dropped. A page whose connection closes is dropped at
//! once, when its stream is, not at the next change.

use std::collections::{BTreeSet, HashMap};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde_json::json;
use tokio::sync::mpsc::{unbounded_channel, UnboundedReceiver, UnboundedSender};

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::render::Output;
use crate::Options;

/// A page's subscription key that matches every change: used by the error page shown
/// before the first good build, and by clients that name no page (tests, the benchmark).
pub const ANY_PAGE: &str = "*";

/// The most pages that listen for changes at once. A browser opens at most six connections
/// to one server and a page listens only while it is shown, so a person editing a guide
/// needs a handful; a flood of listeners drops the oldest instead of growing without end.
pub const MAX_SUBSCRIBERS: usize = 64;

/// One state of the served site.
#[derive(Debug, Clone)]
pub struct Snapshot {
    /// Counts changes of the served files; a page is served with the generation it shows.
    pub generation: u64,
    /// The last site that built without errors; `None` until the first good build.
    pub output: Option<Arc<Output>>,
    /// The URL path the site is served under: `/`, or the path of the site's base URL
    /// (`/guide/`), so the 404 page's absolute links work as they will when published.
    pub base_path: String,
    /// The errors of the latest build, if it failed.
    pub error: Option<Arc<BuildError>>,
}

/// A failed build, as shown in the terminal and in the browser's overlay.
#[derive(Debug)]
pub struct BuildError {
    /// The diagnostics.
    pub diagnostics: Diagnostics,
    /// Every diagnostic rendered rustc-style, without colour, and a closing line.
    pub text: String,
    /// `file:line:column` of each diagnostic that has a place.
    pub positions: Vec<String>,
    /// Whether an earlier good site is still being served.
    pub kept_site: bool,
}

impl BuildError {
    fn new(diagnostics: Diagnostics, kept_site: bool) -> Self {
        let text = render_diagnostics(&diagnostics, false, kept_site);
        let positions = diagnostics.0.iter().filter_map(|d| d.position()).collect();
        BuildError {
            diagnostics,
            text,
            positions,
            kept_site,
        }
    }
}

/// Renders diagnostics for the terminal or the browser, closing with what the preview does.
pub fn render_diagnostics(diagnostics: &Diagnostics, styled: bool, kept_site: bool) -> String {
    let mut text = diagnostics.render_each(styled);
    let n = diagnostics.len();
    text.push_str(&format!(
        "error: {n} problem{} found; {}\n",
        if n == 1 { "" } else { "s" },
        if kept_site {
            "still showing the last good version of the site"
        } else {
            "the site could not be built yet"
        }
    ));
    text
}

/// What one rebuild did.
#[derive(Debug)]
pub enum Outcome {
    /// The site built and some files differ from the ones served before.
    Changed {
        /// The output files added, changed or removed, sorted.
        files: Vec<String>,
        /// How many open pages were told to reload.
        reloaded: usize,
        /// True when the build before this one had failed.
        recovered: bool,
        /// Time spent compiling.
        elapsed: Duration,
        /// How many pages were rendered; the others were taken from the last build.
        rendered: usize,
    },
    /// The site built and is byte for byte the one already served.
    Unchanged {
        /// Time spent compiling.
        elapsed: Duration,
        /// How many pages were rendered.
        rendered: usize,
    },
    /// The build failed; the last good site is still served.
    Failed {
        /// The errors.
        error: Arc<BuildError>,
        /// Time spent compiling.
        elapsed: Duration,
    },
}

/// What a page that subscribes to changes says about itself.
#[derive(Debug, Clone, Default)]
pub struct Subscription {
    /// The server instance that served the page (pages from another run reload).
    pub instance: Option<String>,
    /// The generation the page was served at.
    pub generation: Option<u64>,
    /// The output files the page shows; empty or [`ANY_PAGE`] for every change.
    pub pages: Vec<String>,
}

impl Subscription {
    fn watches(&self, file: &str) -> bool {
        self.pages.is_empty() || self.pages.iter().any(|p| p == file || p == ANY_PAGE)
    }
}

struct Subscriber {
    /// Tells this subscriber from the others, so its [`Listener`] can remove it.
    id: u64,
    subscription: Subscription,
    sender: UnboundedSender<String>,
}

struct State {
    snapshot: Arc<Snapshot>,
    /// The generation at which each output file (including removed ones) last changed.
    changed_at: HashMap<String, u64>,
    /// The open pages, oldest first.
    subscribers: Vec<Subscriber>,
    /// The id of the next subscriber.
    next_id: u64,
}

/// The events of one open page, from [`Preview::subscribe`]. Dropping it (when the page's
/// connection closes) unsubscribes the page at once.
pub struct Listener {
    preview: Arc<Preview>,
    id: u64,
    events: UnboundedReceiver<String>,
}

impl Listener {
    /// The next event; `None` when the page is unsubscribed (dropped past the cap).
    pub async fn recv(&mut self) -> Option<String> {
        self.events.recv().await
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        let id = self.id;
        self.preview
            .lock()
            .subscribers
            .retain(|subscriber| subscriber.id != id);
    }
}

/// The live preview: builds the site, keeps the last good one, and tells open pages.
pub struct Preview {
    options: Options,
    /// What the last compile rendered and checked, so the next one redoes only what changed.
    cache: Mutex<crate::Cache>,
    instance: String,
    state: Mutex<State>,
}

impl Preview {
    /// Builds the site a first time. A failed build still makes a preview, which serves the
    /// error until a rebuild succeeds.
    pub fn new(options: Options) -> (Preview, Outcome) {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let preview = Preview {
            instance: format!("{:x}", nanos ^ u128::from(std::process::id()) << 64),
            state: Mutex::new(State {
                snapshot: Arc::new(Snapshot {
                    generation: 0,
                    output: None,
                    base_path: "/".into(),
                    error: None,
                }),
                changed_at: HashMap::new(),
                subscribers: Vec::new(),
                next_id: 0,
            }),
            options,
            cache: Mutex::new(crate::Cache::kept()),
        };
        let outcome = preview.rebuild();
        (preview, outcome)
    }

    /// The build options.
    pub fn options(&self) -> &Options {
        &self.options
    }

    /// Identifies this run of the server; pages served by an earlier run reload.
    pub fn instance(&self) -> &str {
        &self.instance
    }

    /// The state being served now.
    pub fn snapshot(&self) -> Arc<Snapshot> {
        self.lock().snapshot.clone()
    }

    /// Runs the whole pipeline again, serves the result if it built, and tells open pages.
    pub fn rebuild(&self) -> Outcome {
        let start = Instant::now();
        // A crash in the pipeline is a bug, but it must not take the preview down with it.
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        let result = catch_unwind(AssertUnwindSafe(|| {
            crate::compile_with(&self.options, &mut cache)
        }))
        .unwrap_or_else(|panic| {
            // A crash may have left the cache half updated: start again from nothing.
            *cache = crate::Cache::kept();
            Err(crashed(panic.as_ref()))
        });
        let rendered = cache.render.rendered();
        drop(cache);
        let elapsed = start.elapsed();
        match result {
            Ok(output) => {
                let base_path = base_path(&self.options);
                self.publish(output, base_path, elapsed, rendered)
            }
            Err(diagnostics) => self.fail(diagnostics, elapsed),
        }
    }

    fn publish(
        &self,
        output: Output,
        base_path: String,
        elapsed: Duration,
        rendered: usize,
    ) -> Outcome {
        let mut state = self.lock();
        let old = state.snapshot.clone();
        let files = diff(old.output.as_deref(), &output);
        let recovered = old.error.is_some();
        let moved = old.base_path != base_path;
        if files.is_empty() && !recovered && !moved {
            return Outcome::Unchanged { elapsed, rendered };
        }
        let generation = if files.is_empty() && !moved {
            old.generation
        } else {
            old.generation + 1
        };
        for file in &files {
            state.changed_at.insert(file.clone(), generation);
        }
        state.snapshot = Arc::new(Snapshot {
            generation,
            output: Some(Arc::new(output)),
            base_path,
            error: None,
        });
        let message = event(
            "reload",
            &json!({
                "generation": generation,
                "changed": files,
                "recovered": recovered,
            }),
        );
        // After an error every page reloads, so none is left showing it (hugo#11378).
        let everything = recovered || moved;
        let mut reloaded = 0;
        state.subscribers.retain(|subscriber| {
            let told = everything || files.iter().any(|f| subscriber.subscription.watches(f));
            if !told {
                return true;
            }
            reloaded += 1;
            subscriber.sender.send(message.clone()).is_ok()
        });
        Outcome::Changed {
            files,
            reloaded,
            recovered,
            elapsed,
            rendered,
        }
    }

    fn fail(&self, diagnostics: Diagnostics, elapsed: Duration) -> Outcome {
        let mut state = self.lock();
        let old = state.snapshot.clone();
        let error = Arc::new(BuildError::new(diagnostics, old.output.is_some()));
        state.snapshot = Arc::new(Snapshot {
            error: Some(error.clone()),
            ..(*old).clone()
        });
        let message = error_event(&error);
        state
            .subscribers
            .retain(|subscriber| subscriber.sender.send(message.clone()).is_ok());
        Outcome::Failed { error, elapsed }
    }

    /// Registers an open page. The returned listener yields Server-Sent Events, starting
    /// with what the page needs to know now: `hello`, then `reload` if the page is out of
    /// date, or `build-error` if the latest build failed. When [`MAX_SUBSCRIBERS`] pages
    /// listen already, the oldest is sent `closed` and dropped.
    pub fn subscribe(self: &Arc<Self>, subscription: Subscription) -> Listener {
        let (sender, receiver) = unbounded_channel();
        let mut state = self.lock();
        let excess = (state.subscribers.len() + 1).saturating_sub(MAX_SUBSCRIBERS);
        let closed = event(
            "closed",
            &json!({ "reason": "too many pages are listening; the oldest stop" }),
        );
        for oldest in state.subscribers.drain(..excess) {
            let _ = oldest.sender.send(closed.clone());
        }
        let snapshot = state.snapshot.clone();
        let _ = sender.send("retry: 1000\n\n".to_string());
        let _ = sender.send(event(
            "hello",
            &json!({
                "generation": snapshot.generation,
                "error": snapshot.error.is_some(),
            }),
        ));
        if let Some(error) = &snapshot.error {
            let _ = sender.send(error_event(error));
        }
        if self.is_stale(&state, &subscription) {
            let _ = sender.send(event(
                "reload",
                &json!({
                    "generation": snapshot.generation,
                    "changed": subscription.pages,
                    "recovered": false,
                }),
            ));
        }
        let id = state.next_id;
        state.next_id += 1;
        state.subscribers.push(Subscriber {
            id,
            subscription,
            sender,
        });
        Listener {
            preview: self.clone(),
            id,
            events: receiver,
        }
    }

    /// Whether a page served at the subscription's generation shows an old version.
    fn is_stale(&self, state: &State, subscription: &Subscription) -> bool {
        let Some(served_at) = subscription.generation else {
            return false;
        };
        if subscription
            .instance
            .as_deref()
            .is_some_and(|i| i != self.instance)
        {
            return true;
        }
        if subscription.pages.iter().any(|p| p == ANY_PAGE) {
            return state.snapshot.generation > served_at;
        }
        subscription
            .pages
            .iter()
            .any(|page| state.changed_at.get(page).is_some_and(|&g| g > served_at))
    }

    /// How many pages are subscribed now.
    pub fn subscribers(&self) -> usize {
        self.lock().subscribers.len()
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock cannot leave the state half-updated (every
        // update is a single assignment), so a poisoned lock is still safe to use.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The diagnostic for a build that panicked.
fn crashed(panic: &(dyn std::any::Any + Send)) -> Diagnostics {
    let message = panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "no message".to_string());
    Diagnostic::new(format!(
        "casepath crashed while building the site: {message}"
    ))
    .with_hint(
        "this is a bug in casepath, not in your files; the preview goes on, and a \
             report with the last file you changed helps fix it",
    )
    .into()
}

/// The output files added, changed or removed between two sites, sorted.
pub fn diff(old: Option<&Output>, new: &Output) -> Vec<String> {
    let Some(old) = old else {
        return new.keys().cloned().collect();
    };
    let mut files = BTreeSet::new();
    for (path, bytes) in new {
        if old.get(path) != Some(bytes) {
            files.insert(path.clone());
        }
    }
    for path in old.keys() {
        if !new.contains_key(path) {
            files.insert(path.clone());
        }
    }
    files.into_iter().collect()
}

/// The URL path the site is served under: the path of `--base-url` or of `base_url` in
/// `content/site.yaml` (the same one the 404 page's links use), else `/`.
fn base_path(options: &Options) -> String {
    let configured = options.base_url.clone().or_else(|| {
        // Read only a site.yaml that stays inside content/, as the build does.
        let content = options.root.join("content").canonicalize().ok()?;
        let file = options.root.join("content/site.yaml").canonicalize().ok()?;
        let text = std::fs::read_to_string(file.starts_with(&content).then_some(file)?).ok()?;
        serde_saphyr::from_str::<crate::load::schema::SiteConfig>(&text)
            .ok()?
            .base_url
    });
    configured.map_or_else(
        || "/".to_string(),
        |url| local_path(&crate::urls::base_path(&url)),
    )
}

/// A base path as a path on this server: without empty, `.` or `..` segments, so that
/// `//evil.example/` (from `https://a.example//evil.example/`) becomes `/evil.example/`
/// and the redirect to it stays here.
fn local_path(path: &str) -> String {
    let mut local = String::from("/");
    for segment in path.split('/') {
        if !matches!(segment, "" | "." | "..") {
            local.push_str(segment);
            local.push('/');
        }
    }
    local
}

/// One Server-Sent Event with a JSON payload (serde_json writes it on one line).
fn event(name: &str, data: &serde_json::Value) -> String {
    format!("event: {name}\ndata: {data}\n\n")
}

fn error_event(error: &BuildError) -> String {
    event(
        "build-error",
        &json!({ "text": error.text, "positions": error.positions }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn output(files: &[(&str, &str)]) -> Output {
        files
            .iter()
            .map(|(k, v)| (k.to_string(), v.as_bytes().to_vec()))
            .collect()
    }

    #[test]
    fn diff_lists_added_changed_and_removed_files() {
        let old = output(&[("a.html", "1"), ("b.html", "2"), ("c.css", "3")]);
        let new = output(&[("a.html", "1"), ("b.html", "two"), ("d.html", "4")]);
        assert_eq!(diff(Some(&old), &new), ["b.html", "c.css", "d.html"]);
        assert!(diff(Some(&new), &new).is_empty());
        assert_eq!(diff(None, &old).len(), 3);
    }

    #[test]
    fn a_crash_becomes_a_diagnostic() {
        let panic = catch_unwind(|| panic!("index out of bounds")).unwrap_err();
        let diagnostics = crashed(panic.as_ref());
        assert!(diagnostics.0[0].message.ends_with(": index out of bounds"));
    }

    #[test]
    fn base_paths_are_paths_on_this_server() {
        assert_eq!(local_path("/"), "/");
        assert_eq!(local_path("/guide/"), "/guide/");
        assert_eq!(local_path("//evil.example/"), "/evil.example/");
        assert_eq!(local_path("/a/./../b//"), "/a/b/");
    }

    #[test]
    fn a_subscription_without_pages_watches_everything() {
        let any = Subscription::default();
        assert!(any.watches("x/index.html"));
        let one = Subscription {
            pages: vec!["a/index.html".into()],
            ..Subscription::default()
        };
        assert!(one.watches("a/index.html"));
        assert!(!one.watches("b/index.html"));
    }
}
