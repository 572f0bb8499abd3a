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
pub async fn run(
    client: &reqwest::Client,
    requests: &[RecordedRequest],
    concurrency: usize,
    total: usize,
) -> Result<Floor, String> {
    if requests.is_empty() {
        return Err("no requests to send".into());
    }
    let requests: Arc<[RecordedRequest]> = requests.to_vec().into();
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
                let r = &requests[i % requests.len()];
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
                response.bytes().await.map_err(|e| e.to_string())?;
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
