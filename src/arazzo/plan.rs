//! Planning an Arazzo document beside suites: its OpenAPI source descriptions resolved to
//! specs accord loads, each step bound to the operation it calls, and the document seen as a
//! suite (one case per workflow, one step per step) so that listing, filtering, partitions,
//! waivers, reports and every check treat it like any other suite.
//!
//! accord's own additions live under `x-accord` keys, which other runners ignore:
//!
//! - on the document: `api` (the short API name, for targets and test names; the first
//!   OpenAPI source's name by default), `errors` (where error responses carry their codes,
//!   as in a suite) and `sources` (a local file for a source whose `url` is remote);
//! - on a workflow: `requirements`, `tags`, `destructive` and `waive`, as on a suite case;
//! - on a step: `expect`, the expectations of a suite step (status, headers, body, error,
//!   snapshot, pagination).
//!
//! The main type is [`Flows`]; [`load`] builds it with its suite.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use indexmap::IndexMap;
use serde_json::Value;

use super::expr::{self, Expr};
use super::model::{Arazzo, SourceKind, Target, Workflow};
use crate::diag::{Diagnostic, did_you_mean};
use crate::openapi::Spec;
use crate::suite::{Case, Defaults, Request, Step, Suite, SuiteFile};

mod extension;
use extension::{DocumentExtension, StepExtension, WorkflowExtension, extension};

/// A planned Arazzo document: the model, its specs, and the operation of every step.
#[derive(Debug)]
pub struct Flows {
    pub doc: Arazzo,
    /// The specs of the OpenAPI source descriptions, by source name.
    pub specs: Vec<(String, Arc<Spec>)>,
    /// Per workflow, per step: the operation it calls, as (index in `specs`, index in that
    /// spec's operations); `None` for a step that runs a workflow or an AsyncAPI operation.
    pub ops: Vec<Vec<Option<(usize, usize)>>>,
    /// Per workflow: the names of its inputs (declared or used), and those it requires.
    pub inputs: Vec<(BTreeSet<String>, BTreeSet<String>)>,
}

impl Flows {
    /// Input names no workflow requires: read from the target's variables when they are
    /// there, never demanded.
    pub fn optional_inputs(&self) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        for (all, required) in &self.inputs {
            out.extend(all.difference(required).cloned());
        }
        out
    }

    /// The operation a step calls.
    pub fn operation(&self, wi: usize, si: usize) -> Option<(&Spec, &crate::openapi::Operation)> {
        let (s, o) = self.ops.get(wi)?.get(si).copied().flatten()?;
        let spec = &self.specs[s].1;
        Some((spec, &spec.operations[o]))
    }
}

/// Loads the spec at a path, or gives the one already loaded from it.
pub type LoadSpec<'a> = dyn FnMut(&Path) -> Result<Arc<Spec>, Vec<Diagnostic>> + 'a;

/// Loads an Arazzo document and the specs it names (through `spec`, which shares loaded
/// specs with the rest of the plan); returns the suite that stands for it and its flows.
pub fn load(path: &Path, spec: &mut LoadSpec<'_>) -> Result<(Suite, Flows), Vec<Diagnostic>> {
    let (doc, a) = super::load::load(path)?;
    let mut out = Vec::new();
    let root: DocumentExtension = extension(&doc, "", &a.extensions, &mut out);
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut specs: Vec<(String, Arc<Spec>)> = Vec::new();
    let mut first_spec: Option<PathBuf> = None;
    for s in a.sources.iter().filter(|s| s.kind == SourceKind::OpenApi) {
        let local = root.sources.get(&s.name).unwrap_or(&s.url);
        if local.contains("://") {
            out.push(
                doc.diag(
                    &format!("{}/url", s.at),
                    format!(
                        "source `{}` is at {local}: accord reads API descriptions from files",
                        s.name
                    ),
                )
                .with_help(format!(
                    "save it beside the document and name the file under `x-accord.sources.{}`",
                    s.name
                )),
            );
            continue;
        }
        let file = dir.join(local.strip_prefix("file://").unwrap_or(local));
        match spec(&file) {
            Ok(loaded) => {
                first_spec.get_or_insert(file);
                specs.push((s.name.clone(), loaded));
            }
            Err(mut d) => {
                if !file.exists() {
                    d = vec![doc.diag(
                        &format!("{}/url", s.at),
                        format!("source `{}`: `{}` not found", s.name, file.display()),
                    )];
                }
                out.append(&mut d);
            }
        }
    }
    for name in root.sources.keys() {
        if a.source(name).is_none() {
            out.push(doc.diag_key(
                &format!("/x-accord/sources/{}", crate::pointer::escape(name)),
                format!("x-accord.sources names `{name}`, which is not a source description"),
            ));
        }
    }
    let api = root
        .api
        .clone()
        .or_else(|| {
            a.sources
                .iter()
                .find(|s| s.kind == SourceKind::OpenApi)
                .map(|s| s.name.clone())
        })
        .unwrap_or_default();
    let mut ops = Vec::new();
    let mut inputs = Vec::new();
    let mut cases = Vec::new();
    for w in &a.workflows {
        let ext: WorkflowExtension = extension(&doc, &w.at, &w.extensions, &mut out);
        for (i, waiver) in ext.waive.iter().enumerate() {
            if !crate::check_ids::is_known(&waiver.check) {
                let mut d = doc.diag(
                    &format!("{}/x-accord/waive/{i}/check", w.at),
                    format!("unknown check `{}`", waiver.check),
                );
                if let Some(s) = did_you_mean(&waiver.check, crate::check_ids::ids()) {
                    d = d.with_help(format!("did you mean `{s}`?"));
                }
                out.push(d);
            }
        }
        let mut steps = Vec::new();
        let mut bound = Vec::new();
        for s in &w.steps {
            let x: StepExtension = extension(&doc, &s.at, &s.extensions, &mut out);
            let op = match bind(&a, &specs, &s.target) {
                Ok(op) => op,
                Err(message) => {
                    let key = match s.target {
                        Target::OperationPath(_) => "operationPath",
                        Target::Workflow(_) => "workflowId",
                        _ => "operationId",
                    };
                    out.push(doc.diag(&format!("{}/{key}", s.at), message));
                    None
                }
            };
            let operation = op.and_then(|(si, oi)| specs[si].1.operations[oi].id.clone());
            let (method, op_path) = match (op, &operation) {
                (Some((si, oi)), None) => {
                    let o = &specs[si].1.operations[oi];
                    (Some(o.method.clone()), Some(o.path.clone()))
                }
                _ => (None, None),
            };
            bound.push(op);
            steps.push(Step {
                name: Some(s.id.clone()),
                skip_if_status: Vec::new(),
                request: Request {
                    operation,
                    method,
                    path: op_path,
                    url: None,
                    path_params: IndexMap::new(),
                    query: IndexMap::new(),
                    headers: IndexMap::new(),
                    body: None,
                    form: None,
                    multipart: None,
                    link: None,
                },
                capture: IndexMap::new(),
                expect: x.expect,
                walk: None,
                origin: Some(format!("{}/x-accord", s.at)),
            });
        }
        ops.push(bound);
        inputs.push(input_names(&a, w));
        cases.push(Case {
            id: w.id.clone(),
            title: w.summary.clone().unwrap_or_else(|| w.id.clone()),
            requirements: ext.requirements,
            tags: ext.tags,
            destructive: ext.destructive,
            waive: ext.waive,
            grade: Vec::new(),
            steps,
            origin: Some(w.at.clone()),
            skip: None,
            excluded: None,
        });
    }
    if specs.is_empty() && out.is_empty() {
        out.push(doc.diag(
            "/sourceDescriptions",
            "no source description of type openapi: accord runs steps against OpenAPI operations",
        ));
    }
    if !out.is_empty() {
        return Err(out);
    }
    let requires: BTreeSet<String> = inputs.iter().flat_map(|(_, r)| r.iter().cloned()).collect();
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name = [
        ".arazzo.yaml",
        ".arazzo.yml",
        ".arazzo.json",
        ".yaml",
        ".yml",
        ".json",
    ]
    .iter()
    .find_map(|ext| name.strip_suffix(ext))
    .unwrap_or(&name)
    .to_owned();
    let spec_path = first_spec.unwrap_or_default();
    let suite = Suite {
        name,
        file: SuiteFile {
            api,
            spec: spec_path.display().to_string(),
            catalogue: None,
            title: Some(a.info.title.clone()),
            description: a.info.description.clone(),
            requires: requires.into_iter().collect(),
            vars: IndexMap::new(),
            var_formats: IndexMap::new(),
            errors: root.errors,
            defaults: Defaults::default(),
            grade: Vec::new(),
            snapshots: None,
            protocol: None,
            cases,
        },
        doc: Arc::new(doc),
        dropped: Vec::new(),
        spec_path,
        catalogue_path: None,
        snapshot_dir: dir.join("snapshots"),
    };
    Ok((
        suite,
        Flows {
            doc: a,
            specs,
            ops,
            inputs,
        },
    ))
}

/// The operation a step's target names, in the loaded specs.
fn bind(
    a: &Arazzo,
    specs: &[(String, Arc<Spec>)],
    target: &Target,
) -> Result<Option<(usize, usize)>, String> {
    let spec_of = |name: &str| specs.iter().position(|(n, _)| n == name);
    match target {
        Target::Workflow(id) if id.starts_with("$sourceDescriptions.") => Err(format!(
            "`{id}`: running workflows of other Arazzo documents is not supported yet"
        )),
        Target::Workflow(_) | Target::ChannelPath(_) => Ok(None),
        Target::OperationId(id) => {
            let (candidates, op_id): (Vec<usize>, &str) = match id
                .strip_prefix("$sourceDescriptions.")
                .and_then(|r| r.split_once('.'))
            {
                Some((source, op)) => match a.source(source).map(|s| s.kind) {
                    Some(SourceKind::AsyncApi) => return Ok(None),
                    _ => (spec_of(source).into_iter().collect(), op),
                },
                None => ((0..specs.len()).collect(), id.as_str()),
            };
            let found: Vec<(usize, usize)> = candidates
                .iter()
                .filter_map(|&si| {
                    let ops = &specs[si].1.operations;
                    ops.iter()
                        .position(|o| o.id.as_deref() == Some(op_id))
                        .map(|oi| (si, oi))
                })
                .collect();
            match found.as_slice() {
                [one] => Ok(Some(*one)),
                [] => {
                    let files: Vec<&str> = candidates
                        .iter()
                        .map(|&i| specs[i].1.file.as_str())
                        .collect();
                    let ids = candidates.iter().flat_map(|&i| {
                        specs[i].1.operations.iter().filter_map(|o| o.id.as_deref())
                    });
                    let mut m = format!("operation `{op_id}` is not in {}", files.join(", "));
                    if let Some(s) = did_you_mean(op_id, ids) {
                        m.push_str(&format!(" (did you mean `{s}`?)"));
                    }
                    Err(m)
                }
                _ => Err(format!(
                    "operation `{op_id}` is in several source descriptions: write `$sourceDescriptions.<name>.{op_id}`"
                )),
            }
        }
        Target::OperationPath(text) => {
            let (source, pointer) = super::check::operation_path(text)?;
            let si = spec_of(&source).ok_or_else(|| {
                format!("source `{source}` is not an OpenAPI description accord loaded")
            })?;
            let ops = &specs[si].1.operations;
            if let Some(oi) = ops
                .iter()
                .position(|o| o.location.ends_with(&format!("#{pointer}")))
            {
                return Ok(Some((si, oi)));
            }
            let item = ops.iter().any(|o| {
                o.location
                    .rsplit_once('/')
                    .is_some_and(|(item, _)| item.ends_with(&format!("#{pointer}")))
            });
            if item {
                Err(format!(
                    "`{pointer}` is a path item, not an operation: add its method (`{pointer}/get`)"
                ))
            } else {
                Err(format!(
                    "`{pointer}` is not an operation of {}",
                    specs[si].1.file
                ))
            }
        }
    }
}

/// The inputs a workflow declares (its schema's properties, through `$ref`s into
/// `components.inputs`) or uses (`$inputs.name`), and those its schema requires.
fn input_names(a: &Arazzo, w: &Workflow) -> (BTreeSet<String>, BTreeSet<String>) {
    let mut all = BTreeSet::new();
    let mut required = BTreeSet::new();
    if let Some(schema) = &w.inputs {
        let s = resolve_input_ref(a, schema, 0);
        if let Some(props) = s.get("properties").and_then(Value::as_object) {
            all.extend(props.keys().cloned());
        }
        if let Some(req) = s.get("required").and_then(Value::as_array) {
            required.extend(req.iter().filter_map(Value::as_str).map(str::to_owned));
        }
    }
    let mut used = |e: &Expr| {
        if let Expr::Inputs(p) = e
            && let Some(first) = p.segments.first()
        {
            all.insert(first.clone());
        }
    };
    visit_workflow(w, &mut used);
    all.extend(required.iter().cloned());
    (all, required)
}

/// Follows a `$ref` into `#/components/inputs/…` (a few levels, against cycles).
pub fn resolve_input_ref<'a>(a: &'a Arazzo, schema: &'a Value, depth: usize) -> &'a Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(r) if depth < 8 => match r
            .strip_prefix("#/components/inputs/")
            .and_then(|n| a.components.inputs.get(n))
        {
            Some(target) => resolve_input_ref(a, target, depth + 1),
            None => schema,
        },
        _ => schema,
    }
}

/// Calls `f` on every runtime expression in the values of a workflow's parameters, request
/// bodies and outputs.
fn visit_workflow(w: &Workflow, f: &mut dyn FnMut(&Expr)) {
    let mut values: Vec<&Value> = w.outputs.values().collect();
    let params = w
        .parameters
        .iter()
        .chain(w.steps.iter().flat_map(|s| s.parameters.iter()));
    for p in params {
        match p {
            super::model::Reusable::Inline(p) => values.push(&p.value),
            super::model::Reusable::Reference(r) => values.extend(r.value.as_ref()),
        }
    }
    for s in &w.steps {
        values.extend(s.outputs.values());
        if let Some(b) = &s.request_body {
            values.extend(b.payload.as_ref());
            values.extend(b.replacements.iter().map(|r| &r.value));
        }
        for c in &s.success_criteria {
            for e in super::criterion::expressions(c) {
                f(&e);
            }
        }
    }
    for v in values {
        visit_value(v, f);
    }
}

fn visit_value(v: &Value, f: &mut dyn FnMut(&Expr)) {
    match v {
        Value::String(s) => match expr::classify(s) {
            Ok(expr::Text::Expr(e)) => f(&e),
            Ok(expr::Text::Template(t)) => t.expressions().for_each(&mut *f),
            _ => {}
        },
        Value::Array(items) => items.iter().for_each(|x| visit_value(x, f)),
        Value::Object(m) => {
            if let Some(ctx) = m.get("context").and_then(Value::as_str)
                && let Ok(e) = expr::parse(ctx)
            {
                f(&e);
            }
            m.values().for_each(|x| visit_value(x, f));
        }
        _ => {}
    }
}
