//! The HTML report: one self-contained file a person can read, print and hand on.
//!
//! The template (`report.html`, embedded) is rendered with auto-escaping on, so every byte that
//! came from a server is escaped; nothing in the template marks data as safe. The page needs no
//! script and loads nothing: CSS is inline and the evidence of passing cases folds into
//! `<details>` elements. Failed and errored cases come first. Waivers that fail the run and the
//! baseline comparison have their own sections; every case shows its baseline mark as a badge
//! and the waivers that excuse it. Bodies are pretty-printed when
//! they are JSON and cut at [`BODY_SHOWN_MAX`] bytes so a huge response cannot make a huge
//! report.

use minijinja::Environment;
use minijinja::syntax::SyntaxConfig;
use minijinja::value::Serde;
use serde::Serialize;

use crate::term::seconds;

use crate::run::baseline::{Comparison, FailOn, Mark};
use crate::run::waivers::Problem;
use crate::run::{CaseResult, RunSummary, Target, Totals};

mod case;

pub(super) use case::{CaseView, anchor, case_view};

/// Most bytes of one body the report shows.
pub const BODY_SHOWN_MAX: usize = 64 * 1024;

/// Largest body the report tries to pretty-print as JSON.
const PRETTY_MAX: usize = 4 * 1024 * 1024;

const TEMPLATE_NAME: &str = "report.html";
const TEMPLATE: &str = include_str!("report.html");

#[derive(Serialize)]
struct View<'a> {
    accord_version: &'a str,
    started_at: &'a str,
    duration: String,
    profile: Option<&'a str>,
    targets: &'a [Target],
    totals: Totals,
    verdict: Verdict,
    cases: Vec<CaseView<'a>>,
    attention: Vec<CaseView<'a>>,
    others: Vec<CaseView<'a>>,
    coverage: Option<super::coverage::HtmlCoverage>,
    /// Per API that tested too little to conclude: why.
    inconclusive: Vec<String>,
    waiver_problems: &'a [Problem],
    hints: &'a [crate::run::hint::Hint],
    baseline: Option<BaselineView<'a>>,
}

#[derive(Serialize)]
struct BaselineView<'a> {
    file: &'a str,
    phrase: String,
    fail_on_new: bool,
    new_failures: Vec<CaseLink<'a>>,
    fixed: Vec<CaseLink<'a>>,
    new: Vec<CaseLink<'a>>,
    removed: &'a [String],
}

#[derive(Serialize)]
struct CaseLink<'a> {
    name: &'a str,
    anchor: String,
}

/// A run's verdict as a page states it: CSS class, label and sentence.
#[derive(Serialize)]
pub(super) struct Verdict {
    pub(super) class: &'static str,
    pub(super) label: String,
    pub(super) text: String,
}

/// Renders the run as one self-contained HTML page.
pub fn render(summary: &RunSummary) -> String {
    render_page(TEMPLATE_NAME, TEMPLATE, &view(summary))
}

/// Renders an embedded template with auto-escaping on; a template error becomes a page that
/// says so, escaped, rather than no report at all.
pub(super) fn render_page(name: &str, template: &str, view: &impl Serialize) -> String {
    let mut env = Environment::new();
    if let Ok(syntax) = SyntaxConfig::builder()
        .trim_blocks(true)
        .lstrip_blocks(true)
        .build()
    {
        env.set_syntax(syntax);
    }
    env.add_template(name, template)
        .and_then(|()| env.get_template(name))
        .and_then(|t| t.render(Serde(view)))
        .unwrap_or_else(|e| {
            let escaped = e
                .to_string()
                .replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;");
            format!(
                "<!DOCTYPE html>\n<html lang=\"en\"><meta charset=\"utf-8\"><title>accord {name}</title>\
                 <p>The {name} template failed: {escaped}</p></html>\n"
            )
        })
}

fn view(summary: &RunSummary) -> View<'_> {
    let cases: Vec<CaseView<'_>> = summary.cases.iter().map(case_view).collect();
    let needs_attention = |c: &CaseResult| c.outcome.is_failing();
    let attention = summary
        .cases
        .iter()
        .filter(|c| needs_attention(c))
        .map(case_view)
        .collect();
    let others = summary
        .cases
        .iter()
        .filter(|c| !needs_attention(c))
        .map(case_view)
        .collect();
    let totals = RunSummary::count(&summary.cases);
    View {
        accord_version: &summary.accord_version,
        started_at: &summary.started_at,
        duration: seconds(summary.duration_ms),
        profile: summary.profile.as_deref(),
        targets: &summary.targets,
        totals,
        verdict: verdict(summary, &totals),
        cases,
        attention,
        others,
        waiver_problems: &summary.waiver_problems,
        hints: &summary.hints,
        baseline: summary.baseline.as_ref().map(|b| baseline_view(summary, b)),
        coverage: summary.coverage.as_ref().map(super::coverage::html),
        inconclusive: summary
            .assessment
            .as_ref()
            .map(crate::run::assess::Assessment::sentences)
            .unwrap_or_default(),
    }
}

fn baseline_view<'a>(summary: &'a RunSummary, b: &'a Comparison) -> BaselineView<'a> {
    let with = |mark: Mark| -> Vec<CaseLink<'a>> {
        summary
            .cases
            .iter()
            .filter(|c| c.baseline == Some(mark))
            .map(|c| CaseLink {
                name: &c.name,
                anchor: anchor(&c.name),
            })
            .collect()
    };
    BaselineView {
        file: &b.file,
        phrase: b.phrase(),
        fail_on_new: b.fail_on == FailOn::New,
        new_failures: with(Mark::NewFailure),
        fixed: with(Mark::Fixed),
        new: with(Mark::New),
        removed: &b.removed,
    }
}

fn verdict(summary: &RunSummary, all: &Totals) -> Verdict {
    let fail_on = summary.baseline.as_ref().map_or(FailOn::Any, |b| b.fail_on);
    let counted: Vec<CaseResult> = summary
        .cases
        .iter()
        .filter(|c| crate::run::baseline::counts(c, fail_on))
        .cloned()
        .collect();
    let t = RunSummary::count(&counted);
    let run = all.cases - all.skipped;
    let plural = |n: usize| if n == 1 { "case" } else { "cases" };
    let problems = summary.waiver_problems.len();
    let mut verdict = verdict_of(&t, run, plural);
    if verdict.class == "passed" && all.waived > 0 {
        verdict.text = format!(
            "{} of {run} {} run passed; {} failed under a waiver.",
            all.passed,
            plural(run),
            all.waived
        );
    }
    if verdict.class == "passed" && all.warnings > 0 {
        let n = super::terminal::warnings(all.warnings);
        verdict.label = format!("{}, with {n}", verdict.label);
        verdict.text.push_str(&format!(
            " {n}: recommendations not followed, or constraints the sources do not say must be enforced."
        ));
    }
    if fail_on == FailOn::New && verdict.class == "passed" && all.failed + all.errored > 0 {
        let known = all.failed + all.errored;
        verdict.text = format!(
            "No new failures: {known} {} still fail{} as in the baseline.",
            plural(known),
            if known == 1 { "s" } else { "" }
        );
    }
    if let Some(a) = summary
        .assessment
        .as_ref()
        .filter(|_| matches!(verdict.class, "passed" | "skipped"))
    {
        let sentences = a.sentences();
        if !sentences.is_empty() {
            verdict = Verdict {
                class: "errored",
                label: "Inconclusive".into(),
                text: format!(
                    "No rule was broken, but the run tested too little to conclude: {}.",
                    sentences.join("; ")
                ),
            };
        }
    }
    if problems > 0 {
        let text = format!(
            " {problems} waiver{} must be renewed or removed.",
            if problems == 1 { "" } else { "s" }
        );
        verdict.text.push_str(&text);
        verdict.class = "failed";
        verdict.label = "Failed".into();
    }
    verdict
}

fn verdict_of(t: &Totals, run: usize, plural: impl Fn(usize) -> &'static str) -> Verdict {
    if t.failed > 0 {
        let mut text = format!(
            "{} of {run} {} run failed: the implementation broke at least one rule.",
            t.failed,
            plural(run)
        );
        if t.errored > 0 {
            text.push_str(&format!(
                " {} {} could not be tested.",
                t.errored,
                plural(t.errored)
            ));
        }
        Verdict {
            class: "failed",
            label: "Failed".into(),
            text,
        }
    } else if t.errored > 0 {
        Verdict {
            class: "errored",
            label: "Incomplete".into(),
            text: format!(
                "No rule was broken, but {} of {run} {} could not be tested.",
                t.errored,
                plural(run)
            ),
        }
    } else if run == 0 {
        Verdict {
            class: "skipped",
            label: "Nothing tested".into(),
            text: "Every case was skipped.".into(),
        }
    } else {
        Verdict {
            class: "passed",
            label: "Passed".into(),
            text: format!("All {run} {} run passed.", plural(run)),
        }
    }
}

/// Milliseconds under a second read better as such; longer times as seconds.
pub(super) fn duration(ms: u64) -> String {
    if ms < 1000 {
        format!("{ms} ms")
    } else {
        seconds(ms)
    }
}

#[cfg(test)]
mod tests;
