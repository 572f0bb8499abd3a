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
use crate::check;
use crate::exchange::{Exchange, FollowedLink};
use crate::finding::{HarnessError, HarnessErrorKind};
use crate::plan::PlannedSuite;
use crate::redact::Redactor;
use crate::run::CaseResult;
use crate::suite::protocol::pagination::walk_record::{End, Followed, Page, Visit, url_key};
use crate::suite::protocol::pagination::{Pagination, Place, Style};
use crate::suite::{Request, Step, Walk};
use crate::template::Vars;
pub(crate) use walker::{Turn, Walker};

/// Walks up to this many pages keep every body.
pub const KEEP_ALL_BODIES: usize = 20;

/// In a longer walk, the bodies of this many pages at each end are kept.
pub const KEEP_EDGE_BODIES: usize = 5;

/// A walk keeps the digest of at most this many middle pages; past them, a run of middle pages
/// with no findings of their own is kept as one entry.
pub const KEEP_DIGESTS: usize = 1000;

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
    let mut walker = match Walker::new(env.ps, (env.ci, si), step, w, env.waived) {
        Ok(walker) => walker,
        Err(e) => {
            result.errors.push(HarnessError { step: si, ..e });
            return Flow {
                next: Next::Stop,
                snapshots,
            };
        }
    };
    let mut trim = Trim::default();
    // The address of the walk's first page, which the suite wrote: a link to another origin
    // is not followed.
    let mut first: Option<url::Url> = None;
    let end = loop {
        let n = walker.count + 1;
        let built = match build(env, si, &walker.page_step, vars) {
            Ok(b) => b,
            Err(e) => {
                result.errors.push(e);
                trim.flush(result);
                return Flow {
                    next: Next::Stop,
                    snapshots,
                };
            }
        };
        let here = built.request.as_ref().map(reqwest::Request::url);
        if n == 1 {
            walker.started(&built.url, built.body.as_deref());
            first = here.cloned();
        } else if let Some(e) = elsewhere(si, n - 1, first.as_ref(), here, env) {
            trim.flush(result);
            result.errors.push(e);
            return Flow {
                next: Next::Stop,
                snapshots,
            };
        }
        let (method, sent_url) = (built.method.clone(), built.url.clone());
        let sent = send_and_judge(env, si, &walker.page_step, built, vars).await;
        let paged = sent.exchange.map(|mut x| {
            x.page = Some(n);
            x
        });
        if let Some(e) = sent.error {
            trim.flush(result);
            result.exchanges.extend(paged);
            result.errors.push(e);
            return Flow {
                next: Next::Stop,
                snapshots,
            };
        }
        let exchange = paged.expect("an exchange when sending succeeded");
        let own_findings = !sent.output.findings.is_empty();
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
        let turn = walker.read(&page, &method, &sent_url);
        trim.push(result, exchange, page, own_findings, env.redactor);
        match turn {
            Turn::Next { .. } => {}
            Turn::End(end) => break end,
            Turn::Skip(reason) => {
                trim.flush(result);
                return skip(result, si, reason, snapshots);
            }
        }
    };
    trim.flush(result);
    let first = first.as_ref();
    if let Err(flow) = follow_links(env, si, vars, &mut walker, &end, first, result).await {
        return flow;
    }
    judge_walk(env.ps, env.ci, walker, &end, env.redactor, previous, result);
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
    first: Option<&url::Url>,
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
        let here = built.request.as_ref().map(reqwest::Request::url);
        if let Some(e) = elsewhere(si, visit.from, first, here, env) {
            result.errors.push(e);
            return Err(stop());
        }
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

/// The error that stops a walk at a link to another origin (scheme, host and port) than its
/// first page's: the step's headers, credentials included, go only where the suite sends
/// them. `None` when the link stays on that origin. `page` is the page that gave the link.
fn elsewhere(
    si: usize,
    page: usize,
    first: Option<&url::Url>,
    here: Option<&url::Url>,
    env: &Env<'_>,
) -> Option<HarnessError> {
    let (first, here) = (first?, here?);
    fn origin(u: &url::Url) -> (&str, Option<url::Host<&str>>, Option<u16>) {
        (u.scheme(), u.host(), u.port_or_known_default())
    }
    if origin(first) == origin(here) {
        return None;
    }
    Some(HarnessError {
        kind: HarnessErrorKind::InvalidRequest,
        step: si,
        message: env.redactor.text(&format!(
            "the walk stopped: the link after page {page}, {here}, leads to {}, another origin than the walk's first page ({}); accord does not send the step's headers, credentials included, to another origin",
            here.origin().ascii_serialization(),
            first.origin().ascii_serialization()
        )),
        curl: None,
    })
}

/// Gives the walk's own findings (graded, redacted) to `result`, and keeps the ids of a walk
/// that reached its end for a later walk of the case that must see the same.
pub(crate) fn judge_walk(
    ps: &PlannedSuite,
    ci: usize,
    walker: Walker<'_>,
    end: &End,
    redactor: &Redactor,
    previous: &mut Option<Vec<String>>,
    result: &mut CaseResult,
) {
    let (mut findings, ids) = walker.finish(end, previous);
    check::grade(&mut findings, &ps.suite, ci);
    result
        .findings
        .extend(findings.into_iter().map(|f| redact_finding(f, redactor)));
    // Only a walk that reached its end can stand for the set.
    *previous = ids.filter(|_| *end == End::Last);
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
/// does not grow with every page's evidence. The last pages read wait, whole, until the walk
/// passes [`KEEP_ALL_BODIES`] pages; then each page that falls out of the last
/// [`KEEP_EDGE_BODIES`] gives up its body, headers and curl line, and keeps in their place the
/// digest the walk read from it (redacted), so a replay can judge the walk again. Past
/// [`KEEP_DIGESTS`] such pages, a run of them is kept as one entry naming its first and last
/// page. Pages with findings of their own stay whole.
#[derive(Default)]
struct Trim {
    /// Pages read but not yet settled, with the page the walk read from each and whether its
    /// own checks found something.
    window: std::collections::VecDeque<(Exchange, Page, bool)>,
    /// Pages read so far.
    count: usize,
    /// Pages cut down with their digest so far.
    digests: usize,
}

impl Trim {
    /// Takes the page just read.
    fn push(
        &mut self,
        result: &mut CaseResult,
        exchange: Exchange,
        page: Page,
        own_findings: bool,
        redactor: &Redactor,
    ) {
        self.count += 1;
        if self.count <= KEEP_EDGE_BODIES {
            result.exchanges.push(exchange);
            return;
        }
        self.window.push_back((exchange, page, own_findings));
        if self.count <= KEEP_ALL_BODIES {
            return;
        }
        while self.window.len() > KEEP_EDGE_BODIES {
            if let Some((x, page, own)) = self.window.pop_front() {
                self.settle(result, x, page, own, redactor);
            }
        }
    }

    /// Keeps a middle page: whole when it has findings of its own, else cut down.
    fn settle(
        &mut self,
        result: &mut CaseResult,
        mut x: Exchange,
        page: Page,
        own_findings: bool,
        redactor: &Redactor,
    ) {
        let n = page.number;
        let Some(r) = x.response.as_mut().filter(|_| !own_findings) else {
            result.exchanges.push(x);
            return;
        };
        r.body = String::new();
        r.headers = Vec::new();
        x.request.headers = Vec::new();
        x.curl = String::new();
        if self.digests < KEEP_DIGESTS {
            self.digests += 1;
            r.body_note = Some(format!(
                "body not kept: page {n} had no findings of its own (walks of more than {KEEP_ALL_BODIES} pages keep the bodies of their first and last {KEEP_EDGE_BODIES} pages and of pages with findings)"
            ));
            r.digest = Some(Box::new(
                page.into_digest().map_text(&|t| redactor.owned(t)),
            ));
            result.exchanges.push(x);
            return;
        }
        let status = r.status;
        if let Some(last) = result.exchanges.last_mut()
            && last.step == x.step
            && last.link.is_none()
            && last.pages_to == Some(n - 1)
            && let Some(lr) = last.response.as_mut()
            && lr.status == status
        {
            let first = last.page.unwrap_or(n);
            last.pages_to = Some(n);
            last.duration_ms += x.duration_ms;
            lr.body_note = Some(span_note(first, n));
            return;
        }
        r.body_note = Some(span_note(n, n));
        x.pages_to = Some(n);
        result.exchanges.push(x);
    }

    /// Keeps the pages still waiting, whole: the walk ended or stopped.
    fn flush(&mut self, result: &mut CaseResult) {
        result
            .exchanges
            .extend(self.window.drain(..).map(|(x, ..)| x));
    }
}

/// The note of a run of middle pages kept as one entry.
fn span_note(first: usize, last: usize) -> String {
    format!(
        "pages {first}-{last} kept as one entry: no findings of their own (a walk keeps the digests of at most {KEEP_DIGESTS} middle pages; this entry gives the first page's request and the pages' status and total time)"
    )
}
