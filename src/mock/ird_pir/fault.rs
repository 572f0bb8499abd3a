//! The fault switches of the PIR mock: each one breaks exactly one rule of the build pack while
//! every other behaviour stays conformant.
//!
//! The public table is [`FAULTS`]; the code asks a [`Faults`] set whether a [`Switch`] is on.
//! Both lists share one order, which the compile-time assertions below enforce.

use crate::mock::Fault;

/// Every fault the PIR mock can simulate, in the order of `Switch`.
pub const FAULTS: &[Fault] = &[
    Fault {
        name: "mod11-not-checked",
        summary: "IRD check digits are not verified: a number in range with a wrong check digit passes validation.",
    },
    Fault {
        name: "range-not-checked",
        summary: "IRD numbers above 150,000,000 with a correct check digit (e.g. 999999999) pass validation.",
    },
    Fault {
        name: "eight-digit-not-padded",
        summary: "An eight-digit IRD is refused with EV1100 instead of being padded to nine digits.",
    },
    Fault {
        name: "pie-ird-echoed-when-absent",
        summary: "The 200 body carries PieIRD (the investor's scheme) although the request sent none.",
    },
    Fault {
        name: "pie-ird-not-echoed",
        summary: "The 200 body leaves out the PieIRD the request sent.",
    },
    Fault {
        name: "rate-and-not-found",
        summary: "A 200 with a suggested rate also carries PirRateNotFound: false.",
    },
    Fault {
        name: "rate-as-string",
        summary: "SuggestedPirRate is a JSON string (\"28\") instead of a number.",
    },
    Fault {
        name: "ev-code-wrong-status",
        summary: "EV1100 errors are answered with 422 instead of 400.",
    },
    Fault {
        name: "empty-body-wrong-code",
        summary: "A request without content gets EV1100 instead of EV1000.",
    },
    Fault {
        name: "missing-token-wrong-code",
        summary: "A request without Authorization gets EV1024 instead of EV1025.",
    },
    Fault {
        name: "filing-period-not-validated",
        summary: "A FilingPeriod that is not 31 March is accepted as the tax year it falls in.",
    },
    Fault {
        name: "per100-not-raised",
        summary: "A FilingPeriod missing from the investor's account gets 200 PirRateNotFound instead of 400 PER100.",
    },
    Fault {
        name: "pir101-not-raised",
        summary: "A JWT caller without a startLogon is served without PieIRD instead of getting PIR101.",
    },
    Fault {
        name: "pir101-wrong-status",
        summary: "PIR101 is answered with 400 instead of 500.",
    },
    Fault {
        name: "bearer-rejected",
        summary: "OAuth access tokens sent as Authorization: Bearer <token> are refused with EV1024.",
    },
    Fault {
        name: "raw-jwt-rejected",
        summary: "A JWT sent as the whole Authorization value, without a prefix, is refused with EV1024.",
    },
    Fault {
        name: "no-auth",
        summary: "Authorization is not checked: a request without it is served as the tax preparer.",
    },
    Fault {
        name: "client-list-not-checked",
        summary: "OAuth callers are served investors missing from their client list instead of getting EV1041.",
    },
    Fault {
        name: "membership-not-checked",
        summary: "JWT callers are served investors who are not members of their scheme instead of getting EV1043.",
    },
    Fault {
        name: "error-type-missing",
        summary: "Error objects lack the mandatory type field.",
    },
    Fault {
        name: "wrong-content-type",
        summary: "Successful responses say Content-Type: text/plain although the body is JSON.",
    },
    Fault {
        name: "country-not-validated",
        summary: "An Address.Country that is not an ISO 3166 alpha-2 code (e.g. AB) is accepted.",
    },
    Fault {
        name: "start-logon-ignored",
        summary: "A JWT is validated by its sub claim even when its startLogon names a myIR user, so a tax preparer's JWT is treated as the scheme's and gets PIR101 without PieIRD.",
    },
    Fault {
        name: "name-length-not-checked",
        summary: "Name.FirstName, MiddleName and LastName are not held to their 1 to 50 characters: an empty or 51-character name is accepted.",
    },
    Fault {
        name: "response-ird-check-digit-wrong",
        summary: "The 200 body's IRD has a check digit one above the modulus-11 result (e.g. 139276508 for 139276507).",
    },
];

/// One fault switch; its discriminant is its index in [`FAULTS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Switch {
    Mod11NotChecked,
    RangeNotChecked,
    EightDigitNotPadded,
    PieIrdEchoedWhenAbsent,
    PieIrdNotEchoed,
    RateAndNotFound,
    RateAsString,
    EvCodeWrongStatus,
    EmptyBodyWrongCode,
    MissingTokenWrongCode,
    FilingPeriodNotValidated,
    Per100NotRaised,
    Pir101NotRaised,
    Pir101WrongStatus,
    BearerRejected,
    RawJwtRejected,
    NoAuth,
    ClientListNotChecked,
    MembershipNotChecked,
    ErrorTypeMissing,
    WrongContentType,
    CountryNotValidated,
    StartLogonIgnored,
    NameLengthNotChecked,
    ResponseIrdCheckDigitWrong,
}

/// The switches in discriminant order, so an index into [`FAULTS`] maps back to a switch.
const SWITCHES: &[Switch] = &[
    Switch::Mod11NotChecked,
    Switch::RangeNotChecked,
    Switch::EightDigitNotPadded,
    Switch::PieIrdEchoedWhenAbsent,
    Switch::PieIrdNotEchoed,
    Switch::RateAndNotFound,
    Switch::RateAsString,
    Switch::EvCodeWrongStatus,
    Switch::EmptyBodyWrongCode,
    Switch::MissingTokenWrongCode,
    Switch::FilingPeriodNotValidated,
    Switch::Per100NotRaised,
    Switch::Pir101NotRaised,
    Switch::Pir101WrongStatus,
    Switch::BearerRejected,
    Switch::RawJwtRejected,
    Switch::NoAuth,
    Switch::ClientListNotChecked,
    Switch::MembershipNotChecked,
    Switch::ErrorTypeMissing,
    Switch::WrongContentType,
    Switch::CountryNotValidated,
    Switch::StartLogonIgnored,
    Switch::NameLengthNotChecked,
    Switch::ResponseIrdCheckDigitWrong,
];

const _: () = {
    assert!(FAULTS.len() == SWITCHES.len());
    assert!(SWITCHES.len() <= 64);
    let mut i = 0;
    while i < SWITCHES.len() {
        assert!(SWITCHES[i] as usize == i);
        i += 1;
    }
};

#[cfg(test)]
impl Switch {
    /// The public name of this switch.
    pub(crate) fn name(self) -> &'static str {
        FAULTS[self as usize].name
    }
}

/// The set of switches turned on for one mock instance.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Faults(crate::mock::FaultSet);

impl Faults {
    /// Turns on the named switches; an unknown name is an error listing the known ones.
    pub(crate) fn parse(names: &[String]) -> Result<Self, String> {
        crate::mock::FaultSet::parse("ird-pir", FAULTS, names).map(Faults)
    }

    /// Whether `switch` is on.
    pub(crate) fn on(self, switch: Switch) -> bool {
        self.0.has(switch as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_kebab_case() {
        for (i, fault) in FAULTS.iter().enumerate() {
            assert!(
                fault
                    .name
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "{}",
                fault.name
            );
            assert!(fault.summary.ends_with('.'), "{}", fault.name);
            assert_eq!(SWITCHES[i].name(), fault.name);
            assert!(FAULTS[i + 1..].iter().all(|f| f.name != fault.name));
        }
    }

    #[test]
    fn parse_turns_on_only_the_named_switches() {
        let faults = Faults::parse(&["no-auth".into(), "rate-as-string".into()]).unwrap();
        assert!(faults.on(Switch::NoAuth));
        assert!(faults.on(Switch::RateAsString));
        assert!(!faults.on(Switch::Mod11NotChecked));
        assert_eq!(Faults::parse(&[]).unwrap(), Faults::default());
    }

    #[test]
    fn parse_rejects_unknown_names_listing_known_ones() {
        let err = Faults::parse(&["no-such-fault".into()]).unwrap_err();
        assert!(err.contains("`no-such-fault`"), "{err}");
        assert!(
            err.contains("mod11-not-checked, range-not-checked"),
            "{err}"
        );
    }
}
