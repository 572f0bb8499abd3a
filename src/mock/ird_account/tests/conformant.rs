//! The conformant mock, rule by rule.

use axum::http::StatusCode;
use serde_json::json;

use super::*;

#[test]
fn the_customer_lists_its_eligible_accounts() {
    let r = registry(&[]);
    let reply = list_as(&r, "", ME);
    assert_eq!(reply.status, StatusCode::OK);
    let ids = ids(&reply);
    assert_eq!(
        ids,
        [
            "132243158FAM005",
            "132243158GST004",
            "132243158INC003",
            "132243158FBT005"
        ]
    );
    assert!(
        reply.body["Accounts"]
            .as_array()
            .unwrap()
            .iter()
            .all(|a| a["IDType"] == "ACC")
    );
}

#[test]
fn the_customer_is_also_found_by_its_customer_id() {
    let r = registry(&[]);
    let by_cst = r.list(
        Some(&bearer("")),
        &body(json!({"CustomerID": "1512150403", "CustomerIDType": "CST"})),
    );
    assert_eq!(ids(&by_cst), ids(&list_as(&r, "", ME)));
}

#[test]
fn every_listed_account_can_be_fetched_and_agrees() {
    let r = registry(&[]);
    for id in ids(&list_as(&r, "", ME)) {
        let reply = account_as(&r, "", &id);
        assert_eq!(reply.status, StatusCode::OK, "{id}");
        let a = &reply.body["Account"];
        assert_eq!(a["ID"], id.as_str());
        assert_eq!(a["IDType"], "ACC");
        for key in [
            "Status",
            "AccountType",
            "FilingFrequency",
            "Commence",
            "Cease",
        ] {
            assert!(a[key].is_string(), "{id} {key}");
        }
        let (commence, cease) = (
            a["Commence"].as_str().unwrap(),
            a["Cease"].as_str().unwrap(),
        );
        assert!(cease > commence, "{id}");
        assert_eq!(a["Status"] == "CLS", cease != "9999-12-31", "{id}");
    }
}

#[test]
fn an_account_has_addresses_contacts_and_a_refund_account() {
    let r = registry(&[]);
    let a = &account_as(&r, "", "132243158INC003").body["Account"];
    assert_eq!(a["Address"][0]["Type"], "PRFLOC");
    assert_eq!(a["Address"][1]["Type"], "PRFMAL");
    assert_eq!(a["Contact"][0]["ContactType"], "PRIMRY");
    assert_eq!(a["Contact"][1]["ContactType"], "SCNDRY");
    assert!(a["BankAccount"].is_string() && a["NameOnBankAccount"].is_string());
    assert_eq!(a["INC"]["BalanceDate"], "31-Mar");
}

#[test]
fn the_delegate_sees_only_delegated_accounts() {
    let r = registry(&[]);
    assert_eq!(
        ids(&list_as(&r, ".delegate", ME)),
        ["132243158GST004", "132243158INC003"]
    );
    assert_eq!(
        account_as(&r, ".delegate", "132243158INC003").status,
        StatusCode::OK
    );
    let hidden = account_as(&r, ".delegate", "132243158FAM005");
    assert_eq!(
        (hidden.status, hidden.code()),
        (StatusCode::FORBIDDEN, "EV1022")
    );
    assert_eq!(list_as(&r, ".delegate", OTHER).code(), "EV1022");
}

#[test]
fn agent_and_agency_see_the_customers_they_are_entitled_to() {
    let r = registry(&[]);
    assert_eq!(ids(&list_as(&r, ".agent", ME)).len(), 4);
    assert_eq!(list_as(&r, ".agent", "069096409").status, StatusCode::OK);
    assert_eq!(list_as(&r, ".agent", OTHER).code(), "EV1022");
    assert_eq!(list_as(&r, ".agency", OTHER).status, StatusCode::OK);
    assert_eq!(
        account_as(&r, ".agency", "132243158INC003").status,
        StatusCode::OK
    );
    assert_eq!(
        account_as(&r, ".agency", "102210221INC002").code(),
        "EV1022"
    );
}

#[test]
fn strangers_and_other_customers_are_refused() {
    let r = registry(&[]);
    for reply in [
        list_as(&r, ".stranger", ME),
        account_as(&r, ".stranger", "132243158INC003"),
        list_as(&r, "", OTHER),
        account_as(&r, "", "139369673INC003"),
    ] {
        assert_eq!(reply.status, StatusCode::FORBIDDEN);
        assert_eq!(reply.body["errors"][0]["type"], "security");
        assert_eq!(reply.code(), "EV1022");
    }
}

#[test]
fn tokens_are_checked_first() {
    let r = registry(&[]);
    let none = r.list(None, b"not json");
    assert_eq!(
        (none.status, none.code()),
        (StatusCode::BAD_REQUEST, "EV1021")
    );
    let bad = r.list(Some("Bearer nope"), b"{}");
    assert_eq!(bad.code(), "EV1020");
    assert_eq!(r.account(Some(&bearer(".admin")), b"{}").code(), "EV1020");
}

#[test]
fn request_fields_are_validated_with_ev1100_naming_the_field() {
    let r = registry(&[]);
    let t = bearer("");
    let cases = [
        (
            json!({"CustomerID": ME, "CustomerIDType": ""}),
            "CustomerIDType",
        ),
        (json!({"CustomerID": ME}), "CustomerIDType"),
        (json!({"CustomerIDType": "IRD"}), "CustomerID"),
        (
            json!({"CustomerID": "12345678901", "CustomerIDType": "IRD"}),
            "CustomerID",
        ),
        (
            json!({"CustomerID": 132243158, "CustomerIDType": "IRD"}),
            "CustomerID",
        ),
        (
            json!({"CustomerID": "13224315x", "CustomerIDType": "IRD"}),
            "CustomerID",
        ),
        (json!("a string"), "body"),
    ];
    for (request, field) in cases {
        let reply = r.list(Some(&t), &body(request.clone()));
        assert_eq!(
            (reply.status, reply.code()),
            (StatusCode::BAD_REQUEST, "EV1100"),
            "{request}"
        );
        let message = reply.body["errors"][0]["message"].as_str().unwrap();
        assert!(message.ends_with(field), "{message}");
    }
    for request in [
        json!({"AccountID": "123", "AccountIDType": "ACC"}),
        json!({"AccountID": "132243158INC0031", "AccountIDType": "ACC"}),
        json!({"AccountID": "132243158INC003", "AccountIDType": "XYZ"}),
        json!({"AccountID": "132243158INC003"}),
    ] {
        assert_eq!(
            r.account(Some(&t), &body(request.clone())).code(),
            "EV1100",
            "{request}"
        );
    }
}

#[test]
fn identifiers_are_checked_and_looked_up() {
    let r = registry(&[]);
    assert_eq!(list_as(&r, "", "123456789").code(), "EV2234");
    assert_eq!(list_as(&r, "", "140000019").code(), "CST404");
    assert_eq!(list_as(&r, "", "069096409").code(), "EV1022");
    assert_eq!(account_as(&r, "", "132243158INC999").code(), "CST404");
    let ksf = r.account(
        Some(&bearer("")),
        &body(json!({"AccountID": "132243158INC003", "AccountIDType": "KSF"})),
    );
    assert_eq!(ksf.code(), "CST404");
    let kss = account_as(&r, "", "132243158KSS004");
    assert_eq!(
        (kss.status, kss.code()),
        (StatusCode::BAD_REQUEST, "ACT100")
    );
}

#[test]
fn the_persona_is_the_same_under_every_seed() {
    let first = list_as(&seeded(0, &[]), "", ME);
    for seed in [1, 2, 3, 5, 8, 13] {
        let r = seeded(seed, &[]);
        assert_eq!(list_as(&r, "", ME), first, "{seed}");
        let generated = r.customers.iter().skip(4).collect::<Vec<_>>();
        assert!(!generated.is_empty());
        for c in generated {
            assert_eq!(list_as(&r, ".agency", &c.ird).status, StatusCode::OK);
            let agent = list_as(&r, ".agent", &c.ird).status;
            assert_eq!(agent == StatusCode::OK, c.agent_linked);
        }
    }
}
