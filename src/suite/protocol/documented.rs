//! Statuses the API's own protocol declarations document for an operation.
//!
//! A spec need not list every status its API's rules require: the official CDS banking file
//! lists 200, 400, 406 and 422 for Get Accounts, while the standard's HTTP Response Codes
//! section, which the suite's `protocol.auth` cites, requires 401 for a missing or invalid
//! token. The automatic checks take a status a declaration documents as documented, and name
//! the declaration as its source. The main function is [`Protocol::documents_status`].

use super::Protocol;
use crate::suite::Expect;

/// The declaration that documents a status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Declared {
    /// `protocol.auth`, `protocol.errors (urn:...)`, ...
    pub declaration: String,
    /// JSON Pointer of the declaration in the suite that holds it.
    pub pointer: String,
    /// The requirement the declaration cites.
    pub requirement: String,
}

impl Protocol {
    /// The first declaration (authentication refusals, the error catalogue, version negotiation,
    /// pagination refusals) that documents `status` for `operation`.
    pub fn documents_status(&self, operation: &str, status: u16) -> Option<Declared> {
        let lists = |e: &Option<Expect>| {
            e.as_ref()
                .and_then(|x| x.status.as_ref())
                .is_some_and(|s| s.contains(status))
        };
        if let Some(a) = &self.auth
            && (a.operations.is_empty() || a.operations.iter().any(|o| o == operation))
        {
            let refused = lists(&a.none)
                || a.credentials.iter().any(|c| {
                    lists(&c.missing)
                        || lists(&c.malformed)
                        || lists(&c.wrong)
                        || lists(&c.wrong_scheme)
                });
            if refused {
                return Some(Declared {
                    declaration: "protocol.auth".to_owned(),
                    pointer: super::auth::AT.to_owned(),
                    requirement: a.requirement.clone(),
                });
            }
        }
        if let Some(v) = &self.versions {
            let unsupported = v.unsupported.status.as_ref();
            if lists(&v.missing)
                || lists(&v.invalid)
                || unsupported.is_some_and(|s| s.contains(status))
            {
                return Some(Declared {
                    declaration: "protocol.versions".to_owned(),
                    pointer: "/protocol/versions".to_owned(),
                    requirement: v.requirement.clone(),
                });
            }
        }
        if let Some(p) = &self.pagination
            && p.request.operation.as_deref() == Some(operation)
            && [&p.invalid_page, &p.invalid_size]
                .iter()
                .any(|r| r.as_ref().is_some_and(|r| r.status == status))
        {
            return Some(Declared {
                declaration: "protocol.pagination".to_owned(),
                pointer: "/protocol/pagination".to_owned(),
                requirement: p.requirement.clone(),
            });
        }
        let errors = self.errors.as_ref()?;
        let (i, entry) = errors
            .catalogue
            .iter()
            .enumerate()
            .find(|(_, e)| e.applies_to(operation) && e.status.contains(status))?;
        Some(Declared {
            declaration: format!("protocol.errors ({})", entry.code),
            pointer: format!("/protocol/errors/catalogue/{i}"),
            requirement: errors.requirement.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::Protocol;

    fn protocol(yaml: &str) -> Protocol {
        let indented: String = yaml.lines().map(|l| format!("  {l}\n")).collect();
        let text = format!(
            "api: t\nspec: t.yaml\nprotocol:\n{indented}cases:\n  - id: c\n    title: T\n    requirements: [R]\n    steps:\n      - request: {{operation: list}}\n        expect: {{status: 200}}\n"
        );
        let doc = crate::yaml::Document::parse("t.yaml", text).unwrap();
        let suite = crate::suite::load::from_document(std::path::Path::new("t.yaml"), doc)
            .unwrap_or_else(|e| panic!("{e:#?}"));
        suite.file.protocol.clone().expect("a protocol section")
    }

    const RULES: &str = "auth:\n  requirement: codes.401\n  request: {operation: list}\n  credentials:\n    - {name: token, header: authorization, scheme: bearer, value: t, missing: {status: 401}}\nversions:\n  requirement: headers.x-v\n  header: x-v\n  response_header: x-v\n  supported: [2]\n  probe: {request: {operation: list}}\n  unsupported: {status: 406}\npagination:\n  style: cds\n  requirement: pages\n  request: {operation: list}\n  items: /data\n  id: /id\n  default_size: 25\n  max_size: 1000\n  invalid_page: {status: 422}\nerrors:\n  requirement: errors.codes\n  catalogue:\n    - {code: Gone, status: 410, title: Gone, when: never, operations: []}\n    - {code: Busy, status: 5XX, title: Busy, when: busy}\n";

    #[test]
    fn each_declaration_documents_its_statuses() {
        let p = protocol(RULES);
        let by = |op: &str, status: u16| p.documents_status(op, status).map(|d| d.declaration);
        assert_eq!(by("list", 401).as_deref(), Some("protocol.auth"));
        assert_eq!(by("list", 406).as_deref(), Some("protocol.versions"));
        assert_eq!(by("list", 422).as_deref(), Some("protocol.pagination"));
        assert_eq!(
            by("other", 422),
            None,
            "pagination documents its own operation"
        );
        assert_eq!(by("list", 503).as_deref(), Some("protocol.errors (Busy)"));
        assert_eq!(
            by("list", 410),
            None,
            "a code no operation returns documents nothing"
        );
        assert_eq!(by("list", 418), None);
        let d = p.documents_status("list", 503).unwrap();
        assert_eq!(
            (d.pointer.as_str(), d.requirement.as_str()),
            ("/protocol/errors/catalogue/1", "errors.codes")
        );
    }
}
