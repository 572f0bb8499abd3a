//! A suite derived from an OpenAPI or Swagger document alone: what `accord init` writes as a
//! starting point, and what a spec-only run (`accord run --spec FILE`) loads and runs.
//!
//! For every operation, in document order, one case sends a valid request built from the
//! document (`request`): parameters and body from examples, then defaults, enumerations and
//! the smallest values the schema allows ([`value`]); path parameters captured from the same
//! resource's collection when it has one, else from examples; the credentials of the
//! operation's first Security Requirement that accord can send ([`auth`]). The `protocol`
//! section then generates the rest with the existing rules: `negative` breaks one rule of each
//! operation's input at a time (graded as warnings: a document describes valid requests and
//! rarely says that a server must refuse the others), and `auth` sends a request of a guarded
//! operation without each credential (a request that lacks the credentials its operation
//! requires must not be served).
//!
//! The main function is [`suite`]; the text it returns is a suite file, with comments.

pub mod auth;
mod discover;
mod pattern;
mod request;
pub mod spec_only;
pub mod value;

use std::fmt::Write as _;

use serde_json::Value;

use crate::openapi::Spec;
use auth::{Credential, Place};
use discover::Capture;
pub use request::Built;

/// What to derive.
#[derive(Debug, Clone)]
pub struct Options {
    /// The suite's `api`.
    pub api: String,
    /// The suite's `spec`: the document's path relative to the suite file.
    pub spec_ref: String,
}

/// A derived suite.
#[derive(Debug, Clone)]
pub struct Starter {
    /// The suite file.
    pub text: String,
    /// The credentials any of its cases sends, by variable.
    pub credentials: Vec<Credential>,
    /// Per case (in order): the case id and the operation it exercises (`operationId`, or
    /// `METHOD /path`).
    pub cases: Vec<(String, String)>,
}

/// Derives the suite of every operation of `spec`.
pub fn suite(spec: &Spec, opts: &Options) -> Starter {
    let all = auth::schemes(spec);
    let built: Vec<Built> = spec
        .operations
        .iter()
        .map(|op| request::build(spec, op, &all))
        .collect();
    let mut used: Vec<Credential> = Vec::new();
    for b in &built {
        for c in &b.credentials {
            if !used.iter().any(|u| u.variable == c.variable) {
                used.push(c.clone());
            }
        }
    }
    let mut t = String::new();
    header(&mut t, spec, opts, &used);
    protocol(&mut t, spec, &built);
    t.push_str("\ncases:\n");
    let mut ids: Vec<String> = Vec::new();
    let mut cases = Vec::new();
    for b in &built {
        let mut id = b.id.clone();
        while ids.contains(&id) {
            id.push_str("-x");
        }
        ids.push(id.clone());
        write_case(&mut t, b, &id);
        cases.push((id, b.operation.clone()));
    }
    Starter {
        text: t,
        credentials: used,
        cases,
    }
}

fn header(t: &mut String, spec: &Spec, opts: &Options, used: &[Credential]) {
    let _ = writeln!(
        t,
        "# A suite derived from {} ({} {}) by `accord init`: one case per operation, each",
        opts.spec_ref, spec.title, spec.api_version
    );
    t.push_str(
        "# sending a valid request built from the document (examples first, then defaults,\n\
         # enumerations and the smallest values its schemas allow). Edit it: narrow each\n\
         # `expect.status` to what your data gives, add body assertions, and replace the\n\
         # requirement placeholders with the clauses of your API's own documentation.\n",
    );
    for c in used {
        let _ = writeln!(
            t,
            "# `{}` holds {} (security scheme `{}`).",
            c.variable, c.holds, c.scheme
        );
    }
    let _ = writeln!(t, "api: {}", json(&Value::String(opts.api.clone())));
    let _ = writeln!(t, "spec: {}", json(&Value::String(opts.spec_ref.clone())));
    let _ = writeln!(
        t,
        "title: {}",
        json(&Value::String(if spec.title.is_empty() {
            opts.api.clone()
        } else {
            spec.title.clone()
        }))
    );
    if !used.is_empty() {
        let names: Vec<&str> = used.iter().map(|c| c.variable.as_str()).collect();
        let _ = writeln!(
            t,
            "# Credentials come from a profile (targets.{}.secrets) or the environment.",
            opts.api
        );
        let _ = writeln!(t, "requires: [{}]", names.join(", "));
    }
}

fn protocol(t: &mut String, spec: &Spec, built: &[Built]) {
    let probes: Vec<&Built> = built
        .iter()
        .filter(|b| b.probe && b.operation_id.is_some() && b.probe_request.is_some())
        .collect();
    let guarded = built
        .iter()
        .filter(|b| !b.credentials.is_empty() && b.single_step() && b.probe_request.is_some())
        .min_by_key(|b| (b.method != "GET", b.inputs, b.index));
    if probes.is_empty() && guarded.is_none() {
        return;
    }
    t.push_str("\nprotocol:\n");
    if !probes.is_empty() {
        t.push_str(
            "  # One case per rule of each operation's input (type, enum, bounds, length, items,\n\
             \x20 # pattern, format, required), each breaking that rule alone. The document states\n\
             \x20 # these rules for valid requests, not that a server must refuse the rest, so an\n\
             \x20 # accepted request is a warning (`level: warning`). Where your API's documentation\n\
             \x20 # says a request is refused, raise the level to `failure` and name the clause.\n",
        );
        t.push_str("  negative:\n");
        let _ = writeln!(
            t,
            "    requirement: {}",
            json(&Value::String(format!(
                "{}: parameter and schema rules",
                spec.file
            )))
        );
        t.push_str("    level: warning\n    probes:\n");
        for b in probes {
            let Some(r) = &b.probe_request else { continue };
            if b.single_step() {
                let _ = writeln!(t, "      - request: {}", json(r));
            } else {
                t.push_str("      - setup:\n");
                write_steps(t, b.setup(), "          ");
                let _ = writeln!(t, "        request: {}", json(r));
            }
            if b.assumed_ids {
                let _ = writeln!(t, "        skip_if_status: [404]   # {ASSUMED}");
            }
        }
    }
    if let Some(g) = guarded {
        t.push_str(
            "  # A request without a credential its operation requires is not served: it is\n\
             \x20 # refused for the credential (RFC 9110 15.5.2: 401; 15.5.4: 403, or 404 to hide\n\
             \x20 # the resource) or for its input, which a server may judge first (400, 422).\n",
        );
        t.push_str("  auth:\n");
        t.push_str("    requirement: \"OpenAPI Security Requirement; RFC 9110 15.5.2 (401), 15.5.4 (403)\"\n");
        let _ = writeln!(
            t,
            "    request: {}",
            json(g.probe_request.as_ref().unwrap_or(&Value::Null))
        );
        let operations: Vec<Value> = built
            .iter()
            .filter(|b| !b.credentials.is_empty())
            .filter_map(|b| b.operation_id.clone().map(Value::String))
            .collect();
        if !operations.is_empty() {
            let _ = writeln!(t, "    operations: {}", json(&Value::Array(operations)));
        }
        t.push_str("    credentials:\n");
        let mut headers = 0;
        for c in &g.credentials {
            let Place::Header(h) = &c.place else { continue };
            headers += 1;
            let _ = writeln!(
                t,
                "      - {{name: {}, header: {}, scheme: {}, value: {}, missing: {{status: {REFUSED}}}}}",
                json(&Value::String(c.variable.replace('_', "-"))),
                json(&Value::String(h.clone())),
                if c.prefix == "Bearer " {
                    "bearer"
                } else {
                    "key"
                },
                json(&Value::String(if c.prefix == "Bearer " {
                    format!("{{{{{}}}}}", c.variable)
                } else {
                    c.value()
                })),
            );
        }
        if headers > 1 {
            let _ = writeln!(t, "    none: {{status: {REFUSED}}}");
        }
    }
}

fn write_case(t: &mut String, b: &Built, id: &str) {
    let _ = writeln!(t, "\n  # {} {}", b.method, b.path);
    for note in &b.notes {
        let _ = writeln!(t, "  # NOTE: {note}");
    }
    let _ = writeln!(t, "  - id: {id}");
    let _ = writeln!(
        t,
        "    title: {}",
        json(&Value::String(format!(
            "{} {} answers a valid request",
            b.method, b.path
        )))
    );
    let _ = writeln!(
        t,
        "    requirements: [{}]   # replace with your API's clauses",
        json(&Value::String(format!("OpenAPI {}", b.operation)))
    );
    if b.destructive {
        t.push_str("    destructive: true   # changes state: loopback only unless allowed\n");
    }
    t.push_str("    steps:\n");
    write_steps(t, b.setup(), "      ");
    let _ = writeln!(
        t,
        "      - request: {}",
        json(&b.steps[b.steps.len() - 1].request)
    );
    if b.assumed_ids {
        let _ = writeln!(t, "        skip_if_status: [404]   # {ASSUMED}");
    }
    let codes: Vec<String> = b.statuses.iter().map(u16::to_string).collect();
    let _ = writeln!(
        t,
        "        expect:\n          status: [{}]   # every status documented; narrow it",
        codes.join(", ")
    );
}

/// Why a request whose path parameters come from examples is skipped on a 404.
const ASSUMED: &str = "its path parameters come from examples: the target may lack them";

/// Steps sending a request and capturing what later steps need, indented by `indent`.
fn write_steps(t: &mut String, steps: &[request::Step], indent: &str) {
    for step in steps {
        let _ = writeln!(t, "{indent}- request: {}", json(&step.request));
        if step.capture.is_empty() {
            continue;
        }
        let _ = writeln!(t, "{indent}  capture:");
        for (name, from) in &step.capture {
            let (key, at) = match from {
                Capture::Body(at) => ("body", at),
                Capture::Header(name) => ("header", name),
            };
            let _ = writeln!(
                t,
                "{indent}    {name}: {{{key}: {}, skip_if_missing: true}}",
                json(&Value::String(at.clone()))
            );
        }
    }
}

/// The API name a document gets when none is given: its file stem, or its directory's name
/// for a generic stem (`openapi`, `swagger`, `api`, `spec`), as kebab-case words.
pub fn api_name(path: &std::path::Path) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let generic = ["openapi", "swagger", "api", "spec", "index", "schema"];
    let name = if generic.contains(&stem.to_ascii_lowercase().as_str()) {
        std::fs::canonicalize(path)
            .ok()
            .and_then(|p| Some(p.parent()?.file_name()?.to_string_lossy().into_owned()))
            .unwrap_or(stem)
    } else {
        stem
    };
    let slug = slug(&name, '-');
    if slug.is_empty() { "api".into() } else { slug }
}

/// A name's words, lower case, joined by `sep`: `listAccounts` and `list accounts` both
/// give `list-accounts` with `-`.
pub(crate) fn slug(name: &str, sep: char) -> String {
    let mut out = String::new();
    let mut previous_lower = false;
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            if c.is_ascii_uppercase() && previous_lower {
                out.push(sep);
            }
            out.push(c.to_ascii_lowercase());
            previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        } else {
            if !out.is_empty() && !out.ends_with(sep) {
                out.push(sep);
            }
            previous_lower = false;
        }
    }
    out.trim_matches(sep).to_owned()
}

/// The statuses that refuse a request without its credentials: see the comment written
/// above `auth`.
const REFUSED: &str = "[400, 401, 403, 404, 422]";

/// A value written inline: JSON is YAML, and keeps every string quoted.
pub(crate) fn json(v: &Value) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

#[cfg(test)]
mod tests;
