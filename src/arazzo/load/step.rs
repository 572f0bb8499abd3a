//! Reading a step: its target (an operation, an operation path or a workflow), parameters,
//! request body with its replacements, success criteria, actions and outputs.

use super::*;

impl<'d> Reader<'d> {
    pub(super) fn step(&mut self, v: &Value, at: &str) -> Option<Step> {
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

    pub(super) fn request_body(&mut self, v: &Value, at: &str) -> Option<RequestBody> {
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
}
