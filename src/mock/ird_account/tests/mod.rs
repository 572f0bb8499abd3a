//! Tests of the Account API mock: the conformant behaviour rule by rule through the operations
//! themselves, the routes over real TCP, and for every fault switch the one difference it
//! makes.

mod conformant;
mod faults;
mod http;

use serde_json::{Value, json};

use super::error::Reply;
use super::fault::Faults;
use super::service::Registry;

pub(super) const TOKEN: &str = "test-token";
pub(super) const ME: &str = "132243158";
pub(super) const OTHER: &str = "139369673";

/// The registry on seed 1 with `faults` on.
pub(super) fn registry(faults: &[&str]) -> Registry {
    seeded(1, faults)
}

pub(super) fn seeded(seed: u64, faults: &[&str]) -> Registry {
    let names: Vec<String> = faults.iter().map(|f| f.to_string()).collect();
    Registry::new(TOKEN, seed, Faults::parse(&names).unwrap())
}

/// The `Authorization` value of a caller: "" for the customer, or a suffix such as ".agent".
pub(super) fn bearer(suffix: &str) -> String {
    format!("Bearer {TOKEN}{suffix}")
}

pub(super) fn list_as(r: &Registry, suffix: &str, ird: &str) -> Reply {
    r.list(
        Some(&bearer(suffix)),
        &body(json!({"CustomerID": ird, "CustomerIDType": "IRD"})),
    )
}

pub(super) fn account_as(r: &Registry, suffix: &str, id: &str) -> Reply {
    r.account(
        Some(&bearer(suffix)),
        &body(json!({"AccountID": id, "AccountIDType": "ACC"})),
    )
}

pub(super) fn body(v: Value) -> Vec<u8> {
    v.to_string().into_bytes()
}

/// The ids of a `/list` answer.
pub(super) fn ids(reply: &Reply) -> Vec<String> {
    reply.body["Accounts"]
        .as_array()
        .unwrap_or_else(|| panic!("no Accounts in {}", reply.body))
        .iter()
        .map(|a| a["ID"].as_str().unwrap().to_string())
        .collect()
}
