//! `accord lint`: load every spec and suite offline and report every problem.

use super::{PathsArgs, print_diagnostics};
use crate::term::outln;
use crate::{exit, plan};

pub fn lint(a: PathsArgs) -> i32 {
    match plan::load(&a.paths) {
        Ok(p) => {
            let cases: usize = p.suites.iter().map(|s| s.suite.file.cases.len()).sum();
            outln!(
                "ok: {} suites, {} cases, {} specs",
                p.suites.len(),
                cases,
                p.specs.len()
            );
            exit::PASS
        }
        Err(d) => {
            print_diagnostics(&d);
            exit::INVALID_INPUT
        }
    }
}
