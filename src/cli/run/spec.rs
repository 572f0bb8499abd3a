//! `--spec`: one OpenAPI document run alone (its derived cases, [`spec_only`]), or other specs
//! for some APIs' suites (`API=FILE`).

use std::path::PathBuf;

use super::RunArgs;
use crate::cli::print_diagnostics;
use crate::term::errln;
use crate::{exit, plan, profile::Profile};

/// What `--spec` says: one document to run alone, or other specs for some APIs' suites.
pub(super) struct SpecArgs {
    pub(super) alone: Option<PathBuf>,
    pub(super) overrides: Vec<(String, PathBuf)>,
}

impl SpecArgs {
    /// `FILE` (no `=`, or an existing file whose name has one) is a spec-only run;
    /// `API=FILE` judges that API's suites against FILE.
    pub(super) fn parse(values: &[String]) -> Result<SpecArgs, String> {
        let mut out = SpecArgs {
            alone: None,
            overrides: Vec::new(),
        };
        for s in values {
            let pair = s
                .split_once('=')
                .filter(|_| !std::path::Path::new(s).is_file());
            match pair {
                Some((api, file)) if !api.is_empty() && !file.is_empty() => {
                    out.overrides.push((api.to_owned(), PathBuf::from(file)));
                }
                Some(_) => return Err(format!("--spec {s}: write --spec FILE or --spec API=FILE")),
                None if out.alone.is_some() => {
                    return Err(format!(
                        "--spec {s}: a spec-only run takes one document; run each on its own"
                    ));
                }
                None => out.alone = Some(PathBuf::from(s)),
            }
        }
        Ok(out)
    }
}

/// The plan of a spec-only run: the document's derived cases, credentials from the profile,
/// the environment or the built-in mock of the same name.
pub(super) fn spec_only(
    a: &RunArgs,
    file: &std::path::Path,
    profile: Option<&Profile>,
) -> Result<plan::Plan, i32> {
    let api = match &a.api {
        Some(name) => name.clone(),
        None => crate::starter::api_name(file),
    };
    let target = profile.and_then(|p| p.targets.get(&api));
    let mock = a.target.is_empty() && profile.is_none();
    let available = crate::starter::spec_only::available(&api, target, mock);
    let derived = crate::starter::spec_only::plan(file, &api, &available).map_err(|d| {
        print_diagnostics(&d);
        exit::INVALID_INPUT
    })?;
    if !crate::term::quiet() {
        errln!(
            "{}: {} cases derived from {} operations of {}",
            api,
            derived.cases,
            derived.operations,
            file.display()
        );
    }
    for v in &derived.missing {
        errln!(
            "{api}: no credential `{v}`: the cases that send it are skipped (set {} or targets.{api}.secrets.{v} in a profile)",
            crate::profile::env_var_name(&api, v)
        );
    }
    Ok(derived.plan)
}
