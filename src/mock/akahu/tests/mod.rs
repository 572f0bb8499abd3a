//! Tests of the Akahu mock over real TCP on loopback: the conformant behaviour rule by rule, and
//! for every fault switch the one difference it makes.

mod conformant;
mod faults;

use std::ops::Deref;

use serde_json::Value;

use super::APP_ID;
use crate::mock::testing::{Loopback, options};
pub(super) use crate::mock::testing::{Reply, send};

pub(super) const TOKEN: &str = "test-user-token";
pub(super) const ACCOUNTS: &str = "/accounts";

/// The Akahu mock on loopback, with requests that carry the user token and the app id.
pub(super) struct Mock(Loopback);

impl Deref for Mock {
    type Target = Loopback;

    fn deref(&self) -> &Loopback {
        &self.0
    }
}

/// Readers of the Akahu body shapes.
pub(super) trait Akahu {
    fn items(&self) -> &Vec<Value>;
    /// Whether this is an error body: `success: false` and a string `message`.
    fn is_error_body(&self) -> bool;
}

impl Akahu for Reply {
    fn items(&self) -> &Vec<Value> {
        self.body["items"]
            .as_array()
            .unwrap_or_else(|| panic!("no items in {}", self.body))
    }

    fn is_error_body(&self) -> bool {
        self.body["success"] == false && self.body["message"].is_string()
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

    /// A request without any header.
    pub(super) fn bare(&self, path: &str) -> reqwest::RequestBuilder {
        self.client().get(self.url(path))
    }

    /// A request with the app id but no user token.
    pub(super) fn app_only(&self, path: &str) -> reqwest::RequestBuilder {
        self.bare(path).header("x-akahu-id", APP_ID)
    }

    /// A request with the user token and the app id.
    pub(super) fn get(&self, path: &str) -> reqwest::RequestBuilder {
        self.app_only(path).bearer_auth(TOKEN)
    }

    pub(super) async fn fetch(&self, path: &str) -> Reply {
        send(self.get(path)).await
    }
}

/// The accounts of `seed` as the conformant mock serves them, for expected values.
pub(super) fn dataset(seed: u64) -> Vec<Value> {
    super::data::generate(seed)
        .iter()
        .map(|a| serde_json::to_value(a).unwrap())
        .collect()
}
