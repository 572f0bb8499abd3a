use std::path::Path;

use super::{Options, suite};
use serde_json::json;

use super::discover::Capture;
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
        t.contains("      - setup:\n          - request: {\"operation\":\"listPets\",\"query\":{\"limit\":\"10\"},\"headers\":{\"authorization\":\"Bearer {{token}}\"}}\n            capture:\n              pet_id: {body: \"/items/0/id\", skip_if_missing: true}\n        request: {\"operation\":\"showPet\",\"path_params\":{\"petId\":\"{{pet_id}}\"},\"headers\":{\"authorization\":\"Bearer {{token}}\"}}\n"),
        "probes take path parameters from the target: {t}"
    );
    assert!(
        !t.contains("skip_if_status"),
        "no id is an example's, so no 404 is read as missing data: {t}"
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

/// A step's request and what it captures.
type Sent = (serde_json::Value, Vec<(String, Capture)>);

/// The steps of an operation's valid case in the links fixture, and whether a path parameter
/// is an example's.
fn linked_steps(op: &str) -> (Vec<Sent>, bool) {
    let spec = Spec::load(Path::new("tests/fixtures/spec-only/links.yaml"))
        .unwrap_or_else(|e| panic!("{e:?}"));
    let op = spec.operation(op).unwrap();
    let built = super::request::build(&spec, op, &[]);
    let steps = built
        .steps
        .into_iter()
        .map(|s| (s.request, s.capture))
        .collect();
    (steps, built.assumed_ids)
}

#[test]
fn links_give_path_parameters_from_bodies_headers_and_earlier_requests() {
    let body = |at: &str| Capture::Body(at.to_owned());
    let (steps, assumed) = linked_steps("getPost");
    assert!(!assumed);
    assert_eq!(
        steps,
        [
            (
                json!({"operation": "getMe"}),
                vec![("user_id".to_owned(), body("/uid"))]
            ),
            (
                json!({"operation": "listPosts", "path_params": {"userId": "{{user_id}}"}}),
                vec![("slug".to_owned(), body("/0/slug"))]
            ),
            (
                json!({"operation": "getPost", "path_params": {"userId": "{{user_id}}", "slug": "{{slug}}"}}),
                vec![]
            ),
        ],
        "getMe links to listPosts, whose link (an operationRef) passes on the userId it was sent"
    );

    let (steps, assumed) = linked_steps("getAlbum");
    assert!(!assumed);
    assert_eq!(
        steps,
        [
            (
                json!({"operation": "getMe"}),
                vec![("user_id".to_owned(), body("/uid"))]
            ),
            (
                json!({"operation": "listAlbums", "path_params": {"userId": "{{user_id}}"}}),
                vec![("album_id".to_owned(), body("/0/albumId"))]
            ),
            (
                json!({"operation": "getAlbum", "path_params": {"userId": "{{user_id}}", "albumId": "{{album_id}}"}}),
                vec![]
            ),
        ],
        "a link whose pointers the array body cannot hold gives way to the collection, and the \
         user id is the one the collection was asked with"
    );

    let (steps, assumed) = linked_steps("cancelOrder");
    assert!(!assumed);
    assert_eq!(
        steps[0],
        (
            json!({"operation": "createOrder"}),
            vec![(
                "order_id".to_owned(),
                Capture::Header("x-order-id".to_owned())
            )]
        ),
        "a request that changes state may follow a link from one that does too"
    );
    assert_eq!(
        steps[1].0,
        json!({"operation": "cancelOrder", "path_params": {"orderId": "{{order_id}}"}})
    );

    let (steps, assumed) = linked_steps("getOrder");
    assert!(assumed, "the order id is the example");
    assert_eq!(
        steps,
        [(
            json!({"operation": "getOrder", "path_params": {"orderId": "o-1"}}),
            vec![]
        )],
        "a reading request never creates what it reads"
    );
}

#[test]
fn link_expressions_are_read_alone_in_braces_or_as_constants() {
    use super::discover::{From, expression};
    use crate::openapi::ParamIn;
    let read = |v: serde_json::Value| expression(&v);
    assert_eq!(
        read(json!("$response.body#/a/0")),
        Some(From::Body("/a/0".into()))
    );
    assert_eq!(
        read(json!("{$response.body#/id}")),
        Some(From::Body("/id".into()))
    );
    assert_eq!(
        read(json!("$response.body")),
        Some(From::Body(String::new()))
    );
    assert_eq!(
        read(json!("$response.header.Location")),
        Some(From::Header("location".into()))
    );
    assert_eq!(
        read(json!("$request.query.page")),
        Some(From::Sent(ParamIn::Query, "page".into()))
    );
    assert_eq!(read(json!("fixed")), Some(From::Constant("fixed".into())));
    assert_eq!(read(json!(7)), Some(From::Constant("7".into())));
    assert_eq!(read(json!("$url")), None);
    assert_eq!(read(json!("$request.body#/id")), None);
    assert_eq!(read(json!("$response.header.")), None);
}
