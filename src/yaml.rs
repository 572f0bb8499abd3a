//! Source documents (YAML or JSON) with the position of every node.
//!
//! Values come from `yaml_serde` (YAML 1.2 scalars: `yes`, `NO` and `0755` stay strings) or
//! `serde_json`; positions come from a second, event-level pass with `saphyr-parser`, which
//! records the line and column of every value and every mapping key under its JSON Pointer.
//! That pass also rejects duplicate keys, which `yaml_serde` would silently collapse.
//! Every later diagnostic (broken `$ref`, unknown suite key, schema violation) is placed by
//! looking its JSON Pointer up in the [`Document`].
//!
//! Reading is liberal where other tools are: a byte-order mark before the first line is
//! skipped, and a YAML integer too large for 64 bits is read as a float, as JSON readers do.

use std::collections::HashMap;
use std::path::Path;

use saphyr_parser::{Event, Parser};
use serde_json::Value;

use crate::diag::Diagnostic;
use crate::pointer;

/// A 1-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pos {
    pub line: usize,
    pub col: usize,
}

/// A parsed document with positions.
#[derive(Debug, Clone)]
pub struct Document {
    /// The file name as given by the user.
    pub file: String,
    pub text: String,
    pub value: Value,
    values: HashMap<String, Pos>,
    keys: HashMap<String, Pos>,
}

impl Document {
    /// Reads and parses a file; JSON when it ends in `.json`, YAML otherwise.
    pub fn load(path: &Path) -> Result<Document, Vec<Diagnostic>> {
        let file = path.display().to_string();
        let bytes = std::fs::read(path)
            .map_err(|e| vec![Diagnostic::file(&file, format!("cannot read file: {e}"))])?;
        let text = String::from_utf8(bytes)
            .map_err(|e| vec![Diagnostic::file(&file, format!("file is not UTF-8: {e}"))])?;
        Document::parse(file, text)
    }

    /// Parses text; JSON when the name ends in `.json`, YAML otherwise.
    pub fn parse(
        file: impl Into<String>,
        text: impl Into<String>,
    ) -> Result<Document, Vec<Diagnostic>> {
        let file = file.into();
        let mut text: String = text.into();
        if text.starts_with('\u{feff}') {
            text.drain(..'\u{feff}'.len_utf8());
        }
        let value = if file.ends_with(".json") {
            serde_json::from_str::<Value>(&text).map_err(|e| {
                vec![Diagnostic::at(
                    &file,
                    &text,
                    e.line(),
                    e.column(),
                    format!("invalid JSON: {}", strip_position(&e.to_string())),
                )]
            })?
        } else {
            parse_yaml_value(&file, &text)?
        };
        let mut doc = Document {
            file,
            text,
            value,
            values: HashMap::new(),
            keys: HashMap::new(),
        };
        let dups = doc.index_positions();
        if !dups.is_empty() {
            return Err(dups);
        }
        Ok(doc)
    }

    /// The position of the value at `pointer`, or of its nearest ancestor that has one.
    pub fn pos(&self, pointer: &str) -> Pos {
        let mut p = pointer.to_owned();
        loop {
            if let Some(pos) = self.values.get(&p) {
                return *pos;
            }
            match p.rfind('/') {
                Some(i) => p.truncate(i),
                None => return Pos { line: 1, col: 1 },
            }
        }
    }

    /// The position of the mapping key that holds the value at `pointer` (falls back to the value).
    pub fn key_pos(&self, pointer: &str) -> Pos {
        self.keys
            .get(pointer)
            .copied()
            .unwrap_or_else(|| self.pos(pointer))
    }

    /// `file:line:col` of the value at `pointer`.
    pub fn location(&self, pointer: &str) -> String {
        let p = self.pos(pointer);
        format!("{}:{}:{}", self.file, p.line, p.col)
    }

    /// A diagnostic placed at the value at `pointer`.
    pub fn diag(&self, pointer: &str, message: impl Into<String>) -> Diagnostic {
        let p = self.pos(pointer);
        Diagnostic::at(&self.file, &self.text, p.line, p.col, message)
    }

    /// A diagnostic placed at the key that holds the value at `pointer`.
    pub fn diag_key(&self, pointer: &str, message: impl Into<String>) -> Diagnostic {
        let p = self.key_pos(pointer);
        Diagnostic::at(&self.file, &self.text, p.line, p.col, message)
    }

    /// Walks the event stream, recording positions; returns duplicate-key diagnostics.
    fn index_positions(&mut self) -> Vec<Diagnostic> {
        enum Frame {
            Map {
                at: String,
                key: Option<String>,
                seen: HashMap<String, Pos>,
            },
            Seq {
                at: String,
                next: usize,
            },
        }
        let mut stack: Vec<Frame> = Vec::new();
        let mut dups = Vec::new();
        let mut parser = Parser::new_from_str(&self.text);
        while let Some(Ok((event, span))) = parser.next_event() {
            let pos = Pos {
                line: span.start.line(),
                col: span.start.col() + 1,
            };
            let is_node = matches!(
                event,
                Event::Scalar(..)
                    | Event::Alias(_)
                    | Event::MappingStart(..)
                    | Event::SequenceStart(..)
            );
            if !is_node {
                if matches!(event, Event::MappingEnd | Event::SequenceEnd) {
                    stack.pop();
                }
                continue;
            }
            // A scalar where a mapping expects a key is the key itself.
            if let Some(Frame::Map { at, key, seen }) = stack.last_mut()
                && key.is_none()
            {
                let name = match &event {
                    Event::Scalar(s, ..) => s.to_string(),
                    _ => String::from("?"),
                };
                let ptr = pointer::join(at, &name);
                if let Some(first) = seen.get(&name) {
                    dups.push(
                        Diagnostic::at(
                            &self.file,
                            &self.text,
                            pos.line,
                            pos.col,
                            format!("duplicate key `{name}`"),
                        )
                        .with_help(format!("the first `{name}` is at line {}", first.line)),
                    );
                } else {
                    seen.insert(name.clone(), pos);
                }
                self.keys.entry(ptr).or_insert(pos);
                *key = Some(name);
                continue;
            }
            let here = match stack.last_mut() {
                None => String::new(),
                Some(Frame::Map { at, key, .. }) => {
                    pointer::join(at, &key.take().unwrap_or_default())
                }
                Some(Frame::Seq { at, next }) => {
                    *next += 1;
                    pointer::join(at, &(*next - 1).to_string())
                }
            };
            self.values.entry(here.clone()).or_insert(pos);
            match event {
                Event::MappingStart(..) => stack.push(Frame::Map {
                    at: here,
                    key: None,
                    seen: HashMap::new(),
                }),
                Event::SequenceStart(..) => stack.push(Frame::Seq { at: here, next: 0 }),
                _ => {}
            }
        }
        dups
    }
}

fn parse_yaml_value(file: &str, text: &str) -> Result<Value, Vec<Diagnostic>> {
    match yaml_serde::from_str::<Lenient>(text) {
        Ok(v) => Ok(v.0),
        Err(e) => {
            let (line, col) = e
                .location()
                .map(|l| clamp_position(text, l.line(), l.column()))
                .unwrap_or((0, 0));
            Err(vec![Diagnostic::at(
                file,
                text,
                line,
                col,
                format!("invalid YAML: {}", strip_position(&e.to_string())),
            )])
        }
    }
}

/// A JSON value read from YAML, where integers beyond 64 bits become floats instead of errors.
struct Lenient(Value);

impl<'de> serde::Deserialize<'de> for Lenient {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(LenientVisitor).map(Lenient)
    }
}

struct LenientVisitor;

impl<'de> serde::de::Visitor<'de> for LenientVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    #[expect(clippy::cast_precision_loss, reason = "JSON readers do the same")]
    fn visit_i128<E>(self, v: i128) -> Result<Value, E> {
        Ok(Value::from(v as f64))
    }
    #[expect(clippy::cast_precision_loss, reason = "JSON readers do the same")]
    fn visit_u128<E>(self, v: u128) -> Result<Value, E> {
        Ok(Value::from(v as f64))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(Lenient(v)) = seq.next_element()? {
            items.push(v);
        }
        Ok(Value::Array(items))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = serde_json::Map::new();
        while let Some((k, Lenient(v))) = map.next_entry::<String, Lenient>()? {
            out.insert(k, v);
        }
        Ok(Value::Object(out))
    }
}

/// yaml_serde can report a position one past the end of the input; pull it back in.
fn clamp_position(text: &str, line: usize, col: usize) -> (usize, usize) {
    let lines: Vec<&str> = text.lines().collect();
    if lines.is_empty() {
        return (1, 1);
    }
    if line == 0 || line > lines.len() {
        let last = lines.len();
        return (last, lines[last - 1].chars().count().max(1));
    }
    (line, col.max(1))
}

/// Drops the " at line X column Y" tail that parser messages carry; we print our own.
fn strip_position(msg: &str) -> String {
    match msg.find(" at line ") {
        Some(i) => msg[..i].to_owned(),
        None => msg.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_value_and_key_positions() {
        let doc =
            Document::parse("t.yaml", "a:\n  b: 1\n  list:\n    - x\n    - {c: 2}\n").unwrap();
        assert_eq!(doc.pos("/a/b"), Pos { line: 2, col: 6 });
        assert_eq!(doc.key_pos("/a/b"), Pos { line: 2, col: 3 });
        assert_eq!(doc.pos("/a/list/1/c"), Pos { line: 5, col: 11 });
        assert_eq!(doc.pos("/a/list/1/missing"), Pos { line: 5, col: 7 });
    }

    #[test]
    fn yaml_12_scalars_stay_strings() {
        let doc = Document::parse("t.yaml", "country: NO\nmode: 0755\n200: ok\n").unwrap();
        assert_eq!(doc.value["country"], "NO");
        assert_eq!(doc.value["mode"], "0755");
        assert_eq!(doc.value["200"], "ok");
    }

    #[test]
    fn a_byte_order_mark_and_huge_integers_are_read_as_other_tools_do() {
        let doc = Document::parse("t.yaml", "\u{feff}a:\n  min: -9223372036854776000\n").unwrap();
        assert_eq!(
            doc.value["a"]["min"],
            serde_json::json!(-9.223372036854776e18)
        );
        assert_eq!(doc.pos("/a/min"), Pos { line: 2, col: 8 });
        let doc = Document::parse("t.json", "\u{feff}{\"a\": 1}").unwrap();
        assert_eq!(doc.value["a"], 1);
    }

    #[test]
    fn duplicate_keys_are_errors() {
        let err = Document::parse("t.yaml", "a: 1\nb: 2\na: 3\n").unwrap_err();
        assert_eq!(err.len(), 1);
        assert_eq!(err[0].to_string(), "t.yaml:3:1: duplicate key `a`");
    }

    #[test]
    fn syntax_errors_have_positions() {
        let err = Document::parse("t.yaml", "a: [1, 2\nb: 3\n").unwrap_err();
        assert!(err[0].line > 0, "{:?}", err[0]);
        let err = Document::parse("t.json", "{\"a\": 1,,}").unwrap_err();
        assert_eq!((err[0].line, err[0].col), (1, 9));
    }

    #[test]
    fn json_documents_get_positions_too() {
        let doc = Document::parse("t.json", "{\n  \"a\": {\"b\": [1, 2]}\n}").unwrap();
        assert_eq!(doc.pos("/a/b/1").line, 2);
    }
}
