//! The CDR Get Accounts v2 reference data holder: a faithful holder of the Australian Consumer
//! Data Right banking API that supports only version 2 of Get Accounts.
//!
//! The main item is [`API`]; its `app` builds the axum router from [`MockOptions`].
//!
//! # Routes
//!
//! | Method | Path | Answer |
//! | --- | --- | --- |
//! | GET (and HEAD) | `/cds-au/v1/banking/accounts` | ResponseBankingAccountListV2 |
//! | other methods | `/cds-au/v1/banking/accounts` | 405 with `Allow: GET, HEAD` |
//! | any | any other path | 404 `urn:au-cds:error:cds-all:Resource/NotFound` |
//!
//! Every response, success or error, carries `x-fapi-interaction-id`: the request's value played
//! back, or a fresh v4 UUID. Errors are ResponseErrorListV2 bodies (`code`, `title`, `detail`)
//! with `Content-Type: application/json`; successes also carry `x-v: 2`.
//!
//! # Order of validation
//!
//! The first failing step answers; later steps are not run.
//!
//! 1. `Authorization: Bearer <token>` missing, malformed or wrong: 401 with a
//!    `WWW-Authenticate: Bearer` challenge and code `GeneralError/Expected` (the standard has no
//!    401 code).
//! 2. `x-v` absent: 400 `Header/Missing`, detail `x-v`.
//! 3. `x-v` or `x-min-v` not a PositiveInteger: 400 `Header/InvalidVersion`.
//! 4. Negotiation: an `x-min-v` equal to or above `x-v` counts as absent; the holder serves the
//!    highest supported version in `[x-min-v, x-v]`, i.e. 2 if it lies in that range, else 406
//!    `Header/UnsupportedVersion`.
//! 5. `Accept` not satisfied by `application/json` in UTF-8 (media types compare
//!    case-insensitively; `*/*` and `application/*` satisfy it): 406 `GeneralError/Expected`.
//! 6. Query: `product-category` (the 12 BankingProductCategory values), `open-status`
//!    (OPEN/CLOSED/ALL), `is-owned` (true/false), `page` and `page-size` (PositiveInteger), in
//!    that order: 400 `Field/Invalid` whose detail starts with the parameter name. Then
//!    `page-size` above 1000: 400 `Field/InvalidPageSize`. Unknown parameters are ignored and
//!    the first occurrence of a repeated one wins.
//! 7. `page` beyond the last page of a non-empty set: 422 `Field/InvalidPage`, detail the number
//!    of pages. Page 1 of an empty set is a 200 with no accounts and `totalPages` 0.
//!
//! Other request headers (`x-fapi-auth-date`, `x-fapi-customer-ip-address`,
//! `x-cds-client-headers`) are not checked.
//!
//! # Data
//!
//! The accounts come from `data::generate` with `data_seed`: seed 0 is an empty set; any
//! other seed gives 40 to 120 accounts covering every product category, ownership value, open
//! status and optional-field state. Filters apply before pagination, with an absent
//! `openStatus` counting as OPEN and an absent `isOwned` as true. `page` defaults to 1 and
//! `page-size` to 25. `MockOptions::records` (`accord mock cdr --records N`) serves exactly N
//! accounts generated from the seed instead, e.g. 10,000 for walks of a large set. Links are
//! absolute URLs built from the `Host` header (scheme `http`); the
//! navigation links keep the request's filters and `page-size`.
//!
//! # Faults
//!
//! [`FAULTS`] lists the switches; each breaks one rule and leaves the rest conformant:
//! `no-interaction-id`, `wrong-interaction-id`, `no-interaction-id-on-error`,
//! `no-version-header`, `wrong-version-header`, `ignore-x-min-v`,
//! `accept-unsupported-version`, `no-version-check`, `invalid-version-accepted`,
//! `bad-error-code`, `error-missing-detail`, `error-title-varies`, `page-size-ignored`,
//! `max-page-size-not-enforced`, `invalid-page-accepted`, `wrong-total-pages`,
//! `wrong-total-records`, `missing-next-link`, `missing-prev-link`, `missing-first-link`,
//! `missing-last-link`, `relative-self-link`, `links-drop-filters`, `duplicate-across-pages`,
//! `filter-ignored-product-category`, `filter-ignored-open-status`, `filter-ignored-is-owned`,
//! `bad-enum-value`, `missing-required-field`, `wrong-type`, `wrong-content-type`, `no-auth`,
//! `default-page-size-wrong`, `old-page-size-status`, `x-min-v-not-validated`,
//! `interaction-id-not-uuid`, `retired-version-served`, `x-min-v-above-refused`,
//! `data-on-unauthorised`, `unsupported-version-as-bad-request`, `page-zero-accepted`,
//! `bad-creation-date`, `next-link-loops`, `self-link-wrong-page`, `prev-link-wrong-page`,
//! `next-link-on-last-page`, `prev-link-on-first-page`, `cursor-prev-link-wrong-page`,
//! `accept-not-checked`, `accept-case-sensitive`, `unknown-path-served`, `other-methods-served`,
//! `non-ascii-account-id`, `detail-without-field`.

mod data;
mod error;
mod fault;
mod page;
mod request;
#[cfg(test)]
mod tests;

use std::sync::Arc;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

pub use fault::FAULTS;

use super::{MockApi, MockOptions};
use data::Account;
use error::{CdsError, Code};
use fault::{Faults, Switch};

/// The CDR mock.
pub const API: MockApi = MockApi {
    name: "cdr",
    title: "CDR Get Accounts v2",
    base_path: BASE_PATH,
    faults: FAULTS,
    app,
    credentials: crate::mock::token_only,
};

const BASE_PATH: &str = "/cds-au/v1";

const INTERACTION_ID: &str = "x-fapi-interaction-id";

/// What every handler shares.
#[derive(Debug)]
struct Holder {
    token: String,
    accounts: Vec<Account>,
    faults: Faults,
}

/// Builds the router; fails if a fault name is unknown.
fn app(opts: &MockOptions) -> Result<Router, String> {
    let holder = Arc::new(Holder {
        token: opts.token.clone(),
        accounts: data::generate_records(opts.data_seed, opts.records),
        faults: Faults::parse(&opts.faults)?,
    });
    Ok(Router::new()
        .route(
            &format!("{BASE_PATH}/banking/accounts"),
            get(list_accounts).fallback(method_not_allowed),
        )
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(
            holder.clone(),
            interaction_id,
        ))
        .with_state(holder))
}

async fn list_accounts(
    State(holder): State<Arc<Holder>>,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    let faults = holder.faults;
    request::authorise(&headers, &holder.token, faults)
        .map_err(|e| leak_accounts(e, &holder))
        .and_then(|()| request::negotiate(&headers, faults))
        .and_then(|_version| request::accept(&headers, faults))
        .and_then(|()| request::parse_query(uri.query(), faults))
        .and_then(|query| {
            page::list_page(&holder.accounts, &query, &target(&headers, &uri), faults)
        })
        .unwrap_or_else(|e| e.into_response(faults))
}

/// Under `data-on-unauthorised`, a refusal also carries the first page of accounts.
fn leak_accounts(mut error: CdsError, holder: &Holder) -> CdsError {
    if holder.faults.on(Switch::DataOnUnauthorised) {
        let page: Vec<serde_json::Value> = holder
            .accounts
            .iter()
            .take(request::DEFAULT_PAGE_SIZE as usize)
            .map(|a| serde_json::to_value(a).unwrap_or_default())
            .collect();
        error.data = Some(serde_json::json!({ "accounts": page }));
    }
    error
}

/// The request's own URL, from the `Host` header, for the `self` link.
fn target(headers: &HeaderMap, uri: &Uri) -> page::Target {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(str::to_string)
        .or_else(|| uri.authority().map(|a| a.to_string()))
        .unwrap_or_else(|| "localhost".into());
    page::Target {
        origin: format!("http://{host}"),
        path: uri.path().to_string(),
        query: uri.query().map(str::to_string),
    }
}

async fn not_found(State(holder): State<Arc<Holder>>, headers: HeaderMap, uri: Uri) -> Response {
    let banking = format!("{BASE_PATH}/banking/");
    if holder.faults.on(Switch::UnknownPathServed) && uri.path().starts_with(&banking) {
        return list_accounts(State(holder), headers, uri).await;
    }
    CdsError::new(
        Code::ResourceNotFound,
        format!("No resource at {}", uri.path()),
    )
    .into_response(holder.faults)
}

async fn method_not_allowed(
    State(holder): State<Arc<Holder>>,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    if holder.faults.on(Switch::OtherMethodsServed) {
        return list_accounts(State(holder), headers, uri).await;
    }
    (
        StatusCode::METHOD_NOT_ALLOWED,
        [(header::ALLOW, HeaderValue::from_static("GET, HEAD"))],
    )
        .into_response()
}

/// Sets `x-fapi-interaction-id` on every response: the request's value or a fresh UUID.
async fn interaction_id(
    State(holder): State<Arc<Holder>>,
    request: Request,
    next: Next,
) -> Response {
    let sent = request.headers().get(INTERACTION_ID).cloned();
    let mut response = next.run(request).await;
    let faults = holder.faults;
    let is_error = response.status().is_client_error() || response.status().is_server_error();
    if faults.on(Switch::NoInteractionId) || (is_error && faults.on(Switch::NoInteractionIdOnError))
    {
        return response;
    }
    let value = match sent {
        Some(v) if !faults.on(Switch::WrongInteractionId) => v,
        None if faults.on(Switch::InteractionIdNotUuid) => {
            static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
            let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            HeaderValue::from_str(&format!("req-{n}")).expect("ASCII is a valid header value")
        }
        _ => HeaderValue::from_str(&uuid::Uuid::new_v4().to_string())
            .expect("a UUID is a valid header value"),
    };
    response.headers_mut().insert(INTERACTION_ID, value);
    response
}
