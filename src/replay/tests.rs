use std::net::SocketAddr;
use std::path::PathBuf;

use super::*;
use crate::exec::{Limits, Target};
use crate::finding::Finding;
use crate::mock::{self, MockOptions};

const TOKEN: &str = "replay-test-token";

fn plan() -> Plan {
    crate::plan::load(&[PathBuf::from("suites/cdr")]).expect("the cdr suite loads")
}

/// A live run of the given cdr cases against the built-in mock.
fn record(plan: &Plan, filters: &[&str], faults: &[&str]) -> RunSummary {
    record_with(plan, filters, faults, None)
}

/// A live run against the built-in mock serving `records` accounts instead of the seed's.
fn record_with(
    plan: &Plan,
    filters: &[&str],
    faults: &[&str],
    records: Option<usize>,
) -> RunSummary {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    rt.block_on(async {
        let opts = MockOptions {
            token: TOKEN.into(),
            data_seed: 1,
            faults: faults.iter().map(|f| f.to_string()).collect(),
            records,
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

const WALK: &str = "pagination-walk-size-1";

/// A recorded walk of 30 pages of one record: long enough that its middle pages keep no body.
fn long_walk(plan: &Plan, faults: &[&str]) -> RunSummary {
    let live = record_with(plan, &[WALK], faults, Some(30));
    let pages = live.cases[0].exchanges.iter().filter(|x| x.page.is_some());
    assert_eq!(pages.count(), 30, "one page per record");
    let text = crate::run::json::render(&live);
    crate::run::json::parse(&text).expect("results.json reads back")
}

fn without_replay_notes(s: &RunSummary) -> Vec<(String, Outcome, Vec<String>)> {
    let mut out = verdicts(s);
    for (_, _, findings) in &mut out {
        findings.retain(|f| !f.contains(walk_replay::REPLAY));
    }
    out
}

#[test]
fn a_recorded_walk_is_judged_again_page_by_page_and_as_a_whole() {
    let plan = plan();
    for faults in [
        &[][..],
        &["next-link-loops"][..],
        &["cursor-prev-link-wrong-page"][..],
    ] {
        let live = long_walk(&plan, faults);
        let again = replay(&plan, &live, &[WALK]);
        assert_eq!(
            without_replay_notes(&again),
            without_replay_notes(&live),
            "faults {faults:?}"
        );
        assert!(
            replay_errors(&again).is_empty(),
            "{:?}",
            replay_errors(&again)
        );
        assert_eq!(again.cases[0].exchanges, live.cases[0].exchanges);
    }
    let live = long_walk(&plan, &[]);
    assert_eq!(live.cases[0].outcome, Outcome::Passed);
    let trimmed: Vec<usize> = live.cases[0]
        .exchanges
        .iter()
        .filter(|x| x.response.as_ref().is_some_and(|r| r.digest.is_some()))
        .filter_map(|x| x.page)
        .collect();
    assert_eq!(trimmed, (6..=25).collect::<Vec<_>>());
    assert!(
        live.cases[0]
            .exchanges
            .iter()
            .all(|x| x.operation.as_deref() == Some("listAccounts")),
        "the live walk judged every page against its operation, as a replay does"
    );
    let again = replay(&plan, &live, &[WALK]);
    let notes: Vec<&Finding> = again.cases[0]
        .findings
        .iter()
        .filter(|f| f.check == walk_replay::REPLAY)
        .collect();
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0].severity, crate::finding::Severity::Warning);
    assert!(
        notes[0].message.contains("pages 6–25 "),
        "{}",
        notes[0].message
    );
}

#[test]
fn followed_links_are_replayed_from_the_recording() {
    let plan = plan();
    let live = long_walk(&plan, &["cursor-prev-link-wrong-page"]);
    let followed: Vec<&Exchange> = live.cases[0]
        .exchanges
        .iter()
        .filter(|x| x.link.is_some())
        .collect();
    assert_eq!(
        followed.len(),
        crate::suite::protocol::pagination::walk_record::MAX_FOLLOWED,
        "each distinct cursor once, up to the cap"
    );
    let first = followed[0].link.as_ref().unwrap();
    assert_eq!((first.page, first.name.as_str()), (2, "prev"));
    assert!(followed[0].request.url.ends_with("cursor=pg1"));
    assert_eq!(live.cases[0].outcome, Outcome::Failed);
    let mut cut = live.clone();
    cut.cases[0].exchanges.retain(|x| x.link.is_none());
    let again = replay(&plan, &cut, &[WALK]);
    let errors = replay_errors(&again);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0]
            .starts_with("the walk would now follow links.prev of page 2 to `http://127.0.0.1:")
            && errors[0]
                .ends_with("cursor=pg1`, which the recording does not have: record the case again"),
        "{}",
        errors[0]
    );
}

/// The ids a recorded page holds, as its body or its digest says.
fn page_ids(x: &Exchange) -> Vec<String> {
    let r = x.response.as_ref().expect("a response");
    match &r.digest {
        Some(d) => d.ids.iter().flatten().flatten().cloned().collect(),
        None => {
            let body: Value = serde_json::from_str(&r.body).expect("a JSON body");
            body["data"]["accounts"]
                .as_array()
                .expect("accounts")
                .iter()
                .map(|a| a["accountId"].as_str().expect("an id").to_owned())
                .collect()
        }
    }
}

fn walk_findings(s: &RunSummary) -> Vec<String> {
    s.cases[0]
        .findings
        .iter()
        .filter(|f| f.check == "pagination-walk")
        .map(|f| f.message.clone())
        .collect()
}

#[test]
fn an_edited_recording_fails_the_walk_on_replay() {
    let plan = plan();
    let live = long_walk(&plan, &[]);
    let first = page_ids(&live.cases[0].exchanges[0]).remove(0);

    let mut kept = live.clone();
    let id2 = page_ids(&kept.cases[0].exchanges[1]).remove(0);
    let page2 = kept.cases[0].exchanges[1].response.as_mut().unwrap();
    page2.body = page2.body.replace(&id2, &first);
    page2.json = None;
    let again = replay(&plan, &kept, &[WALK]);
    assert_eq!(again.cases[0].outcome, Outcome::Failed);
    let found = walk_findings(&again);
    assert!(found.iter().any(|m| m.contains(&first)), "{found:?}");

    let mut digested = live.clone();
    let digest = digested.cases[0].exchanges[9]
        .response
        .as_mut()
        .and_then(|r| r.digest.as_mut())
        .expect("page 10 keeps a digest");
    digest.ids = Some(vec![Some(first.clone())]);
    let again = replay(&plan, &digested, &[WALK]);
    assert_eq!(again.cases[0].outcome, Outcome::Failed);
    let found = walk_findings(&again);
    assert!(found.iter().any(|m| m.contains(&first)), "{found:?}");
}

#[test]
fn a_walk_that_would_fetch_a_page_the_recording_lacks_says_which() {
    let plan = plan();
    let mut live = long_walk(&plan, &[]);
    live.cases[0].exchanges.pop();
    let again = replay(&plan, &live, &[WALK]);
    assert_eq!(again.cases[0].outcome, Outcome::Errored);
    let errors = replay_errors(&again);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].starts_with("the walk would now fetch page 30 at `")
            && errors[0].contains("page=30"),
        "{errors:?}"
    );
    assert_eq!(again.cases[0].exchanges.len(), 29);

    let mut older = long_walk(&plan, &[]);
    if let Some(r) = older.cases[0].exchanges[7].response.as_mut() {
        r.digest = None;
    }
    let again = replay(&plan, &older, &[WALK]);
    assert_eq!(
        replay_errors(&again),
        [
            "the recording kept neither the body of page 8 of the walk nor a digest of it (an older accord recorded it): record the case again"
        ]
    );

    let mut moved = long_walk(&plan, &[]);
    let url = &mut moved.cases[0].exchanges[3].request.url;
    *url = url.replace("page=4", "page=40");
    let again = replay(&plan, &moved, &[WALK]);
    let errors = replay_errors(&again);
    assert!(
        errors.len() == 1 && errors[0].contains("page 4 at `") && errors[0].contains("page=40"),
        "{errors:?}"
    );
}

#[test]
fn a_walk_the_current_rules_end_sooner_is_judged_up_to_there() {
    let plan = plan();
    let mut live = long_walk(&plan, &[]);
    let last = live.cases[0].exchanges[9]
        .response
        .as_mut()
        .and_then(|r| r.digest.as_mut())
        .expect("page 10 keeps a digest");
    last.links.retain(|(n, _)| n != "next");
    last.next = None;
    let again = replay(&plan, &live, &[WALK]);
    assert!(replay_errors(&again).is_empty());
    assert_eq!(again.cases[0].exchanges.len(), 10);
    assert_eq!(again.cases[0].outcome, Outcome::Failed);
    assert!(!walk_findings(&again).is_empty());
}
