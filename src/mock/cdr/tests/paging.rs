//! Filters, standard pagination, links and meta of the conformant mock.

use std::collections::HashSet;

use serde_json::Value;

use super::{ACCOUNTS, Cds, Mock, dataset, send};

fn ids(accounts: &[Value]) -> Vec<String> {
    accounts
        .iter()
        .map(|a| a["accountId"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn defaults_are_page_one_of_25() {
    let mock = Mock::start(&[]).await;
    let all = dataset(1);
    let reply = mock.fetch(ACCOUNTS).await;
    assert_eq!(reply.ids(), ids(&all[..25]));
    assert_eq!(reply.meta("totalRecords"), all.len());
    assert_eq!(reply.meta("totalPages"), all.len().div_ceil(25));
}

#[tokio::test]
async fn walking_next_links_returns_every_record_once_in_order() {
    for seed in [1, 2] {
        let mock = Mock::seeded(seed, &[]).await;
        let all = dataset(seed);
        let pages = mock.walk(ACCOUNTS).await;
        assert_eq!(pages.len(), all.len().div_ceil(25), "seed {seed}");
        assert!(pages.len() >= 2);
        let served: Vec<String> = pages.iter().flat_map(|p| p.ids()).collect();
        assert_eq!(served, ids(&all), "seed {seed}");
        for page in &pages {
            assert_eq!(page.meta("totalRecords"), all.len());
            assert_eq!(page.meta("totalPages"), pages.len());
        }
        mock.stop().await;
    }
}

#[tokio::test]
async fn links_on_first_middle_and_last_pages() {
    let mock = Mock::start(&[]).await;
    let total = dataset(1).len();
    let last = total.div_ceil(10);
    assert!(last >= 3);
    let base = mock.url(ACCOUNTS);
    let at = |n: usize| format!("{base}?page-size=10&page={n}");

    let first = mock.fetch(&format!("{ACCOUNTS}?page-size=10")).await;
    assert_eq!(
        first.link("self"),
        Some(format!("{base}?page-size=10").as_str())
    );
    assert_eq!(first.link("next"), Some(at(2).as_str()));
    assert_eq!(first.link("last"), Some(at(last).as_str()));
    assert!(first.link("first").is_none() && first.link("prev").is_none());

    let middle = mock.fetch(&format!("{ACCOUNTS}?page=2&page-size=10")).await;
    assert_eq!(
        middle.link("self"),
        Some(format!("{base}?page=2&page-size=10").as_str())
    );
    assert_eq!(middle.link("first"), Some(at(1).as_str()));
    assert_eq!(middle.link("prev"), Some(at(1).as_str()));
    assert_eq!(middle.link("next"), Some(at(3).as_str()));
    assert_eq!(middle.link("last"), Some(at(last).as_str()));

    let end = send(mock.get_url(&at(last))).await;
    assert_eq!(end.accounts().len(), total - (last - 1) * 10);
    assert_eq!(end.link("first"), Some(at(1).as_str()));
    assert_eq!(end.link("prev"), Some(at(last - 1).as_str()));
    assert!(end.link("next").is_none() && end.link("last").is_none());
}

#[tokio::test]
async fn a_single_page_has_only_self() {
    let mock = Mock::start(&[]).await;
    let reply = mock.fetch(&format!("{ACCOUNTS}?page-size=1000")).await;
    let links: Vec<&String> = reply.body["links"].as_object().unwrap().keys().collect();
    assert_eq!(links, ["self"]);
    assert_eq!(reply.meta("totalPages"), 1);
}

#[tokio::test]
async fn seed_zero_is_an_empty_set() {
    let mock = Mock::seeded(0, &[]).await;
    let reply = mock.fetch(ACCOUNTS).await;
    assert_eq!(reply.status, 200);
    assert!(reply.accounts().is_empty());
    assert_eq!(
        (reply.meta("totalRecords"), reply.meta("totalPages")),
        (&0.into(), &0.into())
    );
    let links: Vec<&String> = reply.body["links"].as_object().unwrap().keys().collect();
    assert_eq!(links, ["self"]);
}

#[tokio::test]
async fn an_empty_filter_result_is_a_200() {
    let mock = Mock::start(&[]).await;
    let missing = dataset(1)
        .iter()
        .filter(|a| a["productCategory"] == "LEASES" && a["openStatus"] == "CLOSED")
        .count();
    let reply = mock
        .fetch(&format!(
            "{ACCOUNTS}?product-category=LEASES&open-status=CLOSED"
        ))
        .await;
    assert_eq!(reply.accounts().len(), missing);
    assert_eq!(reply.meta("totalRecords"), missing);
}

#[tokio::test]
async fn page_beyond_the_last_is_422_with_the_page_count() {
    let mock = Mock::start(&[]).await;
    let pages = dataset(1).len().div_ceil(10);
    let ok = mock
        .fetch(&format!("{ACCOUNTS}?page-size=10&page={pages}"))
        .await;
    assert_eq!(ok.status, 200);
    for beyond in [pages + 1, 1_000_000] {
        let reply = mock
            .fetch(&format!("{ACCOUNTS}?page-size=10&page={beyond}"))
            .await;
        assert_eq!(reply.status, 422);
        assert_eq!(reply.code(), "urn:au-cds:error:cds-all:Field/InvalidPage");
        assert_eq!(reply.body["errors"][0]["detail"], pages.to_string());
        assert!(reply.header("x-fapi-interaction-id").is_some());
    }
}

#[tokio::test]
async fn page_size_limits() {
    let mock = Mock::start(&[]).await;
    let all = dataset(1).len();
    let ok = mock.fetch(&format!("{ACCOUNTS}?page-size=1000")).await;
    assert_eq!((ok.status, ok.accounts().len()), (200, all));
    let one = mock.fetch(&format!("{ACCOUNTS}?page-size=1")).await;
    assert_eq!(
        (one.accounts().len(), one.meta("totalPages")),
        (1, &all.into())
    );
    for size in ["1001", "99999999999999999999999"] {
        let reply = mock.fetch(&format!("{ACCOUNTS}?page-size={size}")).await;
        assert_eq!(reply.status, 400, "{size}");
        assert_eq!(
            reply.code(),
            "urn:au-cds:error:cds-all:Field/InvalidPageSize"
        );
        assert_eq!(reply.body["errors"][0]["title"], "Invalid Page Size");
    }
}

#[tokio::test]
async fn product_category_filter() {
    let mock = Mock::start(&[]).await;
    let all = dataset(1);
    for category in super::super::data::PRODUCT_CATEGORIES {
        let reply = mock
            .fetch(&format!(
                "{ACCOUNTS}?product-category={category}&page-size=1000"
            ))
            .await;
        let expected: Vec<Value> = all
            .iter()
            .filter(|a| a["productCategory"] == category)
            .cloned()
            .collect();
        assert!(!expected.is_empty());
        assert_eq!(reply.accounts(), &expected, "{category}");
    }
}

#[tokio::test]
async fn open_status_filter_treats_absent_as_open() {
    let mock = Mock::start(&[]).await;
    let all = dataset(1);
    let closed = |a: &&Value| a["openStatus"] == "CLOSED";
    let cases = [
        ("OPEN", all.iter().filter(|a| !closed(a)).count()),
        ("CLOSED", all.iter().filter(closed).count()),
        ("ALL", all.len()),
    ];
    for (status, count) in cases {
        let reply = mock
            .fetch(&format!("{ACCOUNTS}?open-status={status}&page-size=1000"))
            .await;
        assert_eq!(reply.accounts().len(), count, "{status}");
        assert_eq!(reply.meta("totalRecords"), count);
    }
    let open = mock
        .fetch(&format!("{ACCOUNTS}?open-status=OPEN&page-size=1000"))
        .await;
    assert!(
        open.accounts()
            .iter()
            .any(|a| a.get("openStatus").is_none())
    );
    assert!(open.accounts().iter().all(|a| a["openStatus"] != "CLOSED"));
}

#[tokio::test]
async fn is_owned_filter_treats_absent_as_true() {
    let mock = Mock::start(&[]).await;
    let all = dataset(1);
    let unowned = all.iter().filter(|a| a["isOwned"] == false).count();
    let owned = mock
        .fetch(&format!("{ACCOUNTS}?is-owned=true&page-size=1000"))
        .await;
    assert_eq!(owned.accounts().len(), all.len() - unowned);
    assert!(owned.accounts().iter().any(|a| a.get("isOwned").is_none()));
    let not = mock
        .fetch(&format!("{ACCOUNTS}?is-owned=false&page-size=1000"))
        .await;
    assert_eq!(not.accounts().len(), unowned);
    assert!(not.accounts().iter().all(|a| a["isOwned"] == false));
}

#[tokio::test]
async fn filters_apply_before_pagination_and_links_keep_them() {
    let mock = Mock::start(&[]).await;
    let query =
        "product-category=TRANS_AND_SAVINGS_ACCOUNTS&is-owned=true&open-status=OPEN&page-size=3";
    let expected: Vec<String> = ids(&dataset(1)
        .into_iter()
        .filter(|a| {
            a["productCategory"] == "TRANS_AND_SAVINGS_ACCOUNTS"
                && a["isOwned"] != false
                && a["openStatus"] != "CLOSED"
        })
        .collect::<Vec<_>>());
    assert!(expected.len() > 6, "{}", expected.len());
    let pages = mock.walk(&format!("{ACCOUNTS}?{query}")).await;
    assert_eq!(pages.len(), expected.len().div_ceil(3));
    let served: Vec<String> = pages.iter().flat_map(|p| p.ids()).collect();
    assert_eq!(served, expected);
    let unique: HashSet<&String> = served.iter().collect();
    assert_eq!(unique.len(), served.len());
    assert_eq!(pages[0].meta("totalRecords"), expected.len());
}

#[tokio::test]
async fn self_link_uses_the_host_header_and_the_query_as_sent() {
    let mock = Mock::start(&[]).await;
    let query = "open-status=ALL&page-size=5&unknown=x%20y&page=2";
    let reply = send(
        mock.get(&format!("{ACCOUNTS}?{query}"))
            .header("host", "data.holder.example"),
    )
    .await;
    assert_eq!(
        reply.link("self"),
        Some(format!("http://data.holder.example/cds-au/v1/banking/accounts?{query}").as_str())
    );
    assert_eq!(
        reply.link("next"),
        Some(
            "http://data.holder.example/cds-au/v1/banking/accounts?open-status=ALL&page-size=5&page=3"
        )
    );
}
