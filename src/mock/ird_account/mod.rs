//! The Inland Revenue (New Zealand) gateway Account API: a reference implementation of the
//! `list` and `account` services of the customer services suite, as described by Inland
//! Revenue's Swagger file "Account 2021-09-14" and its build pack.
//!
//! The main item is [`API`]; its `app` builds the axum router from [`MockOptions`].
//!
//! # Routes
//!
//! | Method | Path | Answer |
//! | --- | --- | --- |
//! | POST | `/secure/gateway/account/list` | `{"Accounts": [{"ID", "IDType"}]}`: a customer's accounts |
//! | POST | `/secure/gateway/account/account` | `{"Account": {...}}`: one account |
//! | other methods | either path | 405 with `Allow: POST` (the build pack: "This service only supports the POST HTTP method") |
//! | GET | `/secure/gateway/account/status` | 200 with the body `OK` (`text/plain`), whoever asks |
//! | any | any other path | 404 without a body |
//!
//! Bodies are JSON, answered with `Content-Type: application/json; charset=utf-8`. Errors are
//! `{"errors": [{"code", "type", "message"}]}`: EV1022 with 403, every other code with 400, as
//! the Swagger file lists them.
//!
//! # Callers
//!
//! The mock knows one secret, the customer's own token `T` (`--token`). The other callers the
//! Account API admits are named by tokens derived from it, sent as `Authorization: Bearer
//! <token>` or, as Inland Revenue allows for self-issued JWTs, as the bare token:
//!
//! | token | caller | may see |
//! | --- | --- | --- |
//! | `T` | the customer (IRD 132243158) | every one of its own accounts |
//! | `T.delegate` | a user with delegated access | the customer's GST004 and INC003 accounts only |
//! | `T.agent` | a linked intermediary (tax agent) | the customer, 069096409 and every other generated customer |
//! | `T.agency` | an agency under a memorandum of understanding | every customer but 102210221 |
//! | `T.stranger` | an authenticated user without access | nothing (403 EV1022) |
//!
//! # Order of validation
//!
//! The first failing step answers.
//!
//! 1. No token: 400 EV1021. A token that is neither `T` nor a derived one: 400 EV1020.
//! 2. The body is not a JSON object, or a field breaks the Swagger file (missing, not a
//!    string, outside its length bounds or enumeration): 400 EV1100, the message ending with
//!    the field name. `/list` takes `CustomerID` (9 or 10 characters) and `CustomerIDType`
//!    (IRD or CST); `/account` takes `AccountID` (7 to 15 characters) and `AccountIDType` (ACC,
//!    CMPF or KSF). Other fields are ignored.
//! 3. `/list` with IRD: a CustomerID that is not digits gets EV1100; one failing the modulus-11
//!    check digit gets EV2234.
//! 4. No customer or account with that identifier: 400 CST404 (before the access check, as
//!    Inland Revenue's mock answers unknown identifiers).
//! 5. The caller may not see the customer (`/list`) or the account (`/account`): 403 EV1022.
//! 6. `/account` of an account type not eligible for the service (KiwiSaver, KSS): 400 ACT100.
//!    `/list` leaves such accounts out, since it lists accounts the service can retrieve.
//!
//! # Data
//!
//! Inland Revenue's published test personas are present under every `data_seed`, so suites
//! can name them: the customer 132243158 (also CST 1512150403) with FAM005, GST004, INC003
//! (all active), FBT005 (closed) and the ineligible KSS004; the non-individual 069096409;
//! another customer 139369673 that only the agency may see; and 102210221, whom nobody may see
//! (its number fails the check digit, so it is reachable through `/account` only). Seed 0 adds
//! nothing; any other seed adds 3 to 10 generated customers with valid IRD numbers and one to
//! five accounts each. The IRD check digit is computed by a private function of this module.
//!
//! # Faults
//!
//! [`FAULTS`] lists the switches; each breaks one rule and leaves the rest conformant.

mod access;
mod data;
mod error;
mod fault;
mod persona;
mod service;
#[cfg(test)]
mod tests;

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

pub use fault::FAULTS;

use super::{MockApi, MockOptions};
use error::Reply;
use fault::{Faults, Switch};
use service::Registry;

/// The Account API mock.
pub const API: MockApi = MockApi {
    name: "ird-account",
    title: "Inland Revenue gateway Account API",
    base_path: BASE_PATH,
    faults: FAULTS,
    app,
    credentials: crate::mock::token_only,
};

const BASE_PATH: &str = "/secure/gateway/account";

/// Builds the router; fails if a fault name is unknown.
fn app(opts: &MockOptions) -> Result<Router, String> {
    let registry = Registry::new(&opts.token, opts.data_seed, Faults::parse(&opts.faults)?);
    Ok(router(Arc::new(registry)))
}

/// The routes over one registry.
fn router(registry: Arc<Registry>) -> Router {
    let mut status = get(status);
    if registry.faults.on(Switch::NoStatusService) {
        status = axum::routing::any(not_found);
    }
    Router::new()
        .route(
            &format!("{BASE_PATH}/list"),
            post(list).fallback(other_method),
        )
        .route(
            &format!("{BASE_PATH}/account"),
            post(account).fallback(other_method),
        )
        .route(&format!("{BASE_PATH}/status"), status)
        .fallback(not_found)
        .with_state(registry)
}

async fn list(State(r): State<Arc<Registry>>, headers: HeaderMap, body: Bytes) -> Response {
    respond(r.list(authorization(&headers), &body))
}

async fn account(State(r): State<Arc<Registry>>, headers: HeaderMap, body: Bytes) -> Response {
    respond(r.account(authorization(&headers), &body))
}

fn authorization(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
}

fn respond(reply: Reply) -> Response {
    (
        reply.status,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json; charset=utf-8"),
        )],
        reply.body.to_string(),
    )
        .into_response()
}

async fn status() -> Response {
    (
        [(header::CONTENT_TYPE, HeaderValue::from_static("text/plain"))],
        "OK",
    )
        .into_response()
}

async fn not_found() -> Response {
    StatusCode::NOT_FOUND.into_response()
}

/// A method other than POST on `/list` or `/account`: 405, or under `other-methods-served`
/// the answer to a POST of the same request.
async fn other_method(
    State(r): State<Arc<Registry>>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if r.faults.on(Switch::OtherMethodsServed) {
        let caller = authorization(&headers);
        return respond(if uri.path().ends_with("/list") {
            r.list(caller, &body)
        } else {
            r.account(caller, &body)
        });
    }
    (
        StatusCode::METHOD_NOT_ALLOWED,
        [(header::ALLOW, HeaderValue::from_static("POST"))],
    )
        .into_response()
}
