//! Statuses as suites write them: one status (`404`), a class (`4XX`, any status of its
//! hundred), or a list of them. An expectation's `status`, a negative declaration's and an
//! error catalogue entry's all read this way.
//!
//! The main type is [`StatusSet`]; [`StatusMatch`] is one of its members.

use serde::Deserialize;
use serde_json::Value;

/// One status or class of statuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusMatch {
    /// `404`
    Exact(u16),
    /// `4XX`: the hundreds digit.
    Class(u16),
}

impl StatusMatch {
    pub fn matches(self, status: u16) -> bool {
        match self {
            StatusMatch::Exact(s) => s == status,
            StatusMatch::Class(c) => status / 100 == c,
        }
    }

    /// True when some status matches both.
    pub fn overlaps(self, other: StatusMatch) -> bool {
        match (self, other) {
            (StatusMatch::Exact(s), o) | (o, StatusMatch::Exact(s)) => o.matches(s),
            (StatusMatch::Class(a), StatusMatch::Class(b)) => a == b,
        }
    }

    /// Every status it matches, from 100 to 599.
    pub fn codes(self) -> std::ops::RangeInclusive<u16> {
        match self {
            StatusMatch::Exact(s) => s..=s,
            StatusMatch::Class(c) => c * 100..=c * 100 + 99,
        }
    }

    /// Reads `404`, `"404"` or `"4XX"`.
    pub fn parse(v: &Value) -> Result<StatusMatch, String> {
        let bad = || format!("a status is an integer from 100 to 599 or a class like 4XX, not {v}");
        if let Some(n) = v.as_u64() {
            return (100..=599)
                .contains(&n)
                .then_some(StatusMatch::Exact(n as u16))
                .ok_or_else(bad);
        }
        let s = v.as_str().ok_or_else(bad)?;
        let b = s.as_bytes();
        if b.len() == 3 && matches!(b[0], b'1'..=b'5') && b[1..].eq_ignore_ascii_case(b"XX") {
            return Ok(StatusMatch::Class(u16::from(b[0] - b'0')));
        }
        match s.parse::<u16>() {
            Ok(n) if (100..=599).contains(&n) => Ok(StatusMatch::Exact(n)),
            _ => Err(bad()),
        }
    }
}

impl std::fmt::Display for StatusMatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StatusMatch::Exact(s) => write!(f, "{s}"),
            StatusMatch::Class(c) => write!(f, "{c}XX"),
        }
    }
}

/// One status, a class, or a non-empty list of them.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "Value")]
pub struct StatusSet(pub Vec<StatusMatch>);

impl TryFrom<Value> for StatusSet {
    type Error = String;
    fn try_from(v: Value) -> Result<Self, String> {
        match &v {
            Value::Array(items) if !items.is_empty() => items
                .iter()
                .map(StatusMatch::parse)
                .collect::<Result<_, _>>()
                .map(StatusSet),
            _ => StatusMatch::parse(&v).map(|s| StatusSet(vec![s])),
        }
    }
}

impl StatusSet {
    /// The set of exactly these statuses.
    pub fn exact(statuses: &[u16]) -> StatusSet {
        StatusSet(statuses.iter().map(|s| StatusMatch::Exact(*s)).collect())
    }

    /// True when `status` is one of the set, or of one of its classes.
    pub fn contains(&self, status: u16) -> bool {
        self.0.iter().any(|s| s.matches(status))
    }

    /// True when some status is in both sets.
    pub fn overlaps(&self, other: &StatusSet) -> bool {
        self.0
            .iter()
            .any(|a| other.0.iter().any(|b| a.overlaps(*b)))
    }

    /// Every status of the set, classes spelled out, in order and once each.
    pub fn codes(&self) -> Vec<u16> {
        let mut all: Vec<u16> = self.0.iter().flat_map(|s| s.codes()).collect();
        all.sort_unstable();
        all.dedup();
        all
    }

    /// True when the set holds one exact status and no class.
    pub fn is_single(&self) -> bool {
        matches!(self.0.as_slice(), [StatusMatch::Exact(_)])
    }
}

impl std::fmt::Display for StatusSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> = self.0.iter().map(ToString::to_string).collect();
        f.write_str(&parts.join(" or "))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::{StatusMatch, StatusSet};

    #[test]
    fn statuses_read_numbers_strings_and_classes() {
        let parse = |v| StatusMatch::parse(&v);
        assert_eq!(parse(json!(404)), Ok(StatusMatch::Exact(404)));
        assert_eq!(parse(json!("404")), Ok(StatusMatch::Exact(404)));
        assert_eq!(parse(json!("4XX")), Ok(StatusMatch::Class(4)));
        assert_eq!(parse(json!("5xx")), Ok(StatusMatch::Class(5)));
        for bad in [
            json!(99),
            json!(600),
            json!("6XX"),
            json!("4X"),
            json!("abc"),
            json!(true),
        ] {
            assert!(parse(bad.clone()).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_class_holds_every_status_of_its_hundred() {
        let set = StatusSet::try_from(json!("4XX")).unwrap();
        assert!(set.contains(400) && set.contains(405) && set.contains(499));
        assert!(!set.contains(200) && !set.contains(500));
        assert_eq!(set.codes().len(), 100);
        assert_eq!(set.to_string(), "4XX");
        assert!(!set.is_single());
    }

    #[test]
    fn sets_overlap_when_a_status_is_in_both() {
        let set = |v| StatusSet::try_from(v).unwrap();
        assert!(set(json!("4XX")).overlaps(&set(json!(403))));
        assert!(set(json!([400, 403])).overlaps(&set(json!(403))));
        assert!(!set(json!("4XX")).overlaps(&set(json!([200, "5XX"]))));
        assert_eq!(set(json!([403, "4XX"])).to_string(), "403 or 4XX");
        assert_eq!(StatusSet::exact(&[401, 403]).codes(), [401, 403]);
    }
}
