//! `accord requirements [API]`: the requirements catalogue of each API (or of one), offline:
//! every statement with its source, level and sentence, and what tests it (checks, the cases
//! that cite it, the fault switches that prove it) or why nothing does.

use clap::Args;

use super::print_diagnostics;
use crate::catalogue::{Catalogue, Status};
use crate::diag::did_you_mean;
use crate::plan::Plan;
use crate::term::{errln, out};
use crate::{exit, plan};

#[derive(Args)]
pub struct RequirementsArgs {
    /// Only this API's catalogue (`cdr`, `ird-pir`, ...).
    api: Option<String>,
    /// Suite files or directories searched for *.yaml; their catalogues are printed.
    #[arg(long = "suites", default_value = "suites", value_name = "PATH")]
    suites: Vec<std::path::PathBuf>,
}

pub fn requirements(a: RequirementsArgs) -> i32 {
    let plan = match plan::load(&a.suites) {
        Ok(p) => p,
        Err(d) => {
            print_diagnostics(&d);
            return exit::INVALID_INPUT;
        }
    };
    let mut apis: Vec<(String, &Catalogue)> = Vec::new();
    for api in plan.apis() {
        let cat = plan
            .suites
            .iter()
            .find(|s| s.suite.file.api == api)
            .and_then(|s| s.catalogue.as_deref());
        if let Some(cat) = cat {
            apis.push((api, cat));
        }
    }
    if let Some(want) = &a.api {
        apis.retain(|(api, _)| api == want);
        if apis.is_empty() {
            let known = plan.apis();
            let why = if known.contains(want) {
                format!(
                    "api `{want}` has no requirements catalogue: name one with `catalogue:` in one of its suites"
                )
            } else {
                let mut m = format!("no suite covers api `{want}`");
                if let Some(s) = did_you_mean(want, known.iter().map(String::as_str)) {
                    m.push_str(&format!("; did you mean `{s}`?"));
                }
                m
            };
            errln!("error: {why}");
            return exit::INVALID_INPUT;
        }
    }
    if apis.is_empty() {
        errln!("error: no suite names a requirements catalogue");
        return exit::INVALID_INPUT;
    }
    let shown: Vec<String> = apis
        .iter()
        .map(|(api, cat)| render(&plan, api, cat))
        .collect();
    out!("{}", shown.join("\n"));
    exit::PASS
}

/// One API's catalogue as text.
pub fn render(plan: &Plan, api: &str, cat: &Catalogue) -> String {
    let mut out = format!("{api}: {}", cat.title.as_deref().unwrap_or("requirements"));
    out.push_str(&format!(" ({})\n", cat.doc.file));
    for s in &cat.sources {
        out.push_str(&format!("  source {}: {}", s.id, s.title));
        if let Some(url) = &s.url {
            out.push_str(&format!(" <{url}>"));
        }
        out.push('\n');
    }
    let count =
        |f: fn(&Status<'_>) -> bool| cat.requirements.iter().filter(|r| f(&r.status())).count();
    out.push_str(&format!(
        "  {} requirements: {} tested, {} untestable by a black box, {} permissions honoured, {} gaps\n",
        cat.requirements.len(),
        count(|s| matches!(s, Status::Tested)),
        count(|s| matches!(s, Status::Untestable(_))),
        count(|s| matches!(s, Status::Allows(_))),
        count(|s| matches!(s, Status::Gap(_))),
    ));
    for r in &cat.requirements {
        out.push_str(&format!(
            "\n{}  {}  {}\n  \"{}\"\n",
            r.id,
            r.level.as_str().to_uppercase(),
            cat.cited_from(r),
            r.says.trim()
        ));
        match r.status() {
            Status::Tested => {
                let mut cases = r.cases.clone();
                for c in citing_cases(plan, api, &r.id) {
                    if !cases.contains(&c) {
                        cases.push(c);
                    }
                }
                let mut line = format!("  tested by checks {}", r.checks.join(", "));
                if cases.is_empty() {
                    line.push_str("; no case cites it");
                } else {
                    line.push_str(&format!("; cases {}", cases.join(", ")));
                }
                if r.faults.is_empty() {
                    line.push_str("; no fault switch proves it");
                } else {
                    line.push_str(&format!("; proven by faults {}", r.faults.join(", ")));
                }
                out.push_str(&line);
                out.push('\n');
            }
            Status::Untestable(why) => out.push_str(&format!("  untestable: {why}\n")),
            Status::Allows(how) => out.push_str(&format!("  permission: {how}\n")),
            Status::Gap(why) => out.push_str(&format!("  GAP, not tested: {why}\n")),
        }
        if let Some(note) = &r.note {
            out.push_str(&format!("  note: {note}\n"));
        }
    }
    out
}

/// The ids of the cases of `api` that cite requirement `id`, generated ones included.
pub fn citing_cases(plan: &Plan, api: &str, id: &str) -> Vec<String> {
    plan.suites
        .iter()
        .filter(|s| s.suite.file.api == api)
        .flat_map(|s| &s.suite.file.cases)
        .filter(|c| c.requirements.iter().any(|r| r == id))
        .map(|c| c.id.clone())
        .collect()
}
