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

use serde_json::Value;

use super::Judge;
use crate::finding::Where;
use crate::suite::protocol::pagination::walk_record::{
    End, LINKS, Page, cds_link_rule, query_param, resolve, url_key,
};

/// Excuses an error page past the last one (by the first page's totals): it was reached by a
/// link the last page need not have carried, which is judged on its own.
pub(super) fn excuse(j: &mut Judge<'_>) {
    let walk = j.cx.walk;
    let Some(first) = walk.pages.first() else {
        return;
    };
    let (Some(records), Some(_)) = (count(&first.total_records), count(&first.total_pages)) else {
        return;
    };
    let last_page = records.div_ceil(walk.size.max(1)).max(1);
    for page in &walk.pages {
        if !page.ok() && page.number as u64 > last_page {
            j.excused.insert(page.number);
        }
    }
}

pub(super) fn judge(j: &mut Judge<'_>) {
    let walk = j.cx.walk;
    let size = walk.size.max(1);
    let Some(first) = walk.pages.first().filter(|p| p.ok() && p.json) else {
        return;
    };
    let (Some(records), Some(pages)) = (count(&first.total_records), count(&first.total_pages))
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
    let last_page = want_pages.max(1);
    for page in &walk.pages {
        let n = page.number as u64;
        if !page.ok() {
            continue;
        }
        if n > 1 {
            for (name, value, at) in [
                ("totalRecords", &page.total_records, records),
                ("totalPages", &page.total_pages, pages),
            ] {
                if count(value) != Some(at) {
                    let got = value
                        .as_ref()
                        .map_or("missing".to_owned(), Value::to_string);
                    j.mismatch(
                        "totals-change",
                        page.number,
                        Where::body(&format!("/meta/{name}")),
                        format!("meta.{name} changed during the walk: page 1 said {at}, page {n} says {got}"),
                        at,
                        got,
                    );
                }
            }
        }
        size_rule(j, page, records, size, last_page);
        links(j, page, last_page);
    }
    if walk.end != End::Last {
        return;
    }
    let walked = walk.pages.iter().filter(|p| p.ok()).count() as u64;
    let last = walk.pages.last().map_or(1, |p| p.number);
    if walked < last_page {
        j.mismatch(
            "short-walk",
            last,
            Where::body("/links/next"),
            format!("the walk ended on page {walked}, but meta.totalPages is {pages}"),
            last_page,
            walked,
        );
    }
    let seen = distinct(&walk.ids());
    if seen != records {
        j.mismatch(
            "seen-total",
            last,
            Where::body("/meta/totalRecords"),
            format!("the walk saw {seen} distinct records, but meta.totalRecords is {records}"),
            records,
            seen,
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
        let which = match j.cx.walk.sent_size {
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

/// Where `link` leads: by its page parameter, by the walk page it asks for again, or by the
/// records the page it led to when followed holds.
fn lead(j: &Judge<'_>, link: &url::Url) -> Lead {
    let decl = j.cx.decl;
    if let Some(p) = query_param(link, decl.page_param()) {
        return Lead::Param(p);
    }
    let key = url_key(link.as_str(), decl);
    let answer = |p: &Page| {
        if !p.ok() {
            return Some(Lead::Nowhere(format!("a {} answer", p.status)));
        }
        None
    };
    if let Some(p) = j.pages().iter().find(|p| url_key(&p.url, decl) == key) {
        return answer(p).unwrap_or(Lead::Page(p.number as u64));
    }
    let Some(f) = j.cx.walk.followed.iter().find(|f| f.key == key) else {
        return Lead::Unknown;
    };
    if let Some(l) = answer(&f.page) {
        return l;
    }
    let same = j
        .pages()
        .iter()
        .find(|p| p.ok() && p.ids.is_some() && p.ids == f.page.ids);
    match (same, f.page.records()) {
        (Some(p), _) => Lead::Page(p.number as u64),
        (None, Some(0)) => Lead::Nowhere("an empty page".into()),
        (None, _) => Lead::Nowhere("records that no page of the walk holds".into()),
    }
}

/// Presence, form and target of each link of one page.
fn links(j: &mut Judge<'_>, page: &Page, last_page: u64) {
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
        Some((Some(s), _)) if url::Url::parse(s).is_ok() => {}
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
        let at = Where::body(&format!("/links/{name}"));
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
                    at,
                    format!("links.{name} is missing on page {n}, and {why}"),
                );
            }
            continue;
        };
        let Some(link) = resolve(page, value) else {
            if name != "self" {
                j.mismatch(
                    "link-form",
                    page.number,
                    at,
                    format!("links.{name} {value} is not a URI"),
                    "a URI",
                    value,
                );
            }
            continue;
        };
        let lead = lead(j, &link);
        match target {
            Some(want) => link_page(j, page.number, name, &lead, want),
            // A page past the last is itself the fault, judged by its size and the totals.
            None if n > last_page => {}
            None => extra_link(j, page.number, name, &lead, last_page),
        }
        link_query(j, page.number, name, &link);
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
fn link_query(j: &mut Judge<'_>, n: usize, name: &str, link: &url::Url) {
    let walk = j.cx.walk;
    let decl = j.cx.decl;
    let at = Where::body(&format!("/links/{name}"));
    let q = |k: &str| query_param(link, k);
    let page = q(decl.page_param());
    if let Some(got) = decl.size_param().and_then(q)
        && got.parse::<u64>().ok() != Some(walk.size)
    {
        j.mismatch(
            "link-size",
            n,
            at.clone(),
            format!(
                "links.{name} of page {n} asks for page size {got}, but the walk's page size is {}",
                walk.size
            ),
            walk.size,
            got,
        );
    }
    for (k, v) in &walk.filters {
        match q(k) {
            Some(got) if got != *v => j.mismatch(
                "link-filter",
                n,
                at.clone(),
                format!("links.{name} of page {n} changes the filter {k} from {v} to {got}"),
                format!("{k}={v}"),
                format!("{k}={got}"),
            ),
            None if page.is_some() => j.mismatch(
                "link-filter",
                n,
                at.clone(),
                format!("links.{name} of page {n} drops the filter {k}={v} the request asked for"),
                format!("{k}={v}"),
                "missing",
            ),
            _ => {}
        }
    }
}

fn count(v: &Option<Value>) -> Option<u64> {
    v.as_ref().and_then(Value::as_u64)
}

fn distinct(ids: &[String]) -> u64 {
    ids.iter().collect::<std::collections::HashSet<_>>().len() as u64
}
