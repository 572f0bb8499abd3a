//! The bank-data aggregator reference mock: the accounts service of Ivy's Data API, holding the
//! accounts a user has authorised and serving them through four POST end points.
//!
//! The main item is [`API`]; its `app` builds the axum router from [`MockOptions`].
//!
//! # Routes
//!
//! | Method | Path | Body | Answer |
//! | --- | --- | --- | --- |
//! | POST | `/api/services/data/accounts/list` | `{limit?, skip?}` (may be empty) | `{accounts, hasMore}` |
//! | POST | `/api/services/data/accounts/retrieve` | `{id}` | the Account |
//! | POST | `/api/services/data/accounts/refresh` | `{id}` | the Account, unchanged |
//! | POST | `/api/services/data/accounts/disconnect` | `{id}` | the Account, now `disconnected` |
//! | other methods | those paths | | 405 with `Allow: POST` |
//! | any | any other path | | 404 `NOT_FOUND` |
//!
//! Successes are `application/json`. Errors are JSON objects with `message` and `code` (and
//! `devMessage`, `statusCode`, `category`, `param`, `data`, `docUrl`), as on Ivy's Errors page.
//!
//! # Order of validation
//!
//! The first failing step answers.
//!
//! 1. `X-Ivy-Api-Key` missing or not the configured token: 401 `UNAUTHENTICATED`.
//! 2. A body that is not a JSON object (an empty body counts as `{}`): 400 `VALIDATION`.
//! 3. list: `limit` an integer from 1 to 100 (default 10), `skip` an integer of at least 0
//!    (default 0); anything else is 400 `VALIDATION` with `param` naming the field. By id:
//!    `id` missing or not a string is 400 `VALIDATION` with `param` `id`.
//! 4. By id: no account with that id is 404 `NOT_FOUND`.
//!
//! # Data and state
//!
//! The accounts come from `data::generate` with `data_seed`: seed 0 is an empty set, any other
//! seed 21 to 130 accounts in a fixed order, covering every category/subcategory pair, status,
//! financial-address type and permission. A page holds the accounts `skip..skip+limit`;
//! `hasMore` says whether any follow. disconnect sets an account's status to `disconnected`
//! for the life of the mock instance; the account stays listed and retrievable.
//!
//! # Faults
//!
//! [`FAULTS`] lists the switches; each breaks one rule and leaves the rest conformant:
//! `limit-ignored`, `max-limit-not-enforced`, `limit-over-maximum-served`, `zero-limit-accepted`, `limit-type-not-checked`,
//! `negative-skip-accepted`, `default-limit-wrong`, `has-more-on-last-page`,
//! `has-more-always-false`, `skip-repeats`, `skip-gaps`, `subcategory-mismatch`,
//! `bad-enum-value`, `missing-account-number`, `unknown-id-found`, `retrieve-ignores-id`,
//! `id-type-not-checked`, `disconnect-no-effect`, `wrong-error-body`, `no-auth`,
//! `wrong-content-type`.

mod data;
mod error;
mod fault;
mod page;
mod request;
#[cfg(test)]
mod tests;

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde_json::Value;

pub use fault::FAULTS;

use super::{MockApi, MockOptions};
use data::{Account, Status};
use error::{ApiError, Code};
use fault::{Faults, Switch};

/// The aggregator mock.
pub const API: MockApi = MockApi {
    name: "aggregator",
    title: "Bank-data aggregator accounts (Ivy Data API)",
    base_path: BASE_PATH,
    faults: FAULTS,
    app,
    credentials: crate::mock::token_only,
};

const BASE_PATH: &str = "/api/services/data";

/// What every handler shares; the accounts change when one is disconnected.
#[derive(Debug)]
struct Aggregator {
    token: String,
    accounts: Mutex<Vec<Account>>,
    faults: Faults,
}

/// The by-id end points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Retrieve,
    Refresh,
    Disconnect,
}

/// Builds the router; fails if a fault name is unknown.
fn app(opts: &MockOptions) -> Result<Router, String> {
    let state = Arc::new(Aggregator {
        token: opts.token.clone(),
        accounts: Mutex::new(data::generate(opts.data_seed)),
        faults: Faults::parse(&opts.faults)?,
    });
    let by_id = |action: Action| {
        post(
            move |State(s): State<Arc<Aggregator>>, headers: HeaderMap, body: Bytes| async move {
                by_id(&s, action, &headers, &body)
            },
        )
        .fallback(method_not_allowed)
    };
    Ok(Router::new()
        .route(
            &format!("{BASE_PATH}/accounts/list"),
            post(list).fallback(method_not_allowed),
        )
        .route(
            &format!("{BASE_PATH}/accounts/retrieve"),
            by_id(Action::Retrieve),
        )
        .route(
            &format!("{BASE_PATH}/accounts/refresh"),
            by_id(Action::Refresh),
        )
        .route(
            &format!("{BASE_PATH}/accounts/disconnect"),
            by_id(Action::Disconnect),
        )
        .fallback(not_found)
        .with_state(state))
}

async fn list(State(s): State<Arc<Aggregator>>, headers: HeaderMap, body: Bytes) -> Response {
    let faults = s.faults;
    request::authorise(&headers, &s.token, faults)
        .and_then(|()| request::body(&body))
        .and_then(|b| request::list_params(&b, faults))
        .map(|req| {
            let accounts = s.accounts.lock().unwrap_or_else(|e| e.into_inner());
            page::list_page(&accounts, req, faults)
        })
        .map_or_else(|e| e.into_response(faults), |v| success(&v, faults))
}

fn by_id(s: &Aggregator, action: Action, headers: &HeaderMap, body: &[u8]) -> Response {
    let faults = s.faults;
    request::authorise(headers, &s.token, faults)
        .and_then(|()| request::body(body))
        .and_then(|b| request::account_id(&b, faults))
        .and_then(|id| {
            let mut accounts = s.accounts.lock().unwrap_or_else(|e| e.into_inner());
            let found = accounts.iter().position(|a| a.id == id);
            let index = match (found, action) {
                (Some(_), Action::Retrieve) if faults.on(Switch::RetrieveIgnoresId) => 0,
                (Some(i), _) => i,
                (None, Action::Retrieve)
                    if faults.on(Switch::UnknownIdFound) && !accounts.is_empty() =>
                {
                    0
                }
                (None, _) => {
                    return Err(ApiError::new(
                        Code::NotFound,
                        format!("No account with id {id}"),
                    ));
                }
            };
            if action == Action::Disconnect && !faults.on(Switch::DisconnectNoEffect) {
                accounts[index].status = Status::Disconnected;
            }
            Ok(page::render(&accounts[index], faults))
        })
        .map_or_else(|e| e.into_response(faults), |v| success(&v, faults))
}

/// A 200 with a JSON body.
fn success(body: &Value, faults: Faults) -> Response {
    let content_type = if faults.on(Switch::WrongContentType) {
        "text/plain"
    } else {
        "application/json"
    };
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, HeaderValue::from_static(content_type))],
        body.to_string(),
    )
        .into_response()
}

async fn not_found(State(s): State<Arc<Aggregator>>, uri: Uri) -> Response {
    ApiError::new(Code::NotFound, format!("No resource at {}", uri.path())).into_response(s.faults)
}

async fn method_not_allowed() -> Response {
    (
        StatusCode::METHOD_NOT_ALLOWED,
        [(header::ALLOW, HeaderValue::from_static("POST"))],
    )
        .into_response()
}
