//! Runtime expressions as the Arazzo specification defines them (its "Runtime Expressions"
//! section, 1.0 and 1.1 grammars): `$statusCode`, `$response.body#/data/0/id`,
//! `$steps.login.outputs.token`, and the same embedded in text as `{$inputs.host}`.
//!
//! [`parse`] reads one whole expression into an [`Expr`]; [`Template`] splits a string into
//! literal text and embedded expressions; [`Value::classify`](classify) decides which of the
//! two a string value of a document is. Evaluation lives in [`super::eval`].
//!
//! Names of inputs and outputs may contain dots (`my.org.User`), and the specification's own
//! examples also use dots to reach into a value (`$response.body.count`,
//! `$inputs.customer.firstName`). Both readings are kept: a name is stored as its dotted
//! segments, and evaluation takes the longest prefix that names something.

mod template;

use std::fmt;

pub use template::{Part, Template, Text, classify};

/// One runtime expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// `$url`: the URL of the request.
    Url,
    /// `$method`: the HTTP method of the request.
    Method,
    /// `$statusCode`: the status of the response.
    StatusCode,
    /// `$self`: the document's own URI (1.1).
    SelfUri,
    /// `$request.…`
    Request(Source),
    /// `$response.…`
    Response(Source),
    /// `$message.…` (AsyncAPI steps, 1.1).
    Message(Source),
    /// `$inputs.name`: an input of the running workflow.
    Inputs(Path),
    /// `$outputs.name`: an output of the workflow (for a step that runs a workflow, the
    /// outputs of the workflow it ran).
    Outputs(Path),
    /// `$steps.id.outputs.name`
    Steps { step: String, output: Path },
    /// `$workflows.id.inputs.name` or `$workflows.id.outputs.name`
    Workflows {
        workflow: String,
        field: WorkflowField,
        name: Path,
    },
    /// `$workflows.id.steps.step` with an optional `.outputs.name`: what 1.1's `dependsOn`
    /// and some published documents write to reach a step of another workflow.
    WorkflowStep {
        workflow: String,
        step: String,
        output: Option<Path>,
    },
    /// `$sourceDescriptions.name.reference`: an operation or workflow id of a source, or one
    /// of its fields (`url`, `type`).
    SourceDescriptions { source: String, reference: String },
    /// `$components.kind.name`
    Components { kind: String, name: String },
}

/// Which part of a workflow `$workflows.id.…` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkflowField {
    Inputs,
    Outputs,
}

/// The part of a request, response or message an expression reads.
#[derive(Debug, Clone, PartialEq)]
pub enum Source {
    /// A header, by case-insensitive name.
    Header(String),
    /// A query parameter, by name.
    Query(String),
    /// A path parameter, by name.
    Path(String),
    /// The body, or the value at a JSON Pointer in it (as reference tokens).
    Body(Vec<String>),
    /// A message payload (AsyncAPI), likewise.
    Payload(Vec<String>),
}

/// A name (its dot-separated segments) and the reference tokens that follow it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Path {
    /// `my.org.User` as `["my", "org", "User"]`; the longest prefix that names something wins.
    pub segments: Vec<String>,
    /// From `#/a/b` or `[0]` accessors.
    pub pointer: Vec<String>,
}

/// Why a text is not a runtime expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExprError {
    /// Byte offset into the text where the problem is.
    pub at: usize,
    pub message: String,
}

impl fmt::Display for ExprError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// The roots an expression may start with, for "did you mean" hints.
pub const ROOTS: &[&str] = &[
    "$url",
    "$method",
    "$statusCode",
    "$self",
    "$request",
    "$response",
    "$message",
    "$inputs",
    "$outputs",
    "$steps",
    "$workflows",
    "$sourceDescriptions",
    "$components",
];

fn error(at: usize, message: impl Into<String>) -> ExprError {
    ExprError {
        at,
        message: message.into(),
    }
}

/// Parses a whole runtime expression.
pub fn parse(text: &str) -> Result<Expr, ExprError> {
    let Some(rest) = text.strip_prefix('$') else {
        return Err(error(0, "a runtime expression starts with `$`"));
    };
    let (root, tail) = match rest.find(['.', '#', '[']) {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    let after = |n: usize| 1 + root.len() + n;
    let bare = |e: Expr| {
        if tail.is_empty() {
            Ok(e)
        } else {
            Err(error(
                after(0),
                format!("`${root}` takes nothing after it, found `{tail}`"),
            ))
        }
    };
    let dotted = || {
        tail.strip_prefix('.').ok_or_else(|| {
            error(
                after(0),
                format!("`${root}` must be followed by `.` and a name"),
            )
        })
    };
    match root {
        "url" => bare(Expr::Url),
        "method" => bare(Expr::Method),
        "statusCode" => bare(Expr::StatusCode),
        "self" => bare(Expr::SelfUri),
        "request" => Ok(Expr::Request(source(dotted()?, after(1))?)),
        "response" => Ok(Expr::Response(source(dotted()?, after(1))?)),
        "message" => Ok(Expr::Message(source(dotted()?, after(1))?)),
        "inputs" => Ok(Expr::Inputs(path(dotted()?, after(1))?)),
        "outputs" => Ok(Expr::Outputs(path(dotted()?, after(1))?)),
        "steps" => {
            let rest = dotted()?;
            let (step, rest) = id(rest, after(1), "step id")?;
            let rest = rest.strip_prefix(".outputs.").ok_or_else(|| {
                error(
                    after(1 + step.len()),
                    format!("write `$steps.{step}.outputs.<name>`"),
                )
            })?;
            let output = path(rest, after(1 + step.len() + 9))?;
            Ok(Expr::Steps { step, output })
        }
        "workflows" => workflows(dotted()?, after(1)),
        "sourceDescriptions" => {
            let rest = dotted()?;
            let (source, rest) = id(rest, after(1), "source description name")?;
            match rest.strip_prefix('.') {
                Some(reference) if !reference.is_empty() => Ok(Expr::SourceDescriptions {
                    source,
                    reference: reference.to_owned(),
                }),
                _ => Err(error(
                    after(1 + source.len()),
                    format!("write `$sourceDescriptions.{source}.<operationId or field>`"),
                )),
            }
        }
        "components" => {
            let rest = dotted()?;
            match rest.split_once('.') {
                Some((kind, name)) if !name.is_empty() => {
                    const KINDS: &[&str] =
                        &["parameters", "successActions", "failureActions", "inputs"];
                    if !KINDS.contains(&kind) {
                        return Err(error(
                            after(1),
                            format!(
                                "`$components.{kind}` is not a kind of component (parameters, successActions, failureActions)"
                            ),
                        ));
                    }
                    Ok(Expr::Components {
                        kind: kind.to_owned(),
                        name: name.to_owned(),
                    })
                }
                _ => Err(error(after(1), "write `$components.<kind>.<name>`")),
            }
        }
        _ => {
            let mut message = format!("`${root}` is not a runtime expression");
            if let Some(s) = crate::diag::did_you_mean(&format!("${root}"), ROOTS.iter().copied()) {
                message.push_str(&format!("; did you mean `{s}`?"));
            }
            Err(error(0, message))
        }
    }
}

fn workflows(rest: &str, at: usize) -> Result<Expr, ExprError> {
    let (workflow, rest) = id(rest, at, "workflow id")?;
    let at = at + workflow.len();
    if let Some(rest) = rest.strip_prefix(".steps.") {
        let (step, rest) = id(rest, at + 7, "step id")?;
        let output = match rest.strip_prefix(".outputs.") {
            Some(name) => Some(path(name, at + 7 + step.len() + 9)?),
            None if rest.is_empty() => None,
            None => {
                return Err(error(
                    at + 7 + step.len(),
                    format!("write `$workflows.{workflow}.steps.{step}.outputs.<name>`"),
                ));
            }
        };
        return Ok(Expr::WorkflowStep {
            workflow,
            step,
            output,
        });
    }
    let (field, name) = if let Some(n) = rest.strip_prefix(".inputs.") {
        (WorkflowField::Inputs, n)
    } else if let Some(n) = rest.strip_prefix(".outputs.") {
        (WorkflowField::Outputs, n)
    } else {
        return Err(error(
            at,
            format!("write `$workflows.{workflow}.inputs.<name>` or `.outputs.<name>`"),
        ));
    };
    Ok(Expr::Workflows {
        workflow,
        field,
        name: path(name, at + 9)?,
    })
}

/// Reads an id made of `[A-Za-z0-9_-]`; returns it and the rest.
fn id<'t>(text: &'t str, at: usize, what: &str) -> Result<(String, &'t str), ExprError> {
    let end = text
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
        .unwrap_or(text.len());
    if end == 0 {
        return Err(error(at, format!("expected a {what}")));
    }
    Ok((text[..end].to_owned(), &text[end..]))
}

fn source(text: &str, at: usize) -> Result<Source, ExprError> {
    let named = |rest: &str, n: usize, make: fn(String) -> Source| {
        if rest.is_empty() {
            Err(error(at + n, "expected a name"))
        } else {
            Ok(make(rest.to_owned()))
        }
    };
    if let Some(name) = text.strip_prefix("header.") {
        if let Some(bad) = name.find(|c: char| !is_tchar(c)) {
            return Err(error(
                at + 7 + bad,
                format!("`{name}` is not a header name"),
            ));
        }
        return named(name, 7, Source::Header);
    }
    if let Some(name) = text.strip_prefix("query.") {
        return named(name, 6, Source::Query);
    }
    if let Some(name) = text.strip_prefix("path.") {
        return named(name, 5, Source::Path);
    }
    for (word, make) in [
        ("body", Source::Body as fn(Vec<String>) -> Source),
        ("payload", Source::Payload),
    ] {
        if let Some(rest) = text.strip_prefix(word) {
            return Ok(make(accessors(rest, at + word.len())?));
        }
    }
    Err(error(
        at,
        format!("`{text}`: expected `header.`, `query.`, `path.`, `body` or `payload`"),
    ))
}

/// RFC 9110 `tchar`.
fn is_tchar(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c)
}

/// A name with optional accessors: `name`, `name#/a/0`, `name.a[0]`.
fn path(text: &str, at: usize) -> Result<Path, ExprError> {
    let end = text.find(['#', '[']).unwrap_or(text.len());
    let name = &text[..end];
    if name.is_empty() {
        return Err(error(at, "expected a name"));
    }
    let segments: Vec<String> = name.split('.').map(str::to_owned).collect();
    if segments.iter().any(String::is_empty) {
        return Err(error(at, format!("`{name}` is not a name")));
    }
    Ok(Path {
        segments,
        pointer: accessors(&text[end..], at + end)?,
    })
}

/// `#/json/pointer`, or `.name` and `[index]` accessors, as reference tokens.
fn accessors(text: &str, at: usize) -> Result<Vec<String>, ExprError> {
    if let Some(ptr) = text.strip_prefix('#') {
        if let Some(bad) = ptr.find(['{', '}']) {
            return Err(error(
                at + 1 + bad,
                "a JSON Pointer in an expression cannot hold `{` or `}`",
            ));
        }
        return crate::pointer::tokens(ptr).ok_or_else(|| {
            error(
                at + 1,
                format!("`{ptr}` is not a JSON Pointer: it must start with `/`"),
            )
        });
    }
    let mut out = Vec::new();
    let mut rest = text;
    let mut pos = at;
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix('.') {
            let end = r.find(['.', '[']).unwrap_or(r.len());
            if end == 0 {
                return Err(error(pos + 1, "expected a property name after `.`"));
            }
            out.push(r[..end].to_owned());
            rest = &r[end..];
            pos += 1 + end;
        } else if let Some(r) = rest.strip_prefix('[') {
            let Some(close) = r.find(']') else {
                return Err(error(pos, "`[` without `]`"));
            };
            let inner = r[..close].trim();
            let key = inner
                .strip_prefix('\'')
                .and_then(|s| s.strip_suffix('\''))
                .map(str::to_owned)
                .unwrap_or_else(|| inner.to_owned());
            if key.is_empty() {
                return Err(error(pos + 1, "expected an index inside `[]`"));
            }
            out.push(key);
            rest = &r[close + 1..];
            pos += close + 2;
        } else {
            return Err(error(
                pos,
                format!("unexpected `{rest}`: expected `#/pointer`, `.name` or `[index]`"),
            ));
        }
    }
    Ok(out)
}

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = |p: &Path| {
            let mut s = p.segments.join(".");
            if !p.pointer.is_empty() {
                s.push('#');
                for t in &p.pointer {
                    s.push('/');
                    s.push_str(&crate::pointer::escape(t));
                }
            }
            s
        };
        match self {
            Expr::Url => f.write_str("$url"),
            Expr::Method => f.write_str("$method"),
            Expr::StatusCode => f.write_str("$statusCode"),
            Expr::SelfUri => f.write_str("$self"),
            Expr::Request(s) => write!(f, "$request.{s}"),
            Expr::Response(s) => write!(f, "$response.{s}"),
            Expr::Message(s) => write!(f, "$message.{s}"),
            Expr::Inputs(p) => write!(f, "$inputs.{}", path(p)),
            Expr::Outputs(p) => write!(f, "$outputs.{}", path(p)),
            Expr::Steps { step, output } => write!(f, "$steps.{step}.outputs.{}", path(output)),
            Expr::Workflows {
                workflow,
                field,
                name,
            } => {
                let field = match field {
                    WorkflowField::Inputs => "inputs",
                    WorkflowField::Outputs => "outputs",
                };
                write!(f, "$workflows.{workflow}.{field}.{}", path(name))
            }
            Expr::WorkflowStep {
                workflow,
                step,
                output,
            } => {
                write!(f, "$workflows.{workflow}.steps.{step}")?;
                match output {
                    Some(o) => write!(f, ".outputs.{}", path(o)),
                    None => Ok(()),
                }
            }
            Expr::SourceDescriptions { source, reference } => {
                write!(f, "$sourceDescriptions.{source}.{reference}")
            }
            Expr::Components { kind, name } => write!(f, "$components.{kind}.{name}"),
        }
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pointer = |word: &str, toks: &[String], f: &mut fmt::Formatter<'_>| {
            f.write_str(word)?;
            if !toks.is_empty() {
                f.write_str("#")?;
                for t in toks {
                    write!(f, "/{}", crate::pointer::escape(t))?;
                }
            }
            Ok(())
        };
        match self {
            Source::Header(h) => write!(f, "header.{h}"),
            Source::Query(q) => write!(f, "query.{q}"),
            Source::Path(p) => write!(f, "path.{p}"),
            Source::Body(t) => pointer("body", t, f),
            Source::Payload(t) => pointer("payload", t, f),
        }
    }
}

#[cfg(test)]
mod tests;
