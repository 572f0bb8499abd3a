//! The reports a run writes, in one process and in a process per test.

use std::path::{Path, PathBuf};

use super::reports::{self, Request};
use super::session::Finished;
use super::{Arguments, Harness, Target};
use crate::mock::{self, MockOptions};
use crate::run::RunSummary;

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("accord-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn read(path: &Path) -> RunSummary {
    crate::run::json::parse(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Runs the Akahu suite against its mock served in-process, writing the reports into `dir`.
fn run_akahu(dir: &Path, faults: &[&str]) -> RunSummary {
    let opts = MockOptions {
        faults: faults.iter().map(|f| f.to_string()).collect(),
        ..MockOptions::default()
    };
    let token = opts.token.clone();
    let log = dir.join("log.txt").display().to_string();
    let args = Arguments::from_iter(["t", "--test-threads", "2", "--logfile", &log]);
    let c = Harness::suites("suites/akahu")
        .target(
            Target::router(move || (mock::akahu::API.app)(&opts).unwrap())
                .base_path(mock::akahu::API.base_path)
                .secret("token", token),
        )
        .reports(dir)
        .run_with(&args, Vec::new())
        .unwrap();
    let summary = read(&dir.join("results.json"));
    let failing = summary.cases.iter().filter(|c| c.outcome.is_failing());
    assert_eq!(c.num_failed as usize, failing.count());
    summary
}

#[test]
fn the_partial_results_of_a_process_per_test_merge_into_the_whole_run() {
    let whole_dir = scratch("harness-whole");
    let whole = run_akahu(&whole_dir, &["bad-status-enum"]);
    assert!(whole.totals.failed > 0, "{:?}", whole.totals);
    let plan = crate::plan::load(&[PathBuf::from("suites/akahu")]).unwrap();
    let order = crate::partition::selection(&plan, &[]);
    let finished = Finished {
        results: whole
            .cases
            .iter()
            .map(|c| (order.iter().position(|n| *n == c.name).unwrap(), c.clone()))
            .collect(),
        targets: whole.targets.clone(),
        secrets: Vec::new(),
    };
    let parts_dir = scratch("harness-parts");
    let written = reports::write(
        &Request {
            dir: &parts_dir,
            plan: &plan,
            profile: None,
            started_at: std::time::SystemTime::now(),
            duration_ms: 1,
            per_test: true,
            key: None,
        },
        finished,
    )
    .unwrap();
    assert_eq!(written.len(), order.len());
    assert!(
        written
            .iter()
            .all(|p| p.starts_with(parts_dir.join("cases"))),
        "{written:?}"
    );
    let parts = written
        .iter()
        .map(|p| (p.display().to_string(), read(p)))
        .collect();
    let merged = crate::run::merge::merge(parts).expect("the partial results fit together");
    assert_eq!(merged.cases, whole.cases);
    assert_eq!(merged.totals, whole.totals);
    assert_eq!(merged.targets, whole.targets);
}

#[test]
fn no_reports_are_written_when_no_case_ran() {
    let dir = scratch("harness-none");
    let log = dir.join("log.txt").display().to_string();
    let args = Arguments::from_iter(["t", "--logfile", &log, "no-such-case"]);
    let c = Harness::suites("suites/akahu")
        .target(Target::url("http://127.0.0.1:9"))
        .reports(dir.join("reports"))
        .run_with(&args, Vec::new())
        .unwrap();
    assert_eq!((c.num_passed, c.num_failed), (0, 0));
    assert!(!dir.join("reports").exists());
}
