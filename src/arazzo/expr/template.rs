//! Expressions embedded in text (`https://{$inputs.host}/pets`): a [`Template`] of literal
//! text and expressions, and [`classify`], which decides whether a string value of a
//! document is one whole expression, a template, or plain text.

use super::{Expr, ExprError, ROOTS, error, parse};

/// A string with embedded expressions: `https://{$inputs.host}/pets/{$steps.a.outputs.id}`.
#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    pub parts: Vec<Part>,
}

/// A piece of a [`Template`].
#[derive(Debug, Clone, PartialEq)]
pub enum Part {
    Text(String),
    /// An embedded expression and the byte offset of its `{` in the string.
    Expr(Expr, usize),
}

impl Template {
    /// Splits a string at each `{$…}`. A `{` not followed by `$` is text, so JSON and XML
    /// payload templates keep their own braces.
    pub fn parse(text: &str) -> Result<Template, ExprError> {
        let mut parts = Vec::new();
        let mut literal = String::new();
        let mut rest = text;
        let mut offset = 0;
        while let Some(open) = rest.find("{$") {
            literal.push_str(&rest[..open]);
            let inner = &rest[open + 1..];
            let Some(close) = inner.find('}') else {
                return Err(error(offset + open, "`{$` without a closing `}`"));
            };
            let expr = parse(&inner[..close]).map_err(|e| ExprError {
                at: offset + open + 1 + e.at,
                ..e
            })?;
            if !literal.is_empty() {
                parts.push(Part::Text(std::mem::take(&mut literal)));
            }
            parts.push(Part::Expr(expr, offset + open));
            offset += open + close + 2;
            rest = &inner[close + 1..];
        }
        literal.push_str(rest);
        if !literal.is_empty() {
            parts.push(Part::Text(literal));
        }
        Ok(Template { parts })
    }

    /// True when the string embeds at least one expression.
    pub fn has_expressions(&self) -> bool {
        self.parts.iter().any(|p| matches!(p, Part::Expr(..)))
    }

    /// The embedded expressions, in order.
    pub fn expressions(&self) -> impl Iterator<Item = &Expr> {
        self.parts.iter().filter_map(|p| match p {
            Part::Expr(e, _) => Some(e),
            Part::Text(_) => None,
        })
    }
}

/// What a string value of a document is.
#[derive(Debug, Clone, PartialEq)]
pub enum Text {
    /// A whole runtime expression: its value keeps its type.
    Expr(Expr),
    /// Text with embedded expressions: the result is a string.
    Template(Template),
    /// Plain text.
    Literal,
}

/// Classifies a string value (a parameter value, a payload field, an output): a whole
/// expression when it starts with a known root, a template when it embeds `{$…}`, otherwise
/// literal text. `Err` for text that looks like an expression but is not one, so that a
/// misspelt `$input.name` is reported instead of being sent as it stands.
pub fn classify(text: &str) -> Result<Text, ExprError> {
    if text.starts_with('$') && looks_like_expression(text) {
        return parse(text).map(Text::Expr);
    }
    let t = Template::parse(text)?;
    Ok(if t.has_expressions() {
        Text::Template(t)
    } else {
        Text::Literal
    })
}

/// `$word` where the word is a root or close to one: `$inputs.x`, `$input.x`, not `$5`.
fn looks_like_expression(text: &str) -> bool {
    let word_end = text[1..]
        .find(|c: char| !c.is_ascii_alphabetic())
        .map_or(text.len(), |i| i + 1);
    let word = &text[..word_end];
    word.len() > 1
        && (ROOTS.contains(&word)
            || crate::diag::did_you_mean(word, ROOTS.iter().copied()).is_some())
}
