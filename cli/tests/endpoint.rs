//! `--endpoint`: lessons and scenarios replayed over HTTP on `dynaplay serve` (with
//! `--verify-signatures`, so every request's SigV4 signature is checked), their
//! differences and skipped steps reported, and their tables deleted afterwards.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

struct Server {
    child: Child,
    url: String,
    dir: PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

const KEY: &str = "AKIATEACHER";
const SECRET: &str = "teacher-secret";

/// `dynaplay serve` that knows one access key and checks every signature, or (`signed`
/// false) one that takes any credentials, as DynamoDB Local does.
fn serve(name: &str, signed: bool) -> Server {
    let dir = std::env::temp_dir().join(format!("dynaplay-endpoint-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let iam = dir.join("iam.json");
    std::fs::write(
        &iam,
        format!(
            r#"{{"principals": [{{"arn": "arn:aws:iam::000000000000:user/teacher", "accessKeyId": "{KEY}",
                "secretAccessKey": "{SECRET}", "policies": [{{"Version": "2012-10-17",
                "Statement": [{{"Effect": "Allow", "Action": "*", "Resource": "*"}}]}}]}}]}}"#
        ),
    )
    .unwrap();
    let mut command = Command::new(env!("CARGO_BIN_EXE_dynaplay"));
    command.args(["serve", "--port", "0"]);
    if signed {
        command.args(["--verify-signatures", "--iam"]).arg(&iam);
    }
    let mut child = command.stdout(Stdio::piped()).spawn().unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let port = line.trim().rsplit(':').next().unwrap().to_string();
    Server { child, url: format!("http://127.0.0.1:{port}"), dir }
}

fn root(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(path)
}

/// Runs `dynaplay` with the teacher's credentials in the environment (and no profile).
fn dynaplay(args: &[&str], files: &[PathBuf], secret: &str) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_dynaplay"))
        .args(args)
        .args(files)
        .env("AWS_ACCESS_KEY_ID", KEY)
        .env("AWS_SECRET_ACCESS_KEY", secret)
        .env_remove("AWS_SESSION_TOKEN")
        .env_remove("AWS_PROFILE")
        .env("HOME", "/nonexistent")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    (out.status.success(), text)
}

/// The tables on an unsigned server, asked without the replay's prefix filter.
fn tables_left(server: &Server) -> String {
    let port: u16 = server.url.rsplit(':').next().unwrap().parse().unwrap();
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(s, "POST / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nX-Amz-Target: DynamoDB_20120810.ListTables\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{{}}").unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    out.rsplit("\r\n\r\n").next().unwrap_or_default().to_string()
}

#[test]
fn lessons_prove_themselves_on_an_endpoint_and_iam_steps_are_skipped() {
    let server = serve("lessons", true);
    let names = [
        "01-tables-and-keys",
        "03-query-vs-scan",
        "05-batches-and-transactions",
        "06-secondary-indexes",
        "10-streams",
        "11-iam-per-user-rows",
        "12-partiql",
    ];
    let files: Vec<PathBuf> = names.iter().map(|n| root(&format!("static/lessons/{n}.json"))).collect();
    let (ok, text) = dynaplay(&["lesson", "check", "--endpoint", &server.url], &files, SECRET);
    assert!(ok, "{text}");
    assert!(text.contains("[1] Make Ana, with the own-rows policy — skipped: PutPrincipal is Dynaplay's own operation; DynamoDB has no such request"), "{text}");
    assert!(text.contains("[3] As Ana, try Bo's note — skipped: made as arn:aws:iam::000000000000:user/ana, a principal only Dynaplay's IAM simulates"), "{text}");
    assert!(text.ends_with("7 lesson(s), 21 step(s), 0 problem(s), 4 skipped\n"), "{text}");
}

#[test]
fn a_scenario_replays_on_an_endpoint_and_its_differences_are_reported() {
    let server = serve("scenarios", false);
    // A table with deletion protection is deleted too (protection turned off first).
    let protected = server.dir.join("protected.json");
    std::fs::write(
        &protected,
        r#"{"format":"dynaplay-scenario","version":1,"title":"Protected","tables":[{"TableName":"Kept","BillingMode":"PAY_PER_REQUEST",
            "DeletionProtectionEnabled":true,"AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"}],
            "KeySchema":[{"AttributeName":"id","KeyType":"HASH"}]}],
            "steps":[{"operation":"DescribeTable","request":{"TableName":"Kept"},"expect":{"response":{"Table":{"DeletionProtectionEnabled":true}}}}]}"#,
    )
    .unwrap();
    let files = [root("static/examples/backup-and-restore.json"), root("static/examples/stale-read.json"), protected];
    let (ok, text) = dynaplay(&["run", "--endpoint", &server.url], &files, SECRET);
    assert!(!ok, "{text}");
    // The backup's ARN is the endpoint's own, carried into the restore.
    assert!(
        text.contains("[5] RestoreTableFromBackup — Restore it into a new table, on demand instead of provisioned"),
        "{text}"
    );
    assert!(!text.contains("backup-and-restore.json: "), "{text}");
    // Dynaplay's simulated replica lag does not happen on a single server.
    assert!(
        text.contains("DIFFERENCE in") && text.contains("stale-read.json: response.Item.status.S differs"),
        "{text}"
    );
    assert!(text.contains("3 scenarios, ") && text.contains(", 1 difference"), "{text}");
    assert!(!text.contains("CLEAN-UP"), "{text}");
    let (ok, text) = dynaplay(
        &["lesson", "check", "--endpoint", &server.url],
        &[root("static/lessons/06-secondary-indexes.json")],
        SECRET,
    );
    assert!(ok, "{text}");
    assert_eq!(tables_left(&server), r#"{"TableNames":[]}"#, "every table was deleted");
}

#[test]
fn a_wrong_secret_or_no_credentials_is_said() {
    let server = serve("refused", true);
    let file = root("static/lessons/01-tables-and-keys.json");
    let (ok, text) = dynaplay(&["lesson", "check", "--endpoint", &server.url], std::slice::from_ref(&file), "wrong");
    assert!(!ok);
    assert!(text.contains("InvalidSignatureException"), "{text}");
    let out = Command::new(env!("CARGO_BIN_EXE_dynaplay"))
        .args(["lesson", "check", "--endpoint", &server.url])
        .arg(&file)
        .env_clear()
        .env("HOME", "/nonexistent")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.starts_with("error: no AWS credentials: set AWS_ACCESS_KEY_ID"), "{err}");
}
