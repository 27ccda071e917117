//! A scenario in words, for its preview: each table with its key and seed items, and what
//! each step checks.

use super::{Expect, Scenario};

impl Scenario {
    /// Each table as "Music (key: Artist, Song; 3 seed items)".
    pub fn table_lines(&self) -> Vec<String> {
        self.tables.iter().map(|t| self.table_line(t)).collect()
    }

    fn table_line(&self, create: &serde_json::Value) -> String {
        let name = create["TableName"].as_str().unwrap_or("?");
        let keys: Vec<&str> = create["KeySchema"]
            .as_array()
            .map(|k| k.iter().filter_map(|k| k["AttributeName"].as_str()).collect())
            .unwrap_or_default();
        let items = self.items.iter().find(|(n, _)| n == name).map_or(0, |(_, i)| i.len());
        let seeds = if items == 1 { "1 seed item".to_string() } else { format!("{items} seed items") };
        format!("{name} (key: {}; {seeds})", keys.join(", "))
    }

    /// The names of the scenario's tables.
    pub fn table_names(&self) -> Vec<String> {
        self.tables.iter().filter_map(|t| t["TableName"].as_str().map(str::to_string)).collect()
    }
}

impl Expect {
    /// "Checks for HTTP 400, the error ConditionalCheckFailedException".
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(status) = self.status {
            parts.push(format!("HTTP {status}"));
        }
        if let Some(err) = &self.error {
            parts.push(format!("the error {err}"));
        }
        if self.response.is_some() {
            parts.push("certain values in the response".into());
        }
        format!("Checks for {}", parts.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scenario_in_words() {
        let s = Scenario::parse(
            r#"{"format": "dynaplay-scenario", "version": 1, "title": "t", "tables": [{"TableName": "Music", "BillingMode": "PAY_PER_REQUEST",
                "AttributeDefinitions": [{"AttributeName": "Artist", "AttributeType": "S"}, {"AttributeName": "Song", "AttributeType": "S"}],
                "KeySchema": [{"AttributeName": "Artist", "KeyType": "HASH"}, {"AttributeName": "Song", "KeyType": "RANGE"}]}],
                "items": {"Music": [{"Artist": {"S": "a"}, "Song": {"S": "b"}}]},
                "steps": [{"operation": "GetItem", "request": {"TableName": "Music", "Key": {"Artist": {"S": "a"}, "Song": {"S": "b"}}},
                    "expect": {"status": 400, "error": "ValidationException", "response": {"Item": {}}}}]}"#,
        )
        .unwrap();
        assert_eq!(s.table_lines(), ["Music (key: Artist, Song; 1 seed item)"]);
        assert_eq!(s.table_names(), ["Music"]);
        let expect = s.steps[0].expect.as_ref().unwrap();
        assert_eq!(
            expect.describe(),
            "Checks for HTTP 400, the error ValidationException, certain values in the response"
        );
    }
}
