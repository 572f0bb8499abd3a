//! `accord merge`: join the results of partial runs into one set of reports.

use crate::term::errln;
use std::path::PathBuf;

use clap::Args;

use super::{signing_key, write_and_conclude};
use crate::{exit, report};

#[derive(Args)]
pub struct MergeArgs {
    /// The results.json of every partial run.
    #[arg(required = true)]
    results: Vec<PathBuf>,
    /// Directory for junit.xml, report.html, results.json, certificate.html and the manifest.
    #[arg(long, default_value = "reports")]
    out: PathBuf,
}

pub fn merge(a: MergeArgs) -> i32 {
    let mut parts = Vec::new();
    let mut problems = Vec::new();
    for path in &a.results {
        let file = path.display().to_string();
        match std::fs::read_to_string(path) {
            Ok(text) => match crate::run::json::parse(&text) {
                Ok(s) => parts.push((file, s)),
                Err(e) => problems.push(format!("{file}: {e}")),
            },
            Err(e) => problems.push(format!("{file}: cannot read: {e}")),
        }
    }
    let merged = if problems.is_empty() {
        crate::run::merge::merge(parts)
    } else {
        Err(problems)
    };
    let key = match signing_key() {
        Ok(k) => k,
        Err(code) => return code,
    };
    match merged {
        Ok(summary) => {
            write_and_conclude(&summary, &report::Paths::in_dir(&a.out), &[], key.as_ref())
        }
        Err(problems) => {
            for p in &problems {
                errln!("error: {p}");
            }
            exit::INVALID_INPUT
        }
    }
}
