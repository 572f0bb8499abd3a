//! Finishing a run and deciding its exit code from the summary alone, so that `accord run`
//! and `accord merge` decide it the same way.
//!
//! [`finish`] applies what the command line added to the judged cases: warnings counted as
//! failures (`--fail-on warnings`), the waivers file, the baseline comparison and the partition
//! record.
//!
//! A waiver problem (expired or stale) fails the run; otherwise the cases that count (every
//! failing case, or with `--fail-on new` only those the baseline did not know as failing)
//! decide: a failed one gives `exit::FAIL`, else an errored one `exit::CANNOT_TEST`.

use std::collections::HashSet;

use crate::exit;
use crate::finding::Severity;
use crate::partition::PartitionInfo;
use crate::run::baseline::{self, FailOn};
use crate::run::waivers::{self, Waivers};
use crate::run::{Outcome, RunSummary};

/// What the command line adds to a run once its cases are judged.
#[derive(Default)]
pub struct Finish<'a> {
    /// Count every warning as a failure.
    pub fail_on_warnings: bool,
    /// When an API's run is inconclusive, if not by the defaults.
    pub thresholds: Option<crate::run::assess::Thresholds>,
    /// The waivers file and today's date (`YYYY-MM-DD`).
    pub waivers: Option<(&'a Waivers, &'a str)>,
    /// The baseline run, the file it came from, and what fails the run.
    pub baseline: Option<(&'a RunSummary, &'a str, FailOn)>,
    /// Every case name of the loaded suites, selected or not.
    pub known: Option<&'a HashSet<String>>,
    /// The share this run holds, when partitioned.
    pub partition: Option<PartitionInfo>,
}

/// Counts warnings as failures first when asked, then applies waivers (both change outcomes),
/// then the baseline (which compares the final outcomes), then records the partition.
pub fn finish(summary: &mut RunSummary, f: Finish<'_>) {
    if f.fail_on_warnings {
        fail_on_warnings(summary);
    }
    if let Some(t) = f.thresholds {
        summary.assessment = Some(crate::run::assess::assess(&summary.cases, t));
    }
    if let Some((w, today)) = f.waivers {
        waivers::apply(summary, w, today);
    }
    if let Some((base, file, fail_on)) = f.baseline {
        let empty = HashSet::new();
        baseline::compare(summary, base, file, f.known.unwrap_or(&empty), fail_on);
    }
    summary.partition = f.partition;
}

/// True when some API's run tested too little to conclude.
pub fn inconclusive(summary: &RunSummary) -> bool {
    summary
        .assessment
        .as_ref()
        .is_some_and(|a| a.inconclusive().next().is_some())
}

/// Raises every warning to a failure, saying why beside it, and judges the cases again.
pub fn fail_on_warnings(summary: &mut RunSummary) {
    summary.fail_on_warnings = true;
    for case in &mut summary.cases {
        for f in case.findings.iter_mut().filter(|f| !f.fails()) {
            let why = match &f.severity_reason {
                Some(r) => format!("a warning ({r}), counted as a failure by --fail-on warnings"),
                None => "a warning, counted as a failure by --fail-on warnings".to_owned(),
            };
            *f = f.clone().graded(Severity::Error, why);
        }
        case.judge();
    }
    summary.totals = RunSummary::count(&summary.cases);
}

/// 1 when a counted case failed or a waiver fails the run; else 3 when a counted case could
/// not be tested or an API's run is inconclusive (it tested too little to conclude); else 0.
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
    } else if counted().any(|c| c.outcome == Outcome::Errored) || inconclusive(summary) {
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
    use crate::report::fixture;
    use crate::run::baseline::{Comparison, Mark, MarkTotals};

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
    fn an_inconclusive_green_run_cannot_conclude() {
        let mut s = fixture::summary();
        s.cases.retain(|c| !c.outcome.is_failing());
        assert_eq!(exit_code(&s), exit::PASS);
        for c in &mut s.cases {
            c.outcome = Outcome::Skipped;
        }
        finish(
            &mut s,
            Finish {
                thresholds: Some(crate::run::assess::Thresholds::default()),
                ..Finish::default()
            },
        );
        assert!(inconclusive(&s));
        assert_eq!(exit_code(&s), exit::CANNOT_TEST);
    }

    #[test]
    fn warnings_fail_only_when_asked() {
        let mut s = fixture::summary();
        s.cases.retain(|c| !c.outcome.is_failing());
        assert_eq!(exit_code(&s), exit::PASS);
        assert_eq!(RunSummary::count(&s.cases).warnings, 1);
        finish(
            &mut s,
            Finish {
                fail_on_warnings: true,
                ..Finish::default()
            },
        );
        assert_eq!(exit_code(&s), exit::FAIL);
        assert!(s.fail_on_warnings);
        assert_eq!((s.totals.warnings, s.totals.failed), (0, 1));
        let f = s.cases.iter().flat_map(|c| &c.findings).next().unwrap();
        assert!(f.fails());
        assert!(
            f.severity_reason
                .as_deref()
                .is_some_and(|r| r.starts_with("a warning (the standard says")
                    && r.ends_with("), counted as a failure by --fail-on warnings")),
            "{f:?}"
        );
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
