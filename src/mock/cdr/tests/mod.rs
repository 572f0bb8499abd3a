//! Tests of the CDR mock over real TCP on loopback: the conformant behaviour rule by rule, and
//! for every fault switch the one difference it makes.

mod conformant;
mod faults;
mod isolation;
mod paging;
mod version;

use std::ops::Deref;

use serde_json::Value;

use crate::mock::testing::{Loopback, options};
pub(super) use crate::mock::testing::{Reply, send};

pub(super) const TOKEN: &str = "test-token";
pub(super) const ACCOUNTS: &str = "/banking/accounts";

/// The CDR mock on loopback, with requests that carry a valid token and `x-v: 2`.
pub(super) struct Mock(Loopback);

impl Deref for Mock {
    type Target = Loopback;

    fn deref(&self) -> &Loopback {
        &self.0
    }
}

/// Readers of the CDR body shapes (accounts, links, meta, errors).
pub(super) trait Cds {
    /// The `code` of the first error object.
    fn code(&self) -> &str;
    fn ids(&self) -> Vec<String>;
    fn accounts(&self) -> &Vec<Value>;
    fn link(&self, name: &str) -> Option<&str>;
    fn meta(&self, name: &str) -> &Value;
}

impl Cds for Reply {
    fn code(&self) -> &str {
        self.body["errors"][0]["code"].as_str().unwrap_or("")
    }

    fn ids(&self) -> Vec<String> {
        self.accounts()
            .iter()
            .map(|a| a["accountId"].as_str().unwrap().to_string())
            .collect()
    }

    fn accounts(&self) -> &Vec<Value> {
        self.body["data"]["accounts"]
            .as_array()
            .unwrap_or_else(|| panic!("no accounts in {}", self.body))
    }

    fn link(&self, name: &str) -> Option<&str> {
        self.body["links"][name].as_str()
    }

    fn meta(&self, name: &str) -> &Value {
        &self.body["meta"][name]
    }
}

impl Mock {
    /// The conformant mock (empty `faults`) or a faulty one, on data seed 1.
    pub(super) async fn start(faults: &[&str]) -> Mock {
        Mock::seeded(1, faults).await
    }

    pub(super) async fn seeded(seed: u64, faults: &[&str]) -> Mock {
        Mock(Loopback::start(&super::API, &options(TOKEN, seed, faults)).await)
    }

    /// A request with a valid token and `x-v: 2`.
    pub(super) fn get(&self, path_and_query: &str) -> reqwest::RequestBuilder {
        self.get_url(&self.url(path_and_query))
    }

    pub(super) fn get_url(&self, url: &str) -> reqwest::RequestBuilder {
        self.bare(url).bearer_auth(TOKEN).header("x-v", "2")
    }

    /// A request to a full URL without any header.
    pub(super) fn bare(&self, url: &str) -> reqwest::RequestBuilder {
        self.client().get(url)
    }

    /// Fetches with a valid token and `x-v: 2`.
    pub(super) async fn fetch(&self, path_and_query: &str) -> Reply {
        send(self.get(path_and_query)).await
    }

    /// Follows `next` links from `path_and_query` and returns every page.
    pub(super) async fn walk(&self, path_and_query: &str) -> Vec<Reply> {
        let mut pages = vec![self.fetch(path_and_query).await];
        while let Some(next) = pages.last().unwrap().link("next").map(str::to_string) {
            assert!(pages.len() < 200, "runaway pagination");
            pages.push(send(self.get_url(&next)).await);
            assert_eq!(pages.last().unwrap().status, 200);
        }
        pages
    }

    pub(super) async fn stop(self) {
        self.0.stop().await;
    }
}

/// The account set of `seed` as the mock serves it, for expected values.
pub(super) fn dataset(seed: u64) -> Vec<Value> {
    super::data::generate(seed)
        .iter()
        .map(|a| serde_json::to_value(a).unwrap())
        .collect()
}
