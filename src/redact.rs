//! Keeps secrets out of every output. A [`Redactor`] knows the secret values of a run (tokens
//! from the environment or files) and the header names whose values are always private, and
//! replaces them with `[redacted]` wherever text leaves the process.

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

/// Replaces secrets in text.
#[derive(Debug, Clone, Default)]
pub struct Redactor {
    secrets: Vec<String>,
}

impl Redactor {
    /// A redactor for these secret values (empty and very short values are ignored: masking
    /// every "a" in a report would hide evidence without protecting anything).
    pub fn new(secrets: impl IntoIterator<Item = String>) -> Self {
        let mut secrets: Vec<String> = secrets.into_iter().filter(|s| s.len() >= 4).collect();
        secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
        secrets.dedup();
        Redactor { secrets }
    }

    /// The secret values, longest first.
    pub fn secrets(&self) -> &[String] {
        &self.secrets
    }

    /// Replaces every secret value in `text`.
    pub fn text(&self, text: &str) -> String {
        let mut out = text.to_owned();
        for s in &self.secrets {
            if out.contains(s.as_str()) {
                out = out.replace(s.as_str(), MASK);
            }
        }
        out
    }

    /// A header value fit for output: private headers keep only their scheme (`Bearer [redacted]`).
    pub fn header(&self, name: &str, value: &str) -> String {
        if PRIVATE_HEADERS.iter().any(|h| name.eq_ignore_ascii_case(h)) {
            return match value.split_once(' ') {
                Some((scheme, _)) if !scheme.is_empty() && scheme.len() < 16 => {
                    format!("{scheme} {MASK}")
                }
                _ => MASK.to_owned(),
            };
        }
        self.text(value)
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
}
