//! Loading documents: the specification's own root example loads; broken documents give
//! every problem at once, located.

use super::*;

fn load_text(text: &str) -> Result<Arazzo, Vec<String>> {
    let doc = Document::parse("w.arazzo.yaml", text).map_err(|d| vec![d[0].to_string()])?;
    from_document(&doc).map_err(|ds| ds.iter().map(|d| d.to_string()).collect())
}

/// The Arazzo Specification Object example of the 1.0.1 text, with its Components Object
/// example. Its second step refers to `$steps.loginUser`, a step the workflow does not have:
/// that reference is corrected here, and the slip is the subject of a test below.
const SPEC_EXAMPLE: &str = r#"arazzo: 1.0.1
info:
  title: A pet purchasing workflow
  summary: This Arazzo Description showcases the workflow for how to purchase a pet through a sequence of API calls
  version: 1.0.1
sourceDescriptions:
- name: petStoreDescription
  url: https://github.com/swagger-api/swagger-petstore/blob/master/src/main/resources/openapi.yaml
  type: openapi
workflows:
- workflowId: loginUserAndRetrievePet
  summary: Login User and then retrieve pets
  inputs:
      type: object
      properties:
          username:
              type: string
          password:
              type: string
  steps:
  - stepId: loginStep
    operationId: loginUser
    parameters:
      - name: username
        in: query
        value: $inputs.username
      - name: password
        in: query
        value: $inputs.password
    successCriteria:
      - condition: $statusCode == 200
    outputs:
      tokenExpires: $response.header.X-Expires-After
      rateLimit: $response.header.X-Rate-Limit
      sessionToken: $response.body
  - stepId: getPetStep
    operationPath: '{$sourceDescriptions.petStoreDescription.url}#/paths/~1pet~1findByStatus/get'
    parameters:
      - name: status
        in: query
        value: 'available'
      - name: Authorization
        in: header
        value: $steps.loginStep.outputs.sessionToken
    successCriteria:
      - condition: $statusCode == 200
    outputs:
      availablePets: $response.body
  outputs:
      available: $steps.getPetStep.outputs.availablePets
components:
  parameters:
    storeId:
      name: storeId
      in: header
      value: $inputs.x-store-id
  inputs:
    pagination:
      type: object
      properties:
        page:
          type: integer
          format: int32
  failureActions:
    refreshToken:
      name: refreshExpiredToken
      type: retry
      retryAfter: 1
      retryLimit: 5
      workflowId: loginUserAndRetrievePet
      criteria:
          - condition: $statusCode == 401
"#;

#[test]
fn loads_the_specification_example() {
    let a = load_text(SPEC_EXAMPLE).unwrap();
    assert_eq!(a.version, Version::V1_0);
    assert_eq!(a.sources[0].kind, SourceKind::OpenApi);
    let w = &a.workflows[0];
    assert_eq!(w.id, "loginUserAndRetrievePet");
    assert_eq!(w.steps.len(), 2);
    assert_eq!(w.steps[0].target, Target::OperationId("loginUser".into()));
    assert!(matches!(&w.steps[1].target, Target::OperationPath(p) if p.ends_with("/get")));
    assert_eq!(
        w.steps[0].success_criteria[0].condition,
        "$statusCode == 200"
    );
    assert_eq!(w.steps[0].outputs.len(), 3);
    let retry = &a.components.failure_actions["refreshToken"];
    assert_eq!(
        (retry.kind, retry.retry_after, retry.retry_limit),
        (FailureKind::Retry, Some(1.0), Some(5))
    );
    assert_eq!(w.steps[1].at, "/workflows/0/steps/1");
}

#[test]
fn the_published_step_name_slip_is_found() {
    let text = SPEC_EXAMPLE.replace(
        "$steps.loginStep.outputs.sessionToken",
        "$steps.loginUser.outputs.sessionToken",
    );
    let errs = load_text(&text).unwrap_err();
    assert_eq!(
        errs,
        vec![
            "w.arazzo.yaml:44:16: `$steps.loginUser.outputs.sessionToken`: workflow `loginUserAndRetrievePet` has no step `loginUser`"
        ]
    );
}

#[test]
fn every_problem_at_once_with_positions() {
    let text = SPEC_EXAMPLE
        .replace(
            "  summary: Login User and then retrieve pets\n",
            "  sumary: Login User and then retrieve pets\n",
        )
        .replace(
            "        in: query\n        value: $inputs.password",
            "        in: body\n        value: $input.password",
        )
        .replace(
            "      - condition: $statusCode == 401",
            "      - condition: $statusCode = 401",
        )
        .replace(
            "    operationId: loginUser\n",
            "    operationId: loginUser\n    workflowId: other\n",
        );
    let errs = load_text(&text).unwrap_err();
    assert_eq!(
        errs,
        vec![
            "w.arazzo.yaml:12:3: unknown key `sumary` in a workflow",
            "w.arazzo.yaml:21:5: a step names exactly one of `operationId`, `operationPath` or `workflowId`",
            "w.arazzo.yaml:29:13: `in` is path, query, header or cookie, not `body`",
            "w.arazzo.yaml:30:16: `$input` is not a runtime expression; did you mean `$inputs`?",
            "w.arazzo.yaml:73:24: unexpected `=` (at character 13 of the condition)",
        ],
    );
}

#[test]
fn version_rules() {
    let errs = load_text(&SPEC_EXAMPLE.replace("arazzo: 1.0.1", "arazzo: 2.0.0")).unwrap_err();
    assert_eq!(
        errs,
        vec![
            "w.arazzo.yaml:1:9: accord reads Arazzo 1.0.x and 1.1.x; this document declares `2.0.0`"
        ]
    );
    let with_timeout = SPEC_EXAMPLE.replace(
        "    operationId: loginUser\n",
        "    operationId: loginUser\n    timeout: 500\n",
    );
    let errs = load_text(&with_timeout).unwrap_err();
    assert_eq!(
        errs,
        vec![
            "w.arazzo.yaml:23:5: `timeout` is an Arazzo 1.1 field; this document declares arazzo 1.0"
        ]
    );
    let a = load_text(&with_timeout.replace("arazzo: 1.0.1", "arazzo: 1.1.0")).unwrap();
    assert_eq!(a.workflows[0].steps[0].timeout, Some(500));
}

#[test]
fn extensions_are_kept_and_references_checked() {
    let text = SPEC_EXAMPLE
        .replace("- workflowId: loginUserAndRetrievePet\n", "- workflowId: loginUserAndRetrievePet\n  x-accord: {requirements: [R1]}\n")
        .replace(
            "      - name: status\n        in: query\n        value: 'available'\n",
            "      - name: status\n        in: query\n        value: 'available'\n      - reference: $components.parameters.storeID\n",
        );
    let errs = load_text(&text).unwrap_err();
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(
        errs[0].ends_with("`components.parameters` has no `storeID`"),
        "{errs:?}"
    );
    let fixed = load_text(&text.replace("storeID", "storeId")).unwrap();
    assert!(fixed.workflows[0].extensions.contains_key("x-accord"));
    assert!(
        matches!(&fixed.workflows[0].steps[1].parameters[1], Reusable::Reference(r) if r.name == "storeId")
    );
}

#[test]
fn json_documents_load_too() {
    let text = r#"{"arazzo": "1.1.0", "info": {"title": "t", "version": "1"},
 "sourceDescriptions": [{"name": "api", "url": "./api.json"}],
 "workflows": [{"workflowId": "w", "steps": [{"stepId": "s", "operationId": "$sourceDescriptions.api.getThing", "outputs": {"id": {"context": "$response.body", "selector": "$.id", "type": "jsonpath"}}}]}]}"#;
    let doc = Document::parse("w.arazzo.json", text).unwrap();
    let a = from_document(&doc).unwrap();
    assert_eq!(a.version, Version::V1_1);
    let bad = text.replace("$sourceDescriptions.api.", "$sourceDescriptions.apj.");
    let doc = Document::parse("w.arazzo.json", bad).unwrap();
    let errs = from_document(&doc).unwrap_err();
    assert_eq!(
        errs[0].to_string(),
        "w.arazzo.json:3:77: there is no source description `apj`"
    );
    assert_eq!(errs[0].help.as_deref(), Some("did you mean `api`?"));
}

#[test]
fn recognises_arazzo_file_names() {
    for (name, yes) in [
        ("x/cdr.arazzo.yaml", true),
        ("arazzo.json", true),
        ("a.Arazzo.yml", true),
        ("suites/cdr/accounts.yaml", false),
        ("arazzo-notes.yaml", false),
    ] {
        assert_eq!(is_arazzo_file(Path::new(name)), yes, "{name}");
    }
}

/// A minimal 1.1 document whose one step is `step` (YAML flow mapping text).
fn with_step(step: &str) -> String {
    format!(
        "arazzo: 1.1.0\ninfo: {{title: t, version: '1'}}\nsourceDescriptions:\n  - {{name: api, url: ./api.yaml}}\n  - {{name: events, url: ./events.yaml, type: asyncapi}}\nworkflows:\n  - workflowId: w\n    steps:\n      - {{stepId: first, operationId: op}}\n      - {step}\n  - workflowId: other\n    steps: [{{stepId: only, operationId: op}}]\n"
    )
}

#[test]
fn rules_of_steps() {
    let cases = [
        (
            "{stepId: s, operationId: op, dependsOn: []}",
            "names at least one dependency",
        ),
        (
            "{stepId: s, operationId: op, dependsOn: [first, first]}",
            "duplicate dependency `first`",
        ),
        (
            "{stepId: s, operationId: op, dependsOn: [frist]}",
            "workflow `w` has no step `frist`",
        ),
        (
            "{stepId: s, operationId: op, action: send, correlationId: c}",
            "is for steps whose `action` is `receive`",
        ),
        (
            "{stepId: s, workflowId: other, action: send}",
            "not a step that runs a workflow",
        ),
        ("{stepId: s, channelPath: orders}", "says its `action`"),
        (
            "{stepId: s, operationPath: 'paths/~1a/get'}",
            "is not an operation path",
        ),
        (
            "{stepId: s, operationPath: '{$sourceDescriptions.nope.url}#/paths/~1a/get'}",
            "no source description `nope`",
        ),
        (
            "{stepId: s, operationId: op, requestBody: {replacements: [{target: $.a, targetSelectorType: jmespath, value: 1}]}}",
            "not `jmespath`",
        ),
        ("{stepId: s, workflowId: othr}", "no workflow `othr`"),
        (
            "{stepId: first, operationId: op}",
            "duplicate stepId in workflow `w` `first`",
        ),
        (
            "{stepId: s, operationId: op, onFailure: [{name: r, type: goto, stepId: nowhere}]}",
            "workflow `w` has no step `nowhere`",
        ),
        (
            "{stepId: s, operationId: op, onSuccess: [{name: r, type: goto}]}",
            "names a `stepId` or a `workflowId`",
        ),
        (
            "{stepId: s, operationId: op, outputs: {id: '$response.body#id'}}",
            "must start with `/`",
        ),
        (
            "{stepId: s, operationId: op, outputs: {id: constant}}",
            "a runtime expression starts with `$`",
        ),
    ];
    for (step, message) in cases {
        let errs = load_text(&with_step(step)).expect_err(step);
        assert!(
            errs.iter().any(|e| e.contains(message)),
            "{step}: {errs:#?}"
        );
    }
    for fine in [
        "{stepId: s, operationPath: '{$sourceDescriptions.api.url}#/paths/~1a/get'}",
        "{stepId: s, operationPath: '$sourceDescriptions.api#/paths/~1a/get'}",
        "{stepId: s, workflowId: other, parameters: [{name: x, value: 1}]}",
        "{stepId: s, channelPath: orders, action: receive, correlationId: $inputs.id}",
        "{stepId: s, operationId: op, dependsOn: [first, '$workflows.other.steps.only']}",
    ] {
        assert!(
            load_text(&with_step(fine)).is_ok(),
            "{fine}: {:?}",
            load_text(&with_step(fine)).err()
        );
    }
}
