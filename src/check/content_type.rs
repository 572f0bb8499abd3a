//! `content-type`: a response with a declared body has a Content-Type the spec declares for its
//! status (media type compared without parameters, case-insensitively; ranges like
//! `application/*` honoured).

use super::{Check, Output, StepContext};
use crate::finding::{Finding, Where};

pub struct ContentType;

impl Check for ContentType {
    fn id(&self) -> &'static str {
        "content-type"
    }
    fn summary(&self) -> &'static str {
        "The Content-Type is one the spec declares for the status"
    }
    fn rule(&self) -> &'static str {
        "OpenAPI 3 Response Object `content`; RFC 9110 §8.3 Content-Type"
    }
    fn automatic(&self) -> bool {
        true
    }
    fn run(&self, cx: &StepContext<'_>, out: &mut Output) {
        let Some(resp) = cx.documented_response() else {
            return;
        };
        if resp.content.is_empty()
            || (cx.response.body_bytes == 0 && matches!(cx.response.status, 204 | 304))
        {
            return;
        }
        let declared: Vec<&str> = resp.content.iter().map(|m| m.media_type.as_str()).collect();
        let got = cx.response.media_type();
        let ok = got
            .as_deref()
            .is_some_and(|g| declared.iter().any(|d| media_matches(d, g)));
        if ok {
            return;
        }
        let actual = cx
            .response
            .header("content-type")
            .unwrap_or("none")
            .to_owned();
        let msg = match got {
            None => format!(
                "the response has no Content-Type; the spec declares {}",
                declared.join(", ")
            ),
            Some(_) => format!(
                "Content-Type `{actual}` is not declared for status {}",
                cx.response.status
            ),
        };
        out.findings.push(
            Finding::new(self.id(), cx.step, Where::header("content-type"), msg)
                .expected(declared.join(", "))
                .actual(actual)
                .rule(self.rule())
                .spec_location(Some(format!("{}/content", resp.location))),
        );
    }
}

/// True when a received media type falls under a declared one (which may be a range).
pub fn media_matches(declared: &str, got: &str) -> bool {
    let declared = declared.split(';').next().unwrap_or("").trim();
    if declared.eq_ignore_ascii_case(got) || declared == "*/*" {
        return true;
    }
    match declared.strip_suffix("/*") {
        Some(top) => got
            .split('/')
            .next()
            .is_some_and(|t| t.eq_ignore_ascii_case(top)),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::media_matches;
    use crate::check::testing::Fixture;

    #[test]
    fn media_ranges() {
        assert!(media_matches("application/json", "application/json"));
        assert!(media_matches("application/*", "application/json"));
        assert!(media_matches("*/*", "text/plain"));
        assert!(!media_matches(
            "application/json",
            "application/problem+json"
        ));
    }

    #[test]
    fn wrong_and_missing_content_type() {
        let f = Fixture::new("expect: {status: 200}");
        assert!(
            f.run_auto(
                200,
                &[
                    ("content-type", "Application/JSON; charset=UTF-8"),
                    ("x-v", "2")
                ],
                r#"{"n":1}"#
            )
            .is_empty()
        );
        assert_eq!(
            f.run_auto(
                200,
                &[("content-type", "text/plain"), ("x-v", "2")],
                r#"{"n":1}"#
            ),
            vec![
                "[content-type] header content-type: Content-Type `text/plain` is not declared for status 200"
            ]
        );
        assert_eq!(
            f.run_auto(200, &[("x-v", "2")], r#"{"n":1}"#),
            vec![
                "[content-type] header content-type: the response has no Content-Type; the spec declares application/json"
            ]
        );
    }
}
