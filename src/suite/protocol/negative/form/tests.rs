//! Negative cases for form fields, proven broken as the fields are sent.

use std::path::Path;

use serde_json::{Value, json};

use crate::openapi::Spec;
use crate::suite::Case;
use crate::suite::load::from_document;
use crate::yaml::Document;

const SPEC: &str = r##"openapi: 3.0.3
info: {title: Forms, version: "1"}
paths:
  /sessions:
    post:
      operationId: signIn
      requestBody:
        content:
          application/x-www-form-urlencoded:
            schema:
              type: object
              required: [user, age]
              properties:
                user: {type: string, maxLength: 5}
                age: {type: integer, minimum: 18}
                ok: {type: boolean}
                role: {type: string, enum: [admin, guest]}
                ids: {type: array, maxItems: 2, items: {type: integer}}
            encoding:
              ids: {style: form, explode: false}
      responses:
        "201": {description: created}
  /uploads:
    post:
      operationId: upload
      requestBody:
        content:
          multipart/form-data:
            schema:
              type: object
              required: [file, count]
              properties:
                file: {type: string, format: binary}
                count: {type: integer}
      responses:
        "201": {description: created}
"##;

fn generate(probes: &str) -> Vec<Case> {
    let spec = Spec::parse("forms.yaml", SPEC).unwrap_or_else(|e| panic!("{e:?}"));
    let text = format!(
        "api: f\nspec: forms.yaml\nvars: {{who: ann}}\nprotocol:\n  negative:\n    requirement: R\n    probes:\n{probes}"
    );
    let doc = Document::parse("f.yaml", text).unwrap();
    let suite = from_document(Path::new("f.yaml"), doc).unwrap_or_else(|e| panic!("{e:#?}"));
    let (cases, problems) = crate::suite::protocol::generate_from_spec(&suite.file, &spec);
    assert!(problems.is_empty(), "{problems:?}");
    cases
}

fn sent(c: &Case) -> (&str, Value) {
    let broken = c.steps[0].expect.negative.as_ref().unwrap();
    let (_, values) = c.steps[0].request.form_body().unwrap();
    let map = values.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    (broken.sent.as_str(), Value::Object(map))
}

#[test]
fn each_rule_of_a_field_is_broken_as_text_a_server_reads() {
    let cases = generate(
        "      - request: {operation: signIn, form: {user: \"{{who}}\", age: \"18\", ok: true, role: guest, ids: [1, 2]}}\n",
    );
    let ids: Vec<&str> = cases.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "negative-signIn-valid",
            "negative-signIn-form-user-missing",
            "negative-signIn-form-user-too-long",
            "negative-signIn-form-age-missing",
            "negative-signIn-form-age-not-integer",
            "negative-signIn-form-age-below-minimum",
            "negative-signIn-form-ok-not-boolean",
            "negative-signIn-form-role-not-in-enum",
            "negative-signIn-form-ids-too-many-items",
            "negative-signIn-form-ids-0-not-integer",
        ],
        "a string field has no wrong type: any text is a string"
    );
    let by_id = |id: &str| cases.iter().find(|c| c.id.ends_with(id)).unwrap();
    let (text, values) = sent(by_id("age-not-integer"));
    assert_eq!(text, "form field /age = \"abc\"");
    assert_eq!(values["age"], json!("abc"));
    assert_eq!(
        values["user"],
        json!("{{who}}"),
        "placeholders stay for the run"
    );
    let (text, values) = sent(by_id("user-too-long"));
    assert_eq!(text, "form field /user = \"annnnn\"");
    assert_eq!(values["user"], json!("annnnn"));
    let (text, values) = sent(by_id("user-missing"));
    assert_eq!(text, "form field /user left out");
    assert!(values.get("user").is_none());
    let (_, values) = sent(by_id("ids-0-not-integer"));
    assert_eq!(values["ids"], json!(["abc", 2]), "sent as ids=abc,2");
    let (_, values) = sent(by_id("ok-not-boolean"));
    assert_eq!(values["ok"], json!("maybe"));
    let rule = &by_id("age-not-integer").requirements[0];
    assert_eq!(rule, "OpenAPI signIn request body /age: type integer");
}

#[test]
fn a_file_part_is_only_left_out() {
    let cases = generate(
        "      - request: {operation: upload, multipart: {file: {content: PNG, filename: a.png}, count: 2}}\n",
    );
    let ids: Vec<&str> = cases.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "negative-upload-valid",
            "negative-upload-multipart-file-missing",
            "negative-upload-multipart-count-missing",
            "negative-upload-multipart-count-not-integer",
        ]
    );
    let (text, values) = sent(&cases[3]);
    assert_eq!(text, "multipart field /count = \"abc\"");
    assert_eq!(values["file"]["filename"], json!("a.png"));
}
