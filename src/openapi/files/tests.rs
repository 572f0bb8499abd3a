use super::*;

#[test]
fn percent_decoding() {
    assert_eq!(
        percent_decode("/paths/~1a~1%7Bid%7D").as_deref(),
        Some("/paths/~1a~1{id}")
    );
    assert_eq!(percent_decode("%zz"), None);
    assert_eq!(percent_decode("%4"), None);
    assert_eq!(percent_decode("plain").as_deref(), Some("plain"));
}

#[test]
fn normalises_lexically() {
    assert_eq!(
        normalise(Path::new("a/./b/../c.yaml")),
        PathBuf::from("a/c.yaml")
    );
    assert_eq!(
        normalise(Path::new("../x.yaml")),
        PathBuf::from("../x.yaml")
    );
}

fn files(text: &str) -> Files {
    Files::new(Document::parse("s.yaml", text).unwrap(), PathBuf::from("."))
}

#[test]
fn deref_follows_chains_and_detects_cycles() {
    let mut f = files(
        "a: {$ref: '#/b'}\nb: {$ref: '#/c'}\nc: {x: 1}\nl: {$ref: '#/m'}\nm: {$ref: '#/l'}\n",
    );
    assert_eq!(f.deref(&Place::new(0, "/a")).unwrap(), Place::new(0, "/c"));
    let err = f.deref(&Place::new(0, "/l")).unwrap_err();
    assert_eq!(
        err[0].to_string(),
        "s.yaml:4:11: $ref cycle: the chain of references never reaches a value"
    );
}

#[test]
fn broken_local_ref_suggests_a_near_name() {
    let mut f = files(
        "components:\n  schemas:\n    Account: {}\nx: {$ref: '#/components/schemas/Acount'}\n",
    );
    let err = f
        .resolve(&Place::new(0, "/x/$ref"), "#/components/schemas/Acount")
        .unwrap_err();
    assert_eq!(
        err[0].to_string(),
        "s.yaml:4:11: broken $ref `#/components/schemas/Acount`: `s.yaml` has nothing at `/components/schemas/Acount`"
    );
    assert_eq!(
        err[0].help.as_deref(),
        Some("did you mean `#/components/schemas/Account`?")
    );
}

#[test]
fn refs_under_names_like_keywords_are_found_and_literals_skipped() {
    let value: Value = serde_json::from_str(
        r##"{"responses": {"default": {"$ref": "#/a"}},
                "properties": {"example": {"$ref": "#/b"}},
                "schema": {"default": {"$ref": "#/c"}, "example": {"$ref": "#/d"},
                           "x-v": {"$ref": "#/e"}}}"##,
    )
    .unwrap();
    let mut refs = Vec::new();
    collect_refs(&value, String::new(), &mut refs);
    let found: Vec<&str> = refs.iter().map(|(_, r)| r.as_str()).collect();
    assert_eq!(found, ["#/a", "#/b"]);
}

#[test]
fn rejects_remote_and_anchor_refs() {
    let mut f = files("x: 1\n");
    let at = Place::new(0, "/x");
    let err = f.resolve(&at, "https://example.com/s.json#/a").unwrap_err();
    assert!(err[0].message.starts_with("remote $ref"), "{}", err[0]);
    let err = f.resolve(&at, "#anchor").unwrap_err();
    assert!(err[0].message.starts_with("unsupported $ref"), "{}", err[0]);
    let err = f.resolve(&at, "#/a%2").unwrap_err();
    assert!(err[0].message.contains("percent-encoding"), "{}", err[0]);
}
