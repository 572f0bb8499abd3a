//! Error responses of the CDR mock: a ResponseErrorListV2 body with a standard code URN.
//!
//! The main type is [`CdsError`]; [`Code`] holds the URN, title and status of each error the
//! mock raises (CDS "Error Codes" table).

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::fault::{Faults, Switch};

/// The code every error carries under the `bad-error-code` fault: not in the standard's table.
const NON_STANDARD_CODE: &str = "urn:au-cds:error:cds-all:Request/Invalid";

/// A standard CDR error code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Code {
    /// 4xx catch-all, used for 401 because the standard defines no 401 code.
    Expected,
    FieldInvalid,
    FieldInvalidPageSize,
    FieldInvalidPage,
    HeaderMissing,
    HeaderInvalidVersion,
    HeaderUnsupportedVersion,
    ResourceNotFound,
}

impl Code {
    pub(crate) fn urn(self) -> &'static str {
        match self {
            Code::Expected => "urn:au-cds:error:cds-all:GeneralError/Expected",
            Code::FieldInvalid => "urn:au-cds:error:cds-all:Field/Invalid",
            Code::FieldInvalidPageSize => "urn:au-cds:error:cds-all:Field/InvalidPageSize",
            Code::FieldInvalidPage => "urn:au-cds:error:cds-all:Field/InvalidPage",
            Code::HeaderMissing => "urn:au-cds:error:cds-all:Header/Missing",
            Code::HeaderInvalidVersion => "urn:au-cds:error:cds-all:Header/InvalidVersion",
            Code::HeaderUnsupportedVersion => "urn:au-cds:error:cds-all:Header/UnsupportedVersion",
            Code::ResourceNotFound => "urn:au-cds:error:cds-all:Resource/NotFound",
        }
    }

    pub(crate) fn title(self) -> &'static str {
        match self {
            Code::Expected => "Expected Error Encountered",
            Code::FieldInvalid => "Invalid Field",
            Code::FieldInvalidPageSize => "Invalid Page Size",
            Code::FieldInvalidPage => "Invalid Page",
            Code::HeaderMissing => "Missing Required Header",
            Code::HeaderInvalidVersion => "Invalid Version",
            Code::HeaderUnsupportedVersion => "Unsupported Version",
            Code::ResourceNotFound => "Resource Not Found",
        }
    }

    /// The detail under `detail-without-field`: the field's rule without its name, or a
    /// sentence naming no header; other codes keep theirs.
    fn detail_without_field(self, detail: &str) -> String {
        match self {
            Code::FieldInvalid => detail
                .split_once(": ")
                .map_or(detail, |(_, rule)| rule)
                .to_owned(),
            Code::HeaderMissing => "A required header is missing".to_owned(),
            _ => detail.to_owned(),
        }
    }

    fn status(self) -> StatusCode {
        match self {
            Code::Expected => StatusCode::UNAUTHORIZED,
            Code::FieldInvalid
            | Code::FieldInvalidPageSize
            | Code::HeaderMissing
            | Code::HeaderInvalidVersion => StatusCode::BAD_REQUEST,
            Code::FieldInvalidPage => StatusCode::UNPROCESSABLE_ENTITY,
            Code::HeaderUnsupportedVersion => StatusCode::NOT_ACCEPTABLE,
            Code::ResourceNotFound => StatusCode::NOT_FOUND,
        }
    }
}

/// One failed request: the code, the occurrence-specific detail and, for 401, the challenge.
#[derive(Debug, Clone)]
pub(crate) struct CdsError {
    pub(crate) code: Code,
    pub(crate) status: StatusCode,
    pub(crate) detail: String,
    /// The `WWW-Authenticate` value (RFC 6750 section 3) sent with 401.
    pub(crate) challenge: Option<&'static str>,
    /// A `data` member beside `errors`, which only a fault sends.
    pub(crate) data: Option<serde_json::Value>,
}

impl CdsError {
    pub(crate) fn new(code: Code, detail: impl Into<String>) -> Self {
        CdsError {
            code,
            status: code.status(),
            detail: detail.into(),
            challenge: None,
            data: None,
        }
    }

    /// A 401 for a request without usable credentials.
    pub(crate) fn unauthorised(detail: &str, challenge: &'static str) -> Self {
        CdsError {
            challenge: Some(challenge),
            ..CdsError::new(Code::Expected, detail)
        }
    }

    /// The response for this error under `faults`.
    pub(crate) fn into_response(self, faults: Faults) -> Response {
        let code = if faults.on(Switch::BadErrorCode) {
            NON_STANDARD_CODE
        } else {
            self.code.urn()
        };
        let title = if faults.on(Switch::ErrorTitleVaries) {
            format!("{}: {}", self.code.title(), self.detail)
        } else {
            self.code.title().to_owned()
        };
        let detail = if faults.on(Switch::DetailWithoutField) {
            self.code.detail_without_field(&self.detail)
        } else {
            self.detail.clone()
        };
        let mut error = json!({ "code": code, "title": title, "detail": detail });
        if faults.on(Switch::ErrorMissingDetail) {
            error.as_object_mut().map(|e| e.remove("detail"));
        }
        let mut body = json!({ "errors": [error] });
        if let Some(data) = self.data {
            body["data"] = data;
        }
        let body = body.to_string();
        let status = if self.code == Code::HeaderUnsupportedVersion
            && faults.on(Switch::UnsupportedVersionAsBadRequest)
        {
            StatusCode::BAD_REQUEST
        } else {
            self.status
        };
        let mut response = (
            status,
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            )],
            body,
        )
            .into_response();
        if let Some(challenge) = self.challenge {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static(challenge),
            );
        }
        response
    }
}
