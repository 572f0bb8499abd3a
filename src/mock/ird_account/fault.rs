//! The fault switches of the Inland Revenue Account API mock: each one breaks exactly one rule
//! of the API while every other behaviour stays conformant.
//!
//! The public table is [`FAULTS`]; the code asks a [`Faults`] set whether a [`Switch`] is on.
//! Both lists share one order, which the assertion below and a unit test enforce.

use crate::mock::Fault;

/// Every fault the Account API mock can simulate, in the order of `Switch`.
pub const FAULTS: &[Fault] = &[
    Fault {
        name: "delegate-sees-all",
        summary: "A delegated user is shown every account of the customer, including those not delegated to them.",
    },
    Fault {
        name: "stranger-gets-data",
        summary: "A caller with no access to the customer is served the accounts instead of 403 EV1022.",
    },
    Fault {
        name: "agent-denied",
        summary: "An intermediary linked to the customer is refused with 403 EV1022.",
    },
    Fault {
        name: "agency-denied",
        summary: "A government agency with a memorandum of understanding is refused with 403 EV1022.",
    },
    Fault {
        name: "other-customer-visible",
        summary: "A customer's own token also reaches other customers' accounts.",
    },
    Fault {
        name: "wrong-access-code",
        summary: "Access denials carry code EV1020 (invalid token) instead of EV1022.",
    },
    Fault {
        name: "access-denied-bad-request",
        summary: "Access denials (EV1022) are answered with status 400 instead of 403.",
    },
    Fault {
        name: "missing-filing-frequency",
        summary: "/account responses lack the mandatory FilingFrequency field.",
    },
    Fault {
        name: "cease-before-commence",
        summary: "Cease, the stop date, is one year before Commence, the start date, so an open account no longer says 9999-12-31.",
    },
    Fault {
        name: "account-id-ignored",
        summary: "/account answers with the customer's first account whatever AccountID asks for.",
    },
    Fault {
        name: "list-id-type-wrong",
        summary: "/list gives every account IDType KSF while /account knows them as ACC, so listed ids cannot be fetched.",
    },
    Fault {
        name: "no-auth",
        summary: "The token is not checked: a request without Authorization is served as the customer's own.",
    },
    Fault {
        name: "invalid-token-wrong-code",
        summary: "An unknown token gets EV1021 (no token present) instead of EV1020.",
    },
    Fault {
        name: "check-digit-not-validated",
        summary: "An IRD number failing the modulus-11 check digit gets CST404 instead of EV2234.",
    },
    Fault {
        name: "id-type-not-validated",
        summary: "A CustomerIDType outside IRD and CST is treated as IRD instead of getting EV1100.",
    },
    Fault {
        name: "ineligible-account-served",
        summary: "An account whose type is not eligible for the service is served instead of getting 400 ACT100.",
    },
    Fault {
        name: "unknown-customer-empty",
        summary: "An unknown customer gets 200 with no accounts instead of 400 CST404.",
    },
    Fault {
        name: "bad-status-value",
        summary: "Account Status is ACTIVE, which is not in the ACT/CLS/SUS enumeration.",
    },
    Fault {
        name: "error-missing-type",
        summary: "Error objects lack the mandatory type field.",
    },
    Fault {
        name: "account-id-type-defaulted",
        summary: "An /account request without AccountIDType is served as ACC instead of getting 400 EV1100.",
    },
];

/// One fault switch; its discriminant is its index in [`FAULTS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Switch {
    DelegateSeesAll,
    StrangerGetsData,
    AgentDenied,
    AgencyDenied,
    OtherCustomerVisible,
    WrongAccessCode,
    AccessDeniedBadRequest,
    MissingFilingFrequency,
    CeaseBeforeCommence,
    AccountIdIgnored,
    ListIdTypeWrong,
    NoAuth,
    InvalidTokenWrongCode,
    CheckDigitNotValidated,
    IdTypeNotValidated,
    IneligibleAccountServed,
    UnknownCustomerEmpty,
    BadStatusValue,
    ErrorMissingType,
    AccountIdTypeDefaulted,
}

/// The switches in discriminant order, for the consistency test.
#[cfg(test)]
const SWITCHES: &[Switch] = &[
    Switch::DelegateSeesAll,
    Switch::StrangerGetsData,
    Switch::AgentDenied,
    Switch::AgencyDenied,
    Switch::OtherCustomerVisible,
    Switch::WrongAccessCode,
    Switch::AccessDeniedBadRequest,
    Switch::MissingFilingFrequency,
    Switch::CeaseBeforeCommence,
    Switch::AccountIdIgnored,
    Switch::ListIdTypeWrong,
    Switch::NoAuth,
    Switch::InvalidTokenWrongCode,
    Switch::CheckDigitNotValidated,
    Switch::IdTypeNotValidated,
    Switch::IneligibleAccountServed,
    Switch::UnknownCustomerEmpty,
    Switch::BadStatusValue,
    Switch::ErrorMissingType,
    Switch::AccountIdTypeDefaulted,
];

const _: () = assert!(FAULTS.len() == Switch::AccountIdTypeDefaulted as usize + 1);
const _: () = assert!(FAULTS.len() <= 64);

/// The switches that are on, as a bit set indexed like [`FAULTS`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Faults(crate::mock::FaultSet);

impl Faults {
    /// Turns on the named switches; an unknown name is an error listing the known ones.
    pub(crate) fn parse(names: &[String]) -> Result<Self, String> {
        crate::mock::FaultSet::parse("ird-account", FAULTS, names).map(Faults)
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
    fn names_are_unique_kebab_case_and_match_switch_order() {
        assert_eq!(SWITCHES.len(), FAULTS.len());
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
            assert_eq!(SWITCHES[i] as usize, i);
            let words: String = format!("{:?}", SWITCHES[i])
                .chars()
                .flat_map(|c| {
                    let lower = c.to_ascii_lowercase();
                    if c.is_ascii_uppercase() {
                        vec!['-', lower]
                    } else {
                        vec![lower]
                    }
                })
                .collect();
            assert_eq!(words.trim_start_matches('-'), fault.name);
            assert!(FAULTS[i + 1..].iter().all(|f| f.name != fault.name));
        }
    }

    #[test]
    fn parse_turns_on_only_the_named_switches() {
        let faults = Faults::parse(&["no-auth".into(), "agent-denied".into()]).unwrap();
        assert!(faults.on(Switch::NoAuth));
        assert!(faults.on(Switch::AgentDenied));
        assert!(!faults.on(Switch::AgencyDenied));
        assert_eq!(Faults::parse(&[]).unwrap(), Faults::default());
    }

    #[test]
    fn parse_rejects_unknown_names_listing_known_ones() {
        let err = Faults::parse(&["no-such-fault".into()]).unwrap_err();
        assert!(err.contains("`no-such-fault`"), "{err}");
        assert!(
            err.contains("delegate-sees-all, stranger-gets-data"),
            "{err}"
        );
    }
}
