//! Simple conditions (the Criterion Object's default type): literals, runtime expressions and
//! the operators `< <= > >= == != ! && || ()`, with property access (`.name`, `[0]`) on
//! expressions.
//!
//! Comparison follows the specification's "Condition Evaluation" rules: strings compare
//! without regard to case, a numeric string compared with a number is read as a number, and
//! `null` equals only `null` (an undefined value counts as `null`, so `$response.body#/x ==
//! null` holds when `x` is absent). A condition passes only when it evaluates to `true`.
//!
//! Inside a condition an expression ends at white space or at an operator character
//! (`= < > ! & | ( )`).

use std::cmp::Ordering;

use serde_json::Value;

use super::eval::{self, Scope};
use super::expr::{self, Expr, ExprError};
use super::model::Arazzo;

/// A parsed simple condition.
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    Or(Vec<Condition>),
    And(Vec<Condition>),
    Not(Box<Condition>),
    Compare(Operand, Op, Operand),
    Operand(Operand),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Operand {
    Literal(Value),
    /// An expression and its text as written.
    Expr(Expr, String),
    Group(Box<Condition>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Open,
    Close,
    Not,
    And,
    Or,
    Op(Op),
    Literal(Value),
    Expr(Expr, String),
}

/// Parses a condition. The 1.0 specification's components example wraps a whole condition
/// in braces (`{$statusCode == 401}`); that form is read too.
pub fn parse(text: &str) -> Result<Condition, ExprError> {
    let open = text.len() - text.trim_start().len();
    let wrapped = text
        .trim()
        .strip_prefix('{')
        .and_then(|t| t.strip_suffix('}'))
        .filter(|inner| inner.starts_with('$') && !inner.contains(['{', '}']));
    let (body, shift) = match wrapped {
        Some(inner) => (inner, open + 1),
        None => (text, 0),
    };
    let tokens = tokenize(body)
        .map_err(|e| ExprError {
            at: e.at + shift,
            ..e
        })?
        .into_iter()
        .map(|(t, at)| (t, at + shift))
        .collect();
    let mut p = Parser {
        tokens,
        pos: 0,
        end: body.len() + shift,
    };
    if p.tokens.is_empty() {
        return Err(ExprError {
            at: 0,
            message: "the condition is empty".into(),
        });
    }
    let c = p.or()?;
    if p.pos < p.tokens.len() {
        return Err(ExprError {
            at: p.at(),
            message: format!("unexpected {} after a complete condition", p.describe()),
        });
    }
    Ok(c)
}

fn tokenize(text: &str) -> Result<Vec<(Token, usize)>, ExprError> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let err = |at: usize, message: String| ExprError { at, message };
    while i < b.len() {
        let c = b[i];
        let two = text.get(i..i + 2).unwrap_or("");
        let start = i;
        let token = match (c, two) {
            (b' ' | b'\t' | b'\n' | b'\r', _) => {
                i += 1;
                continue;
            }
            (_, "&&") => Token::And,
            (_, "||") => Token::Or,
            (_, "==") => Token::Op(Op::Eq),
            (_, "!=") => Token::Op(Op::Ne),
            (_, "<=") => Token::Op(Op::Le),
            (_, ">=") => Token::Op(Op::Ge),
            (b'<', _) => Token::Op(Op::Lt),
            (b'>', _) => Token::Op(Op::Gt),
            (b'!', _) => Token::Not,
            (b'(', _) => Token::Open,
            (b')', _) => Token::Close,
            (b'\'' | b'"', _) => {
                let (s, end) = quoted(text, i)
                    .ok_or_else(|| err(i, "a string literal without its closing quote".into()))?;
                i = end;
                out.push((Token::Literal(Value::String(s)), start));
                continue;
            }
            (b'$', _) => {
                let end = text[i..]
                    .find(|ch: char| ch.is_whitespace() || "=<>!&|()".contains(ch))
                    .map_or(text.len(), |n| i + n);
                let src = &text[i..end];
                let e = expr::parse(src).map_err(|e| ExprError { at: e.at + i, ..e })?;
                i = end;
                out.push((Token::Expr(e, src.to_owned()), start));
                continue;
            }
            _ => {
                let end = text[i..]
                    .find(|ch: char| ch.is_whitespace() || "=<>!&|()'\"".contains(ch))
                    .map_or(text.len(), |n| i + n);
                let word = &text[i..end];
                let lit = match word {
                    "true" => Value::Bool(true),
                    "false" => Value::Bool(false),
                    "null" => Value::Null,
                    w => match serde_json::from_str::<Value>(w) {
                        Ok(n @ Value::Number(_)) => n,
                        _ if w.is_empty() => {
                            return Err(err(i, format!("unexpected `{}`", &text[i..i + 1])));
                        }
                        _ => {
                            return Err(err(
                                i,
                                format!(
                                    "`{w}` is not a literal: write strings in single quotes ('{w}')"
                                ),
                            ));
                        }
                    },
                };
                i = end;
                out.push((Token::Literal(lit), start));
                continue;
            }
        };
        i += match token {
            Token::And | Token::Or | Token::Op(Op::Eq | Op::Ne | Op::Le | Op::Ge) => 2,
            _ => 1,
        };
        out.push((token, start));
    }
    Ok(out)
}

/// A quoted string starting at byte `i`; a doubled quote stands for one. Returns the text
/// and the byte after the closing quote.
fn quoted(text: &str, i: usize) -> Option<(String, usize)> {
    let q = text[i..].chars().next()?;
    let mut out = String::new();
    let mut chars = text[i + 1..].char_indices().peekable();
    while let Some((n, c)) = chars.next() {
        if c == q {
            if chars.peek().is_some_and(|(_, d)| *d == q) {
                out.push(q);
                chars.next();
                continue;
            }
            return Some((out, i + 1 + n + 1));
        }
        out.push(c);
    }
    None
}

struct Parser {
    tokens: Vec<(Token, usize)>,
    pos: usize,
    /// Byte offset of the end of the condition, for problems found there.
    end: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos).map(|(t, _)| t)
    }

    fn at(&self) -> usize {
        self.tokens.get(self.pos).map_or(self.end, |(_, a)| *a)
    }

    fn describe(&self) -> String {
        match self.peek() {
            None => "end of condition".into(),
            Some(Token::Open) => "`(`".into(),
            Some(Token::Close) => "`)`".into(),
            Some(Token::Not) => "`!`".into(),
            Some(Token::And) => "`&&`".into(),
            Some(Token::Or) => "`||`".into(),
            Some(Token::Op(_)) => "an operator".into(),
            Some(Token::Literal(v)) => format!("`{v}`"),
            Some(Token::Expr(_, s)) => format!("`{s}`"),
        }
    }

    fn fail<T>(&self, what: &str) -> Result<T, ExprError> {
        Err(ExprError {
            at: self.at(),
            message: format!("expected {what}, found {}", self.describe()),
        })
    }

    fn or(&mut self) -> Result<Condition, ExprError> {
        let mut items = vec![self.and()?];
        while self.peek() == Some(&Token::Or) {
            self.pos += 1;
            items.push(self.and()?);
        }
        Ok(if items.len() == 1 {
            items.remove(0)
        } else {
            Condition::Or(items)
        })
    }

    fn and(&mut self) -> Result<Condition, ExprError> {
        let mut items = vec![self.unary()?];
        while self.peek() == Some(&Token::And) {
            self.pos += 1;
            items.push(self.unary()?);
        }
        Ok(if items.len() == 1 {
            items.remove(0)
        } else {
            Condition::And(items)
        })
    }

    fn unary(&mut self) -> Result<Condition, ExprError> {
        if self.peek() == Some(&Token::Not) {
            self.pos += 1;
            return Ok(Condition::Not(Box::new(self.unary()?)));
        }
        let left = self.operand()?;
        if let Some(Token::Op(op)) = self.peek() {
            let op = *op;
            self.pos += 1;
            let right = self.operand()?;
            return Ok(Condition::Compare(left, op, right));
        }
        Ok(Condition::Operand(left))
    }

    fn operand(&mut self) -> Result<Operand, ExprError> {
        let Some((t, _)) = self.tokens.get(self.pos).cloned() else {
            return self.fail("a value");
        };
        match t {
            Token::Literal(v) => {
                self.pos += 1;
                Ok(Operand::Literal(v))
            }
            Token::Expr(e, s) => {
                self.pos += 1;
                Ok(Operand::Expr(e, s))
            }
            Token::Open => {
                self.pos += 1;
                let inner = self.or()?;
                if self.peek() != Some(&Token::Close) {
                    return self.fail("`)`");
                }
                self.pos += 1;
                Ok(Operand::Group(Box::new(inner)))
            }
            _ => self.fail("a value"),
        }
    }
}

impl Condition {
    /// True when the condition evaluates to `true`.
    pub fn holds(&self, doc: &Arazzo, scope: &Scope) -> Result<bool, String> {
        Ok(self.value(doc, scope)? == Some(Value::Bool(true)))
    }

    fn value(&self, doc: &Arazzo, scope: &Scope) -> Result<Option<Value>, String> {
        Ok(Some(Value::Bool(match self {
            Condition::Or(items) => {
                for c in items {
                    if c.holds(doc, scope)? {
                        return Ok(Some(Value::Bool(true)));
                    }
                }
                false
            }
            Condition::And(items) => {
                for c in items {
                    if !c.holds(doc, scope)? {
                        return Ok(Some(Value::Bool(false)));
                    }
                }
                true
            }
            Condition::Not(c) => !c.holds(doc, scope)?,
            Condition::Compare(l, op, r) => {
                let (l, r) = (l.value(doc, scope)?, r.value(doc, scope)?);
                compare(l.as_ref(), *op, r.as_ref())
            }
            Condition::Operand(o) => return o.value(doc, scope),
        })))
    }

    /// Every expression of the condition with its text, in order.
    pub fn expressions(&self) -> Vec<(&Expr, &str)> {
        let mut out = Vec::new();
        self.collect(&mut out);
        out
    }

    fn collect<'a>(&'a self, out: &mut Vec<(&'a Expr, &'a str)>) {
        let operand = |o: &'a Operand, out: &mut Vec<(&'a Expr, &'a str)>| match o {
            Operand::Expr(e, s) => out.push((e, s.as_str())),
            Operand::Group(c) => c.collect(out),
            Operand::Literal(_) => {}
        };
        match self {
            Condition::Or(items) | Condition::And(items) => {
                for c in items {
                    c.collect(out);
                }
            }
            Condition::Not(c) => c.collect(out),
            Condition::Compare(l, _, r) => {
                operand(l, out);
                operand(r, out);
            }
            Condition::Operand(o) => operand(o, out),
        }
    }
}

impl Operand {
    fn value(&self, doc: &Arazzo, scope: &Scope) -> Result<Option<Value>, String> {
        match self {
            Operand::Literal(v) => Ok(Some(v.clone())),
            Operand::Expr(e, _) => eval::eval(e, doc, scope),
            Operand::Group(c) => c.value(doc, scope),
        }
    }
}

/// Compares two values the way the specification asks; undefined counts as `null`.
pub fn compare(l: Option<&Value>, op: Op, r: Option<&Value>) -> bool {
    let null = Value::Null;
    let (l, r) = (l.unwrap_or(&null), r.unwrap_or(&null));
    match op {
        Op::Eq => equal(l, r),
        Op::Ne => !equal(l, r),
        _ => match order(l, r) {
            None => false,
            Some(o) => match op {
                Op::Lt => o == Ordering::Less,
                Op::Le => o != Ordering::Greater,
                Op::Gt => o == Ordering::Greater,
                _ => o != Ordering::Less,
            },
        },
    }
}

fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse::<f64>().ok().filter(|n| n.is_finite()),
        _ => None,
    }
}

fn equal(l: &Value, r: &Value) -> bool {
    match (l, r) {
        (Value::Null, Value::Null) => true,
        (Value::Null, _) | (_, Value::Null) => false,
        (Value::String(a), Value::String(b)) => a.to_lowercase() == b.to_lowercase(),
        (Value::Number(_), _) | (_, Value::Number(_)) => {
            matches!((number(l), number(r)), (Some(a), Some(b)) if a == b)
        }
        (Value::Bool(a), Value::String(s)) | (Value::String(s), Value::Bool(a)) => {
            s.eq_ignore_ascii_case(if *a { "true" } else { "false" })
        }
        _ => l == r,
    }
}

fn order(l: &Value, r: &Value) -> Option<Ordering> {
    if let (Value::String(a), Value::String(b)) = (l, r) {
        if let (Some(x), Some(y)) = (number(l), number(r)) {
            return x.partial_cmp(&y);
        }
        return Some(a.to_lowercase().cmp(&b.to_lowercase()));
    }
    number(l)?.partial_cmp(&number(r)?)
}

#[cfg(test)]
mod tests;
