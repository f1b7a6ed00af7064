//! The preview's connections: accepting them under a cap, reading each request head strictly
//! and on time, and checking that a request is addressed to this server.
//!
//! The preview is for one person on their own machine, but any local program, and any web
//! page open in their browser, can connect to it. So that none of them can starve it:
//!
//! - every connection must send a whole request head within [`Limits::header_timeout`]
//!   (10 s; also between two requests on a kept-alive connection), or it is closed: slow
//!   and silent sockets do not hold a file descriptor for long;
//! - at most [`Limits::max_connections`] connections are open at once, so the process
//!   always keeps descriptors for the listener and for reading the site's files; at start
//!   the soft limit on open files is raised to the hard one ([`raise_file_limit`]). At the
//!   cap, a new connection takes the place of the one that has been idle longest (no request
//!   being answered), once that one has been idle [`IDLE_BEFORE_EVICTION`]; until then, or
//!   while every connection is busy, it waits (and the ones after it wait in the system's
//!   queue) for a slot to free;
//! - a request head is at most [`MAX_HEAD_BYTES`] long;
//! - every line of a request head must end in CRLF: hyper's parser takes a bare LF as a line
//!   end and has no option to refuse it, so [`StrictLines`] turns each LF that does not
//!   follow a CR into a NUL byte, which the parser refuses with 400. The preview takes no
//!   request body (a request with one is answered and its connection closed), so every byte
//!   a client sends is part of a request head;
//! - a request must carry exactly one `Host`, naming this server ([`check_host`]): a web page
//!   whose name was rebound to 127.0.0.1 (DNS rebinding) cannot read the preview.

use std::collections::HashMap;
use std::future::Future;
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{ready, Context, Poll};
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::http::{header, HeaderMap, Request, Response, StatusCode};
use hyper::body::{Body as HttpBody, Frame, Incoming, SizeHint};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpListener;
use tokio::sync::{Notify, OwnedSemaphorePermit, Semaphore};

/// How long a client may take to send a request head, by default.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

/// The environment variable that sets the header timeout in milliseconds, for tests and
/// benchmarks that cannot wait 10 s.
pub const HEADER_TIMEOUT_VAR: &str = "CASEPATH_HEADER_TIMEOUT_MS";

/// The most connections open at once, when the limit on open files allows as many.
pub const MAX_CONNECTIONS: usize = 4096;

/// The longest request head (request line and headers) read, in bytes; a longer one is
/// refused with 431 or 414.
pub const MAX_HEAD_BYTES: usize = 64 * 1024;

/// The file descriptors kept for everything but connections (the listener, the file
/// watcher, reading the site), at most.
const RESERVED_FILES: u64 = 64;

/// How long a connection must have been idle (no request being answered) before it may be
/// closed to make room for a new one at the cap.
pub const IDLE_BEFORE_EVICTION: Duration = Duration::from_secs(1);

/// How often a new connection waiting at the cap looks again for an idle one to close.
const EVICTION_CHECK: Duration = Duration::from_millis(100);

/// How long the accept loop waits after an error that is not one connection's (such as
/// running out of file descriptors) before it tries again.
const ACCEPT_PAUSE: Duration = Duration::from_millis(50);

/// How the server guards its connections.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Closes a connection that has not sent a whole request head in this time.
    pub header_timeout: Duration,
    /// The most connections open at once.
    pub max_connections: usize,
}

impl Limits {
    /// The limits for a process that may open `open_files` files (`None`: unknown), with
    /// the header timeout from [`HEADER_TIMEOUT_VAR`] when it is set.
    pub fn new(open_files: Option<u64>) -> Limits {
        let header_timeout = std::env::var(HEADER_TIMEOUT_VAR)
            .ok()
            .and_then(|ms| ms.trim().parse().ok())
            .map_or(HEADER_TIMEOUT, Duration::from_millis);
        Limits {
            header_timeout,
            max_connections: max_connections(open_files),
        }
    }
}

/// The connection cap for a process that may open `open_files` files: a few descriptors
/// (at most half of them) are kept for the rest of the process.
fn max_connections(open_files: Option<u64>) -> usize {
    let Some(files) = open_files else {
        return MAX_CONNECTIONS;
    };
    let usable = files - RESERVED_FILES.min(files / 2);
    usize::try_from(usable)
        .unwrap_or(usize::MAX)
        .clamp(1, MAX_CONNECTIONS)
}

/// Raises the soft limit on open files to the hard limit (at most 65,536), and returns the
/// soft limit in force afterwards; `None` where it cannot be known.
#[cfg(unix)]
pub fn raise_file_limit() -> Option<u64> {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit and setrlimit only read and write the struct passed to them.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) != 0 {
            return None;
        }
        let wanted = limit.rlim_max.min(65_536);
        if limit.rlim_cur < wanted {
            let raised = libc::rlimit {
                rlim_cur: wanted,
                rlim_max: limit.rlim_max,
            };
            if libc::setrlimit(libc::RLIMIT_NOFILE, &raised) == 0 {
                limit.rlim_cur = wanted;
            }
        }
    }
    // `rlim_t` is `u64` on Linux and macOS, but not on every Unix.
    #[allow(clippy::useless_conversion)]
    let soft = u64::try_from(limit.rlim_cur).unwrap_or(u64::MAX);
    Some(soft)
}

/// Raises the soft limit on open files to the hard limit where the system has such limits.
#[cfg(not(unix))]
pub fn raise_file_limit() -> Option<u64> {
    None
}

/// The open connections: one permit each, and what each is doing.
#[derive(Clone)]
pub struct Slots {
    semaphore: Arc<Semaphore>,
    total: usize,
    open: Arc<Mutex<Registry>>,
}

/// The open connections by number.
#[derive(Default)]
struct Registry {
    next: u64,
    connections: HashMap<u64, Arc<Tracked>>,
}

/// What one open connection is doing.
struct Tracked {
    /// Requests being answered; a response counts until its body is sent or dropped.
    busy: AtomicUsize,
    /// When the connection was opened or last finished a response.
    idle_since: Mutex<Instant>,
    /// Set once the connection is chosen to be closed.
    closing: AtomicBool,
    /// Wakes the connection's task to close it.
    close: Notify,
}

impl Slots {
    /// Room for `total` connections.
    pub fn new(total: usize) -> Slots {
        Slots {
            semaphore: Arc::new(Semaphore::new(total)),
            total,
            open: Arc::default(),
        }
    }

    /// How many connections are open now.
    pub fn open(&self) -> usize {
        self.total - self.semaphore.available_permits()
    }

    /// A slot for a new connection. At the cap, the connection that has been idle longest
    /// is closed to make room once it has been idle [`IDLE_BEFORE_EVICTION`]; while none
    /// has, the new one waits for a slot to free.
    async fn acquire(&self) -> OwnedSemaphorePermit {
        loop {
            if let Ok(permit) = self.semaphore.clone().try_acquire_owned() {
                return permit;
            }
            self.close_longest_idle();
            let freed = self.semaphore.clone().acquire_owned();
            if let Ok(Ok(permit)) = tokio::time::timeout(EVICTION_CHECK, freed).await {
                return permit;
            }
        }
    }

    /// Closes the connection that has been idle longest, if it has been for
    /// [`IDLE_BEFORE_EVICTION`] at least.
    fn close_longest_idle(&self) {
        let open = self.registry();
        let idle = open
            .connections
            .values()
            .filter(|c| c.busy.load(Ordering::SeqCst) == 0 && !c.closing.load(Ordering::SeqCst))
            .map(|c| (*c.idle_since.lock().unwrap_or_else(|e| e.into_inner()), c))
            .min_by_key(|(since, _)| *since);
        if let Some((since, connection)) = idle {
            if since.elapsed() >= IDLE_BEFORE_EVICTION {
                connection.closing.store(true, Ordering::SeqCst);
                connection.close.notify_one();
            }
        }
    }

    /// Registers a new connection; returns its number and its state.
    fn register(&self) -> (u64, Arc<Tracked>) {
        let tracked = Arc::new(Tracked {
            busy: AtomicUsize::new(0),
            idle_since: Mutex::new(Instant::now()),
            closing: AtomicBool::new(false),
            close: Notify::new(),
        });
        let mut open = self.registry();
        let id = open.next;
        open.next += 1;
        open.connections.insert(id, tracked.clone());
        (id, tracked)
    }

    fn registry(&self) -> std::sync::MutexGuard<'_, Registry> {
        // The registry is a map updated in single steps: still whole after a panic.
        self.open.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Marks a connection busy while it exists: from a request until its response is sent.
struct Busy(Arc<Tracked>);

impl Busy {
    fn start(tracked: Arc<Tracked>) -> Busy {
        tracked.busy.fetch_add(1, Ordering::SeqCst);
        Busy(tracked)
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        if self.0.busy.fetch_sub(1, Ordering::SeqCst) == 1 {
            *self.0.idle_since.lock().unwrap_or_else(|e| e.into_inner()) = Instant::now();
        }
    }
}

/// A response body that keeps its connection marked busy until it is sent or dropped.
struct BusyBody {
    body: Body,
    _busy: Busy,
}

impl HttpBody for BusyBody {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        Pin::new(&mut self.get_mut().body).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.body.size_hint()
    }
}

/// Accepts connections on `listener` for ever, at most `slots` of them at once, and answers
/// each request on them with `answer(request, local address)`.
pub async fn accept<F, R>(listener: TcpListener, limits: Limits, slots: Slots, answer: F)
where
    F: Fn(Request<Incoming>, SocketAddr) -> R + Clone + Send + Sync + 'static,
    R: Future<Output = Response<Body>> + Send + 'static,
{
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .max_buf_size(MAX_HEAD_BYTES);
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(error) if is_connection_error(&error) => continue,
            Err(_) => {
                // Out of file descriptors, most likely: wait for some to be freed.
                tokio::time::sleep(ACCEPT_PAUSE).await;
                continue;
            }
        };
        let permit = slots.acquire().await;
        let Ok(local) = stream.local_addr() else {
            continue;
        };
        let (id, tracked) = slots.register();
        let answer = answer.clone();
        let busy = tracked.clone();
        let connection = http.serve_connection(
            TokioIo::new(StrictLines::new(stream)),
            hyper::service::service_fn(move |request| {
                let busy = Busy::start(busy.clone());
                let answer = answer(request, local);
                async move {
                    let response = answer.await.map(|body| BusyBody { body, _busy: busy });
                    Ok::<_, std::convert::Infallible>(response)
                }
            }),
        );
        let slots = slots.clone();
        tokio::spawn(async move {
            // A connection's errors (a timeout, a malformed request, a reset) end only it;
            // one closed to make room is dropped, which closes its socket.
            let closed = std::pin::pin!(tracked.close.notified());
            let _ = futures_util::future::select(std::pin::pin!(connection), closed).await;
            slots.registry().connections.remove(&id);
            drop(permit);
        });
    }
}

/// Errors of one connection, which do not stop the accept loop or call for a pause.
fn is_connection_error(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
    )
}

/// A connection whose request heads must end their lines in CRLF: every LF read that does
/// not follow a CR becomes a NUL byte, which the HTTP parser refuses (400).
pub struct StrictLines<S> {
    inner: S,
    after_cr: bool,
}

impl<S> StrictLines<S> {
    /// Wraps a connection.
    pub fn new(inner: S) -> Self {
        StrictLines {
            inner,
            after_cr: false,
        }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for StrictLines<S> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let start = buf.filled().len();
        ready!(Pin::new(&mut this.inner).poll_read(cx, buf))?;
        for byte in &mut buf.filled_mut()[start..] {
            if *byte == b'\n' && !this.after_cr {
                *byte = 0;
            }
            this.after_cr = *byte == b'\r';
        }
        Poll::Ready(Ok(()))
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for StrictLines<S> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().inner).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
}

/// Checks the `Host` of a request that arrived at `local` on a server bound to `bind`:
/// exactly one is required (400 otherwise), and it must name this server (403 otherwise):
/// `localhost`, a loopback address, the bound address or the address the connection
/// arrived at, with the server's port (or none, on port 80). Any other name may have been
/// rebound by its owner to this machine.
pub fn check_host(headers: &HeaderMap, local: SocketAddr, bind: IpAddr) -> Result<(), StatusCode> {
    let mut hosts = headers.get_all(header::HOST).iter();
    let (Some(host), None) = (hosts.next(), hosts.next()) else {
        return Err(StatusCode::BAD_REQUEST);
    };
    let host = host.to_str().map_err(|_| StatusCode::FORBIDDEN)?;
    if names_this_server(host, local, bind) {
        Ok(())
    } else {
        Err(StatusCode::FORBIDDEN)
    }
}

/// Whether a `Host` value names this server (see [`check_host`]).
fn names_this_server(host: &str, local: SocketAddr, bind: IpAddr) -> bool {
    let (name, port) = match host.strip_prefix('[') {
        Some(rest) => match rest.split_once(']') {
            Some((ip, "")) => (ip, None),
            Some((ip, port)) => match port.strip_prefix(':') {
                Some(port) => (ip, Some(port)),
                None => return false,
            },
            None => return false,
        },
        None => match host.rsplit_once(':') {
            Some((name, port)) => (name, Some(port)),
            None => (host, None),
        },
    };
    let port_matches = match port {
        Some(port) => port.parse::<u16>() == Ok(local.port()) && !port.starts_with('+'),
        None => local.port() == 80,
    };
    if !port_matches {
        return false;
    }
    if name.eq_ignore_ascii_case("localhost") {
        return true;
    }
    let Ok(ip) = name.parse::<IpAddr>() else {
        return false;
    };
    // Bracketed names are IPv6 addresses, bare ones IPv4 (`[127.0.0.1]` is not a host).
    if host.starts_with('[') != ip.is_ipv6() {
        return false;
    }
    let ip = ip.to_canonical();
    ip.is_loopback() || ip == bind.to_canonical() || ip == local.ip().to_canonical()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(hosts: &[&str]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for host in hosts {
            map.append(header::HOST, HeaderValue::from_str(host).unwrap());
        }
        map
    }

    #[test]
    fn only_one_host_naming_this_server_is_accepted() {
        let local: SocketAddr = "127.0.0.1:1111".parse().unwrap();
        let bind: IpAddr = "127.0.0.1".parse().unwrap();
        for good in [
            "localhost:1111",
            "LOCALHOST:1111",
            "127.0.0.1:1111",
            "127.0.0.2:1111",
            "[::1]:1111",
        ] {
            assert_eq!(check_host(&headers(&[good]), local, bind), Ok(()), "{good}");
        }
        for bad in [
            "evil.example:1111",
            "evil.example",
            "localhost",
            "localhost:1112",
            "localhost:+1111",
            "localhost.:1111",
            "127.0.0.1",
            "[127.0.0.1]:1111",
            "::1:1111",
            "[::1]1111",
            "[::1",
            "192.168.1.5:1111",
            "",
        ] {
            assert_eq!(
                check_host(&headers(&[bad]), local, bind),
                Err(StatusCode::FORBIDDEN),
                "{bad}"
            );
        }
        for count in [&[][..], &["localhost:1111", "localhost:1111"]] {
            assert_eq!(
                check_host(&headers(count), local, bind),
                Err(StatusCode::BAD_REQUEST)
            );
        }
    }

    #[test]
    fn on_every_interface_the_address_a_connection_arrived_at_is_accepted() {
        let any: IpAddr = "0.0.0.0".parse().unwrap();
        let lan: SocketAddr = "192.168.1.5:80".parse().unwrap();
        for good in ["192.168.1.5", "192.168.1.5:80", "localhost"] {
            assert_eq!(check_host(&headers(&[good]), lan, any), Ok(()), "{good}");
        }
        let mapped: SocketAddr = "[::ffff:192.168.1.5]:1111".parse().unwrap();
        assert_eq!(
            check_host(
                &headers(&["192.168.1.5:1111"]),
                mapped,
                "::".parse().unwrap()
            ),
            Ok(())
        );
        assert_eq!(
            check_host(&headers(&["192.168.1.6"]), lan, any),
            Err(StatusCode::FORBIDDEN)
        );
    }

    #[test]
    fn the_connection_cap_keeps_descriptors_for_the_rest_of_the_process() {
        assert_eq!(max_connections(None), MAX_CONNECTIONS);
        assert_eq!(max_connections(Some(1 << 20)), MAX_CONNECTIONS);
        assert_eq!(max_connections(Some(1024)), 960);
        assert_eq!(max_connections(Some(64)), 32);
        assert_eq!(max_connections(Some(1)), 1);
        assert_eq!(max_connections(Some(0)), 1);
    }

    #[test]
    fn bare_line_feeds_become_nul_bytes_and_crlf_is_kept() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        // Read in two parts, so a CR at the end of one read counts for the next.
        let mut strict = StrictLines::new(&b"GET / HTTP/1.1\r\nA: b\nC: d\r\n\n\r"[..]);
        let mut out = Vec::new();
        for size in [15, 64] {
            let mut space = vec![0; size];
            let mut buf = ReadBuf::new(&mut space);
            runtime
                .block_on(futures_util::future::poll_fn(|cx| {
                    Pin::new(&mut strict).poll_read(cx, &mut buf)
                }))
                .unwrap();
            out.extend_from_slice(buf.filled());
        }
        assert_eq!(out, b"GET / HTTP/1.1\r\nA: b\0C: d\r\n\0\r");
    }
}
