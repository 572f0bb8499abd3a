//! What was sent and what came back: the evidence every check reads and every report shows.
//!
//! An [`Exchange`] is recorded with secrets already redacted, so nothing downstream (checks,
//! reports, logs) can leak them.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One HTTP request as sent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordedRequest {
    pub method: String,
    pub url: String,
    /// Header names in lower case, in the order sent.
    pub headers: Vec<(String, String)>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
}

/// One HTTP response as received (body possibly cut at the size cap).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordedResponse {
    pub status: u16,
    /// Header names in lower case, in the order received.
    pub headers: Vec<(String, String)>,
    /// The body as text; bytes that are not UTF-8 are replaced and flagged in `body_note`.
    pub body: String,
    /// Size of the body in bytes as received (before any cut).
    pub body_bytes: usize,
    /// Why the body shown differs from the bytes received (not UTF-8, cut at the cap).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body_note: Option<String>,
    /// On a page of a long walk whose body was not kept: what the walk read from the body, so
    /// a replay can judge the walk again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub digest: Option<Box<PageDigest>>,
    /// The body parsed as JSON, when it is JSON.
    #[serde(skip)]
    pub json: Option<Value>,
}

impl RecordedResponse {
    /// The body as JSON: the parse the record kept, or a fresh one; `None` when it is not JSON.
    pub fn body_json(&self) -> Option<std::borrow::Cow<'_, Value>> {
        match &self.json {
            Some(v) => Some(std::borrow::Cow::Borrowed(v)),
            None => serde_json::from_str(&self.body)
                .ok()
                .map(std::borrow::Cow::Owned),
        }
    }

    /// The first value of a header (names compare case-insensitively).
    pub fn header(&self, name: &str) -> Option<&str> {
        header(&self.headers, name)
    }

    /// Every value of a header.
    pub fn header_all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.headers
            .iter()
            .filter(move |(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The media type of the Content-Type header, lower-cased, without parameters.
    pub fn media_type(&self) -> Option<String> {
        self.header("content-type").map(|v| {
            v.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
    }
}

impl RecordedRequest {
    /// The first value of a header (names compare case-insensitively).
    pub fn header(&self, name: &str) -> Option<&str> {
        header(&self.headers, name)
    }
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// A request and, when one came, its response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Exchange {
    /// Index of the step in its case (0-based).
    pub step: usize,
    /// For a step that walks a paginated list: the page's position in the walk (1-based).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<usize>,
    /// For a run of a long walk's middle pages kept as one entry: its last page (`page` is its
    /// first). The entry gives the first page's request, the status they all answered and
    /// their total time; no page of it had findings of its own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pages_to: Option<usize>,
    /// For a link the walk followed once after its pages, to see which page it leads to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<FollowedLink>,
    /// The spec operation the request was matched to (`operationId`, or `METHOD /path`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operation: Option<String>,
    pub request: RecordedRequest,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response: Option<RecordedResponse>,
    /// Wall time from send to the end of the body, in milliseconds.
    pub duration_ms: u64,
    /// A curl command line that reproduces the request, secrets redacted; empty (and absent
    /// from results.json) on a middle page of a long walk, which keeps no headers either.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub curl: String,
    /// How many times the request was sent: 1 unless it was retried.
    #[serde(default = "one", skip_serializing_if = "is_one")]
    pub attempts: u32,
    /// Why each earlier attempt was not the last, in order (empty when the first one stood).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub retried: Vec<Retried>,
}

/// A pagination link followed once: the walk page that carried it and its name there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowedLink {
    pub page: usize,
    pub name: String,
}

/// An attempt that was sent again, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Retried {
    /// What came of the attempt: `HTTP 503 Service Unavailable (Retry-After: 1)`,
    /// `connect: connection refused`, `HTTP 401 with the access token: fetched a new one`.
    pub reason: String,
    /// Time waited before the next attempt, in milliseconds.
    pub wait_ms: u64,
}

impl Exchange {
    /// True for a middle page of a long walk kept short: no body, headers or curl line, only
    /// what the walk read from its body.
    pub fn trimmed(&self) -> bool {
        self.pages_to.is_some() || self.response.as_ref().is_some_and(|r| r.digest.is_some())
    }

    /// A one-line account of the retries (`3 attempts: HTTP 503 ..., waited 1.00s; ...`), or
    /// `None` when the request was sent once.
    pub fn attempts_note(&self) -> Option<String> {
        if self.attempts <= 1 && self.retried.is_empty() {
            return None;
        }
        let reasons: Vec<String> = self
            .retried
            .iter()
            .map(|r| {
                format!(
                    "{}, waited {}.{:02}s",
                    r.reason,
                    r.wait_ms / 1000,
                    (r.wait_ms % 1000) / 10
                )
            })
            .collect();
        Some(format!(
            "{} attempts: {}",
            self.attempts,
            reasons.join("; ")
        ))
    }
}

fn one() -> u32 {
    1
}

fn is_one(n: &u32) -> bool {
    *n == 1
}

/// What a walk read from a page's body (the walk's page without its request): recorded on a
/// page of a long walk whose body the report does not keep. Fields are left out when empty.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PageDigest {
    /// True when the body was JSON.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub json: bool,
    /// The identifier of each record (`null` for a record without one); absent when the
    /// records pointer did not hold an array.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ids: Option<Vec<Option<String>>>,
    /// `cds`: the links present, by name.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        with = "links_as_object"
    )]
    pub links: Vec<(String, Value)>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_records: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_pages: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub more: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<Value>,
}

impl PageDigest {
    /// The digest with `f` applied to every text in it (to redact secrets), changed in place.
    pub fn map_text(mut self, f: &impl Fn(String) -> String) -> PageDigest {
        for id in self.ids.iter_mut().flatten().flatten() {
            *id = f(std::mem::take(id));
        }
        let values = self.links.iter_mut().map(|(_, v)| v).chain(
            [
                &mut self.total_records,
                &mut self.total_pages,
                &mut self.more,
                &mut self.next,
                &mut self.total,
            ]
            .into_iter()
            .flatten(),
        );
        for v in values {
            map_value(v, f);
        }
        self
    }
}

/// A digest's links, in the order the page gave them, written as a JSON object. A name
/// given twice in a recorded file keeps its first place and its last value, as a JSON object
/// read into a map does.
mod links_as_object {
    use serde::de::{MapAccess, Visitor};
    use serde::ser::SerializeMap;
    use serde::{Deserializer, Serializer};
    use serde_json::Value;

    pub fn serialize<S: Serializer>(links: &[(String, Value)], s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(links.len()))?;
        for (name, value) in links {
            map.serialize_entry(name, value)?;
        }
        map.end()
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<(String, Value)>, D::Error> {
        struct Links;
        impl<'de> Visitor<'de> for Links {
            type Value = Vec<(String, Value)>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object of links")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Self::Value, A::Error> {
                let mut out: Vec<(String, Value)> = Vec::new();
                while let Some((name, value)) = m.next_entry::<String, Value>()? {
                    match out.iter_mut().find(|(n, _)| *n == name) {
                        Some(entry) => entry.1 = value,
                        None => out.push((name, value)),
                    }
                }
                Ok(out)
            }
        }
        d.deserialize_map(Links)
    }
}

/// Applies `f` to every string inside `v`, in place.
fn map_value(v: &mut Value, f: &impl Fn(String) -> String) {
    match v {
        Value::String(s) => *s = f(std::mem::take(s)),
        Value::Array(a) => a.iter_mut().for_each(|v| map_value(v, f)),
        Value::Object(o) => o.values_mut().for_each(|v| map_value(v, f)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digest_links_are_an_object_in_page_order() {
        let digest = PageDigest {
            links: vec![
                ("self".into(), Value::from("https://h/a?page=2")),
                ("first".into(), Value::from("https://h/a?page=1")),
            ],
            ..PageDigest::default()
        };
        let text = serde_json::to_string(&digest).unwrap();
        assert_eq!(
            text,
            r#"{"links":{"self":"https://h/a?page=2","first":"https://h/a?page=1"}}"#
        );
        let back: PageDigest = serde_json::from_str(&text).unwrap();
        assert_eq!(back, digest);
        let empty: PageDigest = serde_json::from_str("{}").unwrap();
        assert!(empty.links.is_empty());
        assert_eq!(serde_json::to_string(&empty).unwrap(), "{}");
    }

    #[test]
    fn a_link_named_twice_keeps_its_first_place_and_last_value() {
        let read: PageDigest =
            serde_json::from_str(r#"{"links":{"next":"a","self":"b","next":"c"}}"#).unwrap();
        assert_eq!(
            read.links,
            vec![
                ("next".to_owned(), Value::from("c")),
                ("self".to_owned(), Value::from("b")),
            ]
        );
        assert!(serde_json::from_str::<PageDigest>(r#"{"links":["x"]}"#).is_err());
    }
}
