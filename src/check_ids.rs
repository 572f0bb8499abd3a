//! The id of every check, for the areas below the check layer that name checks: suites
//! (`waive`), requirements catalogues (a requirement's `checks`) and Arazzo waivers validate the
//! ids they name against this list. The check registry (`crate::check::CHECKS`) is tested
//! against it, so the two cannot drift apart.

/// Every check id in the order the registry runs them, then the ids of the findings about
/// captures (`capture`) and Arazzo success criteria (`success-criteria`).
pub const IDS: &[&str] = &[
    "status-documented",
    "content-type",
    "response-schema",
    "response-headers",
    "correlation-id",
    "expect-status",
    "expect-header",
    "expect-body",
    "expect-error",
    "expect-snapshot",
    "pagination-page",
    "version-negotiation",
    "auth-no-data",
    "error-catalogue",
    "error-title-constant",
    "cds-type",
    "ird-number",
    "negative-rejected",
    "error-detail-names-input",
    "pagination-walk",
    "capture",
    "success-criteria",
];

/// Every check id, as [`IDS`] lists them.
pub fn ids() -> impl Iterator<Item = &'static str> {
    IDS.iter().copied()
}

/// True when `id` names a check.
pub fn is_known(id: &str) -> bool {
    IDS.contains(&id)
}
