//! The `cds` style over a whole walk, per the Consumer Data Standards' pagination section:
//! - `meta.totalRecords` and `meta.totalPages` are integers, the same on every page, with
//!   `totalPages = ceil(totalRecords / page-size)` (0 for an empty set), and the walk sees
//!   exactly `totalRecords` records on `max(totalPages, 1)` pages;
//! - every page but the last holds `page-size` records (the default when none was asked for),
//!   the last holds the rest;
//! - `self` is always present and fully qualified; `first` and `prev` are present on every page
//!   but the first, `next` and `last` on every page but the last;
//! - every link leads to the page the arithmetic gives (`self` n, `first` 1, `prev` n-1, `next`
//!   n+1, `last` totalPages): by its page parameter when it carries one, else by the walk page it
//!   asks for again, else by the records of the page it led to when followed once (links without
//!   a page parameter are cursors the standard allows);
//! - `prev` on the first page and `next` on the last are not required, and the standard does
//!   not forbid them; where present they must still lead to a page of the same set (a `next`
//!   past the last page that answers an error breaks this);
//! - a link that names its page by number carries the request's filters; one that carries the
//!   page-size parameter or a filter keeps its value.

use std::collections::HashMap;

use serde_json::Value;

use super::{Ended, Judge, Seq};
use crate::finding::Where;
use crate::suite::protocol::pagination::walk_record::{
    End, Followed, LINKS, Link, Page, PageUrls, cds_link_rule, hash128, url_key_of,
};

/// What the `cds` rules keep between pages.
#[derive(Default)]
pub(super) struct State {
    /// Whether the first page was seen.
    started: bool,
    /// The first page's totals, when they are integers and the page answered 2xx with JSON:
    /// the rules apply.
    first: Option<First>,
    /// The set's last page by the first page's totals, whatever its status: a page after it
    /// that answered an error is excused.
    excuse_last: Option<u64>,
    /// Each page's address (hashed [`url_key`]): the first page asking for it, and its status.
    by_key: HashMap<u128, (usize, u16)>,
    /// Each 2xx page's records (hashed ids): the first page holding them.
    by_ids: HashMap<u128, usize>,
    /// Links no page so far placed, judged when the walk ends.
    pending: Vec<Pending>,
}

/// The first page's totals.
#[derive(Clone, Copy)]
struct First {
    records: u64,
    pages: u64,
    last_page: u64,
}

/// A link without a page parameter that asks for no page walked so far.
struct Pending {
    seq: Seq,
    page: usize,
    name: &'static str,
    key: u128,
    target: Option<u64>,
    last_page: u64,
}

/// Notes, from the first page, the set's last page: an error page past it was reached by a
/// link the last page need not have carried, which is judged on its own.
pub(super) fn excuse(state: &mut State, j: &Judge<'_>, page: &Page) {
    if state.started {
        return;
    }
    if let (Some(records), Some(_)) = (count(&page.total_records), count(&page.total_pages)) {
        state.excuse_last = Some(records.div_ceil(j.setup.size.max(1)).max(1));
    }
}

impl State {
    /// True for an error page past the set's last page.
    pub(super) fn excused(&self, page: &Page) -> bool {
        self.excuse_last
            .is_some_and(|last| !page.ok() && page.number as u64 > last)
    }
}

/// The rules of one page.
pub(super) fn page(state: &mut State, j: &mut Judge<'_>, page: &Page, urls: &PageUrls) {
    let size = j.setup.size.max(1);
    if !state.started {
        state.started = true;
        if !(page.ok() && page.json) {
            return;
        }
        let (Some(records), Some(pages)) = (count(&page.total_records), count(&page.total_pages))
        else {
            j.fail(
                "meta",
                1,
                Where::body("/meta"),
                "meta.totalRecords and meta.totalPages must both be non-negative integers".into(),
            );
            return;
        };
        let want_pages = records.div_ceil(size);
        if pages != want_pages {
            j.mismatch(
                "total-pages",
                1,
                Where::body("/meta/totalPages"),
                format!(
                    "totalPages is {pages}, but {records} records at page size {size} make {want_pages}"
                ),
                want_pages,
                pages,
            );
        }
        state.first = Some(First {
            records,
            pages,
            last_page: want_pages.max(1),
        });
    }
    let Some(first) = state.first else { return };
    state
        .by_key
        .entry(urls.key)
        .or_insert((page.number, page.status));
    if !page.ok() {
        return;
    }
    if page.ids.is_some() {
        state
            .by_ids
            .entry(hash128(&page.ids))
            .or_insert(page.number);
    }
    let n = page.number as u64;
    if n > 1 {
        for (name, value, at) in [
            ("totalRecords", &page.total_records, first.records),
            ("totalPages", &page.total_pages, first.pages),
        ] {
            if count(value) != Some(at) {
                let got = value
                    .as_ref()
                    .map_or("missing".to_owned(), Value::to_string);
                j.mismatch(
                    "totals-change",
                    page.number,
                    Where::body(&format!("/meta/{name}")),
                    format!(
                        "meta.{name} changed during the walk: page 1 said {at}, page {n} says {got}"
                    ),
                    at,
                    got,
                );
            }
        }
    }
    size_rule(j, page, first.records, size, first.last_page);
    links(state, j, page, urls, first.last_page);
}

/// The links only the end of the walk could place, then the set's size against the walk.
pub(super) fn finish(
    state: &mut State,
    j: &mut Judge<'_>,
    walk: &Ended<'_>,
    followed: &[Followed],
) {
    let Some(first) = state.first else { return };
    for p in std::mem::take(&mut state.pending) {
        let lead = late_lead(state, &p, followed);
        j.at(p.seq);
        match p.target {
            Some(want) => link_page(j, p.page, p.name, &lead, want),
            None => extra_link(j, p.page, p.name, &lead, p.last_page),
        }
        j.reserved = None;
    }
    if *walk.end != End::Last {
        return;
    }
    let last = walk.last_page.unwrap_or(1);
    if walk.walked < first.last_page {
        j.mismatch(
            "short-walk",
            last,
            Where::body("/links/next"),
            format!(
                "the walk ended on page {}, but meta.totalPages is {}",
                walk.walked, first.pages
            ),
            first.last_page,
            walk.walked,
        );
    }
    if walk.distinct != first.records {
        j.mismatch(
            "seen-total",
            last,
            Where::body("/meta/totalRecords"),
            format!(
                "the walk saw {} distinct records, but meta.totalRecords is {}",
                walk.distinct, first.records
            ),
            first.records,
            walk.distinct,
        );
    }
}

/// Every page but the last holds `size` records; the last the rest; a page past it none.
fn size_rule(j: &mut Judge<'_>, page: &Page, records: u64, size: u64, last_page: u64) {
    let Some(held) = page.records() else { return };
    let n = page.number as u64;
    let want = if n < last_page {
        size
    } else if n == last_page {
        records.saturating_sub(size * (last_page - 1))
    } else {
        0
    };
    if held as u64 != want {
        let which = match j.setup.sent_size {
            Some(_) => format!("page size {size}"),
            None => format!("the default page size {size}"),
        };
        j.mismatch(
            "page-size",
            page.number,
            Where::body(&j.cx.decl.items),
            format!("page {n} holds {held} records; {records} records at {which} put {want} on it"),
            want,
            held,
        );
    }
}

/// Where a link leads, as far as the walk can tell.
enum Lead {
    /// The page parameter's value, as written.
    Param(String),
    /// A page of the walk, found by asking for it again or by holding the same records.
    Page(u64),
    /// Something that is no page of the walk: an error, or records no page holds.
    Nowhere(String),
    /// Not known: the link was not followed.
    Unknown,
}

/// What a page reached by a link says of where the link leads.
fn answered(number: usize, status: u16) -> Lead {
    if (200..300).contains(&status) {
        Lead::Page(number as u64)
    } else {
        Lead::Nowhere(format!("a {status} answer"))
    }
}

/// Where a link of the walk's last pages leads, now that every page is known: the walk page
/// asking for it, else the records of the page it led to when followed once.
fn late_lead(state: &State, p: &Pending, followed: &[Followed]) -> Lead {
    if let Some(&(number, status)) = state.by_key.get(&p.key) {
        return answered(number, status);
    }
    let Some(f) = followed.iter().find(|f| hash128(f.key.as_str()) == p.key) else {
        return Lead::Unknown;
    };
    if !f.page.ok() {
        return Lead::Nowhere(format!("a {} answer", f.page.status));
    }
    let same = f
        .page
        .ids
        .is_some()
        .then(|| state.by_ids.get(&hash128(&f.page.ids)))
        .flatten();
    match (same, f.page.records()) {
        (Some(&n), _) => Lead::Page(n as u64),
        (None, Some(0)) => Lead::Nowhere("an empty page".into()),
        (None, _) => Lead::Nowhere("records that no page of the walk holds".into()),
    }
}

/// Presence, form and target of each link of one page.
fn links(state: &mut State, j: &mut Judge<'_>, page: &Page, urls: &PageUrls, last_page: u64) {
    let n = page.number as u64;
    match page.link("self").map(|v| (v.as_str(), v)) {
        None => {
            j.fail(
                "self",
                page.number,
                Where::body("/links/self"),
                "links.self is missing".into(),
            );
        }
        // Written as an absolute URL: the walk parsed it so when it read the page's links.
        Some((Some(_), _)) if urls.link(page, "self").is_some_and(|l| l.absolute) => {}
        Some((_, v)) => j.mismatch(
            "self",
            page.number,
            Where::body("/links/self"),
            format!("links.self {v} is not a fully qualified URI"),
            "an absolute URI",
            v,
        ),
    }
    for name in LINKS {
        let (required, target) = cds_link_rule(name, n, last_page);
        // Written only for a finding: this runs for every link of every page.
        let at = || Where::body(&format!("/links/{name}"));
        let Some(value) = page.link(name) else {
            if required && name != "self" {
                let why = if matches!(name, "first" | "prev") {
                    "this is not the first page"
                } else {
                    "this is not the last page"
                };
                j.fail(
                    "link-missing",
                    page.number,
                    at(),
                    format!("links.{name} is missing on page {n}, and {why}"),
                );
            }
            continue;
        };
        let Some(link) = urls.link(page, name) else {
            if name != "self" {
                j.mismatch(
                    "link-form",
                    page.number,
                    at(),
                    format!("links.{name} {value} is not a URI"),
                    "a URI",
                    value,
                );
            }
            continue;
        };
        // A page past the last is itself the fault, judged by its size and the totals.
        let judged = target.is_some() || n <= last_page;
        if judged {
            let decl = j.cx.decl;
            let lead = match link.param(decl.page_param()) {
                Some(p) => Some(Lead::Param(p.to_owned())),
                None => {
                    let key = hash128(url_key_of(&link.url, decl).as_str());
                    match state.by_key.get(&key) {
                        Some(&(number, status)) => Some(answered(number, status)),
                        None => {
                            let seq = j.reserve();
                            state.pending.push(Pending {
                                seq,
                                page: page.number,
                                name,
                                key,
                                target,
                                last_page,
                            });
                            None
                        }
                    }
                }
            };
            match (lead, target) {
                (Some(lead), Some(want)) => link_page(j, page.number, name, &lead, want),
                (Some(lead), None) => extra_link(j, page.number, name, &lead, last_page),
                (None, _) => {}
            }
        }
        link_query(j, page.number, name, link);
    }
}

/// A link the page must carry names the page the arithmetic gives.
fn link_page(j: &mut Judge<'_>, n: usize, name: &str, lead: &Lead, want: u64) {
    let at = Where::body(&format!("/links/{name}"));
    let (message, got) = match lead {
        Lead::Param(got) if got.parse::<u64>().ok() != Some(want) => (
            format!("links.{name} of page {n} points at page {got}, expected page {want}"),
            got.clone(),
        ),
        Lead::Page(got) if *got != want => (
            format!(
                "links.{name} of page {n} leads to page {got} of the walk, expected page {want}"
            ),
            got.to_string(),
        ),
        Lead::Nowhere(what) => (
            format!("links.{name} of page {n} leads to {what}, expected page {want}"),
            what.clone(),
        ),
        _ => return,
    };
    j.mismatch("link-page", n, at, message, want, got);
}

/// A link the standard does not require on this page (`prev` on the first, `next` on the last)
/// must still lead to a page of the same set.
fn extra_link(j: &mut Judge<'_>, n: usize, name: &str, lead: &Lead, last_page: u64) {
    let at = Where::body(&format!("/links/{name}"));
    let edge = if name == "prev" { "first" } else { "last" };
    let set = if last_page == 1 {
        "the set has one page".to_owned()
    } else {
        format!("the set has pages 1 to {last_page}")
    };
    let actual = match lead {
        Lead::Param(got) => match got.parse::<u64>() {
            Ok(p) if (1..=last_page).contains(&p) => return,
            _ => format!("page {got}"),
        },
        Lead::Page(_) | Lead::Unknown => return,
        Lead::Nowhere(what) => what.clone(),
    };
    j.mismatch(
        "link-extra",
        n,
        at,
        format!(
            "links.{name} on the {edge} page (page {n}) leads to {actual}, but {set}: a link the standard does not require must still lead to a page of the same set"
        ),
        format!("a page from 1 to {last_page}"),
        actual,
    );
}

/// A link that carries the page-size parameter or a filter keeps its value; one that names its
/// page by number keeps every filter.
fn link_query(j: &mut Judge<'_>, n: usize, name: &str, link: &Link) {
    let decl = j.cx.decl;
    let size = j.setup.size;
    // Where a finding points, written only when there is one: this runs for every link of
    // every page.
    let at = || Where::body(&format!("/links/{name}"));
    let q = |k: &str| link.param(k);
    let page = q(decl.page_param());
    if let Some(got) = decl.size_param().and_then(q)
        && got.parse::<u64>().ok() != Some(size)
    {
        j.mismatch(
            "link-size",
            n,
            at(),
            format!(
                "links.{name} of page {n} asks for page size {got}, but the walk's page size is {size}"
            ),
            size,
            got,
        );
    }
    let filters = std::mem::take(&mut j.setup.filters);
    for (k, v) in &filters {
        match q(k) {
            Some(got) if got != v => j.mismatch(
                "link-filter",
                n,
                at(),
                format!("links.{name} of page {n} changes the filter {k} from {v} to {got}"),
                format!("{k}={v}"),
                format!("{k}={got}"),
            ),
            None if page.is_some() => j.mismatch(
                "link-filter",
                n,
                at(),
                format!("links.{name} of page {n} drops the filter {k}={v} the request asked for"),
                format!("{k}={v}"),
                "missing",
            ),
            _ => {}
        }
    }
    j.setup.filters = filters;
}

fn count(v: &Option<Value>) -> Option<u64> {
    v.as_ref().and_then(Value::as_u64)
}
