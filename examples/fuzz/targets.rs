//! One fuzz target per input format accord reads from its users: OpenAPI and Swagger
//! documents, suites, profiles, waivers, results.json (as a baseline, for merge, for replay,
//! and as `verify` digests it) and report manifests. Each [`Target`] has seeds (real inputs of
//! its format), a dictionary of the format's words, and a `run` that feeds one input through
//! the loader and what follows it, returning a short label of the outcome (used to keep inputs
//! that reach a new outcome in the corpus). A panic in `run` is a bug.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use accord::openapi::{SchemaRef, Spec};
use accord::yaml::Document;

/// One input format.
pub struct Target {
    pub name: &'static str,
    pub seeds: &'static [&'static str],
    pub dictionary: &'static [&'static str],
    pub run: fn(&str) -> String,
}

/// Every target, in the order `fuzz all` runs them.
pub const TARGETS: &[Target] = &[
    Target {
        name: "openapi",
        seeds: &[
            include_str!("../../tests/fixtures/specs/good/oas31.yaml"),
            include_str!("../../tests/fixtures/hostile/spec.yaml"),
            include_str!("../../tests/fixtures/transport/spec.yaml"),
            include_str!("../../tests/fixtures/specs/swagger/gateway.yaml"),
            include_str!("../../tests/fixtures/specs/cds-constructs.yaml"),
            include_str!("../../tests/fixtures/specs/bad/ref-cycle.yaml"),
            include_str!("../../tests/fixtures/lint/broken-spec/spec.yaml"),
        ],
        dictionary: &[
            "openapi: 3.0.3",
            "openapi: 3.1.0",
            "swagger: '2.0'",
            "paths:",
            "components:",
            "schemas:",
            "responses:",
            "parameters:",
            "$ref: ",
            "'#/components/schemas/A'",
            "#/definitions/",
            "type: object",
            "type: [string, 'null']",
            "nullable: true",
            "allOf:",
            "oneOf:",
            "anyOf:",
            "not:",
            "items:",
            "properties:",
            "required:",
            "additionalProperties: false",
            "enum:",
            "pattern: '(a+)+$'",
            "pattern: '['",
            "format: date-time",
            "exclusiveMinimum: true",
            "minimum: 1",
            "maxLength: -1",
            "x-cds-type: AmountString",
            "discriminator:",
            "in: query",
            "in: path",
            "in: header",
            "schema:",
            "content:",
            "application/json",
            "'200':",
            "4XX",
            "default:",
            "servers:",
            "url: /cds-au/v1",
            "basePath: /v1",
            "produces:",
            "collectionFormat: csv",
            "headers:",
            "{accountId}",
            "operationId: x",
            "get:",
            "post:",
            "$schema:",
            "$id: x",
            "$anchor: a",
            "$dynamicRef: '#a'",
            "const: 1",
            "other.yaml#/A",
        ],
        run: openapi,
    },
    Target {
        name: "suite",
        seeds: &[
            include_str!("../../tests/fixtures/transport/suite.yaml"),
            include_str!("../../tests/fixtures/hostile/suite.yaml"),
            include_str!("../../tests/fixtures/browser/suite.yaml"),
            include_str!("../../tests/fixtures/destructive.yaml"),
            include_str!("../../tests/fixtures/lint/bad-suite.yaml"),
        ],
        dictionary: &[
            "api: cdr",
            "spec: ../specs/x.yaml",
            "vars:",
            "requires:",
            "cases:",
            "- id: a",
            "title: t",
            "steps:",
            "request:",
            "method: GET",
            "path: /x",
            "operation: listAccounts",
            "query:",
            "headers:",
            "body:",
            "expect:",
            "status: 200",
            "status: [200, 404]",
            "capture:",
            "walk:",
            "next: /links/next",
            "items: /data/accounts",
            "max_pages: 0",
            "snapshot:",
            "json:",
            "waive:",
            "check: response-schema",
            "reason: r",
            "destructive: true",
            "requirements:",
            "protocol:",
            "negative:",
            "{{token}}",
            "{{ page }}",
            "{{undefined}}",
            "$.data",
            "/data/0/id",
            "x-v: '2'",
            "error:",
        ],
        run: suite,
    },
    Target {
        name: "profile",
        seeds: &[include_str!("../../tests/fixtures/fuzz/seeds/profile.toml")],
        dictionary: &[
            "[targets.cdr]",
            "[targets.cdr.vars]",
            "[targets.cdr.secrets]",
            "[[targets]]",
            "base_url = ",
            "\"http://[::1]:0/\"",
            "\"ftp://x\"",
            "timeout_secs = ",
            "concurrency = 0",
            "rate_limit = -1",
            "budget = ",
            "retries = 99",
            "deadline_secs = ",
            "= { env = \"X\" }",
            "= { file = \"/dev/null\" }",
            "inf",
            "nan",
            "allow_destructive = true",
            "client_auth = \"basic\"",
            "into = \"a b\"",
            "\"\"\"",
            "'''",
            "=",
            "[",
            "]]",
            "\\u00e9",
            "1979-05-27T07:32:00Z",
        ],
        run: profile,
    },
    Target {
        name: "waivers",
        seeds: &[include_str!("../../tests/fixtures/fuzz/seeds/waivers.yaml")],
        dictionary: &[
            "waivers:",
            "- case: ",
            "cdr::accounts::list-accounts",
            "check: ",
            "response-schema",
            "reason: ",
            "owner: ",
            "expires: ",
            "2026-02-30",
            "9999-12-31",
            "0000-00-00",
            "2026-1-1",
            "expires: 2026-12-31T00:00:00Z",
        ],
        run: waivers,
    },
    Target {
        name: "results",
        seeds: &[
            include_str!("../../tests/fixtures/fuzz/seeds/results.json"),
            include_str!("../../tests/fixtures/fuzz/seeds/reports/results.json"),
        ],
        dictionary: RESULT_WORDS,
        run: results,
    },
    Target {
        name: "manifest",
        seeds: &[include_str!(
            "../../tests/fixtures/fuzz/seeds/manifest.json"
        )],
        dictionary: &[
            "\"files\"",
            "\"path\"",
            "\"sha256\"",
            "\"bytes\"",
            "\"results\"",
            "\"fields\"",
            "\"cases\"",
            "\"inputs\"",
            "\"../etc/passwd\"",
            "\"/abs\"",
            "\"a\\\\..\\\\b\"",
            "\"results.json\"",
            "\"junit.xml\"",
            "\"\"",
            "\"format\"",
            "\"signature\"",
        ],
        run: manifest,
    },
];

const RESULT_WORDS: &[&str] = &[
    "\"format\"",
    "\"cases\"",
    "\"outcome\"",
    "\"failed\"",
    "\"errored\"",
    "\"waived\"",
    "\"skipped\"",
    "\"exchanges\"",
    "\"findings\"",
    "\"errors\"",
    "\"page\"",
    "\"step\"",
    "\"pointer\"",
    "\"digest\"",
    "\"body_bytes\"",
    "\"partition\"",
    "\"selection\"",
    "\"index\"",
    "\"count\"",
    "\"baseline\"",
    "\"totals\"",
    "\"coverage\"",
    "\"kind\"",
    "\"timeout\"",
    "\"deadline\"",
    "\"severity\"",
    "\"warning\"",
    "\"response\"",
    "\"status\"",
    "\"json\"",
    "\"name\"",
    "\"cdr::accounts::list-accounts\"",
    "null",
    "[]",
    "{}",
];

/// The outcome of a load as a label: `ok`, or the first problem's message with the values in
/// backticks and the numbers taken out, so inputs that fail the same way share a label.
fn label<T, E: ToString>(r: &Result<T, Vec<E>>) -> String {
    match r {
        Ok(_) => "ok".into(),
        Err(es) => es.first().map_or("err".into(), |e| shape(&e.to_string())),
    }
}

fn shape(message: &str) -> String {
    let mut out = String::new();
    let mut quoted = false;
    for c in message.chars() {
        if c == '`' {
            quoted = !quoted;
        } else if !quoted && !c.is_ascii_digit() {
            out.push(c);
        }
    }
    out.chars().take(120).collect()
}

fn openapi(text: &str) -> String {
    let file = if text.trim_start().starts_with('{') {
        "fuzz.json"
    } else {
        "fuzz.yaml"
    };
    let spec = Spec::parse(file, text);
    if let Ok(spec) = &spec {
        let probes = [
            serde_json::json!({}),
            serde_json::json!([1, "a", null]),
            serde_json::json!({"data": {"accounts": [{"accountId": "x"}]}, "links": {}}),
        ];
        for i in 0..spec.schema_count().min(64) {
            for p in &probes {
                let _ = spec.validate(SchemaRef(i), p);
            }
            let _ = spec.validate_header(SchemaRef(i), "12.50");
        }
        for op in spec.operations.iter().take(16) {
            let _ = spec.match_path(&op.method, &format!("{}{}", spec.base_path, op.path));
        }
    }
    label(&spec)
}

fn suite(text: &str) -> String {
    let loaded = Document::parse("suites/fuzz.yaml", text)
        .and_then(|doc| accord::suite::load::from_document(Path::new("suites/fuzz.yaml"), doc));
    label(&loaded)
}

fn profile(text: &str) -> String {
    label(&accord::profile::Profile::parse("fuzz.toml", text))
}

fn waivers(text: &str) -> String {
    let known: HashSet<String> = [
        "cdr::accounts::list-accounts",
        "cdr::accounts::pagination-walk-default",
    ]
    .into_iter()
    .map(str::to_owned)
    .collect();
    let loaded = Document::parse("waivers.yaml", text)
        .and_then(|doc| accord::run::waivers::parse(&doc, &known));
    label(&loaded)
}

/// The cdr suites, loaded once, to replay recordings against.
fn plan() -> &'static accord::plan::Plan {
    static PLAN: OnceLock<accord::plan::Plan> = OnceLock::new();
    PLAN.get_or_init(|| {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("suites/cdr");
        accord::plan::load(&[dir]).expect("the shipped cdr suites load")
    })
}

fn results(text: &str) -> String {
    let _ = accord::seal::digest_results("results.json", text);
    let summary = match accord::run::json::parse(text) {
        Ok(s) => s,
        Err(e) => return shape(&e.to_string()),
    };
    let plan = plan();
    let known = accord::partition::all_names(plan);
    let mut compared = summary.clone();
    accord::run::baseline::compare(
        &mut compared,
        &summary,
        "baseline.json",
        &known,
        accord::run::baseline::FailOn::New,
    );
    let merged = accord::run::merge::merge(vec![
        ("a.json".into(), summary.clone()),
        ("b.json".into(), compared),
    ]);
    let vars = HashMap::new();
    let opts = accord::exec::RunOptions::default();
    let replayed = accord::replay::run(plan, &summary, &vars, &opts, |_| {});
    let _ = accord::run::json::render(&replayed);
    format!(
        "parsed/{}/{}",
        merged.map_or_else(
            |e| e.first().map_or("err".into(), |m| shape(m)),
            |_| "merged".into()
        ),
        replayed.totals.errored.min(3)
    )
}

/// A directory of this thread's own holding the seed reports, for `verify` to read.
fn report_dir() -> PathBuf {
    thread_local! {
        static DIR: PathBuf = {
            let dir = std::env::temp_dir().join(format!(
                "accord-fuzz-manifest-{}-{:?}",
                std::process::id(),
                std::thread::current().id()
            ));
            std::fs::create_dir_all(&dir).expect("a scratch directory");
            for (name, text) in [
                ("results.json", include_str!("../../tests/fixtures/fuzz/seeds/reports/results.json")),
                ("junit.xml", include_str!("../../tests/fixtures/fuzz/seeds/reports/junit.xml")),
            ] {
                std::fs::write(dir.join(name), text).expect("a seed report");
            }
            dir
        };
    }
    DIR.with(Clone::clone)
}

fn manifest(text: &str) -> String {
    let dir = report_dir();
    if std::fs::write(dir.join("manifest.json"), text).is_err() {
        return "unwritable".into();
    }
    let opts = accord::seal::verify::Options {
        public_key: None,
        require_signature: false,
    };
    match accord::seal::verify::verify(&dir, &opts) {
        Ok(v) => {
            let _ = v.render();
            format!("holds:{}", v.holds())
        }
        Err(e) => shape(&e),
    }
}
