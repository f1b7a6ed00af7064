//! Shared helpers for the integration tests: a [`SiteTest`] is a small site in a temporary
//! folder, made from a fixture under `tests/fixtures/` and the repository's default theme,
//! on which the real `casepath` binary is run. (The shipped guide's helpers, such as
//! `SiteTest::shipped`, are in `guide/mod.rs`: the engine's tests do not use them.)

#![allow(dead_code)]

pub mod serve;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A site in a temporary folder.
pub struct SiteTest {
    dir: tempfile::TempDir,
}

/// What one run of `casepath` printed and returned.
pub struct Run {
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
    /// Exit code.
    pub code: i32,
}

impl SiteTest {
    /// The small good site `tests/fixtures/good/minimal` with the default theme.
    pub fn minimal() -> Self {
        let test = SiteTest::empty();
        copy_dir(&repo().join("tests/fixtures/good/minimal"), test.root());
        copy_dir(&repo().join("themes"), &test.root().join("themes"));
        test
    }

    /// The minimal site with the files of `tests/fixtures/good/<case>/` laid over it.
    pub fn good(case: &str) -> Self {
        SiteTest::minimal_with("tests/fixtures/good", case)
    }

    /// The minimal site with the files of `tests/fixtures/bad/<case>/` laid over it.
    pub fn bad(case: &str) -> Self {
        SiteTest::minimal_with("tests/fixtures/bad", case)
    }

    /// The minimal site with the files of `<folder>/<case>/` laid over it.
    fn minimal_with(folder: &str, case: &str) -> Self {
        let test = SiteTest::minimal();
        let overlay = repo().join(folder).join(case);
        assert!(overlay.is_dir(), "no fixture {}", overlay.display());
        copy_dir(&overlay, test.root());
        test
    }

    /// An empty folder.
    pub fn empty() -> Self {
        SiteTest {
            dir: tempfile::tempdir().expect("temporary folder"),
        }
    }

    /// The site root.
    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// Writes a file under the root.
    pub fn write(&self, rel: &str, text: &str) {
        let path = self.root().join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }

    /// Reads a built file under `site/`.
    pub fn read(&self, rel: &str) -> String {
        let path = self.root().join("site").join(rel);
        fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
    }

    /// Runs `casepath <args> --root <root>`.
    pub fn run(&self, args: &[&str]) -> Run {
        let mut command = Command::new(env!("CARGO_BIN_EXE_casepath"));
        command.args(args).arg("--root").arg(self.root());
        exec(command)
    }

    /// Runs `casepath <args>` in the root folder, without `--root`.
    pub fn run_plain(&self, args: &[&str]) -> Run {
        let mut command = Command::new(env!("CARGO_BIN_EXE_casepath"));
        command.args(args).current_dir(self.root());
        exec(command)
    }

    /// Runs `casepath build` and asserts that it succeeded.
    pub fn build(&self) -> Run {
        let run = self.run(&["build"]);
        assert_eq!(run.code, 0, "build failed:\n{}", run.stderr);
        run
    }

    /// Every file under `site/` with its bytes, for before/after comparisons.
    pub fn snapshot_output(&self) -> Vec<(String, Vec<u8>)> {
        let site = self.root().join("site");
        let mut files = Vec::new();
        for entry in walkdir::WalkDir::new(&site).sort_by_file_name() {
            let entry = entry.unwrap();
            if entry.file_type().is_file() {
                let rel = entry
                    .path()
                    .strip_prefix(&site)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                files.push((rel, fs::read(entry.path()).unwrap()));
            }
        }
        files
    }
}

/// Runs a command without colours and collects what it printed.
fn exec(mut command: Command) -> Run {
    let output: Output = command.env("NO_COLOR", "1").output().expect("run casepath");
    Run {
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        code: output.status.code().unwrap_or(-1),
    }
}

/// Copies a folder tree.
pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).unwrap();
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

impl SiteTest {
    /// The hidden `.site.*` folders a build left beside `site/`.
    pub fn leftovers(&self) -> Vec<String> {
        fs::read_dir(self.root())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(".site"))
            .collect()
    }
}

/// A user whom file permissions bind, for the tests of unreadable and unwritable folders.
///
/// Root ignores permission bits, so when the tests run as root, casepath runs as `nobody`
/// (user and group 65534) through `setpriv` (util-linux), and the site is handed to that
/// user first; otherwise it runs as the user running the tests, who owns the site. When
/// neither works, [`Unprivileged::for_site`] panics: a permission test must not pass
/// without testing anything.
pub struct Unprivileged {
    /// The casepath binary as `nobody` can run it, when running through `setpriv`.
    setpriv: Option<PathBuf>,
}

/// The user and group casepath runs as under `setpriv`.
const NOBODY: u32 = 65534;

impl Unprivileged {
    /// Prepares `test` to be built by a user whom permissions bind.
    pub fn for_site(test: &SiteTest) -> Self {
        use std::os::unix::fs::MetadataExt;
        let me = tempfile::tempfile().unwrap().metadata().unwrap().uid();
        if me != 0 {
            return Unprivileged { setpriv: None };
        }
        for folder in test.root().ancestors().skip(1) {
            let mode = fs::metadata(folder).unwrap().mode();
            assert!(
                mode & 0o001 != 0,
                "user {NOBODY} cannot reach the temporary folder {}: {} is mode {mode:o}; \
                 set TMPDIR to a folder others may enter, such as /tmp",
                test.root().display(),
                folder.display()
            );
        }
        let give_to_nobody = |dir: &Path| {
            for entry in walkdir::WalkDir::new(dir) {
                let entry = entry.unwrap();
                std::os::unix::fs::lchown(entry.path(), Some(NOBODY), Some(NOBODY)).unwrap();
            }
        };
        give_to_nobody(test.root());
        // A copy, if needed, goes outside `content/` and `themes/`: not part of the site.
        let binary = binary_for_nobody(&test.root().join(".bin"));
        give_to_nobody(test.root());
        Unprivileged {
            setpriv: Some(binary),
        }
    }

    /// Runs `casepath <args> --root <root>` as this user.
    pub fn run(&self, test: &SiteTest, args: &[&str]) -> Run {
        let mut command = match &self.setpriv {
            Some(binary) => {
                let mut command = Command::new("setpriv");
                command.args(setpriv_args()).arg(binary);
                command
            }
            None => Command::new(env!("CARGO_BIN_EXE_casepath")),
        };
        command.args(args).arg("--root").arg(test.root());
        exec(command)
    }

    /// Runs `casepath build` as this user and asserts that it succeeded.
    pub fn build(&self, test: &SiteTest) -> Run {
        let run = self.run(test, &["build"]);
        assert_eq!(run.code, 0, "build failed:\n{}", run.stderr);
        run
    }
}

/// `setpriv` arguments that drop to `nobody`, with no supplementary groups.
fn setpriv_args() -> [String; 3] {
    [
        format!("--reuid={NOBODY}"),
        format!("--regid={NOBODY}"),
        "--clear-groups".to_string(),
    ]
}

/// Whether `nobody` can run a casepath binary through `setpriv`; panics, saying why, when
/// `setpriv` itself cannot be run.
fn nobody_runs(binary: &Path) -> bool {
    match Command::new("setpriv")
        .args(setpriv_args())
        .arg(binary)
        .arg("--version")
        .output()
    {
        Ok(output) => output.status.success(),
        Err(error) => panic!(
            "the tests run as root, so the permission tests run casepath as user {NOBODY} \
             with setpriv (util-linux), which cannot be run: {error}"
        ),
    }
}

/// The casepath binary where `nobody` can run it: where cargo built it, or else (when the
/// target folder is out of that user's reach) a copy in `dir`. Panics when neither runs.
fn binary_for_nobody(dir: &Path) -> PathBuf {
    static BUILT_RUNS: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    let built = PathBuf::from(env!("CARGO_BIN_EXE_casepath"));
    if *BUILT_RUNS.get_or_init(|| nobody_runs(&built)) {
        return built;
    }
    fs::create_dir_all(dir).unwrap();
    let copy = dir.join("casepath");
    fs::copy(&built, &copy).unwrap();
    assert!(
        nobody_runs(&copy),
        "user {NOBODY} cannot run casepath, not even a copy at {}",
        copy.display()
    );
    copy
}

/// Sets the permission bits of a file or folder until the guard is dropped, then puts the
/// old ones back (so that the temporary folder can be removed).
pub struct ModeGuard {
    path: PathBuf,
    mode: u32,
}

/// Sets `path`'s permission bits to `mode` (such as `0o555`) until the guard is dropped.
pub fn chmod(path: &Path, mode: u32) -> ModeGuard {
    use std::os::unix::fs::PermissionsExt;
    let old = fs::metadata(path).unwrap().permissions().mode();
    fs::set_permissions(path, fs::Permissions::from_mode(mode)).unwrap();
    ModeGuard {
        path: path.to_path_buf(),
        mode: old,
    }
}

impl Drop for ModeGuard {
    fn drop(&mut self) {
        use std::os::unix::fs::PermissionsExt;
        let _ = fs::set_permissions(&self.path, fs::Permissions::from_mode(self.mode));
    }
}

/// A link `target` (relative, as a page writes it) from the site page `page` ("es/about/index.html"),
/// resolved to a site-relative path, its fragment dropped: "../../more/index.html#x" → "more/index.html".
pub fn resolve_link(page: &str, target: &str) -> String {
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop();
    for part in target.split('#').next().unwrap_or_default().split('/') {
        match part {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            p => parts.push(p),
        }
    }
    parts.join("/")
}
