//! Finding and loading suites and the specs they name, offline: what `lint`, `list` and `run`
//! share. Every spec is loaded once however many suites name it, and each suite is cross-checked
//! against its spec (operation ids and path templates exist, and the requests it will send are
//! ones the spec accepts: [`crate::suite::sendable`]). The sound part of a suite with
//! problems is cross-checked too, so one load reports every problem.
//!
//! The main type is [`Plan`], and [`load_with`] the order of the load. Its parts: finding the
//! suite files (`files`), adding the cases protocol rules generate (`generated`), the
//! cross-checks of each suite (`cross_check`), what the suites of one API share (`shared`), and
//! judging an API's suites against another spec (`retarget`).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

mod cross_check;
mod files;
mod generated;
pub mod lint;
mod retarget;
mod shared;
mod snapshots;

pub(crate) use cross_check::cross_check;
pub use files::discover;
pub(crate) use generated::add_generated;
pub use snapshots::read_snapshots;

use crate::catalogue::Catalogue;
use crate::diag::Diagnostic;
use crate::openapi::Spec;
use crate::suite::Suite;
use crate::suite::load::read_suite;
use crate::suite::protocol::Protocol;
use cross_check::{graded_cases_exist, walks_need_pagination};
use retarget::retarget;
use shared::{load_catalogue, share_catalogues, share_protocols};

/// Loaded suites with their specs.
#[derive(Debug, Default)]
pub struct Plan {
    pub suites: Vec<PlannedSuite>,
    /// Specs by the path suites named them with.
    pub specs: Vec<Arc<Spec>>,
}

#[derive(Debug, Clone)]
pub struct PlannedSuite {
    pub suite: Arc<Suite>,
    pub spec: Arc<Spec>,
    /// The protocol rules of the suite's API, wherever among its suites they are declared.
    pub protocol: Option<Arc<Protocol>>,
    /// For an Arazzo document: its workflows, which the runner runs in place of the suite's
    /// steps.
    pub arazzo: Option<Arc<crate::arazzo::plan::Flows>>,
    /// The requirements catalogue of the suite's API, whichever of its suites names it.
    pub catalogue: Option<Arc<Catalogue>>,
}

impl Plan {
    /// Every case, as (suite index, case index), in file order.
    pub fn cases(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        self.suites
            .iter()
            .enumerate()
            .flat_map(|(si, s)| (0..s.suite.file.cases.len()).map(move |ci| (si, ci)))
    }

    /// The APIs the plan's suites cover, in order of first appearance.
    pub fn apis(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for s in &self.suites {
            if !out.contains(&s.suite.file.api) {
                out.push(s.suite.file.api.clone());
            }
        }
        out
    }
}

/// Loads every suite under `paths` and every spec they name; all problems come back together.
pub fn load(paths: &[PathBuf]) -> Result<Plan, Vec<Diagnostic>> {
    load_with(paths, &[])
}

/// Like [`load`], with some APIs' suites judged against another spec (`api`, file): a
/// provider's own OpenAPI or Swagger document, say. Steps that name an operation the other
/// spec lacks are matched to its operation with the same method and path template.
pub fn load_with(
    paths: &[PathBuf],
    spec_overrides: &[(String, PathBuf)],
) -> Result<Plan, Vec<Diagnostic>> {
    let files = discover(paths)?;
    if files.is_empty() {
        let shown: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        return Err(vec![Diagnostic::file(
            shown.join(", "),
            "no suite files (*.yaml) found",
        )]);
    }
    let mut problems = Vec::new();
    let mut specs: HashMap<PathBuf, Option<Arc<Spec>>> = HashMap::new();
    let mut plan = Plan::default();
    let mut overrides: HashMap<&str, Option<Arc<Spec>>> = HashMap::new();
    let mut catalogues: HashMap<PathBuf, Option<Arc<Catalogue>>> = HashMap::new();
    for (api, path) in spec_overrides {
        let spec = match Spec::load(path) {
            Ok(s) => {
                let s = Arc::new(s);
                plan.specs.push(s.clone());
                Some(s)
            }
            Err(mut d) => {
                problems.append(&mut d);
                None
            }
        };
        overrides.insert(api.as_str(), spec);
    }
    for f in files {
        if crate::arazzo::load::is_arazzo_file(&f) {
            let mut spec_of = |path: &Path| -> Result<Arc<Spec>, Vec<Diagnostic>> {
                let key = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
                if let Some(Some(s)) = specs.get(&key) {
                    return Ok(s.clone());
                }
                let s = Arc::new(Spec::load(path)?);
                plan.specs.push(s.clone());
                specs.insert(key, Some(s.clone()));
                Ok(s)
            };
            match crate::arazzo::plan::load(&f, &mut spec_of) {
                Ok((suite, flows)) => {
                    let spec = flows.specs[0].1.clone();
                    problems.extend(cross_check(&suite, &spec));
                    plan.suites.push(PlannedSuite {
                        suite: Arc::new(suite),
                        spec,
                        protocol: None,
                        arazzo: Some(Arc::new(flows)),
                        catalogue: None,
                    });
                }
                Err(mut d) => problems.append(&mut d),
            }
            continue;
        }
        let read = read_suite(&f);
        problems.extend(read.problems);
        let Some(mut suite) = read.suite else {
            continue;
        };
        let key =
            std::fs::canonicalize(&suite.spec_path).unwrap_or_else(|_| suite.spec_path.clone());
        let spec = specs
            .entry(key)
            .or_insert_with(|| match Spec::load(&suite.spec_path) {
                Ok(s) => {
                    let s = Arc::new(s);
                    plan.specs.push(s.clone());
                    Some(s)
                }
                Err(mut d) => {
                    if !suite.spec_path.exists() {
                        d = vec![suite.doc.diag(
                            "/spec",
                            format!("spec `{}` not found", suite.spec_path.display()),
                        )];
                    }
                    problems.append(&mut d);
                    None
                }
            })
            .clone();
        let Some(mut spec) = spec else { continue };
        problems.extend(add_generated(&mut suite, &spec));
        problems.extend(graded_cases_exist(&suite));
        match overrides.get(suite.file.api.as_str()) {
            Some(Some(other)) => {
                problems.extend(retarget(&mut suite, &spec, other));
                spec = other.clone();
            }
            Some(None) => continue,
            None => {}
        }
        problems.extend(cross_check(&suite, &spec));
        problems.extend(crate::suite::sendable::problems(&suite, &spec));
        let catalogue = match &suite.catalogue_path {
            Some(path) => {
                let (found, mut d) = load_catalogue(&mut catalogues, &suite, path);
                problems.append(&mut d);
                found
            }
            None => None,
        };
        plan.suites.push(PlannedSuite {
            suite: Arc::new(suite),
            spec,
            protocol: None,
            arazzo: None,
            catalogue,
        });
    }
    problems.extend(share_protocols(&mut plan));
    problems.extend(share_catalogues(&mut plan));
    problems.extend(lint::cite::lint(&plan));
    for (api, path) in spec_overrides {
        if !plan.suites.iter().any(|s| &s.suite.file.api == api) {
            problems.push(Diagnostic::file(
                path.display().to_string(),
                format!("--spec names api `{api}`, which no selected suite covers"),
            ));
        }
    }
    problems.extend(lint::errors::lint(&plan));
    problems.extend(lint::coverage::lint(&plan));
    problems.extend(walks_need_pagination(&plan));
    let mut names: HashMap<String, String> = HashMap::new();
    for s in &plan.suites {
        let key = format!("{}::{}", s.suite.file.api, s.suite.name);
        if let Some(first) = names.insert(key.clone(), s.suite.doc.file.clone()) {
            problems.push(Diagnostic::file(
                s.suite.doc.file.clone(),
                format!("suite name `{key}` is also used by {first}; rename one file"),
            ));
        }
    }
    if problems.is_empty() {
        Ok(plan)
    } else {
        Err(in_file_order(problems))
    }
}

/// Orders problems by position within each file, files in the order they first come up.
fn in_file_order(problems: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut files: Vec<String> = Vec::new();
    for d in &problems {
        if !files.contains(&d.file) {
            files.push(d.file.clone());
        }
    }
    let mut keyed: Vec<(usize, Diagnostic)> = problems
        .into_iter()
        .map(|d| (files.iter().position(|f| *f == d.file).unwrap_or(0), d))
        .collect();
    keyed.sort_by_key(|(f, d)| (*f, d.line, d.col));
    keyed.into_iter().map(|(_, d)| d).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_suite_grade_names_cases_written_or_generated() {
        let dir = std::env::temp_dir().join(format!("accord-grade-cases-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("t.openapi.yaml"),
            "openapi: 3.0.3\ninfo: {title: T, version: \"1\"}\npaths:\n  /t:\n    get:\n      operationId: getT\n      responses:\n        \"200\": {description: ok}\n",
        )
        .unwrap();
        let suite = "api: t\nspec: t.openapi.yaml\nprotocol:\n  correlation:\n    header: x-id\n    requirement: R\n    success:\n      request: {operation: getT}\n      expect: {status: 200}\ngrade:\n  - {case: [get, correlation-echoed], check: expect-status, level: warning, reason: r}\n  - {case: gett, check: expect-status, level: warning, reason: r}\ncases:\n  - id: get\n    title: T\n    requirements: [R]\n    steps:\n      - request: {operation: getT}\n        expect: {status: 200}\n";
        std::fs::write(dir.join("t.yaml"), suite).unwrap();
        let errs = super::load(&[dir.join("t.yaml")]).unwrap_err();
        let shown: Vec<String> = errs
            .iter()
            .map(|d| format!("{}:{}: {}", d.line, d.col, d.message))
            .collect();
        assert_eq!(shown, ["12:12: no case of this suite is named `gett`"]);
        assert_eq!(errs[0].help.as_deref(), Some("did you mean `get`?"));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
