//! `casepath serve` under abuse: slow and idle sockets, floods of live-reload pages, other
//! hosts' names, malformed requests and a base URL that tries to redirect elsewhere. Every
//! test runs the real binary on 127.0.0.1 only, with bounded counts; waits end after
//! [`PATIENCE`] at most. SECURITY.md lists each defence with its test.

use std::io::Read;
use std::net::{SocketAddr, TcpStream};
use std::process::Command;
use std::thread;
use std::time::{Duration, Instant};

use crate::common::serve::{exchange, send, Events, Reply, Serve, PATIENCE};
use crate::common::SiteTest;
use casepath::cmd::serve::http::{EVENTS_PATH, MAX_PAGES, MAX_PAGE_BYTES, STATUS_PATH};
use casepath::cmd::serve::rebuild::MAX_SUBSCRIBERS;
use serde_json::Value;

/// The header-read timeout the tests give the server, so that they need not wait 10 s.
const HEADER_TIMEOUT_MS: &str = "1000";

/// `casepath serve --port 0` on the site, with the short header timeout and the status
/// endpoint on.
fn serve(test: &SiteTest, args: &[&str]) -> Serve {
    serve_with(test, None, HEADER_TIMEOUT_MS, args)
}

/// `casepath serve --port 0` on the site with this header timeout and the status endpoint
/// on, run through `bash -c PREFIX exec …` when a prefix (`ulimit -n N &&`) is given.
fn serve_with(
    test: &SiteTest,
    shell_prefix: Option<&str>,
    header_timeout_ms: &str,
    args: &[&str],
) -> Serve {
    let binary = env!("CARGO_BIN_EXE_casepath");
    let mut command = match shell_prefix {
        Some(prefix) => {
            let mut command = Command::new("bash");
            command
                .arg("-c")
                .arg(format!("{prefix} exec \"$0\" \"$@\""))
                .arg(binary);
            command
        }
        None => Command::new(binary),
    };
    command
        .args(["serve", "--port", "0"])
        .args(args)
        .arg("--root")
        .arg(test.root())
        .env("CASEPATH_HEADER_TIMEOUT_MS", header_timeout_ms)
        .env("CASEPATH_SERVE_STATUS", "1");
    Serve::spawn(command)
}

/// `GET target` with exactly these header lines (each ending in CRLF).
fn get_with(addr: SocketAddr, target: &str, headers: &str) -> Reply {
    exchange(
        addr,
        format!("GET {target} HTTP/1.1\r\n{headers}Connection: close\r\n\r\n").as_bytes(),
    )
}

/// The server's counts of open connections and live-reload subscribers.
fn status(addr: SocketAddr) -> Value {
    let reply = get_with(addr, STATUS_PATH, &format!("Host: {addr}\r\n"));
    assert_eq!(reply.status, 200, "{}", reply.text());
    serde_json::from_slice(&reply.body).expect("JSON status")
}

/// Waits until the server counts `expected` of `what` (`connections`, `subscribers`).
fn wait_for_count(addr: SocketAddr, what: &str, expected: u64) {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let counted = status(addr)[what].as_u64().unwrap();
        if counted == expected {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{counted} {what} counted, {expected} expected"
        );
        thread::sleep(Duration::from_millis(20));
    }
}

/// Reads from a socket until the server closes it; false when it is still open after
/// [`PATIENCE`].
fn closed_by_server(mut stream: TcpStream) -> bool {
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    let mut sink = Vec::new();
    match stream.read_to_end(&mut sink) {
        Ok(_) => true,
        Err(error) => error.kind() == std::io::ErrorKind::ConnectionReset,
    }
}

/// 300 sockets that send half a request and hold, against a server that may open only 256
/// files: before, they took every descriptor for good and no other request was answered.
/// Now the header timeout closes them, the connection cap keeps descriptors free, and every
/// probe is answered.
#[cfg(target_os = "linux")]
#[test]
fn slow_clients_are_cut_off_and_do_not_starve_other_requests() {
    let test = SiteTest::minimal();
    let serve = serve_with(&test, Some("ulimit -n 256 &&"), HEADER_TIMEOUT_MS, &[]);
    let addr = serve.addr;
    let slow = slow_sockets(addr, 300);
    probe(addr);
    let closed = slow
        .into_iter()
        .filter(|s| closed_by_server(s.try_clone().unwrap()))
        .count();
    assert_eq!(closed, 300, "slow sockets left open");
    // Only the connection that asks is left.
    wait_for_count(addr, "connections", 1);
}

/// Opens `count` sockets that send half a request head and hold.
fn slow_sockets(addr: SocketAddr, count: usize) -> Vec<TcpStream> {
    let half = format!("GET / HTTP/1.1\r\nHost: {addr}\r\nX-Slow: ");
    (0..count).map(|_| send(addr, half.as_bytes())).collect()
}

/// Four `GET /` that must be answered.
fn probe(addr: SocketAddr) {
    for _ in 0..4 {
        let probe = get_with(addr, "/", &format!("Host: {addr}\r\n"));
        assert_eq!(probe.status, 200);
    }
}

/// Whether the server still holds a socket open (it has neither closed nor reset it).
fn still_open(stream: &TcpStream) -> bool {
    stream.set_nonblocking(true).unwrap();
    let mut byte = [0];
    let open = matches!(
        stream.peek(&mut byte),
        Err(ref error) if error.kind() == std::io::ErrorKind::WouldBlock
    );
    stream.set_nonblocking(false).unwrap();
    open
}

/// With a header timeout too long to help, the connection cap still serves new requests:
/// at the cap, each new connection takes the place of the one idle longest. The server never
/// holds more than its cap (192 of 256 files).
#[cfg(target_os = "linux")]
#[test]
fn at_the_connection_cap_new_requests_replace_the_longest_idle_connections() {
    let test = SiteTest::minimal();
    let serve = serve_with(&test, Some("ulimit -n 256 &&"), "120000", &[]);
    let slow = slow_sockets(serve.addr, 300);
    probe(serve.addr);
    let open = slow.iter().filter(|s| still_open(s)).count();
    assert!(open <= 192, "{open} slow sockets held");
    assert!(
        open > 0,
        "every slow socket closed: the header timeout is 120 s"
    );
}

/// A socket that connects and sends nothing, or sends one request and then idles, is closed
/// after the header timeout too.
#[test]
fn idle_connections_are_closed_after_the_header_timeout() {
    let test = SiteTest::minimal();
    let serve = serve(&test, &[]);
    let silent = send(serve.addr, b"");
    let one_request = format!("GET / HTTP/1.1\r\nHost: {}\r\n\r\n", serve.addr);
    let kept_alive = send(serve.addr, one_request.as_bytes());
    assert!(closed_by_server(silent));
    assert!(closed_by_server(kept_alive));
}

/// Past [`MAX_SUBSCRIBERS`] open pages, the oldest is told to stop listening and its stream
/// ends; the newest ones stay.
#[test]
fn past_the_subscriber_cap_the_oldest_pages_are_closed() {
    let test = SiteTest::minimal();
    let serve = serve(&test, &[]);
    let extra = 3;
    let mut pages: Vec<Events> = (0..MAX_SUBSCRIBERS + extra)
        .map(|_| Events::connect(serve.addr, ""))
        .collect();
    wait_for_count(serve.addr, "subscribers", MAX_SUBSCRIBERS as u64);
    for oldest in &mut pages[..extra] {
        oldest.wait_for("closed");
        assert!(oldest.ended(), "the stream goes on after `closed`");
    }
    // The newest page still hears of changes.
    let mut newest = pages.pop().unwrap();
    test.write(
        "content/pages/new.md",
        "---\ntitle: New\n---\n# New\n\nText.\n",
    );
    newest.wait_for("reload");
}

/// A closed page is counted out as soon as its connection closes, not at the next change.
#[test]
fn closed_pages_are_counted_out_at_once() {
    let test = SiteTest::minimal();
    let serve = serve(&test, &[]);
    let pages: Vec<Events> = (0..5).map(|_| Events::connect(serve.addr, "")).collect();
    wait_for_count(serve.addr, "subscribers", 5);
    drop(pages);
    wait_for_count(serve.addr, "subscribers", 0);
}

/// An event-stream query may name at most [`MAX_PAGES`] pages of at most [`MAX_PAGE_BYTES`]
/// bytes each; pages with more files than that subscribe to every change instead.
#[test]
fn live_reload_page_lists_are_bounded() {
    let test = SiteTest::minimal();
    let serve = serve(&test, &[]);
    let host = format!("Host: {}\r\n", serve.addr);
    let longest = "a".repeat(MAX_PAGE_BYTES);
    let most = format!("?{}", vec![format!("page={longest}"); MAX_PAGES].join("&"));
    Events::connect(serve.addr, &most);
    let too_many = format!("?{}", vec!["page=index.html"; MAX_PAGES + 1].join("&"));
    let too_long = format!("?page={longest}a");
    for query in [too_many, too_long] {
        let reply = get_with(serve.addr, &format!("{EVENTS_PATH}{query}"), &host);
        assert_eq!(reply.status, 400, "{}", &query[..40]);
    }
}

/// Only requests for this server's own names are answered: a page on another site that
/// rebinds its name to 127.0.0.1 gets 403, not the drafts or the error overlay.
#[test]
fn requests_for_other_hosts_are_refused() {
    let test = SiteTest::minimal();
    let serve = serve(&test, &[]);
    let port = serve.addr.port();
    for host in [
        format!("localhost:{port}"),
        format!("LocalHost:{port}"),
        format!("127.0.0.1:{port}"),
        format!("[::1]:{port}"),
    ] {
        let reply = get_with(serve.addr, "/", &format!("Host: {host}\r\n"));
        assert_eq!(reply.status, 200, "{host}");
    }
    for host in [
        format!("evil.example:{port}"),
        "evil.example".to_string(),
        format!("localhost.evil.example:{port}"),
        format!("127.0.0.1:{}", port.wrapping_add(1)),
        "127.0.0.1".to_string(),
        format!("127.0.0.1:{port}@evil.example"),
        String::new(),
    ] {
        for target in ["/", "/offices/", EVENTS_PATH, "/__casepath/live.js"] {
            let reply = get_with(serve.addr, target, &format!("Host: {host}\r\n"));
            assert_eq!(reply.status, 403, "{host} {target}");
            assert!(!reply.text().contains("Help Desk"), "{host} {target}");
        }
    }
}

/// Requests that HTTP/1.1 does not allow are refused with 400: no `Host`, two `Host`s, lines
/// that end in a bare LF.
#[test]
fn malformed_requests_are_refused() {
    let test = SiteTest::minimal();
    let serve = serve(&test, &[]);
    let addr = serve.addr;
    let host = format!("Host: {addr}\r\n");
    assert_eq!(get_with(addr, "/", &host).status, 200);
    assert_eq!(get_with(addr, "/", "").status, 400);
    assert_eq!(get_with(addr, "/", &format!("{host}{host}")).status, 400);
    assert_eq!(
        get_with(
            addr,
            "/",
            &format!("{host}Host: localhost:{}\r\n", addr.port())
        )
        .status,
        400
    );
    for raw in [
        format!("GET / HTTP/1.1\nHost: {addr}\nConnection: close\n\n"),
        format!("GET / HTTP/1.1\r\nHost: {addr}\nConnection: close\r\n\r\n"),
        format!("GET / HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\n"),
        format!("GET / HTTP/1.1\nHost: {addr}\r\nConnection: close\r\n\r\n"),
    ] {
        assert_eq!(exchange(addr, raw.as_bytes()).status, 400, "{raw:?}");
    }
    // A request with a body (the preview takes none) closes its connection, so no byte of
    // it is read as the next request.
    let with_body = exchange(
        addr,
        format!("GET / HTTP/1.1\r\n{host}Content-Length: 5\r\n\r\nhello").as_bytes(),
    );
    assert_eq!(with_body.status, 400);
    assert_eq!(with_body.header("Connection"), Some("close"));
}

/// A base URL whose path starts with `//` must not turn the redirect to the base path into a
/// redirect to another host. `--base-url` refuses such a URL outright; one written in
/// `site.yaml` fails the build, and the preview, which still serves the error, must not
/// redirect off this server either.
#[test]
fn the_base_path_redirect_stays_on_this_server() {
    let test = SiteTest::minimal();
    let refused = test.run(&["serve", "--base-url", "https://a.example//evil.example/"]);
    assert_eq!(refused.code, 2, "{}", refused.stderr);
    let site = std::fs::read_to_string(test.root().join("content/site.yaml")).unwrap();
    test.write(
        "content/site.yaml",
        &format!("{site}base_url: https://a.example//evil.example/\n"),
    );
    let serve = serve(&test, &[]);
    let host = format!("Host: {}\r\n", serve.addr);
    for target in ["/", "/evil.example"] {
        let reply = get_with(serve.addr, target, &host);
        let location = reply.header("Location").unwrap_or("");
        assert!(
            location.is_empty() || (location.starts_with('/') && !location.starts_with("//")),
            "{target} redirects to {location}"
        );
    }
}
