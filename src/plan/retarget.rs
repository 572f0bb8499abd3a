//! Judging an API's suites against another spec (`--spec`): steps that name an operation the
//! other spec lacks are pointed at its operation with the same method and path template.

use crate::diag::Diagnostic;
use crate::openapi::Spec;
use crate::suite::Suite;

/// Points the suite's steps at `other`'s operations: an operation id `other` lacks is replaced by
/// the id of `other`'s operation with the same method and path template (parameter names may
/// differ; the step's path parameters are renamed by position).
pub(super) fn retarget(suite: &mut Suite, own: &Spec, other: &Spec) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let shape = |path: &str| -> (String, Vec<String>) {
        let mut names = Vec::new();
        let mut shaped = String::new();
        let mut rest = path;
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}') else {
                break;
            };
            shaped.push_str(&rest[..open]);
            shaped.push_str("{}");
            names.push(rest[open + 1..open + close].to_owned());
            rest = &rest[open + close + 1..];
        }
        shaped.push_str(rest);
        (shaped, names)
    };
    for ci in 0..suite.file.cases.len() {
        for si in 0..suite.file.cases[ci].steps.len() {
            let at = format!("{}/request/operation", suite.step_pointer(ci, si));
            let request = &suite.file.cases[ci].steps[si].request;
            let Some(id) = request.operation.clone() else {
                continue;
            };
            if other.operation(&id).is_some() {
                continue;
            }
            let Some(mine) = own.operation(&id) else {
                continue;
            };
            let (my_shape, my_names) = shape(&mine.path);
            let found = other.operations.iter().find(|o| {
                o.method == mine.method && o.id.is_some() && shape(&o.path).0 == my_shape
            });
            let Some(theirs) = found else {
                out.push(suite.doc.diag(
                    &at,
                    format!(
                        "operation `{id}` ({} {}) has no counterpart in {}: no operation there has that method and path",
                        mine.method, mine.path, other.file
                    ),
                ));
                continue;
            };
            let (_, their_names) = shape(&theirs.path);
            let request = &mut suite.file.cases[ci].steps[si].request;
            request.operation = theirs.id.clone();
            for (mine, theirs) in my_names.iter().zip(&their_names) {
                if let Some(v) = request.path_params.shift_remove(mine) {
                    request.path_params.insert(theirs.clone(), v);
                }
            }
        }
    }
    out
}
