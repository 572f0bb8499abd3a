//! Whether a run tested enough to conclude anything: a pass that tested nothing is not a pass.
//!
//! Two things can hollow out a green run of an API: most of its cases were skipped because the
//! target lacked the data they need, or most of its answers were refusals (401, 403, 404) that
//! the steps did not ask for, so the checks judged error bodies instead of the API. [`assess`]
//! measures both per API against [`Thresholds`] (defaults [`MAX_SKIPPED`] and [`MAX_REFUSED`],
//! settable in a profile's `[verdict]` table) and records an [`Assessment`] in the run summary.
//! An API above either threshold is *inconclusive*: every report says so, the certificate's
//! verdict is *Inconclusive* rather than *Conforms*, and the run exits with
//! `exit::CANNOT_TEST` when nothing failed.
//!
//! A case counts as skipped for missing data when it was skipped after sending at least one
//! request (cases refused before sending, such as destructive ones off loopback, are not). An
//! answer counts as a refusal when its status is 401, 403 or 404 and its step did not ask only
//! for error statuses (an authentication case that expects 401 asked for it).

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::plan::Plan;
use crate::profile::VerdictPolicy;
use crate::run::{CaseResult, Outcome};

/// The default: an API with more than half of its cases skipped for missing data is inconclusive.
pub const MAX_SKIPPED: f64 = 0.5;
/// The default: an API with more than half of its answers refusals it did not ask for is
/// inconclusive.
pub const MAX_REFUSED: f64 = 0.5;

/// The statuses that say the target refused to show the API rather than showing it.
const REFUSALS: [u16; 3] = [401, 403, 404];

/// Above these shares an API is inconclusive.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Thresholds {
    /// Share of an API's cases skipped for missing data.
    pub max_skipped: f64,
    /// Share of an API's answers that were refusals its steps did not ask for.
    pub max_refused: f64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            max_skipped: MAX_SKIPPED,
            max_refused: MAX_REFUSED,
        }
    }
}

impl Thresholds {
    /// The inconclusive thresholds of a profile's `[verdict]` table, else the defaults.
    pub fn of(policy: &VerdictPolicy) -> Thresholds {
        let d = Thresholds::default();
        Thresholds {
            max_skipped: policy
                .max_skipped
                .as_ref()
                .map_or(d.max_skipped, |s| *s.get_ref()),
            max_refused: policy
                .max_refused
                .as_ref()
                .map_or(d.max_refused, |s| *s.get_ref()),
        }
    }
}

/// What one API's cases tested.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApiAssessment {
    pub api: String,
    /// Cases of the API in the run.
    pub cases: usize,
    /// Cases skipped after sending, because the target lacked the data they need.
    pub skipped_for_data: usize,
    /// Exchanges that got a response.
    pub answers: usize,
    /// Answers that were 401, 403 or 404 although their step did not ask for a refusal.
    pub refused: usize,
    /// Why the API is inconclusive; empty when the run of it is conclusive.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inconclusive: Vec<String>,
}

/// Whether each API's run tested enough to conclude, with the thresholds applied.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assessment {
    pub thresholds: Thresholds,
    pub apis: Vec<ApiAssessment>,
}

impl Assessment {
    /// The APIs whose run is inconclusive.
    pub fn inconclusive(&self) -> impl Iterator<Item = &ApiAssessment> {
        self.apis.iter().filter(|a| !a.inconclusive.is_empty())
    }

    /// One sentence per inconclusive API: `cdr: 30 of 40 cases were skipped ...`.
    pub fn sentences(&self) -> Vec<String> {
        self.inconclusive()
            .map(|a| format!("{}: {}", a.api, a.inconclusive.join("; ")))
            .collect()
    }
}

/// Counts, on every case of a run of `plan`, the answers that were refusals its steps did not
/// ask for (stored in [`CaseResult::refusals`], so a merge of partial runs can add them up).
pub fn count_refusals(plan: &Plan, cases: &mut [CaseResult]) {
    let mut suites: HashMap<(&str, &str), Vec<&crate::suite::Suite>> = HashMap::new();
    for ps in &plan.suites {
        let s = &*ps.suite;
        suites.entry((&s.file.api, &s.name)).or_default().push(s);
    }
    let suites: HashMap<(&str, &str), HashMap<&str, &crate::suite::Case>> = suites
        .into_iter()
        .map(|(name, named)| (name, cases_by_id(named)))
        .collect();
    for case in cases {
        let named = suites.get(&(case.api.as_str(), case.suite.as_str()));
        let Some(def) = named.and_then(|by_id| by_id.get(case.id.as_str())) else {
            continue;
        };
        case.refusals = case
            .exchanges
            .iter()
            .filter(|x| {
                let Some(r) = &x.response else { return false };
                // Whether the step asked for a refusal is read only for one.
                let asked = || {
                    def.steps.get(x.step).is_some_and(|s| {
                        let statuses = s.expect.statuses();
                        s.expect.negative.is_some()
                            || (!statuses.is_empty() && statuses.iter().all(|code| *code >= 400))
                    })
                };
                REFUSALS.contains(&r.status) && !asked()
            })
            .count();
    }
}

/// The cases of `suites` by id; where an id recurs, the first (in the order given) counts,
/// as a search through them in that order finds it.
pub(crate) fn cases_by_id<'s>(
    suites: impl IntoIterator<Item = &'s crate::suite::Suite>,
) -> HashMap<&'s str, &'s crate::suite::Case> {
    let mut by_id = HashMap::new();
    for c in suites.into_iter().flat_map(|s| &s.file.cases) {
        by_id.entry(c.id.as_str()).or_insert(c);
    }
    by_id
}

/// Measures each API of `cases` (in order of first appearance) against `t`.
pub fn assess(cases: &[CaseResult], t: Thresholds) -> Assessment {
    let mut apis: Vec<&str> = Vec::new();
    for c in cases {
        if !apis.contains(&c.api.as_str()) {
            apis.push(&c.api);
        }
    }
    let apis = apis
        .into_iter()
        .map(|api| {
            let mine: Vec<&CaseResult> = cases.iter().filter(|c| c.api == api).collect();
            let skipped_for_data = mine
                .iter()
                .filter(|c| c.outcome == Outcome::Skipped && !c.exchanges.is_empty())
                .count();
            let answers = mine
                .iter()
                .flat_map(|c| &c.exchanges)
                .filter(|x| x.response.is_some())
                .count();
            let refused: usize = mine.iter().map(|c| c.refusals).sum();
            let mut inconclusive = Vec::new();
            if above(skipped_for_data, mine.len(), t.max_skipped) {
                inconclusive.push(format!(
                    "{skipped_for_data} of {} cases were skipped because the target lacks the data they need (more than {})",
                    mine.len(),
                    percent(t.max_skipped)
                ));
            }
            if above(refused, answers, t.max_refused) {
                inconclusive.push(format!(
                    "{refused} of {answers} answers were 401, 403 or 404 where the step did not ask for a refusal (more than {})",
                    percent(t.max_refused)
                ));
            }
            ApiAssessment {
                api: api.to_owned(),
                cases: mine.len(),
                skipped_for_data,
                answers,
                refused,
                inconclusive,
            }
        })
        .collect();
    Assessment {
        thresholds: t,
        apis,
    }
}

fn above(part: usize, whole: usize, max: f64) -> bool {
    whole > 0 && part as f64 > max * whole as f64
}

fn percent(share: f64) -> String {
    format!("{}%", (share * 100.0 * 10.0).round() / 10.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture;

    #[test]
    fn a_skip_after_sending_counts_and_a_refusal_before_sending_does_not() {
        let mut cases = fixture::summary().cases;
        // Case 3 is a write refused before sending: skipped, but not for missing data.
        assert_eq!(cases[3].outcome, Outcome::Skipped);
        let a = assess(&cases, Thresholds::default());
        assert_eq!(a.apis[0].skipped_for_data, 0);
        assert!(a.inconclusive().next().is_none());
        for c in &mut cases[..3] {
            c.outcome = Outcome::Skipped;
        }
        let a = assess(&cases, Thresholds::default());
        assert_eq!((a.apis[0].skipped_for_data, a.apis[0].cases), (3, 5));
        assert_eq!(
            a.sentences(),
            [
                "cdr: 3 of 5 cases were skipped because the target lacks the data they need (more than 50%)"
            ]
        );
        let lenient = Thresholds {
            max_skipped: 0.6,
            ..Thresholds::default()
        };
        assert!(assess(&cases, lenient).inconclusive().next().is_none());
    }

    #[test]
    fn refusals_are_measured_against_the_answers() {
        let mut cases = fixture::summary().cases;
        let answers: usize = cases
            .iter()
            .flat_map(|c| &c.exchanges)
            .filter(|x| x.response.is_some())
            .count();
        cases[0].refusals = answers / 2;
        assert!(
            assess(&cases, Thresholds::default())
                .inconclusive()
                .next()
                .is_none()
        );
        cases[0].refusals = answers / 2 + 1;
        let a = assess(&cases, Thresholds::default());
        assert_eq!(a.apis[0].refused, answers / 2 + 1);
        assert!(a.sentences()[0].contains("answers were 401, 403 or 404"));
    }
}
