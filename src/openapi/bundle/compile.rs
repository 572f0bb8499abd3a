//! Compiling the bundle: one [`Shared`] validator for every used entry, built against the
//! bundle alone ([`registry`], [`options`]) so nothing is ever fetched; a keyword `jsonschema`
//! cannot compile is set aside with a warning, up to [`MAX_SET_ASIDE`].

use jsonschema::{Draft, Registry, ValidationOptions, Validator};
use serde_json::{Map, Value, json};

use super::{BUNDLE_URI, Written, split_entry};
use crate::diag::Diagnostic;
use crate::openapi::cds_type;
use crate::openapi::files::Files;
use crate::pointer;

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
        lent(i, &mut value.clone(), |wrapped, _| {
            self.validator.is_valid(wrapped)
        })
    }

    /// How the value breaks node `i`: at most `limit` violations, in the validator's order.
    pub fn errors(&self, i: usize, value: &Value, limit: usize) -> Vec<Broken> {
        self.errors_lent(i, &mut value.clone(), limit)
    }

    /// [`Shared::errors`] of a value lent for the time of the validation: it is moved into
    /// the entry object and back, so a large body is never copied. A valid value, the common
    /// case, takes only the validator's yes-or-no pass, which is much quicker than collecting
    /// errors.
    pub fn errors_lent(&self, i: usize, value: &mut Value, limit: usize) -> Vec<Broken> {
        lent(i, value, |wrapped, key| {
            if self.validator.is_valid(wrapped) {
                return Vec::new();
            }
            let prefix = format!("/{key}");
            self.validator
                .iter_errors(wrapped)
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
        })
    }
}

/// Runs `f` on the one-key object that routes a value to node `i` of a [`Shared`] validator
/// (with the key), the value moved into it for the time and then given back.
fn lent<T>(i: usize, value: &mut Value, f: impl FnOnce(&Value, &str) -> T) -> T {
    let key = i.to_string();
    let mut map = Map::with_capacity(1);
    map.insert(key.clone(), std::mem::take(value));
    let wrapped = Value::Object(map);
    let out = f(&wrapped, &key);
    if let Value::Object(map) = wrapped
        && let Some(back) = map.into_iter().next().map(|(_, v)| v)
    {
        *value = back;
    }
    out
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
fn reference(bundle_pointer: &str) -> String {
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
