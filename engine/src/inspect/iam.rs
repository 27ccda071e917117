//! IAM's state as the page's `#/iam` view shows it: whether it is enforced, who the page
//! acts as, each principal with its policies, and the resource policies.

use crate::engine::Engine;

/// One principal.
#[derive(Clone, Debug, PartialEq)]
pub struct PrincipalInfo {
    pub arn: String,
    pub name: String,
    pub role: bool,
    /// The ARN a denial names (a role acts through a session).
    pub caller_arn: String,
    pub access_key_id: Option<String>,
    /// (name, document as written).
    pub policies: Vec<(String, String)>,
}

/// IAM in a workspace.
#[derive(Clone, Debug, PartialEq)]
pub struct IamInfo {
    pub enforce: bool,
    pub acting_as: String,
    pub account: String,
    pub principals: Vec<PrincipalInfo>,
    /// (resource ARN, document, revision ID).
    pub resource_policies: Vec<(String, String, String)>,
}

/// `engine`'s IAM (a world's is its home region's).
pub fn iam_of(engine: &Engine) -> IamInfo {
    let iam = engine.iam();
    let principals = iam
        .principals
        .values()
        .map(|p| PrincipalInfo {
            arn: p.arn.clone(),
            name: p.name().to_string(),
            role: p.is_role(),
            caller_arn: p.caller_arn(),
            access_key_id: p.access_key_id.clone(),
            policies: p.policies.iter().map(|(n, text, _)| (n.clone(), text.clone())).collect(),
        })
        .collect();
    let resource_policies =
        iam.resource_policies.iter().map(|(arn, p)| (arn.clone(), p.text.clone(), p.revision_id.clone())).collect();
    IamInfo {
        enforce: iam.enforce,
        acting_as: iam.acting_as.clone(),
        account: engine.config.account_id.clone(),
        principals,
        resource_policies,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::engine::Config;

    #[test]
    fn a_new_workspace_has_one_administrator_and_iam_off() {
        let e = Engine::new(Config::default());
        let info = iam_of(&e);
        assert!(!info.enforce);
        assert_eq!(info.acting_as, "arn:aws:iam::000000000000:user/admin");
        assert_eq!(info.principals.len(), 1);
        assert_eq!(info.principals[0].policies[0].0, "AdministratorAccess");
    }

    #[test]
    fn roles_act_through_a_session() {
        let mut e = Engine::new(Config::default());
        let body = json!({"Arn": "arn:aws:iam::000000000000:role/Reader", "Policies": []});
        assert_eq!(
            e.request_as(
                crate::wire::Access { principal: None, owner: true },
                "PutPrincipal",
                body.to_string().as_bytes(),
                1
            )
            .status,
            200
        );
        let info = iam_of(&e);
        let reader = info.principals.iter().find(|p| p.role).unwrap();
        assert_eq!(reader.name, "Reader");
        assert_eq!(reader.caller_arn, "arn:aws:sts::000000000000:assumed-role/Reader/dynaplay");
    }
}
