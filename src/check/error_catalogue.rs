//! `error-catalogue`: where the API catalogues its error codes (`protocol.errors`), every error
//! response (status 400 and above) is judged against the catalogue. Each error object must hold
//! the declared fields; its code must be catalogued, come with the catalogued status, and come
//! from an operation the catalogue lets return it.
//!
//! An object may carry several codes (the CDS puts an application-specific code in `code` and
//! the standard code it extends in `meta.urn`): it passes when at least one is catalogued, and
//! each catalogued one must fit the response.

use std::cell::OnceCell;

use super::{Check, Output, StepContext};
use crate::finding::{Finding, Where};
use crate::pointer;
use crate::suite::protocol::errors::{read_codes, read_objects};

pub struct ErrorCatalogue;

impl Check for ErrorCatalogue {
    fn id(&self) -> &'static str {
        "error-catalogue"
    }
    fn summary(&self) -> &'static str {
        "Error responses carry catalogued codes with their catalogued status and the required fields"
    }
    fn rule(&self) -> &'static str {
        "protocol.errors (CDS Error Codes; the provider's published error codes)"
    }
    fn automatic(&self) -> bool {
        true
    }
    fn run(&self, cx: &StepContext<'_>, out: &mut Output) {
        let Some(cat) = cx.protocol.and_then(|p| p.errors.as_ref()) else {
            return;
        };
        let status = cx.response.status;
        if status < 400 {
            return;
        }
        let Some(json) = &cx.response.json else {
            return;
        };
        let codes = cx.suite.file.error_code_pointers();
        let Some(objects) = cat.objects_pointer(codes) else {
            return;
        };
        let operation = cx.operation.map(crate::openapi::Operation::name);
        let finding = |at: &str, msg: String| {
            Finding::new(self.id(), cx.step, Where::body(at), msg).rule(&cat.requirement)
        };
        // Codes are read without writing out where each sits; the body is read again for
        // that only when there is something to report, which few error bodies have.
        let placed = OnceCell::new();
        let objects_at = || placed.get_or_init(|| read_objects(json, &objects, codes));
        for (i, (members, found)) in read_codes(json, &objects, codes).iter().enumerate() {
            let object = || &objects_at()[i];
            for field in &cat.fields {
                if !members.contains_key(field) {
                    out.findings.push(
                        finding(
                            &pointer::join(&object().pointer, field),
                            format!("the error object lacks `{field}`"),
                        )
                        .expected("present")
                        .actual("missing"),
                    );
                }
            }
            let code_at = |k: usize| object().codes[k].0.as_str();
            judge_codes(cx, found, &code_at, operation.as_deref(), &finding, out);
        }
    }
}

/// Judges the codes `found` in one error object; `at` gives where the `k`th of them sits.
fn judge_codes<'o>(
    cx: &StepContext<'_>,
    found: &[&str],
    at: &dyn Fn(usize) -> &'o str,
    operation: Option<&str>,
    finding: &dyn Fn(&str, String) -> Finding,
    out: &mut Output,
) {
    let Some(cat) = cx.protocol.and_then(|p| p.errors.as_ref()) else {
        return;
    };
    let status = cx.response.status;
    let known: Vec<_> = found
        .iter()
        .enumerate()
        .filter_map(|(k, code)| cat.entry(code).map(|e| (k, code, e)))
        .collect();
    if known.is_empty() {
        for (k, code) in found.iter().enumerate() {
            out.findings.push(
                finding(
                    at(k),
                    format!("error code `{code}` is not in the API's error catalogue"),
                )
                .expected(format!(
                    "one of the {} catalogued codes",
                    cat.catalogue.len()
                ))
                .actual(code.to_string()),
            );
        }
        return;
    }
    for (k, code, entry) in known {
        if !entry.status.contains(status) {
            out.findings.push(
                finding(
                    at(k),
                    format!(
                        "`{code}` ({}) is catalogued with status {}, and came with {status}",
                        entry.title, entry.status
                    ),
                )
                .expected(entry.status.to_string())
                .actual(status.to_string()),
            );
        }
        if let Some(op) = operation
            && !entry.applies_to(op)
        {
            out.findings.push(
                finding(
                    at(k),
                    format!(
                        "`{code}` is catalogued for {}, and came from `{op}`",
                        entry.operations_text()
                    ),
                )
                .expected(entry.operations_text())
                .actual(op.to_owned()),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::check::testing::Fixture;

    const PROTOCOL: &str = "errors:\n  requirement: CDS Error Codes\n  fields: [code, title, detail]\n  catalogue:\n    - {code: \"urn:x:Field/Invalid\", status: 400, title: Invalid Field, when: a field is invalid}\n    - {code: \"urn:x:GeneralError/Unexpected\", status: 5XX, title: Unexpected Error, when: the server failed}\n    - {code: \"urn:x:Resource/NotFound\", status: [404, 422], title: Not Found, when: no such thing, operations: [getThing]}\n";

    fn run(status: u16, body: &str) -> Vec<String> {
        Fixture::new("expect: {status: 400}")
            .with_protocol(PROTOCOL)
            .run_auto(status, &[], body)
            .into_iter()
            .filter(|l| l.starts_with("[error-catalogue]"))
            .collect()
    }

    fn error(code: &str) -> String {
        format!(r#"{{"errors":[{{"code":"{code}","title":"T","detail":"D"}}]}}"#)
    }

    #[test]
    fn a_catalogued_code_with_its_status_passes() {
        assert!(run(400, &error("urn:x:Field/Invalid")).is_empty());
        assert!(run(503, &error("urn:x:GeneralError/Unexpected")).is_empty());
    }

    #[test]
    fn an_unknown_code_fails() {
        assert_eq!(
            run(400, &error("urn:x:Request/Invalid")),
            [
                "[error-catalogue] body /errors/0/code: error code `urn:x:Request/Invalid` is not in the API's error catalogue"
            ]
        );
    }

    #[test]
    fn a_catalogued_code_with_another_status_fails() {
        assert_eq!(
            run(422, &error("urn:x:Field/Invalid")),
            [
                "[error-catalogue] body /errors/0/code: `urn:x:Field/Invalid` (Invalid Field) is catalogued with status 400, and came with 422"
            ]
        );
        assert_eq!(run(400, &error("urn:x:GeneralError/Unexpected")).len(), 1);
    }

    #[test]
    fn a_code_from_an_operation_it_is_not_catalogued_for_fails() {
        assert_eq!(
            run(404, &error("urn:x:Resource/NotFound")),
            [
                "[error-catalogue] body /errors/0/code: `urn:x:Resource/NotFound` is catalogued for getThing, and came from `listThings`"
            ]
        );
    }

    #[test]
    fn missing_fields_fail_one_by_one() {
        assert_eq!(
            run(400, r#"{"errors":[{"code":"urn:x:Field/Invalid"}]}"#),
            [
                "[error-catalogue] body /errors/0/title: the error object lacks `title`",
                "[error-catalogue] body /errors/0/detail: the error object lacks `detail`"
            ]
        );
    }

    #[test]
    fn an_application_code_passes_when_its_meta_urn_is_catalogued() {
        let body = r#"{"errors":[{"code":"APP-7","title":"T","detail":"D","meta":{"urn":"urn:x:Field/Invalid"}}]}"#;
        assert!(run(400, body).is_empty());
        let wrong = r#"{"errors":[{"code":"APP-7","title":"T","detail":"D","meta":{"urn":"urn:x:Field/Invalid"}}]}"#;
        assert_eq!(run(406, wrong).len(), 1);
    }

    #[test]
    fn successes_bodies_without_errors_and_undeclared_apis_are_left_alone() {
        assert!(run(200, &error("urn:x:Request/Invalid")).is_empty());
        assert!(run(401, "not json").is_empty());
        assert!(run(401, "{}").is_empty());
        let bare = Fixture::new("expect: {status: 400}").run_auto(400, &[], &error("nope"));
        assert!(!bare.iter().any(|l| l.starts_with("[error-catalogue]")));
    }

    #[test]
    fn every_object_of_the_body_is_judged() {
        let body = r#"{"errors":[{"code":"urn:x:Field/Invalid","title":"T","detail":"D"},{"code":"bad","title":"T","detail":"D"}]}"#;
        assert_eq!(
            run(400, body),
            [
                "[error-catalogue] body /errors/1/code: error code `bad` is not in the API's error catalogue"
            ]
        );
    }
}
