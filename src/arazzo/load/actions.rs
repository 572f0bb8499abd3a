//! Reading what a step does after it runs: its success and failure actions (`end`, `goto`,
//! `retry`) with their labels, and the criteria that select them.

use super::*;

impl<'d> Reader<'d> {
    pub(super) fn success_action(&mut self, v: &Value, at: &str) -> Option<SuccessAction> {
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

    pub(super) fn failure_action(&mut self, v: &Value, at: &str) -> Option<FailureAction> {
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
    pub(super) fn label(&mut self, m: Obj<'_>, at: &str, needed: bool) -> Option<Label> {
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

    pub(super) fn criteria(&mut self, m: Obj<'_>, at: &str, key: &str) -> Vec<Criterion> {
        let mut out = Vec::new();
        for (p, v) in self.list(m, at, key) {
            if let Some(c) = self.criterion(v, &p) {
                out.push(c);
            }
        }
        out
    }

    pub(super) fn criterion(&mut self, v: &Value, at: &str) -> Option<Criterion> {
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
    pub(super) fn criterion_kind(&mut self, v: &Value, at: &str) -> Option<CriterionKind> {
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
}
