//! Correlation ids (`x-fapi-interaction-id` in the Consumer Data Standards): a response plays
//! back the id the request carried, on success and on errors alike, and carries a fresh RFC 4122
//! UUID when the request had none.

use serde::Deserialize;

use super::{Probe, case};
use crate::suite::Case;

/// The `protocol.correlation` declaration.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Correlation {
    /// The header's name.
    pub header: String,
    /// The clause cited by findings and generated cases.
    pub requirement: String,
    /// A request that succeeds.
    pub success: Probe,
    /// A request that gets an error response.
    pub error: Option<Probe>,
}

impl Correlation {
    /// Per probe: one case sending a fresh id, one sending none.
    pub fn cases(&self, at: &str) -> Vec<Case> {
        let h = self.header.as_str();
        let mut out = Vec::new();
        let mut probes = vec![("", "success", &self.success)];
        if let Some(e) = &self.error {
            probes.push(("-on-error", "error", e));
        }
        for (suffix, key, probe) in probes {
            let origin = format!("{at}/{key}");
            let on = if suffix.is_empty() {
                ""
            } else {
                " on an error response"
            };
            out.push(case(
                &format!("correlation-echoed{suffix}"),
                format!("The {h} sent is played back{on}"),
                &self.requirement,
                &origin,
                probe.steps(&origin, probe.step(&origin, &[(h, Some("{{$uuid}}"))])),
            ));
            out.push(case(
                &format!("correlation-generated{suffix}"),
                format!("Without {h} the response carries a fresh UUID{on}"),
                &self.requirement,
                &origin,
                probe.steps(&origin, probe.step(&origin, &[(h, None)])),
            ));
        }
        out
    }
}

/// True for the textual form of an RFC 4122 (RFC 9562) UUID: 8-4-4-4-12 hex digits, a version
/// from 1 to 8 and the RFC variant.
pub fn is_uuid(s: &str) -> bool {
    // `try_parse` also takes the simple, braced and URN forms; only the hyphenated one counts.
    s.len() == 36
        && uuid::Uuid::try_parse(s).is_ok_and(|u| {
            u.get_variant() == uuid::Variant::RFC4122 && (1..=8).contains(&u.get_version_num())
        })
}
