//! `version-negotiation`: where the API declares version negotiation (`protocol.versions`),
//! every exchange of an operation with declared versions is judged against what its request
//! asked for. A success names, in the response version header, the highest supported version
//! in the range asked for; a request asking for no supported version, or with a malformed or
//! missing version header the API documents refusing, is not served; and a request whose range
//! holds a supported version is not refused as unsupported.

use super::{Check, Output, StepContext};
use crate::finding::{Finding, Where};
use crate::pointer;
use crate::suite::Expect;
use crate::suite::protocol::versions::{Asked, asked, describe_range, positive_integer};

pub struct VersionNegotiation;

impl Check for VersionNegotiation {
    fn id(&self) -> &'static str {
        "version-negotiation"
    }
    fn summary(&self) -> &'static str {
        "A success serves the highest supported version in the range asked for; other requests are refused"
    }
    fn rule(&self) -> &'static str {
        "protocol.versions (CDS HTTP Headers: x-v, x-min-v; 406 Unsupported Version)"
    }
    fn automatic(&self) -> bool {
        true
    }
    fn run(&self, cx: &StepContext<'_>, out: &mut Output) {
        let Some(rule) = cx.protocol.and_then(|p| p.versions.as_ref()) else {
            return;
        };
        let Some(op) = cx.operation else { return };
        let supported = rule.supported_for(op.id.as_deref());
        if supported.is_empty() {
            return;
        }
        let sent = |name: &str| {
            cx.exchange
                .request
                .headers
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.as_str())
        };
        let min_header = rule.min_header.as_deref();
        let request = asked(
            &rule.header,
            sent(&rule.header),
            min_header,
            min_header.and_then(sent),
        );
        let status = cx.response.status;
        let success = (200..300).contains(&status);
        let finding = |at: Where, msg: String| {
            Finding::new(self.id(), cx.step, at, msg).rule(&rule.requirement)
        };
        let refusal = |e: Option<&Expect>| {
            e.and_then(|e| e.status.as_ref())
                .map(|s| format!("a refusal with status {s}"))
                .unwrap_or_else(|| "a refusal".to_owned())
        };
        let served = request.served(supported);
        match (&request, served) {
            (Asked::Missing, _) if success && rule.missing.is_some() => out.findings.push(
                finding(
                    Where::status(),
                    format!(
                        "the request has no `{}`, which the API requires, yet it was served",
                        rule.header
                    ),
                )
                .expected(refusal(rule.missing.as_ref()))
                .actual(format!("status {status}")),
            ),
            (Asked::Invalid { header, value }, _) if success && rule.invalid.is_some() => out
                .findings
                .push(
                    finding(
                        Where::status(),
                        format!(
                            "`{header}` is {value:?}, not a positive integer, yet the request was served"
                        ),
                    )
                    .expected(refusal(rule.invalid.as_ref()))
                    .actual(format!("status {status}")),
                ),
            (Asked::Range { lo, hi }, None) if success => out.findings.push(
                finding(
                    Where::status(),
                    format!(
                        "the request asks for {}, {} supported ({}), yet it was served",
                        describe_range(*lo, *hi),
                        if lo == hi { "which is not" } else { "none of which is" },
                        list(supported)
                    ),
                )
                .expected(refusal(Some(&rule.unsupported)))
                .actual(served_as(status, cx.response.header(&rule.response_header))),
            ),
            (Asked::Range { lo, hi }, Some(want)) if success => {
                self.judge_served(cx, rule, supported, (*lo, *hi), want, out)
            }
            (Asked::Range { lo, hi }, Some(want)) if refuses_as_unsupported(cx, &rule.unsupported) => {
                out.findings.push(
                    finding(
                        Where::status(),
                        if lo == hi {
                            format!("the request was refused as unsupported, but version {want}, the version asked for, is supported")
                        } else {
                            format!(
                                "the request was refused as unsupported, but version {want}, in the range asked for ({}), is supported",
                                describe_range(*lo, *hi)
                            )
                        },
                    )
                    .expected(format!("status 2xx serving version {want}"))
                    .actual(format!("status {status}")),
                )
            }
            _ => {}
        }
    }
}

impl VersionNegotiation {
    /// A success must name `want` in the response version header.
    fn judge_served(
        &self,
        cx: &StepContext<'_>,
        rule: &crate::suite::protocol::versions::Versions,
        supported: &[u64],
        (lo, hi): (u64, u64),
        want: u64,
        out: &mut Output,
    ) {
        let name = rule.response_header.as_str();
        let finding = |msg: String| {
            Finding::new(self.id(), cx.step, Where::header(name), msg)
                .rule(&rule.requirement)
                .expected(want.to_string())
        };
        let Some(got) = cx.response.header(name) else {
            // A header the spec requires on this response is reported by `response-headers`.
            let declared = cx.documented_response().is_some_and(|r| {
                r.headers
                    .iter()
                    .any(|h| h.required && h.name.eq_ignore_ascii_case(name))
            });
            if !declared {
                out.findings.push(
                    finding(format!(
                        "the response has no `{name}` header naming the version served"
                    ))
                    .actual("missing"),
                );
            }
            return;
        };
        let range = describe_range(lo, hi);
        let msg = match positive_integer(got.trim()) {
            Some(v) if v == want => return,
            Some(v) if (lo..=hi).contains(&v) && supported.contains(&v) => format!(
                "`{name}` says version {v}, but the highest supported version in the range asked for ({range}) is {want}"
            ),
            Some(v) => format!(
                "`{name}` says version {v}, which is not a supported version in the range asked for ({range})"
            ),
            None => format!("`{name}` is not a version number"),
        };
        out.findings.push(finding(msg).actual(format!("{got:?}")));
    }
}

/// True when the response is the declared unsupported-version refusal: its status, and one of
/// its error codes where the suite says codes are (any code when none is declared).
fn refuses_as_unsupported(cx: &StepContext<'_>, unsupported: &Expect) -> bool {
    let status_matches = unsupported
        .status
        .as_ref()
        .is_none_or(|s| s.contains(cx.response.status));
    if !status_matches || (200..300).contains(&cx.response.status) {
        return false;
    }
    match &unsupported.error {
        None => unsupported.status.is_some(),
        Some(want) => {
            let found = error_codes(cx);
            want.0.iter().any(|w| found.contains(w))
        }
    }
}

/// The error codes of the response, where the suite's `errors.codes` says they are.
pub(super) fn error_codes(cx: &StepContext<'_>) -> Vec<String> {
    let (Some(shape), Some(json)) = (&cx.suite.file.errors, &cx.response.json) else {
        return Vec::new();
    };
    shape
        .codes
        .iter()
        .flat_map(|p| pointer::values(json, p))
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect()
}

fn list(versions: &[u64]) -> String {
    let v: Vec<String> = versions.iter().map(u64::to_string).collect();
    format!("supported: {}", v.join(", "))
}

fn served_as(status: u16, header: Option<&str>) -> String {
    match header {
        Some(v) => format!("status {status}, version {v}"),
        None => format!("status {status}"),
    }
}

#[cfg(test)]
mod tests {
    use crate::check::testing::Fixture;

    const PROTOCOL: &str = "versions:
  requirement: R-v
  header: x-v
  min_header: x-min-v
  response_header: x-v
  supported: [1]
  operations: {listThings: [2, 3]}
  probe: {request: {operation: listThings}}
  missing: {status: 400}
  invalid: {status: 400}
  unsupported: {status: 406, error: U}
";

    /// This check's findings for a request with these headers and this response.
    fn run(
        sent: &[(&str, &str)],
        status: u16,
        headers: &[(&str, &str)],
        body: &str,
    ) -> Vec<String> {
        Fixture::new("expect: {status: 200}")
            .with_protocol(PROTOCOL)
            .with_request_headers(sent)
            .run_auto(status, headers, body)
            .into_iter()
            .filter(|l| l.starts_with("[version-negotiation]"))
            .collect()
    }

    const OK: &str = r#"{"n":1}"#;
    const UNSUPPORTED: &str = r#"{"errors":[{"code":"U"}]}"#;

    #[test]
    fn the_highest_supported_version_in_range_passes() {
        assert!(run(&[("x-v", "3")], 200, &[("x-v", "3")], OK).is_empty());
        assert!(run(&[("x-v", "9"), ("x-min-v", "1")], 200, &[("x-v", "3")], OK).is_empty());
        assert!(run(&[("x-v", "2"), ("x-min-v", "7")], 200, &[("x-v", "2")], OK).is_empty());
        assert!(run(&[("x-v", "5")], 406, &[], UNSUPPORTED).is_empty());
        assert!(run(&[("x-v", "abc")], 400, &[], "{}").is_empty());
        assert!(run(&[], 400, &[], "{}").is_empty());
    }

    #[test]
    fn a_lower_version_than_the_highest_in_range_fails() {
        assert_eq!(
            run(&[("x-v", "3"), ("x-min-v", "2")], 200, &[("x-v", "2")], OK),
            [
                "[version-negotiation] header x-v: `x-v` says version 2, but the highest supported version in the range asked for (versions 2 to 3) is 3"
            ]
        );
    }

    #[test]
    fn a_version_outside_the_range_or_unsupported_fails() {
        assert_eq!(
            run(&[("x-v", "2")], 200, &[("x-v", "1")], OK),
            [
                "[version-negotiation] header x-v: `x-v` says version 1, which is not a supported version in the range asked for (version 2)"
            ]
        );
        assert_eq!(
            run(&[("x-v", "2")], 200, &[("x-v", "two")], OK),
            ["[version-negotiation] header x-v: `x-v` is not a version number"]
        );
    }

    #[test]
    fn serving_a_range_without_supported_versions_fails() {
        let found = Fixture::new("expect: {status: 200}")
            .with_protocol(PROTOCOL)
            .with_request_headers(&[("x-v", "5"), ("x-min-v", "4")])
            .findings(200, &[("x-v", "3")], OK);
        let f = found
            .iter()
            .find(|f| f.check == "version-negotiation")
            .unwrap();
        assert_eq!(
            f.message,
            "the request asks for versions 4 to 5, none of which is supported (supported: 2, 3), yet it was served"
        );
        assert_eq!(f.expected.as_deref(), Some("a refusal with status 406"));
        assert_eq!(f.actual.as_deref(), Some("status 200, version 3"));
        assert_eq!(f.rule.as_deref(), Some("R-v"));
    }

    #[test]
    fn serving_a_missing_or_invalid_version_fails() {
        assert_eq!(
            run(&[], 200, &[("x-v", "3")], OK),
            [
                "[version-negotiation] status: the request has no `x-v`, which the API requires, yet it was served"
            ]
        );
        assert_eq!(
            run(&[("x-v", "3"), ("x-min-v", "-1")], 200, &[("x-v", "3")], OK),
            [
                "[version-negotiation] status: `x-min-v` is \"-1\", not a positive integer, yet the request was served"
            ]
        );
    }

    #[test]
    fn refusing_a_range_with_a_supported_version_fails() {
        assert_eq!(
            run(&[("x-v", "4"), ("x-min-v", "1")], 406, &[], UNSUPPORTED),
            [
                "[version-negotiation] status: the request was refused as unsupported, but version 3, in the range asked for (versions 1 to 4), is supported"
            ]
        );
        assert!(
            run(
                &[("x-v", "3")],
                406,
                &[],
                r#"{"errors":[{"code":"NotAcceptable"}]}"#
            )
            .is_empty(),
            "a 406 for another reason (an Accept header) is not a version refusal"
        );
    }

    #[test]
    fn a_missing_response_header_is_left_to_response_headers_when_the_spec_requires_it() {
        assert!(run(&[("x-v", "3")], 200, &[], OK).is_empty());
    }

    #[test]
    fn without_a_declaration_nothing_is_checked() {
        let f = Fixture::new("expect: {status: 200}").with_request_headers(&[("x-v", "9")]);
        let lines = f.run_auto(200, &[("x-v", "1")], OK);
        assert!(!lines.iter().any(|l| l.starts_with("[version-negotiation]")));
    }
}
