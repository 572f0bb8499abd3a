//! The stored snapshots a plan's suites compare bodies against, read once before a run (and
//! digested among its inputs).

use std::collections::HashMap;
use std::path::PathBuf;

use crate::check;
use crate::plan::Plan;

/// Reads every stored snapshot the plan's suites may compare against.
pub fn read_snapshots(plan: &Plan) -> HashMap<PathBuf, String> {
    let mut out = HashMap::new();
    for ps in &plan.suites {
        for case in &ps.suite.file.cases {
            for step in &case.steps {
                if let Some(s) = &step.expect.snapshot {
                    let path = check::snapshot_path(&ps.suite.snapshot_dir, &case.id, &s.name);
                    if let Ok(text) = std::fs::read_to_string(&path) {
                        out.insert(path, text);
                    }
                }
            }
        }
    }
    out
}
