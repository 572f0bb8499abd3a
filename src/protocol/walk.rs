//! What a pagination walk leaves behind for the `pagination-walk` check: a small digest of each
//! page (the request's paging, the status, the record ids, the links, totals and markers) and
//! why the walk stopped.
//!
//! The executor builds a [`Record`] while it walks; the check judges it without the bodies, so
//! a walk of ten thousand pages costs little memory. The main type is [`Record`]. A page whose
//! body a long walk does not keep in the report carries its [`Digest`] instead, so a replay
//! can rebuild the [`Page`] the walker read.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::pagination::{Pagination, Style};

/// One page as the walk saw it.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// Position in the walk, from 1.
    pub number: usize,
    /// The URL requested (secrets redacted).
    pub url: String,
    /// The JSON body sent, when there was one.
    pub body: Option<Value>,
    pub status: u16,
    /// True when the response body was JSON.
    pub json: bool,
    /// The identifier of each record (as text; `None` for a record without one), or `None`
    /// when the records pointer does not hold an array.
    pub ids: Option<Vec<Option<String>>>,
    /// `cds`: the links present (self, first, prev, next, last), as received.
    pub links: Vec<(&'static str, Value)>,
    /// `cds`: meta.totalRecords and meta.totalPages as received.
    pub total_records: Option<Value>,
    pub total_pages: Option<Value>,
    /// `offset`: the more-records marker; `cursor`: the next link or token; any style: the
    /// declared total count.
    pub more: Option<Value>,
    pub next: Option<Value>,
    pub total: Option<Value>,
}

/// The link names of standard pagination, in the order findings report them.
pub const LINKS: [&str; 5] = ["self", "first", "prev", "next", "last"];

impl Page {
    /// Reads the digest of a page from its request and (unredacted) JSON body.
    pub fn read(
        number: usize,
        url: &str,
        body: Option<&str>,
        status: u16,
        json: Option<&Value>,
        decl: &Pagination,
    ) -> Page {
        let at = |ptr: &str| {
            json.and_then(|j| j.pointer(ptr))
                .filter(|v| !v.is_null())
                .cloned()
        };
        let ids = json
            .and_then(|j| j.pointer(&decl.items))
            .and_then(Value::as_array)
            .map(|items| {
                items
                    .iter()
                    .map(|r| r.pointer(&decl.id).and_then(id_text))
                    .collect()
            });
        let links = match decl.style {
            Style::Cds => LINKS
                .iter()
                .filter_map(|name| at(&format!("/links/{name}")).map(|v| (*name, v)))
                .collect(),
            _ => Vec::new(),
        };
        let (total_records, total_pages) = match decl.style {
            Style::Cds => (at("/meta/totalRecords"), at("/meta/totalPages")),
            _ => (None, None),
        };
        Page {
            number,
            url: url.to_owned(),
            body: body.and_then(|b| serde_json::from_str(b).ok()),
            status,
            json: json.is_some(),
            ids,
            links,
            total_records,
            total_pages,
            more: decl.more.as_deref().and_then(&at),
            next: decl.next_pointer().and_then(&at),
            total: decl.total.as_deref().and_then(&at),
        }
    }

    /// The page rebuilt from its request and the digest recorded in place of its body.
    pub fn from_digest(
        number: usize,
        url: &str,
        body: Option<&str>,
        status: u16,
        digest: &Digest,
    ) -> Page {
        Page {
            number,
            url: url.to_owned(),
            body: body.and_then(|b| serde_json::from_str(b).ok()),
            status,
            json: digest.json,
            ids: digest.ids.clone(),
            links: LINKS
                .iter()
                .filter_map(|name| digest.links.get(*name).map(|v| (*name, v.clone())))
                .collect(),
            total_records: digest.total_records.clone(),
            total_pages: digest.total_pages.clone(),
            more: digest.more.clone(),
            next: digest.next.clone(),
            total: digest.total.clone(),
        }
    }

    /// What the walk read from the page's body, to record when the body is not kept.
    pub fn digest(&self) -> Digest {
        Digest {
            json: self.json,
            ids: self.ids.clone(),
            links: self
                .links
                .iter()
                .map(|(n, v)| ((*n).to_owned(), v.clone()))
                .collect(),
            total_records: self.total_records.clone(),
            total_pages: self.total_pages.clone(),
            more: self.more.clone(),
            next: self.next.clone(),
            total: self.total.clone(),
        }
    }

    /// A link of standard pagination, as received.
    pub fn link(&self, name: &str) -> Option<&Value> {
        self.links.iter().find(|(n, _)| *n == name).map(|(_, v)| v)
    }

    /// Number of records on the page, when it holds an array of them.
    pub fn records(&self) -> Option<usize> {
        self.ids.as_ref().map(Vec::len)
    }

    /// True for a 2xx status.
    pub fn ok(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// A record's identifier as text: strings as they are, numbers and other scalars as JSON.
fn id_text(v: &Value) -> Option<String> {
    match v {
        Value::Null | Value::Array(_) | Value::Object(_) => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

/// What a walk read from a page's body ([`Page`] without its request): recorded on a page of a
/// long walk whose body the report does not keep. Fields are left out when empty.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Digest {
    /// True when the body was JSON.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub json: bool,
    /// The identifier of each record (`null` for a record without one); absent when the
    /// records pointer did not hold an array.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ids: Option<Vec<Option<String>>>,
    /// `cds`: the links present, by name.
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub links: Map<String, Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_records: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_pages: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub more: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<Value>,
}

impl Digest {
    /// The digest with `f` applied to every text in it (to redact secrets).
    pub fn map_text(self, f: &impl Fn(&str) -> String) -> Digest {
        let value = |v: Option<Value>| v.map(|v| map_value(v, f));
        Digest {
            json: self.json,
            ids: self
                .ids
                .map(|ids| ids.into_iter().map(|id| id.map(|t| f(&t))).collect()),
            links: self
                .links
                .into_iter()
                .map(|(k, v)| (k, map_value(v, f)))
                .collect(),
            total_records: value(self.total_records),
            total_pages: value(self.total_pages),
            more: value(self.more),
            next: value(self.next),
            total: value(self.total),
        }
    }
}

fn map_value(v: Value, f: &impl Fn(&str) -> String) -> Value {
    match v {
        Value::String(s) => Value::String(f(&s)),
        Value::Array(a) => Value::Array(a.into_iter().map(|v| map_value(v, f)).collect()),
        Value::Object(o) => {
            Value::Object(o.into_iter().map(|(k, v)| (k, map_value(v, f))).collect())
        }
        other => other,
    }
}

/// Why a walk stopped.
#[derive(Debug, Clone, PartialEq)]
pub enum End {
    /// The last page said no more follow (no next link, more false, no cursor).
    Last,
    /// A page answered with a status outside 2xx.
    Status,
    /// The next link or cursor of the last page led back to one already requested, for the
    /// page numbered `seen`.
    Loop { to: String, seen: usize },
    /// `max_pages` pages were requested and the last one still pointed further.
    Cap,
    /// The walk could not go on from the last page: `message` says why, `at` is the JSON
    /// Pointer of what was wrong in its body.
    Stuck { at: String, message: String },
}

/// A whole walk.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    pub pages: Vec<Page>,
    pub end: End,
    /// The page size the first request asked for, if it asked.
    pub sent_size: Option<u64>,
    /// The page size in effect: the one asked for, else the declared default.
    pub size: u64,
    /// Query parameters of the first request other than the paging ones: the filters every
    /// link must keep.
    pub filters: Vec<(String, String)>,
    /// The page cap the walk ran under.
    pub max_pages: u64,
    /// The ids the previous walk of the case saw, when this walk must see the same.
    pub previous: Option<Vec<String>>,
}

impl Record {
    /// Every record id seen, in walk order (records without one are left out).
    pub fn ids(&self) -> Vec<String> {
        self.pages
            .iter()
            .filter(|p| p.ok())
            .flat_map(|p| p.ids.iter().flatten().flatten().cloned())
            .collect()
    }
}
