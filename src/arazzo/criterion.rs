//! Judging a Criterion Object: `simple` conditions ([`super::condition`]), `regex` (the
//! pattern must match somewhere in the context, ECMAScript-style syntax through
//! `fancy-regex`), `jsonpath` (RFC 9535 through `serde_json_path`: passes when the query
//! selects at least one node).
//!
//! `xpath` is not supported: accord has no XPath 3.1 engine and its APIs speak JSON, so such
//! a criterion is a harness error ("could not judge"), never a pass or a failure. JSONPath
//! with the version `draft-goessner-dispatch-jsonpath-00` is evaluated by the RFC 9535
//! engine: queries valid in both read the same; Goessner-only script expressions are refused.
//!
//! [`judge`] gives a [`Verdict`]; [`check`] finds the problems of a criterion that can be
//! known before running (for `accord lint`).

use serde_json::Value;

use super::condition;
use super::eval::{self, Scope};
use super::expr::{self, Expr, Template};
use super::model::{Arazzo, Criterion, CriterionKind};

/// The result of judging one criterion.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    Pass,
    /// It does not hold; says why, with the values it saw.
    Fail(String),
    /// It cannot be judged (unsupported type, a pattern that becomes invalid once filled in).
    Error(String),
}

/// Judges a criterion against what the workflow has seen.
pub fn judge(c: &Criterion, doc: &Arazzo, scope: &Scope) -> Verdict {
    match judge_inner(c, doc, scope) {
        Ok(v) => v,
        Err(e) => Verdict::Error(e),
    }
}

fn judge_inner(c: &Criterion, doc: &Arazzo, scope: &Scope) -> Result<Verdict, String> {
    if c.kind == CriterionKind::Simple {
        let cond = condition::parse(&c.condition).map_err(|e| e.message)?;
        if cond.holds(doc, scope)? {
            return Ok(Verdict::Pass);
        }
        let seen: Vec<String> = cond
            .expressions()
            .iter()
            .map(|(e, text)| {
                Ok(format!(
                    "{text} = {}",
                    shown(eval::eval(e, doc, scope)?.as_ref())
                ))
            })
            .collect::<Result<_, String>>()?;
        let mut why = format!("`{}` is false", c.condition.trim());
        if !seen.is_empty() {
            why.push_str(&format!(" ({})", seen.join(", ")));
        }
        return Ok(Verdict::Fail(why));
    }
    if let CriterionKind::XPath(version) = &c.kind {
        return Err(format!(
            "xpath criteria ({version}) are not supported: accord has no XPath engine"
        ));
    }
    let context_text = c.context.as_deref().unwrap_or("");
    let context_expr = expr::parse(context_text).map_err(|e| e.message)?;
    let context = eval::eval(&context_expr, doc, scope)?;
    let condition = fill(&c.condition, doc, scope)?;
    let Some(context) = context.filter(|v| !v.is_null()) else {
        return Ok(Verdict::Fail(format!(
            "the context {context_text} is undefined or null"
        )));
    };
    match &c.kind {
        CriterionKind::Regex => {
            let re = fancy_regex::Regex::new(&condition)
                .map_err(|e| format!("`{condition}` is not a regular expression: {e}"))?;
            let text = eval::as_text(&context);
            match re.is_match(&text) {
                Ok(true) => Ok(Verdict::Pass),
                Ok(false) => Ok(Verdict::Fail(format!(
                    "`{condition}` does not match {context_text} = {}",
                    shown(Some(&context))
                ))),
                Err(e) => Err(format!("`{condition}` could not be matched: {e}")),
            }
        }
        _ => {
            let path = jsonpath(&condition)?;
            let json = eval::json_of(context);
            if path.query(&json).is_empty() {
                Ok(Verdict::Fail(format!(
                    "`{condition}` selects nothing in {context_text} = {}",
                    shown(Some(&json))
                )))
            } else {
                Ok(Verdict::Pass)
            }
        }
    }
}

/// Evaluates embedded `{$…}` expressions in a regex, JSONPath or XPath condition.
fn fill(text: &str, doc: &Arazzo, scope: &Scope) -> Result<String, String> {
    let t = Template::parse(text).map_err(|e| e.message)?;
    if !t.has_expressions() {
        return Ok(text.to_owned());
    }
    eval::render(&t, doc, scope)
}

fn jsonpath(text: &str) -> Result<serde_json_path::JsonPath, String> {
    serde_json_path::JsonPath::parse(text)
        .map_err(|e| format!("`{text}` is not RFC 9535 JSONPath: {e}"))
}

fn shown(v: Option<&Value>) -> String {
    match v {
        None => "undefined".into(),
        Some(v) => crate::diag::brief(v),
    }
}

/// What a criterion reads: its context and every expression of its condition (simple) or
/// embedded in it (other types).
pub fn expressions(c: &Criterion) -> Vec<Expr> {
    let mut out = Vec::new();
    if let Some(e) = c.context.as_deref().and_then(|t| expr::parse(t).ok()) {
        out.push(e);
    }
    if c.kind == CriterionKind::Simple {
        if let Ok(cond) = condition::parse(&c.condition) {
            out.extend(cond.expressions().into_iter().map(|(e, _)| e.clone()));
        }
    } else if let Ok(t) = Template::parse(&c.condition) {
        out.extend(t.expressions().cloned());
    }
    out
}

/// Problems knowable before running, each with the field it concerns (`condition` or
/// `context`).
pub fn check(c: &Criterion) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    match (&c.kind, &c.context) {
        (CriterionKind::Simple, Some(ctx)) => {
            if let Err(e) = expr::parse(ctx) {
                out.push(("context", e.message));
            }
        }
        (CriterionKind::Simple, None) => {}
        (kind, None) => out.push((
            "condition",
            format!("a `{}` criterion needs a `context`", kind.as_str()),
        )),
        (_, Some(ctx)) => {
            if let Err(e) = expr::parse(ctx) {
                out.push(("context", e.message));
            }
        }
    }
    match &c.kind {
        CriterionKind::Simple => {
            if let Err(e) = condition::parse(&c.condition) {
                out.push(("condition", located(&c.condition, &e)));
            }
        }
        kind => match Template::parse(&c.condition) {
            Err(e) => out.push(("condition", located(&c.condition, &e))),
            Ok(t) if !t.has_expressions() => {
                let problem = match kind {
                    CriterionKind::Regex => fancy_regex::Regex::new(&c.condition)
                        .err()
                        .map(|e| format!("invalid regular expression: {e}")),
                    CriterionKind::JsonPath(_) => jsonpath(&c.condition).err(),
                    _ => None,
                };
                out.extend(problem.map(|p| ("condition", p)));
            }
            Ok(_) => {}
        },
    }
    out
}

/// A parse error with the column it is at, for conditions shown in a diagnostic.
fn located(text: &str, e: &expr::ExprError) -> String {
    if text.len() < 2 || e.at == 0 {
        return e.message.clone();
    }
    format!(
        "{} (at character {} of the condition)",
        e.message,
        text[..e.at.min(text.len())].chars().count() + 1
    )
}

impl Verdict {
    pub fn passed(&self) -> bool {
        *self == Verdict::Pass
    }
}

/// Judges every criterion of a list: the first that does not pass decides.
pub fn judge_all(cs: &[Criterion], doc: &Arazzo, scope: &Scope) -> (Verdict, Option<usize>) {
    for (i, c) in cs.iter().enumerate() {
        let v = judge(c, doc, scope);
        if !v.passed() {
            return (v, Some(i));
        }
    }
    (Verdict::Pass, None)
}

#[cfg(test)]
mod tests;
