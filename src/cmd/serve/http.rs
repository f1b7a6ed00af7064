//! The preview's HTTP server: the site from memory, the live-reload script and its event
//! stream.
//!
//! It runs on hyper and tokio (HTTP/1.1 only, two worker threads). A preview has a handful of
//! readers, but it must not fall over or be starved when there are many: [`super::conn`]
//! accepts connections under a cap, closes those that do not send a request head in time,
//! reads heads strictly and answers only requests addressed to this server; each connection
//! costs one file descriptor and a small task rather than a thread, and when the process
//! runs out of file descriptors the accept loop waits and goes on instead of stopping. The
//! rebuilds stay on the main thread, outside the runtime.
//!
//! Requests are answered only from the rendered site in memory: a URL selects a key of the
//! output map or nothing, so no request can reach a file on disk, and `..`, encoded slashes,
//! absolute paths or symbolic links have nothing to escape to. Such URLs are refused before
//! the look-up anyway, with the site's own 404 page. Folder URLs serve their `index.html`;
//! `/x` is redirected to `/x/` when that is a folder, so relative links resolve as they will
//! when published. The site is served under the path of its base URL (`/guide/` for
//! `https://user.github.io/guide/`), like GitHub Pages serves it, so the 404 page's absolute
//! links work.
//!
//! Every HTML response gets one `<script>` before `</body>`: [`SCRIPT_PATH`], which opens an
//! `EventSource` on [`EVENTS_PATH`] of the page's own origin (the URL is built from
//! `location`, never a fixed host or port) and reloads the page or shows the build error.
//! The script exists only here, in responses: the rendered site never contains it.

use std::collections::BTreeSet;
use std::convert::Infallible;
use std::io;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::{header, HeaderValue, Method, Request, Response, StatusCode};
use futures_util::stream;

use super::conn::{self, Limits, Slots};
use super::rebuild::{Preview, Snapshot, Subscription, ANY_PAGE};
use crate::render::Output;

/// Where pages listen for changes (Server-Sent Events).
pub const EVENTS_PATH: &str = "/__casepath/events";

/// The live-reload script that is added to every HTML response.
pub const SCRIPT_PATH: &str = "/__casepath/live.js";

/// The server's counts of open connections and listening pages, as JSON, for tests and
/// benchmarks; answered only when [`STATUS_VAR`] is `1`.
pub const STATUS_PATH: &str = "/__casepath/status";

/// The environment variable that turns on [`STATUS_PATH`].
pub const STATUS_VAR: &str = "CASEPATH_SERVE_STATUS";

/// The most output files one page may name in its event-stream query (`page=`); a page
/// with more files listens for every change instead.
pub const MAX_PAGES: usize = 64;

/// The longest output file name (or server instance) an event-stream query may hold, in
/// bytes; a page with a longer name listens for every change instead.
pub const MAX_PAGE_BYTES: usize = 256;

const LIVE_JS: &str = include_str!("live.js");

/// How often an idle event stream sends a comment, so closed connections are noticed.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// What every request is answered from.
struct Server {
    preview: Arc<Preview>,
    /// The address the server was asked to listen on (`--bind`).
    bind: IpAddr,
    /// The open connections.
    slots: Slots,
    /// Whether [`STATUS_PATH`] is answered.
    status: bool,
}

/// Starts serving on `listener` (bound to `bind`) in background threads, with at most
/// `limits.max_connections` connections open at once.
pub fn start(
    listener: TcpListener,
    bind: IpAddr,
    limits: Limits,
    preview: Arc<Preview>,
) -> io::Result<()> {
    listener.set_nonblocking(true)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("serve-http")
        .enable_io()
        .enable_time()
        .build()?;
    let listener = {
        let _entered = runtime.enter();
        tokio::net::TcpListener::from_std(listener)?
    };
    let slots = Slots::new(limits.max_connections);
    let server = Arc::new(Server {
        preview,
        bind,
        slots: slots.clone(),
        status: std::env::var(STATUS_VAR).is_ok_and(|v| v == "1"),
    });
    let answer = move |request, local| answer(server.clone(), request, local);
    std::thread::Builder::new()
        .name("serve-accept".into())
        .spawn(move || runtime.block_on(conn::accept(listener, limits, slots, answer)))?;
    Ok(())
}

/// What a request asks for, decided from its target alone.
#[derive(Debug, PartialEq, Eq)]
pub enum Route {
    /// The event stream, with the query string.
    Events(Option<String>),
    /// The live-reload script.
    Script,
    /// The server's counts ([`STATUS_PATH`]).
    Status,
    /// A redirect to this location.
    Redirect(String),
    /// An output file, by key.
    File(String),
    /// Nothing here; the output key the URL would have named, if it is a valid one.
    NotFound(Option<String>),
}

/// Maps a request target to what it asks for, given the base path and the output files.
pub fn route(target: &str, base_path: &str, output: &Output) -> Route {
    // Only origin-form targets name something here; `http://host/x` and `*` do not.
    if !target.starts_with('/') {
        return Route::NotFound(None);
    }
    let target = target.split('#').next().unwrap_or("");
    let (path, query) = match target.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (target, None),
    };
    if path == EVENTS_PATH {
        return Route::Events(query.map(str::to_string));
    }
    if path == SCRIPT_PATH {
        return Route::Script;
    }
    if path == STATUS_PATH {
        return Route::Status;
    }
    let with_query = |location: String| match query {
        Some(query) => format!("{location}?{query}"),
        None => location,
    };
    let Some(decoded) = site_path(path) else {
        return Route::NotFound(None);
    };
    if base_path != "/" && (decoded == "/" || decoded == base_path.trim_end_matches('/')) {
        // Only to a path on this server: `//host/` would be another server.
        if !base_path.starts_with('/') || base_path.starts_with("//") {
            return Route::NotFound(None);
        }
        return Route::Redirect(with_query(base_path.to_string()));
    }
    let Some(rel) = decoded.strip_prefix(base_path) else {
        return Route::NotFound(None);
    };
    let key = if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.to_string()
    };
    if output.contains_key(&key) {
        Route::File(key)
    } else if !rel.is_empty()
        && !rel.ends_with('/')
        && output.contains_key(&format!("{rel}/index.html"))
    {
        Route::Redirect(with_query(format!("{path}/")))
    } else {
        Route::NotFound(Some(key))
    }
}

/// Decodes a URL path and checks that it names something inside the site: no `.` or `..`
/// segments, no empty segments (`//x` is an absolute path to some servers), no encoded
/// `/` or `\`, no `\` or NUL, valid UTF-8. Returns the decoded path, starting with `/`.
fn site_path(path: &str) -> Option<String> {
    let lower = path.to_ascii_lowercase();
    if lower.contains("%2f") || lower.contains("%5c") || lower.contains("%00") {
        return None;
    }
    let decoded = String::from_utf8(percent_decode(path)?).ok()?;
    if decoded.contains(['\\', '\0']) || !decoded.starts_with('/') {
        return None;
    }
    let segments: Vec<&str> = decoded[1..].split('/').collect();
    let last = segments.len() - 1;
    for (i, segment) in segments.iter().enumerate() {
        if *segment == "." || *segment == ".." || (segment.is_empty() && i != last) {
            return None;
        }
    }
    Some(decoded)
}

/// Decodes `%XX` escapes; `None` when an escape is malformed.
fn percent_decode(text: &str) -> Option<Vec<u8>> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            let hex = std::str::from_utf8(hex).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Some(out)
}

/// Encodes a query-string value.
fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~/".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Answers one request that arrived at `local`.
async fn answer<B>(server: Arc<Server>, request: Request<B>, local: SocketAddr) -> Response<Body> {
    match refusal(&server, &request, local) {
        // A refused request ends its connection: a client that sends one is broken or
        // hostile, and the preview reads no request body, so nothing of a body is read as
        // the next request.
        Some(refused) => closing(refused),
        None => {
            let target = request.uri().path_and_query().map_or("/", |p| p.as_str());
            respond(&server, target)
        }
    }
}

/// The response, with its connection closed once it is sent.
fn closing(mut response: Response<Body>) -> Response<Body> {
    response
        .headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    response
}

/// The answer to a request that is refused before its target is looked at: one that is not
/// for this server (403), lacks a `Host` or has two (400), uses another method than GET and
/// HEAD (405), or has a body (400).
fn refusal<B>(server: &Server, request: &Request<B>, local: SocketAddr) -> Option<Response<Body>> {
    if let Err(status) = conn::check_host(request.headers(), local, server.bind) {
        let text = if status == StatusCode::BAD_REQUEST {
            "400 Bad Request: a request needs exactly one Host header\n"
        } else {
            "403 Forbidden: the Host header names another server; open the preview at \
             localhost or its own address, with its port\n"
        };
        return Some(text_response(status, text));
    }
    if !matches!(*request.method(), Method::GET | Method::HEAD) {
        let mut response =
            text_response(StatusCode::METHOD_NOT_ALLOWED, "405 Method Not Allowed\n");
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return Some(response);
    }
    if has_body(request.headers()) {
        return Some(text_response(
            StatusCode::BAD_REQUEST,
            "400 Bad Request: the preview takes no request body\n",
        ));
    }
    None
}

/// Whether a request says it has a body.
fn has_body(headers: &axum::http::HeaderMap) -> bool {
    headers.contains_key(header::TRANSFER_ENCODING)
        || headers
            .get(header::CONTENT_LENGTH)
            .is_some_and(|n| n != "0")
}

/// The answer to a GET or HEAD of `target`.
fn respond(server: &Server, target: &str) -> Response<Body> {
    let preview = &server.preview;
    let snapshot = preview.snapshot();
    let empty = Output::new();
    let output = snapshot.output.as_deref().unwrap_or(&empty);
    match route(target, &snapshot.base_path, output) {
        Route::Events(query) => match subscription(query.as_deref()) {
            Ok(subscription) => stream_events(preview, subscription),
            Err(problem) => closing(text_response(
                StatusCode::BAD_REQUEST,
                &format!("400 Bad Request: {problem}\n"),
            )),
        },
        Route::Script => file_response(StatusCode::OK, "live.js", LIVE_JS.as_bytes().to_vec()),
        Route::Status if server.status => {
            let counts = serde_json::json!({
                "connections": server.slots.open(),
                "subscribers": preview.subscribers(),
            });
            file_response(
                StatusCode::OK,
                "status.json",
                counts.to_string().into_bytes(),
            )
        }
        _ if snapshot.output.is_none() => {
            let snippet = snippet(preview, &snapshot, &[ANY_PAGE.to_string()]);
            let page = error_page(&snapshot, &snippet).into_bytes();
            file_response(StatusCode::INTERNAL_SERVER_ERROR, "error.html", page)
        }
        Route::Status => respond_not_found(preview, &snapshot, output, None),
        Route::Redirect(location) => {
            let mut response = text_response(StatusCode::FOUND, "302 Found\n");
            if let Ok(location) = HeaderValue::from_str(&location) {
                response.headers_mut().insert(header::LOCATION, location);
            }
            response
        }
        Route::File(key) => {
            let bytes = &output[&key];
            let body = if is_html(&key) {
                let mut pages = vec![key.clone()];
                pages.extend(resources(&key, bytes, &snapshot.base_path, output));
                inject(bytes, &snippet(preview, &snapshot, &pages))
            } else {
                bytes.clone()
            };
            file_response(StatusCode::OK, &key, body)
        }
        Route::NotFound(key) => respond_not_found(preview, &snapshot, output, key),
    }
}

/// The site's 404 page (or a plain one), listening for changes of the missing file `key`.
fn respond_not_found(
    preview: &Preview,
    snapshot: &Snapshot,
    output: &Output,
    key: Option<String>,
) -> Response<Body> {
    match output.get("404.html") {
        Some(page) => {
            let mut pages = vec!["404.html".to_string()];
            pages.extend(key);
            pages.extend(resources("404.html", page, &snapshot.base_path, output));
            let body = inject(page, &snippet(preview, snapshot, &pages));
            file_response(StatusCode::NOT_FOUND, "404.html", body)
        }
        None => text_response(StatusCode::NOT_FOUND, "404 Not Found\n"),
    }
}

fn file_response(status: StatusCode, key: &str, body: Vec<u8>) -> Response<Body> {
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(content_type(key)),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

fn text_response(status: StatusCode, text: &str) -> Response<Body> {
    file_response(status, "status.txt", text.as_bytes().to_vec())
}

/// The media type of an output file, by its extension.
pub fn content_type(key: &str) -> &'static str {
    let extension = key
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match extension.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json",
        "webmanifest" => "application/manifest+json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "xml" => "application/xml; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "md" => "text/markdown; charset=utf-8",
        "pdf" => "application/pdf",
        "ics" => "text/calendar; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

fn is_html(key: &str) -> bool {
    content_type(key).starts_with("text/html")
}

/// The tag that loads the live-reload script, telling it which server, generation and
/// output files the page shows.
fn snippet(preview: &Preview, snapshot: &Snapshot, pages: &[String]) -> String {
    format!(
        "<script src=\"{SCRIPT_PATH}\" data-casepath-live=\"{}\"></script>\n",
        escape_html(&live_query(preview.instance(), snapshot.generation, pages))
    )
}

/// The event-stream query of a page: the server instance, the generation and the page's
/// output files. A page with more than [`MAX_PAGES`] files, or one with a name longer than
/// [`MAX_PAGE_BYTES`], listens for every change instead, so the server never serves a
/// query that it would refuse.
fn live_query(instance: &str, generation: u64, pages: &[String]) -> String {
    let mut query = format!(
        "instance={}&generation={generation}",
        percent_encode(instance)
    );
    let any = [ANY_PAGE.to_string()];
    let pages = if pages.len() > MAX_PAGES || pages.iter().any(|p| p.len() > MAX_PAGE_BYTES) {
        &any[..]
    } else {
        pages
    };
    for page in pages {
        query.push_str("&page=");
        query.push_str(&percent_encode(page));
    }
    query
}

/// The output files an HTML page loads: stylesheets and icons (`<link href>`), scripts,
/// images and frames (`src`). A page reloads when one of them changes. Links to other pages
/// are not among them: a page does not change when a page it links to does.
pub fn resources(key: &str, html: &[u8], base_path: &str, output: &Output) -> Vec<String> {
    let html = String::from_utf8_lossy(html);
    let mut found = BTreeSet::new();
    for attribute in ["src=", "href="] {
        for (at, _) in html.match_indices(attribute) {
            // An attribute of its own, not the end of `data-src=`.
            if !html[..at].ends_with(|c: char| c.is_ascii_whitespace()) {
                continue;
            }
            if attribute == "href=" {
                let tag = html[..at].rfind('<').map_or("", |i| &html[i..at]);
                if !tag.starts_with("<link") {
                    continue;
                }
            }
            let rest = &html[at + attribute.len()..];
            let Some(quote) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') else {
                continue;
            };
            let Some(value) = rest[1..].split(quote).next() else {
                continue;
            };
            if let Some(file) = resolve(key, &value.replace("&amp;", "&"), base_path) {
                if output.contains_key(&file) && !is_html(&file) {
                    found.insert(file);
                }
            }
        }
    }
    found.into_iter().collect()
}

/// The output key a URL in the page `key` points to, if it points into the site.
fn resolve(key: &str, url: &str, base_path: &str) -> Option<String> {
    let url = url.split(['?', '#']).next().unwrap_or("");
    if url.is_empty() || url.starts_with("//") || url.contains(':') {
        return None;
    }
    let mut segments: Vec<&str> = match url.strip_prefix(base_path) {
        Some(_) if url.starts_with('/') => Vec::new(),
        None if url.starts_with('/') => return None,
        _ => {
            let mut folder: Vec<&str> = key.split('/').collect();
            folder.pop();
            folder
        }
    };
    let rest = if url.starts_with('/') {
        &url[base_path.len()..]
    } else {
        url
    };
    for segment in rest.split('/') {
        match segment {
            "." | "" => {}
            ".." => {
                segments.pop()?;
            }
            other => segments.push(other),
        }
    }
    Some(segments.join("/"))
}

/// Inserts `snippet` before the last `</body>`, or at the end when there is none.
pub fn inject(html: &[u8], snippet: &str) -> Vec<u8> {
    let lower = html.to_ascii_lowercase();
    let at = lower
        .windows(7)
        .rposition(|w| w == b"</body>")
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + snippet.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(snippet.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The page served for every URL while the site has never built: the errors, readable
/// without JavaScript, and the script that reloads when they are fixed.
fn error_page(snapshot: &Snapshot, snippet: &str) -> String {
    let text = snapshot
        .error
        .as_ref()
        .map_or("", |error| error.text.as_str());
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>The site could not be built · casepath</title>\n<style>\n\
         body {{ margin: 0; padding: 1.5rem; font: 16px/1.5 system-ui, sans-serif; color: #111; \
         background: #fff; border-top: 0.5rem solid #b00020; }}\n\
         h1 {{ margin: 0 0 0.5rem; font-size: 1.5rem; color: #b00020; }}\n\
         pre {{ padding: 1rem; overflow: auto; white-space: pre-wrap; background: #f4f4f4; \
         border: 1px solid #ccc; font: 14px/1.4 ui-monospace, monospace; }}\n\
         </style>\n</head>\n<body>\n\
         <main id=\"casepath-error\" role=\"alert\">\n<h1>The site could not be built</h1>\n\
         <p>Fix the problem below and save the file. This page reloads by itself.</p>\n\
         <pre>{}</pre>\n</main>\n{snippet}</body>\n</html>\n",
        escape_html(text)
    )
}

/// Parses the event stream's query: `instance`, `generation` and up to [`MAX_PAGES`] `page`,
/// each value at most [`MAX_PAGE_BYTES`] long; says what is wrong otherwise.
fn subscription(query: Option<&str>) -> Result<Subscription, String> {
    let mut subscription = Subscription::default();
    for pair in query.unwrap_or("").split('&') {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        let Some(value) = percent_decode(value).and_then(|v| String::from_utf8(v).ok()) else {
            continue;
        };
        if value.len() > MAX_PAGE_BYTES && matches!(name, "instance" | "page") {
            return Err(format!(
                "a `{name}` in the query is longer than {MAX_PAGE_BYTES} bytes"
            ));
        }
        match name {
            "instance" => subscription.instance = Some(value),
            "generation" => subscription.generation = value.parse().ok(),
            "page" if subscription.pages.len() == MAX_PAGES => {
                return Err(format!("the query names more than {MAX_PAGES} pages"));
            }
            "page" => subscription.pages.push(value),
            _ => {}
        }
    }
    Ok(subscription)
}

/// The Server-Sent Events of one page, until it goes away: what [`Preview::subscribe`]
/// sends, and a comment every [`KEEP_ALIVE`] so a closed connection is noticed. The page is
/// unsubscribed when the stream is dropped, that is as soon as its connection closes; a
/// stream that ends (the page was dropped past the cap) closes its connection.
fn stream_events(preview: &Arc<Preview>, subscription: Subscription) -> Response<Body> {
    let events = preview.subscribe(subscription);
    let chunks = stream::unfold(events, |mut events| async move {
        let chunk = match tokio::time::timeout(KEEP_ALIVE, events.recv()).await {
            Ok(Some(message)) => message,
            Ok(None) => return None,
            Err(_) => ": keep-alive\n\n".to_string(),
        };
        Some((Ok::<_, Infallible>(Bytes::from(chunk)), events))
    });
    let mut response = closing(Response::new(Body::from_stream(chunks)));
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/event-stream"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

#[cfg(test)]
mod tests;
