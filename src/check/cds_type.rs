//! `cds-type`: every value the spec types with `x-cds-type` is a valid instance of that
//! Consumer Data Standards common field type (`DateString`, `AmountString`, `URIString`, ...),
//! in the body and in the declared headers of a response.
//!
//! Schema validation finds the typed values wherever they sit (through `$ref`, `allOf`,
//! arrays); this check reports those violations under its own id, naming the type, and
//! `response-schema` and `response-headers` leave them out, so each is reported once. The
//! masked types, which the standard describes with "should", give warnings.

use super::response_schema::declared_body;
use super::{Check, Output, StepContext};
use crate::finding::{Finding, Where};
use crate::openapi::{SchemaViolation, cds_type_hint, is_advisory_cds_type};

pub struct CdsType;

const KEYWORD: &str = "x-cds-type";

/// At most this many body findings per exchange; the rest are counted.
const MAX_FINDINGS: usize = 25;

impl Check for CdsType {
    fn id(&self) -> &'static str {
        "cds-type"
    }
    fn summary(&self) -> &'static str {
        "Values typed with x-cds-type are valid instances of their CDS common field type"
    }
    fn rule(&self) -> &'static str {
        "CDS Common Field Types"
    }
    fn automatic(&self) -> bool {
        true
    }
    fn run(&self, cx: &StepContext<'_>, out: &mut Output) {
        if let (Some(declared), Some(json)) = (declared_body(cx), &cx.response.json) {
            let all = cx.violations_of(&declared, json);
            let found: Vec<&SchemaViolation> = all.iter().filter(|v| is_typed(v)).collect();
            for v in found.iter().take(MAX_FINDINGS) {
                let value = json.pointer(&v.instance_path).map(super::brief);
                let at = Where::body(&v.instance_path);
                let location = v.spec_location.clone();
                out.findings.push(self.finding(cx, v, at, value, location));
            }
            if found.len() > MAX_FINDINGS {
                let more = found.len() - MAX_FINDINGS;
                out.findings.push(
                    Finding::new(
                        self.id(),
                        cx.step,
                        Where::body(""),
                        format!("{more} more values not of their CDS type are not listed"),
                    )
                    .rule(self.rule())
                    .spec_location(Some(declared.location())),
                );
            }
        }
        let Some(resp) = cx.documented_response() else {
            return;
        };
        for h in &resp.headers {
            let (Some(schema), Some(value)) = (h.schema, cx.response.header(&h.name)) else {
                continue;
            };
            let found = cx.spec.validate_header(schema, value);
            for v in found.iter().filter(|v| is_typed(v)) {
                let location = v.spec_location.clone();
                let at = Where::header(&h.name);
                out.findings
                    .push(self.finding(cx, v, at, Some(format!("{value:?}")), location));
            }
        }
    }
}

fn is_typed(v: &SchemaViolation) -> bool {
    v.keyword() == KEYWORD
}

impl CdsType {
    fn finding(
        &self,
        cx: &StepContext<'_>,
        v: &SchemaViolation,
        at: Where,
        actual: Option<String>,
        location: String,
    ) -> Finding {
        let name = cx
            .spec
            .schema_node(&v.schema_path)
            .and_then(|n| n.as_str())
            .unwrap_or("the declared type");
        let shown = actual.unwrap_or_default();
        let expected = match cds_type_hint(name) {
            Some(hint) => format!("{name}: {hint}"),
            None => name.to_owned(),
        };
        let f = Finding::new(
            self.id(),
            cx.step,
            at,
            format!("{shown} is not a valid {name}"),
        )
        .expected(expected)
        .actual(shown)
        .rule(format!("{} ({name})", self.rule()))
        .spec_location(Some(location));
        if is_advisory_cds_type(name) {
            f.warning()
        } else {
            f
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::check::testing::Fixture;
    use crate::finding::Severity;

    const SPEC: &str = r##"openapi: 3.0.3
info: {title: Typed, version: "1"}
paths:
  /things:
    get:
      operationId: listThings
      responses:
        "200":
          description: ok
          headers:
            retry-after: {schema: {type: integer, x-cds-type: NaturalNumber}}
          content:
            application/json:
              schema:
                type: object
                properties:
                  items:
                    type: array
                    items: {$ref: "#/components/schemas/Thing"}
components:
  schemas:
    Thing:
      type: object
      properties:
        created: {type: string, x-cds-type: DateTimeString}
        amount: {type: string, x-cds-type: AmountString}
        masked: {type: string, x-cds-type: MaskedAccountString}
        kind: {type: string, enum: [A, B]}
"##;

    fn fixture() -> Fixture {
        Fixture::new("expect: {status: 200}").with_spec(SPEC)
    }

    const JSON: (&str, &str) = ("content-type", "application/json");

    #[test]
    fn valid_values_pass() {
        let body = r#"{"items": [{"created": "2024-05-01T15:43:00Z", "amount": "-10.00", "masked": "xxxx xxxx xxxx 1234"}]}"#;
        assert!(fixture().run_auto(200, &[JSON], body).is_empty());
    }

    #[test]
    fn a_broken_type_is_named_once_and_left_out_of_the_schema_check() {
        let body = r#"{"items": [{"created": "2024-05-01 15:43", "amount": "10", "kind": "C"}]}"#;
        assert_eq!(
            fixture().run_auto(200, &[JSON], body),
            [
                "[response-schema] body /items/0/kind: \"C\" is not one of \"A\" or \"B\"",
                "[cds-type] body /items/0/created: \"2024-05-01 15:43\" is not a valid DateTimeString",
                "[cds-type] body /items/0/amount: \"10\" is not a valid AmountString",
            ]
        );
    }

    #[test]
    fn findings_cite_the_type_and_where_it_is_declared() {
        let body = r#"{"items": [{"created": "yesterday"}]}"#;
        let f = &fixture().run_full_auto(200, &[JSON], body)[0];
        assert_eq!(f.check, "cds-type");
        assert_eq!(
            f.expected.as_deref(),
            Some("DateTimeString: an RFC 3339 date-time such as 2024-05-01T15:43:00Z")
        );
        assert_eq!(
            f.rule.as_deref(),
            Some("CDS Common Field Types (DateTimeString)")
        );
        let at = f.spec_location.as_deref().unwrap();
        assert!(at.ends_with("/properties/created/x-cds-type"), "{at}");
    }

    #[test]
    fn unmasked_numbers_warn() {
        let body = r#"{"items": [{"masked": "062-001 12345678"}]}"#;
        let got = fixture().run_full_auto(200, &[JSON], body);
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].severity, Severity::Warning);
        assert_eq!(
            got[0].message,
            "\"062-001 12345678\" is not a valid MaskedAccountString"
        );
    }

    #[test]
    fn many_violations_are_counted_past_the_first_25() {
        let items: Vec<String> = (0..30).map(|_| r#"{"amount": "1"}"#.to_owned()).collect();
        let body = format!(r#"{{"items": [{}]}}"#, items.join(","));
        let got = fixture().run_auto(200, &[JSON], &body);
        assert_eq!(got.len(), 26);
        assert_eq!(
            got[25],
            "[cds-type] body: 5 more values not of their CDS type are not listed"
        );
    }

    #[test]
    fn typed_headers_are_judged_here_not_by_response_headers() {
        let h = [JSON, ("retry-after", "-5")];
        assert_eq!(
            fixture().run_auto(200, &h, r#"{"items": []}"#),
            ["[cds-type] header retry-after: \"-5\" is not a valid NaturalNumber"]
        );
    }
}
