//! The cases a suite's protocol rules generate, added to its written ones once its spec is
//! loaded.

use crate::diag::Diagnostic;
use crate::openapi::Spec;
use crate::suite::Suite;

/// Appends the cases the suite's protocol rules generate; an id already taken is a problem.
pub(crate) fn add_generated(suite: &mut Suite, spec: &Spec) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let (from_spec, problems) = crate::suite::protocol::generate_from_spec(&suite.file, spec);
    for (at, message) in problems {
        out.push(suite.doc.diag(&at, message));
    }
    let generated = crate::suite::protocol::generate(&suite.file);
    for case in generated.into_iter().chain(from_spec) {
        if suite.file.cases.iter().any(|c| c.id == case.id) {
            out.push(suite.doc.diag_key(
                case.origin.as_deref().unwrap_or("/protocol"),
                format!(
                    "this rule generates case `{}`, and the suite already has a case with that id",
                    case.id
                ),
            ));
            continue;
        }
        suite.file.cases.push(case);
    }
    out
}
