//! The deterministic account set the aggregator mock serves, generated from a seed.
//!
//! The main function is [`generate`]. Seed 0 gives an empty set; any other seed gives 21 to 130
//! [`Account`]s (several pages at the default limit of 10). The first entries are laid out to
//! cover every category/subcategory pair, status, financial-address type, permission and
//! optional-field state; the list is then shuffled and an active account is moved to the
//! front, so the first account listed can always be disconnected to visible effect. Every
//! choice comes from one [`Pcg32`] stream, so a seed always gives the same accounts in the same
//! order.

use serde_json::{Map, Value, json};

use crate::seeded::Pcg32;

/// The documented category/subcategory pairs.
pub(crate) const PAIRS: [(&str, &str); 8] = [
    ("cash", "checking"),
    ("cash", "savings"),
    ("cash", "other"),
    ("credit", "credit_card"),
    ("credit", "line_of_credit"),
    ("credit", "other"),
    ("investment", "other"),
    ("other", "other"),
];

pub(crate) const PERMISSIONS: [&str; 3] = ["balances", "ownership", "transactions"];

/// Banks as (id, name, country); the country decides the financial-address types used.
const BANKS: [(&str, &str, &str); 6] = [
    ("gb-monzo", "Monzo", "GB"),
    ("gb-barclays", "Barclays", "GB"),
    ("gb-wise", "Wise (UK)", "GB"),
    ("de-sparkasse-berlin", "Berliner Sparkasse", "DE"),
    ("nl-ing", "ING Bank", "NL"),
    ("fr-bnp", "BNP Paribas", "FR"),
];

const HOLDERS: [&str; 5] = [
    "Ada Lovelace",
    "Alan Turing",
    "Grace Hopper",
    "Katherine Johnson",
    "Tim Berners-Lee",
];

/// The status enum of the Account object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Status {
    Active,
    Disconnected,
    Inactive,
}

impl Status {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Status::Active => "active",
            Status::Disconnected => "disconnected",
            Status::Inactive => "inactive",
        }
    }
}

/// The four financial-address types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AddressType {
    Iban,
    SortCode,
    BankCode,
    Bban,
}

/// One Account object; `financial_address`, `permissions` and `customer` are optional.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Account {
    pub(crate) id: String,
    pub(crate) bank: usize,
    pub(crate) pair: usize,
    pub(crate) status: Status,
    pub(crate) financial_address: Option<Value>,
    pub(crate) permissions: Option<Vec<&'static str>>,
    pub(crate) customer: Option<String>,
}

impl Account {
    pub(crate) fn category(&self) -> &'static str {
        PAIRS[self.pair].0
    }

    pub(crate) fn subcategory(&self) -> &'static str {
        PAIRS[self.pair].1
    }

    /// The account as the API renders it, optional fields left out when absent.
    pub(crate) fn to_json(&self) -> Value {
        let (bank_id, bank_name, _) = BANKS[self.bank];
        let mut out = Map::new();
        out.insert("id".into(), json!(self.id));
        out.insert("bank".into(), json!({ "id": bank_id, "name": bank_name }));
        out.insert("category".into(), json!(self.category()));
        out.insert("subcategory".into(), json!(self.subcategory()));
        out.insert("status".into(), json!(self.status.as_str()));
        if let Some(a) = &self.financial_address {
            out.insert("financialAddress".into(), a.clone());
        }
        if let Some(p) = &self.permissions {
            out.insert("permissions".into(), json!(p));
        }
        if let Some(c) = &self.customer {
            out.insert("customer".into(), json!({ "id": c }));
        }
        Value::Object(out)
    }
}

/// `n` decimal digits.
fn digits(rng: &mut Pcg32, n: usize) -> String {
    (0..n)
        .map(|_| char::from(b'0' + rng.below(10) as u8))
        .collect()
}

/// The account set for `seed`: empty for 0, otherwise 21 to 130 accounts.
pub(crate) fn generate(seed: u64) -> Vec<Account> {
    if seed == 0 {
        return Vec::new();
    }
    let mut rng = Pcg32::new(seed);
    let customers: Vec<String> = (0..3)
        .map(|_| format!("cus_{}", hex(&mut rng, 12)))
        .collect();
    let count = 21 + rng.below(110) as usize;
    let mut accounts: Vec<Account> = (0..count)
        .map(|i| account(i, &mut rng, &customers))
        .collect();
    for i in (1..accounts.len()).rev() {
        let j = rng.below(i as u32 + 1) as usize;
        accounts.swap(i, j);
    }
    if let Some(active) = accounts.iter().position(|a| a.status == Status::Active) {
        accounts.swap(0, active);
    }
    accounts
}

/// The `i`th account before shuffling: low indices are fixed so every value is covered.
fn account(i: usize, rng: &mut Pcg32, customers: &[String]) -> Account {
    let pair = if i < PAIRS.len() {
        i
    } else {
        match rng.below(10) {
            0..=3 => 0,
            4 | 5 => 1,
            6 => 3,
            _ => rng.below(PAIRS.len() as u32) as usize,
        }
    };
    let status = match i {
        0 => Status::Active,
        1 => Status::Disconnected,
        2 => Status::Inactive,
        _ => match rng.below(10) {
            0 => Status::Disconnected,
            1 => Status::Inactive,
            _ => Status::Active,
        },
    };
    let address = match i {
        0 => Some(AddressType::Iban),
        1 => Some(AddressType::SortCode),
        2 => Some(AddressType::BankCode),
        3 => Some(AddressType::Bban),
        4 => None,
        _ => (rng.below(10) != 0).then(|| {
            rng.pick(&[
                AddressType::Iban,
                AddressType::Iban,
                AddressType::SortCode,
                AddressType::BankCode,
                AddressType::Bban,
            ])
        }),
    };
    let bank = bank_for(address, rng);
    let permissions = match i {
        0 => Some(PERMISSIONS.to_vec()),
        1..=3 => Some(vec![PERMISSIONS[i - 1]]),
        4 => None,
        5 => Some(Vec::new()),
        _ => (rng.below(10) != 0).then(|| {
            let mask = 1 + rng.below(7);
            (0..3)
                .filter(|b| mask & (1 << b) != 0)
                .map(|b| PERMISSIONS[b])
                .collect()
        }),
    };
    let customer = match i {
        0 => Some(customers[0].clone()),
        1 => None,
        _ => (rng.below(7) != 0)
            .then(|| customers[rng.below(customers.len() as u32) as usize].clone()),
    };
    let holder = rng.pick(&HOLDERS);
    Account {
        id: uuid(rng),
        bank,
        pair,
        status,
        financial_address: address.map(|t| financial_address(t, BANKS[bank].2, holder, rng)),
        permissions,
        customer,
    }
}

/// A bank whose country uses the address type: sort codes are British, bank codes German.
fn bank_for(address: Option<AddressType>, rng: &mut Pcg32) -> usize {
    match address {
        Some(AddressType::SortCode) => rng.below(3) as usize,
        Some(AddressType::BankCode) => 3,
        _ => rng.below(BANKS.len() as u32) as usize,
    }
}

/// A FinancialAddress object of type `t`: the discriminator plus the object of that name.
fn financial_address(t: AddressType, country: &str, holder: &str, rng: &mut Pcg32) -> Value {
    match t {
        AddressType::Iban => {
            let bban = match country {
                "GB" => format!("NWBK{}", digits(rng, 14)),
                "NL" => format!("INGB{}", digits(rng, 10)),
                "FR" => digits(rng, 23),
                _ => digits(rng, 18),
            };
            json!({
                "type": "iban",
                "iban": {
                    "iban": iban(country, &bban),
                    "bic": format!("{}{country}2X", ["NWBK", "INGB", "BNPA", "BELA"][rng.below(4) as usize]),
                    "accountHolderName": holder,
                }
            })
        }
        AddressType::SortCode => json!({
            "type": "sortCode",
            "sortCode": {
                "sortCode": digits(rng, 6),
                "accountNumber": digits(rng, 8),
                "accountHolderName": holder,
            }
        }),
        AddressType::BankCode => json!({
            "type": "bankCode",
            "bankCode": {
                "code": digits(rng, 8),
                "accountNumber": digits(rng, 10),
                "accountHolderName": holder,
            }
        }),
        AddressType::Bban => json!({
            "type": "bban",
            "bban": { "bban": digits(rng, 12), "accountHolderName": holder }
        }),
    }
}

/// An IBAN with valid ISO 13616 check digits for `country` and the digits-and-letters `bban`.
fn iban(country: &str, bban: &str) -> String {
    let rearranged = format!("{bban}{country}00");
    let remainder = rearranged.chars().fold(0u32, |acc, c| {
        let value = c.to_digit(36).unwrap_or(0);
        if value >= 10 {
            (acc * 100 + value) % 97
        } else {
            (acc * 10 + value) % 97
        }
    });
    format!("{country}{:02}{bban}", 98 - remainder)
}

/// A random RFC 4122 version 4 UUID drawn from `rng`, so ids repeat with the seed.
fn uuid(rng: &mut Pcg32) -> String {
    let mut bytes = [0u8; 16];
    for chunk in bytes.chunks_mut(4) {
        chunk.copy_from_slice(&rng.next_u32().to_le_bytes());
    }
    uuid::Builder::from_random_bytes(bytes)
        .into_uuid()
        .to_string()
}

fn hex(rng: &mut Pcg32, n: usize) -> String {
    (0..n)
        .map(|_| char::from_digit(rng.below(16), 16).unwrap_or('0'))
        .collect()
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn seed_zero_is_empty_and_seeds_repeat() {
        assert!(generate(0).is_empty());
        assert_eq!(generate(7), generate(7));
        assert_ne!(generate(7), generate(8));
    }

    #[test]
    fn every_seed_covers_every_value() {
        for seed in 1..=40 {
            let set = generate(seed);
            assert!((21..=130).contains(&set.len()), "seed {seed}");
            for pair in 0..PAIRS.len() {
                assert!(set.iter().any(|a| a.pair == pair), "{seed} {pair}");
            }
            for s in [Status::Active, Status::Disconnected, Status::Inactive] {
                assert!(set.iter().any(|a| a.status == s), "{seed} {s:?}");
            }
            for t in ["iban", "sortCode", "bankCode", "bban"] {
                assert!(
                    set.iter()
                        .any(|a| a.financial_address.as_ref().is_some_and(|f| f["type"] == t)),
                    "{seed} {t}"
                );
            }
            for p in PERMISSIONS {
                assert!(
                    set.iter()
                        .any(|a| a.permissions.as_ref().is_some_and(|v| v.contains(&p)))
                );
            }
            assert!(set.iter().any(|a| a.financial_address.is_none()));
            assert!(set.iter().any(|a| a.permissions.is_none()));
            assert!(set.iter().any(|a| a.customer.is_none()));
            assert_eq!(set[0].status, Status::Active, "seed {seed}");
            let ids: HashSet<&str> = set.iter().map(|a| a.id.as_str()).collect();
            assert_eq!(ids.len(), set.len());
        }
    }

    #[test]
    fn the_default_seed_spans_pages_but_fits_one_maximum_page() {
        let n = generate(1).len();
        assert!(n > 20 && n < 100, "{n}");
    }

    #[test]
    fn ibans_carry_valid_check_digits() {
        assert_eq!(iban("GB", "NWBK60161331926819"), "GB29NWBK60161331926819");
        for a in generate(3) {
            let Some(addr) = &a.financial_address else {
                continue;
            };
            if addr["type"] == "iban" {
                let s = addr["iban"]["iban"].as_str().unwrap();
                assert_eq!(iban(&s[..2], &s[4..]), s);
            }
        }
    }

    #[test]
    fn json_leaves_out_absent_optional_fields() {
        let set = generate(5);
        let bare = set.iter().find(|a| a.financial_address.is_none()).unwrap();
        let json = bare.to_json();
        assert!(json.get("financialAddress").is_none());
        assert!(json["bank"]["id"].is_string());
        assert_eq!(json["category"], bare.category());
    }
}
