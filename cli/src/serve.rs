//! `dynaplay serve`: the wire layer over HTTP on axum.
//!
//! One engine behind a mutex: DynamoDB serialises conflicting writes per item, and a
//! single lock gives the same observable results for a learning tool's load. Time comes
//! from the system clock here, at the edge; the engine itself never reads a clock.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use axum::body::{to_bytes, Body};
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Response, StatusCode};
use axum::routing::any;
use axum::Router;
use dynaplay_engine::wire::{error_body, operation_of, CONTENT_TYPE};
use dynaplay_engine::{Config, Engine, Error, ErrorKind};

/// Requests larger than this are refused before parsing.
pub const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

#[derive(clap::Args, Debug)]
pub struct Options {
    /// Address to listen on. Loopback by default: this server has no authentication.
    #[arg(long, default_value = "127.0.0.1")]
    host: String,
    /// Port to listen on (0 picks a free one and prints it).
    #[arg(long, default_value_t = 8000)]
    port: u16,
    /// How long new tables stay CREATING, in milliseconds.
    #[arg(long, default_value_t = 0)]
    create_delay_ms: u64,
    /// How long deleted tables stay DELETING, in milliseconds.
    #[arg(long, default_value_t = 0)]
    delete_delay_ms: u64,
    /// Region shown in ARNs.
    #[arg(long, default_value = "us-east-1")]
    region: String,
}

struct Server {
    engine: Mutex<Engine>,
    requests: AtomicU64,
}

pub fn run(options: Options) -> std::process::ExitCode {
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("dynaplay: cannot start the async runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match runtime.block_on(serve(options)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("dynaplay: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn serve(options: Options) -> Result<(), String> {
    let config = Config {
        region: options.region.clone(),
        create_delay_ms: options.create_delay_ms,
        delete_delay_ms: options.delete_delay_ms,
        ..Config::default()
    };
    let state = Arc::new(Server { engine: Mutex::new(Engine::new(config)), requests: AtomicU64::new(0) });
    let app = Router::new().fallback(any(handle)).with_state(state);
    let addr = format!("{}:{}", options.host, options.port);
    let listener = tokio::net::TcpListener::bind(&addr).await.map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    let local: SocketAddr = listener.local_addr().map_err(|e| e.to_string())?;
    println!("dynaplay: serving DynamoDB on http://{local}");
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .map_err(|e| e.to_string())
}

fn now_ms() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64)
}

async fn handle(State(server): State<Arc<Server>>, headers: HeaderMap, body: Body) -> Response<Body> {
    let n = server.requests.fetch_add(1, Ordering::Relaxed);
    let request_id = format!("DYNAPLAY{:012X}{:012X}", now_ms(), n);
    let target = headers.get("x-amz-target").and_then(|v| v.to_str().ok()).unwrap_or("");
    let operation = operation_of(target).unwrap_or("").to_string();
    let (status, text) = match to_bytes(body, MAX_BODY_BYTES).await {
        Err(_) => {
            let e = Error::new(
                ErrorKind::Serialization,
                format!("Request body is larger than the {} MB this server accepts", MAX_BODY_BYTES / (1024 * 1024)),
            );
            (413, error_body(&e).to_string())
        }
        Ok(bytes) => {
            let mut engine = match server.engine.lock() {
                Ok(guard) => guard,
                Err(poisoned) => poisoned.into_inner(),
            };
            let response = engine.request(&operation, &bytes, now_ms());
            (response.status, response.body)
        }
    };
    let mut response = Response::new(Body::from(text));
    *response.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let h = response.headers_mut();
    h.insert("content-type", HeaderValue::from_static(CONTENT_TYPE));
    if let Ok(id) = HeaderValue::from_str(&request_id) {
        h.insert("x-amzn-requestid", id);
    }
    response
}
