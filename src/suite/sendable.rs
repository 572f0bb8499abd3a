//! The requests a suite will send, judged against its spec before anything is sent: what a run
//! would otherwise report as trouble of its own making (a path parameter without a value), or
//! blame on the server (a body the spec's own schema refuses, which the server rightly rejects).
//!
//! [`problems`] checks every step of a suite, the steps its protocol rules generate included:
//!
//! - every `{name}` of the operation's path template has a value in `path_params`, none of
//!   them is empty, and `path_params` names no parameter the template lacks;
//! - every required query parameter is sent (by the step or the suite's `defaults`);
//! - every parameter value written as it is sent (no `{{placeholder}}`) is valid against the
//!   parameter's schema;
//! - header names are HTTP tokens and header values written as sent hold no control
//!   character, so the request can be built at all;
//! - a JSON body is valid against the operation's request body schema, apart from the parts
//!   filled from variables, which are only known when the run fills them;
//! - a form body (`form`, `multipart`) goes to an operation that takes that media type, and
//!   is valid against its schema as a server reads the fields sent;
//! - a generated request holds one body at most (the loader checks hand-written ones).
//!
//! The last three are not judged for a step that expects a 4xx or an error code (the case
//! means to send a bad request) nor for generated negative requests, which break one rule on
//! purpose. Requests by `url` are not judged: their target is known only at run time.

use std::collections::HashSet;

use indexmap::IndexMap;
use serde_json::Value;

use super::{Scalar, Step, Suite};
use crate::diag::{Diagnostic, did_you_mean};
use crate::openapi::{Operation, ParamIn, Parameter, Spec};
use crate::pointer;
use crate::template;

/// Every problem of the requests `suite` will send to an implementation of `spec`.
pub fn problems(suite: &Suite, spec: &Spec) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    for (name, value) in &suite.file.defaults.headers {
        let at = format!("/defaults/headers/{}", pointer::escape(name));
        out.extend(header_problem(suite, name, Some(value), &at));
    }
    for (ci, case) in suite.file.cases.iter().enumerate() {
        for (si, step) in case.steps.iter().enumerate() {
            if step.expect.negative.is_some() {
                continue;
            }
            let at = format!("{}/request", suite.step_pointer(ci, si));
            let mut found = Vec::new();
            step_problems(suite, spec, step, &at, &mut found);
            for d in found {
                if seen.insert((d.to_string(), d.help.clone())) {
                    out.push(d);
                }
            }
        }
    }
    out
}

fn step_problems(suite: &Suite, spec: &Spec, step: &Step, at: &str, out: &mut Vec<Diagnostic>) {
    let r = &step.request;
    if step
        .origin
        .as_deref()
        .is_some_and(|o| !o.starts_with("/cases/"))
    {
        out.extend(super::load::body_keys_problem(&suite.doc, r, at));
    }
    for (name, value) in &r.headers {
        let here = format!("{at}/headers/{}", pointer::escape(name));
        out.extend(header_problem(suite, name, value.as_ref(), &here));
    }
    let (template, operation, named_at) = if let Some(id) = &r.operation {
        let Some(op) = spec.operation(id) else {
            return;
        };
        (op.path.as_str(), Some(op), format!("{at}/operation"))
    } else if let (Some(path), Some(method)) = (&r.path, &r.method) {
        let op = spec
            .operations
            .iter()
            .find(|o| o.path == *path && o.method.eq_ignore_ascii_case(method));
        (path.as_str(), op, format!("{at}/path"))
    } else {
        return;
    };
    let doc = &suite.doc;
    let shown = match operation {
        Some(op) => format!("{} {}", op.method, op.path),
        None => template.to_owned(),
    };
    let names = template_names(template);
    for name in &names {
        match r.path_params.get(name) {
            None => out.push(
                doc.diag(
                    &named_at,
                    format!("path parameter `{name}` of {shown} has no value"),
                )
                .with_help(format!(
                    "give it one under the request's `path_params` (`path_params: {{{name}: ...}}`)"
                )),
            ),
            Some(v) if v.0.is_empty() => out.push(doc.diag(
                &format!("{at}/path_params/{}", pointer::escape(name)),
                format!("path parameter `{name}` is empty: the request would go to another path"),
            )),
            Some(_) => {}
        }
    }
    for name in r.path_params.keys().filter(|k| !names.contains(k)) {
        let mut d = doc.diag_key(
            &format!("{at}/path_params/{}", pointer::escape(name)),
            format!("`{name}` is not a path parameter of {shown}"),
        );
        d = match did_you_mean(name, names.iter().map(String::as_str)) {
            Some(s) => d.with_help(format!("did you mean `{s}`?")),
            None if names.is_empty() => d.with_help("its path template has no parameters"),
            None => d.with_help(format!("its parameters are: {}", names.join(", "))),
        };
        out.push(d);
    }
    let Some(op) = operation else {
        return;
    };
    if expects_refusal(step) {
        return;
    }
    let defaults_known = !suite.dropped.iter().any(|k| k == "defaults");
    for p in &op.parameters {
        let sent = sent_value(suite, step, p, at);
        match sent {
            None if p.required && p.location == ParamIn::Query && defaults_known => out.push(
                doc.diag(
                    &named_at,
                    format!(
                        "required query parameter `{}` of {} is not sent",
                        p.name,
                        op.name()
                    ),
                )
                .with_help(
                    "add it under the request's `query` or the suite's `defaults.query`, or expect a 4xx status if the case means to leave it out",
                ),
            ),
            Some(("", _)) if p.location == ParamIn::Path => {}
            Some((text, where_)) => value_problems(suite, spec, op, p, text, &where_, out),
            None => {}
        }
    }
    if let Some(body) = &r.body {
        body_problems(suite, spec, op, body, &format!("{at}/body"), out);
    } else if let Some((kind, values)) = r.form_body() {
        let key = super::form::BodyKey::Form(kind).key();
        form::problems(suite, spec, op, kind, values, &format!("{at}/{key}"), out);
    }
}

/// A header that cannot be sent: a name that is not an HTTP token (RFC 9110 section 5.1), or a
/// value written as sent with a control character other than tab (section 5.5).
fn header_problem(
    suite: &Suite,
    name: &str,
    value: Option<&Scalar>,
    at: &str,
) -> Option<Diagnostic> {
    let tchar = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
    if name.is_empty() || !name.chars().all(tchar) {
        return Some(suite.doc.diag_key(
            at,
            format!("`{name}` is not a valid HTTP header name"),
        ).with_help("a header name is letters, digits and !#$%&'*+-.^_`|~, without spaces or colons"));
    }
    let text = &value?.0;
    let bad = text
        .chars()
        .find(|c| (c.is_control() && *c != '\t') || *c == '\u{7f}');
    match bad {
        Some(c) if template::variables_in(text).is_empty() => Some(suite.doc.diag(
            at,
            format!(
                "the value of header `{name}` holds the control character {:?}, which HTTP does not allow",
                c
            ),
        )),
        _ => None,
    }
}

/// True when the step means to send a request the server may refuse: it expects an error
/// code or a 4xx or 5xx status, itself or in one of its alternatives.
fn expects_refusal(step: &Step) -> bool {
    step.expect.error.is_some()
        || step.expect.one_of.iter().any(|a| a.error.is_some())
        || step.expect.statuses().iter().any(|c| *c >= 400)
}

/// The `{name}`s of a path template, in order.
fn template_names(template: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        out.push(rest[open + 1..open + close].to_owned());
        rest = &rest[open + close + 1..];
    }
    out
}

/// The text a request sends for a parameter and the pointer of where the suite writes it: the
/// step's own value (a `null` there removes it), else the suite's default.
fn sent_value<'a>(
    suite: &'a Suite,
    step: &'a Step,
    p: &Parameter,
    at: &str,
) -> Option<(&'a str, String)> {
    let r = &step.request;
    let (own, defaults, kind, fold): (_, Option<&IndexMap<String, Scalar>>, _, _) = match p.location
    {
        ParamIn::Path => {
            let v = r.path_params.get(&p.name)?;
            let ptr = format!("{at}/path_params/{}", pointer::escape(&p.name));
            return Some((v.0.as_str(), ptr));
        }
        ParamIn::Query => (&r.query, Some(&suite.file.defaults.query), "query", false),
        ParamIn::Header => (
            &r.headers,
            Some(&suite.file.defaults.headers),
            "headers",
            true,
        ),
        ParamIn::Cookie => return None,
    };
    let same = |k: &String| {
        if fold {
            k.eq_ignore_ascii_case(&p.name)
        } else {
            *k == p.name
        }
    };
    if let Some((k, v)) = own.iter().find(|(k, _)| same(k)) {
        let ptr = format!("{at}/{kind}/{}", pointer::escape(k));
        return v.as_ref().map(|s| (s.0.as_str(), ptr));
    }
    let (k, v) = defaults?.iter().find(|(k, _)| same(k))?;
    Some((
        v.0.as_str(),
        format!("/defaults/{kind}/{}", pointer::escape(k)),
    ))
}

/// A parameter value written as sent, against the parameter's schema. Values with
/// placeholders, and parameters whose schema is not a single scalar (arrays and objects are
/// serialized by style rules), are not judged.
fn value_problems(
    suite: &Suite,
    spec: &Spec,
    op: &Operation,
    p: &Parameter,
    text: &str,
    at: &str,
    out: &mut Vec<Diagnostic>,
) {
    let Some(schema) = p.schema else {
        return;
    };
    if !template::variables_in(text).is_empty() || !is_scalar(spec, schema) {
        return;
    }
    let place = match p.location {
        ParamIn::Path => "path",
        ParamIn::Query => "query",
        ParamIn::Header => "header",
        ParamIn::Cookie => "cookie",
    };
    for v in spec.validate_header(schema, text) {
        let mut d = suite.doc.diag(
            at,
            format!(
                "{place} parameter `{}` of {}: {}",
                p.name,
                op.name(),
                v.message
            ),
        );
        d = d.with_help(refusal_help(spec, schema, "value"));
        out.push(d);
    }
}

/// True when a parameter schema admits only scalar types.
fn is_scalar(spec: &Spec, schema: crate::openapi::SchemaRef) -> bool {
    let Some(json) = spec.schema_json(schema) else {
        return false;
    };
    let scalar = |t: &str| matches!(t, "string" | "integer" | "number" | "boolean" | "null");
    match spec.resolve(json).get("type") {
        Some(Value::String(t)) => scalar(t),
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).all(scalar),
        _ => false,
    }
}

/// A JSON body against the operation's JSON request body schema. A violation inside a part
/// that holds a placeholder is not judged: the run fills it.
fn body_problems(
    suite: &Suite,
    spec: &Spec,
    op: &Operation,
    body: &Value,
    at: &str,
    out: &mut Vec<Diagnostic>,
) {
    let schema = spec
        .request_body(op)
        .into_iter()
        .flatten()
        .find(|m| m.media_type.contains("json"))
        .and_then(|m| m.schema);
    let Some(schema) = schema else {
        return;
    };
    for v in spec.validate(schema, body) {
        let node = body.pointer(&v.instance_path).unwrap_or(body);
        if has_placeholder(node) && !(is_container(node) && is_about_members(v.keyword())) {
            continue;
        }
        let where_ = if v.instance_path.is_empty() {
            "the body".to_owned()
        } else {
            format!("body {}", v.instance_path)
        };
        out.push(
            suite
                .doc
                .diag(
                    &format!("{at}{}", v.instance_path),
                    format!(
                        "the request body breaks the spec's schema for {}: {where_}: {}",
                        op.name(),
                        v.message
                    ),
                )
                .with_help(refusal_help(spec, schema, "body")),
        );
    }
}

fn refusal_help(spec: &Spec, schema: crate::openapi::SchemaRef, what: &str) -> String {
    let mut help = format!(
        "the server may rightly refuse this {what}: fix it, or expect a 4xx status if the case means to send it"
    );
    if let Some(loc) = spec.schema_location(schema) {
        help.push_str(&format!(" (schema: {loc})"));
    }
    help
}

/// Keywords about which members an object or array has, which no placeholder inside it can
/// change.
fn is_about_members(keyword: &str) -> bool {
    matches!(
        keyword,
        "required"
            | "additionalProperties"
            | "unevaluatedProperties"
            | "dependentRequired"
            | "minProperties"
            | "maxProperties"
            | "minItems"
            | "maxItems"
    )
}

fn is_container(v: &Value) -> bool {
    v.is_object() || v.is_array()
}

fn has_placeholder(v: &Value) -> bool {
    match v {
        Value::String(s) => !template::variables_in(s).is_empty(),
        Value::Array(items) => items.iter().any(has_placeholder),
        Value::Object(map) => map.values().any(has_placeholder),
        _ => false,
    }
}

mod form;

#[cfg(test)]
mod tests;
