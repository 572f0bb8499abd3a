//! Process exit codes, documented in README.md.

/// Every case passed.
pub const PASS: i32 = 0;
/// At least one case failed: the implementation broke a rule.
pub const FAIL: i32 = 1;
/// The input was invalid: a spec, suite, profile or command-line argument.
pub const INVALID_INPUT: i32 = 2;
/// The harness could not test: the target was unreachable or every case errored.
pub const CANNOT_TEST: i32 = 3;
