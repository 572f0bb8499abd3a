//! Load-time rules of error catalogues: the catalogue itself is sound (unique codes, known
//! operations, a way to find error objects, `names_input` codes that are catalogued), and every
//! `expect.error` of every suite of the API names a catalogued code that fits the step's status
//! and operation.

use std::collections::HashSet;

use crate::diag::{Diagnostic, did_you_mean};
use crate::plan::{Plan, PlannedSuite};
use crate::pointer;
use crate::suite::protocol::errors::ErrorCatalogue;

/// Every problem of the plan's error catalogues and of the expectations that name codes.
pub fn lint(plan: &Plan) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for declaring in &plan.suites {
        let Some(cat) = declaring
            .suite
            .file
            .protocol
            .as_ref()
            .and_then(|p| p.errors.as_ref())
        else {
            continue;
        };
        out.extend(catalogue_problems(declaring, cat));
        for ps in plan
            .suites
            .iter()
            .filter(|s| s.suite.file.api == declaring.suite.file.api)
        {
            out.extend(expectation_problems(ps, cat));
        }
    }
    out
}

fn catalogue_problems(ps: &PlannedSuite, cat: &ErrorCatalogue) -> Vec<Diagnostic> {
    let doc = &ps.suite.doc;
    let at = "/protocol/errors";
    let mut out = Vec::new();
    let codes = ps.suite.file.error_code_pointers();
    if cat.objects.is_none() && codes.is_empty() {
        out.push(
            doc.diag_key(at, "an error catalogue needs to know where error objects are")
                .with_help("give `objects` (a JSON Pointer, `*` for every element) or the suite's `errors.codes`"),
        );
    }
    let ops: Vec<String> = ps.spec.operations.iter().map(|o| o.name()).collect();
    let mut seen = HashSet::new();
    for (i, e) in cat.catalogue.iter().enumerate() {
        let ep = format!("{at}/catalogue/{i}");
        if !seen.insert(e.code.as_str()) {
            out.push(doc.diag(
                &format!("{ep}/code"),
                format!("`{}` is catalogued twice", e.code),
            ));
        }
        for (j, op) in e.operations.iter().flatten().enumerate() {
            if !ops.contains(op) {
                let mut d = doc.diag(
                    &format!("{ep}/operations/{j}"),
                    format!("operation `{op}` is not in {}", ps.spec.file),
                );
                if let Some(s) = did_you_mean(op, ops.iter().map(String::as_str)) {
                    d = d.with_help(format!("did you mean `{s}`?"));
                }
                out.push(d);
            }
        }
    }
    for (j, code) in cat.names_input.iter().flat_map(|n| &n.codes).enumerate() {
        if cat.entry(code).is_none() {
            let mut d = doc.diag(
                &format!("{at}/names_input/codes/{j}"),
                format!("`{code}` is not in the API's error catalogue"),
            );
            if let Some(s) = did_you_mean(code, cat.catalogue.iter().map(|e| e.code.as_str())) {
                d = d.with_help(format!("did you mean `{s}`?"));
            }
            out.push(d);
        }
    }
    out
}

fn expectation_problems(ps: &PlannedSuite, cat: &ErrorCatalogue) -> Vec<Diagnostic> {
    let suite = &ps.suite;
    let mut out = Vec::new();
    for (ci, case) in suite.file.cases.iter().enumerate() {
        for (si, step) in case.steps.iter().enumerate() {
            let expect_at = format!("{}/expect", suite.step_pointer(ci, si));
            let own = (&step.expect.error, &step.expect.status, expect_at.clone());
            let alternatives = step.expect.one_of.iter().enumerate().map(|(i, a)| {
                let status = if a.status.is_some() {
                    &a.status
                } else {
                    &step.expect.status
                };
                (&a.error, status, format!("{expect_at}/one_of/{i}"))
            });
            for (error, status, at) in std::iter::once(own).chain(alternatives) {
                if let Some(want) = error {
                    out.extend(codes_problems(
                        ps,
                        cat,
                        step,
                        want,
                        status,
                        &format!("{at}/error"),
                    ));
                }
            }
        }
    }
    out
}

/// The problems of one expected `error` (at `at`) with the catalogue: an uncatalogued code, a
/// code catalogued with another status than `status`, or for another operation.
fn codes_problems(
    ps: &PlannedSuite,
    cat: &ErrorCatalogue,
    step: &crate::suite::Step,
    want: &crate::suite::OneOrMany,
    status: &Option<crate::suite::StatusSet>,
    at: &str,
) -> Vec<Diagnostic> {
    let suite = &ps.suite;
    let mut out = Vec::new();
    let listed = suite.doc.value.pointer(at).is_some_and(|v| v.is_array());
    let operation = step.request.operation.as_deref().or_else(|| {
        let (method, path) = (
            step.request.method.as_deref()?,
            step.request.path.as_deref()?,
        );
        ps.spec
            .operations
            .iter()
            .find(|o| o.path == path && o.method.eq_ignore_ascii_case(method))
            .and_then(|o| o.id.as_deref())
    });
    for (k, code) in want.0.iter().enumerate() {
        let here = if listed {
            pointer::join(at, &k.to_string())
        } else {
            at.to_owned()
        };
        let Some(entry) = cat.entry(code) else {
            let mut d = suite.doc.diag(
                &here,
                format!("error code `{code}` is not in the API's error catalogue"),
            );
            d = match did_you_mean(code, cat.catalogue.iter().map(|e| e.code.as_str())) {
                Some(s) => d.with_help(format!("did you mean `{s}`?")),
                None => d.with_help(
                    "catalogue it under `protocol.errors.catalogue`, with its status, title and when it happens",
                ),
            };
            out.push(d);
            continue;
        };
        if let Some(statuses) = status
            && !statuses.overlaps(&entry.status)
        {
            out.push(suite.doc.diag(
                &here,
                format!(
                    "the step expects status {statuses}, and `{code}` is catalogued with status {}",
                    entry.status
                ),
            ));
        }
        if let Some(op) = operation
            && !entry.applies_to(op)
        {
            out.push(suite.doc.diag(
                &here,
                format!(
                    "`{code}` is catalogued for {}, not for operation `{op}`",
                    entry.operations_text()
                ),
            ));
        }
    }
    out
}
