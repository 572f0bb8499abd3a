//! accord: a contract-test and conformance harness for HTTP APIs described by OpenAPI.
//!
//! The crate is split the way a run flows:
//!
//! - [`openapi`] loads OpenAPI documents (3.0 and 3.1, YAML or JSON, with `$ref`s across files),
//!   indexes their operations and compiles response schemas to JSON Schema validators.
//! - [`suite`] loads hand-written YAML suites: cases, steps, captures and expectations.
//! - [`profile`] describes a target: base URL, secrets (from the environment only) and data,
//!   how to obtain credentials ([`auth`]), mutual TLS, and limits on rate, budget and retries.
//! - [`exec`] sends the requests of a case in order and records every [`exchange::Exchange`].
//! - [`check`] judges recorded exchanges; checks never do I/O and each has a stable id.
//! - [`report`] renders a [`run::RunSummary`] as JUnit, HTML, JSON and terminal output.
//! - [`baseline`], [`waivers`], [`partition`], [`merge`] and [`replay`] serve CI at scale:
//!   comparing with an earlier run, excusing known failures for a time, splitting a run across
//!   jobs and joining the parts, and re-grading a recorded run offline.
//! - [`seal`] digests a run's inputs and artifacts into a manifest, signs it, and verifies a
//!   report directory against it.
//! - [`catalogue`] holds each API's requirements: every normative statement of its sources,
//!   with the checks and fault switches that test it, cited by id from suites.
//! - [`coverage`] says what a run exercised of each API's documented statuses, error codes
//!   and requirements; [`assess`] says whether it tested enough to conclude at all.
//! - [`mock`] holds the reference implementations (real HTTP servers on loopback) with fault
//!   switches that each break one rule.
//!
//! Loading, planning, checking and reporting are synchronous code over data; only HTTP
//! execution and the mocks are async.

pub mod app;
pub mod arazzo;
pub mod assess;
pub mod auth;
pub mod baseline;
pub mod bench;
pub mod catalogue;
pub mod check;
pub mod cli;
pub mod coverage;
pub mod diag;
pub mod exchange;
pub mod exec;
pub mod exit;
pub mod finding;
pub mod gate;
pub mod hint;
pub mod inputs;
pub mod irdnum;
pub mod jwt;
pub mod merge;
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
pub mod waivers;
pub mod yaml;
