//! `pagination-walk`: a walk of every page of a list (a `walk` step, per the API's
//! `protocol.pagination`) sees each record exactly once, and the pages agree with each other and
//! with what the first request asked for.
//!
//! Rules for every style:
//! - every page answers 2xx with an array of records, each carrying its id;
//! - no record appears twice; the walk ends (no loop back to a page already requested, no
//!   runaway past `max_pages`, nothing that stops it half-way);
//! - with `same_as_previous`, the walk sees the records the previous walk of the case saw (in
//!   the same order for the offset style).
//!
//! The style's own rules are in [`cds`] (links and meta) and [`offset`] (more markers,
//! cursors and declared totals). A rule broken on many pages is reported on the first
//! [`PER_RULE`] of them, then once more with the count.

mod cds;
mod offset;
#[cfg(test)]
mod tests;

use std::collections::{HashMap, HashSet};

use super::{Check, Output, StepContext, WalkContext};
use crate::finding::{Finding, Where};
use crate::suite::protocol::pagination::Style;
use crate::suite::protocol::pagination::walk_record::{End, Page};

pub struct PaginationWalk;

const ID: &str = "pagination-walk";

/// Findings per rule before the rest are summed up in one.
pub const PER_RULE: usize = 5;

impl Check for PaginationWalk {
    fn id(&self) -> &'static str {
        ID
    }
    fn summary(&self) -> &'static str {
        "A walk of every page sees each record once, with links, totals and page sizes that agree"
    }
    fn rule(&self) -> &'static str {
        "protocol.pagination (CDS Pagination; the API's documented paging)"
    }
    fn automatic(&self) -> bool {
        true
    }
    fn run(&self, _cx: &StepContext<'_>, _out: &mut Output) {}
    fn run_walk(&self, cx: &WalkContext<'_>, out: &mut Output) {
        let mut j = Judge::new(cx);
        if cx.decl.style == Style::Cds {
            cds::excuse(&mut j);
        }
        each_page(&mut j);
        match cx.decl.style {
            Style::Cds => cds::judge(&mut j),
            Style::Offset | Style::Cursor => offset::judge(&mut j),
        }
        how_it_ended(&mut j);
        compare_with_previous(&mut j);
        out.findings.extend(j.finish());
    }
}

#[derive(Default)]
struct Tally {
    broken: usize,
    kept: usize,
    last_page: usize,
}

/// Collects the findings of one walk, a few per rule.
pub(super) struct Judge<'a> {
    pub(super) cx: &'a WalkContext<'a>,
    findings: Vec<Finding>,
    /// Per rule: how often it broke, the index of its last finding kept, and the last page
    /// of those left out.
    counts: HashMap<&'static str, Tally>,
    /// Pages whose status the style excuses (a page past the last, reached by an extra link).
    pub(super) excused: HashSet<usize>,
}

impl<'a> Judge<'a> {
    fn new(cx: &'a WalkContext<'a>) -> Self {
        Judge {
            cx,
            findings: Vec::new(),
            counts: HashMap::new(),
            excused: HashSet::new(),
        }
    }

    /// Records a finding under `rule`, unless the rule already has [`PER_RULE`].
    pub(super) fn fail(
        &mut self,
        rule: &'static str,
        page: usize,
        at: Where,
        message: String,
    ) -> Option<&mut Finding> {
        let tally = self.counts.entry(rule).or_default();
        tally.broken += 1;
        if tally.broken > PER_RULE {
            tally.last_page = page;
            return None;
        }
        tally.kept = self.findings.len();
        let cx = self.cx;
        self.findings.push(
            Finding::new(ID, cx.step, at, message)
                .page(page)
                .rule(&cx.decl.requirement)
                .suite_location(cx.suite_location.clone()),
        );
        self.findings.last_mut()
    }

    /// [`Judge::fail`] with expected and actual values.
    pub(super) fn mismatch(
        &mut self,
        rule: &'static str,
        page: usize,
        at: Where,
        message: String,
        expected: impl ToString,
        actual: impl ToString,
    ) {
        if let Some(f) = self.fail(rule, page, at, message) {
            f.expected = Some(expected.to_string());
            f.actual = Some(actual.to_string());
        }
    }

    pub(super) fn pages(&self) -> &'a [Page] {
        &self.cx.walk.pages
    }

    fn finish(mut self) -> Vec<Finding> {
        let mut more: Vec<&Tally> = self
            .counts
            .values()
            .filter(|t| t.broken > PER_RULE)
            .collect();
        more.sort_by_key(|t| t.kept);
        let summaries: Vec<Finding> = more
            .into_iter()
            .map(|t| {
                let mut f = self.findings[t.kept].clone();
                f.page = Some(t.last_page);
                f.expected = None;
                f.actual = None;
                f.message = format!(
                    "the rule broken on page {} breaks {} more times, the last on page {}",
                    self.findings[t.kept].page.unwrap_or(0),
                    t.broken - PER_RULE,
                    t.last_page
                );
                f
            })
            .collect();
        self.findings.sort_by_key(|f| f.page);
        self.findings.extend(summaries);
        self.findings
    }
}

/// Status, records, ids and duplicates.
fn each_page(j: &mut Judge<'_>) {
    let decl = j.cx.decl;
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for page in j.pages() {
        let n = page.number;
        if !page.ok() {
            if !j.excused.contains(&n) {
                j.mismatch(
                    "status",
                    n,
                    Where::status(),
                    format!(
                        "page {n} of the walk answered {}, so the walk stopped there",
                        page.status
                    ),
                    "2xx",
                    page.status,
                );
            }
            continue;
        }
        let Some(ids) = &page.ids else {
            let what = if page.json {
                "is not an array of records"
            } else {
                "cannot be read: the body is not JSON"
            };
            j.fail(
                "items",
                n,
                Where::body(&decl.items),
                format!("{} on page {n} {what}", decl.items),
            );
            continue;
        };
        for (i, id) in ids.iter().enumerate() {
            let at = Where::body(&format!("{}/{i}{}", decl.items, decl.id));
            let Some(id) = id else {
                j.fail(
                    "id",
                    n,
                    at,
                    format!("record {i} on page {n} has no identifier at {}", decl.id),
                );
                continue;
            };
            match seen.get(id.as_str()) {
                Some(&first) => j.mismatch(
                    "repeat",
                    n,
                    at,
                    format!("record {id} on page {n} was already seen on page {first}"),
                    "each record once",
                    format!("{id} again"),
                ),
                None => {
                    seen.insert(id, n);
                }
            }
        }
    }
}

/// A loop, the page cap, or a page the walk could not go on from.
fn how_it_ended(j: &mut Judge<'_>) {
    let decl = j.cx.decl;
    let Some(last) = j.pages().last() else { return };
    let n = last.number;
    let next = decl.next_pointer().unwrap_or("").to_owned();
    match &j.cx.walk.end {
        End::Loop { to, seen } => j.mismatch(
            "loop",
            n,
            Where::body(&next),
            format!("{next} of page {n} leads back to page {seen}, which the walk already requested: the walk loops"),
            "a page not requested yet",
            to,
        ),
        End::Cap => {
            let cap = j.cx.walk.max_pages;
            j.fail(
                "cap",
                n,
                Where::body(&next),
                format!("the walk stopped at max_pages ({cap}) and page {n} still points further: the pages never end (if the set truly needs more pages, raise `max_pages`)"),
            );
        }
        End::Stuck { at, message } => {
            j.fail("stuck", n, Where::body(at), message.clone());
        }
        End::Last | End::Status => {}
    }
}

/// With `same_as_previous`: the records equal the previous walk's (in order for `offset`).
fn compare_with_previous(j: &mut Judge<'_>) {
    let walk = j.cx.walk;
    let Some(previous) = &walk.previous else {
        return;
    };
    if walk.end != End::Last {
        return;
    }
    let Some(last) = walk.pages.last() else {
        return;
    };
    let n = last.number;
    let items = j.cx.decl.items.clone();
    let ids = walk.ids();
    let here: HashSet<&str> = ids.iter().map(String::as_str).collect();
    let before: HashSet<&str> = previous.iter().map(String::as_str).collect();
    let missing: Vec<&str> = previous
        .iter()
        .map(String::as_str)
        .filter(|i| !here.contains(i))
        .collect();
    let extra: Vec<&str> = ids
        .iter()
        .map(String::as_str)
        .filter(|i| !before.contains(i))
        .collect();
    let list = |v: &[&str]| {
        let shown: Vec<&str> = v.iter().take(5).copied().collect();
        let more = if v.len() > 5 {
            format!(" and {} more", v.len() - 5)
        } else {
            String::new()
        };
        format!("{}{more}", shown.join(", "))
    };
    if !missing.is_empty() {
        j.mismatch(
            "missing",
            n,
            Where::body(&items),
            format!(
                "{} the previous walk saw never appeared in this one: {}",
                records(missing.len()),
                list(&missing)
            ),
            previous.len(),
            ids.len(),
        );
    }
    if !extra.is_empty() {
        j.mismatch(
            "extra",
            n,
            Where::body(&items),
            format!(
                "{} appeared in this walk but not in the previous one: {}",
                records(extra.len()),
                list(&extra)
            ),
            previous.len(),
            ids.len(),
        );
    }
    if missing.is_empty() && extra.is_empty() && j.cx.decl.style == Style::Offset {
        let dedup = |v: &[String]| {
            let mut s = HashSet::new();
            v.iter()
                .filter(|i| s.insert(i.as_str()))
                .cloned()
                .collect::<Vec<_>>()
        };
        let (a, b) = (dedup(&ids), dedup(previous));
        if let Some(k) = a.iter().zip(&b).position(|(x, y)| x != y) {
            j.mismatch(
                "order",
                n,
                Where::body(&items),
                format!("the records come in another order than in the previous walk: record {} of the set differs", k + 1),
                &b[k],
                &a[k],
            );
        }
    }
}

/// "1 record", "2 records".
fn records(n: usize) -> String {
    if n == 1 {
        "1 record".into()
    } else {
        format!("{n} records")
    }
}
