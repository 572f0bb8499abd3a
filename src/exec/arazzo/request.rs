//! Building the HTTP request of an Arazzo step: the workflow's parameters overridden by the
//! step's (by name and location), references into `components` resolved, every value
//! evaluated, the body serialised by its content type, and the target's extra headers
//! beneath them all.
//!
//! A parameter whose value is undefined (an input nobody gave) is left out; so is a payload
//! member.

use serde_json::Value;

use super::super::Target;
use super::super::request::Built;
use crate::arazzo::eval::{self, Body, Message, Scope};
use crate::arazzo::model::{Arazzo, In, Parameter, Reusable, Step, Workflow};
use crate::finding::{HarnessError, HarnessErrorKind};
use crate::openapi::{Operation, Spec};

/// A parameter with its reference resolved.
pub(crate) struct Param<'a> {
    pub name: &'a str,
    pub location: Option<In>,
    pub value: &'a Value,
}

/// The parameters of a step: the workflow's, then the step's, a later one replacing an
/// earlier one with the same name and location.
pub(crate) fn parameters<'a>(
    doc: &'a Arazzo,
    lists: &[&'a [Reusable<Parameter>]],
) -> Vec<Param<'a>> {
    let mut out: Vec<Param<'a>> = Vec::new();
    for list in lists {
        for p in *list {
            let param = match p {
                Reusable::Inline(p) => Param {
                    name: &p.name,
                    location: p.location,
                    value: &p.value,
                },
                Reusable::Reference(r) => match doc.components.parameters.get(&r.name) {
                    Some(c) => Param {
                        name: &c.name,
                        location: c.location,
                        value: r.value.as_ref().unwrap_or(&c.value),
                    },
                    None => continue,
                },
            };
            out.retain(|q| !(q.name == param.name && q.location == param.location));
            out.push(param);
        }
    }
    out
}

/// What a step sends, evaluated.
#[derive(Debug, Default)]
pub(crate) struct Parts {
    pub path: Vec<(String, String)>,
    pub query: Vec<(String, String)>,
    pub querystring: Option<String>,
    pub headers: Vec<(String, String)>,
    pub cookies: Vec<(String, String)>,
    /// Content type and text.
    pub body: Option<(String, String)>,
    /// The body as expressions read it (`$request.body`).
    pub body_value: Option<Body>,
}

/// Evaluates the parameters and request body of an operation step.
pub(crate) fn parts(
    doc: &Arazzo,
    w: &Workflow,
    s: &Step,
    spec: &Spec,
    op: &Operation,
    scope: &Scope,
) -> Result<Parts, String> {
    let mut out = Parts::default();
    for p in parameters(doc, &[&w.parameters, &s.parameters]) {
        let Some(value) = eval::resolve(p.value, doc, scope)? else {
            continue;
        };
        let name = p.name.to_owned();
        match p.location {
            Some(In::Query) => match &value {
                Value::Array(items) => out
                    .query
                    .extend(items.iter().map(|i| (name.clone(), eval::as_text(i)))),
                v => out.query.push((name, eval::as_text(v))),
            },
            Some(In::QueryString) => out.querystring = Some(eval::as_text(&value)),
            Some(In::Path) => out.path.push((name, joined(&value))),
            Some(In::Header) => out
                .headers
                .push((name.to_ascii_lowercase(), joined(&value))),
            Some(In::Cookie) => out.cookies.push((name, joined(&value))),
            None => {}
        }
    }
    if let Some(b) = &s.request_body {
        let mut payload = match &b.payload {
            Some(p) => eval::resolve(p, doc, scope)?,
            None => None,
        };
        for r in &b.replacements {
            let Some(v) = eval::resolve(&r.value, doc, scope)? else {
                continue;
            };
            let target = payload.get_or_insert_with(|| Value::Object(Default::default()));
            replace(target, &r.target, v)?;
        }
        let declared = spec
            .request_body(op)
            .and_then(|m| m.first())
            .map(|m| m.media_type.clone());
        let content_type = b
            .content_type
            .clone()
            .or(declared)
            .unwrap_or_else(|| "application/json".into());
        if let Some(p) = payload {
            let (text, value) = serialise(&content_type, p);
            out.body = Some((content_type, text));
            out.body_value = Some(value);
        }
    }
    Ok(out)
}

/// A value as one header, path or cookie value: list elements joined with commas.
fn joined(v: &Value) -> String {
    match v {
        Value::Array(items) => items
            .iter()
            .map(eval::as_text)
            .collect::<Vec<_>>()
            .join(","),
        other => eval::as_text(other),
    }
}

/// Sets the value at a JSON Pointer of the payload, creating objects on the way.
fn replace(payload: &mut Value, target: &str, v: Value) -> Result<(), String> {
    let tokens = crate::pointer::tokens(target)
        .ok_or_else(|| format!("replacement target `{target}` is not a JSON Pointer"))?;
    let mut here = payload;
    for t in &tokens {
        here = match here {
            Value::Array(items) => {
                let i: usize = t
                    .parse()
                    .map_err(|_| format!("replacement target `{target}`: `{t}` is not an index"))?;
                items
                    .get_mut(i)
                    .ok_or_else(|| format!("replacement target `{target}`: no element {i}"))?
            }
            Value::Object(m) => m.entry(t.clone()).or_insert(Value::Null),
            other => {
                *other = Value::Object(Default::default());
                other
                    .as_object_mut()
                    .expect("just made an object")
                    .entry(t.clone())
                    .or_insert(Value::Null)
            }
        };
    }
    *here = v;
    Ok(())
}

/// The body text for a content type: text payloads as written, form data from an object's
/// members, anything else as JSON.
fn serialise(content_type: &str, payload: Value) -> (String, Body) {
    if let Value::String(text) = &payload {
        let value = match serde_json::from_str::<Value>(text) {
            Ok(v) if content_type.contains("json") => Body::Json(v),
            _ => Body::Text(text.clone()),
        };
        return (text.clone(), value);
    }
    if content_type.contains("x-www-form-urlencoded")
        && let Value::Object(m) = &payload
    {
        let mut form = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in m {
            form.append_pair(k, &eval::as_text(v));
        }
        return (form.finish(), Body::Json(payload));
    }
    (payload.to_string(), Body::Json(payload))
}

fn invalid(message: String) -> HarnessError {
    HarnessError {
        kind: HarnessErrorKind::InvalidRequest,
        step: 0,
        message,
        curl: None,
    }
}

/// Builds the request: the operation's method and path under the target's base URL.
pub(crate) fn build<'s>(
    parts: &Parts,
    op: &'s Operation,
    target: &Target,
    client: &reqwest::Client,
) -> Result<Built<'s>, HarnessError> {
    let mut path = String::new();
    let mut rest = op.path.as_str();
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        let name = &rest[open + 1..open + close];
        let value = parts
            .path
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .ok_or_else(|| {
                invalid(format!(
                    "path parameter `{name}` of {} {} has no value",
                    op.method, op.path
                ))
            })?;
        path.push_str(&rest[..open]);
        path.extend(
            url::form_urlencoded::byte_serialize(value.as_bytes()).map(|s| s.replace('+', "%20")),
        );
        rest = &rest[open + close + 1..];
    }
    path.push_str(rest);
    let mut url = format!("{}{path}", target.base_url.trim_end_matches('/'));
    if let Some(q) = &parts.querystring {
        url.push('?');
        url.push_str(q.trim_start_matches('?'));
    } else if !parts.query.is_empty() {
        let mut parsed = url::Url::parse(&url)
            .map_err(|e| invalid(format!("`{url}` is not a valid URL: {e}")))?;
        parsed.query_pairs_mut().extend_pairs(&parts.query);
        url = parsed.to_string();
    }
    let mut headers: Vec<(String, String)> = target
        .policy
        .headers
        .iter()
        .map(|(n, v)| (n.to_ascii_lowercase(), v.clone()))
        .collect();
    for (n, v) in &parts.headers {
        headers.retain(|(m, _)| m != n);
        headers.push((n.clone(), v.clone()));
    }
    if !parts.cookies.is_empty() {
        let cookie: Vec<String> = parts
            .cookies
            .iter()
            .map(|(n, v)| format!("{n}={v}"))
            .collect();
        headers.retain(|(m, _)| m != "cookie");
        headers.push(("cookie".into(), cookie.join("; ")));
    }
    let body = parts.body.as_ref().map(|(ct, text)| {
        if !headers.iter().any(|(n, _)| n == "content-type") {
            headers.push(("content-type".into(), ct.clone()));
        }
        text.clone()
    });
    let method = reqwest::Method::from_bytes(op.method.as_bytes())
        .map_err(|_| invalid(format!("`{}` is not an HTTP method", op.method)))?;
    let mut rb = client.request(method, &url);
    for (n, v) in &headers {
        let name = reqwest::header::HeaderName::from_bytes(n.as_bytes())
            .map_err(|_| invalid(format!("`{n}` is not a valid header name")))?;
        let value = reqwest::header::HeaderValue::from_str(v)
            .map_err(|_| invalid(format!("the value of header `{n}` is not valid in HTTP")))?;
        rb = rb.header(name, value);
    }
    if let Some(b) = &body {
        rb = rb.body(b.clone());
    }
    let request = rb
        .build()
        .map_err(|e| invalid(format!("cannot build the request to `{url}`: {e}")))?;
    Ok(Built {
        method: op.method.clone(),
        url,
        headers,
        body,
        operation: Some(op),
        request: Some(request),
    })
}

/// The request as expressions read it (`$request.…`, `$url`, `$method`).
pub(crate) fn message(parts: &Parts, built: &Built<'_>) -> Message {
    Message {
        headers: built.headers.clone(),
        query: parts.query.clone(),
        path: parts.path.clone(),
        body: parts.body_value.clone(),
    }
}
