//! Walks `paths` into [`Operation`]s: merged parameters, responses with headers and content,
//! request bodies, and the structural rules a contract test depends on (every 3.0 operation
//! has `responses`, operationIds are unique, every template parameter is declared).
//!
//! What breaks those rules is read past and reported as a warning: a path that does not
//! start with `/`, an operation or parameter that is not what OpenAPI says is skipped, and
//! the rest is indexed as written. Only a `$ref` that cannot be followed is an error.
//!
//! The main type is [`Indexer`]; it hands every schema it meets to the [`Bundler`] and numbers
//! the distinct ones as [`SchemaRef`]s.

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use super::bundle::Bundler;
use super::files::Place;
use super::form::Encoding;
use super::matcher::Template;
use super::schema::{Dialect, Direction};
use super::style::Serial;
use super::{MediaType, Operation, ParamIn, Parameter, SchemaRef};
use crate::diag::{Diagnostic, did_you_mean};

mod responses;

/// The HTTP methods a path item may hold, in OpenAPI order.
pub(crate) const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

const PATH_ITEM_KEYS: [&str; 5] = ["$ref", "summary", "description", "servers", "parameters"];

/// Header parameters OpenAPI says to ignore: HTTP itself governs them.
const IGNORED_HEADER_PARAMS: [&str; 3] = ["accept", "content-type", "authorization"];

/// Builds the operation index.
pub(crate) struct Indexer<'b, 'f> {
    pub bundler: &'b mut Bundler<'f>,
    /// Bundle keys of used schemas, indexed by [`SchemaRef`].
    pub used: Vec<String>,
    by_content: HashMap<String, SchemaRef>,
    pub request_bodies: HashMap<String, Vec<MediaType>>,
    /// Every example met beside a schema (media types, parameters, headers): the place of
    /// the example value and the schema it should match.
    pub examples: Vec<(Place, SchemaRef)>,
    /// Locations of the operations whose request body is `required`.
    pub required_bodies: HashSet<String>,
    pub diags: Vec<Diagnostic>,
}

impl<'b, 'f> Indexer<'b, 'f> {
    pub fn new(bundler: &'b mut Bundler<'f>) -> Self {
        Indexer {
            bundler,
            used: Vec::new(),
            by_content: HashMap::new(),
            request_bodies: HashMap::new(),
            examples: Vec::new(),
            required_bodies: HashSet::new(),
            diags: Vec::new(),
        }
    }

    /// Every operation under `paths` of the root document, in document order.
    pub fn operations(&mut self) -> Vec<Operation> {
        let root = Place::new(0, "/paths");
        let Some(paths) = self.keys(&root) else {
            return Vec::new();
        };
        let mut ops = Vec::new();
        let mut ids: HashMap<String, Place> = HashMap::new();
        for template in paths.iter().filter(|k| !k.starts_with("x-")) {
            let at = root.child(template);
            if !template.starts_with('/') {
                let msg = format!("path `{template}` must start with `/`; it is skipped");
                self.warn(self.bundler.files.diag_key(&at, msg));
                continue;
            }
            let Some(item) = self.deref(&at) else {
                continue;
            };
            let Some(map) = self.keys(&item) else {
                let msg = format!("path item `{template}` must be a mapping; it is skipped");
                self.warn(self.bundler.files.diag(&item, msg));
                continue;
            };
            for key in &map {
                let known = METHODS.contains(&key.as_str())
                    || PATH_ITEM_KEYS.contains(&key.as_str())
                    || key.starts_with("x-");
                if !known {
                    let mut d = self.bundler.files.diag_key(
                        &item.child(key),
                        format!("unknown key `{key}` in a path item"),
                    );
                    let names = METHODS.iter().chain(PATH_ITEM_KEYS.iter()).copied();
                    if let Some(hint) = did_you_mean(key, names) {
                        d = d.with_help(format!("did you mean `{hint}`?"));
                    }
                    self.warn(d);
                }
            }
            let shared = self.parameters(&item.child("parameters"));
            for method in METHODS.iter().filter(|m| map.iter().any(|k| k == *m)) {
                if let Some(op) = self.operation(template, method, &item, &shared, &mut ids) {
                    ops.push(op);
                }
            }
        }
        ops
    }

    /// Numbers every schema under `components/schemas` of the root, so that schemas no
    /// operation uses are compiled (and their examples checked) too. What they break is
    /// reported as a warning, as for anything no operation uses.
    pub fn components(&mut self) {
        let root = Place::new(0, "/components/schemas");
        let before = self.bundler.diags.len();
        for name in self.keys(&root).unwrap_or_default() {
            self.schema(&root.child(&name), Direction::Response);
        }
        for d in &mut self.bundler.diags[before..] {
            d.severity = crate::diag::Severity::Warning;
        }
    }

    fn operation(
        &mut self,
        template: &str,
        method: &str,
        item: &Place,
        shared: &[Parameter],
        ids: &mut HashMap<String, Place>,
    ) -> Option<Operation> {
        let upper = method.to_ascii_uppercase();
        // OpenAPI has no `$ref` for an operation, but multi-file layouts use one and
        // bundlers follow it, so it is followed here too.
        let at = self.deref(&item.child(method))?;
        let Some(Value::Object(op)) = self.bundler.files.get(&at) else {
            let msg = format!("operation `{upper} {template}` must be a mapping; it is skipped");
            self.warn(self.bundler.files.diag(&at, msg));
            return None;
        };
        let id = op
            .get("operationId")
            .and_then(Value::as_str)
            .map(str::to_owned);
        if let Some(id) = &id {
            let id_at = at.child("operationId");
            if let Some(first) = ids.get(id) {
                let first = self.bundler.files.position(first);
                let msg = format!("duplicate operationId `{id}`");
                let d = self.bundler.files.diag(&id_at, msg);
                self.diags.push(
                    d.with_help(format!(
                        "first used at {first}; a suite that names `{id}` gets the first"
                    ))
                    .warning(),
                );
            } else {
                ids.insert(id.clone(), id_at);
            }
        }
        let has_responses = matches!(op.get("responses"), Some(Value::Object(m)) if !m.is_empty());
        let has_body = op.contains_key("requestBody");
        let security = match op.get("security") {
            Some(own) => requirements(own),
            None => self
                .bundler
                .files
                .get(&Place::new(0, "/security"))
                .map(requirements)
                .unwrap_or_default(),
        };
        let mut parameters = shared.to_vec();
        for p in self.parameters(&at.child("parameters")) {
            parameters.retain(|q| !(q.name == p.name && q.location == p.location));
            parameters.push(p);
        }
        for name in Template::parse(template).params() {
            let declared = parameters
                .iter()
                .any(|p| p.location == ParamIn::Path && p.name == name);
            if !declared {
                let msg = format!(
                    "path parameter `{name}` of `{template}` is not declared for {upper} (add it to `parameters` with `in: path`)"
                );
                self.warn(self.bundler.files.diag_key(&at, msg));
            }
        }
        let responses = if has_responses {
            self.responses(&at.child("responses"))
        } else {
            if self.bundler.dialect() == Dialect::Oas30 {
                let msg = format!(
                    "operation `{upper} {template}` has no `responses` (required in OpenAPI 3.0); no response of it can be judged"
                );
                self.warn(self.bundler.files.diag_key(&at, msg));
            }
            Vec::new()
        };
        if has_body && let Some(body) = self.deref(&at.child("requestBody")) {
            let content = self.content(&body.child("content"), Direction::Request);
            let location = self.bundler.files.location(&at);
            let required = self
                .bundler
                .files
                .get(&body)
                .and_then(|b| b.get("required"));
            if required == Some(&Value::Bool(true)) {
                self.required_bodies.insert(location.clone());
            }
            self.request_bodies.insert(location, content);
        }
        Some(Operation {
            id,
            security,
            method: upper,
            path: template.to_owned(),
            parameters,
            responses,
            location: self.bundler.files.location(&at),
        })
    }

    fn parameters(&mut self, at: &Place) -> Vec<Parameter> {
        let count = match self.bundler.files.get(at) {
            Some(Value::Array(items)) => items.len(),
            _ => return Vec::new(),
        };
        let mut out = Vec::new();
        for i in 0..count {
            let Some(param) = self.deref(&at.child(&i.to_string())) else {
                continue;
            };
            let value = self.bundler.files.get(&param).cloned().unwrap_or_default();
            let name = value
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let location = match value.get("in").and_then(Value::as_str) {
                Some("path") => ParamIn::Path,
                Some("query") => ParamIn::Query,
                Some("header") => ParamIn::Header,
                Some("cookie") => ParamIn::Cookie,
                other => {
                    let shown = other.unwrap_or("nothing");
                    let msg = format!(
                        "parameter `{name}` has `in: {shown}`; expected path, query, header or cookie (it is skipped)"
                    );
                    self.warn(self.bundler.files.diag(&param.child("in"), msg));
                    continue;
                }
            };
            if location == ParamIn::Header
                && IGNORED_HEADER_PARAMS.contains(&name.to_ascii_lowercase().as_str())
            {
                continue;
            }
            let schema = self.schema_of(&param, &value, Direction::Request);
            self.note_examples(&param, schema);
            out.push(Parameter {
                name: name.to_owned(),
                location,
                required: value.get("required") == Some(&Value::Bool(true)),
                schema,
                serial: serial(location, &value),
                example: example_of(&value),
            });
        }
        out
    }

    /// Records the `example` and the `examples` values of a media type, parameter or header.
    fn note_examples(&mut self, holder: &Place, schema: Option<SchemaRef>) {
        let Some(schema) = schema else { return };
        let Some(Value::Object(map)) = self.bundler.files.get(holder) else {
            return;
        };
        let has_example = map.contains_key("example");
        let names: Vec<String> = match map.get("examples") {
            Some(Value::Object(named)) => named.keys().cloned().collect(),
            _ => Vec::new(),
        };
        if has_example {
            self.examples.push((holder.child("example"), schema));
        }
        for name in names {
            let Some(example) = self.deref(&holder.child("examples").child(&name)) else {
                continue;
            };
            if self.bundler.files.get(&example.child("value")).is_some() {
                self.examples.push((example.child("value"), schema));
            }
        }
    }

    /// The keys of a mapping, without copying its values.
    fn keys(&self, at: &Place) -> Option<Vec<String>> {
        Some(
            self.bundler
                .files
                .get(at)?
                .as_object()?
                .keys()
                .cloned()
                .collect(),
        )
    }

    /// The schema of a parameter or header: `schema`, or the one media type of `content`.
    fn schema_of(&mut self, at: &Place, value: &Value, direction: Direction) -> Option<SchemaRef> {
        if value.get("schema").is_some() {
            return self.schema(&at.child("schema"), direction);
        }
        let media = value.get("content")?.as_object()?.keys().next()?.clone();
        value.get("content")?.get(&media)?.get("schema")?;
        self.schema(
            &at.child("content").child(&media).child("schema"),
            direction,
        )
    }

    /// Numbers a used schema; entries with the same converted content share one number, so
    /// the many identical header schemas of a spec compile once.
    fn schema(&mut self, at: &Place, direction: Direction) -> Option<SchemaRef> {
        let key = self.bundler.use_site(at, direction)?;
        let content = self
            .bundler
            .def(&key)
            .map(Value::to_string)
            .unwrap_or_default();
        let next = SchemaRef(self.used.len());
        let id = *self.by_content.entry(content).or_insert(next);
        if id == next {
            self.used.push(key);
        }
        Some(id)
    }

    fn warn(&mut self, diag: Diagnostic) {
        self.diags.push(diag.warning());
    }

    fn deref(&mut self, at: &Place) -> Option<Place> {
        match self.bundler.files.deref(at) {
            Ok(p) => Some(p),
            Err(d) => {
                self.diags.extend(d);
                None
            }
        }
    }
}

/// How a parameter is serialized: its `style` and `explode`, or the Swagger 2.0
/// `collectionFormat` that conversion kept aside.
fn serial(location: ParamIn, value: &Value) -> Serial {
    let kept = value
        .get(super::swagger::COLLECTION_FORMAT)
        .and_then(Value::as_str);
    let style = match kept {
        Some("ssv") => Some("spaceDelimited"),
        Some("pipes") => Some("pipeDelimited"),
        Some("tsv") => Some("tabDelimited"),
        _ => value.get("style").and_then(Value::as_str),
    };
    let explode = match kept {
        Some(_) => Some(false),
        None => value.get("explode").and_then(Value::as_bool),
    };
    Serial::of(location, style, explode)
}

/// The `encoding` entries of a media type, by property name.
fn encodings(media: &Value) -> Vec<(String, Encoding)> {
    let Some(map) = media.get("encoding").and_then(Value::as_object) else {
        return Vec::new();
    };
    map.iter()
        .map(|(name, e)| (name.clone(), Encoding::parse(e)))
        .collect()
}

/// The example of a parameter or media type: `example`, else the `value` of the first entry
/// of `examples` that has one.
fn example_of(value: &Value) -> Option<Value> {
    if let Some(e) = value.get("example") {
        return Some(e.clone());
    }
    value
        .get("examples")?
        .as_object()?
        .values()
        .find_map(|e| e.get("value").cloned())
}

/// Security Requirement Objects as lists of scheme names; `[]` (or an empty object among
/// them) means no credential is needed.
fn requirements(value: &Value) -> Vec<Vec<String>> {
    let Some(list) = value.as_array() else {
        return Vec::new();
    };
    list.iter()
        .filter_map(Value::as_object)
        .map(|r| r.keys().cloned().collect())
        .collect()
}

/// The document's Security Scheme Objects (`components.securitySchemes`), by name, `$ref`s
/// followed.
pub(crate) fn security_schemes(files: &mut super::files::Files) -> Vec<(String, Value)> {
    let at = Place::new(0, "/components/securitySchemes");
    let names: Vec<String> = match files.get(&at) {
        Some(Value::Object(m)) => m.keys().cloned().collect(),
        _ => return Vec::new(),
    };
    names
        .into_iter()
        .filter_map(|name| {
            let place = files.deref(&at.child(&name)).ok()?;
            Some((name, files.get(&place)?.clone()))
        })
        .collect()
}

fn is_status_key(key: &str) -> bool {
    let b = key.as_bytes();
    key == "default"
        || (b.len() == 3
            && (b'1'..=b'5').contains(&b[0])
            && ((b[1].is_ascii_digit() && b[2].is_ascii_digit()) || &b[1..] == b"XX"))
}

#[cfg(test)]
mod tests {
    use super::is_status_key;

    #[test]
    fn status_keys() {
        for ok in ["200", "404", "4XX", "default", "599"] {
            assert!(is_status_key(ok), "{ok}");
        }
        for bad in ["20", "2000", "6XX", "2xx", "ok", "0XX", "2X0"] {
            assert!(!is_status_key(bad), "{bad}");
        }
    }
}
