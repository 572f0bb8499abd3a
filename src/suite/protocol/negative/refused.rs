//! The inputs a declaration says are refused (`refused`): the level a case breaking an input is
//! judged at and why, the codes its refusal must carry, and the entries that name no input of
//! any probe.

use serde_json::Value;

use super::input::{fill_value, suite_vars};
use super::{Level, Negative, Problem, styled};
use crate::finding::Severity;
use crate::openapi::Spec;
use crate::pointer;
use crate::suite::{OneOrMany, SuiteFile};

impl Negative {
    /// The codes a refusal of a request breaking `input` must carry one of.
    pub(super) fn error_for(&self, input: &str) -> Option<OneOrMany> {
        self.refused
            .iter()
            .find(|r| same_input(&r.input, input))
            .and_then(|r| r.error.clone())
            .or_else(|| self.error.clone())
    }

    /// The level of a case breaking `input` (`query page`, `/IRD`), and why.
    pub(super) fn level(&self, input: &str) -> (Severity, String) {
        if let Some(r) = self.refused.iter().find(|r| same_input(&r.input, input)) {
            return (
                Severity::Error,
                format!(
                    "the sources say the service refuses a broken {input}: {}",
                    r.source
                ),
            );
        }
        let listed = !self.refused.is_empty();
        let fails = match self.level {
            Some(level) => level == Level::Failure,
            None => !listed,
        };
        if fails {
            return (
                Severity::Error,
                format!(
                    "protocol.negative says every broken input is refused: {}",
                    self.requirement
                ),
            );
        }
        let why = if listed {
            "protocol.negative.refused lists the inputs that must be refused"
        } else {
            "protocol.negative is `level: warning`"
        };
        (
            Severity::Warning,
            format!(
                "no source says the service must refuse a broken {input} ({why}), so accepting it is lenient, not broken"
            ),
        )
    }

    /// Every `refused` entry that names no input of a probe: a parameter of its operation or a
    /// member its base body reaches.
    pub(super) fn unknown_refusals(&self, at: &str, file: &SuiteFile, spec: &Spec) -> Vec<Problem> {
        let vars = suite_vars(file);
        let mut known: Vec<String> = Vec::new();
        for probe in &self.probes {
            let op = probe
                .request
                .operation
                .as_deref()
                .and_then(|o| spec.operation(o));
            for p in op.map(|o| o.parameters.as_slice()).unwrap_or_default() {
                known.push(format!("{} {}", styled::place(p.location), p.name));
            }
            if let Some(body) = &probe.request.body {
                pointers(&fill_value(body, &vars), "", &mut known);
            }
            if let Some((_, values)) = probe.request.form_body() {
                let map = values
                    .iter()
                    .map(|(k, v)| (k.clone(), fill_value(v, &vars)));
                pointers(&Value::Object(map.collect()), "", &mut known);
            }
        }
        self.refused
            .iter()
            .enumerate()
            .filter(|(_, r)| !known.iter().any(|k| same_input(&r.input, k)))
            .map(|(i, r)| {
                let mut msg = format!("no probe has an input `{}`", r.input);
                if let Some(s) =
                    crate::diag::did_you_mean(&r.input, known.iter().map(String::as_str))
                {
                    msg.push_str(&format!("; did you mean `{s}`?"));
                }
                (format!("{at}/refused/{i}/input"), msg)
            })
            .collect()
    }
}

/// True when two input names are the same input (header names ignore case).
fn same_input(a: &str, b: &str) -> bool {
    match (a.strip_prefix("header "), b.strip_prefix("header ")) {
        (Some(x), Some(y)) => x.eq_ignore_ascii_case(y),
        _ => a == b,
    }
}

/// The JSON Pointer of every member of `v` below `at`.
fn pointers(v: &Value, at: &str, out: &mut Vec<String>) {
    if let Value::Object(map) = v {
        for (k, child) in map {
            let here = pointer::join(at, k);
            pointers(child, &here, out);
            out.push(here);
        }
    }
}
