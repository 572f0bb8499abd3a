//! A curl command line that reproduces a request, for every finding's evidence. Header values
//! pass through the run's [`Redactor`] first, so a pasted line never carries a secret.

use crate::redact::Redactor;

/// Builds `curl -sS -i -X METHOD 'url' -H 'name: value' --data-raw 'body'`.
pub fn curl_line(
    method: &str,
    url: &str,
    headers: &[(String, String)],
    body: Option<&str>,
    redactor: &Redactor,
) -> String {
    let mut out = format!("curl -sS -i -X {method} {}", quote(&redactor.text(url)));
    for (name, value) in headers {
        out.push_str(" -H ");
        out.push_str(&quote(&format!("{name}: {}", redactor.header(name, value))));
    }
    if let Some(b) = body {
        out.push_str(" --data-raw ");
        out.push_str(&quote(&redactor.text(b)));
    }
    out
}

/// Single-quotes a word for POSIX shells.
fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_and_redacts() {
        let r = Redactor::new(["tok-123456".to_string()]);
        let line = curl_line(
            "GET",
            "http://h/a?q=it's",
            &[
                ("authorization".into(), "Bearer tok-123456".into()),
                ("x-v".into(), "2".into()),
            ],
            Some("{\"t\":\"tok-123456\"}"),
            &r,
        );
        assert_eq!(
            line,
            r#"curl -sS -i -X GET 'http://h/a?q=it'\''s' -H 'authorization: Bearer [redacted]' -H 'x-v: 2' --data-raw '{"t":"[redacted]"}'"#
        );
    }
}
