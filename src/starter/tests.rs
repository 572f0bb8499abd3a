use std::path::Path;

use super::{Options, suite};
use crate::openapi::Spec;
use crate::suite::load::from_document;
use crate::yaml::Document;

const FIXTURE: &str = "tests/fixtures/spec-only/pets.yaml";

fn derived() -> (Spec, super::Starter) {
    let spec = Spec::load(Path::new(FIXTURE)).unwrap_or_else(|e| panic!("{e:?}"));
    let opts = Options {
        api: "pets".into(),
        spec_ref: "pets.yaml".into(),
    };
    let s = suite(&spec, &opts);
    (spec, s)
}

#[test]
fn one_case_per_operation_with_discovered_path_parameters() {
    let (_, s) = derived();
    let cases: Vec<(&str, &str)> = s
        .cases
        .iter()
        .map(|(id, op)| (id.as_str(), op.as_str()))
        .collect();
    assert_eq!(
        cases,
        [
            ("list-pets", "listPets"),
            ("create-pet", "createPet"),
            ("show-pet", "showPet"),
            ("get-health", "GET /health"),
        ]
    );
    let t = &s.text;
    assert!(t.contains("requires: [token]"), "{t}");
    assert!(
        t.contains(r#"- request: {"operation":"listPets","query":{"limit":"10"},"headers":{"authorization":"Bearer {{token}}"}}"#),
        "{t}"
    );
    assert!(
        t.contains(r#"pet_id: {body: "/items/0/id", skip_if_missing: true}"#),
        "the pet id comes from the collection: {t}"
    );
    assert!(t.contains(r#""path_params":{"petId":"{{pet_id}}"}"#), "{t}");
    assert!(
        t.contains(r#""body":{"name":"Rex"}"#),
        "body from the schema's example: {t}"
    );
    assert!(t.contains("destructive: true"), "{t}");
    assert!(t.contains(r#"{"method":"GET","path":"/health"}"#), "{t}");
}

#[test]
fn the_protocol_section_breaks_inputs_and_drops_credentials() {
    let (_, s) = derived();
    let t = &s.text;
    assert!(t.contains("  negative:\n"), "{t}");
    assert!(t.contains("    level: warning\n"), "{t}");
    assert!(
        t.contains(r#"- request: {"operation":"showPet","path_params":{"petId":"p-1"},"headers":{"authorization":"Bearer {{token}}"}}"#),
        "probes take path parameters from examples: {t}"
    );
    assert!(t.contains("  auth:\n"), "{t}");
    assert!(
        t.contains(r#"- {name: "token", header: "authorization", scheme: bearer, value: "{{token}}", missing: {status: [400, 401, 403, 404, 422]}}"#),
        "{t}"
    );
}

#[test]
fn what_it_writes_loads_and_generates() {
    let (spec, s) = derived();
    let doc = Document::parse("tests/fixtures/spec-only/pets.accord.yaml", s.text.clone())
        .unwrap_or_else(|e| panic!("{e:?}"));
    let mut suite = from_document(Path::new("tests/fixtures/spec-only/pets.accord.yaml"), doc)
        .unwrap_or_else(|e| panic!("{}\n{e:#?}", s.text));
    let problems = crate::plan::add_generated(&mut suite, &spec);
    assert!(problems.is_empty(), "{problems:#?}");
    assert!(crate::plan::cross_check(&suite, &spec).is_empty());
    let ids: Vec<&str> = suite.file.cases.iter().map(|c| c.id.as_str()).collect();
    for id in [
        "auth-token-missing",
        "negative-listPets-query-limit-above-maximum",
        "negative-createPet-body-name-too-long",
        "negative-createPet-body-kind-not-in-enum",
    ] {
        assert!(ids.contains(&id), "{id} in {ids:?}");
    }
    assert!(
        !ids.iter().any(|i| i.contains("tags-not-array")),
        "an optional array query parameter is not broken by a lone word: {ids:?}"
    );
}

#[test]
fn openapi_31_documents_derive_and_load_too() {
    let got = super::spec_only::plan(
        Path::new("tests/fixtures/spec-only/pets-31.yaml"),
        "pets",
        &|v| v == "token",
    )
    .unwrap_or_else(|e| panic!("{e:#?}"));
    assert!(got.missing.is_empty(), "the lone apiKey scheme is `token`");
    let suite = |name: &str| {
        let s = got
            .plan
            .suites
            .iter()
            .find(|s| s.suite.name == name)
            .unwrap();
        s.suite.file.cases.clone()
    };
    let get = suite("getPet");
    let valid = &get.iter().find(|c| c.id == "valid").unwrap().steps;
    assert_eq!(valid.len(), 2, "the id comes from the collection");
    assert_eq!(valid[0].capture["id"].body.as_deref(), Some("/0/id"));
    let create = suite("createPet");
    let body = create.iter().find(|c| c.id == "valid").unwrap().steps[0]
        .request
        .body
        .clone();
    assert_eq!(body, Some(serde_json::json!({"name": "Rex"})));
    let ids: Vec<String> = suite("listPets").iter().map(|c| c.id.clone()).collect();
    assert!(
        ids.contains(&"negative-query-kind-not-in-enum".to_owned()),
        "{ids:?}"
    );
    let path: Vec<&String> = get.iter().map(|c| &c.id).collect();
    assert!(
        path.contains(&&"negative-path-id-below-minimum".to_owned()),
        "{path:?}"
    );
}
