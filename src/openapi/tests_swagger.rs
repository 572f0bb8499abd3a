//! Loading Swagger 2.0 fixtures from `tests/fixtures/specs/swagger/`.

use serde_json::json;

use super::*;

const DIR: &str = "tests/fixtures/specs/swagger";

fn load(name: &str) -> Spec {
    let path = format!("{DIR}/{name}");
    Spec::load(Path::new(&path)).unwrap_or_else(|d| {
        let shown: Vec<String> = d.iter().map(ToString::to_string).collect();
        panic!("{path} did not load:\n{}", shown.join("\n"))
    })
}

fn response<'s>(spec: &'s Spec, op: &str, status: &str) -> &'s Response {
    let op = spec.operation(op).unwrap();
    op.responses.iter().find(|r| r.status == status).unwrap()
}

fn media<'m>(content: &'m [MediaType], name: &str) -> &'m MediaType {
    content.iter().find(|m| m.media_type == name).unwrap()
}

/// The instance paths of the violations, sorted.
fn paths(violations: &[SchemaViolation]) -> Vec<&str> {
    let mut found: Vec<&str> = violations
        .iter()
        .map(|v| v.instance_path.as_str())
        .collect();
    found.sort_unstable();
    found
}

#[test]
fn indexes_operations_by_id_and_by_method_and_path() {
    let spec = load("gateway.yaml");
    assert_eq!(spec.version, "2.0");
    assert_eq!(spec.title, "Returns gateway");
    assert_eq!(spec.api_version, "2024-05-01");
    assert_eq!(spec.base_path, "/gateway/returns");
    let names: Vec<String> = spec.operations.iter().map(Operation::name).collect();
    assert_eq!(
        names,
        ["listReturns", "fileReturn", "getReturn", "attach", "status"]
    );
    let (op, bound) = spec
        .match_path("GET", "/gateway/returns/returns/R000001?x=1")
        .unwrap();
    assert_eq!(op.name(), "getReturn");
    assert_eq!(bound, [("returnId".to_string(), "R000001".to_string())]);
    assert_eq!(
        op.location,
        "tests/fixtures/specs/swagger/gateway.yaml#/paths/~1returns~1{returnId}/get"
    );
    assert_eq!(
        spec.match_path("POST", "/returns").unwrap().0.name(),
        "fileReturn"
    );
}

#[test]
fn non_body_parameters_gain_schemas() {
    let spec = load("gateway.yaml");
    let list = spec.operation("listReturns").unwrap();
    let params: Vec<(&str, ParamIn, bool)> = list
        .parameters
        .iter()
        .map(|p| (p.name.as_str(), p.location, p.required))
        .collect();
    assert_eq!(
        params,
        [
            ("X-Correlation-Id", ParamIn::Header, true),
            ("page", ParamIn::Query, false),
            ("periods", ParamIn::Query, false),
        ],
        "the path-level header comes first, then the operation's own"
    );
    let header = list.parameters[0].schema.unwrap();
    assert!(
        spec.validate_header(header, "0f8fad5b-d9cb-469f-a165-70867728950e")
            .is_empty()
    );
    assert_eq!(spec.validate_header(header, "nope").len(), 1);
    let page = list.parameters[1].schema.unwrap();
    assert!(spec.validate_header(page, "2").is_empty());
    assert_eq!(spec.validate_header(page, "0").len(), 1, "minimum: 1");
    let periods = list.parameters[2].schema.unwrap();
    assert!(spec.validate(periods, &json!(["2023", "2024"])).is_empty());
    assert_eq!(
        paths(&spec.validate(periods, &json!(["2023", "24"]))),
        ["/1"]
    );
    assert_eq!(
        spec.schema_location(page),
        Some("tests/fixtures/specs/swagger/gateway.yaml#/parameters/Page")
    );
}

#[test]
fn body_parameter_becomes_a_request_body() {
    let spec = load("gateway.yaml");
    let op = spec.operation("fileReturn").unwrap();
    let body = spec.request_body(op).unwrap();
    let names: Vec<&str> = body.iter().map(|m| m.media_type.as_str()).collect();
    assert_eq!(names, ["application/json; charset=utf-8"]);
    let schema = body[0].schema.unwrap();
    let good = json!({"period": "2024", "income": "1200.50", "rate": 0.28});
    assert!(spec.validate(schema, &good).is_empty());
    let null_income = json!({"period": "2024", "income": null});
    assert!(
        spec.validate(schema, &null_income).is_empty(),
        "x-nullable in another file allows null"
    );
    let bad = json!({"period": "24", "income": "12", "rate": 0});
    assert_eq!(
        paths(&spec.validate(schema, &bad)),
        ["/income", "/period", "/rate"],
        "pattern, pattern and the boolean exclusiveMinimum"
    );
    assert_eq!(
        paths(&spec.validate(schema, &json!({"period": "2024"}))),
        [""]
    );
}

#[test]
fn form_data_becomes_a_form_request_body() {
    let spec = load("gateway.yaml");
    let body = spec
        .request_body(spec.operation("attach").unwrap())
        .unwrap();
    let form = media(body, "multipart/form-data").schema.unwrap();
    assert!(
        spec.validate(form, &json!({"file": "bytes", "note": "ok"}))
            .is_empty()
    );
    let bad = spec.validate(form, &json!({"note": "a note much too long to fit"}));
    assert_eq!(
        paths(&bad),
        ["", "/note"],
        "file is required; note too long"
    );
}

#[test]
fn array_form_fields_keep_their_collection_format_as_an_encoding() {
    use crate::openapi::form::{Encoding, encoding_of};
    use crate::openapi::style::Style;
    let text = "swagger: \"2.0\"\ninfo: {title: F, version: \"1\"}\npaths:\n  /f:\n    post:\n      consumes: [application/x-www-form-urlencoded]\n      parameters:\n        - {name: csv, in: formData, type: array, items: {type: integer}}\n        - {name: multi, in: formData, type: array, items: {type: string}, collectionFormat: multi}\n        - {name: pipes, in: formData, type: array, items: {type: string}, collectionFormat: pipes}\n        - {name: tsv, in: formData, type: array, items: {type: string}, collectionFormat: tsv}\n        - {name: one, in: formData, type: string}\n      responses:\n        \"200\": {description: ok}\n";
    let spec = Spec::parse("f.yaml", text).unwrap_or_else(|e| panic!("{e:?}"));
    assert!(spec.warnings.is_empty(), "{:?}", spec.warnings);
    let body = spec.request_body(&spec.operations[0]).unwrap();
    let e = &media(body, "application/x-www-form-urlencoded").encoding;
    let styled = |style, explode| Encoding {
        content_type: None,
        style: Some(style),
        explode: Some(explode),
    };
    assert_eq!(encoding_of(e, "csv"), Some(&styled(Style::Form, false)));
    assert_eq!(encoding_of(e, "multi"), Some(&styled(Style::Form, true)));
    assert_eq!(
        encoding_of(e, "pipes"),
        Some(&styled(Style::PipeDelimited, false))
    );
    assert_eq!(
        encoding_of(e, "tsv"),
        Some(&styled(Style::TabDelimited, false))
    );
    assert_eq!(encoding_of(e, "one"), None);
}

#[test]
fn responses_have_content_per_produced_media_type_and_header_schemas() {
    let spec = load("gateway.yaml");
    let ok = response(&spec, "getReturn", "200");
    let names: Vec<&str> = ok.content.iter().map(|m| m.media_type.as_str()).collect();
    assert_eq!(names, ["application/json", "application/xml"]);
    let schema = media(&ok.content, "application/json").schema.unwrap();
    let good = json!({"returnId": "R000001", "period": "2024", "status": "FILED",
                      "refund": "10.00", "assessedOn": null});
    assert!(spec.validate(schema, &good).is_empty());
    let bad = json!({"period": "2024", "status": "LOST", "refund": "10", "assessedOn": 5});
    assert_eq!(
        paths(&spec.validate(schema, &bad)),
        ["", "/assessedOn", "/refund", "/status"],
        "readOnly returnId is still required in a response"
    );
    assert_eq!(
        spec.schema_location(schema),
        Some("tests/fixtures/specs/swagger/gateway.yaml#/definitions/Return")
    );

    let created = response(&spec, "fileReturn", "201");
    assert_eq!(created.headers[0].name, "location");
    let listed = response(&spec, "listReturns", "200");
    let count = listed.headers[0].schema.unwrap();
    assert!(spec.validate_header(count, "3").is_empty());
    assert_eq!(spec.validate_header(count, "-1").len(), 1);

    let rejected = response(&spec, "fileReturn", "400");
    let errors = rejected.content[0].schema.unwrap();
    assert!(
        spec.validate(
            errors,
            &json!({"errors": [{"code": "EV1100", "message": "m"}]})
        )
        .is_empty()
    );
    assert_eq!(
        paths(&spec.validate(errors, &json!({"errors": [{"code": "EV1100000"}]}))),
        ["/errors/0", "/errors/0/code"]
    );
    assert!(response(&spec, "status", "default").content.is_empty());
    let fallback = response(&spec, "getReturn", "default").content[0]
        .schema
        .unwrap();
    assert_eq!(
        spec.schema_location(fallback),
        Some("tests/fixtures/specs/swagger/gateway.yaml#/definitions/Errors"),
        "a `default` response is no literal value: its $ref is rewritten"
    );
}

#[test]
fn diagnostics_point_into_the_swagger_file() {
    let errs: Vec<String> = Spec::load(Path::new(&format!("{DIR}/broken.yaml")))
        .unwrap_err()
        .iter()
        .map(|d| match &d.help {
            Some(help) => format!("{d} ({help})"),
            None => d.to_string(),
        })
        .collect();
    let f = "tests/fixtures/specs/swagger/broken.yaml";
    assert_eq!(
        errs,
        [
            format!(
                "{f}:7:3: not a valid Swagger 2.0 document: unknown variant `querry`, expected one of `query`, `header`, `path`, `cookie`"
            ),
            format!(
                "{f}:8:5: path parameter `itemId` of `/items/{{itemId}}` is not declared for GET (add it to `parameters` with `in: path`)"
            ),
            format!(
                "{f}:12:15: parameter `limit` has `in: querry`; expected path, query, header or cookie (it is skipped)"
            ),
            format!(
                "{f}:18:19: broken $ref `#/definitions/Itme`: `{f}` has nothing at `/definitions/Itme` (did you mean `#/definitions/Item`?)"
            ),
            format!("{f}:25:11: body parameter `body` has no `schema`"),
            format!(
                "{f}:36:15: broken $ref `common.yaml#/definitions/Monee`: `tests/fixtures/specs/swagger/common.yaml` has nothing at `/definitions/Monee` (did you mean `#/definitions/Money`?)"
            ),
        ]
    );
}

#[test]
fn other_swagger_versions_are_refused() {
    let errs = Spec::parse(
        "s.yaml",
        "swagger: '1.2'\ninfo: {title: t, version: '1'}\npaths: {}\n",
    )
    .unwrap_err();
    assert_eq!(
        errs[0].to_string(),
        "s.yaml:1:10: unsupported Swagger version `1.2`: accord reads Swagger 2.0 and OpenAPI 3.0.x and 3.1.x"
    );
    let errs = Spec::parse("s.yaml", "swagger: 2.0\npaths: {}\n").unwrap_err();
    assert_eq!(
        errs[0].to_string(),
        "s.yaml:1:10: `swagger` must be a string, found `2.0`"
    );
}

/// A provider's own file, saved outside the repository: set ACCORD_SWAGGER_SAMPLE to its
/// path and run with `--ignored`.
#[test]
#[ignore = "needs a provider's Swagger 2.0 file named by ACCORD_SWAGGER_SAMPLE"]
fn loads_a_provider_file() {
    let path = std::env::var("ACCORD_SWAGGER_SAMPLE").expect("ACCORD_SWAGGER_SAMPLE is not set");
    let spec = Spec::load(Path::new(&path)).unwrap_or_else(|d| {
        let shown: Vec<String> = d.iter().map(ToString::to_string).collect();
        panic!("{path} did not load:\n{}", shown.join("\n"))
    });
    assert_eq!(spec.version, "2.0");
    assert!(!spec.operations.is_empty());
    for op in &spec.operations {
        assert!(!op.responses.is_empty(), "{}", op.name());
    }
}
