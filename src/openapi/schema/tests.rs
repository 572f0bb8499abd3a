use super::*;

/// Records refs and answers targets from a fixed map.
#[derive(Default)]
struct Sink {
    seen: Vec<(String, String)>,
    targets: Map<String, Value>,
    moves: Vec<(String, String)>,
    notes: Vec<String>,
}

impl RefSink for Sink {
    fn rewrite(&mut self, reference: &str, at: &str) -> String {
        self.seen.push((reference.into(), at.into()));
        format!("urn:x#{reference}")
    }
    fn target(&mut self, reference: &str, _at: &str) -> Option<Value> {
        self.targets.get(reference).cloned()
    }
    fn moved(&mut self, converted: &str, original: &str) {
        self.moves.push((converted.into(), original.into()));
    }
    fn note(&mut self, at: &str, message: &str) {
        self.notes.push(format!("{at}: {message}"));
    }
}

fn c30(schema: Value) -> Value {
    convert(
        &schema,
        Dialect::Oas30,
        Direction::Response,
        &mut Sink::default(),
    )
}

#[test]
fn nullable_with_type_becomes_type_array() {
    assert_eq!(
        c30(json!({"type": "string", "nullable": true})),
        json!({"type": ["string", "null"]})
    );
}

#[test]
fn nullable_enum_gains_null() {
    assert_eq!(
        c30(json!({"type": "string", "enum": ["A", "B"], "nullable": true})),
        json!({"type": ["string", "null"], "enum": ["A", "B", null]})
    );
}

#[test]
fn nullable_false_is_dropped() {
    assert_eq!(
        c30(json!({"type": "integer", "nullable": false})),
        json!({"type": "integer"})
    );
}

#[test]
fn nullable_without_type_wraps_combinators() {
    assert_eq!(
        c30(json!({"allOf": [{"type": "object"}], "nullable": true})),
        json!({"anyOf": [{"allOf": [{"type": "object"}]}, {"type": "null"}]})
    );
}

#[test]
fn nullable_without_type_or_combinator_accepts_anything_already() {
    assert_eq!(
        c30(json!({"description": "d", "nullable": true})),
        json!({"description": "d"})
    );
}

#[test]
fn nullable_ref_wraps_and_other_ref_siblings_are_ignored() {
    assert_eq!(
        c30(json!({"$ref": "#/A", "nullable": true, "description": "x", "maxLength": 2})),
        json!({"anyOf": [{"$ref": "urn:x##/A"}, {"type": "null"}]})
    );
    assert_eq!(
        c30(json!({"$ref": "#/A", "type": "string"})),
        json!({"$ref": "urn:x##/A"})
    );
}

#[test]
fn boolean_exclusive_bounds_become_numbers() {
    assert_eq!(
        c30(
            json!({"type": "number", "minimum": 0, "exclusiveMinimum": true,
                       "maximum": 10, "exclusiveMaximum": false})
        ),
        json!({"type": "number", "exclusiveMinimum": 0, "maximum": 10})
    );
    assert_eq!(
        c30(json!({"exclusiveMaximum": true, "maximum": 5})),
        json!({"exclusiveMaximum": 5})
    );
    assert_eq!(c30(json!({"exclusiveMinimum": true})), json!({}));
}

#[test]
fn openapi_only_keywords_are_dropped_and_vendor_keywords_kept() {
    assert_eq!(
        c30(
            json!({"type": "string", "example": "x", "xml": {"name": "a"},
                       "externalDocs": {"url": "u"}, "discriminator": {"propertyName": "k"},
                       "x-cds-type": "AmountString", "x-conditional": ["a"]})
        ),
        json!({"type": "string", "examples": ["x"], "x-cds-type": "AmountString",
                   "x-conditional": ["a"]})
    );
}

#[test]
fn property_named_like_a_keyword_survives() {
    let got = c30(json!({
        "type": "object",
        "properties": {
            "nullable": {"type": "boolean"},
            "$ref": {"type": "string"},
            "example": {"type": "string", "nullable": true}
        },
        "required": ["nullable"]
    }));
    assert_eq!(
        got,
        json!({
            "type": "object",
            "properties": {
                "nullable": {"type": "boolean"},
                "$ref": {"type": "string"},
                "example": {"type": ["string", "null"]}
            },
            "required": ["nullable"]
        })
    );
}

#[test]
fn vendor_keyword_contents_are_not_walked() {
    let got = c30(json!({"x-meta": {"nullable": true, "type": "string", "$ref": "#/nope"}}));
    assert_eq!(
        got,
        json!({"x-meta": {"nullable": true, "type": "string", "$ref": "#/nope"}})
    );
}

#[test]
fn nested_positions_are_converted() {
    let got = c30(json!({
        "type": "array",
        "items": {"type": "object", "additionalProperties": {"type": "string", "nullable": true},
                  "properties": {"a": {"oneOf": [{"type": "integer", "nullable": true}]}}},
        "not": {"type": "string", "example": "e"}
    }));
    assert_eq!(
        got,
        json!({
            "type": "array",
            "items": {"type": "object", "additionalProperties": {"type": ["string", "null"]},
                      "properties": {"a": {"oneOf": [{"type": ["integer", "null"]}]}}},
            "not": {"type": "string", "examples": ["e"]}
        })
    );
}

#[test]
fn refs_are_reported_with_their_position() {
    let mut sink = Sink::default();
    convert(
        &json!({"properties": {"a": {"$ref": "#/A"}}, "allOf": [{"$ref": "other.yaml#/B"}]}),
        Dialect::Oas30,
        Direction::Response,
        &mut sink,
    );
    assert_eq!(
        sink.seen,
        vec![
            ("#/A".to_string(), "/properties/a/$ref".to_string()),
            ("other.yaml#/B".to_string(), "/allOf/0/$ref".to_string())
        ]
    );
}

#[test]
fn read_only_and_write_only_leave_required_by_direction() {
    let schema = json!({
        "type": "object",
        "properties": {
            "id": {"type": "string", "readOnly": true},
            "secret": {"type": "string", "writeOnly": true},
            "name": {"type": "string"},
            "viaRef": {"$ref": "#/Ro"}
        },
        "required": ["id", "secret", "name", "viaRef"]
    });
    let mut sink = Sink::default();
    sink.targets
        .insert("#/Ro".into(), json!({"type": "string", "readOnly": true}));
    let response = convert(&schema, Dialect::Oas30, Direction::Response, &mut sink);
    assert_eq!(response["required"], json!(["id", "name", "viaRef"]));
    let request = convert(&schema, Dialect::Oas30, Direction::Request, &mut sink);
    assert_eq!(request["required"], json!(["secret", "name"]));
}

#[test]
fn oas30_keywords_in_a_31_schema_are_read_as_30_reads_them() {
    let mut sink = Sink::default();
    let schema = json!({"properties": {
            "n": {"type": "number", "minimum": 0, "exclusiveMinimum": true, "nullable": true},
            "r": {"$ref": "#/a", "nullable": true},
            "m": {"type": "number", "exclusiveMinimum": 0}}});
    let converted = convert(&schema, Dialect::Oas31, Direction::Response, &mut sink);
    assert_eq!(
        converted,
        json!({"properties": {
                "n": {"type": ["number", "null"], "exclusiveMinimum": 0},
                "r": {"anyOf": [{"$ref": "urn:x##/a"}, {"type": "null"}]},
                "m": {"type": "number", "exclusiveMinimum": 0}}})
    );
    assert_eq!(
        sink.notes,
        [
            "/properties/n/nullable: `nullable: true` is OpenAPI 3.0, not JSON Schema 2020-12; it is read as OpenAPI 3.0 reads it",
            "/properties/n/exclusiveMinimum: `exclusiveMinimum: true` is OpenAPI 3.0, not JSON Schema 2020-12; it is read as OpenAPI 3.0 reads it",
            "/properties/r/nullable: `nullable: true` is OpenAPI 3.0, not JSON Schema 2020-12; it is read as OpenAPI 3.0 reads it",
        ]
    );
    assert_eq!(
        sink.moves,
        [(
            "/properties/r/anyOf/0".to_owned(),
            "/properties/r".to_owned()
        )]
    );
}

#[test]
fn subschemas_are_found_in_schema_positions_only() {
    let schema = json!({"properties": {"example": {"type": "string"}},
                            "items": [{"type": "integer"}], "example": {"properties": {}},
                            "allOf": [{"not": {}}]});
    let mut found: Vec<String> = subschemas(&schema).into_iter().map(|(at, _)| at).collect();
    found.sort();
    assert_eq!(
        found,
        [
            "",
            "/allOf/0",
            "/allOf/0/not",
            "/items/0",
            "/properties/example"
        ]
    );
}

#[test]
fn moved_nodes_are_told_with_both_pointers() {
    let mut sink = Sink::default();
    let schema = json!({"properties": {
            "a": {"nullable": true, "allOf": [{"properties": {
                "b": {"nullable": true, "oneOf": [{"type": "string"}]}}}]},
            "t": {"items": [{"$ref": "#/x", "nullable": true}], "additionalItems": false}}});
    convert(&schema, Dialect::Oas30, Direction::Response, &mut sink);
    let moves: Vec<(&str, &str)> = sink
        .moves
        .iter()
        .map(|(c, o)| (c.as_str(), o.as_str()))
        .collect();
    assert_eq!(
        moves,
        [
            ("/properties/a/anyOf/0", "/properties/a"),
            (
                "/properties/a/anyOf/0/allOf/0/properties/b/anyOf/0",
                "/properties/a/allOf/0/properties/b"
            ),
            ("/properties/t/prefixItems", "/properties/t/items"),
            (
                "/properties/t/prefixItems/0/anyOf/0",
                "/properties/t/items/0"
            ),
            ("/properties/t/items", "/properties/t/additionalItems"),
        ]
    );
    assert_eq!(sink.seen[0].1, "/properties/t/items/0/$ref");
}

#[test]
fn tuple_items_become_prefix_items() {
    assert_eq!(
        c30(json!({"items": [{"type": "string"}]})),
        json!({"prefixItems": [{"type": "string"}]})
    );
    assert_eq!(
        c30(
            json!({"items": [{"$ref": "#/a"}, {"type": "string", "nullable": true}],
                       "additionalItems": {"type": "integer", "nullable": true}})
        ),
        json!({"prefixItems": [{"$ref": "urn:x##/a"}, {"type": ["string", "null"]}],
                   "items": {"type": ["integer", "null"]}}),
        "the members are schemas, converted like any other"
    );
    let mut sink = Sink::default();
    let c31 = convert(
        &json!({"properties": {"p": {"items": [{"$ref": "#/b"}]}}}),
        Dialect::Oas31,
        Direction::Response,
        &mut sink,
    );
    assert_eq!(
        c31,
        json!({"properties": {"p": {"prefixItems": [{"$ref": "urn:x##/b"}]}}})
    );
    assert_eq!(
        sink.seen,
        [("#/b".to_owned(), "/properties/p/items/0/$ref".to_owned())]
    );
}

#[test]
fn oas31_passes_through_except_refs() {
    let schema = json!({
        "$schema": "https://spec.openapis.org/oas/3.1/dialect/base",
        "type": ["string", "null"], "exclusiveMinimum": 3,
        "$ref": "#/A", "description": "siblings apply in 3.1", "nullable": true
    });
    let mut sink = Sink::default();
    let got = convert(&schema, Dialect::Oas31, Direction::Response, &mut sink);
    assert_eq!(
        got,
        json!({"type": ["string", "null"], "exclusiveMinimum": 3, "$ref": "urn:x##/A",
                   "description": "siblings apply in 3.1"}),
        "a 3.0 `nullable` beside a type that admits null already changes nothing"
    );
    assert_eq!(sink.notes.len(), 1);
}
