use std::path::Path;

use super::problems;
use crate::openapi::Spec;
use crate::suite::load::from_document;
use crate::yaml::Document;

const SPEC: &str = r#"openapi: 3.0.3
info: {title: T, version: "1"}
paths:
  /things:
    get:
      operationId: listThings
      parameters:
        - {name: kind, in: query, required: true, schema: {type: string, enum: [a, b]}}
        - {name: limit, in: query, schema: {type: integer, maximum: 10}}
        - {name: ids, in: query, schema: {type: array, items: {type: integer}}}
        - {name: x-v, in: header, schema: {type: integer}}
      responses: {"200": {description: ok}}
    post:
      operationId: createThing
      requestBody:
        content:
          application/json:
            schema:
              type: object
              required: [name, size]
              additionalProperties: false
              properties:
                name: {type: string, minLength: 2}
                size: {type: integer}
                id: {type: string, readOnly: true}
      responses: {"201": {description: created}}
  /sessions:
    post:
      operationId: signIn
      requestBody:
        content:
          application/x-www-form-urlencoded:
            schema:
              type: object
              required: [user, age]
              additionalProperties: false
              properties:
                user: {type: string, maxLength: 5}
                age: {type: integer, minimum: 18}
                tags: {type: array, maxItems: 2, items: {type: integer}}
            encoding:
              tags: {style: form, explode: false}
      responses: {"201": {description: created}}
  /uploads:
    post:
      operationId: upload
      requestBody:
        content:
          multipart/form-data:
            schema:
              type: object
              required: [file]
              properties:
                file: {type: string, format: binary}
                count: {type: integer}
      responses: {"201": {description: created}}
  /things/{thingId}:
    get:
      operationId: getThing
      parameters:
        - {name: thingId, in: path, required: true, schema: {type: string, minLength: 3}}
      responses: {"200": {description: ok}}
"#;

/// The problems of a suite of one case whose steps are `steps` (YAML list items), under
/// `defaults` (a YAML mapping).
fn check(defaults: &str, steps: &str) -> Vec<String> {
    let spec = Spec::parse("t.openapi.yaml", SPEC).unwrap_or_else(|e| panic!("{e:#?}"));
    let text = format!(
        "api: t\nspec: t.openapi.yaml\nvars: {{id: abc}}\ndefaults: {defaults}\ncases:\n  - id: c\n    title: T\n    requirements: [R]\n    steps:\n{steps}"
    );
    let doc = Document::parse("s.yaml", text).unwrap();
    let suite = from_document(Path::new("s.yaml"), doc).unwrap_or_else(|e| panic!("{e:#?}"));
    problems(&suite, &spec)
        .iter()
        .map(|d| match &d.help {
            Some(h) => format!("{d} [{h}]"),
            None => d.to_string(),
        })
        .collect()
}

const OK: &str = "        expect: {status: 200}\n";

#[test]
fn a_sound_suite_has_no_problem() {
    let steps = format!(
        "      - request: {{operation: listThings, query: {{limit: 10, ids: \"1,2\"}}, headers: {{x-v: 2}}}}\n{OK}      - request: {{operation: getThing, path_params: {{thingId: \"{{{{id}}}}\"}}}}\n{OK}      - request: {{operation: createThing, body: {{name: \"{{{{id}}}}\", size: \"{{{{id}}}}\"}}}}\n{OK}"
    );
    assert_eq!(check("{query: {kind: a}}", &steps), Vec::<String>::new());
}

#[test]
fn a_path_parameter_without_a_value_is_caught() {
    let errs = check(
        "{}",
        &format!("      - request: {{operation: getThing, path_params: {{thingID: abc}}}}\n{OK}"),
    );
    assert_eq!(
        errs,
        [
            "s.yaml:10:30: path parameter `thingId` of GET /things/{thingId} has no value [give it one under the request's `path_params` (`path_params: {thingId: ...}`)]",
            "s.yaml:10:54: `thingID` is not a path parameter of GET /things/{thingId} [did you mean `thingId`?]",
        ]
    );
    let errs = check(
        "{}",
        &format!(
            "      - request: {{method: GET, path: \"/things/{{thingId}}\", path_params: {{thingId: \"\"}}}}\n{OK}"
        ),
    );
    assert_eq!(
        errs,
        ["s.yaml:10:82: path parameter `thingId` is empty: the request would go to another path"]
    );
}

#[test]
fn a_missing_required_query_parameter_is_caught_unless_a_refusal_is_expected() {
    let errs = check(
        "{}",
        &format!("      - request: {{operation: listThings}}\n{OK}"),
    );
    assert_eq!(errs.len(), 1, "{errs:#?}");
    assert!(
        errs[0]
            .starts_with("s.yaml:10:30: required query parameter `kind` of listThings is not sent"),
        "{errs:#?}"
    );
    let removed = check(
        "{query: {kind: a}}",
        &format!("      - request: {{operation: listThings, query: {{kind: null}}}}\n{OK}"),
    );
    assert_eq!(removed.len(), 1, "a null removes the default: {removed:#?}");
    let refused = check(
        "{}",
        "      - request: {operation: listThings}\n        expect: {status: 400}\n",
    );
    assert!(refused.is_empty(), "{refused:#?}");
    let alternative = check(
        "{}",
        "      - request: {operation: listThings}\n        expect: {one_of: [{status: 200, source: a}, {status: 400, source: b}]}\n",
    );
    assert!(
        alternative.is_empty(),
        "a refusal among the alternatives: {alternative:#?}"
    );
}

#[test]
fn literal_values_are_held_to_their_schemas() {
    let errs = check(
        "{query: {kind: c}, headers: {X-V: two}}",
        &format!(
            "      - request: {{operation: listThings, query: {{limit: 11}}}}\n{OK}      - request: {{operation: getThing, path_params: {{thingId: ab}}}}\n{OK}"
        ),
    );
    let firsts: Vec<&str> = errs.iter().map(|e| e.split(" [").next().unwrap()).collect();
    assert_eq!(
        firsts,
        [
            "s.yaml:4:26: query parameter `kind` of listThings: \"c\" is not one of \"a\" or \"b\"",
            "s.yaml:10:57: query parameter `limit` of listThings: 11 is greater than the maximum of 10",
            "s.yaml:4:45: header parameter `x-v` of listThings: \"two\" is not of type \"integer\"",
            "s.yaml:12:63: path parameter `thingId` of getThing: \"ab\" is shorter than 3 characters",
        ],
        "{errs:#?}"
    );
    assert!(
        errs[0].ends_with("(schema: t.openapi.yaml#/paths/~1things/get/parameters/0/schema)]"),
        "{errs:#?}"
    );
}

#[test]
fn a_body_that_breaks_the_spec_is_caught_where_it_is_written() {
    let errs = check(
        "{}",
        &format!(
            "      - request:\n          operation: createThing\n          body:\n            name: x\n            colour: red\n{OK}"
        ),
    );
    let firsts: Vec<&str> = errs.iter().map(|e| e.split(" [").next().unwrap()).collect();
    assert_eq!(
        firsts,
        [
            "s.yaml:13:13: the request body breaks the spec's schema for createThing: the body: \"size\" is a required property",
            "s.yaml:13:19: the request body breaks the spec's schema for createThing: body /name: \"x\" is shorter than 2 characters",
            "s.yaml:13:13: the request body breaks the spec's schema for createThing: the body: Additional properties are not allowed ('colour' was unexpected)",
        ],
        "{errs:#?}"
    );
}

#[test]
fn placeholders_and_intended_refusals_are_not_judged() {
    let errs = check(
        "{}",
        &format!(
            "      - request: {{operation: createThing, body: {{name: \"{{{{id}}}}\"}}}}\n{OK}      - request: {{operation: createThing, body: {{name: 1}}}}\n        expect: {{status: [201, 400]}}\n"
        ),
    );
    assert_eq!(
        errs.iter()
            .map(|e| e.split(" [").next().unwrap())
            .collect::<Vec<_>>(),
        [
            "s.yaml:10:49: the request body breaks the spec's schema for createThing: the body: \"size\" is a required property"
        ],
        "a placeholder cannot supply a missing member: {errs:#?}"
    );
}

#[test]
fn headers_that_cannot_be_sent_are_caught() {
    let errs = check(
        "{headers: {\"x v\": a}}",
        &format!(
            "      - request: {{operation: listThings, query: {{kind: a}}, headers: {{x-note: \"a\\nb\"}}}}\n{OK}"
        ),
    );
    assert_eq!(
        errs,
        [
            "s.yaml:4:22: `x v` is not a valid HTTP header name [a header name is letters, digits and !#$%&'*+-.^_`|~, without spaces or colons]",
            "s.yaml:10:78: the value of header `x-note` holds the control character '\\n', which HTTP does not allow",
        ]
    );
}

#[test]
fn a_form_body_is_judged_as_a_server_reads_it() {
    let good = format!(
        "      - request: {{operation: signIn, form: {{user: ann, age: \"18\", tags: [1, \"2\"]}}}}\n{OK}      - request: {{operation: upload, multipart: {{file: {{content: GIF89a, filename: a.gif}}, count: 3}}}}\n{OK}      - request: {{operation: signIn, form: {{user: \"{{{{id}}}}\", age: \"{{{{id}}}}\"}}}}\n{OK}"
    );
    assert_eq!(check("{}", &good), Vec::<String>::new());
    let bad = format!(
        "      - request:\n          operation: signIn\n          form:\n            user: annabel\n            age: abc\n            tags: [1, 2, 3]\n            extra: x\n{OK}      - request: {{operation: upload, multipart: {{count: x}}}}\n{OK}"
    );
    let errs = check("{}", &bad);
    let firsts: Vec<&str> = errs
        .iter()
        .map(|e| e.split(" [the").next().unwrap())
        .collect();
    assert_eq!(
        firsts,
        [
            "s.yaml:13:19: the form body breaks the spec's schema for signIn: field /user: \"annabel\" is longer than 5 characters",
            "s.yaml:14:18: the form body breaks the spec's schema for signIn: field /age: \"abc\" is not of type \"integer\"",
            "s.yaml:15:19: the form body breaks the spec's schema for signIn: field /tags: [1,2,3] has more than 2 items",
            "s.yaml:13:13: the form body breaks the spec's schema for signIn: the form body: Additional properties are not allowed ('extra' was unexpected)",
            "s.yaml:18:49: the multipart body breaks the spec's schema for upload: the multipart body: \"file\" is a required property",
            "s.yaml:18:57: the multipart body breaks the spec's schema for upload: field /count: \"x\" is not of type \"integer\"",
        ],
        "{errs:#?}"
    );
}

#[test]
fn a_form_body_for_an_operation_that_takes_another_type_is_caught() {
    let errs = check(
        "{}",
        &format!("      - request: {{operation: createThing, form: {{name: ab, size: 1}}}}\n{OK}"),
    );
    assert_eq!(
        errs,
        [
            "s.yaml:10:43: createThing takes no application/x-www-form-urlencoded body: its request body is application/json [send `body` for JSON, `form` for URL-encoded or `multipart` for multipart/form-data, as the spec says]"
        ]
    );
}
