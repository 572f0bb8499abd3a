//! `expect-snapshot`: the response body, with volatile values redacted, equals the snapshot
//! stored under the suite's snapshot directory. A difference is shown as a unified diff.
//! `accord run --update-snapshots` stores the bodies received instead of failing.

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::{Check, Output, StepContext};
use crate::finding::{Finding, Where};
use crate::pointer;

pub struct ExpectSnapshot;

/// The check's id.
pub const ID: &str = "expect-snapshot";

/// Where a case's named snapshot is stored.
pub fn snapshot_path(dir: &Path, case: &str, name: &str) -> PathBuf {
    dir.join(format!("{case}__{name}.json"))
}

impl Check for ExpectSnapshot {
    fn id(&self) -> &'static str {
        ID
    }
    fn summary(&self) -> &'static str {
        "The body equals its stored snapshot, volatile values redacted"
    }
    fn rule(&self) -> &'static str {
        "The case's requirements"
    }
    fn automatic(&self) -> bool {
        false
    }
    fn run(&self, cx: &StepContext<'_>, out: &mut Output) {
        let Some(snap) = &cx.expect.snapshot else {
            return;
        };
        let path = snapshot_path(&cx.suite.snapshot_dir, cx.case_id, &snap.name);
        let actual = match &cx.response.json {
            Some(json) => {
                let mut json = json.clone();
                for p in &snap.redact {
                    redact(&mut json, p);
                }
                format!(
                    "{}\n",
                    serde_json::to_string_pretty(&json).unwrap_or_default()
                )
            }
            None => cx.response.body.clone(),
        };
        let loc = cx.suite_location("/snapshot");
        match cx.snapshots.get(&path) {
            Some(stored) if *stored == actual => {}
            Some(stored) => {
                let diff = similar::TextDiff::from_lines(stored.as_str(), actual.as_str())
                    .unified_diff()
                    .context_radius(3)
                    .header("stored", "received")
                    .to_string();
                out.findings.push(
                    Finding::new(
                        self.id(),
                        cx.step,
                        Where::body(""),
                        format!("body differs from snapshot `{}`", snap.name),
                    )
                    .expected(format!("snapshot {}", path.display()))
                    .actual(diff)
                    .rule(cx.rule().unwrap_or_default())
                    .suite_location(loc),
                );
                out.snapshots.push((path, actual));
            }
            None => {
                out.findings.push(
                    Finding::new(
                        self.id(),
                        cx.step,
                        Where::body(""),
                        format!("no stored snapshot `{}`", snap.name),
                    )
                    .expected(format!("snapshot {}", path.display()))
                    .actual("none stored; run with --update-snapshots to store this body")
                    .rule(cx.rule().unwrap_or_default())
                    .suite_location(loc),
                );
                out.snapshots.push((path, actual));
            }
        }
    }
}

fn redact(v: &mut Value, ptr: &str) {
    let targets: Vec<String> = pointer::select(v, ptr)
        .into_iter()
        .filter(|s| s.value.is_some())
        .map(|s| s.pointer)
        .collect();
    for t in targets {
        if let Some(slot) = v.pointer_mut(&t) {
            *slot = Value::String("[redacted]".into());
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::check::testing::Fixture;

    #[test]
    fn compares_with_redaction_and_diffs() {
        let mut f = Fixture::new("expect:\n  snapshot: {name: err, redact: [/errors/*/detail]}\n");
        let stored = "{\n  \"errors\": [\n    {\n      \"code\": \"A\",\n      \"detail\": \"[redacted]\"\n    }\n  ]\n}\n";
        f.store_snapshot("c__err.json", stored);
        assert!(
            f.run(400, &[], r#"{"errors":[{"code":"A","detail":"any"}]}"#)
                .is_empty()
        );
        let got = f.run_full(400, &[], r#"{"errors":[{"code":"B","detail":"any"}]}"#);
        assert_eq!(got[0].message, "body differs from snapshot `err`");
        assert!(
            got[0]
                .actual
                .as_deref()
                .unwrap()
                .contains("-      \"code\": \"A\",\n+      \"code\": \"B\","),
            "{:?}",
            got[0].actual
        );
    }

    #[test]
    fn missing_snapshot_fails() {
        let f = Fixture::new("expect:\n  snapshot: {name: first}\n");
        assert_eq!(
            f.run(200, &[], "{}"),
            vec!["[expect-snapshot] body: no stored snapshot `first`"]
        );
    }
}
