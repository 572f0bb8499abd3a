//! Reading a suite file: YAML with positions, then the suite JSON Schema (every structural
//! problem at once), then the typed model, then the rules a schema cannot express (unique ids,
//! known variables, one way to name a request, a case that asserts something).

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

/// Loads a suite; every problem in the file comes back at once.
pub fn load_suite(path: &Path) -> Result<Suite, Vec<Diagnostic>> {
    let doc = Document::load(path)?;
    from_document(path, doc)
}

/// Builds a suite from an already parsed document.
pub fn from_document(path: &Path, doc: Document) -> Result<Suite, Vec<Diagnostic>> {
    let problems = structural_problems(&doc);
    if !problems.is_empty() {
        return Err(with_partial_semantics(&doc, problems));
    }
    let file: SuiteFile = serde_path_to_error::deserialize(&doc.value).map_err(|e| {
        let ptr = path_to_pointer(&e.path().to_string());
        vec![doc.diag(&ptr, e.inner().to_string())]
    })?;
    let indices: Vec<usize> = (0..file.cases.len()).collect();
    let problems = semantic_problems(&doc, &file, &indices);
    if !problems.is_empty() {
        return Err(problems);
    }
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok(Suite {
        name,
        spec_path: dir.join(&file.spec),
        snapshot_dir: dir.join(file.snapshots.as_deref().unwrap_or("snapshots")),
        file,
        doc,
    })
}

/// Schema violations, one diagnostic each, ordered by position.
fn structural_problems(doc: &Document) -> Vec<Diagnostic> {
    let (schema_value, validator) = schema();
    let mut out: Vec<(crate::yaml::Pos, Diagnostic)> = Vec::new();
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
                    out.push((doc.key_pos(&ptr), d));
                }
            }
            continue;
        }
        let d = doc.diag(&at, describe(&err, &at));
        if seen.insert(d.to_string()) {
            out.push((doc.pos(&at), d));
        }
    }
    out.sort_by_key(|(p, _)| (p.line, p.col));
    out.into_iter().map(|(_, d)| d).collect()
}

/// Adds the rule problems of the cases that are structurally sound to a file's structural
/// problems, so one pass shows as much as it can.
fn with_partial_semantics(doc: &Document, mut problems: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let Some(Value::Array(cases)) = doc.value.get("cases") else {
        return problems;
    };
    let broken = |i: usize| {
        let (line_from, line_to) = (
            doc.pos(&format!("/cases/{i}")).line,
            doc.pos(&format!("/cases/{}", i + 1)).line,
        );
        problems
            .iter()
            .any(|d| d.line >= line_from && (i + 1 == cases.len() || d.line < line_to))
    };
    let sound: Vec<usize> = (0..cases.len()).filter(|i| !broken(*i)).collect();
    let mut value = doc.value.clone();
    value["cases"] = Value::Array(sound.iter().map(|i| cases[*i].clone()).collect());
    let top_broken = problems.iter().any(|d| d.line < doc.pos("/cases").line);
    if top_broken {
        return problems;
    }
    if let Ok(file) = serde_json::from_value::<SuiteFile>(value) {
        problems.extend(semantic_problems(doc, &file, &sound));
        problems.sort_by_key(|d| (d.line, d.col));
        problems.dedup_by(|a, b| a.to_string() == b.to_string());
    }
    problems
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
fn path_to_pointer(path: &str) -> String {
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

/// Rules the schema cannot state. `indices[i]` is the position in the document of `file.cases[i]`.
fn semantic_problems(doc: &Document, file: &SuiteFile, indices: &[usize]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut ids = HashSet::new();
    let declared: HashSet<&str> = file
        .requires
        .iter()
        .map(String::as_str)
        .chain(file.vars.keys().map(String::as_str))
        .chain(template::BUILTINS.iter().copied())
        .collect();
    for (name, value) in &file.vars {
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
        if !declared.contains(name.as_str()) || template::BUILTINS.contains(&name.as_str()) {
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
    for (name, value) in file.defaults.headers.iter().chain(&file.defaults.query) {
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
    for (case, ci) in file.cases.iter().zip(indices) {
        let at = format!("/cases/{ci}");
        if !ids.insert(case.id.as_str()) {
            out.push(doc.diag(
                &format!("{at}/id"),
                format!("duplicate case id `{}`", case.id),
            ));
        }
        for (wi, w) in case.waive.iter().enumerate() {
            if !crate::check::is_known(&w.check) {
                let mut d = doc.diag(
                    &format!("{at}/waive/{wi}/check"),
                    format!("unknown check `{}`", w.check),
                );
                if let Some(s) = did_you_mean(&w.check, crate::check::ids()) {
                    d = d.with_help(format!("did you mean `{s}`?"));
                }
                out.push(d);
            }
        }
        case_problems(doc, file, case, &at, &declared, &mut out);
    }
    out
}

fn case_problems(
    doc: &Document,
    file: &SuiteFile,
    case: &Case,
    at: &str,
    declared: &HashSet<&str>,
    out: &mut Vec<Diagnostic>,
) {
    let mut known: HashSet<String> = declared.iter().map(|s| s.to_string()).collect();
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
        if let Some(body) = &r.body {
            collect_strings(body, &format!("{sp}/request/body"), &mut texts);
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
        for (path, text) in &texts {
            unknown_vars(doc, path, text, &known_ref, out);
        }
        if step.expect.error.is_some() && file.errors.is_none() {
            out.push(doc.diag(
                &format!("{sp}/expect/error"),
                "`error` needs the suite's `errors.codes` to say where error codes are",
            ));
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
            s.file.cases[0].steps[1].expect.status.as_ref().unwrap().0,
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
    fn pointer_from_serde_path() {
        assert_eq!(
            path_to_pointer("cases[0].steps[1].expect"),
            "/cases/0/steps/1/expect"
        );
        assert_eq!(path_to_pointer("."), "");
    }
}
