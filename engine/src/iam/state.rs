//! What IAM knows in a workspace: principals with their keys and identity-based
//! policies, the resource-based policies attached to tables and streams, whether IAM is
//! enforced, and who the page is acting as.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::policy::{Kind, Malformed, Policy};

/// The administrator every workspace starts with.
pub const ADMIN_NAME: &str = "admin";

/// A user or a role, with its identity-based policies.
#[derive(Clone, Debug, PartialEq)]
pub struct Principal {
    pub arn: String,
    pub access_key_id: Option<String>,
    pub secret_access_key: Option<String>,
    /// `aws:PrincipalTag/<key>` values.
    pub tags: BTreeMap<String, String>,
    /// (name, document as written, parsed).
    pub policies: Vec<(String, String, Policy)>,
}

impl Principal {
    pub fn is_role(&self) -> bool {
        self.arn.split(':').nth(5).is_some_and(|r| r.starts_with("role/"))
    }

    /// The principal's name: the last part of its ARN's path.
    pub fn name(&self) -> &str {
        self.arn.rsplit('/').next().unwrap_or(&self.arn)
    }

    /// The ARN AWS names in a denial: a role acts through a session.
    pub fn caller_arn(&self) -> String {
        match (self.is_role(), super::account_of(&self.arn)) {
            (true, Some(account)) => format!("arn:aws:sts::{account}:assumed-role/{}/dynaplay", self.name()),
            _ => self.arn.clone(),
        }
    }

    /// Reads a principal as `--iam` files and workspace records write one: `arn`,
    /// `accessKeyId`, `secretAccessKey`, `tags`, `policies` (documents, or
    /// `{"name", "document"}`).
    pub fn from_record(record: &Value) -> Result<Principal, String> {
        let arn = record.get("arn").and_then(Value::as_str).ok_or("a principal needs an \"arn\"")?;
        check_principal_arn(arn)?;
        let text = |k: &str| record.get(k).and_then(Value::as_str).map(str::to_string);
        let tags = match record.get("tags") {
            Some(Value::Object(m)) => {
                crate::sorted::map(m.iter().filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string()))))
            }
            _ => BTreeMap::new(),
        };
        let mut policies = Vec::new();
        for (n, p) in record.get("policies").and_then(Value::as_array).into_iter().flatten().enumerate() {
            let (name, doc) = match p.get("document") {
                Some(doc) => (p.get("name").and_then(Value::as_str).map(str::to_string), doc),
                None => (None, p),
            };
            let name = name.unwrap_or_else(|| format!("policy-{}", n + 1));
            let text = match doc {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            let parsed =
                Policy::parse(&text, Kind::Identity).map_err(|Malformed(m)| format!("{arn}, policy {name}: {m}"))?;
            policies.push((name, text, parsed));
        }
        Ok(Principal {
            arn: arn.to_string(),
            access_key_id: text("accessKeyId"),
            secret_access_key: text("secretAccessKey"),
            tags,
            policies,
        })
    }

    pub fn record(&self) -> Value {
        let policies: Vec<Value> =
            self.policies.iter().map(|(n, text, _)| json!({"name": n, "document": text})).collect();
        let mut r = json!({"arn": self.arn, "policies": policies});
        if let Value::Object(m) = &mut r {
            if let Some(k) = &self.access_key_id {
                m.insert("accessKeyId".into(), json!(k));
            }
            if let Some(s) = &self.secret_access_key {
                m.insert("secretAccessKey".into(), json!(s));
            }
            if !self.tags.is_empty() {
                m.insert("tags".into(), json!(self.tags));
            }
        }
        r
    }
}

/// `arn:aws:iam::<12 digits>:user/<name>` or `…:role/<name>`.
pub fn check_principal_arn(arn: &str) -> Result<(), String> {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let ok = matches!(parts.as_slice(), ["arn", "aws", "iam", "", account, resource]
        if account.len() == 12 && account.chars().all(|c| c.is_ascii_digit())
            && (resource.starts_with("user/") || resource.starts_with("role/"))
            && resource.len() > 5 && !resource.ends_with('/'));
    if ok {
        Ok(())
    } else {
        Err(format!("{arn} is not a user or role ARN (arn:aws:iam::<account>:user/<name> or …:role/<name>)"))
    }
}

/// A policy attached to a table or stream (PutResourcePolicy).
#[derive(Clone, Debug, PartialEq)]
pub struct ResourcePolicy {
    pub text: String,
    pub policy: Policy,
    pub revision_id: String,
}

/// IAM in one workspace.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Iam {
    /// Whether requests are checked at all (off: everything is allowed, as before).
    pub enforce: bool,
    /// By ARN.
    pub principals: BTreeMap<String, Principal>,
    /// Who requests come from unless they say otherwise (the page's "who am I").
    pub acting_as: String,
    /// By resource ARN.
    pub resource_policies: BTreeMap<String, ResourcePolicy>,
}

/// The administrator's one policy: everything on everything.
const ADMINISTRATOR_ACCESS: &str =
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;

impl Iam {
    /// A workspace's IAM: one administrator of `account`, enforcement off.
    pub fn new(account: &str) -> Iam {
        let arn = format!("arn:aws:iam::{account}:user/{ADMIN_NAME}");
        let policy = Some(Policy::allow_all());
        let admin = Principal {
            arn: arn.clone(),
            access_key_id: None,
            secret_access_key: None,
            tags: BTreeMap::new(),
            policies: policy
                .map(|p| ("AdministratorAccess".to_string(), ADMINISTRATOR_ACCESS.to_string(), p))
                .into_iter()
                .collect(),
        };
        Iam {
            enforce: false,
            principals: BTreeMap::from([(arn.clone(), admin)]),
            acting_as: arn,
            resource_policies: BTreeMap::new(),
        }
    }

    /// The principal an access key ID belongs to.
    pub fn by_access_key(&self, key_id: &str) -> Option<&Principal> {
        self.principals.values().find(|p| p.access_key_id.as_deref() == Some(key_id))
    }

    /// Whether this is the state a new workspace starts with (nothing to save).
    pub fn is_default(&self, account: &str) -> bool {
        *self == Iam::new(account)
    }

    pub fn record(&self) -> Value {
        let principals: Vec<Value> = self.principals.values().map(Principal::record).collect();
        let policies: Vec<Value> = self
            .resource_policies
            .iter()
            .map(|(arn, p)| json!({"resourceArn": arn, "policy": p.text, "revisionId": p.revision_id}))
            .collect();
        json!({"enforce": self.enforce, "actingAs": self.acting_as, "principals": principals, "resourcePolicies": policies})
    }

    /// Reads a record written by [`Iam::record`], or an `--iam` file (which enforces
    /// unless it says `"enforce": false`).
    pub fn from_record(record: &Value) -> Result<Iam, String> {
        let mut iam = Iam { enforce: record.get("enforce").and_then(Value::as_bool).unwrap_or(true), ..Iam::default() };
        for p in
            record.get("principals").and_then(Value::as_array).ok_or("the IAM record needs \"principals\": [...]")?
        {
            let p = Principal::from_record(p)?;
            iam.principals.insert(p.arn.clone(), p);
        }
        for r in record.get("resourcePolicies").and_then(Value::as_array).into_iter().flatten() {
            let arn = r.get("resourceArn").and_then(Value::as_str).ok_or("a resource policy needs \"resourceArn\"")?;
            let text = r.get("policy").and_then(Value::as_str).ok_or("a resource policy needs \"policy\"")?;
            let policy = Policy::parse(text, Kind::Resource).map_err(|Malformed(m)| format!("{arn}: {m}"))?;
            let revision_id = r.get("revisionId").and_then(Value::as_str).unwrap_or("1").to_string();
            iam.resource_policies
                .insert(arn.to_string(), ResourcePolicy { text: text.to_string(), policy, revision_id });
        }
        let first = iam.principals.keys().next().cloned().unwrap_or_default();
        iam.acting_as = record.get("actingAs").and_then(Value::as_str).map_or(first, str::to_string);
        Ok(iam)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The administrator's policy, built without the reader, is the one the reader makes
    /// of its text (what a stored record holds).
    #[test]
    fn the_administrators_policy_is_its_text() {
        assert_eq!(Policy::parse(ADMINISTRATOR_ACCESS, Kind::Identity), Ok(Policy::allow_all()));
        let iam = Iam::new("123456789012");
        assert_eq!(Iam::from_record(&iam.record()), Ok(iam));
    }
}
