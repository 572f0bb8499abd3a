//! Negative values for the fields of a form body (`form`, `multipart`). A form is text, so a
//! field is judged as a server reads it: the probe's values are written as fields by the
//! media type's encoding and read back typed by the schema, one rule of one field (or of its
//! first item, or of a member of an object field) is broken in the probe's values, and the
//! case is kept only when reading what is then sent shows that rule, and only it, broken.
//! A wrong type is text the type refuses (`abc` for an integer, `maybe` for a boolean): a
//! string field has none, since any text is a string. A file part is only left out.

use indexmap::IndexMap;
use serde_json::Value;

use super::facts::Facts;
use super::generator::Generator;
use super::input::{fill_value, members, put};
use super::styled::confirms_at;
use super::violate::{self, Carrier, Violation};
use crate::openapi::MediaType;
use crate::openapi::form::Kind;
use crate::pointer;
use crate::suite::Case;
use crate::suite::form::{self, BodyKey, Part};

impl Generator<'_> {
    /// The negative cases of the probe's form body of kind `kind`, sent as `media` says.
    pub(super) fn form(
        &self,
        kind: Kind,
        values: &IndexMap<String, Value>,
        media: &MediaType,
    ) -> Vec<Case> {
        let (Some(schema), Some(json)) = (
            media.schema,
            media.schema.and_then(|s| self.spec.schema_json(s)),
        ) else {
            return Vec::new();
        };
        let facts = Facts::of(self.spec, json);
        if facts.open {
            return Vec::new();
        }
        let resolved: IndexMap<String, Value> = values
            .iter()
            .map(|(k, v)| (k.clone(), fill_value(v, self.vars)))
            .collect();
        let read = |vals: &IndexMap<String, Value>| {
            let fields = form::fields(kind, vals, &media.encoding);
            form::read(self.spec, media, kind, &fields).unwrap_or(Value::Null)
        };
        let base = read(&resolved);
        let already: Vec<(String, String)> = self
            .spec
            .validate(schema, &base)
            .into_iter()
            .map(|v| (v.instance_path, v.schema_path))
            .collect();
        let mut proposals = Vec::new();
        for (name, member) in &facts.properties {
            let here = pointer::join("", name);
            let Some(written) = resolved.get(*name) else {
                continue;
            };
            if facts.required.contains(name) {
                proposals.push((here.clone(), violate::missing()));
            }
            if Part::of(written).is_some() {
                continue;
            }
            let seen = base.get(*name);
            let mf = Facts::of(self.spec, member);
            let carrier = match seen {
                Some(Value::Array(_)) => Carrier::Json,
                _ => Carrier::Text,
            };
            for v in violate::violations(&mf, seen, carrier) {
                proposals.push((here.clone(), v));
            }
            match seen {
                Some(Value::Array(items)) => {
                    if let (Some(first), Some(item)) = (items.first(), mf.items) {
                        let itf = Facts::of(self.spec, item);
                        for v in violate::violations(&itf, Some(first), Carrier::Text) {
                            proposals.push((pointer::join(&here, "0"), v));
                        }
                    }
                }
                Some(v @ Value::Object(_)) if kind == Kind::UrlEncoded => {
                    members(self.spec, member, v, &here, &mut proposals);
                }
                _ => {}
            }
        }
        let key = BodyKey::Form(kind).key();
        let mut out = Vec::new();
        let mut named = std::collections::HashSet::new();
        for (at, v) in proposals {
            let id = format!("{at}#{}", v.name);
            if !self.negative.wants(v.kind) || named.contains(&id) {
                continue;
            }
            let Some(filled) = changed(&resolved, &at, &v) else {
                continue;
            };
            let found = self.spec.validate(schema, &read(&filled));
            if !confirms_at(&found, &v, &at, &already) {
                continue;
            }
            let mut request = self.probe.request.clone();
            let Some(sent) = request.form_body_mut() else {
                continue;
            };
            let Some(written) = changed(sent, &at, &v) else {
                continue;
            };
            *sent = written;
            named.insert(id);
            let shown = match &v.value {
                Some(x) => format!("{key} field {at} = {:?}", crate::openapi::style::text(x)),
                None => format!("{key} field {at} left out"),
            };
            let tokens = pointer::tokens(&at).unwrap_or_default();
            let what = format!("{key} field {at}");
            let rule = format!("OpenAPI {} request body {at}: {}", self.op, v.rule);
            out.push(self.case(
                &format!("{key}-{}", tokens.join("-")),
                (&what, &at),
                &v,
                rule,
                shown,
                request,
            ));
        }
        out
    }
}

/// The values with the violation applied at `at` (the values filled from variables, or the
/// probe's own); `None` when `at` is not where the values hold it (an array written as one
/// delimited text, say).
fn changed(
    values: &IndexMap<String, Value>,
    at: &str,
    v: &Violation,
) -> Option<IndexMap<String, Value>> {
    let mut whole = Value::Object(values.iter().map(|(k, x)| (k.clone(), x.clone())).collect());
    if !put(&mut whole, at, v.value.clone()) {
        return None;
    }
    let Value::Object(map) = whole else {
        return None;
    };
    Some(map.into_iter().collect())
}

#[cfg(test)]
mod tests;
