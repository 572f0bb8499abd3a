//! Error responses of the PIR mock: an `errors` array of `{code, type, message}` objects, the
//! shape of Inland Revenue's sample messages.
//!
//! The main type is [`GatewayError`]; [`Code`] holds each code's status, type and message from
//! the build pack's error tables (section 3).

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::fault::{Faults, Switch};

/// The media type of every JSON body the gateway sends.
pub(crate) const JSON: &str = "application/json; charset=utf-8";

/// An error code of the build pack.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Code {
    /// No incoming POST content found.
    Ev1000,
    /// Invalid input parameters; the message names the field.
    Ev1100,
    /// The filing period does not exist on the investor's income tax account.
    Per100,
    /// Authentication error.
    Ev1024,
    /// Missing OAuth or JWT token in the HTTP header.
    Ev1025,
    /// The JWT's issued or expiry date is invalid.
    Ev1026,
    /// The certificate or credential (the JWT's `sub`) could not be found.
    Ev1027,
    /// The JWT's signature does not verify.
    Ev1028,
    /// The start logon of the OAuth token has no access to the member/investor.
    Ev1041,
    /// Unable to validate API consumer to JWT provided.
    Ev1042,
    /// Unable to validate JWT to member/investor IRD number provided.
    Ev1043,
    /// The IRD was queried too many times within the past 24 hours.
    Ir003,
    /// PieIRD is required but was not provided.
    Pir101,
}

impl Code {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Code::Ev1000 => "EV1000",
            Code::Ev1100 => "EV1100",
            Code::Per100 => "PER100",
            Code::Ev1024 => "EV1024",
            Code::Ev1025 => "EV1025",
            Code::Ev1026 => "EV1026",
            Code::Ev1027 => "EV1027",
            Code::Ev1028 => "EV1028",
            Code::Ev1041 => "EV1041",
            Code::Ev1042 => "EV1042",
            Code::Ev1043 => "EV1043",
            Code::Ir003 => "IR003",
            Code::Pir101 => "PIR101",
        }
    }

    /// The HTTP status the build pack gives the code's table.
    fn status(self) -> StatusCode {
        match self {
            Code::Ev1000 | Code::Ev1100 | Code::Per100 => StatusCode::BAD_REQUEST,
            Code::Ev1024
            | Code::Ev1025
            | Code::Ev1026
            | Code::Ev1027
            | Code::Ev1028
            | Code::Ev1041
            | Code::Ev1042
            | Code::Ev1043
            | Code::Ir003 => StatusCode::UNAUTHORIZED,
            Code::Pir101 => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The `type` of the error object, as in Inland Revenue's sample messages.
    fn kind(self) -> &'static str {
        match self {
            Code::Ev1024
            | Code::Ev1025
            | Code::Ev1026
            | Code::Ev1027
            | Code::Ev1028
            | Code::Ev1041
            | Code::Ev1042
            | Code::Ev1043 => "security",
            Code::Ir003 => "result",
            Code::Ev1000 | Code::Ev1100 | Code::Per100 | Code::Pir101 => "validation",
        }
    }

    fn message(self) -> &'static str {
        match self {
            Code::Ev1000 => "No incoming POST content found",
            Code::Ev1100 => "Invalid input parameters. Please check documentation.",
            Code::Per100 => "FilingPeriod provided is not a valid period on customer.",
            Code::Ev1024 => "Authentication error",
            Code::Ev1025 => "Missing OAuth or JWT token in the HTTP header",
            Code::Ev1026 => "Authentication error - Issued date or expiry date is invalid",
            Code::Ev1027 => "Certificate or credential could not be found",
            Code::Ev1028 => "Authentication error - JWT signature validation failed",
            Code::Ev1041 => {
                "Start logon associated to OAuth token does not have access to member/investor customer"
            }
            Code::Ev1042 => "Unable to validate API consumer to JWT provided",
            Code::Ev1043 => "Unable to validate JWT to member/investor IRD number provided",
            Code::Ir003 => {
                "The IRD supplied has been queried too many times within the past 24 hours."
            }
            Code::Pir101 => "PieIRD must be provided.",
        }
    }
}

/// One failed request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct GatewayError {
    pub(crate) code: Code,
    /// The request field at fault, appended to EV1100's message as `Field: <name>`.
    pub(crate) field: Option<&'static str>,
}

impl GatewayError {
    pub(crate) fn new(code: Code) -> Self {
        GatewayError { code, field: None }
    }

    /// EV1100 for `field`.
    pub(crate) fn invalid(field: &'static str) -> Self {
        GatewayError {
            code: Code::Ev1100,
            field: Some(field),
        }
    }

    /// The response for this error under `faults`.
    pub(crate) fn into_response(self, faults: Faults) -> Response {
        let mut status = self.code.status();
        if self.code == Code::Ev1100 && faults.on(Switch::EvCodeWrongStatus) {
            status = StatusCode::UNPROCESSABLE_ENTITY;
        }
        if self.code == Code::Pir101 && faults.on(Switch::Pir101WrongStatus) {
            status = StatusCode::UNAUTHORIZED;
        }
        let message = match self.field {
            Some(field) => format!("{} Field: {field}", self.code.message()),
            None => self.code.message().to_string(),
        };
        let mut error =
            json!({ "code": self.code.as_str(), "type": self.code.kind(), "message": message });
        if faults.on(Switch::ErrorTypeMissing) {
            error.as_object_mut().map(|e| e.remove("type"));
        }
        json_response(status, json!({ "errors": [error] }).to_string())
    }
}

/// A response with a JSON body.
pub(crate) fn json_response(status: StatusCode, body: String) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, HeaderValue::from_static(JSON))],
        body,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_follow_the_build_pack_tables() {
        for (code, status) in [
            (Code::Ev1000, 400),
            (Code::Ev1100, 400),
            (Code::Per100, 400),
            (Code::Ev1024, 401),
            (Code::Ev1025, 401),
            (Code::Ev1026, 401),
            (Code::Ev1027, 401),
            (Code::Ev1028, 401),
            (Code::Ev1041, 401),
            (Code::Ev1042, 401),
            (Code::Ev1043, 401),
            (Code::Ir003, 401),
            (Code::Pir101, 500),
        ] {
            assert_eq!(code.status().as_u16(), status, "{}", code.as_str());
        }
    }

    #[test]
    fn ev1100_names_the_field() {
        let r = GatewayError::invalid("IRD").into_response(Faults::default());
        assert_eq!(r.status(), StatusCode::BAD_REQUEST);
        assert_eq!(r.headers()[header::CONTENT_TYPE], JSON);
    }
}
