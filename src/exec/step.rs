//! Sending one step: the request goes out through the target's transport, comes back as a
//! delivery, is recorded with secrets redacted ([`record`]) and judged by every check the case
//! does not waive ([`send_and_judge`]).

use std::collections::HashMap;
use std::path::PathBuf;

use serde_json::Value;

use super::transport::Transport;
use super::{Target, curl, http, judge, request, transport};
use crate::check;
use crate::exchange::{Exchange, RecordedRequest, RecordedResponse};
use crate::finding::HarnessError;
use crate::plan::PlannedSuite;
use crate::redact::Redactor;
use crate::template::Vars;

/// What every step of a case shares.
pub(crate) struct Env<'a> {
    pub(crate) ps: &'a PlannedSuite,
    pub(crate) ci: usize,
    pub(crate) target: &'a Target,
    /// The target's transport: its client, limits, budget and retries.
    pub(crate) transport: &'a Transport,
    pub(crate) redactor: &'a Redactor,
    pub(crate) snapshots: &'a HashMap<PathBuf, String>,
    /// Checks the case switched off.
    pub(crate) waived: &'a [String],
}

/// One request sent, recorded and judged.
pub(crate) struct Sent {
    /// `None` when nothing was sent (the request budget refused it).
    pub(crate) exchange: Option<Exchange>,
    /// The response body as JSON, before redaction (for captures and walks).
    pub(crate) raw_json: Option<Value>,
    /// The checks' findings (redacted) and snapshots; empty when sending failed.
    pub(crate) output: check::Output,
    /// Why there is no complete response, when there is none.
    pub(crate) error: Option<HarnessError>,
}

/// Sends a built request, records the exchange with secrets redacted, and runs every check
/// the case does not waive on it.
pub(crate) async fn send_and_judge(
    env: &Env<'_>,
    si: usize,
    step: &crate::suite::Step,
    mut built: request::Built<'_>,
    vars: &Vars,
) -> Sent {
    let expected = step.expect.statuses();
    let case = &env.ps.suite.file.cases[env.ci];
    let delivery = env
        .transport
        .sender()
        .deliver(built.take_request(), &expected, !case.destructive)
        .await;
    let recorded = record(si, &built, delivery, env.redactor);
    let (Some(exchange), None) = (recorded.exchange, &recorded.error) else {
        return Sent {
            exchange: None,
            raw_json: recorded.raw_json,
            output: check::Output::default(),
            error: recorded.error,
        };
    };
    let mut judged = judge::Judged {
        suite: env.ps,
        case: env.ci,
        step: si,
        operation: built.operation,
        exchange,
        json: recorded.raw_json,
    };
    let output = judge::checks(&mut judged, vars, env.snapshots, env.redactor);
    Sent {
        exchange: Some(judged.exchange),
        raw_json: judged.json,
        output,
        error: None,
    }
}

/// A request as it went out and what came back, redacted for the record.
pub(crate) struct Recorded {
    /// `None` when nothing was sent (the request budget refused it).
    pub(crate) exchange: Option<Exchange>,
    /// The response body as JSON, before redaction.
    pub(crate) raw_json: Option<Value>,
    /// Why there is no complete response, when there is none.
    pub(crate) error: Option<HarnessError>,
}

/// Records a delivery: the redacted request with its curl line, the redacted response, the
/// attempts it took, and the harness error when the response did not come whole.
pub(crate) fn record(
    si: usize,
    built: &request::Built<'_>,
    delivery: transport::Delivery,
    redactor: &Redactor,
) -> Recorded {
    let request = RecordedRequest {
        method: built.method.clone(),
        url: redactor.text(&built.url),
        headers: built
            .headers
            .iter()
            .map(|(n, v)| (n.clone(), redactor.header(n, v)))
            .collect(),
        body: built.body.as_deref().map(|b| redactor.text(b)),
    };
    let curl = curl::curl_line(&request);
    let error = |kind, message: &str, curl: String| HarnessError {
        kind,
        step: si,
        message: redactor.text(message),
        curl: Some(curl),
    };
    if delivery.attempts == 0
        && let http::Sent::Failed { kind, message, .. } = delivery.sent
    {
        return Recorded {
            exchange: None,
            raw_json: None,
            error: Some(error(kind, &message, curl)),
        };
    }
    let (mut response, elapsed, failure) = match delivery.sent {
        http::Sent::Response(r, d) => (Some(r), d, None),
        http::Sent::Failed {
            kind,
            message,
            partial,
            elapsed,
        } => (partial, elapsed, Some((kind, message))),
    };
    let raw_json = response.as_mut().and_then(|r| r.json.take());
    let exchange = Exchange {
        step: si,
        page: None,
        pages_to: None,
        link: None,
        operation: built.operation.map(|o| o.name()),
        request,
        response: response.map(|r| redact_response(r, redactor)),
        duration_ms: elapsed.as_millis() as u64,
        curl: curl.clone(),
        attempts: delivery.attempts,
        retried: delivery.retried,
    };
    Recorded {
        exchange: Some(exchange),
        raw_json,
        error: failure.map(|(kind, message)| error(kind, &message, curl)),
    }
}

fn redact_response(mut r: RecordedResponse, redactor: &Redactor) -> RecordedResponse {
    r.headers = r
        .headers
        .into_iter()
        .map(|(n, v)| {
            let v = redactor.header_owned(&n, v);
            (n, v)
        })
        .collect();
    r.body = redactor.owned(std::mem::take(&mut r.body));
    r.json = None;
    r
}
