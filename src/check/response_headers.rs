//! `response-headers`: headers the spec declares as required for the status are present, and
//! every declared header that is present is valid against its schema.

use super::{Check, Output, StepContext};
use crate::finding::{Finding, Where};

pub struct ResponseHeaders;

impl Check for ResponseHeaders {
    fn id(&self) -> &'static str {
        "response-headers"
    }
    fn summary(&self) -> &'static str {
        "Declared response headers are present when required and valid when present"
    }
    fn rule(&self) -> &'static str {
        "OpenAPI 3 Header Object (`required`, `schema`)"
    }
    fn automatic(&self) -> bool {
        true
    }
    fn run(&self, cx: &StepContext<'_>, out: &mut Output) {
        let Some(resp) = cx.documented_response() else {
            return;
        };
        for h in &resp.headers {
            if h.name == "content-type" {
                continue;
            }
            let loc = || {
                Some(format!(
                    "{}/headers/{}",
                    resp.location,
                    crate::pointer::escape(&h.name)
                ))
            };
            match cx.response.header(&h.name) {
                None if h.required => out.findings.push(
                    Finding::new(
                        self.id(),
                        cx.step,
                        Where::header(&h.name),
                        format!("required header `{}` is missing", h.name),
                    )
                    .expected("present")
                    .actual("missing")
                    .rule(self.rule())
                    .spec_location(loc()),
                ),
                None => {}
                Some(value) => {
                    let Some(schema) = h.schema else { continue };
                    let violations = cx.spec.validate_header(schema, value);
                    for v in violations
                        .into_iter()
                        .filter(|v| !super::response_schema::is_domain_format(v))
                    {
                        out.findings.push(
                            Finding::new(
                                self.id(),
                                cx.step,
                                Where::header(&h.name),
                                format!("header `{}` is invalid: {}", h.name, v.message),
                            )
                            .actual(value.to_owned())
                            .rule(self.rule())
                            .spec_location(Some(v.spec_location)),
                        );
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::check::testing::Fixture;

    #[test]
    fn required_and_invalid_headers() {
        let f = Fixture::new("expect: {status: 200}");
        assert!(
            f.run_auto(
                200,
                &[("content-type", "application/json"), ("x-v", "2")],
                r#"{"n":1}"#
            )
            .is_empty()
        );
        assert_eq!(
            f.run_auto(200, &[("content-type", "application/json")], r#"{"n":1}"#),
            vec!["[response-headers] header x-v: required header `x-v` is missing"]
        );
        let got = f.run_auto(
            200,
            &[("content-type", "application/json"), ("x-v", "two")],
            r#"{"n":1}"#,
        );
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(
            got[0].starts_with("[response-headers] header x-v: header `x-v` is invalid: "),
            "{got:?}"
        );
    }
}
