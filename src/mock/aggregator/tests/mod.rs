//! Tests of the aggregator mock over real TCP on loopback: the conformant behaviour rule by
//! rule, and for every fault switch the one difference it makes.

mod conformant;
mod faults;

use std::ops::Deref;

use serde_json::{Value, json};

use crate::mock::testing::{Loopback, options};
pub(super) use crate::mock::testing::{Reply, send};

pub(super) const TOKEN: &str = "test-key";

/// The aggregator mock on loopback, with POSTs that carry the API key.
pub(super) struct Mock(Loopback);

impl Deref for Mock {
    type Target = Loopback;

    fn deref(&self) -> &Loopback {
        &self.0
    }
}

/// Readers of the accounts service's body shapes.
pub(super) trait Aggregator {
    fn code(&self) -> &str;
    fn ids(&self) -> Vec<String>;
    fn has_more(&self) -> bool;
}

impl Aggregator for Reply {
    fn code(&self) -> &str {
        self.body["code"].as_str().unwrap_or("")
    }

    fn ids(&self) -> Vec<String> {
        self.body["accounts"]
            .as_array()
            .unwrap_or_else(|| panic!("no accounts in {}", self.body))
            .iter()
            .map(|a| a["id"].as_str().unwrap().to_string())
            .collect()
    }

    fn has_more(&self) -> bool {
        self.body["hasMore"]
            .as_bool()
            .unwrap_or_else(|| panic!("no hasMore in {}", self.body))
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

    /// A POST to `/accounts/{action}` with the key and a JSON body.
    pub(super) async fn call(&self, action: &str, body: Value) -> Reply {
        send(
            self.client()
                .post(self.url(&format!("/accounts/{action}")))
                .header("x-ivy-api-key", TOKEN)
                .header("content-type", "application/json")
                .body(body.to_string()),
        )
        .await
    }

    pub(super) async fn list(&self, body: Value) -> Reply {
        self.call("list", body).await
    }

    /// Every account id, walking pages of 100.
    pub(super) async fn all_ids(&self) -> Vec<String> {
        let mut ids = Vec::new();
        loop {
            let page = self.list(json!({"limit": 100, "skip": ids.len()})).await;
            assert_eq!(page.status, 200);
            ids.extend(page.ids());
            if !page.has_more() {
                return ids;
            }
        }
    }
}
