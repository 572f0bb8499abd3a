//! The rules of an Arazzo document that its structure cannot state: unique names and ids,
//! references that resolve (steps, workflows, sources, components), runtime expressions that
//! parse, criteria that can be evaluated, and parameters that say where they go.
//!
//! References into the API descriptions themselves (does `operationId` exist?) are checked
//! when the sources are loaded, by the planner.

mod expressions;

use std::collections::HashSet;

use serde_json::Value;

use super::expr;
use super::model::*;
use crate::diag::{Diagnostic, did_you_mean};
use crate::pointer;
use crate::yaml::Document;

/// Every rule problem of a structurally sound document.
pub fn problems(doc: &Document, a: &Arazzo) -> Vec<Diagnostic> {
    let mut c = Checker {
        doc,
        a,
        out: Vec::new(),
    };
    c.run();
    c.out
}

struct Checker<'a> {
    doc: &'a Document,
    a: &'a Arazzo,
    out: Vec<Diagnostic>,
}

impl Checker<'_> {
    fn problem(&mut self, at: &str, message: impl Into<String>) {
        let d = self.doc.diag(at, message);
        self.out.push(d);
    }

    fn problem_with(&mut self, at: &str, message: String, near: Option<String>) {
        let mut d = self.doc.diag(at, message);
        if let Some(s) = near {
            d = d.with_help(format!("did you mean `{s}`?"));
        }
        self.out.push(d);
    }

    /// True when the object at `at` has the field, valid or not.
    fn given(&self, at: &str, field: &str) -> bool {
        self.doc.value.pointer(&pointer::join(at, field)).is_some()
    }

    fn run(&mut self) {
        let a = self.a;
        unique(
            self,
            a.sources
                .iter()
                .map(|s| (s.name.as_str(), format!("{}/name", s.at))),
            "source description name",
        );
        unique(
            self,
            a.workflows
                .iter()
                .map(|w| (w.id.as_str(), format!("{}/workflowId", w.at))),
            "workflowId",
        );
        for w in &a.workflows {
            self.workflow(w);
        }
        let c = &a.components;
        for p in c.parameters.values() {
            self.value(&p.value, &format!("{}/value", p.at), None);
        }
        for s in c.success_actions.values() {
            self.success_action(s, None);
        }
        for f in c.failure_actions.values() {
            self.failure_action(f, None);
        }
    }

    fn workflow(&mut self, w: &Workflow) {
        unique(
            self,
            w.steps
                .iter()
                .map(|s| (s.id.as_str(), format!("{}/stepId", s.at))),
            &format!("stepId in workflow `{}`", w.id),
        );
        self.depends_on(&w.depends_on, &w.at);
        for d in &w.depends_on {
            self.workflow_ref(&d.name, &d.at);
        }
        if let Some(inputs) = &w.inputs {
            self.input_refs(inputs, &format!("{}/inputs", w.at));
        }
        self.parameters(&w.parameters, Some(w), false);
        for s in &w.success_actions {
            self.reusable_success(s, Some(w));
        }
        for f in &w.failure_actions {
            self.reusable_failure(f, Some(w));
        }
        self.outputs(&w.outputs, &w.at, Some(w));
        for s in &w.steps {
            self.step(s, w);
        }
    }

    fn step(&mut self, s: &Step, w: &Workflow) {
        let runs_workflow = matches!(s.target, Target::Workflow(_));
        match &s.target {
            Target::OperationId(id) => {
                if let Some(rest) = id.strip_prefix("$sourceDescriptions.") {
                    self.source_ref(
                        rest,
                        &format!("{}/operationId", s.at),
                        &[SourceKind::OpenApi, SourceKind::AsyncApi],
                    );
                }
            }
            Target::OperationPath(p) => {
                let at = format!("{}/operationPath", s.at);
                match operation_path(p) {
                    Ok((source, _)) => {
                        self.source_ref(&format!("{source}.url"), &at, &[SourceKind::OpenApi])
                    }
                    Err(e) => self.problem(&at, e),
                }
            }
            Target::ChannelPath(_) => {
                if s.action.is_none() {
                    self.problem(
                        &s.at,
                        "a step with a `channelPath` says its `action` (send or receive)",
                    );
                }
            }
            Target::Workflow(id) => self.workflow_ref(id, &format!("{}/workflowId", s.at)),
        }
        if runs_workflow {
            for key in ["action", "correlationId"] {
                if self.given(&s.at, key) {
                    self.problem(
                        &pointer::join(&s.at, key),
                        format!("`{key}` is for AsyncAPI steps, not a step that runs a workflow"),
                    );
                }
            }
        }
        if s.correlation_id.is_some() && s.action.as_deref() != Some("receive") {
            self.problem(
                &pointer::join(&s.at, "correlationId"),
                "`correlationId` is for steps whose `action` is `receive`",
            );
        }
        self.parameters(&s.parameters, Some(w), !runs_workflow);
        if let Some(b) = &s.request_body {
            if let Some(p) = &b.payload {
                self.value(p, &format!("{}/payload", b.at), Some(w));
            }
            for r in &b.replacements {
                self.value(&r.value, &format!("{}/value", r.at), Some(w));
                if let Some(t) = &r.target_type
                    && !["jsonpath", "xpath", "jsonpointer"].contains(&t.as_str())
                {
                    self.problem(
                        &format!("{}/targetSelectorType", r.at),
                        format!(
                            "`targetSelectorType` is jsonpath, xpath or jsonpointer, not `{t}`"
                        ),
                    );
                }
                if r.target_type.is_none() && !r.target.is_empty() && !r.target.starts_with('/') {
                    self.problem(&format!("{}/target", r.at), format!("`{}` is not a JSON Pointer: it must start with `/` (or give `targetSelectorType`)", r.target));
                }
            }
        }
        for c in &s.success_criteria {
            self.criterion(c, Some(w));
        }
        for a in &s.on_success {
            self.reusable_success(a, Some(w));
        }
        for a in &s.on_failure {
            self.reusable_failure(a, Some(w));
        }
        self.outputs(&s.outputs, &s.at, Some(w));
        self.depends_on(&s.depends_on, &s.at);
        for d in &s.depends_on {
            if d.name.starts_with('$') {
                match expr::parse(&d.name) {
                    Ok(e) => self.expr(&e, &d.at, Some(w)),
                    Err(e) => self.problem(&d.at, e.message),
                }
            } else if w.step_index(&d.name).is_none() {
                let near = did_you_mean(&d.name, w.steps.iter().map(|s| s.id.as_str()));
                self.problem_with(
                    &d.at,
                    format!("workflow `{}` has no step `{}`", w.id, d.name),
                    near,
                );
            }
        }
    }

    /// A `dependsOn` list, when given, names something and names it once.
    fn depends_on(&mut self, list: &[Named], at: &str) {
        if list.is_empty() && self.given(at, "dependsOn") {
            self.problem(
                &pointer::join(at, "dependsOn"),
                "`dependsOn`, when given, names at least one dependency",
            );
        }
        unique(
            self,
            list.iter().map(|d| (d.name.as_str(), d.at.clone())),
            "dependency",
        );
    }

    /// Parameters: references resolve, values parse, and those sent to an operation say where.
    fn parameters(&mut self, ps: &[Reusable<Parameter>], w: Option<&Workflow>, need_in: bool) {
        let mut seen = HashSet::new();
        for p in ps {
            let (name, location, at) = match p {
                Reusable::Inline(p) => {
                    self.value(&p.value, &format!("{}/value", p.at), w);
                    if need_in && p.location.is_none() && !self.given(&p.at, "in") {
                        self.problem(&p.at, format!("parameter `{}` needs `in` (path, query, header or cookie): it goes to an operation", p.name));
                    }
                    (p.name.clone(), p.location, p.at.clone())
                }
                Reusable::Reference(r) => {
                    if let Some(v) = &r.value {
                        self.value(v, &format!("{}/value", r.at), w);
                    }
                    match self.component(r, "parameters") {
                        Some(()) => {
                            let c = &self.a.components.parameters[&r.name];
                            (c.name.clone(), c.location, r.at.clone())
                        }
                        None => continue,
                    }
                }
            };
            if !seen.insert((name.clone(), location)) {
                let place = location
                    .map(|l| format!(" in {}", l.as_str()))
                    .unwrap_or_default();
                self.problem(&at, format!("parameter `{name}`{place} is given twice"));
            }
        }
    }

    /// A reference names a component of the right kind; `Some(())` when it resolves.
    fn component(&mut self, r: &Reference, kind: &str) -> Option<()> {
        let at = format!("{}/reference", r.at);
        if r.kind != kind {
            self.problem(
                &at,
                format!(
                    "a reference here names a component of `{kind}`, not `{}`",
                    r.kind
                ),
            );
            return None;
        }
        let c = &self.a.components;
        let names: Vec<&str> = match kind {
            "parameters" => c.parameters.keys().map(String::as_str).collect(),
            "successActions" => c.success_actions.keys().map(String::as_str).collect(),
            _ => c.failure_actions.keys().map(String::as_str).collect(),
        };
        if names.contains(&r.name.as_str()) {
            return Some(());
        }
        let near = did_you_mean(&r.name, names.iter().copied());
        self.problem_with(
            &at,
            format!("`components.{kind}` has no `{}`", r.name),
            near,
        );
        None
    }

    fn reusable_success(&mut self, a: &Reusable<SuccessAction>, w: Option<&Workflow>) {
        match a {
            Reusable::Inline(a) => self.success_action(a, w),
            Reusable::Reference(r) => {
                self.component(r, "successActions");
            }
        }
    }

    fn reusable_failure(&mut self, a: &Reusable<FailureAction>, w: Option<&Workflow>) {
        match a {
            Reusable::Inline(a) => self.failure_action(a, w),
            Reusable::Reference(r) => {
                self.component(r, "failureActions");
            }
        }
    }

    fn success_action(&mut self, a: &SuccessAction, w: Option<&Workflow>) {
        self.label(a.goto.as_ref(), &a.at, w);
        self.parameters(&a.parameters, w, false);
        for c in &a.criteria {
            self.criterion(c, w);
        }
    }

    fn failure_action(&mut self, a: &FailureAction, w: Option<&Workflow>) {
        self.label(a.goto.as_ref(), &a.at, w);
        self.parameters(&a.parameters, w, false);
        for c in &a.criteria {
            self.criterion(c, w);
        }
    }

    /// A goto's step must be in the workflow (unknown for component actions until used).
    fn label(&mut self, l: Option<&Label>, at: &str, w: Option<&Workflow>) {
        match (l, w) {
            (Some(Label::Step(s)), Some(w)) if w.step_index(s).is_none() => {
                let near = did_you_mean(s, w.steps.iter().map(|x| x.id.as_str()));
                self.problem_with(
                    &format!("{at}/stepId"),
                    format!("workflow `{}` has no step `{s}`", w.id),
                    near,
                );
            }
            (Some(Label::Workflow(id)), _) => self.workflow_ref(id, &format!("{at}/workflowId")),
            _ => {}
        }
    }

    /// A workflow id of this document, or `$sourceDescriptions.<arazzo source>.<id>`.
    fn workflow_ref(&mut self, id: &str, at: &str) {
        if let Some(rest) = id.strip_prefix("$sourceDescriptions.") {
            self.source_ref(rest, at, &[SourceKind::Arazzo]);
            return;
        }
        if self.a.workflow(id).is_none() {
            let near = did_you_mean(id, self.a.workflows.iter().map(|w| w.id.as_str()));
            self.problem_with(
                at,
                format!("there is no workflow `{id}` in this document"),
                near,
            );
        }
    }

    /// `<source>.<reference>`: the source exists and is of an allowed kind.
    fn source_ref(&mut self, rest: &str, at: &str, kinds: &[SourceKind]) {
        let Some((name, reference)) = rest.split_once('.').filter(|(_, r)| !r.is_empty()) else {
            self.problem(
                at,
                format!(
                    "write `$sourceDescriptions.<name>.<id>`, not `$sourceDescriptions.{rest}`"
                ),
            );
            return;
        };
        match self.a.source(name) {
            None => {
                let near = did_you_mean(name, self.a.sources.iter().map(|s| s.name.as_str()));
                self.problem_with(at, format!("there is no source description `{name}`"), near);
            }
            Some(s) if !kinds.contains(&s.kind) => {
                self.problem(at, format!("source `{name}` is of type {}, so `{reference}` cannot be looked up in it here", s.kind.as_str()));
            }
            Some(_) => {}
        }
    }

    /// `$ref`s of an input schema into `#/components/inputs/…` resolve.
    fn input_refs(&mut self, v: &Value, at: &str) {
        match v {
            Value::Object(m) => {
                for (k, x) in m {
                    let here = pointer::join(at, k);
                    if k == "$ref"
                        && let Some(r) = x.as_str()
                        && let Some(name) = r.strip_prefix("#/components/inputs/")
                        && !self.a.components.inputs.contains_key(name)
                    {
                        let near =
                            did_you_mean(name, self.a.components.inputs.keys().map(String::as_str));
                        self.problem_with(
                            &here,
                            format!("`components.inputs` has no `{name}`"),
                            near,
                        );
                    }
                    self.input_refs(x, &here);
                }
            }
            Value::Array(items) => {
                for (i, x) in items.iter().enumerate() {
                    self.input_refs(x, &pointer::join(at, &i.to_string()));
                }
            }
            _ => {}
        }
    }
}

/// The source name and the JSON Pointer of an `operationPath`:
/// `{$sourceDescriptions.<name>.url}#/paths/…` as the specification writes it, and the
/// forms without braces or without `.url` that published documents also use.
pub fn operation_path(text: &str) -> Result<(String, String), String> {
    let usage = || {
        format!(
            "`{text}` is not an operation path: write `{{$sourceDescriptions.<name>.url}}#/paths/<path>/<method>`"
        )
    };
    let (head, pointer) = text.split_once('#').ok_or_else(usage)?;
    let head = head
        .strip_prefix('{')
        .and_then(|h| h.strip_suffix('}'))
        .unwrap_or(head);
    let name = head
        .strip_prefix("$sourceDescriptions.")
        .map(|n| n.strip_suffix(".url").unwrap_or(n))
        .filter(|n| !n.is_empty() && !n.contains('.'))
        .ok_or_else(usage)?;
    if !pointer.starts_with('/') {
        return Err(usage());
    }
    Ok((name.to_owned(), pointer.to_owned()))
}

/// Reports every repeat of a name after its first use.
fn unique<'n>(c: &mut Checker<'_>, names: impl Iterator<Item = (&'n str, String)>, what: &str) {
    let mut seen: HashSet<&str> = HashSet::new();
    for (name, at) in names {
        if !name.is_empty() && !seen.insert(name) {
            c.problem(&at, format!("duplicate {what} `{name}`"));
        }
    }
}
