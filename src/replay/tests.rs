use std::net::SocketAddr;
use std::path::PathBuf;

use super::*;
use crate::exec::{Limits, Target};
use crate::mock::{self, MockOptions};

const TOKEN: &str = "replay-test-token";

fn plan() -> Plan {
    crate::plan::load(&[PathBuf::from("suites/cdr")]).expect("the cdr suite loads")
}

/// A live run of the given cdr cases against the built-in mock.
fn record(plan: &Plan, filters: &[&str], faults: &[&str]) -> RunSummary {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    rt.block_on(async {
        let opts = MockOptions {
            token: TOKEN.into(),
            data_seed: 1,
            faults: faults.iter().map(|f| f.to_string()).collect(),
            records: None,
        };
        let m = mock::find("cdr").expect("the cdr mock");
        let running = mock::serve(m, &opts, SocketAddr::from(([127, 0, 0, 1], 0)))
            .await
            .expect("the mock starts");
        let mut vars = Vars::default();
        vars.set("token", Value::String(TOKEN.into()));
        let target = Target {
            api: "cdr".into(),
            base_url: running.base_url.clone(),
            vars,
            mock: true,
            limits: Limits::default(),
            policy: Default::default(),
        };
        let opts = RunOptions {
            filters: filters.iter().map(|f| f.to_string()).collect(),
            ..RunOptions::default()
        };
        let targets = HashMap::from([("cdr".to_owned(), target)]);
        let summary = exec::run_plan(
            plan,
            &targets,
            &Redactor::new([TOKEN.to_owned()]),
            &opts,
            |_| {},
        )
        .await;
        running.stop().await;
        summary
    })
}

fn replay(plan: &Plan, recording: &RunSummary, filters: &[&str]) -> RunSummary {
    let opts = RunOptions {
        filters: filters.iter().map(|f| f.to_string()).collect(),
        ..RunOptions::default()
    };
    let mut events = 0;
    let out = run(plan, recording, &target_vars(plan, None), &opts, |_| {
        events += 1
    });
    assert_eq!(events, out.cases.len() + 2, "started, each case, finished");
    out
}

fn verdicts(s: &RunSummary) -> Vec<(String, Outcome, Vec<String>)> {
    s.cases
        .iter()
        .map(|c| {
            let findings = c.findings.iter().map(crate::report::describe).collect();
            (c.name.clone(), c.outcome, findings)
        })
        .collect()
}

#[test]
fn a_replay_grades_as_the_live_run_did() {
    let plan = plan();
    let filters = ["list-accounts", "filter-open-status-all", "page-size"];
    for faults in [&[][..], &["wrong-type"][..]] {
        let live = record(&plan, &filters, faults);
        let again = replay(&plan, &live, &filters);
        assert_eq!(verdicts(&again), verdicts(&live), "faults {faults:?}");
        assert_eq!(again.cases[0].exchanges, live.cases[0].exchanges);
        assert_eq!(again.profile, live.profile);
        assert_eq!(again.targets, live.targets);
    }
}

fn replay_errors(s: &RunSummary) -> Vec<String> {
    s.cases
        .iter()
        .flat_map(|c| c.errors.iter())
        .filter(|e| e.kind == HarnessErrorKind::Replay)
        .map(|e| e.message.clone())
        .collect()
}

#[test]
fn cases_that_no_longer_fit_the_recording_say_why() {
    let plan = plan();
    let mut live = record(&plan, &["filter-open-status-all"], &[]);
    assert_eq!(
        live.cases[0].exchanges.len(),
        2,
        "filter-open-status-all has two steps"
    );

    let mut fewer = live.clone();
    fewer.cases[0].exchanges.pop();
    let again = replay(&plan, &fewer, &["filter-open-status-all"]);
    assert_eq!(again.cases[0].outcome, Outcome::Errored);
    assert_eq!(
        replay_errors(&again),
        ["the recording of this case ends after 1 step but the suite has 2: record the case again"]
    );

    let mut more = live.clone();
    let mut extra = more.cases[0].exchanges[1].clone();
    extra.step = 2;
    more.cases[0].exchanges.push(extra);
    let again = replay(&plan, &more, &["filter-open-status-all"]);
    assert_eq!(
        replay_errors(&again),
        ["the recording of this case has more steps than the suite's 2: record the case again"]
    );

    let url = &mut live.cases[0].exchanges[0].request.url;
    *url = url.replace("/banking/accounts", "/banking/accounts/abc/balance");
    let again = replay(&plan, &live, &["filter-open-status-all"]);
    let errors = replay_errors(&again);
    assert_eq!(errors.len(), 1);
    assert!(
        errors[0].starts_with("step 1 sends GET /banking/accounts but the recording has GET /banking/accounts/abc/balance"),
        "{errors:?}"
    );

    live.cases.clear();
    let again = replay(&plan, &live, &["filter-open-status-all"]);
    assert_eq!(
        replay_errors(&again),
        [
            "the recording has no case `cdr::accounts::filter-open-status-all`: record the run again to replay it"
        ]
    );
}

#[test]
fn unsent_cases_keep_their_skip_and_harness_errors_carry_over() {
    let plan = plan();
    let mut live = record(&plan, &["list-accounts"], &[]);
    let template = live.cases[0].clone();
    live.cases[0].outcome = Outcome::Skipped;
    live.cases[0].skip_reason = Some("refused".into());
    live.cases[0].exchanges.clear();
    let again = replay(&plan, &live, &["list-accounts"]);
    assert_eq!(again.cases[0].outcome, Outcome::Skipped);
    assert_eq!(again.cases[0].skip_reason.as_deref(), Some("refused"));

    live.cases[0] = template;
    live.cases[0].exchanges[0].response = None;
    live.cases[0].errors.push(HarnessError {
        kind: HarnessErrorKind::Timeout,
        step: 0,
        message: "no response within 30s".into(),
        curl: None,
    });
    let again = replay(&plan, &live, &["list-accounts"]);
    assert_eq!(again.cases[0].outcome, Outcome::Errored);
    assert_eq!(again.cases[0].errors[0].kind, HarnessErrorKind::Timeout);
    assert_eq!(again.cases[0].exchanges.len(), 1);
}

#[test]
fn secrets_a_replay_cannot_know_read_redacted() {
    let plan = plan();
    let vars = target_vars(&plan, None);
    assert_eq!(
        vars["cdr"].get("token"),
        Some(Value::String("[redacted]".into()))
    );
}
