//! `expect-body`: values at JSON Pointers of the response body exist, are absent, equal a value,
//! are one of a set, match a pattern, have a type, a length or bounds. A `*` token applies the
//! assertion to every element of an array. A body that is not JSON has one value, its text, at
//! the whole-body pointer `""` (a status service answering `OK`); any other pointer into it is a
//! finding.

use serde_json::Value;

use super::{Check, Output, StepContext, brief};
use crate::finding::{Finding, Where};
use crate::pointer;
use crate::suite::BodyAssert;
use crate::template;

pub struct ExpectBody;

impl Check for ExpectBody {
    fn id(&self) -> &'static str {
        "expect-body"
    }
    fn summary(&self) -> &'static str {
        "Body values at JSON Pointers are as the step expects"
    }
    fn rule(&self) -> &'static str {
        "The case's requirements"
    }
    fn automatic(&self) -> bool {
        false
    }
    fn run(&self, cx: &StepContext<'_>, out: &mut Output) {
        if cx.expect.body.is_empty() {
            return;
        }
        let text;
        let json = match &cx.response.json {
            Some(json) => json,
            None if cx.expect.body.keys().all(String::is_empty) => {
                text = Value::String(cx.response.body.clone());
                &text
            }
            None => {
                out.findings.push(
                    Finding::new(
                        self.id(),
                        cx.step,
                        Where::body(""),
                        "the body is not JSON, so its values cannot be checked",
                    )
                    .actual(cx.response.body.chars().take(120).collect::<String>())
                    .rule(cx.rule().unwrap_or_default())
                    .suite_location(cx.suite_location("/body")),
                );
                return;
            }
        };
        for (ptr, a) in &cx.expect.body {
            // Looked up only for a finding: most assertions hold.
            let loc = || cx.suite_location(&format!("/body/{}", pointer::escape(ptr)));
            for sel in pointer::select(json, ptr) {
                for (msg, expected, actual) in judge(a, sel.value, cx) {
                    let mut f = Finding::new(self.id(), cx.step, Where::body(&sel.pointer), msg)
                        .rule(cx.rule().unwrap_or_default())
                        .suite_location(loc());
                    f.expected = expected;
                    f.actual = actual;
                    out.findings.push(f);
                }
            }
        }
    }
}

type Problem = (String, Option<String>, Option<String>);

fn judge(a: &BodyAssert, value: Option<&Value>, cx: &StepContext<'_>) -> Vec<Problem> {
    let mut p = Vec::new();
    let Some(v) = value else {
        let wants_value = a.exists == Some(true)
            || a.equals.is_some()
            || a.not_equals.is_some()
            || a.one_of.is_some()
            || a.matches.is_some()
            || a.json_type.is_some()
            || a.length.is_some()
            || a.min.is_some()
            || a.max.is_some();
        if wants_value && a.optional != Some(true) && a.absent != Some(true) {
            p.push((
                "value is missing".into(),
                Some("present".into()),
                Some("missing".into()),
            ));
        }
        return p;
    };
    if a.absent == Some(true) {
        p.push((
            "value must be absent".into(),
            Some("absent".into()),
            Some(brief(v)),
        ));
        return p;
    }
    if let Some(want) = &a.equals {
        let want = template::render_value(want, cx.vars).unwrap_or_else(|_| want.clone());
        if !same(v, &want) {
            p.push((
                format!("{} is not {}", brief(v), brief(&want)),
                Some(brief(&want)),
                Some(brief(v)),
            ));
        }
    }
    if let Some(other) = &a.not_equals {
        let other = template::render_value(other, cx.vars).unwrap_or_else(|_| other.clone());
        if same(v, &other) {
            p.push((
                format!("{} must differ from {}", brief(v), brief(&other)),
                Some(format!("not {}", brief(&other))),
                Some(brief(v)),
            ));
        }
    }
    if let Some(set) = &a.one_of {
        let set: Vec<Value> = set
            .iter()
            .map(|s| template::render_value(s, cx.vars).unwrap_or_else(|_| s.clone()))
            .collect();
        if !set.iter().any(|s| same(v, s)) {
            let list = Value::Array(set);
            p.push((
                format!("{} is not one of {}", brief(v), brief(&list)),
                Some(brief(&list)),
                Some(brief(v)),
            ));
        }
    }
    if let Some(pattern) = &a.matches {
        match v.as_str() {
            Some(s) => {
                if let Some(re) = super::whole_match(pattern)
                    && !re.is_match(s)
                {
                    p.push((
                        format!("{} does not match `{pattern}`", brief(v)),
                        Some(format!("matches {pattern}")),
                        Some(brief(v)),
                    ));
                }
            }
            None => p.push((
                format!(
                    "{} is not a string, so it cannot match `{pattern}`",
                    brief(v)
                ),
                Some("a string".into()),
                Some(brief(v)),
            )),
        }
    }
    if let Some(t) = &a.json_type
        && type_name(v, t) != *t
    {
        p.push((
            format!("{} is {}, expected {t}", brief(v), type_name(v, t)),
            Some(t.clone()),
            Some(type_name(v, t).to_owned()),
        ));
    }
    if let Some(len) = &a.length {
        let n = match v {
            Value::Array(x) => Some(x.len() as u64),
            Value::Object(x) => Some(x.len() as u64),
            Value::String(s) => Some(s.chars().count() as u64),
            _ => None,
        };
        let want = match (len.min, len.max) {
            (Some(a), Some(b)) if a == b => format!("{a}"),
            (Some(a), Some(b)) => format!("{a} to {b}"),
            (Some(a), None) => format!("at least {a}"),
            (None, Some(b)) => format!("at most {b}"),
            (None, None) => "any".into(),
        };
        match n {
            Some(n) if len.min.is_none_or(|m| n >= m) && len.max.is_none_or(|m| n <= m) => {}
            Some(n) => p.push((
                format!("length is {n}, expected {want}"),
                Some(want),
                Some(n.to_string()),
            )),
            None => p.push((
                format!("{} has no length", brief(v)),
                Some(format!("length {want}")),
                Some(brief(v)),
            )),
        }
    }
    if a.min.is_some() || a.max.is_some() {
        match v.as_f64() {
            Some(n) => {
                if let Some(m) = a.min.filter(|m| n < *m) {
                    p.push((
                        format!("{n} is below the minimum {m}"),
                        Some(format!(">= {m}")),
                        Some(n.to_string()),
                    ));
                }
                if let Some(m) = a.max.filter(|m| n > *m) {
                    p.push((
                        format!("{n} is above the maximum {m}"),
                        Some(format!("<= {m}")),
                        Some(n.to_string()),
                    ));
                }
            }
            None => p.push((
                format!("{} is not a number", brief(v)),
                Some("a number".into()),
                Some(brief(v)),
            )),
        }
    }
    p
}

/// JSON equality where numbers compare by value (`2` equals `2.0`).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}

fn type_name(v: &Value, wanted: &str) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if wanted == "integer" && (n.is_i64() || n.is_u64()) => "integer",
        Value::Number(n) if wanted == "number" || !(n.is_i64() || n.is_u64()) => "number",
        Value::Number(_) => "integer",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

#[cfg(test)]
mod tests {
    use crate::check::testing::Fixture;

    const BODY: &str = r#"{"data":{"accounts":[{"id":"a","c":"X","n":3},{"id":"b","n":30}]},"meta":{"totalRecords":2}}"#;

    #[test]
    fn wildcard_and_scalar_assertions() {
        let f = Fixture::new(
            "expect:\n  body:\n    /data/accounts/*/id: {type: string, matches: \"[a-z]\"}\n    /data/accounts/*/c: {in: [X, Y], optional: true}\n    /data/accounts: {length: {max: 2}}\n    /meta/totalRecords: {equals: 2.0, min: 0}\n    /links: {absent: true}\n",
        );
        assert_eq!(f.run(200, &[], BODY), Vec::<String>::new());
    }

    #[test]
    fn failures_name_the_element() {
        let f = Fixture::new(
            "expect:\n  body:\n    /data/accounts/*/c: {in: [X]}\n    /data/accounts/*/n: {max: 10}\n    /data/accounts: {length: 1}\n    /meta: {absent: true}\n",
        );
        assert_eq!(
            f.run(200, &[], BODY),
            vec![
                "[expect-body] body /data/accounts/1/c: value is missing",
                "[expect-body] body /data/accounts/1/n: 30 is above the maximum 10",
                "[expect-body] body /data/accounts: length is 2, expected 1",
                "[expect-body] body /meta: value must be absent",
            ]
        );
    }

    #[test]
    fn non_json_body() {
        let f = Fixture::new("expect:\n  body:\n    /a: {exists: true}\n");
        assert_eq!(
            f.run(200, &[], "<html>"),
            vec!["[expect-body] body: the body is not JSON, so its values cannot be checked"]
        );
    }

    #[test]
    fn a_text_body_is_one_value_at_the_whole_body_pointer() {
        let f = Fixture::new("expect:\n  body:\n    \"\": {equals: OK}\n");
        assert!(f.run(200, &[], "OK").is_empty());
        assert_eq!(
            f.run(200, &[], "UP"),
            vec![r#"[expect-body] body: "UP" is not "OK""#]
        );
        assert_eq!(
            f.run(404, &[], ""),
            vec![r#"[expect-body] body: "" is not "OK""#]
        );
    }
}
