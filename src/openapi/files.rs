//! The set of files one spec is made of, and `$ref` resolution across them.
//!
//! The main type is [`Files`]: the root document plus every document a `$ref` reached, each
//! loaded once (keyed by canonical path, so `a.yaml` and `./sub/../a.yaml` are one file).
//! A reference is split into a file part (relative to the referring file) and a fragment, a
//! JSON Pointer that may be percent-encoded (`#/paths/~1a~1%7Bid%7D`). Every failure is a
//! [`Diagnostic`] placed on the `$ref` value that could not be followed.

use std::collections::{HashMap, HashSet};
use std::path::{Component, Path, PathBuf};

use serde_json::Value;

use super::swagger::{self, Origins};
use crate::diag::{Diagnostic, did_you_mean};
use crate::pointer;
use crate::yaml::Document;

/// Follows at most this many `$ref` hops from one place before calling it a cycle.
const MAX_HOPS: usize = 64;

/// A place in one of the files: document index and JSON Pointer.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct Place {
    pub doc: usize,
    pub pointer: String,
}

impl Place {
    pub fn new(doc: usize, pointer: impl Into<String>) -> Self {
        Place {
            doc,
            pointer: pointer.into(),
        }
    }

    /// The place of a child token.
    pub fn child(&self, token: &str) -> Place {
        Place::new(self.doc, pointer::join(&self.pointer, token))
    }
}

/// Every document of a spec, loaded on demand.
#[derive(Debug)]
pub(crate) struct Files {
    pub docs: Vec<Document>,
    dirs: Vec<PathBuf>,
    by_path: HashMap<PathBuf, usize>,
    /// Files that failed to load; their own diagnostics were reported on first use.
    broken: HashSet<PathBuf>,
    /// For documents converted from Swagger 2.0: where converted pointers are written in
    /// the original text.
    origins: Vec<Option<Origins>>,
    /// True when the root is a Swagger 2.0 document, so every file it reaches is converted.
    swagger: bool,
    /// Problems met while converting the files loaded on the way.
    pub conversion_diags: Vec<Diagnostic>,
}

impl Files {
    /// Starts with an already parsed root document, whose relative refs resolve against `dir`.
    pub fn new(root: Document, dir: PathBuf) -> Files {
        let mut by_path = HashMap::new();
        by_path.insert(canonical(&dir.join(file_name(&root.file))), 0);
        Files {
            docs: vec![root],
            dirs: vec![dir],
            by_path,
            broken: HashSet::new(),
            origins: vec![None],
            swagger: false,
            conversion_diags: Vec::new(),
        }
    }

    /// Starts with a root converted from Swagger 2.0; every file reached from it is
    /// converted as it is loaded.
    pub fn converted(root: Document, dir: PathBuf, origins: Origins) -> Files {
        let mut files = Files::new(root, dir);
        files.origins[0] = Some(origins);
        files.swagger = true;
        files
    }

    /// True for a document converted from Swagger 2.0.
    pub fn is_converted(&self, doc: usize) -> bool {
        matches!(self.origins.get(doc), Some(Some(_)))
    }

    /// The pointer where a place is written in its file (differs for converted documents).
    fn written(&self, place: &Place) -> String {
        match self.origins.get(place.doc) {
            Some(Some(origins)) => origins.original(&place.pointer),
            _ => place.pointer.clone(),
        }
    }

    /// A message about a converted document, in the spelling of its own file.
    fn worded(&self, doc: usize, message: String) -> String {
        match self.origins.get(doc) {
            Some(Some(_)) => swagger::reword(&message),
            _ => message,
        }
    }

    /// `file:line:col` of a place.
    pub fn position(&self, place: &Place) -> String {
        self.docs[place.doc].location(&self.written(place))
    }

    /// The value at a place, if there is one.
    pub fn get(&self, place: &Place) -> Option<&Value> {
        self.docs.get(place.doc)?.value.pointer(&place.pointer)
    }

    /// The file name of a document as the user would see it.
    pub fn name(&self, doc: usize) -> &str {
        &self.docs[doc].file
    }

    /// `file#pointer`, the form of `location` fields; the pointer is where the place is
    /// written in the file.
    pub fn location(&self, place: &Place) -> String {
        format!("{}#{}", self.name(place.doc), self.written(place))
    }

    /// A diagnostic at the value of a place.
    pub fn diag(&self, place: &Place, message: impl Into<String>) -> Diagnostic {
        let message = self.worded(place.doc, message.into());
        self.docs[place.doc].diag(&self.written(place), message)
    }

    /// A diagnostic at the key that holds the value of a place.
    pub fn diag_key(&self, place: &Place, message: impl Into<String>) -> Diagnostic {
        let message = self.worded(place.doc, message.into());
        self.docs[place.doc].diag_key(&self.written(place), message)
    }

    /// Follows `$ref`s from `place` until a value without `$ref` is reached (for non-schema
    /// objects: parameters, responses, headers, path items, request bodies).
    pub fn deref(&mut self, place: &Place) -> Result<Place, Vec<Diagnostic>> {
        let mut here = place.clone();
        for _ in 0..MAX_HOPS {
            let Some(reference) = self.get(&here).and_then(ref_of).map(str::to_owned) else {
                return Ok(here);
            };
            here = self.resolve(&here.child("$ref"), &reference)?;
        }
        Err(vec![self.diag(
            &place.child("$ref"),
            "$ref cycle: the chain of references never reaches a value",
        )])
    }

    /// Resolves one `$ref` string written at `at` (the place of the `$ref` value itself).
    pub fn resolve(&mut self, at: &Place, reference: &str) -> Result<Place, Vec<Diagnostic>> {
        let (file_part, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        if file_part.contains("://") || file_part.starts_with("//") {
            return Err(vec![self.diag(
                at,
                format!("remote $ref `{reference}` is not supported: accord never fetches"),
            )]);
        }
        let Some(fragment) = percent_decode(fragment) else {
            return Err(vec![self.diag(
                at,
                format!("broken $ref `{reference}`: invalid percent-encoding in the fragment"),
            )]);
        };
        if !fragment.is_empty() && !fragment.starts_with('/') {
            return Err(vec![self.diag(
                at,
                format!(
                    "unsupported $ref `{reference}`: only JSON Pointer fragments (`#/...`) are supported"
                ),
            )]);
        }
        let doc = if file_part.is_empty() {
            at.doc
        } else {
            let Some(file_part) = percent_decode(file_part) else {
                return Err(vec![self.diag(
                    at,
                    format!("broken $ref `{reference}`: invalid percent-encoding in the file name"),
                )]);
            };
            self.open(at, reference, &file_part)?
        };
        let target = Place::new(doc, fragment);
        if self.get(&target).is_some() {
            return Ok(target);
        }
        let mut diag = self.diag(
            at,
            format!(
                "broken $ref `{reference}`: `{}` has nothing at `{}`",
                self.name(doc),
                target.pointer
            ),
        );
        if let Some(hint) = self.suggest(&target) {
            diag = diag.with_help(self.worded(doc, format!("did you mean `{hint}`?")));
        }
        Err(vec![diag])
    }

    /// Loads (once) the file a reference names, relative to the referring file.
    fn open(&mut self, at: &Place, reference: &str, file: &str) -> Result<usize, Vec<Diagnostic>> {
        let shown = normalise(
            &Path::new(&self.docs[at.doc].file)
                .with_file_name("")
                .join(file),
        );
        let real = normalise(&self.dirs[at.doc].join(file));
        let key = canonical(&real);
        if let Some(&doc) = self.by_path.get(&key) {
            return Ok(doc);
        }
        let broken_ref = |files: &Files, why: String| {
            files.diag(at, format!("broken $ref `{reference}`: {why}"))
        };
        if !real.is_file() {
            return Err(vec![broken_ref(
                self,
                format!("file `{}` does not exist", shown.display()),
            )]);
        }
        if self.broken.contains(&key) {
            return Err(vec![broken_ref(
                self,
                format!("file `{}` could not be loaded", shown.display()),
            )]);
        }
        let loaded = std::fs::read(&real)
            .map_err(|e| vec![Diagnostic::file(shown.display().to_string(), e.to_string())])
            .and_then(|bytes| {
                String::from_utf8(bytes).map_err(|_| {
                    vec![Diagnostic::file(
                        shown.display().to_string(),
                        "file is not UTF-8",
                    )]
                })
            })
            .and_then(|text| Document::parse(shown.display().to_string(), text));
        match loaded {
            Ok(mut doc) => {
                let origins = self.swagger.then(|| {
                    let conversion = swagger::convert(&doc, false);
                    doc.value = conversion.value;
                    self.conversion_diags.extend(conversion.diags);
                    conversion.origins
                });
                self.origins.push(origins);
                self.docs.push(doc);
                self.dirs
                    .push(real.parent().map(Path::to_path_buf).unwrap_or_default());
                self.by_path.insert(key, self.docs.len() - 1);
                Ok(self.docs.len() - 1)
            }
            Err(mut diags) => {
                self.broken.insert(key);
                diags.insert(
                    0,
                    broken_ref(
                        self,
                        format!("file `{}` could not be loaded", shown.display()),
                    ),
                );
                Err(diags)
            }
        }
    }

    /// The nearest existing sibling name of the first missing token, for a "did you mean".
    fn suggest(&self, target: &Place) -> Option<String> {
        let tokens = pointer::tokens(&target.pointer)?;
        let mut at = &self.docs[target.doc].value;
        let mut prefix = String::new();
        for token in tokens {
            let next = match at {
                Value::Object(map) => map.get(&token),
                Value::Array(items) => token.parse::<usize>().ok().and_then(|i| items.get(i)),
                _ => None,
            };
            match next {
                Some(v) => {
                    prefix = pointer::join(&prefix, &token);
                    at = v;
                }
                None => {
                    let map = at.as_object()?;
                    let name = did_you_mean(&token, map.keys().map(String::as_str))?;
                    return Some(format!("#{}", pointer::join(&prefix, &name)));
                }
            }
        }
        None
    }
}

/// Resolves every `$ref` in every file (unused components included), so a broken reference
/// is reported even where no operation reaches it. Literal values (`example`, `default`,
/// `enum`, `const`) and vendor extensions are not searched ([`holds_literal`]).
pub(crate) fn check_all_refs(files: &mut Files) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let mut doc = 0;
    while doc < files.docs.len() {
        let mut refs = Vec::new();
        collect_refs(&files.docs[doc].value, String::new(), &mut refs);
        for (at, reference) in refs {
            if let Err(d) = files.resolve(&Place::new(doc, at), &reference) {
                diags.extend(d);
            }
        }
        doc += 1;
    }
    diags
}

fn collect_refs(value: &Value, at: String, out: &mut Vec<(String, String)>) {
    collect_refs_under(value, None, at, out);
}

fn collect_refs_under(
    value: &Value,
    parent: Option<&str>,
    at: String,
    out: &mut Vec<(String, String)>,
) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                let here = pointer::join(&at, key);
                if key == "$ref"
                    && let Value::String(r) = v
                {
                    out.push((here, r.clone()));
                } else if !holds_literal(parent, key) {
                    collect_refs_under(v, Some(key), here, out);
                }
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                collect_refs_under(v, parent, pointer::join(&at, &i.to_string()), out);
            }
        }
        _ => {}
    }
}

/// Mappings whose keys are names chosen by the author, so a key such as `default` (a
/// response) or `example` (a property) is no keyword there.
const NAME_MAPS: [&str; 12] = [
    "paths",
    "responses",
    "properties",
    "patternProperties",
    "definitions",
    "parameters",
    "schemas",
    "headers",
    "requestBodies",
    "securitySchemes",
    "securityDefinitions",
    "content",
];

/// True when the value under `key` (inside a mapping held by `parent`) is literal data or a
/// vendor extension, where a `$ref` means nothing: `example`, `default`, `enum`, `const`.
pub(crate) fn holds_literal(parent: Option<&str>, key: &str) -> bool {
    if parent.is_some_and(|p| NAME_MAPS.contains(&p)) {
        return false;
    }
    key.starts_with("x-") || ["example", "examples", "default", "enum", "const"].contains(&key)
}

/// The `$ref` string of an object that has one.
pub(crate) fn ref_of(value: &Value) -> Option<&str> {
    value.as_object()?.get("$ref")?.as_str()
}

/// Decodes `%XX` escapes; `None` when an escape is malformed or the result is not UTF-8.
pub(crate) fn percent_decode(text: &str) -> Option<String> {
    if !text.contains('%') {
        return Some(text.to_owned());
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn file_name(file: &str) -> PathBuf {
    Path::new(file)
        .file_name()
        .map(PathBuf::from)
        .unwrap_or_default()
}

/// Removes `.` and folds `..` lexically, so shown names stay short (`specs/cdr/common.yaml`).
pub(crate) fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                let last_is_name =
                    matches!(out.components().next_back(), Some(Component::Normal(_)));
                if last_is_name {
                    out.pop();
                } else {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

#[cfg(test)]
mod tests;
