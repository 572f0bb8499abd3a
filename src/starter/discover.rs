//! Path parameter values the target itself gives: the requests to send first, and what to
//! capture from their responses.
//!
//! For each path parameter of an operation, in this order:
//!
//! 1. an OpenAPI Link Object of another operation's successful response that leads to this
//!    operation (`operationId`, or an `operationRef` into this document) and gives the
//!    parameter (`petId`, or `path.petId`) as a runtime expression: `$response.body#/id` and
//!    `$response.header.Location` are captured from that response, `$request.path.id` (or
//!    `query`, `header`) is the value that request sent, and a constant is sent as it is;
//! 2. the same resource's collection: a `GET` on the path before `/{param}` whose successful
//!    response holds an array of records with a member named after the parameter (or `id`).
//!
//! A link from an operation that changes state (a `POST` that creates the resource) is
//! followed only for an operation that changes state itself, so that a reading case never
//! becomes destructive. The earlier request's own path parameters are discovered the same
//! way, up to [`MAX_DEPTH`] requests back. Every capture skips the case when its value is
//! missing: an empty collection means the target lacks the data, not that it is wrong.

use indexmap::IndexMap;
use serde_json::Value;

use super::auth::{self, Credential};
use super::request::{Parts, Step, fill};
use crate::openapi::{Operation, ParamIn, Spec};

/// How many requests back discovery goes.
const MAX_DEPTH: usize = 2;

/// The requests that give an operation its path parameters.
#[derive(Debug, Default)]
pub struct Discovery {
    /// Requests to send first, in order.
    pub steps: Vec<Step>,
    /// Discovered path parameter values: `{{variable}}` placeholders or constants.
    pub values: IndexMap<String, String>,
}

/// Where a value comes from, as a link parameter's runtime expression says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum From {
    /// The earlier response's body at a JSON Pointer (`""` for the whole body).
    Body(String),
    /// A header of the earlier response.
    Header(String),
    /// The value the earlier request sent for one of its parameters.
    Sent(ParamIn, String),
    /// A constant.
    Constant(String),
}

/// What a captured value is read from, for a step's `capture`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Capture {
    Body(String),
    Header(String),
}

/// Discovers the path parameters of `op`; a parameter no source gives is left out of
/// `values` (its example stands).
pub fn discover(spec: &Spec, op: &Operation, all: &[Credential]) -> Discovery {
    let destructive = changes_state(op);
    discover_at(spec, op, all, destructive, 0)
}

/// True when the method changes state.
pub fn changes_state(op: &Operation) -> bool {
    !matches!(op.method.as_str(), "GET" | "HEAD" | "OPTIONS" | "TRACE")
}

fn discover_at(
    spec: &Spec,
    op: &Operation,
    all: &[Credential],
    destructive: bool,
    depth: usize,
) -> Discovery {
    let mut out = Discovery::default();
    if depth >= MAX_DEPTH {
        return out;
    }
    let taken: Vec<&str> = all.iter().map(|c| c.variable.as_str()).collect();
    // Earlier requests by operation location: the index of their step in `out.steps`, and
    // the parts they send.
    let mut sources: Vec<(String, usize, Parts)> = Vec::new();
    for p in op.parameters.iter().filter(|p| p.location == ParamIn::Path) {
        let Some((source, from)) = linked(spec, op, &p.name, destructive)
            .or_else(|| collection(spec, op, &p.name).map(|(s, at)| (s, From::Body(at))))
        else {
            continue;
        };
        let known = sources.iter().position(|(l, _, _)| *l == source.location);
        let at = match known {
            Some(i) => i,
            None => {
                let Some((steps, parts)) = request_of(spec, source, all, destructive, depth) else {
                    continue;
                };
                out.steps.extend(steps);
                out.steps.push(Step {
                    request: parts.request(source),
                    capture: Vec::new(),
                });
                sources.push((source.location.clone(), out.steps.len() - 1, parts));
                sources.len() - 1
            }
        };
        let (_, step, parts) = &sources[at];
        let mut variable = auth::variable_name(&p.name);
        if taken.contains(&variable.as_str()) {
            variable = format!("path_{variable}");
        }
        let value = match from {
            From::Constant(text) => text,
            From::Sent(place, name) => match parts.sent(place, &name) {
                Some(v) => v.to_owned(),
                None => continue,
            },
            From::Body(pointer) => {
                out.steps[*step]
                    .capture
                    .push((variable.clone(), Capture::Body(pointer)));
                format!("{{{{{variable}}}}}")
            }
            From::Header(name) => {
                out.steps[*step]
                    .capture
                    .push((variable.clone(), Capture::Header(name)));
                format!("{{{{{variable}}}}}")
            }
        };
        out.values.insert(p.name.clone(), value);
    }
    // A parameter no source gave takes the value an earlier request was sent for a path
    // parameter of the same name: `/users/{user}/posts` for `/users/{user}/posts/{post}`.
    for p in op.parameters.iter().filter(|p| p.location == ParamIn::Path) {
        let sent = sources
            .iter()
            .find_map(|(_, _, parts)| parts.sent(ParamIn::Path, &p.name));
        if let Some(v) = sent.filter(|_| !out.values.contains_key(&p.name)) {
            out.values.insert(p.name.clone(), v.to_owned());
        }
    }
    out
}

/// False when a link's body pointer cannot address the response's documented JSON body (a
/// member name into an array, say): the document contradicts itself, and the value would
/// never be found.
fn fits(spec: &Spec, response: &crate::openapi::Response, from: &From) -> bool {
    let From::Body(pointer) = from else {
        return true;
    };
    let schema = response
        .content
        .iter()
        .find(|m| m.media_type.contains("json"))
        .and_then(|m| spec.schema_json(m.schema?));
    let tokens = crate::pointer::tokens(pointer).unwrap_or_default();
    schema.is_none_or(|s| addressable(spec, s, &tokens, 0))
}

/// True unless the schema rules out the path `tokens` (a member of a scalar, a member name in
/// an array); what the schema leaves open is taken as addressable.
fn addressable(spec: &Spec, schema: &Value, tokens: &[String], depth: usize) -> bool {
    let Some((first, rest)) = tokens.split_first() else {
        return true;
    };
    if depth > 8 {
        return true;
    }
    let schema = spec.resolve(schema);
    for key in ["allOf", "anyOf", "oneOf"] {
        let members = schema.get(key).and_then(Value::as_array);
        if members.is_some_and(|m| m.iter().any(|m| addressable(spec, m, tokens, depth + 1))) {
            return true;
        }
    }
    let index = first.parse::<usize>().is_ok();
    if let Some(items) = schema.get("items").filter(|_| index) {
        return addressable(spec, items, rest, depth + 1);
    }
    if let Some(member) = schema.get("properties").and_then(|p| p.get(first)) {
        return addressable(spec, member, rest, depth + 1);
    }
    let types: Vec<&str> = match schema.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(list)) => list.iter().filter_map(Value::as_str).collect(),
        _ => return true,
    };
    types.contains(&"object") || (index && types.contains(&"array"))
}

/// The steps and request parts of an earlier request, its own path parameters discovered in
/// turn; `None` when a value of it cannot be built.
fn request_of(
    spec: &Spec,
    source: &Operation,
    all: &[Credential],
    destructive: bool,
    depth: usize,
) -> Option<(Vec<Step>, Parts)> {
    let credentials = auth::for_operation(source, all).unwrap_or_default();
    let mut parts = Parts::default();
    if !fill(spec, source, &credentials, &mut parts, &mut Vec::new()) {
        return None;
    }
    let inner = discover_at(spec, source, all, destructive, depth + 1);
    parts.path.extend(inner.values);
    Some((inner.steps, parts))
}

/// The first operation whose successful response links to `op` and gives `param`: one that
/// does not change state, or, when `destructive`, any.
fn linked<'s>(
    spec: &'s Spec,
    op: &Operation,
    param: &str,
    destructive: bool,
) -> Option<(&'s Operation, From)> {
    let qualified = format!("path.{param}");
    let mut found: Vec<(&Operation, From)> = Vec::new();
    for source in spec.operations.iter().filter(|s| s.location != op.location) {
        let successes = source
            .responses
            .iter()
            .filter(|r| r.status.starts_with('2'));
        for (response, link) in successes.flat_map(|r| r.links.iter().map(move |l| (r, l))) {
            if spec
                .link_target(&link.target)
                .is_none_or(|t| t.location != op.location)
            {
                continue;
            }
            let given = link
                .parameters
                .iter()
                .find(|(n, _)| *n == qualified)
                .or_else(|| link.parameters.iter().find(|(n, _)| n == param));
            let from = given.and_then(|(_, v)| expression(v));
            if let Some(from) = from.filter(|f| fits(spec, response, f)) {
                found.push((source, from));
            }
        }
    }
    let safe = found.iter().position(|(s, _)| !changes_state(s));
    let pick = safe.or_else(|| (destructive && !found.is_empty()).then_some(0))?;
    Some(found.swap_remove(pick))
}

/// What a link parameter's value reads: a runtime expression, alone or inside `{}`, or a
/// constant. `None` for an expression that names nothing a request can be built from
/// (`$url`, `$statusCode`, a request body).
pub(super) fn expression(value: &Value) -> Option<From> {
    let text = match value {
        Value::String(s) => s.as_str(),
        Value::Number(n) => return Some(From::Constant(n.to_string())),
        Value::Bool(b) => return Some(From::Constant(b.to_string())),
        _ => return None,
    };
    let inner = text
        .strip_prefix('{')
        .and_then(|t| t.strip_suffix('}'))
        .filter(|t| t.starts_with('$'))
        .unwrap_or(text);
    if !inner.starts_with('$') {
        return Some(From::Constant(text.to_owned()));
    }
    if let Some(rest) = inner.strip_prefix("$response.body") {
        return match rest {
            "" => Some(From::Body(String::new())),
            _ => Some(From::Body(rest.strip_prefix('#')?.to_owned())),
        };
    }
    let named = |prefix: &str| inner.strip_prefix(prefix).filter(|n| !n.is_empty());
    if let Some(name) = named("$response.header.") {
        return Some(From::Header(name.to_ascii_lowercase()));
    }
    for (prefix, place) in [
        ("$request.path.", ParamIn::Path),
        ("$request.query.", ParamIn::Query),
        ("$request.header.", ParamIn::Header),
    ] {
        if let Some(name) = named(prefix) {
            return Some(From::Sent(place, name.to_owned()));
        }
    }
    None
}

/// The same resource's collection: a `GET` on the path before `/{param}`, and the pointer of
/// the parameter's value in the first record of its successful response.
fn collection<'s>(spec: &'s Spec, op: &Operation, param: &str) -> Option<(&'s Operation, String)> {
    let cut = op.path.find(&format!("/{{{param}}}"))?;
    let parent = &op.path[..cut];
    if parent.is_empty() {
        return None;
    }
    let list = spec
        .operations
        .iter()
        .find(|o| o.method == "GET" && o.path.trim_end_matches('/') == parent)?;
    let ok = list
        .responses
        .iter()
        .filter(|r| r.status.starts_with('2'))
        .find_map(|r| r.content.iter().find(|m| m.media_type.contains("json")))?;
    let schema = spec.schema_json(ok.schema?)?;
    find_id(spec, schema, param, "", 0).map(|at| (list, at))
}

/// The pointer of the record member that holds `param` in the first array of records found.
fn find_id(spec: &Spec, schema: &Value, param: &str, at: &str, depth: usize) -> Option<String> {
    if depth > 6 {
        return None;
    }
    let schema = spec.resolve(schema);
    if let Some(items) = schema.get("items") {
        let first = format!("{at}/0");
        let props = properties(spec, items, 0);
        let lower = param.to_ascii_lowercase();
        let pick = props
            .iter()
            .find(|p| **p == param)
            .or_else(|| props.iter().find(|p| p.to_ascii_lowercase() == lower))
            .or_else(|| {
                lower
                    .ends_with("id")
                    .then(|| props.iter().find(|p| *p == "id" || *p == "_id"))
                    .flatten()
            });
        if let Some(p) = pick {
            return Some(crate::pointer::join(&first, p));
        }
        return find_id(spec, items, param, &first, depth + 1);
    }
    for (name, sub) in property_schemas(spec, schema, 0) {
        if let Some(found) = find_id(
            spec,
            sub,
            param,
            &crate::pointer::join(at, &name),
            depth + 1,
        ) {
            return Some(found);
        }
    }
    None
}

/// The property names of an object schema, `allOf` members included.
fn properties(spec: &Spec, schema: &Value, depth: usize) -> Vec<String> {
    property_schemas(spec, schema, depth)
        .into_iter()
        .map(|(n, _)| n)
        .collect()
}

fn property_schemas<'s>(
    spec: &'s Spec,
    schema: &'s Value,
    depth: usize,
) -> Vec<(String, &'s Value)> {
    if depth > 6 {
        return Vec::new();
    }
    let schema = spec.resolve(schema);
    let mut out: Vec<(String, &Value)> = schema
        .get("properties")
        .and_then(Value::as_object)
        .map(|m| m.iter().map(|(k, v)| (k.clone(), v)).collect())
        .unwrap_or_default();
    for key in ["allOf", "anyOf"] {
        for m in schema
            .get(key)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            out.extend(property_schemas(spec, m, depth + 1));
        }
    }
    out
}
