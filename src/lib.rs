//! accord: a contract-test and conformance harness for HTTP APIs described by OpenAPI.
//!
//! Besides the `accord` command, the crate is a test harness for your own service: with a few
//! lines in a test target, `cargo test` runs every case of your suites as its own test,
//! named `api::suite::case`, against your service, and fails each broken case with the same
//! findings `accord run` prints.
//!
//! # Contract tests in `cargo test`
//!
//! **1. Depend on accord** for tests only, and declare a test target whose `main` you write
//! (the harness prints and counts like libtest, so `cargo test` and cargo-nextest run it):
//!
//! ```toml
//! [dev-dependencies]
//! accord = { path = "../accord" }         # or { git = "<repository URL>" }
//!
//! [[test]]
//! name = "conformance"
//! harness = false
//! ```
//!
//! **2. Write the suites** beside your OpenAPI document, say under `tests/conformance/`. A
//! suite names the spec and lists cases of requests and expectations; every exchange is also
//! judged against the spec (documented status, content type, response schema, headers). The
//! format is described in `docs/suite-format.md` of accord's repository. Before there is a
//! suite, [`Harness::spec`] runs the cases accord derives from the document alone.
//!
//! **3. Write the test's `main`.** Here the service is an axum [`Router`](axum::Router)
//! served in the test process on a free port of `127.0.0.1`:
//!
//! ```no_run
//! use accord::{Harness, Target};
//! # mod shelf { pub fn app() -> axum::Router { axum::Router::new() } }
//!
//! fn main() -> std::process::ExitCode {
//!     Harness::suites("tests/conformance")
//!         .target(Target::router(shelf::app).base_path("/v1").secret("token", "test-token"))
//!         .run()
//! }
//! ```
//!
//! **4. Run it.** `cargo test --test conformance` lists one line per case; a failing case
//! prints its findings:
//!
//! ```text
//! test shelf::books::fetch-listed-book ... FAILED
//!
//! failures:
//!
//! ---- shelf::books::fetch-listed-book ----
//! FAIL shelf::books::fetch-listed-book  tests/conformance/books.yaml:24:5
//!     [response-schema] step 2, body /year: "1999" is not of type "integer" ...
//! ```
//!
//! Filters, `--exact`, `--list`, `--skip` and `--test-threads` work as with libtest. Listing
//! loads the suites and specs but starts nothing and opens no connection.
//!
//! # Targets
//!
//! A [`Target`] is where an API's requests go. [`Target::url`] names a running
//! implementation (read it from the environment to point the same tests at a staging
//! server); [`Target::router`] and [`Target::service`] serve an axum router or any tower
//! service in the test process; [`Target::command`] spawns a program, waits until it answers,
//! and stops it after the last case. Every target starts when the first case of its API runs,
//! and at most once per test process. Give the variables and secrets the suites `require`
//! with [`Target::var`] and [`Target::secret`], or from a profile
//! ([`Harness::profile`], the same TOML file as `accord run --env`), or from the environment
//! (`ACCORD_<API>_<NAME>`). Secrets are `[redacted]` in every message and report.
//!
//! # Reports
//!
//! With [`Harness::reports`] (or `ACCORD_REPORTS=DIR` in the environment), the run writes
//! accord's JUnit, HTML, JSON and certificate reports of the cases it ran. Under
//! cargo-nextest, where each test is a process of its own, each writes its case's result
//! under `DIR/cases/`, and `accord merge DIR/cases/*.json --out DIR` joins them.
//!
//! # Inside the crate
//!
//! The rest of the crate is the command's machinery, split the way a run flows:
//!
//! - [`harness`] is the test harness described above.
//! - [`openapi`] loads OpenAPI documents (3.0 and 3.1, YAML or JSON, with `$ref`s across files),
//!   indexes their operations and compiles response schemas to JSON Schema validators.
//! - [`suite`] loads hand-written YAML suites: cases, steps, captures and expectations.
//! - [`profile`] describes a target: base URL, secrets (from the environment only) and data,
//!   how to obtain credentials ([`exec::oauth`]), mutual TLS, and limits on rate, budget and retries.
//! - [`exec`] sends the requests of a case in order and records every [`exchange::Exchange`].
//! - [`check`] judges recorded exchanges; checks never do I/O and each has a stable id.
//! - [`report`] renders a [`run::RunSummary`] as JUnit, HTML, JSON and terminal output.
//! - [`run`] holds the run summary and what CI decides from it: [`run::baseline`],
//!   [`run::waivers`], [`partition`], [`run::merge`] and [`replay`] serve CI at scale:
//!   comparing with an earlier run, excusing known failures for a time, splitting a run across
//!   jobs and joining the parts, and re-grading a recorded run offline.
//! - [`seal`] digests a run's inputs and artifacts into a manifest, signs it, and verifies a
//!   report directory against it.
//! - [`catalogue`] holds each API's requirements: every normative statement of its sources,
//!   with the checks and fault switches that test it, cited by id from suites.
//! - [`run::coverage`] says what a run exercised of each API's documented statuses, error codes
//!   and requirements; [`run::assess`] says whether it tested enough to conclude at all.
//! - [`mock`] holds the reference implementations (real HTTP servers on loopback) with fault
//!   switches that each break one rule.
//!
//! Loading, planning, checking and reporting are synchronous code over data; only HTTP
//! execution and the mocks are async.

pub mod app;
pub mod arazzo;
pub mod bench;
pub mod catalogue;
pub mod check;
pub mod cli;
pub mod diag;
pub mod digest;
pub mod exchange;
pub mod exec;
pub mod exit;
pub mod finding;
pub mod harness;
pub mod inputs;
pub mod irdnum;
pub mod jwt;
pub mod mock;
pub mod openapi;
pub mod partition;
pub mod plan;
pub mod pointer;
pub mod profile;
pub mod protocol;
pub mod redact;
pub mod replay;
pub mod report;
pub mod run;
pub mod seal;
pub mod starter;
pub mod suite;
pub mod template;
pub mod term;
pub mod yaml;

pub use harness::{Harness, Target};
