//! Requests as code, and code as requests: any request copies as an AWS CLI command,
//! Python (boto3) or JavaScript (AWS SDK v3); a pasted `aws dynamodb <command> …` line
//! becomes the request it sends. Pure functions, tested natively.

use heck::{ToKebabCase, ToSnakeCase, ToUpperCamelCase};
use serde_json::{Map, Value};

/// What AWS has instead of one of Dynaplay's own operations (triggers, the mirror's SQL,
/// IAM's principals, outages), as a comment line starting with `prefix`; `None` for AWS's
/// operations.
fn not_aws(operation: &str, prefix: &str) -> Option<String> {
    let instead = match operation {
        "PutPrincipal" | "DeletePrincipal" | "ListPrincipals" | "UpdateAccessControl" | "SimulateRequest" => [
            "In AWS, users, roles and their policies are IAM's (aws iam create-user, put-user-policy),",
            "and IAM's policy simulator is aws iam simulate-principal-policy.",
        ],
        "UpdateRegionAvailability" => ["In AWS a region's outage is not something you can call for;", "Dynaplay simulates one."],
        op if op.starts_with("S3") => [
            "It stands for S3's own request in Dynaplay's simulated S3; in AWS, call S3 itself,",
            "for example aws s3api get-object, put-object-acl, put-bucket-ownership-controls.",
        ],
        _ => [
            "In AWS a trigger is a Lambda function with an event source mapping on the stream (aws lambda",
            "create-event-source-mapping), and the SQL runs in your own database. The mirror page copies a handler as one.",
        ],
    };
    dynaplay_engine::DYNAPLAY_OPERATIONS.contains(&operation).then(|| {
        format!(
            "{prefix} {operation} is Dynaplay's own operation: AWS has no such call.\n{prefix} {}\n{prefix} {}\n",
            instead[0], instead[1]
        )
    })
}

/// The service a request goes to: DynamoDB Streams for its four operations.
fn streams(operation: &str) -> bool {
    dynaplay_engine::STREAMS_OPERATIONS.contains(&operation)
}

/// `aws dynamodb put-item --cli-input-json '…'`: exact for every request.
pub fn aws_cli(operation: &str, request: &Value) -> String {
    if let Some(note) = not_aws(operation, "#") {
        return note;
    }
    let json = serde_json::to_string(request).unwrap_or_default();
    let service = if streams(operation) { "dynamodbstreams" } else { "dynamodb" };
    format!("aws {service} {} --cli-input-json {}", operation.to_kebab_case(), shell_quote(&json))
}

/// Single-quotes `s` for POSIX shells.
fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

/// boto3's low-level client, with the request as keyword arguments.
pub fn python(operation: &str, request: &Value) -> String {
    if let Some(note) = not_aws(operation, "#") {
        return note;
    }
    let service = if streams(operation) { "dynamodbstreams" } else { "dynamodb" };
    let mut out = format!("import boto3\n\nclient = boto3.client(\"{service}\")\n");
    out.push_str(&format!("response = client.{}(\n", operation.to_snake_case()));
    if let Value::Object(m) = request {
        // TableName first, as people write it; the rest in the request's order.
        let (first, rest): (Vec<_>, Vec<_>) = m.iter().partition(|(k, _)| *k == "TableName");
        for (k, v) in first.into_iter().chain(rest) {
            out.push_str(&format!("    {k}={},\n", py(v, 1)));
        }
    }
    out.push_str(")\nprint(response)\n");
    out
}

/// A JSON value as a Python literal, indented for `depth`.
fn py(v: &Value, depth: usize) -> String {
    let pad = "    ".repeat(depth + 1);
    let end = "    ".repeat(depth);
    match v {
        Value::Null => "None".into(),
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => Value::String(s.clone()).to_string(),
        Value::Array(a) if a.is_empty() => "[]".into(),
        Value::Object(m) if m.is_empty() => "{}".into(),
        Value::Array(a) => {
            let items: Vec<String> = a.iter().map(|x| format!("{pad}{},\n", py(x, depth + 1))).collect();
            format!("[\n{}{end}]", items.concat())
        }
        Value::Object(m) => {
            let items: Vec<String> =
                m.iter().map(|(k, x)| format!("{pad}{}: {},\n", Value::String(k.clone()), py(x, depth + 1))).collect();
            format!("{{\n{}{end}}}", items.concat())
        }
    }
}

/// The AWS SDK for JavaScript v3, as an ES module.
pub fn javascript(operation: &str, request: &Value) -> String {
    if let Some(note) = not_aws(operation, "//") {
        return note;
    }
    let command = format!("{}Command", operation.to_upper_camel_case());
    let json = serde_json::to_string_pretty(request).unwrap_or_default();
    let (client, package) = if streams(operation) {
        ("DynamoDBStreamsClient", "client-dynamodb-streams")
    } else {
        ("DynamoDBClient", "client-dynamodb")
    };
    format!(
        "import {{ {client}, {command} }} from \"@aws-sdk/{package}\";\n\n\
         const client = new {client}({{}});\n\
         const response = await client.send(new {command}({json}));\n\
         console.log(response);\n"
    )
}

/// Options of the AWS CLI itself, not of the request; skipped (with their value).
const GLOBAL_WITH_VALUE: &[&str] = &[
    "--endpoint-url",
    "--region",
    "--profile",
    "--output",
    "--query",
    "--color",
    "--ca-bundle",
    "--cli-read-timeout",
    "--cli-connect-timeout",
    "--starting-token",
];
const GLOBAL_FLAGS: &[&str] = &[
    "--debug",
    "--no-verify-ssl",
    "--no-paginate",
    "--no-cli-pager",
    "--cli-auto-prompt",
    "--no-cli-auto-prompt",
    "--no-sign-request",
];

/// Request members that are numbers; every other scalar parameter stays a string, so a
/// table named `2024` is not read as a number.
const INTEGERS: &[&str] = &["Limit", "Segment", "TotalSegments"];
/// Request members that are structures or lists, given as JSON on the command line.
const STRUCTURES: &[&str] = &[
    "Item",
    "Key",
    "ExpressionAttributeNames",
    "ExpressionAttributeValues",
    "ExclusiveStartKey",
    "RequestItems",
    "TransactItems",
    "KeySchema",
    "AttributeDefinitions",
    "ProvisionedThroughput",
    "AttributesToGet",
    "KeyConditions",
    "QueryFilter",
    "ScanFilter",
    "Expected",
    "AttributeUpdates",
    "GlobalSecondaryIndexes",
    "LocalSecondaryIndexes",
    "GlobalSecondaryIndexUpdates",
    "Tags",
];

/// Parses `aws dynamodb <command> [--param value …]` into (operation, request).
pub fn parse_aws_cli(line: &str) -> Result<(String, Value), String> {
    // Line continuations: a backslash before a newline joins the lines.
    let joined = line.replace("\\\r\n", " ").replace("\\\n", " ");
    let words = shlex::split(&joined).ok_or("The command has an unclosed quote.")?;
    let mut words = words.into_iter().peekable();
    if words.next().as_deref() != Some("aws") {
        return Err("Paste a command that starts with `aws dynamodb`.".into());
    }
    while words.peek().is_some_and(|w| w.starts_with("--")) {
        let w = words.next().unwrap_or_default();
        if GLOBAL_WITH_VALUE.contains(&w.as_str()) {
            words.next();
        }
    }
    if words.next().as_deref() != Some("dynamodb") {
        return Err("Only `aws dynamodb` commands can be pasted here.".into());
    }
    let command = words.next().ok_or("The command names no operation, such as `put-item`.")?;
    let operation = command.to_upper_camel_case();
    let aws = !dynaplay_engine::DYNAPLAY_OPERATIONS.contains(&operation.as_str());
    if !(aws && dynaplay_engine::OPERATIONS.contains(&operation.as_str())) {
        return Err(format!("`{command}` is not an operation Dynaplay runs yet."));
    }
    let mut request = Map::new();
    let mut cli_input: Option<Map<String, Value>> = None;
    while let Some(word) = words.next() {
        let Some(name) = word.strip_prefix("--") else {
            return Err(format!("Unexpected `{word}`: parameters start with --."));
        };
        if GLOBAL_FLAGS.contains(&word.as_str()) {
            continue;
        }
        if GLOBAL_WITH_VALUE.contains(&word.as_str()) {
            words.next();
            continue;
        }
        let takes_value = words.peek().is_some_and(|w| !w.starts_with("--"));
        if !takes_value {
            // Boolean flags: `--consistent-read`, `--no-consistent-read`.
            match name.strip_prefix("no-") {
                Some(flag) => request.insert(key(flag), Value::Bool(false)),
                None => request.insert(key(name), Value::Bool(true)),
            };
            continue;
        }
        let raw = words.next().unwrap_or_default();
        if raw.starts_with("file://") || raw.starts_with("fileb://") {
            return Err(format!("`--{name} {raw}`: files cannot be read in the browser; paste the JSON itself."));
        }
        if name == "cli-input-json" {
            match serde_json::from_str(&raw) {
                Ok(Value::Object(m)) => cli_input = Some(m),
                _ => return Err("--cli-input-json must be a JSON object.".into()),
            }
            continue;
        }
        let member = key(name);
        let value = match serde_json::from_str::<Value>(&raw) {
            Ok(v @ (Value::Object(_) | Value::Array(_))) => v,
            Ok(v @ Value::Number(_)) if INTEGERS.contains(&member.as_str()) => v,
            _ if STRUCTURES.contains(&member.as_str()) => {
                return Err(format!(
                    "`--{name}` needs JSON here, such as '{{\"Artist\": {{\"S\": \"Arturus\"}}}}'; the CLI's shorthand syntax is not supported."
                ));
            }
            _ => Value::String(raw),
        };
        request.insert(member, value);
    }
    // Flags given explicitly win over --cli-input-json, as in the AWS CLI.
    let mut merged = cli_input.unwrap_or_default();
    merged.extend(request);
    Ok((operation, Value::Object(merged)))
}

/// The request member a CLI parameter sets: `--key-condition-expression` →
/// `KeyConditionExpression`. The CLI pages Query and Scan itself, so its `--page-size`
/// and `--max-items` both become `Limit` here.
fn key(param: &str) -> String {
    match param {
        "page-size" | "max-items" | "limit" => "Limit".into(),
        "sse-specification" => "SSESpecification".into(),
        other => other.to_upper_camel_case(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn copies_as_each_language() {
        let req = json!({"TableName": "Music", "Item": {"Artist": {"S": "It's"}}, "ConsistentRead": true});
        assert_eq!(
            aws_cli("PutItem", &req),
            r#"aws dynamodb put-item --cli-input-json '{"ConsistentRead":true,"Item":{"Artist":{"S":"It'\''s"}},"TableName":"Music"}'"#
        );
        assert_eq!(
            python("PutItem", &req),
            "import boto3\n\nclient = boto3.client(\"dynamodb\")\nresponse = client.put_item(\n    TableName=\"Music\",\n    ConsistentRead=True,\n    Item={\n        \"Artist\": {\n            \"S\": \"It's\",\n        },\n    },\n)\nprint(response)\n"
        );
        let js = javascript("BatchGetItem", &json!({}));
        assert!(js.starts_with("import { DynamoDBClient, BatchGetItemCommand } from \"@aws-sdk/client-dynamodb\";"));
        assert!(js.contains("await client.send(new BatchGetItemCommand({}));"));
    }

    #[test]
    fn streams_requests_go_to_the_streams_service_and_dynaplay_s_own_say_so() {
        let req = json!({"ShardIterator": "x"});
        assert!(aws_cli("GetRecords", &req).starts_with("aws dynamodbstreams get-records --cli-input-json "));
        assert!(python("GetRecords", &req).contains("boto3.client(\"dynamodbstreams\")"));
        assert!(javascript("GetRecords", &req)
            .contains("{ DynamoDBStreamsClient, GetRecordsCommand } from \"@aws-sdk/client-dynamodb-streams\""));
        let note = aws_cli("ExecuteSql", &json!({"Sql": "SELECT 1"}));
        assert!(note.starts_with("# ExecuteSql is Dynaplay's own operation: AWS has no such call."), "{note}");
        assert!(javascript("CreateTrigger", &json!({})).starts_with("// CreateTrigger is Dynaplay's own operation"));
        assert!(aws_cli("PutPrincipal", &json!({})).contains("# In AWS, users, roles and their policies are IAM's"));
        assert!(aws_cli("S3GetObject", &json!({})).contains("aws s3api get-object"));
        assert_eq!(
            parse_aws_cli("aws dynamodb execute-sql --sql x"),
            Err("`execute-sql` is not an operation Dynaplay runs yet.".into())
        );
    }

    #[test]
    fn a_copied_command_pastes_back_to_the_same_request() {
        let req = json!({"TableName": "Music", "Key": {"Artist": {"S": "Arturus \"Art\" O'Neil"}}, "ReturnValues": "ALL_OLD"});
        assert_eq!(parse_aws_cli(&aws_cli("DeleteItem", &req)).unwrap(), ("DeleteItem".into(), req));
    }

    #[test]
    fn parses_common_flags() {
        let line = r#"aws dynamodb query --table-name Music \
            --key-condition-expression "Artist = :a" \
            --expression-attribute-values '{":a": {"S": "Arturus"}}' \
            --no-scan-index-forward --consistent-read --page-size 5 \
            --return-consumed-capacity TOTAL --endpoint-url http://localhost:8000 --region eu-west-1"#;
        let (op, req) = parse_aws_cli(line).unwrap();
        assert_eq!(op, "Query");
        assert_eq!(
            req,
            json!({
                "TableName": "Music", "KeyConditionExpression": "Artist = :a",
                "ExpressionAttributeValues": {":a": {"S": "Arturus"}},
                "ScanIndexForward": false, "ConsistentRead": true, "Limit": 5, "ReturnConsumedCapacity": "TOTAL"
            })
        );
        let (_, req) = parse_aws_cli("aws dynamodb describe-table --table-name 2024").unwrap();
        assert_eq!(req, json!({"TableName": "2024"}));
        let (op, req) = parse_aws_cli(
            r#"aws --region us-east-1 dynamodb get-item --cli-input-json '{"TableName":"A","Key":{}}' --table-name B"#,
        )
        .unwrap();
        assert_eq!((op.as_str(), req), ("GetItem", json!({"TableName": "B", "Key": {}})));
    }

    #[cfg(not(target_arch = "wasm32"))]
    proptest::proptest! {
        /// Whatever is pasted, parsing answers (a request or a message) and never panics;
        /// and any request copied as a command pastes back to itself.
        #[test]
        fn pasting_never_panics(line in "(aws dynamodb [a-z-]{0,12} )?[ -~\\n'\"{}\\[\\]]{0,80}") {
            let _ = parse_aws_cli(&line);
        }

        #[test]
        fn copied_commands_paste_back(table in "[A-Za-z0-9_.-]{1,20}", text in "\\PC{0,40}", n in 0u32..1000) {
            let req = serde_json::json!({"TableName": table, "Item": {"k": {"S": text}, "n": {"N": n.to_string()}}});
            proptest::prop_assert_eq!(parse_aws_cli(&aws_cli("PutItem", &req)), Ok(("PutItem".to_string(), req)));
        }
    }

    #[test]
    fn a_partiql_statement_pastes() {
        let pasted =
            parse_aws_cli(r#"aws dynamodb execute-statement --statement "SELECT * FROM Music WHERE Artist = 'Acme'""#);
        assert_eq!(
            pasted,
            Ok(("ExecuteStatement".to_string(), json!({"Statement": "SELECT * FROM Music WHERE Artist = 'Acme'"})))
        );
    }

    #[test]
    fn explains_what_it_cannot_paste() {
        let cases = [
            ("ls -la", "Paste a command that starts with `aws dynamodb`."),
            ("aws s3 ls", "Only `aws dynamodb` commands can be pasted here."),
            ("aws dynamodb", "The command names no operation, such as `put-item`."),
            ("aws dynamodb create-global-table --global-table-name x", "`create-global-table` is not an operation Dynaplay runs yet."),
            ("aws dynamodb put-item --item file://item.json", "`--item file://item.json`: files cannot be read in the browser; paste the JSON itself."),
            ("aws dynamodb put-item --item '{", "The command has an unclosed quote."),
            ("aws dynamodb put-item Music", "Unexpected `Music`: parameters start with --."),
            (
                "aws dynamodb get-item --table-name Music --key Artist={S=Arturus}",
                "`--key` needs JSON here, such as '{\"Artist\": {\"S\": \"Arturus\"}}'; the CLI's shorthand syntax is not supported.",
            ),
        ];
        for (line, message) in cases {
            assert_eq!(parse_aws_cli(line), Err(message.to_string()), "{line}");
        }
    }
}
