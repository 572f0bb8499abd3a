use super::*;
use crate::report::fixture;

/// The fixture run cut into `n` shares the way `--partition` records them.
fn split(run: &RunSummary, n: usize) -> Vec<(String, RunSummary)> {
    let selection: Vec<String> = run.cases.iter().map(|c| c.name.clone()).collect();
    (1..=n)
        .map(|k| {
            let mut part = run.clone();
            part.cases = run
                .cases
                .iter()
                .enumerate()
                .filter(|(i, _)| i % n == k - 1)
                .map(|(_, c)| c.clone())
                .collect();
            part.totals = RunSummary::count(&part.cases);
            part.duration_ms = 1000 * k as u64;
            part.started_at = format!("2026-11-02T09:3{k}:00Z");
            part.partition = Some(PartitionInfo {
                index: k,
                count: n,
                selection: selection.clone(),
            });
            (format!("part{k}.json"), part)
        })
        .collect()
}

#[test]
fn shares_join_into_the_single_run() {
    for run in [fixture::summary(), fixture::summary_for_ci()] {
        let mut parts = split(&run, 3);
        parts.reverse();
        let merged = merge(parts).expect("fits");
        let mut want = run.clone();
        want.started_at = "2026-11-02T09:31:00Z".into();
        want.duration_ms = 3000;
        assert_eq!(merged, want);
    }
}

fn problems(parts: Vec<(String, RunSummary)>) -> String {
    merge(parts).expect_err("must not merge").join("\n")
}

#[test]
fn overlapping_missing_and_foreign_shares_are_refused() {
    let run = fixture::summary();
    let mut parts = split(&run, 3);
    parts.push(parts[1].clone());
    let text = problems(parts);
    assert!(
        text.contains("part2.json and part2.json are both share 2/3"),
        "{text}"
    );
    assert!(
        text.contains("2 cases are in both part2.json and part2.json"),
        "{text}"
    );

    let mut parts = split(&run, 3);
    parts.remove(2);
    assert_eq!(problems(parts), "missing share 3/3");

    let mut parts = split(&run, 2);
    parts[0].1.cases.push(run.cases[1].clone());
    let text = problems(parts);
    assert!(
        text.contains(
            "1 case is in both part1.json and part2.json: cdr::accounts::product-category-valid"
        ),
        "{text}"
    );
}

#[test]
fn partials_of_other_runs_are_refused() {
    let run = fixture::summary();
    let mut parts = split(&run, 2);
    parts[1].1.profile = Some("other".into());
    parts[1].1.accord_version = "9.9.9".into();
    parts[1].1.targets[0].mock = false;
    let text = problems(parts);
    assert!(text.contains("different profiles"), "{text}");
    assert!(
        text.contains("different accord versions (0.1.0 and 9.9.9)"),
        "{text}"
    );
    assert!(text.contains("different targets"), "{text}");

    let mut parts = split(&run, 2);
    parts[1].1.partition.as_mut().unwrap().selection.pop();
    assert!(problems(parts).contains("selected different cases"));

    let mut parts = split(&run, 2);
    parts.extend(split(&run, 3).into_iter().take(1));
    assert!(problems(parts).contains("come from different splits (1/2 and 1/3)"));

    let mut whole = run.clone();
    whole.partition = None;
    let text = problems(vec![("whole.json".into(), whole)]);
    assert!(text.contains("whole.json is not a partial run"), "{text}");

    let mut parts = split(&fixture::summary_for_ci(), 2);
    parts[0].1.baseline = None;
    assert!(problems(parts).contains("different baselines"));

    let input = |sha: &str| crate::run::Input {
        kind: crate::run::InputKind::Suite,
        path: "suites/cdr/accounts.yaml".into(),
        sha256: sha.into(),
    };
    let mut parts = split(&run, 2);
    parts[0].1.inputs = vec![input("aa")];
    parts[1].1.inputs = vec![input("bb")];
    let text = problems(parts);
    assert!(
        text.contains("ran with different files: suites/cdr/accounts.yaml (every share"),
        "{text}"
    );
}

#[test]
fn mock_ports_may_differ_but_real_targets_may_not() {
    let run = fixture::summary();
    let mut parts = split(&run, 2);
    parts[1].1.targets[0].base_url = "http://127.0.0.1:9999/cds-au/v1".into();
    assert!(merge(parts.clone()).is_ok());
    for (_, p) in &mut parts {
        p.targets[0].mock = false;
    }
    assert!(problems(parts).contains("different targets"));
}
