//! The `#/iam` view's forms: a new principal from a template, a policy edited in place,
//! and IAM's evaluations (the engine's explanation) read for drawing.

use dynaplay_engine::inspect::PrincipalInfo;
use serde_json::{json, Value};

/// Policies a new principal can start from: (label, statements for `table_arn`).
pub const TEMPLATES: [&str; 5] =
    ["Read only", "Own rows only (LeadingKeys)", "PutItem only inside transactions", "All but deletes", "No policy"];

/// A template's policy document, for resources matching `resource` (a table ARN pattern).
pub fn template(label: &str, resource: &str) -> Option<Value> {
    let statements = match label {
        "Read only" => json!([{"Sid": "ReadOnly", "Effect": "Allow",
            "Action": ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:Scan",
                "dynamodb:DescribeTable", "dynamodb:ListTables"],
            "Resource": [resource, format!("{resource}/index/*"), "*"]}]),
        "Own rows only (LeadingKeys)" => json!([{"Sid": "OwnRows", "Effect": "Allow",
            "Action": ["dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"],
            "Resource": resource,
            "Condition": {"ForAllValues:StringEquals": {"dynamodb:LeadingKeys": ["${aws:username}"]}}}]),
        "PutItem only inside transactions" => json!([{"Sid": "PutOnlyInTransactions", "Effect": "Allow",
            "Action": "dynamodb:PutItem", "Resource": resource,
            "Condition": {"ForAnyValue:StringEquals": {"dynamodb:EnclosingOperation": ["TransactWriteItems"]}}}]),
        "All but deletes" => json!([
            {"Sid": "Everything", "Effect": "Allow", "Action": "dynamodb:*", "Resource": "*"},
            {"Sid": "NoDeletes", "Effect": "Deny", "Action": ["dynamodb:DeleteItem", "dynamodb:DeleteTable"], "Resource": "*"}]),
        "No policy" => return None,
        _ => return None,
    };
    Some(json!({"Version": "2012-10-17", "Statement": statements}))
}

/// IAM's rule for user and role names.
fn check_name(name: &str) -> Result<(), String> {
    let ok = (1..=64).contains(&name.chars().count())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || "+=,.@_-".contains(c));
    if ok {
        Ok(())
    } else {
        Err("A name is 1 to 64 letters, digits or + = , . @ _ -".into())
    }
}

/// PutPrincipal for a new user or role of `account`, starting with `template`'s policy.
pub fn new_principal(
    name: &str,
    role: bool,
    account: &str,
    template_label: &str,
    table: &str,
) -> Result<Value, String> {
    let name = name.trim();
    check_name(name)?;
    let kind = if role { "role" } else { "user" };
    let resource = format!("arn:aws:dynamodb:*:{account}:table/{}", if table.is_empty() { "*" } else { table });
    let policies = match template(template_label, &resource) {
        Some(doc) => json!([{"PolicyName": policy_name(template_label), "PolicyDocument": pretty(&doc)}]),
        None => json!([]),
    };
    Ok(json!({"Arn": format!("arn:aws:iam::{account}:{kind}/{name}"), "Policies": policies}))
}

fn policy_name(label: &str) -> String {
    use heck::ToUpperCamelCase;
    label.replace(['(', ')'], " ").to_upper_camel_case()
}

fn pretty(v: &Value) -> String {
    serde_json::to_string_pretty(v).unwrap_or_else(|_| v.to_string())
}

/// PutPrincipal keeping `p` as it is but with policy `index` replaced by `text` (or
/// removed when `text` is `None`, or added when `index` is past the end).
pub fn with_policy(p: &PrincipalInfo, index: usize, text: Option<&str>) -> Value {
    let mut policies: Vec<(String, String)> = p.policies.clone();
    match (text, index < policies.len()) {
        (Some(t), true) => {
            if let Some(slot) = policies.get_mut(index) {
                slot.1 = t.to_string();
            }
        }
        (Some(t), false) => policies.push((format!("policy-{}", policies.len() + 1), t.to_string())),
        (None, true) => {
            policies.remove(index);
        }
        (None, false) => {}
    }
    let list: Vec<Value> = policies.iter().map(|(n, t)| json!({"PolicyName": n, "PolicyDocument": t})).collect();
    let mut body = json!({"Arn": p.arn, "Policies": list});
    if let (Some(k), Value::Object(m)) = (&p.access_key_id, &mut body) {
        m.insert("AccessKeyId".into(), json!(k));
    }
    body
}

/// One action's evaluation, read for drawing.
#[derive(Clone, Debug, PartialEq)]
pub struct Decided {
    pub action: String,
    pub resource: String,
    pub allowed: bool,
    /// "Allowed", or why it was denied.
    pub verdict: String,
    pub context: Vec<(String, String)>,
    pub statements: Vec<StatementLine>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct StatementLine {
    /// `policy · Sid`.
    pub name: String,
    pub effect: String,
    pub applies: bool,
    pub reason: Option<String>,
    /// (text, holds).
    pub conditions: Vec<(String, bool)>,
}

pub fn decided(e: &Value) -> Decided {
    let s = |v: &Value| v.as_str().unwrap_or_default().to_string();
    let side = s(&e["DecidedBy"]);
    let verdict = match e["Decision"].as_str() {
        Some("Allow") => "Allowed".to_string(),
        Some("ExplicitDeny") => format!("Denied: an explicit Deny in a {side} policy"),
        _ => format!("Denied: no {side} policy allows it (implicit deny)"),
    };
    let context =
        e["Context"].as_object().map(|m| m.iter().map(|(k, v)| (k.clone(), list(v))).collect()).unwrap_or_default();
    let statements = e["Statements"].as_array().map(|l| l.iter().map(statement).collect()).unwrap_or_default();
    Decided {
        action: s(&e["Action"]),
        resource: s(&e["Resource"]),
        allowed: e["Decision"] == "Allow",
        verdict,
        context,
        statements,
    }
}

fn list(v: &Value) -> String {
    match v.as_array() {
        Some(items) => items.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(", "),
        None => "(absent)".to_string(),
    }
}

fn statement(st: &Value) -> StatementLine {
    let mut name =
        format!("{} ({})", st["Policy"].as_str().unwrap_or_default(), st["Side"].as_str().unwrap_or_default());
    if let Some(sid) = st["Sid"].as_str() {
        name = format!("{name} · {sid}");
    }
    let conditions = st["Conditions"]
        .as_array()
        .map(|l| {
            l.iter()
                .map(|c| {
                    let request =
                        if c["RequestValues"].is_null() { "(absent)".to_string() } else { list(&c["RequestValues"]) };
                    let text = format!(
                        "{} {}: request [{}] vs policy [{}]",
                        c["Operator"].as_str().unwrap_or_default(),
                        c["Key"].as_str().unwrap_or_default(),
                        request,
                        list(&c["PolicyValues"])
                    );
                    (text, c["Holds"] == true)
                })
                .collect()
        })
        .unwrap_or_default();
    StatementLine {
        name,
        effect: st["Effect"].as_str().unwrap_or_default().to_string(),
        applies: st["Applies"] == true,
        reason: st["Reason"].as_str().map(str::to_string),
        conditions,
    }
}

#[cfg(test)]
mod tests {
    use dynaplay_engine::{Config, Engine};

    use super::*;

    #[test]
    fn a_new_principal_gets_its_templates_policy() {
        let body = new_principal("ana", false, "000000000000", "Own rows only (LeadingKeys)", "Notes").unwrap();
        assert_eq!(body["Arn"], "arn:aws:iam::000000000000:user/ana");
        let doc: Value = serde_json::from_str(body["Policies"][0]["PolicyDocument"].as_str().unwrap()).unwrap();
        assert_eq!(doc["Statement"][0]["Resource"], "arn:aws:dynamodb:*:000000000000:table/Notes");
        assert_eq!(body["Policies"][0]["PolicyName"], "OwnRowsOnlyLeadingKeys");
        assert!(new_principal("a b", false, "000000000000", "Read only", "").is_err());
        assert_eq!(new_principal("r", true, "1", "No policy", "").unwrap()["Policies"], json!([]));
    }

    #[test]
    fn every_template_is_a_policy_the_engine_accepts() {
        let mut e = Engine::new(Config::default());
        for (i, label) in TEMPLATES.iter().enumerate() {
            let body = new_principal(&format!("p{i}"), false, "000000000000", label, "").unwrap();
            let r = e.request("PutPrincipal", body.to_string().as_bytes(), 1);
            assert_eq!(r.status, 200, "{label}: {}", r.body);
        }
    }

    #[test]
    fn the_simulators_answer_reads_as_a_verdict_with_its_reasons() {
        let mut e = Engine::new(Config::default());
        let create = json!({"TableName": "Notes", "BillingMode": "PAY_PER_REQUEST",
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}]});
        e.request("CreateTable", create.to_string().as_bytes(), 1);
        let body = new_principal("ana", false, "000000000000", "Own rows only (LeadingKeys)", "Notes").unwrap();
        e.request("PutPrincipal", body.to_string().as_bytes(), 1);
        let sim = json!({"PrincipalArn": "arn:aws:iam::000000000000:user/ana", "Operation": "GetItem",
            "Request": {"TableName": "Notes", "Key": {"pk": {"S": "bo"}}}});
        let r = e.request("SimulateRequest", sim.to_string().as_bytes(), 2);
        let v: Value = serde_json::from_str(&r.body).unwrap();
        let d = decided(&v["Evaluations"][0]);
        assert!(!d.allowed);
        assert_eq!(d.verdict, "Denied: no identity-based policy allows it (implicit deny)");
        let s = &d.statements[0];
        assert_eq!(s.name, "OwnRowsOnlyLeadingKeys (identity-based) · OwnRows");
        assert!(!s.applies);
        assert!(d.context.iter().any(|(k, v)| k == "aws:username" && v == "ana"));
    }

    #[test]
    fn a_policy_is_replaced_removed_or_added() {
        let p = PrincipalInfo {
            arn: "arn:aws:iam::000000000000:user/ana".into(),
            name: "ana".into(),
            role: false,
            caller_arn: String::new(),
            access_key_id: None,
            policies: vec![("a".into(), "{}".into())],
        };
        assert_eq!(with_policy(&p, 0, Some("{\"x\":1}"))["Policies"][0]["PolicyDocument"], "{\"x\":1}");
        assert_eq!(with_policy(&p, 0, None)["Policies"], json!([]));
        assert_eq!(with_policy(&p, 1, Some("{}"))["Policies"][1]["PolicyName"], "policy-2");
    }
}
