//! Keeps secrets out of every output. A [`Redactor`] knows the secret values of a run (tokens
//! from the environment or files, and credentials obtained while running, such as OAuth access
//! tokens) and the header names whose values are always private, and replaces them with
//! `[redacted]` wherever text leaves the process.

use std::sync::{Arc, PoisonError, RwLock, RwLockReadGuard};

/// The replacement text for a secret.
pub const MASK: &str = "[redacted]";

/// Headers whose values never appear in output, whatever they hold.
const PRIVATE_HEADERS: &[&str] = &[
    "authorization",
    "proxy-authorization",
    "cookie",
    "set-cookie",
    "x-api-key",
    "x-akahu-id",
    "x-ivy-api-key",
];

/// Shortest value treated as a secret: masking every "a" in a report would hide evidence
/// without protecting anything.
const MIN_SECRET_LEN: usize = 4;

/// Replaces secrets in text.
///
/// Clones share one set of secrets, so a secret learnt during a run (an access token fetched
/// from a token endpoint) is masked by every clone from then on.
#[derive(Debug, Clone, Default)]
pub struct Redactor {
    secrets: Arc<RwLock<Vec<String>>>,
    /// Private headers are masked only where they hold a known secret (see
    /// [`Redactor::secrets_only`]).
    secrets_only: bool,
}

impl Redactor {
    /// A redactor for these secret values (empty and very short values are ignored).
    pub fn new(secrets: impl IntoIterator<Item = String>) -> Self {
        let r = Redactor::default();
        for s in secrets {
            r.add(s);
        }
        r
    }

    /// A redactor that masks only these secret values, leaving private headers that do not
    /// hold one as they are. Only for a record that never leaves the process: the benchmark
    /// sends a run's requests again as they went, a deliberately wrong token included.
    pub(crate) fn secrets_only(secrets: impl IntoIterator<Item = String>) -> Self {
        Redactor {
            secrets_only: true,
            ..Redactor::new(secrets)
        }
    }

    /// Adds a secret learnt during the run; every clone masks it from now on, as it is and
    /// form-encoded (the way it travels in a token request a server may echo).
    pub fn add(&self, secret: String) {
        if secret.len() < MIN_SECRET_LEN {
            return;
        }
        let encoded: String = url::form_urlencoded::byte_serialize(secret.as_bytes()).collect();
        let mut all = self.secrets.write().unwrap_or_else(PoisonError::into_inner);
        for form in [secret, encoded] {
            if !all.contains(&form) {
                all.push(form);
            }
        }
        all.sort_by_key(|s| std::cmp::Reverse(s.len()));
    }

    /// The secret values, longest first.
    pub fn secrets(&self) -> Vec<String> {
        self.secrets
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Replaces every secret value in `text`.
    pub fn text(&self, text: &str) -> String {
        self.masking().text(text)
    }

    /// [`Redactor::text`] of an owned string, which comes back as it went when it holds no
    /// secret (no copy).
    pub fn owned(&self, text: String) -> String {
        self.masking().owned(text)
    }

    /// A header value fit for output: private headers keep only their scheme (`Bearer [redacted]`).
    pub fn header(&self, name: &str, value: &str) -> String {
        self.header_owned(name, value.to_owned())
    }

    /// [`Redactor::header`] of an owned value, which comes back as it went when there is
    /// nothing to hide in it.
    pub fn header_owned(&self, name: &str, value: String) -> String {
        self.masking().header_owned(name, value)
    }

    /// The secrets as they are now, read once to mask many texts: every clone of the redactor
    /// reads the one shared set, so a record of many headers reads it once, not once a
    /// header. A secret added meanwhile waits until the masking is dropped.
    pub fn masking(&self) -> Masking<'_> {
        Masking {
            secrets: self.secrets.read().unwrap_or_else(PoisonError::into_inner),
            secrets_only: self.secrets_only,
        }
    }
}

/// A [`Redactor`]'s secrets, read once ([`Redactor::masking`]); its methods are the
/// redactor's.
pub struct Masking<'r> {
    secrets: RwLockReadGuard<'r, Vec<String>>,
    secrets_only: bool,
}

impl Masking<'_> {
    /// [`Redactor::text`].
    pub fn text(&self, text: &str) -> String {
        let mut out = text.to_owned();
        for s in self.secrets.iter() {
            if out.contains(s.as_str()) {
                out = out.replace(s.as_str(), MASK);
            }
        }
        out
    }

    /// [`Redactor::owned`].
    pub fn owned(&self, text: String) -> String {
        if self.reveals(&text) {
            return self.text(&text);
        }
        text
    }

    /// Whether `text` holds a secret, that is whether [`Masking::text`] would change it.
    pub fn reveals(&self, text: &str) -> bool {
        self.secrets.iter().any(|s| text.contains(s.as_str()))
    }

    /// [`Redactor::header_owned`].
    pub fn header_owned(&self, name: &str, value: String) -> String {
        if !self.secrets_only && PRIVATE_HEADERS.iter().any(|h| name.eq_ignore_ascii_case(h)) {
            return match value.split_once(' ') {
                Some((scheme, _)) if !scheme.is_empty() && scheme.len() < 16 => {
                    format!("{scheme} {MASK}")
                }
                _ => MASK.to_owned(),
            };
        }
        self.owned(value)
    }
}

/// A secret value that `Debug` never shows, so a logged or printed struct cannot leak it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The value itself, for the one place that sends it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(MASK)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_values_and_private_headers() {
        let r = Redactor::new(["s3cr3t-token".to_string(), "x".to_string()]);
        assert_eq!(r.text("a s3cr3t-token b x"), "a [redacted] b x");
        assert_eq!(
            r.header("Authorization", "Bearer anything"),
            "Bearer [redacted]"
        );
        assert_eq!(r.header("authorization", "rawjwt"), "[redacted]");
        assert_eq!(r.header("x-trace", "id s3cr3t-token"), "id [redacted]");
    }

    #[test]
    fn a_secrets_only_redactor_leaves_private_headers_without_a_secret() {
        let r = Redactor::secrets_only(["s3cr3t-token".to_string()]);
        assert_eq!(r.header("authorization", "Bearer wrong"), "Bearer wrong");
        assert_eq!(
            r.header("Authorization", "Bearer s3cr3t-token"),
            "Bearer [redacted]"
        );
        assert_eq!(r.text("a s3cr3t-token b"), "a [redacted] b");
        // Every other redactor still masks private headers whole.
        let r = Redactor::new(["s3cr3t-token".to_string()]);
        assert_eq!(
            r.header("authorization", "Bearer wrong"),
            "Bearer [redacted]"
        );
    }

    #[test]
    fn secrets_learnt_later_reach_every_clone() {
        let r = Redactor::new(["abcd".to_string()]);
        let clone = r.clone();
        clone.add("abcdefgh".to_string());
        clone.add("abcdefgh".to_string());
        assert_eq!(r.secrets(), ["abcdefgh", "abcd"]);
        assert_eq!(r.text("abcdefgh abcd"), "[redacted] [redacted]");
    }

    #[test]
    fn form_encoded_secrets_are_masked_too() {
        let r = Redactor::new(["p@ss word/1".to_string()]);
        assert_eq!(
            r.text("client_secret=p%40ss+word%2F1&x=1"),
            "client_secret=[redacted]&x=1"
        );
    }

    #[test]
    fn secrets_do_not_debug_print() {
        let s = Secret::new("hunter22");
        assert_eq!(format!("{s:?}"), MASK);
        assert_eq!(s.expose(), "hunter22");
    }
}
