//! `dynaplay serve` through real sockets: a connection that never finishes its request
//! head, or sits idle, is closed; a request addressed to a name other than loopback is
//! refused (DNS rebinding); an ordinary request is answered.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start() -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_dynaplay"))
        .args(["serve", "--port", "0", "--header-timeout-ms", "300"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let port = line.trim().rsplit(':').next().unwrap().parse().unwrap();
    Server { child, port }
}

fn post(port: u16, host: &str) -> String {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let body = "{}";
    write!(
        s,
        "POST / HTTP/1.1\r\nHost: {host}\r\nX-Amz-Target: DynamoDB_20120810.ListTables\r\nContent-Type: application/x-amz-json-1.0\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    out
}

/// Reads until the server closes the connection; returns how long that took.
fn closed_within(mut s: TcpStream, limit: Duration) -> Duration {
    s.set_read_timeout(Some(limit)).unwrap();
    let start = Instant::now();
    let mut buf = [0u8; 4096];
    loop {
        match s.read(&mut buf) {
            Ok(0) => return start.elapsed(),
            Ok(_) => continue,
            Err(e) => panic!("still open after {:?}: {e}", start.elapsed()),
        }
    }
}

#[test]
fn partial_and_idle_connections_are_closed() {
    let server = start();
    let mut partial = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    partial.write_all(b"POST / HTTP/1.1\r\nHost: localhost\r\n").unwrap();
    assert!(closed_within(partial, Duration::from_secs(5)) < Duration::from_secs(5));
    let silent = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    assert!(closed_within(silent, Duration::from_secs(5)) < Duration::from_secs(5));
    // Idle after a keep-alive request.
    let mut kept = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    write!(kept, "POST / HTTP/1.1\r\nHost: localhost\r\nX-Amz-Target: DynamoDB_20120810.ListTables\r\nContent-Length: 2\r\n\r\n{{}}").unwrap();
    assert!(closed_within(kept, Duration::from_secs(5)) < Duration::from_secs(5));
}

#[test]
fn only_loopback_names_are_answered() {
    let server = start();
    let ok = post(server.port, &format!("127.0.0.1:{}", server.port));
    assert!(ok.starts_with("HTTP/1.1 200"), "{ok}");
    assert!(ok.ends_with("{\"TableNames\":[]}"), "{ok}");
    assert!(post(server.port, "localhost").starts_with("HTTP/1.1 200"));
    let refused = post(server.port, "attacker.example:8000");
    assert!(refused.starts_with("HTTP/1.1 403"), "{refused}");
    assert!(refused.contains("dynaplay serve answers only requests addressed to localhost"), "{refused}");
}

#[test]
fn a_pair_lag_is_checked_before_the_server_starts() {
    let refused = |arg: &str| {
        let out = Command::new(env!("CARGO_BIN_EXE_dynaplay"))
            .args(["serve", "--port", "0", "--global-pair-lag", arg])
            .output()
            .unwrap();
        assert!(!out.status.success(), "{arg} was accepted");
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let e = refused("us-east-1=300");
    assert!(e.contains("us-east-1=300: expected FROM:TO=MS, such as us-east-1:eu-west-1=2500"), "{e}");
    let e = refused("us-east-1:Mars=300");
    assert!(e.contains("Mars is not a region name like us-west-2."), "{e}");
    let e = refused("us-east-1:us-east-1=300");
    assert!(e.contains("us-east-1:us-east-1=300: a pair is two different regions"), "{e}");
}
