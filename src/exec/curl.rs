//! A curl command line that reproduces a request, for every finding's evidence. It is written
//! from the recorded request, whose header values and texts passed through the run's
//! [`crate::redact::Redactor`] already, so a pasted line never carries a secret.

use crate::exchange::RecordedRequest;

/// Builds `curl -sS -i -X METHOD 'url' -H 'name: value' --data-raw 'body'`.
pub fn curl_line(request: &RecordedRequest) -> String {
    let headers: usize = request
        .headers
        .iter()
        .map(|(n, v)| n.len() + v.len() + 8)
        .sum();
    let body = request.body.as_deref().map_or(0, |b| b.len() + 14);
    let mut out = String::with_capacity(32 + request.url.len() + headers + body);
    out.push_str("curl -sS -i -X ");
    out.push_str(&request.method);
    out.push(' ');
    quote(&mut out, &[&request.url]);
    for (name, value) in &request.headers {
        out.push_str(" -H ");
        quote(&mut out, &[name, ": ", value]);
    }
    if let Some(b) = &request.body {
        out.push_str(" --data-raw ");
        quote(&mut out, &[b]);
    }
    out
}

/// Writes the words, joined, as one single-quoted word for POSIX shells.
fn quote(out: &mut String, parts: &[&str]) {
    out.push('\'');
    for part in parts {
        for (i, piece) in part.split('\'').enumerate() {
            if i > 0 {
                out.push_str(r"'\''");
            }
            out.push_str(piece);
        }
    }
    out.push('\'');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::redact::Redactor;

    #[test]
    fn quotes_what_was_recorded_redacted() {
        let r = Redactor::new(["tok-123456".to_string()]);
        let request = RecordedRequest {
            method: "GET".into(),
            url: r.text("http://h/a?q=it's"),
            headers: vec![
                (
                    "authorization".into(),
                    r.header("authorization", "Bearer tok-123456"),
                ),
                ("x-v".into(), r.header("x-v", "2")),
            ],
            body: Some(r.text("{\"t\":\"tok-123456\"}")),
        };
        assert_eq!(
            curl_line(&request),
            r#"curl -sS -i -X GET 'http://h/a?q=it'\''s' -H 'authorization: Bearer [redacted]' -H 'x-v: 2' --data-raw '{"t":"[redacted]"}'"#
        );
    }
}
