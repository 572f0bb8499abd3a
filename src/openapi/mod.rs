//! OpenAPI documents: load (3.0.x and 3.1, YAML or JSON, `$ref`s within and across files;
//! Swagger 2.0 is converted to 3.0 first), index operations, and compile their schemas to
//! JSON Schema validators.
//!
//! The main type is [`Spec`]. Loading reads the root file and every file a `$ref` names
//! (`files`), converts Swagger 2.0 documents (`swagger`), checks the structure
//! (`structure`), indexes operations (`index`), converts
//! each schema in use to JSON Schema 2020-12 ([`schema`]) and compiles it once against one
//! bundled registry resource (`bundle`). Every problem found on the way is a
//! `Diagnostic` at `file:line:col`; a load returns all of them together.
//!
//! ```no_run
//! # use accord::openapi::Spec;
//! let spec = Spec::load("specs/cdr/banking-accounts-v2.yaml".as_ref()).unwrap();
//! let (op, _params) = spec.match_path("GET", "/cds-au/v1/banking/accounts?page=2").unwrap();
//! let ok = op.responses.iter().find(|r| r.status == "200").unwrap();
//! let schema = ok.content[0].schema.unwrap();
//! let violations = spec.validate(schema, &serde_json::json!({"data": {}}));
//! # let _ = violations;
//! ```

mod bundle;
mod cds_type;
mod detect;
mod examples;
mod files;
pub mod form;
pub(crate) use files::normalise;
mod index;
mod lint;
mod matcher;
pub mod schema;
mod structure;
pub mod style;
mod swagger;

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::diag::Diagnostic;
use crate::yaml::Document;

pub use detect::{files_under, find_specs, is_spec_file};
pub use lint::{Linted, lint};

pub use cds_type::{
    describe as cds_type_hint, is_advisory as is_advisory_cds_type, is_valid as is_valid_cds_type,
};

/// A loaded, indexed OpenAPI document.
#[derive(Debug)]
pub struct Spec {
    /// The file as the user named it.
    pub file: String,
    /// The `openapi` field (`3.0.3`, `3.1.0`), or the `swagger` field (`2.0`) of a Swagger
    /// document, which was converted to OpenAPI 3.0 on load.
    pub version: String,
    /// `info.title` and `info.version`.
    pub title: String,
    pub api_version: String,
    /// Base path from the first server URL (`/cds-au/v1`), "" when none.
    pub base_path: String,
    pub operations: Vec<Operation>,
    /// Every file the spec was read from (the root first, then the files its `$ref`s reach),
    /// with the SHA-256 of its text.
    pub sources: Vec<(String, String)>,
    /// The Security Scheme Objects, by name, as written (converted for Swagger 2.0).
    pub security_schemes: Vec<(String, Value)>,
    /// What the loader read past: problems worth fixing that leave the document usable
    /// (a missing `paths`, a duplicate operationId, a broken `$ref` nothing uses, ...).
    pub warnings: Vec<Diagnostic>,
    /// How long each phase of the load took.
    pub times: LoadTimes,
    schemas: Vec<Compiled>,
    /// One validator for every compiled schema: schema `i` is its node `i`.
    validators: bundle::Shared,
    /// The bundle every schema was compiled against (`{"$defs": {...}}`), converted to JSON
    /// Schema 2020-12, for readers of constraints and of violation locations.
    bundle: Value,
    /// Where each bundle entry is written, to name the source of a violated keyword.
    locations: bundle::Locations,
    /// Request body media types, keyed by operation location.
    request_bodies: HashMap<String, Vec<MediaType>>,
    /// Locations of the operations whose request body is `required`.
    required_bodies: HashSet<String>,
    templates: Vec<matcher::Template>,
}

/// How long each phase of loading a spec took, for the benchmark.
#[derive(Debug, Clone, Copy, Default)]
pub struct LoadTimes {
    /// Reading and parsing the root file.
    pub parse: Duration,
    /// Following `$ref`s (reading the files they name), converting and indexing.
    pub index: Duration,
    /// Compiling the validators.
    pub compile: Duration,
    /// For lint: checking every example against its schema.
    pub examples: Duration,
}

impl LoadTimes {
    /// All phases together.
    pub fn total(&self) -> Duration {
        self.parse + self.index + self.compile + self.examples
    }
}

/// One compiled schema and what is known about it.
#[derive(Debug)]
struct Compiled {
    /// Its key under the bundle's `$defs`.
    key: String,
    /// `file#pointer` of the schema as written.
    location: String,
    /// The JSON types the schema admits at its top level (after `$ref`s), for coercing
    /// header and parameter strings.
    types: Vec<String>,
}

/// One operation: a method on a path template.
#[derive(Debug, Clone)]
pub struct Operation {
    pub id: Option<String>,
    /// Upper-case method.
    pub method: String,
    /// Path template as written under `paths` (`/banking/accounts/{accountId}`).
    pub path: String,
    pub parameters: Vec<Parameter>,
    pub responses: Vec<Response>,
    /// `file#/paths/~1banking~1accounts/get`
    pub location: String,
    /// The Security Requirement alternatives that apply (the operation's, else the
    /// document's): each a list of scheme names, all needed together. Empty, or an empty
    /// alternative: no credential needed.
    pub security: Vec<Vec<String>>,
}

impl Operation {
    /// `operationId`, or `METHOD /path` when there is none.
    pub fn name(&self) -> String {
        self.id
            .clone()
            .unwrap_or_else(|| format!("{} {}", self.method, self.path))
    }
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamIn {
    Path,
    Query,
    Header,
    Cookie,
}

#[derive(Debug, Clone)]
pub struct Parameter {
    pub name: String,
    pub location: ParamIn,
    pub required: bool,
    /// Key into the spec's compiled schemas, when the parameter has a schema.
    pub schema: Option<SchemaRef>,
    /// How the value is serialized (`style`, `explode`).
    pub serial: style::Serial,
    /// The parameter's own example (`example`, or the first of `examples`).
    pub example: Option<Value>,
}

/// A documented response.
#[derive(Debug, Clone)]
pub struct Response {
    /// `200`, `4XX` or `default`, as written.
    pub status: String,
    pub headers: Vec<HeaderSpec>,
    pub content: Vec<MediaType>,
    /// The response's Link Objects (OpenAPI 3): operations whose parameters its values give.
    pub links: Vec<Link>,
    /// `file#/paths/.../responses/200`
    pub location: String,
}

/// A Link Object: an operation a response leads to, and where its parameters come from.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    /// The link's name under `links`.
    pub name: String,
    /// The operation it leads to, as `operationId` or `operationRef` names it.
    pub target: LinkTarget,
    /// Each parameter's name as written (`petId`, or `path.petId` to name its place) and its
    /// value as written: a runtime expression (`$response.body#/id`, also inside `{}`) or a
    /// constant.
    pub parameters: Vec<(String, Value)>,
}

/// How a Link Object names its operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkTarget {
    OperationId(String),
    /// The reference as written (`#/paths/~1pets~1{petId}/get`).
    OperationRef(String),
}

#[derive(Debug, Clone)]
pub struct HeaderSpec {
    /// Lower case.
    pub name: String,
    pub required: bool,
    pub schema: Option<SchemaRef>,
}

#[derive(Debug, Clone)]
pub struct MediaType {
    /// Lower case, as written (may be a range like `application/*`).
    pub media_type: String,
    pub schema: Option<SchemaRef>,
    /// The media type's example (`example`, or the first of `examples`).
    pub example: Option<Value>,
    /// How the properties of a form body are encoded (`encoding`), by property name.
    pub encoding: Vec<(String, form::Encoding)>,
}

/// A handle on one compiled schema of a [`Spec`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SchemaRef(pub usize);

/// One way a value broke its schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaViolation {
    /// JSON Pointer into the validated value.
    pub instance_path: String,
    /// JSON Pointer into the (converted) schema.
    pub schema_path: String,
    pub message: String,
    /// `file#pointer` where the violated keyword is written
    /// (`common.yaml#/components/schemas/Account/required`).
    pub spec_location: String,
}

impl SchemaViolation {
    /// The keyword that failed: the last token of `schema_path` (`required`, `x-cds-type`).
    pub fn keyword(&self) -> &str {
        self.schema_path.rsplit('/').next().unwrap_or_default()
    }
}

impl Spec {
    /// Loads, resolves and indexes a spec, compiling every schema it uses once. A spec that
    /// loads may still carry [`Spec::warnings`]; one that does not comes back with every
    /// error and warning found, in file order.
    pub fn load(path: &Path) -> Result<Spec, Vec<Diagnostic>> {
        Spec::load_as(path, Mode::Run)
    }

    /// Loads a spec as [`Spec::load`] does, and also compiles the component schemas no
    /// operation uses and checks every example against its schema; what that finds is added
    /// to the warnings.
    pub(crate) fn load_for_lint(path: &Path) -> Result<Spec, Vec<Diagnostic>> {
        Spec::load_as(path, Mode::Lint)
    }

    fn load_as(path: &Path, mode: Mode) -> Result<Spec, Vec<Diagnostic>> {
        let started = Instant::now();
        let doc = Document::load(path)?;
        let parse = started.elapsed();
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let mut spec = Spec::from_document(doc, dir, mode)?;
        spec.times.parse = parse;
        Ok(spec)
    }

    /// Loads a spec from text; relative `$ref`s resolve against the current directory.
    pub fn parse(file: &str, text: &str) -> Result<Spec, Vec<Diagnostic>> {
        let doc = Document::parse(file, text)?;
        let dir = Path::new(file)
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        Spec::from_document(doc, dir, Mode::Run)
    }

    fn from_document(
        mut doc: Document,
        dir: std::path::PathBuf,
        mode: Mode,
    ) -> Result<Spec, Vec<Diagnostic>> {
        let started = Instant::now();
        let swagger = swagger::version(&doc)?;
        let conversion = swagger.is_some().then(|| {
            let conversion = swagger::convert(&doc, true);
            doc.value = conversion.value;
            (conversion.origins, conversion.diags)
        });
        let (dialect, top_warnings) = structure::dialect(&doc)?;
        let text = |p: &str| {
            let found = doc.value.pointer(p).and_then(Value::as_str);
            found.unwrap_or_default().to_owned()
        };
        let (version, title, api_version) = (
            swagger.unwrap_or_else(|| text("/openapi")),
            text("/info/title"),
            text("/info/version"),
        );
        let base_path = matcher::base_path(&doc.value);
        let shape_error = match dialect {
            schema::Dialect::Oas30 => structure::check_openapiv3(&doc.value),
            schema::Dialect::Oas31 => None,
        };
        let (mut files, conversion_diags) = match conversion {
            Some((origins, diags)) => (files::Files::converted(doc, dir, origins), diags),
            None => (files::Files::new(doc, dir), Vec::new()),
        };
        let shape_error = shape_error.map(|(at, message)| {
            let kind = if files.is_converted(0) {
                "Swagger 2.0"
            } else {
                "OpenAPI 3.0"
            };
            let place = files::Place::new(0, at);
            let message = match files.get(&place).and_then(files::ref_of) {
                Some(_) => format!("{kind} allows no `$ref` here; it is resolved as bundlers do"),
                None => format!("not a valid {kind} document: {message}"),
            };
            files.diag(&place, message).warning()
        });
        let mut bundler = bundle::Bundler::new(&mut files, dialect);
        let mut indexer = index::Indexer::new(&mut bundler);
        let operations = indexer.operations();
        if mode == Mode::Lint {
            indexer.components();
        }
        let index::Indexer {
            used,
            request_bodies,
            examples,
            required_bodies,
            mut diags,
            ..
        } = indexer;
        let (bundle, bundle_diags) = bundler.finish();
        diags.extend(bundle_diags);
        diags.extend(
            files::check_all_refs(&mut files)
                .into_iter()
                .map(Diagnostic::warning),
        );
        diags.extend(shape_error);
        diags.extend(top_warnings);
        diags.extend(conversion_diags.into_iter().map(Diagnostic::warning));
        diags.extend(files.conversion_diags.drain(..).map(Diagnostic::warning));
        let diags = tidy(diags, files.name(0));
        if diags.iter().any(|d| !d.is_warning()) {
            return Err(diags);
        }
        let lint = (mode == Mode::Lint).then_some((dialect, examples.as_slice()));
        let index = started.elapsed();
        let compiled = compile_schemas(bundle, &used, &files, lint).map_err(|mut errors| {
            errors.extend(diags.iter().cloned());
            tidy(errors, files.name(0))
        })?;
        let mut warnings = diags;
        warnings.extend(compiled.warnings);
        let warnings = tidy(warnings, files.name(0));
        let templates = operations
            .iter()
            .map(|o| matcher::Template::parse(&o.path))
            .collect();
        let security_schemes = index::security_schemes(&mut files);
        let sources = files
            .docs
            .iter()
            .map(|d| (d.file.clone(), crate::digest::sha256_hex(d.text.as_bytes())))
            .collect();
        Ok(Spec {
            file: files.name(0).to_owned(),
            warnings,
            times: LoadTimes {
                index,
                compile: compiled.compile,
                examples: compiled.examples,
                ..LoadTimes::default()
            },
            sources,
            security_schemes,
            version,
            title,
            api_version,
            base_path,
            operations,
            schemas: compiled.schemas,
            validators: compiled.validators,
            bundle: compiled.resource,
            locations: compiled.locations,
            request_bodies,
            required_bodies,
            templates,
        })
    }

    /// The operation with this `operationId`.
    pub fn operation(&self, id: &str) -> Option<&Operation> {
        self.operations.iter().find(|o| o.id.as_deref() == Some(id))
    }

    /// The operation a Link Object leads to: by `operationId`, or by an `operationRef` whose
    /// fragment names a path item and method of this document (`#/paths/~1pets~1{id}/get`,
    /// with or without a file or URL before the `#`).
    pub fn link_target(&self, target: &LinkTarget) -> Option<&Operation> {
        match target {
            LinkTarget::OperationId(id) => self.operation(id),
            LinkTarget::OperationRef(r) => {
                let fragment = r.rsplit_once('#').map_or(r.as_str(), |(_, f)| f);
                let tokens = crate::pointer::tokens(&files::percent_decode(fragment)?)?;
                let [paths, path, method] = tokens.as_slice() else {
                    return None;
                };
                (paths == "paths").then_some(())?;
                self.operations
                    .iter()
                    .find(|o| o.path == *path && o.method.eq_ignore_ascii_case(method))
            }
        }
    }

    /// The operation whose method and path template match a request path (with or without the
    /// base path; query string and trailing slash ignored), with the path parameters it binds,
    /// percent-decoded. Literal segments beat parameters.
    pub fn match_path(
        &self,
        method: &str,
        path: &str,
    ) -> Option<(&Operation, Vec<(String, String)>)> {
        let candidates = self
            .templates
            .iter()
            .zip(&self.operations)
            .filter(|(_, op)| op.method.eq_ignore_ascii_case(method));
        matcher::best(candidates, &self.base_path, path)
    }

    /// The media types of an operation's request body, when it has one.
    pub fn request_body(&self, op: &Operation) -> Option<&[MediaType]> {
        self.request_bodies.get(&op.location).map(Vec::as_slice)
    }

    /// True when the operation's request body is `required` (for Swagger 2.0: a body
    /// parameter or a form field is).
    pub fn request_body_required(&self, op: &Operation) -> bool {
        self.required_bodies.contains(&op.location)
    }

    /// `file#pointer` of a compiled schema as written in the spec.
    pub fn schema_location(&self, schema: SchemaRef) -> Option<&str> {
        self.schemas.get(schema.0).map(|c| c.location.as_str())
    }

    /// A compiled schema as JSON Schema 2020-12 (converted, its `$ref`s pointing into the
    /// bundle: follow them with [`Spec::resolve`]).
    pub fn schema_json(&self, schema: SchemaRef) -> Option<&Value> {
        let key = &self.schemas.get(schema.0)?.key;
        self.bundle.get("$defs")?.get(key)
    }

    /// The schema a bundle `$ref` points to, or the schema itself when it is no reference.
    /// A chain of references is followed (at most 16 deep).
    pub fn resolve<'a>(&'a self, mut schema: &'a Value) -> &'a Value {
        let prefix = format!("{}#", bundle::BUNDLE_URI);
        for _ in 0..16 {
            let Some(target) = schema
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix(&prefix))
                .and_then(|p| self.bundle.pointer(p))
            else {
                break;
            };
            schema = target;
        }
        schema
    }

    /// The bundle node a violation's `schema_path` names (the keyword's own value when the
    /// path ends in a keyword).
    pub fn schema_node(&self, schema_path: &str) -> Option<&Value> {
        self.bundle.pointer(schema_path)
    }

    /// How many distinct schemas were compiled.
    pub fn schema_count(&self) -> usize {
        self.schemas.len()
    }

    /// Validates a value against a compiled schema, returning every violation.
    pub fn validate(&self, schema: SchemaRef, value: &Value) -> Vec<SchemaViolation> {
        let Some(compiled) = self.schemas.get(schema.0) else {
            return vec![SchemaViolation {
                instance_path: String::new(),
                schema_path: String::new(),
                message: format!("no compiled schema #{} in this spec", schema.0),
                spec_location: String::new(),
            }];
        };
        self.validators
            .errors(schema.0, value, usize::MAX)
            .into_iter()
            .map(|e| {
                let spec_location = self
                    .locations
                    .locate(&e.schema_path)
                    .unwrap_or_else(|| compiled.location.clone());
                SchemaViolation {
                    instance_path: e.instance_path,
                    schema_path: e.schema_path,
                    message: e.message,
                    spec_location,
                }
            })
            .collect()
    }

    /// Validates a header or parameter value, which arrives as text: it is read as an
    /// integer, number or boolean first when the schema asks for one (and the text is one).
    pub fn validate_header(&self, schema: SchemaRef, text: &str) -> Vec<SchemaViolation> {
        let types = self
            .schemas
            .get(schema.0)
            .map(|c| c.types.as_slice())
            .unwrap_or_default();
        self.validate(schema, &style::coerce(text, types))
    }
}

/// Whether a load is for a run (what operations use) or for lint (everything).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Run,
    Lint,
}

/// The examples to check for lint: the dialect and the examples met beside schemas.
type LintExamples<'a> = Option<(schema::Dialect, &'a [(files::Place, SchemaRef)])>;

/// The used bundle entries compiled, with the bundle resource, where its entries are
/// written, and the warnings about keywords set aside (and, for lint, about examples that
/// break their schema).
struct CompiledSchemas {
    schemas: Vec<Compiled>,
    validators: bundle::Shared,
    resource: Value,
    locations: bundle::Locations,
    warnings: Vec<Diagnostic>,
    compile: Duration,
    examples: Duration,
}

/// Compiles the used bundle entries.
fn compile_schemas(
    bundle: bundle::Bundle,
    used: &[String],
    files: &files::Files,
    lint: LintExamples<'_>,
) -> Result<CompiledSchemas, Vec<Diagnostic>> {
    let started = Instant::now();
    let bundle::Bundle { defs, written } = bundle;
    let mut resource = serde_json::json!({ "$defs": defs });
    let (validators, mut warnings) = bundle::compile(&mut resource, &written, used, files)?;
    let no_defs = serde_json::Map::new();
    let defs = resource
        .get("$defs")
        .and_then(Value::as_object)
        .unwrap_or(&no_defs);
    let schemas = used
        .iter()
        .map(|key| Compiled {
            key: key.clone(),
            location: written
                .origins
                .get(key)
                .map(|p| files.location(p))
                .unwrap_or_default(),
            types: top_types(defs, key),
        })
        .collect::<Vec<_>>();
    let compile = started.elapsed();
    if let Some((dialect, beside)) = lint {
        let found = examples::check(files, dialect, beside, &validators, &resource, &written);
        warnings.extend(found);
    }
    let examples = started.elapsed() - compile;
    Ok(CompiledSchemas {
        schemas,
        validators,
        locations: written.locations(files),
        resource,
        warnings,
        compile,
        examples,
    })
}

/// The `type`s a bundled schema admits at its top level, following `$ref` and a nullable
/// `anyOf` wrapper.
fn top_types(defs: &serde_json::Map<String, Value>, key: &str) -> Vec<String> {
    let prefix = format!("{}#/$defs/", bundle::BUNDLE_URI);
    let mut schema = defs.get(key);
    for _ in 0..16 {
        let Some(s) = schema else { break };
        if let Some(target) = s.get("$ref").and_then(Value::as_str) {
            schema = target.strip_prefix(&prefix).and_then(|k| defs.get(k));
            continue;
        }
        if let Some(first) = s.get("anyOf").and_then(|a| a.get(0))
            && s.get("type").is_none()
        {
            schema = Some(first);
            continue;
        }
        return match s.get("type") {
            Some(Value::String(t)) => vec![t.clone()],
            Some(Value::Array(ts)) => ts
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect(),
            _ => Vec::new(),
        };
    }
    Vec::new()
}

/// Drops repeated diagnostics (an error wins over the same warning) and orders them by file
/// (root first) and position.
fn tidy(mut diags: Vec<Diagnostic>, root: &str) -> Vec<Diagnostic> {
    diags.sort_by_key(Diagnostic::is_warning);
    let mut seen = std::collections::HashSet::new();
    diags.retain(|d| seen.insert((d.to_string(), d.help.clone())));
    diags.sort_by(|a, b| {
        (a.file != root, &a.file, a.line, a.col).cmp(&(b.file != root, &b.file, b.line, b.col))
    });
    diags
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_cdr;
#[cfg(test)]
mod tests_liberal;
#[cfg(test)]
mod tests_swagger;
