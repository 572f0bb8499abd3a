use serde_json::{Value, json};

use super::*;

fn doc(text: &str) -> Document {
    Document::parse("s.yaml", text).unwrap()
}

fn converted(text: &str) -> Conversion {
    convert(&doc(text), true)
}

#[test]
fn servers_come_from_schemes_host_and_base_path() {
    let c = converted(
        "swagger: '2.0'\ninfo: {title: t, version: '1'}\nhost: api.test:8443\nbasePath: /v1/\nschemes: [http, https]\npaths: {}\n",
    );
    assert_eq!(c.value["openapi"], json!(CONVERTED_VERSION));
    assert_eq!(
        c.value["servers"],
        json!([{"url": "http://api.test:8443/v1/"}, {"url": "https://api.test:8443/v1/"}])
    );
    let keys: Vec<&String> = c.value.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["openapi", "info", "servers", "paths"]);
    assert_eq!(c.origins.original("/servers/1/url"), "/basePath/1/url");

    let c = converted("swagger: '2.0'\nhost: api.test\npaths: {}\n");
    assert_eq!(c.value["servers"], json!([{"url": "https://api.test"}]));
    let c = converted("swagger: '2.0'\nbasePath: /v2\npaths: {}\n");
    assert_eq!(c.value["servers"], json!([{"url": "/v2"}]));
    let c = converted("swagger: '2.0'\npaths: {}\n");
    assert_eq!(c.value.get("servers"), None);
}

#[test]
fn origins_translate_by_longest_prefix() {
    let mut origins = Origins::default();
    origins.add("/components/schemas", "/definitions");
    origins.add(
        "/paths/~1a/post/requestBody",
        "/paths/~1a/post/parameters/1",
    );
    origins.add(
        "/paths/~1a/post/requestBody/content/application~1json/schema",
        "/paths/~1a/post/parameters/1/schema",
    );
    assert_eq!(
        origins.original("/components/schemas/A/properties/b"),
        "/definitions/A/properties/b"
    );
    assert_eq!(
        origins.original("/paths/~1a/post/requestBody/content/application~1json/schema/items"),
        "/paths/~1a/post/parameters/1/schema/items"
    );
    assert_eq!(
        origins.original("/paths/~1a/post/requestBody/required"),
        "/paths/~1a/post/parameters/1/required"
    );
    assert_eq!(
        origins.original("/components/schemasX"),
        "/components/schemasX",
        "prefixes end at a token boundary"
    );
    assert_eq!(origins.original("/info/title"), "/info/title");
}

#[test]
fn refs_into_renamed_sections_are_rewritten_in_every_file() {
    assert_eq!(rewrite_ref("#/definitions/A"), "#/components/schemas/A");
    assert_eq!(
        rewrite_ref("common.yaml#/definitions/Money"),
        "common.yaml#/components/schemas/Money"
    );
    assert_eq!(rewrite_ref("#/parameters/P"), "#/components/parameters/P");
    assert_eq!(rewrite_ref("#/responses/R"), "#/components/responses/R");
    assert_eq!(rewrite_ref("pet.yaml"), "pet.yaml");
    assert_eq!(rewrite_ref("#/paths/~1a"), "#/paths/~1a");
    let part = convert(
        &doc(
            "definitions:\n  A: {$ref: '#/definitions/B', example: {$ref: '#/definitions/C'}}\n  B: {type: string, x-nullable: true}\n",
        ),
        false,
    );
    assert_eq!(
        part.value,
        json!({"components": {"schemas": {
            "A": {"$ref": "#/components/schemas/B", "example": {"$ref": "#/definitions/C"}},
            "B": {"type": "string", "nullable": true}
        }}}),
        "a referenced file gets no `openapi`; literal examples are left alone"
    );
    assert_eq!(
        reword("broken $ref `#/components/schemas/X` in /components/responses/R"),
        "broken $ref `#/definitions/X` in /responses/R"
    );
}

#[test]
fn schemas_lose_swagger_only_forms() {
    let c = converted(
        "swagger: '2.0'\npaths: {}\ndefinitions:\n  Pet:\n    discriminator: kind\n    properties:\n      photo: {type: file}\n      tags: {type: array, items: {type: string, x-nullable: true}}\n",
    );
    assert_eq!(
        c.value["components"]["schemas"]["Pet"],
        json!({
            "discriminator": {"propertyName": "kind"},
            "properties": {
                "photo": {"type": "string", "format": "binary"},
                "tags": {"type": "array", "items": {"type": "string", "nullable": true}}
            }
        })
    );
}

fn operation(params: &str) -> Value {
    let text = format!(
        "swagger: '2.0'\npaths:\n  /a/{{id}}:\n    get:\n      parameters: {params}\n      responses: {{'200': {{description: ok}}}}\n"
    );
    converted(&text).value["paths"]["/a/{id}"]["get"].clone()
}

#[test]
fn collection_formats_become_styles() {
    let op = operation(
        "[{name: a, in: query, type: array, items: {type: integer}}, {name: b, in: query, type: array, collectionFormat: multi, items: {type: string}}, {name: c, in: query, type: array, collectionFormat: pipes, items: {type: string}}, {name: id, in: path, required: true, type: array, items: {type: string}}, {name: d, in: query, type: array, collectionFormat: tsv, items: {type: string}}]",
    );
    let styles: Vec<(Value, Value)> = op["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["style"].clone(), p["explode"].clone()))
        .collect();
    assert_eq!(
        styles,
        [
            (json!("form"), json!(false)),
            (json!("form"), json!(true)),
            (json!("pipeDelimited"), json!(false)),
            (json!("simple"), json!(false)),
            (Value::Null, Value::Null),
        ]
    );
    assert_eq!(
        op["parameters"][0],
        json!({"name": "a", "in": "query", "schema": {"type": "array", "items": {"type": "integer"}},
               "style": "form", "explode": false})
    );
}

#[test]
fn path_level_and_referenced_body_parameters_reach_each_operation() {
    let c = converted(
        "swagger: '2.0'\nconsumes: [application/json, text/plain]\nparameters:\n  Body: {name: b, in: body, required: true, schema: {type: object}}\n  Q: {name: q, in: query, type: string}\npaths:\n  /a:\n    parameters:\n      - {$ref: '#/parameters/Body'}\n    put:\n      parameters: [{$ref: '#/parameters/Q'}]\n      responses: {'204': {description: ok}}\n",
    );
    let put = &c.value["paths"]["/a"]["put"];
    assert_eq!(
        put["requestBody"],
        json!({"content": {"application/json": {"schema": {"type": "object"}},
                           "text/plain": {"schema": {"type": "object"}}},
               "required": true})
    );
    assert_eq!(
        put["parameters"],
        json!([{"$ref": "#/components/parameters/Q"}])
    );
    assert_eq!(c.value["paths"]["/a"]["parameters"], json!([]));
    assert_eq!(
        c.origins
            .original("/paths/~1a/put/requestBody/content/text~1plain/schema"),
        "/parameters/Body/schema"
    );
    assert_eq!(
        c.value["components"]["requestBodies"]["Body"]["required"],
        json!(true)
    );
    assert_eq!(
        c.value["components"]["parameters"]["Q"],
        json!({"name": "q", "in": "query", "schema": {"type": "string"}})
    );
}

#[test]
fn conflicting_body_parameters_are_reported_at_the_second() {
    let c = converted(
        "swagger: '2.0'\npaths:\n  /a:\n    post:\n      parameters:\n        - {name: a, in: body, schema: {}}\n        - {name: b, in: body, schema: {}}\n        - {name: f, in: formData, type: string}\n      responses: {'200': {description: ok}}\n",
    );
    let shown: Vec<String> = c.diags.iter().map(ToString::to_string).collect();
    assert_eq!(
        shown,
        ["s.yaml:7:11: an operation has at most one `in: body` parameter"]
    );
}

#[test]
fn security_definitions_become_security_schemes() {
    let c = converted(
        "swagger: '2.0'\npaths: {}\nsecurityDefinitions:\n  basic: {type: basic}\n  key: {type: apiKey, name: k, in: query, description: d}\n  app: {type: oauth2, flow: application, tokenUrl: 'https://t', scopes: {a: b}}\n  web: {type: oauth2, flow: implicit, authorizationUrl: 'https://a'}\n",
    );
    assert_eq!(
        c.value["components"]["securitySchemes"],
        json!({
            "basic": {"type": "http", "scheme": "basic"},
            "key": {"description": "d", "type": "apiKey", "name": "k", "in": "query"},
            "app": {"type": "oauth2", "flows": {"clientCredentials": {"tokenUrl": "https://t", "scopes": {"a": "b"}}}},
            "web": {"type": "oauth2", "flows": {"implicit": {"authorizationUrl": "https://a", "scopes": {}}}}
        })
    );
    assert_eq!(
        c.origins.original("/components/securitySchemes/key/name"),
        "/securityDefinitions/key/name"
    );
}

#[test]
fn responses_and_headers_are_converted_with_examples() {
    let c = converted(
        "swagger: '2.0'\nproduces: [application/json]\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          headers: {X-Rate: {type: integer, description: left}}\n          schema: {type: string}\n          examples: {application/json: hi}\n        '204': {description: none}\n        '404': {$ref: '#/responses/Missing'}\n",
    );
    let responses = &c.value["paths"]["/a"]["get"]["responses"];
    assert_eq!(
        responses["200"],
        json!({"description": "ok",
               "headers": {"X-Rate": {"description": "left", "schema": {"type": "integer"}}},
               "content": {"application/json": {"schema": {"type": "string"}, "example": "hi"}}})
    );
    assert_eq!(responses["204"], json!({"description": "none"}));
    assert_eq!(
        responses["404"],
        json!({"$ref": "#/components/responses/Missing"})
    );
    assert_eq!(
        c.origins
            .original("/paths/~1a/get/responses/200/headers/X-Rate/schema/type"),
        "/paths/~1a/get/responses/200/headers/X-Rate/type"
    );
}
