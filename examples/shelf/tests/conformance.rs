//! shelf's contract tests: every case of the suites under tests/conformance/ is a test of its
//! own, named `shelf::books::<case>`, run against the service served in this process.

use accord::{Harness, Target};

/// The token the service under test accepts, and the suites send.
const TOKEN: &str = "conformance-token";

fn main() -> std::process::ExitCode {
    Harness::suites("tests/conformance")
        .target(
            Target::router(|| shelf::app(TOKEN))
                .base_path("/v1")
                .secret("token", TOKEN),
        )
        .run()
}
