//! The waivers file (`accord run --waivers waivers.yaml`): known failures excused for a time,
//! each with a reason, an owner and an expiry date.
//!
//! ```yaml
//! waivers:
//!   - case: cdr::accounts::list-accounts      # full name, as `accord list` prints it
//!     check: response-schema                  # optional: without it, every failing check
//!     reason: Holder fixes the enum in release 4.2
//!     owner: payments-team@example.com
//!     expires: 2026-12-31                     # last day the waiver holds
//! ```
//!
//! [`load`] reads the file and reports every problem with `file:line:col` (unknown keys, cases
//! and checks get a "did you mean"). [`apply`] judges a finished run: a failed case whose every
//! failing finding an unexpired waiver covers becomes `waived`; an expired waiver, and a stale
//! one (its case passes, or its check no longer fires), becomes a [`Problem`] that fails the run.
//! A waiver is judged only when its case ran to a verdict (passed or failed) in this run.

use std::collections::HashSet;
use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::diag::{Diagnostic, did_you_mean};
use crate::finding::Severity;
use crate::run::{Outcome, RunSummary};
use crate::yaml::Document;

/// One entry of the waivers file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waiver {
    /// `api::suite::case`.
    pub case: String,
    /// The check whose findings are excused; every check when absent.
    pub check: Option<String>,
    pub reason: String,
    pub owner: String,
    /// Last day the waiver holds, `YYYY-MM-DD`.
    pub expires: String,
    /// `file:line:col` of the entry.
    pub location: String,
}

/// A loaded waivers file.
#[derive(Debug, Clone, Default)]
pub struct Waivers {
    pub entries: Vec<Waiver>,
}

/// A waiver that excused findings of a case, as every report shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Applied {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check: Option<String>,
    pub reason: String,
    pub owner: String,
    pub expires: String,
    pub location: String,
}

impl Applied {
    /// One line: `[check] reason (owner X, expires D)`; `[every check]` without a check.
    pub fn describe(&self) -> String {
        format!(
            "[{}] {} (owner {}, expires {})",
            self.check.as_deref().unwrap_or("every check"),
            self.reason,
            self.owner,
            self.expires
        )
    }
}

/// Why a waiver fails the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProblemKind {
    /// Today is past its expiry date; it no longer excuses anything.
    Expired,
    /// The failure it excuses no longer happens.
    Stale,
}

/// A waiver that fails the run, with one message every report prints as it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    pub kind: ProblemKind,
    pub case: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check: Option<String>,
    pub owner: String,
    pub expires: String,
    pub location: String,
    pub message: String,
}

impl Problem {
    /// A key that orders problems as the entries stand in their file.
    pub fn order_key(&self) -> (String, usize, usize) {
        let mut parts = self.location.rsplitn(3, ':');
        let col = parts.next().and_then(|c| c.parse().ok()).unwrap_or(0);
        let line = parts.next().and_then(|l| l.parse().ok()).unwrap_or(0);
        (parts.next().unwrap_or("").to_owned(), line, col)
    }
}

const KEYS: &[&str] = &["case", "check", "reason", "owner", "expires"];

/// Reads a waivers file. `known_cases` holds every case name of the loaded suites; every
/// problem of the file comes back at once.
pub fn load(path: &Path, known_cases: &HashSet<String>) -> Result<Waivers, Vec<Diagnostic>> {
    let doc = Document::load(path)?;
    parse(&doc, known_cases)
}

/// Checks a parsed waivers document.
pub fn parse(doc: &Document, known_cases: &HashSet<String>) -> Result<Waivers, Vec<Diagnostic>> {
    let mut problems = Vec::new();
    let Some(root) = doc.value.as_object() else {
        return Err(vec![
            doc.diag("", "a waivers file is a mapping with the key `waivers`")
                .with_help("start the file with `waivers:` and list the entries under it"),
        ]);
    };
    for key in root.keys().filter(|k| *k != "waivers") {
        let mut d = doc.diag_key(
            &format!("/{}", crate::pointer::escape(key)),
            format!("unknown key `{key}`"),
        );
        if let Some(s) = did_you_mean(key, ["waivers"]) {
            d = d.with_help(format!("did you mean `{s}`?"));
        }
        problems.push(d);
    }
    let list = match root.get("waivers") {
        Some(Value::Array(items)) => items.as_slice(),
        Some(Value::Null) => &[],
        Some(_) => {
            problems.push(doc.diag("/waivers", "`waivers` must be a list of entries"));
            &[]
        }
        None => {
            problems.push(doc.diag("", "missing key `waivers`"));
            &[]
        }
    };
    let mut entries = Vec::new();
    let mut seen: Vec<(String, Option<String>, usize)> = Vec::new();
    for (i, item) in list.iter().enumerate() {
        let at = format!("/waivers/{i}");
        if let Some(w) = entry(doc, &at, item, known_cases, &mut problems) {
            let line = doc.pos(&at).line;
            if let Some((_, _, first)) = seen.iter().find(|(c, k, _)| *c == w.case && *k == w.check)
            {
                problems.push(
                    doc.diag(
                        &at,
                        format!("a second waiver for `{}`{}", w.case, check_words(&w.check)),
                    )
                    .with_help(format!("the first is at line {first}; keep one")),
                );
            } else {
                seen.push((w.case.clone(), w.check.clone(), line));
                entries.push(w);
            }
        }
    }
    if problems.is_empty() {
        Ok(Waivers { entries })
    } else {
        Err(problems)
    }
}

fn check_words(check: &Option<String>) -> String {
    match check {
        Some(c) => format!(" (check `{c}`)"),
        None => String::new(),
    }
}

/// Checks one entry; pushes its problems and returns it when it has none.
fn entry(
    doc: &Document,
    at: &str,
    item: &Value,
    known_cases: &HashSet<String>,
    problems: &mut Vec<Diagnostic>,
) -> Option<Waiver> {
    let Some(map) = item.as_object() else {
        problems.push(doc.diag(
            at,
            "a waiver is a mapping with case, reason, owner and expires",
        ));
        return None;
    };
    let before = problems.len();
    for key in map.keys().filter(|k| !KEYS.contains(&k.as_str())) {
        let mut d = doc.diag_key(
            &format!("{at}/{}", crate::pointer::escape(key)),
            format!("unknown key `{key}`"),
        );
        if let Some(s) = did_you_mean(key, KEYS.iter().copied()) {
            d = d.with_help(format!("did you mean `{s}`?"));
        }
        problems.push(d);
    }
    let mut text = |key: &str, required: bool| -> Option<String> {
        match map.get(key) {
            Some(Value::String(s)) if !s.trim().is_empty() => Some(s.clone()),
            Some(_) => {
                problems.push(doc.diag(
                    &format!("{at}/{key}"),
                    format!("`{key}` must be a non-empty string"),
                ));
                None
            }
            None if required => {
                problems.push(doc.diag(at, format!("missing `{key}`")));
                None
            }
            None => None,
        }
    };
    let case = text("case", true);
    let check = text("check", false);
    let reason = text("reason", true);
    let owner = text("owner", true);
    let expires = text("expires", true);
    if let Some(c) = &case
        && !known_cases.contains(c)
    {
        let mut d = doc.diag(
            &format!("{at}/case"),
            format!("no case named `{c}` in the suites"),
        );
        if let Some(s) = did_you_mean(c, known_cases.iter().map(String::as_str)) {
            d = d.with_help(format!("did you mean `{s}`?"));
        } else {
            d = d.with_help("`accord list` prints every case name (api::suite::case)");
        }
        problems.push(d);
    }
    if let Some(c) = &check
        && !crate::check::is_known(c)
    {
        let mut d = doc.diag(&format!("{at}/check"), format!("no check named `{c}`"));
        if let Some(s) = did_you_mean(c, crate::check::ids()) {
            d = d.with_help(format!("did you mean `{s}`?"));
        } else {
            d = d.with_help("`accord checks` lists every check id");
        }
        problems.push(d);
    }
    if let Some(e) = &expires
        && !is_date(e)
    {
        problems.push(
            doc.diag(&format!("{at}/expires"), format!("`{e}` is not a date"))
                .with_help("write the last day the waiver holds as YYYY-MM-DD"),
        );
    }
    if problems.len() > before {
        return None;
    }
    Some(Waiver {
        case: case?,
        check,
        reason: reason?,
        owner: owner?,
        expires: expires?,
        location: doc.location(at),
    })
}

/// True for a real calendar date written `YYYY-MM-DD`.
pub fn is_date(text: &str) -> bool {
    crate::template::full_date(text).is_some()
}

/// Today's date (UTC) as `YYYY-MM-DD`, or the date in `ACCORD_TODAY` when it is set, so runs
/// can be reproduced and tested on any day.
pub fn today() -> Result<String, String> {
    match std::env::var("ACCORD_TODAY") {
        Ok(d) if is_date(&d) => Ok(d),
        Ok(d) => Err(format!("ACCORD_TODAY=`{d}` is not a date (YYYY-MM-DD)")),
        Err(_) => Ok(crate::template::rfc3339(std::time::SystemTime::now())[..10].to_owned()),
    }
}

/// Judges the waivers against a finished run on `today` (`YYYY-MM-DD`): excuses the failures
/// they cover, records the waivers that fail the run, and recounts the totals.
pub fn apply(summary: &mut RunSummary, waivers: &Waivers, today: &str) {
    for w in &waivers.entries {
        let Some(case) = summary.cases.iter_mut().find(|c| c.name == w.case) else {
            continue;
        };
        let who = format!("owner {}, {}", w.owner, w.location);
        let problem = |kind, message: String| Problem {
            kind,
            case: w.case.clone(),
            check: w.check.clone(),
            owner: w.owner.clone(),
            expires: w.expires.clone(),
            location: w.location.clone(),
            message,
        };
        if w.expires.as_str() < today {
            summary.waiver_problems.push(problem(
                ProblemKind::Expired,
                format!(
                    "expired waiver: `{}`{} expired on {} ({who}): renew it or fix the failure",
                    w.case,
                    check_words(&w.check),
                    w.expires
                ),
            ));
            continue;
        }
        if !matches!(case.outcome, Outcome::Passed | Outcome::Failed) {
            continue;
        }
        let fires = case.findings.iter().any(|f| {
            f.severity == Severity::Error && w.check.as_ref().is_none_or(|c| *c == f.check)
        });
        if !fires {
            let what = match &w.check {
                Some(c) if case.outcome == Outcome::Failed => {
                    format!("check `{c}` no longer fails in `{}`", w.case)
                }
                _ => format!("`{}` passes now", w.case),
            };
            summary.waiver_problems.push(problem(
                ProblemKind::Stale,
                format!("stale waiver: remove it: {what} ({who})"),
            ));
            continue;
        }
        case.waivers.push(Applied {
            check: w.check.clone(),
            reason: w.reason.clone(),
            owner: w.owner.clone(),
            expires: w.expires.clone(),
            location: w.location.clone(),
        });
    }
    for case in summary.cases.iter_mut().filter(|c| !c.waivers.is_empty()) {
        case.judge();
    }
    summary.totals = RunSummary::count(&summary.cases);
}

#[cfg(test)]
mod tests;
