//! Serving `dist/` over HTTP: the playground is static files, and `.wasm` must be sent as
//! `application/wasm`. Loopback only.

use std::path::{Path, PathBuf};
use std::thread::JoinHandle;

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
        let server =
            tiny_http::Server::http(("127.0.0.1", port)).map_err(|e| format!("cannot listen on port {port}: {e}"))?;
        let addr = server.server_addr().to_ip().ok_or("no IP address")?;
        let url = format!("http://{addr}/");
        let dir: PathBuf = dir.to_path_buf();
        // Each request is answered on a thread of its own: one response the browser is slow to
        // read (a 3 MB module while it compiles another) must not hold up the rest of the page.
        let thread = std::thread::spawn(move || {
            for request in server.incoming_requests() {
                let dir = dir.clone();
                std::thread::spawn(move || respond(request, &dir));
            }
        });
        Ok(Static { url, thread })
    }

    pub fn join(self) {
        let _ = self.thread.join();
    }
}

/// Answers one request with the file under `dir` it names, or 404.
fn respond(request: tiny_http::Request, dir: &Path) {
    let path = request.url().split(['?', '#']).next().unwrap_or("/").trim_start_matches('/').to_string();
    let path = if path.is_empty() { "index.html".to_string() } else { path };
    let file = dir.join(&path);
    let safe = !path.split('/').any(|p| p == "..");
    let response = match std::fs::read(&file) {
        Ok(bytes) if safe => {
            let mut r = tiny_http::Response::from_data(bytes);
            for (name, value) in [("Content-Type", content_type(&file)), ("Cache-Control", "no-cache")] {
                if let Ok(h) = tiny_http::Header::from_bytes(name, value) {
                    r = r.with_header(h);
                }
            }
            r
        }
        _ => tiny_http::Response::from_data(b"not found".to_vec()).with_status_code(404),
    };
    let _ = request.respond(response);
}
