//! Structural checks of the root document: version, required top-level fields, and (for 3.0)
//! a pass through the typed `openapiv3` model, whose first error comes with its JSON Pointer.
//!
//! Only what leaves nothing to read is an error (no version, an unknown one, `paths` that is
//! not a mapping); a missing `paths` is a warning, and so is whatever the typed model refuses,
//! since the loader reads the document as data and reports what it cannot use where it meets it.

use serde_json::Value;

use super::schema::Dialect;
use crate::diag::Diagnostic;
use crate::pointer;
use crate::yaml::Document;

/// Reads the dialect from `openapi` (with warnings about the top level), or explains why the
/// document cannot be read.
pub(crate) fn dialect(doc: &Document) -> Result<(Dialect, Vec<Diagnostic>), Vec<Diagnostic>> {
    let Value::Object(root) = &doc.value else {
        return Err(vec![doc.diag(
            "",
            "an OpenAPI document must be a mapping at the top level",
        )]);
    };
    let mut diags = Vec::new();
    let dialect = match root.get("openapi") {
        None => {
            diags.push(doc.diag(
                "",
                "missing `openapi` field: this is not an OpenAPI 3 document",
            ));
            None
        }
        Some(Value::String(v)) if v == "3.0" || v.starts_with("3.0.") => Some(Dialect::Oas30),
        Some(Value::String(v)) if v == "3.1" || v.starts_with("3.1.") => Some(Dialect::Oas31),
        Some(Value::String(v)) => {
            diags.push(doc.diag(
                "/openapi",
                format!("unsupported OpenAPI version `{v}`: accord reads 3.0.x and 3.1.x"),
            ));
            None
        }
        Some(other) => {
            diags.push(
                doc.diag(
                    "/openapi",
                    format!("`openapi` must be a string, found `{other}`"),
                )
                .with_help("quote the version: openapi: \"3.0.3\""),
            );
            None
        }
    };
    let has_paths = root.contains_key("paths");
    let paths_optional = root.contains_key("components")
        || (dialect == Some(Dialect::Oas31) && root.contains_key("webhooks"));
    if !has_paths && !paths_optional {
        diags.push(
            doc.diag("", "missing `paths` field: no operations")
                .warning(),
        );
    }
    if let Some(paths) = root.get("paths")
        && !paths.is_object()
    {
        diags.push(doc.diag("/paths", "`paths` must be a mapping"));
    }
    match dialect {
        Some(d) if diags.iter().all(Diagnostic::is_warning) => Ok((d, diags)),
        _ => Err(diags),
    }
}

/// Runs a 3.0 document through `openapiv3` and returns its first error with the JSON Pointer
/// it concerns. Errors that the loader reports better itself (missing `responses`, `paths`,
/// `openapi`) are left out.
pub(crate) fn check_openapiv3(value: &Value) -> Option<(String, String)> {
    let err = serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(value).err()?;
    let message = err.inner().to_string();
    let reported_elsewhere = ["`responses`", "`paths`", "`openapi`"]
        .iter()
        .any(|field| message == format!("missing field {field}"));
    if reported_elsewhere {
        return None;
    }
    let mut at = String::new();
    for segment in err.path().iter() {
        match segment {
            serde_path_to_error::Segment::Seq { index } => {
                at = pointer::join(&at, &index.to_string());
            }
            serde_path_to_error::Segment::Map { key } => at = pointer::join(&at, key),
            serde_path_to_error::Segment::Enum { .. } => {}
            serde_path_to_error::Segment::Unknown => break,
        }
    }
    Some((at, message))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> Document {
        Document::parse("s.yaml", text).unwrap()
    }

    fn errors(text: &str) -> Vec<String> {
        dialect(&doc(text))
            .unwrap_err()
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn reads_dialects() {
        let read = |text: &str| dialect(&doc(text)).unwrap();
        assert_eq!(
            read("openapi: 3.0.3\npaths: {}\n"),
            (Dialect::Oas30, vec![])
        );
        assert_eq!(
            read("openapi: 3.1.0\npaths: {}\n"),
            (Dialect::Oas31, vec![])
        );
        assert_eq!(
            read("openapi: 3.1.0\ncomponents: {}\n"),
            (Dialect::Oas31, vec![])
        );
        assert_eq!(
            read("openapi: 3.0.3\ncomponents: {}\n"),
            (Dialect::Oas30, vec![]),
            "a file of shared components is read without a word"
        );
        let (d, warnings) = read("openapi: 3.0.3\ninfo: {}\n");
        assert_eq!(d, Dialect::Oas30);
        assert_eq!(
            warnings[0].to_string(),
            "s.yaml:1:1: missing `paths` field: no operations"
        );
        assert!(warnings[0].is_warning());
    }

    #[test]
    fn version_problems_and_missing_paths_come_together() {
        assert_eq!(
            errors("info: {title: t}\n"),
            vec![
                "s.yaml:1:1: missing `openapi` field: this is not an OpenAPI 3 document",
                "s.yaml:1:1: missing `paths` field: no operations"
            ]
        );
        assert_eq!(
            errors("openapi: 3.2.0\npaths: {}\n"),
            vec!["s.yaml:1:10: unsupported OpenAPI version `3.2.0`: accord reads 3.0.x and 3.1.x"]
        );
        assert_eq!(
            errors("openapi: 3.0\npaths: []\n"),
            vec![
                "s.yaml:1:10: `openapi` must be a string, found `3.0`",
                "s.yaml:2:8: `paths` must be a mapping"
            ]
        );
        assert_eq!(
            errors("- a\n"),
            vec!["s.yaml:1:1: an OpenAPI document must be a mapping at the top level"]
        );
    }

    #[test]
    fn openapiv3_errors_are_placed_by_pointer() {
        let d = doc(
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      parameters:\n        - {name: x, in: body}\n      responses: {'200': {description: ok}}\n",
        );
        let (at, message) = check_openapiv3(&d.value).unwrap();
        // Untagged enums (`ReferenceOr`) hide deeper positions, so only `paths` is named.
        assert_eq!(at, "/paths");
        assert_eq!(
            message,
            "unknown variant `body`, expected one of `query`, `header`, `path`, `cookie`"
        );
    }

    #[test]
    fn openapiv3_accepts_a_good_document() {
        let d = doc(
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        200: {description: ok}\n",
        );
        assert_eq!(check_openapiv3(&d.value), None);
    }
}
