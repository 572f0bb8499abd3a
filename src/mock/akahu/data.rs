//! The deterministic accounts the Akahu mock serves, generated from a seed.
//!
//! The main function is [`generate`]. Seed 0 gives a user without accounts; any other seed gives
//! 11 to 24 [`Account`]s whose first eleven cover every account type, after which the list is
//! shuffled. Every other choice (status, balances, optional fields) comes from one [`SplitMix64`]
//! stream, so a seed always gives the same accounts in the same order and different seeds give
//! different counts, ids and orderings.

use std::collections::HashSet;

use serde::Serialize;

use crate::seeded::SplitMix64;

/// The account `type` enum of the Account model.
pub(crate) const TYPES: [&str; 11] = [
    "CHECKING",
    "SAVINGS",
    "CREDITCARD",
    "LOAN",
    "KIWISAVER",
    "INVESTMENT",
    "TERMDEPOSIT",
    "FOREIGN",
    "TAX",
    "REWARDS",
    "WALLET",
];

/// Every ability an account may list in `attributes`, in the order the mock lists them.
const ATTRIBUTES: [&str; 5] = [
    "TRANSACTIONS",
    "TRANSFER_TO",
    "TRANSFER_FROM",
    "PAYMENT_TO",
    "PAYMENT_FROM",
];

/// An institution: its fixed `conn_` id, name and connection type.
struct Institution {
    id: &'static str,
    name: &'static str,
    official: bool,
}

const BANKS: [Institution; 3] = [
    Institution {
        id: "conn_accordmockbank0000000001",
        name: "Harbour Bank",
        official: true,
    },
    Institution {
        id: "conn_accordmockbank0000000002",
        name: "Kauri Savings Bank",
        official: false,
    },
    Institution {
        id: "conn_accordmockbank0000000003",
        name: "Southern Cross Bank",
        official: true,
    },
];

const INVESTMENT: Institution = Institution {
    id: "conn_accordmockinvest00000001",
    name: "Tui Investments",
    official: false,
};

const TAX: Institution = Institution {
    id: "conn_accordmocktax00000000001",
    name: "Tax Department",
    official: false,
};

const REWARDS: Institution = Institution {
    id: "conn_accordmockrewards0000001",
    name: "Kiwi Points",
    official: false,
};

const HOLDERS: [&str; 6] = [
    "A J Ngata",
    "M Smith",
    "R Patel",
    "T Wiremu & K Wiremu",
    "L Chen",
    "S O'Brien",
];

/// An amount in dollars with cents, in `0..max_dollars`.
fn dollars(rng: &mut SplitMix64, max_dollars: u64) -> f64 {
    rng.below(max_dollars * 100) as f64 / 100.0
}

/// `len` lower-case letters and digits, the shape of the random part of Akahu ids.
fn token(rng: &mut SplitMix64, len: usize) -> String {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    (0..len)
        .map(|_| ALPHABET[rng.below(ALPHABET.len() as u64) as usize] as char)
        .collect()
}

/// The `connection` object of an account.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Connection {
    pub(crate) _id: &'static str,
    pub(crate) name: &'static str,
    pub(crate) logo: String,
    pub(crate) connection_type: &'static str,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Balance {
    pub(crate) currency: &'static str,
    pub(crate) current: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) available: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) limit: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) overdrawn: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Refreshed {
    pub(crate) balance: String,
    pub(crate) meta: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) transactions: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) party: Option<String>,
}

/// One account of the Account model; `None` fields are left out of the JSON.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Account {
    pub(crate) _id: String,
    pub(crate) _authorisation: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) _credentials: Option<String>,
    pub(crate) connection: Connection,
    pub(crate) name: String,
    pub(crate) status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) formatted_account: Option<String>,
    #[serde(rename = "type")]
    pub(crate) kind: &'static str,
    pub(crate) attributes: Vec<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) balance: Option<Balance>,
    pub(crate) refreshed: Refreshed,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) meta: Option<serde_json::Value>,
}

/// The accounts of the user for `seed`: none for 0, otherwise 11 to 24.
pub(crate) fn generate(seed: u64) -> Vec<Account> {
    if seed == 0 {
        return Vec::new();
    }
    let mut rng = SplitMix64::new(seed);
    let count = 11 + rng.below(14) as usize;
    let authorisations: Vec<String> = (0..6)
        .map(|_| format!("auth_{}", token(&mut rng, 25)))
        .collect();
    let mut ids = HashSet::new();
    let mut accounts: Vec<Account> = (0..count)
        .map(|i| account(i, &mut rng, &authorisations, &mut ids))
        .collect();
    for i in (1..accounts.len()).rev() {
        let j = rng.below(i as u64 + 1) as usize;
        accounts.swap(i, j);
    }
    accounts
}

/// The `i`th account before shuffling: the first eleven take each type in turn.
fn account(
    i: usize,
    rng: &mut SplitMix64,
    authorisations: &[String],
    ids: &mut HashSet<String>,
) -> Account {
    let kind = TYPES
        .get(i)
        .copied()
        .unwrap_or_else(|| TYPES[rng.below(3) as usize]);
    let (institution, slot) = match kind {
        "KIWISAVER" | "INVESTMENT" | "WALLET" => (&INVESTMENT, 3),
        "TAX" => (&TAX, 4),
        "REWARDS" => (&REWARDS, 5),
        _ => {
            let b = rng.below(BANKS.len() as u64) as usize;
            (&BANKS[b], b)
        }
    };
    let authorisation = authorisations[slot].clone();
    let status = if i == 1 || (i > 1 && rng.percent(15)) {
        "INACTIVE"
    } else {
        "ACTIVE"
    };
    let holder = HOLDERS[rng.below(HOLDERS.len() as u64) as usize];
    Account {
        _id: fresh_id(rng, ids),
        _credentials: rng.percent(50).then(|| authorisation.clone()),
        _authorisation: authorisation,
        connection: Connection {
            _id: institution.id,
            name: institution.name,
            logo: format!("https://logos.example/{}.png", &institution.id[5..]),
            connection_type: if institution.official {
                "official"
            } else {
                "classic"
            },
        },
        name: name(kind, rng),
        status,
        formatted_account: formatted_account(kind, rng),
        kind,
        attributes: attributes(kind),
        balance: balance(kind, rng),
        refreshed: refreshed(kind, rng),
        meta: meta(kind, holder, rng),
    }
}

fn name(kind: &str, rng: &mut SplitMix64) -> String {
    let options: &[&str] = match kind {
        "CHECKING" => &["Everyday", "Spending Account", "Bills"],
        "SAVINGS" => &["Online Saver", "Rainy Day", "House Deposit"],
        "CREDITCARD" => &["Low Rate Visa", "Airpoints Mastercard"],
        "LOAN" => &["Home Loan", "Personal Loan"],
        "KIWISAVER" => &["KiwiSaver Growth Fund", "KiwiSaver Balanced Fund"],
        "INVESTMENT" => &["Share Portfolio", "Managed Fund"],
        "TERMDEPOSIT" => &["12 Month Term Deposit", "6 Month Term Deposit"],
        "FOREIGN" => &["USD Account", "AUD Account"],
        "TAX" => &["Income Tax"],
        "REWARDS" => &["Kiwi Points"],
        _ => &["Cash Wallet"],
    };
    options[rng.below(options.len() as u64) as usize].to_string()
}

fn formatted_account(kind: &str, rng: &mut SplitMix64) -> Option<String> {
    match kind {
        "KIWISAVER" | "INVESTMENT" | "WALLET" | "TAX" | "REWARDS" => None,
        "CREDITCARD" => Some(format!(
            "{:04}-****-****-{:04}",
            4000 + rng.below(1000),
            rng.below(10_000)
        )),
        _ => Some(format!(
            "{:02}-{:04}-{:07}-{:02}",
            1 + rng.below(38),
            rng.below(10_000),
            rng.below(10_000_000),
            rng.below(100)
        )),
    }
}

fn attributes(kind: &str) -> Vec<&'static str> {
    let picks: &[usize] = match kind {
        "CHECKING" => &[0, 1, 2, 3, 4],
        "SAVINGS" | "FOREIGN" => &[0, 1, 2, 3],
        "CREDITCARD" | "LOAN" => &[0, 1, 3],
        "KIWISAVER" => &[3],
        "INVESTMENT" | "WALLET" | "TERMDEPOSIT" => &[0],
        _ => &[],
    };
    picks.iter().map(|&i| ATTRIBUTES[i]).collect()
}

fn balance(kind: &str, rng: &mut SplitMix64) -> Option<Balance> {
    let plain = |currency, current| Balance {
        currency,
        current,
        available: None,
        limit: None,
        overdrawn: None,
    };
    Some(match kind {
        "REWARDS" => return None,
        "CREDITCARD" => {
            let limit = 1000.0 * (1 + rng.below(20)) as f64;
            let owed = dollars(rng, limit as u64);
            Balance {
                available: Some(((limit - owed) * 100.0).round() / 100.0),
                limit: Some(limit),
                overdrawn: Some(false),
                ..plain("NZD", -owed)
            }
        }
        "LOAN" => plain("NZD", -dollars(rng, 600_000)),
        "TAX" => plain("NZD", (rng.below(300_000) as f64 - 150_000.0) / 100.0),
        "FOREIGN" => {
            let current = dollars(rng, 20_000);
            let currency = ["USD", "AUD", "GBP"][rng.below(3) as usize];
            Balance {
                available: Some(current),
                ..plain(currency, current)
            }
        }
        "CHECKING" | "SAVINGS" => {
            let overdrawn = rng.percent(10);
            let current = if overdrawn {
                -dollars(rng, 500)
            } else {
                dollars(rng, 50_000)
            };
            Balance {
                available: Some(current.max(0.0)),
                overdrawn: Some(overdrawn),
                ..plain("NZD", current)
            }
        }
        _ => plain("NZD", dollars(rng, 250_000)),
    })
}

/// An ISO 8601 UTC timestamp in 2026, as Akahu writes them (milliseconds, `Z`).
fn timestamp(rng: &mut SplitMix64) -> String {
    format!(
        "2026-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        1 + rng.below(12),
        1 + rng.below(28),
        rng.below(24),
        rng.below(60),
        rng.below(60),
        rng.below(1000)
    )
}

fn refreshed(kind: &str, rng: &mut SplitMix64) -> Refreshed {
    let has_transactions = !attributes(kind).is_empty() && attributes(kind)[0] == "TRANSACTIONS";
    Refreshed {
        balance: timestamp(rng),
        meta: timestamp(rng),
        transactions: has_transactions.then(|| timestamp(rng)),
        party: rng.percent(60).then(|| timestamp(rng)),
    }
}

fn meta(kind: &str, holder: &str, rng: &mut SplitMix64) -> Option<serde_json::Value> {
    use serde_json::json;
    match kind {
        "KIWISAVER" => Some(json!({
            "holder": holder,
            "payment_details": {
                "account_holder": "Tui Investments KiwiSaver Scheme",
                "account_number": "12-3140-0123456-00",
                "particulars": "KIWISAVER",
                "reference": format!("{:08}", rng.below(100_000_000)),
                "minimum_amount": 10
            }
        })),
        "LOAN" => {
            let purpose = ["HOME", "PERSONAL"][rng.below(2) as usize];
            Some(json!({
                "holder": holder,
                "loan_details": {
                    "purpose": purpose,
                    "type": "TABLE",
                    "interest": {"rate": 4.0 + rng.below(300) as f64 / 100.0, "type": "FIXED"},
                    "is_interest_only": false,
                    "repayment": {"frequency": "FORTNIGHTLY", "next_amount": dollars(rng, 2_000)}
                }
            }))
        }
        "TAX" | "REWARDS" => None,
        _ if rng.percent(25) => Some(json!({"holder": holder, "has_unlisted_holders": true})),
        _ => Some(json!({"holder": holder})),
    }
}

/// An unused `acc_` id with a 25-character random part.
fn fresh_id(rng: &mut SplitMix64, ids: &mut HashSet<String>) -> String {
    loop {
        let id = format!("acc_{}", token(rng, 25));
        if ids.insert(id.clone()) {
            return id;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_zero_has_no_accounts() {
        assert!(generate(0).is_empty());
    }

    #[test]
    fn same_seed_same_data_and_other_seeds_differ() {
        assert_eq!(generate(7), generate(7));
        let sets: Vec<Vec<Account>> = (1..=4).map(generate).collect();
        let first: HashSet<&str> = sets[0].iter().map(|a| a._id.as_str()).collect();
        assert!(sets[1].iter().all(|a| !first.contains(a._id.as_str())));
        let counts: HashSet<usize> = sets.iter().map(Vec::len).collect();
        assert!(counts.len() > 1, "{counts:?}");
    }

    #[test]
    fn every_seed_covers_every_type_status_and_optional_field() {
        for seed in 1..=40 {
            let set = generate(seed);
            assert!((11..=24).contains(&set.len()), "seed {seed}");
            for kind in TYPES {
                assert!(set.iter().any(|a| a.kind == kind), "{seed} {kind}");
            }
            for status in ["ACTIVE", "INACTIVE"] {
                assert!(set.iter().any(|a| a.status == status), "{seed} {status}");
            }
            assert!(set.iter().any(|a| a.balance.is_none()));
            assert!(set.iter().any(|a| a.formatted_account.is_none()));
            assert!(set.iter().any(|a| a._credentials.is_some()));
            assert!(set.iter().any(|a| a.meta.is_none()));
            let ids: HashSet<&str> = set.iter().map(|a| a._id.as_str()).collect();
            assert_eq!(ids.len(), set.len());
        }
    }

    #[test]
    fn values_have_their_documented_formats() {
        for a in generate(3) {
            assert!(a._id.starts_with("acc_") && a._id.len() == 29, "{}", a._id);
            assert!(a.connection._id.starts_with("conn_"));
            if let Some(b) = &a.balance {
                assert_eq!(b.currency.len(), 3);
                assert_eq!((b.current * 100.0).round() / 100.0, b.current);
            }
            if let Some(f) = &a.formatted_account {
                assert!(
                    f.bytes()
                        .all(|c| c.is_ascii_digit() || c == b'-' || c == b'*')
                );
            }
            assert!(a.refreshed.balance.ends_with('Z') && a.refreshed.balance.len() == 24);
        }
    }
}
