//! The create-table form and the CreateTable request it describes.

use serde_json::{json, Value};

/// What the learner typed. Key types are `S`, `N` or `B` as the form's selects give them.
#[derive(Clone, Debug, PartialEq)]
pub struct TableForm {
    pub name: String,
    pub pk: String,
    pub pk_type: String,
    /// Blank for a table without a sort key.
    pub sk: String,
    pub sk_type: String,
    pub billing: String,
    pub rcu: String,
    pub wcu: String,
    /// `DynaplayTeachingScale`; 1 is AWS's real limits.
    pub scale: String,
}

impl Default for TableForm {
    fn default() -> TableForm {
        TableForm {
            name: String::new(),
            pk: "pk".into(),
            pk_type: "S".into(),
            sk: String::new(),
            sk_type: "S".into(),
            billing: "PAY_PER_REQUEST".into(),
            rcu: "5".into(),
            wcu: "5".into(),
            scale: "1".into(),
        }
    }
}

impl TableForm {
    /// The CreateTable request. What the form cannot check (a blank name, a bad throughput)
    /// is sent as typed, so the learner sees DynamoDB's own error.
    pub fn request(&self) -> Value {
        let mut defs = vec![json!({"AttributeName": self.pk, "AttributeType": self.pk_type})];
        let mut keys = vec![json!({"AttributeName": self.pk, "KeyType": "HASH"})];
        let sk = self.sk.trim();
        if !sk.is_empty() {
            defs.push(json!({"AttributeName": sk, "AttributeType": self.sk_type}));
            keys.push(json!({"AttributeName": sk, "KeyType": "RANGE"}));
        }
        let mut req = json!({"TableName": self.name.trim(), "AttributeDefinitions": defs, "KeySchema": keys,
            "BillingMode": self.billing});
        if self.billing == "PROVISIONED" {
            req["ProvisionedThroughput"] = json!({
                "ReadCapacityUnits": self.rcu.trim().parse::<i64>().unwrap_or(0),
                "WriteCapacityUnits": self.wcu.trim().parse::<i64>().unwrap_or(0)
            });
        }
        if let Ok(s) = self.scale.parse::<u64>() {
            if s > 1 {
                req["DynaplayTeachingScale"] = json!(s);
            }
        }
        req
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_aws_create_table_requests() {
        let form = TableForm {
            name: "Music".into(),
            pk: "Artist".into(),
            sk: "Song".into(),
            billing: "PROVISIONED".into(),
            rcu: "5".into(),
            wcu: "2".into(),
            scale: "1000".into(),
            ..TableForm::default()
        };
        let r = form.request();
        assert_eq!(r["KeySchema"][1], json!({"AttributeName": "Song", "KeyType": "RANGE"}));
        assert_eq!(r["ProvisionedThroughput"], json!({"ReadCapacityUnits": 5, "WriteCapacityUnits": 2}));
        assert_eq!(r["DynaplayTeachingScale"], json!(1000));
        let r = TableForm {
            name: "T".into(),
            pk: "id".into(),
            pk_type: "N".into(),
            sk: " ".into(),
            ..TableForm::default()
        }
        .request();
        assert_eq!(r["KeySchema"].as_array().unwrap().len(), 1);
        assert_eq!(r["AttributeDefinitions"], json!([{"AttributeName": "id", "AttributeType": "N"}]));
        assert!(r.get("ProvisionedThroughput").is_none() && r.get("DynaplayTeachingScale").is_none());
    }
}
