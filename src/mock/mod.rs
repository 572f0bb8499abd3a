//! Reference implementations of the APIs accord covers: real HTTP servers (axum) on loopback,
//! with deterministic data generated from a seed and named fault switches that each break one
//! rule of the API's standard.
//!
//! The main type is [`MockApi`]; [`serve`] starts one on a socket.

pub mod aggregator;
pub mod akahu;
pub mod cdr;
pub mod ird_account;
pub mod ird_pir;

mod faults;
#[cfg(test)]
pub(crate) mod testing;

use std::net::SocketAddr;

use axum::Router;

/// How to start a mock.
#[derive(Debug, Clone)]
pub struct MockOptions {
    /// The bearer token the mock accepts.
    pub token: String,
    /// Seed of the generated data set.
    pub data_seed: u64,
    /// Names of the fault switches to turn on.
    pub faults: Vec<String>,
    /// How many records to serve instead of the seed's own count (the cdr mock; others ignore
    /// it): for walks of large sets.
    pub records: Option<usize>,
}

impl Default for MockOptions {
    fn default() -> Self {
        MockOptions {
            token: "accord-mock-token".into(),
            data_seed: 1,
            faults: Vec::new(),
            records: None,
        }
    }
}

/// A fault switch: one rule the mock breaks when it is on.
#[derive(Debug, Clone, Copy)]
pub struct Fault {
    pub name: &'static str,
    /// What the mock does wrong, in one sentence.
    pub summary: &'static str,
    /// Position of the switch in its mock's `Switch` enum, for the table tests.
    #[cfg(test)]
    pub(crate) switch_index: usize,
    /// Name of the `Switch` variant, for the table tests.
    #[cfg(test)]
    pub(crate) switch_name: &'static str,
}

/// The fault switches turned on for one mock instance, as a bit set over the mock's `FAULTS`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct FaultSet(u64);

impl FaultSet {
    /// Turns on the named switches of `faults`; an unknown name is an error listing the known
    /// ones, naming the mock (`api`).
    pub(crate) fn parse(api: &str, faults: &[Fault], names: &[String]) -> Result<Self, String> {
        debug_assert!(faults.len() <= 64, "a mock has at most 64 fault switches");
        let mut bits = 0u64;
        for name in names {
            let Some(index) = faults.iter().position(|f| f.name == name) else {
                let known: Vec<&str> = faults.iter().map(|f| f.name).collect();
                return Err(format!(
                    "unknown fault `{name}` for the {api} mock; known faults: {}",
                    known.join(", ")
                ));
            };
            bits |= 1 << index;
        }
        Ok(FaultSet(bits))
    }

    /// Whether the switch at `index` in the mock's `FAULTS` is on.
    pub(crate) fn has(self, index: usize) -> bool {
        self.0 & (1 << index) != 0
    }
}

/// One mock API.
#[derive(Debug, Clone, Copy)]
pub struct MockApi {
    /// Short name, the same as the suites' `api` (`cdr`).
    pub name: &'static str,
    pub title: &'static str,
    /// Path prefix every route sits under (`/cds-au/v1`).
    pub base_path: &'static str,
    pub faults: &'static [Fault],
    /// Builds the router; fails on an unknown fault name.
    pub app: fn(&MockOptions) -> Result<Router, String>,
    /// Credentials the mock issues besides its bearer token, as variables for the suites
    /// (a JWT signed for a Gateway credential, say); all are secrets.
    pub credentials: fn(&MockOptions) -> Vec<(&'static str, String)>,
}

/// For mocks whose only credential is the token.
pub fn token_only(_: &MockOptions) -> Vec<(&'static str, String)> {
    Vec::new()
}

/// Every mock accord ships.
pub fn apis() -> &'static [MockApi] {
    &[
        cdr::API,
        ird_account::API,
        ird_pir::API,
        akahu::API,
        aggregator::API,
    ]
}

/// The mock with this name.
pub fn find(name: &str) -> Option<&'static MockApi> {
    apis().iter().find(|a| a.name == name)
}

/// A mock serving on a socket; dropping it does not stop it, [`RunningMock::stop`] does.
pub struct RunningMock {
    pub addr: SocketAddr,
    pub base_url: String,
    shutdown: tokio::sync::oneshot::Sender<()>,
    task: tokio::task::JoinHandle<()>,
}

impl RunningMock {
    /// Stops the server and waits for it.
    pub async fn stop(self) {
        let _ = self.shutdown.send(());
        let _ = self.task.await;
    }
}

/// Binds `addr` (port 0 for any free port) and serves the mock in the background.
pub async fn serve(
    api: &MockApi,
    opts: &MockOptions,
    addr: SocketAddr,
) -> std::io::Result<RunningMock> {
    let app = (api.app)(opts).map_err(std::io::Error::other)?;
    serve_router(app, api.base_path, addr).await
}

/// Binds `addr` and serves `app`, whose routes sit under `base_path`, in the background.
pub(crate) async fn serve_router(
    app: Router,
    base_path: &str,
    addr: SocketAddr,
) -> std::io::Result<RunningMock> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let addr = listener.local_addr()?;
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = rx.await;
            })
            .await;
    });
    Ok(RunningMock {
        addr,
        base_url: format!("http://{addr}{base_path}"),
        shutdown: tx,
        task,
    })
}
