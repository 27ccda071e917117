//! Serving `dist/` over HTTP: the playground is static files, and `.wasm` must be sent as
//! `application/wasm`. Loopback only.
//!
//! On hyper (through axum, as `dynaplay serve`): each connection is a task of its own.
//! tiny_http 0.12, before, ran each keep-alive connection on a thread of a pool whose
//! hand-off can queue a new connection behind open ones, never to be answered while they
//! stay open. A fresh-state `cargo xtask test` then waited 90 s for `__wasm_split.js` on
//! its first page and failed; the test below, a burst of 24 connections, left some of
//! them unanswered there every run.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::thread::JoinHandle;

use axum::extract::State;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Router;

use crate::Result;

pub struct Static {
    pub url: String,
    thread: JoinHandle<()>,
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("wasm") => "application/wasm",
        Some("css") => "text/css; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("json") => "application/json",
        Some("png") => "image/png",
        _ => "application/octet-stream",
    }
}

impl Static {
    /// Starts serving `dir` on 127.0.0.1:`port` (0 picks a free port) in a thread.
    pub fn start(dir: &Path, port: u16) -> Result<Static> {
        let listener = std::net::TcpListener::bind(("127.0.0.1", port))
            .and_then(|l| l.set_nonblocking(true).map(|()| l))
            .map_err(|e| format!("cannot listen on port {port}: {e}"))?;
        let addr = listener.local_addr().map_err(|e| format!("no address to listen on: {e}"))?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_io()
            .build()
            .map_err(|e| format!("cannot start the file server: {e}"))?;
        let app = Router::new().fallback(file).with_state(Arc::new(dir.to_path_buf()));
        let thread = std::thread::spawn(move || {
            runtime.block_on(async move {
                match tokio::net::TcpListener::from_std(listener) {
                    Ok(listener) => {
                        if let Err(e) = axum::serve(listener, app).await {
                            eprintln!("xtask: the file server stopped: {e}");
                        }
                    }
                    Err(e) => eprintln!("xtask: the file server could not start: {e}"),
                }
            });
        });
        Ok(Static { url: format!("http://{addr}/"), thread })
    }

    pub fn join(self) {
        let _ = self.thread.join();
    }
}

/// The file under `dir` the request's path names, or 404.
async fn file(State(dir): State<Arc<PathBuf>>, uri: Uri) -> Response {
    let path = uri.path().trim_start_matches('/');
    let path = if path.is_empty() { "index.html" } else { path };
    if path.split('/').any(|p| p == "..") {
        return StatusCode::NOT_FOUND.into_response();
    }
    let file = dir.join(path);
    let read = tokio::task::spawn_blocking({
        let file = file.clone();
        move || std::fs::read(file)
    });
    match read.await {
        Ok(Ok(bytes)) => ([(CONTENT_TYPE, content_type(&file)), (CACHE_CONTROL, "no-cache")], bytes).into_response(),
        _ => (StatusCode::NOT_FOUND, "not found").into_response(),
    }
}

#[cfg(test)]
mod tests {
    use std::io::{Read, Write};
    use std::net::TcpStream;
    use std::time::Duration;

    use super::Static;

    /// One GET on `stream` (kept alive): the status line and the body.
    fn get(stream: &mut TcpStream, path: &str) -> (String, Vec<u8>) {
        write!(stream, "GET {path} HTTP/1.1\r\nHost: test\r\n\r\n").unwrap();
        let mut head = Vec::new();
        let mut byte = [0u8];
        while !head.ends_with(b"\r\n\r\n") {
            stream.read_exact(&mut byte).unwrap();
            head.push(byte[0]);
        }
        let head = String::from_utf8(head).unwrap();
        let length: usize = head
            .lines()
            .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length: ").map(|n| n.trim().parse().unwrap()))
            .unwrap();
        let mut body = vec![0; length];
        stream.read_exact(&mut body).unwrap();
        (head, body)
    }

    #[test]
    fn serves_files_while_other_connections_stay_open() {
        let dir = std::env::temp_dir().join(format!("dynaplay-xtask-serve-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("page.wasm"), b"\0asm").unwrap();
        std::fs::write(dir.join("index.html"), b"<!doctype html>").unwrap();
        let server = Static::start(&dir, 0).unwrap();
        let addr = server.url.trim_start_matches("http://").trim_end_matches('/').to_string();
        let connect = || {
            let s = TcpStream::connect(&addr).unwrap();
            s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
            s
        };
        // A browser opens several connections at once and keeps them open: each is
        // answered while the others stay open (tiny_http's pool could queue a new one
        // behind them, and a page then waited for a script for good).
        let opened = std::sync::Barrier::new(24);
        let mut open: Vec<TcpStream> = std::thread::scope(|scope| {
            let burst: Vec<_> = (0..24)
                .map(|_| {
                    scope.spawn(|| {
                        opened.wait();
                        let mut s = connect();
                        let answered = get(&mut s, "/").0;
                        (s, answered)
                    })
                })
                .collect();
            burst
                .into_iter()
                .map(|t| t.join().unwrap())
                .map(|(s, head)| {
                    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
                    s
                })
                .collect()
        });
        let (head, body) = get(&mut connect(), "/page.wasm");
        assert!(head.starts_with("HTTP/1.1 200"), "{head}");
        assert!(head.to_ascii_lowercase().contains("content-type: application/wasm"), "{head}");
        assert!(head.to_ascii_lowercase().contains("cache-control: no-cache"), "{head}");
        assert_eq!(body, b"\0asm");
        assert!(get(&mut open[0], "/../Cargo.toml").0.starts_with("HTTP/1.1 404"));
        assert!(get(&mut open[1], "/missing.js").0.starts_with("HTTP/1.1 404"));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
