//! How a form request body travels: `application/x-www-form-urlencoded` and
//! `multipart/form-data`, per the Media Type Object's `encoding` (OpenAPI 3 "Encoding Object",
//! "Special Considerations for `multipart` Content"; RFC 7578 for multipart itself).
//!
//! A form body is a list of [`Field`]s: a name and its text, and for a multipart part the file
//! name and content type its headers carry. [`write`] turns one property of a JSON object into
//! fields the way its [`Encoding`] says; [`urlencoded`] and [`multipart`] write the body text;
//! [`read`] reads fields back into the JSON object a server sees, typed by the body's schema.
//! Every field is text, so `"12"` is an integer where the schema asks for one, and `"abc"` is
//! not: a value is judged as sent, as parameters are ([`super::style`]).

use serde_json::{Map, Value};

use super::Spec;
use super::style::{self, Serial, Shape, Style};

/// A form media type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `application/x-www-form-urlencoded`.
    UrlEncoded,
    /// `multipart/form-data`.
    Multipart,
}

impl Kind {
    /// The form kind of a media type as written (parameters and case ignored).
    pub fn of(media_type: &str) -> Option<Kind> {
        let essence = media_type.split(';').next().unwrap_or_default().trim();
        if essence.eq_ignore_ascii_case("application/x-www-form-urlencoded") {
            Some(Kind::UrlEncoded)
        } else if essence.eq_ignore_ascii_case("multipart/form-data") {
            Some(Kind::Multipart)
        } else {
            None
        }
    }

    /// The media type's name.
    pub fn media_type(self) -> &'static str {
        match self {
            Kind::UrlEncoded => "application/x-www-form-urlencoded",
            Kind::Multipart => "multipart/form-data",
        }
    }
}

/// How one property of a form body is encoded: an entry of the Media Type's `encoding`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Encoding {
    /// `contentType`: the part's Content-Type in a multipart body (the first, when it lists
    /// several).
    pub content_type: Option<String>,
    /// `style` (`form` when absent).
    pub style: Option<Style>,
    /// `explode` (true for `form` when absent, false for the other styles).
    pub explode: Option<bool>,
}

impl Encoding {
    /// The encoding an `encoding` entry of a document states.
    pub fn parse(value: &Value) -> Encoding {
        let content_type = value
            .get("contentType")
            .and_then(Value::as_str)
            .and_then(|t| t.split(',').next())
            .map(|t| t.trim().to_ascii_lowercase())
            .filter(|t| !t.is_empty());
        Encoding {
            content_type,
            style: match value
                .get(super::swagger::COLLECTION_FORMAT)
                .and_then(Value::as_str)
            {
                Some("tsv") => Some(Style::TabDelimited),
                _ => value
                    .get("style")
                    .and_then(Value::as_str)
                    .and_then(Style::parse),
            },
            explode: value.get("explode").and_then(Value::as_bool),
        }
    }

    /// How the property's value is serialized in a URL-encoded body.
    pub fn serial(&self) -> Serial {
        let style = self.style.unwrap_or(Style::Form);
        Serial {
            style,
            explode: self.explode.unwrap_or(style == Style::Form),
        }
    }

    /// True when the document states a style or explode for the property.
    fn styled(&self) -> bool {
        self.style.is_some() || self.explode.is_some()
    }
}

/// The encoding of property `name`, or the default one.
pub fn encoding_of<'a>(encodings: &'a [(String, Encoding)], name: &str) -> Option<&'a Encoding> {
    encodings.iter().find(|(n, _)| n == name).map(|(_, e)| e)
}

/// One field of a form body as sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub name: String,
    /// The text sent (decoded: percent-encoding happens when the body is written).
    pub value: String,
    /// A multipart part's file name (`filename` of its Content-Disposition).
    pub filename: Option<String>,
    /// A multipart part's Content-Type; `text/plain` is meant when absent (RFC 7578 4.4).
    pub content_type: Option<String>,
}

impl Field {
    /// A field of plain text.
    pub fn text(name: impl Into<String>, value: impl Into<String>) -> Field {
        Field {
            name: name.into(),
            value: value.into(),
            filename: None,
            content_type: None,
        }
    }
}

/// The fields property `name` holding `value` is sent as.
///
/// URL-encoded: by the encoding's style and explode (default `form`, exploded), as a query
/// parameter is: an exploded array repeats the name, an exploded object sends one field per
/// member, `deepObject` sends `name[member]`. Multipart: an array sends one part per item
/// (unless the encoding states a style, which then joins the items as in a URL-encoded
/// body), an object one part holding its JSON (`application/json` unless the encoding names
/// another type), anything else one part of text.
pub fn write(kind: Kind, name: &str, value: &Value, encoding: Option<&Encoding>) -> Vec<Field> {
    let default = Encoding::default();
    let encoding = encoding.unwrap_or(&default);
    let typed = |text: String, json: bool| Field {
        name: name.to_owned(),
        value: text,
        filename: None,
        content_type: encoding
            .content_type
            .clone()
            .or_else(|| json.then(|| "application/json".to_owned())),
    };
    match (kind, value) {
        (Kind::UrlEncoded, _) => encoding
            .serial()
            .write(name, value)
            .into_iter()
            .map(|(k, v)| Field::text(k, v))
            .collect(),
        (Kind::Multipart, Value::Array(_)) if encoding.styled() => encoding
            .serial()
            .write(name, value)
            .into_iter()
            .map(|(k, v)| Field::text(k, v))
            .collect(),
        (Kind::Multipart, Value::Array(items)) => items
            .iter()
            .map(|i| typed(style::text(i), i.is_object() || i.is_array()))
            .collect(),
        (Kind::Multipart, Value::Object(_)) => vec![typed(value.to_string(), true)],
        (Kind::Multipart, v) => vec![typed(style::text(v), false)],
    }
}

/// A URL-encoded body: `name=value` pairs joined by `&`, each name and value percent-encoded
/// as HTML forms do (a space is `+`).
pub fn urlencoded(fields: &[Field]) -> String {
    let mut out = url::form_urlencoded::Serializer::new(String::new());
    for f in fields {
        out.append_pair(&f.name, &f.value);
    }
    out.finish()
}

/// A multipart/form-data body and its boundary: one part per field, each with its
/// Content-Disposition (name, and file name when given) and its Content-Type when given. The
/// boundary is random and occurs in no part (RFC 2046 5.1.1); it is not derived from the
/// parts, which may hold secrets.
pub fn multipart(fields: &[Field]) -> (String, String) {
    loop {
        let boundary = format!("accord-{}", uuid::Uuid::new_v4().simple());
        let inside = |f: &Field| {
            [&f.name, &f.value]
                .into_iter()
                .chain(&f.filename)
                .chain(&f.content_type)
                .any(|s| s.contains(&boundary))
        };
        if !fields.iter().any(inside) {
            let body = multipart_with(fields, &boundary);
            return (boundary, body);
        }
    }
}

/// A multipart/form-data body with the given boundary.
pub fn multipart_with(fields: &[Field], boundary: &str) -> String {
    let mut out = String::new();
    for f in fields {
        out.push_str(&format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{}\"",
            quoted(&f.name)
        ));
        if let Some(file) = &f.filename {
            out.push_str(&format!("; filename=\"{}\"", quoted(file)));
        }
        out.push_str("\r\n");
        if let Some(t) = &f.content_type {
            out.push_str(&format!(
                "Content-Type: {}\r\n",
                t.replace(['\r', '\n'], " ")
            ));
        }
        out.push_str("\r\n");
        out.push_str(&f.value);
        out.push_str("\r\n");
    }
    out.push_str(&format!("--{boundary}--\r\n"));
    out
}

/// A name or file name inside a quoted Content-Disposition parameter: `"`, CR and LF
/// percent-encoded, as HTML forms send them.
fn quoted(s: &str) -> String {
    s.replace('"', "%22")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// The JSON object a server reads from the fields of a form body whose schema is `schema`
/// (a node of `spec`'s bundle): each declared property read by its encoding and typed by its
/// schema, and every other field kept as text (a list of texts when it repeats), so that a
/// schema refusing unknown members sees them.
pub fn read(
    spec: &Spec,
    schema: &Value,
    kind: Kind,
    fields: &[Field],
    encodings: &[(String, Encoding)],
) -> Value {
    let props = properties(spec, schema);
    let shapes: Vec<(&str, Shape)> = props
        .iter()
        .map(|(n, s)| (*n, Shape::of(spec, s)))
        .collect();
    let default = Encoding::default();
    let encoding = |name: &str| encoding_of(encodings, name).unwrap_or(&default);
    let mut out = Map::new();
    let pairs: Vec<(String, String)> = fields
        .iter()
        .map(|f| (f.name.clone(), f.value.clone()))
        .collect();
    let mut owned = vec![false; fields.len()];
    for (name, shape) in &shapes {
        let e = encoding(name);
        let serial = e.serial();
        let styled = kind == Kind::UrlEncoded || (e.styled() && matches!(shape, Shape::Array(_)));
        for (i, f) in fields.iter().enumerate() {
            if f.name == *name || (styled && serial.owns(name, &f.name, shape)) {
                owned[i] = true;
            }
        }
        let value = if styled {
            serial.read(name, &pairs, shape)
        } else {
            read_parts(fields.iter().filter(|f| f.name == *name), shape)
        };
        if let Some(v) = value {
            out.insert((*name).to_owned(), v);
        }
    }
    for (i, f) in fields.iter().enumerate() {
        if owned[i] {
            continue;
        }
        let text = Value::String(f.value.clone());
        match out.get_mut(&f.name) {
            Some(Value::Array(items)) => items.push(text),
            Some(first) => *first = Value::Array(vec![first.clone(), text]),
            None => {
                out.insert(f.name.clone(), text);
            }
        }
    }
    Value::Object(out)
}

/// The value a server reads from the parts of one multipart property: JSON parts parsed,
/// text typed by the shape; every part of an array, the first part of anything else.
fn read_parts<'a>(parts: impl Iterator<Item = &'a Field>, shape: &Shape) -> Option<Value> {
    let one = |f: &Field, types: &[String]| {
        let json = f
            .content_type
            .as_deref()
            .is_some_and(|t| t.contains("json"));
        match serde_json::from_str::<Value>(&f.value) {
            Ok(v) if json => v,
            _ => style::coerce(&f.value, types),
        }
    };
    let parts: Vec<&Field> = parts.collect();
    let first = parts.first()?;
    Some(match shape {
        Shape::Array(types) => Value::Array(parts.iter().map(|f| one(f, types)).collect()),
        Shape::Scalar(types) => one(first, types),
        Shape::Object(_) => match serde_json::from_str::<Value>(&first.value) {
            Ok(v @ Value::Object(_)) => v,
            _ => Value::String(first.value.clone()),
        },
    })
}

/// The properties a form body's schema declares, through `$ref`s and `allOf`, in order.
pub fn properties<'s>(spec: &'s Spec, schema: &'s Value) -> Vec<(&'s str, &'s Value)> {
    let mut out = Vec::new();
    gather(spec, schema, 0, &mut out);
    out
}

fn gather<'s>(
    spec: &'s Spec,
    schema: &'s Value,
    depth: usize,
    out: &mut Vec<(&'s str, &'s Value)>,
) {
    if depth > 16 {
        return;
    }
    let schema = spec.resolve(schema);
    if let Some(props) = schema.get("properties").and_then(Value::as_object) {
        for (name, s) in props {
            if !out.iter().any(|(n, _)| n == name) {
                out.push((name, s));
            }
        }
    }
    for m in schema
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        gather(spec, m, depth + 1, out);
    }
}

#[cfg(test)]
mod tests;
