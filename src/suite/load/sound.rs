//! The parts of a suite document the schema found nothing wrong with: which cases and
//! top-level keys are kept, the document with the broken parts left out, and the way back from
//! a pointer into that sound value to the document.

use std::collections::HashSet;

use serde_json::Value;

use crate::pointer;

/// The parts of a suite document the schema found nothing wrong with.
pub(super) struct Sound {
    /// The document positions of the cases kept, in order.
    pub(super) cases: Vec<usize>,
    /// Top-level keys left out because something in them is broken.
    pub(super) dropped: Vec<String>,
    /// False when `api` or `spec` is missing or broken: nothing can be checked against the
    /// spec, and placeholders stand in for them.
    pub(super) api_and_spec: bool,
    /// False when the top level itself is unusable (not a mapping).
    pub(super) usable: bool,
}

impl Sound {
    pub(super) fn of<'a>(value: &Value, broken: impl Iterator<Item = &'a str>) -> Sound {
        let Some(top) = value.as_object() else {
            return Sound {
                cases: Vec::new(),
                dropped: Vec::new(),
                api_and_spec: false,
                usable: false,
            };
        };
        let mut bad_cases = HashSet::new();
        let mut dropped: Vec<String> = Vec::new();
        let mut root = false;
        for at in broken {
            let tokens = pointer::tokens(at).unwrap_or_default();
            match tokens.as_slice() {
                [] => root = true,
                [key, i, ..] if key == "cases" && i.parse::<usize>().is_ok() => {
                    bad_cases.insert(i.parse::<usize>().unwrap_or_default());
                }
                [key, ..] => {
                    if !dropped.contains(key) {
                        dropped.push(key.clone());
                    }
                }
            }
        }
        let count = top
            .get("cases")
            .and_then(Value::as_array)
            .map_or(0, Vec::len);
        let has = |k: &str| top.get(k).is_some() && !dropped.iter().any(|d| d == k);
        Sound {
            cases: (0..count).filter(|i| !bad_cases.contains(i)).collect(),
            api_and_spec: !root && has("api") && has("spec"),
            dropped,
            usable: true,
        }
    }

    /// The document with the broken parts left out, placeholders for a broken `api` or `spec`.
    pub(super) fn value(&self, value: &Value) -> Option<Value> {
        if !self.usable {
            return None;
        }
        let mut out = value.clone();
        let top = out.as_object_mut()?;
        for key in &self.dropped {
            top.remove(key);
        }
        for key in ["api", "spec"] {
            top.entry(key).or_insert_with(|| Value::String("-".into()));
        }
        if let Some(Value::Array(cases)) = top.get_mut("cases") {
            let kept: Vec<Value> = self.cases.iter().map(|i| cases[*i].clone()).collect();
            *cases = kept;
        }
        Some(out)
    }

    /// The pointer into the document of a pointer into the sound value.
    pub(super) fn in_document(&self, ptr: &str) -> String {
        let tokens = pointer::tokens(ptr).unwrap_or_default();
        if let [key, i, rest @ ..] = tokens.as_slice()
            && key == "cases"
            && let Some(ci) = i.parse::<usize>().ok().and_then(|i| self.cases.get(i))
        {
            let mut out = format!("/cases/{ci}");
            for t in rest {
                out = pointer::join(&out, t);
            }
            return out;
        }
        ptr.to_owned()
    }

    /// True when a top-level key was left out as broken.
    pub(super) fn lost(&self, key: &str) -> bool {
        self.dropped.iter().any(|d| d == key)
    }
}
