//! Where a [`Harness`](super::Harness) sends an API's requests: a [`Target`], and what it
//! takes to start one and stop it again.
//!
//! Nothing here runs when a target is built. A target starts when the first case of its API
//! runs ([`Target::start`]), so listing the tests starts nothing and opens no connection.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::Request;
use axum::response::IntoResponse;
use tower_service::Service;

use crate::mock::{self, RunningMock};

/// Placeholder a [`Target::command`]'s arguments and environment use for the port the harness
/// chose.
const PORT: &str = "{port}";

/// How long a spawned command has to answer its readiness probe unless told otherwise.
const COMMAND_READY_TIMEOUT: Duration = Duration::from_secs(60);

/// The implementation an API's cases run against.
///
/// Build one with [`Target::url`], [`Target::router`], [`Target::service`] or
/// [`Target::command`], then add a base path, a readiness probe, and the variables and secrets
/// the suites need:
///
/// ```
/// use accord::Target;
///
/// let target = Target::url("https://sandbox.example/v1")
///     .var("customer", "c-1")
///     .secret("token", "sandbox-token");
/// ```
pub struct Target {
    kind: Kind,
    base_path: String,
    ready: Option<String>,
    ready_timeout: Option<Duration>,
    vars: Vec<(String, String)>,
    secrets: Vec<(String, String)>,
}

enum Kind {
    Url(String),
    Router(Box<dyn FnOnce() -> Router + Send>),
    Command(Command),
}

impl std::fmt::Debug for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = match &self.kind {
            Kind::Url(u) => format!("url {u}"),
            Kind::Router(_) => "in-process service".to_owned(),
            Kind::Command(c) => format!("command {:?}", c.get_program()),
        };
        f.debug_struct("Target")
            .field("kind", &kind)
            .field("base_path", &self.base_path)
            .field("ready", &self.ready)
            .finish_non_exhaustive()
    }
}

impl Target {
    fn new(kind: Kind) -> Target {
        Target {
            kind,
            base_path: String::new(),
            ready: None,
            ready_timeout: None,
            vars: Vec::new(),
            secrets: Vec::new(),
        }
    }

    /// An implementation that is already running, at this base URL (which may hold the API's
    /// base path, as in `https://sandbox.example/v1`).
    ///
    /// ```
    /// # use accord::Target;
    /// let url = std::env::var("SHELF_URL").unwrap_or_else(|_| "http://127.0.0.1:8080".into());
    /// let target = Target::url(url);
    /// ```
    pub fn url(base_url: impl Into<String>) -> Target {
        Target::new(Kind::Url(base_url.into()))
    }

    /// An axum [`Router`] served in this process on `127.0.0.1` at a free port.
    ///
    /// `make` is called once, when the first case of the API runs, inside the harness's tokio
    /// runtime (so it may spawn tasks, but must not block on futures).
    ///
    /// ```
    /// # use accord::Target;
    /// use axum::{Router, routing::get};
    ///
    /// fn app() -> Router {
    ///     Router::new().route("/health", get(|| async { "ok" }))
    /// }
    ///
    /// let target = Target::router(app);
    /// ```
    pub fn router(make: impl FnOnce() -> Router + Send + 'static) -> Target {
        Target::new(Kind::Router(Box::new(make)))
    }

    /// Any tower service that answers HTTP requests, served in this process like
    /// [`Target::router`]: it receives every request, whatever its path.
    ///
    /// ```
    /// # use accord::Target;
    /// // A method router is a tower service too: it answers GET on any path.
    /// let target = Target::service(|| axum::routing::get(|| async { "hello" }));
    /// ```
    pub fn service<S>(make: impl FnOnce() -> S + Send + 'static) -> Target
    where
        S: Service<Request, Error = Infallible> + Clone + Send + Sync + 'static,
        S::Response: IntoResponse,
        S::Future: Send + 'static,
    {
        Target::router(move || Router::new().fallback_service(make()))
    }

    /// A program the harness starts before the first case of the API, waits for, and stops
    /// after the last.
    ///
    /// The harness picks a free port on `127.0.0.1` and writes it wherever the command's
    /// arguments or environment values say `{port}`; the service must listen there. It is
    /// ready once it answers an HTTP request at its base path (any status), or, with
    /// [`ready`](Target::ready), a `2xx` at that path; it has 60 seconds unless
    /// [`ready_timeout`](Target::ready_timeout) says otherwise. It is killed when the run ends.
    ///
    /// ```no_run
    /// # use accord::Target;
    /// use std::process::Command;
    ///
    /// let mut service = Command::new("target/debug/shelf");
    /// service.args(["--listen", "127.0.0.1:{port}"]);
    /// let target = Target::command(service).ready("/health");
    /// ```
    pub fn command(command: Command) -> Target {
        Target::new(Kind::Command(command))
    }

    /// A path prefix every route of the API sits under (`/v1`), appended to the target's
    /// address.
    pub fn base_path(mut self, path: impl Into<String>) -> Target {
        self.base_path = path.into();
        self
    }

    /// Waits before the first case until `GET` at this path (below the base path) answers
    /// with a `2xx` status.
    pub fn ready(mut self, path: impl Into<String>) -> Target {
        self.ready = Some(path.into());
        self
    }

    /// How long the target has to become ready (default 60 seconds for a command, 30 for a
    /// probe of any other target).
    pub fn ready_timeout(mut self, timeout: Duration) -> Target {
        self.ready_timeout = Some(timeout);
        self
    }

    /// A variable the suites may use, such as a customer id. It overrides the profile's.
    pub fn var(mut self, name: impl Into<String>, value: impl Into<String>) -> Target {
        self.vars.push((name.into(), value.into()));
        self
    }

    /// A secret variable, such as a token: like [`var`](Target::var), and replaced by
    /// `[redacted]` in every message and report.
    pub fn secret(mut self, name: impl Into<String>, value: impl Into<String>) -> Target {
        self.secrets.push((name.into(), value.into()));
        self
    }

    /// The variables given in code, as (name, value).
    pub(crate) fn vars(&self) -> &[(String, String)] {
        &self.vars
    }

    /// The secrets given in code, as (name, value).
    pub(crate) fn secrets(&self) -> &[(String, String)] {
        &self.secrets
    }

    /// Starts the target (when there is anything to start) and waits until it is ready.
    /// Runs inside the harness's tokio runtime.
    pub(crate) async fn start(self) -> Result<Started, String> {
        let (root, running, described) = match self.kind {
            Kind::Url(url) => {
                let described = url.clone();
                (url, Running::Nothing, described)
            }
            Kind::Router(make) => {
                let server = mock::serve_router(make(), "", SocketAddr::from(([127, 0, 0, 1], 0)))
                    .await
                    .map_err(|e| format!("cannot serve the in-process service: {e}"))?;
                let root = server.base_url.clone();
                (
                    root,
                    Running::Server(server),
                    "in-process service".to_owned(),
                )
            }
            Kind::Command(command) => {
                let (child, port, program) = spawn(command)?;
                let root = format!("http://127.0.0.1:{port}");
                (root, Running::Child(child), format!("command `{program}`"))
            }
        };
        let base_url = join(&root, &self.base_path);
        let mut started = Started {
            base_url,
            described: if self.base_path.is_empty() {
                described
            } else {
                format!("{described} at {}", self.base_path)
            },
            running,
        };
        let probe = match (&self.ready, &started.running) {
            (Some(path), _) => Some((join(&started.base_url, path), true)),
            (None, Running::Child(_)) => Some((started.base_url.clone(), false)),
            _ => None,
        };
        if let Some((url, want_success)) = probe {
            let default = match started.running {
                Running::Child(_) => COMMAND_READY_TIMEOUT,
                _ => Duration::from_secs(30),
            };
            let within = self.ready_timeout.unwrap_or(default);
            if let Err(e) = wait_ready(&url, want_success, within, &mut started.running).await {
                started.stop().await;
                return Err(e);
            }
        }
        Ok(started)
    }
}

/// A started target.
pub(crate) struct Started {
    /// Where requests go, base path included.
    pub(crate) base_url: String,
    /// What reports show: stable from run to run (no port), so the results of runs in
    /// separate processes can be merged.
    pub(crate) described: String,
    running: Running,
}

/// What a started target holds to stop it.
enum Running {
    Nothing,
    Server(RunningMock),
    Child(Child),
}

impl Started {
    /// Stops what the harness started: the server task, or the spawned process.
    pub(crate) async fn stop(&mut self) {
        match std::mem::replace(&mut self.running, Running::Nothing) {
            Running::Nothing => {}
            Running::Server(server) => server.stop().await,
            Running::Child(mut child) => {
                let _ = child.kill();
                let _ = child.wait();
            }
        }
    }
}

/// `root` with `path` appended, with exactly one `/` between them.
fn join(root: &str, path: &str) -> String {
    if path.is_empty() {
        return root.to_owned();
    }
    format!(
        "{}/{}",
        root.trim_end_matches('/'),
        path.trim_start_matches('/')
    )
}

/// Starts `command` with `{port}` replaced by a free port; returns the child, the port and
/// the program's name.
fn spawn(command: Command) -> Result<(Child, u16, String), String> {
    let program = std::path::Path::new(command.get_program())
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mentions = |s: &std::ffi::OsStr| s.to_string_lossy().contains(PORT);
    let told = command.get_args().any(mentions)
        || command.get_envs().any(|(_, v)| v.is_some_and(mentions));
    if !told {
        return Err(format!(
            "the command `{program}` is not told where to listen: write {PORT} in one of its arguments or environment values"
        ));
    }
    let port = std::net::TcpListener::bind(("127.0.0.1", 0))
        .and_then(|l| l.local_addr())
        .map_err(|e| format!("cannot find a free port: {e}"))?
        .port();
    let fill = |s: &std::ffi::OsStr| s.to_string_lossy().replace(PORT, &port.to_string());
    let mut filled = Command::new(command.get_program());
    filled.args(command.get_args().map(fill));
    for (name, value) in command.get_envs() {
        match value {
            Some(v) => filled.env(name, fill(v)),
            None => filled.env_remove(name),
        };
    }
    if let Some(dir) = command.get_current_dir() {
        filled.current_dir(dir);
    }
    filled.stdin(Stdio::null());
    let child = filled
        .spawn()
        .map_err(|e| format!("cannot start the command `{program}`: {e}"))?;
    Ok((child, port, program))
}

/// Polls `url` until it answers (with a `2xx` when `want_success`), the process exits, or
/// `within` has passed.
async fn wait_ready(
    url: &str,
    want_success: bool,
    within: Duration,
    running: &mut Running,
) -> Result<(), String> {
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(2))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| format!("cannot build an HTTP client: {e}"))?;
    let deadline = Instant::now() + within;
    loop {
        if let Running::Child(child) = running
            && let Ok(Some(status)) = child.try_wait()
        {
            return Err(format!(
                "the command exited ({status}) before it was ready at {url}"
            ));
        }
        let last = match client.get(url).send().await {
            Ok(r) if !want_success || r.status().is_success() => return Ok(()),
            Ok(r) => format!("status {}", r.status().as_u16()),
            Err(e) => e.without_url().to_string(),
        };
        if Instant::now() >= deadline {
            return Err(format!(
                "not ready at {url} within {}s (last: {last})",
                within.as_secs_f64()
            ));
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_paths_join_with_one_slash() {
        assert_eq!(join("http://h:1", ""), "http://h:1");
        assert_eq!(join("http://h:1", "/v1"), "http://h:1/v1");
        assert_eq!(join("http://h:1/", "v1"), "http://h:1/v1");
    }

    #[test]
    fn a_command_must_be_told_its_port() {
        let e = spawn(Command::new("true")).unwrap_err();
        assert!(e.contains("write {port}"), "{e}");
    }

    #[tokio::test]
    async fn a_target_that_never_answers_its_probe_is_not_ready() {
        let closed = std::net::TcpListener::bind(("127.0.0.1", 0)).unwrap();
        let port = closed.local_addr().unwrap().port();
        drop(closed);
        let e = Target::url(format!("http://127.0.0.1:{port}"))
            .base_path("/v1")
            .ready("/health")
            .ready_timeout(Duration::from_millis(200))
            .start()
            .await
            .err()
            .expect("nothing listens there");
        assert!(
            e.starts_with(&format!(
                "not ready at http://127.0.0.1:{port}/v1/health within 0.2s (last: "
            )),
            "{e}"
        );
    }

    #[tokio::test]
    async fn a_probe_waits_for_success() {
        let app = Router::new().route(
            "/v1/health",
            axum::routing::get(|| async { axum::http::StatusCode::SERVICE_UNAVAILABLE }),
        );
        let e = Target::router(move || app)
            .base_path("/v1")
            .ready("health")
            .ready_timeout(Duration::from_millis(200))
            .start()
            .await
            .err()
            .expect("503 is not ready");
        assert!(e.ends_with("(last: status 503)"), "{e}");
        let mut ok = Target::router(|| {
            Router::new().route("/health", axum::routing::get(|| async { "ok" }))
        })
        .ready("/health")
        .start()
        .await
        .unwrap();
        assert_eq!(ok.described, "in-process service");
        ok.stop().await;
    }
}
