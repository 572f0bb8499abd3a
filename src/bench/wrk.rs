//! The raw peer of the throughput figure: wrk, sending the very requests one run of the CDR
//! suite sent (same methods, paths, queries, headers and bodies, in the same order, cycled) to
//! the same mock in the same process, without judging anything. accord's judged rate beside
//! wrk's on one machine in one run says what judging costs, whatever the machine.
//!
//! wrk is not bundled: where it is not on `PATH`, the benchmark says so and prints accord's
//! figure alone.

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

use crate::exchange::RecordedRequest;

/// wrk's figures for one run.
#[derive(Debug, Clone, PartialEq)]
pub struct Raw {
    pub requests: u64,
    pub seconds: f64,
    pub per_second: f64,
    /// Answers with a status of 400 or more (wrk's "Non-2xx or 3xx responses").
    pub refused: u64,
}

/// Runs wrk for `seconds` with `connections` connections on two threads against `base` (the
/// mock's origin, `http://127.0.0.1:PORT`), cycling through `requests`. `Ok(None)` when wrk is
/// not installed.
pub fn run(
    base: &str,
    requests: &[RecordedRequest],
    connections: usize,
    seconds: u32,
    scratch: &Path,
) -> Result<Option<Raw>, String> {
    if Command::new("wrk").arg("--version").output().is_err() {
        return Ok(None);
    }
    let script = scratch.join("accord-bench-requests.lua");
    std::fs::write(&script, lua(requests, base))
        .map_err(|e| format!("{}: {e}", script.display()))?;
    let out = Command::new("wrk")
        .args(["-t", "2", "-c", &connections.max(2).to_string()])
        .args(["-d", &format!("{seconds}s"), "-s"])
        .arg(&script)
        .arg(base)
        .output()
        .map_err(|e| format!("cannot start wrk: {e}"))?;
    let _ = std::fs::remove_file(&script);
    let text = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        return Err(format!(
            "wrk failed: {}{}",
            text,
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    parse(&text)
        .ok_or_else(|| format!("cannot read wrk's output:\n{text}"))
        .map(Some)
}

/// A wrk script that sends `requests` in order, over and over. Paths are made relative to
/// `base`'s origin.
pub fn lua(requests: &[RecordedRequest], base: &str) -> String {
    let origin = origin(base);
    let mut s = String::from("local requests = {\n");
    for r in requests {
        let path = r.url.strip_prefix(origin).unwrap_or(&r.url);
        let path = if path.is_empty() { "/" } else { path };
        let mut headers = String::new();
        for (k, v) in r
            .headers
            .iter()
            .filter(|(k, _)| k != "host" && k != "content-length")
        {
            let _ = write!(headers, "[{}] = {}, ", quote(k), quote(v));
        }
        let body = r.body.as_deref().map_or("nil".to_owned(), quote);
        let _ = writeln!(
            s,
            "  wrk.format({}, {}, {{ {headers}}}, {body}),",
            quote(&r.method),
            quote(path)
        );
    }
    s.push_str(
        "}\nlocal i = 0\nrequest = function()\n  i = i % #requests + 1\n  return requests[i]\nend\n",
    );
    s
}

/// `scheme://host:port` of a URL.
fn origin(url: &str) -> &str {
    let after = url.find("://").map_or(0, |i| i + 3);
    match url[after..].find('/') {
        Some(i) => &url[..after + i],
        None => url,
    }
}

/// A Lua string literal holding `text` exactly: printable ASCII as itself, every other byte as
/// a decimal escape.
fn quote(text: &str) -> String {
    let mut out = String::from("\"");
    for b in text.bytes() {
        match b {
            b'"' | b'\\' => {
                out.push('\\');
                out.push(b as char);
            }
            0x20..=0x7e => out.push(b as char),
            _ => {
                let _ = write!(out, "\\{b:03}");
            }
        }
    }
    out.push('"');
    out
}

/// Reads `N requests in S.SSs` and `Requests/sec: R` from wrk's report.
pub fn parse(text: &str) -> Option<Raw> {
    let mut requests = None;
    let mut seconds = None;
    let mut per_second = None;
    let mut refused = 0;
    for line in text.lines().map(str::trim) {
        if let Some(rest) = line.strip_prefix("Non-2xx or 3xx responses:") {
            refused = rest.trim().parse().ok()?;
        } else if let Some(rest) = line.strip_prefix("Requests/sec:") {
            per_second = rest.trim().parse().ok();
        } else if let Some((n, rest)) = line.split_once(" requests in ") {
            requests = n.trim().parse().ok();
            seconds = rest
                .split(',')
                .next()
                .and_then(|d| d.trim().strip_suffix('s'))
                .and_then(|d| d.parse().ok());
        }
    }
    Some(Raw {
        requests: requests?,
        seconds: seconds?,
        per_second: per_second?,
        refused,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrk_output_is_read() {
        let text = "Running 3s test @ http://127.0.0.1:1\n  2 threads and 8 connections\n  35753 requests in 3.00s, 41.01MB read\nRequests/sec:  11917.32\nTransfer/sec:     13.67MB\n";
        assert_eq!(
            parse(text),
            Some(Raw {
                requests: 35753,
                seconds: 3.0,
                per_second: 11917.32,
                refused: 0,
            })
        );
        let text = "  35753 requests in 3.00s, 41.01MB read\n  Non-2xx or 3xx responses: 1207\nRequests/sec:  11917.32\n";
        assert_eq!(parse(text).map(|r| r.refused), Some(1207));
        assert_eq!(parse("Running 3s test\n"), None);
    }

    #[test]
    fn the_script_replays_each_request_exactly() {
        let r = RecordedRequest {
            method: "POST".into(),
            url: "http://127.0.0.1:9/cds-au/v1/x?a=1&b=%20".into(),
            headers: vec![
                ("host".into(), "127.0.0.1:9".into()),
                ("x-v".into(), "2".into()),
                ("authorization".into(), "Bearer \"q\"\\é".into()),
            ],
            body: Some("{\"k\":\n1}".into()),
        };
        let lua = lua(&[r], "http://127.0.0.1:9/cds-au/v1");
        assert!(
            lua.contains(r#"wrk.format("POST", "/cds-au/v1/x?a=1&b=%20", { ["x-v"] = "2", ["authorization"] = "Bearer \"q\"\\\195\169", }, "{\"k\":\0101}"),"#),
            "{lua}"
        );
        assert!(!lua.contains("host"), "wrk sets Host itself");
    }
}
