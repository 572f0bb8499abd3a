//! `expect-status`: the response status is the one (or one of those) the step expects.

use super::{Check, Output, StepContext};
use crate::finding::{Finding, Where};

pub struct ExpectStatus;

impl Check for ExpectStatus {
    fn id(&self) -> &'static str {
        "expect-status"
    }
    fn summary(&self) -> &'static str {
        "The response status is one the step expects"
    }
    fn rule(&self) -> &'static str {
        "The case's requirements"
    }
    fn automatic(&self) -> bool {
        false
    }
    fn run(&self, cx: &StepContext<'_>, out: &mut Output) {
        let Some(want) = &cx.expect.status else {
            return;
        };
        let got = cx.response.status;
        if want.contains(got) {
            if !want.is_single() {
                out.choices
                    .push(cx.choice(format!("status {want}"), format!("status {got}")));
            }
            return;
        }
        let expected = match want.0.as_slice() {
            [one] => one.to_string(),
            many => format!(
                "one of {}",
                many.iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        out.findings.push(
            Finding::new(
                self.id(),
                cx.step,
                Where::status(),
                format!("expected status {expected}, got {got}"),
            )
            .expected(expected)
            .actual(got.to_string())
            .rule(cx.rule().unwrap_or_default())
            .suite_location(cx.suite_location("/status")),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::check::testing::Fixture;

    #[test]
    fn the_status_chosen_among_several_is_recorded() {
        let f = Fixture::new("expect: {status: [401, 403]}");
        let out = f.output_of(403, &[], "{}");
        assert_eq!(out.choices.len(), 1);
        assert_eq!(
            out.choices[0].describe(),
            "step 1: status 403 (allowed: status 401 or 403)"
        );
        assert_eq!(
            out.choices[0].suite_location.as_deref(),
            Some("t.yaml:11:17")
        );
        assert!(
            Fixture::new("expect: {status: 200}")
                .output_of(200, &[], "{}")
                .choices
                .is_empty()
        );
    }

    #[test]
    fn passes_and_fails_with_message() {
        let f = Fixture::new("expect: {status: [200, 206]}");
        assert!(f.run(200, &[], "{}").is_empty());
        let got = f.run(406, &[], "{}");
        assert_eq!(
            got,
            vec!["[expect-status] status: expected status one of 200, 206, got 406"]
        );
    }

    #[test]
    fn a_class_accepts_any_status_of_its_hundred() {
        let f = Fixture::new("expect: {status: 4XX}");
        let out = f.output_of(405, &[], "{}");
        assert!(out.findings.iter().all(|f| f.check != "expect-status"));
        assert_eq!(
            out.choices[0].describe(),
            "step 1: status 405 (allowed: status 4XX)"
        );
        assert_eq!(
            f.run(200, &[], "{}"),
            vec!["[expect-status] status: expected status 4XX, got 200"]
        );
        assert_eq!(
            f.run(503, &[], "{}"),
            vec!["[expect-status] status: expected status 4XX, got 503"]
        );
    }
}
