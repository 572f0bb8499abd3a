//! Joining the results of partial runs (`accord merge part1.json part2.json ...`).
//!
//! Each partial run (`accord run --partition k/n`) records its share and the whole selection
//! ([`PartitionInfo`]). [`merge`] checks that the partials fit together (one split, every share
//! once, no case twice, the same accord, profile, targets, input files, baseline and waivers run) and builds
//! the summary a single run of the same cases would have produced: cases in the single run's
//! order, totals, baseline marks and waiver problems recounted. The start is the earliest of
//! the partials', the duration the longest, since the jobs run side by side.

use std::collections::HashMap;

use crate::partition::PartitionInfo;
use crate::run::{CaseResult, RunSummary, Target};

/// Merges partial runs, given with the file each came from. Every reason they do not fit comes
/// back at once.
pub fn merge(parts: Vec<(String, RunSummary)>) -> Result<RunSummary, Vec<String>> {
    let mut problems = Vec::new();
    let mut shares: Vec<(&str, &RunSummary, &PartitionInfo)> = Vec::new();
    for (file, s) in &parts {
        match &s.partition {
            Some(p) => shares.push((file, s, p)),
            None => problems.push(format!(
                "{file} is not a partial run: run it with --partition k/n"
            )),
        }
    }
    let Some(&(first_file, first, first_share)) = shares.first() else {
        problems.push("no partial results to merge".into());
        return Err(problems);
    };
    for &(file, s, p) in &shares[1..] {
        let pair = format!("{first_file} and {file}");
        if p.count != first_share.count {
            problems.push(format!(
                "{pair} come from different splits ({}/{} and {}/{})",
                first_share.index, first_share.count, p.index, p.count
            ));
        } else if p.selection != first_share.selection {
            problems.push(format!(
                "{pair} selected different cases (other suites or --filter): they are not parts of one run"
            ));
        }
        if s.accord_version != first.accord_version {
            problems.push(format!(
                "{pair} were written by different accord versions ({} and {})",
                first.accord_version, s.accord_version
            ));
        }
        if s.profile != first.profile {
            problems.push(format!("{pair} ran with different profiles"));
        }
        if s.inputs != first.inputs {
            let differs: Vec<&str> = s
                .inputs
                .iter()
                .chain(&first.inputs)
                .filter(|i| !s.inputs.contains(i) || !first.inputs.contains(i))
                .map(|i| i.path.as_str())
                .collect();
            let mut differs = differs;
            differs.sort_unstable();
            differs.dedup();
            problems.push(format!(
                "{pair} ran with different files: {} (every share must run the same specs and suites)",
                differs.join(", ")
            ));
        }
        if !same_targets(&first.targets, &s.targets) {
            problems.push(format!("{pair} ran against different targets"));
        }
        let baseline = |s: &RunSummary| s.baseline.as_ref().map(|b| (b.file.clone(), b.fail_on));
        if baseline(s) != baseline(first) {
            problems.push(format!(
                "{pair} were compared with different baselines (or only one with a baseline)"
            ));
        }
    }
    let mut by_index: HashMap<usize, &str> = HashMap::new();
    for &(file, _, p) in &shares {
        if let Some(other) = by_index.insert(p.index, file) {
            problems.push(format!(
                "{other} and {file} are both share {}/{}",
                p.index, p.count
            ));
        }
    }
    if problems.is_empty() {
        let missing: Vec<String> = (1..=first_share.count)
            .filter(|k| !by_index.contains_key(k))
            .map(|k| format!("{k}/{}", first_share.count))
            .collect();
        if !missing.is_empty() {
            problems.push(format!(
                "missing share{} {}",
                plural(missing.len()),
                missing.join(", ")
            ));
        }
    }
    let mut owner: HashMap<&str, &str> = HashMap::new();
    let mut overlaps: Vec<((&str, &str), Vec<&str>)> = Vec::new();
    for &(file, s, _) in &shares {
        let mut foreign = Vec::new();
        for c in &s.cases {
            if let Some(other) = owner.insert(&c.name, file) {
                match overlaps.iter_mut().find(|(pair, _)| *pair == (other, file)) {
                    Some((_, names)) => names.push(&c.name),
                    None => overlaps.push(((other, file), vec![&c.name])),
                }
            }
            if !first_share.selection.contains(&c.name) {
                foreign.push(c.name.as_str());
            }
        }
        if !foreign.is_empty() {
            problems.push(format!(
                "{file} holds case{} outside its selection: {}",
                plural(foreign.len()),
                some(&foreign)
            ));
        }
    }
    for ((a, b), names) in overlaps {
        problems.push(format!(
            "{} case{} in both {a} and {b}: {}",
            names.len(),
            if names.len() == 1 { " is" } else { "s are" },
            some(&names)
        ));
    }
    if problems.is_empty() {
        let absent: Vec<&str> = first_share
            .selection
            .iter()
            .map(String::as_str)
            .filter(|n| !owner.contains_key(n))
            .collect();
        if !absent.is_empty() {
            problems.push(format!(
                "no partial holds case{} {}",
                plural(absent.len()),
                some(&absent)
            ));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(join(&shares, first_share))
}

/// The first few names, and how many more there are.
fn some(names: &[&str]) -> String {
    const SHOWN: usize = 3;
    let mut out = names[..names.len().min(SHOWN)].join(", ");
    if names.len() > SHOWN {
        out.push_str(&format!(" and {} more", names.len() - SHOWN));
    }
    out
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Targets agree when they name the same APIs and, for anything but the built-in mocks (which
/// each job starts on a port of its own), the same base URLs.
fn same_targets(a: &[Target], b: &[Target]) -> bool {
    a.len() == b.len()
        && a.iter().all(|t| {
            b.iter()
                .any(|u| u.api == t.api && u.mock == t.mock && (t.mock || u.base_url == t.base_url))
        })
}

fn join(shares: &[(&str, &RunSummary, &PartitionInfo)], info: &PartitionInfo) -> RunSummary {
    let mut ordered = shares.to_vec();
    ordered.sort_by_key(|(_, _, p)| p.index);
    let lead = ordered[0].1;
    let mut by_name: HashMap<&str, &CaseResult> = HashMap::new();
    for (_, s, _) in &ordered {
        for c in &s.cases {
            by_name.insert(&c.name, c);
        }
    }
    let cases: Vec<CaseResult> = info
        .selection
        .iter()
        .filter_map(|n| by_name.get(n.as_str()).map(|c| (*c).clone()))
        .collect();
    let mut waiver_problems: Vec<_> = ordered
        .iter()
        .flat_map(|(_, s, _)| s.waiver_problems.iter().cloned())
        .collect();
    waiver_problems.sort_by_key(|p| p.order_key());
    waiver_problems.dedup();
    let baseline = lead.baseline.clone().map(|mut b| {
        b.removed = ordered
            .iter()
            .filter_map(|(_, s, _)| s.baseline.as_ref())
            .flat_map(|b| b.removed.iter().cloned())
            .collect();
        b.removed.sort();
        b.removed.dedup();
        b.recount(&cases);
        b
    });
    RunSummary {
        format: lead.format,
        accord_version: lead.accord_version.clone(),
        started_at: ordered
            .iter()
            .map(|(_, s, _)| s.started_at.clone())
            .min()
            .unwrap_or_default(),
        duration_ms: ordered
            .iter()
            .map(|(_, s, _)| s.duration_ms)
            .max()
            .unwrap_or_default(),
        profile: lead.profile.clone(),
        targets: lead.targets.clone(),
        inputs: lead.inputs.clone(),
        totals: RunSummary::count(&cases),
        fail_on_warnings: ordered.iter().any(|(_, s, _)| s.fail_on_warnings),
        baseline,
        waiver_problems,
        hints: {
            let all: Vec<crate::run::hint::Hint> = ordered
                .iter()
                .flat_map(|(_, s, _)| s.hints.iter().cloned())
                .collect();
            crate::run::hint::recount(&all, &cases)
        },
        partition: None,
        coverage: {
            let parts: Vec<&crate::run::coverage::Coverage> = ordered
                .iter()
                .filter_map(|(_, s, _)| s.coverage.as_ref())
                .collect();
            let order: Vec<String> = cases.iter().map(|c| c.name.clone()).collect();
            crate::run::coverage::join(&parts, &order)
        },
        assessment: lead
            .assessment
            .as_ref()
            .map(|a| crate::run::assess::assess(&cases, a.thresholds)),
        cases,
    }
}

#[cfg(test)]
mod tests;
