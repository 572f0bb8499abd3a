//! Environment profiles: where each API's implementation lives and the data and secrets a suite
//! needs there, in one TOML file.
//!
//! ```toml
//! name = "acme-sandbox"
//!
//! [targets.cdr]
//! base_url = "https://sandbox.acme.example/cds-au/v1"
//!
//! [targets.cdr.vars]
//! customer = "c-123"
//!
//! [targets.cdr.secrets]
//! token = { env = "ACME_CDR_TOKEN" }          # or { file = "/run/secrets/cdr-token" }
//! ```
//!
//! Secrets are never written inline: they come from environment variables or files and are
//! redacted from every output. A variable a suite `requires` that the profile lacks is read from
//! the environment variable `ACCORD_<API>_<NAME>` (upper case, `-` as `_`), also as a secret.
//!
//! How to obtain credentials (OAuth 2.0, extra headers), mutual TLS and the limits of a run
//! (concurrency, rate, budget, retries) are described in [`access`]. How strictly a run is
//! judged (warnings as failures, when a run is inconclusive) is the `[verdict]` table,
//! [`VerdictPolicy`].

pub mod access;

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use crate::diag::Diagnostic;
pub use access::{ClientAuth, HeaderValue, OAuth2Profile, TlsProfile};

/// A parsed profile file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// Shown in reports (never a secret).
    pub name: Option<String>,
    /// Seconds the whole run may take; `--deadline` overrides it.
    pub deadline_secs: Option<Spanned<f64>>,
    #[serde(default)]
    pub targets: BTreeMap<String, TargetProfile>,
    /// How strictly the run is judged.
    #[serde(default)]
    pub verdict: VerdictPolicy,
}

/// The `[verdict]` table: how strictly a run against this environment is judged.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VerdictPolicy {
    /// Count every warning as a failure (as `--fail-on warnings` does).
    #[serde(default)]
    pub fail_on_warnings: bool,
    /// An API whose share of cases skipped for missing data is above this is inconclusive
    /// (default [`crate::run::assess::MAX_SKIPPED`]).
    pub max_skipped: Option<Spanned<f64>>,
    /// An API whose share of answers that were 401, 403 or 404 without the step asking for a
    /// refusal is above this is inconclusive (default [`crate::run::assess::MAX_REFUSED`]).
    pub max_refused: Option<Spanned<f64>>,
}

/// One API's target.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetProfile {
    pub base_url: Option<String>,
    /// Plain (non-secret) variables.
    #[serde(default)]
    pub vars: BTreeMap<String, String>,
    /// Secret variables, each read from the environment or a file.
    #[serde(default)]
    pub secrets: BTreeMap<String, SecretSource>,
    /// Per-request timeout in seconds (default 30).
    pub timeout_secs: Option<u64>,
    /// Cases of this target in flight at once (never more than the run's `--concurrency`).
    pub concurrency: Option<Spanned<usize>>,
    /// Requests per second to the target's host.
    pub rate_limit: Option<Spanned<f64>>,
    /// Most requests sent to the target's host in one run.
    pub budget: Option<Spanned<u64>>,
    /// Extra attempts after a transient failure (default 2).
    pub retries: Option<Spanned<u32>>,
    /// Send destructive cases even though the target is not on loopback.
    #[serde(default)]
    pub allow_destructive: bool,
    /// Headers sent with every request; a suite's own headers take precedence.
    #[serde(default)]
    pub headers: BTreeMap<Spanned<String>, Spanned<HeaderValue>>,
    /// Access tokens obtained by the OAuth 2.0 client-credentials grant.
    pub oauth2: Option<OAuth2Profile>,
    /// Mutual TLS and extra trusted roots.
    pub tls: Option<TlsProfile>,
}

/// Where a secret comes from.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecretSource {
    pub env: Option<String>,
    pub file: Option<String>,
}

impl SecretSource {
    /// True when exactly one of `env` and `file` is given.
    pub fn is_well_formed(&self) -> bool {
        self.env.is_some() != self.file.is_some()
    }

    /// Reads the secret; the error says where it looked, never the value.
    pub fn read(&self, base: &Path) -> Result<String, String> {
        match (&self.env, &self.file) {
            (Some(var), None) => {
                std::env::var(var).map_err(|_| format!("environment variable `{var}` is not set"))
            }
            (None, Some(file)) => {
                let path = base.join(file);
                std::fs::read_to_string(&path)
                    .map(|s| s.trim_end_matches(['\r', '\n']).to_owned())
                    .map_err(|e| format!("cannot read secret file `{}`: {e}", path.display()))
            }
            _ => Err("a secret needs exactly one of `env` or `file`".to_owned()),
        }
    }
}

impl Profile {
    /// Reads and parses a profile file; errors carry `file:line:col`.
    pub fn load(path: &Path) -> Result<Profile, Vec<Diagnostic>> {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path)
            .map_err(|e| vec![Diagnostic::file(&file, format!("cannot read profile: {e}"))])?;
        Profile::parse(&file, &text)
    }

    /// Parses profile text.
    pub fn parse(file: &str, text: &str) -> Result<Profile, Vec<Diagnostic>> {
        let profile: Profile = toml::from_str(text).map_err(|e| {
            let (line, col) = e.span().map(|s| line_col(text, s.start)).unwrap_or((0, 0));
            let msg = e.message().trim().to_owned();
            vec![Diagnostic::at(
                file,
                text,
                line,
                col,
                format!("invalid profile: {msg}"),
            )]
        })?;
        let mut problems = Vec::new();
        let located = |(line, col): (usize, usize), message: String| {
            Diagnostic::at(file, text, line, col, message)
        };
        if let Some(d) = &profile.deadline_secs
            && !(d.get_ref().is_finite() && *d.get_ref() > 0.0 && *d.get_ref() < 1e9)
        {
            problems.push(located(
                line_col(text, d.span().start),
                "deadline_secs must be a positive number of seconds".to_owned(),
            ));
        }
        for (api, t) in &profile.targets {
            if let Some(url) = &t.base_url
                && url::Url::parse(url)
                    .map(|u| !matches!(u.scheme(), "http" | "https"))
                    .unwrap_or(true)
            {
                problems.push(located(
                    find(text, url),
                    format!("targets.{api}.base_url `{url}` is not an absolute http(s) URL"),
                ));
            }
            access::check(api, t, file, text, &mut problems);
            for (name, s) in &t.secrets {
                if !s.is_well_formed() {
                    problems.push(located(
                        find(text, name),
                        format!(
                            "targets.{api}.secrets.{name} needs exactly one of `env` or `file`"
                        ),
                    ));
                }
            }
        }
        for (key, share) in [
            ("max_skipped", &profile.verdict.max_skipped),
            ("max_refused", &profile.verdict.max_refused),
        ] {
            if let Some(v) = share
                && !(0.0..=1.0).contains(v.get_ref())
            {
                problems.push(located(
                    line_col(text, v.span().start),
                    format!(
                        "verdict.{key} is a share of the API's cases or answers, from 0 to 1, not {}",
                        v.get_ref()
                    ),
                ));
            }
        }
        if problems.is_empty() {
            Ok(profile)
        } else {
            Err(problems)
        }
    }
}

/// The environment variable that supplies a required variable missing from the profile.
pub fn env_var_name(api: &str, var: &str) -> String {
    format!("ACCORD_{}_{}", api, var)
        .to_ascii_uppercase()
        .replace('-', "_")
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before
        .rsplit('\n')
        .next()
        .map(|l| l.chars().count())
        .unwrap_or(0)
        + 1;
    (line, col)
}

fn find(text: &str, needle: &str) -> (usize, usize) {
    text.find(needle)
        .map(|o| line_col(text, o))
        .unwrap_or((0, 0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_deadline_is_a_positive_number_of_seconds() {
        let p = Profile::parse("p.toml", "deadline_secs = 90\n").unwrap();
        assert_eq!(p.deadline_secs.map(|d| *d.get_ref()), Some(90.0));
        let d = Profile::parse("p.toml", "name = \"x\"\ndeadline_secs = -1\n").unwrap_err();
        assert_eq!(
            d[0].to_string(),
            "p.toml:2:17: deadline_secs must be a positive number of seconds"
        );
    }

    #[test]
    fn parses_targets_and_secret_sources() {
        let p = Profile::parse(
            "p.toml",
            "name = \"sb\"\n[targets.cdr]\nbase_url = \"https://x.example/cds-au/v1\"\n[targets.cdr.secrets]\ntoken = { env = \"T\" }\n",
        )
        .unwrap();
        assert_eq!(p.targets["cdr"].secrets["token"].env.as_deref(), Some("T"));
    }

    #[test]
    fn unknown_keys_are_located() {
        let err = Profile::parse("p.toml", "[targets.cdr]\nbase_ur = \"x\"\n").unwrap_err();
        assert_eq!(err[0].line, 2, "{err:?}");
        assert!(err[0].message.contains("base_ur"), "{}", err[0].message);
    }

    #[test]
    fn inline_secrets_are_impossible() {
        let err = Profile::parse("p.toml", "[targets.cdr.secrets]\ntoken = \"abc\"\n").unwrap_err();
        assert_eq!(err[0].line, 2);
    }

    #[test]
    fn bad_urls_are_rejected() {
        let err = Profile::parse("p.toml", "[targets.cdr]\nbase_url = \"ftp://x\"\n").unwrap_err();
        assert_eq!(
            err[0].to_string(),
            "p.toml:2:13: targets.cdr.base_url `ftp://x` is not an absolute http(s) URL"
        );
    }

    #[test]
    fn verdict_policy_reads_and_bounds_its_shares() {
        let p = Profile::parse(
            "p.toml",
            "[verdict]\nfail_on_warnings = true\nmax_skipped = 0.25\n",
        )
        .unwrap();
        assert!(p.verdict.fail_on_warnings);
        let t = crate::run::assess::Thresholds::of(&p.verdict);
        assert_eq!((t.max_skipped, t.max_refused), (0.25, 0.5));
        let err = Profile::parse("p.toml", "[verdict]\nmax_refused = 1.5\n").unwrap_err();
        assert_eq!(
            err[0].to_string(),
            "p.toml:2:15: verdict.max_refused is a share of the API's cases or answers, from 0 to 1, not 1.5"
        );
        let err = Profile::parse("p.toml", "[verdict]\nfail_on = true\n").unwrap_err();
        assert!(err[0].message.contains("fail_on"), "{}", err[0].message);
    }

    #[test]
    fn env_names() {
        assert_eq!(env_var_name("cdr", "token"), "ACCORD_CDR_TOKEN");
    }
}
