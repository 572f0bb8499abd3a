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
                vec![probe.step(&origin, &[(h, Some("{{$uuid}}"))])],
            ));
            out.push(case(
                &format!("correlation-generated{suffix}"),
                format!("Without {h} the response carries a fresh UUID{on}"),
                &self.requirement,
                &origin,
                vec![probe.step(&origin, &[(h, None)])],
            ));
        }
        out
    }
}

/// True for the textual form of an RFC 4122 (RFC 9562) UUID: 8-4-4-4-12 hex digits, a version
/// from 1 to 8 and the RFC variant.
pub fn is_uuid(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 36 {
        return false;
    }
    for (i, c) in b.iter().enumerate() {
        let dash = matches!(i, 8 | 13 | 18 | 23);
        if dash != (*c == b'-') || (!dash && !c.is_ascii_hexdigit()) {
            return false;
        }
    }
    matches!(b[14], b'1'..=b'8') && matches!(b[19], b'8' | b'9' | b'a' | b'b' | b'A' | b'B')
}
