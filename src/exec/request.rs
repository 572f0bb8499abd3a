//! Turning a suite step into an HTTP request: the operation's method and path, the suite's
//! defaults merged with the step's own headers and query (`null` removes a default), the
//! profile's extra headers beneath them all, and every `{{placeholder}}` filled from the
//! target's variables and earlier captures.

use indexmap::IndexMap;

use super::Target;
use crate::finding::{HarnessError, HarnessErrorKind};
use crate::openapi::{Operation, Spec};
use crate::suite::{Scalar, Step, Suite};
use crate::template::{self, Vars};

/// A request ready to send, with what the records need.
pub struct Built<'s> {
    pub method: String,
    pub url: String,
    /// Lower-case names, in sending order.
    pub headers: Vec<(String, String)>,
    pub body: Option<String>,
    pub operation: Option<&'s Operation>,
    pub request: reqwest::Request,
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
    let mut out: IndexMap<String, String> = IndexMap::new();
    for (k, v) in base {
        out.insert(key(k), v.clone());
    }
    for (k, v) in defaults {
        out.insert(key(k), fill(&v.0, vars)?);
    }
    for (k, v) in step {
        match v {
            Some(v) => {
                out.insert(key(k), fill(&v.0, vars)?);
            }
            None => {
                out.shift_remove(&key(k));
            }
        }
    }
    Ok(out.into_iter().collect())
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
    let base = target.base_url.trim_end_matches('/');
    let (method, mut url, operation) = if let Some(id) = &r.operation {
        let op = spec.operation(id).ok_or_else(|| {
            err(
                HarnessErrorKind::InvalidRequest,
                format!("operation `{id}` is not in the spec"),
            )
        })?;
        (
            op.method.clone(),
            format!("{base}{}", fill_path(&op.path, &r.path_params, vars)?),
            Some(op),
        )
    } else if let Some(path) = &r.path {
        let method = r
            .method
            .clone()
            .unwrap_or_else(|| "GET".into())
            .to_ascii_uppercase();
        let op = spec
            .operations
            .iter()
            .find(|o| o.path == *path && o.method == method);
        (
            method,
            format!("{base}{}", fill_path(path, &r.path_params, vars)?),
            op,
        )
    } else {
        let method = r
            .method
            .clone()
            .unwrap_or_else(|| "GET".into())
            .to_ascii_uppercase();
        let raw = fill(r.url.as_deref().unwrap_or(""), vars)?;
        let joined = url::Url::parse(&format!("{base}/"))
            .and_then(|b| b.join(&raw))
            .map_err(|e| {
                err(
                    HarnessErrorKind::InvalidRequest,
                    format!("`{raw}` is not a usable URL: {e}"),
                )
            })?;
        let op = spec.match_path(&method, joined.path()).map(|(o, _)| o);
        (method, joined.to_string(), op)
    };
    let query = merge(&[], &suite.file.defaults.query, &r.query, vars, false)?;
    if !query.is_empty() {
        let mut parsed = url::Url::parse(&url).map_err(|e| {
            err(
                HarnessErrorKind::InvalidRequest,
                format!("`{url}` is not a valid URL: {e}"),
            )
        })?;
        {
            let mut pairs = parsed.query_pairs_mut();
            for (k, v) in &query {
                pairs.append_pair(k, v);
            }
        }
        url = parsed.to_string();
    }
    let mut headers = merge(
        &target.policy.headers,
        &suite.file.defaults.headers,
        &r.headers,
        vars,
        true,
    )?;
    let body = match &r.body {
        Some(b) => {
            let v = template::render_value(b, vars).map_err(|name| {
                err(
                    HarnessErrorKind::UndefinedVariable,
                    format!("variable `{name}` is not defined"),
                )
            })?;
            if !headers.iter().any(|(n, _)| n == "content-type") {
                headers.push(("content-type".into(), "application/json".into()));
            }
            Some(serde_json::to_string(&v).unwrap_or_default())
        }
        None => None,
    };
    let m = reqwest::Method::from_bytes(method.as_bytes()).map_err(|_| {
        err(
            HarnessErrorKind::InvalidRequest,
            format!("`{method}` is not an HTTP method"),
        )
    })?;
    let mut rb = client.request(m, &url);
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
        rb = rb.header(name, value);
    }
    if let Some(b) = &body {
        rb = rb.body(b.clone());
    }
    let request = rb.build().map_err(|e| {
        err(
            HarnessErrorKind::InvalidRequest,
            format!("cannot build the request to `{url}`: {e}"),
        )
    })?;
    Ok(Built {
        method,
        url,
        headers,
        body,
        operation,
        request,
    })
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
