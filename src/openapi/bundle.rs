//! Gathers every schema a spec uses into one JSON Schema resource and compiles validators.
//!
//! The main type is [`Bundler`]. Each schema that is used (a parameter, header, request or
//! response body) or referenced from another schema becomes one entry under `$defs` of a
//! single registry resource ([`BUNDLE_URI`]), converted for the direction it travels in;
//! every `$ref` is rewritten to point at its entry. A schema reached twice is converted once,
//! so recursive schemas simply refer to their own entry. [`compile`] then builds one
//! `jsonschema` validator per used entry against that resource: nothing is ever fetched.

use std::collections::HashMap;

use jsonschema::{Draft, Registry, Validator};
use serde_json::{Map, Value, json};

use super::cds_type;
use super::files::{Files, Place, ref_of};
use super::schema::{self, Dialect, Direction, RefSink};
use crate::diag::Diagnostic;
use crate::pointer;

/// The URI of the resource that holds every converted schema.
pub(crate) const BUNDLE_URI: &str = "urn:accord:bundle";

/// Collects converted schemas under `$defs` keys.
pub(crate) struct Bundler<'f> {
    pub files: &'f mut Files,
    dialect: Dialect,
    defs: Map<String, Value>,
    keys: HashMap<(Place, Direction), String>,
    /// Where each entry came from, for compile diagnostics and `schema_location`.
    pub origins: HashMap<String, Place>,
    pending: Vec<(String, Place, Direction)>,
    pub diags: Vec<Diagnostic>,
}

impl<'f> Bundler<'f> {
    pub fn new(files: &'f mut Files, dialect: Dialect) -> Self {
        Bundler {
            files,
            dialect,
            defs: Map::new(),
            keys: HashMap::new(),
            origins: HashMap::new(),
            pending: Vec::new(),
            diags: Vec::new(),
        }
    }

    /// The entry for a schema used at `place`; a schema that is only a `$ref` shares the
    /// entry of its target, so one component used in many places compiles once.
    pub fn use_site(&mut self, place: &Place, direction: Direction) -> Option<String> {
        let value = self.files.get(place)?;
        let target = match (ref_of(value), value.as_object()) {
            (Some(reference), Some(map)) if self.is_bare_ref(map) => {
                let reference = reference.to_owned();
                match self.files.resolve(&place.child("$ref"), &reference) {
                    Ok(target) => target,
                    Err(diags) => {
                        self.diags.extend(diags);
                        return None;
                    }
                }
            }
            _ => place.clone(),
        };
        let key = self.key(&target, direction);
        self.drain();
        Some(key)
    }

    /// The converted schema of an entry.
    pub fn def(&self, key: &str) -> Option<&Value> {
        self.defs.get(key)
    }

    /// The converted schemas, as the `$defs` of the bundle resource.
    pub fn finish(self) -> (Map<String, Value>, HashMap<String, Place>, Vec<Diagnostic>) {
        (self.defs, self.origins, self.diags)
    }

    fn is_bare_ref(&self, map: &Map<String, Value>) -> bool {
        match self.dialect {
            Dialect::Oas30 => map.get("nullable") != Some(&Value::Bool(true)),
            Dialect::Oas31 => map.len() == 1,
        }
    }

    /// The key of a schema's entry, queueing its conversion the first time.
    fn key(&mut self, place: &Place, direction: Direction) -> String {
        if let Some(key) = self.keys.get(&(place.clone(), direction)) {
            return key.clone();
        }
        let key = self.fresh_name(place, direction);
        self.keys.insert((place.clone(), direction), key.clone());
        self.origins.insert(key.clone(), place.clone());
        self.defs.insert(key.clone(), Value::Bool(true));
        self.pending.push((key.clone(), place.clone(), direction));
        key
    }

    /// A readable, URI-safe name: the last pointer token (or the file stem), made unique.
    fn fresh_name(&self, place: &Place, direction: Direction) -> String {
        let tokens = pointer::tokens(&place.pointer).unwrap_or_default();
        let base = match tokens.last() {
            Some(t) if t != "schema" => t.clone(),
            Some(_) => "inline".to_owned(),
            None => {
                let file = self.files.name(place.doc);
                let stem = file.rsplit('/').next().unwrap_or(file);
                stem.split('.').next().unwrap_or(stem).to_owned()
            }
        };
        let mut base: String = base
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        if direction == Direction::Request {
            base.push_str(".request");
        }
        let mut name = base.clone();
        let mut n = 2;
        while self.defs.contains_key(&name) {
            name = format!("{base}.{n}");
            n += 1;
        }
        name
    }

    fn drain(&mut self) {
        while let Some((key, place, direction)) = self.pending.pop() {
            let Some(source) = self.files.get(&place).cloned() else {
                continue;
            };
            if ref_of(&source).is_some()
                && let Err(diags) = self.files.deref(&place)
            {
                self.diags.extend(diags);
            }
            let dialect = self.dialect;
            let mut sink = Sink {
                bundler: self,
                base: place,
                direction,
            };
            let converted = schema::convert(&source, dialect, direction, &mut sink);
            self.defs.insert(key, converted);
        }
    }
}

/// Resolves refs met inside one schema, relative to where that schema sits.
struct Sink<'b, 'f> {
    bundler: &'b mut Bundler<'f>,
    base: Place,
    direction: Direction,
}

impl Sink<'_, '_> {
    fn at(&self, relative: &str) -> Place {
        Place::new(self.base.doc, format!("{}{relative}", self.base.pointer))
    }
}

impl RefSink for Sink<'_, '_> {
    fn rewrite(&mut self, reference: &str, at: &str) -> String {
        let at = self.at(at);
        match self.bundler.files.resolve(&at, reference) {
            Ok(target) => {
                let key = self.bundler.key(&target, self.direction);
                format!("{BUNDLE_URI}#/$defs/{key}")
            }
            Err(diags) => {
                self.bundler.diags.extend(diags);
                format!("{BUNDLE_URI}#")
            }
        }
    }

    fn target(&mut self, reference: &str, at: &str) -> Option<Value> {
        let at = self.at(at);
        let target = self.bundler.files.resolve(&at, reference).ok()?;
        let target = self.bundler.files.deref(&target).ok()?;
        self.bundler.files.get(&target).cloned()
    }
}

/// Compiles one validator per used key against the bundle. Errors name the schema that
/// failed to compile, placed at its origin.
pub(crate) fn compile(
    defs: Map<String, Value>,
    used: &[String],
    origins: &HashMap<String, Place>,
    files: &Files,
) -> Result<Vec<Validator>, Vec<Diagnostic>> {
    let keys: Vec<String> = defs.keys().cloned().collect();
    let resource = json!({ "$defs": defs });
    let registry = Registry::new()
        .draft(Draft::Draft202012)
        .add(BUNDLE_URI, &resource)
        .and_then(|b| b.prepare())
        .map_err(|e| {
            vec![Diagnostic::file(
                files.name(0),
                format!("schemas do not bundle: {e}"),
            )]
        })?;
    let options = jsonschema::options()
        .with_draft(Draft::Draft202012)
        .offline()
        .should_validate_formats(true)
        .should_ignore_unknown_formats(true)
        .with_keyword("x-cds-type", cds_type::keyword)
        .with_registry(&registry);
    let build = |key: &str| options.build(&json!({ "$ref": format!("{BUNDLE_URI}#/$defs/{key}") }));
    let mut validators = Vec::with_capacity(used.len());
    for key in used {
        match build(key) {
            Ok(v) => validators.push(v),
            Err(e) => {
                return Err(locate_failure(
                    &resource,
                    &keys,
                    origins,
                    files,
                    &e.to_string(),
                ));
            }
        }
    }
    Ok(validators)
}

/// Finds the entries that fail to compile on their own (their `$ref`s removed, so an entry is
/// not blamed for what it references) and places a diagnostic at each origin.
fn locate_failure(
    resource: &Value,
    keys: &[String],
    origins: &HashMap<String, Place>,
    files: &Files,
    first_error: &str,
) -> Vec<Diagnostic> {
    let options = jsonschema::options()
        .with_draft(Draft::Draft202012)
        .offline()
        .with_keyword("x-cds-type", cds_type::keyword);
    let mut diags: Vec<Diagnostic> = keys
        .iter()
        .filter_map(|key| {
            let mut alone = resource["$defs"][key].clone();
            strip_refs(&mut alone);
            let err = options.build(&alone).err()?;
            let place = origins.get(key)?;
            Some(files.diag(place, format!("schema does not compile: {err}")))
        })
        .collect();
    if diags.is_empty() {
        diags.push(Diagnostic::file(
            files.name(0),
            format!("schemas do not compile: {first_error}"),
        ));
    }
    diags
}

fn strip_refs(value: &mut Value) {
    match value {
        Value::Object(map) => {
            map.remove("$ref");
            map.values_mut().for_each(strip_refs);
        }
        Value::Array(items) => items.iter_mut().for_each(strip_refs),
        _ => {}
    }
}
