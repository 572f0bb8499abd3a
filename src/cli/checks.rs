//! `accord checks`: every check with its id, summary and the rule it enforces.

use crate::term::outln;
use crate::{check, exit};

pub fn checks() -> i32 {
    for c in check::CHECKS {
        let kind = if c.automatic() {
            "automatic"
        } else {
            "expectation"
        };
        outln!(
            "{:<20} {:<12} {}\n{:<33} rule: {}",
            c.id(),
            kind,
            c.summary(),
            "",
            c.rule()
        );
    }
    exit::PASS
}
