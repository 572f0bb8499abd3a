//! Building the cases of one probe: each plain parameter (query, header, path) and each member
//! of a JSON body the base request reaches, broken one rule at a time, and the case each
//! confirmed violation becomes. Structured parameters and cookies are broken in `styled`, form
//! fields in `form`.

use std::collections::HashSet;

use indexmap::IndexMap;
use serde_json::Value;

use super::facts::Facts;
use super::input::{confirms, effective, fill, fill_value, members, put, text_of};
use super::violate::{self, Carrier, Violation};
use super::{Broken, Negative, Probe, case};
use crate::openapi::{ParamIn, Parameter, SchemaRef, Spec};
use crate::pointer;
use crate::suite::{Case, Expect, Scalar, StatusMatch, Step, SuiteFile};
use crate::template::Vars;

/// Builds the cases of one probe.
pub(super) struct Generator<'a> {
    pub(super) negative: &'a Negative,
    /// Where the declaration is: the expectations of the negative steps come from it.
    pub(super) at: &'a str,
    pub(super) spec: &'a Spec,
    pub(super) file: &'a SuiteFile,
    pub(super) probe: &'a Probe,
    pub(super) op: &'a str,
    pub(super) origin: &'a str,
    pub(super) vars: &'a Vars,
}

impl Generator<'_> {
    /// The cases breaking one parameter; a structured one or a cookie goes to `styled`.
    pub(super) fn parameter(&self, p: &Parameter) -> Vec<Case> {
        if let Some(schema) = p.schema
            && let Some(json) = self.spec.schema_json(schema)
        {
            let structured = Facts::of(self.spec, json)
                .types
                .iter()
                .any(|t| *t == "array" || *t == "object");
            if structured || p.location == ParamIn::Cookie {
                return self.styled(p, schema, json);
            }
        }
        let r = &self.probe.request;
        let (place, given) = match p.location {
            ParamIn::Query => (
                "query",
                effective(&self.file.defaults.query, &r.query, &p.name, false),
            ),
            ParamIn::Header => (
                "header",
                effective(&self.file.defaults.headers, &r.headers, &p.name, true),
            ),
            ParamIn::Path => ("path", r.path_params.get(&p.name).map(|s| s.0.as_str())),
            ParamIn::Cookie => return Vec::new(),
        };
        let base = given.and_then(|t| fill(t, self.vars)).map(Value::String);
        let mut proposals = Vec::new();
        if p.required && given.is_some() && p.location != ParamIn::Path {
            proposals.push(violate::missing());
        }
        if let Some(schema) = p.schema
            && let Some(json) = self.spec.schema_json(schema)
        {
            let facts = Facts::of(self.spec, json);
            let found = violate::violations(&facts, base.as_ref(), Carrier::Text);
            proposals.extend(found.into_iter().filter(|v| {
                let text = v.value.as_ref().map(text_of).unwrap_or_default();
                confirms(&self.spec.validate_header(schema, &text), v.keyword, &[])
            }));
        }
        let mut out = Vec::new();
        let mut named = HashSet::new();
        for v in proposals {
            if !self.negative.wants(v.kind) || !named.insert(v.name.clone()) {
                continue;
            }
            let mut request = r.clone();
            let value = v.value.as_ref().map(|x| Scalar(text_of(x)));
            let sent = match &value {
                Some(s) => format!("{place} parameter {} = {:?}", p.name, s.0),
                None => format!("{place} parameter {} left out", p.name),
            };
            match p.location {
                ParamIn::Query => {
                    request.query.insert(p.name.clone(), value);
                }
                ParamIn::Header => {
                    request.headers.insert(p.name.to_ascii_lowercase(), value);
                }
                _ => match value {
                    Some(s) => {
                        request.path_params.insert(p.name.clone(), s);
                    }
                    None => continue,
                },
            }
            let what = format!("{place} parameter {}", p.name);
            let rule = format!("OpenAPI {} parameter {}: {}", self.op, p.name, v.rule);
            out.push(self.case(
                &format!("{place}-{}", p.name),
                (&what, &format!("{place} {}", p.name)),
                &v,
                rule,
                sent,
                request,
            ));
        }
        out
    }

    /// The cases breaking one member of the JSON body the base request sends.
    pub(super) fn body(&self, body: &Value, schema: SchemaRef) -> Vec<Case> {
        let Some(json) = self.spec.schema_json(schema) else {
            return Vec::new();
        };
        let resolved = fill_value(body, self.vars);
        let already: Vec<(String, String)> = self
            .spec
            .validate(schema, &resolved)
            .into_iter()
            .map(|v| (v.instance_path, v.schema_path))
            .collect();
        let mut proposals = Vec::new();
        members(self.spec, json, &resolved, "", &mut proposals);
        let mut out = Vec::new();
        let mut named = HashSet::new();
        for (at, v) in proposals {
            let id = format!("{at}#{}", v.name);
            if !self.negative.wants(v.kind) || named.contains(&id) {
                continue;
            }
            let mut changed = resolved.clone();
            let mut request = self.probe.request.clone();
            let Some(sent_body) = request.body.as_mut() else {
                continue;
            };
            if !put(&mut changed, &at, v.value.clone()) || !put(sent_body, &at, v.value.clone()) {
                continue;
            }
            let violations = self.spec.validate(schema, &changed);
            if !confirms(&violations, v.keyword, &already) {
                continue;
            }
            named.insert(id);
            let sent = match &v.value {
                Some(x) => format!("body member {at} = {x}"),
                None => format!("body member {at} left out"),
            };
            let tokens = pointer::tokens(&at).unwrap_or_default();
            let what = format!("body member {at}");
            let rule = format!("OpenAPI {} request body {at}: {}", self.op, v.rule);
            out.push(self.case(
                &format!("body-{}", tokens.join("-")),
                (&what, &at),
                &v,
                rule,
                sent,
                request,
            ));
        }
        out
    }

    /// The case of one violation; `(what, input)` name the input in words
    /// (`query parameter page`) and as `refused` names it (`query page`).
    pub(super) fn case(
        &self,
        place: &str,
        (what, input): (&str, &str),
        v: &Violation,
        rule: String,
        sent: String,
        request: crate::suite::Request,
    ) -> Case {
        let (level, level_reason) = self.negative.level(input);
        // A broken path parameter names no resource, and 404 is how HTTP refuses that (RFC
        // 9110 15.5.5), whatever statuses the declaration names; so that 404 is a rejection,
        // not a sign that the target lacks the data.
        let in_path = place.starts_with("path-");
        let statuses = self.negative.status.as_ref().map(|s| {
            let mut set = s.clone();
            if in_path && !set.contains(404) {
                set.0.push(StatusMatch::Exact(404));
            }
            set
        });
        let expect = Expect {
            error: self.negative.error_for(input),
            negative: Some(Broken {
                rule: rule.clone(),
                sent,
                input: input.to_owned(),
                statuses,
                level,
                level_reason,
            }),
            ..Expect::default()
        };
        let step = Step {
            name: None,
            walk: None,
            skip_if_status: if in_path {
                Vec::new()
            } else {
                self.probe.skip_if_status.clone()
            },
            request,
            capture: IndexMap::new(),
            expect,
            origin: Some(self.at.to_owned()),
        };
        let mut c = case(
            &format!("negative-{}-{place}-{}", self.op, v.name),
            format!("{} rejects a request whose {what} {}", self.op, v.says),
            &rule,
            self.origin,
            self.probe.steps(self.origin, step),
        );
        c.requirements.push(self.negative.requirement.clone());
        c
    }
}
