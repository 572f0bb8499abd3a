//! `ird-number`: where the API declares IRD numbers (`protocol.formats` with `format:
//! ird-number`), every such value in a response is a valid New Zealand IRD number: digits
//! only, between 10,000,000 and 150,000,000, with the check digit Inland Revenue's modulus-11
//! algorithm gives ([`crate::irdnum`]).
//!
//! Declared for requests too, it warns when a step sends an invalid number while expecting
//! success: the target would rightly refuse it, so the step cannot test what it means to (a
//! suite variable or profile value is wrong). Steps that expect a rejection are left alone.

use serde_json::Value;

use super::{Check, Output, StepContext};
use crate::finding::{Finding, Where};
use crate::irdnum;
use crate::suite::protocol::formats::{Format, FormatName, Side};

pub struct IrdNumber;

impl Check for IrdNumber {
    fn id(&self) -> &'static str {
        "ird-number"
    }
    fn summary(&self) -> &'static str {
        "Declared IRD numbers are in range and pass the modulus-11 check digit"
    }
    fn rule(&self) -> &'static str {
        "protocol.formats ird-number (IR Number Validation Modulus 11 Digit Check)"
    }
    fn automatic(&self) -> bool {
        true
    }
    fn run(&self, cx: &StepContext<'_>, out: &mut Output) {
        let Some(protocol) = cx.protocol else {
            return;
        };
        let operation = cx.operation.and_then(|o| o.id.as_deref());
        let declared = protocol
            .formats
            .iter()
            .filter(|f| f.format == FormatName::IrdNumber);
        let request: Option<Value> = cx
            .exchange
            .request
            .body
            .as_deref()
            .and_then(|b| serde_json::from_str(b).ok());
        for format in declared {
            if let Some(body) = &cx.response.json
                && format.applies(Side::Response, operation, body)
            {
                for (at, value, err) in invalid(format, body) {
                    out.findings.push(
                        Finding::new(
                            self.id(),
                            cx.step,
                            Where::body(&at),
                            format!("{value} is not a valid IRD number: {err}"),
                        )
                        .expected("an IRD number that passes the modulus-11 check digit")
                        .actual(value)
                        .rule(format.requirement()),
                    );
                }
            }
            if let Some(body) = &request
                && format.applies(Side::Request, operation, body)
                && !expects_rejection(cx)
            {
                for (at, value, err) in invalid(format, body) {
                    out.findings.push(
                        Finding::new(
                            self.id(),
                            cx.step,
                            Where::exchange(),
                            format!(
                                "the request body's {at} is {value}, not a valid IRD number ({err}); the target should refuse it, so check the suite's vars or the profile"
                            ),
                        )
                        .expected("an IRD number that passes the modulus-11 check digit")
                        .actual(value)
                        .rule(format.requirement())
                        .warning(),
                    );
                }
            }
        }
    }
}

/// Values at the declared pointer that are not valid IRD numbers: pointer, value as shown,
/// what is wrong. Values that are neither strings nor whole numbers are left to the schema.
fn invalid(format: &Format, body: &Value) -> Vec<(String, String, irdnum::IrdError)> {
    format
        .values(body)
        .into_iter()
        .filter_map(|(at, v)| {
            let digits = match v {
                Value::String(s) => s.clone(),
                Value::Number(n) if n.is_u64() => n.to_string(),
                _ => return None,
            };
            irdnum::check(&digits).err().map(|e| (at, v.to_string(), e))
        })
        .collect()
}

/// True when the step means to send a request the target refuses: a generated negative
/// request, or a step whose expected statuses are all errors.
fn expects_rejection(cx: &StepContext<'_>) -> bool {
    cx.expect.negative.is_some()
        || cx
            .expect
            .status
            .as_ref()
            .is_some_and(|s| s.codes().iter().all(|code| *code >= 400))
}

#[cfg(test)]
mod tests {
    use crate::check::testing::Fixture;
    use crate::finding::Severity;

    const PROTOCOL: &str = "formats:\n  - {at: /IRD, format: ird-number, in: [request, response]}\n  - {at: /items/*/ird, format: ird-number}\n";

    fn run(f: Fixture, body: &str) -> Vec<String> {
        f.run_auto(200, &[("content-type", "application/json")], body)
            .into_iter()
            .filter(|l| l.starts_with("[ird-number]"))
            .collect()
    }

    fn ok() -> Fixture {
        Fixture::new("expect: {status: 200}").with_protocol(PROTOCOL)
    }

    #[test]
    fn valid_numbers_pass() {
        assert!(
            run(
                ok(),
                r#"{"IRD": "049091850", "items": [{"ird": "136410132"}, {"ird": 49091850}]}"#
            )
            .is_empty()
        );
    }

    #[test]
    fn a_failed_check_digit_or_range_fails_in_the_response() {
        assert_eq!(
            run(
                ok(),
                r#"{"IRD": "136410133", "items": [{"ird": "999999999"}, {"ird": "13641013A"}]}"#
            ),
            [
                "[ird-number] body /IRD: \"136410133\" is not a valid IRD number: the check digit is 3, the calculation gives 2",
                "[ird-number] body /items/0/ird: \"999999999\" is not a valid IRD number: 999999999 is outside the valid range 10000000 to 150000000",
                "[ird-number] body /items/1/ird: \"13641013A\" is not a valid IRD number: the IRD number has a character that is not a digit",
            ]
        );
    }

    #[test]
    fn a_request_expecting_success_with_a_bad_number_warns() {
        let f = ok().with_request_body(r#"{"IRD": "136410133"}"#);
        let got = f.run_full_auto(200, &[("content-type", "application/json")], "{}");
        let mine: Vec<_> = got.iter().filter(|f| f.check == "ird-number").collect();
        assert_eq!(mine.len(), 1, "{got:?}");
        assert_eq!(mine[0].severity, Severity::Warning);
        assert!(
            mine[0]
                .message
                .starts_with("the request body's /IRD is \"136410133\"")
        );
    }

    #[test]
    fn a_request_meant_to_be_refused_is_left_alone() {
        let expecting_400 = Fixture::new("expect: {status: 400}")
            .with_protocol(PROTOCOL)
            .with_request_body(r#"{"IRD": "136410133"}"#);
        assert!(run(expecting_400, "{}").is_empty());
        let negative = ok()
            .with_request_body(r#"{"IRD": "136410133"}"#)
            .with_negative("pattern", "/IRD", &[]);
        assert!(run(negative, "{}").is_empty());
    }

    #[test]
    fn without_a_declaration_nothing_is_checked() {
        let f = Fixture::new("expect: {status: 200}");
        assert!(run(f, r#"{"IRD": "1"}"#).is_empty());
    }
}
