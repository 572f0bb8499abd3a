//! Loading whole specs from the fixtures under `tests/fixtures/specs/`.

use serde_json::json;

use super::*;
use crate::openapi::style::coerce;

const FIXTURES: &str = "tests/fixtures/specs";

fn load(rel: &str) -> Spec {
    let path = format!("{FIXTURES}/{rel}");
    Spec::load(Path::new(&path)).unwrap_or_else(|d| {
        let shown: Vec<String> = d.iter().map(ToString::to_string).collect();
        panic!("{path} did not load:\n{}", shown.join("\n"))
    })
}

fn load_err(rel: &str) -> Vec<String> {
    let path = format!("{FIXTURES}/{rel}");
    match Spec::load(Path::new(&path)) {
        Ok(_) => panic!("{path} loaded but should not"),
        Err(d) => d.iter().map(ToString::to_string).collect(),
    }
}

fn response<'s>(spec: &'s Spec, op: &str, status: &str) -> &'s Response {
    spec.operation(op)
        .unwrap()
        .responses
        .iter()
        .find(|r| r.status == status)
        .unwrap()
}

fn body_schema(spec: &Spec, op: &str, status: &str) -> SchemaRef {
    response(spec, op, status).content[0].schema.unwrap()
}

fn messages(violations: &[SchemaViolation]) -> Vec<String> {
    violations
        .iter()
        .map(|v| format!("{}: {}", v.instance_path, v.message))
        .collect()
}

#[test]
fn indexes_operations_across_files() {
    let spec = load("good/refs/main.yaml");
    assert_eq!(spec.version, "3.0.3");
    assert_eq!(spec.title, "Refs across files");
    assert_eq!(spec.api_version, "1.0");
    assert_eq!(spec.base_path, "/live/v1");
    let names: Vec<String> = spec.operations.iter().map(Operation::name).collect();
    assert_eq!(names, ["listItems", "getItem", "copyItem", "postTree"]);
    let list = spec.operation("listItems").unwrap();
    assert_eq!(list.method, "GET");
    assert_eq!(
        list.location,
        "tests/fixtures/specs/good/refs/main.yaml#/paths/~1items/get"
    );
    let params: Vec<(&str, ParamIn, bool)> = list
        .parameters
        .iter()
        .map(|p| (p.name.as_str(), p.location, p.required))
        .collect();
    assert_eq!(
        params,
        [
            ("x-v", ParamIn::Header, true),
            ("page", ParamIn::Query, true)
        ],
        "operation-level `page` replaces the path-level one"
    );
    let page = list.parameters[1].schema.unwrap();
    assert!(spec.validate_header(page, "9").is_empty());
    assert_eq!(spec.validate_header(page, "10").len(), 1);
}

#[test]
fn responses_carry_headers_and_content_lowercased() {
    let spec = load("good/refs/main.yaml");
    let ok = response(&spec, "listItems", "200");
    let headers: Vec<(&str, bool)> = ok
        .headers
        .iter()
        .map(|h| (h.name.as_str(), h.required))
        .collect();
    assert_eq!(
        headers,
        [("x-v", true)],
        "Content-Type header definitions are ignored"
    );
    assert_eq!(ok.content[0].media_type, "application/json");
    assert_eq!(
        ok.location,
        "tests/fixtures/specs/good/refs/main.yaml#/paths/~1items/get/responses/200"
    );
    let default = response(&spec, "listItems", "default");
    let error = default.content[0].schema.unwrap();
    assert!(spec.validate(error, &json!({"code": "x"})).is_empty());
    assert_eq!(
        messages(&spec.validate(error, &json!({}))),
        [": \"code\" is a required property"]
    );
    assert_eq!(
        spec.schema_location(error),
        Some("tests/fixtures/specs/good/refs/common.yaml#/components/schemas/Error")
    );
}

#[test]
fn cross_file_and_whole_file_refs_validate() {
    let spec = load("good/refs/main.yaml");
    let list = body_schema(&spec, "listItems", "200");
    let good = json!({"items": [{"id": "1", "price": "10.00"}], "next": null});
    assert!(
        spec.validate(list, &good).is_empty(),
        "{:?}",
        spec.validate(list, &good)
    );
    let bad = json!({"items": [{"id": 1, "price": "10"}, {"price": "1.00"}], "next": 5});
    assert_eq!(
        messages(&spec.validate(list, &bad)),
        [
            "/items/0/id: 1 is not of type \"string\"",
            "/items/0/price: \"10\" is not a valid AmountString (digits, a point and at least 2 decimals, such as -1001.23)",
            "/items/1: \"id\" is a required property",
            "/next: 5 is not of types \"null\", \"string\"",
        ]
    );
}

#[test]
fn percent_encoded_pointers_resolve_and_share_schemas() {
    let spec = load("good/refs/main.yaml");
    let copy = spec.operation("copyItem").unwrap();
    assert_eq!(copy.parameters[0].name, "itemId");
    assert_eq!(
        body_schema(&spec, "copyItem", "200"),
        body_schema(&spec, "getItem", "200"),
        "one schema reached by two routes compiles once"
    );
}

#[test]
fn recursive_schemas_across_files_validate() {
    let spec = load("good/refs/main.yaml");
    let node = body_schema(&spec, "postTree", "201");
    let tree = json!({"id": "1", "name": "root", "children": [
        {"id": "2", "name": "leaf", "children": [],
         "partner": {"node": {"id": "3", "name": "p", "children": []}}}
    ]});
    assert!(spec.validate(node, &tree).is_empty());
    let bad = json!({"id": "1", "name": "root", "children": [
        {"id": "2", "name": "leaf", "children": [], "partner": {"node": {"id": "3", "children": []}}}
    ]});
    assert_eq!(
        messages(&spec.validate(node, &bad)),
        ["/children/0/partner/node: \"name\" is a required property"]
    );
}

#[test]
fn read_only_is_not_required_in_requests() {
    let spec = load("good/refs/main.yaml");
    let op = spec.operation("postTree").unwrap();
    let request = spec.request_body(op).unwrap()[0].schema.unwrap();
    let response = body_schema(&spec, "postTree", "201");
    assert_ne!(request, response);
    let without_id = json!({"name": "n", "children": []});
    assert!(spec.validate(request, &without_id).is_empty());
    assert_eq!(
        messages(&spec.validate(response, &without_id)),
        [": \"id\" is a required property"]
    );
}

#[test]
fn matches_paths_against_the_index() {
    let spec = load("good/refs/main.yaml");
    let (op, params) = spec
        .match_path("get", "/live/v1/items/a%20b/copy/")
        .unwrap();
    assert_eq!(op.name(), "copyItem");
    assert_eq!(params, [("itemId".to_string(), "a b".to_string())]);
    assert_eq!(
        spec.match_path("GET", "/items?page=1").unwrap().0.name(),
        "listItems"
    );
    assert!(spec.match_path("DELETE", "/items").is_none());
    assert!(spec.match_path("GET", "/nothing").is_none());
}

#[test]
fn openapi_31_schemas_pass_through() {
    let spec = load("good/oas31.yaml");
    assert_eq!(spec.version, "3.1.0");
    assert_eq!(spec.base_path, "/api");
    let thing = body_schema(&spec, "getThing", "200");
    assert!(
        spec.validate(
            thing,
            &json!({"id": "a", "size": null, "parent": {"id": "b"}})
        )
        .is_empty()
    );
    assert_eq!(
        messages(&spec.validate(thing, &json!({"id": "a", "size": 0, "parent": {}}))),
        [
            "/size: 0 is less than or equal to the minimum of 0",
            "/parent: \"id\" is a required property",
        ]
    );
}

#[test]
fn broken_refs_are_placed_exactly() {
    assert_eq!(
        load_err("bad/refs.yaml"),
        [
            "tests/fixtures/specs/bad/refs.yaml:12:23: broken $ref `missing.yaml#/components/schemas/A`: file `tests/fixtures/specs/bad/missing.yaml` does not exist",
            "tests/fixtures/specs/bad/refs.yaml:17:17: broken $ref `#/components/responses/Nope`: `tests/fixtures/specs/bad/refs.yaml` has nothing at `/components/responses/Nope`",
            "tests/fixtures/specs/bad/refs.yaml:22:19: broken $ref `#/components/schemas/Acount`: `tests/fixtures/specs/bad/refs.yaml` has nothing at `/components/schemas/Acount`",
        ]
    );
}

#[test]
fn operation_problems_are_read_past_and_collected_as_warnings() {
    let spec = load("bad/operations.yaml");
    let warnings: Vec<String> = spec.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        [
            "tests/fixtures/specs/bad/operations.yaml:5:5: path parameter `accountId` of `/accounts/{accountId}` is not declared for GET (add it to `parameters` with `in: path`)",
            "tests/fixtures/specs/bad/operations.yaml:9:5: operation `POST /accounts/{accountId}` has no `responses` (required in OpenAPI 3.0); no response of it can be judged",
            "tests/fixtures/specs/bad/operations.yaml:10:20: duplicate operationId `getAccount`",
            "tests/fixtures/specs/bad/operations.yaml:14:5: unknown key `gett` in a path item",
            "tests/fixtures/specs/bad/operations.yaml:19:9: response key `20` is not a status code, a range such as `4XX`, or `default`; it is skipped",
        ]
    );
    assert!(spec.warnings.iter().all(Diagnostic::is_warning));
    let names: Vec<String> = spec.operations.iter().map(Operation::name).collect();
    assert_eq!(names, ["getAccount", "getAccount", "putX"]);
    assert_eq!(
        spec.operation("getAccount").unwrap().method,
        "GET",
        "a duplicate id names the first operation"
    );
}

#[test]
fn an_uncompilable_keyword_is_set_aside_where_it_is_written() {
    let spec = load("bad/badpattern.yaml");
    assert_eq!(spec.warnings.len(), 1, "{:?}", spec.warnings);
    let shown = spec.warnings[0].to_string();
    assert!(
        shown.starts_with(
            "tests/fixtures/specs/bad/badpattern.yaml:20:16: `pattern` is not checked: "
        ),
        "{shown}"
    );
    let body = spec.operations[0].responses[0].content[0].schema.unwrap();
    assert!(spec.validate(body, &json!({"b": "a(b"})).is_empty());
    let wrong = spec.validate(body, &json!({"b": 5}));
    assert_eq!(
        wrong[0].spec_location,
        "tests/fixtures/specs/bad/badpattern.yaml#/components/schemas/B/type",
        "the rest of the schema is still checked"
    );
}

#[test]
fn header_text_is_coerced_to_the_schema_type() {
    let types = |t: &[&str]| t.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert_eq!(coerce("2", &types(&["integer"])), json!(2));
    assert_eq!(coerce("-2", &types(&["integer"])), json!(-2));
    assert_eq!(coerce("+2", &types(&["integer"])), json!("+2"));
    assert_eq!(coerce("2.5", &types(&["number"])), json!(2.5));
    assert_eq!(coerce("NaN", &types(&["number"])), json!("NaN"));
    assert_eq!(coerce("true", &types(&["boolean"])), json!(true));
    assert_eq!(coerce("2", &types(&["string", "integer"])), json!("2"));
    assert_eq!(coerce("abc", &types(&["integer"])), json!("abc"));
}

#[test]
fn inline_specs_load_from_text() {
    let spec = Spec::parse(
        "inline.yaml",
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        200:\n          description: ok\n          headers:\n            x-v: {required: true, schema: {type: integer, minimum: 1}}\n",
    )
    .unwrap();
    let header = &spec.operations[0].responses[0].headers[0];
    let schema = header.schema.unwrap();
    assert!(spec.validate_header(schema, "2").is_empty());
    assert_eq!(
        messages(&spec.validate_header(schema, "two")),
        [": \"two\" is not of type \"integer\""]
    );
    assert_eq!(
        messages(&spec.validate_header(schema, "0")),
        [": 0 is less than the minimum of 1"]
    );
}

#[test]
fn never_panics_on_odd_documents() {
    let odd = [
        "openapi: 3.0.3\npaths: {/a: 5}\n",
        "openapi: 3.0.3\npaths: {/a: {get: 5}}\n",
        "openapi: 3.0.3\npaths: {/a: {get: {responses: {200: 5}}}}\n",
        "openapi: 3.0.3\npaths: {/a: {parameters: [5, {in: path}], get: {responses: {200: {description: x, content: {a/b: {schema: 7}}}}}}}\n",
        "openapi: 3.0.3\npaths: {/a: {$ref: '#/paths/~1a'}}\n",
        "openapi: 3.0.3\npaths: {/a: {get: {responses: {200: {$ref: 5}}}}}\n",
        "openapi: 3.1.0\npaths: {/a: {get: {responses: {200: {description: x, content: {a/b: {schema: true}}}}}}}\n",
        "openapi: 3.0.3\npaths: {'/{x': {get: {responses: {200: {description: x}}}}}}\n",
        "",
        "null",
    ];
    for text in odd {
        let _ = Spec::parse("odd.yaml", text);
    }
}

/// Loads the official CDS banking OpenAPI file named by `ACCORD_CDS_OFFICIAL` and reports how
/// long load plus compile took. Run with
/// `ACCORD_CDS_OFFICIAL=/path/to/cds.json cargo test --lib official -- --ignored --nocapture`.
#[test]
#[ignore = "needs ACCORD_CDS_OFFICIAL pointing at the official CDS banking OpenAPI file"]
fn loads_the_official_cds_banking_spec() {
    let path = std::env::var("ACCORD_CDS_OFFICIAL").expect("ACCORD_CDS_OFFICIAL is not set");
    let started = std::time::Instant::now();
    let spec = Spec::load(Path::new(&path)).unwrap_or_else(|d| {
        let shown: Vec<String> = d.iter().map(ToString::to_string).collect();
        panic!("{path} did not load:\n{}", shown.join("\n"))
    });
    let elapsed = started.elapsed();
    println!(
        "{} {}: {} operations, {} compiled schemas, base path `{}`, loaded and compiled in {elapsed:?}",
        spec.title,
        spec.api_version,
        spec.operations.len(),
        spec.schema_count(),
        spec.base_path
    );
    let (op, _) = spec
        .match_path("GET", "/cds-au/v1/banking/accounts/balances")
        .unwrap();
    assert_eq!(op.name(), "listBalancesBulk");
    let (op, params) = spec
        .match_path("GET", "/cds-au/v1/banking/accounts/abc/balance")
        .unwrap();
    assert_eq!(op.name(), "getBalance");
    assert_eq!(params, [("accountId".to_string(), "abc".to_string())]);
    let list = spec.operation("listAccounts").expect("listAccounts");
    let ok = list.responses.iter().find(|r| r.status == "200").unwrap();
    let schema = ok.content[0].schema.unwrap();
    let body = json!({
        "data": {"accounts": [{
            "accountId": "a1", "displayName": "Everyday", "productCategory": "TRANS_AND_SAVINGS_ACCOUNTS",
            "productName": "Everyday", "maskedNumber": "xxxx 1234", "isOwned": true,
            "accountOwnership": "ONE_PARTY", "openStatus": "OPEN"
        }]},
        "links": {"self": "https://h/cds-au/v1/banking/accounts"},
        "meta": {"totalRecords": 1, "totalPages": 1}
    });
    let violations = spec.validate(schema, &body);
    assert!(violations.is_empty(), "{violations:#?}");
    let mut bad = body.clone();
    bad["data"]["accounts"][0]["productCategory"] = json!("NOPE");
    bad["meta"]["totalRecords"] = json!("1");
    assert_eq!(
        spec.validate(schema, &bad).len(),
        2,
        "{:#?}",
        spec.validate(schema, &bad)
    );
}

#[test]
fn a_referenced_file_that_does_not_parse_is_reported_once() {
    assert_eq!(
        load_err("bad/ref-to-broken-file.yaml"),
        [
            "tests/fixtures/specs/bad/ref-to-broken-file.yaml:8:17: broken $ref `broken-file.yaml#/Ok`: file `tests/fixtures/specs/bad/broken-file.yaml` could not be loaded",
            "tests/fixtures/specs/bad/ref-to-broken-file.yaml:10:17: broken $ref `broken-file.yaml#/NotFound`: file `tests/fixtures/specs/bad/broken-file.yaml` could not be loaded",
            "tests/fixtures/specs/bad/broken-file.yaml:3:1: duplicate key `Ok`",
        ]
    );
}

#[test]
fn schemas_made_only_of_refs_to_each_other_are_refused() {
    assert_eq!(
        load_err("bad/ref-cycle.yaml"),
        [
            "tests/fixtures/specs/bad/ref-cycle.yaml:14:15: $ref cycle: the chain of references never reaches a value",
            "tests/fixtures/specs/bad/ref-cycle.yaml:15:15: $ref cycle: the chain of references never reaches a value",
        ]
    );
}

#[test]
fn known_formats_are_checked_and_unknown_ones_ignored() {
    let spec = Spec::parse(
        "formats.yaml",
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        200:\n          description: ok\n          content:\n            application/json:\n              schema:\n                type: object\n                properties:\n                  at: {type: string, format: date-time}\n                  n: {type: integer, format: int32}\n                  code: {type: string, format: cds-code}\n",
    )
    .unwrap();
    let schema = spec.operations[0].responses[0].content[0].schema.unwrap();
    assert!(
        spec.validate(
            schema,
            &json!({"at": "2024-05-01T10:00:00Z", "n": 1, "code": "?"})
        )
        .is_empty()
    );
    assert_eq!(
        messages(&spec.validate(schema, &json!({"at": "yesterday"}))),
        ["/at: \"yesterday\" is not a \"date-time\""]
    );
}
