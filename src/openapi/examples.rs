//! Examples that break their own schema, found by `accord lint`.
//!
//! Two kinds are checked. An example beside a schema (a media type's, parameter's or
//! header's `example`, or the `value` of one of its `examples`) is validated with that
//! schema's compiled validator. An example inside a schema (`example`, and in 3.1 each item
//! of `examples`) is validated against the subschema it sits in; those subschemas are
//! compiled together against the bundle. A schema used both ways is converted once per
//! direction (`readOnly` and `writeOnly` change what is required); its example is wrong only
//! when it fits neither.
//!
//! Each finding is a warning placed at the offending value inside the example, with the
//! place where the broken keyword is written as its help.

use std::collections::{BTreeMap, HashMap, HashSet};

use jsonschema::ValidationOptions;
use serde_json::Value;

use super::SchemaRef;
use super::bundle::{self, Shared, Written};
use super::files::{Files, Place};
use super::schema::{self, Dialect};
use crate::diag::Diagnostic;

/// At most this many violations are reported per example.
const PER_EXAMPLE: usize = 3;

/// Checks every example beside a schema (`beside`, against the spec's compiled schemas) and
/// inside one (the bundle's entries).
pub(crate) fn check(
    files: &Files,
    dialect: Dialect,
    beside: &[(Place, SchemaRef)],
    compiled: &Shared,
    resource: &Value,
    written: &Written,
) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let mut seen = HashSet::new();
    for (place, schema) in beside {
        let Some(value) = files.get(place) else {
            continue;
        };
        if seen.insert(place.clone()) {
            diags.extend(report(
                files,
                written,
                place,
                value,
                &[(compiled, schema.0)],
            ));
        }
    }
    let Ok(registry) = bundle::registry(resource) else {
        return diags;
    };
    let options = bundle::options(&registry);
    let mut inside = Vec::new();
    let mut targets: Vec<String> = Vec::new();
    let mut numbers: HashMap<String, usize> = HashMap::new();
    for (origin, keys) in entries_by_origin(written) {
        let Some(source) = files.get(&origin) else {
            continue;
        };
        for (at, sub) in schema::subschemas(source) {
            for (example_at, value) in examples_in(sub, dialect) {
                let place = Place::new(origin.doc, format!("{}{at}{example_at}", origin.pointer));
                let mut nodes = Vec::new();
                for key in &keys {
                    let target = format!("/$defs/{key}{}", written.converted(key, &at));
                    if resource.pointer(&target).is_none() {
                        continue;
                    }
                    let n = *numbers.entry(target.clone()).or_insert_with(|| {
                        targets.push(target);
                        targets.len() - 1
                    });
                    nodes.push(n);
                }
                inside.push((place, value, nodes));
            }
        }
    }
    let nodes = Nodes::compile(&options, &targets);
    for (place, value, numbers) in inside {
        let validators: Vec<(&Shared, usize)> =
            numbers.iter().filter_map(|&n| nodes.get(n)).collect();
        diags.extend(report(files, written, &place, value, &validators));
    }
    diags
}

/// The subschemas that hold examples, compiled: together when they all compile, else each
/// on its own (one that does not compile then has no validator).
enum Nodes {
    Together(Shared),
    Apart(Vec<Option<Shared>>),
}

impl Nodes {
    fn compile(options: &ValidationOptions<'_>, targets: &[String]) -> Nodes {
        match Shared::build(options, targets) {
            Ok(shared) => Nodes::Together(shared),
            Err(_) => Nodes::Apart(
                targets
                    .iter()
                    .map(|t| Shared::build(options, std::slice::from_ref(t)).ok())
                    .collect(),
            ),
        }
    }

    /// The validator of target `n`, and its node there.
    fn get(&self, n: usize) -> Option<(&Shared, usize)> {
        match self {
            Nodes::Together(shared) => Some((shared, n)),
            Nodes::Apart(each) => Some((each.get(n)?.as_ref()?, 0)),
        }
    }
}

/// The bundle entries grouped by the place they were converted from (one per direction),
/// in a stable order.
fn entries_by_origin(written: &Written) -> BTreeMap<Place, Vec<String>> {
    let mut out: BTreeMap<Place, Vec<String>> = BTreeMap::new();
    for (key, place) in &written.origins {
        out.entry(place.clone()).or_default().push(key.clone());
    }
    for keys in out.values_mut() {
        keys.sort();
    }
    out
}

/// The examples a schema holds, with their pointers relative to it.
fn examples_in(schema: &Value, dialect: Dialect) -> Vec<(String, &Value)> {
    let mut out = Vec::new();
    if let Some(example) = schema.get("example") {
        out.push(("/example".to_owned(), example));
    }
    if let (Dialect::Oas31, Some(Value::Array(items))) = (dialect, schema.get("examples")) {
        out.extend(
            items
                .iter()
                .enumerate()
                .map(|(i, v)| (format!("/examples/{i}"), v)),
        );
    }
    out
}

/// Warnings for an example that no validator accepts (the first validator's violations).
fn report(
    files: &Files,
    written: &Written,
    place: &Place,
    value: &Value,
    validators: &[(&Shared, usize)],
) -> Vec<Diagnostic> {
    if validators.is_empty() || validators.iter().any(|(v, n)| v.is_valid(*n, value)) {
        return Vec::new();
    }
    let (first, n) = validators[0];
    first
        .errors(n, value, PER_EXAMPLE)
        .into_iter()
        .map(|e| {
            let at = Place::new(place.doc, format!("{}{}", place.pointer, e.instance_path));
            let mut d = files
                .diag(
                    &at,
                    format!("example does not match its schema: {}", e.message),
                )
                .warning();
            if let Some(rule) = written.place(&e.schema_path) {
                d = d.with_help(format!("the schema says so at {}", files.position(&rule)));
            }
            d
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_examples_follow_the_dialect() {
        let s = serde_json::json!({"example": 1, "examples": [2, 3]});
        let at: Vec<String> = examples_in(&s, Dialect::Oas30)
            .into_iter()
            .map(|(a, _)| a)
            .collect();
        assert_eq!(at, ["/example"], "`examples` is no 3.0 schema keyword");
        assert_eq!(examples_in(&s, Dialect::Oas31).len(), 3);
    }
}
