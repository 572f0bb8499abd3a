//! Version negotiation by request headers (`x-v` and `x-min-v` in the Consumer Data Standards):
//! the client names the highest version it accepts and, optionally, the lowest; the server
//! answers with the highest version it supports in that range and names it in a response
//! header, or refuses when it supports none.
//!
//! The rules, as the CDS "HTTP Headers" section states them: both headers are positive
//! integers (otherwise 400 Invalid Version); a minimum equal to or above the maximum is treated
//! as absent; no supported version in range is 406 Unsupported Version; a missing `x-v` is
//! 400 Missing Required Header. The header names, the supported versions and the documented
//! refusals are declared, so the same rule serves any API that negotiates this way.
//!
//! The main type is [`Versions`]; [`asked`] and [`Asked::served`] are the negotiation itself,
//! shared by the case generator and the `version-negotiation` check.

use indexmap::IndexMap;
use serde::Deserialize;

use super::{Probe, case};
use crate::suite::{Case, Expect, Step};

/// The `protocol.versions` declaration.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Versions {
    /// The clause cited by findings and generated cases.
    pub requirement: String,
    /// The request header naming the highest version the client accepts (`x-v`).
    pub header: String,
    /// The request header naming the lowest version the client accepts (`x-min-v`).
    pub min_header: Option<String>,
    /// The response header naming the version served (`x-v`).
    pub response_header: String,
    /// The versions every operation supports.
    pub supported: Vec<u64>,
    /// Operations whose versions differ from `supported`, by operation id.
    #[serde(default)]
    pub operations: IndexMap<String, Vec<u64>>,
    /// A request that succeeds when it asks for a supported version; the cases vary its headers.
    pub probe: Probe,
    /// The documented refusal of a request without the version header; without it, a missing
    /// header is not tested.
    pub missing: Option<Expect>,
    /// The documented refusal of a version header that is not a positive integer.
    pub invalid: Option<Expect>,
    /// The documented refusal of a range holding no supported version.
    pub unsupported: Expect,
}

/// What a request asks for, read from its version headers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Asked {
    /// No version header.
    Missing,
    /// A version header that is not a positive integer: its name and value.
    Invalid { header: String, value: String },
    /// Versions `lo` to `hi`, both included.
    Range { lo: u64, hi: u64 },
}

impl Asked {
    /// The version a conforming server serves: the highest of `supported` in the range.
    pub fn served(&self, supported: &[u64]) -> Option<u64> {
        match self {
            Asked::Range { lo, hi } => supported
                .iter()
                .copied()
                .filter(|v| (lo..=hi).contains(&v))
                .max(),
            _ => None,
        }
    }
}

/// Reads the version headers of a request; `min` is ignored when it is not below `v`.
pub fn asked(header: &str, v: Option<&str>, min_header: Option<&str>, min: Option<&str>) -> Asked {
    let Some(raw) = v else {
        return Asked::Missing;
    };
    let invalid = |h: &str, value: &str| Asked::Invalid {
        header: h.to_owned(),
        value: value.to_owned(),
    };
    let Some(hi) = positive_integer(raw) else {
        return invalid(header, raw);
    };
    let lo = match (min_header, min) {
        (Some(h), Some(raw_min)) => match positive_integer(raw_min) {
            Some(m) if m < hi => m,
            Some(_) => hi,
            None => return invalid(h, raw_min),
        },
        _ => hi,
    };
    Asked::Range { lo, hi }
}

/// A PositiveInteger as the CDS defines it: ASCII digits, not zero. Values past `u64`
/// saturate, since they are still positive integers.
pub fn positive_integer(s: &str) -> Option<u64> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n = s.parse::<u64>().unwrap_or(u64::MAX);
    (n > 0).then_some(n)
}

/// "version 3" or "versions 1 to 3".
pub fn describe_range(lo: u64, hi: u64) -> String {
    if lo == hi {
        format!("version {hi}")
    } else {
        format!("versions {lo} to {hi}")
    }
}

impl Versions {
    /// The versions `operation` supports.
    pub fn supported_for(&self, operation: Option<&str>) -> &[u64] {
        operation
            .and_then(|op| self.operations.get(op))
            .unwrap_or(&self.supported)
    }

    /// The negotiation matrix for the probe's operation: supported versions alone, ranges
    /// that hold a supported version, ranges and versions that hold none, a minimum at or
    /// above the maximum, and malformed or missing headers.
    pub fn cases(&self, at: &str) -> Vec<Case> {
        let supported = self.supported_for(self.probe.request.operation.as_deref());
        let (Some(&min), Some(&max)) = (supported.iter().min(), supported.iter().max()) else {
            return Vec::new();
        };
        let h = self.header.as_str();
        let mh = self.min_header.as_deref();
        let mut out = Matrix {
            rule: self,
            at,
            cases: Vec::new(),
        };
        let (top, above, above2, far) = (
            max.to_string(),
            max.saturating_add(1).to_string(),
            max.saturating_add(2).to_string(),
            max.saturating_add(3).to_string(),
        );
        let below = min.saturating_sub(1).to_string();
        let unsupported = &self.unsupported;
        for &v in supported {
            let title = format!("{h} {v} is served as version {v}");
            out.serve(
                &format!("version-supported-{v}"),
                title,
                &v.to_string(),
                None,
            );
        }
        let title = format!("{h} {above} (above every supported version) is refused");
        out.refuse(
            "version-above",
            title,
            "/unsupported",
            unsupported,
            &above,
            None,
        );
        if min > 1 {
            let title = format!("{h} {below} (below every supported version) is refused");
            out.refuse(
                "version-below",
                title,
                "/unsupported",
                unsupported,
                &below,
                None,
            );
        }
        if let Some(mh) = mh {
            let highest = "the highest supported in range";
            if max > 1 {
                let title = format!("{h} {top} with {mh} 1 is served as version {max}, {highest}");
                out.serve("version-range-highest", title, &top, Some("1"));
            }
            let title =
                format!("{h} {above} with {mh} {min} is served as version {max}, {highest}");
            let id = "version-range-includes-supported";
            out.serve(id, title, &above, Some(&min.to_string()));
            let title = format!(
                "{h} {above2} with {mh} {above} (no supported version in range) is refused"
            );
            let id = "version-range-above";
            out.refuse(
                id,
                title,
                "/unsupported",
                unsupported,
                &above2,
                Some(&above),
            );
            let title =
                format!("{mh} {far} above {h} {top} is treated as absent: version {max} is served");
            out.serve("version-min-above-x-v", title, &top, Some(&far));
            if min > 1 {
                let title = format!(
                    "{mh} {far} above {h} {below} is treated as absent, so version {below} alone is asked for and refused"
                );
                let id = "version-min-above-x-v-unsupported";
                out.refuse(id, title, "/unsupported", unsupported, &below, Some(&far));
            }
        }
        if let Some(invalid) = &self.invalid {
            for (id, what, value) in [
                ("version-not-an-integer", "not an integer", "abc"),
                ("version-zero", "zero", "0"),
                ("version-negative", "negative", "-1"),
            ] {
                out.refuse(
                    id,
                    format!("{h} {value} ({what}) is refused as not a positive integer"),
                    "/invalid",
                    invalid,
                    value,
                    None,
                );
            }
            if let Some(mh) = mh {
                for (id, what, value) in [
                    ("version-min-not-an-integer", "not an integer", "abc"),
                    ("version-min-negative", "negative", "-1"),
                ] {
                    out.refuse(
                        id,
                        format!("{mh} {value} ({what}) is refused as not a positive integer"),
                        "/invalid",
                        invalid,
                        &top,
                        Some(value),
                    );
                }
            }
        }
        if let Some(missing) = &self.missing {
            let step = self.step(&format!("{at}/missing"), None, None, missing);
            out.push(
                "version-missing",
                format!("A request without {h} is refused"),
                Some(missing),
                step,
            );
        }
        out.cases
    }

    /// A step sending the probe with these version headers (`None` leaves a header out).
    fn step(&self, origin: &str, v: Option<&str>, min: Option<&str>, expect: &Expect) -> Step {
        let mut headers = vec![(self.header.as_str(), v)];
        if let Some(mh) = &self.min_header {
            headers.push((mh.as_str(), min));
        }
        let mut step = self.probe.step(origin, &headers);
        step.expect = expect.clone();
        step
    }
}

/// The cases of one declaration, built up in order.
struct Matrix<'a> {
    rule: &'a Versions,
    at: &'a str,
    cases: Vec<Case>,
}

impl Matrix<'_> {
    /// A case whose request is served; the version it must be served as is in the title, and
    /// the `version-negotiation` check enforces it.
    fn serve(&mut self, id: &str, title: String, v: &str, min: Option<&str>) {
        let origin = format!("{}/probe", self.at);
        let step = self
            .rule
            .step(&origin, Some(v), min, &self.rule.probe.expect);
        self.push(id, title, None, step);
    }

    /// A case whose request is refused as `expect` (declared at `key`) says.
    fn refuse(
        &mut self,
        id: &str,
        title: String,
        key: &str,
        expect: &Expect,
        v: &str,
        min: Option<&str>,
    ) {
        let origin = format!("{}{key}", self.at);
        let step = self.rule.step(&origin, Some(v), min, expect);
        self.push(id, title, Some(expect), step);
    }

    fn push(&mut self, id: &str, title: String, refusal: Option<&Expect>, step: Step) {
        let steps = self.rule.probe.steps(&format!("{}/probe", self.at), step);
        let mut c = case(id, title, &self.rule.requirement, self.at, steps);
        if let Some(codes) = refusal.and_then(|e| e.error.as_ref()) {
            c.requirements.extend(codes.0.iter().cloned());
        }
        self.cases.push(c);
    }
}

#[cfg(test)]
mod tests;
