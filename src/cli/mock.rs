//! `accord mock`: serve a built-in reference mock on loopback.

use crate::term::{errln, outln};
use std::io::Write;

use clap::Args;

use crate::{exit, mock};

#[derive(Args)]
pub struct MockArgs {
    /// The API to serve (see --list-faults for the names).
    api: Option<String>,
    /// Port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 8080)]
    port: u16,
    /// Switch a fault on (repeatable).
    #[arg(long)]
    fault: Vec<String>,
    /// Seed of the generated data (0 is the empty data set).
    #[arg(long, default_value_t = 1)]
    data_seed: u64,
    /// Records to serve instead of the data seed's count (cdr only), e.g. 10000 for large walks.
    #[arg(long)]
    records: Option<usize>,
    /// The bearer token the mock accepts.
    #[arg(long, default_value = "accord-mock-token")]
    token: String,
    /// List every mock's fault switches and exit.
    #[arg(long)]
    list_faults: bool,
}

pub async fn serve_mock(a: MockArgs) -> i32 {
    if a.list_faults {
        for api in mock::apis() {
            outln!("{} ({}):", api.name, api.title);
            for f in api.faults {
                outln!("  {:<32} {}", f.name, f.summary);
            }
        }
        return exit::PASS;
    }
    let Some(name) = a.api else {
        errln!(
            "error: name the API to serve: {}",
            mock::apis()
                .iter()
                .map(|m| m.name)
                .collect::<Vec<_>>()
                .join(", ")
        );
        return exit::INVALID_INPUT;
    };
    let Some(api) = mock::find(&name) else {
        errln!(
            "error: no mock named `{name}`; there are: {}",
            mock::apis()
                .iter()
                .map(|m| m.name)
                .collect::<Vec<_>>()
                .join(", ")
        );
        return exit::INVALID_INPUT;
    };
    if a.records.is_some() && api.name != "cdr" {
        errln!("error: --records is served by the cdr mock only");
        return exit::INVALID_INPUT;
    }
    let opts = mock::MockOptions {
        token: a.token.clone(),
        data_seed: a.data_seed,
        faults: a.fault.clone(),
        records: a.records,
    };
    let running = match mock::serve(
        api,
        &opts,
        std::net::SocketAddr::from(([127, 0, 0, 1], a.port)),
    )
    .await
    {
        Ok(r) => r,
        Err(e) => {
            errln!("error: cannot serve the {name} mock: {e}");
            return exit::INVALID_INPUT;
        }
    };
    // A reader that stops listening must not bring the server down, so write errors are ignored.
    let mut out = std::io::stdout();
    let _ = writeln!(out, "{} mock serving at {}", api.title, running.base_url);
    let _ = writeln!(out, "accepts: Authorization: Bearer {}", a.token);
    for (name, value) in (api.credentials)(&opts) {
        let _ = writeln!(out, "{name}: {value}");
    }
    if !a.fault.is_empty() {
        let _ = writeln!(out, "faults on: {}", a.fault.join(", "));
    }
    let _ = out.flush();
    let _ = tokio::signal::ctrl_c().await;
    running.stop().await;
    exit::PASS
}
