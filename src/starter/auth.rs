//! Credentials from `securitySchemes`: for each operation, the first Security Requirement
//! alternative whose schemes accord can send, each scheme as a variable and the place its
//! value goes. A bearer-like scheme (HTTP `bearer`, OAuth 2, OpenID Connect) is the variable
//! `token`, as for every built-in API, and so is a document's only scheme, whatever its kind;
//! the others are named after the scheme (`api_key`).

use serde_json::Value;

use crate::openapi::{Operation, Spec};

/// One credential an operation sends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credential {
    /// The scheme's name under `securitySchemes`.
    pub scheme: String,
    /// The suite variable holding the secret (`token`, `api_key`).
    pub variable: String,
    /// Where it goes: a header (lower case), a query parameter or a cookie.
    pub place: Place,
    /// Text before the value in its header (`Bearer `, `Basic `).
    pub prefix: &'static str,
    /// What the variable must hold, for comments and the profile template.
    pub holds: String,
}

/// Where a credential travels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    Header(String),
    Query(String),
    Cookie(String),
}

impl Credential {
    /// The text sent, with the variable as a placeholder.
    pub fn value(&self) -> String {
        format!("{}{{{{{}}}}}", self.prefix, self.variable)
    }
}

/// Every credential scheme of the document accord can send, in document order, with its
/// variable.
pub fn schemes(spec: &Spec) -> Vec<Credential> {
    let mut out: Vec<Credential> = Vec::new();
    for (name, scheme) in &spec.security_schemes {
        let Some(mut c) = credential(name, scheme) else {
            continue;
        };
        if c.variable == "token" && out.iter().any(|o| o.variable == "token") {
            c.variable = format!("{}_token", variable_name(name));
        }
        out.push(c);
    }
    if let [only] = out.as_mut_slice() {
        only.variable = "token".to_owned();
    }
    out
}

/// The credentials an operation sends: the first alternative whose schemes are all sendable
/// (none for an operation without security, or whose first sendable alternative is empty);
/// `Err` names the schemes of an operation none of whose alternatives can be sent.
pub fn for_operation(op: &Operation, all: &[Credential]) -> Result<Vec<Credential>, String> {
    if op.security.is_empty() {
        return Ok(Vec::new());
    }
    for alternative in &op.security {
        let found: Option<Vec<Credential>> = alternative
            .iter()
            .map(|s| all.iter().find(|c| &c.scheme == s).cloned())
            .collect();
        if let Some(found) = found {
            return Ok(found);
        }
    }
    let names: Vec<String> = op.security.iter().map(|a| a.join(" + ")).collect();
    Err(names.join(" or "))
}

fn credential(name: &str, scheme: &Value) -> Option<Credential> {
    let text = |k: &str| scheme.get(k).and_then(Value::as_str).unwrap_or_default();
    let bearer = |holds: &str| Credential {
        scheme: name.to_owned(),
        variable: "token".to_owned(),
        place: Place::Header("authorization".to_owned()),
        prefix: "Bearer ",
        holds: holds.to_owned(),
    };
    match text("type") {
        "http" if text("scheme").eq_ignore_ascii_case("bearer") => {
            Some(bearer("a bearer token (without the `Bearer ` prefix)"))
        }
        "http" if text("scheme").eq_ignore_ascii_case("basic") => Some(Credential {
            scheme: name.to_owned(),
            variable: variable_name(name),
            place: Place::Header("authorization".to_owned()),
            prefix: "Basic ",
            holds: "the base64 of `user:password`".to_owned(),
        }),
        "oauth2" | "openIdConnect" => Some(bearer("an OAuth 2 access token")),
        "apiKey" => {
            let key = text("name").to_owned();
            let place = match text("in") {
                "header" => Place::Header(key.to_ascii_lowercase()),
                "query" => Place::Query(key),
                "cookie" => Place::Cookie(key),
                _ => return None,
            };
            Some(Credential {
                scheme: name.to_owned(),
                variable: variable_name(name),
                place,
                prefix: "",
                holds: "the API key".to_owned(),
            })
        }
        _ => None,
    }
}

/// A scheme name as a suite variable: lower case, words joined by `_`.
pub fn variable_name(scheme: &str) -> String {
    let out = super::slug(scheme, '_');
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        format!("key_{out}")
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variable_names() {
        assert_eq!(variable_name("api_key"), "api_key");
        assert_eq!(variable_name("AppToken"), "app_token");
        assert_eq!(variable_name("X-Ivy-Api-Key"), "x_ivy_api_key");
        assert_eq!(variable_name("2fa"), "key_2fa");
    }

    fn used_alone() -> String {
        let spec = Spec::parse(
            "s.yaml",
            "openapi: 3.0.3\ninfo: {title: S, version: \"1\"}\nsecurity: [{key: []}]\npaths:\n  /a:\n    get:\n      responses: {\"200\": {description: ok}}\ncomponents:\n  securitySchemes:\n    key: {type: apiKey, in: header, name: X-Key}\n",
        )
        .unwrap_or_else(|e| panic!("{e:?}"));
        let all = schemes(&spec);
        for_operation(&spec.operations[0], &all).unwrap()[0].value()
    }

    #[test]
    fn schemes_and_alternatives() {
        let spec = Spec::parse(
            "s.yaml",
            "openapi: 3.0.3\ninfo: {title: S, version: \"1\"}\nsecurity: [{oauth: []}, {key: []}]\npaths:\n  /a:\n    get:\n      responses: {\"200\": {description: ok}}\n  /b:\n    get:\n      security: [{digest: []}, {key: [], basic: []}]\n      responses: {\"200\": {description: ok}}\n  /c:\n    get:\n      security: []\n      responses: {\"200\": {description: ok}}\ncomponents:\n  securitySchemes:\n    oauth: {type: oauth2, flows: {clientCredentials: {tokenUrl: \"https://x.example/t\", scopes: {}}}}\n    key: {type: apiKey, in: query, name: k}\n    basic: {type: http, scheme: basic}\n    digest: {type: http, scheme: digest}\n",
        )
        .unwrap_or_else(|e| panic!("{e:?}"));
        let all = schemes(&spec);
        let vars: Vec<&str> = all.iter().map(|c| c.variable.as_str()).collect();
        assert_eq!(vars, ["token", "key", "basic"]);
        assert_eq!(used_alone(), "{{token}}", "a lone scheme is `token`");
        let used = |i: usize| -> Vec<String> {
            for_operation(&spec.operations[i], &all)
                .unwrap()
                .iter()
                .map(Credential::value)
                .collect()
        };
        assert_eq!(used(0), ["Bearer {{token}}"]);
        assert_eq!(used(1), ["{{key}}", "Basic {{basic}}"]);
        assert!(used(2).is_empty());
    }
}
