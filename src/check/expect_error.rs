//! `expect-error`: an error response carries the expected error code where the suite's
//! `errors.codes` pointers say codes live (for the CDS: `/errors/*/code`, and `/errors/*/meta/urn`
//! for application-specific codes that extend a standard one).
//!
//! On a generated negative request the code is judged only when the request was rejected (an
//! accepted one is `negative-rejected`'s to report), at the level of the request's input.

use super::{Check, Output, StepContext};
use crate::finding::{Finding, Where};
use crate::pointer;

pub struct ExpectError;

impl Check for ExpectError {
    fn id(&self) -> &'static str {
        "expect-error"
    }
    fn summary(&self) -> &'static str {
        "An error response carries the error code the step expects"
    }
    fn rule(&self) -> &'static str {
        "The case's requirements"
    }
    fn automatic(&self) -> bool {
        false
    }
    fn run(&self, cx: &StepContext<'_>, out: &mut Output) {
        let Some(want) = &cx.expect.error else { return };
        let negative = cx.expect.negative.as_ref();
        if negative.is_some() && !(400..500).contains(&cx.response.status) {
            return;
        }
        let pointers = cx.suite.file.error_code_pointers();
        let found: Vec<String> = cx
            .response
            .json
            .as_ref()
            .map(|json| {
                pointers
                    .iter()
                    .flat_map(|p| pointer::values(json, p))
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        if let Some(chosen) = want.0.iter().find(|w| found.contains(w)) {
            if want.0.len() > 1 {
                out.choices.push(cx.choice(
                    format!("error {}", want.0.join(" or ")),
                    format!("error {chosen}"),
                ));
            }
            return;
        }
        let expected = want.0.join(" or ");
        let actual = if found.is_empty() {
            "no error code".to_owned()
        } else {
            found.join(", ")
        };
        let at = pointers
            .first()
            .map(|p| p.replace("/*", "/0"))
            .unwrap_or_default();
        let f = Finding::new(
            self.id(),
            cx.step,
            Where::body(&at),
            format!("expected error code {expected}, found {actual}"),
        )
        .expected(expected)
        .actual(actual)
        .rule(cx.rule().unwrap_or_default())
        .suite_location(cx.suite_location("/error"));
        out.findings.push(match negative {
            Some(b) => b.grade(f),
            None => f,
        });
    }
}

#[cfg(test)]
mod tests {
    use crate::check::testing::Fixture;

    #[test]
    fn a_negative_request_is_judged_only_when_rejected_and_at_its_level() {
        let f = Fixture::new("expect: {error: EV1100}")
            .with_negative("rule", "sent", &[400])
            .lenient("nothing says so");
        assert!(
            f.run_full(200, &[], "{}")
                .iter()
                .all(|f| f.check != "expect-error")
        );
        let found = f.run_full(400, &[], r#"{"errors":[{"code":"EV2000"}]}"#);
        let mine = found.iter().find(|f| f.check == "expect-error").unwrap();
        assert!(!mine.fails());
        assert_eq!(mine.severity_reason.as_deref(), Some("nothing says so"));
    }

    #[test]
    fn code_or_meta_urn() {
        let f = Fixture::new("expect: {error: \"urn:x:Header/Missing\"}");
        assert!(
            f.run(400, &[], r#"{"errors":[{"code":"urn:x:Header/Missing"}]}"#)
                .is_empty()
        );
        assert!(
            f.run(
                400,
                &[],
                r#"{"errors":[{"code":"APP-1","meta":{"urn":"urn:x:Header/Missing"}}]}"#
            )
            .is_empty()
        );
        assert_eq!(
            f.run(400, &[], r#"{"errors":[{"code":"urn:x:Field/Invalid"}]}"#),
            vec![
                "[expect-error] body /errors/0/code: expected error code urn:x:Header/Missing, found urn:x:Field/Invalid"
            ]
        );
        assert_eq!(
            f.run(400, &[], "oops"),
            vec![
                "[expect-error] body /errors/0/code: expected error code urn:x:Header/Missing, found no error code"
            ]
        );
    }
}
