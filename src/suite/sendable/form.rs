//! A form body (`form`, `multipart`) against the operation's request body: the operation
//! takes that media type, and the object a server reads from the fields sent (each field's
//! text typed by the schema, arrays and objects read by the field's encoding) is valid against
//! its schema. A field whose value holds a placeholder is judged only for its presence: the
//! run fills the rest.

use indexmap::IndexMap;
use serde_json::Value;

use super::{has_placeholder, is_about_members, is_container, refusal_help};
use crate::diag::Diagnostic;
use crate::openapi::form::Kind;
use crate::openapi::{Operation, Spec};
use crate::pointer;
use crate::suite::{Suite, form};

/// The problems of a form body of kind `kind` whose values are `values`, written at `at`.
pub(super) fn problems(
    suite: &Suite,
    spec: &Spec,
    op: &Operation,
    kind: Kind,
    values: &IndexMap<String, Value>,
    at: &str,
    out: &mut Vec<Diagnostic>,
) {
    let Some(media) = form::media(spec, op, kind) else {
        if let Some(declared) = spec.request_body(op) {
            let types: Vec<&str> = declared.iter().map(|m| m.media_type.as_str()).collect();
            out.push(
                suite
                    .doc
                    .diag_key(
                        at,
                        format!(
                            "{} takes no {} body: its request body is {}",
                            op.name(),
                            kind.media_type(),
                            types.join(" or ")
                        ),
                    )
                    .with_help(
                        "send `body` for JSON, `form` for URL-encoded or `multipart` for multipart/form-data, as the spec says",
                    ),
            );
        }
        return;
    };
    let Some(schema) = media.schema else {
        return;
    };
    let fields = form::fields(kind, values, &media.encoding);
    let Some(seen) = form::read(spec, media, kind, &fields) else {
        return;
    };
    let shown = match kind {
        Kind::UrlEncoded => "form",
        Kind::Multipart => "multipart",
    };
    for v in spec.validate(schema, &seen) {
        let tokens = pointer::tokens(&v.instance_path).unwrap_or_default();
        if let Some(written) = tokens.first().and_then(|name| values.get(name)) {
            let whole = tokens.len() == 1;
            let about_members = whole && is_container(written) && is_about_members(v.keyword());
            if has_placeholder(written) && !about_members {
                continue;
            }
        }
        let where_ = if v.instance_path.is_empty() {
            format!("the {shown} body")
        } else {
            format!("field {}", v.instance_path)
        };
        out.push(
            suite
                .doc
                .diag(
                    &format!("{at}{}", v.instance_path),
                    format!(
                        "the {shown} body breaks the spec's schema for {}: {where_}: {}",
                        op.name(),
                        v.message
                    ),
                )
                .with_help(refusal_help(spec, schema, "body")),
        );
    }
}
