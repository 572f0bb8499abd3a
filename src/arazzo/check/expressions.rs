//! The runtime expressions of a document: outputs, criteria and every string value that holds
//! an expression must parse, and name steps, workflows, inputs and outputs that exist where
//! the expression is evaluated.

use serde_json::Value;

use super::Checker;
use crate::arazzo::criterion;
use crate::arazzo::expr::{self, Expr, Text};
use crate::arazzo::model::*;
use crate::diag::did_you_mean;
use crate::pointer;

impl Checker<'_> {
    /// Outputs are expressions (or 1.1 selector objects).
    pub(super) fn outputs(
        &mut self,
        outputs: &indexmap::IndexMap<String, Value>,
        at: &str,
        w: Option<&Workflow>,
    ) {
        for (name, v) in outputs {
            let here = pointer::join(&pointer::join(at, "outputs"), name);
            match v {
                Value::String(s) => match expr::parse(s) {
                    Ok(e) => self.expr(&e, &here, w),
                    Err(e) => self.problem(&here, format!("output `{name}`: {}", e.message)),
                },
                Value::Object(_) if crate::arazzo::eval::Selector::of(v, self.a).is_some() => {
                    self.value(v, &here, w);
                }
                _ => self.problem(
                    &here,
                    format!(
                        "output `{name}` must be a runtime expression such as `$response.body#/id`"
                    ),
                ),
            }
        }
    }

    pub(super) fn criterion(&mut self, c: &Criterion, w: Option<&Workflow>) {
        for (field, message) in criterion::check(c) {
            self.problem(&format!("{}/{field}", c.at), message);
        }
        for e in criterion::expressions(c) {
            self.expr(&e, &format!("{}/condition", c.at), w);
        }
    }

    /// Every string inside a value: expressions and templates parse and resolve.
    pub(super) fn value(&mut self, v: &Value, at: &str, w: Option<&Workflow>) {
        match v {
            Value::String(s) => match expr::classify(s) {
                Ok(Text::Expr(e)) => self.expr(&e, at, w),
                Ok(Text::Template(t)) => {
                    for e in t.expressions() {
                        self.expr(e, at, w);
                    }
                }
                Ok(Text::Literal) => {}
                Err(e) => self.problem(at, e.message),
            },
            Value::Object(m) => {
                if let Some(sel) = crate::arazzo::eval::Selector::of(v, self.a) {
                    match expr::parse(sel.context) {
                        Ok(e) => self.expr(&e, &pointer::join(at, "context"), w),
                        Err(e) => self.problem(&pointer::join(at, "context"), e.message),
                    }
                    return;
                }
                for (k, x) in m {
                    self.value(x, &pointer::join(at, k), w);
                }
            }
            Value::Array(items) => {
                for (i, x) in items.iter().enumerate() {
                    self.value(x, &pointer::join(at, &i.to_string()), w);
                }
            }
            _ => {}
        }
    }

    /// The names an expression uses exist: steps of its workflow, workflows, sources,
    /// components.
    pub(super) fn expr(&mut self, e: &Expr, at: &str, w: Option<&Workflow>) {
        match e {
            Expr::Steps { step, .. } => {
                if let Some(w) = w
                    && w.step_index(step).is_none()
                {
                    let near = did_you_mean(step, w.steps.iter().map(|s| s.id.as_str()));
                    self.problem_with(
                        at,
                        format!("`{e}`: workflow `{}` has no step `{step}`", w.id),
                        near,
                    );
                }
            }
            Expr::Workflows { workflow, .. } | Expr::WorkflowStep { workflow, .. } => {
                match self.a.workflow(workflow) {
                    None => {
                        let near =
                            did_you_mean(workflow, self.a.workflows.iter().map(|w| w.id.as_str()));
                        self.problem_with(
                            at,
                            format!("`{e}`: there is no workflow `{workflow}`"),
                            near,
                        );
                    }
                    Some(other) => {
                        if let Expr::WorkflowStep { step, .. } = e
                            && other.step_index(step).is_none()
                        {
                            self.problem(
                                at,
                                format!("`{e}`: workflow `{workflow}` has no step `{step}`"),
                            );
                        }
                    }
                }
            }
            Expr::SourceDescriptions { source, .. } if self.a.source(source).is_none() => {
                let near = did_you_mean(source, self.a.sources.iter().map(|s| s.name.as_str()));
                self.problem_with(
                    at,
                    format!("`{e}`: there is no source description `{source}`"),
                    near,
                );
            }
            Expr::Components { kind, name } => {
                let c = &self.a.components;
                let found = match kind.as_str() {
                    "parameters" => c.parameters.contains_key(name),
                    "successActions" => c.success_actions.contains_key(name),
                    "failureActions" => c.failure_actions.contains_key(name),
                    _ => c.inputs.contains_key(name),
                };
                if !found {
                    self.problem(at, format!("`{e}`: `components.{kind}` has no `{name}`"));
                }
            }
            _ => {}
        }
    }
}
