//! The certification report: one printable, self-contained HTML page a vendor can hand to a
//! regulator or partner.
//!
//! It states who ran what and when (accord version, profile by name, targets, start and end,
//! the SHA-256 of every spec, suite and snapshot the verdicts rest on), the verdict on every
//! requirement with the clause it cites and the cases that exercised it, and every exchange as
//! redacted evidence, with a coloured diff wherever a body differed from its snapshot or
//! expected value. The digests of the run's other reports are listed, and `manifest.json`
//! beside results.json covers this page too (`accord verify`).
//!
//! Like the HTML report it is rendered with auto-escaping on and carries a Content Security
//! Policy that forbids every load and every script, so nothing a server sent can run or fetch.
//! Nothing folds: every piece of evidence prints.

use serde::Serialize;

use super::html::{CaseView, Verdict, anchor, case_view};
use crate::finding::Finding;
use crate::run::coverage::{Item, State};
use crate::run::{CaseResult, Input, Outcome, RunSummary, Target};
use crate::seal::FileDigest;

const TEMPLATE_NAME: &str = "certificate.html";
const TEMPLATE: &str = include_str!("certificate.html");

#[derive(Serialize)]
struct View<'a> {
    accord_version: &'a str,
    profile: Option<&'a str>,
    started_at: &'a str,
    finished_at: String,
    duration: String,
    targets: &'a [Target],
    verdict: Verdict,
    totals: crate::run::Totals,
    /// The run counted warnings as failures (`--fail-on warnings`).
    fail_on_warnings: bool,
    /// Per API that tested too little to conclude: why.
    inconclusive: Vec<String>,
    partition: Option<String>,
    replayed: bool,
    inputs: &'a [Input],
    artifacts: &'a [FileDigest],
    apis: Vec<ApiView<'a>>,
    catalogues: Vec<CatalogueView<'a>>,
    waiver_problems: Vec<String>,
    hints: &'a [crate::run::hint::Hint],
    cases: Vec<Evidence<'a>>,
}

#[derive(Serialize)]
struct ApiView<'a> {
    api: &'a str,
    requirements: Vec<Requirement<'a>>,
    /// `7 of 9 documented statuses exercised, 2 exempt` and the like.
    coverage: Vec<String>,
}

#[derive(Serialize)]
struct Requirement<'a> {
    clause: &'a str,
    class: &'static str,
    label: &'static str,
    reason: Option<&'a str>,
    cases: Vec<CaseRef<'a>>,
}

/// The statements of an API's requirements catalogue, as the run summary carries them.
#[derive(Serialize)]
struct CatalogueView<'a> {
    api: &'a str,
    statements: Vec<StatementView<'a>>,
}

#[derive(Serialize)]
struct StatementView<'a> {
    id: &'a str,
    level: &'static str,
    source: &'a str,
    says: &'a str,
    /// `checks response-schema; faults missing-required-field`, or the status and its reason.
    how: String,
    note: Option<&'a str>,
}

#[derive(Serialize)]
struct CaseRef<'a> {
    name: &'a str,
    anchor: String,
    outcome: Outcome,
}

#[derive(Serialize)]
struct Evidence<'a> {
    case: CaseView<'a>,
    /// Per finding, in order: the lines of a diff, when the finding compares two texts.
    diffs: Vec<Vec<DiffLine>>,
}

#[derive(Serialize)]
struct DiffLine {
    class: &'static str,
    text: String,
}

/// Renders the certificate of `summary`; `artifacts` are the digests of the run's other
/// reports as written.
pub fn render(summary: &RunSummary, artifacts: &[FileDigest]) -> String {
    super::html::render_page(TEMPLATE_NAME, TEMPLATE, &view(summary, artifacts))
}

fn view<'a>(summary: &'a RunSummary, artifacts: &'a [FileDigest]) -> View<'a> {
    View {
        accord_version: &summary.accord_version,
        profile: summary.profile.as_deref(),
        started_at: &summary.started_at,
        finished_at: finished_at(&summary.started_at, summary.duration_ms),
        duration: super::html::duration(summary.duration_ms),
        targets: &summary.targets,
        verdict: verdict(summary),
        totals: RunSummary::count(&summary.cases),
        fail_on_warnings: summary.fail_on_warnings,
        inconclusive: summary
            .assessment
            .as_ref()
            .map(crate::run::assess::Assessment::sentences)
            .unwrap_or_default(),
        partition: summary
            .partition
            .as_ref()
            .map(|p| format!("{}/{}", p.index, p.count)),
        replayed: summary
            .inputs
            .iter()
            .any(|i| i.kind == crate::run::InputKind::Recording),
        inputs: &summary.inputs,
        artifacts,
        apis: apis(summary),
        catalogues: catalogues(summary),
        waiver_problems: summary
            .waiver_problems
            .iter()
            .map(|p| p.message.clone())
            .collect(),
        hints: &summary.hints,
        cases: summary
            .cases
            .iter()
            .map(|c| Evidence {
                case: case_view(c),
                diffs: c.findings.iter().map(diff).collect(),
            })
            .collect(),
    }
}

/// The certificate's verdict is stricter than the exit code: a baseline does not excuse a
/// failure, a partial run certifies nothing on its own, and a run that tested too little
/// ([`crate::run::assess`]) is inconclusive however green it is.
fn verdict(summary: &RunSummary) -> Verdict {
    let t = RunSummary::count(&summary.cases);
    let unmet = summary.coverage.as_ref().map_or(0, |c| {
        c.unmet().iter().map(|u| u.missed.len()).sum::<usize>()
    });
    let run = t.cases - t.skipped;
    if let Some(p) = &summary.partition {
        return Verdict {
            class: "errored",
            label: "Partial run".into(),
            text: format!(
                "This is share {}/{} of a split run and certifies nothing on its own: merge the shares with `accord merge`.",
                p.index, p.count
            ),
        };
    }
    if t.failed > 0 || !summary.waiver_problems.is_empty() {
        let mut text = format!(
            "{} of {run} cases run found the implementation breaking a rule.",
            t.failed
        );
        if !summary.waiver_problems.is_empty() {
            text.push_str(&format!(
                " {} waiver{} expired or no longer apply.",
                summary.waiver_problems.len(),
                if summary.waiver_problems.len() == 1 {
                    ""
                } else {
                    "s"
                }
            ));
        }
        return Verdict {
            class: "failed",
            label: "Does not conform".into(),
            text,
        };
    }
    if t.errored > 0 {
        return Verdict {
            class: "errored",
            label: "Inconclusive".into(),
            text: format!(
                "No rule was broken, but {} of {run} cases could not be tested (see the errors below).",
                t.errored
            ),
        };
    }
    let hollow = summary
        .assessment
        .as_ref()
        .map(crate::run::assess::Assessment::sentences)
        .unwrap_or_default();
    if !hollow.is_empty() {
        return Verdict {
            class: "errored",
            label: "Inconclusive".into(),
            text: format!(
                "No rule was broken, but the run tested too little to conclude: {}. A pass that tested nothing is not a pass: give the target the data and access the suites need, and run again.",
                hollow.join("; ")
            ),
        };
    }
    if unmet > 0 {
        return Verdict {
            class: "failed",
            label: "Does not conform".into(),
            text: format!(
                "Every case passed, but {unmet} item{} of required coverage were not exercised.",
                if unmet == 1 { "" } else { "s" }
            ),
        };
    }
    if run == 0 {
        return Verdict {
            class: "skipped",
            label: "Nothing tested".into(),
            text: "Every case was skipped.".into(),
        };
    }
    let mut verdict = if t.waived > 0 {
        Verdict {
            class: "waived",
            label: "Conforms with waivers".into(),
            text: format!(
                "{} of {run} cases passed; {} failed under a dated waiver listed with the case.",
                t.passed, t.waived
            ),
        }
    } else {
        Verdict {
            class: "passed",
            label: "Conforms".into(),
            text: format!("All {run} cases run passed."),
        }
    };
    if t.warnings > 0 {
        let n = super::terminal::warnings(t.warnings);
        verdict.label = format!("{}, with {n}", verdict.label);
        verdict.text.push_str(&format!(
            " {n}: recommendations not followed, or constraints the sources do not say must be enforced; each is listed with its case."
        ));
    }
    verdict
}

fn apis(summary: &RunSummary) -> Vec<ApiView<'_>> {
    let by_name = |name: &str| summary.cases.iter().find(|c| c.name == name);
    if let Some(cov) = &summary.coverage {
        return cov
            .apis
            .iter()
            .map(|a| ApiView {
                api: &a.api,
                requirements: a
                    .requirements
                    .items
                    .iter()
                    .map(|i| requirement(i, i.cases.iter().filter_map(|n| by_name(n)).collect()))
                    .collect(),
                coverage: [
                    ("documented statuses", &a.statuses),
                    ("catalogued error codes", &a.errors),
                ]
                .iter()
                .filter(|(_, t)| !t.items.is_empty())
                .map(|(noun, t)| {
                    format!(
                        "{} of {} {noun} exercised{}",
                        t.covered,
                        t.items.len(),
                        if t.exempt > 0 {
                            format!(", {} exempt with a reason", t.exempt)
                        } else {
                            String::new()
                        }
                    )
                })
                .chain(a.notes.iter().map(|n| format!("note: {n}")))
                .collect(),
            })
            .collect();
    }
    // Without coverage (an older recording), the requirements are those the cases cite.
    let mut out: Vec<ApiView<'_>> = Vec::new();
    for c in &summary.cases {
        if !out.iter().any(|a| a.api == c.api) {
            out.push(ApiView {
                api: &c.api,
                requirements: Vec::new(),
                coverage: Vec::new(),
            });
        }
    }
    for a in &mut out {
        let mut clauses: Vec<&str> = Vec::new();
        for c in summary.cases.iter().filter(|c| c.api == a.api) {
            for r in &c.requirements {
                if !clauses.contains(&r.as_str()) {
                    clauses.push(r);
                }
            }
        }
        a.requirements = clauses
            .into_iter()
            .map(|clause| {
                let cases: Vec<&CaseResult> = summary
                    .cases
                    .iter()
                    .filter(|c| c.api == a.api && c.requirements.iter().any(|r| r == clause))
                    .collect();
                verdict_row(clause, cases)
            })
            .collect();
    }
    out
}

/// Per API whose requirements come from a catalogue, every statement with its source and how
/// it is tested; empty for a run without one.
fn catalogues(summary: &RunSummary) -> Vec<CatalogueView<'_>> {
    let Some(cov) = &summary.coverage else {
        return Vec::new();
    };
    cov.apis
        .iter()
        .map(|a| CatalogueView {
            api: &a.api,
            statements: a
                .requirements
                .items
                .iter()
                .filter_map(|i| i.statement.as_ref().map(|s| statement(&i.id, s)))
                .collect(),
        })
        .filter(|c| !c.statements.is_empty())
        .collect()
}

fn statement<'a>(id: &'a str, s: &'a crate::run::coverage::Statement) -> StatementView<'a> {
    let how = match (s.status.as_str(), &s.why) {
        ("tested", _) if s.faults.is_empty() => format!("checks {}", s.checks.join(", ")),
        ("tested", _) => format!(
            "checks {}; proven by fault switches {}",
            s.checks.join(", "),
            s.faults.join(", ")
        ),
        (status, Some(why)) => format!("{status}: {why}"),
        (status, None) => status.to_owned(),
    };
    StatementView {
        id,
        level: match s.level {
            crate::catalogue::Level::Must => "MUST",
            crate::catalogue::Level::Should => "SHOULD",
            crate::catalogue::Level::May => "MAY",
        },
        source: &s.source,
        says: s.says.trim(),
        how,
        note: s.note.as_deref(),
    }
}

fn requirement<'a>(item: &'a Item, cases: Vec<&'a CaseResult>) -> Requirement<'a> {
    if item.state == State::Exempt {
        return Requirement {
            clause: &item.id,
            class: "skipped",
            label: "exempt",
            reason: item.reason.as_deref(),
            cases: Vec::new(),
        };
    }
    verdict_row(&item.id, cases)
}

/// A requirement is met when every case citing it passed (waived counts apart), not met when
/// any failed, and not established when none was tested.
fn verdict_row<'a>(clause: &'a str, cases: Vec<&'a CaseResult>) -> Requirement<'a> {
    let any = |o: Outcome| cases.iter().any(|c| c.outcome == o);
    let (class, label) = if any(Outcome::Failed) {
        ("failed", "not met")
    } else if any(Outcome::Errored) {
        ("errored", "inconclusive")
    } else if !cases.iter().any(|c| c.outcome != Outcome::Skipped) {
        ("skipped", "not tested")
    } else if any(Outcome::Waived) {
        ("waived", "met with waiver")
    } else {
        ("passed", "met")
    };
    Requirement {
        clause,
        class,
        label,
        reason: None,
        cases: cases
            .into_iter()
            .map(|c| CaseRef {
                name: &c.name,
                anchor: anchor(&c.name),
                outcome: c.outcome,
            })
            .collect(),
    }
}

/// The diff of a finding that compares two texts: a snapshot's unified diff as recorded, or a
/// line diff of multi-line expected and actual values.
fn diff(f: &Finding) -> Vec<DiffLine> {
    let Some(actual) = f.actual.as_deref() else {
        return Vec::new();
    };
    let classify = |line: &str| -> &'static str {
        if line.starts_with("@@") || line.starts_with("--- ") || line.starts_with("+++ ") {
            "hunk"
        } else if line.starts_with('+') {
            "add"
        } else if line.starts_with('-') {
            "del"
        } else {
            "same"
        }
    };
    if f.check == crate::check::expect_snapshot::ID
        && (actual.starts_with("@@") || actual.starts_with("---"))
    {
        return actual
            .lines()
            .map(|l| DiffLine {
                class: classify(l),
                text: l.to_owned(),
            })
            .collect();
    }
    match f.expected.as_deref() {
        Some(expected) if expected.contains('\n') || actual.contains('\n') => {
            similar::TextDiff::from_lines(expected, actual)
                .unified_diff()
                .context_radius(3)
                .header("expected", "actual")
                .to_string()
                .lines()
                .map(|l| DiffLine {
                    class: classify(l),
                    text: l.to_owned(),
                })
                .collect()
        }
        _ => Vec::new(),
    }
}

/// The RFC 3339 end of a run that started at `start` and took `ms`.
fn finished_at(start: &str, ms: u64) -> String {
    let parsed = crate::template::parse_rfc3339(start);
    match parsed {
        Some(t) => crate::template::rfc3339(t + std::time::Duration::from_millis(ms)),
        None => format!("{start} + {}", crate::term::seconds(ms)),
    }
}

#[cfg(test)]
mod tests;
