//! shelf against the cases accord derives from `openapi.yaml` alone, before any suite: a valid
//! request per operation, requests that break one rule of its input, and requests without the
//! token. Each is a test of its own, named `shelf::<operationId>::<case>`.

use accord::{Harness, Target};

/// The token the service under test accepts.
const TOKEN: &str = "conformance-token";

fn main() -> std::process::ExitCode {
    Harness::spec("openapi.yaml", "shelf")
        .target(
            Target::router(|| shelf::app(TOKEN))
                .base_path("/v1")
                .secret("token", TOKEN),
        )
        .run()
}
