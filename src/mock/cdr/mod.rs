//! The CDR Get Accounts v2 reference data holder.

use super::{Fault, MockApi, MockOptions};

pub const API: MockApi = MockApi {
    name: "cdr",
    title: "CDR Get Accounts v2",
    base_path: "/cds-au/v1",
    faults: FAULTS,
    app,
};

pub const FAULTS: &[Fault] = &[];

fn app(_opts: &MockOptions) -> Result<axum::Router, String> {
    Ok(axum::Router::new())
}
