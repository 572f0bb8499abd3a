//! Negative requests (`protocol.negative`): requests built from the spec that each break
//! exactly one declared rule of an operation's input, and must be rejected with a 4xx.
//!
//! The declaration names the operations by a valid base request each (a [`Probe`]), the
//! kinds of rule to break ([`Kind`]) and the generated cases to leave out, with a reason. For
//! every parameter the spec declares and every member of the request body the base request
//! reaches, `violate` proposes one broken value per rule the schema states (`facts`): a
//! required value left out, a value of the wrong type, outside the enumeration, past a bound,
//! too short or too long, with too many items, not matching the pattern or not of its format
//! (`format`, or the CDS common field type of `x-cds-type`). A proposal is kept only when the
//! spec itself confirms it: validating the changed value reports the intended keyword and
//! nothing else new. Each kept one becomes a case named after the rule
//! (`negative-listAccounts-query-page-size-not-integer`), citing the spec rule as its
//! requirement, whose step carries a [`Broken`] for the `negative-rejected` check. One more
//! case (`negative-<op>-valid`) sends the base request unchanged, so a rejection is known to
//! come from the one broken rule.
//!
//! Array and object parameters, and cookies, are read and written the way the parameter is
//! serialized (`style`, `explode`, Swagger's `collectionFormat`), so what is sent is proven
//! broken as a server reads it (`styled`); so are the fields of a form body, by the media
//! type's `encoding` (`form`).
//!
//! Each case is judged at the level the sources give its input: a failure when the
//! declaration's `refused` list names the input (the sources say the service refuses a broken
//! value of it, citing where), a warning otherwise, since a service that accepts what nothing
//! says it must refuse is lenient, not broken.
//!
//! Generation reads no clock and no random source: the same spec and suite give the same
//! cases, in spec order, on every run. Values that come from suite variables are taken from
//! the suite's `vars` defaults; a value is only rebuilt from its valid form when that form is
//! known without a target (not from `requires` secrets or built-ins).

mod facts;
mod form;
mod input;
mod styled;
mod violate;

use std::collections::HashSet;

use indexmap::IndexMap;
use serde::Deserialize;
use serde_json::Value;

use super::{Probe, case};
use crate::finding::{Finding, Severity};
use crate::openapi::{ParamIn, Parameter, SchemaRef, Spec};
use crate::pointer;
use crate::suite::{Case, Expect, OneOrMany, Scalar, StatusMatch, StatusSet, Step, SuiteFile};
use crate::template::Vars;
use facts::Facts;
use input::{confirms, effective, fill, fill_value, members, put, suite_vars, text_of};
use violate::{Carrier, Violation};

/// The `protocol.negative` declaration.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Negative {
    /// The provider's clause saying such requests are refused, cited beside each case's own
    /// spec rule.
    pub requirement: String,
    /// The statuses a rejection may have; any 4xx when absent.
    pub status: Option<StatusSet>,
    /// Error codes a rejection must carry (judged by `expect-error`).
    pub error: Option<OneOrMany>,
    /// How a request breaking an input `refused` does not name is graded when it is not
    /// rejected: `failure` when absent and `refused` is empty (the `requirement` says every
    /// broken input is refused), `warning` when absent and `refused` lists inputs.
    pub level: Option<Level>,
    /// The kinds of rule to break; every kind when absent.
    pub kinds: Option<Vec<Kind>>,
    /// One valid request per operation to break.
    pub probes: Vec<Probe>,
    /// Generated cases left out, each with a reason.
    #[serde(default)]
    pub exclude: Vec<Exclusion>,
    /// The inputs the sources say the service refuses when they break a rule: a case breaking
    /// one of them is a failure when accepted, a case breaking any other input a warning.
    #[serde(default)]
    pub refused: Vec<Refused>,
}

/// An input whose broken values the sources say the service refuses.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Refused {
    /// `query NAME`, `header NAME`, `path NAME`, or the JSON Pointer of a body member or form
    /// field (`/IRD`).
    pub input: String,
    /// Where the sources say so: the clause, or the sentence itself.
    pub source: String,
    /// The codes a refusal of this input may carry, in place of the declaration's `error`:
    /// where the sources document another code for the input (an identifier's look-up or
    /// check-digit code), each one they allow.
    pub error: Option<OneOrMany>,
}

/// How a negative request that is not rejected is graded.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// The provider states that such requests are refused: not refusing one fails the case.
    #[default]
    Failure,
    /// Only the document's rules are known (it describes valid requests, not what a server
    /// must do with others): not refusing one is reported, and does not fail the case.
    Warning,
}

/// A kind of declared rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// `required` parameters and body members.
    Missing,
    /// `type`.
    Type,
    /// `enum`.
    Enum,
    /// `minimum`, `maximum` and their exclusive forms.
    Bounds,
    /// `minLength`, `maxLength`.
    Length,
    /// `minItems`, `maxItems`.
    Items,
    /// `pattern`.
    Pattern,
    /// `format`, and the CDS common field type `x-cds-type`.
    Format,
}

/// A generated case left out.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exclusion {
    pub case: String,
    pub reason: String,
}

/// The one rule a generated request breaks, carried by its step for `negative-rejected`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Broken {
    /// The spec rule: `OpenAPI listAccounts parameter page-size: type integer`.
    pub rule: String,
    /// What the request sent: `query parameter page-size = "abc"`.
    pub sent: String,
    /// The input it broke, as `refused` names inputs: `query page-size`, `header x-v`,
    /// `path id`, `cookie NAME`, or a body member's JSON Pointer (`/IRD`).
    pub input: String,
    /// The statuses a rejection may have; any 4xx when `None`.
    pub statuses: Option<StatusSet>,
    /// How much accepting the request weighs: a failure when the sources say the input is
    /// refused, a warning otherwise.
    pub level: Severity,
    /// Why the case has its level, shown beside its findings.
    pub level_reason: String,
}

impl Broken {
    /// A finding about the response to this request, at the request's level.
    pub fn grade(&self, f: Finding) -> Finding {
        f.graded(self.level, self.level_reason.clone())
    }
}

/// A problem with the declaration: JSON Pointer in the suite, message.
pub type Problem = (String, String);

impl Negative {
    /// The cases of every probe, in declaration and spec order; the excluded ones carry their
    /// reason and point at their exclusion.
    pub fn cases(&self, at: &str, file: &SuiteFile, spec: &Spec) -> (Vec<Case>, Vec<Problem>) {
        let vars = suite_vars(file);
        let mut cases = Vec::new();
        let mut problems = Vec::new();
        for (i, probe) in self.probes.iter().enumerate() {
            let origin = format!("{at}/probes/{i}");
            let Some(op) = probe.request.operation.as_deref() else {
                problems.push((
                    format!("{origin}/request"),
                    "a negative probe names its operation with `operation`".to_owned(),
                ));
                continue;
            };
            cases.push(case(
                &format!("negative-{op}-valid"),
                format!("The valid {op} request the negative cases are built from is accepted"),
                &self.requirement,
                &origin,
                probe.steps(&origin, probe.step(&origin, &[])),
            ));
            let Some(operation) = spec.operation(op) else {
                continue;
            };
            let builder = Generator {
                negative: self,
                at,
                spec,
                file,
                probe,
                op,
                origin: &origin,
                vars: &vars,
            };
            for p in &operation.parameters {
                cases.extend(builder.parameter(p));
            }
            if let (Some(body), Some(schema)) = (&probe.request.body, json_body(spec, op)) {
                cases.extend(builder.body(body, schema));
            } else if let Some((kind, values)) = probe.request.form_body()
                && let Some(media) = crate::suite::form::media(spec, operation, kind)
            {
                cases.extend(builder.form(kind, values, media));
            }
        }
        let generated: Vec<String> = cases.iter().map(|c| c.id.clone()).collect();
        for (j, x) in self.exclude.iter().enumerate() {
            if !generated.contains(&x.case) {
                let mut msg = format!("no generated case is named `{}`", x.case);
                if let Some(s) =
                    crate::diag::did_you_mean(&x.case, generated.iter().map(String::as_str))
                {
                    msg.push_str(&format!("; did you mean `{s}`?"));
                }
                problems.push((format!("{at}/exclude/{j}/case"), msg));
            }
        }
        for c in &mut cases {
            if let Some(j) = self.exclude.iter().position(|x| x.case == c.id) {
                c.excluded = Some(self.exclude[j].reason.clone());
                c.origin = Some(format!("{at}/exclude/{j}"));
            }
        }
        problems.extend(self.unknown_refusals(at, file, spec));
        (cases, problems)
    }

    /// The codes a refusal of a request breaking `input` must carry one of.
    fn error_for(&self, input: &str) -> Option<OneOrMany> {
        self.refused
            .iter()
            .find(|r| same_input(&r.input, input))
            .and_then(|r| r.error.clone())
            .or_else(|| self.error.clone())
    }

    fn wants(&self, kind: Kind) -> bool {
        self.kinds.as_ref().is_none_or(|k| k.contains(&kind))
    }

    /// The level of a case breaking `input` (`query page`, `/IRD`), and why.
    fn level(&self, input: &str) -> (Severity, String) {
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
    fn unknown_refusals(&self, at: &str, file: &SuiteFile, spec: &Spec) -> Vec<Problem> {
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

/// The schema of an operation's JSON request body.
fn json_body(spec: &Spec, op: &str) -> Option<SchemaRef> {
    let media = spec.request_body(spec.operation(op)?)?;
    media
        .iter()
        .find(|m| m.media_type.contains("json"))
        .and_then(|m| m.schema)
}

/// Builds the cases of one probe.
struct Generator<'a> {
    negative: &'a Negative,
    /// Where the declaration is: the expectations of the negative steps come from it.
    at: &'a str,
    spec: &'a Spec,
    file: &'a SuiteFile,
    probe: &'a Probe,
    op: &'a str,
    origin: &'a str,
    vars: &'a Vars,
}

impl Generator<'_> {
    fn parameter(&self, p: &Parameter) -> Vec<Case> {
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

    fn body(&self, body: &Value, schema: SchemaRef) -> Vec<Case> {
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
    fn case(
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

#[cfg(test)]
mod tests;
