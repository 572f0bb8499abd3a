//! The rules a schema cannot state within one case: a request names one target and sends one
//! body, uses only variables known at its step (declared, or captured earlier), expectations
//! hold valid regular expressions and do not contradict themselves, captures take one source,
//! and the case asserts something.

use std::collections::HashSet;

use serde_json::Value;

use super::rules::unknown_vars;
use crate::diag::Diagnostic;
use crate::pointer;
use crate::suite::{Case, SuiteFile};
use crate::yaml::Document;

/// What the rules of a case may rely on.
pub(super) struct Rules<'a> {
    /// Every variable the suite declares; `None` when `requires` or `vars` is broken.
    pub(super) declared: Option<&'a HashSet<&'a str>>,
    /// False when the suite's `errors` is broken.
    pub(super) errors_known: bool,
}

/// Every problem of one case, at `at` in the document, into `out`.
pub(super) fn case_problems(
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
