//! The request console: pick an operation, edit its JSON (validated as you type), run it
//! (Ctrl+Enter), and see the response exactly as DynamoDB would send it, with its consumed
//! capacity. Paste an AWS CLI command to fill the request, or copy the request as code.
//! Below, the request history: load any entry back, or run it again.

use leptos::prelude::*;
use serde_json::{json, Value};

use super::code_panel::{CopyAsCode, PasteCli};
use super::pretty;
use crate::handle::{use_engine, HistoryEntry};
use dynaplay_engine::error::ErrorSpan;
use dynaplay_engine::inspect::{example_value, hash_only, key_schema, key_with};
use dynaplay_engine::table::{KeySchema, ScalarType};

/// The table a template aims at: its name and key schema.
#[derive(Clone, Debug, PartialEq)]
pub struct Target {
    pub table: String,
    pub keys: KeySchema,
}

impl Target {
    /// The workspace's first table, or a `Music` table keyed by `pk` when there is none.
    fn first(engine: &dynaplay_engine::Engine) -> Target {
        match engine.tables().next() {
            Some(t) => Target { table: t.def.name.clone(), keys: key_schema(t) },
            None => Target { table: "Music".into(), keys: hash_only("pk", ScalarType::S) },
        }
    }

    /// A key with an example value of each key attribute's type, `suffix` making it distinct.
    fn key(&self, suffix: &str) -> Value {
        key_with(&self.keys, |ty| example_value(ty, suffix))
    }

    /// A PartiQL SELECT of the example key (every key attribute a `?`) and its parameters.
    fn partiql_get(&self) -> (String, Vec<Value>) {
        let key = self.key("");
        let defs = std::iter::once(&self.keys.hash).chain(self.keys.range.as_ref());
        let names: Vec<&str> = defs.map(|d| d.name.as_str()).collect();
        let conds: Vec<String> = names.iter().map(|n| format!("\"{n}\" = ?")).collect();
        let params = names.iter().map(|n| key.get(*n).cloned().unwrap_or_default()).collect();
        (format!("SELECT * FROM \"{}\" WHERE {}", self.table, conds.join(" AND ")), params)
    }

    /// `key` plus a non-key attribute.
    fn item(&self, suffix: &str) -> Value {
        let mut item = self.key(suffix);
        if let Value::Object(m) = &mut item {
            m.insert("count".into(), json!({"N": "1"}));
        }
        item
    }
}

/// A starting request for `op`, aimed at `target`'s table and key schema.
pub fn template(op: &str, target: &Target) -> String {
    let table = target.table.as_str();
    let key = target.key("");
    let hash = target.keys.hash.name.clone();
    let v = match op {
        "CreateTable" => json!({"TableName": "NewTable", "BillingMode": "PAY_PER_REQUEST",
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}]}),
        "ListTables" => json!({}),
        "DescribeTable" | "DeleteTable" => json!({"TableName": table}),
        "UpdateTable" => json!({"TableName": table, "BillingMode": "PAY_PER_REQUEST"}),
        "PutItem" => json!({"TableName": table, "Item": target.item(""), "ReturnConsumedCapacity": "TOTAL"}),
        "GetItem" => json!({"TableName": table, "Key": key, "ReturnConsumedCapacity": "TOTAL"}),
        "DeleteItem" => json!({"TableName": table, "Key": key, "ReturnValues": "ALL_OLD"}),
        "UpdateItem" => json!({"TableName": table, "Key": key, "UpdateExpression": "ADD #c :one",
            "ExpressionAttributeNames": {"#c": "count"}, "ExpressionAttributeValues": {":one": {"N": "1"}},
            "ReturnValues": "ALL_NEW", "ReturnConsumedCapacity": "TOTAL"}),
        // `#pk` keeps the template working whatever the key is called (reserved words too).
        "Query" => json!({"TableName": table, "KeyConditionExpression": "#pk = :pk",
            "ExpressionAttributeNames": {"#pk": hash}, "ExpressionAttributeValues": {":pk": key[&hash]}, "ReturnConsumedCapacity": "TOTAL"}),
        "Scan" => json!({"TableName": table, "ReturnConsumedCapacity": "TOTAL"}),
        // PartiQL: the whole key named, so it runs as GetItem (a WHERE without it scans).
        "ExecuteStatement" => {
            let (statement, params) = target.partiql_get();
            json!({"Statement": statement, "Parameters": params, "ReturnConsumedCapacity": "TOTAL"})
        }
        "BatchExecuteStatement" => {
            let (statement, params) = target.partiql_get();
            json!({"Statements": [{"Statement": statement, "Parameters": params}], "ReturnConsumedCapacity": "TOTAL"})
        }
        "ExecuteTransaction" => {
            let (statement, params) = target.partiql_get();
            json!({"TransactStatements": [{"Statement": statement, "Parameters": params}], "ReturnConsumedCapacity": "TOTAL"})
        }
        "BatchGetItem" => json!({"RequestItems": {table: {"Keys": [key]}}, "ReturnConsumedCapacity": "TOTAL"}),
        "BatchWriteItem" => json!({"RequestItems": {table: [{"PutRequest": {"Item": target.item("-batch")}}]}}),
        "TransactGetItems" => json!({"TransactItems": [{"Get": {"TableName": table, "Key": key}}]}),
        "TransactWriteItems" => json!({"TransactItems": [{"Put": {"TableName": table, "Item": target.item("-tx")}}],
            "ReturnConsumedCapacity": "TOTAL"}),
        "DescribeTimeToLive" | "ListStreams" | "ListBackups" | "DescribeContinuousBackups" => {
            json!({"TableName": table})
        }
        "ListTagsOfResource" => {
            json!({"ResourceArn": format!("arn:aws:dynamodb:us-east-1:000000000000:table/{table}")})
        }
        "TagResource" => json!({"ResourceArn": format!("arn:aws:dynamodb:us-east-1:000000000000:table/{table}"),
            "Tags": [{"Key": "team", "Value": "red"}]}),
        "UntagResource" => json!({"ResourceArn": format!("arn:aws:dynamodb:us-east-1:000000000000:table/{table}"),
            "TagKeys": ["team"]}),
        "UpdateTimeToLive" => {
            json!({"TableName": table, "TimeToLiveSpecification": {"Enabled": true, "AttributeName": "expiresAt"}})
        }
        "DescribeStream" => json!({"StreamArn": "paste LatestStreamArn from DescribeTable"}),
        "GetShardIterator" => json!({"StreamArn": "paste LatestStreamArn from DescribeTable",
            "ShardId": "paste a ShardId from DescribeStream", "ShardIteratorType": "TRIM_HORIZON"}),
        "GetRecords" => json!({"ShardIterator": "paste the ShardIterator from GetShardIterator", "Limit": 100}),
        "CreateBackup" => json!({"TableName": table, "BackupName": format!("{table}-backup")}),
        "DescribeBackup" | "DeleteBackup" => json!({"BackupArn": "paste a BackupArn from CreateBackup or ListBackups"}),
        "RestoreTableFromBackup" => json!({"TargetTableName": format!("{table}-restored"),
            "BackupArn": "paste a BackupArn from CreateBackup or ListBackups"}),
        "UpdateContinuousBackups" => json!({"TableName": table,
            "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": true, "RecoveryPeriodInDays": 35}}),
        "RestoreTableToPointInTime" => json!({"SourceTableName": table, "TargetTableName": format!("{table}-restored"),
            "UseLatestRestorableTime": true}),
        "ExportTableToPointInTime" => {
            json!({"TableArn": format!("arn:aws:dynamodb:us-east-1:000000000000:table/{table}"),
            "S3Bucket": "exports", "ExportFormat": "DYNAMODB_JSON"})
        }
        "DescribeExport" => json!({"ExportArn": "paste an ExportArn from ExportTableToPointInTime or ListExports"}),
        "ListExports" | "ListImports" => {
            json!({"TableArn": format!("arn:aws:dynamodb:us-east-1:000000000000:table/{table}")})
        }
        "ImportTable" => import_template(table, &target.keys.hash),
        "DescribeImport" => json!({"ImportArn": "paste an ImportArn from ImportTable or ListImports"}),
        "CreateTrigger" => {
            return crate::model::mirror::trigger_template(table, &hash);
        }
        "DeleteTrigger" => json!({"TriggerName": "paste a TriggerName from ListTriggers"}),
        "ListTriggers" => json!({"TableName": table}),
        "ExecuteSql" => json!({"Sql": "SHOW TABLES"}),
        "UpdateRegionAvailability" => json!({"RegionName": "eu-west-1", "Available": false}),
        "PutPrincipal" => {
            json!({"Arn": "arn:aws:iam::000000000000:user/learner", "Policies": [{"PolicyName": "ReadOnly",
            "PolicyDocument": json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                "Action": ["dynamodb:GetItem", "dynamodb:Query"], "Resource": format!("arn:aws:dynamodb:*:*:table/{table}")}]}).to_string()}]})
        }
        "DeletePrincipal" => json!({"Arn": "arn:aws:iam::000000000000:user/learner"}),
        "ListPrincipals" => json!({}),
        "UpdateAccessControl" => json!({"Enforce": true}),
        "SimulateRequest" => json!({"PrincipalArn": "arn:aws:iam::000000000000:user/learner", "Operation": "GetItem",
            "Request": {"TableName": table, "Key": key}}),
        "PutResourcePolicy" => json!({"ResourceArn": format!("arn:aws:dynamodb:us-east-1:000000000000:table/{table}"),
            "Policy": json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                "Principal": {"AWS": "111122223333"}, "Action": "dynamodb:GetItem",
                "Resource": format!("arn:aws:dynamodb:us-east-1:000000000000:table/{table}")}]}).to_string()}),
        "S3CreateBucket" => json!({"Bucket": "my-bucket", "ObjectOwnership": "BucketOwnerEnforced"}),
        "S3PutBucketOwnershipControls" => json!({"Bucket": "my-bucket", "ObjectOwnership": "BucketOwnerEnforced"}),
        "S3PutBucketPolicy" => {
            json!({"Bucket": "my-bucket", "Policy": json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
            "Principal": {"AWS": "111122223333"}, "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::my-bucket"}]}).to_string()})
        }
        "S3ListObjects" => json!({"Bucket": "my-bucket", "Prefix": ""}),
        "S3GetObject" | "S3GetObjectAcl" => json!({"Bucket": "my-bucket", "Key": "path/to/object"}),
        "S3PutObjectAcl" => json!({"Bucket": "my-bucket", "Key": "path/to/object", "ACL": "bucket-owner-full-control"}),
        "GetResourcePolicy" | "DeleteResourcePolicy" => {
            json!({"ResourceArn": format!("arn:aws:dynamodb:us-east-1:000000000000:table/{table}")})
        }
        _ => json!({}),
    };
    serde_json::to_string_pretty(&v).unwrap_or_default()
}

/// ImportTable from the bucket `exports` into a copy of `table` keyed like it.
fn import_template(table: &str, hash: &dynaplay_engine::table::KeyDef) -> Value {
    json!({"S3BucketSource": {"S3Bucket": "exports", "S3KeyPrefix": "AWSDynamoDB/paste the export id/data/"},
        "InputFormat": "DYNAMODB_JSON", "InputCompressionType": "GZIP",
        "TableCreationParameters": {"TableName": format!("{table}-imported"), "BillingMode": "PAY_PER_REQUEST",
            "AttributeDefinitions": [{"AttributeName": hash.name, "AttributeType": hash.ty.as_str()}],
            "KeySchema": [{"AttributeName": hash.name, "KeyType": "HASH"}]}})
}

/// Where the request being typed is kept between visits and reloads.
const DRAFT_KEY: &str = "dynaplay-console-draft";

fn draft() -> Option<(String, String)> {
    let text = window().local_storage().ok().flatten()?.get_item(DRAFT_KEY).ok().flatten()?;
    let v: Value = serde_json::from_str(&text).ok()?;
    Some((v["operation"].as_str()?.to_string(), v["request"].as_str()?.to_string()))
}

/// Keeps the draft. A browser without local storage starts from a template each time;
/// one whose storage refuses the draft (full, say) says so.
fn save_draft(operation: &str, request: &str) -> Result<(), String> {
    let Some(storage) = window().local_storage().ok().flatten() else { return Ok(()) };
    storage.set_item(DRAFT_KEY, &json!({"operation": operation, "request": request}).to_string()).map_err(|_| {
        "The request you are typing could not be kept for the next visit: the browser refused to store it.".into()
    })
}

#[derive(Clone, Debug, PartialEq)]
struct Shown {
    status: u16,
    body: String,
    error: Option<(String, String)>,
    capacity: Option<String>,
    millis: f64,
    /// Where an expression error is, for the underline.
    located: Option<Located>,
    /// Which replica served an eventually consistent read, and whether it was stale.
    replica: Option<String>,
    /// What each PartiQL statement ran as, and its cost.
    plan: Vec<String>,
}

/// An expression error's place in the request: the parameter, its text cut around the
/// offending part, and a hint for the usual slip.
#[derive(Clone, Debug, PartialEq)]
struct Located {
    parameter: &'static str,
    before: String,
    marked: String,
    after: String,
    hint: Option<String>,
}

/// Finds `span` in the request the learner sent.
fn locate(request: &str, span: &ErrorSpan) -> Option<Located> {
    let v: Value = serde_json::from_str(request).ok()?;
    let text = v.get(span.parameter)?.as_str()?;
    let (start, end) = (span.start.min(text.len()), span.end.min(text.len()));
    Some(Located {
        parameter: span.parameter,
        before: text.get(..start)?.to_string(),
        marked: text.get(start..end)?.to_string(),
        after: text.get(end..)?.to_string(),
        hint: span.hint.clone(),
    })
}

fn describe(status: u16, body: &str, millis: f64) -> Shown {
    let v: Value = serde_json::from_str(body).unwrap_or_default();
    let error = (status != 200).then(|| {
        let (kind, msg) = dynaplay_engine::wire::error_of(&v).unwrap_or_default();
        (kind.to_string(), msg.to_string())
    });
    let capacity = match &v["ConsumedCapacity"] {
        Value::Null => None,
        Value::Array(list) => Some(
            list.iter()
                .map(|c| format!("{}: {}", c["TableName"].as_str().unwrap_or("?"), c["CapacityUnits"]))
                .collect::<Vec<_>>()
                .join(", "),
        ),
        c => Some(format!("{}: {} units", c["TableName"].as_str().unwrap_or("?"), c["CapacityUnits"])),
    };
    Shown { status, body: pretty(body), error, capacity, millis, located: None, replica: None, plan: Vec::new() }
}

impl Shown {
    /// A request storage refused to acknowledge.
    fn not_saved(why: String) -> Shown {
        Shown {
            status: 0,
            body: String::new(),
            error: Some(("Storage".into(), why)),
            capacity: None,
            millis: 0.0,
            located: None,
            replica: None,
            plan: Vec::new(),
        }
    }
}

#[component]
pub fn Console() -> impl IntoView {
    let engine = use_engine();
    let target = move || crate::handle::peek(engine, Target::first);
    // The request being typed survives a reload.
    let (first_op, first_body) = draft().unwrap_or_else(|| ("PutItem".to_string(), template("PutItem", &target())));
    let op = RwSignal::new(first_op);
    let body = RwSignal::new(first_body);
    let storage_error = engine.with_value(|h| h.storage_error());
    Effect::new(move |_| {
        if let Err(e) = save_draft(&op.get(), &body.get()) {
            storage_error.set(Some(e));
        }
    });
    let result = RwSignal::new(None::<Shown>);
    let busy = RwSignal::new(false);
    let valid = Memo::new(move |_| serde_json::from_str::<Value>(&body.get()).map(|_| ()).map_err(|e| e.to_string()));
    let run = move || {
        if busy.get_untracked() || valid.get_untracked().is_err() {
            return;
        }
        let handle = engine.get_value();
        let (o, b) = (op.get_untracked(), body.get_untracked());
        busy.set(true);
        leptos::task::spawn_local(async move {
            let started = js_sys::Date::now();
            let r = handle.request(&o, &b).await;
            busy.set(false);
            result.set(Some(match r {
                Ok(r) => Shown {
                    located: r.trace.error_span.as_ref().and_then(|span| locate(&b, span)),
                    replica: dynaplay_engine::replica::note(&r.trace),
                    plan: r.trace.plan.clone(),
                    ..describe(r.status, &r.body, js_sys::Date::now() - started)
                },
                Err(e) => Shown::not_saved(e.to_string()),
            }));
        });
    };
    let load = move |entry: HistoryEntry| {
        op.set(entry.operation.clone());
        body.set(pretty(&entry.request));
    };
    let rerun = move |entry: HistoryEntry| {
        load(entry);
        run();
    };
    view! {
        <section class="panel console">
            <h1>"Console"</h1>
            <div class="console-bar">
                <OperationPicker op body target=Callback::new(move |_| target())/>
                <button class="primary" disabled=move || busy.get() || valid.get().is_err() on:click=move |_| run()>
                    {move || if busy.get() { "Running…" } else { "Run (Ctrl+Enter)" }}
                </button>
                <button class="ghost" data-testid="partiql-mode" title="Write a PartiQL statement (ExecuteStatement)"
                    on:click=move |_| if op.get_untracked() != "ExecuteStatement" {
                        op.set("ExecuteStatement".into());
                        body.set(template("ExecuteStatement", &target()));
                    }>"PartiQL"</button>
            </div>
            <Show when=move || op.get() == "ExecuteStatement">
                <StatementEditor body on_run=Callback::new(move |_| run())/>
            </Show>
            <label class="block">"Request JSON"
                <textarea class="code" name="request" rows="14" spellcheck="false"
                    prop:value=body on:input:target=move |ev| body.set(ev.target().value())
                    on:keydown=move |ev: leptos::ev::KeyboardEvent| if ev.key() == "Enter" && (ev.ctrl_key() || ev.meta_key()) { ev.prevent_default(); run(); }></textarea>
            </label>
            <Show when=move || valid.get().is_err()>
                <p class="error-text" role="status">{move || valid.get().err().map(|e| format!("Not valid JSON: {e}")).unwrap_or_default()}</p>
            </Show>
            <PasteCli op body />
            <CopyAsCode op body />
            {move || result.get().map(|r| view! { <ResponseView shown=r/> })}
        </section>
        <History on_load=Callback::new(load) on_rerun=Callback::new(rerun)/>
    }
}

/// PartiQL mode: the statement as text (the request's `Statement`, the rest of the
/// request kept as it is), run with Ctrl+Enter like the JSON.
#[component]
fn StatementEditor(body: RwSignal<String>, on_run: Callback<()>) -> impl IntoView {
    let statement = move || {
        let v: Value = serde_json::from_str(&body.get()).unwrap_or_default();
        v.get("Statement").and_then(Value::as_str).unwrap_or_default().to_string()
    };
    let edit = move |text: String| {
        let mut v: Value = serde_json::from_str(&body.get_untracked()).unwrap_or_else(|_| json!({}));
        if let Value::Object(m) = &mut v {
            // Parameters beyond the statement's `?`s go (a mismatch is an error otherwise).
            let wanted = dynaplay_engine::partiql::parser::count_params(&text);
            if let Some(Value::Array(params)) = m.get_mut("Parameters") {
                params.truncate(wanted);
            }
            if m.get("Parameters").and_then(Value::as_array).is_some_and(Vec::is_empty) {
                m.remove("Parameters");
            }
            m.insert("Statement".into(), json!(text));
        }
        body.set(pretty(&v.to_string()));
    };
    view! {
        <label class="block">"PartiQL statement"
            <textarea class="code" name="statement" rows="4" spellcheck="false" data-testid="partiql-statement"
                prop:value=statement on:input:target=move |ev| edit(ev.target().value())
                on:keydown=move |ev: leptos::ev::KeyboardEvent| if ev.key() == "Enter" && (ev.ctrl_key() || ev.meta_key()) { ev.prevent_default(); on_run.run(()); }></textarea>
        </label>
        <p class="muted small">"A ? in the statement takes the next value of Parameters in the request below. What the statement ran as, and its cost, shows under the response."</p>
    }
}

/// The operation select; choosing one puts its template in the request, asking first when
/// the learner has typed their own.
#[component]
fn OperationPicker(op: RwSignal<String>, body: RwSignal<String>, target: Callback<(), Target>) -> impl IntoView {
    view! {
        <label>"Operation"
            <select name="operation" prop:value=op on:change:target=move |ev| {
                let o = ev.target().value();
                let typed = body.get_untracked() != template(&op.get_untracked(), &target.run(()));
                let replace = !typed || window()
                    .confirm_with_message("Replace the request you typed with a template for this operation?")
                    .unwrap_or(false);
                if replace {
                    body.set(template(&o, &target.run(())));
                }
                op.set(o);
            }>
                {dynaplay_engine::OPERATIONS.iter().map(|o| view! { <option value=*o>{*o}</option> }).collect_view()}
            </select>
        </label>
    }
}

/// The response as DynamoDB sent it: status, consumed capacity, AWS's error with the
/// offending expression text marked, and the body.
#[component]
fn ResponseView(shown: Shown) -> impl IntoView {
    let r = shown;
    view! {
        <div class="response" data-testid="response" aria-live="polite">
            <div class="response-head">
                <span class=if r.status == 200 { "badge ok" } else { "badge bad" }>{if r.status == 0 { "not saved".to_string() } else { format!("HTTP {}", r.status) }}</span>
                {r.capacity.clone().map(|c| view! { <span class="capacity" data-testid="capacity">"Consumed capacity: " {c}</span> })}
                <span class="muted">{format!("{:.1} ms", r.millis)}</span>
            </div>
            {r.error.clone().map(|(kind, msg)| view! { <p class="error-text" data-testid="error"><strong>{kind}</strong> ": " {msg}</p> })}
            {r.located.clone().map(|l| view! {
                <div class="located" data-testid="error-location">
                    <span class="muted">{l.parameter}": "</span>
                    <code>{l.before}<mark>{l.marked}</mark>{l.after}</code>
                    {l.hint.map(|h| view! { <p class="hint" data-testid="error-hint">"Hint: "{h}</p> })}
                </div>
            })}
            {r.replica.clone().map(|n| view! { <p class="muted small" data-testid="response-replica">{capitalized(&n)}</p> })}
            {(!r.plan.is_empty()).then(|| view! {
                <ul class="plain plan" data-testid="response-plan">
                    {r.plan.iter().map(|p| view! { <li>"Ran as "{p.clone()}</li> }).collect_view()}
                </ul>
            })}
            <pre class="code" data-testid="response-body">{r.body.clone()}</pre>
            <super::iam_explain::ReplayAs/>
        </div>
    }
}

/// The requests run so far, newest first: load one back, run it again, or copy it as a CLI
/// command.
#[component]
fn History(on_load: Callback<HistoryEntry>, on_rerun: Callback<HistoryEntry>) -> impl IntoView {
    let history = use_engine().with_value(|h| h.history());
    view! {
        <section class="panel">
            <h2>"History"</h2>
            <Show when=move || !history.get().is_empty() fallback=|| view! { <p class="muted">"Requests you run appear here."</p> }>
                <ol class="history">
                    <For each=move || history.get() key=|e| e.id let:entry>
                        {
                            let load = entry.clone();
                            let again = entry.clone();
                            let cli = serde_json::from_str::<Value>(&entry.request)
                                .map(|r| crate::code::aws_cli(&entry.operation, &r))
                                .unwrap_or_default();
                            let copied = RwSignal::new(false);
                            view! {
                                <li>
                                    <span class=if entry.status == 200 { "badge ok" } else { "badge bad" }>{entry.status}</span>
                                    <span class="op">{entry.operation.clone()}</span>
                                    <span class="muted">{format!("{:.1} ms", entry.millis)}</span>
                                    <span class="spacer"></span>
                                    <button class="small" on:click=move |_| on_load.run(load.clone())>"Load"</button>
                                    <button class="small" on:click=move |_| on_rerun.run(again.clone())>"Run again"</button>
                                    <button class="small" title="Copy this request as an AWS CLI command (Load it for Python or JavaScript)"
                                        on:click=move |_| { let _ = window().navigator().clipboard().write_text(&cli); copied.set(true); }>
                                        {move || if copied.get() { "Copied" } else { "Copy as CLI" }}
                                    </button>
                                </li>
                            }
                        }
                    </For>
                </ol>
            </Show>
        </section>
    }
}

/// `read from …` as a sentence: `Read from …`.
fn capitalized(s: &str) -> String {
    let mut c = s.chars();
    c.next().map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use dynaplay_engine::table::KeyDef;

    #[test]
    fn every_operation_has_a_valid_template() {
        let target = Target { table: "Music".into(), keys: hash_only("pk", ScalarType::S) };
        for op in dynaplay_engine::OPERATIONS {
            let t = template(op, &target);
            assert!(serde_json::from_str::<Value>(&t).is_ok(), "{op}");
            // Only the operations that take nothing start empty.
            let empty = ["ListTables", "DescribeEndpoints", "DescribeLimits", "ListPrincipals"].contains(op);
            assert_eq!(t == "{}", empty, "{op}: {t}");
        }
    }

    #[test]
    fn templates_follow_the_tables_key_schema() {
        let keys = KeySchema {
            hash: KeyDef { name: "customer".into(), ty: ScalarType::S },
            range: Some(KeyDef { name: "year".into(), ty: ScalarType::N }),
        };
        let target = Target { table: "Orders".into(), keys };
        let put: Value = serde_json::from_str(&template("PutItem", &target)).unwrap();
        assert_eq!(put["Item"], json!({"customer": {"S": "example"}, "year": {"N": "1"}, "count": {"N": "1"}}));
        let query: Value = serde_json::from_str(&template("Query", &target)).unwrap();
        assert_eq!(query["ExpressionAttributeNames"], json!({"#pk": "customer"}));
        assert_eq!(query["ExpressionAttributeValues"], json!({":pk": {"S": "example"}}));
        let get: Value = serde_json::from_str(&template("GetItem", &target)).unwrap();
        assert_eq!(get["Key"], json!({"customer": {"S": "example"}, "year": {"N": "1"}}));
        let select: Value = serde_json::from_str(&template("ExecuteStatement", &target)).unwrap();
        assert_eq!(select["Statement"], r#"SELECT * FROM "Orders" WHERE "customer" = ? AND "year" = ?"#);
        assert_eq!(select["Parameters"], json!([{"S": "example"}, {"N": "1"}]));
    }

    #[test]
    fn locates_an_expression_error_in_the_request() {
        let span = ErrorSpan { parameter: "FilterExpression", start: 4, end: 10, hint: Some("h".into()) };
        let l = locate(r#"{"TableName": "T", "FilterExpression": "a = status"}"#, &span).unwrap();
        assert_eq!((l.before.as_str(), l.marked.as_str(), l.after.as_str()), ("a = ", "status", ""));
        assert_eq!(l.hint.as_deref(), Some("h"));
        assert!(locate("{}", &span).is_none());
    }

    #[test]
    fn describes_errors_and_capacity() {
        let s = describe(400, r#"{"__type":"com.amazon.coral.validate#ValidationException","message":"bad"}"#, 1.0);
        assert_eq!(s.error, Some(("ValidationException".into(), "bad".into())));
        let s = describe(200, r#"{"ConsumedCapacity":{"TableName":"T","CapacityUnits":0.5}}"#, 1.0);
        assert_eq!(s.capacity.as_deref(), Some("T: 0.5 units"));
    }
}
