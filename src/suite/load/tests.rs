use super::*;

fn load(text: &str) -> Result<Suite, Vec<Diagnostic>> {
    let doc = Document::parse("s.yaml", text)?;
    from_document(Path::new("suites/x/s.yaml"), doc)
}

const GOOD: &str = "api: cdr\nspec: ../../specs/cdr/a.yaml\nrequires: [token]\nerrors:\n  codes: [/errors/*/code]\ndefaults:\n  headers:\n    authorization: Bearer {{token}}\ncases:\n  - id: list\n    title: List\n    requirements: [R1]\n    steps:\n      - request: {operation: listAccounts}\n        capture:\n          total: {body: /meta/totalRecords}\n      - request: {operation: listAccounts, query: {page: \"{{total}}\"}}\n        expect:\n          status: [200, 422]\n          headers:\n            x-v: {equals: 2}\n          body:\n            /data/accounts/*/accountId: {type: string}\n";

#[test]
fn loads_a_good_suite() {
    let s = load(GOOD).unwrap();
    assert_eq!(s.name, "s");
    assert_eq!(s.file.cases[0].steps.len(), 2);
    assert_eq!(s.spec_path, Path::new("suites/x/../../specs/cdr/a.yaml"));
    assert_eq!(
        s.file.cases[0].steps[1]
            .expect
            .status
            .as_ref()
            .unwrap()
            .codes(),
        vec![200, 422]
    );
}

#[test]
fn reports_every_problem_with_positions() {
    let bad = GOOD
        .replace("    title: List\n", "    titel: List\n")
        .replace("status: [200, 422]", "statuz: 200")
        .replace("{page: \"{{total}}\"}", "{page: \"{{totl}}\"}");
    let errs: Vec<String> = load(&bad)
        .unwrap_err()
        .iter()
        .map(|d| d.to_string())
        .collect();
    assert_eq!(
        errs,
        vec![
            "s.yaml:10:5: missing required key \"title\"",
            "s.yaml:11:5: unknown key `titel`",
            "s.yaml:19:11: unknown key `statuz`",
        ]
    );
    let errs = load(&bad.replace("titel", "title").replace("statuz", "status")).unwrap_err();
    assert_eq!(
        errs[0].to_string(),
        "s.yaml:17:58: undefined variable `totl`"
    );
    assert_eq!(errs[0].help.as_deref(), Some("did you mean `total`?"));
}

#[test]
fn cases_may_be_empty_or_left_out() {
    let head = GOOD.split("cases:").next().unwrap();
    assert!(
        load(&format!("{head}cases: []\n"))
            .unwrap()
            .file
            .cases
            .is_empty()
    );
    assert!(load(head).unwrap().file.cases.is_empty());
}

#[test]
fn one_pass_reports_the_rules_of_every_sound_part() {
    let text = GOOD
        .replace("requires: [token]\n", "requires: [token]\nopertions: {}\n")
        .replace("{page: \"{{total}}\"}", "{page: \"{{totl}}\"}")
        + "  - id: list\n    title: Broken, and a duplicate\n    requirements: R\n    steps: []\n";
    let read = read_document(
        Path::new("suites/x/s.yaml"),
        Document::parse("s.yaml", text).unwrap(),
    );
    let errs: Vec<String> = read.problems.iter().map(|d| d.to_string()).collect();
    assert_eq!(
        errs,
        [
            "s.yaml:4:1: unknown key `opertions`",
            "s.yaml:18:58: undefined variable `totl`",
            "s.yaml:25:9: duplicate case id `list`",
            "s.yaml:27:19: `requirements`: \"R\" is not of type \"array\"",
            "s.yaml:28:12: `steps` must not be empty",
        ]
    );
    let suite = read.suite.expect("the sound part is kept");
    assert_eq!(suite.file.cases.len(), 1);
    assert_eq!(suite.dropped, ["opertions"]);
}

#[test]
fn a_broken_part_is_not_blamed_twice() {
    let text = GOOD.replace("requires: [token]", "requires: token");
    let errs = load(&text).unwrap_err();
    assert_eq!(errs.len(), 1, "{errs:#?}");
    let text = GOOD.replace("errors:\n  codes: [/errors/*/code]\n", "errors: {}\n")
        + "  - id: e\n    title: E\n    requirements: [R]\n    steps:\n      - request: {operation: x}\n        expect: {error: E1}\n";
    let errs = load(&text).unwrap_err();
    assert_eq!(errs.len(), 1, "{errs:#?}");
    let read = read_document(
        Path::new("s.yaml"),
        Document::parse("s.yaml", GOOD.replace("api: cdr\n", "")).unwrap(),
    );
    assert!(
        read.suite.is_none(),
        "no api: nothing to check against a spec"
    );
    assert_eq!(read.problems.len(), 1, "{:#?}", read.problems);
}

#[test]
fn grades_name_known_checks_and_only_suites_name_cases() {
    let graded = GOOD.replace(
        "    requirements: [R1]\n",
        "    requirements: [R1]\n    grade:\n      - {case: list, check: [expect-status, expect-bodi], level: warning, reason: r}\n",
    ) + "grade:\n  - {check: expect-statu, level: failure, reason: r}\n";
    let errs = load(&graded).unwrap_err();
    let shown: Vec<String> = errs.iter().map(|d| d.to_string()).collect();
    assert_eq!(
        shown,
        [
            "s.yaml:14:10: a case's own `grade` applies to that case; name cases in the suite's `grade`",
            "s.yaml:14:45: unknown check `expect-bodi`",
            "s.yaml:27:13: unknown check `expect-statu`",
        ]
    );
    assert_eq!(errs[1].help.as_deref(), Some("did you mean `expect-body`?"));
    let errs = load(&graded.replace("level: warning", "level: should")).unwrap_err();
    assert!(errs[0].message.contains("level"), "{}", errs[0].message);
}

#[test]
fn a_case_grade_comes_before_the_suite_grade() {
    let text = GOOD.replace(
        "    requirements: [R1]\n",
        "    requirements: [R1]\n    grade:\n      - {check: expect-status, level: warning, reason: the source says should}\n",
    ) + "grade:\n  - {check: [expect-status, expect-header], level: failure, reason: the source says must}\n  - {case: other, check: expect-body, level: warning, reason: not this case}\n";
    let s = load(&text).unwrap();
    let (level, why) = s.grade(0, "expect-status").unwrap();
    assert_eq!(level, crate::suite::Level::Warning);
    assert_eq!(why, "the source says should (s.yaml:14:9)");
    let (level, why) = s.grade(0, "expect-header").unwrap();
    assert_eq!(level, crate::suite::Level::Failure);
    assert_eq!(why, "the source says must (s.yaml:27:5)");
    assert!(s.grade(0, "expect-body").is_none());
    let mut findings = vec![
        crate::finding::Finding::new("expect-status", 0, crate::finding::Where::status(), "m"),
        crate::finding::Finding::new("response-schema", 0, crate::finding::Where::body(""), "m"),
    ];
    crate::check::grade(&mut findings, &s, 0);
    assert!(!findings[0].fails());
    assert_eq!(
        findings[0].severity_reason.as_deref(),
        Some("the source says should (s.yaml:14:9)")
    );
    assert!(findings[1].fails() && findings[1].severity_reason.is_none());
}

#[test]
fn a_status_class_stands_for_its_hundred() {
    let s = load(&GOOD.replace("status: [200, 422]", "status: [200, 4XX]")).unwrap();
    let set = s.file.cases[0].steps[1].expect.status.clone().unwrap();
    assert!(set.contains(200) && set.contains(405) && !set.contains(500));
    let errs: Vec<String> = load(&GOOD.replace("status: [200, 422]", "status: [200, 4X]"))
        .unwrap_err()
        .iter()
        .map(|d| d.to_string())
        .collect();
    assert_eq!(
        errs,
        [
            "s.yaml:19:19: `status`: [200,\"4X\"] is not a status (an integer from 100 to 599), a class like 4XX, or a list of them"
        ]
    );
}

#[test]
fn did_you_mean_for_unknown_keys() {
    let errs = load(&GOOD.replace("status: [200, 422]", "statuz: 200")).unwrap_err();
    assert_eq!(errs[0].help.as_deref(), Some("did you mean `status`?"));
}

#[test]
fn rejects_a_case_that_asserts_nothing() {
    let text = GOOD.split("        expect:").next().unwrap().to_owned();
    let errs = load(&text).unwrap_err();
    assert_eq!(
        errs[0].to_string(),
        "s.yaml:13:5: case `list` asserts nothing"
    );
}

#[test]
fn rejects_duplicate_ids_and_double_targets() {
    let text = format!(
        "{GOOD}  - id: list\n    title: again\n    requirements: [R]\n    steps:\n      - request: {{operation: x, path: /y}}\n        expect: {{status: 200}}\n"
    );
    let errs: Vec<String> = load(&text)
        .unwrap_err()
        .iter()
        .map(|d| d.to_string())
        .collect();
    assert!(
        errs.contains(&"s.yaml:24:9: duplicate case id `list`".to_owned()),
        "{errs:#?}"
    );
    assert!(
        errs.iter()
            .any(|e| e.contains("exactly one of `operation`, `path` or `url`")),
        "{errs:#?}"
    );
}

#[test]
fn bad_regex_and_wrong_types() {
    let text = GOOD
        .replace("{equals: 2}", "{matches: \"([\"}")
        .replace("[200, 422]", "\"two hundred\"");
    let errs: Vec<String> = load(&text)
        .unwrap_err()
        .iter()
        .map(|d| d.to_string())
        .collect();
    assert_eq!(errs.len(), 1, "{errs:#?}");
    assert!(errs[0].starts_with("s.yaml:19:19: `status`"), "{errs:#?}");
}

#[test]
fn a_request_sends_one_body_and_form_values_use_known_variables() {
    let text = GOOD.replace(
        "{operation: listAccounts, query: {page: \"{{total}}\"}}",
        "{operation: listAccounts, body: {a: 1}, form: {user: \"{{totl}}\"}, multipart: {f: {content: x, filename: f.txt}}}",
    );
    let errs = load(&text).unwrap_err();
    let shown: Vec<String> = errs.iter().map(|d| d.to_string()).collect();
    assert_eq!(
        shown,
        [
            "s.yaml:17:58: a request sends one body: `body` and `form` cannot be combined",
            "s.yaml:17:71: undefined variable `totl`",
        ]
    );
    let multipart = GOOD.replace(
        "{operation: listAccounts, query: {page: \"{{total}}\"}}",
        "{operation: listAccounts, multipart: {f: [{content: x}, {file: x}]}}",
    );
    let errs = load(&multipart).unwrap_err();
    assert_eq!(errs.len(), 1, "{errs:#?}");
    assert!(errs[0].to_string().starts_with("s.yaml:17:"), "{}", errs[0]);
}

#[test]
fn pointer_from_serde_path() {
    assert_eq!(
        path_to_pointer("cases[0].steps[1].expect"),
        "/cases/0/steps/1/expect"
    );
    assert_eq!(path_to_pointer("."), "");
}
