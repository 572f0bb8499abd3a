use std::path::PathBuf;

use serde_json::json;

use super::{ErrorCatalogue, read_codes, read_objects};

const SPEC: &str = "openapi: 3.0.3\ninfo: {title: T, version: \"1\"}\npaths:\n  /things:\n    get:\n      operationId: listThings\n      responses:\n        \"200\": {description: ok}\n        \"400\": {description: bad}\n  /things/{id}:\n    get:\n      operationId: getThing\n      parameters: [{name: id, in: path, required: true, schema: {type: string}}]\n      responses:\n        \"200\": {description: ok}\n        \"404\": {description: none}\n";

/// A suite file in a fresh directory beside the spec above; returns the suite's path.
pub(crate) fn write_suite(name: &str, suite: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("accord-catalogue-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("things.openapi.yaml"), SPEC).unwrap();
    let path = dir.join("things.yaml");
    std::fs::write(&path, suite).unwrap();
    path
}

/// The diagnostics loading a suite gives, as `line:col: message`.
fn problems(name: &str, suite: &str) -> Vec<String> {
    let path = write_suite(name, suite);
    match crate::plan::load(&[path]) {
        Ok(_) => Vec::new(),
        Err(d) => d
            .iter()
            .map(|d| format!("{}:{}: {}", d.line, d.col, d.message))
            .collect(),
    }
}

const CATALOGUE: &str = "protocol:\n  errors:\n    requirement: R\n    fields: [code]\n    catalogue:\n      - {code: BAD, status: 400, title: Bad, when: a field is bad, operations: [listThings]}\n      - {code: GONE, status: 404, title: Gone, when: no such thing, operations: [getThing]}\n";

fn suite_with(step: &str) -> String {
    format!(
        "api: t\nspec: things.openapi.yaml\nerrors:\n  codes: [/errors/*/code]\n{CATALOGUE}cases:\n  - id: c\n    title: T\n    requirements: [R]\n    steps:\n{step}"
    )
}

fn catalogue(objects: Option<&str>) -> ErrorCatalogue {
    ErrorCatalogue {
        requirement: "R".into(),
        objects: objects.map(str::to_owned),
        fields: Vec::new(),
        catalogue: Vec::new(),
        index: Default::default(),
        names_input: None,
    }
}

#[test]
fn error_objects_are_found_where_codes_say_or_where_declared() {
    let codes = ["/errors/*/code".to_owned(), "/errors/*/meta/urn".to_owned()];
    assert_eq!(
        catalogue(None).objects_pointer(&codes).as_deref(),
        Some("/errors/*")
    );
    assert_eq!(
        catalogue(None)
            .objects_pointer(&["/code".to_owned()])
            .as_deref(),
        Some("")
    );
    assert_eq!(catalogue(None).objects_pointer(&[]), None);
    assert_eq!(
        catalogue(Some("")).objects_pointer(&[]).as_deref(),
        Some("")
    );
}

#[test]
fn objects_carry_every_code_at_the_code_pointers() {
    let codes = ["/errors/*/code".to_owned(), "/errors/*/meta/urn".to_owned()];
    let body = json!({"errors": [
        {"code": "APP-1", "meta": {"urn": "urn:x:Field/Invalid"}},
        "not an object",
        {"title": "no code"}
    ]});
    let objs = read_objects(&body, "/errors/*", &codes);
    assert_eq!(objs.len(), 2);
    assert_eq!(
        objs[0].codes,
        [
            ("/errors/0/code".to_owned(), "APP-1".to_owned()),
            (
                "/errors/0/meta/urn".to_owned(),
                "urn:x:Field/Invalid".to_owned()
            )
        ]
    );
    assert_eq!(objs[1].pointer, "/errors/2");
    assert!(objs[1].codes.is_empty());
    assert!(read_objects(&json!({}), "/errors/*", &codes).is_empty());
    let flat = json!({"code": "VALIDATION", "message": "m"});
    let objs = read_objects(&flat, "", &["/code".to_owned()]);
    assert_eq!(
        objs[0].codes,
        [("/code".to_owned(), "VALIDATION".to_owned())]
    );
}

#[test]
fn codes_are_read_as_the_objects_are() {
    let codes = [
        "/errors/*/code".to_owned(),
        "/errors/*/meta/urn".to_owned(),
        "/elsewhere/code".to_owned(),
    ];
    let bodies = [
        json!({"errors": [
            {"code": "APP-1", "meta": {"urn": "urn:x:Field/Invalid"}},
            "not an object",
            {"title": "no code", "code": 7},
            {"code": "B", "meta": {"urn": ["not text"]}}
        ]}),
        json!({"errors": {"a": {"code": "X"}, "b": {"code": "Y"}}}),
        json!({"errors": "none"}),
        json!([1, 2]),
        json!({"code": "VALIDATION"}),
    ];
    for body in &bodies {
        for objects in ["/errors/*", "", "/errors/0"] {
            let full: Vec<_> = read_objects(body, objects, &codes)
                .into_iter()
                .map(|o| {
                    let codes: Vec<String> = o.codes.into_iter().map(|(_, c)| c).collect();
                    (o.members, codes)
                })
                .collect();
            let light: Vec<_> = read_codes(body, objects, &codes)
                .into_iter()
                .map(|(m, c)| (m, c.into_iter().map(str::to_owned).collect::<Vec<_>>()))
                .collect();
            assert_eq!(full, light, "{body} at {objects:?}");
        }
    }
}

#[test]
fn an_expected_code_outside_the_catalogue_is_refused_where_it_is_written() {
    let step = "      - request: {operation: listThings}\n        expect:\n          status: 400\n          error: [BAD, BADD]\n";
    assert_eq!(
        problems("unknown", &suite_with(step)),
        ["20:24: error code `BADD` is not in the API's error catalogue"]
    );
    let step =
        "      - request: {operation: listThings}\n        expect: {status: 400, error: NOPE}\n";
    assert_eq!(
        problems("unknown-one", &suite_with(step)),
        ["18:38: error code `NOPE` is not in the API's error catalogue"]
    );
}

#[test]
fn an_expected_code_must_fit_the_step_status_and_operation() {
    let step =
        "      - request: {operation: listThings}\n        expect: {status: 422, error: BAD}\n";
    assert_eq!(
        problems("status", &suite_with(step)),
        ["18:38: the step expects status 422, and `BAD` is catalogued with status 400"]
    );
    let step =
        "      - request: {operation: listThings}\n        expect: {status: 404, error: GONE}\n";
    assert_eq!(
        problems("operation", &suite_with(step)),
        ["18:38: `GONE` is catalogued for getThing, not for operation `listThings`"]
    );
    let step = "      - request: {operation: listThings}\n        expect: {status: [400, 422], error: BAD}\n";
    assert!(problems("fits", &suite_with(step)).is_empty());
}

#[test]
fn the_catalogue_itself_is_checked() {
    let step = "      - request: {operation: listThings}\n        expect: {status: 200}\n";
    let text = suite_with(step)
        .replace("operations: [getThing]", "operations: [getThings]")
        .replace("code: GONE", "code: BAD");
    let found = problems("catalogue", &text);
    assert_eq!(found.len(), 2, "{found:#?}");
    assert_eq!(found[0], "11:16: `BAD` is catalogued twice");
    assert!(
        found[1].starts_with("11:81: operation `getThings` is not in "),
        "{found:#?}"
    );
    let bare = suite_with(step).replace("errors:\n  codes: [/errors/*/code]\n", "");
    assert_eq!(
        problems("no-objects", &bare),
        ["4:3: an error catalogue needs to know where error objects are"]
    );
}

#[test]
fn names_input_covers_catalogued_codes_only() {
    let step = "      - request: {operation: listThings}\n        expect: {status: 200}\n";
    let names =
        "    names_input:\n      requirement: R\n      member: detail\n      codes: [BAD, GOEN]\n";
    let text = suite_with(step).replace("cases:\n", &format!("{names}cases:\n"));
    let found = problems("names-input", &text);
    assert_eq!(
        found,
        ["15:20: `GOEN` is not in the API's error catalogue"],
        "{found:#?}"
    );
    let fixed = text.replace("GOEN", "GONE");
    assert!(problems("names-input-fixed", &fixed).is_empty());
}

#[test]
fn a_code_is_found_at_its_first_entry() {
    let cat: ErrorCatalogue = yaml_serde::from_str(
        "requirement: R\ncatalogue:\n  - {code: A, status: 400, title: First, when: w}\n  - {code: B, status: 404, title: Other, when: w}\n  - {code: A, status: 422, title: Again, when: w}\n",
    )
    .unwrap();
    assert_eq!(cat.entry("A").map(|e| e.title.as_str()), Some("First"));
    assert_eq!(cat.entry("B").map(|e| e.title.as_str()), Some("Other"));
    assert!(cat.entry("C").is_none());
    // A copy made after the first lookup finds the same.
    let copy = cat.clone();
    assert_eq!(copy.entry("A").map(|e| e.title.as_str()), Some("First"));
}
