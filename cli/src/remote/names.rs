//! Table names on a shared endpoint: every table a replay makes gets a unique prefix
//! (`dynaplay_<time>_<pid>_Music`: underscores keep it a bare PartiQL identifier), written into each request and taken out of each
//! answer, so expectations read as they do on Dynaplay and a class's replays never touch
//! each other's tables, or anyone else's.

use serde_json::{Map, Value};

/// The request fields whose string value is a table name.
const NAME_FIELDS: &[&str] =
    &["TableName", "SourceTableName", "TargetTableName", "GlobalTableName", "ExclusiveStartTableName"];

#[derive(Clone, Debug)]
pub struct Prefix(pub String);

impl Prefix {
    /// A prefix unique to this run: the time and the process.
    pub fn unique(now_s: u64) -> Prefix {
        Prefix(format!("dynaplay_{now_s}_{}_", std::process::id()))
    }

    pub fn add(&self, name: &str) -> String {
        format!("{}{name}", self.0)
    }

    pub fn owns(&self, name: &str) -> bool {
        name.starts_with(&self.0)
    }

    /// `request` with its table names prefixed: name fields, `RequestItems` keys, ARNs'
    /// `table/<name>`, and a PartiQL statement's table names.
    pub fn request(&self, request: &Value) -> Value {
        let mut out = request.clone();
        self.rewrite_request(&mut out);
        out
    }

    fn rewrite_request(&self, v: &mut Value) {
        match v {
            Value::Object(map) => {
                for (key, value) in map.iter_mut() {
                    match (key.as_str(), &mut *value) {
                        (k, Value::String(s)) if NAME_FIELDS.contains(&k) => *s = self.add(s),
                        ("ClientRequestToken", Value::String(s)) => *s = self.token(s),
                        (k, Value::String(s)) if k.ends_with("Arn") => *s = arn(s, |n| self.add(n)),
                        ("Statement", Value::String(s)) => *s = self.statement(s),
                        ("RequestItems", Value::Object(tables)) => *tables = rename_keys(tables, |n| self.add(n)),
                        _ => self.rewrite_request(value),
                    }
                }
            }
            Value::Array(list) => list.iter_mut().for_each(|x| self.rewrite_request(x)),
            _ => {}
        }
    }

    /// A client request token of this run's own (36 hex digits from the prefix and the
    /// token), so a replay is not taken for an earlier one's retry: DynamoDB keeps tokens
    /// for ten minutes, per account.
    fn token(&self, token: &str) -> String {
        use sha2::{Digest, Sha256};
        let digest = hex::encode(Sha256::digest(format!("{}{token}", self.0)));
        digest.get(..36).unwrap_or(&digest).to_string()
    }

    /// A PartiQL statement with the table name after FROM, INTO and UPDATE prefixed, bare
    /// or double-quoted (`SELECT * FROM "Music"."ByArtist"`); string literals untouched.
    fn statement(&self, s: &str) -> String {
        let mut out = String::with_capacity(s.len() + self.0.len());
        let mut after_keyword = false;
        let mut rest = s;
        while let Some(c) = rest.chars().next() {
            let token_end = match c {
                '"' | '\'' => rest[1..].find(c).map_or(rest.len(), |n| n + 2),
                c if c.is_ascii_alphabetic() || c == '_' => {
                    rest.find(|x: char| !(x.is_ascii_alphanumeric() || x == '_')).unwrap_or(rest.len())
                }
                c => c.len_utf8(),
            };
            let token = &rest[..token_end];
            match c {
                '"' if after_keyword => out.push_str(&format!("\"{}{}", self.0, &token[1..])),
                c if (c.is_ascii_alphabetic() || c == '_') && after_keyword => out.push_str(&self.add(token)),
                _ => out.push_str(token),
            }
            if !c.is_whitespace() {
                after_keyword = ["FROM", "INTO", "UPDATE"].iter().any(|k| token.eq_ignore_ascii_case(k));
            }
            rest = &rest[token_end..];
        }
        out
    }

    /// `answer` with this run's prefix taken out of table names and ARNs; a ListTables
    /// answer keeps only this run's tables.
    pub fn answer(&self, operation: &str, answer: &Value) -> Value {
        let mut answer = answer.clone();
        if operation == "ListTables" {
            if let Some(Value::Array(names)) = answer.get_mut("TableNames") {
                names.retain(|n| n.as_str().is_some_and(|n| self.owns(n)));
            }
        }
        self.strip(&answer)
    }

    fn strip(&self, v: &Value) -> Value {
        let take = |s: &str| s.strip_prefix(&self.0).unwrap_or(s).to_string();
        match v {
            Value::String(s) => Value::String(arn(&take(s), take)),
            Value::Object(map) => Value::Object(map.iter().map(|(k, x)| (take(k), self.strip(x))).collect()),
            Value::Array(list) => Value::Array(list.iter().map(|x| self.strip(x)).collect()),
            other => other.clone(),
        }
    }
}

/// `arn` with the table name after `:table/` renamed by `f`.
fn arn(s: &str, f: impl Fn(&str) -> String) -> String {
    let Some(at) = s.find(":table/") else { return s.to_string() };
    let start = at + ":table/".len();
    let end = s[start..].find('/').map_or(s.len(), |n| start + n);
    format!("{}{}{}", &s[..start], f(&s[start..end]), &s[end..])
}

fn rename_keys(map: &Map<String, Value>, f: impl Fn(&str) -> String) -> Map<String, Value> {
    map.iter().map(|(k, v)| (f(k), v.clone())).collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn names_are_prefixed_in_requests_and_taken_out_of_answers() {
        let p = Prefix("p_".into());
        let request = json!({"TransactItems": [{"Put": {"TableName": "Music", "Item": {"TableName": {"S": "x"}}}}],
            "RequestItems": {"Music": {"Keys": []}}, "TableArn": "arn:aws:dynamodb:us-east-1:1:table/Music/stream/x"});
        let sent = p.request(&request);
        assert_eq!(sent["TransactItems"][0]["Put"]["TableName"], "p_Music");
        assert_eq!(sent["TransactItems"][0]["Put"]["Item"]["TableName"], json!({"S": "x"}), "an attribute is data");
        assert!(sent["RequestItems"].get("p_Music").is_some());
        assert_eq!(sent["TableArn"], "arn:aws:dynamodb:us-east-1:1:table/p_Music/stream/x");
        assert_eq!(p.answer("PutItem", &sent)["TableArn"], request["TableArn"]);
        assert_eq!(p.answer("PutItem", &sent)["RequestItems"], request["RequestItems"]);
        let listed = json!({"TableNames": ["other", "p_Music"]});
        assert_eq!(p.answer("ListTables", &listed), json!({"TableNames": ["Music"]}));
    }

    #[test]
    fn partiql_table_names_are_prefixed_but_not_attributes_or_strings() {
        let p = Prefix("p_".into());
        let cases = [
            (
                r#"SELECT "Artist" FROM "Music"."ByArtist" WHERE a = 'FROM x'"#,
                r#"SELECT "Artist" FROM "p_Music"."ByArtist" WHERE a = 'FROM x'"#,
            ),
            ("INSERT INTO Music VALUE {'a': 1}", "INSERT INTO p_Music VALUE {'a': 1}"),
            ("update Music SET n = 1", "update p_Music SET n = 1"),
            ("DELETE FROM \"Music\" WHERE pk = 'it''s'", "DELETE FROM \"p_Music\" WHERE pk = 'it''s'"),
        ];
        for (statement, want) in cases {
            assert_eq!(p.statement(statement), want);
        }
    }

    proptest::proptest! {
        /// Any statement, name or answer is rewritten without a panic, and a name put in
        /// is taken out again.
        #[test]
        fn any_text_is_rewritten_without_a_panic(text in ".{0,60}", name in "[a-zA-Z0-9_.-]{3,20}") {
            let p = Prefix("p_".into());
            let _ = p.statement(&text);
            let request = json!({"TableName": name, "Statement": text, "TableArn": text, "ClientRequestToken": text});
            let sent = p.request(&request);
            let back = p.answer("DescribeTable", &sent);
            proptest::prop_assert_eq!(&back["TableName"], &request["TableName"]);
            proptest::prop_assert_eq!(sent["ClientRequestToken"].as_str().map(str::len), Some(36));
        }
    }
}
