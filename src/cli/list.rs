//! `accord list`: the cases with their ids, titles and requirements, offline. A generated case
//! the suite excludes has a fourth column: `excluded: ` and the suite's reason.

use super::{PathsArgs, print_diagnostics};
use crate::term::outln;
use crate::{exit, plan};

pub fn list(a: PathsArgs) -> i32 {
    match plan::load(&a.paths) {
        Ok(p) => {
            for s in &p.suites {
                for c in &s.suite.file.cases {
                    let excluded = c
                        .excluded
                        .as_ref()
                        .map(|r| format!("\texcluded: {r}"))
                        .unwrap_or_default();
                    outln!(
                        "{}\t{}\t[{}]{excluded}",
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
