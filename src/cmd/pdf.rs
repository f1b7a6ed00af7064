//! `casepath build --pdf`: the handouts as PDF files, printed by an installed Chromium.
//!
//! After a build, each `handouts/<id>/index.html` of the output is printed with
//! `chromium --headless --print-to-pdf` to `handouts/<id>/handout.pdf`, and the page that has
//! them all to `handouts/handouts.pdf`. The paper size is Chromium's default (Letter or A4 by
//! locale); the handouts fit one page of either. The handouts of each other language
//! (`es/handouts/…`) are printed the same way. casepath does not bundle a browser: it uses
//! `CHROMIUM_PATH` when set, else the first of `chromium`, `chromium-browser`,
//! `google-chrome` and `google-chrome-stable` found on `PATH`.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::urls::HANDOUTS as SECTION;
use crate::validate::is_language_code;

/// Names Chromium is installed under.
const CANDIDATES: [&str; 4] = [
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
];

/// Finds a Chromium to print with, or says how to get one.
pub fn find_chromium() -> Result<PathBuf, Diagnostics> {
    if let Some(path) = std::env::var_os("CHROMIUM_PATH").filter(|p| !p.is_empty()) {
        let path = PathBuf::from(path);
        return if path.is_file() {
            Ok(path)
        } else {
            Err(Diagnostic::new(format!(
                "CHROMIUM_PATH is {}, which does not exist; cannot print the handouts to PDF",
                path.display()
            ))
            .with_hint("point CHROMIUM_PATH at a Chromium or Chrome binary, or unset it")
            .into())
        };
    }
    let dirs = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&dirs)
        .flat_map(|dir| CANDIDATES.iter().map(move |name| dir.join(name)))
        .find(|p| p.is_file())
        .ok_or_else(|| {
            Diagnostic::new(
                "--pdf needs Chromium or Google Chrome to print the handouts, and none is installed",
            )
            .with_hint(
                "install one (Debian and Ubuntu: `apt-get install chromium`) or set CHROMIUM_PATH; \
                 the site itself was built, and every handout prints from a browser's Print command",
            )
            .into()
        })
}

/// Prints every handout of the built site in `out` to PDF, those of each other language
/// (`<lang>/handouts/`) too; returns the files written.
pub fn print_handouts(out: &Path, chromium: &Path) -> Result<Vec<PathBuf>, Diagnostics> {
    let mut sections = vec![out.join(SECTION)];
    let mut languages: Vec<PathBuf> = std::fs::read_dir(out)
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(is_language_code)
        })
        .map(|p| p.join(SECTION))
        .filter(|p| p.join("index.html").is_file())
        .collect();
    languages.sort();
    sections.extend(languages);
    let mut pages: Vec<(PathBuf, PathBuf)> = Vec::new();
    for section in sections {
        let mut ids: Vec<PathBuf> = std::fs::read_dir(&section)
            .map_err(|e| Diagnostic::new(format!("cannot read {}: {e}", section.display())))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.join("index.html").is_file())
            .collect();
        ids.sort();
        for dir in ids {
            pages.push((dir.join("index.html"), dir.join("handout.pdf")));
        }
        pages.push((section.join("index.html"), section.join("handouts.pdf")));
    }

    let mut diagnostics = Diagnostics::new();
    let mut written = Vec::new();
    for (html, pdf) in pages {
        match print(chromium, &html, &pdf) {
            Ok(()) => written.push(pdf),
            Err(d) => diagnostics.extend(d),
        }
    }
    diagnostics.into_result(written)
}

/// Prints one page with headless Chromium.
fn print(chromium: &Path, html: &Path, pdf: &Path) -> Result<(), Diagnostics> {
    let html = std::path::absolute(html).unwrap_or_else(|_| html.to_path_buf());
    let pdf = std::path::absolute(pdf).unwrap_or_else(|_| pdf.to_path_buf());
    let _ = std::fs::remove_file(&pdf);
    let profile = tempfile_dir()?;
    let mut command = Command::new(chromium);
    command
        .arg("--headless")
        .arg("--disable-gpu")
        .arg("--no-first-run")
        .arg("--disable-background-networking")
        .arg("--disable-component-update")
        .arg("--disable-sync")
        .arg("--no-pdf-header-footer")
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--print-to-pdf={}", pdf.display()));
    if running_as_root() {
        // Chromium refuses to start as root with its sandbox on.
        command.arg("--no-sandbox");
    }
    let output = command.arg(file_url(&html)).output();
    let _ = std::fs::remove_dir_all(&profile);
    let output = output.map_err(|e| {
        Diagnostic::new(format!("cannot run {}: {e}", chromium.display()))
            .with_hint("check that CHROMIUM_PATH or PATH leads to a working Chromium")
    })?;
    if !output.status.success() || !pdf.is_file() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let last = stderr.lines().rev().find(|l| !l.trim().is_empty());
        return Err(Diagnostic::new(format!(
            "{} could not print {} to PDF ({})",
            chromium.display(),
            html.display(),
            last.unwrap_or("no message")
        ))
        .into());
    }
    Ok(())
}

/// A fresh, empty folder for Chromium's profile.
fn tempfile_dir() -> Result<PathBuf, Diagnostics> {
    let dir = std::env::temp_dir().join(format!(
        "casepath-chromium-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos())
    ));
    std::fs::create_dir_all(&dir)
        .map_err(|e| Diagnostic::new(format!("cannot create {}: {e}", dir.display())))?;
    Ok(dir)
}

/// `file://` URL of an absolute path, with the characters URLs cannot hold escaped.
fn file_url(path: &Path) -> String {
    let mut url = String::from("file://");
    if !path.to_string_lossy().starts_with('/') {
        url.push('/'); // a Windows path: file:///C:/...
    }
    for byte in path.to_string_lossy().bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' | b':' => {
                url.push(byte as char)
            }
            b'\\' => url.push('/'),
            other => url.push_str(&format!("%{other:02X}")),
        }
    }
    url
}

/// True when this process runs as root (Linux), where Chromium needs `--no-sandbox`.
fn running_as_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("Uid:"))
                .and_then(|l| l.split_whitespace().nth(1).map(|uid| uid == "0"))
        })
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_urls_escape_spaces_and_keep_slashes() {
        assert_eq!(
            file_url(Path::new("/tmp/my site/handouts/x/index.html")),
            "file:///tmp/my%20site/handouts/x/index.html"
        );
    }
}
