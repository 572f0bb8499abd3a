//! The customers and accounts the Account API mock serves: Inland Revenue's published test
//! personas, present under every data seed, plus customers generated from the seed.
//!
//! The main types are [`Customer`] and [`Account`]; [`generate`] builds the whole set and
//! [`Account::to_json`] renders one account the way `POST /account` returns it.

use std::collections::HashSet;

use serde_json::{Value, json};

use super::persona::{Party, personas};
use crate::seeded::SplitMix64;

/// IRD number of the persona the mock's own token belongs to (Inland Revenue's INDIVIDUAL
/// test persona).
pub(crate) const PERSONA_IRD: &str = "132243158";

/// `Cease` of an account that has not ceased, as the Swagger file describes it.
pub(crate) const OPEN_CEASE: &str = "9999-12-31";

/// One customer and who may see its accounts.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Customer {
    /// IRD number, nine digits (eight-digit numbers carry a leading zero).
    pub(crate) ird: String,
    /// Customer identifier (`CustomerIDType` CST), when the customer has one.
    pub(crate) cst: Option<String>,
    /// The customer the mock's token belongs to.
    pub(crate) own: bool,
    /// A tax agent (the `.agent` caller) is linked to this customer.
    pub(crate) agent_linked: bool,
    /// The agency (the `.agency` caller) may see this customer under its memorandum of
    /// understanding.
    pub(crate) mou: bool,
    pub(crate) accounts: Vec<Account>,
}

/// One account (a tax type or product) of a customer.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Account {
    /// `AccountID`: the IRD number, the account type and a sequence number.
    pub(crate) id: String,
    pub(crate) status: &'static str,
    pub(crate) account_type: &'static str,
    pub(crate) filing_frequency: &'static str,
    pub(crate) filing_channel: Option<&'static str>,
    pub(crate) commence: String,
    pub(crate) cease: String,
    /// Refund bank account and the name on it.
    pub(crate) refund: Option<(String, String)>,
    pub(crate) addresses: Vec<Value>,
    pub(crate) contacts: Vec<Value>,
    /// The persona's delegated user may see this account.
    pub(crate) delegated: bool,
    /// The account type may be used with the service (otherwise ACT100, and not listed).
    pub(crate) eligible: bool,
}

/// Every account has this `IDType`; complying-fund and KiwiSaver-scheme ids are not modelled.
pub(crate) const ID_TYPE: &str = "ACC";

impl Account {
    /// The `Account` object of a `POST /account` response.
    pub(crate) fn to_json(&self) -> Value {
        let mut a = json!({
            "ID": self.id,
            "IDType": ID_TYPE,
            "Status": self.status,
            "AccountType": self.account_type,
            "FilingFrequency": self.filing_frequency,
        });
        let obj = a.as_object_mut().expect("an object");
        if let Some(c) = self.filing_channel {
            obj.insert("FilingChannel".into(), c.into());
        }
        obj.insert("Commence".into(), self.commence.clone().into());
        obj.insert("Cease".into(), self.cease.clone().into());
        if let Some((number, name)) = &self.refund {
            obj.insert("BankAccount".into(), number.clone().into());
            obj.insert("NameOnBankAccount".into(), name.clone().into());
        }
        if !self.addresses.is_empty() {
            obj.insert("Address".into(), Value::Array(self.addresses.clone()));
        }
        if !self.contacts.is_empty() {
            obj.insert("Contact".into(), Value::Array(self.contacts.clone()));
        }
        if let Some((key, block)) = type_block(self.account_type, &self.id) {
            obj.insert(key.into(), block);
        }
        a
    }
}

/// The block of type-specific details: INC for income tax, GST, WFFTC for Working for
/// Families.
fn type_block(account_type: &str, id: &str) -> Option<(&'static str, Value)> {
    let odd = id.bytes().map(u64::from).sum::<u64>() % 2 == 1;
    match account_type {
        "INC" => Some((
            "INC",
            json!({
                "BalanceDate": if odd { "30-Jun" } else { "31-Mar" },
                "ProvTaxMethod": if odd { "EST" } else { "STD" },
                "ProvTaxRatio": 0.0,
                "GroupMember": false,
                "GroupRepresentative": false,
                "ICAGroup": false,
                "ICAMember": false,
                "TransTasman": false,
                "AgentNonResidentInsurer": false,
            }),
        )),
        "GST" => Some((
            "GST",
            json!({
                "AccountingBasis": if odd { "PYM" } else { "INV" },
                "GroupMember": false,
                "GroupRepresentative": false,
            }),
        )),
        "FAM" => Some((
            "WFFTC",
            json!({
                "PaymentFrequency": if odd { "FAMA" } else { "FAMFTO" },
                "CurrentPayer": "IRD",
            }),
        )),
        _ => None,
    }
}

/// The whole data set for `seed`: the personas, then (for seeds other than 0) 3 to 10
/// generated customers.
pub(crate) fn generate(seed: u64) -> Vec<Customer> {
    let mut customers = personas();
    if seed == 0 {
        return customers;
    }
    let mut rng = SplitMix64::new(seed);
    let mut irds: HashSet<String> = customers.iter().map(|c| c.ird.clone()).collect();
    let count = 3 + rng.below(8);
    for i in 0..count {
        let ird = loop {
            let n = 110_000_000 + rng.below(20_000_000);
            let candidate = format!("{n:09}");
            if ird_valid(&candidate) && irds.insert(candidate.clone()) {
                break candidate;
            }
        };
        customers.push(generated(&ird, i % 2 == 0, &mut rng));
    }
    customers
}

/// Whether a nine-digit IRD number passes Inland Revenue's modulus-11 check: weights
/// 3,2,7,6,5,4,3,2 over the first eight digits, then 7,4,3,2,5,2,7,6 when the first pass gives
/// 10; the number must lie between 10,000,000 and 150,000,000.
pub(crate) fn ird_valid(digits: &str) -> bool {
    if digits.len() != 9 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let value: u64 = digits.parse().unwrap_or(0);
    if !(10_000_000..=150_000_000).contains(&value) {
        return false;
    }
    let d: Vec<u64> = digits.bytes().map(|b| u64::from(b - b'0')).collect();
    for weights in [[3, 2, 7, 6, 5, 4, 3, 2], [7, 4, 3, 2, 5, 2, 7, 6]] {
        let sum: u64 = d[..8].iter().zip(weights).map(|(a, w)| a * w).sum();
        let check = match sum % 11 {
            0 => 0,
            r => 11 - r,
        };
        if check != 10 {
            return check == d[8];
        }
    }
    false
}

/// Account types generated customers may hold; KSS is ineligible for the service.
const TYPES: [&str; 9] = [
    "INC", "GST", "EMP", "FBT", "FAM", "RWT", "DWT", "SLS", "KSS",
];

const NAMES: [&str; 6] = [
    "Hemi Walker",
    "Mere Thompson",
    "Kauri Builders Limited",
    "Ana Fonoti",
    "Rangi Trust",
    "Li Wei Chen",
];

const CITIES: [(&str, &str, &str); 4] = [
    ("Hamilton Central", "Hamilton", "3204"),
    ("Te Aro", "Wellington", "6011"),
    ("Riccarton", "Christchurch", "8041"),
    ("Ponsonby", "Auckland", "1011"),
];

/// A generated customer with one to five accounts of distinct types.
fn generated(ird: &str, agent_linked: bool, rng: &mut SplitMix64) -> Customer {
    let name = NAMES[rng.below(NAMES.len() as u64) as usize];
    let (suburb, city, post_code) = CITIES[rng.below(CITIES.len() as u64) as usize];
    let street: &'static str =
        ["21 Rata Road", "5 Totara Avenue", "77 Nikau Lane"][rng.below(3) as usize];
    let party = Party {
        name,
        street,
        suburb,
        city,
        post_code,
        phone: "075551234",
        bank: "38-9000-0001234-00",
        id_base: 6_000_000_000 + rng.below(1_000_000_000),
    };
    let mut types = TYPES.to_vec();
    let count = 1 + rng.below(5) as usize;
    let mut accounts = Vec::new();
    for _ in 0..count {
        let t = types.remove(rng.below(types.len() as u64) as usize);
        let year = 1995 + rng.below(25);
        let commence = format!("{year}-{:02}-{:02}", 1 + rng.below(12), 1 + rng.below(28));
        let (status, cease) = match rng.below(10) {
            0 | 1 => ("CLS", format!("{}-03-31", year + 1 + rng.below(5))),
            2 => ("SUS", OPEN_CEASE.to_string()),
            _ => ("ACT", OPEN_CEASE.to_string()),
        };
        let suffix = format!("{t}{:03}", 1 + rng.below(30));
        let mut account = party.account(&suffix, t, status, &commence, &cease, false);
        account.id = format!("{ird}{suffix}");
        account.eligible = t != "KSS";
        account.refund = (rng.below(3) > 0).then(|| (party.bank.into(), name.into()));
        account.filing_channel = ["API", "WEB", "PAPER"].get(rng.below(4) as usize).copied();
        account.contacts.truncate(1 + rng.below(2) as usize);
        accounts.push(account);
    }
    Customer {
        ird: ird.into(),
        cst: None,
        own: false,
        agent_linked,
        mou: true,
        accounts,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_digit_follows_the_published_examples() {
        for good in ["132243158", "069096409", "139369673", "140000019"] {
            assert!(ird_valid(good), "{good}");
        }
        for bad in [
            "123456789",
            "132243159",
            "12345678",
            "13224315x",
            "999999998",
        ] {
            assert!(!ird_valid(bad), "{bad}");
        }
    }

    #[test]
    fn secondary_weights_apply_when_the_first_pass_gives_ten() {
        let tens: Vec<u64> = (10_000_000..10_000_200)
            .filter(|n| {
                let s = format!("{n:09}");
                let d: Vec<u64> = s.bytes().map(|b| u64::from(b - b'0')).collect();
                let w = [3, 2, 7, 6, 5, 4, 3, 2];
                let sum: u64 = d[..8].iter().zip(w).map(|(a, w)| a * w).sum();
                sum % 11 == 1
            })
            .collect();
        assert!(!tens.is_empty());
        for n in tens {
            let base = format!("{n:09}");
            let valid = (0..10)
                .map(|c| format!("{}{c}", &base[..8]))
                .filter(|s| ird_valid(s))
                .count();
            assert!(valid <= 1, "{base}");
        }
    }

    #[test]
    fn personas_are_in_every_data_set() {
        for seed in [0, 1, 2, 3, 5, 8, 13, 99] {
            let set = generate(seed);
            let me = set.iter().find(|c| c.ird == PERSONA_IRD).unwrap();
            assert!(me.own && me.agent_linked && me.mou);
            assert_eq!(set.iter().filter(|c| c.own).count(), 1);
            let ids: Vec<&str> = me.accounts.iter().map(|a| a.id.as_str()).collect();
            assert!(ids.contains(&"132243158INC003") && ids.contains(&"132243158KSS004"));
        }
        assert_eq!(generate(0).len(), 4);
    }

    #[test]
    fn seeds_generate_distinct_valid_customers() {
        assert_eq!(generate(7), generate(7));
        assert_ne!(generate(1), generate(2));
        for seed in 1..=30 {
            let set = generate(seed);
            assert!((7..=14).contains(&set.len()), "{seed}");
            let mut ids = HashSet::new();
            for c in &set {
                assert!(c.ird == "102210221" || ird_valid(&c.ird), "{}", c.ird);
                assert!(!c.accounts.is_empty());
                for a in &c.accounts {
                    assert!(ids.insert(a.id.clone()), "duplicate {}", a.id);
                    assert!((7..=15).contains(&a.id.len()) && a.id.starts_with(&c.ird));
                    assert!(a.cease == OPEN_CEASE || a.cease > a.commence, "{}", a.id);
                }
            }
        }
    }

    #[test]
    fn account_json_carries_the_mandatory_fields_and_its_type_block() {
        let set = generate(0);
        let inc = set[0]
            .accounts
            .iter()
            .find(|a| a.account_type == "INC")
            .unwrap();
        let json = inc.to_json();
        for key in ["ID", "IDType", "Status", "AccountType", "FilingFrequency"] {
            assert!(json[key].is_string(), "{key}");
        }
        assert_eq!(json["Cease"], OPEN_CEASE);
        assert!(json["INC"]["BalanceDate"].is_string());
        let types: Vec<&str> = json["Address"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["Type"].as_str().unwrap())
            .collect();
        assert_eq!(types, ["PRFLOC", "PRFMAL"]);
        let fam = set[0]
            .accounts
            .iter()
            .find(|a| a.account_type == "FAM")
            .unwrap();
        assert!(fam.to_json()["WFFTC"].is_object());
    }
}
