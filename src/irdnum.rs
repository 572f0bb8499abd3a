//! Inland Revenue (IRD) numbers: the published modulus-11 check-digit validation.
//!
//! An IRD number is an eight or nine digit number: a seven or eight digit base number and a
//! trailing check digit. Inland Revenue's "IR Number Validation Modulus 11 Digit Check" gives
//! the steps [`check`] follows:
//!
//! 1. The number must lie between 10,000,000 and 150,000,000 (inclusive).
//! 2. The base number is the number without its last digit, left-padded to eight digits.
//! 3. The base digits are weighted 3, 2, 7, 6, 5, 4, 3, 2; the check digit is 0 when the sum is
//!    a multiple of 11, else 11 minus the remainder.
//! 4. When that gives 10, the secondary weights 7, 4, 3, 2, 5, 2, 7, 6 are used the same way;
//!    10 again means no number with this base is valid.
//! 5. The calculated and supplied check digits must match.
//!
//! Gateway Services messages carry the number as nine characters; an eight-digit number is
//! padded with a leading zero ([`to_nine_digits`]). The main function is [`check`].

use std::fmt;

/// The primary weights, left to right over the eight base digits.
const PRIMARY_WEIGHTS: [u32; 8] = [3, 2, 7, 6, 5, 4, 3, 2];

/// The weights used when the primary pass gives 10.
const SECONDARY_WEIGHTS: [u32; 8] = [7, 4, 3, 2, 5, 2, 7, 6];

/// The lowest number Inland Revenue has issued or expects to issue.
pub const MIN: u32 = 10_000_000;

/// The highest number Inland Revenue expects to issue within ten years.
pub const MAX: u32 = 150_000_000;

/// Why a string is not a valid IRD number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IrdError {
    /// Nothing was given.
    Empty,
    /// A character other than an ASCII digit; letters and separators fail the check.
    NotNumeric,
    /// More than nine digits.
    TooLong(usize),
    /// The number lies outside 10,000,000 to 150,000,000.
    OutOfRange(u32),
    /// Both weightings give 10: no check digit exists for this base number.
    NoCheckDigit,
    /// The last digit is not the calculated check digit.
    CheckDigit { expected: u8, found: u8 },
}

impl fmt::Display for IrdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IrdError::Empty => f.write_str("the IRD number is empty"),
            IrdError::NotNumeric => {
                f.write_str("the IRD number has a character that is not a digit")
            }
            IrdError::TooLong(n) => {
                write!(f, "the IRD number has {n} digits; at most 9 are allowed")
            }
            IrdError::OutOfRange(n) => {
                write!(f, "{n} is outside the valid range {MIN} to {MAX}")
            }
            IrdError::NoCheckDigit => f.write_str("no check digit exists for this base number"),
            IrdError::CheckDigit { expected, found } => {
                write!(
                    f,
                    "the check digit is {found}, the calculation gives {expected}"
                )
            }
        }
    }
}

impl std::error::Error for IrdError {}

/// Validates an IRD number written as digits only (eight or nine, or fewer with the value in
/// range); returns its value.
pub fn check(ird: &str) -> Result<u32, IrdError> {
    if ird.is_empty() {
        return Err(IrdError::Empty);
    }
    if !ird.bytes().all(|b| b.is_ascii_digit()) {
        return Err(IrdError::NotNumeric);
    }
    if ird.len() > 9 {
        return Err(IrdError::TooLong(ird.len()));
    }
    let number: u32 = ird.parse().map_err(|_| IrdError::NotNumeric)?;
    check_number(number)
}

/// Validates an IRD number given as a value.
pub fn check_number(number: u32) -> Result<u32, IrdError> {
    if !(MIN..=MAX).contains(&number) {
        return Err(IrdError::OutOfRange(number));
    }
    let expected = check_digit(number / 10).ok_or(IrdError::NoCheckDigit)?;
    let found = (number % 10) as u8;
    if expected == found {
        Ok(number)
    } else {
        Err(IrdError::CheckDigit { expected, found })
    }
}

/// The check digit of an eight-digit base number (below 100,000,000), or `None` when both
/// weightings give 10.
pub fn check_digit(base: u32) -> Option<u8> {
    let digits = base_digits(base);
    match weighted(&digits, &PRIMARY_WEIGHTS) {
        10 => match weighted(&digits, &SECONDARY_WEIGHTS) {
            10 => None,
            d => Some(d),
        },
        d => Some(d),
    }
}

/// The IRD number made of `base` and its check digit, if one exists.
pub fn with_check_digit(base: u32) -> Option<u32> {
    check_digit(base).map(|d| base * 10 + u32::from(d))
}

/// The nine-character form Gateway Services use: left-padded with zeros.
pub fn to_nine_digits(number: u32) -> String {
    format!("{number:09}")
}

fn base_digits(base: u32) -> [u32; 8] {
    let mut digits = [0; 8];
    let mut rest = base % 100_000_000;
    for d in digits.iter_mut().rev() {
        *d = rest % 10;
        rest /= 10;
    }
    digits
}

/// One pass of the calculation: 0 for a multiple of 11, else 11 minus the remainder (so 1..=10).
fn weighted(digits: &[u32; 8], weights: &[u32; 8]) -> u8 {
    let sum: u32 = digits.iter().zip(weights).map(|(d, w)| d * w).sum();
    match sum % 11 {
        0 => 0,
        r => (11 - r) as u8,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seeded::SplitMix64;

    /// The worked examples of "IR Number Validation Modulus 11 Digit Check".
    const PUBLISHED_VALID: &[&str] = &["49091850", "35901981", "49098576", "136410132"];

    #[test]
    fn published_valid_numbers_pass() {
        for ird in PUBLISHED_VALID {
            assert_eq!(check(ird), Ok(ird.parse().unwrap()), "{ird}");
        }
    }

    #[test]
    fn published_invalid_numbers_fail_for_the_published_reason() {
        assert_eq!(
            check("136410133"),
            Err(IrdError::CheckDigit {
                expected: 2,
                found: 3
            })
        );
        assert_eq!(check("9125568"), Err(IrdError::OutOfRange(9_125_568)));
    }

    #[test]
    fn the_published_worked_sums_are_reproduced() {
        assert_eq!(weighted(&base_digits(4_909_185), &PRIMARY_WEIGHTS), 0);
        assert_eq!(weighted(&base_digits(3_590_198), &PRIMARY_WEIGHTS), 1);
        assert_eq!(weighted(&base_digits(4_909_857), &PRIMARY_WEIGHTS), 10);
        assert_eq!(weighted(&base_digits(4_909_857), &SECONDARY_WEIGHTS), 6);
        assert_eq!(weighted(&base_digits(13_641_013), &PRIMARY_WEIGHTS), 10);
        assert_eq!(weighted(&base_digits(13_641_013), &SECONDARY_WEIGHTS), 2);
    }

    #[test]
    fn malformed_input_is_refused() {
        assert_eq!(check(""), Err(IrdError::Empty));
        assert_eq!(check("4909185A"), Err(IrdError::NotNumeric));
        assert_eq!(check("49-091-850"), Err(IrdError::NotNumeric));
        assert_eq!(check(" 49091850"), Err(IrdError::NotNumeric));
        assert_eq!(check("+49091850"), Err(IrdError::NotNumeric));
        assert_eq!(check("1364101320"), Err(IrdError::TooLong(10)));
        assert_eq!(check("0136410132"), Err(IrdError::TooLong(10)));
    }

    #[test]
    fn range_bounds_are_inclusive() {
        assert_eq!(
            check_number(9_999_999),
            Err(IrdError::OutOfRange(9_999_999))
        );
        assert_eq!(
            check_number(150_000_001),
            Err(IrdError::OutOfRange(150_000_001))
        );
        assert!(!matches!(check_number(MIN), Err(IrdError::OutOfRange(_))));
        assert!(!matches!(check_number(MAX), Err(IrdError::OutOfRange(_))));
        // 999999999 has a correct check digit but lies above the range.
        assert_eq!(check_digit(99_999_999), Some(9));
        assert_eq!(check("999999999"), Err(IrdError::OutOfRange(999_999_999)));
    }

    #[test]
    fn a_base_with_no_check_digit_is_invalid_whatever_its_last_digit() {
        let base = (1_000_000..15_000_000)
            .find(|&b| check_digit(b).is_none())
            .expect("some base gives 10 under both weightings");
        for d in 0..10 {
            assert_eq!(check_number(base * 10 + d), Err(IrdError::NoCheckDigit));
        }
    }

    #[test]
    fn nine_digit_form_pads_with_zeros() {
        assert_eq!(to_nine_digits(49_091_850), "049091850");
        assert_eq!(to_nine_digits(136_410_132), "136410132");
    }

    /// A value in `lo..hi` from the seeded generator of the property loops below.
    fn range(rng: &mut SplitMix64, lo: u32, hi: u32) -> u32 {
        lo + (rng.next_u64() % u64::from(hi - lo)) as u32
    }

    const ROUNDS: usize = 20_000;

    #[test]
    fn property_every_base_has_at_most_one_accepted_check_digit() {
        let mut rng = SplitMix64::new(1);
        for _ in 0..ROUNDS {
            let base = range(&mut rng, MIN / 10, MAX / 10 + 1);
            let accepted: Vec<u32> = (0..10)
                .map(|d| base * 10 + d)
                .filter(|&n| check_number(n).is_ok())
                .collect();
            match with_check_digit(base) {
                Some(n) if (MIN..=MAX).contains(&n) => assert_eq!(accepted, [n], "{base}"),
                _ => assert!(accepted.is_empty(), "{base}: {accepted:?}"),
            }
        }
    }

    #[test]
    fn property_accepted_numbers_carry_the_computed_check_digit() {
        let mut rng = SplitMix64::new(2);
        let mut accepted = 0;
        for _ in 0..ROUNDS * 5 {
            let n = range(&mut rng, MIN, MAX + 1);
            if check_number(n).is_ok() {
                accepted += 1;
                assert_eq!(check_digit(n / 10).map(u32::from), Some(n % 10), "{n}");
            }
        }
        // About one number in ten is valid; a check that accepted nothing would be vacuous.
        assert!(accepted > ROUNDS / 5, "{accepted}");
    }

    #[test]
    fn property_one_changed_digit_is_detected_when_both_use_the_primary_weights() {
        let mut rng = SplitMix64::new(3);
        let mut compared = 0;
        for _ in 0..ROUNDS {
            let Some(n) = with_check_digit(range(&mut rng, MIN / 10, MAX / 10 + 1)) else {
                continue;
            };
            if check_number(n).is_err() {
                continue;
            }
            let nine = to_nine_digits(n);
            for pos in 0..9 {
                for digit in b'0'..=b'9' {
                    let mut bytes = nine.clone().into_bytes();
                    if bytes[pos] == digit {
                        continue;
                    }
                    bytes[pos] = digit;
                    let changed = String::from_utf8(bytes).unwrap();
                    let m: u32 = changed.parse().unwrap();
                    let primary = |x: u32| weighted(&base_digits(x / 10), &PRIMARY_WEIGHTS);
                    // A change that sends either number to the secondary weights may collide:
                    // the published algorithm does not promise detection there.
                    if pos < 8 && (primary(n) == 10 || primary(m) == 10) {
                        continue;
                    }
                    compared += 1;
                    assert!(check(&changed).is_err(), "{nine} -> {changed}");
                }
            }
        }
        assert!(compared > ROUNDS, "{compared}");
    }

    #[test]
    fn property_eight_digits_and_their_padded_form_agree() {
        let mut rng = SplitMix64::new(4);
        for _ in 0..ROUNDS {
            let n = range(&mut rng, MIN, 100_000_000);
            let eight = n.to_string();
            assert_eq!(eight.len(), 8);
            assert_eq!(check(&eight), check(&format!("0{eight}")), "{eight}");
            assert_eq!(check(&eight), check(&to_nine_digits(n)), "{eight}");
        }
    }
}
