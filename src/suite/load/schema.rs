//! The structural reading of a suite: the suite format's JSON Schema, every violation of it at
//! once with the pointer of the broken node, an unknown key with the nearest known one as a
//! hint, and each violation worded as a sentence.

use std::collections::HashSet;
use std::sync::OnceLock;

use serde_json::Value;

use crate::diag::{Diagnostic, did_you_mean};
use crate::pointer;
use crate::yaml::Document;

/// The suite format's JSON Schema, as published for editors.
pub const SUITE_SCHEMA: &str = include_str!("../../../suites/suite.schema.json");

fn schema() -> &'static (Value, jsonschema::Validator) {
    static SCHEMA: OnceLock<(Value, jsonschema::Validator)> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        let v: Value =
            serde_json::from_str(SUITE_SCHEMA).expect("the embedded suite schema is JSON");
        let validator =
            jsonschema::draft202012::new(&v).expect("the embedded suite schema compiles");
        (v, validator)
    })
}

/// Schema violations, each with the pointer of the broken node, ordered by position.
pub(super) fn structural_problems(doc: &Document) -> Vec<(String, Diagnostic)> {
    let (schema_value, validator) = schema();
    let mut out: Vec<(crate::yaml::Pos, String, Diagnostic)> = Vec::new();
    let mut seen = HashSet::new();
    for err in validator.iter_errors(&doc.value) {
        let at = err.instance_path().as_str().to_owned();
        if let jsonschema::error::ValidationErrorKind::AdditionalProperties { unexpected } =
            err.kind()
        {
            let allowed = allowed_keys(schema_value, err.schema_path().as_str());
            for key in unexpected {
                let ptr = pointer::join(&at, key);
                let mut d = doc.diag_key(&ptr, format!("unknown key `{key}`"));
                if let Some(s) = did_you_mean(key, allowed.iter().map(String::as_str)) {
                    d = d.with_help(format!("did you mean `{s}`?"));
                } else if !allowed.is_empty() {
                    d = d.with_help(format!("expected one of: {}", allowed.join(", ")));
                }
                if seen.insert(d.to_string()) {
                    out.push((doc.key_pos(&ptr), ptr, d));
                }
            }
            continue;
        }
        let d = doc.diag(&at, describe(&err, &at));
        if seen.insert(d.to_string()) {
            out.push((doc.pos(&at), at, d));
        }
    }
    out.sort_by_key(|(p, _, _)| (p.line, p.col));
    out.into_iter().map(|(_, at, d)| (at, d)).collect()
}

/// The property names the schema allows where `additionalProperties` failed.
fn allowed_keys(schema: &Value, schema_path: &str) -> Vec<String> {
    let parent = schema_path
        .strip_suffix("/additionalProperties")
        .unwrap_or(schema_path);
    let mut node = schema;
    for tok in pointer::tokens(parent).unwrap_or_default() {
        node = match node.get(&tok) {
            Some(n) => n,
            None => return Vec::new(),
        };
        if let Some(r) = node.get("$ref").and_then(Value::as_str)
            && let Some(target) = r.strip_prefix('#').and_then(|p| schema.pointer(p))
        {
            node = target;
        }
    }
    node.get("properties")
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

/// A readable sentence for a schema violation.
fn describe(err: &jsonschema::ValidationError<'_>, at: &str) -> String {
    use jsonschema::error::ValidationErrorKind as K;
    let what = if at.is_empty() {
        "the suite".to_owned()
    } else {
        format!("`{}`", last_token(at))
    };
    match err.kind() {
        K::Required { property } => format!("missing required key {property}"),
        K::Type { .. } => format!("{what}: {err}"),
        K::MinItems { .. } => format!("{what} must not be empty"),
        K::Pattern { pattern } => format!("{what}: {} does not match `{pattern}`", err.instance()),
        K::MinProperties { .. } => format!("{what} asserts nothing: give at least one assertion"),
        K::Constant { .. } => {
            format!("{what} must be `true` when given (leave the key out otherwise)")
        }
        K::AnyOf { .. } if last_token(at) == "status" => format!(
            "`status`: {} is not a status (an integer from 100 to 599), a class like 4XX, or a list of them",
            err.instance()
        ),
        K::AnyOf { .. } => format!("{what}: {} is not a valid value here", err.instance()),
        _ => format!("{what}: {}", err),
    }
}

fn last_token(ptr: &str) -> String {
    pointer::tokens(ptr)
        .and_then(|t| t.last().cloned())
        .unwrap_or_default()
}
