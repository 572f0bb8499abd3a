//! `error-title-constant`: an error code comes with the same `title` in every error response of
//! the run (CDS Error Response Structure: the title "is constant per code").
//!
//! One exchange shows one title per code, so no step can judge the rule: it is judged over the
//! whole run, once every case has finished, by [`crate::run::error_title`]. This entry gives the
//! check its place in the registry, its id and its rule.

use super::{Check, Output, StepContext};

pub struct ErrorTitleConstant;

/// The check's id.
pub const ID: &str = "error-title-constant";

impl Check for ErrorTitleConstant {
    fn id(&self) -> &'static str {
        ID
    }
    fn summary(&self) -> &'static str {
        "A catalogued error code comes with the same title in every error response of the run"
    }
    fn rule(&self) -> &'static str {
        "protocol.errors (CDS Error Response Structure: title is constant per code)"
    }
    fn automatic(&self) -> bool {
        true
    }
    fn run(&self, _cx: &StepContext<'_>, _out: &mut Output) {}
}
