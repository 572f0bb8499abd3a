//! The `cds` style over a whole walk, per the Consumer Data Standards' pagination section:
//! - `meta.totalRecords` and `meta.totalPages` are integers, the same on every page, with
//!   `totalPages = ceil(totalRecords / page-size)` (0 for an empty set), and the walk sees
//!   exactly `totalRecords` records on `max(totalPages, 1)` pages;
//! - every page but the last holds `page-size` records (the default when none was asked for),
//!   the last holds the rest;
//! - `self` is always present and fully qualified; `first` and `prev` are present on every page
//!   but the first, `next` and `last` on every page but the last. The standard does not forbid
//!   them elsewhere, so their presence there is a warning, and a server that links past its
//!   last page is judged by where the link leads;
//! - a link parses as a URI; one that carries the page parameter points at the right page
//!   (`first` 1, `prev` n-1, `next` n+1, `last` totalPages) and then carries the request's
//!   filters; one that carries the page-size parameter or a filter keeps its value. Links without
//!   a page parameter are cursors the standard allows, judged only by where they lead.

use serde_json::Value;

use super::Judge;
use crate::finding::Where;
use crate::protocol::walk::{End, Page};

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

/// Presence, form and target of each link of one page.
fn links(j: &mut Judge<'_>, page: &Page, last_page: u64) {
    let n = page.number as u64;
    let (is_first, is_last) = (n == 1, n >= last_page);
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
    for name in ["first", "prev", "next", "last"] {
        let required = match name {
            "first" | "prev" => !is_first,
            _ => !is_last,
        };
        let at = Where::body(&format!("/links/{name}"));
        let Some(value) = page.link(name) else {
            if required {
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
        if !required {
            let edge = if matches!(name, "first" | "prev") {
                "first"
            } else {
                "last"
            };
            j.warn(
                "link-extra",
                page.number,
                at.clone(),
                format!("links.{name} is present on the {edge} page (page {n}); the standard requires it only elsewhere"),
            );
        }
        let parsed = value.as_str().and_then(|href| {
            url::Url::parse(href)
                .or_else(|_| url::Url::parse(&page.url).and_then(|b| b.join(href)))
                .ok()
        });
        let Some(link) = parsed else {
            j.mismatch(
                "link-form",
                page.number,
                at,
                format!("links.{name} {value} is not a URI"),
                "a URI",
                value,
            );
            continue;
        };
        let target = match name {
            "first" => Some(1),
            "prev" if required => Some(n - 1),
            "next" if required => Some(n + 1),
            "last" => Some(last_page),
            _ => None,
        };
        link_target(j, page.number, name, &link, target);
    }
}

/// The page, page size and filters a link asks for.
fn link_target(j: &mut Judge<'_>, n: usize, name: &str, link: &url::Url, target: Option<u64>) {
    let walk = j.cx.walk;
    let decl = j.cx.decl;
    let at = Where::body(&format!("/links/{name}"));
    let q = |k: &str| {
        link.query_pairs()
            .find(|(p, _)| p == k)
            .map(|(_, v)| v.into_owned())
    };
    let page = q(decl.page_param());
    if let (Some(got), Some(want)) = (&page, target)
        && got.parse::<u64>().ok() != Some(want)
    {
        j.mismatch(
            "link-page",
            n,
            at.clone(),
            format!("links.{name} of page {n} points at page {got}, expected page {want}"),
            want,
            got,
        );
    }
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
