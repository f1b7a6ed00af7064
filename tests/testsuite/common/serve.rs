//! A running `casepath serve` and the HTTP a browser would speak to it, for the tests of the
//! preview (`tests/testsuite/serve.rs`, `tests/testsuite/security/serve.rs`).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::Value;

use super::SiteTest;

/// How long any one wait may take before the test fails (generous: CI machines are slow).
pub const PATIENCE: Duration = Duration::from_secs(30);

/// A running `casepath serve --port 0`, stopped when dropped.
pub struct Serve {
    child: Child,
    /// The address it listens on.
    pub addr: SocketAddr,
    stderr: Arc<Mutex<String>>,
}

impl Serve {
    /// Starts `casepath serve --port 0` on the site.
    pub fn start(test: &SiteTest) -> Serve {
        Serve::with(test, &["--port", "0"])
    }

    /// Starts `casepath serve` with these arguments on the site.
    pub fn with(test: &SiteTest, args: &[&str]) -> Serve {
        let mut command = Command::new(env!("CARGO_BIN_EXE_casepath"));
        command
            .arg("serve")
            .args(args)
            .arg("--root")
            .arg(test.root());
        Serve::spawn(command)
    }

    /// Starts a command that runs `casepath serve`, and waits for its address.
    pub fn spawn(mut command: Command) -> Serve {
        let mut child = command
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start casepath serve");
        let stdout = BufReader::new(child.stdout.take().unwrap());
        let (sender, lines) = channel();
        thread::spawn(move || {
            for line in stdout.lines().map_while(Result::ok) {
                let _ = sender.send(line);
            }
        });
        let stderr = Arc::new(Mutex::new(String::new()));
        let mut pipe = child.stderr.take().unwrap();
        let collected = stderr.clone();
        thread::spawn(move || {
            let mut buffer = [0; 4096];
            while let Ok(n @ 1..) = pipe.read(&mut buffer) {
                let text = String::from_utf8_lossy(&buffer[..n]).into_owned();
                collected.lock().unwrap().push_str(&text);
            }
        });
        let addr = Serve::address(&lines);
        Serve {
            child,
            addr,
            stderr,
        }
    }

    /// Reads the `serving the site at http://…/` line.
    pub fn address(lines: &Receiver<String>) -> SocketAddr {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let line = lines
                .recv_timeout(deadline.saturating_duration_since(Instant::now()))
                .expect("casepath serve printed no address");
            if let Some(rest) = line.strip_prefix("serving the site at http://") {
                let host = rest.split('/').next().unwrap();
                return host.parse().unwrap();
            }
        }
    }

    /// `GET target`.
    pub fn get(&self, target: &str) -> Reply {
        request(self.addr, "GET", target)
    }

    /// Opens the event stream without a query.
    pub fn events(&self) -> Events {
        Events::connect(self.addr, "")
    }

    /// What the server printed on standard error so far.
    pub fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One HTTP response.
pub struct Reply {
    /// The status code.
    pub status: u16,
    /// The headers, in order.
    pub headers: Vec<(String, String)>,
    /// The body as sent.
    pub body: Vec<u8>,
}

impl Reply {
    /// The first header called `name`, in any case.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Sends one request with the target exactly as given (no client-side normalisation).
pub fn request(addr: SocketAddr, method: &str, target: &str) -> Reply {
    let request =
        format!("{method} {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    exchange(addr, request.as_bytes())
}

/// Connects and sends `raw` as it is; reads time out after [`PATIENCE`].
pub fn send(addr: SocketAddr, raw: &[u8]) -> TcpStream {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    stream.write_all(raw).unwrap();
    stream
}

/// Sends `raw` as it is and reads the whole answer, until the server closes the connection
/// (so the request should say `Connection: close`, or be one the server refuses). An answer
/// that goes on for longer than [`PATIENCE`] fails the test.
pub fn exchange(addr: SocketAddr, raw: &[u8]) -> Reply {
    let deadline = Instant::now() + PATIENCE;
    let mut stream = send(addr, raw);
    let mut answer = Vec::new();
    let mut buffer = [0; 4096];
    loop {
        match stream.read(&mut buffer).expect("an answer in time") {
            0 => break,
            n => answer.extend_from_slice(&buffer[..n]),
        }
        assert!(Instant::now() < deadline, "the connection stays open");
    }
    parse_reply(&answer)
}

/// Reads a whole response.
pub fn parse_reply(raw: &[u8]) -> Reply {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("complete response head");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    Reply {
        status,
        headers,
        body: raw[split + 4..].to_vec(),
    }
}

/// A connection to the event stream, as an `EventSource` would open it.
pub struct Events {
    reader: BufReader<TcpStream>,
    chunked: bool,
    text: String,
}

impl Events {
    /// Opens the event stream with this query (`?…` or nothing) and reads `hello`.
    pub fn connect(addr: SocketAddr, query: &str) -> Events {
        let request = format!(
            "GET /__casepath/events{query} HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n"
        );
        let mut reader = BufReader::new(send(addr, request.as_bytes()));
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        assert!(line.starts_with("HTTP/1.1 200"), "{line}");
        let mut headers = Vec::new();
        loop {
            line.clear();
            reader.read_line(&mut line).unwrap();
            if line == "\r\n" {
                break;
            }
            if let Some((name, value)) = line.split_once(':') {
                headers.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
            }
        }
        let header = |name: &str| {
            headers
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.as_str())
        };
        assert_eq!(header("content-type"), Some("text/event-stream"));
        let mut events = Events {
            reader,
            chunked: header("transfer-encoding") == Some("chunked"),
            text: String::new(),
        };
        let (name, _) = events.next();
        assert_eq!(name, "hello");
        events
    }

    /// The next line of the stream, without its line break.
    pub fn line(&mut self, deadline: Instant) -> String {
        loop {
            if let Some(end) = self.text.find('\n') {
                let line: String = self.text.drain(..=end).collect();
                return line.trim_end_matches('\n').to_string();
            }
            assert!(Instant::now() < deadline, "no event in time");
            let mut line = String::new();
            let n = self.reader.read_line(&mut line).expect("an event in time");
            assert!(n > 0, "the event stream closed");
            if self.chunked {
                let size = usize::from_str_radix(line.trim(), 16).expect("a chunk size");
                assert!(size > 0, "the event stream ended");
                let mut chunk = vec![0; size + 2];
                self.reader.read_exact(&mut chunk).expect("a whole chunk");
                self.text
                    .push_str(std::str::from_utf8(&chunk[..size]).unwrap());
            } else {
                self.text.push_str(&line);
            }
        }
    }

    /// The next event: its name and its JSON data.
    pub fn next(&mut self) -> (String, Value) {
        let mut name = String::new();
        let mut data = String::new();
        // Keep-alive comments come every 15 s, so a read timeout alone never fires.
        let deadline = Instant::now() + PATIENCE;
        loop {
            let line = self.line(deadline);
            if line.is_empty() {
                if !name.is_empty() {
                    return (name, serde_json::from_str(&data).unwrap());
                }
                continue;
            }
            if let Some(value) = line.strip_prefix("event: ") {
                name = value.to_string();
            } else if let Some(value) = line.strip_prefix("data: ") {
                data.push_str(value);
            }
        }
    }

    /// Whether the stream ends (its last chunk, or the connection closing) before
    /// [`PATIENCE`], skipping what comes before the end.
    pub fn ended(&mut self) -> bool {
        let deadline = Instant::now() + PATIENCE;
        while Instant::now() < deadline {
            let mut line = String::new();
            match self.reader.read_line(&mut line) {
                Ok(0) => return true,
                Ok(_) => {}
                Err(_) => return false,
            }
            if self.chunked {
                match usize::from_str_radix(line.trim(), 16) {
                    Ok(0) => return true,
                    Ok(size) => {
                        let mut chunk = vec![0; size + 2];
                        if self.reader.read_exact(&mut chunk).is_err() {
                            return false;
                        }
                    }
                    Err(_) => return false,
                }
            }
        }
        false
    }

    /// Skips events until one called `name`.
    pub fn wait_for(&mut self, name: &str) -> Value {
        loop {
            let (got, data) = self.next();
            if got == name {
                return data;
            }
        }
    }
}
