//! The action a step's outcome selects: the first success or failure action (the step's, then
//! the workflow's) whose criteria hold, reusable actions looked up in the components, and the
//! delay a `retry` waits.

use super::*;

impl<'a> Runner<'a> {
    /// The first success action (the step's, then the workflow's not overridden by name)
    /// whose criteria hold.
    pub(super) fn success_action(
        &self,
        wi: usize,
        si: usize,
        scope: &Scope,
    ) -> Option<(SuccessKind, Option<Label>)> {
        let doc = &self.flows.doc;
        let w = &doc.workflows[wi];
        let own: Vec<&SuccessAction> = w.steps[si]
            .on_success
            .iter()
            .filter_map(|a| success(doc, a))
            .collect();
        let inherited = w
            .success_actions
            .iter()
            .filter_map(|a| success(doc, a))
            .filter(|a| !own.iter().any(|o| o.name == a.name));
        own.iter()
            .copied()
            .chain(inherited)
            .find(|a| holds(&a.criteria, doc, scope))
            .map(|a| (a.kind, a.goto.clone()))
    }

    /// The first failure action whose criteria hold; a `retry` whose limit is spent gives
    /// way to the actions after it.
    pub(super) fn failure_action(
        &self,
        wi: usize,
        si: usize,
        scope: &Scope,
        retries: &HashMap<(usize, String), u64>,
    ) -> Option<&'a FailureAction> {
        let flows: &'a Flows = self.flows;
        let doc = &flows.doc;
        let w = &doc.workflows[wi];
        let own: Vec<&FailureAction> = w.steps[si]
            .on_failure
            .iter()
            .filter_map(|a| failure(doc, a))
            .collect();
        let inherited = w
            .failure_actions
            .iter()
            .filter_map(|a| failure(doc, a))
            .filter(|a| !own.iter().any(|o| o.name == a.name));
        own.iter().copied().chain(inherited).find(|a| {
            let spent = a.kind == FailureKind::Retry
                && retries.get(&(si, a.name.clone())).copied().unwrap_or(0)
                    >= a.retry_limit.unwrap_or(1);
            !spent && holds(&a.criteria, doc, scope)
        })
    }
}

fn success<'d>(
    doc: &'d crate::arazzo::Arazzo,
    a: &'d Reusable<SuccessAction>,
) -> Option<&'d SuccessAction> {
    match a {
        Reusable::Inline(a) => Some(a),
        Reusable::Reference(r) => doc.components.success_actions.get(&r.name),
    }
}

fn failure<'d>(
    doc: &'d crate::arazzo::Arazzo,
    a: &'d Reusable<FailureAction>,
) -> Option<&'d FailureAction> {
    match a {
        Reusable::Inline(a) => Some(a),
        Reusable::Reference(r) => doc.components.failure_actions.get(&r.name),
    }
}

/// True when every criterion passes (an empty list always does).
fn holds(cs: &[Criterion], doc: &crate::arazzo::Arazzo, scope: &Scope) -> bool {
    criterion::judge_all(cs, doc, scope).0.passed()
}

/// Seconds from a `Retry-After` header of the last response (delay-seconds form only).
pub(super) fn retry_after(scope: &Scope) -> Option<f64> {
    let m = scope.exchange.as_ref()?.response.as_ref()?;
    m.headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("retry-after"))
        .and_then(|(_, v)| v.trim().parse::<f64>().ok())
}
