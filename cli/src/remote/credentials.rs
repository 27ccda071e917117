//! The standard AWS credential sources `--endpoint` signs with, in the SDKs' order: the
//! environment (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`), then
//! the profile (`AWS_PROFILE`, else `default`) in the shared credentials file and the
//! config file. The region comes from `AWS_REGION`, `AWS_DEFAULT_REGION`, the profile's
//! `region`, the endpoint's host (`dynamodb.<region>.amazonaws.com`), else `us-east-1`.
//! Single sign-on, role assumption, `credential_process` and instance metadata are not
//! read.

use std::path::PathBuf;

use ini::Ini;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Credentials {
    pub key_id: String,
    pub secret: String,
    pub token: Option<String>,
}

/// Where the sources are read from: the environment, and the home folder.
pub struct Sources<'a> {
    pub env: &'a dyn Fn(&str) -> Option<String>,
    pub home: Option<PathBuf>,
}

impl Sources<'_> {
    fn var(&self, name: &str) -> Option<String> {
        (self.env)(name).filter(|v| !v.is_empty())
    }

    fn file(&self, variable: &str, default: &str) -> Option<Ini> {
        let path = self.var(variable).map(PathBuf::from).or_else(|| self.home.as_ref().map(|h| h.join(default)))?;
        Ini::load_from_file(path).ok()
    }

    fn profile(&self) -> String {
        self.var("AWS_PROFILE").unwrap_or_else(|| "default".to_string())
    }

    /// A key of the profile's section: `[name]` in the credentials file, `[profile name]`
    /// (or `[default]`) in the config file.
    fn profile_value(&self, key: &str) -> Option<String> {
        let name = self.profile();
        let from_credentials = self
            .file("AWS_SHARED_CREDENTIALS_FILE", ".aws/credentials")
            .and_then(|ini| ini.section(Some(name.as_str())).and_then(|s| s.get(key)).map(str::to_string));
        from_credentials.or_else(|| {
            let config = self.file("AWS_CONFIG_FILE", ".aws/config")?;
            let section = if name == "default" { name.clone() } else { format!("profile {name}") };
            config.section(Some(section.as_str())).and_then(|s| s.get(key)).map(str::to_string)
        })
    }

    pub fn credentials(&self) -> Result<Credentials, String> {
        if let (Some(key_id), Some(secret)) = (self.var("AWS_ACCESS_KEY_ID"), self.var("AWS_SECRET_ACCESS_KEY")) {
            return Ok(Credentials { key_id, secret, token: self.var("AWS_SESSION_TOKEN") });
        }
        match (self.profile_value("aws_access_key_id"), self.profile_value("aws_secret_access_key")) {
            (Some(key_id), Some(secret)) => {
                Ok(Credentials { key_id, secret, token: self.profile_value("aws_session_token") })
            }
            _ => Err(format!(
                "no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or give the profile {} \
                 aws_access_key_id and aws_secret_access_key in ~/.aws/credentials",
                self.profile()
            )),
        }
    }

    pub fn region(&self, host: &str) -> String {
        let from_host = || {
            let rest = host.strip_prefix("dynamodb.").or_else(|| host.strip_prefix("streams.dynamodb."))?;
            rest.split('.').next().filter(|r| !r.is_empty()).map(str::to_string)
        };
        self.var("AWS_REGION")
            .or_else(|| self.var("AWS_DEFAULT_REGION"))
            .or_else(|| self.profile_value("region"))
            .or_else(from_host)
            .unwrap_or_else(|| "us-east-1".to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sources<'a>(env: &'a dyn Fn(&str) -> Option<String>, home: Option<PathBuf>) -> Sources<'a> {
        Sources { env, home }
    }

    #[test]
    fn the_environment_comes_first_then_the_profile_files() {
        let env = |k: &str| match k {
            "AWS_ACCESS_KEY_ID" => Some("AKID".to_string()),
            "AWS_SECRET_ACCESS_KEY" => Some("secret".to_string()),
            _ => None,
        };
        let c = sources(&env, None).credentials().unwrap();
        assert_eq!(c, Credentials { key_id: "AKID".into(), secret: "secret".into(), token: None });

        let home = std::env::temp_dir().join(format!("dynaplay-creds-{}", std::process::id()));
        std::fs::create_dir_all(home.join(".aws")).unwrap();
        std::fs::write(
            home.join(".aws/credentials"),
            "[default]\naws_access_key_id = D\naws_secret_access_key = ds\n[teach]\naws_access_key_id = T\naws_secret_access_key = ts\naws_session_token = tok\n",
        )
        .unwrap();
        std::fs::write(
            home.join(".aws/config"),
            "[default]\nregion = eu-west-1\n[profile teach]\nregion = ap-south-1\n",
        )
        .unwrap();
        let none = |_: &str| None;
        let s = sources(&none, Some(home.clone()));
        assert_eq!(s.credentials().unwrap().key_id, "D");
        assert_eq!(s.region("localhost:8000"), "eu-west-1");
        let teach = |k: &str| (k == "AWS_PROFILE").then(|| "teach".to_string());
        let s = sources(&teach, Some(home.clone()));
        let c = s.credentials().unwrap();
        assert_eq!((c.key_id.as_str(), c.token.as_deref()), ("T", Some("tok")));
        assert_eq!(s.region("localhost"), "ap-south-1");
        let _ = std::fs::remove_dir_all(&home);
    }

    #[test]
    fn without_credentials_the_error_says_where_they_are_looked_for() {
        let none = |_: &str| None;
        let e = sources(&none, None).credentials().unwrap_err();
        assert!(e.starts_with("no AWS credentials: set AWS_ACCESS_KEY_ID"), "{e}");
        assert_eq!(sources(&none, None).region("dynamodb.eu-north-1.amazonaws.com"), "eu-north-1");
        assert_eq!(sources(&none, None).region("127.0.0.1:8000"), "us-east-1");
    }
}
