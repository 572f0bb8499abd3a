//! `accord list`: the cases with their ids, titles and requirements, offline.

use super::{PathsArgs, print_diagnostics};
use crate::term::outln;
use crate::{exit, plan};

pub fn list(a: PathsArgs) -> i32 {
    match plan::load(&a.paths) {
        Ok(p) => {
            for s in &p.suites {
                for c in &s.suite.file.cases {
                    outln!(
                        "{}\t{}\t[{}]",
                        s.suite.case_name(c),
                        c.title,
                        c.requirements.join(", ")
                    );
                }
            }
            exit::PASS
        }
        Err(d) => {
            print_diagnostics(&d);
            exit::INVALID_INPUT
        }
    }
}
