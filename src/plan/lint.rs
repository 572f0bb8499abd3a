//! Load-time problems that only the whole plan shows: citations held to each API's
//! requirements catalogue ([`cite`]), and error codes held to each API's error catalogue across
//! its suites and spec ([`errors`]).

pub mod cite;
pub mod errors;
