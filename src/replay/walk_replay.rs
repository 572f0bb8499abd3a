//! Replaying a `walk` step: the recorded pages are judged again, page by page and as a whole,
//! and the current walker decides where the walk ends.
//!
//! The pages are taken in recorded order. Each is read as the live walker read it (from its
//! recorded body, or from the digest a long walk keeps in place of a body it does not keep),
//! and the walker's own reasoning ([`Walker`]) says which page comes next: when it asks for a
//! page the recording does not have, the walk now goes further or elsewhere and the case gets
//! a `replay` error naming what it would fetch; when it stops earlier, only the pages up to
//! there are judged. The page checks cannot judge a page whose body was not kept: its recorded
//! findings carry over, and a warning names those pages.

use std::collections::HashMap;
use std::path::PathBuf;

use super::{body_json, operation_of, replay_error};
use crate::exchange::Exchange;
use crate::exec::judge;
use crate::exec::page_walk::{self as live, Turn, Walker};
use crate::finding::{Finding, HarnessError, Where};
use crate::plan::PlannedSuite;
use crate::redact::Redactor;
use crate::run::CaseResult;
use crate::suite::protocol::pagination::walk_record::Page;
use crate::suite::{Step, Walk};
use crate::template::Vars;

/// Id of the warning about pages a replay could not judge page by page.
pub const REPLAY: &str = "replay";

/// What a replayed walk leaves the case to do.
pub(super) enum Flow {
    Next,
    Stop,
    Skipped,
}

/// Everything a walk step is replayed with.
pub(super) struct Walked<'a> {
    pub(super) ps: &'a PlannedSuite,
    pub(super) ci: usize,
    pub(super) si: usize,
    pub(super) step: &'a Step,
    pub(super) walk: &'a Walk,
    /// The case as recorded.
    pub(super) rec: &'a CaseResult,
    pub(super) base_path: &'a str,
    pub(super) snapshots: &'a HashMap<PathBuf, String>,
    pub(super) redactor: &'a Redactor,
}

/// Replays the walk of step `w.si` into `result`, with the case's `vars` and the ids of the
/// case's previous complete walk.
pub(super) fn replay(
    w: &Walked<'_>,
    vars: &Vars,
    previous: &mut Option<Vec<String>>,
    result: &mut CaseResult,
    pending: &mut Vec<(PathBuf, String)>,
) -> Flow {
    let si = w.si;
    let waived: Vec<String> = w.ps.suite.file.cases[w.ci]
        .waive
        .iter()
        .map(|c| c.check.clone())
        .collect();
    let mut walker = match Walker::new(w.ps, (w.ci, si), w.step, w.walk, &waived) {
        Ok(walker) => walker,
        Err(e) => {
            result.errors.push(HarnessError { step: si, ..e });
            return Flow::Stop;
        }
    };
    let pages: Vec<&Exchange> = w
        .rec
        .exchanges
        .iter()
        .filter(|e| e.step == si && e.link.is_none())
        .collect();
    let errors: Vec<HarnessError> = w
        .rec
        .errors
        .iter()
        .filter(|e| e.step == si)
        .cloned()
        .collect();
    let mut unjudged = Vec::new();
    let mut at = 0;
    let end = loop {
        let n = at + 1;
        let Some(x) = pages.get(at).copied() else {
            if errors.is_empty() {
                result.errors.push(replay_error(
                    si,
                    format!(
                        "the recording of this case ends before step {} walked a page: record the case again",
                        si + 1
                    ),
                ));
            }
            result.errors.extend(errors);
            return Flow::Stop;
        };
        if let Some(to) = x.pages_to {
            // A walk the recording ended with an error ended its case there.
            let stopped = !errors.is_empty();
            carry_over(
                w,
                (n, to),
                &unjudged,
                &pages[at..],
                errors,
                previous,
                result,
            );
            return if stopped { Flow::Stop } else { Flow::Next };
        }
        // A page whose sending failed was recorded with the error that names its request.
        let failed = errors
            .iter()
            .any(|e| e.curl.as_deref() == Some(x.curl.as_str()));
        let Some(response) = x.response.as_ref().filter(|_| !failed) else {
            result.exchanges.push(x.clone());
            if errors.is_empty() {
                result.errors.push(replay_error(
                    si,
                    format!("page {n} of the walk has no recorded response: record the case again"),
                ));
            }
            result.errors.extend(errors);
            return Flow::Stop;
        };
        let operation = match operation_of(&w.ps.spec, &walker.page_step, x, w.base_path) {
            Ok(op) => op,
            Err(message) => {
                result.errors.push(replay_error(
                    si,
                    format!(
                        "{message} (page {n} of the walk): the suite changed since the recording; record the case again"
                    ),
                ));
                return Flow::Stop;
            }
        };
        if response.digest.is_none()
            && response.body.is_empty()
            && response.body_bytes > 0
            && response.body_note.is_some()
        {
            result.exchanges.push(x.clone());
            result.errors.push(replay_error(
                si,
                format!(
                    "the recording kept neither the body of page {n} of the walk nor a digest of it (an older accord recorded it): record the case again"
                ),
            ));
            return Flow::Stop;
        }
        if n == 1 {
            walker.started(&x.request.url, x.request.body.as_deref());
        }
        let (url, body) = (&x.request.url, x.request.body.as_deref());
        let page = if let Some(digest) = &response.digest {
            unjudged.push(n);
            result.findings.extend(
                w.rec
                    .findings
                    .iter()
                    .filter(|f| f.step == si && f.page == Some(n))
                    .cloned(),
            );
            Page::from_digest(n, url, body, response.status, digest)
        } else {
            let (page, findings) = read_and_judge(w, vars, x, operation, n, walker.decl, pending);
            result
                .findings
                .extend(findings.into_iter().map(|f| f.page(n)));
            page
        };
        result.exchanges.push(x.clone());
        match walker.read(&page, &x.request.method, url) {
            Turn::End(end) => break end,
            Turn::Skip(reason) => {
                return match live::skip(result, si, reason, Vec::new()).next {
                    live::Next::Skip => Flow::Skipped,
                    _ => Flow::Stop,
                };
            }
            Turn::Next { key, to } => {
                let Some(recorded) = pages.get(at + 1) else {
                    if !errors.is_empty() {
                        result.errors.extend(errors);
                        return Flow::Stop;
                    }
                    result.errors.push(replay_error(
                        si,
                        format!(
                            "the walk would now fetch page {} at `{to}`, which the recording does not have: record the case again",
                            n + 1
                        ),
                    ));
                    return Flow::Stop;
                };
                let had = walker.key_of(&recorded.request.url, recorded.request.body.as_deref());
                if had != key {
                    result.errors.push(replay_error(
                        si,
                        format!(
                            "the walk would now fetch page {} at `{to}`, but the recording has {} {}: record the case again",
                            n + 1,
                            recorded.request.method,
                            recorded.request.url
                        ),
                    ));
                    return Flow::Stop;
                }
            }
        }
        at += 1;
    };
    if !follow_links(w, vars, &mut walker, &end, result, pending) {
        return Flow::Stop;
    }
    let before = result.findings.len();
    live::judge_walk(w.ps, w.ci, walker, &end, w.redactor, previous, result);
    // A page kept only as a digest brought its recorded findings along, and those include the
    // whole-walk findings about it, which judging the walk again has just given anew: keep the
    // new ones, in the order a live walk gives them.
    let fresh = result.findings.split_off(before);
    result.findings.retain(|f| !fresh.contains(f));
    result.findings.extend(fresh);
    if !unjudged.is_empty() {
        result.findings.push(unjudged_warning(si, &unjudged));
    }
    Flow::Next
}

/// Carries over, from page `n` on, what the recording says of a walk whose pages `n` to `to`
/// it kept as one entry: the walk cannot be judged again past them, so the rest of its
/// exchanges, their recorded findings and the walk's own findings stand as recorded, with a
/// warning that says so.
fn carry_over(
    w: &Walked<'_>,
    (n, to): (usize, usize),
    unjudged: &[usize],
    rest: &[&Exchange],
    errors: Vec<HarnessError>,
    previous: &mut Option<Vec<String>>,
    result: &mut CaseResult,
) {
    let si = w.si;
    result.exchanges.extend(rest.iter().map(|x| (*x).clone()));
    result.exchanges.extend(
        w.rec
            .exchanges
            .iter()
            .filter(|x| x.step == si && x.link.is_some())
            .cloned(),
    );
    for f in w.rec.findings.iter().filter(|f| {
        f.step == si && (f.check == crate::check::PAGINATION_WALK || f.page.is_none_or(|p| p >= n))
    }) {
        if !result.findings.contains(f) {
            result.findings.push(f.clone());
        }
    }
    result.errors.extend(errors);
    *previous = None;
    let digests = if unjudged.is_empty() {
        String::new()
    } else {
        let list = crate::run::repeats::runs_text(&crate::run::repeats::page_runs(unjudged));
        format!("; pages {list} were kept as digests, which the page checks cannot judge again")
    };
    result.findings.push(
        Finding::new(
            REPLAY,
            si,
            Where::exchange(),
            format!(
                "the recording kept pages {n}-{to} of the walk as one entry (a walk keeps the digests of at most {} middle pages), so the walk was not judged again from page {n} on: the findings recorded from there, and the walk's own, are carried over{digests}",
                live::KEEP_DIGESTS
            ),
        )
        .warning(),
    );
}

/// Reads a recorded page (numbered `n`) as the walker did and judges it with every check.
fn read_and_judge(
    w: &Walked<'_>,
    vars: &Vars,
    x: &Exchange,
    operation: Option<&crate::openapi::Operation>,
    n: usize,
    decl: &crate::suite::protocol::pagination::Pagination,
    pending: &mut Vec<(PathBuf, String)>,
) -> (Page, Vec<Finding>) {
    let json = body_json(x);
    let status = x.response.as_ref().map_or(0, |r| r.status);
    let (url, body) = (&x.request.url, x.request.body.as_deref());
    let page = Page::read(n, url, body, status, json.as_ref(), decl);
    let mut judged = judge::Judged {
        suite: w.ps,
        case: w.ci,
        step: w.si,
        operation,
        exchange: x.clone(),
        json,
        json_is_body: true,
    };
    let out = judge::checks(&mut judged, vars, w.snapshots, w.redactor);
    pending.extend(out.snapshots);
    (page, out.findings)
}

/// Replays the links the walk follows once after its pages from the recorded exchanges that
/// followed them; false (with a `replay` error) when one is not in the recording.
fn follow_links(
    w: &Walked<'_>,
    vars: &Vars,
    walker: &mut Walker<'_>,
    end: &crate::suite::protocol::pagination::walk_record::End,
    result: &mut CaseResult,
    pending: &mut Vec<(PathBuf, String)>,
) -> bool {
    let si = w.si;
    for (visit, step) in walker.to_follow(end) {
        let recorded = w.rec.exchanges.iter().find(|x| {
            x.step == si
                && x.link.is_some()
                && crate::suite::protocol::pagination::walk_record::url_key(
                    &x.request.url,
                    walker.decl,
                ) == visit.key
        });
        let Some(x) = recorded.filter(|x| x.response.is_some()) else {
            result.errors.push(replay_error(
                si,
                format!(
                    "the walk would now follow links.{} of page {} to `{}`, which the recording does not have: record the case again",
                    visit.link, visit.from, visit.url
                ),
            ));
            return false;
        };
        let operation = operation_of(&w.ps.spec, &step, x, w.base_path)
            .ok()
            .flatten();
        let (page, findings) =
            read_and_judge(w, vars, x, operation, visit.from, walker.decl, pending);
        result.findings.extend(findings);
        result.exchanges.push(x.clone());
        walker.followed(&visit, page);
    }
    true
}

/// The warning that names the pages whose bodies the recording did not keep.
fn unjudged_warning(si: usize, pages: &[usize]) -> Finding {
    let list = crate::run::repeats::runs_text(&crate::run::repeats::page_runs(pages));
    Finding::new(
        REPLAY,
        si,
        Where::exchange(),
        format!(
            "the recording kept no body for page{} {} of the walk, so the page checks did not judge {} again (the walk as a whole was judged from what the walker read from {})",
            if pages.len() == 1 { "" } else { "s" },
            list,
            if pages.len() == 1 { "it" } else { "them" },
            if pages.len() == 1 { "it" } else { "them" },
        ),
    )
    .warning()
}
