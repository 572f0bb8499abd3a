//! The compiled schemas of a spec: the used bundle entries built into one validator
//! ([`compile_schemas`]), each entry with where it is written and the JSON types it admits at
//! its top level ([`Compiled`]), used to coerce header and parameter strings.

use std::time::{Duration, Instant};

use serde_json::Value;

use super::{SchemaRef, bundle, examples, files, schema};
use crate::diag::Diagnostic;

/// One compiled schema and what is known about it.
#[derive(Debug)]
pub(super) struct Compiled {
    /// Its key under the bundle's `$defs`.
    pub(super) key: String,
    /// `file#pointer` of the schema as written.
    pub(super) location: String,
    /// The JSON types the schema admits at its top level (after `$ref`s), for coercing
    /// header and parameter strings.
    pub(super) types: Vec<String>,
}

/// The examples to check for lint: the dialect and the examples met beside schemas.
pub(super) type LintExamples<'a> = Option<(schema::Dialect, &'a [(files::Place, SchemaRef)])>;

/// The used bundle entries compiled, with the bundle resource, where its entries are
/// written, and the warnings about keywords set aside (and, for lint, about examples that
/// break their schema).
pub(super) struct CompiledSchemas {
    pub(super) schemas: Vec<Compiled>,
    pub(super) validators: bundle::Shared,
    pub(super) resource: Value,
    pub(super) locations: bundle::Locations,
    pub(super) warnings: Vec<Diagnostic>,
    pub(super) compile: Duration,
    pub(super) examples: Duration,
}

/// Compiles the used bundle entries.
pub(super) fn compile_schemas(
    bundle: bundle::Bundle,
    used: &[String],
    files: &files::Files,
    lint: LintExamples<'_>,
) -> Result<CompiledSchemas, Vec<Diagnostic>> {
    let started = Instant::now();
    let bundle::Bundle { defs, written } = bundle;
    let mut resource = serde_json::json!({ "$defs": defs });
    let (validators, mut warnings) = bundle::compile(&mut resource, &written, used, files)?;
    let no_defs = serde_json::Map::new();
    let defs = resource
        .get("$defs")
        .and_then(Value::as_object)
        .unwrap_or(&no_defs);
    let schemas = used
        .iter()
        .map(|key| Compiled {
            key: key.clone(),
            location: written
                .origins
                .get(key)
                .map(|p| files.location(p))
                .unwrap_or_default(),
            types: top_types(defs, key),
        })
        .collect::<Vec<_>>();
    let compile = started.elapsed();
    if let Some((dialect, beside)) = lint {
        let found = examples::check(files, dialect, beside, &validators, &resource, &written);
        warnings.extend(found);
    }
    let examples = started.elapsed() - compile;
    Ok(CompiledSchemas {
        schemas,
        validators,
        locations: written.locations(files),
        resource,
        warnings,
        compile,
        examples,
    })
}

/// The `type`s a bundled schema admits at its top level, following `$ref` and a nullable
/// `anyOf` wrapper.
fn top_types(defs: &serde_json::Map<String, Value>, key: &str) -> Vec<String> {
    let prefix = format!("{}#/$defs/", bundle::BUNDLE_URI);
    let mut schema = defs.get(key);
    for _ in 0..16 {
        let Some(s) = schema else { break };
        if let Some(target) = s.get("$ref").and_then(Value::as_str) {
            schema = target.strip_prefix(&prefix).and_then(|k| defs.get(k));
            continue;
        }
        if let Some(first) = s.get("anyOf").and_then(|a| a.get(0))
            && s.get("type").is_none()
        {
            schema = Some(first);
            continue;
        }
        return match s.get("type") {
            Some(Value::String(t)) => vec![t.clone()],
            Some(Value::Array(ts)) => ts
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect(),
            _ => Vec::new(),
        };
    }
    Vec::new()
}
