//! `dynaplay serve`: the wire layer over HTTP on axum.
//!
//! A request acts in the region of its SigV4 credential scope (`Authorization: …
//! Credential=KEY/DATE/REGION/dynamodb/aws4_request`), the `--region` one without it: each
//! region is an engine of its own, and global tables replicate between them
//! (`dynaplay_engine::global::World`).
//!
//! One world behind a mutex: DynamoDB serialises conflicting writes per item, and a
//! single lock gives the same observable results for a learning tool's load. Time comes
//! from the system clock here, at the edge; the engine itself never reads a clock.
//!
//! A server on a learner's machine meets hostile input too: a connection that sends no
//! complete request head within `--header-timeout-ms` (idle keep-alive connections included)
//! is closed, a body must arrive within [`BODY_TIMEOUT`], and only requests addressed to
//! a loopback name are answered unless `--host` exposes the server (a web page's DNS
//! rebinding cannot drive it).

use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::body::{to_bytes, Body};
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, Response, StatusCode, Uri};
use axum::routing::any;
use axum::Router;
use dynaplay_engine::global::World;
use dynaplay_engine::wire::{error_body, operation_of, Access, CONTENT_TYPE};
use dynaplay_engine::{Config, Error, ErrorKind};

/// Requests larger than this are refused before parsing.
pub const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;
/// How long a request's body may take to arrive.
pub const BODY_TIMEOUT: Duration = Duration::from_secs(30);
/// Worker threads' stack: the engine's deepest expression needs well under 1 MiB.
const WORKER_STACK_BYTES: usize = 8 * 1024 * 1024;

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
    /// How long after an item's Time to Live passes it is deleted, in milliseconds (AWS
    /// takes up to a few days).
    #[arg(long, default_value_t = dynaplay_engine::DEFAULT_TTL_DELAY_MS)]
    ttl_delay_ms: u64,
    /// How far behind the clock point-in-time recovery's latest restorable time is, in
    /// milliseconds (AWS: 5 minutes).
    #[arg(long, default_value_t = dynaplay_engine::DEFAULT_PITR_LAG_MS)]
    pitr_lag_ms: u64,
    /// How long the two follower replicas take to apply a write, in milliseconds: an
    /// eventually consistent read within that time can miss it. 0 (the default) keeps
    /// every read up to date, for tools that assume read-after-write.
    #[arg(long, default_value_t = 0)]
    replication_lag_ms: u64,
    /// Seeds the engine's randomness (which replica an eventually consistent read goes to).
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// How long a transaction is in flight, in milliseconds: a write to one of its items
    /// meanwhile fails with TransactionConflictException, and a transaction that meets it is
    /// canceled. 0 (the default): over as soon as it answers.
    #[arg(long, default_value_t = 0)]
    transaction_ms: u64,
    /// Enforce provisioned and on-demand throughput: requests over it are throttled
    /// (ProvisionedThroughputExceededException, UnprocessedItems), as in AWS. Off by
    /// default, so tools and test suites that write faster than their tables' capacity keep
    /// working.
    #[arg(long)]
    enforce_capacity: bool,
    /// How long an export or import stays IN_PROGRESS, in milliseconds.
    #[arg(long, default_value_t = 0)]
    transfer_delay_ms: u64,
    /// Keep the simulated S3 as files: each directory directly under DIR is a bucket, each
    /// file below it an object (exports write there; imports read from there). Without it
    /// the server has no buckets and exports fail with S3NoSuchBucket.
    #[arg(long, value_name = "DIR")]
    s3_dir: Option<std::path::PathBuf>,
    /// How long a connection may take to send a request's head, or sit idle between
    /// requests, before it is closed (milliseconds).
    #[arg(long, default_value_t = 10_000)]
    header_timeout_ms: u64,
    /// The region of requests whose Authorization header names none.
    #[arg(long, default_value = "us-east-1")]
    region: String,
    /// How long a global table's write takes to reach its other regions, in milliseconds
    /// (AWS: typically about a second).
    #[arg(long, default_value_t = dynaplay_engine::global::DEFAULT_GLOBAL_LAG_MS)]
    global_lag_ms: u64,
    /// A lag of its own for one pair of regions, as FROM:TO=MS: writes made in FROM reach
    /// TO after MS milliseconds. Repeat it for more pairs.
    #[arg(long, value_name = "FROM:TO=MS", value_parser = parse_pair_lag)]
    global_pair_lag: Vec<(String, String, u64)>,
    /// Up to this much more lag per item, in milliseconds, from its partition key: a
    /// transaction's items then reach another region at different times, as AWS's
    /// partitions replicate in parallel.
    #[arg(long, default_value_t = 0)]
    global_jitter_ms: u64,
    /// Turn IAM on with the principals, access keys and policies of FILE (JSON; see the
    /// README): a request acts as the principal of its access key ID.
    #[arg(long, value_name = "FILE")]
    iam: Option<std::path::PathBuf>,
    /// With --iam: check each request's SigV4 signature against its principal's secret.
    #[arg(long, requires = "iam")]
    verify_signatures: bool,
}

/// Reads an `--iam` file: IAM's state, and the account the tables live in (the file's
/// `account`, else its first principal's).
fn read_iam(file: &std::path::Path) -> Result<(dynaplay_engine::iam::Iam, Option<String>), String> {
    let text = std::fs::read_to_string(file).map_err(|e| format!("cannot read --iam {}: {e}", file.display()))?;
    let doc: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("--iam {}: not JSON: {e}", file.display()))?;
    let iam = dynaplay_engine::iam::Iam::from_record(&doc).map_err(|e| format!("--iam {}: {e}", file.display()))?;
    let first = iam.principals.keys().next().and_then(|arn| dynaplay_engine::iam::account_of(arn)).map(str::to_string);
    let account = doc.get("account").and_then(serde_json::Value::as_str).map(str::to_string).or(first);
    Ok((iam, account))
}

/// `--global-pair-lag FROM:TO=MS`.
fn parse_pair_lag(text: &str) -> Result<(String, String, u64), String> {
    let usage = || format!("{text}: expected FROM:TO=MS, such as us-east-1:eu-west-1=2500");
    let (pair, ms) = text.split_once('=').ok_or_else(usage)?;
    let (from, to) = pair.split_once(':').ok_or_else(usage)?;
    for region in [from, to] {
        dynaplay_engine::global::check_region(region).map_err(|e| e.message)?;
    }
    if from == to {
        return Err(format!("{text}: a pair is two different regions"));
    }
    let ms = ms.parse().map_err(|_| usage())?;
    Ok((from.to_string(), to.to_string(), ms))
}

struct Server {
    world: Mutex<World>,
    s3_dir: Option<std::path::PathBuf>,
    requests: AtomicU64,
    /// Whether the listening address is a loopback one: then only loopback Host names are
    /// answered.
    loopback_only: bool,
    /// `--iam`: each request acts as the principal of its access key.
    iam: bool,
    verify_signatures: bool,
}

pub fn run(options: Options) -> std::process::ExitCode {
    let runtime =
        match tokio::runtime::Builder::new_multi_thread().enable_all().thread_stack_size(WORKER_STACK_BYTES).build() {
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
        ttl_delay_ms: options.ttl_delay_ms,
        pitr_lag_ms: options.pitr_lag_ms,
        transfer_delay_ms: options.transfer_delay_ms,
        replication_lag_ms: options.replication_lag_ms,
        seed: options.seed,
        transaction_ms: options.transaction_ms,
        enforce_capacity: options.enforce_capacity,
        ..Config::default()
    };
    let iam = options.iam.as_deref().map(read_iam).transpose()?;
    let config = match iam.as_ref().and_then(|(_, account)| account.clone()) {
        Some(account_id) => Config { account_id, ..config },
        None => config,
    };
    let loopback_only = is_loopback_name(&options.host);
    let mut world = World::new(config);
    let iam_on = iam.is_some();
    if let Some((iam, _)) = iam {
        world.home_engine_mut().set_iam(iam);
    }
    world.lag_ms = options.global_lag_ms;
    world.jitter_ms = options.global_jitter_ms;
    world.pair_lags = options.global_pair_lag.iter().map(|(a, b, ms)| ((a.clone(), b.clone()), *ms)).collect();
    if let Some(dir) = &options.s3_dir {
        std::fs::create_dir_all(dir).map_err(|e| format!("cannot create --s3-dir {}: {e}", dir.display()))?;
        crate::s3dir::read_in(dir, world.home_engine_mut())?;
    }
    let state = Arc::new(Server {
        world: Mutex::new(world),
        s3_dir: options.s3_dir,
        requests: AtomicU64::new(0),
        loopback_only,
        iam: iam_on,
        verify_signatures: options.verify_signatures,
    });
    tokio::spawn(tick_every_second(state.clone()));
    let app = Router::new().fallback(any(handle)).with_state(state);
    let addr = format!("{}:{}", options.host, options.port);
    let listener = tokio::net::TcpListener::bind(&addr).await.map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    let local: SocketAddr = listener.local_addr().map_err(|e| e.to_string())?;
    println!("dynaplay: serving DynamoDB on http://{local}");
    accept_loop(listener, app, Duration::from_millis(options.header_timeout_ms.max(1))).await;
    Ok(())
}

/// Accepts connections until Ctrl+C, each served over HTTP/1.1 and closed when it takes
/// longer than `header_timeout` to send a request head.
async fn accept_loop(listener: tokio::net::TcpListener, app: Router, header_timeout: Duration) {
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(hyper_util::rt::TokioTimer::new()).header_read_timeout(header_timeout);
    let shutdown = tokio::signal::ctrl_c();
    tokio::pin!(shutdown);
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                // Out of file descriptors or similar: wait a moment rather than spin.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = &mut shutdown => return,
        };
        let service = hyper_util::service::TowerToHyperService::new(app.clone());
        let connection = http.serve_connection(hyper_util::rt::TokioIo::new(stream), service);
        tokio::spawn(async move {
            let _ = connection.await;
        });
    }
}

/// Whether `host` (a Host header's name, or the address given to `--host`) names this
/// machine's loopback interface.
fn is_loopback_name(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    bare.eq_ignore_ascii_case("localhost") || bare.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// The name in a Host header, without its port (`[::1]:8000` → `::1`).
fn host_name(header: &str) -> &str {
    if let Some(rest) = header.strip_prefix('[') {
        return rest.split(']').next().unwrap_or_default();
    }
    header.split(':').next().unwrap_or_default()
}

fn now_ms() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64)
}

async fn handle(
    State(server): State<Arc<Server>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Body,
) -> Response<Body> {
    let n = server.requests.fetch_add(1, Ordering::Relaxed);
    let request_id = format!("DYNAPLAY{:012X}{:012X}", now_ms(), n);
    let target = headers.get("x-amz-target").and_then(|v| v.to_str().ok()).unwrap_or("");
    let operation = operation_of(target).unwrap_or("").to_string();
    let host = headers.get("host").and_then(|v| v.to_str().ok()).unwrap_or("");
    if server.loopback_only && !is_loopback_name(host_name(host)) {
        let e = Error::new(
            ErrorKind::AccessDenied,
            "dynaplay serve answers only requests addressed to localhost; start it with --host to serve other names",
        );
        return respond(403, error_body(&e).to_string(), &request_id);
    }
    let (status, text) = match tokio::time::timeout(BODY_TIMEOUT, to_bytes(body, MAX_BODY_BYTES)).await {
        Err(_) => {
            let e = Error::new(ErrorKind::Serialization, "The request body did not arrive in time");
            (408, error_body(&e).to_string())
        }
        Ok(Err(_)) => {
            let e = Error::new(
                ErrorKind::Serialization,
                format!("Request body is larger than the {} MB this server accepts", MAX_BODY_BYTES / (1024 * 1024)),
            );
            (413, error_body(&e).to_string())
        }
        Ok(Ok(bytes)) => {
            let mut world = match server.world.lock() {
                Ok(guard) => guard,
                Err(poisoned) => poisoned.into_inner(),
            };
            if let (Some(dir), true) = (&server.s3_dir, crate::s3dir::TOUCHES_S3.contains(&operation.as_str())) {
                if let Err(e) = crate::s3dir::read_in(dir, world.home_engine_mut()) {
                    eprintln!("dynaplay: {e}");
                }
            }
            let signed = crate::auth::Signed { method: &method, uri: &uri, headers: &headers, body: &bytes };
            let principal = match server.iam {
                true => crate::auth::principal(world.home_engine().iam(), &signed, server.verify_signatures).map(Some),
                false => Ok(None),
            };
            let response = match principal {
                Ok(p) => {
                    let access = Access { principal: p.as_deref(), owner: false };
                    world.request_as(access, region_of(&headers), &operation, &bytes, now_ms())
                }
                Err(e) => dynaplay_engine::wire::error_response(&e),
            };
            if let Some(dir) = &server.s3_dir {
                crate::s3dir::write_out(dir, world.home_engine(), &response.trace);
            }
            (response.status, response.body)
        }
    };
    respond(status, text, &request_id)
}

/// Moves the engine clock every second while no request arrives, so tables turn ACTIVE and
/// expired items are deleted on time, as in the page.
async fn tick_every_second(server: Arc<Server>) {
    let mut interval = tokio::time::interval(std::time::Duration::from_secs(1));
    loop {
        interval.tick().await;
        let mut world = match server.world.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        let trace = world.advance(now_ms());
        if let Some(dir) = &server.s3_dir {
            crate::s3dir::write_out(dir, world.home_engine(), &trace);
        }
    }
}

/// The region of a request's SigV4 credential scope, if its Authorization header has one.
fn region_of(headers: &HeaderMap) -> Option<&str> {
    let auth = headers.get("authorization")?.to_str().ok()?;
    let scope = auth.split("Credential=").nth(1)?.split([',', ' ']).next()?;
    scope.split('/').nth(2).filter(|r| !r.is_empty())
}

fn respond(status: u16, text: String, request_id: &str) -> Response<Body> {
    let mut response = Response::new(Body::from(text));
    *response.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let h = response.headers_mut();
    h.insert("content-type", HeaderValue::from_static(CONTENT_TYPE));
    if let Ok(id) = HeaderValue::from_str(request_id) {
        h.insert("x-amzn-requestid", id);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_region_is_the_credential_scope_s() {
        let mut h = HeaderMap::new();
        assert_eq!(region_of(&h), None);
        let auth = "AWS4-HMAC-SHA256 Credential=AKID/20261130/eu-west-1/dynamodb/aws4_request, SignedHeaders=host, Signature=x";
        h.insert("authorization", HeaderValue::from_static(auth));
        assert_eq!(region_of(&h), Some("eu-west-1"));
        h.insert("authorization", HeaderValue::from_static("Bearer nothing"));
        assert_eq!(region_of(&h), None);
    }

    #[test]
    fn only_loopback_host_names_count_as_local() {
        for local in ["localhost:8000", "LOCALHOST", "127.0.0.1:8000", "127.1.2.3", "[::1]:8000", "[::1]"] {
            assert!(is_loopback_name(host_name(local)), "{local}");
        }
        for remote in ["evil.example:8000", "localhost.evil.example", "10.0.0.1:8000", "[::2]:80", "", "0.0.0.0:8000"] {
            assert!(!is_loopback_name(host_name(remote)), "{remote}");
        }
    }
}
