//! Gathers every schema a spec uses into one JSON Schema resource and compiles validators.
//!
//! The main type is [`Bundler`]. Each schema that is used (a parameter, header, request or
//! response body) or referenced from another schema becomes one entry under `$defs` of a
//! single registry resource ([`BUNDLE_URI`]), converted for the direction it travels in;
//! every `$ref` is rewritten to point at its entry. A schema reached twice is converted once,
//! so recursive schemas simply refer to their own entry. [`compile`] then builds one
//! `jsonschema` validator per used entry against that resource: nothing is ever fetched.

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::files::{Files, Place, ref_of};
use super::schema::{self, Dialect, Direction, RefSink};
use crate::diag::Diagnostic;
use crate::pointer;

mod compile;

pub(crate) use compile::{Shared, compile, options, registry};

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
pub(super) fn split_entry(bundle_pointer: &str) -> Option<(String, String)> {
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

#[cfg(test)]
mod tests;
