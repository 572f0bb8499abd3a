//! OpenAPI documents: load (3.0.x and 3.1, YAML or JSON, `$ref`s within and across files;
//! Swagger 2.0 is converted to 3.0 first), index operations, and compile their schemas to
//! JSON Schema validators.
//!
//! The main type is [`Spec`]. Loading reads the root file and every file a `$ref` names
//! (`files`), converts Swagger 2.0 documents (`swagger`), checks the structure
//! (`structure`), indexes operations (`index`, into the types of `operation`), converts
//! each schema in use to JSON Schema 2020-12 ([`schema`]) and compiles it once against one
//! bundled registry resource (`bundle`, `compiled`). Every problem found on the way is a
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
mod compiled;
mod detect;
mod examples;
mod files;
pub mod form;
pub(crate) use files::normalise;
mod index;
mod lint;
mod matcher;
mod operation;
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

use compiled::{Compiled, compile_schemas};
pub use detect::{files_under, find_specs, is_spec_file};
pub use lint::{Linted, lint};
pub use operation::{
    HeaderSpec, Link, LinkTarget, MediaType, Operation, ParamIn, Parameter, Response, SchemaRef,
    SchemaViolation,
};

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
        self.validate_lent(schema, &mut value.clone())
    }

    /// [`Spec::validate`] of a value lent for the time of the validation, which it comes back
    /// from unchanged: the value is moved, never copied, so a large response body costs only
    /// its validation.
    pub fn validate_lent(&self, schema: SchemaRef, value: &mut Value) -> Vec<SchemaViolation> {
        let Some(compiled) = self.schemas.get(schema.0) else {
            return vec![SchemaViolation {
                instance_path: String::new(),
                schema_path: String::new(),
                message: format!("no compiled schema #{} in this spec", schema.0),
                spec_location: String::new(),
            }];
        };
        self.validators
            .errors_lent(schema.0, value, usize::MAX)
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
        self.validate_lent(schema, &mut style::coerce(text, types))
    }
}

/// Whether a load is for a run (what operations use) or for lint (everything).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Run,
    Lint,
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
