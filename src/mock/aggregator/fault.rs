//! The fault switches of the aggregator mock: each one breaks exactly one documented rule of the
//! accounts service while every other behaviour stays conformant.
//!
//! The public table is [`FAULTS`]; the code asks a [`Faults`] set whether a [`Switch`] is on.
//! Both lists share one order, which the compile-time assertions below enforce.

use crate::mock::Fault;

/// Every fault the aggregator mock can simulate, in the order of `Switch`.
pub const FAULTS: &[Fault] = &[
    Fault {
        name: "limit-ignored",
        summary: "A valid limit is ignored: pages always hold up to 10 accounts.",
    },
    Fault {
        name: "max-limit-not-enforced",
        summary: "A limit above 100 is served instead of getting 400 VALIDATION.",
    },
    Fault {
        name: "zero-limit-accepted",
        summary: "A limit of 0 is served as an empty page instead of getting 400 VALIDATION.",
    },
    Fault {
        name: "limit-type-not-checked",
        summary: "A limit written as a string of digits is served instead of getting 400 VALIDATION.",
    },
    Fault {
        name: "negative-skip-accepted",
        summary: "A negative skip is served as 0 instead of getting 400 VALIDATION.",
    },
    Fault {
        name: "default-limit-wrong",
        summary: "Without limit, pages hold up to 20 accounts instead of the default 10.",
    },
    Fault {
        name: "has-more-on-last-page",
        summary: "hasMore is true on the last page whenever that page holds accounts.",
    },
    Fault {
        name: "has-more-always-false",
        summary: "hasMore is false even when more accounts follow the page.",
    },
    Fault {
        name: "skip-repeats",
        summary: "A skip above 0 starts one account early, so a page repeats the last account of the page before.",
    },
    Fault {
        name: "skip-gaps",
        summary: "A skip above 0 starts one account late, so one account is missed between consecutive pages.",
    },
    Fault {
        name: "subcategory-mismatch",
        summary: "Credit accounts carry subcategory savings, which only fits category cash.",
    },
    Fault {
        name: "bad-enum-value",
        summary: "The first account of every page has status connected, which is not in the enum.",
    },
    Fault {
        name: "missing-account-number",
        summary: "sortCode financial addresses lack their mandatory accountNumber.",
    },
    Fault {
        name: "unknown-id-found",
        summary: "retrieve answers an id with no account with 200 and the first account instead of 404 NOT_FOUND.",
    },
    Fault {
        name: "retrieve-ignores-id",
        summary: "retrieve answers any known id with the first account of the list.",
    },
    Fault {
        name: "id-type-not-checked",
        summary: "A non-string id is looked up as text (so 404) instead of getting 400 VALIDATION.",
    },
    Fault {
        name: "disconnect-no-effect",
        summary: "disconnect answers 200 but the account keeps its status.",
    },
    Fault {
        name: "wrong-error-body",
        summary: "Error bodies are {\"error\": text} without the documented message and code.",
    },
    Fault {
        name: "no-auth",
        summary: "The X-Ivy-Api-Key header is not checked: requests without or with a wrong key are served.",
    },
    Fault {
        name: "wrong-content-type",
        summary: "Successful responses say Content-Type: text/plain although the body is JSON.",
    },
];

/// One fault switch; its discriminant is its index in [`FAULTS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Switch {
    LimitIgnored,
    MaxLimitNotEnforced,
    ZeroLimitAccepted,
    LimitTypeNotChecked,
    NegativeSkipAccepted,
    DefaultLimitWrong,
    HasMoreOnLastPage,
    HasMoreAlwaysFalse,
    SkipRepeats,
    SkipGaps,
    SubcategoryMismatch,
    BadEnumValue,
    MissingAccountNumber,
    UnknownIdFound,
    RetrieveIgnoresId,
    IdTypeNotChecked,
    DisconnectNoEffect,
    WrongErrorBody,
    NoAuth,
    WrongContentType,
}

/// The switches in discriminant order, so an index into [`FAULTS`] maps back to a switch.
const SWITCHES: &[Switch] = &[
    Switch::LimitIgnored,
    Switch::MaxLimitNotEnforced,
    Switch::ZeroLimitAccepted,
    Switch::LimitTypeNotChecked,
    Switch::NegativeSkipAccepted,
    Switch::DefaultLimitWrong,
    Switch::HasMoreOnLastPage,
    Switch::HasMoreAlwaysFalse,
    Switch::SkipRepeats,
    Switch::SkipGaps,
    Switch::SubcategoryMismatch,
    Switch::BadEnumValue,
    Switch::MissingAccountNumber,
    Switch::UnknownIdFound,
    Switch::RetrieveIgnoresId,
    Switch::IdTypeNotChecked,
    Switch::DisconnectNoEffect,
    Switch::WrongErrorBody,
    Switch::NoAuth,
    Switch::WrongContentType,
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
        crate::mock::FaultSet::parse("aggregator", FAULTS, names).map(Faults)
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
    fn names_are_unique_kebab_case_and_match_the_switches() {
        for (i, fault) in FAULTS.iter().enumerate() {
            assert!(
                fault
                    .name
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b == b'-'),
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
        let faults = Faults::parse(&["skip-gaps".into(), "no-auth".into()]).unwrap();
        assert!(faults.on(Switch::SkipGaps));
        assert!(faults.on(Switch::NoAuth));
        assert!(!faults.on(Switch::SkipRepeats));
        assert_eq!(Faults::parse(&[]).unwrap(), Faults::default());
    }

    #[test]
    fn parse_rejects_unknown_names_listing_known_ones() {
        let err = Faults::parse(&["no-such-fault".into()]).unwrap_err();
        assert!(err.contains("`no-such-fault`"), "{err}");
        assert!(
            err.contains("limit-ignored, max-limit-not-enforced"),
            "{err}"
        );
    }
}
