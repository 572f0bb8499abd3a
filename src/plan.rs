//! Finding and loading suites and the specs they name, offline: what `lint`, `list` and `run`
//! share. Every spec is loaded once however many suites name it, and each suite is cross-checked
//! against its spec (operation ids and path templates exist, and the requests it will send are
//! ones the spec accepts: [`crate::suite::sendable`]). The sound part of a suite with
//! problems is cross-checked too, so one load reports every problem.
//!
//! The main type is [`Plan`].

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub mod lint;
mod snapshots;

pub use snapshots::read_snapshots;

use crate::catalogue::Catalogue;
use crate::diag::{Diagnostic, did_you_mean};
use crate::openapi::Spec;
use crate::protocol::Protocol;
use crate::suite::Suite;
use crate::suite::load::read_suite;

/// Loaded suites with their specs.
#[derive(Debug, Default)]
pub struct Plan {
    pub suites: Vec<PlannedSuite>,
    /// Specs by the path suites named them with.
    pub specs: Vec<Arc<Spec>>,
}

#[derive(Debug)]
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

/// Suite files under the given paths: files as given, directories searched recursively for
/// `*.yaml` and `*.yml` (and Arazzo documents in JSON), sorted so runs are reproducible.
pub fn discover(paths: &[PathBuf]) -> Result<Vec<PathBuf>, Vec<Diagnostic>> {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for p in paths {
        if p.is_dir() {
            crate::openapi::files_under(p, &is_suite_file, &mut out);
        } else if p.is_file() {
            out.push(p.clone());
        } else {
            problems.push(Diagnostic::file(
                p.display().to_string(),
                "no such file or directory",
            ));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    out.sort();
    out.dedup();
    Ok(out)
}

/// True for a suite file: YAML, or an Arazzo document in JSON, that is not an OpenAPI or
/// Swagger document nor a requirements catalogue.
fn is_suite_file(path: &Path) -> bool {
    (path.extension().is_some_and(|x| x == "yaml" || x == "yml")
        || crate::arazzo::load::is_arazzo_file(path))
        && !crate::openapi::is_spec_file(path)
        && !is_catalogue_file(path)
}

/// True for a requirements catalogue: its first key says so.
fn is_catalogue_file(path: &Path) -> bool {
    std::fs::read_to_string(path).is_ok_and(|text| {
        text.lines()
            .map(str::trim_start)
            .find(|l| !l.is_empty() && !l.starts_with('#') && !l.starts_with("---"))
            .is_some_and(|l| l.starts_with(crate::catalogue::FIRST_KEY))
    })
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
    problems.extend(crate::protocol::coverage::lint(&plan));
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

/// Appends the cases the suite's protocol rules generate; an id already taken is a problem.
pub(crate) fn add_generated(suite: &mut Suite, spec: &Spec) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let (from_spec, problems) = crate::protocol::generate_from_spec(&suite.file, spec);
    for (at, message) in problems {
        out.push(suite.doc.diag(&at, message));
    }
    let generated = crate::protocol::generate(&suite.file);
    for case in generated.into_iter().chain(from_spec) {
        if suite.file.cases.iter().any(|c| c.id == case.id) {
            out.push(suite.doc.diag_key(
                case.origin.as_deref().unwrap_or("/protocol"),
                format!(
                    "this rule generates case `{}`, and the suite already has a case with that id",
                    case.id
                ),
            ));
            continue;
        }
        suite.file.cases.push(case);
    }
    out
}

/// Every case the suite's `grade` names is a case of the suite, written or generated.
fn graded_cases_exist(suite: &Suite) -> Vec<Diagnostic> {
    let ids: Vec<&str> = suite.file.cases.iter().map(|c| c.id.as_str()).collect();
    let mut out = Vec::new();
    for (gi, g) in suite.file.grade.iter().enumerate() {
        let Some(cases) = &g.case else { continue };
        let one = cases.0.len() == 1;
        for (i, id) in cases.0.iter().enumerate() {
            if ids.contains(&id.as_str()) {
                continue;
            }
            let at = if one {
                format!("/grade/{gi}/case")
            } else {
                format!("/grade/{gi}/case/{i}")
            };
            let mut d = suite
                .doc
                .diag(&at, format!("no case of this suite is named `{id}`"));
            if let Some(s) = did_you_mean(id, ids.iter().copied()) {
                d = d.with_help(format!("did you mean `{s}`?"));
            }
            out.push(d);
        }
    }
    out
}

/// Gives every suite of an API the protocol rules one of them declares; two declarations for
/// one API are a problem.
fn share_protocols(plan: &mut Plan) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut by_api: HashMap<String, (Arc<Protocol>, String)> = HashMap::new();
    for ps in &plan.suites {
        let Some(p) = &ps.suite.file.protocol else {
            continue;
        };
        let api = ps.suite.file.api.clone();
        let here = ps.suite.location("/protocol");
        if let Some((_, first)) = by_api.get(&api) {
            out.push(ps.suite.doc.diag_key(
                "/protocol",
                format!("api `{api}` already has protocol rules at {first}; declare them once"),
            ));
            continue;
        }
        by_api.insert(api, (Arc::new(p.clone()), here));
    }
    for ps in &mut plan.suites {
        ps.protocol = by_api.get(&ps.suite.file.api).map(|(p, _)| p.clone());
    }
    out
}

/// The catalogue a suite names, loaded once however many suites name it; one that describes
/// another API is a problem of the suite.
fn load_catalogue(
    loaded: &mut HashMap<PathBuf, Option<Arc<Catalogue>>>,
    suite: &Suite,
    path: &Path,
) -> (Option<Arc<Catalogue>>, Vec<Diagnostic>) {
    let key = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let mut problems = Vec::new();
    let found = loaded
        .entry(key)
        .or_insert_with(|| match crate::catalogue::load(path) {
            Ok(c) => Some(Arc::new(c)),
            Err(d) => {
                if path.exists() {
                    problems.extend(d);
                } else {
                    problems.push(suite.doc.diag(
                        "/catalogue",
                        format!("catalogue `{}` not found", path.display()),
                    ));
                }
                None
            }
        })
        .clone();
    if let Some(c) = &found
        && c.api != suite.file.api
    {
        problems.push(suite.doc.diag(
            "/catalogue",
            format!(
                "{} is the catalogue of api `{}`, not of `{}`",
                c.doc.file, c.api, suite.file.api
            ),
        ));
        return (None, problems);
    }
    (found, problems)
}

/// Gives every suite of an API the catalogue one of them names; two catalogues for one API are
/// a problem.
fn share_catalogues(plan: &mut Plan) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut by_api: HashMap<String, Arc<Catalogue>> = HashMap::new();
    for ps in &plan.suites {
        let Some(c) = &ps.catalogue else { continue };
        let api = ps.suite.file.api.clone();
        match by_api.get(&api) {
            Some(first) if !Arc::ptr_eq(first, c) => out.push(ps.suite.doc.diag(
                "/catalogue",
                format!(
                    "api `{api}` already has the catalogue {}; its suites name one catalogue",
                    first.doc.file
                ),
            )),
            Some(_) => {}
            None => {
                by_api.insert(api, c.clone());
            }
        }
    }
    for ps in &mut plan.suites {
        ps.catalogue = by_api.get(&ps.suite.file.api).cloned();
    }
    out
}

/// Points the suite's steps at `other`'s operations: an operation id `other` lacks is replaced by
/// the id of `other`'s operation with the same method and path template (parameter names may
/// differ; the step's path parameters are renamed by position).
fn retarget(suite: &mut Suite, own: &Spec, other: &Spec) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let shape = |path: &str| -> (String, Vec<String>) {
        let mut names = Vec::new();
        let mut shaped = String::new();
        let mut rest = path;
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}') else {
                break;
            };
            shaped.push_str(&rest[..open]);
            shaped.push_str("{}");
            names.push(rest[open + 1..open + close].to_owned());
            rest = &rest[open + close + 1..];
        }
        shaped.push_str(rest);
        (shaped, names)
    };
    for ci in 0..suite.file.cases.len() {
        for si in 0..suite.file.cases[ci].steps.len() {
            let at = format!("{}/request/operation", suite.step_pointer(ci, si));
            let request = &suite.file.cases[ci].steps[si].request;
            let Some(id) = request.operation.clone() else {
                continue;
            };
            if other.operation(&id).is_some() {
                continue;
            }
            let Some(mine) = own.operation(&id) else {
                continue;
            };
            let (my_shape, my_names) = shape(&mine.path);
            let found = other.operations.iter().find(|o| {
                o.method == mine.method && o.id.is_some() && shape(&o.path).0 == my_shape
            });
            let Some(theirs) = found else {
                out.push(suite.doc.diag(
                    &at,
                    format!(
                        "operation `{id}` ({} {}) has no counterpart in {}: no operation there has that method and path",
                        mine.method, mine.path, other.file
                    ),
                ));
                continue;
            };
            let (_, their_names) = shape(&theirs.path);
            let request = &mut suite.file.cases[ci].steps[si].request;
            request.operation = theirs.id.clone();
            for (mine, theirs) in my_names.iter().zip(&their_names) {
                if let Some(v) = request.path_params.shift_remove(mine) {
                    request.path_params.insert(theirs.clone(), v);
                }
            }
        }
    }
    out
}

/// A `walk` step follows its API's `protocol.pagination`, so the API must declare one (not
/// judged while a broken `protocol` section of the API is left out).
fn walks_need_pagination(plan: &Plan) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let unknown: Vec<&str> = plan
        .suites
        .iter()
        .filter(|ps| ps.suite.dropped.iter().any(|k| k == "protocol"))
        .map(|ps| ps.suite.file.api.as_str())
        .collect();
    for ps in &plan.suites {
        if ps.protocol.as_ref().is_some_and(|p| p.pagination.is_some())
            || unknown.contains(&ps.suite.file.api.as_str())
        {
            continue;
        }
        for (ci, case) in ps.suite.file.cases.iter().enumerate() {
            for (si, step) in case.steps.iter().enumerate() {
                if step.walk.is_some() {
                    out.push(ps.suite.doc.diag_key(
                        &format!("{}/walk", ps.suite.step_pointer(ci, si)),
                        format!(
                            "a `walk` step needs `protocol.pagination` in one of the `{}` suites",
                            ps.suite.file.api
                        ),
                    ));
                }
            }
        }
    }
    out
}

/// Operation ids and path templates the suite uses must exist in its spec.
pub(crate) fn cross_check(suite: &Suite, spec: &Spec) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (ci, case) in suite.file.cases.iter().enumerate() {
        for (si, step) in case.steps.iter().enumerate() {
            let at = format!("{}/request", suite.step_pointer(ci, si));
            let r = &step.request;
            if let Some(id) = &r.operation
                && spec.operation(id).is_none()
            {
                let mut d = suite.doc.diag(
                    &format!("{at}/operation"),
                    format!("operation `{id}` is not in {}", spec.file),
                );
                if let Some(s) =
                    did_you_mean(id, spec.operations.iter().filter_map(|o| o.id.as_deref()))
                {
                    d = d.with_help(format!("did you mean `{s}`?"));
                }
                out.push(d);
            }
            if let (Some(path), Some(method)) = (&r.path, &r.method)
                && !spec
                    .operations
                    .iter()
                    .any(|o| o.path == *path && o.method.eq_ignore_ascii_case(method))
            {
                out.push(suite.doc.diag(
                    &format!("{at}/path"),
                    format!("{method} {path} is not an operation of {}", spec.file),
                ));
            }
        }
    }
    out
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
