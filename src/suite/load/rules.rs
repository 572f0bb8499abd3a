//! The rules a schema cannot state that span the whole suite file: variables named in `vars`
//! and `defaults` are declared, `var_formats` name variables and hold their defaults, case ids
//! are unique, `waive` and `grade` name known checks; then each case's own rules
//! (`case_problems`).

use std::collections::HashSet;

use serde_json::Value;

use super::case::{Rules, case_problems};
use super::sound::Sound;
use crate::diag::{Diagnostic, did_you_mean};
use crate::pointer;
use crate::suite::SuiteFile;
use crate::template;
use crate::yaml::Document;

/// Rules the schema cannot state, on the sound part of the file: `sound.cases[i]` is the
/// position in the document of `file.cases[i]`. A rule that needs a part left out as broken
/// is not judged, so one mistake is not reported twice.
pub(super) fn semantic_problems(
    doc: &Document,
    file: &SuiteFile,
    sound: &Sound,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let vars_complete = !sound.lost("requires") && !sound.lost("vars");
    let mut ids = HashSet::new();
    let declared: HashSet<&str> = file
        .requires
        .iter()
        .map(String::as_str)
        .chain(file.vars.keys().map(String::as_str))
        .chain(template::BUILTINS.iter().copied())
        .collect();
    for (name, value) in file.vars.iter().filter(|_| vars_complete) {
        unknown_vars(
            doc,
            &format!("/vars/{}", pointer::escape(name)),
            &value.0,
            &declared,
            &mut out,
        );
    }
    for (name, format) in &file.var_formats {
        let at = format!("/var_formats/{}", pointer::escape(name));
        let undeclared = vars_complete && !declared.contains(name.as_str());
        if undeclared || template::BUILTINS.contains(&name.as_str()) {
            let mut d = doc.diag_key(&at, format!("`{name}` is not a variable of this suite"));
            let vars = file
                .requires
                .iter()
                .chain(file.vars.keys())
                .map(String::as_str);
            if let Some(s) = did_you_mean(name, vars) {
                d = d.with_help(format!("did you mean `{s}`?"));
            }
            out.push(d);
            continue;
        }
        // A default made of other variables is judged when the run fills it in.
        if let Some(default) = file.vars.get(name)
            && template::variables_in(&default.0).is_empty()
            && let Err(why) = format.check(&default.0)
        {
            out.push(doc.diag(
                &format!("/vars/{}", pointer::escape(name)),
                format!(
                    "the default of `{name}` is {why}; `var_formats` says {}",
                    format.name()
                ),
            ));
        }
    }
    let defaults = file.defaults.headers.iter().chain(&file.defaults.query);
    for (name, value) in defaults.filter(|_| vars_complete) {
        let kind = if file.defaults.headers.contains_key(name) {
            "headers"
        } else {
            "query"
        };
        unknown_vars(
            doc,
            &format!("/defaults/{kind}/{}", pointer::escape(name)),
            &value.0,
            &declared,
            &mut out,
        );
    }
    let written = doc.value.get("cases").and_then(Value::as_array);
    for (ci, case) in written.into_iter().flatten().enumerate() {
        if let Some(id) = case.get("id").and_then(Value::as_str)
            && !ids.insert(id)
        {
            out.push(doc.diag(
                &format!("/cases/{ci}/id"),
                format!("duplicate case id `{id}`"),
            ));
        }
    }
    for (case, ci) in file.cases.iter().zip(&sound.cases) {
        let at = format!("/cases/{ci}");
        for (wi, w) in case.waive.iter().enumerate() {
            out.extend(unknown_check(
                doc,
                &format!("{at}/waive/{wi}/check"),
                &w.check,
            ));
        }
        for (gi, g) in case.grade.iter().enumerate() {
            let at = format!("{at}/grade/{gi}");
            if g.case.is_some() {
                out.push(doc.diag_key(
                    &format!("{at}/case"),
                    "a case's own `grade` applies to that case; name cases in the suite's `grade`",
                ));
            }
            out.extend(grade_checks(doc, &at, g));
        }
        let rules = Rules {
            declared: vars_complete.then_some(&declared),
            errors_known: !sound.lost("errors"),
        };
        case_problems(doc, file, case, &at, &rules, &mut out);
    }
    for (gi, g) in file.grade.iter().enumerate() {
        out.extend(grade_checks(doc, &format!("/grade/{gi}"), g));
    }
    out
}

/// A located problem when `id` names no check, with the nearest check id as a hint.
fn unknown_check(doc: &Document, at: &str, id: &str) -> Option<Diagnostic> {
    if crate::check_ids::is_known(id) {
        return None;
    }
    let mut d = doc.diag(at, format!("unknown check `{id}`"));
    if let Some(s) = did_you_mean(id, crate::check_ids::ids()) {
        d = d.with_help(format!("did you mean `{s}`?"));
    }
    Some(d)
}

/// The unknown check ids of a `grade` entry (`check` is one id or a list).
fn grade_checks(doc: &Document, at: &str, g: &crate::suite::Grade) -> Vec<Diagnostic> {
    let one = g.check.0.len() == 1;
    g.check
        .0
        .iter()
        .enumerate()
        .filter_map(|(i, id)| {
            let at = if one {
                format!("{at}/check")
            } else {
                format!("{at}/check/{i}")
            };
            unknown_check(doc, &at, id)
        })
        .collect()
}

/// An undefined variable in `text`, with the nearest known name or where to declare it.
pub(super) fn unknown_vars(
    doc: &Document,
    at: &str,
    text: &str,
    known: &HashSet<&str>,
    out: &mut Vec<Diagnostic>,
) {
    for name in template::variables_in(text) {
        if !known.contains(name.as_str()) {
            let mut d = doc.diag(at, format!("undefined variable `{name}`"));
            d = match did_you_mean(&name, known.iter().copied()) {
                Some(s) => d.with_help(format!("did you mean `{s}`?")),
                None => d.with_help(
                    "declare it under `requires` or `vars`, or capture it in an earlier step",
                ),
            };
            out.push(d);
        }
    }
}
