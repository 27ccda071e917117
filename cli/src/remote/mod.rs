//! `--endpoint URL`: replaying scenarios and lessons on DynamoDB itself (or DynamoDB
//! Local, ScyllaDB Alternator, `dynaplay serve`) over HTTP, signed with SigV4 from the
//! standard credential sources, into tables with a unique prefix that are deleted
//! afterwards. What only Dynaplay has (its own operations, simulated principals, other
//! regions, partitions) is reported as skipped, never as passed.

pub mod credentials;
pub mod lesson;
pub mod names;
pub mod scenario;
mod sign;

use std::time::{Duration, Instant};

use serde_json::{json, Value};

use self::credentials::{Credentials, Sources};
use self::names::Prefix;

/// How a request went on the endpoint.
#[derive(Debug)]
pub enum Answer {
    /// HTTP status and the answer, with this run's prefix taken out.
    Done(u16, Value),
    /// Why it was not sent: it exists only in Dynaplay.
    Skipped(String),
    /// The endpoint could not be reached or did not answer JSON.
    Failed(String),
}

#[derive(Clone)]
pub struct Endpoint {
    dynamodb: sign::Target,
    streams: sign::Target,
    credentials: Credentials,
    agent: ureq::Agent,
    pub prefix: Prefix,
    /// How long to wait for a table to become ACTIVE (or gone).
    pub wait: Duration,
}

/// Why a request cannot be replayed on DynamoDB, if it cannot.
pub fn only_in_dynaplay(operation: &str) -> Option<String> {
    dynaplay_engine::DYNAPLAY_OPERATIONS
        .contains(&operation)
        .then(|| format!("{operation} is Dynaplay's own operation; DynamoDB has no such request"))
}

impl Endpoint {
    pub fn new(url: &str, prefix: Option<String>) -> Result<Endpoint, String> {
        let env = |name: &str| std::env::var(name).ok();
        let home = std::env::var_os("HOME").map(std::path::PathBuf::from);
        let sources = Sources { env: &env, home };
        let dynamodb = sign::Target::parse(url)?;
        let streams = dynamodb.streams();
        let region = sources.region(&dynamodb.host);
        let now_s = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(60)))
            .build()
            .into();
        Ok(Endpoint {
            dynamodb: dynamodb.in_region(&region),
            streams: streams.in_region(&region),
            credentials: sources.credentials()?,
            agent,
            prefix: prefix.map_or_else(|| Prefix::unique(now_s), Prefix),
            wait: Duration::from_secs(600),
        })
    }

    /// The same endpoint, with its own prefix for the `n`th file of a run, so each file
    /// starts from no tables without waiting for the last one's to be deleted.
    pub fn numbered(&self, n: usize) -> Endpoint {
        Endpoint { prefix: Prefix(format!("{}{n}_", self.prefix.0)), ..self.clone() }
    }

    /// One request of a replay: its table names prefixed, sent, waited for (a new or
    /// changed table until it is ACTIVE), and answered with the prefix taken out.
    pub fn call(&self, operation: &str, body: &Value) -> Answer {
        if let Some(why) = only_in_dynaplay(operation) {
            return Answer::Skipped(why);
        }
        let sent = self.prefix.request(body);
        match self.send(operation, &sent) {
            Ok((status, answer)) => {
                if status == 200 {
                    if let Err(e) = self.settle(operation, &sent) {
                        return Answer::Failed(e);
                    }
                }
                Answer::Done(status, self.prefix.answer(operation, &answer))
            }
            Err(e) => Answer::Failed(e),
        }
    }

    /// Sends `body` as it is; the HTTP status and the JSON answer.
    fn send(&self, operation: &str, body: &Value) -> Result<(u16, Value), String> {
        let streams = dynaplay_engine::STREAMS_OPERATIONS.contains(&operation);
        let target = if streams { &self.streams } else { &self.dynamodb };
        let text = body.to_string();
        let request =
            target.signed(operation, streams, text.as_bytes(), &self.credentials, time::OffsetDateTime::now_utc());
        let mut call = self.agent.post(&target.url);
        for (name, value) in &request {
            call = call.header(name.as_str(), value.as_str());
        }
        let mut response = call.send(text.as_bytes()).map_err(|e| format!("{}: {e}", target.url))?;
        let status = response.status().as_u16();
        let answer = response.body_mut().read_to_string().map_err(|e| format!("{}: {e}", target.url))?;
        let json = serde_json::from_str(&answer).unwrap_or_else(|_| json!({"message": answer}));
        Ok((status, json))
    }

    /// Waits until the table a request made or changed is ACTIVE (its global secondary
    /// indexes and replicas too), or the one it deleted is gone, as an SDK's waiter does.
    fn settle(&self, operation: &str, sent: &Value) -> Result<(), String> {
        let name = |v: &Value, field: &str| v.get(field).and_then(Value::as_str).map(str::to_string);
        let (table, gone) = match operation {
            "CreateTable" | "UpdateTable" => (name(sent, "TableName"), false),
            "RestoreTableFromBackup" | "RestoreTableToPointInTime" => (name(sent, "TargetTableName"), false),
            "DeleteTable" => (name(sent, "TableName"), true),
            _ => (None, false),
        };
        let Some(table) = table else { return Ok(()) };
        let started = Instant::now();
        let mut pause = Duration::from_millis(200);
        loop {
            let (status, described) = self.send("DescribeTable", &json!({"TableName": table}))?;
            let settled =
                if gone { status == 400 && is_not_found(&described) } else { status == 200 && active(&described) };
            if settled {
                return Ok(());
            }
            if started.elapsed() > self.wait {
                return Err(format!(
                    "{table} did not become {} within {:?}",
                    if gone { "deleted" } else { "ACTIVE" },
                    self.wait
                ));
            }
            std::thread::sleep(pause);
            pause = (pause * 2).min(Duration::from_secs(5));
        }
    }

    /// Deletes every table of this run (deletion protection turned off first) and every
    /// backup of them; what could not be deleted.
    pub fn clean_up(&self) -> Vec<String> {
        let mut problems = Vec::new();
        for backup in self.listed("ListBackups", "BackupSummaries", "ExclusiveStartBackupArn", "LastEvaluatedBackupArn")
        {
            let owned = backup.get("TableName").and_then(Value::as_str).is_some_and(|t| self.prefix.owns(t));
            if let (true, Some(arn)) = (owned, backup.get("BackupArn")) {
                self.delete(&mut problems, "DeleteBackup", &json!({"BackupArn": arn}));
            }
        }
        let tables = self.listed("ListTables", "TableNames", "ExclusiveStartTableName", "LastEvaluatedTableName");
        for table in tables.iter().filter(|t| t.as_str().is_some_and(|t| self.prefix.owns(t))) {
            let body = json!({"TableName": table});
            let protected =
                self.send("DescribeTable", &body).is_ok_and(|(_, d)| d["Table"]["DeletionProtectionEnabled"] == true);
            if protected {
                let off = json!({"TableName": table, "DeletionProtectionEnabled": false});
                if let Err(e) = self.send("UpdateTable", &off).and_then(|_| self.settle("UpdateTable", &body)) {
                    problems.push(format!("UpdateTable {off}: {e}"));
                }
            }
            self.delete(&mut problems, "DeleteTable", &body);
        }
        problems
    }

    fn delete(&self, problems: &mut Vec<String>, operation: &str, body: &Value) {
        match self.send(operation, body) {
            Ok((200, _)) => {}
            Ok((status, answer)) => problems.push(format!("{operation} {body}: HTTP {status} {answer}")),
            Err(e) => problems.push(format!("{operation} {body}: {e}")),
        }
    }

    /// Every entry of a paginated list.
    fn listed(&self, operation: &str, field: &str, start: &str, next: &str) -> Vec<Value> {
        let (mut out, mut body) = (Vec::new(), json!({}));
        for _ in 0..1_000 {
            let Ok((200, answer)) = self.send(operation, &body) else { break };
            out.extend(answer.get(field).and_then(Value::as_array).cloned().unwrap_or_default());
            match answer.get(next) {
                Some(n) if !n.is_null() => body = json!({ start: n }),
                _ => break,
            }
        }
        out
    }
}

fn is_not_found(answer: &Value) -> bool {
    answer.get("__type").and_then(Value::as_str).is_some_and(|t| t.ends_with("ResourceNotFoundException"))
}

/// The table, its global secondary indexes and its replicas (global tables) are ACTIVE.
fn active(described: &Value) -> bool {
    let table = &described["Table"];
    let all = |field: &str, status: &str| {
        table.get(field).and_then(Value::as_array).is_none_or(|list| list.iter().all(|x| x[status] == "ACTIVE"))
    };
    table["TableStatus"] == "ACTIVE" && all("GlobalSecondaryIndexes", "IndexStatus") && all("Replicas", "ReplicaStatus")
}
