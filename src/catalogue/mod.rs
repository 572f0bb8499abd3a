//! Requirements catalogues: for one API, every normative statement of its sources (the
//! provider's documents), each with a stable id, the sentence it comes from, its level (must,
//! should, may) and how it is tested: the checks that judge it and the fault switches that
//! prove them, or why no suite tests it.
//!
//! A catalogue is the one place an API's requirement ids and sentences are written. A suite
//! names its API's catalogue (`catalogue:`, relative to the suite file); its cases and its
//! `protocol` declarations then cite requirements by id, and the loader holds every citation
//! to the catalogue. An entry may also name cases that test it without citing it (generated
//! cases cite their declaration's one requirement); the loader holds those to the suites. Coverage, the reports and the certificate show each requirement with its
//! sentence; `accord requirements` prints the catalogue.
//!
//! The main type is [`Catalogue`]; [`load`] reads one with located diagnostics for every
//! problem of the file.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::diag::{Diagnostic, did_you_mean};
use crate::yaml::Document;

/// How binding a statement is, as its source words it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// MUST, REQUIRED, "will be", "is returned": the source states it as a rule.
    Must,
    /// SHOULD, RECOMMENDED: a departure is allowed with a reason.
    Should,
    /// MAY, OPTIONAL: a permission the suites must not hold against an implementation.
    May,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Must => "must",
            Level::Should => "should",
            Level::May => "may",
        }
    }
}

/// A document the statements are quoted from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// Short name the statements refer to it by (`cds`, `seed`).
    pub id: String,
    /// Title and version of the document.
    pub title: String,
    /// Where it is published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// One normative statement.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Requirement {
    /// Stable id, cited by cases and declarations.
    pub id: String,
    /// The [`Source`] it is quoted from.
    pub source: String,
    /// Section of the source, as the source numbers or names it.
    pub section: String,
    pub level: Level,
    /// The sentence, quoted short.
    pub says: String,
    /// The checks that judge it (with `cases` and `faults`, how it is tested).
    #[serde(default)]
    pub checks: Vec<String>,
    /// Cases of the API's suites that test it besides those citing its id: generated cases,
    /// which cite their declaration's one requirement.
    #[serde(default)]
    pub cases: Vec<String>,
    /// The fault switches of the API's mock that break it, each failing a case that cites it.
    #[serde(default)]
    pub faults: Vec<String>,
    /// Why a black box cannot test it.
    pub untestable: Option<String>,
    /// For a permission: how the suites honour it (what they accept because of it).
    pub allows: Option<String>,
    /// Testable, but no suite tests it yet: why.
    pub gap: Option<String>,
    /// How the suites read the statement, where it needs saying.
    pub note: Option<String>,
}

/// How a requirement is covered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status<'a> {
    /// Checks judge it (`checks`).
    Tested,
    /// A black box cannot test it: why.
    Untestable(&'a str),
    /// A permission the suites honour: how.
    Allows(&'a str),
    /// Testable and not tested yet: why.
    Gap(&'a str),
}

impl Requirement {
    pub fn status(&self) -> Status<'_> {
        if let Some(r) = &self.untestable {
            Status::Untestable(r)
        } else if let Some(r) = &self.allows {
            Status::Allows(r)
        } else if let Some(r) = &self.gap {
            Status::Gap(r)
        } else {
            Status::Tested
        }
    }
}

/// The top level of a catalogue file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    catalogue: String,
    title: Option<String>,
    sources: Vec<Source>,
    requirements: Vec<Requirement>,
}

/// A loaded catalogue.
#[derive(Debug, Clone)]
pub struct Catalogue {
    /// The API it describes (the suites' `api`).
    pub api: String,
    pub title: Option<String>,
    pub sources: Vec<Source>,
    pub requirements: Vec<Requirement>,
    /// The source file, for locating entries.
    pub doc: Document,
}

/// The first key of a catalogue file; suite discovery passes such files over.
pub const FIRST_KEY: &str = "catalogue:";

impl Catalogue {
    /// The requirement with this id.
    pub fn get(&self, id: &str) -> Option<&Requirement> {
        self.requirements.iter().find(|r| r.id == id)
    }

    /// The source a requirement is quoted from.
    pub fn source(&self, r: &Requirement) -> Option<&Source> {
        self.sources.iter().find(|s| s.id == r.source)
    }

    /// `Consumer Data Standards 1.36.0, Pagination › Query Parameters`.
    pub fn cited_from(&self, r: &Requirement) -> String {
        match self.source(r) {
            Some(s) => format!("{}, {}", s.title, r.section),
            None => r.section.clone(),
        }
    }

    /// `file:line:col` of requirement `i`.
    pub fn location(&self, i: usize) -> String {
        self.doc.location(&format!("/requirements/{i}"))
    }

    /// A located diagnostic for `id`, cited where it is not a requirement of this catalogue,
    /// with a "did you mean" hint.
    pub fn unknown(&self, doc: &Document, at: &str, id: &str) -> Diagnostic {
        let mut d = doc.diag(
            at,
            format!(
                "requirement `{id}` is not in the {} catalogue ({})",
                self.api, self.doc.file
            ),
        );
        if let Some(s) = did_you_mean(id, self.requirements.iter().map(|r| r.id.as_str())) {
            d = d.with_help(format!("did you mean `{s}`?"));
        }
        d
    }
}

/// Reads a catalogue file; every problem in it comes back at once.
pub fn load(path: &Path) -> Result<Catalogue, Vec<Diagnostic>> {
    from_document(Document::load(path)?)
}

/// Builds a catalogue from a parsed document.
pub fn from_document(doc: Document) -> Result<Catalogue, Vec<Diagnostic>> {
    let file: File = serde_path_to_error::deserialize(&doc.value).map_err(|e| {
        let at = crate::suite::load::path_to_pointer(&e.path().to_string());
        let message = e.inner().to_string();
        if message.starts_with("unknown field") {
            vec![doc.diag_key(&at, message)]
        } else {
            vec![doc.diag(&at, message)]
        }
    })?;
    let problems = problems(&doc, &file);
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Catalogue {
        api: file.catalogue,
        title: file.title,
        sources: file.sources,
        requirements: file.requirements,
        doc,
    })
}

/// True for a character a requirement id may hold: ids are also error codes (`EV1100`,
/// `urn:au-cds:error:cds-all:Field/Invalid`).
fn id_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ':' | '/')
}

fn problems(doc: &Document, file: &File) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (i, s) in file.sources.iter().enumerate() {
        if file.sources[..i].iter().any(|o| o.id == s.id) {
            out.push(doc.diag(
                &format!("/sources/{i}/id"),
                format!("source `{}` is listed twice", s.id),
            ));
        }
    }
    let mock = crate::mock::find(&file.catalogue);
    for (i, r) in file.requirements.iter().enumerate() {
        let at = |key: &str| format!("/requirements/{i}/{key}");
        if r.id.is_empty() || !r.id.chars().all(id_char) {
            out.push(doc.diag(
                &at("id"),
                format!(
                    "requirement id `{}` must be letters, digits and . - _ : / only",
                    r.id
                ),
            ));
        }
        if let Some(first) = file.requirements[..i].iter().position(|o| o.id == r.id) {
            out.push(doc.diag(
                &at("id"),
                format!(
                    "requirement `{}` is already listed at {}",
                    r.id,
                    doc.location(&format!("/requirements/{first}"))
                ),
            ));
        }
        if !file.sources.iter().any(|s| s.id == r.source) {
            let mut d = doc.diag(
                &at("source"),
                format!("source `{}` is not listed under `sources`", r.source),
            );
            if let Some(s) = did_you_mean(&r.source, file.sources.iter().map(|s| s.id.as_str())) {
                d = d.with_help(format!("did you mean `{s}`?"));
            }
            out.push(d);
        }
        for (key, text) in [("section", &r.section), ("says", &r.says)] {
            if text.trim().is_empty() {
                out.push(doc.diag(&at(key), format!("`{key}` must not be empty")));
            }
        }
        let ways = [
            !r.checks.is_empty(),
            r.untestable.is_some(),
            r.allows.is_some(),
            r.gap.is_some(),
        ];
        if ways.iter().filter(|w| **w).count() != 1 {
            out.push(doc.diag(
                &format!("/requirements/{i}"),
                format!(
                    "requirement `{}` needs exactly one of `checks` (how it is tested), `untestable`, `allows` or `gap`",
                    r.id
                ),
            ));
        }
        for key in ["faults", "cases"] {
            let given = if key == "faults" { &r.faults } else { &r.cases };
            if !given.is_empty() && r.checks.is_empty() {
                out.push(doc.diag_key(
                    &at(key),
                    format!("`{key}` go with `checks`: list the checks that judge them"),
                ));
            }
        }
        for (j, c) in r.checks.iter().enumerate() {
            if !crate::check_ids::is_known(c) {
                let mut d = doc.diag(&format!("{}/{j}", at("checks")), format!("no check `{c}`"));
                if let Some(s) = did_you_mean(c, crate::check_ids::ids()) {
                    d = d.with_help(format!("did you mean `{s}`?"));
                }
                out.push(d);
            }
        }
        for (j, f) in r.faults.iter().enumerate() {
            let where_ = format!("{}/{j}", at("faults"));
            let Some(m) = mock else {
                out.push(doc.diag(
                    &where_,
                    format!(
                        "api `{}` has no built-in mock, so there is no fault switch `{f}`",
                        file.catalogue
                    ),
                ));
                continue;
            };
            if !m.faults.iter().any(|x| x.name == f) {
                let mut d = doc.diag(
                    &where_,
                    format!("the {} mock has no fault switch `{f}`", m.name),
                );
                if let Some(s) = did_you_mean(f, m.faults.iter().map(|x| x.name)) {
                    d = d.with_help(format!("did you mean `{s}`?"));
                }
                out.push(d);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests;
