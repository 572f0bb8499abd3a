//! The [`Walker`]: the reasoning of a walk apart from sending. Given each page as it comes, it
//! says whether and how the next page is asked for (the server's link or cursor, or the next
//! offset the API documents) or why the walk ends, and hands each page to the walk's judge
//! ([`WalkJudge`](crate::check::WalkJudge)). A live walk and a replay share it.

use super::*;
use crate::check;
use crate::finding::Finding;
use crate::suite::protocol::pagination::walk_record::{PageUrls, Parsed, Setup, Unplaced, hash128};

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
    /// Each page asked for (hashed key), with its number.
    visited: HashMap<u128, usize>,
    /// Pages read so far.
    pub(crate) count: usize,
    /// The judge of the walk, from its first request on (none when the case waives it).
    judge: Option<check::WalkJudge<'a>>,
    /// Where the judge is made once the first request is known.
    judged_as: Option<(check::WalkContext<'a>, bool)>,
    /// `cds`: the links no page asked for yet, which may be followed once after the walk.
    unplaced: Unplaced,
    /// The links followed once after the walk.
    followed: Vec<Followed>,
    /// The method the pages were asked for with.
    method: String,
    /// The step as the next page is asked for.
    pub(crate) page_step: Step,
    /// The addresses met lately, parsed.
    parsed: Parsed,
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
        (ci, si): (usize, usize),
        step: &'a Step,
        w: &Walk,
        waived: &[String],
    ) -> Result<Walker<'a>, HarnessError> {
        let Some(decl) = pagination(ps) else {
            return Err(HarnessError {
                kind: HarnessErrorKind::InvalidRequest,
                step: 0,
                message: "a `walk` step needs the API's `protocol.pagination` declaration".into(),
                curl: None,
            });
        };
        let suite = &ps.suite;
        let cx = check::WalkContext {
            step: si,
            decl,
            suite_location: Some(suite.location(&suite.step_pointer(ci, si))),
        };
        // The walk's ids are kept when this walk or a later one of the case compares them.
        let later = suite.file.cases[ci].steps.iter().skip(si + 1);
        let keep_ids = w.same_as_previous
            || later
                .filter_map(|s| s.walk.as_ref())
                .any(|w| w.same_as_previous);
        let judged_as = check::judges_walk(waived).then_some((cx, keep_ids));
        Ok(Walker {
            decl,
            step,
            max_pages: w.max_pages.unwrap_or(decl.max_pages).max(1),
            same_as_previous: w.same_as_previous,
            defaults: ps.suite.file.defaults.query.keys().cloned().collect(),
            start: Start::default(),
            visited: HashMap::new(),
            count: 0,
            judge: None,
            judged_as,
            unplaced: Unplaced::default(),
            followed: Vec::new(),
            method: String::new(),
            page_step: step.clone(),
            parsed: Parsed::default(),
        })
    }

    /// Notes what the first request asked for (its page size, filters and offset).
    pub(crate) fn started(&mut self, url: &str, body: Option<&str>) {
        self.start = Start::read(self.decl, url, body);
        self.visited
            .insert(hash128(url_key(url, self.decl).as_str()), 1);
        if let Some((cx, keep_ids)) = self.judged_as.take() {
            let setup = Setup {
                sent_size: self.start.sent_size,
                size: self.start.size(self.decl),
                filters: self.start.filters.clone(),
                max_pages: self.max_pages,
            };
            self.judge = Some(check::WalkJudge::new(cx, setup, keep_ids));
        }
    }

    /// Takes the page just received, asked for with `method` at `sent_url` (unredacted, to
    /// resolve relative links), and says what follows it.
    pub(crate) fn read(&mut self, page: &Page, method: &str, sent_url: &str) -> Turn {
        let (decl, max_pages) = (self.decl, self.max_pages);
        method.clone_into(&mut self.method);
        let n = page.number;
        self.count += 1;
        let total_pages = page.total_pages.as_ref().and_then(Value::as_u64);
        if n == 1
            && decl.style == Style::Cds
            && let Some(tp) = total_pages.filter(|tp| *tp > max_pages)
        {
            return Turn::Skip(format!(
                "the set has {tp} pages at page size {}, more than the walk's max_pages of {max_pages}: raise `max_pages` to walk it",
                self.start.size(decl)
            ));
        }
        let asked = Sent {
            method,
            url: sent_url,
        };
        let urls = PageUrls::read_with(page, decl, &mut self.parsed);
        if let Some(judge) = &mut self.judge {
            judge.page(page, &urls);
        }
        self.unplaced.page(page, &urls, decl);
        let next = next_request(
            decl,
            self.step,
            page,
            asked,
            &self.defaults,
            &mut self.start,
            &mut self.parsed,
        );
        let (key, shown, request) = match next {
            Lead::Done(end) => return Turn::End(end),
            Lead::Go {
                key,
                shown,
                request,
            } => (key, shown, request),
        };
        let hashed = hash128(key.as_str());
        if let Some(&seen) = self.visited.get(&hashed) {
            return Turn::End(End::Loop { to: shown, seen });
        }
        if n as u64 >= max_pages {
            return Turn::End(End::Cap);
        }
        self.visited.insert(hashed, n + 1);
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
        self.unplaced
            .to_follow()
            .iter()
            .map(|visit| {
                let mut step = self.step.clone();
                step.request = link_request(self.step, &self.defaults, method, &visit.url);
                step.request.link = url::Url::parse(&visit.url)
                    .ok()
                    .filter(|link| link.as_str() == visit.url);
                (visit.clone(), step)
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

    /// The walk's findings once it ended with `end`, and its record ids when they were kept
    /// (for a later walk of the case that must see the same).
    pub(crate) fn finish(
        self,
        end: &End,
        previous: &Option<Vec<String>>,
    ) -> (Vec<Finding>, Option<Vec<String>>) {
        let Some(judge) = self.judge else {
            return (Vec::new(), None);
        };
        let previous = previous.as_deref().filter(|_| self.same_as_previous);
        judge.finish(end, &self.followed, previous)
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
    parsed: &mut Parsed,
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
    // An absolute link as a server writes it (its own serialisation) joins to itself, so the
    // parse kept from an earlier page serves.
    let written = parsed
        .parse(text)
        .filter(|link| link.as_str() == text)
        .cloned();
    let joined = match (written, parsed.parse(sent.url)) {
        (_, None) => None,
        (Some(link), Some(_)) => Some(link),
        (None, Some(base)) => base.join(text).ok(),
    };
    let Some(link) = joined else {
        return stuck(
            pointer,
            format!("{pointer} `{text}` is not a URI the walk can follow"),
        );
    };
    let mut request = link_request(step, defaults, sent.method, link.as_str());
    let key = parsed.key(link.as_str(), decl);
    request.link = Some(link);
    Lead::Go {
        key,
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
