//! Response bodies parsed into `serde_json` values, as `serde_json::from_str` parses them, but
//! with each object's members gathered first and its map made at its final size: a body of many
//! records parses without growing and rehashing every record's map member by member.

use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

/// The text parsed as one JSON value; `None` when it is not JSON (trailing text included).
pub fn parse(text: &str) -> Option<Value> {
    let mut de = serde_json::Deserializer::from_str(text);
    let value = Gathered.deserialize(&mut de).ok()?;
    de.end().ok()?;
    Some(value)
}

/// Reads one value, and every value inside it the same way.
#[derive(Clone, Copy)]
struct Gathered;

impl<'de> DeserializeSeed<'de> for Gathered {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Gathered {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        self.deserialize(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(v) = seq.next_element_seed(self)? {
            items.push(v);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut members: Vec<(String, Value)> = Vec::new();
        while let Some(k) = map.next_key::<String>()? {
            members.push((k, map.next_value_seed(self)?));
        }
        // A name given twice keeps its first place and its last value, as inserting does.
        Ok(Value::Object(members.into_iter().collect::<Map<_, _>>()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_as_serde_json_does() {
        for text in [
            r#"{"b":1,"a":[1,2.5,-3,"x",null,true,{"z":{}}],"c":"\u00e9\n","b":2}"#,
            r#"[]"#,
            r#"  {"n": 18446744073709551615, "m": -9223372036854775808, "f": 1e308}  "#,
            r#""text""#,
            r#"0.1"#,
            r#"{"deep":[[[[{"k":[{"k":[]}]}]]]]}"#,
        ] {
            let ours = parse(text).unwrap();
            let theirs: Value = serde_json::from_str(text).unwrap();
            assert_eq!(ours, theirs, "{text}");
            // Same members in the same order.
            assert_eq!(ours.to_string(), theirs.to_string(), "{text}");
        }
    }

    #[test]
    fn refuses_what_serde_json_refuses() {
        let deep = "[".repeat(200) + &"]".repeat(200);
        for text in [
            "",
            "{",
            r#"{"a":1} x"#,
            "[1,]",
            "nul",
            "{'a':1}",
            deep.as_str(),
        ] {
            assert_eq!(
                parse(text).is_some(),
                serde_json::from_str::<Value>(text).is_ok(),
                "{text}"
            );
        }
    }
}
