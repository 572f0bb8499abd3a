//! One case of the HTML report: its findings as cards (one per broken rule, with the lines of
//! a long body around the failing value), its harness errors, and its exchanges with bodies
//! pretty-printed and cut at [`BODY_SHOWN_MAX`].
//!
//! [`case_view`] builds the [`CaseView`] the template renders; the certificate uses it too.

use serde::Serialize;

use super::{BODY_SHOWN_MAX, PRETTY_MAX, duration};
use crate::exchange::{Exchange, RecordedResponse};
use crate::finding::{Finding, HarnessError};
use crate::report::{describe, describe_error};
use crate::run::baseline::Mark;
use crate::run::waivers::Applied;
use crate::run::{CaseResult, Outcome, Waived};

#[derive(Serialize)]
pub(in crate::report) struct CaseView<'a> {
    anchor: String,
    name: &'a str,
    api: &'a str,
    suite: &'a str,
    id: &'a str,
    title: &'a str,
    requirements: &'a [String],
    location: &'a str,
    outcome: Outcome,
    duration: String,
    skip_reason: Option<&'a str>,
    /// Shown as `excluded` rather than `skipped`.
    excluded: bool,
    waived: &'a [Waived],
    waivers: &'a [Applied],
    baseline: Option<&'static str>,
    /// How many findings are warnings.
    warnings: usize,
    /// What the server chose where the sources allow several answers, one line each.
    choices: Vec<String>,
    findings: Vec<FindingView<'a>>,
    /// The findings, those that break the same rule in one card.
    cards: Vec<CardView<'a>>,
    /// Every break of a rule, those collapsed included.
    breaks: usize,
    errors: Vec<ErrorView<'a>>,
    exchanges: Vec<ExchangeView<'a>>,
}

#[derive(Serialize)]
pub(in crate::report) struct FindingView<'a> {
    text: String,
    check: &'a str,
    warning: bool,
    /// `warning` or `failure`.
    level: &'static str,
    /// Why the finding has its level, when a suite or the run chose it.
    level_reason: Option<&'a str>,
    step: usize,
    page: Option<usize>,
    at: String,
    expected: Option<&'a str>,
    actual: Option<&'a str>,
    message: &'a str,
    rule: Option<&'a str>,
    spec_location: Option<&'a str>,
    suite_location: Option<&'a str>,
}

/// One card of a case: the findings that break one rule ([`crate::run::repeats::rule_key`]), the
/// first shown in full and every one listed by where it broke.
#[derive(Serialize)]
pub(in crate::report) struct CardView<'a> {
    first: FindingView<'a>,
    /// The lines of a long body around the value the first finding points at.
    pub(super) context: Option<Context>,
    /// Every finding of the card, the first included, when there are several.
    places: Vec<FindingView<'a>>,
    /// The plain text of every finding of the card.
    text: String,
}

#[derive(Serialize)]
pub(in crate::report) struct ErrorView<'a> {
    text: String,
    kind: &'static str,
    step: usize,
    message: &'a str,
    curl: Option<&'a str>,
}

#[derive(Serialize)]
pub(in crate::report) struct ExchangeView<'a> {
    /// In place of everything else: a run of a long walk's middle pages kept short, in one line.
    pages: Option<String>,
    step: usize,
    page: Option<usize>,
    operation: Option<&'a str>,
    curl: &'a str,
    duration_ms: u64,
    method: &'a str,
    url: &'a str,
    request_headers: &'a [(String, String)],
    request_body: Option<Body>,
    response: Option<ResponseView<'a>>,
    /// How many attempts were made and why, when there were several.
    attempts: Option<String>,
}

#[derive(Serialize)]
pub(in crate::report) struct ResponseView<'a> {
    status: u16,
    class: &'static str,
    headers: &'a [(String, String)],
    body: Body,
    body_bytes: usize,
}

#[derive(Serialize)]
pub(in crate::report) struct Body {
    pub(super) text: String,
    pub(super) notes: Vec<String>,
}

pub(in crate::report) fn anchor(name: &str) -> String {
    let id: String = name
        .replace("::", ".")
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("case-{id}")
}

pub(in crate::report) fn case_view(c: &CaseResult) -> CaseView<'_> {
    CaseView {
        anchor: anchor(&c.name),
        name: &c.name,
        api: &c.api,
        suite: &c.suite,
        id: &c.id,
        title: &c.title,
        requirements: &c.requirements,
        location: &c.location,
        outcome: c.outcome,
        duration: duration(c.duration_ms),
        skip_reason: c.skip_reason.as_deref(),
        excluded: c.excluded,
        waived: &c.waived,
        waivers: &c.waivers,
        baseline: c.baseline.map(Mark::as_str),
        warnings: c.warnings(),
        choices: c
            .choices
            .iter()
            .map(crate::finding::Choice::describe)
            .collect(),
        findings: c.findings.iter().map(finding_view).collect(),
        cards: cards(&c.findings, &c.exchanges),
        breaks: c.findings.iter().map(crate::run::repeats::times).sum(),
        errors: c.errors.iter().map(error_view).collect(),
        exchanges: crate::report::shown::shown(&c.exchanges)
            .into_iter()
            .map(|x| match x {
                crate::report::shown::Shown::One(x) => exchange_view(x),
                crate::report::shown::Shown::Pages(run) => pages_view(&run),
            })
            .collect(),
    }
}

/// The case's findings as cards, one per rule, in the order each rule first broke.
pub(super) fn cards<'a>(findings: &'a [Finding], exchanges: &[Exchange]) -> Vec<CardView<'a>> {
    let mut groups: Vec<(crate::run::repeats::RuleKey, Vec<&Finding>)> = Vec::new();
    let cites = |a: &Finding, b: &Finding| {
        (
            &a.check,
            a.severity,
            a.step,
            &a.rule,
            &a.spec_location,
            &a.suite_location,
        ) == (
            &b.check,
            b.severity,
            b.step,
            &b.rule,
            &b.spec_location,
            &b.suite_location,
        )
    };
    for f in findings {
        let key = crate::run::repeats::rule_key(f);
        let home = if f.repeats.is_some() {
            groups.iter_mut().rev().find(|(_, g)| cites(g[0], f))
        } else {
            groups.iter_mut().find(|(k, _)| *k == key)
        };
        match home {
            Some((_, group)) => group.push(f),
            None => groups.push((key, vec![f])),
        }
    }
    groups
        .into_iter()
        .map(|(_, group)| CardView {
            first: finding_view(group[0]),
            context: context(group[0], exchanges),
            places: if group.len() > 1 {
                group.iter().map(|f| finding_view(f)).collect()
            } else {
                Vec::new()
            },
            text: group
                .iter()
                .map(|f| describe(f))
                .collect::<Vec<_>>()
                .join("\n\n"),
        })
        .collect()
}

/// Bodies longer than this many lines (pretty-printed) show the failing value in context.
const CONTEXT_MIN_LINES: usize = 30;

/// Lines shown before and after the failing value.
const CONTEXT_LINES: usize = 3;

/// A few lines of a long body around the value a finding points at.
#[derive(Serialize)]
pub(in crate::report) struct Context {
    pub(super) pointer: String,
    /// Line number (1-based, in the pretty-printed body), text, and whether it holds the value.
    pub(super) lines: Vec<(usize, String, bool)>,
}

/// The lines around the value `f` points at in its exchange's body, when the body is long JSON
/// and the value is there.
fn context(f: &Finding, exchanges: &[Exchange]) -> Option<Context> {
    let pointer = f.at.pointer.as_deref().filter(|p| !p.is_empty())?;
    let response = exchanges
        .iter()
        .find(|x| x.step == f.step && x.page == f.page)?
        .response
        .as_ref()?;
    if response.body.len() > PRETTY_MAX {
        return None;
    }
    let mut json: serde_json::Value = serde_json::from_str(&response.body).ok()?;
    let value = json.pointer_mut(pointer)?;
    const MARK: &str = "\u{1}accord-value\u{1}";
    let shown = std::mem::replace(value, serde_json::Value::String(MARK.into()));
    let pretty = serde_json::to_string_pretty(&json).ok()?;
    if pretty.lines().count() <= CONTEXT_MIN_LINES {
        return None;
    }
    let marked = serde_json::to_string(MARK).ok()?;
    let lines: Vec<&str> = pretty.lines().collect();
    let at = lines.iter().position(|l| l.contains(&marked))?;
    let indent: String = lines[at].chars().take_while(|c| *c == ' ').collect();
    let value_text = serde_json::to_string_pretty(&shown).ok()?;
    let mut value_lines = value_text.lines();
    let mut out = Vec::new();
    let from = at.saturating_sub(CONTEXT_LINES);
    for (i, line) in lines.iter().enumerate().take(at).skip(from) {
        out.push((i + 1, (*line).to_owned(), false));
    }
    let head = lines[at].replace(&marked, value_lines.next().unwrap_or(""));
    out.push((at + 1, head, true));
    let mut n = at + 1;
    for more in value_lines {
        n += 1;
        out.push((n, format!("{indent}{more}"), true));
    }
    for (i, line) in lines.iter().enumerate().skip(at + 1).take(CONTEXT_LINES) {
        out.push((n + i - at, (*line).to_owned(), false));
    }
    Some(Context {
        pointer: pointer.to_owned(),
        lines: out,
    })
}

fn finding_view(f: &Finding) -> FindingView<'_> {
    FindingView {
        text: describe(f),
        check: &f.check,
        warning: !f.fails(),
        level: f.severity.word(),
        level_reason: f.severity_reason.as_deref(),
        step: f.step + 1,
        page: f.page,
        at: f.at.to_string(),
        expected: f.expected.as_deref(),
        actual: f.actual.as_deref(),
        message: &f.message,
        rule: f.rule.as_deref(),
        spec_location: f.spec_location.as_deref(),
        suite_location: f.suite_location.as_deref(),
    }
}

fn error_view(e: &HarnessError) -> ErrorView<'_> {
    ErrorView {
        text: describe_error(e),
        kind: e.kind.as_str(),
        step: e.step + 1,
        message: &e.message,
        curl: e.curl.as_deref(),
    }
}

fn exchange_view(x: &Exchange) -> ExchangeView<'_> {
    ExchangeView {
        pages: None,
        step: x.step + 1,
        page: x.page,
        operation: x.operation.as_deref(),
        curl: &x.curl,
        duration_ms: x.duration_ms,
        method: &x.request.method,
        url: &x.request.url,
        request_headers: &x.request.headers,
        request_body: x.request.body.as_deref().map(|b| body(b, None)),
        response: x.response.as_ref().map(response_view),
        attempts: x.attempts_note(),
    }
}

/// The view of a run of pages kept short: its one line and its step.
fn pages_view(run: &crate::report::shown::PageRun) -> ExchangeView<'static> {
    ExchangeView {
        pages: Some(run.describe().replacen("step", "Step", 1)),
        step: run.step + 1,
        page: Some(run.first),
        operation: None,
        curl: "",
        duration_ms: 0,
        method: "",
        url: "",
        request_headers: &[],
        request_body: None,
        response: None,
        attempts: None,
    }
}

fn response_view(r: &RecordedResponse) -> ResponseView<'_> {
    ResponseView {
        status: r.status,
        class: match r.status {
            200..=299 => "ok",
            300..=399 => "redirect",
            _ => "bad",
        },
        headers: &r.headers,
        body: body(&r.body, r.body_note.as_deref()),
        body_bytes: r.body_bytes,
    }
}

/// Prepares a body for display: pretty JSON when it parses, cut at [`BODY_SHOWN_MAX`].
pub(super) fn body(text: &str, note: Option<&str>) -> Body {
    let mut notes: Vec<String> = note.map(str::to_owned).into_iter().collect();
    let pretty = (text.len() <= PRETTY_MAX)
        .then(|| serde_json::from_str::<serde_json::Value>(text).ok())
        .flatten()
        .filter(|v| v.is_object() || v.is_array())
        .and_then(|v| serde_json::to_string_pretty(&v).ok());
    let mut shown = pretty.unwrap_or_else(|| text.to_owned());
    if shown.len() > BODY_SHOWN_MAX {
        let total = shown.len();
        let mut cut = BODY_SHOWN_MAX;
        while !shown.is_char_boundary(cut) {
            cut -= 1;
        }
        shown.truncate(cut);
        notes.push(format!(
            "Shown: the first {} KiB of {} bytes; the full body is in results.json.",
            BODY_SHOWN_MAX / 1024,
            total
        ));
    }
    Body { text: shown, notes }
}
