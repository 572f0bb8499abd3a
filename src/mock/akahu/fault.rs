//! The fault switches of the Akahu mock: each one breaks exactly one documented rule while every
//! other behaviour stays conformant.
//!
//! The public table is [`FAULTS`]; the code asks a [`Faults`] set whether a [`Switch`] is on.
//! Both lists share one order, which the compile-time assertions below enforce.

use crate::mock::Fault;

/// Every fault the Akahu mock can simulate, in the order of `Switch`.
pub const FAULTS: &[Fault] = &[
    Fault {
        name: "wrong-success-flag",
        summary: "Successful responses say success: false although they carry the data.",
    },
    Fault {
        name: "items-missing",
        summary: "The account list is a bare {success: true} without the items key.",
    },
    Fault {
        name: "item-wrong-key",
        summary: "A single account comes under the key account instead of item.",
    },
    Fault {
        name: "unknown-id-found",
        summary: "An unknown account id gets 200 with one of the user's accounts instead of 404.",
    },
    Fault {
        name: "not-found-success-true",
        summary: "404 responses say success: true.",
    },
    Fault {
        name: "error-without-message",
        summary: "Error bodies lack the message key.",
    },
    Fault {
        name: "no-user-token-accepted",
        summary: "A request without an Authorization header is served as the user's.",
    },
    Fault {
        name: "invalid-user-token-accepted",
        summary: "Any bearer token is accepted as the user's access token.",
    },
    Fault {
        name: "malformed-token-accepted",
        summary: "An Authorization header holding the token without the Bearer scheme is accepted.",
    },
    Fault {
        name: "old-invalid-token-status",
        summary: "An invalid user token gets 403 (the rule retired in September 2024) instead of 401.",
    },
    Fault {
        name: "no-app-id-accepted",
        summary: "A request without X-Akahu-ID is served instead of getting 401.",
    },
    Fault {
        name: "wrong-app-id-accepted",
        summary: "Any X-Akahu-ID value is accepted, not only the app's own token.",
    },
    Fault {
        name: "bad-status-enum",
        summary: "Accounts say status OPEN, which is not ACTIVE or INACTIVE.",
    },
    Fault {
        name: "bad-type-enum",
        summary: "Accounts of type CHECKING say CURRENT, which is not in the type enum.",
    },
    Fault {
        name: "balance-as-string",
        summary: "balance.current is a JSON string instead of a number.",
    },
    Fault {
        name: "missing-id",
        summary: "Accounts lack their _id.",
    },
    Fault {
        name: "list-get-disagree",
        summary: "GET /accounts/{id} gives the account a different name from the one in the list.",
    },
    Fault {
        name: "get-ignores-id",
        summary: "GET /accounts/{id} with any known id returns the first account of the list.",
    },
    Fault {
        name: "wrong-content-type",
        summary: "Successful responses say Content-Type: text/plain although the body is JSON.",
    },
    Fault {
        name: "unknown-url-500",
        summary: "A URL that does not exist gets 500 instead of 404.",
    },
];

/// One fault switch; its discriminant is its index in [`FAULTS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Switch {
    WrongSuccessFlag,
    ItemsMissing,
    ItemWrongKey,
    UnknownIdFound,
    NotFoundSuccessTrue,
    ErrorWithoutMessage,
    NoUserTokenAccepted,
    InvalidUserTokenAccepted,
    MalformedTokenAccepted,
    OldInvalidTokenStatus,
    NoAppIdAccepted,
    WrongAppIdAccepted,
    BadStatusEnum,
    BadTypeEnum,
    BalanceAsString,
    MissingId,
    ListGetDisagree,
    GetIgnoresId,
    WrongContentType,
    UnknownUrl500,
}

/// The switches in discriminant order, so an index into [`FAULTS`] maps back to a switch.
#[cfg(test)]
const SWITCHES: &[Switch] = &[
    Switch::WrongSuccessFlag,
    Switch::ItemsMissing,
    Switch::ItemWrongKey,
    Switch::UnknownIdFound,
    Switch::NotFoundSuccessTrue,
    Switch::ErrorWithoutMessage,
    Switch::NoUserTokenAccepted,
    Switch::InvalidUserTokenAccepted,
    Switch::MalformedTokenAccepted,
    Switch::OldInvalidTokenStatus,
    Switch::NoAppIdAccepted,
    Switch::WrongAppIdAccepted,
    Switch::BadStatusEnum,
    Switch::BadTypeEnum,
    Switch::BalanceAsString,
    Switch::MissingId,
    Switch::ListGetDisagree,
    Switch::GetIgnoresId,
    Switch::WrongContentType,
    Switch::UnknownUrl500,
];

const _: () = assert!(FAULTS.len() == Switch::UnknownUrl500 as usize + 1);
const _: () = assert!(FAULTS.len() <= 64);

/// The set of switches turned on for one mock instance.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Faults(crate::mock::FaultSet);

impl Faults {
    /// Turns on the named switches; an unknown name is an error listing the known ones.
    pub(crate) fn parse(names: &[String]) -> Result<Self, String> {
        crate::mock::FaultSet::parse("akahu", FAULTS, names).map(Faults)
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
            let pascal: String = fault
                .name
                .split('-')
                .map(|w| w[..1].to_ascii_uppercase() + &w[1..])
                .collect();
            assert_eq!(format!("{:?}", SWITCHES[i]), pascal);
            assert!(FAULTS[i + 1..].iter().all(|f| f.name != fault.name));
        }
    }

    #[test]
    fn parse_turns_on_only_the_named_switches() {
        let faults = Faults::parse(&["missing-id".into(), "unknown-url-500".into()]).unwrap();
        assert!(faults.on(Switch::MissingId));
        assert!(faults.on(Switch::UnknownUrl500));
        assert!(!faults.on(Switch::BadStatusEnum));
        assert_eq!(Faults::parse(&[]).unwrap(), Faults::default());
    }

    #[test]
    fn parse_rejects_unknown_names_listing_known_ones() {
        let err = Faults::parse(&["no-such-fault".into()]).unwrap_err();
        assert!(err.contains("`no-such-fault`"), "{err}");
        assert!(err.contains("wrong-success-flag, items-missing"), "{err}");
    }
}
