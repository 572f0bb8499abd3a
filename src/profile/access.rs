//! The parts of a target's profile that say how to reach it and how hard to press it: how to
//! obtain credentials (OAuth 2.0 client credentials, extra headers), mutual TLS, and the
//! limits that keep a run polite to a shared, rate-limited sandbox (concurrency, rate, budget,
//! retries).
//!
//! ```toml
//! [targets.cdr]
//! base_url = "https://sandbox.acme.example/cds-au/v1"
//! concurrency = 4          # cases of this target in flight at once
//! rate_limit = 5           # requests per second to the target's host
//! budget = 500             # requests per run to the target's host
//! retries = 2              # extra attempts after a transient failure (default 2)
//!
//! [targets.cdr.headers]    # sent with every request
//! x-partner-id = "accord-nightly"
//! x-api-key = { env = "ACME_API_KEY" }
//!
//! [targets.cdr.oauth2]     # client-credentials grant; the token fills {{token}}
//! token_url = "https://auth.acme.example/oauth2/token"
//! client_id = "accord-nightly"
//! client_secret = { env = "ACME_CLIENT_SECRET" }
//! scope = "bank:accounts.basic:read"
//!
//! [targets.cdr.tls]        # mutual TLS; paths relative to the profile file
//! client_cert = "certs/client.pem"
//! client_key = "certs/client-key.pem"
//! ca = "certs/sandbox-ca.pem"
//! ```
//!
//! This module holds the types and the checks made when the profile is parsed; reading the
//! secrets and the PEM files happens when a run resolves its targets.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};
use toml::Spanned;

use super::{SecretSource, TargetProfile, line_col};
use crate::diag::Diagnostic;

/// OAuth 2.0 client-credentials grant (RFC 6749 §4.4).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OAuth2Profile {
    /// The authorization server's token endpoint.
    pub token_url: Spanned<String>,
    pub client_id: String,
    /// Read from the environment or a file, like every secret.
    pub client_secret: Spanned<SecretSource>,
    /// Space-separated scopes asked for; none when absent.
    pub scope: Option<String>,
    /// The variable the access token fills (default `token`).
    pub into: Option<Spanned<String>>,
    /// How the client authenticates to the token endpoint (default `basic`).
    #[serde(default)]
    pub client_auth: ClientAuth,
    /// More form fields for the token request (`audience`, `resource`).
    #[serde(default)]
    pub params: BTreeMap<String, String>,
}

impl OAuth2Profile {
    /// The variable the access token fills.
    pub fn variable(&self) -> &str {
        self.into.as_ref().map_or("token", |s| s.get_ref().as_str())
    }
}

/// How a client proves itself to the token endpoint (RFC 6749 §2.3.1).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ClientAuth {
    /// HTTP Basic with the client id and secret (what every server must support).
    #[default]
    Basic,
    /// `client_id` and `client_secret` as form fields of the request body.
    Body,
}

/// Mutual TLS: the client identity and extra trusted roots. Paths are relative to the profile.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TlsProfile {
    /// PEM certificate chain of the client, leaf first (may also hold the key).
    pub client_cert: Option<Spanned<String>>,
    /// PEM private key of the client certificate (PKCS#8, PKCS#1 or SEC1, unencrypted).
    pub client_key: Option<Spanned<String>>,
    /// PEM certificates trusted in addition to the system's roots.
    pub ca: Option<Spanned<String>>,
}

/// A header value: plain text, or a secret read from the environment or a file.
#[derive(Debug, Clone)]
pub enum HeaderValue {
    Plain(String),
    Secret(SecretSource),
}

impl<'de> Deserialize<'de> for HeaderValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = HeaderValue;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string, or a table with `env` or `file` for a secret value")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<HeaderValue, E> {
                Ok(HeaderValue::Plain(v.to_owned()))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<HeaderValue, A::Error> {
                SecretSource::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(HeaderValue::Secret)
            }
        }
        d.deserialize_any(V)
    }
}

/// Most retries a profile may ask for: more would hammer a sandbox that is down.
pub const MAX_RETRIES: u32 = 10;

/// Checks the access settings of one target, pushing each problem with its position.
pub(super) fn check(
    api: &str,
    t: &TargetProfile,
    file: &str,
    text: &str,
    problems: &mut Vec<Diagnostic>,
) {
    let mut at = |span: std::ops::Range<usize>, message: String| {
        let (line, col) = line_col(text, span.start);
        problems.push(Diagnostic::at(file, text, line, col, message));
    };
    if let Some(n) = &t.concurrency
        && *n.get_ref() == 0
    {
        at(
            n.span(),
            format!("targets.{api}.concurrency must be at least 1"),
        );
    }
    if let Some(r) = &t.rate_limit
        && !(r.get_ref().is_finite() && *r.get_ref() > 0.0)
    {
        at(
            r.span(),
            format!("targets.{api}.rate_limit must be a positive number of requests per second"),
        );
    }
    if let Some(b) = &t.budget
        && *b.get_ref() == 0
    {
        at(
            b.span(),
            format!("targets.{api}.budget must be at least 1 request"),
        );
    }
    if let Some(r) = &t.retries
        && *r.get_ref() > MAX_RETRIES
    {
        at(
            r.span(),
            format!("targets.{api}.retries is at most {MAX_RETRIES}"),
        );
    }
    for (name, value) in &t.headers {
        if reqwest::header::HeaderName::from_bytes(name.get_ref().as_bytes()).is_err() {
            at(
                name.span(),
                format!(
                    "targets.{api}.headers: `{}` is not a valid header name",
                    name.get_ref()
                ),
            );
        }
        match value.get_ref() {
            HeaderValue::Plain(v) if reqwest::header::HeaderValue::from_str(v).is_err() => at(
                value.span(),
                format!(
                    "targets.{api}.headers.{}: the value is not valid in an HTTP header",
                    name.get_ref()
                ),
            ),
            HeaderValue::Secret(s) if !s.is_well_formed() => at(
                value.span(),
                format!(
                    "targets.{api}.headers.{} needs exactly one of `env` or `file`",
                    name.get_ref()
                ),
            ),
            _ => {}
        }
    }
    if let Some(o) = &t.oauth2 {
        if !is_http_url(o.token_url.get_ref()) {
            at(
                o.token_url.span(),
                format!(
                    "targets.{api}.oauth2.token_url `{}` is not an absolute http(s) URL",
                    o.token_url.get_ref()
                ),
            );
        }
        if !o.client_secret.get_ref().is_well_formed() {
            at(
                o.client_secret.span(),
                format!("targets.{api}.oauth2.client_secret needs exactly one of `env` or `file`"),
            );
        }
        if let Some(into) = &o.into
            && !is_variable_name(into.get_ref())
        {
            at(
                into.span(),
                format!(
                    "targets.{api}.oauth2.into `{}` is not a variable name (letters, digits, `_` and `-`)",
                    into.get_ref()
                ),
            );
        }
    }
    if let Some(tls) = &t.tls
        && let (None, Some(key)) = (&tls.client_cert, &tls.client_key)
    {
        at(
            key.span(),
            format!("targets.{api}.tls.client_key needs the certificate too: add client_cert"),
        );
    }
}

fn is_http_url(text: &str) -> bool {
    url::Url::parse(text).is_ok_and(|u| matches!(u.scheme(), "http" | "https"))
}

fn is_variable_name(text: &str) -> bool {
    !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

#[cfg(test)]
mod tests {
    use super::super::Profile;
    use super::*;

    fn messages(text: &str) -> Vec<String> {
        Profile::parse("p.toml", text)
            .unwrap_err()
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn parses_every_access_setting() {
        let p = Profile::parse(
            "p.toml",
            r#"
[targets.cdr]
base_url = "https://x.example/v1"
concurrency = 2
rate_limit = 0.5
budget = 100
retries = 3
allow_destructive = true

[targets.cdr.headers]
x-partner = "acme"
x-api-key = { env = "KEY" }

[targets.cdr.oauth2]
token_url = "https://auth.example/token"
client_id = "id"
client_secret = { file = "secret.txt" }
scope = "a b"
into = "access"
client_auth = "body"
params = { audience = "https://x.example" }

[targets.cdr.tls]
client_cert = "c.pem"
client_key = "k.pem"
ca = "ca.pem"
"#,
        )
        .unwrap();
        let t = &p.targets["cdr"];
        assert_eq!(t.concurrency.as_ref().map(|c| *c.get_ref()), Some(2));
        assert_eq!(t.rate_limit.as_ref().map(|c| *c.get_ref()), Some(0.5));
        assert!(t.allow_destructive);
        let names: Vec<&str> = t.headers.keys().map(|k| k.get_ref().as_str()).collect();
        assert_eq!(names, ["x-api-key", "x-partner"]);
        assert!(matches!(
            t.headers.values().next().map(|v| v.get_ref()),
            Some(HeaderValue::Secret(_))
        ));
        let o = t.oauth2.as_ref().unwrap();
        assert_eq!(o.variable(), "access");
        assert_eq!(o.client_auth, ClientAuth::Body);
        assert_eq!(o.params["audience"], "https://x.example");
        assert_eq!(
            t.tls.as_ref().unwrap().ca.as_ref().unwrap().get_ref(),
            "ca.pem"
        );
    }

    #[test]
    fn the_documented_example_is_a_valid_profile() {
        let page = include_str!("../../docs/profiles.md");
        let start = page.find("```toml\n").unwrap() + "```toml\n".len();
        let example = &page[start..start + page[start..].find("```").unwrap()];
        let p = Profile::parse("docs/profiles.md", example).unwrap_or_else(|d| panic!("{d:?}"));
        let t = &p.targets["cdr"];
        assert!(t.oauth2.is_some() && t.tls.is_some() && t.budget.is_some());
    }

    #[test]
    fn integers_are_rates_too_and_into_defaults_to_token() {
        let p = Profile::parse(
            "p.toml",
            "[targets.a]\nrate_limit = 5\n[targets.a.oauth2]\ntoken_url = \"http://t/x\"\nclient_id = \"i\"\nclient_secret = { env = \"S\" }\n",
        )
        .unwrap();
        assert_eq!(
            p.targets["a"].rate_limit.as_ref().map(|r| *r.get_ref()),
            Some(5.0)
        );
        assert_eq!(p.targets["a"].oauth2.as_ref().unwrap().variable(), "token");
    }

    #[test]
    fn unknown_keys_in_new_tables_are_located() {
        let m = messages(
            "[targets.a.oauth2]\ntoken_url = \"http://t/x\"\nclient_id = \"i\"\nclient_secret = { env = \"S\" }\nscopes = \"x\"\n",
        );
        assert!(m[0].starts_with("p.toml:5:1: "), "{m:?}");
        assert!(m[0].contains("scopes"), "{m:?}");
        let m = messages("[targets.a.tls]\nclient_certificate = \"c.pem\"\n");
        assert!(m[0].starts_with("p.toml:2:1: "), "{m:?}");
        let m = messages(
            "[targets.a.oauth2]\ntoken_url = \"http://t/x\"\nclient_id = \"i\"\nclient_secret = { env = \"S\" }\nclient_auth = \"jwt\"\n",
        );
        assert!(m[0].starts_with("p.toml:5:15: "), "{m:?}");
    }

    #[test]
    fn inline_header_secrets_need_a_source() {
        let m = messages("[targets.a.headers]\nx-key = { value = \"abc\" }\n");
        assert!(m[0].starts_with("p.toml:2:"), "{m:?}");
        let m = messages("[targets.a.headers]\nx-key = { env = \"A\", file = \"b\" }\n");
        assert_eq!(
            m,
            ["p.toml:2:9: targets.a.headers.x-key needs exactly one of `env` or `file`"]
        );
    }

    #[test]
    fn bad_values_are_reported_where_they_are() {
        let m = messages(
            "[targets.a]\nconcurrency = 0\nrate_limit = -1\nbudget = 0\nretries = 50\n[targets.a.headers]\n\"bad name\" = \"x\"\n[targets.a.oauth2]\ntoken_url = \"ftp://t\"\nclient_id = \"i\"\nclient_secret = { env = \"S\" }\ninto = \"a b\"\n[targets.a.tls]\nclient_key = \"k.pem\"\n",
        );
        assert_eq!(
            m,
            [
                "p.toml:2:15: targets.a.concurrency must be at least 1",
                "p.toml:3:14: targets.a.rate_limit must be a positive number of requests per second",
                "p.toml:4:10: targets.a.budget must be at least 1 request",
                "p.toml:5:11: targets.a.retries is at most 10",
                "p.toml:7:1: targets.a.headers: `bad name` is not a valid header name",
                "p.toml:9:13: targets.a.oauth2.token_url `ftp://t` is not an absolute http(s) URL",
                "p.toml:12:8: targets.a.oauth2.into `a b` is not a variable name (letters, digits, `_` and `-`)",
                "p.toml:14:14: targets.a.tls.client_key needs the certificate too: add client_cert",
            ]
        );
    }
}
