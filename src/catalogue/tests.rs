use super::*;

const GOOD: &str = r#"catalogue: cdr
title: T
sources:
  - {id: cds, title: Consumer Data Standards 1.36.0, url: "https://example.org/cds"}
requirements:
  - id: pagination.page-size-default
    source: cds
    section: Pagination › Query Parameters
    level: must
    says: "page-size: a default of 25 will be assumed"
    checks: [pagination-walk]
    faults: [default-page-size-wrong]
  - id: headers.retry-after
    source: cds
    section: HTTP Headers › Response headers
    level: should
    says: The holder should include this header along with 429 responses.
    untestable: No conformant request can be made to be throttled.
  - id: pagination.no-isolation
    source: cds
    section: Pagination › Additional Pagination Rules
    level: may
    says: Holders are not expected to implement pagination with transaction isolation.
    allows: Walks compare records within one walk only.
  - id: "urn:au-cds:error:cds-all:Field/Invalid"
    source: cds
    section: Error Codes › 400
    level: must
    says: This error code MUST be supported.
    gap: Not tested yet.
"#;

fn parse(text: &str) -> Result<Catalogue, Vec<String>> {
    let doc = Document::parse("c.yaml", text.to_owned()).map_err(|d| {
        d.iter()
            .map(|x| format!("{}:{}: {}", x.line, x.col, x.message))
            .collect::<Vec<_>>()
    })?;
    from_document(doc).map_err(|d| {
        d.iter()
            .map(|x| match &x.help {
                Some(h) => format!("{}:{}: {} ({h})", x.line, x.col, x.message),
                None => format!("{}:{}: {}", x.line, x.col, x.message),
            })
            .collect()
    })
}

#[test]
fn a_catalogue_loads_with_every_way_of_covering_a_statement() {
    let c = parse(GOOD).unwrap();
    assert_eq!(c.api, "cdr");
    let statuses: Vec<Status<'_>> = c.requirements.iter().map(Requirement::status).collect();
    assert_eq!(
        statuses,
        [
            Status::Tested,
            Status::Untestable("No conformant request can be made to be throttled."),
            Status::Allows("Walks compare records within one walk only."),
            Status::Gap("Not tested yet."),
        ]
    );
    let r = c.get("pagination.page-size-default").unwrap();
    assert_eq!(r.level, Level::Must);
    assert_eq!(
        c.cited_from(r),
        "Consumer Data Standards 1.36.0, Pagination › Query Parameters"
    );
    assert_eq!(c.location(1), "c.yaml:13:5");
}

#[test]
fn every_problem_of_a_catalogue_is_located() {
    let bad = GOOD
        .replace(
            "source: cds\n    section: HTTP",
            "source: cdx\n    section: HTTP",
        )
        .replace("checks: [pagination-walk]", "checks: [pagination-wlak]")
        .replace("[default-page-size-wrong]", "[default-page-size-wrng]")
        .replace("id: pagination.no-isolation", "id: headers.retry-after")
        .replace(
            "    gap: Not tested yet.\n",
            "    gap: Not tested yet.\n    checks: [expect-error]\n",
        )
        .replace("id: \"urn:", "id: \"urn :");
    assert_eq!(
        parse(&bad).unwrap_err(),
        [
            "11:14: no check `pagination-wlak` (did you mean `pagination-walk`?)",
            "12:14: the cdr mock has no fault switch `default-page-size-wrng` (did you mean `default-page-size-wrong`?)",
            "14:13: source `cdx` is not listed under `sources` (did you mean `cds`?)",
            "19:9: requirement `headers.retry-after` is already listed at c.yaml:13:5",
            "25:9: requirement id `urn :au-cds:error:cds-all:Field/Invalid` must be letters, digits and . - _ : / only",
            "25:5: requirement `urn :au-cds:error:cds-all:Field/Invalid` needs exactly one of `checks` (how it is tested), `untestable`, `allows` or `gap`",
        ]
    );
}

#[test]
fn unknown_keys_levels_and_missing_fields_are_located() {
    assert_eq!(
        parse(&GOOD.replace("level: should", "level: ought")).unwrap_err(),
        ["16:12: unknown variant `ought`, expected one of `must`, `should`, `may`"]
    );
    let e = parse(&GOOD.replace("    says: The holder", "    sayz: The holder")).unwrap_err();
    assert!(e[0].starts_with("17:5: unknown field `sayz`"), "{e:?}");
    assert_eq!(
        parse(
            &GOOD
                .replace(
                    "    faults: [default-page-size-wrong]\n",
                    "    faults: [default-page-size-wrong]\n    untestable: x\n"
                )
                .replace("    checks: [pagination-walk]\n", "")
        )
        .unwrap_err(),
        ["11:5: `faults` go with `checks`: list the checks that judge them"]
    );
    assert_eq!(
        parse(&GOOD.replace("catalogue: cdr", "catalogue: mine")).unwrap_err(),
        [
            "12:14: api `mine` has no built-in mock, so there is no fault switch `default-page-size-wrong`"
        ]
    );
}
