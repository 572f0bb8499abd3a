//! Error responses of the Account API mock: `{"errors": [{"code", "type", "message"}]}` with the
//! codes and statuses of Inland Revenue's Swagger file (Account 2021-09-14).
//!
//! The main type is [`Code`]; [`Reply`] is what every operation answers.

use axum::http::StatusCode;
use serde_json::{Value, json};

use super::fault::{Faults, Switch};

/// A published error code of the Account API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Code {
    /// The account type may not be used with the service.
    Act100,
    /// No record for the identifier.
    Cst404,
    /// The token is not valid.
    Ev1020,
    /// No token in the request.
    Ev1021,
    /// The caller may not see the identified customer or account.
    Ev1022,
    /// The request does not match the Swagger file.
    Ev1100,
    /// The IRD number fails its check digit.
    Ev2234,
}

impl Code {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Code::Act100 => "ACT100",
            Code::Cst404 => "CST404",
            Code::Ev1020 => "EV1020",
            Code::Ev1021 => "EV1021",
            Code::Ev1022 => "EV1022",
            Code::Ev1100 => "EV1100",
            Code::Ev2234 => "EV2234",
        }
    }

    /// The status the Swagger file gives: 403 for EV1022, 400 for every other code.
    fn status(self) -> StatusCode {
        match self {
            Code::Ev1022 => StatusCode::FORBIDDEN,
            _ => StatusCode::BAD_REQUEST,
        }
    }

    /// `security` for token and access errors, `validation` for the rest.
    fn kind(self) -> &'static str {
        match self {
            Code::Ev1020 | Code::Ev1021 | Code::Ev1022 => "security",
            _ => "validation",
        }
    }

    fn message(self) -> &'static str {
        match self {
            Code::Act100 => "This account type is not eligible to be used in this service.",
            Code::Cst404 => "A record could not be located for the given identifier.",
            Code::Ev1020 => {
                "Authentication failure means the token (JWT or OAuth) provided is not valid"
            }
            Code::Ev1021 => "No OAuth or JWT token is present as an HTTP header",
            Code::Ev1022 => {
                "Access is not permitted for the requester to perform this operation for the submitted identifier"
            }
            Code::Ev1100 => "Invalid input parameters. Please check documentation",
            Code::Ev2234 => "IR number failed check digit",
        }
    }
}

/// The status and JSON body of an answer.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Reply {
    pub(crate) status: StatusCode,
    pub(crate) body: Value,
}

impl Reply {
    pub(crate) fn ok(body: Value) -> Self {
        Reply {
            status: StatusCode::OK,
            body,
        }
    }

    /// The error `code`; `field` names the offending request field (EV1100), as the published
    /// samples do after the message.
    pub(crate) fn error(code: Code, field: Option<&str>, faults: Faults) -> Self {
        let denied = code == Code::Ev1022;
        let shown = if denied && faults.on(Switch::WrongAccessCode) {
            Code::Ev1020.as_str()
        } else {
            code.as_str()
        };
        let status = if denied && faults.on(Switch::AccessDeniedUnauthorised) {
            StatusCode::UNAUTHORIZED
        } else {
            code.status()
        };
        let message = match field {
            Some(f) => format!("{}: {f}", code.message()),
            None => code.message().to_string(),
        };
        let mut error = json!({ "code": shown, "type": code.kind(), "message": message });
        if faults.on(Switch::ErrorMissingType) {
            error.as_object_mut().map(|e| e.remove("type"));
        }
        Reply {
            status,
            body: json!({ "errors": [error] }),
        }
    }

    /// The first error code, for tests.
    #[cfg(test)]
    pub(crate) fn code(&self) -> &str {
        self.body["errors"][0]["code"].as_str().unwrap_or("")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_and_types_follow_the_swagger_file() {
        let f = Faults::default();
        let denied = Reply::error(Code::Ev1022, None, f);
        assert_eq!(denied.status, StatusCode::FORBIDDEN);
        assert_eq!(denied.body["errors"][0]["type"], "security");
        let invalid = Reply::error(Code::Ev1100, Some("CustomerIDType"), f);
        assert_eq!(invalid.status, StatusCode::BAD_REQUEST);
        assert_eq!(invalid.body["errors"][0]["type"], "validation");
        assert_eq!(
            invalid.body["errors"][0]["message"],
            "Invalid input parameters. Please check documentation: CustomerIDType"
        );
        for code in [
            Code::Act100,
            Code::Cst404,
            Code::Ev1020,
            Code::Ev1021,
            Code::Ev2234,
        ] {
            assert_eq!(Reply::error(code, None, f).status, StatusCode::BAD_REQUEST);
        }
    }
}
