//! Error responses of the aggregator mock, in the shape of Ivy's Errors page.
//!
//! The main type is [`ApiError`]; [`Code`] holds the code and HTTP status of each error the
//! mock raises. The body carries `message` and `code` plus the deprecated `devMessage`,
//! `statusCode` and `data`, `category`, `param` (when one parameter is at fault) and `docUrl`.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

use super::fault::{Faults, Switch};

const DOC_URL: &str = "https://docs.getivy.de/reference/errors";

/// An error code of the Errors page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Code {
    Validation,
    Unauthenticated,
    NotFound,
}

impl Code {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Code::Validation => "VALIDATION",
            Code::Unauthenticated => "UNAUTHENTICATED",
            Code::NotFound => "NOT_FOUND",
        }
    }

    fn status(self) -> StatusCode {
        match self {
            Code::Validation => StatusCode::BAD_REQUEST,
            Code::Unauthenticated => StatusCode::UNAUTHORIZED,
            Code::NotFound => StatusCode::NOT_FOUND,
        }
    }
}

/// One failed request: its code, a message and the parameter at fault, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ApiError {
    pub(crate) code: Code,
    pub(crate) message: String,
    pub(crate) param: Option<&'static str>,
}

impl ApiError {
    pub(crate) fn new(code: Code, message: impl Into<String>) -> Self {
        ApiError {
            code,
            message: message.into(),
            param: None,
        }
    }

    /// A 400 about one body field.
    pub(crate) fn invalid(param: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            param: Some(param),
            ..ApiError::new(Code::Validation, message)
        }
    }

    /// The response for this error under `faults`.
    pub(crate) fn into_response(self, faults: Faults) -> Response {
        let status = self.code.status();
        let body = if faults.on(Switch::WrongErrorBody) {
            json!({ "error": self.message })
        } else {
            let mut body = Map::new();
            body.insert("message".into(), json!(self.message));
            body.insert("devMessage".into(), json!(self.message));
            body.insert("statusCode".into(), json!(status.as_u16()));
            body.insert("code".into(), json!(self.code.as_str()));
            body.insert("category".into(), json!("invalid_request_error"));
            if let Some(p) = self.param {
                body.insert("param".into(), json!(p));
            }
            body.insert("data".into(), json!({}));
            body.insert("docUrl".into(), json!(DOC_URL));
            Value::Object(body)
        };
        (
            status,
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            )],
            body.to_string(),
        )
            .into_response()
    }
}
