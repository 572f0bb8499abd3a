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
use crate::redact::{Masking, Redactor};
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
    let recorded = record_taken(si, &mut built, delivery, env.redactor);
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
        json_is_body: recorded.json_is_body,
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
    /// Whether `raw_json` is also the recorded body parsed: redaction left the body as it
    /// came ([`judge::Judged::json_is_body`]).
    pub(crate) json_is_body: bool,
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
    let mut copy = request::Built {
        method: built.method.clone(),
        url: built.url.clone(),
        headers: built.headers.clone(),
        body: built.body.clone(),
        operation: built.operation,
        request: None,
    };
    record_taken(si, &mut copy, delivery, redactor)
}

/// [`record`] of a request that is not read again: its method, URL, headers and body move
/// into the record (redacted where they hold a secret) instead of being copied.
pub(crate) fn record_taken(
    si: usize,
    built: &mut request::Built<'_>,
    delivery: transport::Delivery,
    redactor: &Redactor,
) -> Recorded {
    let masking = redactor.masking();
    let headers = std::mem::take(&mut built.headers);
    let request = RecordedRequest {
        method: std::mem::take(&mut built.method),
        url: masking.owned(std::mem::take(&mut built.url)),
        headers: headers
            .into_iter()
            .map(|(n, v)| {
                let v = masking.header_owned(&n, v);
                (n, v)
            })
            .collect(),
        body: built.body.take().map(|b| masking.owned(b)),
    };
    let operation = built.operation;
    let curl = curl::curl_line(&request);
    let error = |kind, message: &str, curl: String| HarnessError {
        kind,
        step: si,
        message: masking.text(message),
        curl: Some(curl),
    };
    if delivery.attempts == 0
        && let http::Sent::Failed { kind, message, .. } = delivery.sent
    {
        return Recorded {
            exchange: None,
            raw_json: None,
            json_is_body: false,
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
    // Only a small error body is worth the look: the run's summary reads those again.
    let json_is_body = response.as_ref().is_some_and(|r| {
        judge::kept_json(r.status, &r.body) && raw_json.is_some() && !masking.reveals(&r.body)
    });
    let exchange = Exchange {
        step: si,
        page: None,
        pages_to: None,
        link: None,
        operation: operation.map(|o| o.name()),
        request,
        response: response.map(|r| redact_response(r, &masking)),
        duration_ms: elapsed.as_millis() as u64,
        curl: curl.clone(),
        attempts: delivery.attempts,
        retried: delivery.retried,
    };
    Recorded {
        exchange: Some(exchange),
        raw_json,
        json_is_body,
        error: failure.map(|(kind, message)| error(kind, &message, curl)),
    }
}

fn redact_response(mut r: RecordedResponse, masking: &Masking<'_>) -> RecordedResponse {
    r.headers = r
        .headers
        .into_iter()
        .map(|(n, v)| {
            let v = masking.header_owned(&n, v);
            (n, v)
        })
        .collect();
    r.body = masking.owned(std::mem::take(&mut r.body));
    r.json = None;
    r
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::exec::case::blank_result;

    const SECRET: &str = "s3cret-token-value";

    fn delivered(status: u16, body: &str) -> transport::Delivery {
        transport::Delivery {
            sent: http::Sent::Response(
                RecordedResponse {
                    status,
                    headers: vec![("content-type".into(), "application/json".into())],
                    body: body.to_owned(),
                    body_bytes: body.len(),
                    body_note: None,
                    digest: None,
                    json: crate::json::parse(body),
                },
                Duration::ZERO,
            ),
            attempts: 1,
            retried: Vec::new(),
        }
    }

    /// The recorded response of one step answered `status` with `body`, once judged.
    fn judged(status: u16, body: &str) -> RecordedResponse {
        let plan = crate::plan::load(&[PathBuf::from("suites/cdr")]).expect("the CDR suite loads");
        let ps = &plan.suites[0];
        let built = request::Built {
            method: "GET".into(),
            url: "http://127.0.0.1:9/banking/accounts".into(),
            headers: Vec::new(),
            body: None,
            operation: None,
            request: None,
        };
        let redactor = Redactor::new([SECRET.to_owned()]);
        let recorded = record(0, &built, delivered(status, body), &redactor);
        let j = judge::Judged {
            suite: ps,
            case: 0,
            step: 0,
            operation: None,
            exchange: recorded.exchange.expect("an exchange"),
            json: recorded.raw_json,
            json_is_body: recorded.json_is_body,
        };
        let mut result = blank_result(ps, 0);
        let mut vars = Vars::default();
        judge::step(
            j,
            &mut vars,
            &HashMap::new(),
            &redactor,
            &mut result,
            &mut Vec::new(),
        );
        let mut x = result.exchanges.pop().expect("the exchange is recorded");
        x.response.take().expect("a response")
    }

    #[test]
    fn a_request_moved_into_its_record_is_recorded_as_a_copied_one_is() {
        let built = || request::Built {
            method: "POST".into(),
            url: format!("http://127.0.0.1:9/things?key={SECRET}"),
            headers: vec![
                ("authorization".into(), format!("Bearer {SECRET}")),
                ("x-echo".into(), format!("token {SECRET} again")),
                ("x-v".into(), "2".into()),
            ],
            body: Some(format!(r#"{{"secret":"{SECRET}"}}"#)),
            operation: None,
            request: None,
        };
        let redactor = Redactor::new([SECRET.to_owned()]);
        let kept = built();
        let copied = record(1, &kept, delivered(200, "{}"), &redactor);
        let mut taken_from = built();
        let taken = record_taken(1, &mut taken_from, delivered(200, "{}"), &redactor);
        let (copied, taken) = (copied.exchange.unwrap(), taken.exchange.unwrap());
        assert_eq!(copied, taken);
        // Copying leaves the request as it was, to be read again; taking empties it.
        assert_eq!((kept.url, kept.headers.len()), (built().url, 3));
        assert!(taken_from.url.is_empty() && taken_from.headers.is_empty());
        assert!(!format!("{taken:?}").contains(SECRET), "{taken:?}");
        assert_eq!(taken.request.headers[2], ("x-v".to_owned(), "2".to_owned()));
    }

    #[test]
    fn a_small_error_body_keeps_its_parse_only_when_it_is_recorded_as_it_came() {
        let error = r#"{"errors":[{"code":"urn:x:Field/Invalid","title":"Invalid Field"}]}"#;
        let kept = judged(400, error);
        assert_eq!(kept.json, crate::json::parse(error));
        assert_eq!(
            kept.body_json().as_deref(),
            crate::json::parse(error).as_ref()
        );

        // A body that echoed a secret is recorded masked: its parse of the body as it came
        // is not kept beside it, and a reader parses the masked body.
        let echoed = format!(r#"{{"errors":[{{"code":"x","detail":"{SECRET}"}}]}}"#);
        let masked = judged(401, &echoed);
        assert!(!masked.body.contains(SECRET));
        assert_eq!(masked.json, None);
        let read = masked.body_json().expect("the masked body is JSON");
        assert!(!read.to_string().contains(SECRET));

        // Neither a success nor an error body past the size kept.
        assert_eq!(judged(200, r#"{"data":{}}"#).json, None);
        let long = format!(
            r#"{{"errors":[{{"code":"x","detail":"{}"}}]}}"#,
            "a".repeat(5000)
        );
        assert_eq!(judged(400, &long).json, None);
    }
}
