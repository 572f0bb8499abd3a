//! The valid request of one operation: credentials, parameters (serialized by their style),
//! a JSON or form body, and the steps that discover its path parameters ([`super::discover`]).

use indexmap::IndexMap;
use serde_json::{Map, Value, json};

use super::auth::{self, Credential, Place};
use super::discover::{Capture, changes_state, discover};
use super::value::sample;
use crate::openapi::form::Kind;
use crate::openapi::style::Shape;
use crate::openapi::{MediaType, Operation, ParamIn, Spec};
use crate::suite::form::{self, BodyKey};

/// One operation's derived case.
#[derive(Debug, Clone)]
pub struct Built {
    /// Position in the document.
    pub index: usize,
    /// Kebab-case case id.
    pub id: String,
    /// `operationId`, or `METHOD /path`.
    pub operation: String,
    pub operation_id: Option<String>,
    pub method: String,
    pub path: String,
    pub credentials: Vec<Credential>,
    /// Discovery steps, then the operation's own request.
    pub steps: Vec<Step>,
    /// The request alone, its path parameters discovered by the earlier steps or from
    /// examples: the base of negative cases and of the authentication matrix. `None` when some
    /// value could not be built.
    pub probe_request: Option<Value>,
    /// True when a path parameter of the request comes from examples, not from the target: a
    /// 404 then says the target lacks that resource.
    pub assumed_ids: bool,
    /// The operation has input rules to break (parameters with schemas, a JSON body).
    pub probe: bool,
    /// The method changes state.
    pub destructive: bool,
    /// Every numeric status the operation documents.
    pub statuses: Vec<u16>,
    /// What the user should know (values that could not be built, schemes not sent).
    pub notes: Vec<String>,
    /// How many values the request sends besides credentials: the simplest guarded request
    /// carries the authentication matrix, as the one most likely served when authorised.
    pub inputs: usize,
}

/// One step of a derived case.
#[derive(Debug, Clone)]
pub struct Step {
    /// The `request` mapping.
    pub request: Value,
    /// Variables captured from the response: name, and what it is read from.
    pub capture: Vec<(String, Capture)>,
}

impl Built {
    /// True when the case is the operation's request alone.
    pub fn single_step(&self) -> bool {
        self.steps.len() == 1
    }

    /// The steps that discover path parameters, before the operation's own request.
    pub fn setup(&self) -> &[Step] {
        &self.steps[..self.steps.len().saturating_sub(1)]
    }
}

/// The request parts built so far.
#[derive(Debug, Default)]
pub(super) struct Parts {
    pub path: IndexMap<String, String>,
    query: IndexMap<String, String>,
    headers: IndexMap<String, String>,
    cookies: Vec<String>,
    body: Option<Value>,
    /// A form body: its kind and its fields' values.
    form: Option<(Kind, IndexMap<String, Value>)>,
}

impl Parts {
    /// The text sent for a parameter.
    pub fn sent(&self, place: ParamIn, name: &str) -> Option<&str> {
        let found = match place {
            ParamIn::Path => self.path.get(name),
            ParamIn::Query => self.query.get(name),
            ParamIn::Header => self.headers.get(&name.to_ascii_lowercase()),
            ParamIn::Cookie => None,
        };
        found.map(String::as_str)
    }

    pub fn request(&self, op: &Operation) -> Value {
        let mut r = Map::new();
        match &op.id {
            Some(id) => {
                r.insert("operation".into(), json!(id));
            }
            None => {
                r.insert("method".into(), json!(op.method));
                r.insert("path".into(), json!(op.path));
            }
        }
        let strings = |m: &IndexMap<String, String>| {
            Value::Object(m.iter().map(|(k, v)| (k.clone(), json!(v))).collect())
        };
        if !self.path.is_empty() {
            r.insert("path_params".into(), strings(&self.path));
        }
        if !self.query.is_empty() {
            r.insert("query".into(), strings(&self.query));
        }
        let mut headers = self.headers.clone();
        if !self.cookies.is_empty() {
            headers.insert("cookie".into(), self.cookies.join("; "));
        }
        if !headers.is_empty() {
            r.insert("headers".into(), strings(&headers));
        }
        if let Some(b) = &self.body {
            r.insert("body".into(), b.clone());
        }
        if let Some((kind, values)) = &self.form {
            let map = values.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
            r.insert(BodyKey::Form(*kind).key().into(), Value::Object(map));
        }
        Value::Object(r)
    }
}

/// Builds the case of `op`.
pub fn build(spec: &Spec, op: &Operation, all: &[Credential]) -> Built {
    let index = spec
        .operations
        .iter()
        .position(|o| o.location == op.location)
        .unwrap_or_default();
    let mut notes = Vec::new();
    let credentials = auth::for_operation(op, all).unwrap_or_else(|schemes| {
        notes.push(format!(
            "security {schemes}: no scheme accord can send (http bearer or basic, apiKey, oauth2, openIdConnect); the request goes without credentials"
        ));
        Vec::new()
    });
    let mut parts = Parts::default();
    let complete = fill(spec, op, &credentials, &mut parts, &mut notes);
    let found = discover(spec, op, all);
    let assumed_ids = op
        .parameters
        .iter()
        .any(|p| p.location == ParamIn::Path && !found.values.contains_key(&p.name));
    parts.path.extend(found.values);
    let probe_request = complete.then(|| parts.request(op));
    let mut steps = found.steps;
    steps.push(Step {
        request: parts.request(op),
        capture: Vec::new(),
    });
    let mut statuses: Vec<u16> = op
        .responses
        .iter()
        .filter_map(|r| r.status.parse().ok())
        .collect();
    statuses.sort_unstable();
    if statuses.is_empty() {
        statuses = vec![200];
        notes.push("the document lists no numeric status: `expect.status` is a guess".into());
    }
    let probe = op.parameters.iter().any(|p| p.schema.is_some())
        || parts.body.is_some()
        || parts.form.is_some();
    let inputs = (parts.path.len() + parts.query.len() + parts.headers.len() + parts.cookies.len())
        .saturating_sub(credentials.len())
        + parts
            .body
            .as_ref()
            .map_or(0, |b| b.as_object().map_or(1, |o| o.len()))
        + parts.form.as_ref().map_or(0, |(_, f)| f.len());
    Built {
        index,
        id: kebab(
            &op.id
                .clone()
                .unwrap_or_else(|| format!("{} {}", op.method, op.path)),
        ),
        operation: op.name(),
        operation_id: op.id.clone(),
        method: op.method.clone(),
        path: op.path.clone(),
        credentials,
        steps,
        probe_request,
        assumed_ids,
        probe,
        destructive: changes_state(op),
        statuses,
        notes,
        inputs,
    }
}

/// Puts credentials, path and required parameters and a JSON or form body (URL-encoded, else
/// multipart) into `parts`; false when a value could not be built to fit its schema (noted).
pub(super) fn fill(
    spec: &Spec,
    op: &Operation,
    credentials: &[Credential],
    parts: &mut Parts,
    notes: &mut Vec<String>,
) -> bool {
    let mut complete = true;
    for c in credentials {
        match &c.place {
            Place::Header(h) => {
                parts.headers.insert(h.clone(), c.value());
            }
            Place::Query(q) => {
                parts.query.insert(q.clone(), c.value());
            }
            Place::Cookie(k) => parts.cookies.push(format!("{k}={}", c.value())),
        }
    }
    for p in &op.parameters {
        if !p.required && p.location != ParamIn::Path {
            continue;
        }
        let json = p.schema.and_then(|s| spec.schema_json(s));
        let value = match (&p.example, json) {
            (Some(e), _) => e.clone(),
            (None, Some(schema)) => sample(spec, schema),
            (None, None) => json!("x"),
        };
        let pairs = p.serial.write(&p.name, &value);
        if let (Some(schema), Some(json)) = (p.schema, json) {
            let shape = Shape::of(spec, json);
            let seen = p
                .serial
                .read(&p.name, &pairs, &shape)
                .unwrap_or(Value::Null);
            if let Some(v) = spec.validate(schema, &seen).first() {
                notes.push(format!(
                    "parameter {} = {}: {} (give a valid value)",
                    p.name,
                    super::json(&value),
                    v.message
                ));
                complete = false;
            }
        }
        for (k, v) in pairs {
            match p.location {
                ParamIn::Query => {
                    if parts.query.insert(k.clone(), v).is_some() {
                        notes.push(format!(
                            "query parameter {k} repeats, which a suite cannot send"
                        ));
                    }
                }
                ParamIn::Header => {
                    parts.headers.insert(k.to_ascii_lowercase(), v);
                }
                ParamIn::Path => {
                    parts.path.insert(k, v);
                }
                ParamIn::Cookie => parts.cookies.push(format!("{k}={v}")),
            }
        }
    }
    if let Some(media) = spec.request_body(op) {
        let json = media.iter().find(|m| m.media_type.contains("json"));
        let form = || {
            [Kind::UrlEncoded, Kind::Multipart]
                .into_iter()
                .find_map(|k| {
                    Some((
                        k,
                        media.iter().find(|m| Kind::of(&m.media_type) == Some(k))?,
                    ))
                })
        };
        if let Some(m) = json {
            let value = match (&m.example, m.schema.and_then(|s| spec.schema_json(s))) {
                (Some(e), _) => e.clone(),
                (None, Some(schema)) => sample(spec, schema),
                (None, None) => json!({}),
            };
            if let Some(v) = m
                .schema
                .and_then(|s| spec.validate(s, &value).into_iter().next())
            {
                notes.push(format!(
                    "request body: {} at `{}` (give a valid body)",
                    v.message, v.instance_path
                ));
                complete = false;
            }
            parts.body = Some(value);
        } else if let Some((kind, m)) = form() {
            let values = form_values(spec, kind, m);
            let fields = form::fields(kind, &values, &m.encoding);
            let seen = form::read(spec, m, kind, &fields);
            if let (Some(schema), Some(seen)) = (m.schema, seen)
                && let Some(v) = spec.validate(schema, &seen).into_iter().next()
            {
                notes.push(format!(
                    "{} body: {} at `{}` (give a valid body)",
                    BodyKey::Form(kind).key(),
                    v.message,
                    v.instance_path
                ));
                complete = false;
            }
            parts.form = Some((kind, values));
        } else {
            match unsendable_body(spec, op) {
                Some(why) => {
                    notes.push(format!("{why} (add the body by hand)"));
                    complete = false;
                }
                None => {
                    let types: Vec<&str> = media.iter().map(|m| m.media_type.as_str()).collect();
                    notes.push(format!(
                        "request body of type {}: accord sends JSON and form bodies only, so none is sent",
                        types.join(", ")
                    ));
                }
            }
        }
    }
    complete
}

/// The fields of a valid form body, from the media type's example or its schema: each
/// member of the object as it is, except that in a multipart body a file (a binary string)
/// is a part with a file name and its encoding's content type, and an object is a part
/// holding its JSON.
fn form_values(spec: &Spec, kind: Kind, m: &MediaType) -> IndexMap<String, Value> {
    let schema = m.schema.and_then(|s| spec.schema_json(s));
    let value = match (&m.example, schema) {
        (Some(e), _) => e.clone(),
        (None, Some(schema)) => sample(spec, schema),
        (None, None) => json!({}),
    };
    let Value::Object(members) = value else {
        return IndexMap::new();
    };
    let props = schema
        .map(|s| crate::openapi::form::properties(spec, s))
        .unwrap_or_default();
    let mut out = IndexMap::new();
    for (name, v) in members {
        let binary = props
            .iter()
            .find(|(p, _)| *p == name)
            .is_some_and(|(_, s)| is_file(spec.resolve(s)));
        let declared = crate::openapi::form::encoding_of(&m.encoding, &name)
            .and_then(|e| e.content_type.clone());
        let value = match (kind, &v) {
            (Kind::Multipart, _) if binary => json!({
                "content": crate::openapi::style::text(&v),
                "filename": name,
                "content_type": declared.unwrap_or_else(|| "application/octet-stream".into()),
            }),
            (Kind::Multipart, Value::Object(_)) => json!({
                "content": v.to_string(),
                "content_type": declared.unwrap_or_else(|| "application/json".into()),
            }),
            _ => v,
        };
        out.insert(name, value);
    }
    out
}

/// True for a schema of a file: a binary string (OpenAPI 3.0 `format: binary`, Swagger 2.0
/// `type: file`) or, in OpenAPI 3.1, a string with a `contentMediaType`.
fn is_file(schema: &Value) -> bool {
    let string = schema.get("type").and_then(Value::as_str) == Some("string");
    string
        && (schema.get("format").and_then(Value::as_str) == Some("binary")
            || schema.get("contentMediaType").is_some())
}

/// Why a valid request of `op` cannot be built: its request body is required and is neither
/// JSON nor a form, the bodies accord sends.
pub fn unsendable_body(spec: &Spec, op: &Operation) -> Option<String> {
    let media = spec.request_body(op)?;
    let sendable =
        |m: &MediaType| m.media_type.contains("json") || Kind::of(&m.media_type).is_some();
    if !spec.request_body_required(op) || media.iter().any(sendable) {
        return None;
    }
    let types: Vec<&str> = media.iter().map(|m| m.media_type.as_str()).collect();
    Some(format!(
        "its required request body is {}, and accord sends JSON and form bodies only",
        types.join(" or ")
    ))
}

/// `listAccounts` or `GET /pets/{id}` as a kebab-case id: `list-accounts`, `get-pets-id`.
pub fn kebab(name: &str) -> String {
    let out = super::slug(name, '-');
    if out.is_empty() {
        "operation".into()
    } else {
        out
    }
}
