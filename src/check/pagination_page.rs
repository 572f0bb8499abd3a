//! `pagination-page`: one page agrees with its request, its `meta` and its `links`, per the CDS
//! pagination rules:
//! - `meta.totalPages` is `ceil(totalRecords / page-size)`, and 0 when `totalRecords` is 0;
//! - the page holds `page-size` records, fewer only on the last page, none past it;
//! - `links.self` is present and fully qualified; `first` and `prev` are present when this is not
//!   the first page; `next` and `last` when it is not the last;
//! - a link that carries a `page` parameter points at the right page (`self` the page asked
//!   for, `first` 1, `prev` page-1, `next` page+1, `last` totalPages), and one that carries
//!   `page-size` keeps the requested size;
//! - a link the standard does not require here (`prev` on the first page, `next` on the last)
//!   that carries a `page` parameter names a page of the set.
//!
//! Links may be cursors the standard allows ("MAY include other query parameters"): one page
//! alone cannot tell where a link without a `page` parameter leads, so only a walk
//! (`pagination-walk`) judges those.

use serde_json::Value;

use super::{Check, Output, StepContext};
use crate::finding::{Finding, Where};
use crate::suite::PaginationStyle;

pub struct PaginationPage;

const RULE: &str = "CDS Pagination: links and meta (standard pagination)";

impl Check for PaginationPage {
    fn id(&self) -> &'static str {
        "pagination-page"
    }
    fn summary(&self) -> &'static str {
        "A page agrees with its request, meta totals and links"
    }
    fn rule(&self) -> &'static str {
        RULE
    }
    fn automatic(&self) -> bool {
        false
    }
    fn run(&self, cx: &StepContext<'_>, out: &mut Output) {
        let Some(p) = &cx.expect.pagination else {
            return;
        };
        if !(200..300).contains(&cx.response.status) {
            return;
        }
        let PaginationStyle::Cds = p.style;
        let loc = cx.suite_location("/pagination");
        let mut fail =
            |at: Where, msg: String, expected: Option<String>, actual: Option<String>| {
                let mut f = Finding::new(self.id(), cx.step, at, msg)
                    .rule(RULE)
                    .suite_location(loc.clone());
                f.expected = expected;
                f.actual = actual;
                out.findings.push(f);
            };
        let Some(json) = &cx.response.json else {
            fail(
                Where::body(""),
                "the body is not JSON, so the page cannot be checked".into(),
                None,
                None,
            );
            return;
        };
        let url = url::Url::parse(&cx.exchange.request.url).ok();
        let param = |name: &str| {
            url.as_ref().and_then(|u| {
                u.query_pairs()
                    .find(|(k, _)| k == name)
                    .map(|(_, v)| v.into_owned())
            })
        };
        let page = param("page")
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(1);
        let size = param("page-size")
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(p.default_size);
        let total_records = json.pointer("/meta/totalRecords").and_then(Value::as_u64);
        let total_pages = json.pointer("/meta/totalPages").and_then(Value::as_u64);
        let (Some(records), Some(pages)) = (total_records, total_pages) else {
            fail(
                Where::body("/meta"),
                "meta.totalRecords and meta.totalPages must both be non-negative integers".into(),
                None,
                None,
            );
            return;
        };
        let want_pages = records.div_ceil(size.max(1));
        if pages != want_pages {
            fail(
                Where::body("/meta/totalPages"),
                format!(
                    "totalPages is {pages}, but {records} records at page size {size} make {want_pages}"
                ),
                Some(want_pages.to_string()),
                Some(pages.to_string()),
            );
        }
        let on_page = match json.pointer(&p.items) {
            Some(Value::Array(items)) => items.len() as u64,
            _ => {
                fail(
                    Where::body(&p.items),
                    format!("{} is not an array of records", p.items),
                    None,
                    None,
                );
                return;
            }
        };
        let want_on_page = if page < want_pages {
            size
        } else if page == want_pages {
            records - size * (want_pages.saturating_sub(1))
        } else {
            0
        };
        if on_page != want_on_page {
            fail(
                Where::body(&p.items),
                format!(
                    "page {page} holds {on_page} records; {records} records at page size {size} put {want_on_page} on it"
                ),
                Some(want_on_page.to_string()),
                Some(on_page.to_string()),
            );
        }
        let link = |name: &str| {
            json.pointer(&format!("/links/{name}"))
                .and_then(Value::as_str)
        };
        match link("self") {
            None => fail(
                Where::body("/links/self"),
                "links.self is missing".into(),
                Some("present".into()),
                None,
            ),
            Some(s) if url::Url::parse(s).is_err() => fail(
                Where::body("/links/self"),
                format!("links.self `{s}` is not a fully qualified URI"),
                Some("an absolute URI".into()),
                Some(s.to_owned()),
            ),
            Some(_) => {}
        }
        let last_page = want_pages.max(1);
        for name in crate::suite::protocol::pagination::walk_record::LINKS {
            let (required, target) = crate::suite::protocol::pagination::walk_record::cds_link_rule(
                name, page, last_page,
            );
            let at = Where::body(&format!("/links/{name}"));
            let Some(href) = link(name) else {
                if required && name != "self" {
                    let why = if matches!(name, "first" | "prev") {
                        "this is not the first page"
                    } else {
                        "this is not the last page"
                    };
                    fail(
                        at,
                        format!("links.{name} is missing, and {why}"),
                        Some("present".into()),
                        None,
                    );
                }
                continue;
            };
            let base = url.clone();
            let parsed = url::Url::parse(href).or_else(|_| match &base {
                Some(b) => b.join(href),
                None => url::Url::parse(href),
            });
            let Ok(parsed) = parsed else {
                if name != "self" {
                    fail(
                        at,
                        format!("links.{name} `{href}` is not a URI"),
                        None,
                        Some(href.to_owned()),
                    );
                }
                continue;
            };
            let q =
                |k: &str| crate::suite::protocol::pagination::walk_record::query_param(&parsed, k);
            if let Some(got) = q("page") {
                let named = got.parse::<u64>().ok();
                match target {
                    Some(want) if named != Some(want) => fail(
                        at.clone(),
                        format!("links.{name} points at page {got}, expected page {want}"),
                        Some(want.to_string()),
                        Some(got),
                    ),
                    None if !named.is_some_and(|p| (1..=last_page).contains(&p)) => {
                        let edge = if name == "prev" { "first" } else { "last" };
                        fail(
                            at.clone(),
                            format!(
                                "links.{name} on the {edge} page points at page {got}, which is not a page of the set (1 to {last_page})"
                            ),
                            Some(format!("a page from 1 to {last_page}")),
                            Some(got),
                        );
                    }
                    _ => {}
                }
            }
            if let Some(got) = q("page-size")
                && got.parse::<u64>().ok() != Some(size)
            {
                fail(
                    at,
                    format!(
                        "links.{name} asks for page size {got}, but the request asked for {size}"
                    ),
                    Some(size.to_string()),
                    Some(got),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::check::testing::Fixture;

    fn body(records: u64, pages: u64, on_page: usize, links: &str) -> String {
        let items = vec!["{}"; on_page].join(",");
        format!(
            r#"{{"data":{{"accounts":[{items}]}},"links":{{{links}}},"meta":{{"totalRecords":{records},"totalPages":{pages}}}}}"#
        )
    }

    const SELF: &str = r#""self":"https://h/x?page=2&page-size=2""#;

    #[test]
    fn a_correct_middle_page_passes() {
        let f = Fixture::at(
            "expect:\n  pagination: {style: cds, items: /data/accounts}\n",
            "?page=2&page-size=2",
        );
        let links = format!(
            r#"{SELF},"first":"https://h/x?page=1&page-size=2","prev":"https://h/x?page=1&page-size=2","next":"https://h/x?page=3&page-size=2","last":"https://h/x?page=3&page-size=2""#
        );
        assert_eq!(
            f.run(200, &[], &body(5, 3, 2, &links)),
            Vec::<String>::new()
        );
    }

    #[test]
    fn a_correct_last_page_with_extra_links_passes() {
        let f = Fixture::at(
            "expect:\n  pagination: {style: cds, items: /data/accounts}\n",
            "?page=3&page-size=2",
        );
        let links = r#""self":"https://h/x?page=3","first":"https://h/x?page=1","prev":"https://h/x?page=2","next":"https://h/x?page=3""#;
        assert_eq!(f.run(200, &[], &body(5, 3, 1, links)), Vec::<String>::new());
        let links = r#""self":"https://h/x?page=1","first":"https://h/x?page=1","prev":"https://h/x?page=2","next":"https://h/x?page=4""#;
        assert_eq!(
            f.run(200, &[], &body(5, 3, 1, links)),
            vec![
                "[pagination-page] body /links/self: links.self points at page 1, expected page 3",
                "[pagination-page] body /links/next: links.next on the last page points at page 4, which is not a page of the set (1 to 3)",
            ]
        );
    }

    #[test]
    fn an_empty_set_has_zero_pages() {
        let f = Fixture::at(
            "expect:\n  pagination: {style: cds, items: /data/accounts}\n",
            "",
        );
        assert_eq!(
            f.run(200, &[], &body(0, 0, 0, r#""self":"https://h/x""#)),
            Vec::<String>::new()
        );
        assert_eq!(
            f.run(200, &[], &body(0, 1, 0, r#""self":"https://h/x""#)),
            vec![
                "[pagination-page] body /meta/totalPages: totalPages is 1, but 0 records at page size 25 make 0"
            ]
        );
    }

    #[test]
    fn broken_pages_fail_with_the_rule() {
        let f = Fixture::at(
            "expect:\n  pagination: {style: cds, items: /data/accounts}\n",
            "?page=2&page-size=2",
        );
        let links = r#""self":"/x","prev":"https://h/x?page=2&page-size=2","next":"https://h/x?page=3&page-size=5""#;
        assert_eq!(
            f.run(200, &[], &body(5, 2, 3, links)),
            vec![
                "[pagination-page] body /meta/totalPages: totalPages is 2, but 5 records at page size 2 make 3",
                "[pagination-page] body /data/accounts: page 2 holds 3 records; 5 records at page size 2 put 2 on it",
                "[pagination-page] body /links/self: links.self `/x` is not a fully qualified URI",
                "[pagination-page] body /links/first: links.first is missing, and this is not the first page",
                "[pagination-page] body /links/prev: links.prev points at page 2, expected page 1",
                "[pagination-page] body /links/next: links.next asks for page size 5, but the request asked for 2",
                "[pagination-page] body /links/last: links.last is missing, and this is not the last page",
            ]
        );
    }
}
