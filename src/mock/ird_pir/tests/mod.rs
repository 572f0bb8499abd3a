//! Tests of the PIR mock over real TCP on loopback: the conformant behaviour rule by rule, and
//! for every fault switch the one difference it makes.

mod conformant;
mod faults;

use std::ops::Deref;

use serde_json::Value;

use crate::mock::MockOptions;
use crate::mock::testing::{Loopback, options};
pub(super) use crate::mock::testing::{Reply, send};

pub(super) const TOKEN: &str = "test-token";
/// Persona with a 28% rate in every year from 2019.
pub(super) const RATE_28: &str = "139276507";
/// Persona neither caller may see.
pub(super) const NO_ACCESS: &str = "139276329";
/// Eight-digit persona without a rate.
pub(super) const NO_RATE: &str = "87654321";
/// The mock's KiwiSaver scheme.
pub(super) const SCHEME: &str = "094123453";

/// How a request authenticates.
#[derive(Debug, Clone, Copy)]
pub(super) enum Auth {
    None,
    Bearer,
    /// The issued JWT with a null `startLogon`.
    Jwt,
    /// The issued JWT whose `startLogon` is the tax preparer's myIR user.
    StartLogon,
    Raw(&'static str),
}

/// A credential the mock issues for [`TOKEN`].
pub(super) fn credential(name: &str) -> String {
    let opts = MockOptions {
        token: TOKEN.into(),
        ..MockOptions::default()
    };
    super::request::credentials(&opts)
        .into_iter()
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v)
        .unwrap_or_else(|| panic!("no credential {name}"))
}

/// The PIR mock on loopback, with POSTs to `/pir` under a chosen [`Auth`].
pub(super) struct Mock(Loopback);

impl Deref for Mock {
    type Target = Loopback;

    fn deref(&self) -> &Loopback {
        &self.0
    }
}

/// Readers of the build pack's error body.
pub(super) trait Pir {
    /// The `code` of the first error object.
    fn code(&self) -> &str;
}

impl Pir for Reply {
    fn code(&self) -> &str {
        self.body["errors"][0]["code"].as_str().unwrap_or("")
    }
}

impl Mock {
    /// The conformant mock (empty `faults`) or a faulty one, on data seed 1.
    pub(super) async fn start(faults: &[&str]) -> Mock {
        Mock::build(1, faults, super::limit::DAILY_QUERY_LIMIT).await
    }

    /// A mock whose daily query limit is `limit` instead of the build pack's.
    pub(super) async fn build(seed: u64, faults: &[&str], limit: usize) -> Mock {
        let app = super::router(&options(TOKEN, seed, faults), limit).unwrap();
        Mock(Loopback::start_router(app, super::BASE_PATH).await)
    }

    /// POSTs `body` (raw text) to `/pir`.
    pub(super) async fn post_raw(&self, auth: Auth, body: &str) -> Reply {
        let mut rb = self.client().post(self.url("/pir")).body(body.to_string());
        rb = match auth {
            Auth::None => rb,
            Auth::Bearer => rb.bearer_auth(TOKEN),
            Auth::Jwt => rb.header("authorization", credential("jwt")),
            Auth::StartLogon => rb.header("authorization", credential("jwt_start_logon")),
            Auth::Raw(v) => rb.header("authorization", v),
        };
        send(rb).await
    }

    /// POSTs a JSON body to `/pir`.
    pub(super) async fn post(&self, auth: Auth, body: Value) -> Reply {
        self.post_raw(auth, &body.to_string()).await
    }
}
