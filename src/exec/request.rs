//! Turning a suite step into an HTTP request: the operation's method and path, the suite's
//! defaults merged with the step's own headers and query (`null` removes a default), the
//! profile's extra headers beneath them all, and every `{{placeholder}}` filled from the
//! target's variables and earlier captures.

use indexmap::IndexMap;
use serde_json::Value;

use super::Target;
use crate::finding::{HarnessError, HarnessErrorKind};
use crate::openapi::{Operation, Spec};
use crate::suite::{Scalar, Step, Suite, form};
use crate::template::{self, Vars};

/// A request ready to send, with what the records need.
pub struct Built<'s> {
    pub method: String,
    pub url: String,
    /// Lower-case names, in sending order.
    pub headers: Vec<(String, String)>,
    pub body: Option<String>,
    pub operation: Option<&'s Operation>,
    /// The request to send; taken once, by [`Built::take_request`].
    pub request: Option<reqwest::Request>,
}

impl Built<'_> {
    /// The request to send, moved out so the one attempt of a request that is not retried
    /// sends it without a copy. A built request is sent once.
    pub fn take_request(&mut self) -> reqwest::Request {
        self.request.take().expect("a built request is sent once")
    }
}

fn err(kind: HarnessErrorKind, message: String) -> HarnessError {
    HarnessError {
        kind,
        step: 0,
        message,
        curl: None,
    }
}

fn fill(text: &str, vars: &Vars) -> Result<String, HarnessError> {
    template::render(text, vars).map_err(|name| {
        err(
            HarnessErrorKind::UndefinedVariable,
            format!(
                "variable `{name}` is not defined (profile, environment or an earlier capture)"
            ),
        )
    })
}

/// Merges `base` (filled already), defaults and step values, later ones replacing earlier
/// ones of the same name; a `None` step value removes the default.
fn merge(
    base: &[(String, String)],
    defaults: &IndexMap<String, Scalar>,
    step: &IndexMap<String, Option<Scalar>>,
    vars: &Vars,
    fold_case: bool,
) -> Result<Vec<(String, String)>, HarnessError> {
    let key = |k: &str| {
        if fold_case {
            k.to_ascii_lowercase()
        } else {
            k.to_owned()
        }
    };
    // A handful of names: a list searched in order costs less than a hashed map, and keeps
    // a replaced name where it was first set.
    let mut out: Vec<(String, String)> =
        Vec::with_capacity(base.len() + defaults.len() + step.len());
    let set = |out: &mut Vec<(String, String)>, k: String, v: String| match out
        .iter_mut()
        .find(|(n, _)| *n == k)
    {
        Some(entry) => entry.1 = v,
        None => out.push((k, v)),
    };
    for (k, v) in base {
        set(&mut out, key(k), v.clone());
    }
    for (k, v) in defaults {
        set(&mut out, key(k), fill(&v.0, vars)?);
    }
    for (k, v) in step {
        match v {
            Some(v) => set(&mut out, key(k), fill(&v.0, vars)?),
            None => {
                let k = key(k);
                out.retain(|(n, _)| *n != k);
            }
        }
    }
    Ok(out)
}

/// Builds the request for a step.
pub fn build<'s>(
    suite: &Suite,
    spec: &'s Spec,
    step: &Step,
    target: &Target,
    vars: &Vars,
    client: &reqwest::Client,
) -> Result<Built<'s>, HarnessError> {
    let r = &step.request;
    // The step's method as sent (GET when it names none); an operation gives its own.
    let method_of =
        |r: &crate::suite::Request| r.method.as_deref().unwrap_or("GET").to_ascii_uppercase();
    let base = target.base_url.trim_end_matches('/');
    let (method, mut url, mut parsed, operation) = if let Some(id) = &r.operation {
        let op = spec.operation(id).ok_or_else(|| {
            err(
                HarnessErrorKind::InvalidRequest,
                format!("operation `{id}` is not in the spec"),
            )
        })?;
        (
            op.method.clone(),
            format!("{base}{}", fill_path(&op.path, &r.path_params, vars)?),
            None,
            Some(op),
        )
    } else if let Some(path) = &r.path {
        let method = method_of(r);
        let op = spec
            .operations
            .iter()
            .find(|o| o.path == *path && o.method == method);
        (
            method,
            format!("{base}{}", fill_path(path, &r.path_params, vars)?),
            None,
            op,
        )
    } else if let Some(link) = &r.link {
        // A walked page's link, sent as the server wrote it.
        let method = method_of(r);
        let op = spec.match_path(&method, link.path()).map(|(o, _)| o);
        (method, link.as_str().to_owned(), Some(link.clone()), op)
    } else {
        let method = method_of(r);
        let raw = fill(r.url.as_deref().unwrap_or(""), vars)?;
        // An absolute URL written as the parser writes it (a link a page gave) joins to
        // itself, whatever the base: the base need not be parsed for it.
        let written = url::Url::parse(&raw).ok().filter(|u| u.as_str() == raw);
        let joined = written
            .map(Ok)
            .unwrap_or_else(|| url::Url::parse(&format!("{base}/")).and_then(|b| b.join(&raw)))
            .map_err(|e| {
                err(
                    HarnessErrorKind::InvalidRequest,
                    format!("`{raw}` is not a usable URL: {e}"),
                )
            })?;
        let op = spec.match_path(&method, joined.path()).map(|(o, _)| o);
        (method, joined.to_string(), Some(joined), op)
    };
    let query = merge(&[], &suite.file.defaults.query, &r.query, vars, false)?;
    if !query.is_empty() {
        let mut with_query = match parsed {
            Some(u) => u,
            None => url::Url::parse(&url).map_err(|e| {
                err(
                    HarnessErrorKind::InvalidRequest,
                    format!("`{url}` is not a valid URL: {e}"),
                )
            })?,
        };
        {
            let mut pairs = with_query.query_pairs_mut();
            for (k, v) in &query {
                pairs.append_pair(k, v);
            }
        }
        url = with_query.to_string();
        parsed = Some(with_query);
    }
    let mut headers = merge(
        &target.policy.headers,
        &suite.file.defaults.headers,
        &r.headers,
        vars,
        true,
    )?;
    let body = body(spec, operation, r, vars, &mut headers)?;
    let m = reqwest::Method::from_bytes(method.as_bytes()).map_err(|_| {
        err(
            HarnessErrorKind::InvalidRequest,
            format!("`{method}` is not an HTTP method"),
        )
    })?;
    // The URL is parsed once here, for the client and for the gates that ask its host; one
    // that does not parse goes as text, for the client's own error.
    let mut valid = Vec::with_capacity(headers.len());
    for (n, v) in &headers {
        let name = reqwest::header::HeaderName::from_bytes(n.as_bytes()).map_err(|_| {
            err(
                HarnessErrorKind::InvalidRequest,
                format!("`{n}` is not a valid header name"),
            )
        })?;
        let value = reqwest::header::HeaderValue::from_str(v).map_err(|_| {
            err(
                HarnessErrorKind::InvalidRequest,
                format!("the value of header `{n}` is not valid in HTTP"),
            )
        })?;
        valid.push((name, value));
    }
    let request = match parsed.or_else(|| url::Url::parse(&url).ok()) {
        // As the client's builder makes it, without its checks of each step.
        Some(parsed) => {
            let mut request = reqwest::Request::new(m, parsed);
            let h = request.headers_mut();
            h.reserve(valid.len());
            for (name, value) in valid {
                h.append(name, value);
            }
            *request.body_mut() = body.clone().map(reqwest::Body::from);
            request
        }
        None => {
            let mut rb = client.request(m, &url);
            for (name, value) in valid {
                rb = rb.header(name, value);
            }
            if let Some(b) = &body {
                rb = rb.body(b.clone());
            }
            rb.build().map_err(|e| {
                err(
                    HarnessErrorKind::InvalidRequest,
                    format!("cannot build the request to `{url}`: {e}"),
                )
            })?
        }
    };
    Ok(Built {
        method,
        url,
        headers,
        body,
        operation,
        request: Some(request),
    })
}

/// The body text of a request, its placeholders filled, with its Content-Type added to
/// `headers` unless they carry one: JSON for `body`, a form encoded by the operation's media
/// type for `form` and `multipart` (a multipart Content-Type the suite sets without a
/// boundary gets the body's).
fn body(
    spec: &Spec,
    operation: Option<&Operation>,
    r: &crate::suite::Request,
    vars: &Vars,
    headers: &mut Vec<(String, String)>,
) -> Result<Option<String>, HarnessError> {
    let keys = r.body_keys();
    if let [first, second, ..] = keys.as_slice() {
        return Err(err(
            HarnessErrorKind::InvalidRequest,
            format!(
                "the request has both `{}` and `{}`; it sends one body",
                first.key(),
                second.key()
            ),
        ));
    }
    let render = |v: &Value| {
        template::render_value(v, vars).map_err(|name| {
            err(
                HarnessErrorKind::UndefinedVariable,
                format!("variable `{name}` is not defined"),
            )
        })
    };
    let (text, content_type) = if let Some(b) = &r.body {
        let v = render(b)?;
        (
            serde_json::to_string(&v).unwrap_or_default(),
            "application/json".to_owned(),
        )
    } else if let Some((kind, values)) = r.form_body() {
        let mut filled = IndexMap::new();
        for (name, v) in values {
            filled.insert(name.clone(), render(v)?);
        }
        let encodings = operation
            .and_then(|op| form::media(spec, op, kind))
            .map(|m| m.encoding.as_slice())
            .unwrap_or_default();
        form::encode(kind, &form::fields(kind, &filled, encodings))
    } else {
        return Ok(None);
    };
    match headers.iter_mut().find(|(n, _)| n == "content-type") {
        None => headers.push(("content-type".into(), content_type)),
        Some((_, set)) => {
            let boundary = content_type.split_once("; boundary=").map(|(_, b)| b);
            let multipart = set.to_ascii_lowercase().starts_with("multipart/");
            if let Some(b) = boundary.filter(|_| multipart && !set.contains("boundary=")) {
                set.push_str(&format!("; boundary={b}"));
            }
        }
    }
    Ok(Some(text))
}

/// Substitutes `{name}` segments, percent-encoding each value as one path segment.
fn fill_path(
    template: &str,
    params: &IndexMap<String, Scalar>,
    vars: &Vars,
) -> Result<String, HarnessError> {
    let mut out = String::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        let name = &rest[open + 1..open + close];
        let value = params.get(name).ok_or_else(|| {
            err(
                HarnessErrorKind::InvalidRequest,
                format!("path parameter `{name}` has no value in `path_params`"),
            )
        })?;
        out.push_str(&rest[..open]);
        let v = fill(&value.0, vars)?;
        out.extend(
            url::form_urlencoded::byte_serialize(v.as_bytes()).map(|s| s.replace('+', "%20")),
        );
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    const SPEC: &str = "openapi: 3.0.3\ninfo: {title: F, version: \"1\"}\npaths:\n  /s:\n    post:\n      operationId: signIn\n      requestBody:\n        content:\n          application/x-www-form-urlencoded:\n            schema: {type: object, properties: {ids: {type: array, items: {type: integer}}}}\n            encoding:\n              ids: {style: pipeDelimited, explode: false}\n      responses:\n        \"200\": {description: ok}\n";

    type Sent = (Result<Option<String>, HarnessError>, Vec<(String, String)>);

    fn sent(request: serde_json::Value, headers: &[(&str, &str)]) -> Sent {
        let spec = Spec::parse("f.yaml", SPEC).unwrap();
        let r: crate::suite::Request = serde_json::from_value(request).unwrap();
        let mut vars = Vars::default();
        vars.set("who", json!("ann lee"));
        let mut headers: Vec<(String, String)> = headers
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect();
        let body = body(&spec, spec.operation("signIn"), &r, &vars, &mut headers);
        (body, headers)
    }

    #[test]
    fn a_form_is_encoded_by_the_operations_encoding_and_says_so() {
        let (body, headers) = sent(
            json!({"operation": "signIn", "form": {"user": "{{who}}", "ids": [1, 2]}}),
            &[],
        );
        assert_eq!(body.unwrap().as_deref(), Some("user=ann+lee&ids=1%7C2"));
        assert_eq!(
            headers,
            [(
                "content-type".to_owned(),
                "application/x-www-form-urlencoded".to_owned()
            )]
        );
    }

    #[test]
    fn a_multipart_content_type_the_suite_sets_gets_the_boundary() {
        let request = json!({"operation": "signIn", "multipart": {"user": "{{who}}"}});
        let (body, headers) = sent(request.clone(), &[("content-type", "multipart/form-data")]);
        let body = body.unwrap().unwrap();
        let (_, boundary) = headers[0].1.split_once("; boundary=").unwrap();
        assert!(body.starts_with(&format!("--{boundary}\r\n")), "{body}");
        assert!(body.contains("\r\n\r\nann lee\r\n"), "{body}");
        let (_, kept) = sent(request, &[("content-type", "text/plain")]);
        assert_eq!(
            kept[0].1, "text/plain",
            "a type the suite sets is sent as set"
        );
    }

    #[test]
    fn a_request_with_two_bodies_is_not_sent() {
        let (body, _) = sent(
            json!({"operation": "signIn", "body": {}, "form": {"a": 1}}),
            &[],
        );
        let e = body.unwrap_err();
        assert_eq!(e.kind, HarnessErrorKind::InvalidRequest);
        assert_eq!(
            e.message,
            "the request has both `body` and `form`; it sends one body"
        );
    }
}
