//! `accord bench`: measure spec loading and request throughput against the built-in mock.

use std::path::PathBuf;

use clap::Args;

#[derive(Args)]
pub struct BenchArgs {
    /// Requests in the throughput run.
    #[arg(long, default_value_t = 10_000)]
    requests: usize,
    /// Cases in flight at once.
    #[arg(long, default_value_t = 8)]
    concurrency: usize,
    /// Another spec to time loading and compiling (repeatable).
    #[arg(long)]
    spec: Vec<PathBuf>,
    /// Accounts the mock serves for the pagination walks (page size 1 walks one page each).
    #[arg(long, default_value_t = 10_000)]
    walk_records: usize,
    /// Time only the `--spec` documents, phase by phase (load, compile, lint), with their peak
    /// memory and a peer's figures on the same files.
    #[arg(long, requires = "spec")]
    spec_only: bool,
}

pub async fn bench(a: BenchArgs) -> i32 {
    crate::bench::run(
        a.requests,
        a.concurrency,
        &a.spec,
        a.walk_records,
        a.spec_only,
    )
    .await
}
