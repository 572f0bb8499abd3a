//! The Inland Revenue PIR calculator reference service: the Gateway Services "Prescribed
//! Investor Rate (PIR) Service" of New Zealand, as its build pack (14/06/2024) and Swagger file
//! describe it.
//!
//! The main item is [`API`]; its `app` builds the axum router from [`MockOptions`].
//!
//! # Routes
//!
//! | Method | Path | Answer |
//! | --- | --- | --- |
//! | POST | `/gateway/calculators/pir` | the suggested PIR, or an error |
//! | other methods | `/gateway/calculators/pir` | 405 with `Allow: POST` |
//! | GET | `/gateway/calculators/status` | 200 `OK` (text/plain) |
//! | any | any other path | 404 |
//!
//! JSON bodies are `application/json; charset=utf-8`. Errors are `{"errors": [{code, type,
//! message}]}` with the build pack's status per code: EV1000, EV1100 and PER100 400; EV10xx and
//! IR003 401; PIR101 500.
//!
//! # Callers
//!
//! The mock knows three credentials, all derived from the configured token:
//!
//! - `Authorization: Bearer <token>` (OAuth): a myIR user of a tax preparer whose client list
//!   holds the investors marked `on_client_list`. PieIRD is optional and, when sent, must pass
//!   the modulus-11 check.
//! - `Authorization: <jwt>` with no prefix: a JWT signed (HS256) with the token as the key of
//!   the Gateway credential (the suites' `jwt` and `jwt_start_logon`, see
//!   `request::credentials`). Its `iat` and `exp` must bracket now (else EV1026). A non-null
//!   `startLogon` alone decides who calls (build pack 2.4.2): the tax preparer's myIR user is
//!   served like the OAuth caller, any other logon gets EV1042. Only a null `startLogon` lets
//!   the `sub` claim decide: the credential's thumbprint is the provider of the KiwiSaver
//!   scheme `094123453` (else EV1027). With no myIR logon the caller counts as a PIE entity or
//!   KiwiSaver scheme, so PieIRD is required and must be that scheme; the investor must be a
//!   member. A token that is not a JWT gets EV1024, a bad signature EV1028.
//!
//! # Order of validation
//!
//! The first failing step answers; later steps are not run.
//!
//! 1. `Authorization` missing: 401 EV1025; not one of the credentials: 401 as above.
//! 2. Body empty: 400 EV1000; not a JSON object: 400 EV1100.
//! 3. Fields, each EV1100 with "Field: `<name>`" in the message: IRD (mandatory string of 8 or 9
//!    digits, an eight-digit number padded, passing `irdnum::check`), PieIRD (the
//!    same rules, optional), FilingPeriod (a `yyyy-MM-dd` date that is 31 March), FormattedName
//!    (at most 255), Name (FirstName 1-50, MiddleName up to 50, LastName 1-50), Dob (a date),
//!    FormattedAddress (at most 255), Address (Street 1-60, City 1-50, PostCode up to 10,
//!    State up to 30, Country an ISO 3166 alpha-2 code). `null` counts as absent and unknown
//!    members are ignored.
//! 4. The JWT caller without PieIRD: 500 PIR101.
//! 5. Access: the OAuth caller and an investor not on the client list (or unknown): 401
//!    EV1041. The JWT caller with another PieIRD: 401 EV1042; an investor who is not a member
//!    of the scheme (or unknown): 401 EV1043. Soft-match fields are validated but not matched.
//! 6. More than `limit::DAILY_QUERY_LIMIT` queries for the IRD number within 24 hours: 401
//!    IR003.
//! 7. A FilingPeriod that is not on the investor's account: 400 PER100. Without one, the
//!    current tax year (ending on the next 31 March) is used.
//!
//! The 200 body has `IRD` (nine digits), `PieIRD` only when the request sent it (nine digits),
//! and either `SuggestedPirRate` or `PirRateNotFound: true`. PIR150 is never raised.
//!
//! # Data
//!
//! Inland Revenue's published test personas are present under every seed, so suites can name
//! them: 139276507 (28%), 139276272 (17.5%), 139276310 (10.5%), 139276329 (seen by neither
//! caller: EV1041 with OAuth, EV1043 with a JWT, as in Inland Revenue's mock scenario
//! PIR-EM-005), and the eight-digit 87654321 (no rate). Their accounts hold every tax year from
//! 2019 to the current one. Seed 0 has nothing else; other seeds add 20 to 60 generated
//! investors (see `data`).
//!
//! # Faults
//!
//! [`FAULTS`] lists the switches; each breaks one rule and leaves the rest conformant.

mod data;
mod error;
mod fault;
mod limit;
mod request;
#[cfg(test)]
mod tests;

use std::sync::Arc;
use std::time::Instant;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Map, Value, json};

pub use fault::FAULTS;

use super::{MockApi, MockOptions};
use crate::irdnum;
use data::{Data, SCHEME_IRD};
use error::{Code, GatewayError};
use fault::{Faults, Switch};
use limit::QueryLimit;
use request::Caller;

/// The PIR mock.
pub const API: MockApi = MockApi {
    name: "ird-pir",
    title: "Inland Revenue PIR calculator",
    base_path: BASE_PATH,
    faults: FAULTS,
    app,
    credentials: request::credentials,
};

const BASE_PATH: &str = "/gateway/calculators";

/// What every handler shares.
#[derive(Debug)]
struct Service {
    token: String,
    data: Data,
    /// The tax year used when a request names none.
    current_year: i32,
    limit: QueryLimit,
    faults: Faults,
}

/// Builds the router; fails if a fault name is unknown.
fn app(opts: &MockOptions) -> Result<Router, String> {
    router(opts, limit::DAILY_QUERY_LIMIT)
}

fn router(opts: &MockOptions, daily_limit: usize) -> Result<Router, String> {
    let current_year = data::current_tax_year();
    let service = Arc::new(Service {
        token: opts.token.clone(),
        data: data::generate(opts.data_seed, current_year),
        current_year,
        limit: QueryLimit::new(daily_limit),
        faults: Faults::parse(&opts.faults)?,
    });
    let no_status = service.faults.on(Switch::NoStatusService);
    Ok(Router::new()
        .route(
            &format!("{BASE_PATH}/pir"),
            post(pir).fallback(method_not_allowed),
        )
        .route(
            &format!("{BASE_PATH}/status"),
            if no_status {
                axum::routing::any(not_found)
            } else {
                get(status)
            },
        )
        .fallback(not_found)
        .with_state(service))
}

async fn pir(State(service): State<Arc<Service>>, headers: HeaderMap, body: Bytes) -> Response {
    answer(&service, &headers, &body).unwrap_or_else(|e| e.into_response(service.faults))
}

fn answer(service: &Service, headers: &HeaderMap, body: &[u8]) -> Result<Response, GatewayError> {
    let faults = service.faults;
    let caller = request::authenticate(headers, &service.token, faults)?;
    let req = request::parse(body, faults)?;
    let customer = service.data.customers.get(&req.ird);
    match caller {
        Caller::Scheme if req.pie_ird.is_none() && !faults.on(Switch::Pir101NotRaised) => {
            return Err(GatewayError::new(Code::Pir101));
        }
        Caller::Scheme if req.pie_ird.is_some_and(|p| p != SCHEME_IRD) => {
            return Err(GatewayError::new(Code::Ev1042));
        }
        Caller::Scheme
            if !customer.is_some_and(|c| c.member) && !faults.on(Switch::MembershipNotChecked) =>
        {
            return Err(GatewayError::new(Code::Ev1043));
        }
        Caller::TaxPreparer
            if !customer.is_some_and(|c| c.on_client_list)
                && !faults.on(Switch::ClientListNotChecked) =>
        {
            return Err(GatewayError::new(Code::Ev1041));
        }
        _ => {}
    }
    if !service.limit.admit(req.ird, Instant::now()) {
        return Err(GatewayError::new(Code::Ir003));
    }
    let year = req.filing_year.unwrap_or(service.current_year);
    let rate = match customer.map(|c| c.periods.get(&year)) {
        Some(Some(rate)) => *rate,
        Some(None) if !faults.on(Switch::Per100NotRaised) => {
            return Err(GatewayError::new(Code::Per100));
        }
        _ => None,
    };
    let mut out = Map::new();
    let ird = if faults.on(Switch::ResponseIrdCheckDigitWrong) {
        req.ird - req.ird % 10 + (req.ird % 10 + 1) % 10
    } else {
        req.ird
    };
    out.insert("IRD".into(), json!(irdnum::to_nine_digits(ird)));
    let pie_ird = match req.pie_ird {
        Some(p) if !faults.on(Switch::PieIrdNotEchoed) => Some(p),
        None if faults.on(Switch::PieIrdEchoedWhenAbsent) => Some(SCHEME_IRD),
        _ => None,
    };
    if let Some(p) = pie_ird {
        out.insert("PieIRD".into(), json!(irdnum::to_nine_digits(p)));
    }
    match rate {
        Some(rate) => {
            let value = if faults.on(Switch::RateAsString) {
                json!(rate.percent().to_string())
            } else {
                json!(rate.percent())
            };
            out.insert("SuggestedPirRate".into(), value);
            if faults.on(Switch::RateAndNotFound) {
                out.insert("PirRateNotFound".into(), json!(false));
            }
        }
        None => {
            out.insert("PirRateNotFound".into(), json!(true));
        }
    }
    let mut response = error::json_response(StatusCode::OK, Value::Object(out).to_string());
    if faults.on(Switch::WrongContentType) {
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; charset=utf-8"),
        );
    }
    Ok(response)
}

async fn status() -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; charset=utf-8"),
        )],
        "OK",
    )
        .into_response()
}

async fn not_found() -> Response {
    (StatusCode::NOT_FOUND, "Not found").into_response()
}

async fn method_not_allowed() -> Response {
    (
        StatusCode::METHOD_NOT_ALLOWED,
        [(header::ALLOW, HeaderValue::from_static("POST"))],
    )
        .into_response()
}
