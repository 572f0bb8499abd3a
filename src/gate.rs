//! Finishing a run and deciding its exit code from the summary alone, so that `accord run`
//! and `accord merge` decide it the same way.
//!
//! [`finish`] applies what the command line added to the judged cases: the waivers file, the
//! baseline comparison and the partition record.
//!
//! A waiver problem (expired or stale) fails the run; otherwise the cases that count (every
//! failing case, or with `--fail-on new` only those the baseline did not know as failing)
//! decide: a failed one gives [`exit::FAIL`], else an errored one [`exit::CANNOT_TEST`].

use std::collections::HashSet;

use crate::baseline::{self, FailOn};
use crate::exit;
use crate::partition::PartitionInfo;
use crate::run::{Outcome, RunSummary};
use crate::waivers::{self, Waivers};

/// What the command line adds to a run once its cases are judged.
#[derive(Default)]
pub struct Finish<'a> {
    /// The waivers file and today's date (`YYYY-MM-DD`).
    pub waivers: Option<(&'a Waivers, &'a str)>,
    /// The baseline run, the file it came from, and what fails the run.
    pub baseline: Option<(&'a RunSummary, &'a str, FailOn)>,
    /// Every case name of the loaded suites, selected or not.
    pub known: Option<&'a HashSet<String>>,
    /// The share this run holds, when partitioned.
    pub partition: Option<PartitionInfo>,
}

/// Applies waivers first (they change outcomes), then the baseline (which compares the final
/// outcomes), then records the partition.
pub fn finish(summary: &mut RunSummary, f: Finish<'_>) {
    if let Some((w, today)) = f.waivers {
        waivers::apply(summary, w, today);
    }
    if let Some((base, file, fail_on)) = f.baseline {
        let empty = HashSet::new();
        baseline::compare(summary, base, file, f.known.unwrap_or(&empty), fail_on);
    }
    summary.partition = f.partition;
}

/// 1 when a counted case failed or a waiver fails the run; else 3 when a counted case could
/// not be tested; else 0.
pub fn exit_code(summary: &RunSummary) -> i32 {
    let fail_on = summary.baseline.as_ref().map_or(FailOn::Any, |b| b.fail_on);
    let counted = || {
        summary
            .cases
            .iter()
            .filter(move |c| baseline::counts(c, fail_on))
    };
    // Coverage a run was told to reach and did not is a failure, but only once every case
    // could be tested: an errored case explains missing coverage.
    let unmet = summary
        .coverage
        .as_ref()
        .is_some_and(|c| !c.unmet().is_empty());
    if !summary.waiver_problems.is_empty() || counted().any(|c| c.outcome == Outcome::Failed) {
        exit::FAIL
    } else if counted().any(|c| c.outcome == Outcome::Errored) {
        exit::CANNOT_TEST
    } else if unmet {
        exit::FAIL
    } else {
        exit::PASS
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::baseline::{Comparison, Mark, MarkTotals};
    use crate::report::fixture;

    #[test]
    fn failures_then_errors_decide() {
        let mut s = fixture::summary();
        assert_eq!(exit_code(&s), exit::FAIL);
        s.cases.remove(1);
        assert_eq!(exit_code(&s), exit::CANNOT_TEST);
        s.cases.remove(1);
        assert_eq!(exit_code(&s), exit::PASS);
    }

    #[test]
    fn known_failures_pass_under_fail_on_new() {
        let mut s = fixture::summary();
        s.cases[1].baseline = Some(Mark::StillFailing);
        s.cases[2].baseline = Some(Mark::StillFailing);
        s.baseline = Some(Comparison {
            file: "b.json".into(),
            fail_on: FailOn::New,
            totals: MarkTotals::default(),
            removed: Vec::new(),
        });
        assert_eq!(exit_code(&s), exit::PASS);
        s.cases[2].baseline = Some(Mark::NewFailure);
        assert_eq!(exit_code(&s), exit::CANNOT_TEST);
        s.cases[1].baseline = Some(Mark::New);
        assert_eq!(exit_code(&s), exit::FAIL);
    }

    #[test]
    fn a_waiver_problem_fails_an_otherwise_green_run() {
        let mut s = fixture::summary();
        s.cases.retain(|c| !c.outcome.is_failing());
        assert_eq!(exit_code(&s), exit::PASS);
        s.waiver_problems = fixture::summary_for_ci().waiver_problems;
        assert_eq!(exit_code(&s), exit::FAIL);
    }
}
