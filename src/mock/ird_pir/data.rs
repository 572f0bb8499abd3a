//! The investors the PIR mock knows: Inland Revenue's published test personas, always present,
//! plus customers generated from the data seed.
//!
//! The main type is [`Data`]. Every IRD number passes the modulus-11 check. Each customer has
//! an income tax account with filing periods (tax years, named by the year of the 31 March that
//! ends them) from a first year to the current one, and in each a suggested rate or none.

use std::collections::BTreeMap;

use crate::irdnum;
use crate::seeded::SplitMix64;

/// The IRD number of the KiwiSaver scheme whose provider holds the mock's JWT credential.
pub(crate) const SCHEME_IRD: u32 = 94_123_453;

/// The first tax year on every persona's account.
pub(crate) const PERSONA_FIRST_YEAR: i32 = 2019;

/// A suggested PIR, in tenths of a percent so that it compares exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Rate(u16);

impl Rate {
    pub(crate) const LOW: Rate = Rate(105);
    pub(crate) const MIDDLE: Rate = Rate(175);
    pub(crate) const HIGH: Rate = Rate(280);

    /// The rate in percent, as the response carries it.
    pub(crate) fn percent(self) -> f64 {
        f64::from(self.0) / 10.0
    }
}

/// One investor.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Customer {
    pub(crate) ird: u32,
    /// Filing periods on the income tax account by tax year; `None` where no rate can be
    /// calculated.
    pub(crate) periods: BTreeMap<i32, Option<Rate>>,
    /// On the client list of the tax preparer whose myIR user holds the OAuth token.
    pub(crate) on_client_list: bool,
    /// A member of the KiwiSaver scheme [`SCHEME_IRD`].
    pub(crate) member: bool,
}

/// Every investor, by IRD number.
#[derive(Debug, Clone, Default)]
pub(crate) struct Data {
    pub(crate) customers: BTreeMap<u32, Customer>,
}

/// Inland Revenue's test personas for the PIR service (its mock environment's scenarios
/// PIR-EM-001 to PIR-EM-005), plus an eight-digit investor without a rate.
/// Fields: IRD, rate in every year, whether either caller may see the investor.
const PERSONAS: &[(u32, Option<Rate>, bool)] = &[
    (139_276_507, Some(Rate::HIGH), true),
    (139_276_272, Some(Rate::MIDDLE), true),
    (139_276_310, Some(Rate::LOW), true),
    (87_654_321, None, true),
    (139_276_329, Some(Rate::HIGH), false),
];

/// The personas (every seed) and, unless `seed` is 0, 20 to 60 generated customers whose
/// accounts end in `current_year`.
pub(crate) fn generate(seed: u64, current_year: i32) -> Data {
    let mut data = Data::default();
    for &(ird, rate, access) in PERSONAS {
        let periods = (PERSONA_FIRST_YEAR..=current_year)
            .map(|y| (y, rate))
            .collect();
        data.customers.insert(
            ird,
            Customer {
                ird,
                periods,
                on_client_list: access,
                member: access,
            },
        );
    }
    if seed == 0 {
        return data;
    }
    let mut rng = SplitMix64::new(seed);
    let count = 20 + rng.below(41) as usize;
    let mut added = 0;
    while added < count {
        let base = 1_000_000 + rng.below(14_000_000) as u32;
        let Some(ird) = irdnum::with_check_digit(base) else {
            continue;
        };
        if irdnum::check_number(ird).is_err() || data.customers.contains_key(&ird) {
            continue;
        }
        let first = current_year - rng.below(8) as i32;
        let periods = (first..=current_year)
            .map(|y| {
                let rate = match rng.below(5) {
                    0 => None,
                    1 => Some(Rate::LOW),
                    2 | 3 => Some(Rate::MIDDLE),
                    _ => Some(Rate::HIGH),
                };
                (y, rate)
            })
            .collect();
        data.customers.insert(
            ird,
            Customer {
                ird,
                periods,
                on_client_list: rng.below(5) != 0,
                member: rng.below(5) != 0,
            },
        );
        added += 1;
    }
    data
}

/// The tax year that contains the day `days` days after 1970-01-01: New Zealand's tax year
/// ends on 31 March.
pub(crate) fn tax_year_of(days: i64) -> i32 {
    let (y, m, _) = civil_from_days(days);
    if m <= 3 { y } else { y + 1 }
}

/// The current tax year, from the system clock.
pub(crate) fn current_tax_year() -> i32 {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    tax_year_of((secs / 86_400) as i64)
}

/// Year, month and day of a day count since 1970-01-01 (proleptic Gregorian calendar).
fn civil_from_days(days: i64) -> (i32, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = (yoe + era * 400 + i64::from(m <= 2)) as i32;
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_ird_passes_modulus_11() {
        assert!(irdnum::check_number(SCHEME_IRD).is_ok());
        for seed in [0, 1, 2, 3, 5, 8, 13] {
            for (ird, c) in &generate(seed, 2026).customers {
                assert_eq!(irdnum::check_number(*ird), Ok(*ird));
                assert_eq!(c.ird, *ird);
                assert_eq!(c.periods.keys().next_back(), Some(&2026));
            }
        }
    }

    #[test]
    fn seed_zero_holds_only_the_personas_and_others_add_customers() {
        assert_eq!(generate(0, 2026).customers.len(), PERSONAS.len());
        for seed in [1, 2, 3] {
            let n = generate(seed, 2026).customers.len() - PERSONAS.len();
            assert!((20..=60).contains(&n), "{seed}: {n}");
        }
        assert_eq!(
            generate(7, 2026).customers,
            generate(7, 2026).customers,
            "a seed always gives the same data"
        );
    }

    #[test]
    fn personas_are_the_same_under_every_seed() {
        for seed in [0, 1, 13] {
            let data = generate(seed, 2030);
            let p = &data.customers[&139_276_507];
            assert_eq!(p.periods[&2024], Some(Rate::HIGH));
            assert_eq!(p.periods.len(), (2030 - PERSONA_FIRST_YEAR + 1) as usize);
            assert!(!data.customers[&139_276_329].on_client_list);
            assert_eq!(data.customers[&87_654_321].periods[&2024], None);
        }
    }

    #[test]
    fn tax_years_end_on_31_march() {
        // 2024-03-31 is day 19813, 2024-04-01 day 19814.
        assert_eq!(civil_from_days(19_813), (2024, 3, 31));
        assert_eq!(tax_year_of(19_813), 2024);
        assert_eq!(tax_year_of(19_814), 2025);
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(tax_year_of(0), 1970);
    }
}
