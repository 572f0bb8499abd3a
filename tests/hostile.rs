//! A hostile server: the run must go on, fail or error each case with evidence, write every
//! report, and never print the token it was given.

mod common;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::time::Duration;

use serde_json::Value;

const TOKEN: &str = "hostile-secret-token-8c1f2e";

/// A raw HTTP/1.1 server, so it can misbehave in ways a framework would not allow. It closes
/// every connection after one answer and says so, so no request goes out on a connection the
/// server already closed.
fn serve() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut s) = stream else { continue };
            std::thread::spawn(move || {
                let mut buf = [0u8; 8192];
                let n = s.read(&mut buf).unwrap_or(0);
                let req = String::from_utf8_lossy(&buf[..n]).to_string();
                let mode = req
                    .split("mode=")
                    .nth(1)
                    .and_then(|r| r.split([' ', '&']).next())
                    .unwrap_or("")
                    .to_owned();
                let head = |ct: &str, len: usize| {
                    format!(
                        "HTTP/1.1 200 OK\r\nconnection: close\r\ncontent-type: {ct}\r\ncontent-length: {len}\r\n\r\n"
                    )
                };
                let reply = |s: &mut std::net::TcpStream, ct: &str, body: &[u8]| {
                    let _ = s.write_all(head(ct, body.len()).as_bytes());
                    let _ = s.write_all(body);
                };
                match mode.as_str() {
                    "good" => reply(&mut s, "application/json", br#"{"id":"a","count":1}"#),
                    "html" => reply(
                        &mut s,
                        "text/html",
                        b"<html><script>alert(1)</script></html>",
                    ),
                    "types" => reply(&mut s, "application/json", br#"{"id":7,"count":"many"}"#),
                    "utf8" => reply(
                        &mut s,
                        "application/json",
                        b"{\"id\":\"\xff\xfe\",\"count\":1}",
                    ),
                    "huge" => {
                        let total = 50 * 1024 * 1024;
                        let _ = s.write_all(head("application/json", total).as_bytes());
                        let chunk = vec![b' '; 1024 * 1024];
                        for _ in 0..50 {
                            if s.write_all(&chunk).is_err() {
                                break;
                            }
                        }
                    }
                    "silent" => std::thread::sleep(Duration::from_secs(60)),
                    "drop" => {
                        let _ = s.write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 500\r\n\r\n{\"id\":");
                    }
                    "echo" => {
                        let auth = req
                            .lines()
                            .find(|l| l.to_ascii_lowercase().starts_with("authorization:"))
                            .unwrap_or("");
                        let body = format!(r#"{{"id":"{}","count":1}}"#, auth.replace('"', ""));
                        let _ = s.write_all(format!("HTTP/1.1 200 OK\r\nconnection: close\r\ncontent-type: application/json\r\nx-echo: {auth}\r\ncontent-length: {}\r\n\r\n{body}", body.len()).as_bytes());
                    }
                    _ => reply(&mut s, "application/json", b"{}"),
                }
            });
        }
    });
    format!("http://{addr}/api")
}

#[test]
fn a_hostile_server_fails_or_errors_cases_with_evidence_and_every_report_is_written() {
    let base = serve();
    let dir = common::scratch("hostile");
    let out = common::accord()
        .args([
            "run",
            "tests/fixtures/hostile/suite.yaml",
            "--target",
            &base,
            // Long enough for a loaded CI machine to answer the quick modes in time.
            "--timeout",
            "6",
            "--max-body",
            "1000000",
            "--quiet",
        ])
        .args(common::report_args(&dir))
        .env("ACCORD_HOSTILE_TOKEN", TOKEN)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(1),
        "stdout:\n{stdout}\nstderr:\n{stderr}"
    );

    let results: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("results.json")).unwrap()).unwrap();
    let outcome = |id: &str| {
        results["cases"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == id)
            .map(|c| c["outcome"].as_str().unwrap().to_owned())
            .unwrap()
    };
    assert_eq!(outcome("good"), "passed");
    assert_eq!(outcome("non-json"), "failed");
    assert_eq!(outcome("wrong-types"), "failed");
    assert_eq!(outcome("invalid-utf8"), "failed");
    assert_eq!(outcome("huge-body"), "errored");
    assert_eq!(outcome("silent"), "errored");
    assert_eq!(outcome("dropped"), "errored");
    assert_eq!(outcome("echo-token"), "failed");

    let case = |id: &str| {
        results["cases"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(case("huge-body")["errors"][0]["kind"], "body-too-large");
    assert_eq!(case("silent")["errors"][0]["kind"], "timeout");
    assert!(
        case("dropped")["errors"][0]["kind"] == "transport",
        "{}",
        case("dropped")["errors"]
    );
    assert!(
        case("huge-body")["exchanges"][0]["response"]["body_note"]
            .as_str()
            .unwrap()
            .contains("cap")
    );
    assert!(
        case("invalid-utf8")["exchanges"][0]["response"]["body_note"]
            .as_str()
            .unwrap()
            .contains("UTF-8")
    );
    assert!(
        case("silent")["errors"][0]["curl"]
            .as_str()
            .unwrap()
            .starts_with("curl ")
    );

    let html = std::fs::read_to_string(dir.join("report.html")).unwrap();
    assert!(
        !html.contains("<script>alert(1)"),
        "server markup must be escaped"
    );
    assert!(
        html.contains("&lt;script&gt;alert(1)") || html.contains("&lt;script&gt;"),
        "the hostile body is shown, escaped"
    );
    common::assert_no_secret(&dir, TOKEN, &[&stdout, &stderr]);
}
