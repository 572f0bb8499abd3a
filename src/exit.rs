//! Process exit codes, documented in docs/cli.md.

/// Every case passed.
pub const PASS: i32 = 0;
/// At least one case failed: the implementation broke a rule.
pub const FAIL: i32 = 1;
/// The input was invalid: a spec, suite, profile or command-line argument.
pub const INVALID_INPUT: i32 = 2;
/// Only infrastructure trouble: no case failed, but at least one errored because accord could
/// not test it (unreachable, TLS refused, timeout, no access token, busy through every retry,
/// budget spent).
pub const CANNOT_TEST: i32 = 3;
