//! Computing a run's [`Coverage`]: for each API of the plan, the statuses, error codes and
//! requirements its documents and catalogue declare, each item marked covered, missed or
//! exempt from the cases that ran.

use std::collections::{BTreeMap, HashMap};

use super::{ApiCoverage, Coverage, Dimension, Item, State, Statement, Tally, counts_for};
use crate::openapi::{Operation, Spec};
use crate::plan::{Plan, PlannedSuite};
use crate::run::{CaseResult, Outcome};
use crate::suite::protocol::Protocol;
use crate::suite::protocol::coverage::CoverageRule;

/// Coverage of the plan's APIs by the cases of a run; `require` adds required dimensions to
/// every API.
pub fn compute(plan: &Plan, cases: &[CaseResult], require: &[Dimension]) -> Coverage {
    let mut apis: Vec<&str> = Vec::new();
    for c in cases {
        if !apis.contains(&c.api.as_str()) {
            apis.push(&c.api);
        }
    }
    Coverage {
        apis: apis
            .into_iter()
            .map(|api| api_coverage(plan, api, cases, require))
            .collect(),
    }
}

fn api_coverage(
    plan: &Plan,
    api: &str,
    cases: &[CaseResult],
    require: &[Dimension],
) -> ApiCoverage {
    let suites: Vec<&PlannedSuite> = plan
        .suites
        .iter()
        .filter(|s| s.suite.file.api == api)
        .collect();
    let protocol = suites.iter().find_map(|s| s.protocol.as_deref());
    let rule = protocol.and_then(|p| p.coverage.as_ref());
    let ran: Vec<&CaseResult> = cases.iter().filter(|c| c.api == api).collect();
    let mut required = require.to_vec();
    required.extend(rule.map(|r| r.require.clone()).unwrap_or_default());
    required.sort();
    required.dedup();
    ApiCoverage {
        api: api.to_owned(),
        required,
        statuses: statuses(&suites, &ran, rule),
        errors: errors(&suites, &ran, protocol, rule),
        requirements: match suites.iter().find_map(|s| s.catalogue.as_deref()) {
            Some(cat) => catalogued(cat, &ran),
            None => requirements(&suites, &ran, rule),
        },
        notes: exemption_notes(&suites),
    }
}

/// A note for each status exemption that names a status the API's spec does not document: it
/// exempts nothing in this run (the run may judge the suites against another spec than their
/// own, as `--spec API=FILE` does).
fn exemption_notes(suites: &[&PlannedSuite]) -> Vec<String> {
    let Some(ps) = suites.iter().find(|s| {
        s.suite
            .file
            .protocol
            .as_ref()
            .is_some_and(|p| p.coverage.is_some())
    }) else {
        return Vec::new();
    };
    let Some(rule) = ps.protocol.as_deref().and_then(|p| p.coverage.as_ref()) else {
        return Vec::new();
    };
    crate::suite::protocol::coverage::undocumented_statuses(rule, &ps.spec)
        .into_iter()
        .map(|(i, status)| {
            format!(
                "the exemption of status {status} ({}) exempts nothing: {} documents no status {status}",
                ps.suite
                    .location(&format!("/protocol/coverage/exempt/{i}/status")),
                ps.spec.file
            )
        })
        .collect()
}

fn item(id: String, cases: Vec<String>, exempt: Option<&str>) -> Item {
    let state = match (cases.is_empty(), exempt) {
        (false, _) => State::Covered,
        (true, Some(_)) => State::Exempt,
        (true, None) => State::Missed,
    };
    Item {
        id,
        operation: None,
        status: None,
        title: None,
        declared: None,
        state,
        reason: exempt.filter(|_| state == State::Exempt).map(str::to_owned),
        cases,
        statement: None,
    }
}

/// The documented status a received one falls under: exact, then its class, then `default`.
fn documented(op: &Operation, status: u16) -> Option<&str> {
    let code = status.to_string();
    let class = [b'0' + (status / 100 % 10) as u8, b'X', b'X'];
    op.responses
        .iter()
        .find(|r| r.status == code)
        .or_else(|| {
            op.responses
                .iter()
                .find(|r| status < 1000 && r.status.as_bytes().eq_ignore_ascii_case(&class))
        })
        .or_else(|| op.responses.iter().find(|r| r.status == "default"))
        .map(|r| r.status.as_str())
}

fn statuses(suites: &[&PlannedSuite], ran: &[&CaseResult], rule: Option<&CoverageRule>) -> Tally {
    let mut specs: Vec<&Spec> = Vec::new();
    for s in suites {
        if !specs.iter().any(|x| std::ptr::eq(*x, &*s.spec)) {
            specs.push(&s.spec);
        }
    }
    // Each operation's exchanges, once: the received statuses by case, in run order.
    let mut by_operation: HashMap<&str, Vec<(usize, Option<u16>)>> = HashMap::new();
    for (i, c) in ran.iter().enumerate() {
        for x in &c.exchanges {
            if let Some(op) = x.operation.as_deref() {
                let status = x.response.as_ref().map(|r| r.status);
                by_operation.entry(op).or_default().push((i, status));
            }
        }
    }
    let mut items = Vec::new();
    for op in specs.iter().flat_map(|s| &s.operations) {
        let name = op.name();
        let Some(exchanges) = by_operation.get(name.as_str()) else {
            continue;
        };
        // The cases that received each documented status, in run order, each once in a row.
        let mut received: HashMap<&str, Vec<usize>> = HashMap::new();
        let mut seen: Vec<(u16, Option<&str>)> = Vec::new();
        for (i, status) in exchanges {
            let Some(status) = *status else { continue };
            let doc = match seen.iter().find(|(s, _)| *s == status) {
                Some((_, doc)) => *doc,
                None => {
                    let doc = documented(op, status);
                    seen.push((status, doc));
                    doc
                }
            };
            let Some(doc) = doc else { continue };
            let cases = received.entry(doc).or_default();
            if cases.last() != Some(i) {
                cases.push(*i);
            }
        }
        for r in op.responses.iter().filter(|r| r.status != "default") {
            let cases: Vec<String> = received
                .get(r.status.as_str())
                .map(|is| is.iter().map(|i| ran[*i].name.clone()).collect())
                .unwrap_or_default();
            let exempt = rule.and_then(|x| x.status_exempt(&name, &r.status));
            items.push(Item {
                operation: Some(name.clone()),
                status: Some(r.status.clone()),
                ..item(format!("{name} {}", r.status), cases, exempt)
            });
        }
    }
    Tally::new(items)
}

fn errors(
    suites: &[&PlannedSuite],
    ran: &[&CaseResult],
    protocol: Option<&Protocol>,
    rule: Option<&CoverageRule>,
) -> Tally {
    let Some(cat) = protocol.and_then(|p| p.errors.as_ref()) else {
        return Tally::default();
    };
    let mut seen: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut by_name: HashMap<&str, &PlannedSuite> = HashMap::new();
    for s in suites {
        by_name.entry(s.suite.name.as_str()).or_insert(s);
    }
    for c in ran {
        let Some(ps) = by_name.get(c.suite.as_str()) else {
            continue;
        };
        let codes = ps.suite.file.error_code_pointers();
        let Some(objects) = cat.objects_pointer(codes) else {
            continue;
        };
        for resp in c.exchanges.iter().filter_map(|x| x.response.as_ref()) {
            if resp.status < 400 {
                continue;
            }
            let Some(body) = resp.body_json() else {
                continue;
            };
            for (_, found) in crate::suite::protocol::errors::read_codes(&body, &objects, codes) {
                for code in found {
                    let names = match seen.get_mut(code) {
                        Some(names) => names,
                        None => seen.entry(code.to_owned()).or_default(),
                    };
                    if !names.contains(&c.name) {
                        names.push(c.name.clone());
                    }
                }
            }
        }
    }
    let items = cat
        .catalogue
        .iter()
        .filter(|e| e.applies())
        .map(|e| Item {
            status: Some(e.status.to_string()),
            title: Some(e.title.clone()),
            ..item(
                e.code.clone(),
                seen.get(&e.code).cloned().unwrap_or_default(),
                rule.and_then(|r| r.error_exempt(&e.code)),
            )
        })
        .collect();
    Tally::new(items)
}

/// The requirements of a catalogue: each covered by the cases citing its id that ran to a
/// verdict; exempt, with the reason, when no black box can test it, it is a permission, or no
/// suite tests it yet (a gap: the catalogue's shortfall, not the run's).
fn catalogued(cat: &crate::catalogue::Catalogue, ran: &[&CaseResult]) -> Tally {
    use crate::catalogue::Status;
    // The cases that ran to a verdict (by place in run order), under each requirement id
    // they cite and under their own id, so each requirement finds its cases at once.
    let mut citing: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut by_id: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, c) in ran.iter().enumerate() {
        if !matches!(c.outcome, Outcome::Passed | Outcome::Failed) {
            continue;
        }
        for r in &c.requirements {
            citing.entry(r.as_str()).or_default().push(i);
        }
        by_id.entry(c.id.as_str()).or_default().push(i);
    }
    let items = cat
        .requirements
        .iter()
        .map(|r| {
            let mut found: Vec<usize> = citing.get(r.id.as_str()).cloned().unwrap_or_default();
            for id in &r.cases {
                found.extend(by_id.get(id.as_str()).into_iter().flatten());
            }
            // In run order, each case once.
            found.sort_unstable();
            found.dedup();
            let cases = found.into_iter().map(|i| ran[i].name.clone()).collect();
            let gap;
            let exempt = match r.status() {
                Status::Untestable(why) | Status::Allows(why) => Some(why),
                Status::Gap(why) => {
                    gap = format!("not tested yet (a gap of the catalogue): {why}");
                    Some(gap.as_str())
                }
                Status::Tested => None,
            };
            Item {
                declared: Some(true),
                statement: Some(Statement::of(cat, r)),
                ..item(r.id.clone(), cases, exempt)
            }
        })
        .collect();
    Tally::new(items)
}

fn requirements(
    suites: &[&PlannedSuite],
    ran: &[&CaseResult],
    rule: Option<&CoverageRule>,
) -> Tally {
    let mut ids: Vec<(String, bool)> = rule
        .map(|r| r.requirements.iter().map(|d| (d.clone(), true)).collect())
        .unwrap_or_default();
    let planned = suites.iter().flat_map(|s| &s.suite.file.cases);
    for case in planned.filter(|c| c.excluded.is_none()) {
        for r in &case.requirements {
            if !ids.iter().any(|(i, _)| i == r) {
                ids.push((r.clone(), false));
            }
        }
    }
    let verdicts: Vec<&&CaseResult> = ran
        .iter()
        .filter(|c| matches!(c.outcome, Outcome::Passed | Outcome::Failed))
        .collect();
    let items = ids
        .into_iter()
        .map(|(id, declared)| {
            let cases = verdicts
                .iter()
                .filter(|c| c.requirements.iter().any(|r| counts_for(r, &id)))
                .map(|c| c.name.clone())
                .collect();
            let exempt = rule.and_then(|r| r.requirement_exempt(&id));
            Item {
                declared: Some(declared),
                ..item(id, cases, exempt)
            }
        })
        .collect();
    Tally::new(items)
}
