//! The reports of a [`Harness`](super::Harness) run, when asked for (`Harness::reports` or
//! `ACCORD_REPORTS`).
//!
//! A test process that runs many cases (`cargo test`) writes the usual reports of the cases
//! it ran, as `accord run` does: `junit.xml`, `report.html`, `results.json`,
//! `certificate.html` and the sealing `manifest.json` (signed with `ACCORD_SIGNING_KEY` when
//! set). Under cargo-nextest every test runs in a process of its own, so no process sees the
//! whole run: each writes its case's result to `cases/<name>.json` instead, a partial
//! results.json that holds one share of the run, and
//! `accord merge DIR/cases/*.json --out DIR` joins them into the same reports once every case
//! has run.

use std::path::{Path, PathBuf};

use super::session::Finished;
use crate::partition::PartitionInfo;
use crate::plan::Plan;
use crate::run::{Input, RunSummary};

/// The environment variable that asks for reports in a directory, overriding the code.
pub(crate) const REPORTS_VAR: &str = "ACCORD_REPORTS";

/// How the reports are written.
pub(crate) struct Request<'a> {
    pub(crate) dir: &'a Path,
    pub(crate) plan: &'a Plan,
    /// The profile's name and the input record of its file.
    pub(crate) profile: Option<(Option<String>, Input)>,
    pub(crate) started_at: std::time::SystemTime,
    pub(crate) duration_ms: u64,
    /// One partial file per case instead of the whole set.
    pub(crate) per_test: bool,
    pub(crate) key: Option<&'a crate::seal::keys::SigningKey>,
}

/// True when every test runs in a process of its own, as under cargo-nextest.
pub(crate) fn process_per_test() -> bool {
    std::env::var("NEXTEST_EXECUTION_MODE").is_ok_and(|m| m == "process-per-test")
}

/// Writes the reports of the cases that ran; returns the files written.
pub(crate) fn write(req: &Request<'_>, finished: Finished) -> Result<Vec<PathBuf>, String> {
    let summary = |cases| {
        let mut s = RunSummary::of_plan(
            req.plan,
            cases,
            req.started_at,
            req.duration_ms,
            req.profile.as_ref().and_then(|(name, _)| name.clone()),
            finished.targets.clone(),
            &[],
        );
        crate::run::provenance::add_inputs(&mut s, req.profile.iter().map(|(_, i)| i.clone()));
        s
    };
    if !req.per_test {
        let cases = finished.results.into_iter().map(|(_, c)| c).collect();
        let paths = crate::report::Paths::in_dir(req.dir);
        let (sealed, _) =
            crate::report::write_sealed(&summary(cases), &paths, &finished.secrets, req.key)?;
        let mut written = vec![paths.junit, paths.html, paths.json, paths.certificate];
        written.extend(sealed);
        return Ok(written);
    }
    let selection = crate::partition::selection(req.plan, &[]);
    let dir = req.dir.join("cases");
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let secrets = crate::report::encoded_forms(&finished.secrets);
    let mut written = Vec::new();
    for (order, case) in finished.results {
        let path = dir.join(format!("{}.json", file_name(&case.name)));
        let mut s = summary(vec![case]);
        s.partition = Some(PartitionInfo {
            index: order + 1,
            count: selection.len(),
            selection: selection.clone(),
        });
        let text = crate::report::redact_text(&crate::run::json::render(&s), &secrets);
        std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        written.push(path);
    }
    Ok(written)
}

/// A case name as a file name: `api::suite::case` with anything but letters, digits, `-`,
/// `_` and `.` turned into `_`.
fn file_name(case: &str) -> String {
    case.replace("::", "__")
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_names_become_plain_file_names() {
        assert_eq!(file_name("cdr::accounts::list"), "cdr__accounts__list");
        assert_eq!(file_name("a::b/c::d e"), "a__b_c__d_e");
    }
}
