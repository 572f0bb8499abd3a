//! Terminal output: the closing [`summary`] and the live [`Progress`] reporter.
//!
//! The summary lists every failed or errored case with its findings (through
//! [`describe_line`]), every waived case with its waivers, every
//! generated case the suite excludes with its reason and every case that passed with warnings
//! (`WARN`, with its warnings; a listed case also names what the server chose where the sources
//! allow several answers), then the waivers that fail the run, one count line per API, an
//! `INCONCLUSIVE` line per API that tested too little to conclude ([`crate::run::assess`]), the
//! baseline comparison when there is one (`baseline: 2 new failures, 1 fixed, ...`), the run's
//! hints (`hint: ...`, see [`crate::run::hint`]), and ends with a line that CI systems read: exactly
//! `N passed, N failed`, plus `, N errored` when accord could not test some cases (kept apart
//! from failures), `, N skipped` when any were skipped and `, N warnings` when any finding was a
//! warning (warnings are counted apart and fail nothing unless the run says so).
//!
//! [`Progress`] consumes run events. On a terminal it keeps one status line up to date and
//! prints failing cases above it; otherwise it prints one line per finished case.

use std::fmt::Write as _;
use std::io::{IsTerminal, Write};

use super::{describe_error_line, describe_line};
use crate::run::{CaseResult, Event, Outcome, RunSummary};
use crate::term::seconds;

const RED: &str = "\x1b[31m";
const GREEN: &str = "\x1b[32m";
const YELLOW: &str = "\x1b[33m";
const DIM: &str = "\x1b[2m";
const BOLD: &str = "\x1b[1m";
const RESET: &str = "\x1b[0m";
const CLEAR_LINE: &str = "\r\x1b[2K";

fn paint(color: bool, code: &str, text: &str) -> String {
    if color {
        format!("{code}{text}{RESET}")
    } else {
        text.to_owned()
    }
}

/// The closing summary of a run, ending in the `N passed, N failed` line.
pub fn summary(run: &RunSummary, color: bool) -> String {
    summary_with(run, color, false)
}

/// The closing summary; `quiet` keeps only the problems (failed and errored cases, waivers,
/// required coverage that fail the run, inconclusive APIs, warnings counted as failures) and the
/// closing line.
pub fn summary_with(run: &RunSummary, color: bool, quiet: bool) -> String {
    let mut out = String::new();
    let broken = run
        .cases
        .iter()
        .filter(|c| matches!(c.outcome, Outcome::Failed | Outcome::Errored));
    let waived = run
        .cases
        .iter()
        .filter(|c| !quiet && c.outcome == Outcome::Waived);
    let excluded = run.cases.iter().filter(|c| !quiet && c.excluded);
    let warned = run
        .cases
        .iter()
        .filter(|c| !quiet && c.outcome == Outcome::Passed && c.warnings() > 0);
    for case in broken.chain(waived).chain(excluded).chain(warned) {
        let (label, code) = if case.excluded {
            ("EXCLUDED", DIM)
        } else {
            case_verdict(case)
        };
        let mark = case
            .baseline
            .map(|m| format!("  [{}]", m.as_str()))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "{} {}  {}{mark}",
            paint(color, code, label),
            paint(color, BOLD, &case.name),
            paint(color, DIM, &case.location)
        );
        for w in &case.waivers {
            let _ = writeln!(out, "    waiver: {}", w.describe());
        }
        if let Some(reason) = case.skip_reason.as_ref().filter(|_| case.excluded) {
            let _ = writeln!(out, "    {reason}");
        }
        for e in &case.errors {
            let _ = writeln!(out, "    {}", describe_error_line(e));
        }
        for f in &case.findings {
            let _ = writeln!(out, "    {}", describe_line(f));
        }
        for c in &case.choices {
            let _ = writeln!(out, "    chose {}", c.describe());
        }
    }
    for p in &run.waiver_problems {
        let _ = writeln!(out, "{} {}", paint(color, RED, "WAIVER"), p.message);
    }
    for h in &run.hints {
        let _ = writeln!(out, "{} {}", paint(color, YELLOW, "hint:"), h.message);
    }
    if quiet {
        if let Some(c) = &run.coverage {
            out.push_str(&super::coverage::unmet(c));
        }
        verdict_notes(&mut out, run, color);
        out.push_str(&closing_line(run));
        return out;
    }
    if !out.is_empty() {
        out.push('\n');
    }
    let mut apis: Vec<&str> = Vec::new();
    for c in &run.cases {
        if !apis.contains(&c.api.as_str()) {
            apis.push(&c.api);
        }
    }
    for api in apis {
        let cases: Vec<CaseResult> = run.cases.iter().filter(|c| c.api == api).cloned().collect();
        let t = RunSummary::count(&cases);
        let ms = cases.iter().map(|c| c.duration_ms).sum();
        let mut waived = if t.waived > 0 {
            format!(", {} waived", t.waived)
        } else {
            String::new()
        };
        if t.warnings > 0 {
            let _ = write!(waived, ", {}", warnings(t.warnings));
        }
        let _ = writeln!(
            out,
            "{api}: {} passed, {} failed, {} errored, {} skipped{waived} in {}",
            t.passed,
            t.failed,
            t.errored,
            t.skipped,
            seconds(ms)
        );
    }
    if let Some(c) = &run.coverage {
        out.push_str(&super::coverage::terminal(c));
    }
    verdict_notes(&mut out, run, color);
    let chosen: usize = run.cases.iter().map(|c| c.choices.len()).sum();
    if chosen > 0 {
        let _ = writeln!(
            out,
            "{chosen} answer{} chose among the alternatives the sources allow; every report names the choice",
            if chosen == 1 { "" } else { "s" }
        );
    }
    if let Some(b) = &run.baseline {
        let rule = match b.fail_on {
            crate::run::baseline::FailOn::New => " (only new failures fail the run)",
            crate::run::baseline::FailOn::Any => "",
        };
        let _ = writeln!(out, "baseline {}: {}{rule}", b.file, b.phrase());
    }
    out.push_str(&closing_line(run));
    out
}

/// What changes the verdict beyond the cases' own outcomes: one `INCONCLUSIVE` line per API
/// that tested too little to conclude, and whether warnings count as failures.
fn verdict_notes(out: &mut String, run: &RunSummary, color: bool) {
    if let Some(a) = &run.assessment {
        for line in a.sentences() {
            let _ = writeln!(out, "{} {line}", paint(color, YELLOW, "INCONCLUSIVE"));
        }
    }
    if run.fail_on_warnings {
        let _ = writeln!(
            out,
            "warnings count as failures in this run (--fail-on warnings)"
        );
    }
}

/// `N passed, N failed` (with errored and skipped counts when there are any), the line CI reads.
fn closing_line(run: &RunSummary) -> String {
    let t = RunSummary::count(&run.cases);
    let mut last = format!("{} passed, {} failed", t.passed, t.failed);
    if t.errored > 0 {
        let _ = write!(last, ", {} errored", t.errored);
    }
    if t.skipped > 0 {
        let _ = write!(last, ", {} skipped", t.skipped);
    }
    if t.warnings > 0 {
        let _ = write!(last, ", {}", warnings(t.warnings));
    }
    last.push('\n');
    last
}

/// `1 warning`, `3 warnings`.
pub(crate) fn warnings(n: usize) -> String {
    format!("{n} warning{}", if n == 1 { "" } else { "s" })
}

/// The label of a case: its outcome, or `WARN` for one that passed with warnings.
fn case_verdict(case: &CaseResult) -> (&'static str, &'static str) {
    if case.outcome == Outcome::Passed && case.warnings() > 0 {
        ("WARN", YELLOW)
    } else {
        verdict(case.outcome)
    }
}

fn verdict(outcome: Outcome) -> (&'static str, &'static str) {
    match outcome {
        Outcome::Passed => ("PASS", GREEN),
        Outcome::Failed => ("FAIL", RED),
        Outcome::Errored => ("ERROR", YELLOW),
        Outcome::Skipped => ("SKIP", DIM),
        Outcome::Waived => ("WAIVED", YELLOW),
    }
}

/// Live progress on stderr while cases finish.
pub struct Progress {
    out: Box<dyn Write + Send>,
    tty: bool,
    color: bool,
    total: usize,
    done: usize,
    /// The label each case was shown with as it finished, to tell the reader of every case
    /// whose verdict a whole-run check changed afterwards.
    shown: std::collections::HashMap<String, &'static str>,
}

impl Progress {
    /// Progress on stderr, as a single updating line when stderr is a terminal, coloured as
    /// `--color` and the environment say ([`crate::term`]).
    pub fn new() -> Self {
        let tty = std::io::stderr().is_terminal();
        let mut p = Self::with_writer(Box::new(std::io::stderr()), tty);
        p.color = crate::term::color_stderr();
        p
    }

    /// Progress on any writer; `tty` picks the updating line over one line per case.
    pub fn with_writer(out: Box<dyn Write + Send>, tty: bool) -> Self {
        Progress {
            out,
            tty,
            color: tty,
            total: 0,
            done: 0,
            shown: std::collections::HashMap::new(),
        }
    }

    /// Reacts to one run event. Write errors are ignored: progress is a courtesy.
    pub fn on_event(&mut self, event: &Event) {
        let _ = self.write_event(event);
    }

    fn write_event(&mut self, event: &Event) -> std::io::Result<()> {
        match event {
            Event::Started { total } => {
                self.total = *total;
                self.done = 0;
            }
            Event::CaseFinished(case) => {
                self.done += 1;
                let (label, code) = case_verdict(case);
                self.shown.insert(case.name.clone(), label);
                if self.tty {
                    if matches!(case.outcome, Outcome::Failed | Outcome::Errored) {
                        writeln!(
                            self.out,
                            "{CLEAR_LINE}{} {}",
                            paint(self.color, code, label),
                            case.name
                        )?;
                    }
                    let word = label.to_ascii_lowercase();
                    write!(
                        self.out,
                        "{CLEAR_LINE}[{}/{}] {} ... {}",
                        self.done,
                        self.total.max(self.done),
                        case.name,
                        paint(
                            self.color,
                            code,
                            match word.as_str() {
                                "pass" => "ok",
                                "warn" => "ok with warnings",
                                w => w,
                            }
                        )
                    )?;
                } else {
                    writeln!(self.out, "{label} {}", case.name)?;
                }
            }
            Event::Finished(run) => {
                if self.tty {
                    write!(self.out, "{CLEAR_LINE}")?;
                }
                // Checks that judge the whole run (one error title per code, say) can change
                // a case's verdict after its line was written.
                for case in &run.cases {
                    let (label, code) = case_verdict(case);
                    if self.shown.get(&case.name).is_some_and(|was| *was != label) {
                        writeln!(
                            self.out,
                            "{} {} (was {}: judged again with the whole run)",
                            paint(self.color, code, label),
                            case.name,
                            self.shown[&case.name]
                        )?;
                    }
                }
            }
        }
        self.out.flush()
    }
}

impl Default for Progress {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture;
    use std::sync::{Arc, Mutex};

    #[test]
    fn snapshot_with_waivers_and_baseline() {
        fixture::snapshot_settings().bind(|| {
            insta::assert_snapshot!("terminal_ci", summary(&fixture::summary_for_ci(), false));
        });
    }

    #[test]
    fn snapshot() {
        fixture::snapshot_settings().bind(|| {
            insta::assert_snapshot!("terminal", summary(&fixture::summary(), false));
        });
    }

    #[test]
    fn last_line_is_the_ci_count() {
        let text = summary(&fixture::summary(), true);
        assert_eq!(
            text.lines().last(),
            Some("2 passed, 1 failed, 1 errored, 1 skipped, 1 warning")
        );
        let mut run = fixture::summary();
        run.cases.retain(|c| c.outcome != Outcome::Skipped);
        let text = summary(&run, false);
        assert_eq!(
            text.lines().last(),
            Some("2 passed, 1 failed, 1 errored, 1 warning")
        );
        assert!(
            text.contains("cdr: 2 passed, 1 failed, 1 errored, 0 skipped, 1 warning in 30.05s")
        );
        run.cases.retain(|c| c.outcome != Outcome::Errored);
        run.cases[2].findings.clear();
        let text = summary(&run, false);
        assert_eq!(text.lines().last(), Some("2 passed, 1 failed"));
    }

    #[test]
    fn quiet_keeps_the_problems_and_the_closing_line() {
        let mut run = fixture::summary();
        run.cases[0].outcome = Outcome::Waived;
        let (full, quiet) = (summary(&run, false), summary_with(&run, false, true));
        for case in run.cases.iter().filter(|c| c.outcome.is_failing()) {
            assert!(quiet.contains(&case.name), "{quiet}");
        }
        assert!(
            full.contains("WAIVED ") && !quiet.contains("WAIVED "),
            "{quiet}"
        );
        assert!(
            full.contains("cdr: ") && !quiet.contains("cdr: "),
            "{quiet}"
        );
        assert_eq!(quiet.lines().last(), full.lines().last());
    }

    #[test]
    fn color_only_when_asked() {
        let run = fixture::summary();
        assert!(!summary(&run, false).contains('\x1b'));
        assert!(summary(&run, true).contains(RED));
    }

    #[derive(Clone, Default)]
    struct Shared(Arc<Mutex<Vec<u8>>>);

    impl Write for Shared {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    fn feed(tty: bool) -> String {
        let sink = Shared::default();
        let mut p = Progress::with_writer(Box::new(sink.clone()), tty);
        let run = fixture::summary();
        p.on_event(&Event::Started {
            total: run.cases.len(),
        });
        for c in &run.cases {
            p.on_event(&Event::CaseFinished(c));
        }
        p.on_event(&Event::Finished(&run));
        let bytes = sink.0.lock().unwrap().clone();
        String::from_utf8(bytes).unwrap()
    }

    #[test]
    fn one_line_per_case_without_a_terminal() {
        assert_eq!(
            feed(false),
            "PASS cdr::accounts::list-accounts-paginated\n\
             FAIL cdr::accounts::product-category-valid\n\
             ERROR cdr::products::product-detail\n\
             SKIP cdr::payments::create-payment\n\
             WARN cdr::common::outages\n"
        );
    }

    #[test]
    fn a_verdict_the_whole_run_changes_is_told_again() {
        let sink = Shared::default();
        let mut p = Progress::with_writer(Box::new(sink.clone()), false);
        let mut run = fixture::summary();
        for c in &run.cases {
            p.on_event(&Event::CaseFinished(c));
        }
        run.cases[0].outcome = Outcome::Failed;
        p.on_event(&Event::Finished(&run));
        let out = String::from_utf8(sink.0.lock().unwrap().clone()).unwrap();
        assert!(
            out.ends_with(
                "WARN cdr::common::outages\n\
                 FAIL cdr::accounts::list-accounts-paginated (was PASS: judged again with the whole run)\n"
            ),
            "{out}"
        );
    }

    #[test]
    fn one_updating_line_on_a_terminal() {
        let out = feed(true);
        assert!(out.contains("\r\x1b[2K[1/5] cdr::accounts::list-accounts-paginated ... "));
        assert!(out.contains("[5/5] cdr::common::outages ... "));
        assert_eq!(
            out.matches('\n').count(),
            2,
            "only failures scroll: {out:?}"
        );
        assert!(out.ends_with(CLEAR_LINE));
    }
}
