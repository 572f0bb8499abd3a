//! Pagination walks: a list end point hands its records out page by page, and a client that
//! follows the pages the server offers sees every record exactly once, with totals, links and
//! page sizes that agree with what it asked for.
//!
//! Three styles are understood:
//! - `cds`: `page` / `page-size` query parameters, `links` (self, first, prev, next, last) and
//!   `meta` (totalRecords, totalPages), as the Consumer Data Standards define them;
//! - `offset`: a size and an offset (`limit` / `skip`), in the query or the JSON body, with a
//!   boolean saying whether more records follow (`hasMore`);
//! - `cursor`: each page names the next one, as a link to follow or as a token to send back.
//!
//! The main type is [`Pagination`], the `protocol.pagination` declaration; [`Pagination::cases`]
//! generates the walks and the bound probes. The walk itself is run by the executor
//! (`exec::page_walk`) and judged by the `pagination-walk` check.

use indexmap::IndexMap;
use serde::Deserialize;
use serde_json::Value;

use super::case;

pub mod walk_record;
use crate::suite::{Capture, Case, Expect, OneOrMany, Request, Scalar, StatusSet, Step, Walk};

/// How an API paginates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Style {
    Cds,
    Offset,
    Cursor,
}

/// Where the paging parameters go.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Place {
    #[default]
    Query,
    Body,
}

/// The `protocol.pagination` declaration.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pagination {
    pub style: Style,
    /// The clause cited by findings and generated cases.
    pub requirement: String,
    /// The request for the first page, without paging parameters.
    pub request: Request,
    /// JSON Pointer of the array of records on a page.
    pub items: String,
    /// JSON Pointer, inside one record, of the value that identifies it.
    pub id: String,
    /// Page size when the request gives none.
    pub default_size: u64,
    /// Largest page size the API serves.
    pub max_size: u64,
    /// Where the size, offset and cursor parameters go (the `cds` style always uses the query).
    #[serde(rename = "in", default)]
    pub place: Place,
    /// Name of the page-number parameter (`cds`; default `page`).
    pub page_param: Option<String>,
    /// Name of the page-size parameter (default `page-size` for `cds`, `limit` for `offset`).
    pub size_param: Option<String>,
    /// Name of the offset parameter (`offset`; default `skip`).
    pub offset_param: Option<String>,
    /// `cursor`: the parameter the token at `next` is sent back in; without it, `next` holds a
    /// link to follow.
    pub cursor_param: Option<String>,
    /// `offset`: JSON Pointer of the boolean that says more records follow.
    pub more: Option<String>,
    /// `cursor`: JSON Pointer of the next link or token (absent or null on the last page).
    pub next: Option<String>,
    /// `offset` and `cursor`: JSON Pointer of the total record count, when the API gives one.
    pub total: Option<String>,
    /// Parameters of a filter to walk with as well (query parameters, or body fields with
    /// `in: body`).
    #[serde(default)]
    pub filter: IndexMap<String, Value>,
    /// Most pages one walk requests before it counts as runaway.
    #[serde(default = "default_max_pages")]
    pub max_pages: u64,
    /// A page (offset, cursor) out of range, and how the API refuses it.
    pub invalid_page: Option<Rejection>,
    /// A page size one above `max_size`, and how the API refuses it.
    pub invalid_size: Option<Rejection>,
}

/// How the API refuses a paging parameter.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rejection {
    pub status: u16,
    /// The error code(s) the response must carry (where the suite's `errors` says).
    pub error: Option<OneOrMany>,
    /// The value sent; style defaults: page 99999 at the maximum size (`cds`), offset -1
    /// (`offset`). `cursor` needs one.
    pub value: Option<Value>,
}

/// Pages one walk may request unless the declaration says otherwise.
pub const DEFAULT_MAX_PAGES: u64 = 1000;

fn default_max_pages() -> u64 {
    DEFAULT_MAX_PAGES
}

/// The page number `cds` asks for when probing past the last page: with the largest page
/// size, a set would need that many pages of records for the page to exist.
const CDS_PAGE_OUT_OF_RANGE: u64 = 99_999;

impl Pagination {
    /// Name of the page-number parameter.
    pub fn page_param(&self) -> &str {
        self.page_param.as_deref().unwrap_or("page")
    }

    /// Name of the page-size parameter, if the style has one.
    pub fn size_param(&self) -> Option<&str> {
        match (self.style, self.size_param.as_deref()) {
            (_, Some(p)) => Some(p),
            (Style::Cds, None) => Some("page-size"),
            (Style::Offset, None) => Some("limit"),
            (Style::Cursor, None) => None,
        }
    }

    /// Name of the offset parameter.
    pub fn offset_param(&self) -> &str {
        self.offset_param.as_deref().unwrap_or("skip")
    }

    /// Where the size, offset and cursor parameters go.
    pub fn place(&self) -> Place {
        match self.style {
            Style::Cds => Place::Query,
            _ => self.place,
        }
    }

    /// JSON Pointer of the next link or token: `/links/next` for `cds`.
    pub fn next_pointer(&self) -> Option<&str> {
        match self.style {
            Style::Cds => Some("/links/next"),
            Style::Offset => None,
            Style::Cursor => self.next.as_deref(),
        }
    }

    /// True when every page states the size of the whole set, so a walk proves on its own
    /// that no record went missing.
    pub fn has_totals(&self) -> bool {
        self.style == Style::Cds || self.total.is_some()
    }

    /// The request with one paging parameter set (`None` removes it).
    pub fn with_param(&self, request: &Request, name: &str, value: Option<Value>) -> Request {
        let mut r = request.clone();
        match self.place() {
            Place::Query => {
                r.query
                    .insert(name.to_owned(), value.map(|v| Scalar(scalar_text(&v))));
            }
            Place::Body => {
                let mut body = match r.body.take() {
                    Some(Value::Object(m)) => m,
                    _ => serde_json::Map::new(),
                };
                match value {
                    Some(v) => body.insert(name.to_owned(), v),
                    None => body.remove(name),
                };
                r.body = Some(Value::Object(body));
            }
        }
        r
    }

    /// The first-page request at page size `n` (unchanged when the style has no size).
    fn sized(&self, request: &Request, n: u64) -> Request {
        match self.size_param() {
            Some(p) => self.with_param(request, p, Some(Value::from(n))),
            None => request.clone(),
        }
    }

    /// The first-page request with the declared filter applied.
    fn filtered(&self) -> Request {
        let mut r = self.request.clone();
        for (k, v) in &self.filter {
            r = match self.place() {
                Place::Query => {
                    r.query.insert(k.clone(), Some(Scalar(scalar_text(v))));
                    r
                }
                Place::Body => self.with_param(&r, k, Some(v.clone())),
            };
        }
        r
    }

    /// The generated cases: walks at the default, smallest and largest page sizes (and with
    /// the filter), then the refusals of an out-of-range page and an oversize page.
    pub fn cases(&self, at: &str) -> Vec<Case> {
        let mut out = Vec::new();
        let req = &self.requirement;
        let max = self.max_size;
        let walks: [(&str, String, Request); 3] = [
            (
                "pagination-walk-default",
                format!(
                    "Every page at the default page size ({}) is walked once, with no gaps or repeats",
                    self.default_size
                ),
                self.request.clone(),
            ),
            (
                "pagination-walk-size-1",
                "Every page of one record is walked once, with no gaps or repeats".into(),
                self.sized(&self.request, 1),
            ),
            (
                "pagination-walk-max-size",
                format!(
                    "Every page at the largest page size ({max}) is walked once, with no gaps or repeats"
                ),
                self.sized(&self.request, max),
            ),
        ];
        for (id, title, request) in walks {
            let reference =
                (id != "pagination-walk-max-size").then(|| self.sized(&self.request, max));
            out.push(case(
                id,
                title,
                req,
                at,
                self.walk_steps(at, request, reference),
            ));
        }
        if !self.filter.is_empty() {
            let names: Vec<&str> = self.filter.keys().map(String::as_str).collect();
            let filtered = self.filtered();
            let reference = self.sized(&filtered, max);
            out.push(case(
                "pagination-walk-filtered",
                format!(
                    "Every page of one record under the filter {} is walked once, and every link keeps the filter",
                    names.join(", ")
                ),
                req,
                &format!("{at}/filter"),
                self.walk_steps(
                    &format!("{at}/filter"),
                    self.sized(&filtered, 1),
                    Some(reference),
                ),
            ));
        }
        if let Some(rej) = &self.invalid_page
            && let Some(steps) = self.out_of_range_steps(&format!("{at}/invalid_page"), rej)
        {
            out.push(case(
                "pagination-page-out-of-range",
                "A page out of range is refused".into(),
                req,
                &format!("{at}/invalid_page"),
                steps,
            ));
        }
        if let (Some(rej), Some(size)) = (&self.invalid_size, self.size_param()) {
            let origin = format!("{at}/invalid_size");
            let value = rej.value.clone().unwrap_or(Value::from(max + 1));
            let request = self.with_param(&self.request, size, Some(value.clone()));
            out.push(case(
                "pagination-size-over-maximum",
                format!(
                    "A page size above the maximum ({}) is refused",
                    scalar_text(&value)
                ),
                req,
                &origin,
                vec![plain_step(&origin, request, refusal(rej), None)],
            ));
        }
        out
    }

    /// A walk, preceded by a reference walk at the largest size when the style has no totals
    /// to prove completeness with.
    fn walk_steps(&self, at: &str, request: Request, reference: Option<Request>) -> Vec<Step> {
        let mut steps = Vec::new();
        let compare = !self.has_totals() && reference.is_some();
        if compare && let Some(r) = reference {
            steps.push(walk_step(at, r, false));
        }
        steps.push(walk_step(at, request, compare));
        steps
    }

    fn out_of_range_steps(&self, at: &str, rej: &Rejection) -> Option<Vec<Step>> {
        let expect = refusal(rej);
        match self.style {
            Style::Cds => {
                // The standard leaves the pages of an empty set open, so the probe needs a record.
                let first = self.sized(&self.request, self.max_size);
                let capture = (
                    "any_record".to_owned(),
                    Capture {
                        header: None,
                        body: Some(format!("{}/0", self.items)),
                        skip_if_missing: Some(true),
                    },
                );
                let value = rej
                    .value
                    .clone()
                    .unwrap_or(Value::from(CDS_PAGE_OUT_OF_RANGE));
                let beyond = self.with_param(&first, self.page_param(), Some(value));
                Some(vec![
                    plain_step(at, first, Expect::default(), Some(capture)),
                    plain_step(at, beyond, expect, None),
                ])
            }
            Style::Offset => {
                let value = rej.value.clone().unwrap_or(Value::from(-1));
                let request = self.with_param(&self.request, self.offset_param(), Some(value));
                Some(vec![plain_step(at, request, expect, None)])
            }
            Style::Cursor => {
                let param = self.cursor_param.as_deref()?;
                let value = rej.value.clone()?;
                let request = self.with_param(&self.request, param, Some(value));
                Some(vec![plain_step(at, request, expect, None)])
            }
        }
    }
}

/// A scalar as query text: strings as they are, anything else as JSON.
pub fn scalar_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn refusal(rej: &Rejection) -> Expect {
    Expect {
        status: Some(StatusSet::exact(&[rej.status])),
        error: rej.error.clone(),
        ..Expect::default()
    }
}

fn walk_step(origin: &str, request: Request, same_as_previous: bool) -> Step {
    Step {
        name: None,
        request,
        capture: Default::default(),
        expect: Expect::default(),
        walk: Some(Walk {
            max_pages: None,
            same_as_previous,
        }),
        skip_if_status: Vec::new(),
        origin: Some(origin.to_owned()),
    }
}

fn plain_step(
    origin: &str,
    request: Request,
    expect: Expect,
    capture: Option<(String, Capture)>,
) -> Step {
    Step {
        name: None,
        request,
        capture: capture.into_iter().collect(),
        expect,
        walk: None,
        skip_if_status: Vec::new(),
        origin: Some(origin.to_owned()),
    }
}
