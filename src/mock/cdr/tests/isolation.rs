//! Each fault switch leaves every rule but its own alone: a fixed set of probe requests goes to
//! the conformant mock and to each faulty one, and only the probes the fault is allowed to touch
//! may answer differently (and at least one of them must).

use serde_json::Value;

use super::{ACCOUNTS, Mock, Reply, TOKEN, send};

const ID: &str = "3b6f1c9e-2d4a-4f8b-9e7c-5a1d2c3b4e5f";

/// One probe: name, path and query, `x-v`, `x-min-v`, whether to send the token and an
/// interaction id.
struct Probe {
    name: &'static str,
    path: &'static str,
    v: Option<&'static str>,
    min: Option<&'static str>,
    token: bool,
    id: bool,
    accept: Option<&'static str>,
    post: bool,
}

const fn probe(name: &'static str, path: &'static str) -> Probe {
    Probe {
        name,
        path,
        v: Some("2"),
        min: None,
        token: true,
        id: true,
        accept: None,
        post: false,
    }
}

const PROBES: &[Probe] = &[
    probe("ok", ""),
    Probe {
        id: false,
        ..probe("ok-fresh-id", "")
    },
    probe("page2", "?page=2&page-size=10&is-owned=true"),
    probe(
        "filtered",
        "?product-category=TRANS_AND_SAVINGS_ACCOUNTS&open-status=OPEN&is-owned=true&page-size=3",
    ),
    probe("closed", "?open-status=CLOSED&page-size=1000"),
    probe("unowned", "?is-owned=false&page-size=1000"),
    probe("leases", "?product-category=LEASES&page-size=1000"),
    probe("size5", "?page-size=5"),
    probe("last-page", "?page-size=10&page=8"),
    probe("size1001", "?page-size=1001"),
    probe("beyond", "?page=99"),
    probe("bad-page", "?page=abc"),
    Probe {
        v: None,
        ..probe("no-xv", "")
    },
    Probe {
        v: Some("abc"),
        ..probe("xv-abc", "")
    },
    Probe {
        v: Some("3"),
        min: Some("1"),
        ..probe("xv3-min1", "")
    },
    Probe {
        v: Some("3"),
        ..probe("xv3", "")
    },
    Probe {
        min: Some("foo"),
        ..probe("min-foo", "")
    },
    Probe {
        token: false,
        ..probe("no-token", "")
    },
    Probe {
        v: Some("1"),
        ..probe("xv1", "")
    },
    Probe {
        min: Some("5"),
        ..probe("xv2-min5", "")
    },
    probe("not-found", "/balances"),
    probe("page-zero", "?page=0"),
    Probe {
        accept: Some("application/xml"),
        ..probe("accept-xml", "")
    },
    Probe {
        accept: Some("AppliCAtion/JSon;Charset=uTf-8"),
        ..probe("accept-mixed", "")
    },
    Probe {
        post: true,
        ..probe("post", "")
    },
];

/// Which probes a fault may change: those answered 200 or 4xx by the conformant mock, all of
/// them, or the named ones.
enum Allowed {
    All,
    Success,
    Errors,
    Only(&'static [&'static str]),
    SuccessAnd(&'static [&'static str]),
}

fn allowed(fault: &str) -> Allowed {
    use Allowed::*;
    match fault {
        "no-interaction-id" | "wrong-interaction-id" => All,
        "no-interaction-id-on-error"
        | "bad-error-code"
        | "error-missing-detail"
        | "error-title-varies" => Errors,
        "ignore-x-min-v" => Only(&["xv3-min1"]),
        "accept-unsupported-version" => Only(&["xv3"]),
        "unsupported-version-as-bad-request" => Only(&["xv1", "xv3"]),
        "no-version-check" => Only(&["no-xv"]),
        "invalid-version-accepted" => Only(&["xv-abc"]),
        "x-min-v-not-validated" => Only(&["min-foo"]),
        "max-page-size-not-enforced" | "old-page-size-status" => Only(&["size1001"]),
        "invalid-page-accepted" => Only(&["beyond"]),
        "no-auth" | "data-on-unauthorised" => Only(&["no-token"]),
        "retired-version-served" => Only(&["xv1"]),
        "x-min-v-above-refused" => Only(&["xv2-min5"]),
        "default-page-size-wrong" => SuccessAnd(&["beyond"]),
        "page-zero-accepted" => Only(&["page-zero"]),
        "accept-not-checked" => Only(&["accept-xml"]),
        "accept-case-sensitive" => Only(&["accept-mixed"]),
        "unknown-path-served" => Only(&["not-found"]),
        "other-methods-served" => Only(&["post"]),
        "detail-without-field" => Only(&["bad-page", "no-xv", "page-zero"]),
        _ => Success,
    }
}

/// What a probe's answer looks like with the volatile parts (port, fresh UUIDs) normalised.
fn normalise(reply: &Reply, origin: &str, sent_id: bool) -> Value {
    let id = match reply.header("x-fapi-interaction-id") {
        None => "absent",
        Some(id) if sent_id && id == ID => "echo",
        Some(id) if uuid::Uuid::parse_str(id).is_ok_and(|u| u.get_version_num() == 4) => "fresh",
        Some(_) => "other",
    };
    let body = reply.body.to_string().replace(origin, "ORIGIN");
    serde_json::json!({
        "status": reply.status,
        "content-type": reply.header("content-type"),
        "x-v": reply.header("x-v"),
        "www-authenticate": reply.header("www-authenticate"),
        "interaction-id": id,
        "body": body,
    })
}

async fn answers(mock: &Mock) -> Vec<Value> {
    let mut out = Vec::new();
    for p in PROBES {
        let url = mock.url(&format!("{ACCOUNTS}{}", p.path));
        let mut request = if p.post {
            mock.client().post(&url)
        } else {
            mock.bare(&url)
        };
        if let Some(accept) = p.accept {
            request = request.header("accept", accept);
        }
        if p.token {
            request = request.bearer_auth(TOKEN);
        }
        if let Some(v) = p.v {
            request = request.header("x-v", v);
        }
        if let Some(min) = p.min {
            request = request.header("x-min-v", min);
        }
        if p.id {
            request = request.header("x-fapi-interaction-id", ID);
        }
        let reply = send(request).await;
        out.push(normalise(&reply, &mock.origin(), p.id));
    }
    out
}

/// The start of a normalised answer, to keep failure messages readable.
fn clip(answer: &Value) -> String {
    answer.to_string().chars().take(400).collect()
}

#[tokio::test]
async fn each_fault_changes_only_the_probes_it_may() {
    let good_mock = Mock::start(&[]).await;
    let good = answers(&good_mock).await;
    let not_found = PROBES.iter().position(|p| p.name == "not-found").unwrap();
    assert_eq!(good[not_found]["status"], 404);
    for fault in super::super::FAULTS {
        let bad_mock = Mock::start(&[fault.name]).await;
        let bad = answers(&bad_mock).await;
        bad_mock.stop().await;
        let mut changed = Vec::new();
        for (i, probe) in PROBES.iter().enumerate() {
            if good[i] == bad[i] {
                continue;
            }
            changed.push(probe.name);
            let status = good[i]["status"].as_u64().unwrap();
            let ok = match allowed(fault.name) {
                Allowed::All => true,
                Allowed::Success => status == 200,
                Allowed::Errors => status >= 400,
                Allowed::Only(names) => names.contains(&probe.name),
                Allowed::SuccessAnd(names) => status == 200 || names.contains(&probe.name),
            };
            assert!(
                ok,
                "{} changed probe {}:\n  conformant {}\n  faulty     {}",
                fault.name,
                probe.name,
                clip(&good[i]),
                clip(&bad[i])
            );
        }
        assert!(!changed.is_empty(), "{} changed no probe", fault.name);
    }
}
