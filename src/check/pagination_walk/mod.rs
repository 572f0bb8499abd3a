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
//!
//! A walk is judged as its pages arrive ([`WalkJudge`]): each page is judged and let go, and
//! what later pages are judged against is kept small (the first page's totals, a 128-bit
//! hash of each record id and page address, the links that only a later page or a followed
//! link can place). A walk of 100,000 pages holds a few dozen bytes per page, not the pages.
//! Findings come out exactly as if the whole walk had been judged at its end: rule by rule in
//! page order, at most [`PER_RULE`] per rule.

mod cds;
mod offset;
#[cfg(test)]
mod tests;

use std::collections::{HashMap, HashSet};

use super::{Check, Output, StepContext, WalkContext};
use crate::finding::{Finding, Where};
use crate::suite::protocol::pagination::Style;
use crate::suite::protocol::pagination::walk_record::{
    End, Followed, Page, PageUrls, Setup, hash128,
};

pub struct PaginationWalk;

/// The check's id.
pub const ID: &str = "pagination-walk";

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
}

/// Where in the order of a whole-walk judgement a finding falls: the phase (page rules, the
/// style's rules, how the walk ended, the comparison with the previous walk), then the order
/// within it.
type Seq = (u8, u64);

/// One finding kept, with its place.
struct Kept {
    seq: Seq,
    finding: Finding,
}

/// One rule's findings: how often it broke, the first [`PER_RULE`] in judgement order, and the
/// page of the last of those left out.
#[derive(Default)]
struct Tally {
    broken: usize,
    kept: Vec<Kept>,
    last_left_out: Option<(Seq, usize)>,
}

/// Collects the findings of one walk, a few per rule.
pub(super) struct Judge<'a> {
    pub(super) cx: WalkContext<'a>,
    pub(super) setup: Setup,
    counts: HashMap<&'static str, Tally>,
    phase: u8,
    counter: u64,
    /// A place reserved earlier for the next finding (a link judged once the walk ended).
    reserved: Option<Seq>,
}

impl<'a> Judge<'a> {
    fn new(cx: WalkContext<'a>, setup: Setup) -> Self {
        Judge {
            cx,
            setup,
            counts: HashMap::new(),
            phase: 0,
            counter: 0,
            reserved: None,
        }
    }

    /// The place of the next judgement, taken now for a finding that is only known later.
    pub(super) fn reserve(&mut self) -> Seq {
        self.counter += 1;
        (self.phase, self.counter)
    }

    /// Records a finding under `rule`, unless the rule already has [`PER_RULE`] before it.
    pub(super) fn fail(&mut self, rule: &'static str, page: usize, at: Where, message: String) {
        self.push(rule, page, at, message, None);
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
        self.push(
            rule,
            page,
            at,
            message,
            Some((expected.to_string(), actual.to_string())),
        );
    }

    /// Judges the next finding at a place reserved with [`Judge::reserve`].
    pub(super) fn at(&mut self, seq: Seq) -> &mut Self {
        self.reserved = Some(seq);
        self
    }

    fn push(
        &mut self,
        rule: &'static str,
        page: usize,
        at: Where,
        message: String,
        values: Option<(String, String)>,
    ) {
        let seq = match self.reserved.take() {
            Some(seq) => seq,
            None => self.reserve(),
        };
        let tally = self.counts.entry(rule).or_default();
        tally.broken += 1;
        let full = tally.kept.len() == PER_RULE;
        if full && tally.kept.last().is_some_and(|k| k.seq < seq) {
            if tally.last_left_out.is_none_or(|(s, _)| s < seq) {
                tally.last_left_out = Some((seq, page));
            }
            return;
        }
        let cx = &self.cx;
        let mut finding = Finding::new(ID, cx.step, at, message)
            .page(page)
            .rule(&cx.decl.requirement)
            .suite_location(cx.suite_location.clone());
        if let Some((expected, actual)) = values {
            finding.expected = Some(expected);
            finding.actual = Some(actual);
        }
        let i = tally.kept.partition_point(|k| k.seq < seq);
        tally.kept.insert(i, Kept { seq, finding });
        if tally.kept.len() > PER_RULE
            && let Some(out) = tally.kept.pop()
            && tally.last_left_out.is_none_or(|(s, _)| s < out.seq)
        {
            tally.last_left_out = Some((out.seq, out.finding.page.unwrap_or(0)));
        }
    }

    fn finish(self) -> Vec<Finding> {
        let mut kept: Vec<Kept> = Vec::new();
        let mut summaries: Vec<(Seq, Finding)> = Vec::new();
        for tally in self.counts.into_values() {
            if tally.broken > PER_RULE
                && let (Some(k), Some((_, last))) = (tally.kept.last(), tally.last_left_out)
            {
                let mut f = k.finding.clone();
                f.page = Some(last);
                f.expected = None;
                f.actual = None;
                f.message = format!(
                    "the rule broken on page {} breaks {} more times, the last on page {last}",
                    k.finding.page.unwrap_or(0),
                    tally.broken - PER_RULE,
                );
                summaries.push((k.seq, f));
            }
            kept.extend(tally.kept);
        }
        kept.sort_by_key(|k| (k.finding.page, k.seq));
        summaries.sort_by_key(|(seq, _)| *seq);
        kept.into_iter()
            .map(|k| k.finding)
            .chain(summaries.into_iter().map(|(_, f)| f))
            .collect()
    }
}

/// Judges one walk as its pages arrive: [`WalkJudge::page`] for each page in walk order,
/// then [`WalkJudge::finish`] with how the walk ended.
pub struct WalkJudge<'a> {
    j: Judge<'a>,
    /// The first page's totals, and the pages it puts in the set (`cds`).
    cds: cds::State,
    offset: offset::State,
    /// Each record id seen on a 2xx page (hashed), with the page it was first seen on.
    seen: HashMap<u128, usize>,
    /// Every id in walk order, kept only when asked (a walk compared with this one).
    ids: Option<Vec<String>>,
    pages: usize,
    last_page: Option<usize>,
    /// 2xx pages.
    walked: u64,
}

impl<'a> WalkJudge<'a> {
    /// A judge for a walk set up as `setup`; `keep_ids` keeps the ids it sees in order, for
    /// a walk that compares with this one or with the previous one.
    pub fn new(cx: WalkContext<'a>, setup: Setup, keep_ids: bool) -> Self {
        WalkJudge {
            j: Judge::new(cx, setup),
            cds: cds::State::default(),
            offset: offset::State::default(),
            seen: HashMap::new(),
            ids: keep_ids.then(Vec::new),
            pages: 0,
            last_page: None,
            walked: 0,
        }
    }

    /// Judges the next page of the walk, with what was read from its addresses.
    pub fn page(&mut self, page: &Page, urls: &PageUrls) {
        self.pages += 1;
        self.last_page = Some(page.number);
        let style = self.j.cx.decl.style;
        if page.ok() {
            self.walked += 1;
        }
        if style == Style::Cds {
            cds::excuse(&mut self.cds, &self.j, page);
        }
        self.j.phase = 0;
        each_page(
            &mut self.j,
            self.cds.excused(page),
            &mut self.seen,
            &mut self.ids,
            page,
        );
        self.j.phase = 1;
        match style {
            Style::Cds => cds::page(&mut self.cds, &mut self.j, page, urls),
            Style::Offset | Style::Cursor => offset::page(&mut self.offset, &mut self.j, page),
        }
    }

    /// The walk's findings, once it ended with `end`, after the links only following could
    /// place were followed (`followed`), and compared with the `previous` walk's ids when
    /// the walk must see the same; with this walk's ids when they were kept.
    pub fn finish(
        mut self,
        end: &End,
        followed: &[Followed],
        previous: Option<&[String]>,
    ) -> (Vec<Finding>, Option<Vec<String>>) {
        let distinct = self.seen.len() as u64;
        self.j.phase = 1;
        let walk = Ended {
            end,
            last_page: self.last_page,
            walked: self.walked,
            distinct,
        };
        match self.j.cx.decl.style {
            Style::Cds => cds::finish(&mut self.cds, &mut self.j, &walk, followed),
            Style::Offset | Style::Cursor => offset::finish(&self.offset, &mut self.j, &walk),
        }
        self.j.phase = 2;
        how_it_ended(&mut self.j, &walk);
        self.j.phase = 3;
        if let (Some(previous), Some(ids)) = (previous, &self.ids) {
            compare_with_previous(&mut self.j, &walk, previous, ids);
        }
        (self.j.finish(), self.ids)
    }
}

/// How a walk ended, and what it saw in all.
pub(super) struct Ended<'e> {
    pub(super) end: &'e End,
    /// The number of the walk's last page, if it has one.
    pub(super) last_page: Option<usize>,
    /// Pages answered 2xx.
    pub(super) walked: u64,
    /// Distinct record ids seen.
    pub(super) distinct: u64,
}

/// Judges a whole recorded walk at once, as a live walk judges it page by page.
#[cfg(test)]
pub(crate) fn judge_record(
    cx: WalkContext<'_>,
    walk: &crate::suite::protocol::pagination::walk_record::Record,
) -> Vec<Finding> {
    let setup = Setup {
        sent_size: walk.sent_size,
        size: walk.size,
        filters: walk.filters.clone(),
        max_pages: walk.max_pages,
    };
    let cx_decl = cx.decl;
    let mut judge = WalkJudge::new(cx, setup, walk.previous.is_some());
    for page in &walk.pages {
        judge.page(page, &PageUrls::read(page, cx_decl));
    }
    judge
        .finish(&walk.end, &walk.followed, walk.previous.as_deref())
        .0
}

/// Status, records, ids and duplicates of one page.
fn each_page(
    j: &mut Judge<'_>,
    excused: bool,
    seen: &mut HashMap<u128, usize>,
    ids_kept: &mut Option<Vec<String>>,
    page: &Page,
) {
    let decl = j.cx.decl;
    let n = page.number;
    if !page.ok() {
        if !excused {
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
        return;
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
        return;
    };
    for (i, id) in ids.iter().enumerate() {
        let Some(id) = id else {
            let at = Where::body(&format!("{}/{i}{}", decl.items, decl.id));
            j.fail(
                "id",
                n,
                at,
                format!("record {i} on page {n} has no identifier at {}", decl.id),
            );
            continue;
        };
        if let Some(kept) = ids_kept {
            kept.push(id.clone());
        }
        match seen.entry(hash128(id.as_str())) {
            std::collections::hash_map::Entry::Occupied(first) => {
                let first = *first.get();
                let at = Where::body(&format!("{}/{i}{}", decl.items, decl.id));
                j.mismatch(
                    "repeat",
                    n,
                    at,
                    format!("record {id} on page {n} was already seen on page {first}"),
                    "each record once",
                    format!("{id} again"),
                );
            }
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(n);
            }
        }
    }
}

/// A loop, the page cap, or a page the walk could not go on from.
fn how_it_ended(j: &mut Judge<'_>, walk: &Ended<'_>) {
    let decl = j.cx.decl;
    let Some(n) = walk.last_page else { return };
    let next = decl.next_pointer().unwrap_or("").to_owned();
    match walk.end {
        End::Loop { to, seen } => j.mismatch(
            "loop",
            n,
            Where::body(&next),
            format!("{next} of page {n} leads back to page {seen}, which the walk already requested: the walk loops"),
            "a page not requested yet",
            to,
        ),
        End::Cap => {
            let cap = j.setup.max_pages;
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
fn compare_with_previous(j: &mut Judge<'_>, walk: &Ended<'_>, previous: &[String], ids: &[String]) {
    if *walk.end != End::Last {
        return;
    }
    let Some(n) = walk.last_page else {
        return;
    };
    let items = j.cx.decl.items.clone();
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
        let (a, b) = (dedup(ids), dedup(previous));
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
