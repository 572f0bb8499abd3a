//! `error-title-constant` judged over a whole run: an error code comes with the same `title` in
//! every error response of the run (CDS Error Response Structure: the title "is constant per
//! code").
//!
//! [`judge_run`] runs once every case has finished, where the summary is built: the first error
//! object carrying a code sets its title, and every later object with that code and another
//! title is a failure of the case that received it, naming the case that set the title. The code
//! judged is the object's own (the first of the suite's `errors.codes` pointers):
//! application-specific codes that extend one standard code (`meta.urn`) may well have titles
//! of their own. The check's registry entry is `check::error_title`.

use std::collections::HashMap;

use crate::check::error_title::ID;
use crate::finding::{Finding, Where};
use crate::plan::Plan;
use crate::run::{CaseResult, Outcome};
use crate::suite::protocol::errors::read_objects;

/// Where a code's title was first seen.
struct First {
    title: String,
    case: String,
    step: usize,
}

/// Judges every error response of `cases` (in run order) for titles that change within a code,
/// and fails the cases that received a changed one. Cases that waive the check are passed over.
pub fn judge_run(plan: &Plan, cases: &mut [CaseResult]) {
    let mut first: HashMap<(String, String), First> = HashMap::new();
    let mut suites = HashMap::new();
    for s in &plan.suites {
        suites
            .entry((s.suite.file.api.as_str(), s.suite.name.as_str()))
            .or_insert(s);
    }
    for case in cases.iter_mut() {
        let Some(ps) = suites.get(&(case.api.as_str(), case.suite.as_str())) else {
            continue;
        };
        let waived = ps
            .suite
            .file
            .cases
            .iter()
            .find(|c| c.id == case.id)
            .is_some_and(|c| c.waive.iter().any(|w| w.check == ID));
        let Some(cat) = ps.protocol.as_deref().and_then(|p| p.errors.as_ref()) else {
            continue;
        };
        if waived || !matches!(case.outcome, Outcome::Passed | Outcome::Failed) {
            continue;
        }
        let codes = ps.suite.file.error_code_pointers();
        let Some(objects) = cat.objects_pointer(codes) else {
            continue;
        };
        let mut found = Vec::new();
        for x in &case.exchanges {
            let Some(resp) = x.response.as_ref().filter(|r| r.status >= 400) else {
                continue;
            };
            let Ok(body) = serde_json::from_str::<serde_json::Value>(&resp.body) else {
                continue;
            };
            for obj in read_objects(&body, &objects, codes) {
                let Some((_, code)) = obj.codes.first() else {
                    continue;
                };
                let Some(title) = obj.members.get("title").and_then(|t| t.as_str()) else {
                    continue;
                };
                if cat.entry(code).is_none() {
                    continue;
                }
                let key = (case.api.clone(), code.clone());
                match first.get(&key) {
                    None => {
                        first.insert(
                            key,
                            First {
                                title: title.to_owned(),
                                case: case.name.clone(),
                                step: x.step,
                            },
                        );
                    }
                    Some(f) if f.title != title => found.push(
                        Finding::new(
                            ID,
                            x.step,
                            Where::body(&format!("{}/title", obj.pointer)),
                            format!(
                                "`{code}` came with the title `{title}`, and with `{}` in {} step {}: the title of an error is constant per code",
                                f.title,
                                f.case,
                                f.step + 1
                            ),
                        )
                        .expected(f.title.clone())
                        .actual(title.to_owned())
                        .rule(&cat.requirement),
                    ),
                    Some(_) => {}
                }
            }
        }
        found.retain(|f| !case.findings.contains(f));
        case.findings.extend(found);
        case.judge();
    }
}
