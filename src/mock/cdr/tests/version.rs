//! Version negotiation of the conformant mock (CDS "HTTP Headers": x-v, x-min-v).

use super::{ACCOUNTS, Cds, Mock, TOKEN, send};

const MISSING: &str = "urn:au-cds:error:cds-all:Header/Missing";
const INVALID: &str = "urn:au-cds:error:cds-all:Header/InvalidVersion";
const UNSUPPORTED: &str = "urn:au-cds:error:cds-all:Header/UnsupportedVersion";

/// Sends `x-v`/`x-min-v` (when `Some`) with a valid token.
pub(super) async fn ask(mock: &Mock, v: Option<&str>, min: Option<&str>) -> super::Reply {
    let mut request = mock.bare(&mock.url(ACCOUNTS)).bearer_auth(TOKEN);
    if let Some(v) = v {
        request = request.header("x-v", v);
    }
    if let Some(min) = min {
        request = request.header("x-min-v", min);
    }
    send(request).await
}

/// `x-v`, `x-min-v`, expected status, expected error code (`None` for success).
type Case = (
    Option<&'static str>,
    Option<&'static str>,
    u16,
    Option<&'static str>,
);

#[tokio::test]
async fn negotiation_matrix() {
    let mock = Mock::start(&[]).await;
    let huge = "99999999999999999999999";
    let cases: &[Case] = &[
        (None, None, 400, Some(MISSING)),
        (None, Some("2"), 400, Some(MISSING)),
        (Some("2"), None, 200, None),
        (Some("3"), Some("1"), 200, None),
        (Some("3"), Some("2"), 200, None),
        (Some(huge), Some("1"), 200, None),
        (Some("2"), Some("2"), 200, None),
        (Some("2"), Some("5"), 200, None),
        (Some("3"), None, 406, Some(UNSUPPORTED)),
        (Some("1"), None, 406, Some(UNSUPPORTED)),
        (Some("3"), Some("3"), 406, Some(UNSUPPORTED)),
        (Some("4"), Some("3"), 406, Some(UNSUPPORTED)),
        (Some("1"), Some("5"), 406, Some(UNSUPPORTED)),
        (Some(huge), None, 406, Some(UNSUPPORTED)),
        (Some("abc"), None, 400, Some(INVALID)),
        (Some("0"), None, 400, Some(INVALID)),
        (Some("-2"), None, 400, Some(INVALID)),
        (Some("2.0"), None, 400, Some(INVALID)),
        (Some(""), None, 400, Some(INVALID)),
        (Some("abc"), Some("1"), 400, Some(INVALID)),
        (Some("2"), Some("abc"), 400, Some(INVALID)),
        (Some("2"), Some("0"), 400, Some(INVALID)),
        (Some("3"), Some("-1"), 400, Some(INVALID)),
    ];
    for &(v, min, status, code) in cases {
        let reply = ask(&mock, v, min).await;
        let case = format!("x-v {v:?}, x-min-v {min:?}");
        assert_eq!(reply.status, status, "{case}");
        assert!(reply.header("x-fapi-interaction-id").is_some(), "{case}");
        match code {
            None => assert_eq!(reply.header("x-v"), Some("2"), "{case}"),
            Some(code) => {
                assert_eq!(reply.code(), code, "{case}");
                assert!(reply.header("x-v").is_none(), "{case}");
            }
        }
    }
    mock.stop().await;
}

#[tokio::test]
async fn error_details_name_the_header() {
    let mock = Mock::start(&[]).await;
    let missing = ask(&mock, None, None).await;
    assert_eq!(missing.body["errors"][0]["detail"], "x-v");
    assert_eq!(
        missing.body["errors"][0]["title"],
        "Missing Required Header"
    );
    let invalid = ask(&mock, Some("2"), Some("foo")).await;
    let detail = invalid.body["errors"][0]["detail"].as_str().unwrap();
    assert!(detail.starts_with("x-min-v"), "{detail}");
    assert_eq!(invalid.body["errors"][0]["title"], "Invalid Version");
    let unsupported = ask(&mock, Some("7"), None).await;
    assert_eq!(
        unsupported.body["errors"][0]["title"],
        "Unsupported Version"
    );
    let detail = unsupported.body["errors"][0]["detail"].as_str().unwrap();
    assert!(detail.contains("minimum 2, maximum 2"), "{detail}");
}

#[tokio::test]
async fn versions_are_checked_before_the_query() {
    let mock = Mock::start(&[]).await;
    let request = mock
        .bare(&mock.url(&format!("{ACCOUNTS}?page=abc&page-size=5000")))
        .bearer_auth(TOKEN)
        .header("x-v", "9");
    assert_eq!(send(request).await.status, 406);
}
