//! How a parameter's value travels: OpenAPI 3 `style` and `explode` (the "Style Values" and
//! "Style Examples" tables of the Parameter Object), and Swagger 2.0 `collectionFormat`, which
//! loading turns into them (`tsv`, which has no OpenAPI 3 style, into [`Style::TabDelimited`]).
//!
//! [`Serial::write`] turns a JSON value into the name/text pairs a request carries for the
//! parameter (query entries, cookie pairs, or one path segment or header value), and
//! [`Serial::read`] reads such pairs back into the JSON value a server sees, typed by the
//! parameter's schema ([`Shape`]). Generated requests go through both: a value is sent as
//! `write` makes it, and judged valid or invalid as `read` sees it, so a broken value is
//! proven broken *as sent* (`tags=abc` is a valid one-element array in the default `form`
//! style, not a wrong type).
//!
//! Pairs hold decoded text: percent-encoding happens when the request is built, and a server
//! decodes before it splits on delimiters.

use serde_json::{Map, Value};

use super::ParamIn;

/// A serialization style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// `;name=value` path segments (RFC 6570 path-style expansion).
    Matrix,
    /// `.value` path segments (RFC 6570 label expansion).
    Label,
    /// `value,value` (path and header default).
    Simple,
    /// `name=value` (query and cookie default).
    Form,
    /// Array items joined by spaces (Swagger `ssv`).
    SpaceDelimited,
    /// Array items joined by `|` (Swagger `pipes`).
    PipeDelimited,
    /// `name[prop]=value` for objects.
    DeepObject,
    /// Array items joined by tabs: Swagger 2.0 `tsv`, which OpenAPI 3 dropped.
    TabDelimited,
}

impl Style {
    /// The style named in a document (`form`, `pipeDelimited`, ...).
    pub fn parse(name: &str) -> Option<Style> {
        Some(match name {
            "matrix" => Style::Matrix,
            "label" => Style::Label,
            "simple" => Style::Simple,
            "form" => Style::Form,
            "spaceDelimited" => Style::SpaceDelimited,
            "pipeDelimited" => Style::PipeDelimited,
            "deepObject" => Style::DeepObject,
            "tabDelimited" => Style::TabDelimited,
            _ => return None,
        })
    }

    /// The name as documents write it.
    pub fn name(self) -> &'static str {
        match self {
            Style::Matrix => "matrix",
            Style::Label => "label",
            Style::Simple => "simple",
            Style::Form => "form",
            Style::SpaceDelimited => "spaceDelimited",
            Style::PipeDelimited => "pipeDelimited",
            Style::DeepObject => "deepObject",
            Style::TabDelimited => "tabDelimited",
        }
    }

    /// The default style of a location: `form` for query and cookie, `simple` otherwise.
    pub fn default_for(location: ParamIn) -> Style {
        match location {
            ParamIn::Query | ParamIn::Cookie => Style::Form,
            ParamIn::Path | ParamIn::Header => Style::Simple,
        }
    }

    /// The delimiter of a non-exploded array.
    fn delimiter(self) -> char {
        match self {
            Style::SpaceDelimited => ' ',
            Style::PipeDelimited => '|',
            Style::TabDelimited => '\t',
            _ => ',',
        }
    }
}

/// A parameter's style and explode flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Serial {
    pub style: Style,
    pub explode: bool,
}

/// The shape of a parameter's value, from its schema: how to type the text a server reads.
#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    /// One value, of these JSON types (empty: any, read as a string).
    Scalar(Vec<String>),
    /// An array whose items have these types.
    Array(Vec<String>),
    /// An object with these properties and their types.
    Object(Vec<(String, Vec<String>)>),
}

impl Shape {
    /// The shape of a schema (a node of `spec`'s bundle): an array or object by its `type`,
    /// else a scalar, each typed by the `type`s its items, members or itself declare.
    pub fn of(spec: &super::Spec, schema: &Value) -> Shape {
        let schema = spec.resolve(schema);
        let types = |s: &Value| -> Vec<String> {
            match spec.resolve(s).get("type") {
                Some(Value::String(t)) => vec![t.clone()],
                Some(Value::Array(ts)) => ts
                    .iter()
                    .filter_map(Value::as_str)
                    .filter(|t| *t != "null")
                    .map(str::to_owned)
                    .collect(),
                _ => Vec::new(),
            }
        };
        let own = types(schema);
        if own.iter().any(|t| t == "array") {
            return Shape::Array(schema.get("items").map(types).unwrap_or_default());
        }
        if own.iter().any(|t| t == "object") {
            let props = schema
                .get("properties")
                .and_then(Value::as_object)
                .map(|m| m.iter().map(|(k, s)| (k.clone(), types(s))).collect())
                .unwrap_or_default();
            return Shape::Object(props);
        }
        Shape::Scalar(own)
    }
}

impl Serial {
    /// The serialization a parameter declares, with the defaults of its location (`explode`
    /// defaults to true for `form` only).
    pub fn of(location: ParamIn, style: Option<&str>, explode: Option<bool>) -> Serial {
        let style = style
            .and_then(Style::parse)
            .unwrap_or(Style::default_for(location));
        Serial {
            style,
            explode: explode.unwrap_or(style == Style::Form),
        }
    }

    /// `style=form, explode=true`: how the value is described in rules and titles.
    pub fn describe(&self) -> String {
        format!("style {}, explode {}", self.style.name(), self.explode)
    }

    /// The name/text pairs `value` is sent as. Query and cookie parameters may give several
    /// pairs (an exploded array repeats the name, an exploded object sends one pair per
    /// member); path and header parameters give one pair named after the parameter.
    pub fn write(&self, name: &str, value: &Value) -> Vec<(String, String)> {
        let one = |text: String| vec![(name.to_owned(), text)];
        let d = self.style.delimiter().to_string();
        match (self.style, value) {
            (Style::Matrix, Value::Array(items)) if self.explode => one(items
                .iter()
                .map(|i| format!(";{name}={}", text(i)))
                .collect()),
            (Style::Matrix, Value::Array(items)) => one(format!(";{name}={}", join(items, ","))),
            (Style::Matrix, Value::Object(m)) if self.explode => {
                one(m.iter().map(|(k, v)| format!(";{k}={}", text(v))).collect())
            }
            (Style::Matrix, Value::Object(m)) => one(format!(";{name}={}", flat(m, ",", ","))),
            (Style::Matrix, v) => one(format!(";{name}={}", text(v))),
            (Style::Label, Value::Array(items)) => {
                let sep = if self.explode { "." } else { "," };
                one(format!(".{}", join(items, sep)))
            }
            (Style::Label, Value::Object(m)) => {
                let (kv, sep) = if self.explode { ("=", ".") } else { (",", ",") };
                one(format!(".{}", flat(m, kv, sep)))
            }
            (Style::Label, v) => one(format!(".{}", text(v))),
            (Style::DeepObject, Value::Object(m)) => m
                .iter()
                .map(|(k, v)| (format!("{name}[{k}]"), text(v)))
                .collect(),
            (Style::Form, Value::Object(m)) if self.explode => {
                m.iter().map(|(k, v)| (k.clone(), text(v))).collect()
            }
            (Style::Form | Style::Simple, Value::Object(m)) => {
                let kv = if self.explode { "=" } else { "," };
                one(flat(m, kv, ","))
            }
            (Style::Form, Value::Array(items)) if self.explode => {
                items.iter().map(|i| (name.to_owned(), text(i))).collect()
            }
            (_, Value::Array(items)) => one(join(items, &d)),
            (_, v) => one(text(v)),
        }
    }

    /// The value a server reads from the pairs a request carries (every pair, or only this
    /// parameter's), typed by `shape`; `None` when the parameter is absent.
    pub fn read(&self, name: &str, pairs: &[(String, String)], shape: &Shape) -> Option<Value> {
        let own = |key| values(pairs, key);
        match shape {
            Shape::Scalar(types) => {
                let raw = own(name).next()?;
                let text = match self.style {
                    Style::Matrix => raw.strip_prefix(&format!(";{name}=")).unwrap_or(raw),
                    Style::Label => raw.strip_prefix('.').unwrap_or(raw),
                    _ => raw,
                };
                Some(coerce(text, types))
            }
            Shape::Array(types) => {
                let items: Vec<String> = match self.style {
                    Style::Form if self.explode => own(name).cloned().collect(),
                    Style::Matrix if self.explode => {
                        let raw = own(name).next()?;
                        let prefix = format!("{name}=");
                        raw.split(';')
                            .filter(|s| !s.is_empty())
                            .map(|s| s.strip_prefix(&prefix).unwrap_or(s).to_owned())
                            .collect()
                    }
                    Style::Matrix => {
                        let raw = own(name).next()?;
                        let body = raw.strip_prefix(&format!(";{name}=")).unwrap_or(raw);
                        split(body, ',')
                    }
                    Style::Label => {
                        let raw = own(name).next()?;
                        let body = raw.strip_prefix('.').unwrap_or(raw);
                        split(body, if self.explode { '.' } else { ',' })
                    }
                    style => split(own(name).next()?, style.delimiter()),
                };
                if items.is_empty() && self.style == Style::Form && self.explode {
                    return None;
                }
                Some(Value::Array(
                    items.iter().map(|i| coerce(i, types)).collect(),
                ))
            }
            Shape::Object(props) => {
                let typed = |k: &str, v: &str| {
                    let types = props
                        .iter()
                        .find(|(p, _)| p == k)
                        .map(|(_, t)| t.as_slice())
                        .unwrap_or_default();
                    coerce(v, types)
                };
                let mut out = Map::new();
                match self.style {
                    Style::DeepObject => {
                        let prefix = format!("{name}[");
                        for (k, v) in pairs {
                            if let Some(member) =
                                k.strip_prefix(&prefix).and_then(|r| r.strip_suffix(']'))
                            {
                                out.insert(member.to_owned(), typed(member, v));
                            }
                        }
                    }
                    Style::Form if self.explode => {
                        for (k, v) in pairs {
                            if props.iter().any(|(p, _)| p == k) {
                                out.insert(k.clone(), typed(k, v));
                            }
                        }
                    }
                    style => {
                        let raw = own(name).next()?;
                        let (body, kv, sep) = match (style, self.explode) {
                            (Style::Matrix, true) => (raw.as_str(), '=', ';'),
                            (Style::Matrix, false) => (
                                raw.strip_prefix(&format!(";{name}=")).unwrap_or(raw),
                                ',',
                                ',',
                            ),
                            (Style::Label, true) => {
                                (raw.strip_prefix('.').unwrap_or(raw), '=', '.')
                            }
                            (Style::Label, false) => {
                                (raw.strip_prefix('.').unwrap_or(raw), ',', ',')
                            }
                            (_, true) => (raw.as_str(), '=', ','),
                            (_, false) => (raw.as_str(), ',', ','),
                        };
                        read_members(body, kv, sep, &mut out, &typed);
                    }
                }
                if out.is_empty() {
                    return None;
                }
                Some(Value::Object(out))
            }
        }
    }

    /// True when a sent pair belongs to parameter `name` of this shape (an exploded `form`
    /// object's pairs are named after its members, a `deepObject`'s `name[member]`).
    pub fn owns(&self, name: &str, key: &str, shape: &Shape) -> bool {
        if key == name {
            return true;
        }
        match (self.style, shape) {
            (Style::DeepObject, _) => key
                .strip_prefix(name)
                .is_some_and(|r| r.starts_with('[') && r.ends_with(']')),
            (Style::Form, Shape::Object(props)) if self.explode => {
                props.iter().any(|(p, _)| p == key)
            }
            _ => false,
        }
    }
}

/// The values of the pairs named `key`.
fn values<'a>(pairs: &'a [(String, String)], key: &'a str) -> impl Iterator<Item = &'a String> {
    pairs.iter().filter(move |(k, _)| k == key).map(|(_, v)| v)
}

/// `k1,v1,k2,v2` (non-exploded) or `k1=v1,k2=v2` (exploded) members, into `out`.
fn read_members(
    body: &str,
    kv: char,
    sep: char,
    out: &mut Map<String, Value>,
    typed: &dyn Fn(&str, &str) -> Value,
) {
    let parts: Vec<&str> = body.split(sep).filter(|s| !s.is_empty()).collect();
    if kv == sep {
        for pair in parts.chunks(2) {
            if let [k, v] = pair {
                out.insert((*k).to_owned(), typed(k, v));
            }
        }
    } else {
        for part in parts {
            if let Some((k, v)) = part.split_once(kv) {
                out.insert(k.to_owned(), typed(k, v));
            }
        }
    }
}

/// The text of a JSON value in a parameter: strings as they are, other values as JSON.
pub fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn join(items: &[Value], sep: &str) -> String {
    items.iter().map(text).collect::<Vec<_>>().join(sep)
}

fn flat(m: &Map<String, Value>, kv: &str, sep: &str) -> String {
    m.iter()
        .map(|(k, v)| format!("{k}{kv}{}", text(v)))
        .collect::<Vec<_>>()
        .join(sep)
}

fn split(text: &str, delimiter: char) -> Vec<String> {
    if text.is_empty() {
        return Vec::new();
    }
    text.split(delimiter).map(str::to_owned).collect()
}

/// Text as the JSON value a schema of these types reads it as: an integer, number or boolean
/// when the types call for one and the text is one, else the text.
pub fn coerce(text: &str, types: &[String]) -> Value {
    let has = |t: &str| types.iter().any(|x| x == t);
    if has("string") || types.is_empty() {
        return Value::String(text.to_owned());
    }
    let unsigned = text.strip_prefix('-').unwrap_or(text);
    let integral = !unsigned.is_empty() && unsigned.bytes().all(|b| b.is_ascii_digit());
    if (has("integer") || has("number")) && integral {
        if let Ok(i) = text.parse::<i64>() {
            return Value::from(i);
        }
        if let Ok(u) = text.parse::<u64>() {
            return Value::from(u);
        }
    }
    if has("number")
        && let Some(n) = text
            .parse::<f64>()
            .ok()
            .filter(|f| f.is_finite() && !text.contains(['e', 'E', 'i', 'n', 'N', '+']))
            .and_then(serde_json::Number::from_f64)
    {
        return Value::Number(n);
    }
    if has("boolean") && (text == "true" || text == "false") {
        return Value::Bool(text == "true");
    }
    Value::String(text.to_owned())
}

#[cfg(test)]
mod tests;
