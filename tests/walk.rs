//! Pagination walks against real servers on loopback: the CDR mock serving 10,000 accounts
//! (walked at page size 1000 and at page size 1, and with its next link looping), a small
//! cursor server defined here (next links, cursor tokens, pages that never end, a cursor
//! cycle), and a small CDS holder whose links are cursors (followed once to see where they
//! lead).

mod common;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use axum::Json;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, Uri};
use axum::routing::get;
use serde_json::{Value, json};

use accord::exec::{self, Limits, Target};
use accord::mock::{self, MockOptions};
use accord::plan::{self, Plan};
use accord::redact::Redactor;
use accord::run::{CaseResult, Outcome};
use accord::template::Vars;

const TOKEN: &str = "walk-test-token";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Loads one suite written to a scratch directory.
fn load(dir: &Path, name: &str, text: &str) -> Plan {
    let path = dir.join(format!("{name}.yaml"));
    std::fs::write(&path, text).unwrap();
    plan::load(&[path]).unwrap_or_else(|d| {
        let shown: Vec<String> = d.iter().map(|x| x.render()).collect();
        panic!("{}", shown.join("\n"))
    })
}

fn target(api: &str, base_url: String) -> Target {
    let mut vars = Vars::default();
    vars.set("token", Value::String(TOKEN.into()));
    Target {
        api: api.into(),
        base_url,
        vars,
        mock: true,
        limits: Limits {
            timeout: Duration::from_secs(30),
            ..Limits::default()
        },
        policy: Default::default(),
    }
}

async fn run(plan: &Plan, target: &Target, id: &str) -> CaseResult {
    let ps = &plan.suites[0];
    let ci = ps
        .suite
        .file
        .cases
        .iter()
        .position(|c| c.id == id)
        .unwrap_or_else(|| panic!("no case {id}"));
    let client = exec::http::client(&target.limits).unwrap();
    let redactor = Redactor::new([TOKEN.to_owned()]);
    exec::run_case(ps, ci, target, &client, &redactor, &HashMap::new())
        .await
        .0
}

fn describe(c: &CaseResult) -> String {
    let mut out = format!("{} {:?} {:?}\n", c.id, c.outcome, c.skip_reason);
    for f in c.findings.iter().take(20) {
        out.push_str(&accord::report::describe_line(f));
        out.push('\n');
    }
    for e in &c.errors {
        out.push_str(&accord::report::describe_error(e));
        out.push('\n');
    }
    out
}

/// Every finding of a case, one line each.
fn finding_lines(c: &CaseResult) -> Vec<String> {
    c.findings
        .iter()
        .map(accord::report::describe_line)
        .collect()
}

fn cdr_suite() -> String {
    let spec = root().join("specs/cdr/banking-accounts-v2.yaml");
    format!(
        "api: cdr\nspec: {}\nrequires: [token]\ndefaults:\n  headers:\n    authorization: \"Bearer {{{{token}}}}\"\n    x-v: \"2\"\nprotocol:\n  pagination:\n    style: cds\n    requirement: CDS Pagination\n    request: {{operation: listAccounts}}\n    items: /data/accounts\n    id: /accountId\n    default_size: 25\n    max_size: 1000\n    max_pages: 10000\ncases:\n  - id: default-size-capped\n    title: A walk of 400 pages under a cap of 100\n    requirements: [CDS Pagination]\n    steps:\n      - request: {{operation: listAccounts}}\n        walk: {{max_pages: 100}}\n",
        spec.display()
    )
}

async fn cdr_mock(records: usize, faults: &[&str]) -> mock::RunningMock {
    let opts = MockOptions {
        token: TOKEN.into(),
        data_seed: 1,
        faults: faults.iter().map(|f| f.to_string()).collect(),
        records: Some(records),
    };
    let api = mock::find("cdr").unwrap();
    mock::serve(api, &opts, SocketAddr::from(([127, 0, 0, 1], 0)))
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_thousand_records_walk_at_page_size_1000_and_1() {
    let dir = common::scratch("walk-cdr");
    let plan = load(&dir, "cdr", &cdr_suite());
    let running = cdr_mock(10_000, &[]).await;
    let t = target("cdr", running.base_url.clone());

    let big = run(&plan, &t, "pagination-walk-max-size").await;
    assert_eq!(big.outcome, Outcome::Passed, "{}", describe(&big));
    assert_eq!(big.exchanges.len(), 10);
    let pages: Vec<Option<usize>> = big.exchanges.iter().map(|x| x.page).collect();
    assert_eq!(pages, (1..=10).map(Some).collect::<Vec<_>>());

    let small = run(&plan, &t, "pagination-walk-size-1").await;
    assert_eq!(small.outcome, Outcome::Passed, "{}", describe(&small));
    // Pages 1-5 and 9,996-10,000 whole, 6-1,005 cut down to their digests, 1,006-9,995 as one
    // entry.
    assert_eq!(small.exchanges.len(), 5 + 1_000 + 1 + 5);
    let pages: Vec<Option<usize>> = small.exchanges.iter().map(|x| x.page).collect();
    let want: Vec<Option<usize>> = (1..=1_006).chain(9_996..=10_000).map(Some).collect();
    assert_eq!(pages, want);
    let body = |i: usize| small.exchanges[i].response.as_ref().unwrap();
    for kept in [0, 4, 1_006, 1_010] {
        assert!(
            body(kept).body.contains("accountId"),
            "exchange {kept} keeps its body"
        );
    }
    let middle = body(499);
    assert!(middle.body.is_empty() && middle.body_bytes > 0);
    assert!(middle.headers.is_empty() && middle.digest.is_some());
    // Every page cut down keeps the digest a replay judges the walk by: one record each.
    for i in 5..1_005 {
        let ids = body(i).digest.as_ref().and_then(|d| d.ids.as_ref());
        assert_eq!(ids.map(Vec::len), Some(1), "exchange {i} keeps its digest");
    }
    let x = &small.exchanges[499];
    assert!(x.curl.is_empty() && x.request.headers.is_empty());
    assert!(x.request.url.contains("page=500"), "{}", x.request.url);
    assert!(!small.exchanges[1_006].curl.is_empty());
    assert!(
        middle
            .body_note
            .as_deref()
            .is_some_and(|n| n.contains("page 500 had no findings of its own")),
        "{:?}",
        middle.body_note
    );
    let span = &small.exchanges[1_005];
    assert_eq!((span.page, span.pages_to), (Some(1_006), Some(9_995)));
    assert!(span.trimmed() && span.response.as_ref().unwrap().status == 200);
    assert!(
        body(1_005)
            .body_note
            .as_deref()
            .is_some_and(|n| n.starts_with("pages 1006-9995 kept as one entry")),
        "{:?}",
        body(1_005).body_note
    );
    let shown = accord::report::shown::shown(&small.exchanges);
    assert_eq!(shown.len(), 5 + 1 + 5, "the middle pages read as one line");

    // A replay judges the pages it has again and carries the rest over, saying so.
    let recording = accord::run::RunSummary::of_plan(
        &plan,
        vec![small.clone()],
        std::time::SystemTime::now(),
        0,
        None,
        Vec::new(),
        &[],
    );
    let opts = accord::exec::RunOptions {
        filters: vec!["pagination-walk-size-1".into()],
        ..Default::default()
    };
    let vars = accord::replay::target_vars(&plan, None);
    let replayed = accord::replay::run(&plan, &recording, &vars, &opts, |_| {});
    let r = &replayed.cases[0];
    assert_eq!(r.outcome, Outcome::Passed, "{}", describe(r));
    assert_eq!(r.exchanges.len(), small.exchanges.len());
    let warnings: Vec<String> = finding_lines(r);
    assert_eq!(warnings.len(), 1, "{warnings:#?}");
    assert!(
        warnings[0].contains("kept pages 1006-9995 of the walk as one entry"),
        "{}",
        warnings[0]
    );

    let capped = run(&plan, &t, "default-size-capped").await;
    assert_eq!(capped.outcome, Outcome::Skipped, "{}", describe(&capped));
    assert_eq!(
        capped.exchanges.len(),
        1,
        "nothing is walked past the first page"
    );
    assert!(
        capped
            .skip_reason
            .as_deref()
            .is_some_and(|r| r.contains("400 pages") && r.contains("max_pages of 100")),
        "{:?}",
        capped.skip_reason
    );
    running.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_next_link_back_to_page_one_is_a_finding_not_a_hang() {
    let dir = common::scratch("walk-loop");
    let plan = load(&dir, "cdr", &cdr_suite());
    let running = cdr_mock(10_000, &["next-link-loops"]).await;
    let t = target("cdr", running.base_url.clone());
    let c = run(&plan, &t, "pagination-walk-max-size").await;
    assert_eq!(c.outcome, Outcome::Failed, "{}", describe(&c));
    assert_eq!(c.exchanges.len(), 10, "page 1 is not requested again");
    let errors: Vec<String> = c
        .findings
        .iter()
        .filter(|f| f.severity == accord::finding::Severity::Error)
        .map(accord::report::describe_line)
        .collect();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(
        errors[0].starts_with("[pagination-walk] step 1, page 10, body /links/next: /links/next of page 10 leads back to page 1"),
        "{}",
        errors[0]
    );
    running.stop().await;
}

/// How the cursor server misbehaves, if it does.
#[derive(Debug, Clone, Copy)]
enum Mode {
    /// Seven items, `limit` (default 3, at most 5) a page; `next` is a relative link.
    Link,
    /// The same, with `next` a token sent back as `cursor`.
    Token,
    /// Every page holds one new item and links to one more page.
    Endless,
    /// Tokens go a, b, a, ...
    Cycle,
    /// As `Link`, with a suite placeholder written in each `next` link.
    Placeholder,
    /// As `Link`, with each `next` link on another origin.
    Elsewhere,
}

const ITEMS: usize = 7;

async fn items(State(mode): State<Mode>, Query(q): Query<HashMap<String, String>>) -> Json<Value> {
    let number = |k: &str| q.get(k).and_then(|v| v.parse::<usize>().ok());
    let limit = number("limit").unwrap_or(3).min(5);
    let item = |i: String| json!({"id": format!("item-{i}")});
    Json(match mode {
        Mode::Link | Mode::Token | Mode::Placeholder | Mode::Elsewhere => {
            let start = number("after").or(number("cursor")).unwrap_or(0);
            let end = (start + limit).min(ITEMS);
            let next = (end < ITEMS).then(|| match mode {
                Mode::Link => format!("items?after={end}&limit={limit}"),
                Mode::Placeholder => format!("items?after={end}&limit={limit}&note={{{{token}}}}"),
                Mode::Elsewhere => format!("http://127.0.0.2:9/v1/items?after={end}&limit={limit}"),
                _ => end.to_string(),
            });
            json!({"items": (start..end).map(|i| item(i.to_string())).collect::<Vec<_>>(), "next": next})
        }
        Mode::Endless => {
            let n = number("after").unwrap_or(0);
            json!({"items": [item(n.to_string())], "next": format!("/v1/items?after={}", n + 1)})
        }
        Mode::Cycle => {
            let at = q.get("cursor").cloned().unwrap_or_else(|| "start".into());
            let next = if at == "a" { "b" } else { "a" };
            json!({"items": [item(at)], "next": next})
        }
    })
}

/// Serves `app` on loopback: its address and the serving task.
async fn serve(app: Router) -> (SocketAddr, tokio::task::JoinHandle<()>) {
    let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0)))
        .await
        .unwrap();
    let addr = listener.local_addr().unwrap();
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (addr, task)
}

async fn cursor_server(mode: Mode) -> (String, tokio::task::JoinHandle<()>) {
    let app = Router::new()
        .route("/v1/items", get(items))
        .with_state(mode);
    let (addr, task) = serve(app).await;
    (format!("http://{addr}/v1"), task)
}

const ITEMS_SPEC: &str = "openapi: 3.0.3\ninfo: {title: Items, version: \"1\"}\nservers: [{url: \"http://localhost/v1\"}]\npaths:\n  /items:\n    get:\n      operationId: listItems\n      parameters:\n        - {name: limit, in: query, schema: {type: integer}}\n        - {name: cursor, in: query, schema: {type: string}}\n        - {name: after, in: query, schema: {type: integer}}\n      responses:\n        \"200\":\n          description: a page\n          content:\n            application/json:\n              schema:\n                type: object\n                required: [items]\n                properties:\n                  items:\n                    type: array\n                    items: {type: object, required: [id], properties: {id: {type: string}}}\n                  next: {type: string, nullable: true}\n";

/// A cursor-style suite for the item server; `extra` adds declaration lines.
fn items_plan(dir: &Path, name: &str, extra: &str) -> Plan {
    std::fs::write(dir.join("items-spec.yaml"), ITEMS_SPEC).unwrap();
    let text = format!(
        "api: items\nspec: items-spec.yaml\nprotocol:\n  pagination:\n    style: cursor\n    requirement: Items paging\n    request: {{operation: listItems}}\n    items: /items\n    id: /id\n    next: /next\n    size_param: limit\n    default_size: 3\n    max_size: 5\n{extra}cases:\n  - id: first-page\n    title: T\n    requirements: [R]\n    steps:\n      - request: {{operation: listItems}}\n        expect: {{status: 200}}\n"
    );
    load(dir, name, &text)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cursor_walks_follow_relative_links_and_send_tokens_back() {
    let dir = common::scratch("walk-cursor");
    for (mode, extra, name) in [
        (Mode::Link, "", "link"),
        (Mode::Token, "    cursor_param: cursor\n", "token"),
    ] {
        let plan = items_plan(&dir, name, extra);
        let (base, server) = cursor_server(mode).await;
        let t = target("items", base);
        for id in [
            "pagination-walk-default",
            "pagination-walk-size-1",
            "pagination-walk-max-size",
        ] {
            let c = run(&plan, &t, id).await;
            assert_eq!(c.outcome, Outcome::Passed, "{name}: {}", describe(&c));
        }
        let one = run(&plan, &t, "pagination-walk-size-1").await;
        let steps: Vec<usize> = one.exchanges.iter().map(|x| x.step).collect();
        assert_eq!(
            steps,
            [0, 0, 1, 1, 1, 1, 1, 1, 1],
            "{name}: 2 pages at 5, then 7 at 1"
        );
        let last = &one.exchanges.last().unwrap().request.url;
        let expected = match mode {
            Mode::Link => "/v1/items?after=6&limit=1",
            _ => "/v1/items?limit=1&cursor=6",
        };
        assert!(last.ends_with(expected), "{name}: {last}");
        server.abort();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_link_is_sent_as_the_server_wrote_it_without_filling_placeholders() {
    let dir = common::scratch("walk-placeholder");
    let plan = items_plan(&dir, "placeholder", "");
    let (base, server) = cursor_server(Mode::Placeholder).await;
    let c = run(&plan, &target("items", base), "pagination-walk-size-1").await;
    assert_eq!(c.outcome, Outcome::Passed, "{}", describe(&c));
    let urls: Vec<&str> = c.exchanges.iter().map(|x| x.request.url.as_str()).collect();
    assert_eq!(urls.len(), 9, "{urls:?}");
    assert!(
        urls.iter().all(|u| !u.contains(accord::redact::MASK)),
        "no secret of the suite's goes into a server's link: {urls:?}"
    );
    assert!(
        urls.last()
            .unwrap()
            .ends_with("/v1/items?after=6&limit=1&note={{token}}"),
        "{urls:?}"
    );
    server.abort();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_link_to_another_origin_is_not_followed_with_the_steps_headers() {
    let dir = common::scratch("walk-elsewhere");
    let plan = items_plan(&dir, "elsewhere", "");
    let (base, server) = cursor_server(Mode::Elsewhere).await;
    let c = run(&plan, &target("items", base), "pagination-walk-max-size").await;
    assert_eq!(c.outcome, Outcome::Errored, "{}", describe(&c));
    assert_eq!(c.exchanges.len(), 1, "only the first page is sent");
    assert_eq!(c.errors.len(), 1, "{}", describe(&c));
    assert!(
        c.errors[0].message.starts_with(
            "the walk stopped: the link after page 1, http://127.0.0.2:9/v1/items?after=5&limit=5, leads to http://127.0.0.2:9, another origin than the walk's first page (http://127.0.0.1:"
        ),
        "{}",
        c.errors[0].message
    );
    server.abort();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_that_never_end_stop_at_the_cap() {
    let dir = common::scratch("walk-cap");
    let plan = items_plan(&dir, "endless", "    max_pages: 50\n");
    let (base, server) = cursor_server(Mode::Endless).await;
    let c = run(&plan, &target("items", base), "pagination-walk-max-size").await;
    assert_eq!(c.outcome, Outcome::Failed, "{}", describe(&c));
    assert_eq!(c.exchanges.len(), 50);
    let lines = finding_lines(&c);
    assert_eq!(
        lines,
        [
            "[pagination-walk] step 1, page 50, body /next: the walk stopped at max_pages (50) and page 50 still points further: the pages never end (if the set truly needs more pages, raise `max_pages`)"
        ]
    );
    server.abort();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cursor_cycle_is_a_loop() {
    let dir = common::scratch("walk-cycle");
    let plan = items_plan(&dir, "cycle", "    cursor_param: cursor\n");
    let (base, server) = cursor_server(Mode::Cycle).await;
    let c = run(&plan, &target("items", base), "pagination-walk-max-size").await;
    assert_eq!(c.outcome, Outcome::Failed, "{}", describe(&c));
    assert_eq!(c.exchanges.len(), 3);
    let lines = finding_lines(&c);
    assert_eq!(
        lines,
        [
            "[pagination-walk] step 1, page 3, body /next: /next of page 3 leads back to page 2, which the walk already requested: the walk loops (expected: a page not requested yet, actual: a)"
        ]
    );
    server.abort();
}

/// Seven accounts in CDS pages whose links name no page number but an offset (`at`); with
/// `wrong_prev`, every `prev` leads to the first page.
async fn cds_cursor_accounts(
    State(wrong_prev): State<bool>,
    headers: HeaderMap,
    uri: Uri,
    Query(q): Query<HashMap<String, String>>,
) -> Json<Value> {
    const TOTAL: usize = 7;
    let number = |k: &str| q.get(k).and_then(|v| v.parse::<usize>().ok());
    let size = number("page-size").unwrap_or(3).clamp(1, 5);
    let at = number("at").unwrap_or((number("page").unwrap_or(1) - 1) * size);
    let (n, pages) = (at / size + 1, TOTAL.div_ceil(size));
    let host = headers["host"].to_str().unwrap();
    let link = |offset: usize| {
        json!(format!(
            "http://{host}/v1/accounts?at={offset}&page-size={size}"
        ))
    };
    let mut links = json!({"self": format!("http://{host}{uri}")});
    if n > 1 {
        links["first"] = link(0);
        links["prev"] = link(if wrong_prev { 0 } else { (n - 2) * size });
    }
    if n < pages {
        links["next"] = link(n * size);
        links["last"] = link((pages - 1) * size);
    }
    let ids: Vec<Value> = (at..(at + size).min(TOTAL))
        .map(|i| json!({"accountId": format!("acc-{i}")}))
        .collect();
    Json(
        json!({"data": {"accounts": ids}, "links": links, "meta": {"totalRecords": TOTAL, "totalPages": pages}}),
    )
}

const CDS_CURSOR_SPEC: &str = "openapi: 3.0.3\ninfo: {title: Accounts, version: \"1\"}\nservers: [{url: \"http://localhost/v1\"}]\npaths:\n  /accounts:\n    get:\n      operationId: listAccounts\n      parameters:\n        - {name: page, in: query, schema: {type: integer}}\n        - {name: page-size, in: query, schema: {type: integer}}\n        - {name: at, in: query, schema: {type: integer}}\n      responses:\n        \"200\":\n          description: a page\n          content:\n            application/json:\n              schema: {type: object, required: [data, links, meta]}\n";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cds_links_without_page_numbers_are_followed_once_to_see_where_they_lead() {
    let dir = common::scratch("walk-cds-cursor");
    std::fs::write(dir.join("accounts-spec.yaml"), CDS_CURSOR_SPEC).unwrap();
    let plan = load(
        &dir,
        "accounts",
        "api: accounts\nspec: accounts-spec.yaml\nprotocol:\n  pagination:\n    style: cds\n    requirement: CDS Pagination\n    request: {operation: listAccounts}\n    items: /data/accounts\n    id: /accountId\n    default_size: 3\n    max_size: 5\ncases:\n  - id: first-page\n    title: T\n    requirements: [R]\n    steps:\n      - request: {operation: listAccounts}\n        expect: {status: 200}\n",
    );
    for wrong_prev in [false, true] {
        let app = Router::new()
            .route("/v1/accounts", get(cds_cursor_accounts))
            .with_state(wrong_prev);
        let (addr, server) = serve(app).await;
        let t = target("accounts", format!("http://{addr}/v1"));
        let c = run(&plan, &t, "pagination-walk-default").await;
        let walked = c.exchanges.iter().filter(|x| x.page.is_some()).count();
        let followed: Vec<String> = c
            .exchanges
            .iter()
            .filter_map(|x| {
                x.link
                    .as_ref()
                    .map(|l| format!("{} {} {}", l.page, l.name, x.request.url))
            })
            .collect();
        assert_eq!(walked, 3, "{}", describe(&c));
        assert_eq!(
            followed,
            [format!(
                "2 first http://{addr}/v1/accounts?at=0&page-size=3"
            )],
            "only the link no page of the walk was asked for by, once"
        );
        if wrong_prev {
            assert_eq!(c.outcome, Outcome::Failed, "{}", describe(&c));
            let lines = finding_lines(&c);
            assert_eq!(
                lines,
                [
                    "[pagination-walk] step 1, page 3, body /links/prev: links.prev of page 3 leads to page 1 of the walk, expected page 2 (expected: 2, actual: 1)"
                ]
            );
        } else {
            assert_eq!(c.outcome, Outcome::Passed, "{}", describe(&c));
        }
        server.abort();
    }
}

#[test]
fn a_walk_without_a_pagination_declaration_does_not_load() {
    let dir = common::scratch("walk-undeclared");
    std::fs::write(dir.join("items-spec.yaml"), ITEMS_SPEC).unwrap();
    let path = dir.join("bare.yaml");
    std::fs::write(
        &path,
        "api: items\nspec: items-spec.yaml\ncases:\n  - id: walk\n    title: T\n    requirements: [R]\n    steps:\n      - request: {operation: listItems}\n        walk: {}\n",
    )
    .unwrap();
    let problems = plan::load(&[path]).expect_err("the suite must not load");
    let shown: Vec<String> = problems.iter().map(|d| d.to_string()).collect();
    assert!(
        shown.iter().any(|d| d.contains(":9:9:")
            && d.contains(
                "a `walk` step needs `protocol.pagination` in one of the `items` suites"
            )),
        "{shown:#?}"
    );
}
