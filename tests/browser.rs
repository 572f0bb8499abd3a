//! The HTML reports in a real browser (headless Chromium): a screenshot of the certificate is
//! readable, it prints to PDF, it makes no network request, and script or markup a server sent
//! stays inert text.
//!
//! Chromium is found through `ACCORD_CHROMIUM` or on the PATH (`chromium`, `chromium-browser`,
//! `google-chrome`). Without it the test says so and passes, except under CI (`CI` set), where
//! a missing browser is a failure: `.ci/run` installs it.

mod common;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

fn chromium() -> Option<PathBuf> {
    if let Ok(p) = std::env::var("ACCORD_CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    for dir in std::env::split_paths(&path) {
        for name in ["chromium", "chromium-browser", "google-chrome"] {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
    }
    None
}

/// A server that counts every connection: any request the page makes lands here.
fn beacon() -> (u16, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            counter.fetch_add(1, Ordering::SeqCst);
            if let Ok(mut s) = stream {
                let _ = s.write_all(b"HTTP/1.1 204 No Content\r\ncontent-length: 0\r\n\r\n");
            }
        }
    });
    (port, hits)
}

/// The API under test: every answer is laced with markup that would call the beacon.
fn markup_server(beacon: u16) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let lure = format!(
        "<script>fetch('http://127.0.0.1:{beacon}/script')</script>\
         <img src=\"http://127.0.0.1:{beacon}/img\" onerror=\"fetch('http://127.0.0.1:{beacon}/onerror')\">\
         <link rel=\"stylesheet\" href=\"http://127.0.0.1:{beacon}/css\">\
         <iframe src=\"http://127.0.0.1:{beacon}/frame\"></iframe>\
         <meta http-equiv=\"refresh\" content=\"0;url=http://127.0.0.1:{beacon}/refresh\">\
         <style>@import url(http://127.0.0.1:{beacon}/import);</style>"
    );
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut s) = stream else { continue };
            let lure = lure.clone();
            std::thread::spawn(move || {
                let mut buf = [0u8; 8192];
                let n = s.read(&mut buf).unwrap_or(0);
                let req = String::from_utf8_lossy(&buf[..n]).to_string();
                let (ct, body) = if req.contains("mode=html") {
                    (
                        "text/html",
                        format!("<!DOCTYPE html><html><body>{lure}</body></html>"),
                    )
                } else {
                    (
                        "application/json",
                        serde_json::json!({"id": lure, "count": lure}).to_string(),
                    )
                };
                let head = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: {ct}\r\nx-markup: <svg onload=\"fetch('/h')\">\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                    body.len()
                );
                let _ = s.write_all(head.as_bytes());
                let _ = s.write_all(body.as_bytes());
            });
        }
    });
    format!("http://{addr}/api")
}

/// Runs headless Chromium on a local file with its network log on; returns what it printed.
fn browse(chrome: &Path, profile: &Path, args: &[String], page: &Path) -> String {
    let out = Command::new(chrome)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--virtual-time-budget=3000",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium starts");
    assert!(
        out.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The URLs of every request in a Chromium net log that went to `host`.
fn requests_to(netlog: &Path, host: &str) -> Vec<String> {
    let text = std::fs::read_to_string(netlog).unwrap_or_default();
    // A log cut short by the browser's exit still lists each URL as a `"url":"..."` pair.
    text.match_indices("\"url\":\"")
        .map(|(i, m)| {
            let rest = &text[i + m.len()..];
            rest[..rest.find('"').unwrap_or(rest.len())].to_owned()
        })
        .filter(|u| u.contains(host))
        .collect()
}

/// Width and height from a PNG's IHDR chunk.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "not a PNG");
    let be = |r: std::ops::Range<usize>| u32::from_be_bytes(bytes[r].try_into().unwrap());
    (be(16..20), be(20..24))
}

#[test]
fn reports_render_print_and_stay_inert_in_chromium() {
    let Some(chrome) = chromium() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "headless Chromium is required under CI (apt-get install chromium, or set ACCORD_CHROMIUM)"
        );
        eprintln!("skipped: no Chromium (set ACCORD_CHROMIUM or install chromium)");
        return;
    };
    let (beacon_port, hits) = beacon();
    let base = markup_server(beacon_port);
    let dir = common::scratch("browser");
    let out = common::accord()
        .args([
            "run",
            "tests/fixtures/browser/suite.yaml",
            "--target",
            &base,
            "--quiet",
        ])
        .args(common::report_args(&dir))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let before = hits.load(Ordering::SeqCst);
    assert_eq!(before, 0, "accord itself called the beacon");

    let beacon_host = format!("127.0.0.1:{beacon_port}");
    for page in ["certificate.html", "report.html"] {
        let path = dir.join(page);
        let profile = dir.join(format!("chrome-{page}"));
        let netlog = dir.join(format!("{page}.netlog.json"));
        let shot = dir.join(format!("{page}.png"));
        let pdf = dir.join(format!("{page}.pdf"));
        let dom = browse(
            &chrome,
            &profile,
            &[
                "--dump-dom".into(),
                format!("--log-net-log={}", netlog.display()),
            ],
            &path,
        );
        // The page's own text arrived, and the lure is text, not elements.
        assert!(
            dom.contains("json-with-markup"),
            "{page}: the DOM lacks the cases"
        );
        for tag in [
            "<script",
            "<img",
            "<iframe",
            "<link",
            "<svg",
            "<meta http-equiv=\"refresh\"",
        ] {
            assert!(
                !dom.contains(tag),
                "{page}: the DOM holds a live {tag} element"
            );
        }
        assert!(
            dom.contains("&lt;script&gt;fetch("),
            "{page}: the server's script is not shown as text"
        );
        assert_eq!(
            requests_to(&netlog, &beacon_host),
            Vec::<String>::new(),
            "{page}: the browser asked the network for the lure"
        );

        browse(
            &chrome,
            &dir.join(format!("chrome-shot-{page}")),
            &[
                "--window-size=1200,1600".into(),
                format!("--screenshot={}", shot.display()),
            ],
            &path,
        );
        let png = std::fs::read(&shot).expect("a screenshot");
        assert_eq!(png_size(&png), (1200, 1600), "{page}");
        // A blank or unstyled page compresses to far less than a page of text and tables.
        assert!(
            png.len() > 40_000,
            "{page}: the screenshot looks empty ({} bytes)",
            png.len()
        );

        browse(
            &chrome,
            &dir.join(format!("chrome-pdf-{page}")),
            &[
                "--no-pdf-header-footer".into(),
                format!("--print-to-pdf={}", pdf.display()),
            ],
            &path,
        );
        let pdf_bytes = std::fs::read(&pdf).expect("a PDF");
        assert!(pdf_bytes.starts_with(b"%PDF-"), "{page}: not a PDF");
        // Page objects, not the `/Type /Pages` tree that every PDF has.
        let pages = pdf_bytes
            .windows(12)
            .filter(|w| w.starts_with(b"/Type /Page") && !w[11].is_ascii_alphabetic())
            .count();
        assert!(pages >= 1, "{page}: the PDF has no pages");
    }
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(
        hits.load(Ordering::SeqCst),
        0,
        "something in the reports reached the beacon"
    );
    let cert = std::fs::read_to_string(dir.join("certificate.html")).unwrap();
    assert!(cert.contains("Does not conform"));
}
