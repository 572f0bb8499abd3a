use std::path::Path;

use serde_json::json;

use crate::openapi::Spec;
use crate::suite::load::from_document;
use crate::suite::{Case, StatusSet, Suite};
use crate::yaml::Document;

const SPEC: &str = r##"openapi: 3.0.3
info: {title: Things, version: "1"}
paths:
  /things:
    get:
      operationId: listThings
      parameters:
        - {name: kind, in: query, schema: {type: string, enum: [A, B]}}
        - {name: page, in: query, schema: {type: integer, x-cds-type: PositiveInteger}}
        - {name: size, in: query, schema: {type: integer, minimum: 1, maximum: 100}}
        - {name: x-v, in: header, required: true, schema: {type: string}}
        - {name: x-note, in: header, schema: {type: string}}
      responses:
        "200": {description: ok}
    post:
      operationId: createThing
      requestBody:
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Thing"}
      responses:
        "201": {description: created}
components:
  schemas:
    Code:
      type: string
      pattern: "^[A-Z]{2}$"
    Thing:
      type: object
      required: [name, code]
      properties:
        name: {type: string, minLength: 1, maxLength: 5}
        code: {allOf: [{$ref: "#/components/schemas/Code"}]}
        tags: {type: array, maxItems: 2, items: {type: string}}
        owner:
          type: object
          required: [id]
          properties:
            id: {type: string}
        choice:
          oneOf: [{type: string}, {type: integer}]
"##;

fn spec() -> Spec {
    Spec::parse("things.yaml", SPEC).unwrap_or_else(|e| panic!("{e:?}"))
}

fn suite(negative: &str) -> Suite {
    let text = format!(
        "api: t\nspec: things.yaml\nvars: {{code: NZ}}\ndefaults:\n  headers: {{x-v: \"2\"}}\nprotocol:\n  negative:\n{negative}cases:\n  - id: c\n    title: T\n    requirements: [R]\n    steps:\n      - request: {{operation: listThings}}\n        expect: {{status: 200}}\n"
    );
    let doc = Document::parse("t.yaml", text).unwrap();
    from_document(Path::new("t.yaml"), doc).unwrap_or_else(|e| panic!("{e:#?}"))
}

const PROBES: &str = "    requirement: Provider rejects invalid input with 400\n    status: 400\n    probes:\n      - request: {operation: listThings, query: {page: 1}}\n        expect: {status: 200}\n      - request:\n          operation: createThing\n          body: {name: abc, code: \"{{code}}\", tags: [x], owner: {id: o-1}}\n        expect: {status: 201}\n";

fn generate(negative: &str) -> (Vec<Case>, Vec<(String, String)>) {
    let s = suite(negative);
    crate::suite::protocol::generate_from_spec(&s.file, &spec())
}

fn ids(cases: &[Case]) -> Vec<&str> {
    cases.iter().map(|c| c.id.as_str()).collect()
}

#[test]
fn every_declared_rule_is_broken_once_in_spec_order() {
    let (cases, problems) = generate(PROBES);
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(
        ids(&cases),
        [
            "negative-listThings-valid",
            "negative-listThings-query-kind-not-in-enum",
            "negative-listThings-query-page-not-integer",
            "negative-listThings-query-page-not-PositiveInteger",
            "negative-listThings-query-size-not-integer",
            "negative-listThings-query-size-below-minimum",
            "negative-listThings-query-size-above-maximum",
            "negative-listThings-header-x-v-missing",
            "negative-createThing-valid",
            "negative-createThing-body-name-missing",
            "negative-createThing-body-name-not-string",
            "negative-createThing-body-name-too-short",
            "negative-createThing-body-name-too-long",
            "negative-createThing-body-code-missing",
            "negative-createThing-body-code-not-string",
            "negative-createThing-body-code-not-matching-pattern",
            "negative-createThing-body-tags-not-array",
            "negative-createThing-body-tags-too-many-items",
            "negative-createThing-body-tags-0-not-string",
            "negative-createThing-body-owner-not-object",
            "negative-createThing-body-owner-id-missing",
            "negative-createThing-body-owner-id-not-string",
        ]
    );
}

#[test]
fn a_case_changes_one_value_and_cites_its_rule() {
    let (cases, _) = generate(PROBES);
    let find = |id: &str| cases.iter().find(|c| c.id == id).unwrap();

    let page = find("negative-listThings-query-page-not-PositiveInteger");
    assert_eq!(
        page.requirements,
        [
            "OpenAPI listThings parameter page: x-cds-type PositiveInteger (CDS Common Field Types)",
            "Provider rejects invalid input with 400"
        ]
    );
    assert_eq!(
        page.title,
        "listThings rejects a request whose query parameter page is not a valid PositiveInteger"
    );
    let step = &page.steps[0];
    assert_eq!(step.request.query["page"].as_ref().unwrap().0, "0");
    let broken = step.expect.negative.as_ref().unwrap();
    assert_eq!(broken.sent, "query parameter page = \"0\"");
    assert_eq!(
        broken.statuses.as_ref().map(StatusSet::codes),
        Some(vec![400])
    );
    assert_eq!(page.origin.as_deref(), Some("/protocol/negative/probes/0"));
    assert_eq!(step.origin.as_deref(), Some("/protocol/negative"));
    assert_eq!(page.tags, ["protocol"]);

    let xv = &find("negative-listThings-header-x-v-missing").steps[0];
    assert!(xv.request.headers["x-v"].is_none(), "removes the default");

    let size = &find("negative-listThings-query-size-above-maximum").steps[0];
    assert_eq!(size.request.query["size"].as_ref().unwrap().0, "101");

    let code = &find("negative-createThing-body-code-not-matching-pattern").steps[0];
    let body = code.request.body.as_ref().unwrap();
    assert_eq!(
        body["code"],
        json!("N0"),
        "built from the suite's var default"
    );
    assert_eq!(body["name"], json!("abc"));

    let name = &find("negative-createThing-body-name-too-long").steps[0];
    assert_eq!(name.request.body.as_ref().unwrap()["name"], json!("abcccc"));
    let owner = &find("negative-createThing-body-owner-id-missing").steps[0];
    assert_eq!(owner.request.body.as_ref().unwrap()["owner"], json!({}));
    let kept = &find("negative-createThing-body-name-missing").steps[0];
    assert_eq!(
        kept.request.body.as_ref().unwrap()["code"],
        json!("{{code}}")
    );

    let valid = find("negative-createThing-valid");
    assert!(valid.steps[0].expect.negative.is_none());
    assert_eq!(
        valid.requirements,
        ["Provider rejects invalid input with 400"]
    );
}

#[test]
fn kinds_and_exclusions_narrow_the_cases() {
    let only = format!(
        "{PROBES}    kinds: [missing]\n    exclude:\n      - {{case: negative-createThing-body-code-missing, reason: optional here}}\n"
    );
    let (cases, problems) = generate(&only);
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(
        ids(&cases),
        [
            "negative-listThings-valid",
            "negative-listThings-header-x-v-missing",
            "negative-createThing-valid",
            "negative-createThing-body-name-missing",
            "negative-createThing-body-code-missing",
            "negative-createThing-body-owner-id-missing",
        ]
    );
    let excluded: Vec<_> = cases.iter().filter(|c| c.excluded.is_some()).collect();
    assert_eq!(excluded.len(), 1);
    assert_eq!(excluded[0].id, "negative-createThing-body-code-missing");
    assert_eq!(excluded[0].excluded.as_deref(), Some("optional here"));
    assert_eq!(
        excluded[0].origin.as_deref(),
        Some("/protocol/negative/exclude/0")
    );
}

#[test]
fn an_exclusion_naming_no_case_is_a_problem() {
    let typo = format!(
        "{PROBES}    exclude:\n      - {{case: negative-listThings-query-kind-not-in-enun, reason: r}}\n"
    );
    let (_, problems) = generate(&typo);
    assert_eq!(
        problems,
        [(
            "/protocol/negative/exclude/0/case".to_owned(),
            "no generated case is named `negative-listThings-query-kind-not-in-enun`; did you mean `negative-listThings-query-kind-not-in-enum`?".to_owned()
        )]
    );
}

#[test]
fn generation_is_the_same_every_time() {
    let render = |cases: Vec<Case>| format!("{cases:?}");
    assert_eq!(render(generate(PROBES).0), render(generate(PROBES).0));
}

/// Negative values of array and object parameters, one spec per style: each generated
/// request is read back the way the style reads and breaks exactly its rule.
mod styled {
    use std::path::Path;

    use crate::openapi::Spec;
    use crate::suite::Case;
    use crate::suite::load::from_document;
    use crate::yaml::Document;

    /// The negative cases of one operation `op` with these parameters, probed with `request`.
    fn cases(params: &str, request: &str) -> Vec<Case> {
        let spec = format!(
            "openapi: 3.0.3\ninfo: {{title: S, version: \"1\"}}\npaths:\n  /s/{{id}}:\n    get:\n      operationId: op\n      parameters:\n        - {{name: id, in: path, required: true, schema: {{type: string}}}}\n{params}      responses:\n        \"200\": {{description: ok}}\n"
        );
        let spec = Spec::parse("s.yaml", &spec).unwrap_or_else(|e| panic!("{e:?}"));
        generated(&spec, request)
    }

    fn generated(spec: &Spec, request: &str) -> Vec<Case> {
        let text = format!(
            "api: s\nspec: s.yaml\nprotocol:\n  negative:\n    requirement: R\n    probes:\n      - request: {request}\n        expect: {{status: 200}}\ncases:\n  - id: c\n    title: T\n    requirements: [R]\n    steps:\n      - request: {{operation: op, path_params: {{id: a}}}}\n        expect: {{status: 200}}\n"
        );
        let doc = Document::parse("t.yaml", text).unwrap();
        let suite = from_document(Path::new("t.yaml"), doc).unwrap_or_else(|e| panic!("{e:#?}"));
        let (cases, problems) = crate::suite::protocol::generate_from_spec(&suite.file, spec);
        assert!(problems.is_empty(), "{problems:?}");
        cases
    }

    /// (case id, what is sent) of every negative case.
    fn sent(cases: &[Case]) -> Vec<(String, String)> {
        cases
            .iter()
            .filter_map(|c| {
                let b = c.steps[0].expect.negative.as_ref()?;
                Some((c.id.clone(), b.sent.clone()))
            })
            .collect()
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
            .collect()
    }

    #[test]
    fn form_exploded_array_is_never_a_wrong_type_for_a_lone_word() {
        let got = cases(
            "        - {name: tags, in: query, schema: {type: array, maxItems: 2, items: {type: string}}}\n        - {name: ids, in: query, schema: {type: array, items: {type: integer, minimum: 1}}}\n",
            "{operation: op, path_params: {id: a}, query: {tags: x, ids: 5}}",
        );
        assert_eq!(
            sent(&got),
            pairs(&[
                (
                    "negative-op-query-ids-0-not-integer",
                    "query parameter ids sent as \"ids=abc\" (style form, explode true)"
                ),
                (
                    "negative-op-query-ids-0-below-minimum",
                    "query parameter ids sent as \"ids=0\" (style form, explode true)"
                ),
            ]),
            "no `not-array` for tags, and too many items cannot be sent by repeating a name"
        );
    }

    #[test]
    fn form_array_not_exploded_joins_items_with_commas() {
        let got = cases(
            "        - {name: ids, in: query, style: form, explode: false, schema: {type: array, maxItems: 2, items: {type: integer}}}\n",
            "{operation: op, path_params: {id: a}, query: {ids: \"1,2\"}}",
        );
        assert_eq!(
            sent(&got),
            pairs(&[
                (
                    "negative-op-query-ids-too-many-items",
                    "query parameter ids sent as \"ids=1,2,2\" (style form, explode false)"
                ),
                (
                    "negative-op-query-ids-0-not-integer",
                    "query parameter ids sent as \"ids=abc,2\" (style form, explode false)"
                ),
            ])
        );
        let step = &got
            .iter()
            .find(|c| c.id.ends_with("not-integer"))
            .unwrap()
            .steps[0];
        assert_eq!(step.request.query["ids"].as_ref().unwrap().0, "abc,2");
    }

    #[test]
    fn space_and_pipe_delimited_arrays() {
        for (style, joined) in [("spaceDelimited", "1 2"), ("pipeDelimited", "1|2")] {
            let got = cases(
                &format!(
                    "        - {{name: ids, in: query, style: {style}, schema: {{type: array, items: {{type: integer}}}}}}\n"
                ),
                &format!("{{operation: op, path_params: {{id: a}}, query: {{ids: \"{joined}\"}}}}"),
            );
            let bad = joined.replacen('1', "abc", 1);
            assert_eq!(
                sent(&got),
                pairs(&[(
                    "negative-op-query-ids-0-not-integer",
                    &format!(
                        "query parameter ids sent as \"ids={bad}\" (style {style}, explode false)"
                    )
                )]),
                "{style}"
            );
        }
    }

    #[test]
    fn deep_object_breaks_one_member() {
        let got = cases(
            "        - {name: color, in: query, style: deepObject, explode: true, schema: {type: object, required: [R], properties: {R: {type: integer, maximum: 255}}}}\n",
            "{operation: op, path_params: {id: a}, query: {\"color[R]\": 100}}",
        );
        assert_eq!(
            sent(&got),
            pairs(&[
                (
                    "negative-op-query-color-R-not-integer",
                    "query parameter color sent as \"color[R]=abc\" (style deepObject, explode true)"
                ),
                (
                    "negative-op-query-color-R-above-maximum",
                    "query parameter color sent as \"color[R]=256\" (style deepObject, explode true)"
                ),
            ])
        );
    }

    #[test]
    fn form_exploded_object_sends_members_as_their_own_names() {
        let got = cases(
            "        - {name: point, in: query, schema: {type: object, properties: {x: {type: integer}}}}\n",
            "{operation: op, path_params: {id: a}, query: {x: 3}}",
        );
        assert_eq!(
            sent(&got),
            pairs(&[(
                "negative-op-query-point-x-not-integer",
                "query parameter point sent as \"x=abc\" (style form, explode true)"
            )])
        );
    }

    #[test]
    fn path_simple_label_and_matrix_arrays() {
        for (style, explode, given, bad) in [
            ("simple", false, "1,2", "abc,2"),
            ("label", false, ".1,2", ".abc,2"),
            ("label", true, ".1.2", ".abc.2"),
            ("matrix", false, ";n=1,2", ";n=abc,2"),
            ("matrix", true, ";n=1;n=2", ";n=abc;n=2"),
        ] {
            let spec = format!(
                "openapi: 3.0.3\ninfo: {{title: S, version: \"1\"}}\npaths:\n  /s/{{n}}:\n    get:\n      operationId: op\n      parameters:\n        - {{name: n, in: path, required: true, style: {style}, explode: {explode}, schema: {{type: array, items: {{type: integer}}}}}}\n      responses:\n        \"200\": {{description: ok}}\n"
            );
            let spec = Spec::parse("s.yaml", &spec).unwrap_or_else(|e| panic!("{e:?}"));
            let got = generated(
                &spec,
                &format!("{{operation: op, path_params: {{n: \"{given}\"}}}}"),
            );
            assert_eq!(
                sent(&got),
                pairs(&[(
                    "negative-op-path-n-0-not-integer",
                    &format!(
                        "path parameter n sent as \"{bad}\" (style {style}, explode {explode})"
                    )
                )]),
                "{style} {explode}"
            );
        }
    }

    #[test]
    fn header_array_and_cookie_values() {
        let got = cases(
            "        - {name: x-ids, in: header, schema: {type: array, items: {type: integer}}}\n        - {name: session, in: cookie, required: true, schema: {type: string, minLength: 3}}\n",
            "{operation: op, path_params: {id: a}, headers: {x-ids: \"1,2\", cookie: \"session=abcd; other=1\"}}",
        );
        assert_eq!(
            sent(&got),
            pairs(&[
                (
                    "negative-op-header-x-ids-0-not-integer",
                    "header parameter x-ids sent as \"abc,2\" (style simple, explode false)"
                ),
                (
                    "negative-op-cookie-session-missing",
                    "cookie parameter session left out"
                ),
                (
                    "negative-op-cookie-session-too-short",
                    "cookie parameter session sent as \"session=ab\" (style form, explode true)"
                ),
            ])
        );
        let short = got.iter().find(|c| c.id.ends_with("too-short")).unwrap();
        assert_eq!(
            short.steps[0].request.headers["cookie"].as_ref().unwrap().0,
            "other=1; session=ab"
        );
    }

    #[test]
    fn swagger_collection_formats() {
        for (format, given, bad) in [
            ("csv", "1,2", "ids=abc,2"),
            ("ssv", "1 2", "ids=abc 2"),
            ("tsv", "1\t2", "ids=abc\t2"),
            ("pipes", "1|2", "ids=abc|2"),
            ("multi", "1", "ids=abc"),
        ] {
            let text = format!(
                "swagger: \"2.0\"\ninfo: {{title: S, version: \"1\"}}\npaths:\n  /s:\n    get:\n      operationId: op\n      parameters:\n        - {{name: ids, in: query, type: array, collectionFormat: {format}, items: {{type: integer}}}}\n      responses:\n        \"200\": {{description: ok}}\n"
            );
            let spec = Spec::parse("s.yaml", &text).unwrap_or_else(|e| panic!("{e:?}"));
            let got = generated(
                &spec,
                &format!("{{operation: op, query: {{ids: {:?}}}}}", given),
            );
            let found = sent(&got);
            assert_eq!(found.len(), 1, "{format}: {found:?}");
            assert_eq!(
                found[0].0, "negative-op-query-ids-0-not-integer",
                "{format}"
            );
            assert!(
                found[0].1.contains(&format!("{bad:?}")),
                "{format}: {}",
                found[0].1
            );
        }
    }
}

#[test]
fn only_inputs_the_sources_say_are_refused_fail_when_accepted() {
    let refused = format!(
        "{PROBES}    refused:\n      - {{input: query size, source: \"Provider 3.1: size outside 1 to 100 is refused\"}}\n      - {{input: header X-V, source: \"Provider 2: x-v is mandatory\"}}\n      - {{input: /owner/id, source: \"Provider 4: owner ids are checked\"}}\n"
    );
    let (cases, problems) = generate(&refused);
    assert!(problems.is_empty(), "{problems:?}");
    let level = |id: &str| {
        let c = cases
            .iter()
            .find(|c| c.id == id)
            .unwrap_or_else(|| panic!("{id}"));
        let b = c.steps[0].expect.negative.clone().unwrap();
        (b.level, b.level_reason)
    };
    use crate::finding::Severity;
    let (l, why) = level("negative-listThings-query-size-above-maximum");
    assert_eq!(l, Severity::Error);
    assert_eq!(
        why,
        "the sources say the service refuses a broken query size: Provider 3.1: size outside 1 to 100 is refused"
    );
    assert_eq!(
        level("negative-listThings-header-x-v-missing").0,
        Severity::Error
    );
    assert_eq!(
        level("negative-createThing-body-owner-id-not-string").0,
        Severity::Error
    );
    let (l, why) = level("negative-listThings-query-kind-not-in-enum");
    assert_eq!(l, Severity::Warning);
    assert!(
        why.starts_with("no source says the service must refuse a broken query kind"),
        "{why}"
    );
    assert_eq!(
        level("negative-createThing-body-name-too-long").0,
        Severity::Warning
    );
    // `level` grades the inputs `refused` does not name; without either, the requirement
    // says every broken input is refused.
    let levels = |negative: &str| -> Vec<(Severity, String)> {
        generate(negative)
            .0
            .iter()
            .filter_map(|c| c.steps[0].expect.negative.clone())
            .map(|b| (b.level, b.level_reason))
            .collect()
    };
    let all = levels(PROBES);
    assert!(all.iter().all(|(l, why)| *l == Severity::Error
        && why == "protocol.negative says every broken input is refused: Provider rejects invalid input with 400"));
    let all = levels(&format!("{refused}    level: failure\n"));
    assert!(all.iter().all(|(l, _)| *l == Severity::Error));
    let all = levels(&format!("{PROBES}    level: warning\n"));
    assert!(all.iter().all(|(l, why)| *l == Severity::Warning
        && why.ends_with(
            "(protocol.negative is `level: warning`), so accepting it is lenient, not broken"
        )));
}

#[test]
fn a_refused_input_may_name_the_codes_its_refusal_carries() {
    let negative = format!(
        "{PROBES}    error: BAD\n    refused:\n      - {{input: /owner/id, source: s, error: [BAD, NO_OWNER]}}\n      - {{input: query size, source: s}}\n"
    );
    let (cases, problems) = generate(&negative);
    assert!(problems.is_empty(), "{problems:?}");
    let codes = |id: &str| {
        let c = cases
            .iter()
            .find(|c| c.id == id)
            .unwrap_or_else(|| panic!("{id}"));
        c.steps[0]
            .expect
            .error
            .clone()
            .map(|e| e.0)
            .unwrap_or_default()
    };
    assert_eq!(
        codes("negative-createThing-body-owner-id-not-string"),
        ["BAD", "NO_OWNER"]
    );
    assert_eq!(
        codes("negative-listThings-query-size-above-maximum"),
        ["BAD"]
    );
    assert_eq!(codes("negative-createThing-body-name-too-long"), ["BAD"]);
}

#[test]
fn a_refused_input_no_probe_has_is_a_problem() {
    let refused = format!(
        "{PROBES}    refused:\n      - {{input: query sise, source: s}}\n      - {{input: /owner/name, source: s}}\n"
    );
    let (_, problems) = generate(&refused);
    assert_eq!(
        problems,
        [
            (
                "/protocol/negative/refused/0/input".to_owned(),
                "no probe has an input `query sise`; did you mean `query size`?".to_owned()
            ),
            (
                "/protocol/negative/refused/1/input".to_owned(),
                "no probe has an input `/owner/name`".to_owned()
            ),
        ]
    );
}

/// A probe whose id is captured by `setup` steps: every case sends them first; a case that
/// breaks the path parameter takes 404 as its rejection and is never skipped for it, while the
/// others skip on the statuses the probe names.
#[test]
fn setup_steps_lead_every_case_and_a_broken_path_parameter_may_get_404() {
    let spec = Spec::parse(
        "s.yaml",
        "openapi: 3.0.3\ninfo: {title: S, version: \"1\"}\npaths:\n  /s:\n    get:\n      operationId: list\n      responses:\n        \"200\": {description: ok}\n  /s/{id}:\n    get:\n      operationId: one\n      parameters:\n        - {name: id, in: path, required: true, schema: {type: string, maxLength: 8}}\n        - {name: n, in: query, schema: {type: integer, maximum: 9}}\n      responses:\n        \"200\": {description: ok}\n",
    )
    .unwrap_or_else(|e| panic!("{e:?}"));
    let text = "api: s\nspec: s.yaml\nprotocol:\n  negative:\n    requirement: R\n    status: [400]\n    probes:\n      - setup:\n          - request: {operation: list}\n            capture: {sid: {body: /0/id, skip_if_missing: true}}\n        request: {operation: one, path_params: {id: \"{{sid}}\"}}\n        skip_if_status: [404]\ncases:\n  - id: c\n    title: T\n    requirements: [R]\n    steps:\n      - request: {operation: list}\n        expect: {status: 200}\n";
    let doc = Document::parse("t.yaml", text.to_owned()).unwrap();
    let suite = from_document(Path::new("t.yaml"), doc).unwrap_or_else(|e| panic!("{e:#?}"));
    let (cases, problems) = crate::suite::protocol::generate_from_spec(&suite.file, &spec);
    assert!(problems.is_empty(), "{problems:?}");
    let case = |id: &str| {
        cases
            .iter()
            .find(|c| c.id == id)
            .unwrap_or_else(|| panic!("{id} in {:?}", ids(&cases)))
    };
    for c in &cases {
        assert_eq!(c.steps.len(), 2, "{}", c.id);
        assert_eq!(c.steps[0].request.operation.as_deref(), Some("list"));
        assert!(c.steps[0].capture.contains_key("sid"), "{}", c.id);
    }
    let path = case("negative-one-path-id-too-long");
    let last = &path.steps[1];
    assert!(last.skip_if_status.is_empty());
    let broken = last.expect.negative.as_ref().unwrap();
    assert_eq!(
        broken.statuses.as_ref().map(StatusSet::codes),
        Some(vec![400, 404])
    );
    let query = case("negative-one-query-n-above-maximum");
    let last = &query.steps[1];
    assert_eq!(last.skip_if_status, [404]);
    let broken = last.expect.negative.as_ref().unwrap();
    assert_eq!(
        broken.statuses.as_ref().map(StatusSet::codes),
        Some(vec![400])
    );
}
