//! The result of a run: what every report is a pure function of.
//!
//! [`RunSummary`] holds every case with its exchanges, findings and harness errors. The live
//! terminal reporter instead consumes [`Event`]s as cases finish.

pub mod assess;
pub mod baseline;
pub mod coverage;
pub mod error_title;
pub mod hint;
pub mod json;
pub mod merge;
pub mod provenance;
pub mod repeats;
pub mod verdict;
pub mod waivers;

use serde::{Deserialize, Serialize};

use crate::exchange::Exchange;
use crate::finding::{Finding, HarnessError};

/// The verdict on one case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// Every check held.
    Passed,
    /// At least one finding at failure level (severity `error`).
    Failed,
    /// accord could not test the case (harness error), whatever the findings so far.
    Errored,
    /// Not run (filtered out, or refused by a safety rule), with the reason.
    Skipped,
    /// Failed, but every failing finding is excused by an unexpired entry of the waivers file
    /// ([`crate::run::waivers`]); does not fail the run.
    Waived,
}

impl Outcome {
    /// The outcome as results.json spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Passed => "passed",
            Outcome::Failed => "failed",
            Outcome::Errored => "errored",
            Outcome::Skipped => "skipped",
            Outcome::Waived => "waived",
        }
    }

    /// True for the outcomes that make a run red: `failed` and `errored`.
    pub fn is_failing(self) -> bool {
        matches!(self, Outcome::Failed | Outcome::Errored)
    }
}

/// A check a case switched off, and why. Shown in every report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Waived {
    pub check: String,
    pub reason: String,
}

/// One case of a suite, after running.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseResult {
    /// `api::suite::case`, the name tests and reports use.
    pub name: String,
    pub api: String,
    pub suite: String,
    pub id: String,
    pub title: String,
    /// Requirement ids (standard clauses, error codes) the case checks.
    pub requirements: Vec<String>,
    /// `file:line:col` of the case in its suite.
    pub location: String,
    /// The verdict, derived from the fields below by [`CaseResult::judge`] and never set
    /// otherwise.
    pub outcome: Outcome,
    /// Why the case did not run, or stopped for want of data before its last step.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skip_reason: Option<String>,
    /// The skip is the verdict: the case did not run, or stopped before any finding failed it
    /// (a case stopped after a failure keeps its `skip_reason` and is judged by its findings).
    /// Not written: results.json's `outcome` says it, and [`json::parse`] reads it back from
    /// there.
    #[serde(skip)]
    pub skipped: bool,
    /// A generated case the suite excludes, with its reason in `skip_reason` and its location
    /// that of the exclusion: never run, listed by every report.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub excluded: bool,
    pub duration_ms: u64,
    pub exchanges: Vec<Exchange>,
    pub findings: Vec<Finding>,
    pub errors: Vec<HarnessError>,
    /// Checks the case switched off, with the reasons.
    pub waived: Vec<Waived>,
    /// Entries of the waivers file that excuse this case's failing findings.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub waivers: Vec<crate::run::waivers::Applied>,
    /// How the outcome compares with the baseline run, when one was given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline: Option<crate::run::baseline::Mark>,
    /// What the server chose where the sources allow several answers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub choices: Vec<crate::finding::Choice>,
    /// Answers that were 401, 403 or 404 although the step did not ask for a refusal
    /// ([`crate::run::assess`]).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub refusals: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl CaseResult {
    /// How many warnings the case's findings stand for, each break of a collapsed rule counted
    /// ([`crate::run::repeats::times`]).
    pub fn warnings(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| !f.fails())
            .map(crate::run::repeats::times)
            .sum()
    }

    /// Stops the case for `reason`. The skip is the verdict unless a finding already failed
    /// the case; then the case is judged by its findings, the reason kept beside them. Returns
    /// whether the skip stands.
    pub fn skip(&mut self, reason: String) -> bool {
        self.skip_reason = Some(reason);
        self.skipped = !self.findings.iter().any(Finding::fails);
        self.skipped
    }

    /// Ends the case once its findings are final, live or replayed: collapses repeated
    /// findings ([`crate::run::repeats::collapse`]) and [judges](CaseResult::judge) it. Called
    /// once per case, where it finishes.
    pub fn close(&mut self) {
        self.findings = crate::run::repeats::collapse(std::mem::take(&mut self.findings));
        self.judge();
    }

    /// Derives the outcome from the verdict's inputs: the skip, the harness errors, the
    /// failing findings and the waivers that excuse them ([`decide`]). Every stage that changes
    /// an input (warnings counted as failures, run-wide checks, waivers) judges again here.
    pub fn judge(&mut self) {
        let failing = || self.findings.iter().filter(|f| f.fails());
        let failures = if failing().next().is_none() {
            Failures::None
        } else if !self.waivers.is_empty() && failing().all(|f| self.excused(f)) {
            Failures::Excused
        } else {
            Failures::Standing
        };
        self.outcome = decide(self.skipped, !self.errors.is_empty(), failures);
    }

    /// True when an applied waiver covers the failing finding `f`.
    fn excused(&self, f: &Finding) -> bool {
        self.waivers
            .iter()
            .any(|w| w.check.as_ref().is_none_or(|c| *c == f.check))
    }
}

/// What the failing findings of a case come to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failures {
    /// No finding fails.
    None,
    /// Some fail, and a waiver excuses each.
    Excused,
    /// Some fail, and at least one no waiver excuses.
    Standing,
}

/// The verdict on a case: a skip decides first, then a harness error (accord could not test
/// the case, whatever it found), then the failing findings.
pub fn decide(skipped: bool, errored: bool, failures: Failures) -> Outcome {
    match (skipped, errored, failures) {
        (true, _, _) => Outcome::Skipped,
        (false, true, _) => Outcome::Errored,
        (false, false, Failures::Standing) => Outcome::Failed,
        (false, false, Failures::Excused) => Outcome::Waived,
        (false, false, Failures::None) => Outcome::Passed,
    }
}

/// Where a suite sent its requests.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Target {
    pub api: String,
    pub base_url: String,
    /// True when the target is one of accord's own reference mocks.
    pub mock: bool,
}

/// A file the run's verdict rests on, with the SHA-256 of the bytes read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Input {
    pub kind: InputKind,
    /// The path as the run named it.
    pub path: String,
    /// Lowercase hex.
    pub sha256: String,
}

/// What an [`Input`] is to the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum InputKind {
    Suite,
    Spec,
    /// A requirements catalogue a suite names.
    Catalogue,
    Snapshot,
    Profile,
    Waivers,
    Baseline,
    Recording,
}

impl InputKind {
    pub fn as_str(self) -> &'static str {
        match self {
            InputKind::Suite => "suite",
            InputKind::Spec => "spec",
            InputKind::Catalogue => "catalogue",
            InputKind::Snapshot => "snapshot",
            InputKind::Profile => "profile",
            InputKind::Waivers => "waivers",
            InputKind::Baseline => "baseline",
            InputKind::Recording => "recording",
        }
    }
}

/// Counts per outcome.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    pub cases: usize,
    pub passed: usize,
    pub failed: usize,
    pub errored: usize,
    pub skipped: usize,
    /// Failed cases whose every failing finding a waiver excuses.
    #[serde(default)]
    pub waived: usize,
    /// Findings at warning level, over every case: reported apart, they fail nothing.
    #[serde(default)]
    pub warnings: usize,
}

/// A whole run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunSummary {
    /// Format version of results.json.
    pub format: u32,
    pub accord_version: String,
    /// RFC 3339 UTC.
    pub started_at: String,
    pub duration_ms: u64,
    /// The profile used, by name (never its secrets).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub profile: Option<String>,
    pub targets: Vec<Target>,
    /// Every spec, suite, snapshot and other file the verdicts rest on, with its digest.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inputs: Vec<Input>,
    pub totals: Totals,
    /// Warnings were counted as failures (`--fail-on warnings`, or the profile's
    /// `verdict.fail_on_warnings`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub fail_on_warnings: bool,
    /// The comparison with a baseline run (`--baseline`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline: Option<crate::run::baseline::Comparison>,
    /// Waivers that fail the run: expired, or stale (their failure no longer happens).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub waiver_problems: Vec<crate::run::waivers::Problem>,
    /// What the results suggest about how the run was set up (a target URL without the
    /// spec's base path, ...).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hints: Vec<crate::run::hint::Hint>,
    /// Which share of the selected cases this run holds (`--partition k/n`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partition: Option<crate::partition::PartitionInfo>,
    pub cases: Vec<CaseResult>,
    /// What the run exercised of each API's documented statuses, error codes and requirements.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coverage: Option<crate::run::coverage::Coverage>,
    /// Whether each API's run tested enough to conclude ([`crate::run::assess`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assessment: Option<crate::run::assess::Assessment>,
}

/// Format version written to results.json.
pub const RESULTS_FORMAT: u32 = 1;

impl RunSummary {
    /// The summary of a live or replayed run of `plan`'s `cases`: input digests and coverage
    /// computed from the plan, nothing yet about baselines, waivers or partitions (those are
    /// added by [`crate::run::verdict::finish`]).
    pub fn of_plan(
        plan: &crate::plan::Plan,
        cases: Vec<CaseResult>,
        started: std::time::SystemTime,
        duration_ms: u64,
        profile: Option<String>,
        targets: Vec<Target>,
        require_coverage: &[crate::run::coverage::Dimension],
    ) -> RunSummary {
        let mut cases = cases;
        crate::run::error_title::judge_run(plan, &mut cases);
        crate::run::assess::count_refusals(plan, &mut cases);
        let hints = crate::run::hint::of_run(plan, &cases, &targets);
        RunSummary {
            format: RESULTS_FORMAT,
            accord_version: env!("CARGO_PKG_VERSION").to_owned(),
            started_at: crate::template::rfc3339(started),
            duration_ms,
            profile,
            targets,
            inputs: provenance::plan_inputs(plan),
            totals: RunSummary::count(&cases),
            fail_on_warnings: false,
            baseline: None,
            waiver_problems: Vec::new(),
            hints,
            partition: None,
            coverage: Some(crate::run::coverage::compute(
                plan,
                &cases,
                require_coverage,
            )),
            assessment: Some(crate::run::assess::assess(
                &cases,
                crate::run::assess::Thresholds::default(),
            )),
            cases,
        }
    }

    /// Counts outcomes over `cases`.
    pub fn count(cases: &[CaseResult]) -> Totals {
        let mut t = Totals {
            cases: cases.len(),
            ..Totals::default()
        };
        for c in cases {
            t.warnings += c.warnings();
            match c.outcome {
                Outcome::Passed => t.passed += 1,
                Outcome::Failed => t.failed += 1,
                Outcome::Errored => t.errored += 1,
                Outcome::Skipped => t.skipped += 1,
                Outcome::Waived => t.waived += 1,
            }
        }
        t
    }
}

/// What the live reporter hears while a run goes on.
#[derive(Debug, Clone, Copy)]
pub enum Event<'a> {
    /// The run is about to start `total` cases.
    Started { total: usize },
    /// A case finished.
    CaseFinished(&'a CaseResult),
    /// Every case finished.
    Finished(&'a RunSummary),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_verdict_follows_its_table() {
        use Failures::{Excused, None, Standing};
        use Outcome::*;
        #[rustfmt::skip]
        let table = [
            // skipped, errored, failures   => outcome
            (true,  false, None,     Skipped),
            (true,  true,  Standing, Skipped),
            (false, true,  None,     Errored),
            (false, true,  Standing, Errored),
            (false, true,  Excused,  Errored),
            (false, false, Standing, Failed),
            (false, false, Excused,  Waived),
            (false, false, None,     Passed),
        ];
        for (skipped, errored, failures, outcome) in table {
            assert_eq!(
                decide(skipped, errored, failures),
                outcome,
                "skipped {skipped}, errored {errored}, {failures:?}"
            );
        }
    }
}
