//! Gathers every schema a spec uses into one JSON Schema resource and compiles validators.
//!
//! The main type is [`Bundler`]. Each schema that is used (a parameter, header, request or
//! response body) or referenced from another schema becomes one entry under `$defs` of a
//! single registry resource ([`BUNDLE_URI`]), converted for the direction it travels in;
//! every `$ref` is rewritten to point at its entry. A schema reached twice is converted once,
//! so recursive schemas simply refer to their own entry. [`compile`] then builds one
//! `jsonschema` validator per used entry against that resource: nothing is ever fetched.

use std::collections::HashMap;

use jsonschema::{Draft, Registry, ValidationOptions, Validator};
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
    /// Per entry, the nodes its conversion moved: (converted, original) relative pointers.
    moves: HashMap<String, Vec<(String, String)>>,
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
            moves: HashMap::new(),
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

    /// The dialect schemas are read in.
    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    /// The converted schema of an entry.
    pub fn def(&self, key: &str) -> Option<&Value> {
        self.defs.get(key)
    }

    /// The converted schemas with where they are written, and the problems met.
    pub fn finish(self) -> (Bundle, Vec<Diagnostic>) {
        let written = Written {
            origins: self.origins,
            moves: self.moves,
        };
        let bundle = Bundle {
            defs: self.defs,
            written,
        };
        (bundle, self.diags)
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
                key: key.clone(),
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
    /// The entry being converted.
    key: String,
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

    fn moved(&mut self, converted: &str, original: &str) {
        let moves = self.bundler.moves.entry(self.key.clone()).or_default();
        moves.push((converted.to_owned(), original.to_owned()));
    }

    fn note(&mut self, at: &str, message: &str) {
        let place = self.at(at);
        let diag = self.bundler.files.diag(&place, message).warning();
        self.bundler.diags.push(diag);
    }
}

/// The converted schemas of a spec, keyed as in the bundle's `$defs`.
pub(crate) struct Bundle {
    pub defs: Map<String, Value>,
    pub written: Written,
}

/// Where each bundle entry is written, to name the place of any of its keywords.
#[derive(Debug, Default)]
pub(crate) struct Written {
    pub origins: HashMap<String, Place>,
    moves: HashMap<String, Vec<(String, String)>>,
}

impl Written {
    /// The place where the node at a bundle pointer (`/$defs/Account/properties/id/type`)
    /// is written: the entry's origin, then the pointer below it as written there.
    pub fn place(&self, bundle_pointer: &str) -> Option<Place> {
        let (key, below) = split_entry(bundle_pointer)?;
        let origin = self.origins.get(&key)?;
        let below = self
            .moves
            .get(&key)
            .map_or(below.clone(), |m| unmove(m, &below));
        Some(Place::new(origin.doc, format!("{}{below}", origin.pointer)))
    }
}

impl Written {
    /// The pointer in an entry's converted schema of the node written at `original` below
    /// the entry's origin: a moved ancestor moves it too.
    pub fn converted(&self, key: &str, original: &str) -> String {
        let Some(moves) = self.moves.get(key) else {
            return original.to_owned();
        };
        let below = |o: &str| original.starts_with(o) && original[o.len()..].starts_with('/');
        match moves
            .iter()
            .filter(|(_, o)| below(o))
            .max_by_key(|(_, o)| o.len())
        {
            Some((c, o)) => format!("{c}{}", &original[o.len()..]),
            None => original.to_owned(),
        }
    }

    /// The same, as `file#pointer` text that outlives the loaded files.
    pub fn locations(&self, files: &Files) -> Locations {
        let entries = self
            .origins
            .iter()
            .map(|(key, place)| {
                let moves = self.moves.get(key).cloned().unwrap_or_default();
                (key.clone(), (files.location(place), moves))
            })
            .collect();
        Locations { entries }
    }
}

/// Where each bundle entry is written, as `file#pointer` text.
#[derive(Debug, Default)]
pub(crate) struct Locations {
    entries: HashMap<String, (String, Vec<(String, String)>)>,
}

impl Locations {
    /// `file#pointer` where the node at a bundle pointer is written.
    pub fn locate(&self, bundle_pointer: &str) -> Option<String> {
        let (key, below) = split_entry(bundle_pointer)?;
        let (location, moves) = self.entries.get(&key)?;
        Some(format!("{location}{}", unmove(moves, &below)))
    }
}

/// The entry key and the pointer below it, of a pointer into the bundle.
fn split_entry(bundle_pointer: &str) -> Option<(String, String)> {
    let rest = bundle_pointer.strip_prefix("/$defs/")?;
    let (key, below) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    let key = pointer::tokens(&format!("/{key}"))?.pop()?;
    Some((key, below.to_owned()))
}

/// Translates a converted pointer to the original one by the longest move that holds it.
fn unmove(moves: &[(String, String)], converted: &str) -> String {
    let holds = |c: &str| {
        converted == c || (converted.starts_with(c) && converted[c.len()..].starts_with('/'))
    };
    match moves
        .iter()
        .filter(|(c, _)| holds(c))
        .max_by_key(|(c, _)| c.len())
    {
        Some((c, o)) => format!("{o}{}", &converted[c.len()..]),
        None => converted.to_owned(),
    }
}

/// At most this many uncompilable keywords are set aside before a spec is refused.
const MAX_SET_ASIDE: usize = 64;

/// One compiled validator for many nodes of the bundle.
///
/// `jsonschema` shares what it compiled only within one build, so a validator per node would
/// compile every schema its node reaches again: on a document whose schemas all refer to each
/// other that is the whole bundle per node. Here every node is a property of one root
/// (`{"properties": {"0": {"$ref": node 0}, ...}}`) built once, and a value is validated
/// against node `i` as the property `"i"` of a one-key object: the violations, their messages
/// and their schema paths are those of node `i` alone (the property is only an entry point),
/// and the instance path loses its first token.
#[derive(Debug)]
pub(crate) struct Shared {
    validator: Validator,
}

/// One way a value broke a node of a [`Shared`] validator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Broken {
    /// JSON Pointer into the validated value.
    pub instance_path: String,
    /// JSON Pointer into the bundle, where the violated keyword is.
    pub schema_path: String,
    pub message: String,
}

impl Shared {
    /// Compiles the nodes at these bundle pointers (`/$defs/Account`) together.
    pub fn build(
        options: &ValidationOptions<'_>,
        targets: &[String],
    ) -> Result<Shared, jsonschema::ValidationError<'static>> {
        let properties: Map<String, Value> = targets
            .iter()
            .enumerate()
            .map(|(i, t)| (i.to_string(), json!({ "$ref": reference(t) })))
            .collect();
        let validator = options.build(&json!({ "properties": properties }))?;
        Ok(Shared { validator })
    }

    /// True when the value fits node `i`.
    pub fn is_valid(&self, i: usize, value: &Value) -> bool {
        self.validator.is_valid(&entry(i, value))
    }

    /// How the value breaks node `i`: at most `limit` violations, in the validator's order.
    pub fn errors(&self, i: usize, value: &Value, limit: usize) -> Vec<Broken> {
        let wrapped = entry(i, value);
        let prefix = format!("/{i}");
        self.validator
            .iter_errors(&wrapped)
            .take(limit)
            .map(|e| {
                let at = e.instance_path().as_str();
                Broken {
                    instance_path: at.strip_prefix(&prefix).unwrap_or(at).to_owned(),
                    schema_path: e.schema_path().as_str().to_owned(),
                    message: e.to_string(),
                }
            })
            .collect()
    }
}

/// The one-key object that routes a value to node `i` of a [`Shared`] validator.
fn entry(i: usize, value: &Value) -> Value {
    let mut map = Map::with_capacity(1);
    map.insert(i.to_string(), value.clone());
    Value::Object(map)
}

/// Compiles the used keys together against the bundle resource (`{"$defs": ...}`); node `i`
/// of the result is `used[i]`.
///
/// A keyword that cannot be compiled (a `pattern` the regex engine cannot read, say) is
/// removed from the resource and reported as a warning where it is written, so the rest of
/// the schema is still checked; what cannot be set aside so is an error.
pub(crate) fn compile(
    resource: &mut Value,
    written: &Written,
    used: &[String],
    files: &Files,
) -> Result<(Shared, Vec<Diagnostic>), Vec<Diagnostic>> {
    let targets: Vec<String> = used
        .iter()
        .map(|key| format!("/$defs/{}", pointer::escape(key)))
        .collect();
    let mut warnings = Vec::new();
    loop {
        let failed = {
            let registry = registry(resource).map_err(|e| {
                vec![Diagnostic::file(
                    files.name(0),
                    format!("schemas do not bundle: {e}"),
                )]
            })?;
            match Shared::build(&options(&registry), &targets) {
                Ok(shared) => return Ok((shared, warnings)),
                Err(e) => (e.instance_path().as_str().to_owned(), e.to_string()),
            }
        };
        let (at, message) = failed;
        let key = failing_key(&at, used);
        let place = written
            .place(&at)
            .or_else(|| key.and_then(|k| written.origins.get(k).cloned()));
        let set_aside = warnings.len() < MAX_SET_ASIDE && remove(resource, &at);
        let Some(place) = place else {
            let key = key.map_or(String::new(), |k| format!(" `{k}`"));
            return Err(vec![Diagnostic::file(
                files.name(0),
                format!("schema{key} does not compile: {message}"),
            )]);
        };
        if !set_aside {
            return Err(vec![
                files.diag(&place, format!("schema does not compile: {message}")),
            ]);
        }
        let keyword = at.rsplit('/').next().unwrap_or_default();
        warnings.push(
            files
                .diag(&place, format!("`{keyword}` is not checked: {message}"))
                .warning(),
        );
    }
}

/// The used key a compile error belongs to: the bundle entry it sits in, or the entry point
/// of the shared root it was met at.
fn failing_key<'u>(at: &str, used: &'u [String]) -> Option<&'u String> {
    if let Some((key, _)) = split_entry(at) {
        return used.iter().find(|k| **k == key);
    }
    let rest = at.strip_prefix("/properties/")?;
    let index = rest.split('/').next()?.parse::<usize>().ok()?;
    used.get(index)
}

/// A registry holding the bundle resource.
pub(crate) fn registry(resource: &Value) -> Result<Registry<'_>, jsonschema::ReferencingError> {
    Registry::new()
        .draft(Draft::Draft202012)
        .add(BUNDLE_URI, resource)
        .and_then(|b| b.prepare())
}

/// How every validator of a spec is built: JSON Schema 2020-12, formats checked, nothing
/// fetched, the CDS vendor keyword known.
pub(crate) fn options<'r>(registry: &'r Registry<'r>) -> ValidationOptions<'r> {
    jsonschema::options()
        .with_draft(Draft::Draft202012)
        .offline()
        .should_validate_formats(true)
        .should_ignore_unknown_formats(true)
        .with_keyword("x-cds-type", cds_type::keyword)
        .with_registry(registry)
}

/// A `$ref` to the node at a pointer into the bundle, percent-encoding what a URI fragment
/// cannot hold.
pub(crate) fn reference(bundle_pointer: &str) -> String {
    let mut out = format!("{BUNDLE_URI}#");
    for b in bundle_pointer.bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~$!&'()*+,;=:@".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Removes the keyword at a pointer into a schema object; false when there is none.
fn remove(resource: &mut Value, at: &str) -> bool {
    let Some((parent, last)) = at.rsplit_once('/') else {
        return false;
    };
    let Some(token) = pointer::tokens(&format!("/{last}")).and_then(|mut t| t.pop()) else {
        return false;
    };
    resource
        .pointer_mut(parent)
        .and_then(Value::as_object_mut)
        .is_some_and(|map| map.shift_remove(&token).is_some())
}

#[cfg(test)]
mod tests;
