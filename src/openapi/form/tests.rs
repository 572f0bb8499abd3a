//! Form bodies written per their encoding, the bytes of both media types, and the object a
//! server reads back.

use serde_json::{Value, json};

use super::{Encoding, Field, Kind, multipart, read, urlencoded, write};
use crate::openapi::Spec;
use crate::openapi::style::Style;

fn enc(style: Style, explode: bool) -> Encoding {
    Encoding {
        content_type: None,
        style: Some(style),
        explode: Some(explode),
    }
}

fn pairs(fields: &[Field]) -> Vec<(&str, &str)> {
    fields
        .iter()
        .map(|f| (f.name.as_str(), f.value.as_str()))
        .collect()
}

#[test]
fn media_types_are_known_by_their_essence() {
    assert_eq!(
        Kind::of("application/x-www-form-urlencoded; charset=utf-8"),
        Some(Kind::UrlEncoded)
    );
    assert_eq!(Kind::of("Multipart/Form-Data"), Some(Kind::Multipart));
    assert_eq!(Kind::of("application/json"), None);
    assert_eq!(Kind::of("multipart/mixed"), None);
}

#[test]
fn urlencoded_arrays_and_objects_follow_style_and_explode() {
    let tags = json!(["a", "b"]);
    let url = Kind::UrlEncoded;
    assert_eq!(
        pairs(&write(url, "tags", &tags, None)),
        [("tags", "a"), ("tags", "b")],
        "form, exploded, by default"
    );
    let cases = [
        (enc(Style::Form, false), vec![("tags", "a,b")]),
        (enc(Style::SpaceDelimited, false), vec![("tags", "a b")]),
        (enc(Style::PipeDelimited, false), vec![("tags", "a|b")]),
    ];
    for (e, want) in cases {
        assert_eq!(pairs(&write(url, "tags", &tags, Some(&e))), want, "{e:?}");
    }
    let point = json!({"x": 1, "y": 2});
    assert_eq!(
        pairs(&write(url, "at", &point, None)),
        [("x", "1"), ("y", "2")]
    );
    assert_eq!(
        pairs(&write(url, "at", &point, Some(&enc(Style::Form, false)))),
        [("at", "x,1,y,2")]
    );
    assert_eq!(
        pairs(&write(
            url,
            "at",
            &point,
            Some(&enc(Style::DeepObject, true))
        )),
        [("at[x]", "1"), ("at[y]", "2")]
    );
    assert_eq!(pairs(&write(url, "n", &json!(12), None)), [("n", "12")]);
}

#[test]
fn urlencoded_bodies_percent_encode_names_and_values() {
    let fields = [
        Field::text("q", "a b&c=d/é"),
        Field::text("x y", "1+1"),
        Field::text("empty", ""),
    ];
    assert_eq!(
        urlencoded(&fields),
        "q=a+b%26c%3Dd%2F%C3%A9&x+y=1%2B1&empty="
    );
}

#[test]
fn multipart_arrays_are_one_part_per_item_and_objects_json() {
    let mp = Kind::Multipart;
    let parts = write(mp, "tags", &json!(["a", "b"]), None);
    assert_eq!(pairs(&parts), [("tags", "a"), ("tags", "b")]);
    assert!(parts.iter().all(|p| p.content_type.is_none()));
    let joined = write(
        mp,
        "tags",
        &json!(["a", "b"]),
        Some(&enc(Style::Form, false)),
    );
    assert_eq!(
        pairs(&joined),
        [("tags", "a,b")],
        "a stated style joins them"
    );
    let obj = write(mp, "meta", &json!({"k": "v"}), None);
    assert_eq!(pairs(&obj), [("meta", "{\"k\":\"v\"}")]);
    assert_eq!(obj[0].content_type.as_deref(), Some("application/json"));
    let typed = Encoding {
        content_type: Some("text/csv".into()),
        ..Encoding::default()
    };
    let csv = write(mp, "data", &json!("a,b"), Some(&typed));
    assert_eq!(csv[0].content_type.as_deref(), Some("text/csv"));
}

#[test]
fn multipart_parts_carry_their_headers() {
    let fields = [
        Field::text("user", "alice"),
        Field {
            name: "photo".into(),
            value: "GIF89a".into(),
            filename: Some("a \"b\".gif".into()),
            content_type: Some("image/gif".into()),
        },
    ];
    let body = super::multipart_with(&fields, "XyZ");
    let want = "--XyZ\r\nContent-Disposition: form-data; name=\"user\"\r\n\r\nalice\r\n\
         --XyZ\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"a %22b%22.gif\"\r\nContent-Type: image/gif\r\n\r\nGIF89a\r\n\
         --XyZ--\r\n";
    assert_eq!(body, want);
}

#[test]
fn the_boundary_is_fresh_and_says_nothing_of_the_parts() {
    let secret = [Field::text("password", "hunter22")];
    let (one, body) = multipart(&secret);
    let (two, _) = multipart(&secret);
    assert_ne!(
        one, two,
        "random, not a digest a weak secret could be guessed from"
    );
    assert!(one.starts_with("accord-") && one.len() == 39, "{one}");
    assert!(one[7..].bytes().all(|b| b.is_ascii_hexdigit()), "{one}");
    assert_eq!(body.matches(one.as_str()).count(), 2, "{body}");
}

const SPEC: &str = r#"
openapi: 3.0.3
info: {title: F, version: "1"}
paths:
  /f:
    post:
      requestBody:
        content:
          application/x-www-form-urlencoded:
            schema:
              type: object
              additionalProperties: false
              required: [name]
              properties:
                name: {type: string, maxLength: 5}
                age: {type: integer, minimum: 0}
                ok: {type: boolean}
                ids: {type: array, items: {type: integer}}
                at: {type: object, properties: {x: {type: integer}}}
            encoding:
              ids: {style: form, explode: false}
              at: {style: deepObject, explode: true}
          multipart/form-data:
            schema:
              allOf:
                - type: object
                  required: [file]
                  properties:
                    file: {type: string, format: binary}
                    meta: {type: object, properties: {k: {type: integer}}}
                - properties:
                    n: {type: array, items: {type: integer}}
            encoding:
              file: {contentType: "image/png, image/gif"}
      responses:
        "200": {description: ok}
"#;

fn form_spec() -> Spec {
    Spec::parse("f.yaml", SPEC).unwrap_or_else(|e| panic!("{e:?}"))
}

fn media(spec: &Spec, kind: Kind) -> (crate::openapi::SchemaRef, Vec<(String, Encoding)>) {
    let m = spec
        .request_body(&spec.operations[0])
        .unwrap()
        .iter()
        .find(|m| Kind::of(&m.media_type) == Some(kind))
        .unwrap();
    (m.schema.unwrap(), m.encoding.clone())
}

fn seen(spec: &Spec, kind: Kind, body: &Value) -> Value {
    let (schema, encodings) = media(spec, kind);
    let mut fields = Vec::new();
    for (name, value) in body.as_object().unwrap() {
        fields.extend(write(
            kind,
            name,
            value,
            super::encoding_of(&encodings, name),
        ));
    }
    read(
        spec,
        spec.schema_json(schema).unwrap(),
        kind,
        &fields,
        &encodings,
    )
}

#[test]
fn the_documents_encoding_is_read() {
    let spec = form_spec();
    let (_, encodings) = media(&spec, Kind::UrlEncoded);
    assert_eq!(
        super::encoding_of(&encodings, "ids"),
        Some(&enc(Style::Form, false))
    );
    let (_, encodings) = media(&spec, Kind::Multipart);
    assert_eq!(
        super::encoding_of(&encodings, "file").and_then(|e| e.content_type.as_deref()),
        Some("image/png"),
        "the first of a list"
    );
}

#[test]
fn a_server_reads_text_as_the_schema_types_it() {
    let spec = form_spec();
    let (schema, _) = media(&spec, Kind::UrlEncoded);
    let sent = json!({"name": "ann", "age": "12", "ok": "true", "ids": [1, "2"], "at": {"x": "3"}});
    let got = seen(&spec, Kind::UrlEncoded, &sent);
    assert_eq!(
        got,
        json!({"name": "ann", "age": 12, "ok": true, "ids": [1, 2], "at": {"x": 3}})
    );
    assert!(spec.validate(schema, &got).is_empty());
    let bad = seen(
        &spec,
        Kind::UrlEncoded,
        &json!({"name": "ann", "age": "abc"}),
    );
    let found = spec.validate(schema, &bad);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        (found[0].instance_path.as_str(), found[0].keyword()),
        ("/age", "type")
    );
    let numeric_name = seen(&spec, Kind::UrlEncoded, &json!({"name": 12345}));
    assert!(
        spec.validate(schema, &numeric_name).is_empty(),
        "a number written for a string field is its text: {numeric_name}"
    );
}

#[test]
fn unknown_and_repeated_fields_reach_the_schema() {
    let spec = form_spec();
    let (schema, encodings) = media(&spec, Kind::UrlEncoded);
    let fields = [
        Field::text("name", "ann"),
        Field::text("extra", "1"),
        Field::text("extra", "2"),
    ];
    let got = read(
        &spec,
        spec.schema_json(schema).unwrap(),
        Kind::UrlEncoded,
        &fields,
        &encodings,
    );
    assert_eq!(got, json!({"name": "ann", "extra": ["1", "2"]}));
    let found = spec.validate(schema, &got);
    assert_eq!(found[0].keyword(), "additionalProperties", "{found:?}");
}

#[test]
fn multipart_parts_are_read_by_type() {
    let spec = form_spec();
    let (schema, _) = media(&spec, Kind::Multipart);
    let got = seen(
        &spec,
        Kind::Multipart,
        &json!({"file": "PNG", "meta": {"k": 1}, "n": ["1", "2"]}),
    );
    assert_eq!(got, json!({"file": "PNG", "meta": {"k": 1}, "n": [1, 2]}));
    assert!(spec.validate(schema, &got).is_empty());
    let missing = seen(&spec, Kind::Multipart, &json!({"n": ["x"]}));
    let keywords: Vec<String> = spec
        .validate(schema, &missing)
        .iter()
        .map(|v| v.keyword().to_owned())
        .collect();
    assert_eq!(keywords, ["required", "type"]);
}
