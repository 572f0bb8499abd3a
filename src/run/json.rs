//! `results.json`: the whole run as JSON, for tools and for reading back ([`parse`]).
//!
//! ## Format of results.json (version 1)
//!
//! The top-level object is the run. Fields marked *optional* are left out when empty. Baselines,
//! waivers, partitions, exclusions and hints added optional fields, the `waived` total and
//! outcome and the `replay` error kind to version 1 without changing the meaning of anything a
//! version 1 file already held: this accord reads every version 1 file, and a file written
//! without those features reads as it did before, so the version stays 1. Readers should ignore
//! fields they do not know.
//!
//! | Field | Type | Meaning |
//! | --- | --- | --- |
//! | `format` | integer | Version of this format, currently `1`. Readers refuse other versions. |
//! | `accord_version` | string | Version of accord that ran. |
//! | `started_at` | string | Start of the run, RFC 3339 UTC. |
//! | `duration_ms` | integer | Wall time of the whole run. |
//! | `profile` | string, optional | Name of the profile used (never its secrets). |
//! | `targets` | array of target | Where each API's requests went. |
//! | `totals` | totals | Counts per outcome, and of warnings. |
//! | `fail_on_warnings` | boolean, optional | `true` when the run counted warnings as failures (`--fail-on warnings`, or the profile's `verdict.fail_on_warnings`); left out when false. |
//! | `baseline` | comparison, optional | The comparison with `--baseline`. |
//! | `waiver_problems` | array of waiver problem, optional | Waivers that fail the run. |
//! | `hints` | array of hint, optional | What the results suggest about how the run was set up. |
//! | `partition` | partition, optional | The share a partial run (`--partition`) holds. |
//! | `cases` | array of case | Every case, in run order. |
//! | `coverage` | coverage, optional | What the run exercised of each API (absent in files of runs that did not compute it). |
//! | `assessment` | assessment, optional | Whether each API's run tested enough to conclude (absent in files of runs that did not compute it). |
//!
//! **target**: `api` (string), `base_url` (string), `mock` (boolean: one of accord's own
//! reference mocks).
//!
//! **totals**: `cases`, `passed`, `failed`, `errored`, `skipped`, `waived`, `warnings` (integers;
//! `waived` and `warnings` read as 0 when absent). `warnings` counts findings at warning level
//! over every case; a case whose findings are all warnings is `passed`.
//!
//! **comparison**: `file` (string: the baseline as named), `fail_on` (`any` or `new`), `totals`
//! (`new_failures`, `fixed`, `still_failing`, `still_passing`, `new`, `removed`: integers),
//! `removed` (array of case names no suite holds any more, sorted).
//!
//! **waiver problem**: `kind` (`expired` or `stale`), `case`, `check` (optional), `owner`,
//! `expires` (`YYYY-MM-DD`), `location` (`file:line:col` of the entry), `message` (the sentence
//! every report prints).
//!
//! **hint**: `api`, `base_url` (the target's, as used), `base_path` (the path of the spec's server
//! URL, which `base_url` lacks), `suggested` (the base URL probably meant), `not_found` and
//! `responses` (integers: 404 responses and responses in all from the target), `message` (the
//! sentence every report prints).
//!
//! **partition**: `index` (1-based share), `count` (number of shares), `selection` (every selected
//! case name across all shares, in run order).
//!
//! **case**:
//!
//! | Field | Type | Meaning |
//! | --- | --- | --- |
//! | `name` | string | `api::suite::case`, the name tests and reports use. |
//! | `api`, `suite`, `id` | string | The three parts of the name. |
//! | `title` | string | One-line description from the suite. |
//! | `requirements` | array of string | Requirement ids (standard clauses, error codes) the case checks. |
//! | `location` | string | `file:line:col` of the case in its suite. |
//! | `outcome` | string | `passed`, `failed` (a rule was broken), `errored` (accord could not test), `skipped`, or `waived` (failed, every failing finding excused by the waivers file). |
//! | `skip_reason` | string, optional | Why a skipped case did not run. |
//! | `excluded` | boolean, optional | A generated case the suite excludes (`skip_reason` gives the suite's reason, `location` the exclusion); left out when false. |
//! | `duration_ms` | integer | Wall time of the case. |
//! | `exchanges` | array of exchange | Every request sent and its response. |
//! | `findings` | array of finding | Every broken rule. |
//! | `errors` | array of harness error | Everything that stopped accord from testing. |
//! | `waived` | array of `{check, reason}` | Checks the case switched off, and why. |
//! | `waivers` | array of waiver, optional | Entries of the waivers file that excuse findings of the case: `check` (optional), `reason`, `owner`, `expires`, `location`. |
//! | `baseline` | string, optional | With `--baseline`: `new-failure`, `fixed`, `still-failing`, `still-passing` or `new`. |
//! | `choices` | array of choice, optional | What the server chose where the sources allow several answers. |
//! | `refusals` | integer, optional | Answers that were 401, 403 or 404 although their step did not ask for a refusal (left out when 0). |
//!
//! **exchange**: `step` (integer, 0-based index in the case), `operation` (string, optional:
//! `operationId` or `METHOD /path` in the spec), `request`, `response` (optional: absent when
//! none came), `duration_ms` (integer, of the last attempt), `curl` (string: a command that
//! reproduces the request, secrets redacted; absent on a middle page of a long walk, which keeps
//! neither headers nor body, only the `digest` of its response), `attempts` (integer, optional: how many times the
//! request was sent, left out when 1), `retried` (array, optional: one `{reason, wait_ms}` per
//! earlier attempt, saying what came of it and how long accord waited before the next).
//!
//! **request**: `method`, `url` (strings), `headers` (array of `[name, value]` pairs, names lower
//! case, in the order sent), `body` (string, optional).
//!
//! **response**: `status` (integer), `headers` (array of `[name, value]` pairs, names lower case,
//! in the order received), `body` (string; bytes that are not UTF-8 replaced), `body_bytes`
//! (integer: size as received, before any cut), `body_note` (string, optional: why `body`
//! differs from the bytes received), `digest` (object, optional: on a page of a long walk whose
//! body was not kept, what the walk read from that body, so a replay can judge the walk again:
//! `json` (boolean, left out when false), `ids` (array of string or null, one per record),
//! `links` (object: the `cds` links present, by name), `total_records`, `total_pages`, `more`,
//! `next`, `total` (any JSON, as received); each left out when absent).
//!
//! **finding**:
//!
//! | Field | Type | Meaning |
//! | --- | --- | --- |
//! | `check` | string | Stable kebab-case id of the check (`response-schema`). |
//! | `severity` | string | The finding's level: `error` (a failure: a mandatory rule was broken, the case fails) or `warning` (a recommendation not followed, or a constraint the sources do not say must be enforced; fails nothing unless the run counts warnings as failures). |
//! | `step` | integer | 0-based index of the exchange the finding is about. |
//! | `where` | object | `part` (`status`, `header`, `body` or `exchange`), `header` (lower-case name, for `header`), `pointer` (JSON Pointer into the response body, for `body`). |
//! | `expected`, `actual` | string, optional | What the rule asked for and what came back. |
//! | `message` | string | One sentence, the same in every report. |
//! | `rule` | string, optional | The rule enforced (a standard's clause, an RFC section). |
//! | `spec_location` | string, optional | Spec file and JSON Pointer the rule came from. |
//! | `suite_location` | string, optional | Suite `file:line:col` of the expectation. |
//! | `severity_reason` | string, optional | Why the finding has its level, when something other than the check chose it: a suite's `grade`, a generated negative case whose input no source says must be refused, `--fail-on warnings`. |
//! | `repeats` | object, optional | On the finding that stands for a rule's breaks past the first 5 in a case: `more`, `total`, `pages` (`[first, last]` runs), `places`. |
//!
//! **choice**: `step` (integer, 0-based), `allowed` (string: `status 401 or 403`, `2
//! alternatives`), `chosen` (string: `status 403`, `alternative 2: status 400, error EV1100`),
//! `source` (string, optional: the clause that allows the chosen answer), `suite_location`
//! (string, optional: `file:line:col` of the expectation).
//!
//! **harness error**: `kind` (`connect`, `timeout`, `transport`, `tls`, `body-too-large`,
//! `undefined-variable`, `invalid-request`, `auth` (no access token), `unavailable` (429/503
//! through every retry), `budget` (not sent: the host's request budget was spent) or `replay`
//! (a replayed case does not fit its recording)), `step` (integer, 0-based), `message`
//! (string), `curl` (string, optional: the request being attempted).
//!
//! **coverage**: `apis`, one per API in order of first appearance, each with `api`, `required`
//! (the dimensions the run had to cover fully: `statuses`, `errors`, `requirements`) and one
//! tally per dimension: `covered`, `missed`, `exempt` (integers) and `items`. An item has `id`
//! (`listAccounts 200`, an error code, a requirement id), `state` (`covered`, `missed` or
//! `exempt`), optional `operation`, `status`, `title`, `declared`, `reason`, and `cases` (the
//! cases that exercised it). docs/results-json.md describes every field.
//!
//! **assessment**: `thresholds` (`max_skipped`, `max_refused`: shares from 0 to 1) and `apis`, one
//! per API with `api`, `cases`, `skipped_for_data` (cases skipped after sending because the
//! target lacked their data), `answers` (exchanges with a response), `refused` (answers 401, 403
//! or 404 the steps did not ask for) and `inconclusive` (array of sentences, left out when the
//! API's run is conclusive).

use crate::run::{RESULTS_FORMAT, RunSummary};

/// Why a results file could not be read back.
#[derive(Debug, thiserror::Error)]
pub enum ParseError {
    /// The text is not JSON, or not a run summary; `path` names the field that did not fit.
    #[error("not a results file: at {path}: {source}")]
    Shape {
        path: String,
        source: serde_json::Error,
    },
    /// The file was written in a format version this accord does not read.
    #[error("results format {found} is not supported (this accord reads format {supported})")]
    UnsupportedFormat { found: u64, supported: u32 },
}

/// Renders the run as pretty-printed JSON.
pub fn render(summary: &RunSummary) -> String {
    let mut text = serde_json::to_string_pretty(summary)
        .expect("a run summary has string keys only and always serializes");
    text.push('\n');
    text
}

/// Reads a results file back, refusing other format versions.
///
/// Response bodies that are complete JSON get their parsed form back, so checks can run on a
/// replayed run as on a live one; a skipped case gets back its skip, which results.json
/// writes only as its outcome.
pub fn parse(text: &str) -> Result<RunSummary, ParseError> {
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|source| ParseError::Shape {
            path: ".".into(),
            source,
        })?;
    let found = value.get("format").and_then(serde_json::Value::as_u64);
    if let Some(found) = found.filter(|f| *f != u64::from(RESULTS_FORMAT)) {
        return Err(ParseError::UnsupportedFormat {
            found,
            supported: RESULTS_FORMAT,
        });
    }
    let mut summary: RunSummary =
        serde_path_to_error::deserialize(value).map_err(|e| ParseError::Shape {
            path: e.path().to_string(),
            source: e.into_inner(),
        })?;
    for case in &mut summary.cases {
        case.skipped = case.outcome == crate::run::Outcome::Skipped;
        for response in case
            .exchanges
            .iter_mut()
            .filter_map(|e| e.response.as_mut())
        {
            if response.body_note.is_none() {
                response.json = serde_json::from_str(&response.body).ok();
            }
        }
    }
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture;

    #[test]
    fn snapshot_with_waivers_and_baseline() {
        fixture::snapshot_settings().bind(|| {
            insta::assert_snapshot!("json_ci", render(&fixture::summary_for_ci()));
        });
    }

    #[test]
    fn snapshot() {
        fixture::snapshot_settings().bind(|| {
            insta::assert_snapshot!("json", render(&fixture::summary()));
        });
    }

    #[test]
    fn round_trips() {
        let summary = fixture::summary();
        let back = parse(&render(&summary)).expect("reads back");
        assert_eq!(back, summary);
    }

    #[test]
    fn refuses_other_versions() {
        let text = render(&fixture::summary()).replacen("\"format\": 1", "\"format\": 7", 1);
        assert!(matches!(
            parse(&text),
            Err(ParseError::UnsupportedFormat { found: 7, .. })
        ));
    }

    #[test]
    fn names_the_field_that_does_not_fit() {
        let text = render(&fixture::summary()).replacen(
            "\"outcome\": \"passed\"",
            "\"outcome\": \"green\"",
            1,
        );
        let err = parse(&text).expect_err("bad outcome");
        assert!(err.to_string().contains("cases[0].outcome"), "{err}");
    }
}
