//! An operation's responses as the index reads them: each status with its headers, links
//! and content (one [`MediaType`] per media range, with its schema and examples), the same
//! content reader also serving request bodies.

use serde_json::Value;

use super::{Indexer, encodings, example_of, is_status_key};
use crate::openapi::files::Place;
use crate::openapi::schema::Direction;
use crate::openapi::{HeaderSpec, Link, LinkTarget, MediaType, Response};

impl Indexer<'_, '_> {
    pub(super) fn responses(&mut self, at: &Place) -> Vec<Response> {
        let Some(statuses) = self.keys(at) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for status in statuses.iter().filter(|k| !k.starts_with("x-")) {
            let key_at = at.child(status);
            if !is_status_key(status) {
                let msg = format!(
                    "response key `{status}` is not a status code, a range such as `4XX`, or `default`; it is skipped"
                );
                self.warn(self.bundler.files.diag_key(&key_at, msg));
                continue;
            }
            let Some(resp) = self.deref(&key_at) else {
                continue;
            };
            let mut headers = Vec::new();
            if let Some(names) = self.keys(&resp.child("headers")) {
                for name in &names {
                    if name.eq_ignore_ascii_case("content-type") {
                        continue;
                    }
                    let Some(h) = self.deref(&resp.child("headers").child(name)) else {
                        continue;
                    };
                    let value = self.bundler.files.get(&h).cloned().unwrap_or_default();
                    let schema = self.schema_of(&h, &value, Direction::Response);
                    self.note_examples(&h, schema);
                    headers.push(HeaderSpec {
                        name: name.to_ascii_lowercase(),
                        required: value.get("required") == Some(&Value::Bool(true)),
                        schema,
                    });
                }
            }
            out.push(Response {
                status: status.clone(),
                headers,
                content: self.content(&resp.child("content"), Direction::Response),
                links: self.links(&resp.child("links")),
                location: self.bundler.files.location(&key_at),
            });
        }
        out
    }

    /// The Link Objects of a response; one that names no operation is left out.
    pub(super) fn links(&mut self, at: &Place) -> Vec<Link> {
        let Some(names) = self.keys(at) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for name in names {
            let Some(link) = self.deref(&at.child(&name)) else {
                continue;
            };
            let Some(value) = self.bundler.files.get(&link) else {
                continue;
            };
            let text = |k: &str| value.get(k).and_then(Value::as_str).map(str::to_owned);
            let target = match (text("operationId"), text("operationRef")) {
                (Some(id), _) => LinkTarget::OperationId(id),
                (None, Some(r)) => LinkTarget::OperationRef(r),
                (None, None) => continue,
            };
            let parameters = value
                .get("parameters")
                .and_then(Value::as_object)
                .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
                .unwrap_or_default();
            out.push(Link {
                name,
                target,
                parameters,
            });
        }
        out
    }

    pub(super) fn content(&mut self, at: &Place, direction: Direction) -> Vec<MediaType> {
        let Some(media_types) = self.keys(at) else {
            return Vec::new();
        };
        media_types
            .iter()
            .map(|media| {
                let schema_at = at.child(media).child("schema");
                let schema = self
                    .bundler
                    .files
                    .get(&schema_at)
                    .is_some()
                    .then(|| self.schema(&schema_at, direction))
                    .flatten();
                self.note_examples(&at.child(media), schema);
                let written = self.bundler.files.get(&at.child(media));
                MediaType {
                    media_type: media.to_ascii_lowercase(),
                    example: written.and_then(example_of),
                    encoding: written.map(encodings).unwrap_or_default(),
                    schema,
                }
            })
            .collect()
    }
}
