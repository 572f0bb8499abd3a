//! What the suites of one API share, wherever among them it is declared: the protocol rules
//! and the requirements catalogue, each declared once per API and loaded once.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::catalogue::Catalogue;
use crate::diag::Diagnostic;
use crate::plan::Plan;
use crate::suite::Suite;
use crate::suite::protocol::Protocol;

/// Gives every suite of an API the protocol rules one of them declares; two declarations for
/// one API are a problem.
pub(super) fn share_protocols(plan: &mut Plan) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut by_api: HashMap<String, (Arc<Protocol>, String)> = HashMap::new();
    for ps in &plan.suites {
        let Some(p) = &ps.suite.file.protocol else {
            continue;
        };
        let api = ps.suite.file.api.clone();
        let here = ps.suite.location("/protocol");
        if let Some((_, first)) = by_api.get(&api) {
            out.push(ps.suite.doc.diag_key(
                "/protocol",
                format!("api `{api}` already has protocol rules at {first}; declare them once"),
            ));
            continue;
        }
        by_api.insert(api, (Arc::new(p.clone()), here));
    }
    for ps in &mut plan.suites {
        ps.protocol = by_api.get(&ps.suite.file.api).map(|(p, _)| p.clone());
    }
    out
}

/// The catalogue a suite names, loaded once however many suites name it; one that describes
/// another API is a problem of the suite.
pub(super) fn load_catalogue(
    loaded: &mut HashMap<PathBuf, Option<Arc<Catalogue>>>,
    suite: &Suite,
    path: &Path,
) -> (Option<Arc<Catalogue>>, Vec<Diagnostic>) {
    let key = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let mut problems = Vec::new();
    let found = loaded
        .entry(key)
        .or_insert_with(|| match crate::catalogue::load(path) {
            Ok(c) => Some(Arc::new(c)),
            Err(d) => {
                if path.exists() {
                    problems.extend(d);
                } else {
                    problems.push(suite.doc.diag(
                        "/catalogue",
                        format!("catalogue `{}` not found", path.display()),
                    ));
                }
                None
            }
        })
        .clone();
    if let Some(c) = &found
        && c.api != suite.file.api
    {
        problems.push(suite.doc.diag(
            "/catalogue",
            format!(
                "{} is the catalogue of api `{}`, not of `{}`",
                c.doc.file, c.api, suite.file.api
            ),
        ));
        return (None, problems);
    }
    (found, problems)
}

/// Gives every suite of an API the catalogue one of them names; two catalogues for one API are
/// a problem.
pub(super) fn share_catalogues(plan: &mut Plan) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut by_api: HashMap<String, Arc<Catalogue>> = HashMap::new();
    for ps in &plan.suites {
        let Some(c) = &ps.catalogue else { continue };
        let api = ps.suite.file.api.clone();
        match by_api.get(&api) {
            Some(first) if !Arc::ptr_eq(first, c) => out.push(ps.suite.doc.diag(
                "/catalogue",
                format!(
                    "api `{api}` already has the catalogue {}; its suites name one catalogue",
                    first.doc.file
                ),
            )),
            Some(_) => {}
            None => {
                by_api.insert(api, c.clone());
            }
        }
    }
    for ps in &mut plan.suites {
        ps.catalogue = by_api.get(&ps.suite.file.api).cloned();
    }
    out
}
