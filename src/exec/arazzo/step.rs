//! One step of a workflow: its request sent and judged by every check (or the workflow it
//! runs), then its success criteria, coming out as a [`StepOutcome`].

use super::*;

impl<'a> Runner<'a> {
    /// Runs one step; records its exchanges and judges its criteria.
    pub(super) fn step<'s>(
        &'s mut self,
        wi: usize,
        si: usize,
        scope: &'s mut Scope,
        vars: &'s mut Vars,
        case_step: usize,
        depth: usize,
    ) -> Boxed<'s, StepOutcome> {
        Box::pin(async move {
            let flows = self.flows;
            let doc = &flows.doc;
            let w = &doc.workflows[wi];
            let s = &w.steps[si];
            match &s.target {
                StepTarget::Workflow(id) => {
                    let Some(sub) = doc.workflows.iter().position(|x| &x.id == id) else {
                        self.error(
                            case_step,
                            HarnessErrorKind::InvalidRequest,
                            &format!("no workflow `{id}`"),
                        );
                        return StepOutcome::Broken;
                    };
                    let mut sub_inputs = Map::new();
                    // Parameters of a step that runs a workflow are its inputs; of the
                    // workflow's own parameters, those without a location are too.
                    let inherited = request::parameters(doc, &[&w.parameters]);
                    let own = request::parameters(doc, &[&s.parameters]);
                    let params = inherited
                        .into_iter()
                        .filter(|p| p.location.is_none())
                        .chain(own);
                    for p in params {
                        match eval::resolve(p.value, doc, scope) {
                            Ok(Some(v)) => {
                                sub_inputs.insert(p.name.to_owned(), v);
                            }
                            Ok(None) => {}
                            Err(e) => {
                                self.error(case_step, HarnessErrorKind::InvalidRequest, &e);
                                return StepOutcome::Broken;
                            }
                        }
                    }
                    let f = self
                        .workflow(
                            sub,
                            Value::Object(sub_inputs),
                            vars,
                            Some(case_step),
                            depth + 1,
                        )
                        .await;
                    match f.end {
                        End::Broken => return StepOutcome::Broken,
                        End::Failed => {
                            return StepOutcome::Failed(
                                format!("{}/workflowId", s.at),
                                format!("workflow `{id}` failed"),
                            );
                        }
                        End::Done => {}
                    }
                    scope.outputs = f.outputs;
                    scope.exchange = f.last;
                }
                StepTarget::ChannelPath(_) => {
                    self.error(
                        case_step,
                        HarnessErrorKind::InvalidRequest,
                        &format!(
                            "step `{}` is an AsyncAPI step; accord runs HTTP steps only",
                            s.id
                        ),
                    );
                    return StepOutcome::Broken;
                }
                StepTarget::OperationId(_) | StepTarget::OperationPath(_) => {
                    let Some((spec, op)) = flows.operation(wi, si) else {
                        self.error(case_step, HarnessErrorKind::InvalidRequest, &format!("step `{}` calls an AsyncAPI operation; accord runs HTTP steps only", s.id));
                        return StepOutcome::Broken;
                    };
                    if let Some(b) = self.send(wi, si, spec, op, scope, vars, case_step).await {
                        return b;
                    }
                }
            }
            for (k, c) in s.success_criteria.iter().enumerate() {
                match criterion::judge(c, doc, scope) {
                    Verdict::Pass => {}
                    Verdict::Fail(why) => {
                        return StepOutcome::Failed(format!("{}/successCriteria/{k}", s.at), why);
                    }
                    Verdict::Error(e) => {
                        self.error(
                            case_step,
                            HarnessErrorKind::InvalidRequest,
                            &format!("step `{}`: {e}", s.id),
                        );
                        return StepOutcome::Broken;
                    }
                }
            }
            StepOutcome::Passed
        })
    }

    /// Sends an operation step's request and judges the exchange; `Some` when the step
    /// cannot go on.
    #[expect(clippy::too_many_arguments, reason = "one step's whole context")]
    pub(super) async fn send(
        &mut self,
        wi: usize,
        si: usize,
        spec: &'a crate::openapi::Spec,
        op: &'a crate::openapi::Operation,
        scope: &mut Scope,
        vars: &mut Vars,
        case_step: usize,
    ) -> Option<StepOutcome> {
        let doc = &self.flows.doc;
        let w = &doc.workflows[wi];
        let s = &w.steps[si];
        let parts = match request::parts(doc, w, s, spec, op, scope) {
            Ok(p) => p,
            Err(e) => {
                self.error(
                    case_step,
                    HarnessErrorKind::InvalidRequest,
                    &format!("step `{}`: {e}", s.id),
                );
                return Some(StepOutcome::Broken);
            }
        };
        let case = &self.ps.suite.file.cases[self.result_case()];
        let shadow = &self.ps.suite.file.cases[wi].steps[si];
        let expected = shadow
            .expect
            .status
            .as_ref()
            .map(StatusSet::codes)
            .unwrap_or_default();
        let client = self.transport.sender().client().clone();
        let target = self.target;
        let sent = self
            .transport
            .send_step(vars, &expected, !case.destructive, |_| {
                request::build(&parts, op, target, &client)
            })
            .await;
        let (built, delivery) = match sent {
            Ok(x) => x,
            Err(e) => {
                self.error(case_step, e.kind, &e.message);
                return Some(StepOutcome::Broken);
            }
        };
        let raw = match &delivery.sent {
            crate::exec::http::Sent::Response(r, _) => {
                Some((r.status, r.headers.clone(), r.body.clone()))
            }
            _ => None,
        };
        let recorded = crate::exec::record(case_step, &built, delivery, self.redactor);
        if let Some(e) = recorded.error {
            self.result.exchanges.extend(recorded.exchange);
            self.result.errors.push(e);
            return Some(StepOutcome::Broken);
        }
        let exchange = recorded
            .exchange
            .expect("an exchange when sending succeeded");
        let mut judged = judge::Judged {
            suite: self.ps,
            case: wi,
            step: si,
            operation: Some(op),
            exchange,
            json: recorded.raw_json.clone(),
            json_is_body: recorded.json_is_body,
        };
        let mut out = judge::checks(&mut judged, vars, self.snapshots, self.redactor);
        for f in &mut out.findings {
            f.step = case_step;
        }
        self.result.findings.extend(out.findings);
        self.pending.extend(out.snapshots);
        self.result.exchanges.push(judged.exchange);
        let response = raw.map(|(status, headers, body)| {
            let body = match recorded.raw_json {
                Some(v) => Body::Json(v),
                None => Body::Text(body),
            };
            (
                status,
                eval::Message {
                    headers,
                    body: Some(body),
                    ..Default::default()
                },
            )
        });
        scope.exchange = Some(Exchange {
            url: built.url.clone(),
            method: built.method.clone(),
            request: request::message(&parts, &built),
            status: response.as_ref().map(|(s, _)| *s),
            response: response.map(|(_, m)| m),
        });
        None
    }
}

/// How one step came out.
pub(super) enum StepOutcome {
    Passed,
    /// A criterion did not hold: the pointer of the criterion, and why.
    Failed(String, String),
    Broken,
}
