//! Evaluating runtime expressions against what a workflow has seen so far: its inputs, the
//! outputs of its steps and of other workflows, and the last request and response.
//!
//! The main type is [`Scope`]; [`eval`] reads one expression, [`render`] fills a template,
//! [`resolve`] turns a document value (a parameter value, a payload) into the value to send.
//! An expression that names nothing is *undefined* (`Ok(None)`), which is not `null`:
//! a parameter or payload member whose value is undefined is left out of the request, and an
//! undefined value embedded in text becomes the empty string.

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::expr::{self, Expr, Part, Path, Source, Template, Text, WorkflowField};
use super::model::{Arazzo, Parameter};

/// An HTTP request or response, as expressions read it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Message {
    pub headers: Vec<(String, String)>,
    pub query: Vec<(String, String)>,
    pub path: Vec<(String, String)>,
    pub body: Option<Body>,
}

/// A message body: parsed when it is JSON, kept as text otherwise.
#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    Json(Value),
    Text(String),
}

impl Body {
    /// The body as a value expressions can return: JSON as parsed, text as a string.
    pub fn value(&self) -> Value {
        match self {
            Body::Json(v) => v.clone(),
            Body::Text(t) => Value::String(t.clone()),
        }
    }
}

/// The last exchange of a step.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Exchange {
    pub url: String,
    pub method: String,
    pub request: Message,
    /// Absent when no response came.
    pub status: Option<u16>,
    pub response: Option<Message>,
}

/// What a completed workflow leaves for `$workflows.id.…`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WorkflowRecord {
    pub inputs: Value,
    pub outputs: Map<String, Value>,
    pub steps: HashMap<String, Map<String, Value>>,
}

/// Everything an expression of a running workflow can read.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    /// The workflow's inputs (an object).
    pub inputs: Value,
    /// Outputs of the steps that ran, by step id.
    pub steps: HashMap<String, Map<String, Value>>,
    /// `$outputs`: for a step that ran a workflow, that workflow's outputs.
    pub outputs: Map<String, Value>,
    /// Workflows that completed earlier in the run.
    pub workflows: HashMap<String, WorkflowRecord>,
    /// The step's last exchange.
    pub exchange: Option<Exchange>,
}

/// Evaluates one expression; `Ok(None)` when it names nothing, `Err` when accord cannot
/// evaluate it at all.
pub fn eval(e: &Expr, doc: &Arazzo, scope: &Scope) -> Result<Option<Value>, String> {
    let x = scope.exchange.as_ref();
    Ok(match e {
        Expr::Url => x.map(|x| Value::String(x.url.clone())),
        Expr::Method => x.map(|x| Value::String(x.method.clone())),
        Expr::StatusCode => x.and_then(|x| x.status).map(Value::from),
        Expr::SelfUri => doc.self_uri.clone().map(Value::String),
        Expr::Request(s) => x.and_then(|x| read(&x.request, s)),
        Expr::Response(s) => x.and_then(|x| x.response.as_ref()).and_then(|m| read(m, s)),
        Expr::Message(_) => {
            return Err(format!(
                "`{e}` reads an AsyncAPI message; accord runs HTTP steps only"
            ));
        }
        Expr::Inputs(p) => scope.inputs.as_object().and_then(|m| lookup(m, p)),
        Expr::Outputs(p) => lookup(&scope.outputs, p),
        Expr::Steps { step, output } => scope.steps.get(step).and_then(|m| lookup(m, output)),
        Expr::Workflows {
            workflow,
            field,
            name,
        } => scope.workflows.get(workflow).and_then(|w| match field {
            WorkflowField::Inputs => w.inputs.as_object().and_then(|m| lookup(m, name)),
            WorkflowField::Outputs => lookup(&w.outputs, name),
        }),
        Expr::WorkflowStep {
            workflow,
            step,
            output,
        } => scope.workflows.get(workflow).and_then(|w| {
            let outputs = w.steps.get(step)?;
            match output {
                Some(o) => lookup(outputs, o),
                None => Some(Value::Object(outputs.clone())),
            }
        }),
        Expr::SourceDescriptions { source, reference } => {
            doc.source(source).map(|s| match reference.as_str() {
                "url" => Value::String(s.url.clone()),
                "type" => Value::String(s.kind.as_str().to_owned()),
                "name" => Value::String(s.name.clone()),
                other => Value::String(other.to_owned()),
            })
        }
        Expr::Components { kind, name } => {
            let c = &doc.components;
            match kind.as_str() {
                "parameters" => c.parameters.get(name).map(parameter_json),
                "inputs" => c.inputs.get(name).cloned(),
                "successActions" => c
                    .success_actions
                    .get(name)
                    .map(|a| Value::String(a.name.clone())),
                "failureActions" => c
                    .failure_actions
                    .get(name)
                    .map(|a| Value::String(a.name.clone())),
                _ => None,
            }
        }
    })
}

fn parameter_json(p: &Parameter) -> Value {
    let mut m = Map::new();
    m.insert("name".into(), Value::String(p.name.clone()));
    if let Some(l) = p.location {
        m.insert("in".into(), Value::String(l.as_str().into()));
    }
    m.insert("value".into(), p.value.clone());
    Value::Object(m)
}

/// Reads a part of a message.
fn read(m: &Message, s: &Source) -> Option<Value> {
    match s {
        Source::Header(name) => {
            let values: Vec<&str> = m
                .headers
                .iter()
                .filter(|(n, _)| n.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.as_str())
                .collect();
            (!values.is_empty()).then(|| Value::String(values.join(", ")))
        }
        Source::Query(name) => pair(&m.query, name),
        Source::Path(name) => pair(&m.path, name),
        Source::Body(tokens) | Source::Payload(tokens) => {
            let body = m.body.as_ref()?;
            if tokens.is_empty() {
                return Some(body.value());
            }
            let json = match body {
                Body::Json(v) => v.clone(),
                Body::Text(t) => serde_json::from_str(t).ok()?,
            };
            descend(&json, tokens.iter())
        }
    }
}

fn pair(pairs: &[(String, String)], name: &str) -> Option<Value> {
    pairs
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| Value::String(v.clone()))
}

/// Looks a dotted name up in a map: the longest prefix of its segments that is a key wins,
/// and the remaining segments (then the pointer) reach into that value.
pub fn lookup(map: &Map<String, Value>, path: &Path) -> Option<Value> {
    for k in (1..=path.segments.len()).rev() {
        let key = path.segments[..k].join(".");
        if let Some(v) = map.get(&key) {
            return descend(v, path.segments[k..].iter().chain(&path.pointer));
        }
    }
    None
}

/// Follows reference tokens into a value.
fn descend<'t>(v: &Value, tokens: impl Iterator<Item = &'t String>) -> Option<Value> {
    let mut here = v;
    for t in tokens {
        here = match here {
            Value::Object(m) => m.get(t)?,
            Value::Array(items) => items.get(t.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(here.clone())
}

/// Fills a template: each embedded value as text (strings as they are, other values as
/// JSON), undefined values as nothing.
pub fn render(t: &Template, doc: &Arazzo, scope: &Scope) -> Result<String, String> {
    let mut out = String::new();
    for part in &t.parts {
        match part {
            Part::Text(s) => out.push_str(s),
            Part::Expr(e, _) => {
                if let Some(v) = eval(e, doc, scope)? {
                    out.push_str(&as_text(&v));
                }
            }
        }
    }
    Ok(out)
}

/// A value as text: a string as it is, anything else as JSON.
pub fn as_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The value to send for a value written in the document: a whole expression keeps its
/// value's type, a template becomes text, a selector object (1.1) selects, objects and lists
/// are resolved member by member (undefined members are left out), anything else stays.
pub fn resolve(v: &Value, doc: &Arazzo, scope: &Scope) -> Result<Option<Value>, String> {
    match v {
        Value::String(s) => match expr::classify(s).map_err(|e| e.message)? {
            Text::Expr(e) => eval(&e, doc, scope),
            Text::Template(t) => render(&t, doc, scope).map(|s| Some(Value::String(s))),
            Text::Literal => Ok(Some(v.clone())),
        },
        Value::Array(items) => {
            let mut out = Vec::new();
            for i in items {
                if let Some(x) = resolve(i, doc, scope)? {
                    out.push(x);
                }
            }
            Ok(Some(Value::Array(out)))
        }
        Value::Object(m) => {
            if let Some(sel) = Selector::of(v, doc) {
                return sel.select(doc, scope);
            }
            let mut out = Map::new();
            for (k, x) in m {
                if let Some(x) = resolve(x, doc, scope)? {
                    out.insert(k.clone(), x);
                }
            }
            Ok(Some(Value::Object(out)))
        }
        other => Ok(Some(other.clone())),
    }
}

/// A selector object (1.1): `{context, selector, type}`.
pub struct Selector<'v> {
    pub context: &'v str,
    pub selector: &'v str,
    /// `jsonpath`, `jsonpointer` or `xpath`.
    pub kind: &'v str,
}

impl<'v> Selector<'v> {
    /// The selector a value is, in a 1.1 document: an object of exactly `context`, `selector`
    /// and `type`.
    pub fn of(v: &'v Value, doc: &Arazzo) -> Option<Selector<'v>> {
        if doc.version < super::model::Version::V1_1 {
            return None;
        }
        let m = v.as_object()?;
        if m.len() != 3 {
            return None;
        }
        let kind = match m.get("type")? {
            Value::String(s) => s.as_str(),
            Value::Object(t) => t.get("type")?.as_str()?,
            _ => return None,
        };
        Some(Selector {
            context: m.get("context")?.as_str()?,
            selector: m.get("selector")?.as_str()?,
            kind,
        })
    }

    /// The selected value: one node as itself, several as a list, none as undefined.
    pub fn select(&self, doc: &Arazzo, scope: &Scope) -> Result<Option<Value>, String> {
        let e = expr::parse(self.context).map_err(|e| e.message)?;
        let Some(context) = eval(&e, doc, scope)? else {
            return Ok(None);
        };
        match self.kind {
            "jsonpointer" => {
                let tokens = crate::pointer::tokens(self.selector)
                    .ok_or_else(|| format!("`{}` is not a JSON Pointer", self.selector))?;
                Ok(descend(&json_of(context), tokens.iter()))
            }
            "jsonpath" => {
                let path = serde_json_path::JsonPath::parse(self.selector)
                    .map_err(|e| format!("`{}` is not JSONPath: {e}", self.selector))?;
                let json = json_of(context);
                let nodes: Vec<Value> = path.query(&json).all().into_iter().cloned().collect();
                Ok(match nodes.len() {
                    0 => None,
                    1 => nodes.into_iter().next(),
                    _ => Some(Value::Array(nodes)),
                })
            }
            other => Err(format!(
                "`{other}` selectors are not supported (accord selects with jsonpath and jsonpointer)"
            )),
        }
    }
}

/// A context value as JSON: text that holds JSON is parsed.
pub fn json_of(v: Value) -> Value {
    match &v {
        Value::String(s) => serde_json::from_str(s).unwrap_or(v),
        _ => v,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc() -> Arazzo {
        let text = "arazzo: 1.1.0\n$self: https://example.com/a.arazzo.yaml\ninfo: {title: t, version: '1'}\nsourceDescriptions:\n  - {name: petstore, url: ./petstore.yaml, type: openapi}\nworkflows:\n  - workflowId: w\n    steps:\n      - {stepId: s, operationId: op}\ncomponents:\n  parameters:\n    page: {name: page, in: query, value: 1}\n";
        let d = crate::yaml::Document::parse("a.arazzo.yaml", text).unwrap();
        super::super::load::from_document(&d).unwrap()
    }

    fn scope() -> Scope {
        let mut s = Scope {
            inputs: json!({"username": "ann", "customer": {"firstName": "Ann"}, "my.org.User": "u1"}),
            ..Scope::default()
        };
        let mut outs = Map::new();
        outs.insert("pets".into(), json!([{"id": 7}, {"id": 8}]));
        s.steps.insert("find".into(), outs);
        s.exchange = Some(Exchange {
            url: "http://127.0.0.1:1/pets?status=available".into(),
            method: "GET".into(),
            request: Message {
                headers: vec![("Accept".into(), "application/json".into())],
                query: vec![("status".into(), "available".into())],
                path: vec![("id".into(), "7".into())],
                body: Some(Body::Json(json!({"user": {"uuid": "u-1"}}))),
            },
            status: Some(200),
            response: Some(Message {
                headers: vec![
                    ("server".into(), "mock".into()),
                    ("x-rate-limit".into(), "10".into()),
                ],
                body: Some(Body::Json(
                    json!({"status": "ok", "items": [{"id": 1}], "count": 1}),
                )),
                ..Message::default()
            }),
        });
        s
    }

    fn ev(text: &str) -> Option<Value> {
        eval(&expr::parse(text).unwrap(), &doc(), &scope()).unwrap()
    }

    #[test]
    fn reads_the_examples_table() {
        assert_eq!(ev("$method"), Some(json!("GET")));
        assert_eq!(
            ev("$request.header.accept"),
            Some(json!("application/json"))
        );
        assert_eq!(ev("$request.path.id"), Some(json!("7")));
        assert_eq!(ev("$request.query.status"), Some(json!("available")));
        assert_eq!(ev("$request.body#/user/uuid"), Some(json!("u-1")));
        assert_eq!(
            ev("$url"),
            Some(json!("http://127.0.0.1:1/pets?status=available"))
        );
        assert_eq!(ev("$response.body#/status"), Some(json!("ok")));
        assert_eq!(ev("$response.body#/items/0/id"), Some(json!(1)));
        assert_eq!(ev("$response.header.Server"), Some(json!("mock")));
        assert_eq!(ev("$statusCode"), Some(json!(200)));
        assert_eq!(ev("$inputs.username"), Some(json!("ann")));
        assert_eq!(ev("$steps.find.outputs.pets#/0/id"), Some(json!(7)));
        assert_eq!(
            ev("$self"),
            Some(json!("https://example.com/a.arazzo.yaml"))
        );
        assert_eq!(
            ev("$sourceDescriptions.petstore.url"),
            Some(json!("./petstore.yaml"))
        );
        assert_eq!(
            ev("$sourceDescriptions.petstore.type"),
            Some(json!("openapi"))
        );
        assert_eq!(
            ev("$components.parameters.page"),
            Some(json!({"name": "page", "in": "query", "value": 1}))
        );
    }

    #[test]
    fn dotted_names_and_property_access() {
        assert_eq!(ev("$inputs.my.org.User"), Some(json!("u1")));
        assert_eq!(ev("$inputs.customer.firstName"), Some(json!("Ann")));
        assert_eq!(ev("$inputs.customer#/firstName"), Some(json!("Ann")));
        assert_eq!(ev("$response.body.count"), Some(json!(1)));
        assert_eq!(ev("$steps.find.outputs.pets[1].id"), Some(json!(8)));
    }

    #[test]
    fn undefined_is_not_null() {
        assert_eq!(ev("$inputs.nobody"), None);
        assert_eq!(ev("$response.body#/missing"), None);
        assert_eq!(ev("$steps.other.outputs.x"), None);
        assert_eq!(ev("$response.header.absent"), None);
        let e = expr::parse("$message.payload").unwrap();
        assert!(eval(&e, &doc(), &scope()).is_err());
    }

    #[test]
    fn templates_and_payloads() {
        let (d, s) = (doc(), scope());
        let t = Template::parse(
            "https://{$inputs.username}/x/{$steps.find.outputs.pets#/1/id}{$inputs.none}",
        )
        .unwrap();
        assert_eq!(render(&t, &d, &s).unwrap(), "https://ann/x/8");
        let t = Template::parse("{\"pets\": {$steps.find.outputs.pets}}").unwrap();
        assert_eq!(
            render(&t, &d, &s).unwrap(),
            "{\"pets\": [{\"id\":7},{\"id\":8}]}"
        );
        let payload = json!({"petId": "$steps.find.outputs.pets#/0/id", "quantity": "$inputs.quantity", "status": "placed", "tags": ["$inputs.username", "x"]});
        assert_eq!(
            resolve(&payload, &d, &s).unwrap(),
            Some(json!({"petId": 7, "status": "placed", "tags": ["ann", "x"]}))
        );
    }

    #[test]
    fn selector_objects() {
        let (d, s) = (doc(), scope());
        let by_path =
            json!({"context": "$response.body", "selector": "$.items[0].id", "type": "jsonpath"});
        assert_eq!(resolve(&by_path, &d, &s).unwrap(), Some(json!(1)));
        let by_pointer = json!({"context": "$response.body", "selector": "/status", "type": {"type": "jsonpointer", "version": "rfc6901"}});
        assert_eq!(resolve(&by_pointer, &d, &s).unwrap(), Some(json!("ok")));
    }
}
