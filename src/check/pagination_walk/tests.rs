//! The `pagination-walk` rules over hand-built walks, style by style.

use serde_json::{Value, json};

use super::super::WalkContext;
use crate::suite::protocol::pagination::Pagination;
use crate::suite::protocol::pagination::walk_record::{End, Page, Record};

const CDS: &str = "style: cds\nrequirement: CDS Pagination\nrequest: {operation: listThings}\nitems: /data/accounts\nid: /accountId\ndefault_size: 25\nmax_size: 1000\n";
const OFFSET: &str = "style: offset\nrequirement: R-offset\nrequest: {operation: listThings}\nin: body\nitems: /accounts\nid: /id\nmore: /hasMore\ndefault_size: 10\nmax_size: 100\n";
const CURSOR: &str = "style: cursor\nrequirement: R-cursor\nrequest: {operation: listThings}\nitems: /items\nid: /id\nnext: /next\nsize_param: limit\ndefault_size: 10\nmax_size: 50\n";

fn decl(yaml: &str) -> Pagination {
    let doc = crate::yaml::Document::parse("p.yaml", yaml.to_owned()).unwrap();
    serde_json::from_value(doc.value).unwrap_or_else(|e| panic!("{e}"))
}

const BASE: &str = "https://h.example/accounts";

/// A CDS page `n` of a walk at page size `size` (sent when `Some`), with links named by
/// the pages they point at.
fn cds_page(
    n: usize,
    ids: &[&str],
    records: u64,
    pages: u64,
    size: Option<u64>,
    links: &[(&str, u64)],
) -> Page {
    let size_q = size.map(|s| format!("&page-size={s}")).unwrap_or_default();
    let url = format!("{BASE}?page={n}{size_q}");
    let mut body = json!({
        "data": {"accounts": ids.iter().map(|i| json!({"accountId": i})).collect::<Vec<_>>()},
        "links": {"self": url},
        "meta": {"totalRecords": records, "totalPages": pages},
    });
    for (name, target) in links {
        body["links"][name] = json!(format!("{BASE}?page={target}{size_q}"));
    }
    Page::read(n, &url, None, 200, Some(&body), &decl(CDS))
}

/// A correct CDS walk of `ids` at page size `size`.
fn cds_walk(ids: &[&str], size: u64, sent: bool) -> Record {
    let records = ids.len() as u64;
    let total = records.div_ceil(size);
    let chunks: Vec<&[&str]> = if ids.is_empty() {
        vec![&[]]
    } else {
        ids.chunks(size as usize).collect()
    };
    let pages = chunks
        .iter()
        .enumerate()
        .map(|(i, chunk)| {
            let n = i as u64 + 1;
            let mut links = Vec::new();
            if n > 1 {
                links.extend([("first", 1), ("prev", n - 1)]);
            }
            if n < total {
                links.extend([("next", n + 1), ("last", total)]);
            }
            cds_page(i + 1, chunk, records, total, sent.then_some(size), &links)
        })
        .collect();
    record(pages, size, sent)
}

fn record(pages: Vec<Page>, size: u64, sent: bool) -> Record {
    Record {
        pages,
        end: End::Last,
        sent_size: sent.then_some(size),
        size,
        filters: Vec::new(),
        max_pages: 1000,
        previous: None,
        followed: Vec::new(),
    }
}

/// Findings as `[error|warning] page N, where: message` lines.
fn judge(yaml: &str, walk: &Record) -> Vec<String> {
    let d = decl(yaml);
    let cx = WalkContext {
        step: 0,
        decl: &d,
        suite_location: Some("t.yaml:1:1".into()),
    };
    super::judge_record(cx, walk)
        .iter()
        .map(|f| {
            assert_eq!(f.check, "pagination-walk");
            assert_eq!(f.suite_location.as_deref(), Some("t.yaml:1:1"));
            let sev = match f.severity {
                crate::finding::Severity::Error => "error",
                crate::finding::Severity::Warning => "warning",
            };
            format!(
                "[{sev}] page {}, {}: {}",
                f.page.unwrap_or(0),
                f.at,
                f.message
            )
        })
        .collect()
}

const FIVE: [&str; 5] = ["a", "b", "c", "d", "e"];

#[test]
fn cds_first_middle_and_last_pages_pass() {
    assert_eq!(judge(CDS, &cds_walk(&FIVE, 2, true)), Vec::<String>::new());
    assert_eq!(judge(CDS, &cds_walk(&FIVE, 1, true)), Vec::<String>::new());
}

#[test]
fn cds_single_page_and_default_size_pass() {
    assert_eq!(
        judge(CDS, &cds_walk(&FIVE, 25, false)),
        Vec::<String>::new()
    );
    assert_eq!(
        judge(CDS, &cds_walk(&FIVE, 1000, true)),
        Vec::<String>::new()
    );
}

#[test]
fn cds_empty_set_has_zero_pages_and_only_self() {
    assert_eq!(judge(CDS, &cds_walk(&[], 25, false)), Vec::<String>::new());
    let walk = record(vec![cds_page(1, &[], 0, 1, None, &[])], 25, false);
    assert_eq!(
        judge(CDS, &walk),
        [
            "[error] page 1, body /meta/totalPages: totalPages is 1, but 0 records at page size 25 make 0"
        ]
    );
}

#[test]
fn cds_links_where_not_required_lead_to_a_page_of_the_set() {
    let walk = record(
        vec![cds_page(
            1,
            &FIVE,
            5,
            1,
            None,
            &[("first", 1), ("prev", 1), ("last", 1), ("next", 1)],
        )],
        25,
        false,
    );
    assert_eq!(judge(CDS, &walk), Vec::<String>::new());
    let walk = record(
        vec![cds_page(
            1,
            &FIVE,
            5,
            1,
            None,
            &[("first", 2), ("prev", 0), ("last", 2), ("next", 2)],
        )],
        25,
        false,
    );
    assert_eq!(
        judge(CDS, &walk),
        [
            "[error] page 1, body /links/first: links.first of page 1 points at page 2, expected page 1",
            "[error] page 1, body /links/prev: links.prev on the first page (page 1) leads to page 0, but the set has one page: a link the standard does not require must still lead to a page of the same set",
            "[error] page 1, body /links/next: links.next on the last page (page 1) leads to page 2, but the set has one page: a link the standard does not require must still lead to a page of the same set",
            "[error] page 1, body /links/last: links.last of page 1 points at page 2, expected page 1",
        ]
    );
}

#[test]
fn cds_self_names_the_page_it_answers() {
    let mut walk = cds_walk(&FIVE, 2, true);
    for (name, value) in walk.pages[1].links.iter_mut() {
        if *name == "self" {
            *value = json!(format!("{BASE}?page=3&page-size=2"));
        }
    }
    for (name, value) in walk.pages[2].links.iter_mut() {
        if *name == "self" {
            *value = json!(format!("{BASE}?page-size=2"));
        }
    }
    assert_eq!(
        judge(CDS, &walk),
        [
            "[error] page 2, body /links/self: links.self of page 2 points at page 3, expected page 2",
            "[error] page 3, body /links/self: links.self of page 3 leads to page 1 of the walk, expected page 3",
        ]
    );
}

/// A walk of five records at page size 2 whose `prev` links are cursors, each followed to the
/// page holding `ids`.
fn cursor_prev_walk(ids: &[&[&str]; 2], status: u16) -> Record {
    let mut walk = cds_walk(&FIVE, 2, true);
    let d = decl(CDS);
    for (i, page) in walk.pages.iter_mut().enumerate().skip(1) {
        for (name, value) in page.links.iter_mut() {
            if *name == "prev" {
                *value = json!(format!("{BASE}?cursor=p{i}"));
            }
        }
        let mut led = cds_page(i + 1, ids[i - 1], 5, 3, Some(2), &[]);
        led.url = format!("{BASE}?cursor=p{i}");
        led.status = status;
        walk.followed
            .push(crate::suite::protocol::pagination::walk_record::Followed {
                key: crate::suite::protocol::pagination::walk_record::url_key(&led.url, &d),
                page: led,
            });
    }
    walk
}

#[test]
fn cds_links_without_a_page_number_are_placed_by_following_them() {
    let right = cursor_prev_walk(&[&["a", "b"], &["c", "d"]], 200);
    assert_eq!(judge(CDS, &right), Vec::<String>::new());
    let wrong = cursor_prev_walk(&[&["a", "b"], &["a", "b"]], 200);
    assert_eq!(
        judge(CDS, &wrong),
        [
            "[error] page 3, body /links/prev: links.prev of page 3 leads to page 1 of the walk, expected page 2"
        ]
    );
    let stranger = cursor_prev_walk(&[&["a", "b"], &["x"]], 200);
    assert_eq!(
        judge(CDS, &stranger),
        [
            "[error] page 3, body /links/prev: links.prev of page 3 leads to records that no page of the walk holds, expected page 2"
        ]
    );
    let broken = cursor_prev_walk(&[&[], &[]], 400);
    assert_eq!(
        judge(CDS, &broken),
        [
            "[error] page 2, body /links/prev: links.prev of page 2 leads to a 400 answer, expected page 1",
            "[error] page 3, body /links/prev: links.prev of page 3 leads to a 400 answer, expected page 2",
        ]
    );
}

#[test]
fn cds_a_missing_next_link_ends_the_walk_short() {
    let mut walk = cds_walk(&FIVE, 2, true);
    walk.pages.truncate(1);
    walk.pages[0].links.retain(|(n, _)| *n != "next");
    assert_eq!(
        judge(CDS, &walk),
        [
            "[error] page 1, body /links/next: links.next is missing on page 1, and this is not the last page",
            "[error] page 1, body /links/next: the walk ended on page 1, but meta.totalPages is 3",
            "[error] page 1, body /meta/totalRecords: the walk saw 2 distinct records, but meta.totalRecords is 5",
        ]
    );
}

#[test]
fn cds_missing_first_prev_last_and_self() {
    let mut walk = cds_walk(&FIVE, 2, true);
    walk.pages[1]
        .links
        .retain(|(n, _)| !matches!(*n, "first" | "prev" | "last" | "self"));
    assert_eq!(
        judge(CDS, &walk),
        [
            "[error] page 2, body /links/self: links.self is missing",
            "[error] page 2, body /links/first: links.first is missing on page 2, and this is not the first page",
            "[error] page 2, body /links/prev: links.prev is missing on page 2, and this is not the first page",
            "[error] page 2, body /links/last: links.last is missing on page 2, and this is not the last page",
        ]
    );
}

#[test]
fn cds_links_must_parse_and_point_at_the_right_page() {
    let mut walk = cds_walk(&FIVE, 2, true);
    let links = &mut walk.pages[1].links;
    for (name, value) in links.iter_mut() {
        match *name {
            "self" => *value = json!("/accounts?page=2"),
            "prev" => *value = json!(format!("{BASE}?page=3&page-size=2")),
            "last" => *value = json!(format!("{BASE}?page=9&page-size=2")),
            "first" => *value = json!(7),
            _ => {}
        }
    }
    assert_eq!(
        judge(CDS, &walk),
        [
            "[error] page 2, body /links/self: links.self \"/accounts?page=2\" is not a fully qualified URI",
            "[error] page 2, body /links/first: links.first 7 is not a URI",
            "[error] page 2, body /links/prev: links.prev of page 2 points at page 3, expected page 1",
            "[error] page 2, body /links/last: links.last of page 2 points at page 9, expected page 3",
        ]
    );
}

#[test]
fn cds_links_keep_page_size_and_filters() {
    let mut walk = cds_walk(&FIVE, 2, true);
    walk.filters = vec![("open-status".into(), "OPEN".into())];
    for page in &mut walk.pages {
        for (name, value) in page.links.iter_mut() {
            let s = value.as_str().unwrap().to_owned();
            *value = match *name {
                "self" => json!(s + "&open-status=OPEN"),
                "next" => json!(s.replace("page-size=2", "page-size=5") + "&open-status=OPEN"),
                "last" => json!(s + "&open-status=CLOSED"),
                "prev" => json!(format!("{BASE}?cursor=xyz")),
                _ => json!(s + "&open-status=OPEN"),
            };
        }
    }
    let lines = judge(CDS, &walk);
    assert_eq!(
        lines[..3],
        [
            "[error] page 1, body /links/next: links.next of page 1 asks for page size 5, but the walk's page size is 2",
            "[error] page 1, body /links/last: links.last of page 1 changes the filter open-status from OPEN to CLOSED",
            "[error] page 2, body /links/next: links.next of page 2 asks for page size 5, but the walk's page size is 2",
        ]
    );
    assert!(
        !lines.iter().any(|l| l.contains("links.prev")),
        "a cursor link is judged by where it leads: {lines:#?}"
    );
    let mut dropped = cds_walk(&FIVE, 2, true);
    dropped.filters = vec![("open-status".into(), "OPEN".into())];
    assert_eq!(
        judge(CDS, &dropped)[..2],
        [
            "[error] page 1, body /links/self: links.self of page 1 drops the filter open-status=OPEN the request asked for",
            "[error] page 1, body /links/next: links.next of page 1 drops the filter open-status=OPEN the request asked for",
        ]
    );
}

#[test]
fn cds_totals_agree_with_each_other_and_with_the_records_seen() {
    let mut walk = cds_walk(&FIVE, 2, true);
    walk.pages[2].total_records = Some(json!(6));
    walk.pages[1].total_pages = Some(json!("3"));
    assert_eq!(
        judge(CDS, &walk),
        [
            "[error] page 2, body /meta/totalPages: meta.totalPages changed during the walk: page 1 said 3, page 2 says \"3\"",
            "[error] page 3, body /meta/totalRecords: meta.totalRecords changed during the walk: page 1 said 5, page 3 says 6",
        ]
    );
    let mut short = cds_walk(&FIVE, 2, true);
    for p in &mut short.pages {
        p.total_records = Some(json!(4));
        p.total_pages = Some(json!(2));
    }
    let lines = judge(CDS, &short);
    assert!(lines.contains(&"[error] page 3, body /meta/totalRecords: the walk saw 5 distinct records, but meta.totalRecords is 4".to_owned()), "{lines:#?}");
    let mut bad = cds_walk(&FIVE, 2, true);
    bad.pages[0].total_records = None;
    assert_eq!(
        judge(CDS, &bad),
        [
            "[error] page 1, body /meta: meta.totalRecords and meta.totalPages must both be non-negative integers"
        ]
    );
}

#[test]
fn cds_page_size_is_honoured_and_its_default_applied() {
    let mut walk = cds_walk(&FIVE, 2, true);
    walk.pages[0] = cds_page(
        1,
        &["a", "b", "c"],
        5,
        3,
        Some(2),
        &[("next", 2), ("last", 3)],
    );
    let lines = judge(CDS, &walk);
    assert_eq!(
        lines[0],
        "[error] page 1, body /data/accounts: page 1 holds 3 records; 5 records at page size 2 put 2 on it"
    );
    let ten: Vec<String> = (0..30).map(|i| format!("r{i}")).collect();
    let ten: Vec<&str> = ten.iter().map(String::as_str).collect();
    let mut default = cds_walk(&ten, 10, false);
    default.size = 25;
    default.sent_size = None;
    let lines = judge(CDS, &default);
    assert_eq!(
        lines[..2],
        [
            "[error] page 1, body /meta/totalPages: totalPages is 3, but 30 records at page size 25 make 2",
            "[error] page 1, body /data/accounts: page 1 holds 10 records; 30 records at the default page size 25 put 25 on it",
        ]
    );
}

#[test]
fn records_appear_once_and_carry_their_id() {
    let mut walk = cds_walk(&FIVE, 2, true);
    walk.pages[1] = cds_page(
        2,
        &["b", "d"],
        5,
        3,
        Some(2),
        &[("first", 1), ("prev", 1), ("next", 3), ("last", 3)],
    );
    walk.pages[2].ids = Some(vec![None]);
    assert_eq!(
        judge(CDS, &walk),
        [
            "[error] page 2, body /data/accounts/0/accountId: record b on page 2 was already seen on page 1",
            "[error] page 3, body /data/accounts/0/accountId: record 0 on page 3 has no identifier at /accountId",
            "[error] page 3, body /meta/totalRecords: the walk saw 3 distinct records, but meta.totalRecords is 5",
        ]
    );
}

#[test]
fn loops_caps_and_stuck_walks_are_findings() {
    let mut walk = cds_walk(&FIVE, 2, true);
    walk.end = End::Loop {
        to: format!("{BASE}?page=1"),
        seen: 1,
    };
    assert_eq!(
        judge(CDS, &walk),
        [
            "[error] page 3, body /links/next: /links/next of page 3 leads back to page 1, which the walk already requested: the walk loops"
        ]
    );
    walk.end = End::Cap;
    walk.max_pages = 3;
    assert_eq!(
        judge(CDS, &walk),
        [
            "[error] page 3, body /links/next: the walk stopped at max_pages (3) and page 3 still points further: the pages never end (if the set truly needs more pages, raise `max_pages`)"
        ]
    );
    walk.end = End::Stuck {
        at: "/links/next".into(),
        message: "/links/next is 5, not a string".into(),
    };
    assert_eq!(
        judge(CDS, &walk),
        ["[error] page 3, body /links/next: /links/next is 5, not a string"]
    );
}

#[test]
fn an_error_page_stops_the_walk_and_one_past_the_last_page_condemns_the_link() {
    let mut walk = cds_walk(&FIVE, 2, true);
    walk.pages[1].status = 500;
    walk.pages.truncate(2);
    walk.end = End::Status;
    assert_eq!(
        judge(CDS, &walk),
        ["[error] page 2, status: page 2 of the walk answered 500, so the walk stopped there"]
    );
    let mut past = cds_walk(&FIVE, 2, true);
    past.pages[2]
        .links
        .push(("next", json!(format!("{BASE}?page=4"))));
    let mut beyond = cds_page(4, &[], 5, 3, Some(2), &[]);
    beyond.status = 422;
    past.pages.push(beyond);
    past.end = End::Status;
    assert_eq!(
        judge(CDS, &past),
        [
            "[error] page 3, body /links/next: links.next on the last page (page 3) leads to page 4, but the set has pages 1 to 3: a link the standard does not require must still lead to a page of the same set"
        ]
    );
    past.pages[2].links.retain(|(n, _)| *n != "next");
    past.pages[2]
        .links
        .push(("next", json!(format!("{BASE}?cursor=end"))));
    past.pages[3].url = format!("{BASE}?cursor=end");
    assert_eq!(
        judge(CDS, &past),
        [
            "[error] page 3, body /links/next: links.next on the last page (page 3) leads to a 422 answer, but the set has pages 1 to 3: a link the standard does not require must still lead to a page of the same set"
        ]
    );
}

#[test]
fn a_rule_broken_on_many_pages_is_summed_up() {
    let ids: Vec<String> = (0..9).map(|i| format!("r{i}")).collect();
    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    let mut walk = cds_walk(&ids, 1, true);
    for p in &mut walk.pages {
        p.links.retain(|(n, _)| *n != "prev");
    }
    let lines = judge(CDS, &walk);
    assert_eq!(lines.len(), super::PER_RULE + 1, "{lines:#?}");
    assert_eq!(
        lines.last().unwrap(),
        "[error] page 9, body /links/prev: the rule broken on page 6 breaks 3 more times, the last on page 9"
    );
}

/// An offset page: records `ids`, the more marker, the size and offset sent in the body.
fn offset_page(n: usize, ids: &[&str], more: Value, body: Value) -> Page {
    let json = json!({"accounts": ids.iter().map(|i| json!({"id": i})).collect::<Vec<_>>(), "hasMore": more});
    Page::read(
        n,
        "https://h.example/list",
        Some(&body.to_string()),
        200,
        Some(&json),
        &decl(OFFSET),
    )
}

fn offset_walk(pages: &[(&[&str], bool)], size: u64) -> Record {
    let pages = pages
        .iter()
        .enumerate()
        .map(|(i, (ids, more))| {
            offset_page(
                i + 1,
                ids,
                json!(more),
                json!({"limit": size, "skip": i as u64 * size}),
            )
        })
        .collect();
    record(pages, size, true)
}

#[test]
fn offset_walk_to_the_end_passes() {
    let walk = offset_walk(
        &[(&["a", "b"], true), (&["c", "d"], true), (&["e"], false)],
        2,
    );
    assert_eq!(judge(OFFSET, &walk), Vec::<String>::new());
    let exact = offset_walk(&[(&["a", "b"], true), (&["c", "d"], false)], 2);
    assert_eq!(judge(OFFSET, &exact), Vec::<String>::new());
    let empty = offset_walk(&[(&[], false)], 10);
    assert_eq!(judge(OFFSET, &empty), Vec::<String>::new());
}

#[test]
fn offset_page_sizes_and_more_markers() {
    let walk = offset_walk(&[(&["a", "b", "c"], true), (&["d"], true), (&[], false)], 2);
    assert_eq!(
        judge(OFFSET, &walk),
        [
            "[error] page 1, body /accounts: page 1 holds 3 records, more than page size 2",
            "[error] page 2, body /accounts: page 2 holds 1 records and /hasMore is true; a page followed by more records holds 2 (page size 2), or the next offset skips records",
            "[error] page 3, body /hasMore: page 2 said more records follow (/hasMore true), but page 3 holds none",
        ]
    );
    let mut default = offset_walk(&[(&["a", "b", "c"], false)], 2);
    default.sent_size = None;
    assert_eq!(
        judge(OFFSET, &default),
        [
            "[error] page 1, body /accounts: page 1 holds 3 records, more than the default page size 2"
        ]
    );
}

#[test]
fn offset_walks_are_compared_with_the_previous_walk() {
    let mut walk = offset_walk(&[(&["a", "b"], true), (&["d", "e"], false)], 2);
    walk.previous = Some(FIVE.iter().map(|s| s.to_string()).collect());
    assert_eq!(
        judge(OFFSET, &walk),
        [
            "[error] page 2, body /accounts: 1 record the previous walk saw never appeared in this one: c"
        ]
    );
    let mut extra = offset_walk(&[(&["a", "b"], true), (&["c", "x"], false)], 2);
    extra.previous = Some(vec!["a".into(), "b".into(), "c".into()]);
    assert_eq!(
        judge(OFFSET, &extra),
        [
            "[error] page 2, body /accounts: 1 record appeared in this walk but not in the previous one: x"
        ]
    );
    let mut order = offset_walk(&[(&["b", "a"], false)], 2);
    order.previous = Some(vec!["a".into(), "b".into()]);
    assert_eq!(
        judge(OFFSET, &order),
        [
            "[error] page 1, body /accounts: the records come in another order than in the previous walk: record 1 of the set differs"
        ]
    );
    let mut cursor = cursor_walk(&[(&["b"], Some("2")), (&["a"], None)]);
    cursor.previous = Some(vec!["a".into(), "b".into()]);
    assert_eq!(
        judge(CURSOR, &cursor),
        Vec::<String>::new(),
        "cursor walks compare sets"
    );
}

#[test]
fn declared_totals_hold_for_offset_walks() {
    let yaml = format!("{OFFSET}total: /total\n");
    let mut walk = offset_walk(&[(&["a", "b"], true), (&["c"], false)], 2);
    walk.pages[0].total = Some(json!(3));
    walk.pages[1].total = Some(json!(4));
    assert_eq!(
        judge(&yaml, &walk),
        [
            "[error] page 2, body /total: /total changed during the walk: page 1 said 3, page 2 says 4"
        ]
    );
    walk.pages[1].total = Some(json!(3));
    assert_eq!(judge(&yaml, &walk), Vec::<String>::new());
    walk.pages[0].total = Some(json!(9));
    walk.pages[1].total = Some(json!(9));
    assert_eq!(
        judge(&yaml, &walk),
        ["[error] page 2, body /total: the walk saw 3 distinct records, but /total is 9"]
    );
}

/// A cursor walk: each page's records and the cursor it hands out.
fn cursor_walk(pages: &[(&[&str], Option<&str>)]) -> Record {
    let pages = pages
        .iter()
        .enumerate()
        .map(|(i, (ids, next))| {
            let json = json!({"items": ids.iter().map(|i| json!({"id": i})).collect::<Vec<_>>(), "next": next});
            Page::read(i + 1, "https://h.example/items?limit=2", None, 200, Some(&json), &decl(CURSOR))
        })
        .collect();
    record(pages, 2, true)
}

#[test]
fn cursor_walks_keep_to_the_size_and_do_not_repeat() {
    let walk = cursor_walk(&[
        (&["a", "b"], Some("c1")),
        (&["c"], Some("c2")),
        (&["d"], None),
    ]);
    assert_eq!(judge(CURSOR, &walk), Vec::<String>::new());
    let mut bad = cursor_walk(&[(&["a", "b", "c"], Some("c1")), (&["c"], Some("c1"))]);
    bad.end = End::Loop {
        to: "c1".into(),
        seen: 2,
    };
    assert_eq!(
        judge(CURSOR, &bad),
        [
            "[error] page 1, body /items: page 1 holds 3 records, more than page size 2",
            "[error] page 2, body /items/0/id: record c on page 2 was already seen on page 1",
            "[error] page 2, body /next: /next of page 2 leads back to page 2, which the walk already requested: the walk loops",
        ]
    );
}
