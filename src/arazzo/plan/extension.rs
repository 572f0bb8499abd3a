//! accord's `x-accord` additions to an Arazzo document, workflow and step, read where they
//! stand; a value that does not fit is a problem placed at the extension.

use indexmap::IndexMap;
use serde::Deserialize;

use crate::diag::Diagnostic;
use crate::suite::{ErrorShape, Expect, Waiver};
use crate::yaml::Document;

/// `x-accord` on the document.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct DocumentExtension {
    pub(super) api: Option<String>,
    pub(super) errors: Option<ErrorShape>,
    #[serde(default)]
    pub(super) sources: IndexMap<String, String>,
}

/// `x-accord` on a workflow.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct WorkflowExtension {
    #[serde(default)]
    pub(super) requirements: Vec<String>,
    #[serde(default)]
    pub(super) tags: Vec<String>,
    #[serde(default)]
    pub(super) destructive: bool,
    #[serde(default)]
    pub(super) waive: Vec<Waiver>,
}

/// `x-accord` on a step.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct StepExtension {
    #[serde(default)]
    pub(super) expect: Expect,
}

/// Reads an `x-accord` value; a problem is placed at the extension.
pub(super) fn extension<T: Default + serde::de::DeserializeOwned>(
    doc: &Document,
    at: &str,
    ext: &crate::arazzo::model::Extensions,
    out: &mut Vec<Diagnostic>,
) -> T {
    let Some(v) = ext.get("x-accord") else {
        return T::default();
    };
    let here = format!("{at}/x-accord");
    match serde_path_to_error::deserialize::<_, T>(v) {
        Ok(x) => x,
        Err(e) => {
            let path = e.path().to_string();
            let place = if path == "." {
                String::new()
            } else {
                format!("{path}: ")
            };
            out.push(doc.diag(&here, format!("x-accord: {place}{}", e.inner())));
            T::default()
        }
    }
}
