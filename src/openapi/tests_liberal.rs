//! Documents written the way real-world API descriptions are, read as other tools read them
//! (`tests/fixtures/specs/liberal/`): each one reproduces, in a few lines, a construct that
//! a large public description uses.

use serde_json::json;

use super::*;

const DIR: &str = "tests/fixtures/specs/liberal";

fn load(name: &str) -> Spec {
    let path = format!("{DIR}/{name}");
    Spec::load(Path::new(&path)).unwrap_or_else(|d| {
        let shown: Vec<String> = d.iter().map(ToString::to_string).collect();
        panic!("{path} did not load:\n{}", shown.join("\n"))
    })
}

fn shown(diags: &[Diagnostic]) -> Vec<String> {
    diags
        .iter()
        .map(|d| match &d.help {
            Some(help) => format!("{d} ({help})"),
            None => d.to_string(),
        })
        .collect()
}

fn body(spec: &Spec, op: &str) -> SchemaRef {
    spec.operation(op).unwrap().responses[0].content[0]
        .schema
        .unwrap()
}

#[test]
fn a_byte_order_mark_is_skipped() {
    let spec = load("bom.yaml");
    assert!(spec.warnings.is_empty(), "{:?}", shown(&spec.warnings));
    let op = spec.operation("listAccounts").unwrap();
    assert_eq!(op.location, format!("{DIR}/bom.yaml#/paths/~1accounts/get"));
    assert!(
        spec.validate(body(&spec, "listAccounts"), &json!({"data": []}))
            .is_empty()
    );
}

#[test]
fn a_31_document_with_30_habits_loads_and_is_judged_as_written() {
    let spec = load("oas31-legacy.yaml");
    let f = format!("{DIR}/oas31-legacy.yaml");
    let nullable = "`nullable: true` is OpenAPI 3.0, not JSON Schema 2020-12; it is read as OpenAPI 3.0 reads it";
    let exclusive = "`exclusiveMinimum: true` is OpenAPI 3.0, not JSON Schema 2020-12; it is read as OpenAPI 3.0 reads it";
    assert_eq!(
        shown(&spec.warnings),
        [
            format!("{f}:32:21: {nullable}"),
            format!("{f}:36:29: {exclusive}")
        ]
    );
    assert!(
        spec.operation("createJob").unwrap().responses.is_empty(),
        "`responses` is optional in 3.1"
    );
    let list = body(&spec, "listJobs");
    assert!(
        spec.validate(list, &json!([{"seed": null, "rate": 0.5}]))
            .is_empty()
    );
    let wrong = spec.validate(list, &json!([{"seed": 1, "rate": 0}]));
    assert_eq!(wrong.len(), 1, "{wrong:?}");
    assert_eq!(
        wrong[0].spec_location,
        format!("{f}#/components/schemas/Job/properties/rate/exclusiveMinimum")
    );
    let huge = spec.validate(list, &json!([{"seed": -1e19, "rate": 1}]));
    assert_eq!(
        huge[0].instance_path, "/0/seed",
        "a 64-bit bound is read as a number"
    );
}

#[test]
fn swagger_tuple_items_are_read_as_prefix_items() {
    let spec = load("tuple-items.json");
    let f = format!("{DIR}/tuple-items.json");
    assert_eq!(
        shown(&spec.warnings),
        [format!(
            "{f}:23:25: not a valid Swagger 2.0 document: invalid type: sequence, expected struct Schema"
        )]
    );
    let info = body(&spec, "conversations_info");
    assert!(
        spec.validate(info, &json!({"latest": [{"ts": "1"}, null]}))
            .is_empty()
    );
    let wrong = spec.validate(info, &json!({"latest": [{}]}));
    assert_eq!(wrong.len(), 1, "{wrong:?}");
    assert_eq!(wrong[0].instance_path, "/latest/0");
    assert_eq!(
        wrong[0].spec_location,
        format!("{f}#/definitions/message/required"),
        "the place is named in the Swagger file's own terms"
    );
}

#[test]
fn a_multi_file_layout_loads_as_bundlers_read_it() {
    let spec = load("multi/main.yaml");
    let f = format!("{DIR}/multi");
    assert_eq!(
        shown(&spec.warnings),
        [
            format!(
                "{f}/main.yaml:7:7: OpenAPI 3.0 allows no `$ref` here; it is resolved as bundlers do"
            ),
            format!(
                "{f}/main.yaml:10:13: broken $ref `description.yml#/nowhere`: `{f}/description.yml` has nothing at `/nowhere`"
            ),
            format!(
                "{f}/ops/droplets_list.yml:11:19: `properties` is a `$ref`, which JSON Schema would read as a property named `$ref`; the map it points to is used, as bundlers do"
            ),
        ]
    );
    let op = spec.operation("droplets_list").unwrap();
    assert_eq!(op.location, format!("{f}/ops/droplets_list.yml#"));
    let list = body(&spec, "droplets_list");
    assert!(
        spec.validate(list, &json!({"droplets": [{"id": 1}]}))
            .is_empty()
    );
    let wrong = spec.validate(list, &json!({"droplets": [{"id": 0}]}));
    assert_eq!(wrong[0].instance_path, "/droplets/0/id");
    assert_eq!(
        wrong[0].spec_location,
        format!("{f}/models/droplet.yml#/properties/id/minimum"),
        "the file and pointer where the keyword is written"
    );
    assert!(!spec.validate(list, &json!({})).is_empty());
}

#[test]
fn lint_finds_examples_that_break_their_schema() {
    let f = format!("{DIR}/examples.yaml");
    let linted = super::lint(Path::new(&f)).unwrap();
    assert_eq!(
        shown(&linted.diagnostics),
        [
            format!(
                "{f}:11:18: example does not match its schema: 0 is less than the minimum of 1 (the schema says so at {f}:10:42)"
            ),
            format!(
                "{f}:37:14: example does not match its schema: \"name\" is a required property (the schema says so at {f}:41:17)"
            ),
            format!(
                "{f}:51:20: example does not match its schema: \"Anastasia\" is not valid under any of the schemas listed in the 'anyOf' keyword (the schema says so at {f}:47:11)"
            ),
            format!(
                "{f}:56:53: example does not match its schema: \"yesterday\" is not a \"date\" (the schema says so at {f}:56:38)"
            ),
            format!(
                "{f}:57:22: broken $ref `#/components/schemas/Missing`: `{f}` has nothing at `/components/schemas/Missing`"
            ),
        ]
    );
    assert!(linted.diagnostics.iter().all(Diagnostic::is_warning));
    let spec = Spec::load(Path::new(&f)).unwrap();
    assert_eq!(
        shown(&spec.warnings),
        [format!(
            "{f}:57:22: broken $ref `#/components/schemas/Missing`: `{f}` has nothing at `/components/schemas/Missing`"
        )],
        "a run reads past what it does not use, and checks no examples"
    );
}
