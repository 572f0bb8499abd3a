//! `accord lint`: load every spec and suite offline and report every problem.

use super::{PathsArgs, print_diagnostics};
use crate::term::outln;
use crate::{exit, plan};

pub fn lint(a: PathsArgs) -> i32 {
    match plan::load(&a.paths) {
        Ok(p) => {
            outln!("{}", suites_ok(&p));
            exit::PASS
        }
        Err(d) => {
            print_diagnostics(&d);
            exit::INVALID_INPUT
        }
    }
}

/// The line a clean suite lint ends with: suites, cases to run (and excluded), specs.
fn suites_ok(p: &plan::Plan) -> String {
    let all = p.suites.iter().flat_map(|s| &s.suite.file.cases);
    let (mut cases, mut excluded) = (0, 0);
    for c in all {
        if c.excluded.is_some() {
            excluded += 1;
        } else {
            cases += 1;
        }
    }
    let excluded = match excluded {
        0 => String::new(),
        1 => " (1 generated case excluded)".to_owned(),
        n => format!(" ({n} generated cases excluded)"),
    };
    format!(
        "ok: {} suites, {cases} cases{excluded}, {} specs",
        p.suites.len(),
        p.specs.len()
    )
}
