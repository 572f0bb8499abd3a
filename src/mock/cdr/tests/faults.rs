//! One test per fault switch: the same request to the conformant and the faulty mock, showing
//! the one rule the switch breaks and, where it matters, what it leaves alone.

use super::version::ask;
use super::{ACCOUNTS, Cds, Mock, Reply, dataset, send};
use serde_json::Value;

const ID: &str = "7a4c1b2e-9f3d-4e5a-8b6c-1d2e3f4a5b6c";

/// The conformant mock and one with `fault` on, both on seed 1.
async fn pair(fault: &str) -> (Mock, Mock) {
    (Mock::start(&[]).await, Mock::start(&[fault]).await)
}

async fn both(pair: &(Mock, Mock), path_and_query: &str) -> (Reply, Reply) {
    (
        pair.0.fetch(path_and_query).await,
        pair.1.fetch(path_and_query).await,
    )
}

/// A link without its `http://host:port`, to compare links of mocks on different ports.
fn without_origin(link: Option<&str>) -> Option<&str> {
    link.map(|l| &l[l.find("/cds-au").unwrap_or(0)..])
}

#[test]
fn every_fault_has_a_test_here() {
    let source = include_str!("faults.rs");
    for fault in super::super::FAULTS {
        assert!(
            source.contains(&format!("pair(\"{}\")", fault.name)),
            "no test for {}",
            fault.name
        );
    }
}

#[tokio::test]
async fn no_interaction_id() {
    let mocks = pair("no-interaction-id").await;
    for query in [ACCOUNTS.to_string(), format!("{ACCOUNTS}?page=0")] {
        let (good, bad) = both(&mocks, &query).await;
        assert!(good.header("x-fapi-interaction-id").is_some());
        assert!(bad.header("x-fapi-interaction-id").is_none(), "{query}");
    }
}

#[tokio::test]
async fn wrong_interaction_id() {
    let (good, bad) = pair("wrong-interaction-id").await;
    let g = send(good.get(ACCOUNTS).header("x-fapi-interaction-id", ID)).await;
    let b = send(bad.get(ACCOUNTS).header("x-fapi-interaction-id", ID)).await;
    assert_eq!(g.header("x-fapi-interaction-id"), Some(ID));
    let other = b.header("x-fapi-interaction-id").unwrap();
    assert!(other != ID && uuid::Uuid::parse_str(other).is_ok());
}

#[tokio::test]
async fn interaction_id_not_uuid() {
    let (good, bad) = pair("interaction-id-not-uuid").await;
    let (g, b) = (good.fetch(ACCOUNTS).await, bad.fetch(ACCOUNTS).await);
    assert!(uuid::Uuid::parse_str(g.header("x-fapi-interaction-id").unwrap()).is_ok());
    let made_up = b.header("x-fapi-interaction-id").unwrap();
    assert!(uuid::Uuid::parse_str(made_up).is_err(), "{made_up}");
    let echoed = send(bad.get(ACCOUNTS).header("x-fapi-interaction-id", ID)).await;
    assert_eq!(echoed.header("x-fapi-interaction-id"), Some(ID));
}

#[tokio::test]
async fn no_interaction_id_on_error() {
    let mocks = pair("no-interaction-id-on-error").await;
    let (good, bad) = both(&mocks, &format!("{ACCOUNTS}?page-size=x")).await;
    assert_eq!((good.status, bad.status), (400, 400));
    assert!(good.header("x-fapi-interaction-id").is_some());
    assert!(bad.header("x-fapi-interaction-id").is_none());
    let unauth = send(mocks.1.bare(&mocks.1.url(ACCOUNTS))).await;
    assert!(unauth.header("x-fapi-interaction-id").is_none());
    let ok = mocks.1.fetch(ACCOUNTS).await;
    assert!(ok.header("x-fapi-interaction-id").is_some());
}

#[tokio::test]
async fn no_version_header() {
    let mocks = pair("no-version-header").await;
    let (good, bad) = both(&mocks, ACCOUNTS).await;
    assert_eq!(good.header("x-v"), Some("2"));
    assert_eq!((bad.status, bad.header("x-v")), (200, None));
}

#[tokio::test]
async fn wrong_version_header() {
    let mocks = pair("wrong-version-header").await;
    let (good, bad) = both(&mocks, ACCOUNTS).await;
    assert_eq!(good.header("x-v"), Some("2"));
    assert_eq!(bad.header("x-v"), Some("1"));
    assert_eq!(bad.body["data"], good.body["data"]);
}

#[tokio::test]
async fn ignore_x_min_v() {
    let (good, bad) = pair("ignore-x-min-v").await;
    assert_eq!(ask(&good, Some("3"), Some("1")).await.status, 200);
    assert_eq!(ask(&bad, Some("3"), Some("1")).await.status, 406);
    assert_eq!(ask(&bad, Some("2"), Some("1")).await.status, 200);
    assert_eq!(ask(&bad, Some("2"), Some("x")).await.status, 400);
}

#[tokio::test]
async fn accept_unsupported_version() {
    let (good, bad) = pair("accept-unsupported-version").await;
    assert_eq!(ask(&good, Some("3"), None).await.status, 406);
    let served = ask(&bad, Some("3"), None).await;
    assert_eq!((served.status, served.header("x-v")), (200, Some("2")));
    assert_eq!(ask(&bad, Some("1"), None).await.status, 406);
}

#[tokio::test]
async fn no_version_check() {
    let (good, bad) = pair("no-version-check").await;
    assert_eq!(ask(&good, None, None).await.status, 400);
    assert_eq!(ask(&bad, None, None).await.status, 200);
    assert_eq!(ask(&bad, Some("abc"), None).await.status, 400);
}

#[tokio::test]
async fn invalid_version_accepted() {
    let (good, bad) = pair("invalid-version-accepted").await;
    assert_eq!(ask(&good, Some("abc"), None).await.status, 400);
    for v in ["abc", "0", "-1"] {
        assert_eq!(ask(&bad, Some(v), None).await.status, 200, "{v}");
    }
    assert_eq!(ask(&bad, None, None).await.status, 400);
}

#[tokio::test]
async fn bad_error_code() {
    let mocks = pair("bad-error-code").await;
    let (good, bad) = both(&mocks, &format!("{ACCOUNTS}?page=abc")).await;
    assert_eq!((good.status, bad.status), (400, 400));
    assert_eq!(good.code(), "urn:au-cds:error:cds-all:Field/Invalid");
    assert_eq!(bad.code(), "urn:au-cds:error:cds-all:Request/Invalid");
    assert_eq!(bad.body["errors"][0]["title"], "Invalid Field");
    assert!(bad.body["errors"][0]["meta"].is_null());
}

#[tokio::test]
async fn error_missing_detail() {
    let mocks = pair("error-missing-detail").await;
    let (good, bad) = both(&mocks, &format!("{ACCOUNTS}?page-size=2000")).await;
    assert!(good.body["errors"][0]["detail"].is_string());
    assert!(bad.body["errors"][0].get("detail").is_none());
    assert_eq!(bad.code(), good.code());
}

#[tokio::test]
async fn error_title_varies() {
    let mocks = pair("error-title-varies").await;
    let (good, bad) = both(&mocks, &format!("{ACCOUNTS}?page-size=2000")).await;
    assert_eq!(good.body["errors"][0]["title"], "Invalid Page Size");
    let title = bad.body["errors"][0]["title"].as_str().unwrap();
    assert!(title.starts_with("Invalid Page Size: "), "{title}");
    assert!(title.ends_with(good.body["errors"][0]["detail"].as_str().unwrap()));
    assert_eq!(bad.code(), good.code());
}

#[tokio::test]
async fn page_size_ignored() {
    let mocks = pair("page-size-ignored").await;
    let (good, bad) = both(&mocks, &format!("{ACCOUNTS}?page-size=5")).await;
    assert_eq!((good.accounts().len(), bad.accounts().len()), (5, 25));
    assert_eq!(
        mocks
            .1
            .fetch(&format!("{ACCOUNTS}?page-size=1001"))
            .await
            .status,
        400
    );
}

#[tokio::test]
async fn max_page_size_not_enforced() {
    let mocks = pair("max-page-size-not-enforced").await;
    let (good, bad) = both(&mocks, &format!("{ACCOUNTS}?page-size=1001")).await;
    assert_eq!(good.status, 400);
    assert_eq!((bad.status, bad.accounts().len()), (200, dataset(1).len()));
}

#[tokio::test]
async fn invalid_page_accepted() {
    let mocks = pair("invalid-page-accepted").await;
    let (good, bad) = both(&mocks, &format!("{ACCOUNTS}?page=50")).await;
    assert_eq!(good.status, 422);
    assert_eq!(bad.status, 200);
    assert!(bad.accounts().is_empty());
}

#[tokio::test]
async fn wrong_total_pages() {
    let total = dataset(1).len();
    let size = (7..).find(|s| total % s != 0).unwrap();
    let mocks = pair("wrong-total-pages").await;
    let (good, bad) = both(&mocks, &format!("{ACCOUNTS}?page-size={size}")).await;
    assert_eq!(good.meta("totalPages"), total.div_ceil(size));
    assert_eq!(bad.meta("totalPages"), total / size);
    assert_eq!(
        without_origin(bad.link("last")),
        without_origin(good.link("last"))
    );
}

#[tokio::test]
async fn wrong_total_records() {
    let mocks = pair("wrong-total-records").await;
    let (good, bad) = both(&mocks, &format!("{ACCOUNTS}?page-size=10")).await;
    assert_eq!(good.meta("totalRecords"), dataset(1).len());
    assert_eq!(bad.meta("totalRecords"), 10);
    assert_eq!(bad.meta("totalPages"), good.meta("totalPages"));
}

/// Checks that `link` is on the conformant page and missing on the faulty one, and that the
/// other links are untouched.
async fn link_missing(fault: &str, link: &str, query: &str, mocks: (Mock, Mock)) {
    let (good, bad) = both(&mocks, &format!("{ACCOUNTS}?{query}")).await;
    assert!(good.link(link).is_some(), "{fault}");
    assert!(bad.link(link).is_none(), "{fault}");
    let names = |r: &Reply| -> Vec<String> {
        let links = r.body["links"].as_object().unwrap();
        links.keys().filter(|k| *k != link).cloned().collect()
    };
    assert_eq!(names(&bad), names(&good));
    assert_eq!(
        without_origin(bad.link("self")),
        without_origin(good.link("self"))
    );
}

#[tokio::test]
async fn missing_next_link() {
    let mocks = pair("missing-next-link").await;
    link_missing("missing-next-link", "next", "page-size=10&page=2", mocks).await;
}

#[tokio::test]
async fn missing_prev_link() {
    let mocks = pair("missing-prev-link").await;
    link_missing("missing-prev-link", "prev", "page-size=10&page=2", mocks).await;
}

#[tokio::test]
async fn missing_first_link() {
    let mocks = pair("missing-first-link").await;
    link_missing("missing-first-link", "first", "page-size=10&page=2", mocks).await;
}

#[tokio::test]
async fn missing_last_link() {
    let mocks = pair("missing-last-link").await;
    link_missing("missing-last-link", "last", "page-size=10&page=2", mocks).await;
}

#[tokio::test]
async fn relative_self_link() {
    let mocks = pair("relative-self-link").await;
    let (good, bad) = both(&mocks, &format!("{ACCOUNTS}?page-size=10")).await;
    assert!(good.link("self").unwrap().starts_with("http://127.0.0.1:"));
    assert_eq!(
        bad.link("self"),
        Some("/cds-au/v1/banking/accounts?page-size=10")
    );
    assert!(bad.link("next").unwrap().starts_with("http://127.0.0.1:"));
}

#[tokio::test]
async fn links_drop_filters() {
    let mocks = pair("links-drop-filters").await;
    let query = format!("{ACCOUNTS}?is-owned=true&page-size=3");
    let (good, bad) = both(&mocks, &query).await;
    assert!(good.link("next").unwrap().contains("is-owned=true"));
    let next = bad.link("next").unwrap();
    assert!(
        !next.contains("is-owned") && next.contains("page-size=3"),
        "{next}"
    );
    let good_pages = mocks.0.walk(&query).await;
    let bad_pages = mocks.1.walk(&query).await;
    assert_ne!(good_pages.len(), bad_pages.len());
}

#[tokio::test]
async fn duplicate_across_pages() {
    let mocks = pair("duplicate-across-pages").await;
    let good = mocks.0.walk(ACCOUNTS).await;
    let bad = mocks.1.walk(ACCOUNTS).await;
    assert_eq!(good.len(), bad.len());
    assert_eq!(bad[0].ids(), good[0].ids());
    assert_eq!(bad[1].ids()[0], good[0].ids()[24]);
}

#[tokio::test]
async fn filter_ignored_product_category() {
    let mocks = pair("filter-ignored-product-category").await;
    let (good, bad) = both(
        &mocks,
        &format!("{ACCOUNTS}?product-category=LEASES&page-size=1000"),
    )
    .await;
    assert!(
        good.accounts()
            .iter()
            .all(|a| a["productCategory"] == "LEASES")
    );
    assert_eq!(bad.accounts().len(), dataset(1).len());
    assert_eq!(
        mocks
            .1
            .fetch(&format!("{ACCOUNTS}?product-category=X"))
            .await
            .status,
        400
    );
}

#[tokio::test]
async fn filter_ignored_open_status() {
    let mocks = pair("filter-ignored-open-status").await;
    let (good, bad) = both(
        &mocks,
        &format!("{ACCOUNTS}?open-status=CLOSED&page-size=1000"),
    )
    .await;
    assert!(good.accounts().iter().all(|a| a["openStatus"] == "CLOSED"));
    assert_eq!(bad.accounts().len(), dataset(1).len());
}

#[tokio::test]
async fn filter_ignored_is_owned() {
    let mocks = pair("filter-ignored-is-owned").await;
    let (good, bad) = both(&mocks, &format!("{ACCOUNTS}?is-owned=false&page-size=1000")).await;
    assert!(good.accounts().iter().all(|a| a["isOwned"] == false));
    assert_eq!(bad.accounts().len(), dataset(1).len());
}

#[tokio::test]
async fn bad_enum_value() {
    let mocks = pair("bad-enum-value").await;
    let (good, bad) = both(&mocks, ACCOUNTS).await;
    assert_ne!(good.accounts()[0]["productCategory"], "SAVINGS");
    assert_eq!(bad.accounts()[0]["productCategory"], "SAVINGS");
    assert_eq!(bad.accounts()[1..], good.accounts()[1..]);
}

#[tokio::test]
async fn missing_required_field() {
    let mocks = pair("missing-required-field").await;
    let (good, bad) = both(&mocks, ACCOUNTS).await;
    assert!(
        good.accounts()
            .iter()
            .all(|a| a["maskedNumber"].is_string())
    );
    assert!(
        bad.accounts()
            .iter()
            .all(|a| a.get("maskedNumber").is_none())
    );
    assert_eq!(bad.ids(), good.ids());
}

#[tokio::test]
async fn wrong_type() {
    let mocks = pair("wrong-type").await;
    let (good, bad) = both(&mocks, ACCOUNTS).await;
    assert!(good.meta("totalRecords").is_u64());
    assert_eq!(bad.meta("totalRecords"), &dataset(1).len().to_string());
}

#[tokio::test]
async fn wrong_content_type() {
    let mocks = pair("wrong-content-type").await;
    let (good, bad) = both(&mocks, ACCOUNTS).await;
    assert_eq!(good.header("content-type"), Some("application/json"));
    assert_eq!(bad.header("content-type"), Some("text/plain"));
    assert_eq!(bad.accounts(), good.accounts());
    let error = mocks.1.fetch(&format!("{ACCOUNTS}?page=0")).await;
    assert_eq!(error.header("content-type"), Some("application/json"));
}

#[tokio::test]
async fn no_auth() {
    let (good, bad) = pair("no-auth").await;
    let anonymous = |m: &Mock| m.bare(&m.url(ACCOUNTS)).header("x-v", "2");
    assert_eq!(send(anonymous(&good)).await.status, 401);
    assert_eq!(send(anonymous(&bad)).await.status, 200);
    assert_eq!(send(anonymous(&bad).bearer_auth("wrong")).await.status, 200);
}

#[tokio::test]
async fn default_page_size_wrong() {
    let mocks = pair("default-page-size-wrong").await;
    let (good, bad) = both(&mocks, ACCOUNTS).await;
    assert_eq!((good.accounts().len(), bad.accounts().len()), (25, 10));
    let explicit = mocks.1.fetch(&format!("{ACCOUNTS}?page-size=25")).await;
    assert_eq!(explicit.accounts().len(), 25);
}

#[tokio::test]
async fn old_page_size_status() {
    let mocks = pair("old-page-size-status").await;
    let (good, bad) = both(&mocks, &format!("{ACCOUNTS}?page-size=1001")).await;
    assert_eq!((good.status, bad.status), (400, 422));
    assert_eq!(bad.code(), good.code());
}

#[tokio::test]
async fn x_min_v_not_validated() {
    let (good, bad) = pair("x-min-v-not-validated").await;
    assert_eq!(ask(&good, Some("2"), Some("foo")).await.status, 400);
    assert_eq!(ask(&bad, Some("2"), Some("foo")).await.status, 200);
    assert_eq!(ask(&bad, Some("foo"), None).await.status, 400);
}

#[tokio::test]
async fn retired_version_served() {
    let (good, bad) = pair("retired-version-served").await;
    assert_eq!(ask(&good, Some("1"), None).await.status, 406);
    let served = ask(&bad, Some("1"), None).await;
    assert_eq!((served.status, served.header("x-v")), (200, Some("2")));
    assert_eq!(ask(&bad, Some("3"), None).await.status, 406);
    assert_eq!(ask(&bad, Some("0"), None).await.status, 400);
}

#[tokio::test]
async fn x_min_v_above_refused() {
    let (good, bad) = pair("x-min-v-above-refused").await;
    assert_eq!(ask(&good, Some("2"), Some("5")).await.status, 200);
    let refused = ask(&bad, Some("2"), Some("5")).await;
    assert_eq!(
        (refused.status, refused.code()),
        (406, "urn:au-cds:error:cds-all:Header/UnsupportedVersion")
    );
    assert_eq!(ask(&bad, Some("2"), Some("2")).await.status, 200);
    assert_eq!(ask(&bad, Some("3"), Some("1")).await.status, 200);
}

#[tokio::test]
async fn data_on_unauthorised() {
    let (good, bad) = pair("data-on-unauthorised").await;
    let anonymous = |m: &Mock| m.bare(&m.url(ACCOUNTS)).header("x-v", "2");
    let (g, b) = (send(anonymous(&good)).await, send(anonymous(&bad)).await);
    assert_eq!((g.status, b.status), (401, 401));
    assert!(g.body.get("data").is_none());
    assert_eq!(b.accounts().len(), 25);
    assert_eq!(b.code(), g.code());
    assert!(bad.fetch(ACCOUNTS).await.body["errors"].is_null());
}

#[tokio::test]
async fn unsupported_version_as_bad_request() {
    let (good, bad) = pair("unsupported-version-as-bad-request").await;
    let (g, b) = (
        ask(&good, Some("1000"), None).await,
        ask(&bad, Some("1000"), None).await,
    );
    assert_eq!((g.status, b.status), (406, 400));
    assert_eq!(
        b.code(),
        "urn:au-cds:error:cds-all:Header/UnsupportedVersion"
    );
    assert_eq!(b.code(), g.code());
    assert_eq!(ask(&bad, Some("abc"), None).await.status, 400);
    assert_eq!(ask(&bad, Some("2"), None).await.status, 200);
}

#[tokio::test]
async fn page_zero_accepted() {
    let mocks = pair("page-zero-accepted").await;
    let (good, bad) = both(&mocks, &format!("{ACCOUNTS}?page=0")).await;
    assert_eq!((good.status, bad.status), (400, 200));
    assert_eq!(good.code(), "urn:au-cds:error:cds-all:Field/Invalid");
    assert_eq!(bad.ids(), mocks.1.fetch(ACCOUNTS).await.ids());
    let (good, bad) = both(&mocks, &format!("{ACCOUNTS}?page=-1")).await;
    assert_eq!((good.status, bad.status), (400, 400));
}

#[tokio::test]
async fn bad_creation_date() {
    let mocks = pair("bad-creation-date").await;
    let (good, bad) = both(&mocks, &format!("{ACCOUNTS}?page-size=1000")).await;
    let changed: Vec<(&Value, &Value)> = good
        .accounts()
        .iter()
        .zip(bad.accounts())
        .filter(|(g, b)| g != b)
        .collect();
    assert_eq!(changed.len(), 1);
    let (g, b) = changed[0];
    let iso = g["creationDate"].as_str().unwrap();
    let (y, rest) = iso.split_once('-').unwrap();
    let (m, d) = rest.split_once('-').unwrap();
    assert_eq!(b["creationDate"], format!("{d}/{m}/{y}"));
}

#[tokio::test]
async fn next_link_loops() {
    let mocks = pair("next-link-loops").await;
    let last = dataset(1).len().div_ceil(25);
    let (good, bad) = both(&mocks, &format!("{ACCOUNTS}?page={last}")).await;
    assert_eq!(good.link("next"), None);
    let looped = without_origin(bad.link("next")).unwrap();
    assert_eq!(looped, "/cds-au/v1/banking/accounts?page=1");
    let (good, bad) = both(&mocks, ACCOUNTS).await;
    assert_eq!(
        without_origin(good.link("next")),
        without_origin(bad.link("next"))
    );
    assert_eq!(bad.link("next").map(|l| l.ends_with("page=2")), Some(true));
}

/// A link as the mocks' `fetch` takes it: after the base path.
fn relative(link: &str) -> String {
    link[link.find(ACCOUNTS).unwrap()..].to_owned()
}

/// Page 3 of seed 1 at the default page size, and the link `name` on it without its origin.
async fn link_on_page_3(mocks: &(Mock, Mock), name: &str) -> (Option<String>, Option<String>) {
    let (good, bad) = both(mocks, &format!("{ACCOUNTS}?page=3&open-status=ALL")).await;
    let strip = |r: &Reply| without_origin(r.link(name)).map(str::to_owned);
    (strip(&good), strip(&bad))
}

#[tokio::test]
async fn self_link_wrong_page() {
    let mocks = pair("self-link-wrong-page").await;
    let (good, bad) = link_on_page_3(&mocks, "self").await;
    assert_eq!(
        good.as_deref(),
        Some("/cds-au/v1/banking/accounts?page=3&open-status=ALL")
    );
    assert_eq!(
        bad.as_deref(),
        Some("/cds-au/v1/banking/accounts?open-status=ALL&page=1")
    );
    assert_eq!(
        link_on_page_3(&mocks, "prev").await.0,
        link_on_page_3(&mocks, "prev").await.1
    );
}

#[tokio::test]
async fn prev_link_wrong_page() {
    let mocks = pair("prev-link-wrong-page").await;
    let (good, bad) = link_on_page_3(&mocks, "prev").await;
    assert!(good.unwrap().ends_with("page=2"));
    assert!(bad.unwrap().ends_with("page=1"));
    let (good, bad) = both(&mocks, &format!("{ACCOUNTS}?page=2")).await;
    assert_eq!(
        without_origin(good.link("prev")),
        without_origin(bad.link("prev"))
    );
}

#[tokio::test]
async fn next_link_on_last_page() {
    let mocks = pair("next-link-on-last-page").await;
    let last = dataset(1).len().div_ceil(25);
    let (good, bad) = both(&mocks, &format!("{ACCOUNTS}?page={last}")).await;
    assert_eq!(good.link("next"), None);
    let next = bad.link("next").unwrap().to_owned();
    assert!(next.ends_with(&format!("page={}", last + 1)), "{next}");
    let beyond = mocks.1.fetch(&relative(&next)).await;
    assert_eq!(beyond.status, 422);
}

#[tokio::test]
async fn prev_link_on_first_page() {
    let mocks = pair("prev-link-on-first-page").await;
    let (good, bad) = both(&mocks, ACCOUNTS).await;
    assert_eq!(good.link("prev"), None);
    let prev = relative(bad.link("prev").unwrap());
    assert_eq!(prev, format!("{ACCOUNTS}?page=0"));
    assert_eq!(mocks.1.fetch(&prev).await.status, 400);
    let (good, bad) = link_on_page_3(&mocks, "prev").await;
    assert_eq!(good, bad);
}

#[tokio::test]
async fn cursor_prev_link_wrong_page() {
    let mocks = pair("cursor-prev-link-wrong-page").await;
    let (good, bad) = link_on_page_3(&mocks, "prev").await;
    assert!(good.unwrap().ends_with("page=2"));
    let cursor = bad.unwrap();
    assert!(
        cursor.ends_with("cursor=pg1") && !cursor.contains("page="),
        "{cursor}"
    );
    let cursor = relative(&cursor);
    let led = mocks.1.fetch(&cursor).await;
    let first = mocks.1.fetch(&format!("{ACCOUNTS}?open-status=ALL")).await;
    assert_eq!(led.ids(), first.ids());
    let ignored = mocks.0.fetch(&cursor).await;
    assert_eq!(
        ignored.ids(),
        first.ids(),
        "the conformant mock has no cursors"
    );
}

#[tokio::test]
async fn accept_not_checked() {
    let mocks = pair("accept-not-checked").await;
    let xml = |m: &Mock| send(m.get(ACCOUNTS).header("accept", "application/xml"));
    assert_eq!(xml(&mocks.0).await.status, 406);
    assert_eq!(xml(&mocks.1).await.status, 200);
}

#[tokio::test]
async fn accept_case_sensitive() {
    let mocks = pair("accept-case-sensitive").await;
    let mixed = |m: &Mock, v: &'static str| send(m.get(ACCOUNTS).header("accept", v));
    let odd = "AppliCAtion/JSon;Charset=uTf-8";
    assert_eq!(mixed(&mocks.0, odd).await.status, 200);
    assert_eq!(mixed(&mocks.1, odd).await.status, 406);
    assert_eq!(mixed(&mocks.1, "application/json").await.status, 200);
}

#[tokio::test]
async fn unknown_path_served() {
    let mocks = pair("unknown-path-served").await;
    let (good, bad) = both(&mocks, "/banking/accord-no-such-resource").await;
    assert_eq!(good.status, 404);
    assert_eq!(bad.status, 200);
    assert_eq!(mocks.1.fetch("/energy/accounts").await.status, 404);
}

#[tokio::test]
async fn other_methods_served() {
    let mocks = pair("other-methods-served").await;
    let post = |m: &Mock| {
        send(
            m.client()
                .post(m.url(ACCOUNTS))
                .bearer_auth(super::TOKEN)
                .header("x-v", "2"),
        )
    };
    assert_eq!(post(&mocks.0).await.status, 405);
    assert_eq!(post(&mocks.1).await.status, 200);
}

#[tokio::test]
async fn non_ascii_account_id() {
    let mocks = pair("non-ascii-account-id").await;
    let (good, bad) = both(&mocks, &format!("{ACCOUNTS}?page-size=1000")).await;
    assert!(!good.accounts().is_empty());
    for (g, b) in good.accounts().iter().zip(bad.accounts()) {
        let id = g["accountId"].as_str().unwrap();
        assert!(id.is_ascii());
        assert_eq!(b["accountId"], format!("{id}é"));
        let (mut g, mut b) = (g.clone(), b.clone());
        g["accountId"] = Value::Null;
        b["accountId"] = Value::Null;
        assert_eq!(g, b, "only the id differs");
    }
}

#[tokio::test]
async fn detail_without_field() {
    let mocks = pair("detail-without-field").await;
    let (good, bad) = both(&mocks, &format!("{ACCOUNTS}?page-size=abc")).await;
    assert_eq!(
        good.body["errors"][0]["detail"],
        "page-size: must be a PositiveInteger"
    );
    assert_eq!(bad.body["errors"][0]["detail"], "must be a PositiveInteger");
    assert_eq!(
        bad.body["errors"][0]["code"],
        good.body["errors"][0]["code"]
    );
    let (good, bad) = (
        ask(&mocks.0, None, None).await,
        ask(&mocks.1, None, None).await,
    );
    assert_eq!(good.body["errors"][0]["detail"], "x-v");
    assert_eq!(
        bad.body["errors"][0]["detail"],
        "A required header is missing"
    );
    let other = ask(&mocks.1, Some("abc"), None).await;
    assert_eq!(
        other.body["errors"][0]["detail"],
        "x-v must be a PositiveInteger, got 'abc'"
    );
}
