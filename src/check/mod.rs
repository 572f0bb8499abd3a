//! Checks judge recorded exchanges. They never do I/O: each reads one [`StepContext`] (the
//! exchange, the spec operation it matched, the step's expectations) and pushes [`Finding`]s.
//!
//! Two families share one list, [`CHECKS`]:
//! - automatic checks, derived from the spec, run on every exchange (a case may waive one,
//!   with a reason that every report shows);
//! - expectation checks, which enforce what the suite's `expect` states.
//!
//! Adding a check: a file here with a unit struct implementing [`Check`], its tests, and one
//! entry in [`CHECKS`].

mod auth_no_data;
mod cds_type;
mod content_type;
mod correlation_id;
mod error_catalogue;
mod error_detail_names_input;
pub mod error_title;
mod expect_body;
mod expect_error;
mod expect_header;
pub mod expect_snapshot;
mod expect_status;
mod ird_number;
mod negative_rejected;
mod pagination_page;
mod pagination_walk;
pub use pagination_walk::{ID as PAGINATION_WALK, WalkJudge};
mod response_headers;
mod response_schema;
mod status_documented;
mod version_negotiation;

use std::borrow::Cow;
use std::path::PathBuf;

use serde_json::Value;

use crate::exchange::{Exchange, RecordedResponse};
use crate::finding::{Choice, Finding};
use crate::openapi::{Operation, Response, SchemaViolation, Spec};
use crate::suite::{Expect, Suite};
use crate::template::Vars;

pub use expect_snapshot::snapshot_path;

/// What a check sees of one step.
pub struct StepContext<'a> {
    /// Index of the step in its case.
    pub step: usize,
    pub exchange: &'a Exchange,
    pub response: &'a RecordedResponse,
    pub spec: &'a Spec,
    /// The spec operation the request matched, if any.
    pub operation: Option<&'a Operation>,
    pub suite: &'a Suite,
    /// Case id, for snapshot names.
    pub case_id: &'a str,
    /// Requirement ids of the case, cited as the rule of expectation findings.
    pub requirements: &'a [String],
    pub expect: &'a Expect,
    /// JSON Pointer of this step in the suite document.
    pub step_at: String,
    /// JSON Pointer of the expectation being judged: the step's `/expect`, or one of its
    /// `one_of` alternatives.
    pub expect_at: String,
    /// Variables as they stood when the request was sent.
    pub vars: &'a Vars,
    /// The API's protocol rules, when one of its suites declares them.
    pub protocol: Option<&'a crate::suite::protocol::Protocol>,
    /// Stored body snapshots, read before the run: path to content.
    pub snapshots: &'a std::collections::HashMap<PathBuf, String>,
    /// The body's violations of the schema declared for it, found once before the checks ran
    /// ([`body_violations`]); `None` when they were not.
    pub body_violations: Option<&'a [SchemaViolation]>,
}

impl<'a> StepContext<'a> {
    /// The documented response for the received status: exact code, then `4XX`-style range,
    /// then `default`.
    pub fn documented_response(&self) -> Option<&Response> {
        documented_response(self.operation?, self.response.status)
    }

    /// The violations of the declared body schema by the JSON body: those found before the
    /// checks ran, else found now.
    fn violations_of(
        &self,
        declared: &response_schema::DeclaredBody,
        json: &Value,
    ) -> Cow<'a, [SchemaViolation]> {
        match self.body_violations {
            Some(found) => Cow::Borrowed(found),
            None => Cow::Owned(self.spec.validate(declared.schema, json)),
        }
    }

    /// `file:line:col` of a node under the expectation being judged.
    pub fn suite_location(&self, sub: &str) -> Option<String> {
        Some(self.suite.location(&format!("{}{sub}", self.expect_at)))
    }

    /// Records that the server chose `chosen` among what the expectation at `sub` allowed.
    pub fn choice(&self, allowed: String, chosen: String) -> Choice {
        Choice {
            step: self.step,
            allowed,
            chosen,
            source: None,
            suite_location: self.suite_location(""),
        }
    }

    /// The case's requirements as one rule string.
    pub fn rule(&self) -> Option<String> {
        (!self.requirements.is_empty()).then(|| self.requirements.join(", "))
    }
}

/// The response an operation documents for a status: exact code, then `4XX`-style range,
/// then `default`.
fn documented_response(op: &Operation, status: u16) -> Option<&Response> {
    let mut first = status;
    while first >= 10 {
        first /= 10;
    }
    // `2XX` for 204, compared without writing either out: this runs for every exchange.
    let range = |s: &str| {
        let b = s.as_bytes();
        b.len() == 3 && b[0] == b'0' + first as u8 && b[1..].eq_ignore_ascii_case(b"XX")
    };
    op.responses
        .iter()
        .find(|r| is_status(&r.status, status))
        .or_else(|| op.responses.iter().find(|r| range(&r.status)))
        .or_else(|| op.responses.iter().find(|r| r.status == "default"))
}

/// True when `text` is `status` as decimal digits with no leading zero (as `to_string`
/// writes it).
fn is_status(text: &str, status: u16) -> bool {
    text.bytes().all(|b| b.is_ascii_digit())
        && (text.len() == 1 || !text.starts_with('0'))
        && text.parse() == Ok(status)
}

/// Validates a response's JSON body against the schema the spec declares for its status and
/// media type, once for every check that reads the violations (`response-schema` and
/// `cds-type`). The body is lent and comes back unchanged; it is never copied. `None` when
/// no schema is declared, or when the case waives both checks.
pub fn body_violations(
    spec: &Spec,
    operation: Option<&Operation>,
    response: &RecordedResponse,
    json: &mut Value,
    waived: &[String],
) -> Option<Vec<SchemaViolation>> {
    let readers = [response_schema::ResponseSchema.id(), cds_type::CdsType.id()];
    if readers.iter().all(|id| waived.iter().any(|w| w == id)) {
        return None;
    }
    let declared = response_schema::declared_body_of(operation, response)?;
    Some(spec.validate_lent(declared.schema, json))
}

/// Where a pagination walk is judged: its step and the API's declaration.
pub struct WalkContext<'a> {
    /// Index of the walking step in its case.
    pub step: usize,
    /// The API's `protocol.pagination` declaration.
    pub decl: &'a crate::suite::protocol::pagination::Pagination,
    /// `file:line:col` of the walking step (its declaration, for a generated one).
    pub suite_location: Option<String>,
}

/// What checks produce besides findings.
#[derive(Debug, Default)]
pub struct Output {
    pub findings: Vec<Finding>,
    /// Snapshots that do not match or do not exist yet: path and the new content.
    pub snapshots: Vec<(PathBuf, String)>,
    /// What the server chose where the expectation allowed several answers.
    pub choices: Vec<Choice>,
}

/// One rule, judged on one exchange.
pub trait Check: Sync {
    /// Stable kebab-case id, used in reports and in `waive`.
    fn id(&self) -> &'static str;
    /// One line: what the check verifies.
    fn summary(&self) -> &'static str;
    /// The clause the check enforces.
    fn rule(&self) -> &'static str;
    /// True for checks derived from the spec, which run on every exchange.
    fn automatic(&self) -> bool;
    fn run(&self, cx: &StepContext<'_>, out: &mut Output);
}

/// Every check, in the order they run and are listed.
pub static CHECKS: &[&dyn Check] = &[
    &status_documented::StatusDocumented,
    &content_type::ContentType,
    &response_schema::ResponseSchema,
    &response_headers::ResponseHeaders,
    &correlation_id::CorrelationId,
    &expect_status::ExpectStatus,
    &expect_header::ExpectHeader,
    &expect_body::ExpectBody,
    &expect_error::ExpectError,
    &expect_snapshot::ExpectSnapshot,
    &pagination_page::PaginationPage,
    &version_negotiation::VersionNegotiation,
    &auth_no_data::AuthNoData,
    &error_catalogue::ErrorCatalogue,
    &error_title::ErrorTitleConstant,
    &cds_type::CdsType,
    &ird_number::IrdNumber,
    &negative_rejected::NegativeRejected,
    &error_detail_names_input::ErrorDetailNamesInput,
    &pagination_walk::PaginationWalk,
];

/// The id of findings about captures a later step needed but the response did not provide.
pub const CAPTURE: &str = "capture";

/// The id of findings about an Arazzo step whose `successCriteria` did not hold.
pub const SUCCESS_CRITERIA: &str = "success-criteria";

/// Every check id (plus `capture` and `success-criteria`), as [`crate::check_ids`] lists them.
pub fn ids() -> impl Iterator<Item = &'static str> {
    crate::check_ids::ids()
}

/// True when `id` names a check.
pub fn is_known(id: &str) -> bool {
    crate::check_ids::is_known(id)
}

/// Runs every check not waived by the case, then judges the step's `one_of` alternatives.
pub fn run_all(cx: &StepContext<'_>, waived: &[String]) -> Output {
    let mut out = Output::default();
    for check in CHECKS {
        if waived.iter().any(|w| w == check.id()) {
            continue;
        }
        check.run(cx, &mut out);
    }
    if !cx.expect.one_of.is_empty() {
        alternatives(cx, waived, &mut out);
    }
    out
}

/// The first alternative that holds is the server's choice. When none holds, the findings of
/// the one that came nearest (fewest failing findings, first in order) stand for the step.
fn alternatives(cx: &StepContext<'_>, waived: &[String], out: &mut Output) {
    let alternatives = &cx.expect.one_of;
    let mut nearest: Option<(usize, Output)> = None;
    for (i, alternative) in alternatives.iter().enumerate() {
        let expect = alternative.expect();
        let here = StepContext {
            expect: &expect,
            expect_at: format!("{}/one_of/{i}", cx.expect_at),
            step_at: cx.step_at.clone(),
            ..*cx
        };
        let mut mine = Output::default();
        for check in CHECKS.iter().filter(|c| !c.automatic()) {
            if !waived.iter().any(|w| w == check.id()) {
                check.run(&here, &mut mine);
            }
        }
        let failing = mine.findings.iter().filter(|f| f.fails()).count();
        if failing == 0 {
            out.findings.extend(mine.findings);
            out.choices.push(Choice {
                source: Some(alternative.source.clone()),
                ..here.choice(
                    format!("{} alternatives", alternatives.len()),
                    format!("alternative {}: {}", i + 1, alternative.describe()),
                )
            });
            return;
        }
        if nearest.as_ref().is_none_or(|(n, _)| failing < *n) {
            nearest = Some((failing, mine));
        }
    }
    if let Some((_, mine)) = nearest {
        out.findings.extend(mine.findings);
    }
}

/// True unless the case waives `pagination-walk`: a walk of the case is then judged by a
/// [`WalkJudge`], which takes its pages as they arrive.
pub fn judges_walk(waived: &[String]) -> bool {
    !waived.iter().any(|w| w == pagination_walk::ID)
}

/// Gives each finding of case `ci` the level its suite's `grade` sets for the check, with the
/// reason and where the suite says it.
pub fn grade(findings: &mut [Finding], suite: &Suite, ci: usize) {
    for f in findings {
        if let Some((level, reason)) = suite.grade(ci, &f.check) {
            *f = f.clone().graded(level.severity(), reason);
        }
    }
}

pub use crate::diag::brief;

/// The regex that matches a whole value against a suite's `matches` pattern, `None` when the
/// pattern does not compile (the suite loader reports that). Compiled once per pattern for
/// the process: a suite holds few patterns and a run judges them on every exchange.
fn whole_match(pattern: &str) -> Option<regex::Regex> {
    type Cache = std::collections::HashMap<String, Option<regex::Regex>>;
    static CACHE: std::sync::LazyLock<std::sync::Mutex<Cache>> =
        std::sync::LazyLock::new(Default::default);
    let mut cache = CACHE
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(re) = cache.get(pattern) {
        return re.clone();
    }
    let re = regex::Regex::new(&format!("^(?:{pattern})$")).ok();
    cache.insert(pattern.to_owned(), re.clone());
    re
}

#[cfg(test)]
pub(crate) mod testing;

#[cfg(test)]
mod tests {
    use super::testing::Fixture;

    #[test]
    fn the_base_list_of_ids_is_the_registry() {
        let registry: Vec<&str> = super::CHECKS
            .iter()
            .map(|c| c.id())
            .chain([super::CAPTURE, super::SUCCESS_CRITERIA])
            .collect();
        assert_eq!(registry, crate::check_ids::IDS);
    }

    const ONE_OF: &str = "expect:\n  one_of:\n    - {status: 401, error: [EV1042, EV1043], source: \"build pack 3.2\"}\n    - {status: 400, error: EV1100, source: \"build pack 3.1\"}\n";

    #[test]
    fn the_first_alternative_that_holds_is_the_choice() {
        let out = Fixture::new(ONE_OF).output_of(400, &[], r#"{"errors":[{"code":"EV1100"}]}"#);
        assert!(
            out.findings.iter().all(|f| !f.check.starts_with("expect-")),
            "{:?}",
            out.findings
        );
        assert_eq!(
            out.choices
                .iter()
                .map(crate::finding::Choice::describe)
                .collect::<Vec<_>>(),
            [
                "step 1: alternative 2: status 400, error EV1100 (allowed: 2 alternatives), per build pack 3.1"
            ]
        );
        assert_eq!(
            out.choices[0].suite_location.as_deref(),
            Some("t.yaml:14:15")
        );
    }

    #[test]
    fn when_none_holds_the_nearest_speaks_for_the_step() {
        let out = Fixture::new(ONE_OF).output_of(401, &[], r#"{"errors":[{"code":"EV1024"}]}"#);
        assert!(out.choices.is_empty());
        let mine: Vec<String> = out
            .findings
            .iter()
            .filter(|f| f.check.starts_with("expect-"))
            .map(|f| {
                format!(
                    "{} {}",
                    f.message,
                    f.suite_location.as_deref().unwrap_or("")
                )
            })
            .collect();
        assert_eq!(
            mine,
            ["expected error code EV1042 or EV1043, found EV1024 t.yaml:13:36"]
        );
    }

    #[test]
    fn a_status_is_read_as_written_out() {
        assert!(super::is_status("200", 200));
        assert!(super::is_status("0", 0));
        for other in ["0200", "+200", "20", "2000", "", "2XX", " 200"] {
            assert!(!super::is_status(other, 200), "{other}");
        }
    }

    /// The checks table of docs/checks.md is the registry, row for row, in registry order.
    #[test]
    fn the_checks_page_lists_every_check() {
        let page = include_str!("../../docs/checks.md");
        let rows: Vec<&str> = page.lines().filter(|l| l.starts_with("| `")).collect();
        let expected: Vec<String> = super::CHECKS
            .iter()
            .map(|c| {
                let kind = if c.automatic() {
                    "automatic"
                } else {
                    "expectation"
                };
                format!("| `{}` | {kind} | {} | {} |", c.id(), c.summary(), c.rule())
            })
            .collect();
        assert_eq!(
            rows, expected,
            "docs/checks.md and the check registry differ"
        );
    }
}
