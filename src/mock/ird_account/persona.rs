//! Inland Revenue's published test personas (customer services suite "Test Details"),
//! restated with the mock's own names and contact details, and the contact details every
//! account of one party shares.
//!
//! The main function is [`personas`]; [`Party`] builds accounts with addresses and contacts.

use serde_json::{Value, json};

use super::data::{Account, Customer, OPEN_CEASE, PERSONA_IRD};

/// Inland Revenue's published test personas, restated with the mock's own contact details.
pub(super) fn personas() -> Vec<Customer> {
    let persona = |ird: &str, own, agent_linked, mou, accounts| Customer {
        ird: ird.into(),
        cst: None,
        own,
        agent_linked,
        mou,
        accounts,
    };
    let home = Party {
        name: "Aroha Ngata",
        street: "12 Kowhai Street",
        suburb: "Mount Eden",
        city: "Auckland",
        post_code: "1024",
        phone: "093027781",
        bank: "12-3040-0567890-00",
        id_base: 5_340_000_000,
    };
    let firm = Party {
        name: "Tui Engineering Limited",
        street: "400 Lambton Quay",
        suburb: "Wellington Central",
        city: "Wellington",
        post_code: "6011",
        phone: "044719020",
        bank: "02-0500-0123456-01",
        id_base: 5_350_000_000,
    };
    let other = Party {
        name: "Manaia Holdings",
        street: "8 Cashel Street",
        suburb: "Christchurch Central",
        city: "Christchurch",
        post_code: "8011",
        phone: "033791234",
        bank: "06-0801-0654321-00",
        id_base: 5_360_000_000,
    };
    let mut individual = persona(
        PERSONA_IRD,
        true,
        true,
        true,
        vec![
            home.account("FAM005", "FAM", "ACT", "2015-04-01", OPEN_CEASE, false),
            home.account("GST004", "GST", "ACT", "2012-10-01", OPEN_CEASE, true),
            home.account("INC003", "INC", "ACT", "2010-04-01", OPEN_CEASE, true),
            home.account("FBT005", "FBT", "CLS", "2011-04-01", "2019-03-31", false),
            Account {
                eligible: false,
                ..home.account("KSS004", "KSS", "ACT", "2008-07-01", OPEN_CEASE, false)
            },
        ],
    );
    individual.cst = Some("1512150403".into());
    vec![
        individual,
        persona(
            "069096409",
            false,
            true,
            true,
            vec![
                firm.account("EMP003", "EMP", "ACT", "2016-05-01", OPEN_CEASE, false),
                firm.account("INC002", "INC", "SUS", "2016-05-01", OPEN_CEASE, false),
            ],
        ),
        persona(
            "139369673",
            false,
            false,
            true,
            vec![
                other.account("AIL023", "AIL", "ACT", "2018-01-01", OPEN_CEASE, false),
                other.account("INC003", "INC", "ACT", "2009-04-01", OPEN_CEASE, false),
                other.account("REB001", "REB", "CLS", "2013-04-01", "2020-03-31", false),
            ],
        ),
        persona(
            "102210221",
            false,
            false,
            false,
            vec![other.account("INC002", "INC", "ACT", "2014-04-01", OPEN_CEASE, false)],
        ),
    ]
    .into_iter()
    .map(|mut c| {
        let ird = c.ird.clone();
        for a in &mut c.accounts {
            a.id = format!("{ird}{}", a.id);
        }
        c
    })
    .collect()
}

/// Contact details shared by every account of one persona.
pub(super) struct Party {
    pub(super) name: &'static str,
    pub(super) street: &'static str,
    pub(super) suburb: &'static str,
    pub(super) city: &'static str,
    pub(super) post_code: &'static str,
    pub(super) phone: &'static str,
    pub(super) bank: &'static str,
    /// First of the numeric address, contact and phone ids of this party.
    pub(super) id_base: u64,
}

impl Party {
    /// An account whose id is `suffix` for now; [`personas`] prefixes the IRD number.
    pub(super) fn account(
        &self,
        suffix: &str,
        account_type: &'static str,
        status: &'static str,
        commence: &str,
        cease: &str,
        delegated: bool,
    ) -> Account {
        Account {
            id: suffix.into(),
            status,
            account_type,
            filing_frequency: filing_frequency(account_type),
            filing_channel: Some("API"),
            commence: commence.into(),
            cease: cease.into(),
            refund: Some((self.bank.into(), self.name.into())),
            addresses: vec![
                address(self.id_base + 1, "PRFLOC", self, "2021-03-02T09:15:00"),
                address(self.id_base + 2, "PRFMAL", self, "2021-03-02T09:15:00"),
            ],
            contacts: vec![
                contact(
                    self.id_base + 3,
                    "PRIMRY",
                    self.name,
                    self.phone,
                    self.id_base,
                ),
                contact(
                    self.id_base + 5,
                    "SCNDRY",
                    self.name,
                    self.phone,
                    self.id_base,
                ),
            ],
            delegated,
            eligible: true,
        }
    }
}

/// The filing frequency the mock gives each account type. The Swagger file leaves the code
/// set open (a string of 1 to 10 characters); the mock uses plain words.
fn filing_frequency(account_type: &str) -> &'static str {
    match account_type {
        "GST" => "TWOMONTHLY",
        "EMP" | "DWT" | "RWT" => "MONTHLY",
        "FBT" => "QUARTERLY",
        _ => "ANNUAL",
    }
}

fn address(id: u64, kind: &str, p: &Party, updated: &str) -> Value {
    let street = if kind == "PRFMAL" {
        format!("PO Box {}", 1000 + id % 9000)
    } else {
        p.street.to_string()
    };
    json!({
        "AddressID": id,
        "Type": kind,
        "Formatted": format!("{street} {} {} {}", p.suburb, p.city, p.post_code).to_uppercase(),
        "Street": street.to_uppercase(),
        "Street2": "",
        "Unit": "",
        "City": p.city.to_uppercase(),
        "State": "",
        "PostCode": p.post_code,
        "Country": "NZ",
        "Attention": "",
        "Urbanisation": p.suburb.to_uppercase(),
        "District": "",
        "SubDistrict": "",
        "SubProvince": "",
        "Updated": updated,
    })
}

fn contact(id: u64, kind: &str, name: &str, phone: &str, base: u64) -> Value {
    let phone_type = if kind == "PRIMRY" { "CELL" } else { "BSN" };
    json!({
        "ContactID": id,
        "ContactType": kind,
        "Name": name,
        "Updated": "2022-08-19T14:02:11",
        "Phone": [{
            "PhoneID": base + 100 + id % 100,
            "PhoneType": phone_type,
            "Country": "NZ",
            "AreaCode": "",
            "PhoneNumber": phone,
            "Extension": "",
        }],
    })
}
