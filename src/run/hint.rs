//! Hints: what a run's results suggest about how it was set up, said in every report next to
//! the verdicts (which they never change).
//!
//! One hint exists today, the base path: a spec whose server URL has a path
//! (`servers: [{url: /api}]`) describes operations under that path, and a target URL given
//! without it sends every request to the wrong place. When most responses from a target are
//! 404 and its URL does not end with the spec's base path, the [`Hint`] names the base URL that
//! was probably meant. The main function is [`of_run`].

use serde::{Deserialize, Serialize};

use crate::run::{CaseResult, Target};

/// A hint about one API's target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hint {
    pub api: String,
    /// The target's base URL as the run used it (secrets redacted).
    pub base_url: String,
    /// The path of the spec's server URL, which the target's URL lacks.
    pub base_path: String,
    /// The base URL that was probably meant.
    pub suggested: String,
    /// Responses with status 404, and responses in all, from the target.
    pub not_found: usize,
    pub responses: usize,
    /// The sentence every report prints.
    pub message: String,
}

/// The hints of a run of `plan` over `cases` against `targets`.
pub fn of_run(plan: &crate::plan::Plan, cases: &[CaseResult], targets: &[Target]) -> Vec<Hint> {
    targets
        .iter()
        .filter_map(|t| {
            let spec = &plan.suites.iter().find(|s| s.suite.file.api == t.api)?.spec;
            base_path(&t.api, &t.base_url, &spec.base_path, cases)
        })
        .collect()
}

/// The hints of a run made of several (the shares of a split run), counted again over all of
/// its cases: a share's hint holds when most responses of the whole run bear it out.
pub fn recount(hints: &[Hint], cases: &[CaseResult]) -> Vec<Hint> {
    let mut out: Vec<Hint> = Vec::new();
    for h in hints {
        if out.iter().any(|o| o.api == h.api) {
            continue;
        }
        out.extend(base_path(&h.api, &h.base_url, &h.base_path, cases));
    }
    out
}

/// The base-path hint for one API, when its responses call for it.
fn base_path(api: &str, base_url: &str, spec_path: &str, cases: &[CaseResult]) -> Option<Hint> {
    let spec_path = spec_path.trim_end_matches('/');
    if spec_path.is_empty() {
        return None;
    }
    let url = url::Url::parse(base_url).ok()?;
    let own = url.path().trim_end_matches('/');
    if own.ends_with(spec_path) {
        return None;
    }
    let statuses: Vec<u16> = cases
        .iter()
        .filter(|c| c.api == api)
        .flat_map(|c| &c.exchanges)
        .filter_map(|e| e.response.as_ref().map(|r| r.status))
        .collect();
    let not_found = statuses.iter().filter(|s| **s == 404).count();
    if not_found * 2 <= statuses.len() {
        return None;
    }
    let suggested = format!("{}{spec_path}", base_url.trim_end_matches('/'));
    let message = format!(
        "{not_found} of {} responses from {base_url} were 404, and the spec's server URL has the path {spec_path}, which the target's URL lacks: the base URL was probably {suggested}",
        statuses.len()
    );
    Some(Hint {
        api: api.to_owned(),
        base_url: base_url.to_owned(),
        base_path: spec_path.to_owned(),
        suggested,
        not_found,
        responses: statuses.len(),
        message,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture;

    fn with_statuses(statuses: &[u16]) -> Vec<CaseResult> {
        let mut case = fixture::summary().cases[0].clone();
        let template = case.exchanges[0].clone();
        case.exchanges = statuses
            .iter()
            .map(|s| {
                let mut e = template.clone();
                e.response.as_mut().unwrap().status = *s;
                e
            })
            .collect();
        vec![case]
    }

    #[test]
    fn most_404s_and_a_missing_base_path_name_the_url_meant() {
        let cases = with_statuses(&[404, 404, 200]);
        let h = base_path("cdr", "http://127.0.0.1:8080/", "/api", &cases).expect("a hint");
        assert_eq!(h.suggested, "http://127.0.0.1:8080/api");
        assert_eq!(
            h.message,
            "2 of 3 responses from http://127.0.0.1:8080/ were 404, and the spec's server URL has the path /api, which the target's URL lacks: the base URL was probably http://127.0.0.1:8080/api"
        );
        assert_eq!(recount(std::slice::from_ref(&h), &cases), [h]);
    }

    #[test]
    fn no_hint_without_cause() {
        let most = with_statuses(&[404, 404, 200]);
        let half = with_statuses(&[404, 200]);
        assert!(
            base_path("cdr", "http://h/", "", &most).is_none(),
            "no base path"
        );
        assert!(
            base_path("cdr", "http://h/x/api/", "/api", &most).is_none(),
            "has it"
        );
        assert!(
            base_path("cdr", "http://h", "/api", &half).is_none(),
            "not most"
        );
        assert!(
            base_path("other", "http://h", "/api", &most).is_none(),
            "no responses"
        );
        assert!(recount(&[], &most).is_empty());
    }
}
