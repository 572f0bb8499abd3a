//! `response-schema`: the body is valid against the schema the spec declares for the status and
//! media type. A body that should be JSON and is not (empty, HTML, invalid UTF-8) fails too.

use super::content_type::media_matches;
use super::{Check, Output, StepContext};
use crate::exchange::RecordedResponse;
use crate::finding::{Finding, Where};
use crate::openapi::{Operation, SchemaRef, SchemaViolation};

pub struct ResponseSchema;

/// At most this many violations are listed per exchange; the rest are counted.
const MAX_VIOLATIONS: usize = 25;

impl Check for ResponseSchema {
    fn id(&self) -> &'static str {
        "response-schema"
    }
    fn summary(&self) -> &'static str {
        "The body is valid against the schema declared for the status and media type"
    }
    fn rule(&self) -> &'static str {
        "OpenAPI 3 Media Type Object `schema`"
    }
    fn automatic(&self) -> bool {
        true
    }
    fn run(&self, cx: &StepContext<'_>, out: &mut Output) {
        let Some(declared) = declared_body(cx) else {
            return;
        };
        let Some(json) = &cx.response.json else {
            let (msg, actual) = if cx.response.body_bytes == 0 {
                (
                    "the body is empty; the spec declares a JSON body".to_owned(),
                    "empty body".to_owned(),
                )
            } else {
                let head: String = cx.response.body.chars().take(120).collect();
                ("the body is not valid JSON".to_owned(), head)
            };
            out.findings.push(
                Finding::new(self.id(), cx.step, Where::body(""), msg)
                    .expected(format!("JSON ({})", declared.media_type))
                    .actual(actual)
                    .rule(self.rule())
                    .spec_location(Some(declared.location())),
            );
            return;
        };
        let found = cx.violations_of(&declared, json);
        let violations: Vec<_> = found.iter().filter(|v| !is_domain_format(v)).collect();
        let total = violations.len();
        for v in violations.into_iter().take(MAX_VIOLATIONS) {
            out.findings.push(
                Finding::new(
                    self.id(),
                    cx.step,
                    Where::body(&v.instance_path),
                    v.message.clone(),
                )
                .rule(self.rule())
                .spec_location(Some(v.spec_location.clone())),
            );
        }
        if total > MAX_VIOLATIONS {
            out.findings.push(
                Finding::new(
                    self.id(),
                    cx.step,
                    Where::body(""),
                    format!(
                        "{} more schema violations not listed",
                        total - MAX_VIOLATIONS
                    ),
                )
                .rule(self.rule())
                .spec_location(Some(declared.location())),
            );
        }
    }
}

/// A violation another check reports under its own name (`cds-type`), left out here so each
/// broken rule is reported once.
pub(super) fn is_domain_format(v: &SchemaViolation) -> bool {
    v.keyword() == "x-cds-type"
}

/// The JSON body schema the spec declares for a response, and where.
pub(super) struct DeclaredBody<'s> {
    pub schema: SchemaRef,
    pub media_type: &'s str,
    /// Where the response is documented (`file#/paths/.../responses/200`).
    response_at: &'s str,
}

impl DeclaredBody<'_> {
    /// `file#/paths/.../content/<media>/schema`, written out only for a finding.
    pub fn location(&self) -> String {
        format!(
            "{}/content/{}/schema",
            self.response_at,
            crate::pointer::escape(self.media_type)
        )
    }
}

/// The schema declared for the received status and media type (JSON media types only).
pub(super) fn declared_body<'s>(cx: &StepContext<'s>) -> Option<DeclaredBody<'s>> {
    declared_body_of(cx.operation, cx.response)
}

/// [`declared_body`] for a response to an operation.
pub(super) fn declared_body_of<'s>(
    operation: Option<&'s Operation>,
    response: &RecordedResponse,
) -> Option<DeclaredBody<'s>> {
    let resp = super::documented_response(operation?, response.status)?;
    let got = response.media_type();
    let media = match &got {
        Some(g) => resp
            .content
            .iter()
            .find(|m| media_matches(&m.media_type, g)),
        None => resp.content.iter().find(|m| is_json(&m.media_type)),
    }?;
    let schema = media.schema?;
    if !is_json(&media.media_type) && !got.as_deref().is_some_and(is_json) {
        return None;
    }
    Some(DeclaredBody {
        schema,
        media_type: &media.media_type,
        response_at: &resp.location,
    })
}

fn is_json(media: &str) -> bool {
    let m = media.split(';').next().unwrap_or("").trim();
    let suffix = m.len().checked_sub(5).map(|at| &m.as_bytes()[at..]);
    m.eq_ignore_ascii_case("application/json")
        || suffix.is_some_and(|s| s.eq_ignore_ascii_case(b"+json"))
        || m == "*/*"
        || m.eq_ignore_ascii_case("application/*")
}

#[cfg(test)]
mod tests {
    use crate::check::testing::Fixture;

    #[test]
    fn valid_invalid_and_non_json() {
        let f = Fixture::new("expect: {status: 200}");
        let h = [("content-type", "application/json"), ("x-v", "2")];
        assert!(f.run_auto(200, &h, r#"{"n":1}"#).is_empty());
        let got = f.run_auto(200, &h, r#"{"n":"one"}"#);
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(got[0].starts_with("[response-schema] body /n: "), "{got:?}");
        assert_eq!(
            f.run_auto(200, &h, "<html>"),
            vec!["[response-schema] body: the body is not valid JSON"]
        );
        assert_eq!(
            f.run_auto(200, &h, ""),
            vec!["[response-schema] body: the body is empty; the spec declares a JSON body"]
        );
    }
}
