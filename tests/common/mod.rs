//! Shared helpers for the integration tests: a [`SiteTest`] is a small site in a temporary
//! folder, made from a fixture under `tests/fixtures/` and the repository's default theme,
//! on which the real `casepath` binary is run.

#![allow(dead_code)]

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

    /// The minimal site with the files of `tests/fixtures/bad/<case>/` laid over it.
    pub fn bad(case: &str) -> Self {
        let test = SiteTest::minimal();
        let overlay = repo().join("tests/fixtures/bad").join(case);
        assert!(overlay.is_dir(), "no fixture {}", overlay.display());
        copy_dir(&overlay, test.root());
        test
    }

    /// The shipped guide (`content/` and `themes/` of the repository).
    pub fn shipped() -> Self {
        let test = SiteTest::empty();
        copy_dir(&repo().join("content"), &test.root().join("content"));
        copy_dir(&repo().join("themes"), &test.root().join("themes"));
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

/// The shipped guide, built once per test binary.
pub fn guide() -> &'static SiteTest {
    static GUIDE: std::sync::OnceLock<SiteTest> = std::sync::OnceLock::new();
    GUIDE.get_or_init(|| {
        let test = SiteTest::shipped();
        test.build();
        test
    })
}

/// The `<main>` element of a page of the built shipped guide.
pub fn main_of(rel: &str) -> String {
    let html = guide().read(rel);
    let start = html.find("<main").expect("a <main>");
    let end = html.find("</main>").expect("a </main>");
    html[start..end + 7].to_string()
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
