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
use crate::suite::protocol::errors::{read_codes, read_objects};

/// Where a code's title was first seen.
struct First {
    title: String,
    case: String,
    step: usize,
}

/// Judges every error response of `cases` (in run order) for titles that change within a code,
/// and fails the cases that received a changed one. Cases that waive the check are passed over.
pub fn judge_run(plan: &Plan, cases: &mut [CaseResult]) {
    // By API, then by code.
    let mut first: HashMap<String, HashMap<String, First>> = HashMap::new();
    // Each suite by API and name, with its cases by id (the first of a name or id counts).
    let mut suites = HashMap::new();
    for s in &plan.suites {
        suites
            .entry((s.suite.file.api.as_str(), s.suite.name.as_str()))
            .or_insert_with(|| (s, crate::run::assess::cases_by_id([&*s.suite])));
    }
    for case in cases.iter_mut() {
        let Some((ps, by_id)) = suites.get(&(case.api.as_str(), case.suite.as_str())) else {
            continue;
        };
        let waived = by_id
            .get(case.id.as_str())
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
            let Some(body) = resp.body_json() else {
                continue;
            };
            for (i, (members, codes_found)) in
                read_codes(&body, &objects, codes).into_iter().enumerate()
            {
                let Some(&code) = codes_found.first() else {
                    continue;
                };
                let Some(title) = members.get("title").and_then(|t| t.as_str()) else {
                    continue;
                };
                if cat.entry(code).is_none() {
                    continue;
                }
                let titles = match first.get_mut(case.api.as_str()) {
                    Some(titles) => titles,
                    None => first.entry(case.api.clone()).or_default(),
                };
                match titles.get(code) {
                    None => {
                        titles.insert(
                            code.to_owned(),
                            First {
                                title: title.to_owned(),
                                case: case.name.clone(),
                                step: x.step,
                            },
                        );
                    }
                    Some(f) if f.title != title => {
                        // The object's place in the body, read only for the finding.
                        let at = read_objects(&body, &objects, codes)
                            .into_iter()
                            .nth(i)
                            .map(|o| o.pointer)
                            .unwrap_or_default();
                        found.push(
                            Finding::new(
                                ID,
                                x.step,
                                Where::body(&format!("{at}/title")),
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
                        );
                    }
                    Some(_) => {}
                }
            }
        }
        found.retain(|f| !case.findings.contains(f));
        case.findings.extend(found);
        case.judge();
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::exec::blank_result;
    use crate::report::fixture::exchange;

    const CODE: &str = "urn:au-cds:error:cds-all:Field/InvalidPageSize";

    fn errors(titles: &[&str]) -> String {
        let objects: Vec<String> = titles
            .iter()
            .map(|t| format!(r#"{{"code":"{CODE}","title":"{t}","detail":"d"}}"#))
            .collect();
        format!(r#"{{"errors":[{}]}}"#, objects.join(","))
    }

    /// The findings the run's judge gives two cases that got these error bodies, the first
    /// with its parse kept by the record and the second without.
    fn judged(first: &str, second: &str) -> Vec<Finding> {
        let plan = crate::plan::load(&[PathBuf::from("suites/cdr")]).expect("the CDR suite loads");
        let ps = &plan.suites[0];
        let case = |ci: usize, body: &str, keep: bool| {
            let mut r = blank_result(ps, ci);
            let mut x = exchange(0, "/banking/accounts?page-size=0", 400, body);
            if keep {
                let resp = x.response.as_mut().unwrap();
                resp.json = crate::json::parse(&resp.body);
            }
            r.exchanges.push(x);
            r.judge();
            r
        };
        let mut cases = vec![case(0, first, true), case(1, second, false)];
        judge_run(&plan, &mut cases);
        assert!(cases[0].findings.is_empty());
        cases.remove(1).findings
    }

    #[test]
    fn a_title_that_changes_within_a_code_fails_where_it_changed() {
        let found = judged(
            &errors(&["Invalid Page Size"]),
            &errors(&["Invalid Page Size", "Page size too big"]),
        );
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].at, Where::body("/errors/1/title"));
        assert!(
            found[0]
                .message
                .starts_with(&format!("`{CODE}` came with the title `Page size too big`")),
            "{}",
            found[0].message
        );
        assert_eq!(found[0].expected.as_deref(), Some("Invalid Page Size"));
        assert!(judged(&errors(&["Same"]), &errors(&["Same", "Same"])).is_empty());
    }
}
