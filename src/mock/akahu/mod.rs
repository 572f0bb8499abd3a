//! The Akahu accounts reference mock: one user's connected accounts behind Akahu's enduring
//! account connectivity API (v1), as its public documentation and SDK types describe them.
//!
//! The main item is [`API`]; its `app` builds the axum router from [`MockOptions`].
//!
//! # Routes
//!
//! | Method | Path | Answer |
//! | --- | --- | --- |
//! | GET | `/v1/accounts` | 200 `{success: true, items: [Account, ...]}` |
//! | GET | `/v1/accounts/{id}` | 200 `{success: true, item: Account}`; 404 for an id the user does not have |
//! | any other | any path | 404 `{success: false, message: "Not found"}` |
//!
//! Every body is JSON with `Content-Type: application/json`; every error (status above 399) is
//! `{success: false, message}`.
//!
//! # Authentication, in order
//!
//! The first failing step answers; unknown URLs get their 404 before any of these.
//!
//! 1. `X-Akahu-ID` missing: 401 (Akahu's change log: requests without it get 401).
//! 2. `Authorization` missing, not `Bearer <token>` (scheme case-insensitive), or a token other
//!    than `MockOptions::token`: 401 (the status for invalid and revoked tokens since
//!    September 2024).
//! 3. `X-Akahu-ID` other than [`APP_ID`]: 403, one of the "other authorisation related errors".
//!
//! A mock knows a single secret, the user token; the app token is the fixed [`APP_ID`], which
//! the suite's `app_id` variable defaults to.
//!
//! # Data
//!
//! The accounts come from `data::generate` with `data_seed`: seed 0 is a user without accounts,
//! any other seed gives 11 to 24 accounts covering every account type, both statuses and the
//! presence and absence of every optional field.
//!
//! # Faults
//!
//! [`FAULTS`] lists the switches; each breaks one rule and leaves the rest conformant:
//! `wrong-success-flag`, `items-missing`, `item-wrong-key`, `unknown-id-found`,
//! `not-found-success-true`, `error-without-message`, `no-user-token-accepted`,
//! `invalid-user-token-accepted`, `malformed-token-accepted`, `invalid-token-400`,
//! `no-app-id-accepted`, `wrong-app-id-accepted`, `bad-status-enum`, `bad-type-enum`,
//! `balance-as-string`, `missing-id`, `list-get-disagree`, `get-ignores-id`,
//! `wrong-content-type`, `unknown-url-500`.

mod data;
mod fault;
#[cfg(test)]
mod tests;

use std::sync::Arc;

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::{Value, json};

pub use fault::FAULTS;

use super::{MockApi, MockOptions};
use data::Account;
use fault::{Faults, Switch};

/// The Akahu mock.
pub const API: MockApi = MockApi {
    name: "akahu",
    title: "Akahu accounts",
    base_path: BASE_PATH,
    faults: FAULTS,
    app,
    credentials: crate::mock::token_only,
};

/// The app token (`X-Akahu-ID`) the mock accepts; the suite's `app_id` variable defaults to it.
pub const APP_ID: &str = "app_token_accord_mock";

const BASE_PATH: &str = "/v1";

const APP_ID_HEADER: &str = "x-akahu-id";

/// What every handler shares.
#[derive(Debug)]
struct User {
    token: String,
    accounts: Vec<Account>,
    faults: Faults,
}

/// Builds the router; fails if a fault name is unknown.
fn app(opts: &MockOptions) -> Result<Router, String> {
    let user = Arc::new(User {
        token: opts.token.clone(),
        accounts: data::generate(opts.data_seed),
        faults: Faults::parse(&opts.faults)?,
    });
    Ok(Router::new()
        .route(
            &format!("{BASE_PATH}/accounts"),
            get(list_accounts).fallback(not_found),
        )
        .route(
            &format!("{BASE_PATH}/accounts/{{id}}"),
            get(get_account).fallback(not_found),
        )
        .fallback(not_found)
        .with_state(user))
}

async fn list_accounts(State(user): State<Arc<User>>, headers: HeaderMap) -> Response {
    if let Err((status, message)) = authorise(&headers, &user) {
        return error(status, message, user.faults);
    }
    let items: Vec<Value> = user
        .accounts
        .iter()
        .map(|a| render(a, user.faults))
        .collect();
    let mut body = json!({ "success": true, "items": items });
    if user.faults.on(Switch::ItemsMissing) {
        body.as_object_mut().map(|b| b.remove("items"));
    }
    success(body, user.faults)
}

async fn get_account(
    State(user): State<Arc<User>>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    if let Err((status, message)) = authorise(&headers, &user) {
        return error(status, message, user.faults);
    }
    let faults = user.faults;
    let found = user.accounts.iter().find(|a| a._id == id);
    let account = match found {
        Some(_) if faults.on(Switch::GetIgnoresId) => user.accounts.first(),
        None if faults.on(Switch::UnknownIdFound) => user.accounts.first(),
        other => other,
    };
    let Some(account) = account else {
        return error(StatusCode::NOT_FOUND, "Not found", faults);
    };
    let mut item = render(account, faults);
    if faults.on(Switch::ListGetDisagree) {
        item["name"] = json!(format!("{} (renamed)", account.name));
    }
    let key = if faults.on(Switch::ItemWrongKey) {
        "account"
    } else {
        "item"
    };
    success(json!({ "success": true, key: item }), faults)
}

async fn not_found(State(user): State<Arc<User>>) -> Response {
    if user.faults.on(Switch::UnknownUrl500) {
        return error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Internal Error",
            user.faults,
        );
    }
    error(StatusCode::NOT_FOUND, "Not found", user.faults)
}

/// Why a request is refused: the status and the error message.
type Denied = (StatusCode, &'static str);

/// Checks both tokens in the documented order.
fn authorise(headers: &HeaderMap, user: &User) -> Result<(), Denied> {
    let faults = user.faults;
    let app_id = headers.get(APP_ID_HEADER).and_then(|v| v.to_str().ok());
    if app_id.is_none() && !faults.on(Switch::NoAppIdAccepted) {
        return Err((StatusCode::UNAUTHORIZED, "Missing X-Akahu-ID header"));
    }
    check_user_token(headers, &user.token, faults)?;
    match app_id {
        Some(id) if id != APP_ID && !faults.on(Switch::WrongAppIdAccepted) => Err((
            StatusCode::FORBIDDEN,
            "This user token was not issued to the app named by X-Akahu-ID",
        )),
        _ => Ok(()),
    }
}

/// Checks `Authorization: Bearer <token>` (scheme case-insensitive, RFC 9110 section 11.1).
fn check_user_token(headers: &HeaderMap, token: &str, faults: Faults) -> Result<(), Denied> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        if faults.on(Switch::NoUserTokenAccepted) {
            return Ok(());
        }
        return Err((StatusCode::UNAUTHORIZED, "Unauthorized"));
    };
    let value = value.to_str().unwrap_or("");
    let presented = value
        .split_once(' ')
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, t)| t);
    match presented {
        Some(t) if t == token => Ok(()),
        Some(_) if faults.on(Switch::InvalidUserTokenAccepted) => Ok(()),
        Some(_) if faults.on(Switch::InvalidToken400) => {
            Err((StatusCode::BAD_REQUEST, "Bad request"))
        }
        None if value == token && faults.on(Switch::MalformedTokenAccepted) => Ok(()),
        _ => Err((StatusCode::UNAUTHORIZED, "Unauthorized")),
    }
}

/// An account as JSON, with the faults that change accounts applied.
fn render(account: &Account, faults: Faults) -> Value {
    let mut v = serde_json::to_value(account).expect("an account serialises");
    if faults.on(Switch::BadStatusEnum) {
        v["status"] = json!("OPEN");
    }
    if faults.on(Switch::BadTypeEnum) && account.kind == "CHECKING" {
        v["type"] = json!("CURRENT");
    }
    if faults.on(Switch::BalanceAsString)
        && let Some(b) = &account.balance
    {
        v["balance"]["current"] = json!(format!("{:.2}", b.current));
    }
    if faults.on(Switch::MissingId) {
        v.as_object_mut().map(|o| o.remove("_id"));
    }
    if faults.on(Switch::RefreshedNotUtc)
        && let Some(t) = account.refreshed.balance.strip_suffix('Z')
    {
        v["refreshed"]["balance"] = json!(format!("{t}+13:00"));
    }
    v
}

/// A 200 with a JSON body under the response faults.
fn success(mut body: Value, faults: Faults) -> Response {
    if faults.on(Switch::WrongSuccessFlag) {
        body["success"] = json!(false);
    }
    let content_type = if faults.on(Switch::WrongContentType) {
        "text/plain"
    } else {
        "application/json"
    };
    respond(StatusCode::OK, content_type, body)
}

/// An error response: `{success: false, message}` under the error faults.
fn error(status: StatusCode, message: &str, faults: Faults) -> Response {
    let success = status == StatusCode::NOT_FOUND && faults.on(Switch::NotFoundSuccessTrue);
    let mut body = json!({ "success": success, "message": message });
    if faults.on(Switch::ErrorWithoutMessage) {
        body.as_object_mut().map(|b| b.remove("message"));
    }
    respond(status, "application/json", body)
}

fn respond(status: StatusCode, content_type: &'static str, body: Value) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, HeaderValue::from_static(content_type))],
        body.to_string(),
    )
        .into_response()
}
