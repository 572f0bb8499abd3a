//! Collapsing repeated findings: a rule broken many times in one case is reported on its first
//! [`SHOWN`] breaks, then once with the count and where the rest were.
//!
//! Two findings break *the same rule* when they come from the same check at the same level and
//! step, cite the same rule, spec location and suite location, and differ only in where they
//! broke (the page of a walk, an array index in the body pointer) and in the values they quote.
//! [`collapse`] runs once per case, where its findings are final ([`CaseResult::close`]), so
//! every report renders the same list. The finding that stands for the repeats keeps the level,
//! so a collapsed failure still fails its case; its [`Repeats`] keep the count and the places
//! for results.json.
//!
//! [`CaseResult::close`]: crate::run::CaseResult::close

use std::collections::HashMap;

use crate::finding::{Finding, Repeats, Severity, Where};

/// Breaks of one rule listed in full before the rest collapse into one finding.
pub const SHOWN: usize = 5;

/// Places named in a collapsed finding's message; results.json lists them all.
const PLACES_NAMED: usize = 3;

/// What makes two findings break the same rule.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RuleKey {
    check: String,
    severity: Severity,
    severity_reason: Option<String>,
    step: usize,
    rule: Option<String>,
    spec_location: Option<String>,
    suite_location: Option<String>,
    expected: Option<String>,
    at: String,
    message: String,
}

/// The rule `f` broke, apart from where and with which values.
pub fn rule_key(f: &Finding) -> RuleKey {
    RuleKey {
        check: f.check.clone(),
        severity: f.severity,
        severity_reason: f.severity_reason.clone(),
        step: f.step,
        rule: f.rule.clone(),
        spec_location: f.spec_location.clone(),
        suite_location: f.suite_location.clone(),
        expected: f.expected.clone(),
        at: format!("{:?} {:?} {}", f.at.part, f.at.header, pointer_shape(&f.at)),
        message: mask_values(&f.message),
    }
}

/// The body pointer with every array index replaced by `*`.
fn pointer_shape(at: &Where) -> String {
    at.pointer
        .as_deref()
        .unwrap_or("")
        .split('/')
        .map(|s| {
            if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
                "*"
            } else {
                s
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// The message with its quoted strings and numbers replaced by `_`, so two breaks of a rule
/// that quote different values read alike.
fn mask_values(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut chars = message.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '"' {
            while let Some(q) = chars.next() {
                match q {
                    '\\' => {
                        chars.next();
                    }
                    '"' => break,
                    _ => {}
                }
            }
            out.push('_');
        } else if c.is_ascii_digit() {
            while chars
                .peek()
                .is_some_and(|d| d.is_ascii_digit() || *d == '.')
            {
                chars.next();
            }
            out.push('_');
        } else {
            out.push(c);
        }
    }
    out
}

/// Keeps the first [`SHOWN`] findings of every rule and puts, right after the last of them,
/// one finding with the count and places of the rest. Findings that already stand for repeats
/// stay as they are, so collapsing twice changes nothing.
pub fn collapse(findings: Vec<Finding>) -> Vec<Finding> {
    let mut seen: HashMap<RuleKey, usize> = HashMap::new();
    for f in findings.iter().filter(|f| f.repeats.is_none()) {
        *seen.entry(rule_key(f)).or_default() += 1;
    }
    if seen.values().all(|&n| n <= SHOWN) {
        return findings;
    }
    let mut kept: Vec<Finding> = Vec::with_capacity(findings.len());
    let mut shown: HashMap<RuleKey, usize> = HashMap::new();
    let mut rest: HashMap<RuleKey, Vec<Finding>> = HashMap::new();
    let mut last_shown: Vec<(RuleKey, usize)> = Vec::new();
    for f in findings {
        if f.repeats.is_some() {
            kept.push(f);
            continue;
        }
        let key = rule_key(&f);
        let n = shown.entry(key.clone()).or_default();
        if *n < SHOWN {
            *n += 1;
            if *n == SHOWN && seen[&key] > SHOWN {
                last_shown.push((key, kept.len()));
            }
            kept.push(f);
        } else {
            rest.entry(key).or_default().push(f);
        }
    }
    for (key, at) in last_shown.into_iter().rev() {
        if let Some(group) = rest.remove(&key) {
            kept.insert(at + 1, summarize(group));
        }
    }
    kept
}

/// The one finding that stands for `group`, the breaks of one rule past the first [`SHOWN`].
fn summarize(group: Vec<Finding>) -> Finding {
    let first = &group[0];
    let same = |get: fn(&Finding) -> Option<&String>| {
        get(first).filter(|v| group.iter().all(|f| get(f) == Some(*v)))
    };
    let expected = same(|f| f.expected.as_ref()).cloned();
    let actual = same(|f| f.actual.as_ref()).cloned();
    let one_place = group.iter().all(|f| f.at == first.at);
    let at = if one_place {
        first.at.clone()
    } else {
        Where {
            pointer: None,
            ..first.at.clone()
        }
    };
    let mut pages: Vec<usize> = group.iter().filter_map(|f| f.page).collect();
    pages.sort_unstable();
    pages.dedup();
    let mut places: Vec<String> = Vec::new();
    if !one_place {
        for f in &group {
            let place = f.at.to_string();
            if !places.contains(&place) {
                places.push(place);
            }
        }
    }
    let more = group.len();
    let on_pages = pages.len() == more && group.iter().all(|f| f.page.is_some());
    let runs = page_runs(&pages);
    let mut message = format!(
        "… and {more} more {} broke the same rule",
        match (on_pages, more) {
            (true, 1) => "page",
            (true, _) => "pages",
            (false, 1) => "time",
            (false, _) => "times",
        }
    );
    let mut wheres = Vec::new();
    if !runs.is_empty() {
        wheres.push(format!(
            "{} {}",
            if pages.len() == 1 { "page" } else { "pages" },
            runs_text(&runs)
        ));
    }
    if !places.is_empty() {
        let mut named = places
            .iter()
            .take(PLACES_NAMED)
            .cloned()
            .collect::<Vec<_>>()
            .join(", ");
        if places.len() > PLACES_NAMED {
            let others = places.len() - PLACES_NAMED;
            let noun = if others == 1 { "place" } else { "places" };
            named.push_str(&format!(" and {others} other {noun}"));
        }
        wheres.push(format!("at {named}"));
    }
    if !wheres.is_empty() {
        message.push_str(": ");
        message.push_str(&wheres.join(", "));
    }
    Finding {
        check: first.check.clone(),
        severity: first.severity,
        step: first.step,
        page: None,
        at,
        expected,
        actual,
        message,
        rule: first.rule.clone(),
        spec_location: first.spec_location.clone(),
        suite_location: first.suite_location.clone(),
        severity_reason: first.severity_reason.clone(),
        repeats: Some(Repeats {
            more,
            total: more + SHOWN,
            pages: runs,
            places,
        }),
    }
}

/// Sorted page numbers as runs of consecutive pages `[first, last]`.
pub fn page_runs(pages: &[usize]) -> Vec<[usize; 2]> {
    let mut runs: Vec<[usize; 2]> = Vec::new();
    for &n in pages {
        match runs.last_mut() {
            Some([_, to]) if *to + 1 == n => *to = n,
            _ => runs.push([n, n]),
        }
    }
    runs
}

/// Runs of pages as people write them: `1, 4–9, 12`.
pub fn runs_text(runs: &[[usize; 2]]) -> String {
    runs.iter()
        .map(|&[from, to]| {
            if from == to {
                from.to_string()
            } else {
                format!("{from}–{to}")
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// How many breaks `f` stands for: 1, or for the finding that stands for repeats, their count;
/// summed over a case's findings, every break of every rule.
pub fn times(f: &Finding) -> usize {
    f.repeats.as_ref().map_or(1, |r| r.more)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn on_page(n: usize) -> Finding {
        Finding::new(
            "response-schema",
            0,
            Where::body("/meta/totalRecords"),
            "\"72\" is not of type \"integer\"",
        )
        .rule("OpenAPI 3 Media Type Object `schema`")
        .spec_location(Some("s.yaml#/x/type".into()))
        .page(n)
    }

    #[test]
    fn a_rule_broken_on_72_pages_is_listed_5_times_then_once_with_the_count() {
        let out = collapse((1..=72).map(on_page).collect());
        assert_eq!(out.len(), SHOWN + 1);
        assert_eq!(out[4].page, Some(5));
        let last = &out[5];
        assert_eq!(
            last.message,
            "… and 67 more pages broke the same rule: pages 6–72"
        );
        assert_eq!(last.at, Where::body("/meta/totalRecords"));
        assert_eq!(last.severity, Severity::Error);
        let r = last.repeats.as_ref().unwrap();
        assert_eq!((r.more, r.total, r.pages.clone()), (67, 72, vec![[6, 72]]));
        assert!(r.places.is_empty());
        assert_eq!(
            collapse(out.clone()),
            out,
            "collapsing twice changes nothing"
        );
    }

    #[test]
    fn indexes_and_values_differ_within_one_rule() {
        let f = |i: usize| {
            Finding::new(
                "response-schema",
                1,
                Where::body(&format!("/data/accounts/{i}/balance")),
                format!("\"{i}.50\" is not of type \"number\""),
            )
        };
        let out = collapse((0..8).map(f).collect());
        assert_eq!(out.len(), 6);
        assert_eq!(
            out[5].message,
            "… and 3 more times broke the same rule: at body /data/accounts/5/balance, body /data/accounts/6/balance, body /data/accounts/7/balance"
        );
        assert_eq!(
            out[5].at,
            Where {
                pointer: None,
                ..Where::body("")
            }
        );
        let out = collapse((0..9).map(f).collect());
        assert!(
            out[5].message.ends_with("/7/balance and 1 other place"),
            "{}",
            out[5].message
        );
        assert_eq!(out[5].repeats.as_ref().unwrap().places.len(), 4);
    }

    #[test]
    fn other_rules_keep_their_place_and_are_not_counted_together() {
        let mut all: Vec<Finding> = (1..=7).map(on_page).collect();
        all.insert(
            2,
            Finding::new("status-documented", 0, Where::status(), "404"),
        );
        all.push(on_page(8).warning());
        all.push(Finding::new("response-schema", 0, Where::body("/meta/totalPages"), "m").page(9));
        let out = collapse(all);
        let checks: Vec<(&str, Option<usize>, bool)> = out
            .iter()
            .map(|f| (f.check.as_str(), f.page, f.repeats.is_some()))
            .collect();
        assert_eq!(
            checks,
            [
                ("response-schema", Some(1), false),
                ("response-schema", Some(2), false),
                ("status-documented", None, false),
                ("response-schema", Some(3), false),
                ("response-schema", Some(4), false),
                ("response-schema", Some(5), false),
                ("response-schema", None, true),
                ("response-schema", Some(8), false),
                ("response-schema", Some(9), false),
            ]
        );
        assert_eq!(
            out[6].message,
            "… and 2 more pages broke the same rule: pages 6–7"
        );
    }

    #[test]
    fn five_breaks_stay_as_they_are() {
        let five: Vec<Finding> = (1..=5).map(on_page).collect();
        assert_eq!(collapse(five.clone()), five);
    }

    #[test]
    fn masks_quoted_strings_and_numbers() {
        assert_eq!(
            mask_values(r#""a\"b" is not one of ["X", 1.5] at 12"#),
            "_ is not one of [_, _] at _"
        );
        assert_eq!(pointer_shape(&Where::body("/data/10/x1/2")), "/data/*/x1/*");
    }

    #[test]
    fn pages_read_as_runs() {
        assert_eq!(runs_text(&page_runs(&[1, 4, 5, 6, 9])), "1, 4–6, 9");
    }

    #[test]
    fn collapsed_warnings_count_in_full_and_keep_their_reason() {
        let mut summary = crate::report::fixture::summary();
        let case = &mut summary.cases[0];
        case.outcome = crate::run::Outcome::Passed;
        case.errors.clear();
        case.findings = (1..=8)
            .map(|n| on_page(n).graded(Severity::Warning, "graded by the suite"))
            .collect();
        case.close();
        assert_eq!(case.outcome, crate::run::Outcome::Passed);
        assert_eq!(case.findings.len(), SHOWN + 1);
        let last = &case.findings[SHOWN];
        assert_eq!(last.severity, Severity::Warning);
        assert_eq!(last.severity_reason.as_deref(), Some("graded by the suite"));
        assert_eq!(case.warnings(), 8, "every break of a collapsed rule counts");
        let one = std::slice::from_ref(&*case);
        assert_eq!(crate::run::RunSummary::count(one).warnings, 8);
    }
}
