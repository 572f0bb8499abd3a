//! Run coverage: what a run exercised of each API it covered, in three dimensions.
//!
//! - **statuses**: every response status each operation the run exercised documents
//!   (`listAccounts 200`, or a class such as `5XX`; `default` names no status and is left out),
//!   covered when an exchange of the operation received a status it covers. An operation no
//!   exchange reached is left out: a run of one operation of a large document is judged on that
//!   operation's statuses;
//! - **errors**: every code of the API's error catalogue that some operation may return,
//!   exercised when an error response carried it;
//! - **requirements**: every requirement the API declares (`protocol.coverage.requirements`)
//!   or a case cites, exercised when a case citing it ran to a verdict (passed or failed). A
//!   case requirement `X (detail)` counts for `X`. An API with a requirements catalogue has
//!   exactly the catalogue's requirements, each carrying its [`Statement`], and a case counts
//!   for those it cites by id and those whose entry names it.
//!
//! What the API exempts (`protocol.coverage.exempt`, with reasons; for a catalogue, the
//! statements no black box can test, the permissions and the gaps) is reported apart and never
//! counts as missed. [`compute`](fn@compute) builds the [`Coverage`] stored in the run summary, so every
//! report shows it; [`Coverage::unmet`] says which required dimensions a run left incomplete.

mod compute;

use std::fmt;

use serde::{Deserialize, Serialize};

pub use crate::suite::protocol::coverage::Dimension;
pub use compute::compute;

/// Whether a run exercised an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    Covered,
    Missed,
    /// Declared as impossible to provoke; `reason` says why.
    Exempt,
}

/// One thing a run may exercise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    /// `listAccounts 200`, an error code, or a requirement id.
    pub id: String,
    /// For statuses: the operation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation: Option<String>,
    /// For statuses: the status as documented (`200`, `4XX`, `default`); for error codes: the
    /// catalogued status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// For error codes: the catalogued title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// For requirements: declared by the API (rather than only cited by cases).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub declared: Option<bool>,
    pub state: State,
    /// For exempt items: why no suite can provoke it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The cases that exercised it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cases: Vec<String>,
    /// For a requirement of a catalogue: the statement it stands for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statement: Option<Statement>,
}

/// What a catalogue says of a requirement, carried into the run summary so every report (and
/// a replay or merge) can show it without the catalogue file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Statement {
    pub level: crate::catalogue::Level,
    /// The source and its section: `Consumer Data Standards 1.36.0, Pagination › Query
    /// Parameters`.
    pub source: String,
    /// The sentence, quoted.
    pub says: String,
    /// The checks that judge it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub checks: Vec<String>,
    /// The fault switches that prove those checks catch a break of it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub faults: Vec<String>,
    /// `tested`, `untestable`, `allows` (a permission) or `gap` (testable, not tested yet).
    pub status: String,
    /// Why, for a statement that is not tested.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub why: Option<String>,
    /// How the suites read it, where that needs saying.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Statement {
    /// The statement of requirement `r` of `cat`.
    pub fn of(cat: &crate::catalogue::Catalogue, r: &crate::catalogue::Requirement) -> Statement {
        use crate::catalogue::Status;
        let (status, why) = match r.status() {
            Status::Tested => ("tested", None),
            Status::Untestable(w) => ("untestable", Some(w)),
            Status::Allows(w) => ("allows", Some(w)),
            Status::Gap(w) => ("gap", Some(w)),
        };
        Statement {
            level: r.level,
            source: cat.cited_from(r),
            says: r.says.clone(),
            checks: r.checks.clone(),
            faults: r.faults.clone(),
            status: status.to_owned(),
            why: why.map(str::to_owned),
            note: r.note.clone(),
        }
    }
}

/// Joins the coverage of partial runs of one plan (each computed over all of the plan's items,
/// with only its own cases): an item is covered when any part covered it, and its cases are
/// listed in `order` (the joined run's case order).
pub fn join(parts: &[&Coverage], order: &[String]) -> Option<Coverage> {
    if parts.is_empty() {
        return None;
    }
    let position = |name: &String| order.iter().position(|n| n == name).unwrap_or(usize::MAX);
    let join_tally = |api: &str, d: Dimension, mine: &Tally| {
        // Statuses are listed per operation a part exercised, so parts may list different items.
        let mut all: Vec<&Item> = mine.items.iter().collect();
        for part in parts {
            for theirs in part.apis.iter().filter(|a| a.api == api) {
                for other in &theirs.tally(d).items {
                    if !all.iter().any(|i| i.id == other.id) {
                        all.push(other);
                    }
                }
            }
        }
        let items = all
            .into_iter()
            .map(|item| {
                let mut item = item.clone();
                for part in parts {
                    let Some(theirs) = part.apis.iter().find(|a| a.api == api) else {
                        continue;
                    };
                    let id = item.id.clone();
                    for other in theirs.tally(d).items.iter().filter(|o| o.id == id) {
                        // A part that covered the item describes it as the whole run would.
                        if other.state == State::Covered && item.state != State::Covered {
                            let cases = std::mem::take(&mut item.cases);
                            item = other.clone();
                            item.cases.extend(cases);
                        } else {
                            item.cases.extend(other.cases.iter().cloned());
                        }
                    }
                }
                item.cases.sort_by_key(position);
                item.cases.dedup();
                item
            })
            .collect();
        Tally::new(items)
    };
    // A part covers only the APIs its cases belong to; the whole run lists each API in the
    // order of its first case.
    let mut apis: Vec<&ApiCoverage> = Vec::new();
    for part in parts {
        for a in &part.apis {
            if !apis.iter().any(|x| x.api == a.api) {
                apis.push(a);
            }
        }
    }
    let first_case = |api: &str| {
        order
            .iter()
            .position(|n| n.split("::").next() == Some(api))
            .unwrap_or(usize::MAX)
    };
    apis.sort_by_key(|a| first_case(&a.api));
    Some(Coverage {
        apis: apis
            .into_iter()
            .map(|a| ApiCoverage {
                api: a.api.clone(),
                required: a.required.clone(),
                statuses: join_tally(&a.api, Dimension::Statuses, &a.statuses),
                errors: join_tally(&a.api, Dimension::Errors, &a.errors),
                requirements: join_tally(&a.api, Dimension::Requirements, &a.requirements),
                notes: a.notes.clone(),
            })
            .collect(),
    })
}

/// The items of one dimension, with counts per state.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    pub covered: usize,
    pub missed: usize,
    pub exempt: usize,
    pub items: Vec<Item>,
}

impl Tally {
    fn new(items: Vec<Item>) -> Tally {
        let count = |s: State| items.iter().filter(|i| i.state == s).count();
        Tally {
            covered: count(State::Covered),
            missed: count(State::Missed),
            exempt: count(State::Exempt),
            items,
        }
    }

    /// The items no case exercised and nothing exempts.
    pub fn missed_items(&self) -> impl Iterator<Item = &Item> {
        self.items.iter().filter(|i| i.state == State::Missed)
    }
}

/// Coverage of one API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiCoverage {
    pub api: String,
    /// Dimensions the run had to cover fully: from `--require-coverage` and the API's
    /// `protocol.coverage.require`.
    pub required: Vec<Dimension>,
    pub statuses: Tally,
    pub errors: Tally,
    pub requirements: Tally,
    /// What a reader of the counts should know: an exemption that exempts nothing because the
    /// spec the run used does not document what it names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

impl ApiCoverage {
    pub fn tally(&self, d: Dimension) -> &Tally {
        match d {
            Dimension::Statuses => &self.statuses,
            Dimension::Errors => &self.errors,
            Dimension::Requirements => &self.requirements,
        }
    }
}

/// Coverage of every API the run selected cases of, in order of first appearance.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Coverage {
    pub apis: Vec<ApiCoverage>,
}

/// A required dimension the run did not cover fully.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unmet<'a> {
    pub api: &'a str,
    pub dimension: Dimension,
    pub missed: Vec<&'a Item>,
}

impl fmt::Display for Unmet<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ids: Vec<&str> = self.missed.iter().map(|i| i.id.as_str()).collect();
        write!(
            f,
            "{}: {} {} not covered: {}",
            self.api,
            self.missed.len(),
            self.dimension.noun(),
            ids.join("; ")
        )
    }
}

impl Coverage {
    /// Every required dimension with missed items.
    pub fn unmet(&self) -> Vec<Unmet<'_>> {
        let mut out = Vec::new();
        for a in &self.apis {
            for d in &a.required {
                let missed: Vec<&Item> = a.tally(*d).missed_items().collect();
                if !missed.is_empty() {
                    out.push(Unmet {
                        api: &a.api,
                        dimension: *d,
                        missed,
                    });
                }
            }
        }
        out
    }
}

/// True when a case's requirement `cited` counts for requirement `id`: the same text, or `id`
/// followed by a parenthesised detail (`CDS Pagination (page-size)` counts for `CDS Pagination`).
pub fn counts_for(cited: &str, id: &str) -> bool {
    cited == id
        || cited
            .strip_prefix(id)
            .is_some_and(|rest| rest.starts_with(" ("))
}

#[cfg(test)]
mod tests;
