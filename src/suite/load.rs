//! Reading a suite file: YAML with positions, then the suite JSON Schema (every structural
//! problem at once), then the typed model, then the rules a schema cannot express (unique ids,
//! known variables, one way to name a request, a case that asserts something).
//!
//! One pass reports everything: the parts the schema finds broken (a case, an optional
//! top-level key) are left out and the rest is read and judged as usual, so a broken case does
//! not hide an undefined variable in the next one. [`read_suite`] returns that sound part
//! ([`Read`]) for checks against the spec; rules that need a part left out stay silent rather
//! than report its absence.

use std::collections::HashSet;
use std::path::Path;
use std::sync::OnceLock;

use serde_json::Value;

use super::{Case, Suite, SuiteFile};
use crate::diag::{Diagnostic, did_you_mean};
use crate::pointer;
use crate::template;
use crate::yaml::Document;

/// The suite format's JSON Schema, as published for editors.
pub const SUITE_SCHEMA: &str = include_str!("../../suites/suite.schema.json");

fn schema() -> &'static (Value, jsonschema::Validator) {
    static SCHEMA: OnceLock<(Value, jsonschema::Validator)> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        let v: Value =
            serde_json::from_str(SUITE_SCHEMA).expect("the embedded suite schema is JSON");
        let validator =
            jsonschema::draft202012::new(&v).expect("the embedded suite schema compiles");
        (v, validator)
    })
}

/// A suite file as far as it could be read.
#[derive(Debug)]
pub struct Read {
    /// The sound part of the suite (broken cases and broken optional top-level keys left
    /// out), so that checks against its spec still run; `None` when its `api` or `spec`
    /// cannot be read.
    pub suite: Option<Suite>,
    /// Every problem of the file, ordered by position.
    pub problems: Vec<Diagnostic>,
}

/// Loads a suite; every problem in the file comes back at once.
pub fn load_suite(path: &Path) -> Result<Suite, Vec<Diagnostic>> {
    strict(read_suite(path))
}

/// Builds a suite from an already parsed document.
pub fn from_document(path: &Path, doc: Document) -> Result<Suite, Vec<Diagnostic>> {
    strict(read_document(path, doc))
}

fn strict(read: Read) -> Result<Suite, Vec<Diagnostic>> {
    match read.suite {
        Some(suite) if read.problems.is_empty() => Ok(suite),
        _ => Err(read.problems),
    }
}

/// Reads a suite for lint: its problems, and as much of it as is sound.
pub fn read_suite(path: &Path) -> Read {
    match Document::load(path) {
        Ok(doc) => read_document(path, doc),
        Err(problems) => Read {
            suite: None,
            problems,
        },
    }
}

/// Reads a parsed suite: the schema first, then the rules a schema cannot state, run on every
/// part of the file the schema found sound, so that one pass reports everything.
pub fn read_document(path: &Path, doc: Document) -> Read {
    let structural = structural_problems(&doc);
    let sound = Sound::of(&doc.value, structural.iter().map(|(at, _)| at.as_str()));
    let mut problems: Vec<Diagnostic> = structural.into_iter().map(|(_, d)| d).collect();
    let Some(value) = sound.value(&doc.value) else {
        return Read {
            suite: None,
            problems,
        };
    };
    let mut file: SuiteFile = match serde_path_to_error::deserialize(&value) {
        Ok(file) => file,
        Err(e) => {
            let ptr = path_to_pointer(&e.path().to_string());
            let ptr = sound.in_document(&ptr);
            problems.push(doc.diag(&ptr, e.inner().to_string()));
            return Read {
                suite: None,
                problems: sorted(problems),
            };
        }
    };
    problems.extend(semantic_problems(&doc, &file, &sound));
    let problems = sorted(problems);
    if !sound.api_and_spec {
        return Read {
            suite: None,
            problems,
        };
    }
    if sound.cases.iter().enumerate().any(|(i, ci)| i != *ci) {
        for (case, ci) in file.cases.iter_mut().zip(&sound.cases) {
            case.origin = Some(format!("/cases/{ci}"));
            for (si, step) in case.steps.iter_mut().enumerate() {
                step.origin = Some(format!("/cases/{ci}/steps/{si}"));
            }
        }
    }
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    Read {
        suite: Some(Suite {
            name,
            spec_path: dir.join(&file.spec),
            catalogue_path: file.catalogue.as_ref().map(|c| dir.join(c)),
            snapshot_dir: dir.join(file.snapshots.as_deref().unwrap_or("snapshots")),
            dropped: sound.dropped,
            file,
            doc: std::sync::Arc::new(doc),
        }),
        problems,
    }
}

fn sorted(mut problems: Vec<Diagnostic>) -> Vec<Diagnostic> {
    problems.sort_by_key(|d| (d.line, d.col));
    let mut seen = HashSet::new();
    problems.retain(|d| seen.insert((d.to_string(), d.help.clone())));
    problems
}

/// The parts of a suite document the schema found nothing wrong with.
struct Sound {
    /// The document positions of the cases kept, in order.
    cases: Vec<usize>,
    /// Top-level keys left out because something in them is broken.
    dropped: Vec<String>,
    /// False when `api` or `spec` is missing or broken: nothing can be checked against the
    /// spec, and placeholders stand in for them.
    api_and_spec: bool,
    /// False when the top level itself is unusable (not a mapping).
    usable: bool,
}

impl Sound {
    fn of<'a>(value: &Value, broken: impl Iterator<Item = &'a str>) -> Sound {
        let Some(top) = value.as_object() else {
            return Sound {
                cases: Vec::new(),
                dropped: Vec::new(),
                api_and_spec: false,
                usable: false,
            };
        };
        let mut bad_cases = HashSet::new();
        let mut dropped: Vec<String> = Vec::new();
        let mut root = false;
        for at in broken {
            let tokens = pointer::tokens(at).unwrap_or_default();
            match tokens.as_slice() {
                [] => root = true,
                [key, i, ..] if key == "cases" && i.parse::<usize>().is_ok() => {
                    bad_cases.insert(i.parse::<usize>().unwrap_or_default());
                }
                [key, ..] => {
                    if !dropped.contains(key) {
                        dropped.push(key.clone());
                    }
                }
            }
        }
        let count = top
            .get("cases")
            .and_then(Value::as_array)
            .map_or(0, Vec::len);
        let has = |k: &str| top.get(k).is_some() && !dropped.iter().any(|d| d == k);
        Sound {
            cases: (0..count).filter(|i| !bad_cases.contains(i)).collect(),
            api_and_spec: !root && has("api") && has("spec"),
            dropped,
            usable: true,
        }
    }

    /// The document with the broken parts left out, placeholders for a broken `api` or `spec`.
    fn value(&self, value: &Value) -> Option<Value> {
        if !self.usable {
            return None;
        }
        let mut out = value.clone();
        let top = out.as_object_mut()?;
        for key in &self.dropped {
            top.remove(key);
        }
        for key in ["api", "spec"] {
            top.entry(key).or_insert_with(|| Value::String("-".into()));
        }
        if let Some(Value::Array(cases)) = top.get_mut("cases") {
            let kept: Vec<Value> = self.cases.iter().map(|i| cases[*i].clone()).collect();
            *cases = kept;
        }
        Some(out)
    }

    /// The pointer into the document of a pointer into the sound value.
    fn in_document(&self, ptr: &str) -> String {
        let tokens = pointer::tokens(ptr).unwrap_or_default();
        if let [key, i, rest @ ..] = tokens.as_slice()
            && key == "cases"
            && let Some(ci) = i.parse::<usize>().ok().and_then(|i| self.cases.get(i))
        {
            let mut out = format!("/cases/{ci}");
            for t in rest {
                out = pointer::join(&out, t);
            }
            return out;
        }
        ptr.to_owned()
    }

    /// True when a top-level key was left out as broken.
    fn lost(&self, key: &str) -> bool {
        self.dropped.iter().any(|d| d == key)
    }
}

/// Schema violations, each with the pointer of the broken node, ordered by position.
fn structural_problems(doc: &Document) -> Vec<(String, Diagnostic)> {
    let (schema_value, validator) = schema();
    let mut out: Vec<(crate::yaml::Pos, String, Diagnostic)> = Vec::new();
    let mut seen = HashSet::new();
    for err in validator.iter_errors(&doc.value) {
        let at = err.instance_path().as_str().to_owned();
        if let jsonschema::error::ValidationErrorKind::AdditionalProperties { unexpected } =
            err.kind()
        {
            let allowed = allowed_keys(schema_value, err.schema_path().as_str());
            for key in unexpected {
                let ptr = pointer::join(&at, key);
                let mut d = doc.diag_key(&ptr, format!("unknown key `{key}`"));
                if let Some(s) = did_you_mean(key, allowed.iter().map(String::as_str)) {
                    d = d.with_help(format!("did you mean `{s}`?"));
                } else if !allowed.is_empty() {
                    d = d.with_help(format!("expected one of: {}", allowed.join(", ")));
                }
                if seen.insert(d.to_string()) {
                    out.push((doc.key_pos(&ptr), ptr, d));
                }
            }
            continue;
        }
        let d = doc.diag(&at, describe(&err, &at));
        if seen.insert(d.to_string()) {
            out.push((doc.pos(&at), at, d));
        }
    }
    out.sort_by_key(|(p, _, _)| (p.line, p.col));
    out.into_iter().map(|(_, at, d)| (at, d)).collect()
}

/// The property names the schema allows where `additionalProperties` failed.
fn allowed_keys(schema: &Value, schema_path: &str) -> Vec<String> {
    let parent = schema_path
        .strip_suffix("/additionalProperties")
        .unwrap_or(schema_path);
    let mut node = schema;
    for tok in pointer::tokens(parent).unwrap_or_default() {
        node = match node.get(&tok) {
            Some(n) => n,
            None => return Vec::new(),
        };
        if let Some(r) = node.get("$ref").and_then(Value::as_str)
            && let Some(target) = r.strip_prefix('#').and_then(|p| schema.pointer(p))
        {
            node = target;
        }
    }
    node.get("properties")
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

/// A readable sentence for a schema violation.
fn describe(err: &jsonschema::ValidationError<'_>, at: &str) -> String {
    use jsonschema::error::ValidationErrorKind as K;
    let what = if at.is_empty() {
        "the suite".to_owned()
    } else {
        format!("`{}`", last_token(at))
    };
    match err.kind() {
        K::Required { property } => format!("missing required key {property}"),
        K::Type { .. } => format!("{what}: {err}"),
        K::MinItems { .. } => format!("{what} must not be empty"),
        K::Pattern { pattern } => format!("{what}: {} does not match `{pattern}`", err.instance()),
        K::MinProperties { .. } => format!("{what} asserts nothing: give at least one assertion"),
        K::Constant { .. } => {
            format!("{what} must be `true` when given (leave the key out otherwise)")
        }
        K::AnyOf { .. } if last_token(at) == "status" => format!(
            "`status`: {} is not a status (an integer from 100 to 599), a class like 4XX, or a list of them",
            err.instance()
        ),
        K::AnyOf { .. } => format!("{what}: {} is not a valid value here", err.instance()),
        _ => format!("{what}: {}", err),
    }
}

fn last_token(ptr: &str) -> String {
    pointer::tokens(ptr)
        .and_then(|t| t.last().cloned())
        .unwrap_or_default()
}

/// `cases[0].steps[1].expect` (serde_path_to_error) to `/cases/0/steps/1/expect`.
pub(crate) fn path_to_pointer(path: &str) -> String {
    if path == "." {
        return String::new();
    }
    let mut out = String::new();
    for part in path.split('.') {
        let (name, rest) = part
            .split_once('[')
            .map(|(n, r)| (n, Some(r)))
            .unwrap_or((part, None));
        if !name.is_empty() {
            out = pointer::join(&out, name);
        }
        if let Some(rest) = rest {
            for idx in rest.split('[') {
                out = pointer::join(&out, idx.trim_end_matches(']'));
            }
        }
    }
    out
}

/// Rules the schema cannot state, on the sound part of the file: `sound.cases[i]` is the
/// position in the document of `file.cases[i]`. A rule that needs a part left out as broken
/// is not judged, so one mistake is not reported twice.
fn semantic_problems(doc: &Document, file: &SuiteFile, sound: &Sound) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let vars_complete = !sound.lost("requires") && !sound.lost("vars");
    let mut ids = HashSet::new();
    let declared: HashSet<&str> = file
        .requires
        .iter()
        .map(String::as_str)
        .chain(file.vars.keys().map(String::as_str))
        .chain(template::BUILTINS.iter().copied())
        .collect();
    for (name, value) in file.vars.iter().filter(|_| vars_complete) {
        unknown_vars(
            doc,
            &format!("/vars/{}", pointer::escape(name)),
            &value.0,
            &declared,
            &mut out,
        );
    }
    for (name, format) in &file.var_formats {
        let at = format!("/var_formats/{}", pointer::escape(name));
        let undeclared = vars_complete && !declared.contains(name.as_str());
        if undeclared || template::BUILTINS.contains(&name.as_str()) {
            let mut d = doc.diag_key(&at, format!("`{name}` is not a variable of this suite"));
            let vars = file
                .requires
                .iter()
                .chain(file.vars.keys())
                .map(String::as_str);
            if let Some(s) = did_you_mean(name, vars) {
                d = d.with_help(format!("did you mean `{s}`?"));
            }
            out.push(d);
            continue;
        }
        // A default made of other variables is judged when the run fills it in.
        if let Some(default) = file.vars.get(name)
            && template::variables_in(&default.0).is_empty()
            && let Err(why) = format.check(&default.0)
        {
            out.push(doc.diag(
                &format!("/vars/{}", pointer::escape(name)),
                format!(
                    "the default of `{name}` is {why}; `var_formats` says {}",
                    format.name()
                ),
            ));
        }
    }
    let defaults = file.defaults.headers.iter().chain(&file.defaults.query);
    for (name, value) in defaults.filter(|_| vars_complete) {
        let kind = if file.defaults.headers.contains_key(name) {
            "headers"
        } else {
            "query"
        };
        unknown_vars(
            doc,
            &format!("/defaults/{kind}/{}", pointer::escape(name)),
            &value.0,
            &declared,
            &mut out,
        );
    }
    let written = doc.value.get("cases").and_then(Value::as_array);
    for (ci, case) in written.into_iter().flatten().enumerate() {
        if let Some(id) = case.get("id").and_then(Value::as_str)
            && !ids.insert(id)
        {
            out.push(doc.diag(
                &format!("/cases/{ci}/id"),
                format!("duplicate case id `{id}`"),
            ));
        }
    }
    for (case, ci) in file.cases.iter().zip(&sound.cases) {
        let at = format!("/cases/{ci}");
        for (wi, w) in case.waive.iter().enumerate() {
            out.extend(unknown_check(
                doc,
                &format!("{at}/waive/{wi}/check"),
                &w.check,
            ));
        }
        for (gi, g) in case.grade.iter().enumerate() {
            let at = format!("{at}/grade/{gi}");
            if g.case.is_some() {
                out.push(doc.diag_key(
                    &format!("{at}/case"),
                    "a case's own `grade` applies to that case; name cases in the suite's `grade`",
                ));
            }
            out.extend(grade_checks(doc, &at, g));
        }
        let rules = Rules {
            declared: vars_complete.then_some(&declared),
            errors_known: !sound.lost("errors"),
        };
        case_problems(doc, file, case, &at, &rules, &mut out);
    }
    for (gi, g) in file.grade.iter().enumerate() {
        out.extend(grade_checks(doc, &format!("/grade/{gi}"), g));
    }
    out
}

/// A located problem when `id` names no check, with the nearest check id as a hint.
fn unknown_check(doc: &Document, at: &str, id: &str) -> Option<Diagnostic> {
    if crate::check::is_known(id) {
        return None;
    }
    let mut d = doc.diag(at, format!("unknown check `{id}`"));
    if let Some(s) = did_you_mean(id, crate::check::ids()) {
        d = d.with_help(format!("did you mean `{s}`?"));
    }
    Some(d)
}

/// The unknown check ids of a `grade` entry (`check` is one id or a list).
fn grade_checks(doc: &Document, at: &str, g: &crate::suite::Grade) -> Vec<Diagnostic> {
    let one = g.check.0.len() == 1;
    g.check
        .0
        .iter()
        .enumerate()
        .filter_map(|(i, id)| {
            let at = if one {
                format!("{at}/check")
            } else {
                format!("{at}/check/{i}")
            };
            unknown_check(doc, &at, id)
        })
        .collect()
}

/// What the rules of a case may rely on.
struct Rules<'a> {
    /// Every variable the suite declares; `None` when `requires` or `vars` is broken.
    declared: Option<&'a HashSet<&'a str>>,
    /// False when the suite's `errors` is broken.
    errors_known: bool,
}

fn case_problems(
    doc: &Document,
    file: &SuiteFile,
    case: &Case,
    at: &str,
    rules: &Rules<'_>,
    out: &mut Vec<Diagnostic>,
) {
    let mut known: HashSet<String> = rules
        .declared
        .into_iter()
        .flatten()
        .map(|s| s.to_string())
        .collect();
    let mut asserts = false;
    for (si, step) in case.steps.iter().enumerate() {
        let sp = format!("{at}/steps/{si}");
        let r = &step.request;
        let ways = [r.operation.is_some(), r.path.is_some(), r.url.is_some()]
            .iter()
            .filter(|b| **b)
            .count();
        if ways != 1 {
            out.push(doc.diag(
                &format!("{sp}/request"),
                "a request names exactly one of `operation`, `path` or `url`",
            ));
        }
        if r.operation.is_none() && r.method.is_none() {
            out.push(doc.diag(
                &format!("{sp}/request"),
                "a request by `path` or `url` needs a `method`",
            ));
        }
        let known_ref: HashSet<&str> = known.iter().map(String::as_str).collect();
        let mut texts: Vec<(String, String)> = Vec::new();
        for (k, v) in &r.path_params {
            texts.push((
                format!("{sp}/request/path_params/{}", pointer::escape(k)),
                v.0.clone(),
            ));
        }
        for (k, v) in r.query.iter().chain(&r.headers) {
            let kind = if r.query.contains_key(k) {
                "query"
            } else {
                "headers"
            };
            if let Some(v) = v {
                texts.push((
                    format!("{sp}/request/{kind}/{}", pointer::escape(k)),
                    v.0.clone(),
                ));
            }
        }
        for f in [&r.url, &r.path].into_iter().flatten() {
            texts.push((format!("{sp}/request"), f.clone()));
        }
        out.extend(body_keys_problem(doc, r, &format!("{sp}/request")));
        if let Some(body) = &r.body {
            collect_strings(body, &format!("{sp}/request/body"), &mut texts);
        }
        for (key, values) in [("form", &r.form), ("multipart", &r.multipart)] {
            for (name, v) in values.iter().flatten() {
                let here = format!("{sp}/request/{key}/{}", pointer::escape(name));
                collect_strings(v, &here, &mut texts);
            }
        }
        for (name, h) in &step.expect.headers {
            let hp = format!("{sp}/expect/headers/{}", pointer::escape(name));
            if let Some(e) = &h.equals {
                texts.push((format!("{hp}/equals"), e.0.clone()));
            }
            if let Some(m) = &h.matches {
                regex_problem(doc, &format!("{hp}/matches"), m, out);
            }
            if h.present == Some(true) && h.absent == Some(true) {
                out.push(doc.diag(&hp, "a header cannot be both `present` and `absent`"));
            }
        }
        for (ptr, b) in &step.expect.body {
            let bp = format!("{sp}/expect/body/{}", pointer::escape(ptr));
            for (key, e) in [("equals", &b.equals), ("not_equals", &b.not_equals)] {
                if let Some(e) = e {
                    collect_strings(e, &format!("{bp}/{key}"), &mut texts);
                }
            }
            if let Some(m) = &b.matches {
                regex_problem(doc, &format!("{bp}/matches"), m, out);
            }
            if b.absent == Some(true)
                && (b.exists == Some(true) || b.equals.is_some() || b.length.is_some())
            {
                out.push(doc.diag(
                    &bp,
                    "`absent` cannot be combined with assertions on the value",
                ));
            }
        }
        for (path, text) in texts.iter().filter(|_| rules.declared.is_some()) {
            unknown_vars(doc, path, text, &known_ref, out);
        }
        let errors_at =
            std::iter::once((step.expect.error.is_some(), format!("{sp}/expect/error"))).chain(
                step.expect
                    .one_of
                    .iter()
                    .enumerate()
                    .map(|(i, a)| (a.error.is_some(), format!("{sp}/expect/one_of/{i}/error"))),
            );
        for (_, at) in errors_at.filter(|(has, _)| *has) {
            if file.errors.is_none() && rules.errors_known {
                out.push(doc.diag(
                    &at,
                    "`error` needs the suite's `errors.codes` to say where error codes are",
                ));
            }
        }
        for (name, c) in &step.capture {
            if c.header.is_some() == c.body.is_some() {
                out.push(doc.diag(
                    &format!("{sp}/capture/{}", pointer::escape(name)),
                    "a capture takes exactly one of `header` or `body`",
                ));
            }
            known.insert(name.clone());
        }
        if step.walk.is_some() && !step.capture.is_empty() {
            out.push(doc.diag_key(
                &format!("{sp}/capture"),
                "a `walk` step cannot capture: it has many responses",
            ));
        }
        asserts |= !step.expect.is_empty() || step.walk.is_some();
    }
    if !asserts {
        out.push(
            doc.diag_key(
                &format!("{at}/steps"),
                format!("case `{}` asserts nothing", case.id),
            )
            .with_help(
                "add an `expect` to at least one step (status, headers, body, error or snapshot)",
            ),
        );
    }
}

/// A request that holds more than one body (`body`, `form`, `multipart`): located at the
/// second key.
pub(crate) fn body_keys_problem(
    doc: &Document,
    r: &crate::suite::Request,
    at: &str,
) -> Option<Diagnostic> {
    let keys = r.body_keys();
    let [first, second, ..] = keys.as_slice() else {
        return None;
    };
    Some(
        doc.diag_key(
            &format!("{at}/{}", second.key()),
            format!(
                "a request sends one body: `{}` and `{}` cannot be combined",
                first.key(),
                second.key()
            ),
        )
        .with_help("`body` is sent as JSON, `form` URL-encoded, `multipart` as multipart/form-data: keep the one the operation takes"),
    )
}

fn collect_strings(v: &Value, at: &str, out: &mut Vec<(String, String)>) {
    match v {
        Value::String(s) => out.push((at.to_owned(), s.clone())),
        Value::Array(items) => {
            for (i, x) in items.iter().enumerate() {
                collect_strings(x, &pointer::join(at, &i.to_string()), out);
            }
        }
        Value::Object(map) => {
            for (k, x) in map {
                collect_strings(x, &pointer::join(at, k), out);
            }
        }
        _ => {}
    }
}

fn unknown_vars(
    doc: &Document,
    at: &str,
    text: &str,
    known: &HashSet<&str>,
    out: &mut Vec<Diagnostic>,
) {
    for name in template::variables_in(text) {
        if !known.contains(name.as_str()) {
            let mut d = doc.diag(at, format!("undefined variable `{name}`"));
            d = match did_you_mean(&name, known.iter().copied()) {
                Some(s) => d.with_help(format!("did you mean `{s}`?")),
                None => d.with_help(
                    "declare it under `requires` or `vars`, or capture it in an earlier step",
                ),
            };
            out.push(d);
        }
    }
}

fn regex_problem(doc: &Document, at: &str, pattern: &str, out: &mut Vec<Diagnostic>) {
    if let Err(e) = regex::Regex::new(pattern) {
        let first = e
            .to_string()
            .lines()
            .last()
            .unwrap_or("invalid")
            .trim()
            .to_owned();
        out.push(doc.diag(at, format!("invalid regular expression: {first}")));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Result<Suite, Vec<Diagnostic>> {
        let doc = Document::parse("s.yaml", text)?;
        from_document(Path::new("suites/x/s.yaml"), doc)
    }

    const GOOD: &str = "api: cdr\nspec: ../../specs/cdr/a.yaml\nrequires: [token]\nerrors:\n  codes: [/errors/*/code]\ndefaults:\n  headers:\n    authorization: Bearer {{token}}\ncases:\n  - id: list\n    title: List\n    requirements: [R1]\n    steps:\n      - request: {operation: listAccounts}\n        capture:\n          total: {body: /meta/totalRecords}\n      - request: {operation: listAccounts, query: {page: \"{{total}}\"}}\n        expect:\n          status: [200, 422]\n          headers:\n            x-v: {equals: 2}\n          body:\n            /data/accounts/*/accountId: {type: string}\n";

    #[test]
    fn loads_a_good_suite() {
        let s = load(GOOD).unwrap();
        assert_eq!(s.name, "s");
        assert_eq!(s.file.cases[0].steps.len(), 2);
        assert_eq!(s.spec_path, Path::new("suites/x/../../specs/cdr/a.yaml"));
        assert_eq!(
            s.file.cases[0].steps[1]
                .expect
                .status
                .as_ref()
                .unwrap()
                .codes(),
            vec![200, 422]
        );
    }

    #[test]
    fn reports_every_problem_with_positions() {
        let bad = GOOD
            .replace("    title: List\n", "    titel: List\n")
            .replace("status: [200, 422]", "statuz: 200")
            .replace("{page: \"{{total}}\"}", "{page: \"{{totl}}\"}");
        let errs: Vec<String> = load(&bad)
            .unwrap_err()
            .iter()
            .map(|d| d.to_string())
            .collect();
        assert_eq!(
            errs,
            vec![
                "s.yaml:10:5: missing required key \"title\"",
                "s.yaml:11:5: unknown key `titel`",
                "s.yaml:19:11: unknown key `statuz`",
            ]
        );
        let errs = load(&bad.replace("titel", "title").replace("statuz", "status")).unwrap_err();
        assert_eq!(
            errs[0].to_string(),
            "s.yaml:17:58: undefined variable `totl`"
        );
        assert_eq!(errs[0].help.as_deref(), Some("did you mean `total`?"));
    }

    #[test]
    fn cases_may_be_empty_or_left_out() {
        let head = GOOD.split("cases:").next().unwrap();
        assert!(
            load(&format!("{head}cases: []\n"))
                .unwrap()
                .file
                .cases
                .is_empty()
        );
        assert!(load(head).unwrap().file.cases.is_empty());
    }

    #[test]
    fn one_pass_reports_the_rules_of_every_sound_part() {
        let text = GOOD
            .replace("requires: [token]\n", "requires: [token]\nopertions: {}\n")
            .replace("{page: \"{{total}}\"}", "{page: \"{{totl}}\"}")
            + "  - id: list\n    title: Broken, and a duplicate\n    requirements: R\n    steps: []\n";
        let read = read_document(
            Path::new("suites/x/s.yaml"),
            Document::parse("s.yaml", text).unwrap(),
        );
        let errs: Vec<String> = read.problems.iter().map(|d| d.to_string()).collect();
        assert_eq!(
            errs,
            [
                "s.yaml:4:1: unknown key `opertions`",
                "s.yaml:18:58: undefined variable `totl`",
                "s.yaml:25:9: duplicate case id `list`",
                "s.yaml:27:19: `requirements`: \"R\" is not of type \"array\"",
                "s.yaml:28:12: `steps` must not be empty",
            ]
        );
        let suite = read.suite.expect("the sound part is kept");
        assert_eq!(suite.file.cases.len(), 1);
        assert_eq!(suite.dropped, ["opertions"]);
    }

    #[test]
    fn a_broken_part_is_not_blamed_twice() {
        let text = GOOD.replace("requires: [token]", "requires: token");
        let errs = load(&text).unwrap_err();
        assert_eq!(errs.len(), 1, "{errs:#?}");
        let text = GOOD.replace("errors:\n  codes: [/errors/*/code]\n", "errors: {}\n")
            + "  - id: e\n    title: E\n    requirements: [R]\n    steps:\n      - request: {operation: x}\n        expect: {error: E1}\n";
        let errs = load(&text).unwrap_err();
        assert_eq!(errs.len(), 1, "{errs:#?}");
        let read = read_document(
            Path::new("s.yaml"),
            Document::parse("s.yaml", GOOD.replace("api: cdr\n", "")).unwrap(),
        );
        assert!(
            read.suite.is_none(),
            "no api: nothing to check against a spec"
        );
        assert_eq!(read.problems.len(), 1, "{:#?}", read.problems);
    }

    #[test]
    fn grades_name_known_checks_and_only_suites_name_cases() {
        let graded = GOOD.replace(
            "    requirements: [R1]\n",
            "    requirements: [R1]\n    grade:\n      - {case: list, check: [expect-status, expect-bodi], level: warning, reason: r}\n",
        ) + "grade:\n  - {check: expect-statu, level: failure, reason: r}\n";
        let errs = load(&graded).unwrap_err();
        let shown: Vec<String> = errs.iter().map(|d| d.to_string()).collect();
        assert_eq!(
            shown,
            [
                "s.yaml:14:10: a case's own `grade` applies to that case; name cases in the suite's `grade`",
                "s.yaml:14:45: unknown check `expect-bodi`",
                "s.yaml:27:13: unknown check `expect-statu`",
            ]
        );
        assert_eq!(errs[1].help.as_deref(), Some("did you mean `expect-body`?"));
        let errs = load(&graded.replace("level: warning", "level: should")).unwrap_err();
        assert!(errs[0].message.contains("level"), "{}", errs[0].message);
    }

    #[test]
    fn a_case_grade_comes_before_the_suite_grade() {
        let text = GOOD.replace(
            "    requirements: [R1]\n",
            "    requirements: [R1]\n    grade:\n      - {check: expect-status, level: warning, reason: the source says should}\n",
        ) + "grade:\n  - {check: [expect-status, expect-header], level: failure, reason: the source says must}\n  - {case: other, check: expect-body, level: warning, reason: not this case}\n";
        let s = load(&text).unwrap();
        let (level, why) = s.grade(0, "expect-status").unwrap();
        assert_eq!(level, crate::suite::Level::Warning);
        assert_eq!(why, "the source says should (s.yaml:14:9)");
        let (level, why) = s.grade(0, "expect-header").unwrap();
        assert_eq!(level, crate::suite::Level::Failure);
        assert_eq!(why, "the source says must (s.yaml:27:5)");
        assert!(s.grade(0, "expect-body").is_none());
        let mut findings = vec![
            crate::finding::Finding::new("expect-status", 0, crate::finding::Where::status(), "m"),
            crate::finding::Finding::new(
                "response-schema",
                0,
                crate::finding::Where::body(""),
                "m",
            ),
        ];
        crate::check::grade(&mut findings, &s, 0);
        assert!(!findings[0].fails());
        assert_eq!(
            findings[0].severity_reason.as_deref(),
            Some("the source says should (s.yaml:14:9)")
        );
        assert!(findings[1].fails() && findings[1].severity_reason.is_none());
    }

    #[test]
    fn a_status_class_stands_for_its_hundred() {
        let s = load(&GOOD.replace("status: [200, 422]", "status: [200, 4XX]")).unwrap();
        let set = s.file.cases[0].steps[1].expect.status.clone().unwrap();
        assert!(set.contains(200) && set.contains(405) && !set.contains(500));
        let errs: Vec<String> = load(&GOOD.replace("status: [200, 422]", "status: [200, 4X]"))
            .unwrap_err()
            .iter()
            .map(|d| d.to_string())
            .collect();
        assert_eq!(
            errs,
            [
                "s.yaml:19:19: `status`: [200,\"4X\"] is not a status (an integer from 100 to 599), a class like 4XX, or a list of them"
            ]
        );
    }

    #[test]
    fn did_you_mean_for_unknown_keys() {
        let errs = load(&GOOD.replace("status: [200, 422]", "statuz: 200")).unwrap_err();
        assert_eq!(errs[0].help.as_deref(), Some("did you mean `status`?"));
    }

    #[test]
    fn rejects_a_case_that_asserts_nothing() {
        let text = GOOD.split("        expect:").next().unwrap().to_owned();
        let errs = load(&text).unwrap_err();
        assert_eq!(
            errs[0].to_string(),
            "s.yaml:13:5: case `list` asserts nothing"
        );
    }

    #[test]
    fn rejects_duplicate_ids_and_double_targets() {
        let text = format!(
            "{GOOD}  - id: list\n    title: again\n    requirements: [R]\n    steps:\n      - request: {{operation: x, path: /y}}\n        expect: {{status: 200}}\n"
        );
        let errs: Vec<String> = load(&text)
            .unwrap_err()
            .iter()
            .map(|d| d.to_string())
            .collect();
        assert!(
            errs.contains(&"s.yaml:24:9: duplicate case id `list`".to_owned()),
            "{errs:#?}"
        );
        assert!(
            errs.iter()
                .any(|e| e.contains("exactly one of `operation`, `path` or `url`")),
            "{errs:#?}"
        );
    }

    #[test]
    fn bad_regex_and_wrong_types() {
        let text = GOOD
            .replace("{equals: 2}", "{matches: \"([\"}")
            .replace("[200, 422]", "\"two hundred\"");
        let errs: Vec<String> = load(&text)
            .unwrap_err()
            .iter()
            .map(|d| d.to_string())
            .collect();
        assert_eq!(errs.len(), 1, "{errs:#?}");
        assert!(errs[0].starts_with("s.yaml:19:19: `status`"), "{errs:#?}");
    }

    #[test]
    fn a_request_sends_one_body_and_form_values_use_known_variables() {
        let text = GOOD.replace(
            "{operation: listAccounts, query: {page: \"{{total}}\"}}",
            "{operation: listAccounts, body: {a: 1}, form: {user: \"{{totl}}\"}, multipart: {f: {content: x, filename: f.txt}}}",
        );
        let errs = load(&text).unwrap_err();
        let shown: Vec<String> = errs.iter().map(|d| d.to_string()).collect();
        assert_eq!(
            shown,
            [
                "s.yaml:17:58: a request sends one body: `body` and `form` cannot be combined",
                "s.yaml:17:71: undefined variable `totl`",
            ]
        );
        let multipart = GOOD.replace(
            "{operation: listAccounts, query: {page: \"{{total}}\"}}",
            "{operation: listAccounts, multipart: {f: [{content: x}, {file: x}]}}",
        );
        let errs = load(&multipart).unwrap_err();
        assert_eq!(errs.len(), 1, "{errs:#?}");
        assert!(errs[0].to_string().starts_with("s.yaml:17:"), "{}", errs[0]);
    }

    #[test]
    fn pointer_from_serde_path() {
        assert_eq!(
            path_to_pointer("cases[0].steps[1].expect"),
            "/cases/0/steps/1/expect"
        );
        assert_eq!(path_to_pointer("."), "");
    }
}
