//! A request's form body, `form` (URL-encoded) or `multipart` (multipart/form-data): the
//! fields its values are sent as, by the encoding the operation's media type states
//! ([`crate::openapi::form`]).
//!
//! A value is text (a string, number or boolean), a list or a map: a list or map in `form` is
//! serialized by the property's `style` and `explode` (default `form`, exploded: a list
//! repeats the field, a map sends one field per member). In `multipart` a list is one part
//! per item, and a map with `content` is one part with its own headers ([`Part`]): a file
//! given inline, with an optional `filename` and `content_type`. Any other map (a placeholder
//! filled with a captured object; the suite format allows no other) is a part holding its
//! JSON.

use indexmap::IndexMap;
use serde_json::Value;

use super::Request;
use crate::openapi::form::{self, Encoding, Field, Kind};
use crate::openapi::{MediaType, Operation, Spec};

/// The key of a request that holds its body, with the body's media type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyKey {
    /// `body`: JSON.
    Json,
    /// `form` or `multipart`.
    Form(Kind),
}

impl BodyKey {
    /// The key as a suite writes it.
    pub fn key(self) -> &'static str {
        match self {
            BodyKey::Json => "body",
            BodyKey::Form(Kind::UrlEncoded) => "form",
            BodyKey::Form(Kind::Multipart) => "multipart",
        }
    }
}

impl Request {
    /// The keys of the request that hold a body, in the order the format lists them; a
    /// request sends at most one.
    pub fn body_keys(&self) -> Vec<BodyKey> {
        let mut out = Vec::new();
        if self.body.is_some() {
            out.push(BodyKey::Json);
        }
        if self.form.is_some() {
            out.push(BodyKey::Form(Kind::UrlEncoded));
        }
        if self.multipart.is_some() {
            out.push(BodyKey::Form(Kind::Multipart));
        }
        out
    }

    /// The form body, when the request sends one: its kind and its values.
    pub fn form_body(&self) -> Option<(Kind, &IndexMap<String, Value>)> {
        match (&self.form, &self.multipart) {
            (Some(f), _) => Some((Kind::UrlEncoded, f)),
            (None, Some(m)) => Some((Kind::Multipart, m)),
            (None, None) => None,
        }
    }

    /// The form body's values, to change in place.
    pub fn form_body_mut(&mut self) -> Option<&mut IndexMap<String, Value>> {
        self.form.as_mut().or(self.multipart.as_mut())
    }
}

/// A multipart part written with its own headers: `{content, filename, content_type}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part<'a> {
    pub content: &'a Value,
    pub filename: Option<&'a str>,
    pub content_type: Option<&'a str>,
}

impl<'a> Part<'a> {
    /// The part a multipart value writes, when it is a map with `content`.
    pub fn of(value: &'a Value) -> Option<Part<'a>> {
        let map = value.as_object()?;
        Some(Part {
            content: map.get("content")?,
            filename: map.get("filename").and_then(Value::as_str),
            content_type: map.get("content_type").and_then(Value::as_str),
        })
    }

    fn field(&self, name: &str) -> Field {
        Field {
            name: name.to_owned(),
            value: crate::openapi::style::text(self.content),
            filename: self.filename.map(str::to_owned),
            content_type: self.content_type.map(str::to_owned),
        }
    }
}

/// The operation's media type of a form kind.
pub fn media<'s>(spec: &'s Spec, op: &Operation, kind: Kind) -> Option<&'s MediaType> {
    spec.request_body(op)?
        .iter()
        .find(|m| Kind::of(&m.media_type) == Some(kind))
}

/// The fields a form body's values are sent as, by the media type's `encoding`.
pub fn fields(
    kind: Kind,
    values: &IndexMap<String, Value>,
    encodings: &[(String, Encoding)],
) -> Vec<Field> {
    let mut out = Vec::new();
    for (name, value) in values {
        let encoding = form::encoding_of(encodings, name);
        match (kind, value) {
            (Kind::Multipart, v) if Part::of(v).is_some() => {
                out.extend(Part::of(v).map(|p| p.field(name)));
            }
            (Kind::Multipart, Value::Array(items))
                if items.iter().any(|i| Part::of(i).is_some()) =>
            {
                for item in items {
                    match Part::of(item) {
                        Some(p) => out.push(p.field(name)),
                        None => out.extend(form::write(kind, name, item, encoding)),
                    }
                }
            }
            _ => out.extend(form::write(kind, name, value, encoding)),
        }
    }
    out
}

/// The body text and Content-Type a form body is sent with.
pub fn encode(kind: Kind, fields: &[Field]) -> (String, String) {
    match kind {
        Kind::UrlEncoded => (form::urlencoded(fields), kind.media_type().to_owned()),
        Kind::Multipart => {
            let (boundary, body) = form::multipart(fields);
            (body, format!("{}; boundary={boundary}", kind.media_type()))
        }
    }
}

/// The JSON object a server reads from the fields, by the media type's schema and encoding;
/// `None` when the media type has no schema.
pub fn read(spec: &Spec, media: &MediaType, kind: Kind, fields: &[Field]) -> Option<Value> {
    let schema = spec.schema_json(media.schema?)?;
    Some(form::read(spec, schema, kind, fields, &media.encoding))
}

#[cfg(test)]
mod tests {
    use indexmap::IndexMap;
    use serde_json::{Value, json};

    use super::*;

    fn values(v: Value) -> IndexMap<String, Value> {
        v.as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }

    #[test]
    fn multipart_parts_with_headers_and_lists_of_them() {
        let got = fields(
            Kind::Multipart,
            &values(json!({
                "title": "t",
                "photo": {"content": "GIF89a", "filename": "a.gif", "content_type": "image/gif"},
                "docs": [{"content": "one", "filename": "1.txt"}, "two"],
                "meta": {"k": 1}
            })),
            &[],
        );
        let shown: Vec<(&str, &str, Option<&str>, Option<&str>)> = got
            .iter()
            .map(|f| {
                (
                    f.name.as_str(),
                    f.value.as_str(),
                    f.filename.as_deref(),
                    f.content_type.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            shown,
            [
                ("title", "t", None, None),
                ("photo", "GIF89a", Some("a.gif"), Some("image/gif")),
                ("docs", "one", Some("1.txt"), None),
                ("docs", "two", None, None),
                ("meta", "{\"k\":1}", None, Some("application/json")),
            ]
        );
    }

    #[test]
    fn the_content_type_names_the_boundary() {
        let f = [Field::text("a", "1")];
        let (body, ct) = encode(Kind::Multipart, &f);
        let boundary = ct.strip_prefix("multipart/form-data; boundary=").unwrap();
        assert!(body.starts_with(&format!("--{boundary}\r\n")), "{body}");
        assert_eq!(
            encode(Kind::UrlEncoded, &f),
            (
                "a=1".to_owned(),
                "application/x-www-form-urlencoded".to_owned()
            )
        );
    }
}
