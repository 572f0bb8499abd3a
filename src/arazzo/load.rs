//! Reading an Arazzo document: the structure of every object (types, required and unknown
//! fields, `x-` extensions allowed, 1.1 fields refused in a 1.0 document), then the rules the
//! structure cannot state ([`super::check`]). Every problem of the file comes back at once,
//! each at `file:line:col`, in the style of suite diagnostics.
//!
//! [`load`] reads a file; [`from_document`] an already parsed [`Document`].

mod actions;
mod fields;
mod step;

use std::path::Path;

use serde_json::{Map, Value};

use super::model::*;
use crate::diag::{Diagnostic, did_you_mean};
use crate::pointer;
use crate::yaml::Document;
use fields::{kind, opt, req, v11};

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

/// Reads values at pointers, collecting problems.
struct Reader<'d> {
    doc: &'d Document,
    version: Version,
    problems: Vec<Diagnostic>,
}

type Obj<'v> = &'v Map<String, Value>;

impl<'d> Reader<'d> {
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

#[cfg(test)]
mod tests;
