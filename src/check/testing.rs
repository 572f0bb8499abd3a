//! A small fixture for check tests: one spec operation, one suite step, hand-built responses.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use super::{CHECKS, Output, StepContext};
use crate::exchange::{Exchange, RecordedRequest, RecordedResponse};
use crate::finding::Finding;
use crate::openapi::Spec;
use crate::suite::Suite;
use crate::template::Vars;
use crate::yaml::Document;

const SPEC: &str = r#"openapi: 3.0.3
info: {title: Things, version: "1"}
servers: [{url: "https://api.example/v1"}]
paths:
  /things:
    get:
      operationId: listThings
      responses:
        "200":
          description: ok
          headers:
            x-v: {required: true, schema: {type: integer}}
          content:
            application/json:
              schema:
                type: object
                required: [n]
                properties: {n: {type: integer}}
        "400":
          description: bad
          content:
            application/json:
              schema: {type: object}
        5XX:
          description: server trouble
"#;

fn spec() -> &'static Spec {
    static SPEC_ONCE: OnceLock<Spec> = OnceLock::new();
    SPEC_ONCE.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("accord-check-fixture-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("things.yaml");
        std::fs::write(&path, SPEC).unwrap();
        Spec::load(&path).unwrap_or_else(|e| panic!("fixture spec: {e:?}"))
    })
}

pub struct Fixture {
    suite: Suite,
    snapshots: HashMap<PathBuf, String>,
    query: String,
    protocol: Option<crate::suite::protocol::Protocol>,
    request_headers: Vec<(String, String)>,
    step_pointer: String,
    request_body: Option<String>,
    /// A spec of the test's own in place of the shared one; it must have `listThings`.
    own_spec: Option<Spec>,
}

impl Fixture {
    /// A suite with one case `c` whose only step has the given `expect:` block (YAML).
    pub fn new(expect_yaml: &str) -> Fixture {
        let indented: String = expect_yaml
            .lines()
            .map(|l| format!("        {l}\n"))
            .collect();
        let text = format!(
            "api: t\nspec: things.yaml\nerrors:\n  codes: [/errors/*/code, /errors/*/meta/urn]\ncases:\n  - id: c\n    title: T\n    requirements: [R-1]\n    steps:\n      - request: {{operation: listThings}}\n{indented}"
        );
        let doc = Document::parse("t.yaml", text).unwrap();
        let suite = crate::suite::load::from_document(Path::new("t.yaml"), doc)
            .unwrap_or_else(|e| panic!("{e:#?}"));
        Fixture {
            suite,
            snapshots: HashMap::new(),
            query: String::new(),
            protocol: None,
            request_headers: vec![("x-fapi-interaction-id".into(), "sent-id".into())],
            step_pointer: "/cases/0/steps/0".into(),
            request_body: None,
            own_spec: None,
        }
    }

    /// Replaces the shared spec with this one (YAML text with an operation `listThings`).
    pub fn with_spec(mut self, yaml: &str) -> Fixture {
        let spec = Spec::parse("own.yaml", yaml).unwrap_or_else(|e| panic!("fixture spec: {e:?}"));
        self.own_spec = Some(spec);
        self
    }

    /// Sets the body the recorded request carried.
    pub fn with_request_body(mut self, body: &str) -> Fixture {
        self.request_body = Some(body.to_owned());
        self
    }

    /// Marks the step as a generated negative request breaking `rule`, rejected with one of
    /// `statuses` (any 4xx when empty).
    pub fn with_negative(mut self, rule: &str, sent: &str, statuses: &[u16]) -> Fixture {
        self.suite.file.cases[0].steps[0].expect.negative =
            Some(crate::suite::protocol::negative::Broken {
                rule: rule.to_owned(),
                sent: sent.to_owned(),
                input: "query n".to_owned(),
                statuses: (!statuses.is_empty()).then(|| crate::suite::StatusSet::exact(statuses)),
                level: crate::finding::Severity::Error,
                level_reason: "the sources say n is refused".to_owned(),
            });
        self
    }

    /// Names the input the generated negative request broke (`header x-v`, `/IRD`).
    pub fn broken_input(mut self, input: &str) -> Fixture {
        if let Some(b) = self.suite.file.cases[0].steps[0].expect.negative.as_mut() {
            input.clone_into(&mut b.input);
        }
        self
    }

    /// Makes the generated negative request one whose input no source says is refused.
    pub fn lenient(mut self, why: &str) -> Fixture {
        if let Some(b) = self.suite.file.cases[0].steps[0].expect.negative.as_mut() {
            b.level = crate::finding::Severity::Warning;
            why.clone_into(&mut b.level_reason);
        }
        self
    }

    /// Adds protocol rules, written as the YAML of a suite's `protocol:` section.
    pub fn with_protocol(mut self, yaml: &str) -> Fixture {
        let doc = Document::parse("p.yaml", yaml.to_owned()).unwrap();
        self.protocol = Some(serde_json::from_value(doc.value).unwrap_or_else(|e| panic!("{e}")));
        self
    }

    /// Replaces the headers the recorded request carried.
    pub fn with_request_headers(mut self, headers: &[(&str, &str)]) -> Fixture {
        self.request_headers = headers
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect();
        self
    }

    /// Makes the step one generated from the declaration at `pointer`.
    pub fn with_step_pointer(mut self, pointer: &str) -> Fixture {
        self.step_pointer = pointer.to_owned();
        self
    }

    /// Like [`Fixture::new`], with the request sent to `/things` plus this query string.
    pub fn at(expect_yaml: &str, query: &str) -> Fixture {
        Fixture {
            query: query.to_owned(),
            ..Fixture::new(expect_yaml)
        }
    }

    pub fn store_snapshot(&mut self, file: &str, content: &str) {
        self.snapshots
            .insert(self.suite.snapshot_dir.join(file), content.to_owned());
    }

    /// Everything the checks produce for this response.
    pub fn output_of(&self, status: u16, headers: &[(&str, &str)], body: &str) -> Output {
        self.output(status, headers, body)
    }

    fn output(&self, status: u16, headers: &[(&str, &str)], body: &str) -> Output {
        let mut exchange = Exchange {
            step: 0,
            page: None,
            pages_to: None,
            link: None,
            operation: Some("listThings".into()),
            request: RecordedRequest {
                method: "GET".into(),
                url: format!("https://api.example/v1/things{}", self.query),
                headers: self.request_headers.clone(),
                body: self.request_body.clone(),
            },
            response: Some(RecordedResponse {
                status,
                headers: headers
                    .iter()
                    .map(|(n, v)| (n.to_string(), v.to_string()))
                    .collect(),
                body: body.into(),
                body_bytes: body.len(),
                body_note: None,
                digest: None,
                json: serde_json::from_str(body).ok(),
            }),
            duration_ms: 1,
            curl: String::new(),
            attempts: 1,
            retried: Vec::new(),
        };
        let case = &self.suite.file.cases[0];
        let vars = Vars::default();
        let spec = self.own_spec.as_ref().unwrap_or_else(|| spec());
        let response = exchange.response.as_mut().unwrap();
        let mut json = response.json.take();
        let violations = json.as_mut().and_then(|json| {
            super::body_violations(spec, spec.operation("listThings"), response, json, &[])
        });
        response.json = json;
        let cx = StepContext {
            step: 0,
            exchange: &exchange,
            response: exchange.response.as_ref().unwrap(),
            spec,
            operation: spec.operation("listThings"),
            suite: &self.suite,
            case_id: &case.id,
            requirements: &case.requirements,
            expect: &case.steps[0].expect,
            step_at: self.step_pointer.clone(),
            expect_at: format!("{}/expect", self.step_pointer),
            protocol: self.protocol.as_ref(),
            vars: &vars,
            snapshots: &self.snapshots,
            body_violations: violations.as_deref(),
        };
        super::run_all(&cx, &[])
    }

    fn lines(&self, auto: bool, status: u16, headers: &[(&str, &str)], body: &str) -> Vec<String> {
        self.output(status, headers, body)
            .findings
            .into_iter()
            .filter(|f| {
                CHECKS
                    .iter()
                    .any(|c| c.id() == f.check && c.automatic() == auto)
            })
            .map(|f| format!("[{}] {}: {}", f.check, f.at, f.message))
            .collect()
    }

    /// Findings of expectation checks, one line each.
    pub fn run(&self, status: u16, headers: &[(&str, &str)], body: &str) -> Vec<String> {
        self.lines(false, status, headers, body)
    }

    /// Findings of automatic checks, one line each.
    pub fn run_auto(&self, status: u16, headers: &[(&str, &str)], body: &str) -> Vec<String> {
        self.lines(true, status, headers, body)
    }

    /// Every finding of expectation checks, whole.
    pub fn run_full(&self, status: u16, headers: &[(&str, &str)], body: &str) -> Vec<Finding> {
        self.full(false, status, headers, body)
    }

    /// Every finding of automatic checks, whole.
    pub fn run_full_auto(&self, status: u16, headers: &[(&str, &str)], body: &str) -> Vec<Finding> {
        self.full(true, status, headers, body)
    }

    fn full(&self, auto: bool, status: u16, headers: &[(&str, &str)], body: &str) -> Vec<Finding> {
        self.output(status, headers, body)
            .findings
            .into_iter()
            .filter(|f| {
                CHECKS
                    .iter()
                    .any(|c| c.id() == f.check && c.automatic() == auto)
            })
            .collect()
    }

    /// Every finding of every check, whole.
    pub fn findings(&self, status: u16, headers: &[(&str, &str)], body: &str) -> Vec<Finding> {
        self.output(status, headers, body).findings
    }
}
