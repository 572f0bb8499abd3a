//! Dead and dying hosts: a target that accepts connections and never answers, or answers a byte
//! at a time, must end the run within about twice the request timeout (plus the work a run does
//! anyway), exit 3 and write every report; `--deadline` ends a run cleanly with what it has.

mod common;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::Value;

/// Seconds per request in these runs.
const TIMEOUT: u64 = 2;

/// How a test server treats each connection.
#[derive(Clone, Copy)]
enum Manner {
    /// Reads the request and never answers.
    Silent,
    /// Sends the head of a response, then its body a byte every 300 ms.
    Drip,
}

/// A loopback server in `manner`; each connection ends when accord closes it.
fn serve(manner: Manner) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(s) = stream else { continue };
            std::thread::spawn(move || treat(s, manner));
        }
    });
    format!("http://{addr}/cds-au/v1")
}

fn treat(mut s: TcpStream, manner: Manner) {
    let mut buf = [0u8; 8192];
    let _ = s.read(&mut buf);
    match manner {
        Manner::Silent => while matches!(s.read(&mut buf), Ok(n) if n > 0) {},
        Manner::Drip => {
            let head =
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 400\r\n\r\n";
            let mut ok = s.write_all(head.as_bytes()).is_ok();
            for _ in 0..400 {
                if !ok {
                    break;
                }
                std::thread::sleep(Duration::from_millis(300));
                ok = s.write_all(b" ").is_ok();
            }
        }
    }
}

/// A port with nothing listening: every connection is refused at once.
fn refused() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    format!("http://127.0.0.1:{port}/cds-au/v1")
}

/// Runs the cdr suites against `target`, two cases at a time, and returns the outcome and the
/// time it took.
fn run(name: &str, target: &str, extra: &[&str]) -> (common::Out, Duration, std::path::PathBuf) {
    let dir = common::scratch(name);
    let timeout = TIMEOUT.to_string();
    let mut cmd = common::accord();
    cmd.args(["run", "suites/cdr", "--quiet", "--concurrency", "2"])
        .args(["--target", target, "--timeout", &timeout])
        .args(extra)
        .args(common::report_args(&dir))
        .env("ACCORD_CDR_TOKEN", "dead-host-token");
    let start = Instant::now();
    let out = common::output(&mut cmd);
    (out, start.elapsed(), dir)
}

/// The run's results.json, without the generated cases the suite excludes (never sent).
fn results(dir: &Path) -> Value {
    for f in [
        "junit.xml",
        "report.html",
        "certificate.html",
        "manifest.json",
    ] {
        assert!(dir.join(f).exists(), "{f} was not written");
    }
    let mut r: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("results.json")).unwrap()).unwrap();
    let cases = r["cases"].as_array_mut().unwrap();
    let before = cases.len();
    cases.retain(|c| c["excluded"] != true);
    let excluded = before - cases.len();
    let skipped = r["totals"]["skipped"].as_u64().unwrap() as usize;
    assert!(skipped >= excluded, "excluded cases count as skipped");
    r
}

/// The run against a dead `manner` of server ends within twice the timeout of the same run
/// against a refused port (which costs only the run's own work), with exit 3 and every
/// case errored: a few on their timeout, the rest not sent.
fn ends_soon(manner: Manner, name: &str) {
    let (base, work, _) = run(&format!("{name}-refused"), &refused(), &[]);
    assert_eq!(base.code, 3, "{}{}", base.stdout, base.stderr);
    let (out, took, dir) = run(name, &serve(manner), &[]);
    assert_eq!(out.code, 3, "{}{}", out.stdout, out.stderr);
    let bound = work + Duration::from_secs(2 * TIMEOUT + 3);
    assert!(
        took < bound,
        "took {took:?}, more than {bound:?} (a refused port took {work:?})"
    );
    let r = results(&dir);
    let cases = r["cases"].as_array().unwrap();
    assert!(cases.len() > 20, "the whole cdr suite ran");
    assert_eq!(r["totals"]["errored"], cases.len(), "{}", out.stdout);
    let errors: Vec<&Value> = cases.iter().map(|c| &c["errors"][0]).collect();
    let timeouts = errors.iter().filter(|e| e["kind"] == "timeout").count();
    let unsent: Vec<&&Value> = errors
        .iter()
        .filter(|e| e["kind"] == "unavailable")
        .collect();
    assert!((3..=6).contains(&timeouts), "{timeouts} timeouts");
    assert_eq!(timeouts + unsent.len(), cases.len());
    // The breaker trips on the third timeout in a row; requests already in flight then time
    // out too and count, so the message names at least three and at most every timeout.
    let message = unsent[0]["message"].as_str().unwrap();
    let in_a_row: usize = message
        .split(" is taken for dead after ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{message}"));
    assert!(
        (3..=timeouts).contains(&in_a_row)
            && message.contains(" requests in a row got no answer (the last: timeout: ")
            && message.ends_with(" to it not sent in this run"),
        "{message}"
    );
}

#[test]
fn a_silent_host_ends_the_run_within_twice_the_timeout() {
    ends_soon(Manner::Silent, "dead-silent");
}

#[test]
fn a_dripping_host_ends_the_run_within_twice_the_timeout() {
    ends_soon(Manner::Drip, "dead-drip");
}

#[test]
fn a_deadline_ends_the_run_with_every_report_written() {
    let (out, took, dir) = run("deadline", &serve(Manner::Silent), &["--deadline", "1"]);
    assert_eq!(out.code, 3, "{}{}", out.stdout, out.stderr);
    assert!(
        took < Duration::from_secs(TIMEOUT) + Duration::from_secs(10),
        "took {took:?}"
    );
    let r = results(&dir);
    let cases = r["cases"].as_array().unwrap();
    assert!(cases.len() > 20);
    assert!(
        cases.iter().all(|c| c["errors"][0]["kind"] == "deadline"),
        "no request finished within the deadline: {}",
        out.stdout
    );
    assert_eq!(
        cases[0]["errors"][0]["message"],
        "the run's deadline of 1.00s passed before this case finished"
    );
}

#[test]
fn a_deadline_that_is_not_a_positive_number_is_exit_2() {
    let (out, _, _) = run("deadline-bad", &refused(), &["--deadline", "0"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("--deadline must be a positive number of seconds"),
        "{}",
        out.stderr
    );
}
