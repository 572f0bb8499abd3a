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
//! # What is public
//!
//! [`Harness`], [`Target`] and the rest of the [`harness`] module are accord's library
//! surface: documented here, with doctests, and kept compatible. The modules this page does
//! not show are the `accord` command's machinery, public only so that the command, accord's
//! own tests and its fuzzers can reach them; they are not an API and change without notice.
//! `docs/architecture.md` in accord's repository maps them.

#![warn(missing_docs)]

mod app;
mod arazzo;
mod bench;
#[doc(hidden)]
pub mod catalogue;
mod check;
mod check_ids;
#[doc(hidden)]
pub mod cli;
mod diag;
#[doc(hidden)]
pub mod digest;
mod exchange;
#[doc(hidden)]
pub mod exec;
mod exit;
#[doc(hidden)]
pub mod finding;
pub mod harness;
mod inputs;
mod irdnum;
mod json;
mod jwt;
#[doc(hidden)]
pub mod mock;
#[doc(hidden)]
pub mod openapi;
#[doc(hidden)]
pub mod partition;
#[doc(hidden)]
pub mod plan;
mod pointer;
#[doc(hidden)]
pub mod profile;
#[doc(hidden)]
pub mod redact;
#[doc(hidden)]
pub mod replay;
#[doc(hidden)]
pub mod report;
#[doc(hidden)]
pub mod run;
#[doc(hidden)]
pub mod seal;
mod seeded;
mod starter;
#[doc(hidden)]
pub mod suite;
#[doc(hidden)]
pub mod template;
mod term;
#[doc(hidden)]
pub mod yaml;

pub use harness::{Harness, Target};
