//! The user documentation held to the code: README stays a front page, every relative link in
//! README and docs/ resolves, the suite format's key reference is the suite schema key for key,
//! every suite example loads, the fault tables are the mocks' switches, and README's "your own
//! API" walkthrough runs as written.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// README.md and every page under docs/, as paths relative to the repository.
fn pages() -> Vec<String> {
    let mut out = vec!["README.md".to_owned()];
    let mut docs: Vec<String> = std::fs::read_dir(root().join("docs"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".md"))
        .map(|n| format!("docs/{n}"))
        .collect();
    docs.sort();
    out.extend(docs);
    out
}

/// A fenced code block: its info string, the line of its first content line, and its text.
struct Block {
    lang: String,
    line: usize,
    text: String,
}

fn code_blocks(page: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut open: Option<Block> = None;
    for (i, line) in page.lines().enumerate() {
        match (&mut open, line.strip_prefix("```")) {
            (None, Some(info)) => {
                open = Some(Block {
                    lang: info.trim().to_owned(),
                    line: i + 2,
                    text: String::new(),
                })
            }
            (Some(_), Some(_)) => out.extend(open.take()),
            (Some(b), None) => {
                b.text.push_str(line);
                b.text.push('\n');
            }
            (None, None) => {}
        }
    }
    out
}

/// The lines of a page outside fenced code blocks, with their 1-based numbers.
fn prose_lines(page: &str) -> Vec<(usize, &str)> {
    let mut fenced = false;
    let mut out = Vec::new();
    for (i, line) in page.lines().enumerate() {
        if line.starts_with("```") {
            fenced = !fenced;
        } else if !fenced {
            out.push((i + 1, line));
        }
    }
    out
}

#[test]
fn readme_is_a_front_page() {
    let lines = read("README.md").lines().count();
    assert!(
        lines <= 300,
        "README.md has {lines} lines; keep it to 300 and move detail to docs/"
    );
}

// ---- links ----

/// GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens.
fn slug(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

/// Every anchor a page's headings define, numbered as GitHub numbers repeated ones.
fn anchors(page: &str) -> BTreeSet<String> {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut out = BTreeSet::new();
    for (_, line) in prose_lines(page) {
        let Some(text) = line.strip_prefix('#').map(|t| t.trim_start_matches('#')) else {
            continue;
        };
        if !text.starts_with(' ') {
            continue;
        }
        let base = slug(text);
        let n = seen.entry(base.clone()).or_insert(0);
        out.insert(if *n == 0 {
            base.clone()
        } else {
            format!("{base}-{n}")
        });
        *n += 1;
    }
    out
}

/// The targets of the inline links `[text](target)` of a line, code spans left out.
fn link_targets(line: &str) -> Vec<String> {
    let mut text = String::new();
    for (i, part) in line.split('`').enumerate() {
        if i % 2 == 0 {
            text.push_str(part);
        }
    }
    let mut out = Vec::new();
    let mut rest = text.as_str();
    while let Some(at) = rest.find("](") {
        let after = &rest[at + 2..];
        let Some(end) = after.find(')') else { break };
        out.push(after[..end].to_owned());
        rest = &after[end..];
    }
    out
}

/// Broken relative links of one page (`rel`, holding `text`), each described with its line.
fn broken_links(rel: &str, text: &str) -> Vec<String> {
    let dir = Path::new(rel).parent().unwrap_or(Path::new(""));
    let mut out = Vec::new();
    for (n, line) in prose_lines(text) {
        for target in link_targets(line) {
            if target.contains("://") || target.starts_with("mailto:") {
                continue;
            }
            let (file, anchor) = match target.split_once('#') {
                Some((f, a)) => (f, Some(a)),
                None => (target.as_str(), None),
            };
            let path: PathBuf = if file.is_empty() {
                PathBuf::from(rel)
            } else {
                dir.join(file)
            };
            let full = root().join(&path);
            if !file.is_empty() && !full.exists() {
                out.push(format!(
                    "{rel}:{n}: `{target}`: {} does not exist",
                    path.display()
                ));
                continue;
            }
            if let Some(anchor) = anchor {
                let page = if file.is_empty() {
                    text.to_owned()
                } else {
                    std::fs::read_to_string(&full).unwrap_or_default()
                };
                if !anchors(&page).contains(anchor) {
                    out.push(format!(
                        "{rel}:{n}: `{target}`: {} has no heading #{anchor}",
                        path.display()
                    ));
                }
            }
        }
    }
    out
}

#[test]
fn every_relative_link_resolves() {
    let broken: Vec<String> = pages()
        .iter()
        .flat_map(|rel| broken_links(rel, &read(rel)))
        .collect();
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

#[test]
fn a_link_to_a_missing_page_or_heading_is_caught() {
    let text = "See [a](suite-format.md#key-reference), [b](nowhere.md), [c](cli.md#no-such),\n\
                [d](#local), `[e](ignored.md)` and [f](https://example.com/x).\n\n## Local\n";
    let broken = broken_links("docs/example.md", text);
    assert_eq!(broken.len(), 2, "{broken:?}");
    assert!(
        broken[0].contains("docs/nowhere.md does not exist"),
        "{broken:?}"
    );
    assert!(broken[1].contains("has no heading #no-such"), "{broken:?}");
}

// ---- the suite format's key reference ----

/// Follows `$ref`s from the node at `ptr` to the node that defines something.
fn deref(schema: &Value, mut ptr: String) -> (String, &Value) {
    loop {
        let node = schema
            .pointer(&ptr)
            .unwrap_or_else(|| panic!("the schema has no node at {ptr}"));
        match node.get("$ref").and_then(Value::as_str) {
            Some(r) => ptr = r.trim_start_matches('#').to_owned(),
            None => return (ptr, node),
        }
    }
}

/// Every object node of the schema that declares `properties`, by its pointer: the objects a
/// suite is made of. Conditions (`if`, `then`, `allOf`) constrain these and add none.
fn schema_objects(schema: &Value) -> BTreeSet<String> {
    fn visit(schema: &Value, ptr: String, seen: &mut BTreeSet<String>, out: &mut BTreeSet<String>) {
        let (ptr, node) = deref(schema, ptr);
        if !seen.insert(ptr.clone()) {
            return;
        }
        if let Some(alts) = node.get("anyOf").and_then(Value::as_array) {
            for i in 0..alts.len() {
                visit(schema, format!("{ptr}/anyOf/{i}"), seen, out);
            }
        }
        if let Some(props) = node.get("properties").and_then(Value::as_object) {
            out.insert(ptr.clone());
            for (k, v) in props {
                if v.is_object() {
                    visit(schema, format!("{ptr}/properties/{k}"), seen, out);
                }
            }
        }
        for key in ["items", "additionalProperties"] {
            if node.get(key).is_some_and(Value::is_object) {
                visit(schema, format!("{ptr}/{key}"), seen, out);
            }
        }
    }
    let mut out = BTreeSet::new();
    visit(schema, String::new(), &mut BTreeSet::new(), &mut out);
    out
}

/// One step down from the node at `ptr` (`properties/<name>`, `items` or
/// `additionalProperties`), through `$ref`s and into whichever `anyOf` branch has it.
fn descend(schema: &Value, ptr: &str, step: &[&str]) -> Option<String> {
    let (ptr, node) = deref(schema, ptr.to_owned());
    let here = step.iter().try_fold(node, |n, s| n.get(*s));
    if here.is_some_and(Value::is_object) {
        return Some(format!("{ptr}/{}", step.join("/")));
    }
    let alts = node.get("anyOf")?.as_array()?;
    (0..alts.len()).find_map(|i| descend(schema, &format!("{ptr}/anyOf/{i}"), step))
}

/// The object node a documented path names: `cases[].steps[].request`, `expect.body.<pointer>`.
fn resolve(schema: &Value, path: &str) -> Result<String, String> {
    let mut ptr = String::new();
    if !path.is_empty() {
        for seg in path.split('.') {
            let name = seg.trim_end_matches("[]");
            let lists = (seg.len() - name.len()) / 2;
            let next = if name.starts_with('<') && name.ends_with('>') {
                descend(schema, &ptr, &["additionalProperties"])
            } else {
                descend(schema, &ptr, &["properties", name])
            };
            ptr = next.ok_or_else(|| format!("`{path}`: the schema has no `{seg}` here"))?;
            for _ in 0..lists {
                ptr = descend(schema, &ptr, &["items"])
                    .ok_or_else(|| format!("`{path}`: `{seg}` is not a list"))?;
            }
        }
    }
    let (ptr, node) = deref(schema, ptr);
    if node.get("properties").is_some() {
        return Ok(ptr);
    }
    descend(schema, &ptr, &["properties"])
        .and_then(|p| p.strip_suffix("/properties").map(str::to_owned))
        .ok_or_else(|| format!("`{path}` is not an object with keys"))
}

/// A table of the key reference: the paths its heading names, and its rows as
/// (line, key, required).
struct KeyTable {
    line: usize,
    paths: Vec<String>,
    rows: Vec<(usize, String, bool)>,
}

fn key_tables(page: &str) -> Vec<KeyTable> {
    let mut out: Vec<KeyTable> = Vec::new();
    let mut inside = false;
    for (n, line) in prose_lines(page) {
        if let Some(title) = line.strip_prefix("## ") {
            inside = title.trim() == "Key reference";
            continue;
        }
        if !inside {
            continue;
        }
        if let Some(title) = line.strip_prefix("### ") {
            let paths: Vec<String> = title
                .split('`')
                .skip(1)
                .step_by(2)
                .map(str::to_owned)
                .collect();
            out.push(KeyTable {
                line: n,
                paths: if paths.is_empty() && title.trim() == "Top level" {
                    vec![String::new()]
                } else {
                    paths
                },
                rows: Vec::new(),
            });
        } else if let Some(row) = line.strip_prefix("| `")
            && let Some(t) = out.last_mut()
        {
            let (key, rest) = row.split_once("` |").unwrap_or((row, ""));
            let required = rest.split('|').next().unwrap_or("").trim() == "yes";
            t.rows.push((n, key.to_owned(), required));
        }
    }
    out
}

/// Where the key reference of a page and the schema disagree, one sentence each.
fn reference_mismatches(schema: &Value, page: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let mut covered = BTreeSet::new();
    let mut named = BTreeSet::new();
    let tables = key_tables(page);
    if tables.is_empty() {
        problems.push("the page has no `## Key reference` section with `###` tables".to_owned());
    }
    for t in &tables {
        let mut nodes = BTreeSet::new();
        for path in &t.paths {
            if !named.insert(path.clone()) {
                problems.push(format!("line {}: `{path}` has two tables", t.line));
            }
            match resolve(schema, path) {
                Ok(ptr) => {
                    nodes.insert(ptr);
                }
                Err(e) => problems.push(format!("line {}: {e}", t.line)),
            }
        }
        let (Some(name), Some(ptr)) = (t.paths.first(), nodes.first()) else {
            if t.paths.is_empty() {
                problems.push(format!(
                    "line {}: the heading names no object in `code`",
                    t.line
                ));
            }
            continue;
        };
        if nodes.len() > 1 {
            problems.push(format!(
                "line {}: the paths of one table name different objects: {nodes:?}",
                t.line
            ));
        }
        covered.extend(nodes.iter().cloned());
        problems.extend(table_mismatches(schema, ptr, name, t));
    }
    for ptr in schema_objects(schema).difference(&covered) {
        let keys: Vec<&String> = properties(schema, ptr).keys().collect();
        problems.push(format!(
            "the schema's object at {ptr} (keys {keys:?}) has no table in the key reference"
        ));
    }
    problems
}

fn properties<'s>(schema: &'s Value, ptr: &str) -> &'s serde_json::Map<String, Value> {
    schema
        .pointer(&format!("{ptr}/properties"))
        .and_then(Value::as_object)
        .expect("an object node has properties")
}

/// Where one table and the schema's object at `ptr` disagree: keys and whether each is required.
fn table_mismatches(schema: &Value, ptr: &str, name: &str, t: &KeyTable) -> Vec<String> {
    let keys = properties(schema, ptr);
    let required: BTreeSet<&str> = schema
        .pointer(&format!("{ptr}/required"))
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let mut out = Vec::new();
    for k in keys.keys() {
        if !t.rows.iter().any(|(_, key, _)| key == k) {
            out.push(format!(
                "line {}: `{name}`: the schema's key `{k}` is not documented",
                t.line
            ));
        }
    }
    for (n, key, req) in &t.rows {
        if !keys.contains_key(key) {
            out.push(format!(
                "line {n}: `{name}`: `{key}` is not a key of the schema"
            ));
        } else if *req != required.contains(key.as_str()) {
            let want = if *req { "optional" } else { "required" };
            out.push(format!(
                "line {n}: `{name}`: `{key}` is {want} in the schema"
            ));
        }
    }
    out
}

fn suite_schema() -> Value {
    serde_json::from_str(accord::suite::load::SUITE_SCHEMA).unwrap()
}

#[test]
fn the_key_reference_is_the_suite_schema() {
    let problems = reference_mismatches(&suite_schema(), &read("docs/suite-format.md"));
    assert!(
        problems.is_empty(),
        "docs/suite-format.md and suites/suite.schema.json differ:\n{}",
        problems.join("\n")
    );
}

/// The one mismatch between a page's key reference and the schema.
fn only_mismatch(schema: &Value, page: &str) -> String {
    let mut p = reference_mismatches(schema, page);
    assert_eq!(p.len(), 1, "{p:?}");
    p.remove(0)
}

#[test]
fn the_key_reference_test_catches_every_kind_of_drift() {
    let schema = suite_schema();
    let page = read("docs/suite-format.md");
    let row = page
        .lines()
        .find(|l| l.starts_with("| `path_params` |"))
        .unwrap();

    let undocumented = page.replace(&format!("{row}\n"), "");
    let m = only_mismatch(&schema, &undocumented);
    assert!(
        m.contains("the schema's key `path_params` is not documented"),
        "{m}"
    );

    let invented = page.replace(
        row,
        &format!("{row}\n| `timeout` | no | seconds | made up |"),
    );
    let m = only_mismatch(&schema, &invented);
    assert!(m.contains("`timeout` is not a key of the schema"), "{m}");

    let optional = page.replace(
        "| `requirements` | yes | non-empty list of text |",
        "| `requirements` | no | non-empty list of text |",
    );
    let m = only_mismatch(&schema, &optional);
    assert!(
        m.contains("`requirements` is required in the schema"),
        "{m}"
    );

    let mut grown = schema.clone();
    grown["$defs"]["request"]["properties"]["retries"] = json!({ "type": "integer" });
    grown["$defs"]["step"]["properties"]["repeat"] =
        json!({ "type": "object", "properties": { "times": { "type": "integer" } } });
    let p = reference_mismatches(&grown, &page);
    assert_eq!(p.len(), 3, "{p:?}");
    assert!(
        p.iter()
            .any(|m| m.contains("key `retries` is not documented")),
        "{p:?}"
    );
    assert!(
        p.iter()
            .any(|m| m.contains("key `repeat` is not documented")),
        "{p:?}"
    );
    assert!(
        p.iter()
            .any(|m| m.contains("/$defs/step/properties/repeat") && m.contains("no table")),
        "{p:?}"
    );
}

// ---- suite examples ----

/// The `{{name}}` variables a text uses, built-ins left out.
fn variables(text: &str) -> BTreeSet<String> {
    text.split("{{")
        .skip(1)
        .filter_map(|s| s.split_once("}}").map(|(v, _)| v.trim().to_owned()))
        .filter(|v| !v.starts_with('$'))
        .collect()
}

/// Loads one YAML example with the suite loader: a whole suite as it stands; a fragment (a
/// `protocol` section, or a list of steps) inside the smallest suite that declares its
/// variables.
fn load_example(page: &str, b: &Block) -> Result<(), String> {
    let name = format!("{page}:{}", b.line);
    let doc = accord::yaml::Document::parse(format!("{name}.yaml"), b.text.clone())
        .map_err(|d| format!("{name}: not YAML: {d:?}"))?;
    let doc = if doc.value.get("api").is_some() {
        doc
    } else {
        let mut suite = json!({
            "api": "example",
            "spec": "example.yaml",
            "requires": variables(&b.text),
            "errors": { "codes": ["/errors/*/code"] },
            "cases": [{
                "id": "example",
                "title": "Example",
                "requirements": ["Example"],
                "steps": [{ "request": { "method": "GET", "path": "/" }, "expect": { "status": 200 } }]
            }]
        });
        match &doc.value {
            Value::Array(steps) => suite["cases"][0]["steps"] = Value::Array(steps.clone()),
            Value::Object(keys) => {
                for (k, v) in keys {
                    suite[k] = v.clone();
                }
            }
            other => return Err(format!("{name}: not a suite or part of one: {other}")),
        }
        accord::yaml::Document::parse(format!("{name}.json"), suite.to_string())
            .map_err(|d| format!("{name}: {d:?}"))?
    };
    accord::suite::load::from_document(Path::new("suites/example/example.yaml"), doc)
        .map(drop)
        .map_err(|d| {
            let lines: Vec<String> = d.iter().map(|d| d.to_string()).collect();
            format!("{name}: the example does not load:\n{}", lines.join("\n"))
        })
}

#[test]
fn every_suite_example_loads() {
    let mut problems = Vec::new();
    let mut seen = 0;
    for page in [
        "README.md",
        "docs/suite-format.md",
        "docs/protocol-rules.md",
    ] {
        for b in code_blocks(&read(page)).iter().filter(|b| b.lang == "yaml") {
            seen += 1;
            if let Err(e) = load_example(page, b) {
                problems.push(e);
            }
        }
    }
    assert!(seen >= 10, "only {seen} YAML examples found");
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

#[test]
fn an_example_with_a_key_the_schema_lacks_does_not_load() {
    let b = Block {
        lang: "yaml".into(),
        line: 1,
        text: "protocol:\n  correlation:\n    header: x-id\n    requirement: R\n    success: {request: {operation: op}}\n    echo: true\n".into(),
    };
    let e = load_example("example.md", &b).unwrap_err();
    assert!(e.contains("unknown key `echo`"), "{e}");
}

// ---- fault tables ----

#[test]
fn the_fault_tables_are_the_mocks_switches() {
    let page = read("docs/builtin-apis.md");
    let mut tables: Vec<Vec<String>> = Vec::new();
    for (_, line) in prose_lines(&page) {
        if line.starts_with("| fault |") {
            tables.push(Vec::new());
        } else if line.starts_with("| `")
            && let Some(t) = tables.last_mut()
        {
            t.push(line.to_owned());
        } else if !line.starts_with('|') && tables.last().is_some_and(|t| !t.is_empty()) {
            tables.push(Vec::new());
        }
    }
    tables.retain(|t| !t.is_empty());
    let apis = accord::mock::apis();
    assert_eq!(
        tables.len(),
        apis.len(),
        "one fault table per mock, in `accord mock` order"
    );
    let mut problems = Vec::new();
    for (api, table) in apis.iter().zip(&tables) {
        let expected: Vec<String> = api
            .faults
            .iter()
            .map(|f| format!("| `{}` | {} |", f.name, f.summary))
            .collect();
        for (i, want) in expected.iter().enumerate() {
            if table.get(i) != Some(want) {
                problems.push(format!(
                    "{} table, row {}:\n  page: {}\n  mock: {want}",
                    api.name,
                    i + 1,
                    table.get(i).map_or("(none)", String::as_str)
                ));
            }
        }
        for extra in table.iter().skip(expected.len()) {
            problems.push(format!("{} table: no such switch: {extra}", api.name));
        }
    }
    assert!(
        problems.is_empty(),
        "docs/builtin-apis.md and the mocks' fault switches differ:\n{}",
        problems.join("\n")
    );
}

// ---- README's walkthrough ----

/// The fenced block of README whose first line is `# <file>`, without that line.
fn readme_file(readme: &str, file: &str) -> String {
    let marker = format!("# {file}\n");
    let b = code_blocks(readme)
        .into_iter()
        .find(|b| b.text.starts_with(&marker))
        .unwrap_or_else(|| panic!("README has no block starting `# {file}`"));
    b.text[marker.len()..].to_owned()
}

/// Runs `accord run my-api` in `dir` with the walkthrough's token and more arguments.
fn run_walkthrough(dir: &Path, token_var: &str, args: &[&str]) -> common::Out {
    let mut cmd = common::accord();
    cmd.current_dir(dir)
        .env(token_var, "accord-mock-token")
        .args(["run", "my-api", "--quiet"])
        .args(args);
    common::output(&mut cmd)
}

#[test]
fn the_readme_walkthrough_runs_as_written() {
    let readme = read("README.md");
    let dir = common::scratch("walkthrough");
    std::fs::create_dir_all(dir.join("my-api")).unwrap();
    std::fs::create_dir_all(dir.join("specs/akahu")).unwrap();
    std::fs::copy(
        root().join("specs/akahu/accounts.yaml"),
        dir.join("specs/akahu/accounts.yaml"),
    )
    .unwrap();
    std::fs::write(
        dir.join("my-api/accounts.yaml"),
        readme_file(&readme, "my-api/accounts.yaml"),
    )
    .unwrap();

    let mut lint = common::accord();
    let lint = common::output(lint.current_dir(&dir).args(["lint", "my-api"]));
    assert_eq!(lint.code, 0, "{}{}", lint.stdout, lint.stderr);

    let mock = common::MockProcess::start("akahu", &[]);
    assert!(readme.contains("--target http://127.0.0.1:8080/v1"));
    let out = run_walkthrough(&dir, "ACCORD_MY_API_TOKEN", &["--target", &mock.url]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("1 passed, 0 failed"), "{}", out.stdout);

    let faulty = common::MockProcess::start("akahu", &["--fault", "list-get-disagree"]);
    assert!(readme.contains("--fault list-get-disagree"));
    let out = run_walkthrough(&dir, "ACCORD_MY_API_TOKEN", &["--target", &faulty.url]);
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout.contains("[expect-body] step 2, body /item/name"),
        "{}",
        out.stdout
    );

    let profile = readme_file(&readme, "my-api.toml");
    assert!(profile.contains("http://127.0.0.1:8080/v1"));
    std::fs::write(
        dir.join("my-api.toml"),
        profile.replace("http://127.0.0.1:8080/v1", &mock.url),
    )
    .unwrap();
    let out = run_walkthrough(&dir, "MY_API_TOKEN", &["--env", "my-api.toml"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("1 passed, 0 failed"), "{}", out.stdout);
}

/// Step 0 of the walkthrough: lint the spec, run from the spec alone with the variables README
/// names, and `init` a starter that lints clean.
#[test]
fn the_readme_spec_only_step_runs_as_written() {
    let readme = read("README.md");
    for line in [
        "-- lint specs/akahu/accounts.yaml",
        "ACCORD_AKAHU_TOKEN=accord-mock-token ACCORD_AKAHU_APP_ID=app_token_accord_mock",
        "-- run --spec specs/akahu/accounts.yaml --api akahu --target http://127.0.0.1:8080/v1",
        "-- init specs/akahu/accounts.yaml --api my-api --dir my-api-start",
    ] {
        assert!(readme.contains(line), "README no longer says `{line}`");
    }
    let dir = common::scratch("walkthrough-spec-only");
    let lint = common::output(common::accord().args(["lint", "specs/akahu/accounts.yaml"]));
    assert_eq!(lint.code, 0, "{}{}", lint.stdout, lint.stderr);

    let mock = common::MockProcess::start("akahu", &[]);
    let mut run = common::accord();
    run.env("ACCORD_AKAHU_TOKEN", "accord-mock-token")
        .env("ACCORD_AKAHU_APP_ID", "app_token_accord_mock")
        .args([
            "run",
            "--spec",
            "specs/akahu/accounts.yaml",
            "--api",
            "akahu",
        ])
        .args(["--target", &mock.url, "--quiet"])
        .args(common::report_args(&dir));
    let out = common::output(&mut run);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains(" passed, 0 failed"), "{}", out.stdout);

    let start = dir.join("my-api-start");
    let mut init = common::accord();
    init.args([
        "init",
        "specs/akahu/accounts.yaml",
        "--api",
        "my-api",
        "--dir",
    ])
    .arg(&start);
    let out = common::output(&mut init);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let mut lint = common::accord();
    let lint = common::output(lint.arg("lint").arg(start.join("suites/my-api")));
    assert_eq!(lint.code, 0, "{}{}", lint.stdout, lint.stderr);
}

/// The documented library is the `harness` module; every other public module of `src/lib.rs`
/// is hidden from the documentation, and nothing else is re-exported.
#[test]
fn the_library_surface_is_the_harness_alone() {
    let lib = read("src/lib.rs");
    let mut shown = Vec::new();
    let mut hidden = false;
    for line in lib.lines().map(str::trim) {
        if line == "#[doc(hidden)]" {
            hidden = true;
            continue;
        }
        let public = line.starts_with("pub mod ") || line.starts_with("pub use ");
        if public && !hidden {
            shown.push(line.to_string());
        }
        hidden = false;
    }
    assert_eq!(
        shown,
        ["pub mod harness;", "pub use harness::{Harness, Target};"],
        "src/lib.rs shows more than the harness; hide internal modules with #[doc(hidden)]"
    );
    assert!(lib.contains("#![warn(missing_docs)]"));
}
