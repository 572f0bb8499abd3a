//! `accord lint` on a spec: everything the loader reports, plus what only a lint looks for.
//!
//! The main function is [`lint`]; it returns the loaded [`Spec`] with every diagnostic, or
//! the diagnostics of a document that cannot be used.

use std::path::Path;

use super::Spec;
use crate::diag::Diagnostic;

/// A spec that loads, and what lint found in it (all warnings).
#[derive(Debug)]
pub struct Linted {
    pub spec: Spec,
    pub diagnostics: Vec<Diagnostic>,
}

/// Loads a spec and looks for problems that leave it usable.
pub fn lint(path: &Path) -> Result<Linted, Vec<Diagnostic>> {
    let spec = Spec::load_for_lint(path)?;
    let diagnostics = spec.warnings.clone();
    Ok(Linted { spec, diagnostics })
}
