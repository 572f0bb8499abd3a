//! Citations held to the catalogue: with a catalogue, every requirement a hand-written case
//! cites and every `requirement` a protocol declaration names is one of its ids, and the
//! catalogue, not `protocol.coverage`, lists the API's requirements and says why one is not
//! tested.
//!
//! Generated cases cite their declaration's requirement; what else they list (the OpenAPI rule
//! a negative case breaks, the codes a refusal carries) describes the case and is not held to
//! the catalogue.

use crate::catalogue::Catalogue;
use crate::diag::{Diagnostic, did_you_mean};
use crate::plan::{Plan, PlannedSuite};

/// Every citation of a suite whose API has a catalogue that is not one of its ids, and every
/// case a catalogue names that no suite of its API has.
pub fn lint(plan: &Plan) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> = plan.suites.iter().flat_map(suite_problems).collect();
    let mut seen: Vec<&str> = Vec::new();
    for ps in &plan.suites {
        let Some(cat) = &ps.catalogue else { continue };
        if seen.contains(&cat.doc.file.as_str()) {
            continue;
        }
        seen.push(&cat.doc.file);
        out.extend(named_cases(plan, cat));
    }
    out
}

/// The cases a catalogue names that its API's suites do not have.
fn named_cases(plan: &Plan, cat: &Catalogue) -> Vec<Diagnostic> {
    let ids: Vec<&str> = plan
        .suites
        .iter()
        .filter(|s| s.suite.file.api == cat.api)
        .flat_map(|s| &s.suite.file.cases)
        .map(|c| c.id.as_str())
        .collect();
    let mut out = Vec::new();
    for (i, r) in cat.requirements.iter().enumerate() {
        for (j, case) in r.cases.iter().enumerate() {
            if ids.contains(&case.as_str()) {
                continue;
            }
            let mut d = cat.doc.diag(
                &format!("/requirements/{i}/cases/{j}"),
                format!("no case `{case}` in the {} suites", cat.api),
            );
            if let Some(s) = did_you_mean(case, ids.iter().copied()) {
                d = d.with_help(format!("did you mean `{s}`?"));
            }
            out.push(d);
        }
    }
    out
}

fn suite_problems(ps: &PlannedSuite) -> Vec<Diagnostic> {
    let Some(cat) = &ps.catalogue else {
        return Vec::new();
    };
    let doc = &ps.suite.doc;
    let mut out = Vec::new();
    let mut cite = |at: String, id: &str| {
        if cat.get(id).is_none() {
            out.push(cat.unknown(doc, &at, id));
        }
    };
    for (ci, case) in ps.suite.file.cases.iter().enumerate() {
        if case.origin.is_some() {
            continue;
        }
        for (ri, r) in case.requirements.iter().enumerate() {
            cite(format!("/cases/{ci}/requirements/{ri}"), r);
        }
    }
    let Some(p) = &ps.suite.file.protocol else {
        return out;
    };
    let declared = [
        (
            "correlation",
            p.correlation.as_ref().map(|c| &c.requirement),
        ),
        ("versions", p.versions.as_ref().map(|c| &c.requirement)),
        ("auth", p.auth.as_ref().map(|c| &c.requirement)),
        ("errors", p.errors.as_ref().map(|c| &c.requirement)),
        ("negative", p.negative.as_ref().map(|c| &c.requirement)),
        ("pagination", p.pagination.as_ref().map(|c| &c.requirement)),
    ];
    for (name, req) in declared {
        if let Some(req) = req {
            cite(format!("/protocol/{name}/requirement"), req);
        }
    }
    if let Some(n) = p.errors.as_ref().and_then(|e| e.names_input.as_ref()) {
        cite(
            "/protocol/errors/names_input/requirement".to_owned(),
            &n.requirement,
        );
    }
    for (i, f) in p.formats.iter().enumerate() {
        if let Some(req) = &f.requirement {
            cite(format!("/protocol/formats/{i}/requirement"), req);
        }
    }
    if let Some(rule) = &p.coverage {
        if !rule.requirements.is_empty() {
            out.push(doc.diag_key(
                "/protocol/coverage/requirements",
                format!(
                    "the catalogue {} lists the API's requirements: drop `requirements` here",
                    cat.doc.file
                ),
            ));
        }
        for (i, e) in rule.exempt.iter().enumerate() {
            if e.requirement.is_some() {
                out.push(doc.diag_key(
                    &format!("/protocol/coverage/exempt/{i}/requirement"),
                    "with a catalogue, say why a requirement is not tested in its entry (`untestable`, `allows` or `gap`)",
                ));
            }
        }
    }
    out
}
