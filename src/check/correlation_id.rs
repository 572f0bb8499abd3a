//! `correlation-id`: where the API declares a correlation header (`protocol.correlation`),
//! every response carries it: the request's value when the request sent one, a fresh RFC 4122
//! UUID when it did not. Error responses are bound like successes.

use super::{Check, Output, StepContext};
use crate::finding::{Finding, Where};
use crate::suite::protocol::correlation::is_uuid;

pub struct CorrelationId;

impl Check for CorrelationId {
    fn id(&self) -> &'static str {
        "correlation-id"
    }
    fn summary(&self) -> &'static str {
        "The correlation header is echoed when sent and a fresh UUID when not"
    }
    fn rule(&self) -> &'static str {
        "protocol.correlation (CDS: x-fapi-interaction-id, RFC 4122)"
    }
    fn automatic(&self) -> bool {
        true
    }
    fn run(&self, cx: &StepContext<'_>, out: &mut Output) {
        let Some(rule) = cx.protocol.and_then(|p| p.correlation.as_ref()) else {
            return;
        };
        let name = rule.header.as_str();
        let sent = cx
            .exchange
            .request
            .headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str());
        let finding = |msg: String| {
            Finding::new(self.id(), cx.step, Where::header(name), msg).rule(&rule.requirement)
        };
        let Some(got) = cx.response.header(name) else {
            // A header the spec requires on this response is reported by `response-headers`.
            let declared = cx.documented_response().is_some_and(|r| {
                r.headers
                    .iter()
                    .any(|h| h.required && h.name.eq_ignore_ascii_case(name))
            });
            if !declared {
                let expected = sent.map_or("a fresh UUID".to_owned(), |s| format!("{s:?}"));
                out.findings.push(
                    finding(format!("the response has no `{name}` header"))
                        .expected(expected)
                        .actual("missing"),
                );
            }
            return;
        };
        match sent {
            Some(s) if got != s => out.findings.push(
                finding(format!(
                    "`{name}` does not play back the value the request sent"
                ))
                .expected(format!("{s:?}"))
                .actual(format!("{got:?}")),
            ),
            Some(_) => {}
            None if !is_uuid(got) => out.findings.push(
                finding(format!(
                    "the request sent no `{name}`, and the one returned is not an RFC 4122 UUID"
                ))
                .expected("a UUID such as \"3f0c2a9e-5b7d-4c1e-9a8f-2d6b4e1c7a90\"")
                .actual(format!("{got:?}")),
            ),
            None => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::check::testing::Fixture;

    const PROTOCOL: &str = "correlation:\n  header: x-fapi-interaction-id\n  requirement: CDS x-fapi-interaction-id\n  success: {request: {operation: listThings}}\n";

    fn sent(id: &str) -> Fixture {
        Fixture::new("expect: {status: 200}")
            .with_protocol(PROTOCOL)
            .with_request_headers(&[("x-fapi-interaction-id", id)])
    }

    fn unsent() -> Fixture {
        Fixture::new("expect: {status: 200}")
            .with_protocol(PROTOCOL)
            .with_request_headers(&[])
    }

    /// This check's findings only (the fixture's bare responses upset others).
    fn run(f: Fixture, status: u16, headers: &[(&str, &str)], body: &str) -> Vec<String> {
        f.run_auto(status, headers, body)
            .into_iter()
            .filter(|l| l.starts_with("[correlation-id]"))
            .collect()
    }

    const UUID: &str = "9d2c4a10-61f3-4b8e-a2c7-0e5f3d9b1a64";

    #[test]
    fn an_echoed_id_passes_on_success_and_error() {
        let h = [("x-v", "1"), ("x-fapi-interaction-id", "abc-1")];
        assert!(run(sent("abc-1"), 200, &h, r#"{"n":1}"#).is_empty());
        let e = [("x-fapi-interaction-id", "abc-1")];
        assert!(run(sent("abc-1"), 400, &e, "{}").is_empty());
    }

    #[test]
    fn a_different_id_fails() {
        let h = [("x-v", "1"), ("x-fapi-interaction-id", "zzz")];
        assert_eq!(
            run(sent("abc-1"), 200, &h, r#"{"n":1}"#),
            [
                "[correlation-id] header x-fapi-interaction-id: `x-fapi-interaction-id` does not play back the value the request sent"
            ]
        );
    }

    #[test]
    fn an_error_without_the_header_fails() {
        assert_eq!(
            run(sent("abc-1"), 400, &[], "{}"),
            [
                "[correlation-id] header x-fapi-interaction-id: the response has no `x-fapi-interaction-id` header"
            ]
        );
    }

    #[test]
    fn a_generated_id_must_be_a_uuid() {
        let ok = [("x-v", "1"), ("x-fapi-interaction-id", UUID)];
        assert!(run(unsent(), 200, &ok, r#"{"n":1}"#).is_empty());
        let bad = [("x-v", "1"), ("x-fapi-interaction-id", "req-42")];
        assert_eq!(
            run(unsent(), 200, &bad, r#"{"n":1}"#),
            [
                "[correlation-id] header x-fapi-interaction-id: the request sent no `x-fapi-interaction-id`, and the one returned is not an RFC 4122 UUID"
            ]
        );
    }

    #[test]
    fn without_a_declaration_nothing_is_checked() {
        let f = Fixture::new("expect: {status: 200}").with_request_headers(&[]);
        assert!(run(f, 400, &[], "{}").is_empty());
    }
}
