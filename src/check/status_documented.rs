//! `status-documented`: the response status is documented for the operation (exactly, by a
//! `4XX`-style range, or by `default`), or by the suite: a status the step's `expect.status`
//! lists, any 4xx for a request generated to break a rule when the declaration accepts any
//! client error (RFC 9110 15.5), or a status one of the API's protocol declarations documents
//! (a `protocol.auth` refusal, an error catalogue entry, a version or paging refusal). A status
//! a protocol declaration documents and the spec does not is reported as a choice naming the
//! declaration, so a run against the provider's own file says where such a status was
//! documented.

use super::{Check, Output, StepContext};
use crate::finding::{Finding, Where};

pub struct StatusDocumented;

impl Check for StatusDocumented {
    fn id(&self) -> &'static str {
        "status-documented"
    }
    fn summary(&self) -> &'static str {
        "The response status is documented for the operation"
    }
    fn rule(&self) -> &'static str {
        "OpenAPI 3 Responses Object: the responses an operation may return"
    }
    fn automatic(&self) -> bool {
        true
    }
    fn run(&self, cx: &StepContext<'_>, out: &mut Output) {
        let Some(op) = cx.operation else {
            out.findings.push(
                Finding::new(
                    self.id(),
                    cx.step,
                    Where::exchange(),
                    format!(
                        "{} {} matches no operation of the spec; spec checks were skipped",
                        cx.exchange.request.method, cx.exchange.request.url
                    ),
                )
                .warning()
                .rule(self.rule()),
            );
            return;
        };
        if cx.documented_response().is_some() {
            return;
        }
        if let Some(d) = cx
            .protocol
            .and_then(|p| p.documents_status(&op.name(), cx.response.status))
        {
            let listed: Vec<&str> = op.responses.iter().map(|r| r.status.as_str()).collect();
            let mut choice = cx.choice(
                format!(
                    "a status {} lists for {} ({}) or one the suite documents",
                    cx.spec.file,
                    op.name(),
                    listed.join(", ")
                ),
                format!(
                    "status {}, documented by {}",
                    cx.response.status, d.declaration
                ),
            );
            choice.source = Some(d.requirement);
            let here = cx.suite.file.protocol.is_some();
            choice.suite_location = here.then(|| cx.suite.location(&d.pointer));
            out.choices.push(choice);
            return;
        }
        if declared(cx) {
            return;
        }
        let documented: Vec<&str> = op.responses.iter().map(|r| r.status.as_str()).collect();
        out.findings.push(
            Finding::new(
                self.id(),
                cx.step,
                Where::status(),
                format!(
                    "status {} is not documented for {}",
                    cx.response.status,
                    op.name()
                ),
            )
            .expected(format!("one of {}", documented.join(", ")))
            .actual(cx.response.status.to_string())
            .rule(self.rule())
            .spec_location(Some(format!("{}/responses", op.location))),
        );
    }
}

/// True when the step's own declaration documents the status.
fn declared(cx: &StepContext<'_>) -> bool {
    let status = cx.response.status;
    let listed = cx
        .expect
        .status
        .as_ref()
        .is_some_and(|s| s.contains(status));
    let any_client_error = cx
        .expect
        .negative
        .as_ref()
        .is_some_and(|b| b.statuses.is_none() && (400..500).contains(&status));
    listed || any_client_error
}

#[cfg(test)]
mod tests {
    use crate::check::testing::Fixture;

    #[test]
    fn documented_range_and_undocumented() {
        let f = Fixture::new("expect: {status: 200}");
        assert!(
            f.run_auto(
                200,
                &[("content-type", "application/json"), ("x-v", "2")],
                r#"{"n":1}"#
            )
            .is_empty()
        );
        assert!(
            f.run_auto(503, &[], "").is_empty(),
            "5XX is documented as a range"
        );
        let got = f.run_auto(418, &[], "");
        assert_eq!(
            got,
            vec!["[status-documented] status: status 418 is not documented for listThings"]
        );
    }

    #[test]
    fn the_steps_own_declaration_documents_a_status() {
        let listed = Fixture::new("expect: {status: [401, 418]}");
        assert!(listed.run_auto(418, &[], "").is_empty());
        assert_eq!(listed.run_auto(419, &[], "").len(), 1);
        let any =
            Fixture::new("expect: {headers: {x-q: {absent: true}}}").with_negative("r", "s", &[]);
        assert!(any.run_auto(418, &[], "").is_empty(), "any 4xx rejects");
        assert_eq!(any.run_auto(299, &[], "").len(), 1);
        let named = Fixture::new("expect: {headers: {x-q: {absent: true}}}").with_negative(
            "r",
            "s",
            &[400],
        );
        assert_eq!(named.run_auto(418, &[], "").len(), 1, "only the named ones");
    }

    #[test]
    fn a_protocol_declaration_documents_a_status_and_is_named_as_its_source() {
        let f = Fixture::new("expect: {status: 200}").with_protocol(
            "auth:\n  requirement: codes.401\n  request: {operation: listThings}\n  credentials:\n    - {name: token, header: authorization, scheme: bearer, value: t, missing: {status: 401}}\n",
        );
        assert!(f.run_auto(401, &[], "").is_empty());
        let out = f.output_of(401, &[], "");
        let c = &out.choices[0];
        assert_eq!(c.chosen, "status 401, documented by protocol.auth");
        assert!(
            c.allowed
                .ends_with("lists for listThings (200, 400, 5XX) or one the suite documents"),
            "{}",
            c.allowed
        );
        assert_eq!(c.source.as_deref(), Some("codes.401"));
        assert_eq!(
            f.run_auto(418, &[], ""),
            ["[status-documented] status: status 418 is not documented for listThings"]
        );
        assert!(f.output_of(200, &[], "").choices.is_empty());
    }
}
