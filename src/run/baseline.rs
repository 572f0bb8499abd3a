//! Comparing a run with an earlier one (`accord run --baseline results.json`).
//!
//! Every case of the run gets a [`Mark`]: whether it fails now and whether it failed in the
//! baseline. A case *fails* when its outcome is `failed`, `errored` or `waived` (a waiver
//! excuses a failure, it does not mend it); `passed` and `skipped` cases do not. Baseline cases that are no longer in the suites at all are listed as
//! removed. The main type is [`Comparison`], stored in the run summary so that every report
//! shows it; [`FailOn`] says whether known failures still fail the run.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::run::{Outcome, RunSummary};

/// How a case compares with the baseline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Mark {
    /// Fails now, did not fail in the baseline.
    NewFailure,
    /// Failed in the baseline, does not fail now.
    Fixed,
    /// Failed in the baseline and fails now.
    StillFailing,
    /// Did not fail in the baseline and does not fail now.
    StillPassing,
    /// Not in the baseline.
    New,
}

impl Mark {
    /// The kebab-case name, as serialized.
    pub fn as_str(self) -> &'static str {
        match self {
            Mark::NewFailure => "new-failure",
            Mark::Fixed => "fixed",
            Mark::StillFailing => "still-failing",
            Mark::StillPassing => "still-passing",
            Mark::New => "new",
        }
    }
}

/// What fails the run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FailOn {
    /// Every failing case (the default).
    #[default]
    Any,
    /// Only cases that fail now and did not fail in the baseline.
    New,
}

impl std::str::FromStr for FailOn {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "any" => Ok(FailOn::Any),
            "new" => Ok(FailOn::New),
            other => Err(format!("`{other}` is not `any` or `new`")),
        }
    }
}

/// Counts per mark.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MarkTotals {
    pub new_failures: usize,
    pub fixed: usize,
    pub still_failing: usize,
    pub still_passing: usize,
    pub new: usize,
    pub removed: usize,
}

/// The comparison of a run with its baseline, as every report shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Comparison {
    /// The baseline results file as the user named it.
    pub file: String,
    /// `new` when only new failures fail the run.
    #[serde(default)]
    pub fail_on: FailOn,
    pub totals: MarkTotals,
    /// Cases of the baseline that no suite holds any more, sorted.
    pub removed: Vec<String>,
}

impl Comparison {
    /// One line for summaries: `2 new failures, 1 fixed, 3 still failing, 20 still passing`,
    /// then `, N new` and `, N removed` when there are any.
    pub fn phrase(&self) -> String {
        let t = &self.totals;
        let mut out = format!(
            "{} new failure{}, {} fixed, {} still failing, {} still passing",
            t.new_failures,
            if t.new_failures == 1 { "" } else { "s" },
            t.fixed,
            t.still_failing,
            t.still_passing
        );
        if t.new > 0 {
            let _ = write!(out, ", {} new", t.new);
        }
        if t.removed > 0 {
            let _ = write!(out, ", {} removed", t.removed);
        }
        out
    }

    /// Recounts the totals from the marks of `summary`'s cases and the removed list.
    pub fn recount(&mut self, summary_cases: &[crate::run::CaseResult]) {
        let mut t = MarkTotals {
            removed: self.removed.len(),
            ..MarkTotals::default()
        };
        for c in summary_cases {
            match c.baseline {
                Some(Mark::NewFailure) => t.new_failures += 1,
                Some(Mark::Fixed) => t.fixed += 1,
                Some(Mark::StillFailing) => t.still_failing += 1,
                Some(Mark::StillPassing) => t.still_passing += 1,
                Some(Mark::New) => t.new += 1,
                None => {}
            }
        }
        self.totals = t;
    }
}

/// Reads a baseline results file; any format version but the current one is refused.
pub fn load(path: &Path) -> Result<RunSummary, String> {
    let shown = path.display();
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("--baseline {shown}: cannot read: {e}"))?;
    crate::run::json::parse(&text).map_err(|e| format!("--baseline {shown}: {e}"))
}

/// Marks every case of `summary` against `baseline` and stores the [`Comparison`].
///
/// `known` holds every case name of the loaded suites, selected or not: a baseline case outside
/// the run's selection (filtered out, or in another partition) is not removed, only one that no
/// suite holds any more.
pub fn compare(
    summary: &mut RunSummary,
    baseline: &RunSummary,
    file: &str,
    known: &HashSet<String>,
    fail_on: FailOn,
) {
    let before: HashMap<&str, Outcome> = baseline
        .cases
        .iter()
        .map(|c| (c.name.as_str(), c.outcome))
        .collect();
    for case in &mut summary.cases {
        let failing = fails(case.outcome);
        case.baseline = Some(match before.get(case.name.as_str()) {
            None => Mark::New,
            Some(was) => match (fails(*was), failing) {
                (false, true) => Mark::NewFailure,
                (true, false) => Mark::Fixed,
                (true, true) => Mark::StillFailing,
                (false, false) => Mark::StillPassing,
            },
        });
    }
    let mut removed: Vec<String> = baseline
        .cases
        .iter()
        .filter(|c| !known.contains(&c.name))
        .map(|c| c.name.clone())
        .collect();
    removed.sort();
    removed.dedup();
    let mut comparison = Comparison {
        file: file.to_owned(),
        fail_on,
        totals: MarkTotals::default(),
        removed,
    };
    comparison.recount(&summary.cases);
    summary.baseline = Some(comparison);
}

/// True for the outcomes a baseline comparison treats as failing.
fn fails(outcome: Outcome) -> bool {
    matches!(
        outcome,
        Outcome::Failed | Outcome::Errored | Outcome::Waived
    )
}

/// True when the case counts against the run under `fail_on`: any failing case, or with
/// [`FailOn::New`] only one that fails now and did not fail in the baseline (a failing case
/// that is not in the baseline counts as new).
pub fn counts(case: &crate::run::CaseResult, fail_on: FailOn) -> bool {
    case.outcome.is_failing()
        && match fail_on {
            FailOn::Any => true,
            FailOn::New => !matches!(case.baseline, Some(Mark::StillFailing)),
        }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture;

    fn with_outcomes(outcomes: &[(&str, Outcome)]) -> RunSummary {
        let mut s = fixture::summary();
        let template = s.cases[0].clone();
        s.cases = outcomes
            .iter()
            .map(|(name, o)| {
                let mut c = template.clone();
                c.name = (*name).into();
                c.outcome = *o;
                c
            })
            .collect();
        s
    }

    #[test]
    fn marks_every_pairing() {
        let base = with_outcomes(&[
            ("a", Outcome::Passed),
            ("b", Outcome::Failed),
            ("c", Outcome::Errored),
            ("d", Outcome::Passed),
            ("gone", Outcome::Failed),
            ("elsewhere", Outcome::Passed),
        ]);
        let mut now = with_outcomes(&[
            ("a", Outcome::Failed),
            ("b", Outcome::Passed),
            ("c", Outcome::Failed),
            ("d", Outcome::Skipped),
            ("e", Outcome::Failed),
        ]);
        let known: HashSet<String> = ["a", "b", "c", "d", "e", "elsewhere"]
            .into_iter()
            .map(String::from)
            .collect();
        compare(&mut now, &base, "base.json", &known, FailOn::New);
        let marks: Vec<Mark> = now.cases.iter().map(|c| c.baseline.unwrap()).collect();
        assert_eq!(
            marks,
            [
                Mark::NewFailure,
                Mark::Fixed,
                Mark::StillFailing,
                Mark::StillPassing,
                Mark::New
            ]
        );
        let cmp = now.baseline.as_ref().unwrap();
        assert_eq!(cmp.removed, ["gone"]);
        assert_eq!(
            cmp.phrase(),
            "1 new failure, 1 fixed, 1 still failing, 1 still passing, 1 new, 1 removed"
        );
        let counted: Vec<&str> = now
            .cases
            .iter()
            .filter(|c| counts(c, FailOn::New))
            .map(|c| c.name.as_str())
            .collect();
        assert_eq!(counted, ["a", "e"]);
        assert_eq!(
            now.cases.iter().filter(|c| counts(c, FailOn::Any)).count(),
            3
        );
    }

    #[test]
    fn a_waived_failure_is_still_a_failure_that_does_not_count() {
        let base = with_outcomes(&[("a", Outcome::Failed), ("b", Outcome::Passed)]);
        let mut now = with_outcomes(&[("a", Outcome::Waived), ("b", Outcome::Waived)]);
        compare(&mut now, &base, "b.json", &HashSet::new(), FailOn::Any);
        assert_eq!(now.cases[0].baseline, Some(Mark::StillFailing));
        assert_eq!(now.cases[1].baseline, Some(Mark::NewFailure));
        assert!(!now.cases.iter().any(|c| counts(c, FailOn::Any)));
    }

    #[test]
    fn reads_fail_on() {
        assert_eq!("new".parse::<FailOn>(), Ok(FailOn::New));
        assert!("all".parse::<FailOn>().is_err());
    }
}
