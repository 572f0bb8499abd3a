//! How accord treats one target beyond where it is: credentials to obtain, headers to add,
//! mutual TLS, limits and retries. [`Policy::from_profile`] resolves a profile's target
//! (secrets read, PEM files loaded and checked) before anything is sent, so a broken
//! certificate or a missing secret stops the run as invalid input.
//!
//! The default policy is the one for the built-in mocks and `--target` runs: no extra
//! credentials, no limits and no retries, so every answer is judged exactly as it came.

use std::path::Path;

use crate::exec::oauth::OAuth2Config;
use crate::profile::{HeaderValue, TargetProfile};
use crate::redact::Secret;

/// Retries of a profile target that does not say.
pub const DEFAULT_RETRIES: u32 = 2;

/// One target's credentials, TLS, limits and retries.
#[derive(Debug, Clone, Default)]
pub struct Policy {
    /// Extra attempts after a transient failure.
    pub retries: u32,
    /// Requests per second to the target's host.
    pub rate_limit: Option<f64>,
    /// Most requests to the target's host in the run.
    pub budget: Option<u64>,
    /// Cases of this target in flight at once.
    pub concurrency: Option<usize>,
    /// Destructive cases may go to this target although it is not on loopback.
    pub allow_destructive: bool,
    /// Headers sent with every request (lower-case names), beneath the suite's own.
    pub headers: Vec<(String, String)>,
    pub tls: Option<Tls>,
    pub oauth2: Option<OAuth2Config>,
}

/// A client identity and extra roots for the target's connections.
#[derive(Debug, Clone, Default)]
pub struct Tls {
    pub identity: Option<reqwest::Identity>,
    /// Trusted in addition to the system's roots.
    pub roots: Vec<reqwest::Certificate>,
}

impl Policy {
    /// Resolves a profile target: reads its secrets (each value is pushed to `secrets`, for the
    /// redactor) and its PEM files, relative to `dir`. Errors name the profile key at fault.
    pub fn from_profile(
        api: &str,
        t: &TargetProfile,
        dir: &Path,
        secrets: &mut Vec<String>,
    ) -> Result<Policy, Vec<String>> {
        let mut problems = Vec::new();
        let mut policy = Policy {
            retries: t.retries.as_ref().map_or(DEFAULT_RETRIES, |r| *r.get_ref()),
            rate_limit: t.rate_limit.as_ref().map(|r| *r.get_ref()),
            budget: t.budget.as_ref().map(|b| *b.get_ref()),
            concurrency: t.concurrency.as_ref().map(|c| *c.get_ref()),
            allow_destructive: t.allow_destructive,
            ..Policy::default()
        };
        for (name, value) in &t.headers {
            let name = name.get_ref().to_ascii_lowercase();
            match value.get_ref() {
                HeaderValue::Plain(v) => policy.headers.push((name, v.clone())),
                HeaderValue::Secret(s) => match s.read(dir) {
                    Ok(v) => {
                        secrets.push(v.clone());
                        policy.headers.push((name, v));
                    }
                    Err(e) => problems.push(format!("targets.{api}.headers.{name}: {e}")),
                },
            }
        }
        if let Some(o) = &t.oauth2 {
            match o.client_secret.get_ref().read(dir) {
                Ok(secret) => {
                    secrets.push(secret.clone());
                    policy.oauth2 = Some(OAuth2Config {
                        token_url: o.token_url.get_ref().clone(),
                        client_id: o.client_id.clone(),
                        client_secret: Secret::new(secret),
                        scope: o.scope.clone(),
                        variable: o.variable().to_owned(),
                        client_auth: o.client_auth,
                        params: o.params.clone().into_iter().collect(),
                    });
                }
                Err(e) => problems.push(format!("targets.{api}.oauth2.client_secret: {e}")),
            }
        }
        if let Some(tls) = &t.tls {
            match load_tls(api, tls, dir) {
                Ok(loaded) => policy.tls = Some(loaded),
                Err(e) => problems.push(e),
            }
        }
        if problems.is_empty() {
            Ok(policy)
        } else {
            Err(problems)
        }
    }
}

fn load_tls(api: &str, tls: &crate::profile::TlsProfile, dir: &Path) -> Result<Tls, String> {
    let read = |key: &str, file: &str| {
        let path = dir.join(file);
        std::fs::read(&path).map_err(|e| {
            format!(
                "targets.{api}.tls.{key}: cannot read `{}`: {e}",
                path.display()
            )
        })
    };
    let mut out = Tls::default();
    if let Some(cert) = &tls.client_cert {
        let mut pem = read("client_cert", cert.get_ref())?;
        if let Some(key) = &tls.client_key {
            pem.push(b'\n');
            pem.extend(read("client_key", key.get_ref())?);
        }
        let text = String::from_utf8_lossy(&pem);
        if text.contains("ENCRYPTED") {
            return Err(format!(
                "targets.{api}.tls: the private key is encrypted; give an unencrypted PKCS#8, PKCS#1 or SEC1 key (`openssl pkcs8 -topk8 -nocrypt`)"
            ));
        }
        if !text.contains("PRIVATE KEY-----") {
            return Err(format!(
                "targets.{api}.tls: no private key in client_cert; give client_key"
            ));
        }
        if !text.contains("-----BEGIN CERTIFICATE-----") {
            return Err(format!(
                "targets.{api}.tls.client_cert: no PEM certificate in `{}`",
                cert.get_ref()
            ));
        }
        let identity = reqwest::Identity::from_pem(&pem).map_err(|e| {
            format!("targets.{api}.tls: the client certificate and key are not usable: {e}")
        })?;
        out.identity = Some(identity);
    }
    if let Some(ca) = &tls.ca {
        let pem = read("ca", ca.get_ref())?;
        let roots = reqwest::Certificate::from_pem_bundle(&pem)
            .ok()
            .filter(|r| !r.is_empty())
            .ok_or_else(|| {
                format!(
                    "targets.{api}.tls.ca: no PEM certificate in `{}`",
                    ca.get_ref()
                )
            })?;
        out.roots = roots;
    }
    super::http::client_for(&super::Limits::default(), Some(&out))
        .map_err(|e| format!("targets.{api}.tls: {e}"))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::Profile;

    const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/tls");

    fn target(text: &str) -> TargetProfile {
        Profile::parse("p.toml", text).unwrap().targets["a"].clone()
    }

    #[test]
    fn profile_targets_retry_twice_unless_told() {
        let mut secrets = Vec::new();
        let p = Policy::from_profile("a", &target("[targets.a]\n"), Path::new("."), &mut secrets)
            .unwrap();
        assert_eq!(p.retries, DEFAULT_RETRIES);
        assert_eq!(Policy::default().retries, 0);
        let p = Policy::from_profile(
            "a",
            &target("[targets.a]\nretries = 0\nbudget = 3\n"),
            Path::new("."),
            &mut secrets,
        )
        .unwrap();
        assert_eq!((p.retries, p.budget), (0, Some(3)));
    }

    #[test]
    fn header_and_client_secrets_are_read_and_kept_for_redaction() {
        let dir = std::env::temp_dir().join(format!("accord-policy-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("client-secret"), "client-secret-9f2\n").unwrap();
        std::fs::write(dir.join("key"), "header-key-77ab").unwrap();
        let t = target(
            "[targets.a.headers]\nX-Partner = \"acme\"\nx-key = { file = \"key\" }\n[targets.a.oauth2]\ntoken_url = \"https://auth.example/t\"\nclient_id = \"me\"\nclient_secret = { file = \"client-secret\" }\n",
        );
        let mut secrets = Vec::new();
        let p = Policy::from_profile("a", &t, &dir, &mut secrets).unwrap();
        assert_eq!(
            p.headers,
            [
                ("x-partner".to_owned(), "acme".to_owned()),
                ("x-key".to_owned(), "header-key-77ab".to_owned())
            ]
        );
        assert_eq!(secrets, ["header-key-77ab", "client-secret-9f2"]);
        let o = p.oauth2.unwrap();
        assert_eq!(o.client_secret.expose(), "client-secret-9f2");
        assert_eq!(o.variable, "token");
        assert!(!format!("{o:?}").contains("client-secret-9f2"));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn missing_secrets_name_their_key() {
        let t = target(
            "[targets.a.oauth2]\ntoken_url = \"https://auth.example/t\"\nclient_id = \"me\"\nclient_secret = { env = \"ACCORD_TEST_UNSET_SECRET_1\" }\n",
        );
        let err = Policy::from_profile("a", &t, Path::new("."), &mut Vec::new()).unwrap_err();
        assert_eq!(
            err,
            [
                "targets.a.oauth2.client_secret: environment variable `ACCORD_TEST_UNSET_SECRET_1` is not set"
            ]
        );
    }

    #[test]
    fn tls_identity_and_roots_load_from_pem() {
        let t = target(
            "[targets.a.tls]\nclient_cert = \"client.pem\"\nclient_key = \"client-key.pem\"\nca = \"ca.pem\"\n",
        );
        let p = Policy::from_profile("a", &t, Path::new(FIXTURES), &mut Vec::new()).unwrap();
        let tls = p.tls.unwrap();
        assert!(tls.identity.is_some());
        assert_eq!(tls.roots.len(), 1);
    }

    #[test]
    fn broken_tls_files_are_input_errors() {
        let dir = Path::new(FIXTURES);
        let err = |text: &str| {
            Policy::from_profile("a", &target(text), dir, &mut Vec::new()).unwrap_err()[0].clone()
        };
        assert!(
            err("[targets.a.tls]\nclient_cert = \"client.pem\"\n")
                .contains("no private key in client_cert")
        );
        assert!(
            err("[targets.a.tls]\nclient_cert = \"nope.pem\"\nclient_key = \"client-key.pem\"\n")
                .starts_with("targets.a.tls.client_cert: cannot read")
        );
        assert!(
            err("[targets.a.tls]\nclient_cert = \"client-key.pem\"\nclient_key = \"client-key.pem\"\n")
                .contains("no PEM certificate")
        );
        assert!(
            err("[targets.a.tls]\nca = \"README.md\"\n").contains("tls.ca: no PEM certificate")
        );
    }
}
