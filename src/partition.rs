//! Choosing the cases of a run: the `--filter` texts, then `--partition k/n`, which splits the
//! selected cases across `n` CI jobs.
//!
//! Partitioning is round-robin over the sorted case names: the selected names are sorted, and
//! the case at position `i` of that order goes to partition `i % n + 1`. Every job loads the same
//! suites with the same filters and so makes the same split; partitions differ in size by at
//! most one case, plus the destructive cases: those change the target's state, so they all go
//! to partition 1, where they run one at a time after that job's other cases, in the order a
//! single run uses. Each partial run records a [`PartitionInfo`] (its share and the whole
//! selection in run order) so that `accord merge` can check the partials fit together and put
//! the cases back in the order a single run would have.

use serde::{Deserialize, Serialize};

use crate::plan::Plan;

/// `--partition k/n`: this job runs share `index` (1-based) of `count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Partition {
    pub index: usize,
    pub count: usize,
}

impl std::str::FromStr for Partition {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || format!("`{s}` is not k/n with 1 <= k <= n (e.g. 2/3)");
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let index: usize = k.trim().parse().map_err(|_| bad())?;
        let count: usize = n.trim().parse().map_err(|_| bad())?;
        if index == 0 || count == 0 || index > count {
            return Err(bad());
        }
        Ok(Partition { index, count })
    }
}

impl std::fmt::Display for Partition {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// What a partial run records about its share, for `accord merge`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartitionInfo {
    /// 1-based share of this run.
    pub index: usize,
    /// Number of shares.
    pub count: usize,
    /// Every selected case name across all shares, in the order a single run reports them.
    pub selection: Vec<String>,
}

/// The cases a run holds, as (suite index, case index) in plan order: those whose
/// `api::suite::case` name contains one of `filters` (all when empty), then this partition's
/// share of them.
pub fn select(
    plan: &Plan,
    filters: &[String],
    partition: Option<Partition>,
) -> Vec<(usize, usize)> {
    let named: Vec<((usize, usize), String)> = plan
        .cases()
        .map(|(si, ci)| {
            let s = &plan.suites[si].suite;
            ((si, ci), s.case_name(&s.file.cases[ci]))
        })
        .filter(|(_, name)| filters.is_empty() || filters.iter().any(|f| name.contains(f.as_str())))
        .collect();
    let Some(p) = partition else {
        return named.into_iter().map(|(at, _)| at).collect();
    };
    let destructive = |(si, ci): (usize, usize)| plan.suites[si].suite.file.cases[ci].destructive;
    let mut sorted: Vec<&str> = named
        .iter()
        .filter(|(at, _)| !destructive(*at))
        .map(|(_, n)| n.as_str())
        .collect();
    sorted.sort_unstable();
    named
        .iter()
        .filter(|(at, name)| {
            if destructive(*at) {
                return p.index == 1;
            }
            let rank = sorted.binary_search(&name.as_str()).unwrap_or(0);
            rank % p.count == p.index - 1
        })
        .map(|(at, _)| *at)
        .collect()
}

/// The names of the selected cases (no partition), in run order.
pub fn selection(plan: &Plan, filters: &[String]) -> Vec<String> {
    select(plan, filters, None)
        .into_iter()
        .map(|(si, ci)| {
            let s = &plan.suites[si].suite;
            s.case_name(&s.file.cases[ci])
        })
        .collect()
}

/// Each filter text that selects no case of the plan, with the (at most three) case names
/// closest to containing it.
pub fn unmatched_filters(plan: &Plan, filters: &[String]) -> Vec<(String, Vec<String>)> {
    let names = selection(plan, &[]);
    filters
        .iter()
        .filter(|f| !names.iter().any(|n| n.contains(f.as_str())))
        .map(|f| {
            let near = crate::diag::closest_containing(f, names.iter().map(String::as_str), 3);
            (f.clone(), near.into_iter().map(str::to_owned).collect())
        })
        .collect()
}

/// Every case name of the plan, selected or not.
pub fn all_names(plan: &Plan) -> std::collections::HashSet<String> {
    selection(plan, &[]).into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    #[test]
    fn reads_k_of_n() {
        assert_eq!(
            "2/3".parse::<Partition>(),
            Ok(Partition { index: 2, count: 3 })
        );
        for bad in ["0/3", "4/3", "1/0", "3", "a/b", "1/2/3"] {
            assert!(bad.parse::<Partition>().is_err(), "{bad}");
        }
    }

    fn seen_destructive(plan: &Plan, cases: &[(usize, usize)]) -> usize {
        cases
            .iter()
            .filter(|(si, ci)| plan.suites[*si].suite.file.cases[*ci].destructive)
            .count()
    }

    #[test]
    fn shares_cover_the_selection_once_and_are_balanced() {
        let plan = crate::plan::load(&[PathBuf::from("suites")]).expect("the shipped suites load");
        let all = select(&plan, &[], None);
        for n in 1..=5 {
            let mut seen = Vec::new();
            let mut sizes = Vec::new();
            for k in 1..=n {
                let share = select(&plan, &[], Some(Partition { index: k, count: n }));
                sizes.push(share.len());
                seen.extend(share);
            }
            seen.sort_unstable();
            let mut want = all.clone();
            want.sort_unstable();
            assert_eq!(seen, want, "n = {n}");
            let destructive = seen_destructive(&plan, &all);
            let (min, max) = (sizes.iter().min().unwrap(), sizes.iter().max().unwrap());
            assert!(max - min <= 1 + destructive, "n = {n}: {sizes:?}");
            let first = select(&plan, &[], Some(Partition { index: 1, count: n }));
            assert_eq!(seen_destructive(&plan, &first), destructive, "n = {n}");
        }
        let filtered = select(
            &plan,
            &["cdr::".into()],
            Some(Partition { index: 1, count: 2 }),
        );
        assert!(!filtered.is_empty());
        assert!(
            filtered
                .iter()
                .all(|(si, _)| plan.suites[*si].suite.file.api == "cdr")
        );
    }
}
