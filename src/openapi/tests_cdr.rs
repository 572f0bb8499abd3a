//! Loading the CDR specs: our Get Accounts v2 spec under `specs/cdr/` and the fixture that
//! mirrors the constructs of the official CDS banking file.

use serde_json::{Value, json};

use super::*;

fn load(path: &str) -> Spec {
    Spec::load(Path::new(path)).unwrap_or_else(|d| {
        let shown: Vec<String> = d.iter().map(ToString::to_string).collect();
        panic!("{path} did not load:\n{}", shown.join("\n"))
    })
}

fn body_schema(spec: &Spec, op: &str, status: &str) -> SchemaRef {
    let op = spec.operation(op).unwrap();
    let response = op.responses.iter().find(|r| r.status == status).unwrap();
    response.content[0].schema.unwrap()
}

fn messages(spec: &Spec, schema: SchemaRef, value: &Value) -> Vec<String> {
    spec.validate(schema, value)
        .iter()
        .map(|v| format!("{}: {}", v.instance_path, v.message))
        .collect()
}

fn account() -> Value {
    json!({
        "accountId": "acc-0001",
        "creationDate": "2021-03-04",
        "displayName": "Everyday Account",
        "nickname": "Bills",
        "openStatus": "OPEN",
        "isOwned": true,
        "accountOwnership": "ONE_PARTY",
        "maskedNumber": "xxx-xxx xxxxx1234",
        "productCategory": "TRANS_AND_SAVINGS_ACCOUNTS",
        "productName": "Everyday"
    })
}

fn accounts_page() -> Value {
    json!({
        "data": {"accounts": [account()]},
        "links": {
            "self": "https://data.holder.com.au/cds-au/v1/banking/accounts?page=1",
            "next": "https://data.holder.com.au/cds-au/v1/banking/accounts?page=2",
            "last": "https://data.holder.com.au/cds-au/v1/banking/accounts?page=2"
        },
        "meta": {"totalRecords": 2, "totalPages": 2}
    })
}

const ACCOUNTS: &str = "specs/cdr/banking-accounts-v2.yaml";

#[test]
fn our_accounts_spec_indexes_as_the_standard_defines() {
    let spec = load(ACCOUNTS);
    assert_eq!(spec.base_path, "/cds-au/v1");
    assert_eq!(spec.operations.len(), 1);
    let op = spec.operation("listAccounts").unwrap();
    assert_eq!(
        (op.method.as_str(), op.path.as_str()),
        ("GET", "/banking/accounts")
    );
    let params: Vec<(&str, ParamIn, bool)> = op
        .parameters
        .iter()
        .map(|p| (p.name.as_str(), p.location, p.required))
        .collect();
    assert_eq!(
        params,
        [
            ("product-category", ParamIn::Query, false),
            ("open-status", ParamIn::Query, false),
            ("is-owned", ParamIn::Query, false),
            ("page", ParamIn::Query, false),
            ("page-size", ParamIn::Query, false),
            ("x-v", ParamIn::Header, true),
            ("x-min-v", ParamIn::Header, false),
            ("x-fapi-interaction-id", ParamIn::Header, false),
            ("x-fapi-auth-date", ParamIn::Header, false),
            ("x-fapi-customer-ip-address", ParamIn::Header, false),
            ("x-cds-client-headers", ParamIn::Header, false),
        ]
    );
    let statuses: Vec<&str> = op.responses.iter().map(|r| r.status.as_str()).collect();
    assert_eq!(
        statuses,
        [
            "200", "400", "401", "403", "406", "422", "429", "500", "503"
        ]
    );
    for r in &op.responses {
        let interaction = r.headers.iter().find(|h| h.name == "x-fapi-interaction-id");
        assert!(
            interaction.is_some_and(|h| h.required),
            "{} lacks x-fapi-interaction-id",
            r.status
        );
        let has_body = !r.content.is_empty();
        let wants_body = ["200", "400", "403", "406", "422"].contains(&r.status.as_str());
        assert_eq!(has_body, wants_body, "content of {}", r.status);
    }
    let ok = &op.responses[0];
    assert!(ok.headers.iter().any(|h| h.name == "x-v" && h.required));
    assert_eq!(
        ok.location,
        "specs/cdr/banking-accounts-v2.yaml#/paths/~1banking~1accounts/get/responses/200"
    );
    let (matched, _) = spec
        .match_path("GET", "/cds-au/v1/banking/accounts?page=2")
        .unwrap();
    assert_eq!(matched.name(), "listAccounts");
}

#[test]
fn our_accounts_spec_accepts_a_correct_page() {
    let spec = load(ACCOUNTS);
    let page = body_schema(&spec, "listAccounts", "200");
    assert_eq!(
        messages(&spec, page, &accounts_page()),
        Vec::<String>::new()
    );
    let empty = json!({"data": {"accounts": []},
                       "links": {"self": "https://data.holder.com.au/cds-au/v1/banking/accounts"},
                       "meta": {"totalRecords": 0, "totalPages": 0}});
    assert_eq!(messages(&spec, page, &empty), Vec::<String>::new());
}

/// Payload Conventions: an optional field may be present with a null value; a mandatory one
/// may not.
#[test]
fn our_accounts_spec_takes_null_for_optional_fields_only() {
    let spec = load(ACCOUNTS);
    let page = body_schema(&spec, "listAccounts", "200");
    let mut nulls = accounts_page();
    for field in ["creationDate", "nickname", "openStatus", "isOwned"] {
        nulls["data"]["accounts"][0][field] = Value::Null;
    }
    for link in ["first", "prev"] {
        nulls["links"][link] = Value::Null;
    }
    assert_eq!(messages(&spec, page, &nulls), Vec::<String>::new());
    nulls["data"]["accounts"][0]["displayName"] = Value::Null;
    assert_eq!(
        messages(&spec, page, &nulls),
        ["/data/accounts/0/displayName: null is not of type \"string\""]
    );
}

#[test]
fn our_accounts_spec_rejects_bad_pages() {
    let spec = load(ACCOUNTS);
    let page = body_schema(&spec, "listAccounts", "200");
    let mut bad = accounts_page();
    bad["data"]["accounts"][0]["productCategory"] = json!("SAVINGS");
    bad["data"]["accounts"][0]
        .as_object_mut()
        .unwrap()
        .remove("accountId");
    bad["meta"]["totalRecords"] = json!("2");
    bad["links"]["next"] = json!("page 2");
    bad["data"]["accounts"][0]["creationDate"] = json!("04/03/2021");
    assert_eq!(
        messages(&spec, page, &bad),
        [
            "/data/accounts/0: \"accountId\" is a required property",
            "/data/accounts/0/creationDate: \"04/03/2021\" is not a valid DateString (an RFC 3339 full-date such as 2024-05-01)",
            "/data/accounts/0/productCategory: \"SAVINGS\" is not one of \"BUSINESS_LOANS\", \"CRED_AND_CHRG_CARDS\" or 10 other candidates",
            "/links/next: \"page 2\" is not a valid URIString (a URI with a scheme)",
            "/meta/totalRecords: \"2\" is not of type \"integer\"",
        ]
    );
}

#[test]
fn our_accounts_spec_checks_error_bodies_and_headers() {
    let spec = load(ACCOUNTS);
    let errors = body_schema(&spec, "listAccounts", "400");
    let good = json!({"errors": [{
        "code": "urn:au-cds:error:cds-all:Field/InvalidPageSize",
        "title": "Invalid Page Size",
        "detail": "page-size must not exceed 1000",
        "meta": {"urn": "urn:au-cds:error:cds-all:Field/InvalidPageSize"}
    }]});
    assert_eq!(messages(&spec, errors, &good), Vec::<String>::new());
    assert_eq!(
        messages(&spec, errors, &json!({"errors": []})),
        Vec::<String>::new()
    );
    let bad = json!({"errors": [{"code": "x", "title": "t"}], "meta": 1});
    assert_eq!(
        messages(&spec, errors, &bad),
        ["/errors/0: \"detail\" is a required property"]
    );
    assert_eq!(
        errors,
        body_schema(&spec, "listAccounts", "406"),
        "every error response shares one compiled schema"
    );
    let op = spec.operation("listAccounts").unwrap();
    let page = op.parameters.iter().find(|p| p.name == "page").unwrap();
    let page = page.schema.unwrap();
    assert!(spec.validate_header(page, "3").is_empty());
    assert_eq!(
        spec.validate_header(page, "0")
            .iter()
            .map(|v| v.message.as_str())
            .collect::<Vec<_>>(),
        ["0 is not a valid PositiveInteger (an integer of 1 or more)"]
    );
    let client = op
        .parameters
        .iter()
        .find(|p| p.name == "x-cds-client-headers")
        .unwrap();
    assert!(
        spec.validate_header(client.schema.unwrap(), "VXNlci1BZ2VudDogeA==")
            .is_empty()
    );
    assert_eq!(
        spec.validate_header(client.schema.unwrap(), "not base64!")
            .len(),
        1
    );
}

const CONSTRUCTS: &str = "tests/fixtures/specs/cds-constructs.yaml";

#[test]
fn constructs_fixture_loads_and_matches_like_the_official_file() {
    let spec = load(CONSTRUCTS);
    let (op, params) = spec
        .match_path("GET", "/cds-au/v1/banking/accounts/balances")
        .unwrap();
    assert_eq!(
        (op.name(), params),
        ("listBalancesBulk".to_string(), vec![])
    );
    let (op, params) = spec
        .match_path("GET", "/cds-au/v1/banking/accounts/a1/balance")
        .unwrap();
    assert_eq!(op.name(), "getBalance");
    assert_eq!(params, [("accountId".to_string(), "a1".to_string())]);
    assert_eq!(
        op.parameters[0].name, "accountId",
        "reached through a %7B..%7D pointer"
    );
    let detail = spec.operation("getAccountDetail").unwrap();
    let headers: Vec<&str> = detail.parameters.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(headers, ["accountId", "x-v", "x-cds-client-headers"]);
}

#[test]
fn constructs_fixture_validates_all_of_details() {
    let spec = load(CONSTRUCTS);
    let schema = body_schema(&spec, "getAccountDetail", "200");
    let good = json!({
        "data": {
            "accountId": "a1", "displayName": "Term deposit", "maskedNumber": "xxxx1234",
            "productCategory": "TERM_DEPOSITS", "openStatus": "OPEN", "depositRate": "0.0525",
            "closedAt": null,
            "termDeposit": [{"lodgementDate": "2024-01-31", "maturityDate": "2025-01-31",
                             "maturityAmount": "10500.00", "maturityCurrency": "AUD",
                             "maturityInstructions": "ROLLED_OVER"}]
        },
        "links": {"self": "https://data.holder.com.au/cds-au/v1/banking/accounts/a1"}
    });
    assert_eq!(messages(&spec, schema, &good), Vec::<String>::new());
    let mut bad = good.clone();
    bad["data"]["openStatus"] = json!("open");
    bad["data"]["closedAt"] = json!("yesterday");
    bad["data"]["termDeposit"][0]["maturityAmount"] = json!("10500");
    bad["data"]["termDeposit"][0]["maturityCurrency"] = json!("aud");
    bad["data"]["termDeposit"][0]["maturityInstructions"] = json!("KEEP");
    bad["data"]["creditCard"] = json!({"minPaymentAmount": "1.00", "paymentDueAmount": "1.00"});
    assert_eq!(
        messages(&spec, schema, &bad),
        [
            "/data/openStatus: \"open\" is not one of \"CLOSED\" or \"OPEN\"",
            "/data/termDeposit/0/maturityAmount: \"10500\" is not a valid AmountString (digits, a point and at least 2 decimals, such as -1001.23)",
            "/data/termDeposit/0/maturityCurrency: \"aud\" is not a valid CurrencyString (an ISO 4217 code such as AUD)",
            "/data/termDeposit/0/maturityInstructions: \"KEEP\" is not one of \"HOLD_ON_MATURITY\", \"PAID_OUT_AT_MATURITY\" or \"ROLLED_OVER\"",
            "/data/creditCard: \"paymentDueDate\" is a required property",
            "/data/closedAt: \"yesterday\" is not a valid DateTimeString (an RFC 3339 date-time such as 2024-05-01T15:43:00Z)",
        ]
    );
}

#[test]
fn constructs_fixture_validates_bulk_balances_and_errors() {
    let spec = load(CONSTRUCTS);
    let schema = body_schema(&spec, "listBalancesBulk", "200");
    let good = json!({
        "data": {"balances": [{"accountId": "a1", "currentBalance": "-12.50",
                               "availableBalance": "0.00",
                               "purses": [{"amount": "3.10", "currency": "USD"}]}]},
        "links": {"self": "https://h/cds-au/v1/banking/accounts/balances"},
        "meta": {"totalRecords": 1, "totalPages": 1}
    });
    assert_eq!(messages(&spec, schema, &good), Vec::<String>::new());
    let bad = json!({
        "data": {"balances": [{"accountId": "a1", "currentBalance": 12.5,
                               "availableBalance": "1,000.00", "purses": [{}]}]},
        "links": {},
        "meta": {"totalRecords": -1, "totalPages": 1.5}
    });
    assert_eq!(
        messages(&spec, schema, &bad),
        [
            "/data/balances/0/currentBalance: 12.5 is not of type \"string\"",
            "/data/balances/0/availableBalance: \"1,000.00\" is not a valid AmountString (digits, a point and at least 2 decimals, such as -1001.23)",
            "/data/balances/0/purses/0: \"amount\" is a required property",
            "/links: \"self\" is a required property",
            "/meta/totalRecords: -1 is not a valid NaturalNumber (an integer of 0 or more)",
            "/meta/totalPages: 1.5 is not of type \"integer\"",
        ]
    );
    let errors = body_schema(&spec, "getAccountDetail", "404");
    assert_eq!(
        messages(
            &spec,
            errors,
            &json!({"errors": [{"code": 1, "title": "t", "detail": "d"}]})
        ),
        ["/errors/0/code: 1 is not of type \"string\""]
    );
}

#[test]
fn violations_name_their_keyword_and_lead_back_to_the_bundle() {
    let spec = load(ACCOUNTS);
    let schema = body_schema(&spec, "listAccounts", "200");
    let mut page = accounts_page();
    page["data"]["accounts"][0]["creationDate"] = json!("04/03/2021");
    page["data"]["accounts"][0]["openStatus"] = json!("SHUT");
    let violations = spec.validate(schema, &page);
    let keywords: Vec<&str> = violations.iter().map(SchemaViolation::keyword).collect();
    assert_eq!(keywords, ["x-cds-type", "enum"], "{violations:?}");
    assert_eq!(
        spec.schema_node(&violations[0].schema_path),
        Some(&json!("DateString"))
    );
    let top = spec.resolve(spec.schema_json(schema).unwrap());
    assert_eq!(top["required"], json!(["data", "links", "meta"]));
}
