//! The floor of the throughput figure: accord's own HTTP client (the one a run uses) sending
//! the very requests one run of the suite sent, reading each body and judging nothing. Between
//! wrk's raw rate and the judged rate, it says how much of the gap is the client and how much
//! is recording and judging.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use crate::exchange::RecordedRequest;

/// Requests sent and the seconds they took.
pub struct Floor {
    pub requests: usize,
    pub seconds: f64,
}

/// Sends `total` requests, cycling through `requests`, with `concurrency` in flight at once on
/// `client`.
///
/// Each answer's status must be the one the run got: otherwise the requests are not the ones
/// the run sent, and the figure would compare other work.
pub async fn run(
    client: &reqwest::Client,
    sent: &super::Resend,
    concurrency: usize,
    total: usize,
) -> Result<Floor, String> {
    if sent.requests.is_empty() {
        return Err("no requests to send".into());
    }
    let requests: Arc<[(RecordedRequest, u16)]> = sent
        .requests
        .iter()
        .cloned()
        .zip(sent.statuses.iter().copied())
        .collect();
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..concurrency.max(1) {
        let (client, requests, next) = (client.clone(), requests.clone(), next.clone());
        tasks.push(tokio::spawn(async move {
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= total {
                    return Ok::<(), String>(());
                }
                let (r, status) = &requests[i % requests.len()];
                let method = reqwest::Method::from_bytes(r.method.as_bytes())
                    .map_err(|e| format!("{}: {e}", r.method))?;
                let mut builder = client.request(method, &r.url);
                for (k, v) in &r.headers {
                    builder = builder.header(k, v);
                }
                if let Some(body) = &r.body {
                    builder = builder.body(body.clone());
                }
                let response = builder.send().await.map_err(|e| e.to_string())?;
                let got = response.status().as_u16();
                response.bytes().await.map_err(|e| e.to_string())?;
                if got != *status {
                    return Err(format!(
                        "the client alone got {got} for {} {} where the suite's run got {status}: it did not send the request the run sent",
                        r.method, r.url
                    ));
                }
            }
        }));
    }
    for t in tasks {
        t.await.map_err(|e| e.to_string())??;
    }
    Ok(Floor {
        requests: total,
        seconds: started.elapsed().as_secs_f64(),
    })
}
