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
//! URL, request body, status, timing) and the [`Digest`](crate::protocol::walk::Digest) the walk
//! read from their bodies (ids, links, totals), so a replay can judge the walk again. Their
//! headers, curl lines and bodies go.
//!
//! The reasoning that picks the next page or ends the walk is [`Walker`], apart from sending:
//! a replay (`crate::replay`) runs the same walker over recorded pages.

use std::collections::HashMap;
use std::path::PathBuf;

use serde_json::Value;

use super::judge::redact_finding;
use super::{Env, request, send_and_judge};
use crate::check::{self, WalkContext};
use crate::exchange::FollowedLink;
use crate::finding::{HarnessError, HarnessErrorKind};
use crate::plan::PlannedSuite;
use crate::protocol::pagination::{Pagination, Place, Style};
use crate::protocol::walk::{End, Followed, Page, Record, Visit, url_key};
use crate::redact::Redactor;
use crate::run::CaseResult;
use crate::suite::{Request, Step, Walk};
use crate::template::Vars;

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
        trim.page_read(result, first_exchange, &walker.pages, env.redactor);
        match turn {
            Turn::Next { .. } => {}
            Turn::End(end) => break end,
            Turn::Skip(reason) => return skip(result, si, reason, snapshots),
        }
    };
    if let Err(flow) = follow_links(env, si, vars, &mut walker, &end, result).await {
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

/// The walker's reasoning apart from sending: given each page as it comes, whether and how the
/// next one is asked for, or why the walk ends. A live walk and a replay share it, so a
/// recorded walk ends where the current rules would end it.
pub(crate) struct Walker<'a> {
    pub(crate) decl: &'a Pagination,
    step: &'a Step,
    max_pages: u64,
    same_as_previous: bool,
    /// Query parameters the suite's defaults add, which a followed link must not get.
    defaults: Vec<String>,
    start: Start,
    visited: HashMap<String, usize>,
    /// The pages read so far, in walk order.
    pub(crate) pages: Vec<Page>,
    /// The links followed once after the walk.
    followed: Vec<Followed>,
    /// The method the pages were asked for with.
    method: String,
    /// The step as the next page is asked for.
    pub(crate) page_step: Step,
}

/// What follows the page just read.
pub(crate) enum Turn {
    /// The next page, asked for by `page_step`: `key` identifies it (as
    /// [`Walker::key_of`] does a recorded request), `to` names it for people (the URL of a
    /// link, else the cursor or offset).
    Next {
        key: String,
        to: String,
    },
    End(End),
    /// The walk cannot be done on this target (the set has more pages than the cap allows).
    Skip(String),
}

impl<'a> Walker<'a> {
    /// A walker for `step`; an error when the API declares no pagination.
    pub(crate) fn new(
        ps: &'a PlannedSuite,
        step: &'a Step,
        w: &Walk,
    ) -> Result<Walker<'a>, HarnessError> {
        let Some(decl) = pagination(ps) else {
            return Err(HarnessError {
                kind: HarnessErrorKind::InvalidRequest,
                step: 0,
                message: "a `walk` step needs the API's `protocol.pagination` declaration".into(),
                curl: None,
            });
        };
        Ok(Walker {
            decl,
            step,
            max_pages: w.max_pages.unwrap_or(decl.max_pages).max(1),
            same_as_previous: w.same_as_previous,
            defaults: ps.suite.file.defaults.query.keys().cloned().collect(),
            start: Start::default(),
            visited: HashMap::new(),
            pages: Vec::new(),
            followed: Vec::new(),
            method: String::new(),
            page_step: step.clone(),
        })
    }

    /// Notes what the first request asked for (its page size, filters and offset).
    pub(crate) fn started(&mut self, url: &str, body: Option<&str>) {
        self.start = Start::read(self.decl, url, body);
        self.visited.insert(url_key(url, self.decl), 1);
    }

    /// Takes the page just received, asked for with `method` at `sent_url` (unredacted, to
    /// resolve relative links), and says what follows it.
    pub(crate) fn read(&mut self, page: Page, method: &str, sent_url: &str) -> Turn {
        let (decl, max_pages) = (self.decl, self.max_pages);
        method.clone_into(&mut self.method);
        let n = page.number;
        let total_pages = page.total_pages.as_ref().and_then(Value::as_u64);
        if n == 1
            && decl.style == Style::Cds
            && let Some(tp) = total_pages.filter(|tp| *tp > max_pages)
        {
            self.pages.push(page);
            return Turn::Skip(format!(
                "the set has {tp} pages at page size {}, more than the walk's max_pages of {max_pages}: raise `max_pages` to walk it",
                self.start.size(decl)
            ));
        }
        let asked = Sent {
            method,
            url: sent_url,
        };
        let next = next_request(
            decl,
            self.step,
            &page,
            asked,
            &self.defaults,
            &mut self.start,
        );
        self.pages.push(page);
        let (key, shown, request) = match next {
            Lead::Done(end) => return Turn::End(end),
            Lead::Go {
                key,
                shown,
                request,
            } => (key, shown, request),
        };
        if let Some(&seen) = self.visited.get(&key) {
            return Turn::End(End::Loop { to: shown, seen });
        }
        if n as u64 >= max_pages {
            return Turn::End(End::Cap);
        }
        self.visited.insert(key.clone(), n + 1);
        let to = request.url.clone().unwrap_or(shown);
        self.page_step.request = *request;
        Turn::Next { key, to }
    }

    /// The key of a recorded request in the terms of [`Turn::Next`]: the offset or cursor it
    /// asked for, else its URL.
    pub(crate) fn key_of(&self, url: &str, body: Option<&str>) -> String {
        let decl = self.decl;
        let query = Query::read(url, body);
        match (decl.style, decl.cursor_param.as_deref()) {
            (Style::Offset, _) => format!(
                "offset {}",
                query.number(decl, decl.offset_param()).unwrap_or(0)
            ),
            (Style::Cursor, Some(param)) => {
                let text = match query.param(decl, param) {
                    Some(Value::String(s)) => s,
                    Some(other) => other.to_string(),
                    None => String::new(),
                };
                format!("cursor {text}")
            }
            _ => url_key(url, decl),
        }
    }

    /// The links to follow once now that the walk has ended, each with the step that asks for
    /// it; none when the walk was cut short.
    pub(crate) fn to_follow(&self, end: &End) -> Vec<(Visit, Step)> {
        if matches!(end, End::Cap) {
            return Vec::new();
        }
        let method = self.method.as_str();
        crate::protocol::walk::to_follow(self.decl, &self.pages)
            .into_iter()
            .map(|visit| {
                let mut step = self.step.clone();
                step.request = link_request(self.step, &self.defaults, method, &visit.url);
                (visit, step)
            })
            .collect()
    }

    /// Takes the page a followed link led to.
    pub(crate) fn followed(&mut self, visit: &Visit, mut page: Page) {
        page.number = visit.from;
        self.followed.push(Followed {
            key: visit.key.clone(),
            page,
        });
    }

    /// The whole walk, ended by `end`.
    pub(crate) fn finish(self, end: End, previous: &Option<Vec<String>>) -> Record {
        let size = self.start.size(self.decl);
        Record {
            pages: self.pages,
            followed: self.followed,
            end,
            sent_size: self.start.sent_size,
            size,
            filters: self.start.filters,
            max_pages: self.max_pages,
            previous: if self.same_as_previous {
                previous.clone()
            } else {
                None
            },
        }
    }
}

/// What the first request of a walk asked for.
#[derive(Debug, Default)]
struct Start {
    sent_size: Option<u64>,
    filters: Vec<(String, String)>,
    /// The offset of the page just requested (`offset` style).
    offset: i64,
}

impl Start {
    fn read(decl: &Pagination, url: &str, body: Option<&str>) -> Start {
        let q = Query::read(url, body);
        let sent_size = decl
            .size_param()
            .and_then(|p| q.number(decl, p))
            .and_then(|n| u64::try_from(n).ok());
        let offset = match decl.style {
            Style::Offset => q.number(decl, decl.offset_param()).unwrap_or(0),
            _ => 0,
        };
        let paging = [
            Some(decl.page_param()),
            decl.size_param(),
            Some(decl.offset_param()),
            decl.cursor_param.as_deref(),
        ];
        let filters = q
            .query
            .into_iter()
            .filter(|(k, _)| !paging.contains(&Some(k.as_str())))
            .collect();
        Start {
            sent_size,
            filters,
            offset,
        }
    }

    fn size(&self, decl: &Pagination) -> u64 {
        self.sent_size.unwrap_or(decl.default_size)
    }
}

/// The parameters of a request: its query pairs and its JSON body.
struct Query {
    query: Vec<(String, String)>,
    body: Option<Value>,
}

impl Query {
    fn read(url: &str, body: Option<&str>) -> Query {
        Query {
            query: url::Url::parse(url)
                .map(|u| {
                    u.query_pairs()
                        .map(|(k, v)| (k.into_owned(), v.into_owned()))
                        .collect()
                })
                .unwrap_or_default(),
            body: body.and_then(|b| serde_json::from_str(b).ok()),
        }
    }

    /// A paging parameter where the declaration puts them.
    fn param(&self, decl: &Pagination, name: &str) -> Option<Value> {
        match decl.place() {
            Place::Query => self
                .query
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| Value::String(v.clone())),
            Place::Body => self.body.as_ref().and_then(|b| b.get(name)).cloned(),
        }
    }

    fn number(&self, decl: &Pagination, name: &str) -> Option<i64> {
        match self.param(decl, name)? {
            Value::String(s) => s.parse::<i64>().ok(),
            other => other.as_i64(),
        }
    }
}

/// How the page just walked was asked for (its URL unredacted, to resolve relative links).
#[derive(Clone, Copy)]
struct Sent<'a> {
    method: &'a str,
    url: &'a str,
}

/// Where a page leads.
enum Lead {
    Done(End),
    /// The next page: a key that identifies it (to notice loops), the link, cursor or offset
    /// as the page gave it, and its request.
    Go {
        key: String,
        shown: String,
        request: Box<Request>,
    },
}

/// The request for the page after `page`, or why there is none.
fn next_request(
    decl: &Pagination,
    step: &Step,
    page: &Page,
    sent: Sent<'_>,
    defaults: &[String],
    start: &mut Start,
) -> Lead {
    if !page.ok() {
        return Lead::Done(End::Status);
    }
    let stuck = |at: &str, message: String| {
        Lead::Done(End::Stuck {
            at: at.to_owned(),
            message,
        })
    };
    if decl.style == Style::Offset {
        let more = decl.more.as_deref().unwrap_or("");
        return match &page.more {
            Some(Value::Bool(false)) => Lead::Done(End::Last),
            Some(Value::Bool(true)) if page.records() == Some(0) => stuck(
                &decl.items,
                format!(
                    "page {} holds no records but says more follow ({more} is true), so the walk cannot advance",
                    page.number
                ),
            ),
            Some(Value::Bool(true)) => {
                start.offset += start.size(decl) as i64;
                let offset = Value::from(start.offset);
                Lead::Go {
                    key: format!("offset {}", start.offset),
                    shown: format!("{} {}", decl.offset_param(), start.offset),
                    request: Box::new(decl.with_param(
                        &step.request,
                        decl.offset_param(),
                        Some(offset),
                    )),
                }
            }
            other => stuck(
                more,
                format!(
                    "{more} is {}, not a boolean, so the walk cannot tell whether more records follow",
                    other.as_ref().map_or("missing".into(), |v| v.to_string())
                ),
            ),
        };
    }
    let pointer = decl.next_pointer().unwrap_or("");
    let Some(next) = &page.next else {
        return Lead::Done(End::Last);
    };
    let Some(text) = next.as_str() else {
        return stuck(pointer, format!("{pointer} is {next}, not a string"));
    };
    if let (Style::Cursor, Some(param)) = (decl.style, decl.cursor_param.as_deref()) {
        return Lead::Go {
            key: format!("cursor {text}"),
            shown: text.to_owned(),
            request: Box::new(decl.with_param(&step.request, param, Some(Value::from(text)))),
        };
    }
    let joined = url::Url::parse(sent.url).and_then(|base| base.join(text));
    let Ok(link) = joined else {
        return stuck(
            pointer,
            format!("{pointer} `{text}` is not a URI the walk can follow"),
        );
    };
    let request = link_request(step, defaults, sent.method, link.as_str());
    Lead::Go {
        key: url_key(link.as_str(), decl),
        shown: text.to_owned(),
        request: Box::new(request),
    }
}

/// The step's request turned into one for `link`, as the server wrote it: the link carries the
/// query the server wants, so nothing of the suite's is added to it.
fn link_request(step: &Step, defaults: &[String], method: &str, link: &str) -> Request {
    let mut request = step.request.clone();
    request.operation = None;
    request.path = None;
    request.path_params.clear();
    request.method = Some(method.to_owned());
    request.url = Some(link.to_owned());
    request.query = request
        .query
        .keys()
        .chain(defaults)
        .map(|k| (k.clone(), None))
        .collect();
    request
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
/// line, keeping in the body's place the digest the walk read from it (redacted), so a replay
/// can judge the walk again. Pages with findings of their own stay whole.
#[derive(Default)]
struct Trim {
    /// Pages whose own checks found something.
    judged: std::collections::HashSet<usize>,
}

impl Trim {
    /// Called after each page is read: `pages` holds every page so far, the last one just read,
    /// and `result.exchanges[first..]` their exchanges in the same order.
    fn page_read(
        &self,
        result: &mut CaseResult,
        first: usize,
        pages: &[Page],
        redactor: &Redactor,
    ) {
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
                r.digest = Some(page.digest().map_text(&|t| redactor.text(t)));
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
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decl(yaml: &str) -> Pagination {
        let doc = crate::yaml::Document::parse("p.yaml", yaml.to_owned()).unwrap();
        serde_json::from_value(doc.value).unwrap()
    }

    const CDS: &str = "style: cds\nrequirement: R\nrequest: {operation: x}\nitems: /data/accounts\nid: /accountId\ndefault_size: 25\nmax_size: 1000\n";
    const OFFSET: &str = "style: offset\nrequirement: R\nrequest: {operation: x}\nin: body\nitems: /accounts\nid: /id\nmore: /hasMore\ndefault_size: 10\nmax_size: 100\n";

    #[test]
    fn other_styles_key_pages_by_their_sorted_query() {
        let offset = decl(OFFSET);
        assert_eq!(
            url_key("https://h/a?b=1&a=2", &offset),
            "https://h/a?a=2&b=1"
        );
        assert_eq!(url_key("https://h/a", &offset), "https://h/a");
    }

    #[test]
    fn the_first_request_gives_size_filters_and_offset() {
        let cds = decl(CDS);
        let s = Start::read(
            &cds,
            "https://h/a?open-status=OPEN&page-size=5&page=1",
            None,
        );
        assert_eq!(s.sent_size, Some(5));
        assert_eq!(s.filters, [("open-status".to_owned(), "OPEN".to_owned())]);
        assert_eq!(Start::read(&cds, "https://h/a", None).size(&cds), 25);
        let offset = decl(OFFSET);
        let s = Start::read(&offset, "https://h/list", Some(r#"{"limit":3,"skip":6}"#));
        assert_eq!((s.sent_size, s.offset), (Some(3), 6));
        let s = Start::read(&offset, "https://h/list", Some("{}"));
        assert_eq!((s.sent_size, s.offset, s.size(&offset)), (None, 0, 10));
    }
}
