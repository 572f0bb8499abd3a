//! `negative-rejected`: a request generated to break one declared rule (`protocol.negative`)
//! is rejected with a client error: a 4xx (or one of the statuses the declaration names),
//! never a success and never a server error. The finding names the rule the request broke
//! and what it sent. The error body is judged against the documented response by the
//! automatic checks, as for any other response.
//!
//! The finding is a failure only when the sources say the service refuses the input: the
//! declaration's `refused` list names it, or its `level` is `failure`; otherwise it is a
//! warning, and says why.

use super::{Check, Output, StepContext};
use crate::finding::{Finding, Where};

pub struct NegativeRejected;

impl Check for NegativeRejected {
    fn id(&self) -> &'static str {
        "negative-rejected"
    }
    fn summary(&self) -> &'static str {
        "A request breaking one declared rule is rejected with a 4xx"
    }
    fn rule(&self) -> &'static str {
        "protocol.negative (the spec rule the request breaks)"
    }
    fn automatic(&self) -> bool {
        false
    }
    fn run(&self, cx: &StepContext<'_>, out: &mut Output) {
        let Some(broken) = &cx.expect.negative else {
            return;
        };
        let status = cx.response.status;
        let allowed = match &broken.statuses {
            Some(set) => set.contains(status),
            None => (400..500).contains(&status),
        };
        if allowed {
            return;
        }
        let expected = match &broken.statuses {
            Some(set) => set.to_string(),
            None => "4xx".to_owned(),
        };
        let outcome = match status {
            200..=299 => format!("was accepted with {status}"),
            500..=599 => format!("made the server fail with {status} instead of being rejected"),
            400..=499 => format!("was rejected with {status}, not {expected}"),
            _ => format!("got {status} instead of a rejection"),
        };
        out.findings.push(
            broken.grade(
                Finding::new(
                    self.id(),
                    cx.step,
                    Where::status(),
                    format!(
                        "the request broke `{}` ({}) and {outcome}",
                        broken.rule, broken.sent
                    ),
                )
                .expected(expected)
                .actual(status.to_string())
                .rule(broken.rule.clone())
                .suite_location(cx.suite_location("/status")),
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::check::testing::Fixture;

    const RULE: &str = "OpenAPI listThings parameter n: type integer";
    const SENT: &str = "query parameter n = \"abc\"";

    fn negative(statuses: &[u16]) -> Fixture {
        // Any status the tests send, so `expect-status` stays quiet.
        Fixture::new("expect: {status: [200, 400, 404, 422, 500]}")
            .with_negative(RULE, SENT, statuses)
    }

    #[test]
    fn an_input_no_source_says_is_refused_only_warns() {
        let f = Fixture::new("expect: {status: [200, 400]}")
            .with_negative(RULE, SENT, &[400])
            .lenient("nothing says n is refused");
        let found = f.run_full(200, &[], "{}");
        let mine: Vec<_> = found
            .iter()
            .filter(|f| f.check == "negative-rejected")
            .collect();
        assert_eq!(mine.len(), 1);
        assert!(!mine[0].fails());
        assert_eq!(
            mine[0].severity_reason.as_deref(),
            Some("nothing says n is refused")
        );
        assert!(f.run(400, &[], "{}").is_empty());
    }

    fn run(f: Fixture, status: u16) -> Vec<String> {
        f.run(status, &[], "{}")
            .into_iter()
            .filter(|l| l.starts_with("[negative-rejected]"))
            .collect()
    }

    #[test]
    fn any_client_error_passes_by_default() {
        for status in [400, 404, 422] {
            assert!(run(negative(&[]), status).is_empty(), "{status}");
        }
    }

    #[test]
    fn success_and_server_errors_fail_naming_the_rule() {
        assert_eq!(
            run(negative(&[]), 200),
            [format!(
                "[negative-rejected] status: the request broke `{RULE}` ({SENT}) and was accepted with 200"
            )]
        );
        assert_eq!(
            run(negative(&[]), 500),
            [format!(
                "[negative-rejected] status: the request broke `{RULE}` ({SENT}) and made the server fail with 500 instead of being rejected"
            )]
        );
    }

    #[test]
    fn declared_statuses_narrow_the_rejection() {
        assert!(run(negative(&[400]), 400).is_empty());
        assert_eq!(
            run(negative(&[400]), 422),
            [format!(
                "[negative-rejected] status: the request broke `{RULE}` ({SENT}) and was rejected with 422, not 400"
            )]
        );
        let f = negative(&[400]).run_full(422, &[], "{}");
        let mine = f.iter().find(|f| f.check == "negative-rejected").unwrap();
        assert_eq!(mine.rule.as_deref(), Some(RULE));
        assert_eq!(
            (mine.expected.as_deref(), mine.actual.as_deref()),
            (Some("400"), Some("422"))
        );
    }

    #[test]
    fn level_warning_reports_without_failing() {
        let f = negative(&[])
            .lenient("level: warning")
            .run_full(200, &[], "{}");
        let mine = f.iter().find(|f| f.check == "negative-rejected").unwrap();
        assert_eq!(mine.severity, crate::finding::Severity::Warning);
        assert!(mine.message.ends_with("and was accepted with 200"));
        let rejected = negative(&[])
            .lenient("level: warning")
            .run_full(400, &[], "{}");
        assert!(rejected.iter().all(|f| f.check != "negative-rejected"));
    }

    #[test]
    fn ordinary_steps_are_not_judged() {
        assert!(run(Fixture::new("expect: {status: 200}"), 200).is_empty());
    }
}
