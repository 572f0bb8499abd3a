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
//! come from the one broken rule. The cases of one probe are built in `generator`.
//!
//! Array and object parameters, and cookies, are read and written the way the parameter is
//! serialized (`style`, `explode`, Swagger's `collectionFormat`), so what is sent is proven
//! broken as a server reads it (`styled`); so are the fields of a form body, by the media
//! type's `encoding` (`form`).
//!
//! Each case is judged at the level the sources give its input: a failure when the
//! declaration's `refused` list names the input (the sources say the service refuses a broken
//! value of it, citing where), a warning otherwise, since a service that accepts what nothing
//! says it must refuse is lenient, not broken (`refused`).
//!
//! Generation reads no clock and no random source: the same spec and suite give the same
//! cases, in spec order, on every run. Values that come from suite variables are taken from
//! the suite's `vars` defaults; a value is only rebuilt from its valid form when that form is
//! known without a target (not from `requires` secrets or built-ins).

mod facts;
mod form;
mod generator;
mod input;
mod refused;
mod styled;
mod violate;

use serde::Deserialize;

use super::{Probe, case};
use crate::finding::{Finding, Severity};
use crate::openapi::{SchemaRef, Spec};
use crate::suite::{Case, OneOrMany, StatusSet, SuiteFile};
use generator::Generator;
use input::suite_vars;

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

    fn wants(&self, kind: Kind) -> bool {
        self.kinds.as_ref().is_none_or(|k| k.contains(&kind))
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

#[cfg(test)]
mod tests;
