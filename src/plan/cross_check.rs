//! Cross-checks of each loaded suite: the operation ids and path templates it names exist in
//! its spec, the cases its `grade` names exist, and its `walk` steps have a pagination rule to
//! follow.

use crate::diag::{Diagnostic, did_you_mean};
use crate::openapi::Spec;
use crate::plan::Plan;
use crate::suite::Suite;

/// Operation ids and path templates the suite uses must exist in its spec.
pub(crate) fn cross_check(suite: &Suite, spec: &Spec) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (ci, case) in suite.file.cases.iter().enumerate() {
        for (si, step) in case.steps.iter().enumerate() {
            let at = format!("{}/request", suite.step_pointer(ci, si));
            let r = &step.request;
            if let Some(id) = &r.operation
                && spec.operation(id).is_none()
            {
                let mut d = suite.doc.diag(
                    &format!("{at}/operation"),
                    format!("operation `{id}` is not in {}", spec.file),
                );
                if let Some(s) =
                    did_you_mean(id, spec.operations.iter().filter_map(|o| o.id.as_deref()))
                {
                    d = d.with_help(format!("did you mean `{s}`?"));
                }
                out.push(d);
            }
            if let (Some(path), Some(method)) = (&r.path, &r.method)
                && !spec
                    .operations
                    .iter()
                    .any(|o| o.path == *path && o.method.eq_ignore_ascii_case(method))
            {
                out.push(suite.doc.diag(
                    &format!("{at}/path"),
                    format!("{method} {path} is not an operation of {}", spec.file),
                ));
            }
        }
    }
    out
}

/// Every case the suite's `grade` names is a case of the suite, written or generated.
pub(super) fn graded_cases_exist(suite: &Suite) -> Vec<Diagnostic> {
    let ids: Vec<&str> = suite.file.cases.iter().map(|c| c.id.as_str()).collect();
    let mut out = Vec::new();
    for (gi, g) in suite.file.grade.iter().enumerate() {
        let Some(cases) = &g.case else { continue };
        let one = cases.0.len() == 1;
        for (i, id) in cases.0.iter().enumerate() {
            if ids.contains(&id.as_str()) {
                continue;
            }
            let at = if one {
                format!("/grade/{gi}/case")
            } else {
                format!("/grade/{gi}/case/{i}")
            };
            let mut d = suite
                .doc
                .diag(&at, format!("no case of this suite is named `{id}`"));
            if let Some(s) = did_you_mean(id, ids.iter().copied()) {
                d = d.with_help(format!("did you mean `{s}`?"));
            }
            out.push(d);
        }
    }
    out
}

/// A `walk` step follows its API's `protocol.pagination`, so the API must declare one (not
/// judged while a broken `protocol` section of the API is left out).
pub(super) fn walks_need_pagination(plan: &Plan) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let unknown: Vec<&str> = plan
        .suites
        .iter()
        .filter(|ps| ps.suite.dropped.iter().any(|k| k == "protocol"))
        .map(|ps| ps.suite.file.api.as_str())
        .collect();
    for ps in &plan.suites {
        if ps.protocol.as_ref().is_some_and(|p| p.pagination.is_some())
            || unknown.contains(&ps.suite.file.api.as_str())
        {
            continue;
        }
        for (ci, case) in ps.suite.file.cases.iter().enumerate() {
            for (si, step) in case.steps.iter().enumerate() {
                if step.walk.is_some() {
                    out.push(ps.suite.doc.diag_key(
                        &format!("{}/walk", ps.suite.step_pointer(ci, si)),
                        format!(
                            "a `walk` step needs `protocol.pagination` in one of the `{}` suites",
                            ps.suite.file.api
                        ),
                    ));
                }
            }
        }
    }
    out
}
