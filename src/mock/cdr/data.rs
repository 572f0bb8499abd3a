//! The deterministic account set the CDR mock serves, generated from a seed.
//!
//! The main function is [`generate`]. Seed 0 gives an empty set; any other seed gives 40 to 120
//! [`Account`]s whose first entries are laid out to cover every enum value and both presence
//! states of every optional field, after which the whole list is shuffled. Every choice comes
//! from one [`SplitMix64`] stream, so a seed always gives the same accounts in the same order,
//! and different seeds give different counts, ids and orderings.

use std::collections::HashSet;

use serde::Serialize;

use crate::seeded::SplitMix64;

/// The BankingProductCategory enum of the standard.
pub(crate) const PRODUCT_CATEGORIES: [&str; 12] = [
    "BUSINESS_LOANS",
    "CRED_AND_CHRG_CARDS",
    "LEASES",
    "MARGIN_LOANS",
    "OVERDRAFTS",
    "PERS_LOANS",
    "REGULATED_TRUST_ACCOUNTS",
    "RESIDENTIAL_MORTGAGES",
    "TERM_DEPOSITS",
    "TRADE_FINANCE",
    "TRANS_AND_SAVINGS_ACCOUNTS",
    "TRAVEL_CARDS",
];

/// The accountOwnership enum of BankingAccountV2.
pub(crate) const OWNERSHIPS: [&str; 5] =
    ["UNKNOWN", "ONE_PARTY", "TWO_PARTY", "MANY_PARTY", "OTHER"];

/// Product names per category, indexed like [`PRODUCT_CATEGORIES`].
const PRODUCT_NAMES: [[&str; 2]; 12] = [
    ["Business Term Loan", "Equipment Finance Loan"],
    ["Platinum Rewards Card", "Low Rate Card"],
    ["Novated Lease", "Vehicle Lease"],
    ["Share Investment Loan", "Margin Lending Facility"],
    ["Personal Overdraft", "Business Overdraft"],
    ["Personal Loan", "Green Car Loan"],
    ["Solicitor Trust Account", "Real Estate Trust Account"],
    ["Standard Variable Home Loan", "Fixed Rate Investment Loan"],
    ["12 Month Term Deposit", "Business Term Deposit"],
    ["Import Finance", "Export Trade Facility"],
    ["Everyday Account", "Bonus Saver"],
    ["Multi-Currency Travel Card", "Travel Money Card"],
];

const NICKNAMES: [&str; 8] = [
    "Bills",
    "Holiday fund",
    "Rainy day",
    "Groceries",
    "House deposit",
    "Kids",
    "Car",
    "Spending",
];

/// The openStatus enum of BankingAccountV2.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub(crate) enum OpenStatus {
    Open,
    Closed,
}

/// One BankingAccountV2; optional fields that are `None` are left out of the JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Account {
    pub(crate) account_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) creation_date: Option<String>,
    pub(crate) display_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) nickname: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) open_status: Option<OpenStatus>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) is_owned: Option<bool>,
    pub(crate) account_ownership: &'static str,
    pub(crate) masked_number: String,
    pub(crate) product_category: &'static str,
    pub(crate) product_name: &'static str,
}

impl Account {
    /// The status the standard assumes: an absent openStatus means OPEN.
    pub(crate) fn status(&self) -> OpenStatus {
        self.open_status.unwrap_or(OpenStatus::Open)
    }

    /// The ownership the standard assumes: an absent isOwned means true.
    pub(crate) fn owned(&self) -> bool {
        self.is_owned.unwrap_or(true)
    }
}

/// The account set for `seed`: empty for 0, otherwise 40 to 120 accounts.
#[cfg(test)]
pub(crate) fn generate(seed: u64) -> Vec<Account> {
    generate_records(seed, None)
}

/// The account set for `seed`, holding exactly `records` accounts when given (any seed, 0
/// included); otherwise the seed's own set, as [`generate`] gives it.
pub(crate) fn generate_records(seed: u64, records: Option<usize>) -> Vec<Account> {
    if seed == 0 && records.is_none() {
        return Vec::new();
    }
    let mut rng = SplitMix64::new(seed);
    let drawn = 40 + rng.below(81) as usize;
    let count = records.unwrap_or(drawn);
    let mut ids = HashSet::new();
    let mut accounts: Vec<Account> = (0..count).map(|i| account(i, &mut rng, &mut ids)).collect();
    for i in (1..accounts.len()).rev() {
        let j = rng.below(i as u64 + 1) as usize;
        accounts.swap(i, j);
    }
    accounts
}

/// The `i`th account before shuffling: low indices are fixed so every value is covered.
fn account(i: usize, rng: &mut SplitMix64, ids: &mut HashSet<String>) -> Account {
    let category = match PRODUCT_CATEGORIES.get(i) {
        Some(_) => i,
        None => random_category(rng),
    };
    let account_ownership = match OWNERSHIPS.get(i) {
        Some(o) => *o,
        None => rng.pick(&OWNERSHIPS),
    };
    let open_status = match i {
        0 => Some(OpenStatus::Open),
        1 => Some(OpenStatus::Closed),
        2 => None,
        _ => match rng.below(10) {
            0..=5 => Some(OpenStatus::Open),
            6 | 7 => Some(OpenStatus::Closed),
            _ => None,
        },
    };
    let is_owned = match i {
        0 => None,
        1 => Some(true),
        2 => Some(false),
        _ => match rng.below(10) {
            0..=4 => Some(true),
            5..=7 => Some(false),
            _ => None,
        },
    };
    let creation_date = (i == 0 || (i > 1 && rng.percent(80))).then(|| {
        format!(
            "{}-{:02}-{:02}",
            2005 + rng.below(21),
            1 + rng.below(12),
            1 + rng.below(28)
        )
    });
    let nickname = (i == 1 || (i > 1 && rng.percent(40))).then(|| rng.pick(&NICKNAMES).into());
    let product_name = rng.pick(&PRODUCT_NAMES[category]);
    let product_category = PRODUCT_CATEGORIES[category];
    let last_four = rng.below(10_000);
    let masked_number = if matches!(product_category, "CRED_AND_CHRG_CARDS" | "TRAVEL_CARDS") {
        format!("xxxx xxxx xxxx {last_four:04}")
    } else {
        format!("xxx-xxx xxxxx{last_four:04}")
    };
    let display_name = match account_ownership {
        "TWO_PARTY" | "MANY_PARTY" => format!("{product_name} (joint)"),
        _ => product_name.to_string(),
    };
    Account {
        account_id: fresh_id(rng, ids),
        creation_date,
        display_name,
        nickname,
        open_status,
        is_owned,
        account_ownership,
        masked_number,
        product_category,
        product_name,
    }
}

/// A category index, skewed the way real customers hold products: mostly transaction and
/// savings accounts, then cards, then the rest. The skew also gives filters multi-page results.
fn random_category(rng: &mut SplitMix64) -> usize {
    const TRANS_AND_SAVINGS: usize = 10;
    const CARDS: usize = 1;
    match rng.below(100) {
        0..=34 => TRANS_AND_SAVINGS,
        35..=49 => CARDS,
        _ => rng.below(PRODUCT_CATEGORIES.len() as u64) as usize,
    }
}

/// An opaque, unique 24-character id such as `a3f09c1e7b2d4f6a8c0e1b3d`.
fn fresh_id(rng: &mut SplitMix64, ids: &mut HashSet<String>) -> String {
    loop {
        let id = format!("{:016x}{:08x}", rng.next_u64(), rng.next_u64() >> 32);
        if ids.insert(id.clone()) {
            return id;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_zero_is_empty() {
        assert!(generate(0).is_empty());
    }

    #[test]
    fn a_record_count_overrides_the_seed_count() {
        let big = generate_records(1, Some(10_000));
        assert_eq!(big.len(), 10_000);
        let ids: HashSet<&str> = big.iter().map(|a| a.account_id.as_str()).collect();
        assert_eq!(ids.len(), 10_000);
        assert_eq!(generate_records(0, Some(3)).len(), 3);
        assert!(generate_records(7, Some(0)).is_empty());
        assert_eq!(generate_records(7, None), generate(7));
    }

    #[test]
    fn same_seed_same_data() {
        assert_eq!(generate(7), generate(7));
    }

    #[test]
    fn different_seeds_differ_in_count_ids_and_order() {
        let sets: Vec<Vec<Account>> = (1..=4).map(generate).collect();
        let counts: HashSet<usize> = sets.iter().map(Vec::len).collect();
        assert_eq!(counts.len(), sets.len(), "counts {counts:?}");
        let first: HashSet<&str> = sets[0].iter().map(|a| a.account_id.as_str()).collect();
        assert!(
            sets[1]
                .iter()
                .all(|a| !first.contains(a.account_id.as_str()))
        );
        let categories = |s: &[Account]| s.iter().map(|a| a.product_category).collect::<Vec<_>>();
        assert_ne!(categories(&sets[0])[..40], categories(&sets[1])[..40]);
    }

    #[test]
    fn every_seed_covers_every_value() {
        for seed in 1..=50 {
            let set = generate(seed);
            assert!((40..=120).contains(&set.len()), "seed {seed}");
            for c in PRODUCT_CATEGORIES {
                assert!(set.iter().any(|a| a.product_category == c), "{seed} {c}");
            }
            for o in OWNERSHIPS {
                assert!(set.iter().any(|a| a.account_ownership == o), "{seed} {o}");
            }
            for status in [Some(OpenStatus::Open), Some(OpenStatus::Closed), None] {
                assert!(set.iter().any(|a| a.open_status == status), "{seed}");
            }
            for owned in [Some(true), Some(false), None] {
                assert!(set.iter().any(|a| a.is_owned == owned), "{seed}");
            }
            assert!(set.iter().any(|a| a.creation_date.is_some()));
            assert!(set.iter().any(|a| a.creation_date.is_none()));
            assert!(set.iter().any(|a| a.nickname.is_some()));
            assert!(set.iter().any(|a| a.nickname.is_none()));
            let ids: HashSet<&str> = set.iter().map(|a| a.account_id.as_str()).collect();
            assert_eq!(ids.len(), set.len());
        }
    }

    #[test]
    fn fields_have_their_formats() {
        for a in generate(3) {
            assert!(a.account_id.is_ascii() && a.account_id.len() == 24);
            let digits = &a.masked_number[a.masked_number.len() - 4..];
            assert!(
                digits.bytes().all(|b| b.is_ascii_digit()),
                "{}",
                a.masked_number
            );
            assert!(
                a.masked_number[..a.masked_number.len() - 4]
                    .bytes()
                    .all(|b| matches!(b, b'x' | b' ' | b'-'))
            );
            if let Some(d) = &a.creation_date {
                let parts: Vec<&str> = d.split('-').collect();
                assert_eq!(parts.iter().map(|p| p.len()).collect::<Vec<_>>(), [4, 2, 2]);
            }
        }
    }

    #[test]
    fn optional_fields_are_left_out_when_absent() {
        let set = generate(5);
        let bare = set.iter().find(|a| a.open_status.is_none()).unwrap();
        let json = serde_json::to_value(bare).unwrap();
        assert!(json.get("openStatus").is_none());
        assert!(json["maskedNumber"].is_string());
        let closed = set
            .iter()
            .find(|a| a.status() == OpenStatus::Closed)
            .unwrap();
        assert_eq!(
            serde_json::to_value(closed).unwrap()["openStatus"],
            "CLOSED"
        );
    }
}
