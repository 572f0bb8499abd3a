//! A spec-only run's plan: the derived suite ([`super::suite`]) loaded through the same loader
//! as a hand-written one, its `protocol` cases generated, and then split into one suite per
//! operation, so cases are named `api::operation::case` (the `operationId`, or kebab-case words
//! of it or of `METHOD /path` when it has other characters or is absent).
//!
//! The derived suite is not written anywhere: findings locate their expectation in it by the
//! name `SPEC (derived)`, and `accord init` writes the same suite out. A case that sends a
//! credential the run does not have is kept and reported skipped, with the variable to set.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use super::{Options, suite};
use crate::diag::Diagnostic;
use crate::openapi::Spec;
use crate::plan::{Plan, PlannedSuite};
use crate::suite::load::from_document;
use crate::suite::{Case, Suite};
use crate::yaml::Document;

/// A spec-only plan, and what the run should say about it.
#[derive(Debug)]
pub struct SpecOnly {
    pub plan: Plan,
    /// Credential variables no source provides; the cases that send them are skipped.
    pub missing: Vec<String>,
    /// How many operations and cases were derived.
    pub operations: usize,
    pub cases: usize,
}

/// Whether a spec-only run of `api` has a value for a variable: from the environment
/// (`ACCORD_<API>_<NAME>`), the profile's `target` (its variables, secrets and OAuth token), or
/// the built-in mock of the same name when `mock` says that mock serves the run.
pub fn available<'a>(
    api: &'a str,
    target: Option<&'a crate::profile::TargetProfile>,
    mock: bool,
) -> impl Fn(&str) -> bool + 'a {
    let from_mock: Vec<String> = mock
        .then(|| crate::mock::find(api))
        .flatten()
        .map(|m| {
            let opts = crate::mock::MockOptions::default();
            let mut names: Vec<String> = (m.credentials)(&opts)
                .into_iter()
                .map(|(n, _)| n.to_owned())
                .collect();
            names.push("token".to_owned());
            names
        })
        .unwrap_or_default();
    move |var: &str| {
        std::env::var_os(crate::profile::env_var_name(api, var)).is_some()
            || target.is_some_and(|t| {
                t.vars.contains_key(var)
                    || t.secrets.contains_key(var)
                    || t.oauth2.as_ref().is_some_and(|o| o.variable() == var)
            })
            || from_mock.iter().any(|n| n == var)
    }
}

/// The plan of `spec_path`'s derived cases for API `api`; `available` says whether the run
/// has a value for a variable (profile, environment, built-in mock).
pub fn plan(
    spec_path: &Path,
    api: &str,
    available: &dyn Fn(&str) -> bool,
) -> Result<SpecOnly, Vec<Diagnostic>> {
    let spec = Arc::new(Spec::load(spec_path)?);
    let file_name = spec_path
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    let starter = suite(
        &spec,
        &Options {
            api: api.to_owned(),
            spec_ref: file_name,
        },
    );
    let shown = format!("{} (derived)", spec_path.display());
    let doc = Document::parse(shown, starter.text.clone())?;
    let at = spec_path.with_file_name("derived.yaml");
    let mut derived = from_document(&at, doc)?;
    let problems = crate::plan::add_generated(&mut derived, &spec);
    if !problems.is_empty() {
        return Err(problems);
    }
    let missing: Vec<String> = derived
        .file
        .requires
        .iter()
        .filter(|v| !available(v))
        .cloned()
        .collect();
    derived.file.requires.retain(|v| !missing.contains(v));
    for case in &mut derived.file.cases {
        if let Some(v) = missing.iter().find(|v| sends(case, v)) {
            case.skip = Some(format!(
                "needs the credential `{v}`: set {} or targets.{api}.secrets.{v} in a profile",
                crate::profile::env_var_name(api, v)
            ));
        }
    }
    let names: HashMap<String, String> = spec
        .operations
        .iter()
        .map(|o| {
            let key =
                o.id.clone()
                    .unwrap_or_else(|| format!("{} {}", o.method, o.path));
            let plain = |id: &&String| {
                id.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
            };
            let name = match o.id.as_ref().filter(plain) {
                Some(id) => id.clone(),
                None => super::request::kebab(&key),
            };
            (key, name)
        })
        .collect();
    let unsendable: HashMap<String, String> = spec
        .operations
        .iter()
        .filter_map(|o| {
            let why = super::request::unsendable_body(&spec, o)?;
            Some((
                o.id.clone()
                    .unwrap_or_else(|| format!("{} {}", o.method, o.path)),
                why,
            ))
        })
        .collect();
    let valid: HashMap<String, String> = starter.cases.into_iter().collect();
    let cases = derived.file.cases.len();
    let protocol = derived.file.protocol.take().map(Arc::new);
    let doc = derived.doc.clone();
    let mut groups: Vec<(String, Vec<Case>)> = Vec::new();
    for mut case in std::mem::take(&mut derived.file.cases) {
        let Some(key) = operation_of(&case) else {
            continue;
        };
        let name = names.get(&key).cloned().unwrap_or_else(|| key.clone());
        if let Some(why) = unsendable.get(&key).filter(|_| case.skip.is_none()) {
            case.skip = Some(format!("not sent: {why}"));
        }
        case.id = if valid.contains_key(&case.id) {
            "valid".to_owned()
        } else {
            case.id
                .replacen(&format!("negative-{key}-"), "negative-", 1)
        };
        match groups.iter_mut().find(|(n, _)| *n == name) {
            Some((_, list)) => list.push(case),
            None => groups.push((name, vec![case])),
        }
    }
    let operations = groups.len();
    let suites = groups
        .into_iter()
        .map(|(name, cases)| {
            let mut file = derived.file.clone();
            file.cases = cases;
            PlannedSuite {
                suite: Arc::new(Suite {
                    name,
                    file,
                    doc: doc.clone(),
                    spec_path: derived.spec_path.clone(),
                    catalogue_path: None,
                    snapshot_dir: derived.snapshot_dir.clone(),
                    dropped: Vec::new(),
                }),
                spec: spec.clone(),
                protocol: protocol.clone(),
                arazzo: None,
                catalogue: None,
            }
        })
        .collect();
    Ok(SpecOnly {
        plan: Plan {
            suites,
            specs: vec![spec],
        },
        missing,
        operations,
        cases,
    })
}

/// The operation a derived case exercises: its last request's `operationId`, or
/// `METHOD /path`.
fn operation_of(case: &Case) -> Option<String> {
    let r = &case.steps.last()?.request;
    match (&r.operation, &r.method, &r.path) {
        (Some(id), _, _) => Some(id.clone()),
        (None, Some(m), Some(p)) => Some(format!("{} {p}", m.to_ascii_uppercase())),
        _ => None,
    }
}

/// True when a step of the case sends variable `v`.
fn sends(case: &Case, v: &str) -> bool {
    let placeholder = |text: &str| crate::template::variables_in(text).iter().any(|n| n == v);
    case.steps.iter().any(|s| {
        let r = &s.request;
        r.headers.values().flatten().any(|x| placeholder(&x.0))
            || r.query.values().flatten().any(|x| placeholder(&x.0))
            || r.path_params.values().any(|x| placeholder(&x.0))
    })
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    #[test]
    fn cases_are_grouped_by_operation_and_skipped_without_credentials() {
        let got = super::plan(
            Path::new("tests/fixtures/spec-only/pets.yaml"),
            "pets",
            &|_| false,
        )
        .unwrap_or_else(|e| panic!("{e:#?}"));
        assert_eq!(got.missing, ["token"]);
        let names: Vec<String> = got
            .plan
            .suites
            .iter()
            .flat_map(|s| {
                s.suite
                    .file
                    .cases
                    .iter()
                    .map(|c| s.suite.case_name(c))
                    .collect::<Vec<_>>()
            })
            .collect();
        for name in [
            "pets::listPets::valid",
            "pets::showPet::valid",
            "pets::get-health::valid",
            "pets::listPets::negative-query-limit-above-maximum",
            "pets::createPet::negative-body-name-too-long",
            "pets::listPets::auth-token-missing",
        ] {
            assert!(names.iter().any(|n| n == name), "{name} in {names:#?}");
        }
        let case = |suite: &str, id: &str| {
            let s = got
                .plan
                .suites
                .iter()
                .find(|s| s.suite.name == suite)
                .unwrap();
            s.suite
                .file
                .cases
                .iter()
                .find(|c| c.id == id)
                .unwrap()
                .clone()
        };
        assert_eq!(
            case("listPets", "valid").skip.as_deref(),
            Some(
                "needs the credential `token`: set ACCORD_PETS_TOKEN or targets.pets.secrets.token in a profile"
            )
        );
        assert!(case("listPets", "auth-token-missing").skip.is_none());
        assert!(case("get-health", "valid").skip.is_none());
        let s = &got.plan.suites[0];
        assert!(
            s.suite
                .location(&s.suite.case_pointer(0))
                .starts_with("tests/fixtures/spec-only/pets.yaml (derived):")
        );
    }

    #[test]
    fn form_bodies_are_sent_and_a_required_body_accord_cannot_send_skips_its_operation() {
        for (doc, key) in [("forms.yaml", "form"), ("forms-v2.yaml", "multipart")] {
            let path = format!("tests/fixtures/spec-only/{doc}");
            let got = super::plan(Path::new(&path), "forms", &|_| true)
                .unwrap_or_else(|e| panic!("{e:#?}"));
            let cases = |op: &str| {
                let s = got.plan.suites.iter().find(|s| s.suite.name == op);
                s.unwrap_or_else(|| panic!("{doc}: {op}"))
                    .suite
                    .file
                    .cases
                    .clone()
            };
            let login = cases("login");
            let ids: Vec<&str> = login.iter().map(|c| c.id.as_str()).collect();
            let missing = format!("negative-{key}-user-missing");
            let long = format!("negative-{key}-user-too-long");
            assert_eq!(
                ids,
                ["valid", "negative-valid", missing.as_str(), long.as_str()],
                "{doc}"
            );
            assert!(login.iter().all(|c| c.skip.is_none()), "{doc}");
            let (_, values) = login[0].steps[0].request.form_body().unwrap();
            assert_eq!(values["user"], serde_json::json!("x"), "{doc}");
            let avatar = cases("setAvatar");
            assert_eq!(
                avatar[0].skip.as_deref(),
                Some(
                    "not sent: its required request body is application/octet-stream, and accord sends JSON and form bodies only"
                ),
                "{doc}"
            );
            let note = cases("addNote");
            assert!(
                note.iter().all(|c| c.skip.is_none()),
                "{doc}: an optional body may be left out"
            );
        }
    }
}
