//! `expect-header`: response headers are present, absent, equal a value, match a pattern, or
//! echo what the request sent, as the step states.

use super::{Check, Output, StepContext};
use crate::finding::{Finding, Where};
use crate::pointer;
use crate::template;

pub struct ExpectHeader;

impl Check for ExpectHeader {
    fn id(&self) -> &'static str {
        "expect-header"
    }
    fn summary(&self) -> &'static str {
        "Response headers are as the step expects"
    }
    fn rule(&self) -> &'static str {
        "The case's requirements"
    }
    fn automatic(&self) -> bool {
        false
    }
    fn run(&self, cx: &StepContext<'_>, out: &mut Output) {
        for (name, a) in &cx.expect.headers {
            let at = format!("/headers/{}", pointer::escape(name));
            let got = cx.response.header(name);
            let mut fail = |msg: String, expected: Option<String>, actual: Option<&str>| {
                let mut f = Finding::new(self.id(), cx.step, Where::header(name), msg)
                    .rule(cx.rule().unwrap_or_default())
                    .suite_location(cx.suite_location(&at));
                f.expected = expected;
                f.actual = actual.map(str::to_owned);
                out.findings.push(f);
            };
            if a.absent == Some(true) {
                if let Some(v) = got {
                    fail(
                        format!("header `{name}` must be absent"),
                        Some("absent".into()),
                        Some(v),
                    );
                }
                continue;
            }
            let Some(value) = got else {
                fail(
                    format!("header `{name}` is missing"),
                    Some("present".into()),
                    None,
                );
                continue;
            };
            if let Some(want) = &a.equals {
                let want = template::render(&want.0, cx.vars).unwrap_or_else(|_| want.0.clone());
                if value != want {
                    fail(
                        format!("header `{name}` is `{value}`, expected `{want}`"),
                        Some(want),
                        Some(value),
                    );
                }
            }
            if let Some(pattern) = &a.matches
                && let Some(re) = super::whole_match(pattern)
                && !re.is_match(value)
            {
                fail(
                    format!("header `{name}` is `{value}`, which does not match `{pattern}`"),
                    Some(format!("matches {pattern}")),
                    Some(value),
                );
            }
            if a.equals_request == Some(true) {
                match cx.exchange.request.header(name) {
                    Some(sent) if sent == value => {}
                    Some(sent) => fail(
                        format!("header `{name}` is `{value}`, not the value the request sent"),
                        Some(sent.to_owned()),
                        Some(value),
                    ),
                    None => fail(
                        format!(
                            "header `{name}` should echo the request, but the request did not send it"
                        ),
                        None,
                        Some(value),
                    ),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::check::testing::Fixture;

    #[test]
    fn each_assertion_passes_and_fails() {
        let f = Fixture::new(
            "expect:\n  headers:\n    x-v: {equals: 2}\n    x-fapi-interaction-id: {equals_request: true}\n    etag: {absent: true}\n    x-id: {matches: \"[a-f0-9-]{36}\"}\n",
        );
        let good = [
            ("x-v", "2"),
            ("x-fapi-interaction-id", "sent-id"),
            ("x-id", "6f1c2a3e-0000-4000-8000-000000000000"),
        ];
        assert_eq!(f.run(200, &good, "{}"), Vec::<String>::new());
        let bad = [
            ("x-v", "1"),
            ("x-fapi-interaction-id", "other"),
            ("etag", "w/1"),
            ("x-id", "nope"),
        ];
        assert_eq!(
            f.run(200, &bad, "{}"),
            vec![
                "[expect-header] header x-v: header `x-v` is `1`, expected `2`",
                "[expect-header] header x-fapi-interaction-id: header `x-fapi-interaction-id` is `other`, not the value the request sent",
                "[expect-header] header etag: header `etag` must be absent",
                "[expect-header] header x-id: header `x-id` is `nope`, which does not match `[a-f0-9-]{36}`",
            ]
        );
        assert_eq!(
            f.run(200, &[], "{}")[0],
            "[expect-header] header x-v: header `x-v` is missing"
        );
    }
}
