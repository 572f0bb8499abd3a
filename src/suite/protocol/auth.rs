//! Authentication: the credentials an API demands on its operations (a bearer token in
//! `Authorization`, a JWT sent with no prefix, API-key headers such as `X-Akahu-ID`), and how it
//! documents refusing a request whose credentials are missing, malformed, wrong or sent in the
//! wrong scheme. A refusal never carries data.
//!
//! Only refusals the provider documents are declared, so only they are tested: an API that
//! accepts a token both with and without the `Bearer` prefix declares no wrong-scheme refusal.
//!
//! The main type is [`Auth`]; [`Auth::cases`] builds the matrix, and [`Auth::tested_at`] tells
//! the `auth-no-data` check which unusable credential a generated step sends (recorded requests
//! keep credential headers redacted, so the check cannot read them).

use serde::Deserialize;

use super::case;
use crate::suite::{Case, Expect, Request, Step};

/// A JWT whose signature is not valid for any key: well formed, and wrong for every server.
pub const INVALID_JWT: &str = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJhY2NvcmQiLCJzdWIiOiJhY2NvcmQtaW52YWxpZC1jcmVkZW50aWFsIn0.YWNjb3JkOiBub3QgYSB2YWxpZCBzaWduYXR1cmU";

/// An API key or app id that no server issued.
pub const INVALID_KEY: &str = "accord-invalid-credential";

/// A value that is not a JWT (no dot-separated parts).
pub const MALFORMED_JWT: &str = "accord-malformed-credential";

/// Where the declaration sits in a suite; generated steps point below it.
pub const AT: &str = "/protocol/auth";

/// The `protocol.auth` declaration.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Auth {
    /// The clause cited by findings and generated cases.
    pub requirement: String,
    /// A request that succeeds with valid credentials; the cases vary its credential headers.
    pub request: Request,
    /// The operations that demand the credentials, by operation id; every operation when empty.
    #[serde(default)]
    pub operations: Vec<String>,
    /// JSON Pointers (with `*`) of the data a successful response carries; a refusal carries
    /// none of them.
    #[serde(default)]
    pub data: Vec<String>,
    /// Every credential header the API demands.
    pub credentials: Vec<Credential>,
    /// The documented refusal of a request without any credential header.
    pub none: Option<Expect>,
}

/// One credential and its documented refusals; a refusal left out is not tested.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Credential {
    /// Kebab-case name, part of the generated case ids (`auth-<name>-missing`).
    pub name: String,
    /// The request header carrying it.
    pub header: String,
    pub scheme: Scheme,
    /// The valid credential, without any scheme prefix (usually a variable: `{{token}}`).
    pub value: String,
    pub missing: Option<Expect>,
    pub malformed: Option<Expect>,
    pub wrong: Option<Expect>,
    pub wrong_scheme: Option<Expect>,
}

/// How a credential is written in its header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scheme {
    /// `Bearer <value>` (RFC 6750 section 2.1).
    Bearer,
    /// The value alone, with no scheme prefix (a JWT sent as the whole header).
    Raw,
    /// The value alone, an API key or app id.
    Key,
}

/// A way a credential can be unusable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Missing,
    Malformed,
    Wrong,
    WrongScheme,
}

impl Kind {
    pub const ALL: [Kind; 4] = [
        Kind::Missing,
        Kind::Malformed,
        Kind::Wrong,
        Kind::WrongScheme,
    ];

    /// The declaration key and, with `-` for `_`, the case id suffix.
    pub fn key(self) -> &'static str {
        match self {
            Kind::Missing => "missing",
            Kind::Malformed => "malformed",
            Kind::Wrong => "wrong",
            Kind::WrongScheme => "wrong_scheme",
        }
    }
}

impl Credential {
    /// The documented refusal for `kind`, if declared.
    pub fn refusal(&self, kind: Kind) -> Option<&Expect> {
        match kind {
            Kind::Missing => self.missing.as_ref(),
            Kind::Malformed => self.malformed.as_ref(),
            Kind::Wrong => self.wrong.as_ref(),
            Kind::WrongScheme => self.wrong_scheme.as_ref(),
        }
    }

    /// The header value (a template) sent with valid credentials.
    pub fn valid(&self) -> String {
        match self.scheme {
            Scheme::Bearer => format!("Bearer {}", self.value),
            Scheme::Raw | Scheme::Key => self.value.clone(),
        }
    }

    /// The header value (a template) a case of `kind` sends: `Some(None)` leaves the header
    /// out, `None` means the kind does not apply to the scheme.
    pub fn sends(&self, kind: Kind) -> Option<Option<String>> {
        let value = match (kind, self.scheme) {
            (Kind::Missing, _) => return Some(None),
            (Kind::Malformed, Scheme::Bearer) => "Bearer".to_owned(),
            (Kind::Malformed, Scheme::Raw) => MALFORMED_JWT.to_owned(),
            (Kind::Wrong, Scheme::Bearer) => format!("Bearer {INVALID_JWT}"),
            (Kind::Wrong, Scheme::Raw) => INVALID_JWT.to_owned(),
            (Kind::Wrong, Scheme::Key) => INVALID_KEY.to_owned(),
            (Kind::WrongScheme, Scheme::Bearer) => self.value.clone(),
            (Kind::WrongScheme, Scheme::Raw) => format!("Bearer {}", self.value),
            (Kind::Malformed | Kind::WrongScheme, Scheme::Key) => return None,
        };
        Some(Some(value))
    }

    /// What a case of `kind` does to the credential, for titles and findings.
    pub fn describe(&self, kind: Kind) -> String {
        let (n, h) = (&self.name, &self.header);
        match (kind, self.scheme) {
            (Kind::Missing, _) => format!("no {h} header"),
            (Kind::Malformed, Scheme::Bearer) => format!("the Bearer scheme but no token in {h}"),
            (Kind::Malformed, _) => format!("a malformed {n} in {h}"),
            (Kind::Wrong, _) => format!("a never-issued {n} in {h}"),
            (Kind::WrongScheme, Scheme::Bearer) => {
                format!("the {n} in {h} without the Bearer scheme")
            }
            (Kind::WrongScheme, _) => format!("the {n} in {h} with a Bearer prefix"),
        }
    }
}

impl Auth {
    /// True when `operation` (an id) demands the credentials.
    pub fn guards(&self, operation: Option<&str>) -> bool {
        self.operations.is_empty()
            || operation.is_some_and(|o| self.operations.iter().any(|x| x == o))
    }

    /// What a step generated from this declaration sends, described, from the step's pointer
    /// (`/protocol/auth/credentials/0/wrong`); `None` for any other step.
    pub fn tested_at(&self, step_pointer: &str) -> Option<String> {
        let rest = step_pointer.strip_prefix(AT)?.strip_prefix('/')?;
        if rest == "none" {
            return Some("no credentials".to_owned());
        }
        let mut parts = rest.split('/');
        let (Some("credentials"), Some(i), Some(key), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return None;
        };
        let c = self.credentials.get(i.parse::<usize>().ok()?)?;
        let kind = Kind::ALL.into_iter().find(|k| k.key() == key)?;
        Some(c.describe(kind))
    }

    /// The distinct credential headers, lower case, in declaration order.
    pub fn headers(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for c in &self.credentials {
            let h = c.header.to_ascii_lowercase();
            if !out.contains(&h) {
                out.push(h);
            }
        }
        out
    }

    /// Per credential, one case for each declared refusal; then one without any credential.
    pub fn cases(&self, at: &str) -> Vec<Case> {
        let mut out = Vec::new();
        for (i, c) in self.credentials.iter().enumerate() {
            for kind in Kind::ALL {
                let (Some(expect), Some(value)) = (c.refusal(kind), c.sends(kind)) else {
                    continue;
                };
                let origin = format!("{at}/credentials/{i}/{}", kind.key());
                let header = c.header.to_ascii_lowercase();
                let step = self.step(&origin, &[(header, value)], expect);
                out.push(self.case(
                    &format!("auth-{}-{}", c.name, kind.key().replace('_', "-")),
                    format!(
                        "A request with {} is refused{}",
                        c.describe(kind),
                        statuses(expect)
                    ),
                    at,
                    expect,
                    step,
                ));
            }
        }
        if let Some(expect) = &self.none {
            let origin = format!("{at}/none");
            let headers: Vec<(String, Option<String>)> =
                self.headers().into_iter().map(|h| (h, None)).collect();
            let step = self.step(&origin, &headers, expect);
            let names = self.headers().join(", ");
            out.push(self.case(
                "auth-none",
                format!(
                    "A request with no credentials ({names}) is refused{}",
                    statuses(expect)
                ),
                at,
                expect,
                step,
            ));
        }
        out
    }

    fn step(&self, origin: &str, headers: &[(String, Option<String>)], expect: &Expect) -> Step {
        let mut request = self.request.clone();
        for (name, value) in headers {
            request
                .headers
                .insert(name.clone(), value.clone().map(crate::suite::Scalar));
        }
        Step {
            name: None,
            walk: None,
            skip_if_status: Vec::new(),
            request,
            capture: Default::default(),
            expect: expect.clone(),
            origin: Some(origin.to_owned()),
        }
    }

    fn case(&self, id: &str, title: String, at: &str, expect: &Expect, step: Step) -> Case {
        let mut c = case(id, title, &self.requirement, at, vec![step]);
        if let Some(codes) = &expect.error {
            c.requirements.extend(codes.0.iter().cloned());
        }
        c
    }
}

/// " with 401" or " with 401 or 403", from a refusal's statuses.
fn statuses(expect: &Expect) -> String {
    let all = expect.statuses();
    if all.is_empty() {
        return String::new();
    }
    let list: Vec<String> = all.iter().map(u16::to_string).collect();
    format!(" with {} and no data", list.join(" or "))
}

#[cfg(test)]
mod tests;
