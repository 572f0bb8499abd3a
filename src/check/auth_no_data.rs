//! `auth-no-data`: where the API declares its credentials (`protocol.auth`), a request on a
//! guarded operation whose credentials are missing, malformed, wrong or in the wrong scheme (a
//! header left out, or the values the rule's own cases send) is never served, and no authentication refusal carries any
//! of the declared data pointers. An error code the declaration documents for a refusal comes
//! with the status documented for it.
//!
//! A refusal is recognised by its request (a credential header left out, or a step the rule
//! generated) or by its response (a declared refusal status with, where declared, one of its
//! error codes), so hand-written cases with other credentials are judged too.

use std::collections::BTreeMap;

use super::version_negotiation::error_codes;
use super::{Check, Output, StepContext, brief};
use crate::finding::{Finding, Where};
use crate::pointer;
use crate::suite::protocol::auth::{Auth, Kind};
use crate::suite::{Expect, StatusSet};

pub struct AuthNoData;

impl Check for AuthNoData {
    fn id(&self) -> &'static str {
        "auth-no-data"
    }
    fn summary(&self) -> &'static str {
        "A request without valid credentials is refused, with the documented status and no data"
    }
    fn rule(&self) -> &'static str {
        "protocol.auth (the provider's authentication documentation; RFC 6750 section 3.1)"
    }
    fn automatic(&self) -> bool {
        true
    }
    fn run(&self, cx: &StepContext<'_>, out: &mut Output) {
        let Some(rule) = cx.protocol.and_then(|p| p.auth.as_ref()) else {
            return;
        };
        if !rule.guards(cx.operation.and_then(|o| o.id.as_deref())) {
            return;
        }
        let status = cx.response.status;
        let success = (200..300).contains(&status);
        let finding = |at: Where, msg: String| {
            Finding::new(self.id(), cx.step, at, msg).rule(&rule.requirement)
        };
        let codes = error_codes(cx);
        let documented = match codes.is_empty() {
            true => BTreeMap::new(),
            false => documented_statuses(rule),
        };
        for (code, documented) in documented {
            if codes.contains(&code) && !documented.contains(status) {
                out.findings.push(
                    finding(
                        Where::status(),
                        format!("error code `{code}` is documented with status {documented}, not {status}"),
                    )
                    .expected(documented.to_string())
                    .actual(status.to_string()),
                );
            }
        }
        let failed = failed_credential(cx, rule);
        let refused = !success && is_documented_refusal(rule, status, &codes);
        if failed.is_none() && !refused {
            return;
        }
        let why = match &failed {
            Some(what) => format!("the response to a request with {what}"),
            None => format!("the {status} refusal"),
        };
        if let Some(what) = &failed
            && success
        {
            out.findings.push(
                finding(
                    Where::status(),
                    format!("the request carried {what}, yet it was served"),
                )
                .expected("a refusal (4xx)")
                .actual(format!("status {status}")),
            );
        }
        let Some(json) = &cx.response.json else {
            return;
        };
        for p in &rule.data {
            for found in pointer::select(json, p) {
                if let Some(v) = found.value {
                    out.findings.push(
                        finding(
                            Where::body(&found.pointer),
                            format!("{why} carries data at `{}`", found.pointer),
                        )
                        .expected("absent")
                        .actual(brief(v)),
                    );
                }
            }
        }
    }
}

/// The credential the request fails on, described: a credential header it left out that the
/// rule documents refusing, or the unusable credential of a step the rule generated. Other
/// values cannot be judged from the record, which keeps credential headers redacted.
fn failed_credential(cx: &StepContext<'_>, rule: &Auth) -> Option<String> {
    for header in rule.headers() {
        let sent = cx
            .exchange
            .request
            .headers
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case(&header));
        if sent {
            continue;
        }
        let mut creds = rule
            .credentials
            .iter()
            .filter(|c| c.header.eq_ignore_ascii_case(&header));
        if let Some(c) = creds.clone().next()
            && (rule.none.is_some() || creds.any(|c| c.missing.is_some()))
        {
            return Some(c.describe(Kind::Missing));
        }
    }
    rule.tested_at(&cx.step_at)
}

/// Every refusal the rule declares.
fn refusals(rule: &Auth) -> impl Iterator<Item = &Expect> {
    rule.credentials
        .iter()
        .flat_map(|c| Kind::ALL.into_iter().filter_map(|k| c.refusal(k)))
        .chain(rule.none.as_ref())
}

/// True when `status` (with the response's `codes`) is one of the declared refusals.
fn is_documented_refusal(rule: &Auth, status: u16, codes: &[String]) -> bool {
    refusals(rule).any(|e| {
        let wanted: Vec<&String> = e
            .error
            .iter()
            .chain(e.one_of.iter().filter_map(|a| a.error.as_ref()))
            .flat_map(|w| &w.0)
            .collect();
        e.statuses().contains(&status)
            && (wanted.is_empty() || wanted.iter().any(|w| codes.contains(w)))
    })
}

/// The statuses each declared error code comes with, in the refusal itself or in any of its
/// alternatives (an alternative without its own status or codes takes the refusal's).
fn documented_statuses(rule: &Auth) -> BTreeMap<String, StatusSet> {
    let mut out: BTreeMap<String, StatusSet> = BTreeMap::new();
    for e in refusals(rule) {
        let pairs = std::iter::once((e.status.as_ref(), e.error.as_ref())).chain(
            e.one_of.iter().map(|a| {
                (
                    a.status.as_ref().or(e.status.as_ref()),
                    a.error.as_ref().or(e.error.as_ref()),
                )
            }),
        );
        for (status, codes) in pairs {
            let (Some(status), Some(codes)) = (status, codes) else {
                continue;
            };
            for code in &codes.0 {
                let entry = out
                    .entry(code.clone())
                    .or_insert_with(|| StatusSet(Vec::new()));
                for s in &status.0 {
                    if !entry.0.contains(s) {
                        entry.0.push(*s);
                    }
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::check::testing::Fixture;

    const PROTOCOL: &str = "auth:
  requirement: R-a
  request: {operation: listThings}
  data: [/n, /items/*/id]
  credentials:
    - {name: token, header: Authorization, scheme: bearer, value: \"{{token}}\", missing: {status: 401}, malformed: {status: 401}, wrong: {status: 400, error: E-bad}}
    - {name: app, header: x-app, scheme: key, value: app-1, missing: {status: 401}}
";

    /// Credential headers as the record keeps them.
    const SENT: [(&str, &str); 2] = [
        ("authorization", "Bearer [redacted]"),
        ("x-app", "[redacted]"),
    ];

    fn fixture(protocol: &str, sent: &[(&str, &str)], step: &str) -> Fixture {
        Fixture::new("expect: {status: 200}")
            .with_protocol(protocol)
            .with_request_headers(sent)
            .with_step_pointer(step)
    }

    /// This check's findings for a hand-written step.
    fn run(sent: &[(&str, &str)], status: u16, body: &str) -> Vec<String> {
        run_at(PROTOCOL, "/cases/0/steps/0", sent, status, body)
    }

    fn run_at(
        protocol: &str,
        step: &str,
        sent: &[(&str, &str)],
        status: u16,
        body: &str,
    ) -> Vec<String> {
        fixture(protocol, sent, step)
            .run_auto(status, &[("x-v", "1")], body)
            .into_iter()
            .filter(|l| l.starts_with("[auth-no-data]"))
            .collect()
    }

    #[test]
    fn credentials_that_are_sent_are_served() {
        assert!(run(&SENT, 200, r#"{"n":1}"#).is_empty());
    }

    #[test]
    fn a_request_without_a_credential_must_not_be_served() {
        assert_eq!(
            run(&SENT[1..], 200, r#"{"n":1}"#),
            [
                "[auth-no-data] status: the request carried no Authorization header, yet it was served",
                "[auth-no-data] body /n: the response to a request with no Authorization header carries data at `/n`",
            ]
        );
        assert_eq!(
            run(&SENT[..1], 200, "{}"),
            ["[auth-no-data] status: the request carried no x-app header, yet it was served"]
        );
    }

    #[test]
    fn a_generated_step_is_judged_by_the_credential_it_sends() {
        let wrong = "/protocol/auth/credentials/0/wrong";
        assert_eq!(
            run_at(
                PROTOCOL,
                wrong,
                &SENT,
                200,
                r#"{"items":[{"id":"a"},{"id":"b"}]}"#
            ),
            [
                "[auth-no-data] status: the request carried a never-issued token in Authorization, yet it was served",
                "[auth-no-data] body /items/0/id: the response to a request with a never-issued token in Authorization carries data at `/items/0/id`",
                "[auth-no-data] body /items/1/id: the response to a request with a never-issued token in Authorization carries data at `/items/1/id`",
            ]
        );
        assert!(
            run_at(
                PROTOCOL,
                wrong,
                &SENT,
                400,
                r#"{"errors":[{"code":"E-bad"}]}"#
            )
            .is_empty()
        );
        assert_eq!(
            run_at(
                PROTOCOL,
                "/protocol/auth/credentials/0/malformed",
                &SENT,
                401,
                r#"{"n":1}"#
            ),
            [
                "[auth-no-data] body /n: the response to a request with the Bearer scheme but no token in Authorization carries data at `/n`"
            ]
        );
        assert!(
            run_at(
                PROTOCOL,
                "/protocol/versions/probe",
                &SENT,
                200,
                r#"{"n":1}"#
            )
            .is_empty(),
            "steps of other rules are not authentication failures"
        );
    }

    #[test]
    fn a_documented_refusal_carries_no_data_whatever_was_sent() {
        assert_eq!(
            run(&SENT, 401, r#"{"n":1}"#),
            ["[auth-no-data] body /n: the 401 refusal carries data at `/n`"]
        );
        assert!(
            run(&SENT, 403, r#"{"n":1}"#).is_empty(),
            "403 is not an authentication refusal here"
        );
    }

    #[test]
    fn a_documented_code_comes_with_its_documented_status() {
        let found = fixture(PROTOCOL, &SENT, "/cases/0/steps/0").findings(
            401,
            &[],
            r#"{"errors":[{"code":"E-bad"}]}"#,
        );
        let f: Vec<_> = found.iter().filter(|f| f.check == "auth-no-data").collect();
        assert_eq!(f.len(), 1, "{found:#?}");
        assert_eq!(
            f[0].message,
            "error code `E-bad` is documented with status 400, not 401"
        );
        assert_eq!(f[0].rule.as_deref(), Some("R-a"));
        assert_eq!(
            (f[0].expected.as_deref(), f[0].actual.as_deref()),
            (Some("400"), Some("401"))
        );
    }

    #[test]
    fn a_code_may_come_with_the_status_of_any_alternative() {
        let p = PROTOCOL.replace(
            "wrong: {status: 400, error: E-bad}",
            "wrong: {error: E-bad, one_of: [{status: 400, source: a}, {status: 401, source: b}]}",
        );
        let body = r#"{"errors":[{"code":"E-bad"}]}"#;
        assert!(run_at(&p, "/cases/0/steps/0", &SENT, 401, body).is_empty());
        assert_eq!(
            run_at(&p, "/cases/0/steps/0", &SENT, 403, body),
            [
                "[auth-no-data] status: error code `E-bad` is documented with status 400 or 401, not 403"
            ]
        );
    }

    #[test]
    fn only_guarded_operations_are_judged() {
        let p = PROTOCOL.replace("  data:", "  operations: [statusThings]\n  data:");
        assert!(run_at(&p, "/cases/0/steps/0", &[], 200, r#"{"n":1}"#).is_empty());
        let p = PROTOCOL.replace("  data:", "  operations: [listThings]\n  data:");
        assert_eq!(
            run_at(&p, "/cases/0/steps/0", &[], 200, r#"{"n":1}"#).len(),
            2
        );
    }

    #[test]
    fn an_undocumented_missing_header_is_not_judged() {
        let p = PROTOCOL.replace(", missing: {status: 401}}", "}");
        let lines = run_at(&p, "/cases/0/steps/0", &SENT[..1], 200, r#"{"n":1}"#);
        assert!(lines.is_empty(), "{lines:?}");
    }

    #[test]
    fn without_a_declaration_nothing_is_checked() {
        let f = Fixture::new("expect: {status: 200}").with_request_headers(&[]);
        let lines = f.run_auto(401, &[], r#"{"n":1}"#);
        assert!(!lines.iter().any(|l| l.starts_with("[auth-no-data]")));
    }
}
