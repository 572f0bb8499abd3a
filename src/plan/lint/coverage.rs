//! Load-time rules of coverage declarations (`protocol.coverage`): every exemption names
//! something the API documents, an operation of its spec, a catalogued error code, or a
//! requirement the API declares or a case cites.

use crate::diag::{Diagnostic, did_you_mean};
use crate::plan::{Plan, PlannedSuite};
use crate::suite::protocol::Protocol;
use crate::suite::protocol::coverage::{CoverageRule, Exempt};
use crate::suite::protocol::errors::Entry;

/// Every exemption that names something the API does not document: an unknown operation, an
/// uncatalogued code, a requirement nothing states. A status the spec does not list is no load
/// error: the spec may be another than the suite's own (`--spec API=FILE`), and the exemption
/// then exempts nothing, which coverage reports as a note ([`undocumented_statuses`](crate::suite::protocol::coverage::undocumented_statuses)).
pub fn lint(plan: &Plan) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for ps in &plan.suites {
        let Some(p) = &ps.suite.file.protocol else {
            continue;
        };
        let Some(rule) = &p.coverage else { continue };
        for (i, e) in rule.exempt.iter().enumerate() {
            let at = format!("/protocol/coverage/exempt/{i}");
            out.extend(exempt_problem(plan, ps, p, rule, e, &at));
        }
    }
    out
}

fn exempt_problem(
    plan: &Plan,
    ps: &PlannedSuite,
    p: &Protocol,
    rule: &CoverageRule,
    e: &Exempt,
    at: &str,
) -> Option<Diagnostic> {
    let doc = &ps.suite.doc;
    let named = [
        e.status.is_some(),
        e.error.is_some(),
        e.requirement.is_some(),
    ];
    if named.iter().filter(|b| **b).count() != 1 {
        return Some(doc.diag(
            at,
            "an exemption names exactly one of `status`, `error` or `requirement`",
        ));
    }
    let ops = &ps.spec.operations;
    if let Some(op) = &e.operation {
        if e.status.is_none() {
            return Some(doc.diag_key(
                &format!("{at}/operation"),
                "`operation` narrows a `status` exemption",
            ));
        }
        if !ops.iter().any(|o| o.name() == *op) {
            let mut d = doc.diag(
                &format!("{at}/operation"),
                format!("operation `{op}` is not in {}", ps.spec.file),
            );
            let names: Vec<String> = ops.iter().map(|o| o.name()).collect();
            if let Some(s) = did_you_mean(op, names.iter().map(String::as_str)) {
                d = d.with_help(format!("did you mean `{s}`?"));
            }
            return Some(d);
        }
    }
    if let Some(code) = &e.error {
        let entry = p.errors.as_ref().and_then(|c| c.entry(code));
        if !entry.is_some_and(Entry::applies) {
            return Some(doc.diag(
                &format!("{at}/error"),
                format!("`{code}` is not a catalogued error code of an operation of this API"),
            ));
        }
    }
    if let Some(req) = &e.requirement {
        let cited = plan
            .suites
            .iter()
            .filter(|s| s.suite.file.api == ps.suite.file.api)
            .flat_map(|s| &s.suite.file.cases)
            .any(|c| c.requirements.contains(req));
        if !cited && !rule.requirements.contains(req) {
            return Some(doc.diag(
                &format!("{at}/requirement"),
                format!("requirement `{req}` is neither declared under `requirements` nor cited by a case"),
            ));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    const SPEC: &str = "openapi: 3.0.3\ninfo: {title: T, version: \"1\"}\npaths:\n  /things:\n    get:\n      operationId: listThings\n      responses:\n        \"200\": {description: ok}\n        \"429\": {description: slow down}\n";

    /// The diagnostics of a suite whose `protocol.coverage.exempt` holds `exempt`.
    fn problems(name: &str, exempt: &str) -> Vec<String> {
        let dir = std::env::temp_dir().join(format!("accord-exempt-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("things.openapi.yaml"), SPEC).unwrap();
        let suite = format!(
            "api: t\nspec: things.openapi.yaml\nerrors:\n  codes: [/code]\nprotocol:\n  errors:\n    requirement: R\n    catalogue:\n      - {{code: SLOW, status: 429, title: Slow, when: too many}}\n      - {{code: AWAY, status: 503, title: Away, when: elsewhere, operations: []}}\n  coverage:\n    exempt:\n      - {exempt}\ncases:\n  - id: c\n    title: T\n    requirements: [Listing]\n    steps:\n      - request: {{operation: listThings}}\n        expect: {{status: 200}}\n"
        );
        std::fs::write(dir.join("things.yaml"), suite).unwrap();
        match crate::plan::load(&[dir.join("things.yaml")]) {
            Ok(_) => Vec::new(),
            Err(d) => d
                .iter()
                .map(|d| format!("{}:{}: {}", d.line, d.col, d.message))
                .collect(),
        }
    }

    #[test]
    fn exemptions_of_documented_things_load() {
        for ok in [
            "{status: 429, reason: r}",
            "{status: 429, operation: listThings, reason: r}",
            "{error: SLOW, reason: r}",
            "{requirement: Listing, reason: r}",
            "{status: 500, reason: r}",
        ] {
            assert_eq!(problems("ok", ok), Vec::<String>::new(), "{ok}");
        }
    }

    #[test]
    fn exemptions_of_undocumented_things_are_located() {
        assert_eq!(
            problems(
                "operation",
                "{status: 429, operation: listThing, reason: r}"
            )[0]
            .split(" is not in ")
            .next(),
            Some("13:34: operation `listThing`")
        );
        assert_eq!(
            problems("error", "{error: AWAY, reason: r}"),
            ["13:17: `AWAY` is not a catalogued error code of an operation of this API"]
        );
        assert_eq!(
            problems("requirement", "{requirement: Paging, reason: r}"),
            [
                "13:23: requirement `Paging` is neither declared under `requirements` nor cited by a case"
            ]
        );
        assert_eq!(
            problems("two", "{status: 429, error: SLOW, reason: r}"),
            ["13:9: an exemption names exactly one of `status`, `error` or `requirement`"]
        );
    }
}
