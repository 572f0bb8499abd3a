//! Load-time problems that only the whole plan shows: citations held to each API's
//! requirements catalogue ([`cite`]), error codes held to each API's error catalogue across
//! its suites and spec ([`errors`]), and coverage exemptions held to what the API documents
//! ([`coverage`]).

pub mod cite;
pub mod coverage;
pub mod errors;
