//! Reading an Arazzo document: the structure of every object (types, required and unknown
//! fields, `x-` extensions allowed, 1.1 fields refused in a 1.0 document), then the rules the
//! structure cannot state ([`super::check`]). Every problem of the file comes back at once,
//! each at `file:line:col`, in the style of suite diagnostics.
//!
//! [`load`] reads a file; [`from_document`] an already parsed [`Document`].

use std::path::Path;

use serde_json::{Map, Value};

use super::model::*;
use crate::diag::{Diagnostic, did_you_mean};
use crate::pointer;
use crate::yaml::Document;

/// Loads an Arazzo document from a file.
pub fn load(path: &Path) -> Result<(Document, Arazzo), Vec<Diagnostic>> {
    let doc = Document::load(path)?;
    let arazzo = from_document(&doc)?;
    Ok((doc, arazzo))
}

/// True when a file name marks an Arazzo document (`*.arazzo.yaml`, `*.arazzo.yml`,
/// `*.arazzo.json`, or the recommended `arazzo.yaml` / `arazzo.json`).
pub fn is_arazzo_file(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    ["yaml", "yml", "json"]
        .iter()
        .any(|ext| name == format!("arazzo.{ext}") || name.ends_with(&format!(".arazzo.{ext}")))
}

/// Builds the model from a parsed document; every problem comes back at once.
pub fn from_document(doc: &Document) -> Result<Arazzo, Vec<Diagnostic>> {
    let mut r = Reader {
        doc,
        version: Version::V1_1,
        problems: Vec::new(),
    };
    let arazzo = r.root();
    let mut problems = r.problems;
    if let Some(a) = &arazzo {
        problems.extend(super::check::problems(doc, a));
    }
    match arazzo {
        Some(a) if problems.is_empty() => Ok(a),
        _ => {
            problems.sort_by_key(|d| (d.line, d.col));
            problems.dedup_by(|a, b| a.to_string() == b.to_string());
            Err(problems)
        }
    }
}

/// A field an object may have.
struct Field {
    name: &'static str,
    required: bool,
    /// The first version with the field.
    since: Version,
}

const fn req(name: &'static str) -> Field {
    Field {
        name,
        required: true,
        since: Version::V1_0,
    }
}

const fn opt(name: &'static str) -> Field {
    Field {
        name,
        required: false,
        since: Version::V1_0,
    }
}

const fn v11(name: &'static str) -> Field {
    Field {
        name,
        required: false,
        since: Version::V1_1,
    }
}

/// Reads values at pointers, collecting problems.
struct Reader<'d> {
    doc: &'d Document,
    version: Version,
    problems: Vec<Diagnostic>,
}

type Obj<'v> = &'v Map<String, Value>;

impl<'d> Reader<'d> {
    fn problem(&mut self, at: &str, message: impl Into<String>) {
        let d = self.doc.diag(at, message);
        self.problems.push(d);
    }

    /// Checks that `v` is an object with these fields; `None` (and a problem) otherwise.
    fn object<'v>(
        &mut self,
        v: &'v Value,
        at: &str,
        what: &str,
        fields: &[Field],
        extensible: bool,
    ) -> Option<Obj<'v>> {
        let Some(map) = v.as_object() else {
            self.problem(at, format!("{what} must be an object, found {}", kind(v)));
            return None;
        };
        for key in map.keys() {
            let ptr = pointer::join(at, key);
            match fields.iter().find(|f| f.name == key) {
                Some(f) if f.since > self.version => {
                    let d = self
                        .doc
                        .diag_key(
                            &ptr,
                            format!(
                                "`{key}` is an Arazzo {} field; this document declares arazzo {}",
                                f.since.as_str(),
                                self.version.as_str()
                            ),
                        )
                        .with_help(format!(
                            "declare `arazzo: {}.0` to use it",
                            f.since.as_str()
                        ));
                    self.problems.push(d);
                }
                Some(_) => {}
                None if extensible && key.starts_with("x-") => {}
                None => {
                    let mut d = self
                        .doc
                        .diag_key(&ptr, format!("unknown key `{key}` in {what}"));
                    let names = fields
                        .iter()
                        .filter(|f| f.since <= self.version)
                        .map(|f| f.name);
                    if let Some(s) = did_you_mean(key, names.clone()) {
                        d = d.with_help(format!("did you mean `{s}`?"));
                    } else {
                        let all: Vec<&str> = names.collect();
                        let ext = if extensible {
                            ", or an `x-` extension"
                        } else {
                            ""
                        };
                        d = d.with_help(format!("expected one of: {}{ext}", all.join(", ")));
                    }
                    self.problems.push(d);
                }
            }
        }
        for f in fields {
            if f.required && !map.contains_key(f.name) && f.since <= self.version {
                self.problem(at, format!("{what} lacks the required field `{}`", f.name));
            }
        }
        Some(map)
    }

    /// An optional string field.
    fn string(&mut self, map: Obj<'_>, at: &str, key: &str) -> Option<String> {
        match map.get(key)? {
            Value::String(s) => Some(s.clone()),
            other => {
                self.problem(
                    &pointer::join(at, key),
                    format!("`{key}` must be a string, found {}", kind(other)),
                );
                None
            }
        }
    }

    /// A required string field (its absence is reported by [`Reader::object`]).
    fn text(&mut self, map: Obj<'_>, at: &str, key: &str) -> String {
        self.string(map, at, key).unwrap_or_default()
    }

    /// An optional array field, as (pointer, element) pairs.
    fn list<'v>(&mut self, map: Obj<'v>, at: &str, key: &str) -> Vec<(String, &'v Value)> {
        let here = pointer::join(at, key);
        match map.get(key) {
            None => Vec::new(),
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .map(|(i, v)| (pointer::join(&here, &i.to_string()), v))
                .collect(),
            Some(other) => {
                self.problem(
                    &here,
                    format!("`{key}` must be a list, found {}", kind(other)),
                );
                Vec::new()
            }
        }
    }

    /// An optional map field, as (name, pointer, value) triples.
    fn entries<'v>(
        &mut self,
        map: Obj<'v>,
        at: &str,
        key: &str,
    ) -> Vec<(String, String, &'v Value)> {
        let here = pointer::join(at, key);
        match map.get(key) {
            None => Vec::new(),
            Some(Value::Object(m)) => m
                .iter()
                .map(|(k, v)| (k.clone(), pointer::join(&here, k), v))
                .collect(),
            Some(other) => {
                self.problem(
                    &here,
                    format!("`{key}` must be a map, found {}", kind(other)),
                );
                Vec::new()
            }
        }
    }

    fn strings(&mut self, map: Obj<'_>, at: &str, key: &str) -> Vec<Named> {
        let mut out = Vec::new();
        for (p, v) in self.list(map, at, key) {
            match v.as_str() {
                Some(s) => out.push(Named {
                    name: s.to_owned(),
                    at: p,
                }),
                None => self.problem(&p, format!("expected a string, found {}", kind(v))),
            }
        }
        out
    }

    fn root(&mut self) -> Option<Arazzo> {
        let v = &self.doc.value;
        let version_text = match v.get("arazzo") {
            Some(Value::String(s)) => s.clone(),
            Some(other) => {
                self.problem(
                    "/arazzo",
                    format!(
                        "`arazzo` must be a string such as \"1.0.1\", found {}",
                        kind(other)
                    ),
                );
                String::new()
            }
            None => String::new(),
        };
        if let Some(version) = parse_version(&version_text) {
            self.version = version;
        } else if !version_text.is_empty() {
            self.problem(
                "/arazzo",
                format!(
                    "accord reads Arazzo 1.0.x and 1.1.x; this document declares `{version_text}`"
                ),
            );
        }
        let map = self.object(
            v,
            "",
            "an Arazzo document",
            &[
                req("arazzo"),
                v11("$self"),
                req("info"),
                req("sourceDescriptions"),
                req("workflows"),
                opt("components"),
            ],
            true,
        )?;
        let self_uri = self.string(map, "", "$self");
        if self_uri.as_deref().is_some_and(|s| s.contains('#')) {
            self.problem("/$self", "`$self` must not contain a fragment (`#…`)");
        }
        let info = match map.get("info") {
            Some(i) => self.info(i),
            None => None,
        };
        let sources = self
            .list(map, "", "sourceDescriptions")
            .into_iter()
            .filter_map(|(p, v)| self.source(v, &p))
            .collect::<Vec<_>>();
        if map.contains_key("sourceDescriptions") && sources.is_empty() && self.problems.is_empty()
        {
            self.problem(
                "/sourceDescriptions",
                "`sourceDescriptions` must not be empty",
            );
        }
        let workflows = self
            .list(map, "", "workflows")
            .into_iter()
            .filter_map(|(p, v)| self.workflow(v, &p))
            .collect::<Vec<_>>();
        if map.contains_key("workflows") && workflows.is_empty() && self.problems.is_empty() {
            self.problem("/workflows", "`workflows` must not be empty");
        }
        let components = match map.get("components") {
            Some(c) => self.components(c),
            None => Components::default(),
        };
        Some(Arazzo {
            version: self.version,
            version_text,
            self_uri,
            info: info.unwrap_or(Info {
                title: String::new(),
                summary: None,
                description: None,
                version: String::new(),
            }),
            sources,
            workflows,
            components,
            extensions: extensions(map),
        })
    }

    fn info(&mut self, v: &Value) -> Option<Info> {
        let at = "/info";
        let m = self.object(
            v,
            at,
            "`info`",
            &[
                req("title"),
                opt("summary"),
                opt("description"),
                req("version"),
            ],
            true,
        )?;
        Some(Info {
            title: self.text(m, at, "title"),
            summary: self.string(m, at, "summary"),
            description: self.string(m, at, "description"),
            version: self.text(m, at, "version"),
        })
    }

    fn source(&mut self, v: &Value, at: &str) -> Option<Source> {
        let m = self.object(
            v,
            at,
            "a source description",
            &[req("name"), req("url"), opt("type")],
            true,
        )?;
        let kind = match self.string(m, at, "type").as_deref() {
            None | Some("openapi") => SourceKind::OpenApi,
            Some("arazzo") => SourceKind::Arazzo,
            Some("asyncapi") if self.version >= Version::V1_1 => SourceKind::AsyncApi,
            Some(other) => {
                let allowed = if self.version >= Version::V1_1 {
                    "`openapi`, `asyncapi` or `arazzo`"
                } else {
                    "`openapi` or `arazzo`"
                };
                self.problem(
                    &pointer::join(at, "type"),
                    format!("source type `{other}` is not one of {allowed}"),
                );
                SourceKind::OpenApi
            }
        };
        Some(Source {
            name: self.text(m, at, "name"),
            url: self.text(m, at, "url"),
            kind,
            at: at.to_owned(),
        })
    }

    fn workflow(&mut self, v: &Value, at: &str) -> Option<Workflow> {
        let m = self.object(
            v,
            at,
            "a workflow",
            &[
                req("workflowId"),
                opt("summary"),
                opt("description"),
                opt("inputs"),
                opt("dependsOn"),
                req("steps"),
                opt("successActions"),
                opt("failureActions"),
                opt("outputs"),
                opt("parameters"),
            ],
            true,
        )?;
        let steps: Vec<Step> = self
            .list(m, at, "steps")
            .into_iter()
            .filter_map(|(p, v)| self.step(v, &p))
            .collect();
        if m.get("steps")
            .is_some_and(|s| s.as_array().is_some_and(Vec::is_empty))
        {
            self.problem(
                &pointer::join(at, "steps"),
                "a workflow needs at least one step",
            );
        }
        if let Some(i) = m.get("inputs")
            && !i.is_object()
        {
            self.problem(
                &pointer::join(at, "inputs"),
                "`inputs` must be a JSON Schema object",
            );
        }
        Some(Workflow {
            id: self.text(m, at, "workflowId"),
            summary: self.string(m, at, "summary"),
            description: self.string(m, at, "description"),
            inputs: m.get("inputs").cloned(),
            depends_on: self.strings(m, at, "dependsOn"),
            steps,
            success_actions: self.reusables(m, at, "successActions", Self::success_action),
            failure_actions: self.reusables(m, at, "failureActions", Self::failure_action),
            outputs: self.outputs(m, at),
            parameters: self.reusables(m, at, "parameters", Self::parameter),
            extensions: extensions(m),
            at: at.to_owned(),
        })
    }

    fn step(&mut self, v: &Value, at: &str) -> Option<Step> {
        let m = self.object(
            v,
            at,
            "a step",
            &[
                opt("description"),
                req("stepId"),
                opt("operationId"),
                opt("operationPath"),
                v11("channelPath"),
                opt("workflowId"),
                opt("parameters"),
                opt("requestBody"),
                opt("successCriteria"),
                opt("onSuccess"),
                opt("onFailure"),
                opt("outputs"),
                v11("timeout"),
                v11("correlationId"),
                v11("action"),
                v11("dependsOn"),
            ],
            true,
        )?;
        let targets: Vec<Target> = [
            ("operationId", Target::OperationId as fn(String) -> Target),
            ("operationPath", Target::OperationPath),
            ("channelPath", Target::ChannelPath),
            ("workflowId", Target::Workflow),
        ]
        .into_iter()
        .filter_map(|(k, make)| self.string(m, at, k).map(make))
        .collect();
        let target = match targets.as_slice() {
            [one] => one.clone(),
            _ => {
                if m.contains_key("stepId") {
                    let names = if self.version >= Version::V1_1 {
                        "`operationId`, `operationPath`, `channelPath` or `workflowId`"
                    } else {
                        "`operationId`, `operationPath` or `workflowId`"
                    };
                    self.problem(at, format!("a step names exactly one of {names}"));
                }
                Target::OperationId(String::new())
            }
        };
        let timeout = match m.get("timeout") {
            None => None,
            Some(t) => {
                let n = t.as_u64();
                if n.is_none() {
                    self.problem(
                        &pointer::join(at, "timeout"),
                        "`timeout` must be a non-negative whole number of milliseconds",
                    );
                }
                n
            }
        };
        if let Some(a) = self.string(m, at, "action")
            && a != "send"
            && a != "receive"
        {
            self.problem(
                &pointer::join(at, "action"),
                format!("`action` is `send` or `receive`, not `{a}`"),
            );
        }
        let request_body = match m.get("requestBody") {
            Some(b) => self.request_body(b, &pointer::join(at, "requestBody")),
            None => None,
        };
        let criteria = self.criteria(m, at, "successCriteria");
        if m.get("successCriteria")
            .is_some_and(|c| c.as_array().is_some_and(Vec::is_empty))
            && self.version >= Version::V1_1
        {
            self.problem(
                &pointer::join(at, "successCriteria"),
                "`successCriteria`, when given, holds at least one criterion",
            );
        }
        Some(Step {
            id: self.text(m, at, "stepId"),
            description: self.string(m, at, "description"),
            target,
            parameters: self.reusables(m, at, "parameters", Self::parameter),
            request_body,
            success_criteria: criteria,
            on_success: self.reusables(m, at, "onSuccess", Self::success_action),
            on_failure: self.reusables(m, at, "onFailure", Self::failure_action),
            outputs: self.outputs(m, at),
            timeout,
            depends_on: self.strings(m, at, "dependsOn"),
            action: self.string(m, at, "action"),
            correlation_id: self.string(m, at, "correlationId"),
            extensions: extensions(m),
            at: at.to_owned(),
        })
    }

    /// A list whose entries are inline objects or `reference`s to components.
    fn reusables<T>(
        &mut self,
        m: Obj<'_>,
        at: &str,
        key: &str,
        inline: fn(&mut Self, &Value, &str) -> Option<T>,
    ) -> Vec<Reusable<T>> {
        let mut out = Vec::new();
        for (p, v) in self.list(m, at, key) {
            if let Some(r) = v.get("reference") {
                // Other fields of a Reusable Object are ignored, as the specification says.
                let Some(text) = r.as_str() else {
                    self.problem(
                        &pointer::join(&p, "reference"),
                        "`reference` must be a string such as `$components.parameters.page`",
                    );
                    continue;
                };
                match super::expr::parse(text) {
                    Ok(super::expr::Expr::Components { kind, name }) => {
                        out.push(Reusable::Reference(Reference {
                            kind,
                            name,
                            value: v.get("value").cloned(),
                            at: p,
                        }));
                    }
                    _ => self.problem(
                        &pointer::join(&p, "reference"),
                        format!("`{text}` is not a reference to a component: write `$components.<kind>.<name>`"),
                    ),
                }
                continue;
            }
            if let Some(x) = inline(self, v, &p) {
                out.push(Reusable::Inline(x));
            }
        }
        out
    }

    fn parameter(&mut self, v: &Value, at: &str) -> Option<Parameter> {
        let m = self.object(
            v,
            at,
            "a parameter",
            &[req("name"), opt("in"), req("value")],
            true,
        )?;
        let location = match self.string(m, at, "in").as_deref() {
            None => None,
            Some("path") => Some(In::Path),
            Some("query") => Some(In::Query),
            Some("header") => Some(In::Header),
            Some("cookie") => Some(In::Cookie),
            Some("querystring") if self.version >= Version::V1_1 => Some(In::QueryString),
            Some(other) => {
                let mut d = self.doc.diag(
                    &pointer::join(at, "in"),
                    format!("`in` is path, query, header or cookie, not `{other}`"),
                );
                if other == "querystring" {
                    d = d.with_help("`querystring` is an Arazzo 1.1 location");
                }
                self.problems.push(d);
                None
            }
        };
        Some(Parameter {
            name: self.text(m, at, "name"),
            location,
            value: m.get("value").cloned().unwrap_or(Value::Null),
            at: at.to_owned(),
        })
    }

    fn success_action(&mut self, v: &Value, at: &str) -> Option<SuccessAction> {
        let m = self.object(
            v,
            at,
            "a success action",
            &[
                req("name"),
                req("type"),
                opt("workflowId"),
                opt("stepId"),
                v11("parameters"),
                opt("criteria"),
            ],
            true,
        )?;
        let kind = match self.text(m, at, "type").as_str() {
            "end" => SuccessKind::End,
            "goto" => SuccessKind::Goto,
            "" => SuccessKind::End,
            other => {
                self.problem(
                    &pointer::join(at, "type"),
                    format!("a success action's `type` is `end` or `goto`, not `{other}`"),
                );
                SuccessKind::End
            }
        };
        let goto = self.label(m, at, kind == SuccessKind::Goto);
        Some(SuccessAction {
            name: self.text(m, at, "name"),
            kind,
            goto,
            parameters: self.reusables(m, at, "parameters", Self::parameter),
            criteria: self.criteria(m, at, "criteria"),
            at: at.to_owned(),
        })
    }

    fn failure_action(&mut self, v: &Value, at: &str) -> Option<FailureAction> {
        let m = self.object(
            v,
            at,
            "a failure action",
            &[
                req("name"),
                req("type"),
                opt("workflowId"),
                opt("stepId"),
                v11("parameters"),
                opt("retryAfter"),
                opt("retryLimit"),
                opt("criteria"),
            ],
            true,
        )?;
        let kind = match self.text(m, at, "type").as_str() {
            "end" | "" => FailureKind::End,
            "retry" => FailureKind::Retry,
            "goto" => FailureKind::Goto,
            other => {
                self.problem(
                    &pointer::join(at, "type"),
                    format!("a failure action's `type` is `end`, `retry` or `goto`, not `{other}`"),
                );
                FailureKind::End
            }
        };
        let goto = self.label(m, at, kind == FailureKind::Goto);
        let retry_after = match m.get("retryAfter") {
            None => None,
            Some(v) => match v.as_f64().filter(|n| *n >= 0.0) {
                Some(n) => Some(n),
                None => {
                    self.problem(
                        &pointer::join(at, "retryAfter"),
                        "`retryAfter` must be a non-negative number of seconds",
                    );
                    None
                }
            },
        };
        let retry_limit = match m.get("retryLimit") {
            None => None,
            Some(v) => match v.as_u64() {
                Some(n) => Some(n),
                None => {
                    self.problem(
                        &pointer::join(at, "retryLimit"),
                        "`retryLimit` must be a non-negative whole number",
                    );
                    None
                }
            },
        };
        Some(FailureAction {
            name: self.text(m, at, "name"),
            kind,
            goto,
            parameters: self.reusables(m, at, "parameters", Self::parameter),
            retry_after,
            retry_limit,
            criteria: self.criteria(m, at, "criteria"),
            at: at.to_owned(),
        })
    }

    /// The `stepId` or `workflowId` of an action; a `goto` needs exactly one.
    fn label(&mut self, m: Obj<'_>, at: &str, needed: bool) -> Option<Label> {
        let step = self.string(m, at, "stepId");
        let workflow = self.string(m, at, "workflowId");
        match (step, workflow) {
            (Some(_), Some(_)) => {
                self.problem(at, "an action names `stepId` or `workflowId`, not both");
                None
            }
            (Some(s), None) => Some(Label::Step(s)),
            (None, Some(w)) => Some(Label::Workflow(w)),
            (None, None) => {
                if needed {
                    self.problem(at, "a `goto` action names a `stepId` or a `workflowId`");
                }
                None
            }
        }
    }

    fn criteria(&mut self, m: Obj<'_>, at: &str, key: &str) -> Vec<Criterion> {
        let mut out = Vec::new();
        for (p, v) in self.list(m, at, key) {
            if let Some(c) = self.criterion(v, &p) {
                out.push(c);
            }
        }
        out
    }

    fn criterion(&mut self, v: &Value, at: &str) -> Option<Criterion> {
        let m = self.object(
            v,
            at,
            "a criterion",
            &[opt("context"), req("condition"), opt("type")],
            true,
        )?;
        let kind = match m.get("type") {
            None => CriterionKind::Simple,
            Some(t) => self.criterion_kind(t, &pointer::join(at, "type"))?,
        };
        Some(Criterion {
            context: self.string(m, at, "context"),
            condition: self.text(m, at, "condition"),
            kind,
            at: at.to_owned(),
        })
    }

    /// `simple`, `regex`, `jsonpath`, `xpath`, or an expression type object.
    fn criterion_kind(&mut self, v: &Value, at: &str) -> Option<CriterionKind> {
        if let Some(s) = v.as_str() {
            return match s {
                "simple" => Some(CriterionKind::Simple),
                "regex" => Some(CriterionKind::Regex),
                "jsonpath" => Some(CriterionKind::JsonPath("rfc9535".into())),
                "xpath" => Some(CriterionKind::XPath("xpath-31".into())),
                other => {
                    self.problem(
                        at,
                        format!("a criterion's `type` is simple, regex, jsonpath or xpath, not `{other}`"),
                    );
                    None
                }
            };
        }
        let m = self.object(
            v,
            at,
            "an expression type",
            &[req("type"), req("version")],
            true,
        )?;
        let kind = self.text(m, at, "type");
        let version = self.text(m, at, "version");
        const JSONPATH: &[&str] = &["rfc9535", "draft-goessner-dispatch-jsonpath-00"];
        const XPATH: &[&str] = &["xpath-31", "xpath-30", "xpath-20", "xpath-10"];
        let (allowed, make): (&[&str], fn(String) -> CriterionKind) = match kind.as_str() {
            "jsonpath" => (JSONPATH, CriterionKind::JsonPath),
            "xpath" => (XPATH, CriterionKind::XPath),
            other => {
                self.problem(
                    &pointer::join(at, "type"),
                    format!("an expression type is `jsonpath` or `xpath`, not `{other}`"),
                );
                return None;
            }
        };
        if !allowed.contains(&version.as_str()) {
            self.problem(
                &pointer::join(at, "version"),
                format!(
                    "`{version}` is not a {kind} version: expected one of {}",
                    allowed.join(", ")
                ),
            );
            return None;
        }
        Some(make(version))
    }

    fn request_body(&mut self, v: &Value, at: &str) -> Option<RequestBody> {
        let m = self.object(
            v,
            at,
            "a request body",
            &[opt("contentType"), opt("payload"), opt("replacements")],
            true,
        )?;
        let mut replacements = Vec::new();
        for (p, v) in self.list(m, at, "replacements") {
            let Some(r) = self.object(
                v,
                &p,
                "a payload replacement",
                &[req("target"), v11("targetSelectorType"), req("value")],
                true,
            ) else {
                continue;
            };
            let target_type = match r.get("targetSelectorType") {
                None => None,
                Some(Value::String(s)) => Some(s.clone()),
                Some(Value::Object(t)) => t.get("type").and_then(Value::as_str).map(str::to_owned),
                Some(other) => {
                    self.problem(
                        &pointer::join(&p, "targetSelectorType"),
                        format!(
                            "`targetSelectorType` must be a string or an expression type, found {}",
                            kind(other)
                        ),
                    );
                    None
                }
            };
            replacements.push(Replacement {
                target: self.text(r, &p, "target"),
                target_type,
                value: r.get("value").cloned().unwrap_or(Value::Null),
                at: p,
            });
        }
        Some(RequestBody {
            content_type: self.string(m, at, "contentType"),
            payload: m.get("payload").cloned(),
            replacements,
            at: at.to_owned(),
        })
    }

    fn outputs(&mut self, m: Obj<'_>, at: &str) -> indexmap::IndexMap<String, Value> {
        let mut out = indexmap::IndexMap::new();
        for (name, p, v) in self.entries(m, at, "outputs") {
            if !is_component_key(&name) {
                let d = self.doc.diag_key(
                    &p,
                    format!("output name `{name}` may hold only letters, digits, `.`, `-` and `_`"),
                );
                self.problems.push(d);
            }
            out.insert(name, v.clone());
        }
        out
    }

    fn components(&mut self, v: &Value) -> Components {
        let at = "/components";
        let Some(m) = self.object(
            v,
            at,
            "`components`",
            &[
                opt("inputs"),
                opt("parameters"),
                opt("successActions"),
                opt("failureActions"),
            ],
            true,
        ) else {
            return Components::default();
        };
        let mut c = Components::default();
        for key in ["inputs", "parameters", "successActions", "failureActions"] {
            for (name, p, v) in self.entries(m, at, key) {
                if !is_component_key(&name) {
                    let d = self.doc.diag_key(
                        &p,
                        format!("component name `{name}` may hold only letters, digits, `.`, `-` and `_`"),
                    );
                    self.problems.push(d);
                }
                match key {
                    "inputs" => {
                        c.inputs.insert(name, v.clone());
                    }
                    "parameters" => {
                        if let Some(x) = self.parameter(v, &p) {
                            c.parameters.insert(name, x);
                        }
                    }
                    "successActions" => {
                        if let Some(x) = self.success_action(v, &p) {
                            c.success_actions.insert(name, x);
                        }
                    }
                    _ => {
                        if let Some(x) = self.failure_action(v, &p) {
                            c.failure_actions.insert(name, x);
                        }
                    }
                }
            }
        }
        c
    }
}

/// `1.0.1` to 1.0; `None` for versions accord does not read.
fn parse_version(text: &str) -> Option<Version> {
    let mut parts = text.splitn(3, '.');
    let (major, minor, patch) = (parts.next()?, parts.next()?, parts.next()?);
    let patch_ok = patch
        .split(['-', '+'])
        .next()
        .is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    match (major, minor, patch_ok) {
        ("1", "0", true) => Some(Version::V1_0),
        ("1", "1", true) => Some(Version::V1_1),
        _ => None,
    }
}

/// `^[a-zA-Z0-9.\-_]+$`
pub(super) fn is_component_key(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
}

fn extensions(m: Obj<'_>) -> Extensions {
    m.iter()
        .filter(|(k, _)| k.starts_with("x-"))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests;
