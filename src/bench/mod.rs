//! `accord bench`: figures anyone can reproduce on their own machine.
//!
//! 1. Loading and compiling the CDR spec (and any spec given with `--spec`).
//! 2. The full CDR suite against the built-in mock, end to end.
//! 3. A throughput run: one run of the CDR suite as many times over as N requests take, every
//!    exchange recorded and judged as in a real run, timed five times; the median's requests
//!    per second (with the slowest and fastest) and processor time per request. Then the same
//!    requests as whole runs one after another, accord's HTTP client sending them without
//!    judging (`floor`), and wrk sending them raw (`wrk`), with the ratio of the judged rate
//!    to wrk's.
//! 4. Pagination walks of a CDR mock serving 10,000 accounts, at page size 1000 and at page
//!    size 1 (every page recorded and judged, and the walk judged as its pages arrive).
//!
//! Last comes the process's peak resident memory over all of it.
//!
//! The mock serves from the same process, so the figures include its cost too.
//!
//! With `--spec-only`, only the given specs are timed, phase by phase, beside a peer
//! (`spec`).

mod floor;
mod spec;
mod wrk;

use crate::term::{err, errln, outln};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::exec::{self, Limits, RunOptions, Target};
use crate::mock::{self, MockOptions};
use crate::openapi::Spec;
use crate::redact::Redactor;
use crate::template::Vars;

/// Runs the benchmark and prints its figures; returns the exit code.
pub async fn run(
    requests: usize,
    concurrency: usize,
    extra_specs: &[PathBuf],
    walk_records: usize,
    spec_only: bool,
) -> i32 {
    if spec_only {
        return match spec::run(extra_specs) {
            Ok(()) => crate::exit::PASS,
            Err(e) => {
                errln!("error: {e}");
                crate::exit::INVALID_INPUT
            }
        };
    }
    let mut specs = vec![PathBuf::from("specs/cdr/banking-accounts-v2.yaml")];
    specs.extend(extra_specs.iter().cloned());
    outln!(
        "accord {} bench (2 figures per line: median, then min/max over the repeats)",
        env!("CARGO_PKG_VERSION")
    );
    for path in &specs {
        match time_spec(path, 20) {
            Ok((times, ops, schemas)) => outln!(
                "spec load+compile  {}: {} ({} operations, {} compiled schemas) min {} max {}",
                path.display(),
                ms(median(&times)),
                ops,
                schemas,
                ms(times[0]),
                ms(*times.last().unwrap())
            ),
            Err(e) => {
                errln!("error: {e}");
                return crate::exit::INVALID_INPUT;
            }
        }
    }
    let plan = match crate::plan::load(&[PathBuf::from("suites/cdr")]) {
        Ok(p) => p,
        Err(d) => {
            for x in d {
                err!("{}", x.render());
            }
            return crate::exit::INVALID_INPUT;
        }
    };
    let token = "bench-token".to_owned();
    let Some(api) = mock::find("cdr") else {
        return crate::exit::INVALID_INPUT;
    };
    let opts = MockOptions {
        token: token.clone(),
        data_seed: 1,
        faults: Vec::new(),
        records: None,
    };
    let running = match mock::serve(api, &opts, SocketAddr::from(([127, 0, 0, 1], 0))).await {
        Ok(r) => r,
        Err(e) => {
            errln!("error: cannot start the mock: {e}");
            return crate::exit::CANNOT_TEST;
        }
    };
    let target = mock_target(&running.base_url, &token);
    let targets = HashMap::from([("cdr".to_owned(), target)]);
    let redactor = Redactor::new([token.clone()]);
    let run_opts = RunOptions {
        concurrency,
        ..RunOptions::default()
    };

    let mut suite_times = Vec::new();
    let mut per_run = 0usize;
    for _ in 0..10 {
        let t = Instant::now();
        let s = exec::run_plan(&plan, &targets, &redactor, &run_opts, |_| {}).await;
        suite_times.push(t.elapsed());
        per_run = s.cases.iter().map(|c| c.exchanges.len()).sum();
        if s.totals.failed + s.totals.errored > 0 {
            errln!("error: the CDR suite did not pass against the mock");
            return crate::exit::FAIL;
        }
    }
    // Once more, recording the requests exactly as they went, for the raw peers to send again.
    let sent_once = {
        let faithful = Redactor::secrets_only([token.clone()]);
        let s = exec::run_plan(&plan, &targets, &faithful, &run_opts, |_| {}).await;
        if s.totals.failed + s.totals.errored > 0 {
            errln!("error: the CDR suite did not pass against the mock");
            return crate::exit::FAIL;
        }
        Resend::of(s.cases, &token)
    };
    suite_times.sort();
    outln!(
        "full CDR suite     {} cases, {} requests: {} min {} max {}",
        plan.cases().count(),
        per_run,
        ms(median(&suite_times)),
        ms(suite_times[0]),
        ms(suite_times[suite_times.len() - 1])
    );

    let copies = requests.div_ceil(per_run.max(1)).max(1);
    let big = repeated(&plan, copies);
    // A run of this size takes well under a second, so one run says as much about what else
    // the machine was doing; the line gives the median of several, with the slowest and the
    // fastest.
    let mut judged_runs = Vec::new();
    for _ in 0..JUDGED_RUNS {
        let cpu0 = cpu_ticks();
        let t = Instant::now();
        let s = exec::run_plan(&big, &targets, &redactor, &run_opts, |_| {}).await;
        let elapsed = t.elapsed();
        let cpu1 = cpu_ticks();
        if s.totals.failed + s.totals.errored > 0 {
            errln!("error: the repeated CDR suite did not pass against the mock");
            return crate::exit::FAIL;
        }
        let sent: usize = s.cases.iter().map(|c| c.exchanges.len()).sum();
        judged_runs.push((elapsed, sent, cpu_note(cpu0, cpu1, sent)));
    }
    judged_runs.sort_by_key(|(elapsed, ..)| *elapsed);
    let (elapsed, sent, cpu) = judged_runs[judged_runs.len() / 2].clone();
    let rate = |(e, n, _): &(Duration, usize, String)| *n as f64 / e.as_secs_f64();
    let judged = sent as f64 / elapsed.as_secs_f64();
    outln!(
        "throughput         {} requests in one run of the suite {} times over, {:.2}s: {:.0} requests/s judged (median of {} runs, min {:.0} max {:.0}; concurrency {}){}",
        sent,
        copies,
        elapsed.as_secs_f64(),
        judged,
        judged_runs.len(),
        rate(&judged_runs[judged_runs.len() - 1]),
        rate(&judged_runs[0]),
        concurrency,
        cpu
    );
    let t = Instant::now();
    let mut back = 0usize;
    let mut runs = 0usize;
    while back < requests {
        let s = exec::run_plan(&plan, &targets, &redactor, &run_opts, |_| {}).await;
        back += s.cases.iter().map(|c| c.exchanges.len()).sum::<usize>();
        runs += 1;
    }
    let back_elapsed = t.elapsed();
    outln!(
        "back to back       {} requests in {} runs of the suite one after another, {:.2}s: {:.0} requests/s judged",
        back,
        runs,
        back_elapsed.as_secs_f64(),
        back as f64 / back_elapsed.as_secs_f64(),
    );
    // The client the run sends its plain-HTTP requests with.
    let client = match crate::exec::http::plain_http_client(&Limits::default()) {
        Ok(c) => c,
        Err(e) => {
            errln!("error: {e}");
            return crate::exit::CANNOT_TEST;
        }
    };
    let cpu0 = cpu_ticks();
    match floor::run(&client, &sent_once, concurrency, sent).await {
        Ok(f) => outln!(
            "client alone       {} requests in {:.2}s: {:.0} requests/s, the same {} requests cycled, sent and read, nothing recorded or judged{}",
            f.requests,
            f.seconds,
            f.requests as f64 / f.seconds,
            sent_once.requests.len(),
            cpu_note(cpu0, cpu_ticks(), f.requests)
        ),
        Err(e) => {
            errln!("error: {e}");
            return crate::exit::FAIL;
        }
    }
    let scratch = std::env::temp_dir();
    let raw_secs = (elapsed.as_secs_f64().ceil() as u32).clamp(3, 30);
    let origin = running.base_url.split("/cds-au").next().unwrap_or_default();
    // wrk runs off the runtime's workers, so both serve the mock while it waits for wrk.
    let raw = {
        let (origin, sent) = (origin.to_owned(), sent_once.requests.clone());
        tokio::task::spawn_blocking(move || {
            wrk::run(&origin, &sent, concurrency, raw_secs, &scratch)
        })
        .await
        .unwrap_or_else(|e| Err(format!("wrk's runner failed: {e}")))
    };
    match raw {
        Ok(Some(raw)) => {
            // wrk cannot say which request got which answer, only how many were not 2xx or
            // 3xx: that count must be the run's share of them, or wrk sent other requests.
            let foretold =
                raw.requests as f64 * sent_once.refused() as f64 / sent_once.requests.len() as f64;
            let slack = (sent_once.requests.len() as f64).max(raw.requests as f64 * 0.01);
            if (raw.refused as f64 - foretold).abs() > slack {
                errln!(
                    "error: wrk got {} answers of 400 or more to {} requests, where the suite's run foretells about {:.0}: it did not send the requests the suite sent",
                    raw.refused,
                    raw.requests,
                    foretold
                );
                return crate::exit::FAIL;
            }
            outln!(
                "raw peer (wrk)     {} requests in {:.2}s: {:.0} requests/s, the same {} requests cycled ({} answered 400 or more, as the run foretells), {} connections; judged/raw {:.2}",
                raw.requests,
                raw.seconds,
                raw.per_second,
                sent_once.requests.len(),
                raw.refused,
                concurrency.max(2),
                judged / raw.per_second
            )
        }
        Ok(None) => outln!("raw peer (wrk)     wrk is not installed: no raw rate to compare with"),
        Err(e) => {
            errln!("error: {e}");
            return crate::exit::FAIL;
        }
    }
    if let Err(e) = walk_figures(&plan, &redactor, walk_records).await {
        errln!("error: {e}");
        return crate::exit::FAIL;
    }
    match peak_rss_kib() {
        Some(kib) => outln!(
            "peak memory        {:.1} MiB resident (VmHWM)",
            kib as f64 / 1024.0
        ),
        None => outln!("peak memory        not available on this platform"),
    }
    running.stop().await;
    crate::exit::PASS
}

/// Times the generated CDR walks at the largest page size and at page size 1 over `records`
/// accounts, with the growth of the process's resident memory over each walk.
async fn walk_figures(
    plan: &crate::plan::Plan,
    redactor: &Redactor,
    records: usize,
) -> Result<(), String> {
    let token = "bench-walk-token".to_owned();
    let opts = MockOptions {
        token: token.clone(),
        data_seed: 1,
        faults: Vec::new(),
        records: Some(records),
    };
    let api = mock::find("cdr").ok_or("no cdr mock")?;
    let running = mock::serve(api, &opts, SocketAddr::from(([127, 0, 0, 1], 0)))
        .await
        .map_err(|e| format!("cannot start the mock: {e}"))?;
    let ps = plan.suites.first().ok_or("no CDR suite")?;
    let mut protocol = ps.protocol.as_deref().cloned().unwrap_or_default();
    let pagination = protocol
        .pagination
        .as_mut()
        .ok_or("the CDR suite declares no protocol.pagination")?;
    pagination.max_pages = pagination.max_pages.max(records as u64);
    let suite = crate::plan::PlannedSuite {
        protocol: Some(std::sync::Arc::new(protocol)),
        arazzo: None,
        ..ps.clone()
    };
    let target = mock_target(&running.base_url, &token);
    let client = crate::exec::http::client(&target.limits)?;
    for id in ["pagination-walk-max-size", "pagination-walk-size-1"] {
        let ci = suite
            .suite
            .file
            .cases
            .iter()
            .position(|c| c.id == id)
            .ok_or(format!("no case {id}"))?;
        let before = rss_kib().unwrap_or(0);
        // Linux resets the peak (VmHWM) to the current size on this write, so the peak read
        // after the walk is the walk's own.
        let _ = std::fs::write("/proc/self/clear_refs", "5");
        let t = Instant::now();
        let (result, _) =
            exec::run_case(&suite, ci, &target, &client, redactor, &HashMap::new()).await;
        let elapsed = t.elapsed();
        let peak = peak_rss_kib().unwrap_or(0).saturating_sub(before);
        if result.outcome != crate::run::Outcome::Passed {
            return Err(format!("the walk {id} did not pass against the mock"));
        }
        let pages = result
            .exchanges
            .iter()
            .filter(|x| x.link.is_none())
            .filter_map(|x| x.pages_to.or(x.page))
            .max()
            .unwrap_or(0);
        let mut kept = Counted(0);
        let _ = serde_json::to_writer(&mut kept, &result);
        let kept = kept.0;
        outln!(
            "pagination walk    {records} records, {id}: {pages} pages in {:.2}s ({:.0} pages/s), peak +{:.1} MiB resident, its result {:.1} MiB as JSON",
            elapsed.as_secs_f64(),
            pages as f64 / elapsed.as_secs_f64(),
            peak as f64 / 1024.0,
            kept as f64 / (1024.0 * 1024.0)
        );
    }
    running.stop().await;
    Ok(())
}

/// The requests of one run of the suite, as the raw peers send them again, with the status
/// each got in that run.
#[derive(Debug, Default)]
struct Resend {
    requests: Vec<crate::exchange::RecordedRequest>,
    statuses: Vec<u16>,
}

impl Resend {
    /// Takes the requests the cases sent, in order, as they were sent.
    ///
    /// A long walk's middle pages are recorded cut down to their method, URL and body (see
    /// `exec::page_walk`), but every page of a walk goes out with its step's headers: the
    /// walk's first page, always kept whole, gives them back. Without them the mock would
    /// refuse those pages at once, a much cheaper answer than the page the run was sent. The
    /// token, redacted in the record, is put back. The suite's walks are far shorter than
    /// the walk that keeps a run of pages as one entry, so each exchange is one request.
    ///
    /// The run must be recorded with [`Redactor::secrets_only`]: a private header redacted
    /// whole cannot be sent again as it went.
    fn of(cases: Vec<crate::run::CaseResult>, token: &str) -> Resend {
        let mut out = Resend::default();
        for case in cases {
            let mut step_headers: HashMap<usize, Vec<(String, String)>> = HashMap::new();
            for x in case.exchanges {
                let cut = x.page.is_some()
                    && x.request.headers.is_empty()
                    && x.response.as_ref().is_some_and(|r| r.digest.is_some());
                let mut request = x.request;
                if cut {
                    if let Some(headers) = step_headers.get(&x.step) {
                        request.headers = headers.clone();
                    }
                } else if x.page.is_some() {
                    step_headers
                        .entry(x.step)
                        .or_insert_with(|| request.headers.clone());
                }
                let unmask = |t: &mut String| {
                    if t.contains(crate::redact::MASK) {
                        *t = t.replace(crate::redact::MASK, token);
                    }
                };
                unmask(&mut request.url);
                request.headers.iter_mut().for_each(|(_, v)| unmask(v));
                request.body.as_mut().map(unmask);
                out.statuses.push(x.response.map_or(0, |r| r.status));
                out.requests.push(request);
            }
        }
        out
    }

    /// How many of the requests were answered 400 or more.
    fn refused(&self) -> usize {
        self.statuses.iter().filter(|s| **s >= 400).count()
    }
}

/// How many times the judged run is timed; the line gives the median.
const JUDGED_RUNS: usize = 5;

/// The plan with its suites `copies` times over, in one run.
fn repeated(plan: &crate::plan::Plan, copies: usize) -> crate::plan::Plan {
    let suites = (0..copies)
        .flat_map(|_| plan.suites.iter().cloned())
        .collect();
    crate::plan::Plan {
        suites,
        specs: plan.specs.clone(),
    }
}

/// The process's processor time so far (user, system), in clock ticks (Linux).
fn cpu_ticks() -> Option<(u64, u64)> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name, which is in parentheses and may hold spaces.
    let rest = &stat[stat.rfind(')')? + 2..];
    let mut f = rest.split_whitespace().skip(11);
    Some((f.next()?.parse().ok()?, f.next()?.parse().ok()?))
}

/// ", 123 µs of processor time per request (98 user, 25 system)", or nothing off Linux.
fn cpu_note(before: Option<(u64, u64)>, after: Option<(u64, u64)>, requests: usize) -> String {
    let (Some(b), Some(a)) = (before, after) else {
        return String::new();
    };
    // Linux reports in ticks of 1/100 s (USER_HZ) on every common configuration.
    let us = |ticks: u64| ticks as f64 * 10_000.0 / requests.max(1) as f64;
    let (user, system) = (us(a.0 - b.0), us(a.1 - b.1));
    format!(
        ", {:.0} µs of processor time per request ({:.0} user, {:.0} system)",
        user + system,
        user,
        system
    )
}

/// A writer that only counts the bytes written to it.
struct Counted(usize);

impl std::io::Write for Counted {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len();
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The CDR target of a built-in mock at `base_url` that accepts `token`.
fn mock_target(base_url: &str, token: &str) -> Target {
    let mut vars = Vars::default();
    vars.set("token", serde_json::Value::String(token.to_owned()));
    Target {
        api: "cdr".into(),
        base_url: base_url.to_owned(),
        vars,
        mock: true,
        limits: Limits::default(),
        policy: Default::default(),
    }
}

fn time_spec(path: &Path, repeats: usize) -> Result<(Vec<Duration>, usize, usize), String> {
    let mut times = Vec::new();
    let mut shape = (0, 0);
    for _ in 0..repeats {
        let t = Instant::now();
        let spec = Spec::load(path).map_err(|d| {
            d.iter()
                .map(|x| x.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        })?;
        times.push(t.elapsed());
        shape = (spec.operations.len(), spec.schema_count());
    }
    times.sort();
    Ok((times, shape.0, shape.1))
}

fn median(times: &[Duration]) -> Duration {
    times[times.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

/// Peak resident set size from /proc (Linux).
fn peak_rss_kib() -> Option<u64> {
    status_kib("VmHWM:")
}

/// Resident set size now, from /proc (Linux).
fn rss_kib() -> Option<u64> {
    status_kib("VmRSS:")
}

fn status_kib(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find(|l| l.starts_with(field))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One run of the CDR suite against the mock, as the benchmark records it.
    async fn one_run(token: &str) -> (crate::run::RunSummary, mock::RunningMock) {
        let plan = crate::plan::load(&[PathBuf::from("suites/cdr")]).expect("the CDR suite loads");
        let opts = MockOptions {
            token: token.to_owned(),
            data_seed: 1,
            faults: Vec::new(),
            records: None,
        };
        let api = mock::find("cdr").expect("a CDR mock");
        let running = mock::serve(api, &opts, SocketAddr::from(([127, 0, 0, 1], 0)))
            .await
            .expect("the mock starts");
        let targets = HashMap::from([("cdr".to_owned(), mock_target(&running.base_url, token))]);
        let redactor = Redactor::secrets_only([token.to_owned()]);
        let s = exec::run_plan(&plan, &targets, &redactor, &RunOptions::default(), |_| {}).await;
        (s, running)
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_raw_peers_send_every_walk_page_with_its_headers() {
        let token = "resend-token";
        let (s, running) = one_run(token).await;
        assert_eq!(s.totals.failed + s.totals.errored, 0);
        let cut = s
            .cases
            .iter()
            .flat_map(|c| &c.exchanges)
            .filter(|x| x.request.headers.is_empty())
            .count();
        assert!(
            cut > 50,
            "the suite's long walks record middle pages cut down: {cut}"
        );
        let sent = Resend::of(s.cases, token);
        assert_eq!(sent.requests.len(), sent.statuses.len());
        assert!(
            sent.requests.iter().all(|r| !r.headers.is_empty()),
            "every request goes out with headers again"
        );
        let bearer = format!("Bearer {token}");
        let authorised = sent
            .requests
            .iter()
            .filter(|r| {
                r.headers
                    .iter()
                    .any(|(n, v)| n == "authorization" && *v == bearer)
            })
            .count();
        assert!(authorised > cut, "the token is put back: {authorised}");
        assert!(
            sent.requests
                .iter()
                .all(|r| !format!("{r:?}").contains(crate::redact::MASK)),
            "nothing stays redacted"
        );
        // accord's client sending them again gets every answer the run got.
        let client = crate::exec::http::client(&Limits::default()).expect("a client");
        let n = sent.requests.len();
        let f = floor::run(&client, &sent, 4, n)
            .await
            .expect("the same answers");
        assert_eq!(f.requests, n);
        running.stop().await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_client_alone_refuses_requests_that_get_other_answers() {
        let token = "resend-token";
        let (s, running) = one_run(token).await;
        // As the record has them: the walk's middle pages without their headers.
        let mut sent = Resend::default();
        for x in s.cases.into_iter().flat_map(|c| c.exchanges) {
            sent.statuses.push(x.response.map_or(0, |r| r.status));
            let mut r = x.request;
            r.headers
                .iter_mut()
                .for_each(|(_, v)| *v = v.replace(crate::redact::MASK, token));
            sent.requests.push(r);
        }
        let client = crate::exec::http::client(&Limits::default()).expect("a client");
        let n = sent.requests.len();
        let e = floor::run(&client, &sent, 4, n)
            .await
            .err()
            .expect("other answers");
        assert!(e.contains("where the suite's run got 200"), "{e}");
        running.stop().await;
    }
}
