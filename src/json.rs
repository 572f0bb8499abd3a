//! Response bodies parsed into `serde_json` values, as `serde_json::from_str` parses them, but
//! with each object's members and each array's items gathered first on one stack shared by
//! the whole parse, and each map or vector made at its final size from there: a body of many
//! records parses without growing and rehashing every record's map member by member, and
//! without a vector of its own for each object's members.

use std::cell::RefCell;
use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

/// The text parsed as one JSON value; `None` when it is not JSON (trailing text included).
pub fn parse(text: &str) -> Option<Value> {
    let stack = Stack::default();
    let mut de = serde_json::Deserializer::from_str(text);
    let value = Gathered(&stack).deserialize(&mut de).ok()?;
    de.end().ok()?;
    Some(value)
}

/// Members and items read but not yet placed in their object or array, innermost last.
#[derive(Default)]
struct Stack {
    members: RefCell<Vec<(String, Value)>>,
    items: RefCell<Vec<Value>>,
}

/// Reads one value, and every value inside it the same way.
#[derive(Clone, Copy)]
struct Gathered<'s>(&'s Stack);

impl<'de> DeserializeSeed<'de> for Gathered<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Gathered<'_> {
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
        let items = &self.0.items;
        let base = items.borrow().len();
        // The stack is never borrowed across reading a value, which reads nested ones.
        while let Some(v) = seq.next_element_seed(self)? {
            items.borrow_mut().push(v);
        }
        let array: Vec<Value> = items.borrow_mut().drain(base..).collect();
        Ok(Value::Array(array))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let members = &self.0.members;
        let base = members.borrow().len();
        while let Some(k) = map.next_key::<String>()? {
            let v = map.next_value_seed(self)?;
            members.borrow_mut().push((k, v));
        }
        // A name given twice keeps its first place and its last value, as inserting does.
        let object: Map<String, Value> = members.borrow_mut().drain(base..).collect();
        Ok(Value::Object(object))
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
