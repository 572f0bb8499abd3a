use std::path::Path;

use super::{INVALID_JWT, INVALID_KEY, Kind};
use crate::suite::Case;
use crate::suite::load::from_document;
use crate::yaml::Document;

fn load(protocol: &str) -> Result<crate::suite::Suite, Vec<crate::diag::Diagnostic>> {
    let text = format!(
        "api: t\nspec: t.yaml\nrequires: [token]\nerrors:\n  codes: [/errors/*/code]\nprotocol:\n{protocol}cases:\n  - id: c\n    title: T\n    requirements: [R]\n    steps:\n      - request: {{operation: listThings}}\n        expect: {{status: 200}}\n"
    );
    let doc = Document::parse("t.yaml", text).unwrap();
    from_document(Path::new("t.yaml"), doc)
}

const TWO: &str = "  auth:
    requirement: R-auth
    request: {operation: listThings, body: {}}
    data: [/items]
    credentials:
      - name: user-token
        header: Authorization
        scheme: bearer
        value: \"{{token}}\"
        missing: {status: 401}
        malformed: {status: 401}
        wrong: {status: 401, error: E-wrong}
        wrong_scheme: {status: [401, 403]}
      - name: app-id
        header: X-App
        scheme: key
        value: app
        missing: {status: 401}
        wrong: {status: 403}
    none: {status: 401}
";

/// Each case as `id: header=value, ...`, `-` for a header left out.
fn sent(cases: &[Case]) -> Vec<String> {
    cases
        .iter()
        .map(|c| {
            let h: Vec<String> = c.steps[0]
                .request
                .headers
                .iter()
                .map(|(n, v)| format!("{n}={}", v.as_ref().map_or("-", |v| v.0.as_str())))
                .collect();
            format!("{}: {}", c.id, h.join(", "))
        })
        .collect()
}

#[test]
fn each_declared_refusal_is_one_case() {
    let s = load(TWO).unwrap();
    let cases = crate::suite::protocol::generate(&s.file);
    assert_eq!(
        sent(&cases),
        [
            "auth-user-token-missing: authorization=-".to_owned(),
            "auth-user-token-malformed: authorization=Bearer".to_owned(),
            format!("auth-user-token-wrong: authorization=Bearer {INVALID_JWT}"),
            "auth-user-token-wrong-scheme: authorization={{token}}".to_owned(),
            "auth-app-id-missing: x-app=-".to_owned(),
            format!("auth-app-id-wrong: x-app={INVALID_KEY}"),
            "auth-none: authorization=-, x-app=-".to_owned(),
        ]
    );
    let wrong = &cases[2];
    assert_eq!(wrong.requirements, ["R-auth", "E-wrong"]);
    assert_eq!(
        wrong.steps[0].origin.as_deref(),
        Some("/protocol/auth/credentials/0/wrong")
    );
    assert_eq!(wrong.steps[0].request.body, Some(serde_json::json!({})));
    assert_eq!(
        cases[3].title,
        "A request with the user-token in Authorization without the Bearer scheme is refused with 401 or 403 and no data"
    );
    assert_eq!(
        cases[0].title,
        "A request with no Authorization header is refused with 401 and no data"
    );
    let at = s.location(cases[5].steps[0].origin.as_deref().unwrap());
    assert!(at.starts_with("t.yaml:25:"), "{at}");
}

#[test]
fn a_raw_credential_is_refused_with_a_bearer_prefix() {
    let decl = "  auth:
    requirement: R
    request: {operation: listThings}
    credentials:
      - {name: jwt, header: authorization, scheme: raw, value: \"{{token}}\", malformed: {status: 401}, wrong_scheme: {status: 401}}
";
    let s = load(decl).unwrap();
    let a = s.file.protocol.as_ref().unwrap().auth.as_ref().unwrap();
    let c = &a.credentials[0];
    assert_eq!(c.valid(), "{{token}}");
    assert_eq!(
        c.sends(Kind::WrongScheme),
        Some(Some("Bearer {{token}}".to_owned()))
    );
    let cases = crate::suite::protocol::generate(&s.file);
    assert_eq!(
        sent(&cases),
        [
            "auth-jwt-malformed: authorization=accord-malformed-credential",
            "auth-jwt-wrong-scheme: authorization=Bearer {{token}}",
        ]
    );
}

#[test]
fn an_api_key_has_no_malformed_or_wrong_scheme_refusal() {
    let decl = "  auth:
    requirement: R
    request: {operation: listThings}
    credentials:
      - {name: key, header: x-key, scheme: key, value: k, malformed: {status: 401}}
";
    let err = load(decl).unwrap_err();
    assert_eq!(err[0].line, 11, "{err:#?}");
    assert!(err[0].message.starts_with("`malformed`"), "{err:#?}");
}

#[test]
fn the_invalid_jwt_is_well_formed() {
    let parts: Vec<&str> = INVALID_JWT.split('.').collect();
    assert_eq!(parts.len(), 3);
    assert!(parts.iter().all(|p| {
        !p.is_empty()
            && p.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    }));
}

#[test]
fn guarded_operations() {
    let decl = "  auth:
    requirement: R
    request: {operation: listThings}
    operations: [listThings]
    credentials:
      - {name: t, header: authorization, scheme: bearer, value: x, missing: {status: 401}}
";
    let s = load(decl).unwrap();
    let a = s.file.protocol.as_ref().unwrap().auth.as_ref().unwrap();
    assert!(a.guards(Some("listThings")));
    assert!(!a.guards(Some("status")));
    assert!(!a.guards(None));
}

#[test]
fn generated_steps_are_told_by_their_pointer() {
    let s = load(TWO).unwrap();
    let a = s.file.protocol.as_ref().unwrap().auth.as_ref().unwrap();
    assert_eq!(
        a.tested_at("/protocol/auth/credentials/1/wrong").as_deref(),
        Some("a never-issued app-id in X-App")
    );
    assert_eq!(
        a.tested_at("/protocol/auth/none").as_deref(),
        Some("no credentials")
    );
    for other in [
        "/protocol/auth/credentials/2/wrong",
        "/protocol/auth/credentials/0/bogus",
        "/protocol/auth/credentials/0/wrong/x",
        "/protocol/authx/none",
        "/cases/0/steps/0",
    ] {
        assert_eq!(a.tested_at(other), None, "{other}");
    }
    for c in crate::suite::protocol::generate(&s.file) {
        assert!(
            a.tested_at(c.steps[0].origin.as_deref().unwrap()).is_some(),
            "{}",
            c.id
        );
    }
}
