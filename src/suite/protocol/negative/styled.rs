//! Negative values for parameters whose value is an array or an object, and for cookies: the
//! value the probe sends is read as a server reads it ([`Serial::read`]), one rule of it or of
//! its first item or member is broken, the result is written back the way the parameter is
//! serialized ([`Serial::write`]), and the case is kept only when reading what is sent shows
//! the intended rule, and only it, broken. So an array parameter is never "not an array" for
//! a lone word (`tags=abc` is a one-element array in the default `form` style), and an item
//! that breaks its type is sent where the style puts items.

use serde_json::Value;

use super::facts::Facts;
use super::generator::Generator;
use super::input::{confirms, effective, fill, members, put};
use super::violate::{self, Carrier, Violation};
use crate::openapi::style::{Serial, Shape};
use crate::openapi::{ParamIn, Parameter, SchemaRef};
use crate::pointer;
use crate::suite::{Case, Request, Scalar};

/// Where a parameter's pairs live in a request.
pub(super) fn place(location: ParamIn) -> &'static str {
    match location {
        ParamIn::Query => "query",
        ParamIn::Header => "header",
        ParamIn::Path => "path",
        ParamIn::Cookie => "cookie",
    }
}

impl Generator<'_> {
    /// The negative cases of a parameter read through its style: arrays, objects, cookies.
    pub(super) fn styled(&self, p: &Parameter, schema: SchemaRef, json: &Value) -> Vec<Case> {
        let facts = Facts::of(self.spec, json);
        if facts.open {
            return Vec::new();
        }
        let shape = Shape::of(self.spec, json);
        let serial = p.serial;
        let Some(given) = self.sent_pairs(p, &serial, &shape) else {
            return Vec::new();
        };
        let Some(base) = serial.read(&p.name, &given, &shape) else {
            return Vec::new();
        };
        let already: Vec<(String, String)> = self
            .spec
            .validate(schema, &base)
            .into_iter()
            .map(|v| (v.instance_path, v.schema_path))
            .collect();
        let mut proposals: Vec<(String, Violation)> = Vec::new();
        if p.required && p.location != ParamIn::Path {
            proposals.push((String::new(), violate::missing()));
        }
        for v in violate::violations(&facts, Some(&base), Carrier::Json) {
            proposals.push((String::new(), v));
        }
        match &base {
            Value::Array(items) => {
                if let (Some(first), Some(item)) = (items.first(), facts.items) {
                    let f = Facts::of(self.spec, item);
                    for v in violate::violations(&f, Some(first), Carrier::Json) {
                        proposals.push(("/0".to_owned(), v));
                    }
                }
            }
            Value::Object(_) => members(self.spec, json, &base, "", &mut proposals),
            _ => {}
        }
        let mut out = Vec::new();
        let mut named = std::collections::HashSet::new();
        for (at, v) in proposals {
            let id = format!("{at}#{}", v.name);
            if !self.negative.wants(v.kind) || named.contains(&id) {
                continue;
            }
            let sent = if at.is_empty() && v.value.is_none() {
                Vec::new()
            } else {
                let mut changed = base.clone();
                let ok = if at.is_empty() {
                    v.value.clone().map(|x| changed = x).is_some()
                } else {
                    put(&mut changed, &at, v.value.clone())
                };
                if !ok {
                    continue;
                }
                let sent = serial.write(&p.name, &changed);
                let Some(seen) = serial.read(&p.name, &sent, &shape) else {
                    continue;
                };
                if !confirms_at(&self.spec.validate(schema, &seen), &v, &at, &already) {
                    continue;
                }
                sent
            };
            let Some(request) = self.with_pairs(p, &serial, &shape, &sent) else {
                continue;
            };
            named.insert(id);
            let here = place(p.location);
            let shown = if sent.is_empty() {
                format!("{here} parameter {} left out", p.name)
            } else {
                let text: Vec<String> = match p.location {
                    ParamIn::Path | ParamIn::Header => {
                        sent.iter().map(|(_, x)| x.clone()).collect()
                    }
                    _ => sent.iter().map(|(k, x)| format!("{k}={x}")).collect(),
                };
                format!(
                    "{here} parameter {} sent as {:?} ({})",
                    p.name,
                    text.join("&"),
                    serial.describe()
                )
            };
            let member = if at.is_empty() {
                String::new()
            } else {
                format!(" {at}")
            };
            let what = format!("{here} parameter {}{member}", p.name);
            let rule = format!(
                "OpenAPI {} parameter {}{member} ({}): {}",
                self.op,
                p.name,
                serial.describe(),
                v.rule
            );
            let tokens = pointer::tokens(&at).unwrap_or_default();
            let mut slot = vec![here.to_owned(), p.name.clone()];
            slot.extend(tokens);
            let input = format!("{here} {}", p.name);
            out.push(self.case(&slot.join("-"), (&what, &input), &v, rule, shown, request));
        }
        out
    }

    /// The pairs the probe sends for the parameter, its placeholders filled; `None` when the
    /// probe does not send it or a value is only known at run time.
    fn sent_pairs(
        &self,
        p: &Parameter,
        serial: &Serial,
        shape: &Shape,
    ) -> Option<Vec<(String, String)>> {
        let r = &self.probe.request;
        let pairs: Vec<(String, String)> = match p.location {
            ParamIn::Query => {
                let mut keys: Vec<&String> = self.file.defaults.query.keys().collect();
                keys.extend(r.query.keys());
                let mut out = Vec::new();
                for k in keys {
                    if !serial.owns(&p.name, k, shape) || out.iter().any(|(x, _)| x == k) {
                        continue;
                    }
                    if let Some(v) = effective(&self.file.defaults.query, &r.query, k, false) {
                        out.push((k.clone(), v.to_owned()));
                    }
                }
                out
            }
            ParamIn::Header => {
                let v = effective(&self.file.defaults.headers, &r.headers, &p.name, true)?;
                vec![(p.name.clone(), v.to_owned())]
            }
            ParamIn::Path => vec![(p.name.clone(), r.path_params.get(&p.name)?.0.clone())],
            ParamIn::Cookie => {
                let v = effective(&self.file.defaults.headers, &r.headers, "cookie", true)?;
                cookies(v)
                    .into_iter()
                    .filter(|(k, _)| serial.owns(&p.name, k, shape))
                    .collect()
            }
        };
        if pairs.is_empty() {
            return None;
        }
        pairs
            .into_iter()
            .map(|(k, v)| fill(&v, self.vars).map(|v| (k, v)))
            .collect()
    }

    /// The probe's request with the parameter's pairs replaced by `sent` (none: left out);
    /// `None` when the request cannot carry them (a repeated query name).
    fn with_pairs(
        &self,
        p: &Parameter,
        serial: &Serial,
        shape: &Shape,
        sent: &[(String, String)],
    ) -> Option<Request> {
        let mut request = self.probe.request.clone();
        let repeated = sent
            .iter()
            .enumerate()
            .any(|(i, (k, _))| sent[..i].iter().any(|(x, _)| x == k));
        match p.location {
            ParamIn::Query => {
                if repeated {
                    return None;
                }
                let mut owned: Vec<String> = self.file.defaults.query.keys().cloned().collect();
                owned.extend(request.query.keys().cloned());
                for k in owned.iter().filter(|k| serial.owns(&p.name, k, shape)) {
                    request.query.insert(k.clone(), None);
                }
                for (k, v) in sent {
                    request.query.insert(k.clone(), Some(Scalar(v.clone())));
                }
            }
            ParamIn::Header => {
                let value = sent.first().map(|(_, v)| Scalar(v.clone()));
                request.headers.insert(p.name.to_ascii_lowercase(), value);
            }
            ParamIn::Path => {
                let (_, v) = sent.first()?;
                request
                    .path_params
                    .insert(p.name.clone(), Scalar(v.clone()));
            }
            ParamIn::Cookie => {
                let r = &self.probe.request;
                let given = effective(&self.file.defaults.headers, &r.headers, "cookie", true);
                let mut pairs: Vec<(String, String)> = given
                    .map(cookies)
                    .unwrap_or_default()
                    .into_iter()
                    .filter(|(k, _)| !serial.owns(&p.name, k, shape))
                    .collect();
                pairs.extend(sent.iter().cloned());
                let text: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={v}")).collect();
                let value = (!text.is_empty()).then(|| Scalar(text.join("; ")));
                request.headers.insert("cookie".to_owned(), value);
            }
        }
        Some(request)
    }
}

/// True when validation found something new, all of it the intended keyword at the value
/// changed (a missing member shows at its parent): a wrong type for the whole array must not
/// pass for a wrong item.
pub(super) fn confirms_at(
    found: &[crate::openapi::SchemaViolation],
    v: &Violation,
    at: &str,
    already: &[(String, String)],
) -> bool {
    let place = if v.keyword == "required" {
        at.rsplit_once('/').map_or("", |(parent, _)| parent)
    } else {
        at
    };
    confirms(found, v.keyword, already)
        && found
            .iter()
            .filter(|f| {
                !already
                    .iter()
                    .any(|(i, s)| *i == f.instance_path && *s == f.schema_path)
            })
            .all(|f| f.instance_path == place)
}

/// The name/value pairs of a `Cookie` header (RFC 6265 section 4.2.1).
fn cookies(header: &str) -> Vec<(String, String)> {
    header
        .split(';')
        .filter_map(|c| {
            let (k, v) = c.trim().split_once('=')?;
            Some((k.to_owned(), v.to_owned()))
        })
        .collect()
}
