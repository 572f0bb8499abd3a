//! JSON Pointers (RFC 6901), plus the `*` wildcard that suites use to assert on every element
//! of an array (`/data/accounts/*/productCategory`).

use serde_json::Value;

/// Escapes one reference token (`~` to `~0`, `/` to `~1`).
pub fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Splits a pointer into unescaped tokens; `None` if it is not a pointer (must be "" or start with "/").
pub fn tokens(pointer: &str) -> Option<Vec<String>> {
    if pointer.is_empty() {
        return Some(Vec::new());
    }
    let rest = pointer.strip_prefix('/')?;
    Some(
        rest.split('/')
            .map(|t| t.replace("~1", "/").replace("~0", "~"))
            .collect(),
    )
}

/// The value at a pointer (no wildcards), as `Value::pointer` finds it, without copying the
/// tokens that hold nothing to unescape: for readers on every exchange.
pub fn get<'a>(root: &'a Value, pointer: &str) -> Option<&'a Value> {
    if pointer.is_empty() {
        return Some(root);
    }
    pointer
        .strip_prefix('/')?
        .split('/')
        .try_fold(root, |v, token| {
            let token = unescaped(token);
            match v {
                Value::Object(m) => m.get(token.as_ref()),
                Value::Array(a) => index(&token).and_then(|i| a.get(i)),
                _ => None,
            }
        })
}

/// One reference token with `~1` and `~0` undone, copied only when it holds an escape.
fn unescaped(token: &str) -> std::borrow::Cow<'_, str> {
    if token.contains('~') {
        token.replace("~1", "/").replace("~0", "~").into()
    } else {
        token.into()
    }
}

/// An array index token: decimal digits without a leading zero (RFC 6901).
fn index(token: &str) -> Option<usize> {
    if token.starts_with('+') || (token.starts_with('0') && token.len() != 1) {
        return None;
    }
    token.parse().ok()
}

/// Joins a parent pointer and one token.
pub fn join(parent: &str, token: &str) -> String {
    format!("{parent}/{}", escape(token))
}

/// One value found by [`select`]: the concrete pointer it sits at and the value, if present.
#[derive(Debug, Clone, PartialEq)]
pub struct Selected<'a> {
    pub pointer: String,
    pub value: Option<&'a Value>,
}

/// Resolves a pointer that may contain `*` tokens. Each `*` expands to every index of an array
/// (or every member of an object). A path that ends early yields one entry with `value: None`
/// at the deepest concrete pointer reached, so callers can say exactly what is missing.
pub fn select<'a>(root: &'a Value, pointer: &str) -> Vec<Selected<'a>> {
    let Some(toks) = tokens(pointer) else {
        return vec![Selected {
            pointer: pointer.to_owned(),
            value: None,
        }];
    };
    let mut out = Vec::new();
    walk(root, String::new(), &toks, &mut out);
    out
}

/// The values [`select`] finds, in its order, without writing out the pointers they sit at:
/// for readers that want only values, on every exchange.
pub fn values<'a>(root: &'a Value, pointer: &str) -> Vec<&'a Value> {
    let mut out = Vec::new();
    match pointer.strip_prefix('/') {
        Some(rest) => gather(root, rest, &mut out),
        None if pointer.is_empty() => out.push(root),
        None => {}
    }
    out
}

/// Collects what the tokens of `rest` (a pointer less its first `/`) reach from `v`.
fn gather<'a>(v: &'a Value, rest: &str, out: &mut Vec<&'a Value>) {
    let (head, tail) = match rest.split_once('/') {
        Some((head, tail)) => (head, Some(tail)),
        None => (rest, None),
    };
    let mut next = |item: &'a Value| match tail {
        Some(tail) => gather(item, tail, out),
        None => out.push(item),
    };
    if head == "*" {
        match v {
            Value::Array(items) => items.iter().for_each(next),
            Value::Object(map) => map.values().for_each(next),
            _ => {}
        }
        return;
    }
    let head = unescaped(head);
    let found = match v {
        Value::Object(map) => map.get(head.as_ref()),
        Value::Array(items) => head.parse::<usize>().ok().and_then(|i| items.get(i)),
        _ => None,
    };
    if let Some(item) = found {
        next(item);
    }
}

fn walk<'a>(v: &'a Value, at: String, toks: &[String], out: &mut Vec<Selected<'a>>) {
    let Some((head, rest)) = toks.split_first() else {
        out.push(Selected {
            pointer: at,
            value: Some(v),
        });
        return;
    };
    if head == "*" {
        match v {
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    walk(item, join(&at, &i.to_string()), rest, out);
                }
            }
            Value::Object(map) => {
                for (k, item) in map {
                    walk(item, join(&at, k), rest, out);
                }
            }
            _ => out.push(Selected {
                pointer: join(&at, head),
                value: None,
            }),
        }
        return;
    }
    let next = match v {
        Value::Object(map) => map.get(head.as_str()),
        Value::Array(items) => head.parse::<usize>().ok().and_then(|i| items.get(i)),
        _ => None,
    };
    let here = join(&at, head);
    match next {
        Some(n) => walk(n, here, rest, out),
        None => {
            let full = rest.iter().fold(here, |p, t| join(&p, t));
            out.push(Selected {
                pointer: full,
                value: None,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn get_finds_what_value_pointer_finds() {
        let doc = json!({"a/b": {"m~n": [10, {"x": null}]}, "": 1, "l": [0, 1]});
        for p in [
            "",
            "/",
            "/a~1b",
            "/a~1b/m~0n",
            "/a~1b/m~0n/0",
            "/a~1b/m~0n/1/x",
            "/a~1b/m~0n/01",
            "/a~1b/m~0n/+1",
            "/a~1b/m~0n/2",
            "/l/1",
            "/l/-",
            "/missing/deeper",
            "nope",
            "/a/b",
        ] {
            assert_eq!(get(&doc, p), doc.pointer(p), "{p}");
        }
    }

    #[test]
    fn escapes_round_trip() {
        let p = join("", "a/b~c");
        assert_eq!(p, "/a~1b~0c");
        assert_eq!(tokens(&p).unwrap(), vec!["a/b~c".to_string()]);
    }

    #[test]
    fn values_are_the_values_select_finds() {
        let v = json!({"data": {"accounts": [{"c": "A"}, {"d": 1}, {"c": "B"}], "a/b~": {"c": 2}}, "x": 3});
        for p in [
            "",
            "/x",
            "/data/accounts/*/c",
            "/data/*/c",
            "/data/accounts/1/d",
            "/data/a~1b~0/c",
            "/errors/*/code",
            "/x/y",
            "/data/accounts/9",
            "nope",
        ] {
            let selected: Vec<&Value> = select(&v, p).into_iter().filter_map(|s| s.value).collect();
            assert_eq!(values(&v, p), selected, "{p}");
        }
    }

    #[test]
    fn selects_plain_and_wildcard() {
        let v = json!({"data": {"accounts": [{"c": "A"}, {"d": 1}]}});
        let got = select(&v, "/data/accounts/*/c");
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].value, Some(&json!("A")));
        assert_eq!(got[1].pointer, "/data/accounts/1/c");
        assert_eq!(got[1].value, None);
        let missing = select(&v, "/meta/totalRecords");
        assert_eq!(
            missing,
            vec![Selected {
                pointer: "/meta/totalRecords".into(),
                value: None
            }]
        );
    }

    #[test]
    fn wildcard_over_empty_array_selects_nothing() {
        let v = json!({"items": []});
        assert!(select(&v, "/items/*/id").is_empty());
    }

    #[test]
    fn rejects_non_pointer() {
        assert_eq!(select(&json!({}), "data")[0].value, None);
    }
}
