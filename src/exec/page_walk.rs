//! Walking a paginated list: the step's request asks for the first page, and the walk follows
//! what each page offers (the `next` link or cursor the server gives, or the next offset the
//! API documents) until the last page, a page cap, or a link back to a page already requested.
//!
//! Every page is an exchange of the step, judged by every check as it arrives; the walk as a
//! whole then goes to the checks' [`Check::run_walk`](crate::check::Check::run_walk). Links are
//! followed exactly as the server wrote them (resolved against the page's URL when relative):
//! the Consumer Data Standards let a holder put other query parameters in them.
//!
//! Long walks keep reports usable and memory small: beyond [`KEEP_ALL_BODIES`] pages, only the
//! first and last [`KEEP_EDGE_BODIES`] pages and pages with findings of their own stay recorded
//! whole; the others are cut down as the walk goes to what judging and the reports need (method,
//! URL, request body, status, timing) and the [`PageDigest`](crate::exchange::PageDigest) the walk
//! read from their bodies (ids, links, totals), so a replay can judge the walk again. Their
//! headers, curl lines and bodies go.
//!
//! The reasoning that picks the next page or ends the walk is [`Walker`], apart from sending:
//! a replay (`crate::replay`) runs the same walker over recorded pages.

mod walker;

use std::collections::HashMap;
use std::path::PathBuf;

use serde_json::Value;

use super::judge::redact_finding;
use super::{Env, request, send_and_judge};
use crate::check::{self, WalkContext};
use crate::exchange::FollowedLink;
use crate::finding::{HarnessError, HarnessErrorKind};
use crate::plan::PlannedSuite;
use crate::redact::Redactor;
use crate::run::CaseResult;
use crate::suite::protocol::pagination::walk_record::{
    End, Followed, Page, Record, Visit, url_key,
};
use crate::suite::protocol::pagination::{Pagination, Place, Style};
use crate::suite::{Request, Step, Walk};
use crate::template::Vars;
pub(crate) use walker::{Turn, Walker};

/// Walks up to this many pages keep every body.
pub const KEEP_ALL_BODIES: usize = 20;

/// In a longer walk, the bodies of this many pages at each end are kept.
pub const KEEP_EDGE_BODIES: usize = 5;

/// What the case does after the walk.
pub(crate) enum Next {
    Continue,
    Stop,
    /// The walk cannot be done on this target; the case is skipped with the reason.
    Skip,
}

pub(crate) struct Flow {
    pub(crate) next: Next,
    pub(crate) snapshots: Vec<(PathBuf, String)>,
}

/// Walks the pages of step `si`, recording and judging each, then judges the walk.
pub(super) async fn run(
    env: &Env<'_>,
    si: usize,
    step: &Step,
    w: &Walk,
    vars: &Vars,
    previous: &mut Option<Vec<String>>,
    result: &mut CaseResult,
) -> Flow {
    let mut snapshots = Vec::new();
    let mut walker = match Walker::new(env.ps, step, w) {
        Ok(walker) => walker,
        Err(e) => {
            result.errors.push(HarnessError { step: si, ..e });
            return Flow {
                next: Next::Stop,
                snapshots,
            };
        }
    };
    let first_exchange = result.exchanges.len();
    let mut trim = Trim::default();
    let end = loop {
        let n = walker.pages.len() + 1;
        let built = match build(env, si, &walker.page_step, vars) {
            Ok(b) => b,
            Err(e) => {
                result.errors.push(e);
                trim.keep_digests(result, first_exchange, walker.pages, env.redactor);
                return Flow {
                    next: Next::Stop,
                    snapshots,
                };
            }
        };
        if n == 1 {
            walker.started(&built.url, built.body.as_deref());
        }
        let (method, sent_url) = (built.method.clone(), built.url.clone());
        let page_step = walker.page_step.clone();
        let sent = send_and_judge(env, si, &page_step, built, vars).await;
        let paged = sent.exchange.map(|mut x| {
            x.page = Some(n);
            x
        });
        if let Some(e) = sent.error {
            result.exchanges.extend(paged);
            result.errors.push(e);
            trim.keep_digests(result, first_exchange, walker.pages, env.redactor);
            return Flow {
                next: Next::Stop,
                snapshots,
            };
        }
        let exchange = paged.expect("an exchange when sending succeeded");
        if !sent.output.findings.is_empty() {
            trim.judged.insert(n);
        }
        result
            .findings
            .extend(sent.output.findings.into_iter().map(|f| f.page(n)));
        snapshots.extend(sent.output.snapshots);
        let status = exchange.response.as_ref().map_or(0, |r| r.status);
        let page = Page::read(
            n,
            &exchange.request.url,
            exchange.request.body.as_deref(),
            status,
            sent.raw_json.as_ref(),
            walker.decl,
        );
        result.exchanges.push(exchange);
        let turn = walker.read(page, &method, &sent_url);
        trim.page_read(result, first_exchange, &walker.pages);
        match turn {
            Turn::Next { .. } => {}
            Turn::End(end) => break end,
            Turn::Skip(reason) => {
                trim.keep_digests(result, first_exchange, walker.pages, env.redactor);
                return skip(result, si, reason, snapshots);
            }
        }
    };
    if let Err(flow) = follow_links(env, si, vars, &mut walker, &end, result).await {
        trim.keep_digests(result, first_exchange, walker.pages, env.redactor);
        return flow;
    }
    let record = walker.finish(end, previous);
    judge_walk(
        env.ps,
        env.ci,
        si,
        &record,
        env.waived,
        env.redactor,
        previous,
        result,
    );
    trim.keep_digests(result, first_exchange, record.pages, env.redactor);
    Flow {
        next: Next::Continue,
        snapshots,
    }
}

/// Builds the request of `step`; a failure is the step's harness error.
fn build<'e>(
    env: &Env<'e>,
    si: usize,
    step: &Step,
    vars: &Vars,
) -> Result<request::Built<'e>, HarnessError> {
    request::build(
        &env.ps.suite,
        &env.ps.spec,
        step,
        env.target,
        vars,
        env.transport.sender().client(),
    )
    .map_err(|e| HarnessError {
        step: si,
        curl: None,
        ..e
    })
}

/// Follows, once each, the links only following can place (see [`Walker::to_follow`]); every
/// answer is an exchange of the step, judged by every check, and marked with its link.
async fn follow_links(
    env: &Env<'_>,
    si: usize,
    vars: &Vars,
    walker: &mut Walker<'_>,
    end: &End,
    result: &mut CaseResult,
) -> Result<(), Flow> {
    let stop = || Flow {
        next: Next::Stop,
        snapshots: Vec::new(),
    };
    for (visit, step) in walker.to_follow(end) {
        let built = match build(env, si, &step, vars) {
            Ok(b) => b,
            Err(e) => {
                result.errors.push(e);
                return Err(stop());
            }
        };
        let sent = send_and_judge(env, si, &step, built, vars).await;
        let marked = sent.exchange.map(|mut x| {
            x.link = Some(FollowedLink {
                page: visit.from,
                name: visit.link.to_owned(),
            });
            x
        });
        if let Some(e) = sent.error {
            result.exchanges.extend(marked);
            result.errors.push(e);
            return Err(stop());
        }
        let exchange = marked.expect("an exchange when sending succeeded");
        result.findings.extend(sent.output.findings);
        let page = Page::read(
            visit.from,
            &exchange.request.url,
            exchange.request.body.as_deref(),
            exchange.response.as_ref().map_or(0, |r| r.status),
            sent.raw_json.as_ref(),
            walker.decl,
        );
        result.exchanges.push(exchange);
        walker.followed(&visit, page);
    }
    Ok(())
}

/// Runs the whole-walk checks on `record` (findings redacted into `result`) and keeps the ids
/// of a walk that reached its end for a later walk of the case that must see the same.
#[expect(
    clippy::too_many_arguments,
    reason = "the parts of a case a walk is judged in"
)]
pub(crate) fn judge_walk(
    ps: &PlannedSuite,
    ci: usize,
    si: usize,
    record: &Record,
    waived: &[String],
    redactor: &Redactor,
    previous: &mut Option<Vec<String>>,
    result: &mut CaseResult,
) {
    let Some(decl) = pagination(ps) else { return };
    let suite = &ps.suite;
    let cx = WalkContext {
        step: si,
        walk: record,
        decl,
        suite_location: Some(suite.location(&suite.step_pointer(ci, si))),
    };
    let mut out = check::run_walk(&cx, waived);
    check::grade(&mut out.findings, suite, ci);
    result.findings.extend(
        out.findings
            .into_iter()
            .map(|f| redact_finding(f, redactor)),
    );
    // Only a walk that reached its end can stand for the set.
    *previous = (record.end == End::Last).then(|| record.ids());
}

fn pagination(ps: &PlannedSuite) -> Option<&Pagination> {
    ps.protocol.as_ref().and_then(|p| p.pagination.as_ref())
}

/// Skips the case with `reason`, unless a page already failed it.
pub(crate) fn skip(
    result: &mut CaseResult,
    si: usize,
    reason: String,
    snapshots: Vec<(PathBuf, String)>,
) -> Flow {
    let stands = result.skip(format!("step {}: {reason}", si + 1));
    Flow {
        next: if stands { Next::Skip } else { Next::Stop },
        snapshots,
    }
}

/// Cuts down a long walk's middle pages that have no findings as the walk goes, so its memory
/// does not grow with every page's evidence: once a walk passes [`KEEP_ALL_BODIES`] pages, each
/// page that falls out of the last [`KEEP_EDGE_BODIES`] gives up its body, headers and curl
/// line. When the walk ends, the digest the walk read from each such page (redacted) takes the
/// body's place, so a replay can judge the walk again; until then the walker's own page is the
/// only copy. Pages with findings of their own stay whole.
#[derive(Default)]
struct Trim {
    /// Pages whose own checks found something.
    judged: std::collections::HashSet<usize>,
    /// Pages cut down so far, whose digest is written when the walk ends.
    cut: Vec<usize>,
}

impl Trim {
    /// Called after each page is read: `pages` holds every page so far, the last one just read,
    /// and `result.exchanges[first..]` their exchanges in the same order.
    fn page_read(&mut self, result: &mut CaseResult, first: usize, pages: &[Page]) {
        let count = result.exchanges.len() - first;
        if count <= KEEP_ALL_BODIES {
            return;
        }
        let upto = count - KEEP_EDGE_BODIES;
        let from = if count == KEEP_ALL_BODIES + 1 {
            KEEP_EDGE_BODIES + 1
        } else {
            upto
        };
        for n in from..=upto {
            if self.judged.contains(&n) {
                continue;
            }
            let (Some(x), Some(page)) = (result.exchanges.get_mut(first + n - 1), pages.get(n - 1))
            else {
                continue;
            };
            if x.page != Some(n) || page.number != n {
                continue;
            }
            if let Some(r) = &mut x.response {
                self.cut.push(n);
                r.body = String::new();
                r.body_note = Some(format!(
                    "body not kept: page {n} had no findings of its own (walks of more than {KEEP_ALL_BODIES} pages keep the bodies of their first and last {KEEP_EDGE_BODIES} pages and of pages with findings)"
                ));
                r.headers = Vec::new();
                x.request.headers = Vec::new();
                x.curl = String::new();
            }
        }
    }

    /// Writes, in place of each cut page's body, the digest the walk read from it (redacted),
    /// taking the walk's pages as it goes. Called once the walk has been judged, or has ended
    /// early, so that the walk's pages and their digests are never both held for every page.
    fn keep_digests(
        self,
        result: &mut CaseResult,
        first: usize,
        pages: Vec<Page>,
        redactor: &Redactor,
    ) {
        let mut cut = self.cut.into_iter().peekable();
        for page in pages {
            let n = page.number;
            while cut.next_if(|c| *c < n).is_some() {}
            if cut.next_if_eq(&n).is_none() {
                continue;
            }
            if let Some(x) = result.exchanges.get_mut(first + n - 1)
                && x.page == Some(n)
                && let Some(r) = &mut x.response
            {
                r.digest = Some(page.digest().map_text(&|t| redactor.text(t)));
            }
        }
    }
}
