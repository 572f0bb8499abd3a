//! `accord bench --spec FILE --spec-only`: how long one document takes to load, to compile
//! and to lint, with the peak memory it took, beside a peer that reads the same file.
//!
//! Each phase is timed by the loader itself ([`crate::openapi::LoadTimes`]): reading and
//! parsing the root file, following `$ref`s with conversion and indexing, compiling every
//! schema an operation uses, and (for lint) the component schemas nothing uses with every
//! example. A load is repeated until about ten seconds have gone (3 to 20 times) and the
//! median is printed. The peak is the process's resident peak over the document's loads (on
//! Linux it is reset before each document).
//!
//! The peer is `openapi-spec-validator` (the Python package of that name), run once on the
//! same file when it is on `PATH`, under `/usr/bin/time` when that is there for its peak.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::openapi::{LoadTimes, Spec};
use crate::term::outln;

/// The peer's command.
const PEER: &str = "openapi-spec-validator";

/// Times every spec and prints one block each; an error names the spec that did not load.
pub fn run(specs: &[std::path::PathBuf]) -> Result<(), String> {
    for path in specs {
        let _ = std::fs::write("/proc/self/clear_refs", "5");
        let run = repeat(path, false)?;
        let lint = repeat(path, true)?;
        let peak = super::peak_rss_kib();
        let (ops, schemas) = shape(path)?;
        outln!(
            "spec               {} ({ops} operations, {schemas} schemas compiled for a run)",
            path.display()
        );
        outln!("  load             {}", phases(&run));
        outln!("  lint             {}", phases(&lint));
        match peak {
            Some(kib) => outln!(
                "  peak memory      {:.1} MiB resident over these loads",
                kib as f64 / 1024.0
            ),
            None => outln!("  peak memory      not available on this platform"),
        }
        outln!("  peer             {}", peer(path));
    }
    Ok(())
}

/// The median phase times of repeated loads (for lint: loads that also lint).
fn repeat(path: &Path, lint: bool) -> Result<Vec<LoadTimes>, String> {
    let started = Instant::now();
    let mut all = Vec::new();
    while all.len() < 3 || (all.len() < 20 && started.elapsed() < Duration::from_secs(10)) {
        let loaded = if lint {
            Spec::load_for_lint(path)
        } else {
            Spec::load(path)
        };
        let spec = loaded.map_err(|d| {
            let first = d.first().map(ToString::to_string).unwrap_or_default();
            format!("{} does not load: {first}", path.display())
        })?;
        all.push(spec.times);
    }
    Ok(all)
}

fn shape(path: &Path) -> Result<(usize, usize), String> {
    let spec = Spec::load(path).map_err(|_| format!("{} does not load", path.display()))?;
    Ok((spec.operations.len(), spec.schema_count()))
}

/// `total 812 ms = parse 120 ms + index 300 ms + compile 380 ms + examples 12 ms (median of 9)`.
fn phases(all: &[LoadTimes]) -> String {
    let median = |f: fn(&LoadTimes) -> Duration| {
        let mut v: Vec<Duration> = all.iter().map(f).collect();
        v.sort();
        v[v.len() / 2]
    };
    let ms = |d: Duration| format!("{:.0} ms", d.as_secs_f64() * 1000.0);
    format!(
        "total {} = parse {} + index {} + compile {} + examples {} (median of {})",
        ms(median(LoadTimes::total)),
        ms(median(|t| t.parse)),
        ms(median(|t| t.index)),
        ms(median(|t| t.compile)),
        ms(median(|t| t.examples)),
        all.len()
    )
}

/// The peer's verdict on the file, its wall time and (with `/usr/bin/time`) its peak.
fn peer(path: &Path) -> String {
    let found = std::env::var_os("PATH")
        .is_some_and(|p| std::env::split_paths(&p).any(|d| d.join(PEER).is_file()));
    if !found {
        return format!("{PEER} is not installed (pip install {PEER}): no peer figure");
    }
    let timer = Path::new("/usr/bin/time");
    let report = std::env::temp_dir().join(format!("accord-bench-peer-{}", std::process::id()));
    let mut command = if timer.is_file() {
        let mut c = Command::new(timer);
        c.arg("-f").arg("%M").arg("-o").arg(&report).arg(PEER);
        c
    } else {
        Command::new(PEER)
    };
    let started = Instant::now();
    let output = command.arg(path).output();
    let elapsed = started.elapsed();
    let peak = std::fs::read_to_string(&report).ok().and_then(|t| {
        let kib: f64 = t.lines().last()?.trim().parse().ok()?;
        Some(format!(", peak {:.1} MiB resident", kib / 1024.0))
    });
    let _ = std::fs::remove_file(&report);
    match output {
        Ok(o) => format!(
            "{PEER}: {} in {:.2} s{}",
            if o.status.success() {
                "valid"
            } else {
                "invalid or failed"
            },
            elapsed.as_secs_f64(),
            peak.unwrap_or_default()
        ),
        Err(e) => format!("{PEER} did not start: {e}"),
    }
}
