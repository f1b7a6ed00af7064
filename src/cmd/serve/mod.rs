//! `casepath serve`: a live preview of the site while its files are edited.
//!
//! The preview runs the same pipeline as `casepath build` ([`crate::compile`]) and serves the
//! result from memory; nothing is written to disk. Three parts, one file each:
//!
//! - [`rebuild`] keeps the last good site and the latest error, compares each new build
//!   with the one served, and tells open pages what changed;
//! - [`watch`] turns file system events under `content/` and `themes/` into one batch per
//!   save;
//! - [`http`] answers requests from memory, adds the live-reload script to HTML responses
//!   and streams change events to open pages;
//! - [`conn`] accepts connections under a cap, reads request heads strictly and on time, and
//!   checks that each request is addressed to this server.
//!
//! A failed build never stops the preview: before the first good build every URL shows the
//! errors; after it, the last good site stays up and the errors are printed in the terminal
//! and shown over every open page until the next good build reloads them.

pub mod conn;
pub mod http;
pub mod rebuild;
pub mod watch;

use std::io::ErrorKind;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::process::{Command, Stdio};
use std::sync::Arc;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::Options;
use rebuild::{render_diagnostics, Outcome, Preview};

/// The port tried first when none is given.
pub const DEFAULT_PORT: u16 = 1111;

/// How many ports from [`DEFAULT_PORT`] on are tried before giving up.
const PORTS_TO_TRY: u16 = 100;

/// What `casepath serve` is asked to do.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The site to build (`out` is only kept out of the watch; nothing is written).
    pub site: Options,
    /// The address to listen on.
    pub bind: IpAddr,
    /// The port; `None` tries [`DEFAULT_PORT`] and the ones after it, `Some(0)` lets the
    /// system choose.
    pub port: Option<u16>,
    /// Open the preview in the default browser.
    pub open: bool,
    /// Poll the files instead of waiting for the system's change events.
    pub poll: bool,
    /// Colour the terminal output.
    pub styled: bool,
}

/// Builds the site, serves it and rebuilds it on every change until the process is stopped.
/// Returns an error only when the preview cannot start (no site root, no free port, no way
/// to watch the files).
pub fn serve(options: ServeOptions) -> Result<(), Diagnostics> {
    let root = &options.site.root;
    if !root.is_dir() {
        return Err(
            Diagnostic::new(format!("the site root {} is not a folder", root.display()))
                .with_hint("pass the folder that holds `content/` with --root")
                .into(),
        );
    }
    let open_files = conn::raise_file_limit();
    let listener = bind(options.bind, options.port)?;
    let address = listener
        .local_addr()
        .map_err(|e| io_error("cannot listen", e))?;

    // Watch before the first build, so no save is missed between the two.
    let (mut watch, fallback) = watch::Watch::start(root, options.poll)
        .map_err(|e| Diagnostic::new(format!("cannot watch the site's files: {e}")))?;
    if let Some(error) = fallback {
        println!(
            "note: the system's file events are not available ({error}); polling every {} ms",
            watch::POLL_INTERVAL.as_millis()
        );
    } else if watch.polling {
        println!(
            "watching content/ and themes/ by polling every {} ms",
            watch::POLL_INTERVAL.as_millis()
        );
    }

    let (preview, first) = Preview::new(options.site.clone());
    let preview = Arc::new(preview);
    report(&first, &[], options.styled);
    let limits = conn::Limits::new(open_files);
    http::start(listener, options.bind, limits, preview.clone())
        .map_err(|e| io_error("cannot start the server", e))?;
    let url = url(address, &preview.snapshot().base_path);
    println!("serving the site at {url} (press Ctrl+C to stop)");
    if address.ip().is_unspecified() {
        println!("note: listening on every network interface: others on your network can see it");
    }

    if options.open {
        open_browser(&url);
    }
    let canonical_root = root.canonicalize().unwrap_or_else(|_| root.clone());
    while let Some(paths) = watch.next_change() {
        let outcome = preview.rebuild();
        let shown: Vec<String> = paths
            .iter()
            .map(|p| crate::load::display_path(&canonical_root, p))
            .collect();
        report(&outcome, &shown, options.styled);
    }
    Ok(())
}

/// Listens on the given port, or on the first free one from [`DEFAULT_PORT`] on.
fn bind(ip: IpAddr, port: Option<u16>) -> Result<TcpListener, Diagnostics> {
    let fail = |port: u16, error: std::io::Error| -> Diagnostics {
        Diagnostic::new(format!(
            "cannot listen on {}: {error}",
            SocketAddr::new(ip, port)
        ))
        .with_hint("choose another port with --port N, or --port 0 for any free port")
        .into()
    };
    if let Some(port) = port {
        return TcpListener::bind((ip, port)).map_err(|e| fail(port, e));
    }
    for port in DEFAULT_PORT..DEFAULT_PORT + PORTS_TO_TRY {
        match TcpListener::bind((ip, port)) {
            Ok(listener) => return Ok(listener),
            Err(error) if error.kind() == ErrorKind::AddrInUse => continue,
            Err(error) => return Err(fail(port, error)),
        }
    }
    Err(Diagnostic::new(format!(
        "ports {DEFAULT_PORT} to {} are all in use",
        DEFAULT_PORT + PORTS_TO_TRY - 1
    ))
    .with_hint("choose a port with --port N, or --port 0 for any free port")
    .into())
}

fn io_error(what: &str, error: std::io::Error) -> Diagnostics {
    Diagnostic::new(format!("{what}: {error}")).into()
}

/// The address to open: loopback when listening everywhere.
fn url(address: SocketAddr, base_path: &str) -> String {
    let ip = match address.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::from([127, 0, 0, 1]),
        IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::from(std::net::Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    format!("http://{}{base_path}", SocketAddr::new(ip, address.port()))
}

/// Prints what a build did: one line, or the diagnostics.
fn report(outcome: &Outcome, paths: &[String], styled: bool) {
    let cause = match paths {
        [] => String::new(),
        [one] => format!(" after a change to {one}"),
        [one, rest @ ..] => format!(" after changes to {one} and {} more", rest.len()),
    };
    match outcome {
        Outcome::Changed {
            files,
            reloaded,
            recovered,
            elapsed,
            rendered,
        } => {
            let ms = elapsed.as_millis();
            if paths.is_empty() {
                let pages = files.iter().filter(|f| f.ends_with(".html")).count();
                println!("built {pages} pages ({} files) in {ms} ms", files.len());
                return;
            }
            let fixed = if *recovered { "fixed; " } else { "" };
            let listed = match files.as_slice() {
                [] => String::new(),
                [one] => format!(" ({one})"),
                [one, two] => format!(" ({one}, {two})"),
                [one, two, ..] => format!(" ({one}, {two}, …)"),
            };
            println!(
                "{fixed}rebuilt in {ms} ms{cause}: rendered {rendered} page{}, {} file{} changed{listed}; {reloaded} open page{} reloaded",
                plural(*rendered),
                files.len(),
                plural(files.len()),
                plural(*reloaded),
            );
        }
        Outcome::Unchanged { elapsed, rendered } => {
            println!(
                "rebuilt in {} ms{cause}: rendered {rendered} page{}, nothing changed",
                elapsed.as_millis(),
                plural(*rendered),
            );
        }
        Outcome::Failed { error, .. } => {
            eprint!(
                "{}",
                render_diagnostics(&error.diagnostics, styled, error.kept_site)
            );
        }
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// Opens `url` in the default browser, in the background; says so when it cannot. `$BROWSER`
/// is honoured as usual: commands separated by `:`, tried in turn, `%s` standing for the URL.
fn open_browser(url: &str) {
    let commands: Vec<Vec<String>> = match std::env::var("BROWSER") {
        Ok(browser) if !browser.trim().is_empty() => browser
            .split(':')
            .map(|command| browser_command(command, url))
            .filter(|command| !command.is_empty())
            .collect(),
        _ if cfg!(target_os = "macos") => vec![vec!["open".into(), url.into()]],
        _ if cfg!(windows) => vec![vec![
            "cmd".into(),
            "/C".into(),
            "start".into(),
            String::new(),
            url.into(),
        ]],
        _ => vec![vec!["xdg-open".into(), url.into()]],
    };
    let url = url.to_string();
    std::thread::spawn(move || {
        for command in &commands {
            let opened = Command::new(&command[0])
                .args(&command[1..])
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
            if opened.is_ok_and(|status| status.success()) {
                return;
            }
        }
        println!("note: could not open a browser; open {url} yourself");
    });
}

/// One `$BROWSER` entry as a program and its arguments, with the URL in place of `%s` or
/// added at the end.
fn browser_command(command: &str, url: &str) -> Vec<String> {
    let mut words: Vec<String> = command.split_whitespace().map(str::to_string).collect();
    if words.iter().any(|w| w.contains("%s")) {
        for word in &mut words {
            *word = word.replace("%s", url);
        }
    } else if !words.is_empty() {
        words.push(url.to_string());
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn browser_commands_take_the_url_in_place_of_percent_s_or_at_the_end() {
        assert_eq!(
            browser_command("firefox --new-tab", "http://x/"),
            ["firefox", "--new-tab", "http://x/"]
        );
        assert_eq!(
            browser_command("w3m %s -N", "http://x/"),
            ["w3m", "http://x/", "-N"]
        );
        assert!(browser_command("  ", "http://x/").is_empty());
    }

    #[test]
    fn urls_name_a_reachable_host_and_the_base_path() {
        let any: SocketAddr = "0.0.0.0:1111".parse().unwrap();
        assert_eq!(url(any, "/"), "http://127.0.0.1:1111/");
        let v6: SocketAddr = "[::1]:1112".parse().unwrap();
        assert_eq!(url(v6, "/guide/"), "http://[::1]:1112/guide/");
    }
}
