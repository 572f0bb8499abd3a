//! Each built-in API's requirements catalogue held to the registry: every check it names
//! exists and every case it names is in the API's suites (the loader checks both), every tested
//! statement is tested by some case, every fault switch of the API's mock proves some statement,
//! and each of those faults is caught (per `tests/fixtures/caught/<api>.txt`) by a case that
//! tests the statement, with one of the statement's checks, unless the table marks it a lenient
//! variant (`- warnings`), which `tests/suites.rs` holds to passing with warnings.

use std::collections::BTreeSet;
use std::path::PathBuf;

use accord::catalogue::{Catalogue, Status};
use accord::mock;
use accord::plan::{self, Plan};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn load() -> Plan {
    plan::load(&[root().join("suites")]).unwrap_or_else(|d| {
        let shown: Vec<String> = d.iter().map(|x| x.render()).collect();
        panic!("the suites must load:\n{}", shown.join("\n"))
    })
}

/// `fault case check` lines of the API's caught table (a trailing `seed=N` is the data seed the
/// fault is shown on, `warning` marks a fault the case passes with a warning of the check).
fn caught(api: &str) -> Vec<(String, String, String)> {
    let text = std::fs::read_to_string(root().join(format!("tests/fixtures/caught/{api}.txt")))
        .unwrap_or_default();
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| {
            let w: Vec<&str> = l.split_whitespace().collect();
            let flags = w
                .iter()
                .skip(3)
                .all(|s| s.starts_with("seed=") || *s == "warning");
            (matches!(w.len(), 3..=5) && flags)
                .then(|| (w[0].to_owned(), w[1].to_owned(), w[2].to_owned()))
        })
        .collect()
}

/// The ids of the cases that test requirement `id`: named by its entry or citing it.
fn testing_cases(plan: &Plan, cat: &Catalogue, id: &str) -> BTreeSet<String> {
    let mut out: BTreeSet<String> = cat.get(id).unwrap().cases.iter().cloned().collect();
    for s in plan.suites.iter().filter(|s| s.suite.file.api == cat.api) {
        for c in &s.suite.file.cases {
            if c.requirements.iter().any(|r| r == id) {
                out.insert(c.id.clone());
            }
        }
    }
    out
}

fn catalogue<'p>(plan: &'p Plan, api: &str) -> Option<&'p Catalogue> {
    plan.suites
        .iter()
        .find(|s| s.suite.file.api == api)
        .and_then(|s| s.catalogue.as_deref())
}

/// Built-in APIs whose sources are not yet gone through; each is to get a catalogue.
const NOT_YET_CATALOGUED: &[&str] = &[];

#[test]
fn the_apis_without_a_catalogue_are_the_ones_listed_as_not_yet_catalogued() {
    let plan = load();
    let missing: Vec<&str> = mock::apis()
        .iter()
        .map(|m| m.name)
        .filter(|api| catalogue(&plan, api).is_none())
        .collect();
    assert_eq!(missing, NOT_YET_CATALOGUED);
}

#[test]
fn every_built_in_api_traces_its_requirements_to_cases_checks_and_faults() {
    let plan = load();
    let mut problems = Vec::new();
    for m in mock::apis() {
        let Some(cat) = catalogue(&plan, m.name) else {
            continue;
        };
        let table = caught(m.name);
        let mut proven: BTreeSet<&str> = BTreeSet::new();
        for r in &cat.requirements {
            let cases = testing_cases(&plan, cat, &r.id);
            match r.status() {
                Status::Tested if cases.is_empty() => problems.push(format!(
                    "{}: `{}` names checks but no case tests it",
                    m.name, r.id
                )),
                Status::Tested => {}
                _ if !cases.is_empty() => problems.push(format!(
                    "{}: `{}` is not marked tested, yet cases {cases:?} test it",
                    m.name, r.id
                )),
                _ => {}
            }
            for f in &r.faults {
                proven.insert(f);
                let Some((_, case, check)) = table.iter().find(|(name, _, _)| name == f) else {
                    problems.push(format!("{}: fault `{f}` has no caught line", m.name));
                    continue;
                };
                if (case.as_str(), check.as_str()) == ("-", "warnings") {
                    continue;
                }
                if !cases.contains(case) {
                    problems.push(format!(
                        "{}: fault `{f}` of `{}` is caught by case `{case}`, which does not test `{}` (it tests: {cases:?})",
                        m.name, r.id, r.id
                    ));
                }
                if !r.checks.contains(check) {
                    problems.push(format!(
                        "{}: fault `{f}` of `{}` is caught by check `{check}`, which `{}` does not name",
                        m.name, r.id, r.id
                    ));
                }
            }
        }
        for f in m.faults {
            if !proven.contains(f.name) {
                problems.push(format!(
                    "{}: fault `{}` proves no requirement of {}",
                    m.name, f.name, cat.doc.file
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_hand_written_case_cites_a_requirement() {
    let plan = load();
    let bare: Vec<String> = plan
        .suites
        .iter()
        .filter(|s| s.catalogue.is_some())
        .flat_map(|s| {
            s.suite
                .file
                .cases
                .iter()
                .filter(|c| c.origin.is_none() && c.requirements.is_empty())
                .map(|c| s.suite.case_name(c))
        })
        .collect();
    assert!(bare.is_empty(), "{bare:?}");
}
