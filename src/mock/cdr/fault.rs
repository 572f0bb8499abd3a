//! The fault switches of the CDR mock: each one breaks exactly one rule of the standard while
//! every other behaviour stays conformant.
//!
//! The public table is [`FAULTS`]; the code asks a [`Faults`] set whether a [`Switch`] is on.
//! Both lists share one order, which the compile-time assertions below enforce.

use crate::mock::Fault;

/// Every fault the CDR mock can simulate, in the order of `Switch`.
pub const FAULTS: &[Fault] = &[
    Fault {
        name: "no-interaction-id",
        summary: "No response carries the x-fapi-interaction-id header.",
    },
    Fault {
        name: "wrong-interaction-id",
        summary: "x-fapi-interaction-id is a fresh UUID even when the request sent one to play back.",
    },
    Fault {
        name: "no-interaction-id-on-error",
        summary: "Error responses (4xx) lack x-fapi-interaction-id; successful ones carry it.",
    },
    Fault {
        name: "no-version-header",
        summary: "Successful responses lack the x-v header.",
    },
    Fault {
        name: "wrong-version-header",
        summary: "Successful responses say x-v: 1 although the version 2 payload is served.",
    },
    Fault {
        name: "ignore-x-min-v",
        summary: "x-min-v is validated but left out of negotiation, so x-v: 3 with x-min-v: 1 gets 406 instead of version 2.",
    },
    Fault {
        name: "accept-unsupported-version",
        summary: "A request for versions above 2 only (e.g. x-v: 3 without x-min-v) is served as version 2 instead of 406.",
    },
    Fault {
        name: "no-version-check",
        summary: "A request without x-v is served instead of getting 400 Header/Missing.",
    },
    Fault {
        name: "invalid-version-accepted",
        summary: "An x-v that is not a PositiveInteger (e.g. abc) is served as version 2 instead of getting 400 Header/InvalidVersion.",
    },
    Fault {
        name: "bad-error-code",
        summary: "Every error object carries the non-standard code urn:au-cds:error:cds-all:Request/Invalid.",
    },
    Fault {
        name: "error-missing-detail",
        summary: "Error objects lack the mandatory detail field.",
    },
    Fault {
        name: "page-size-ignored",
        summary: "A valid page-size is ignored and pages always hold 25 records.",
    },
    Fault {
        name: "max-page-size-not-enforced",
        summary: "A page-size above 1000 is served instead of getting 400 Field/InvalidPageSize.",
    },
    Fault {
        name: "invalid-page-accepted",
        summary: "A page beyond the last one gets 200 with no accounts instead of 422 Field/InvalidPage.",
    },
    Fault {
        name: "wrong-total-pages",
        summary: "meta.totalPages rounds down, so it is one short when the last page is partial.",
    },
    Fault {
        name: "wrong-total-records",
        summary: "meta.totalRecords counts the records on the current page instead of the whole set.",
    },
    Fault {
        name: "missing-next-link",
        summary: "links.next is missing on pages that are not the last.",
    },
    Fault {
        name: "missing-prev-link",
        summary: "links.prev is missing on pages that are not the first.",
    },
    Fault {
        name: "missing-first-link",
        summary: "links.first is missing on pages that are not the first.",
    },
    Fault {
        name: "missing-last-link",
        summary: "links.last is missing on pages that are not the last.",
    },
    Fault {
        name: "relative-self-link",
        summary: "links.self is a relative reference (path and query) instead of a fully qualified URI.",
    },
    Fault {
        name: "links-drop-filters",
        summary: "links.first/prev/next/last lose the product-category, open-status and is-owned filters.",
    },
    Fault {
        name: "duplicate-across-pages",
        summary: "Every page after the first starts with the last record of the page before it.",
    },
    Fault {
        name: "filter-ignored-product-category",
        summary: "product-category is validated but not applied.",
    },
    Fault {
        name: "filter-ignored-open-status",
        summary: "open-status is validated but not applied.",
    },
    Fault {
        name: "filter-ignored-is-owned",
        summary: "is-owned is validated but not applied.",
    },
    Fault {
        name: "bad-enum-value",
        summary: "The first account of every page has productCategory SAVINGS, which is not in the enum.",
    },
    Fault {
        name: "missing-required-field",
        summary: "Accounts lack the mandatory maskedNumber field.",
    },
    Fault {
        name: "wrong-type",
        summary: "meta.totalRecords is a JSON string instead of a number.",
    },
    Fault {
        name: "wrong-content-type",
        summary: "Successful responses say Content-Type: text/plain although the body is JSON.",
    },
    Fault {
        name: "no-auth",
        summary: "The bearer token is not checked: requests without or with a wrong token are served.",
    },
    Fault {
        name: "default-page-size-wrong",
        summary: "Without page-size, pages hold 10 records instead of the default 25.",
    },
    Fault {
        name: "old-page-size-status",
        summary: "A page-size above 1000 gets 422 (the retired rule) instead of 400 Field/InvalidPageSize.",
    },
    Fault {
        name: "x-min-v-not-validated",
        summary: "An x-min-v that is not a PositiveInteger is treated as absent instead of getting 400 Header/InvalidVersion.",
    },
    Fault {
        name: "interaction-id-not-uuid",
        summary: "Without x-fapi-interaction-id in the request, the response's id is a counter, not an RFC 4122 UUID.",
    },
    Fault {
        name: "retired-version-served",
        summary: "A request for versions below 2 only (e.g. x-v: 1, a retired version) is served as version 2 instead of 406.",
    },
    Fault {
        name: "x-min-v-above-refused",
        summary: "An x-min-v above x-v is not treated as absent: x-v: 2 with x-min-v: 5 gets 406 instead of version 2.",
    },
    Fault {
        name: "data-on-unauthorised",
        summary: "401 responses carry the first page of accounts under data beside the error.",
    },
    Fault {
        name: "unsupported-version-as-bad-request",
        summary: "Header/UnsupportedVersion errors come with status 400 instead of 406.",
    },
    Fault {
        name: "page-zero-accepted",
        summary: "A page of 0, which is not a PositiveInteger, is served as the first page instead of getting 400 Field/Invalid.",
    },
    Fault {
        name: "bad-creation-date",
        summary: "The first creationDate of every page is written DD/MM/YYYY (e.g. 04/03/2021) instead of as a DateString (RFC 3339 full-date).",
    },
    Fault {
        name: "next-link-loops",
        summary: "The last page carries a links.next back to page 1, so a client following next never stops.",
    },
];

/// One fault switch; its discriminant is its index in [`FAULTS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Switch {
    NoInteractionId,
    WrongInteractionId,
    NoInteractionIdOnError,
    NoVersionHeader,
    WrongVersionHeader,
    IgnoreXMinV,
    AcceptUnsupportedVersion,
    NoVersionCheck,
    InvalidVersionAccepted,
    BadErrorCode,
    ErrorMissingDetail,
    PageSizeIgnored,
    MaxPageSizeNotEnforced,
    InvalidPageAccepted,
    WrongTotalPages,
    WrongTotalRecords,
    MissingNextLink,
    MissingPrevLink,
    MissingFirstLink,
    MissingLastLink,
    RelativeSelfLink,
    LinksDropFilters,
    DuplicateAcrossPages,
    FilterIgnoredProductCategory,
    FilterIgnoredOpenStatus,
    FilterIgnoredIsOwned,
    BadEnumValue,
    MissingRequiredField,
    WrongType,
    WrongContentType,
    NoAuth,
    DefaultPageSizeWrong,
    OldPageSizeStatus,
    XMinVNotValidated,
    InteractionIdNotUuid,
    RetiredVersionServed,
    XMinVAboveRefused,
    DataOnUnauthorised,
    UnsupportedVersionAsBadRequest,
    PageZeroAccepted,
    BadCreationDate,
    NextLinkLoops,
}

/// The switches in discriminant order, so an index into [`FAULTS`] maps back to a switch.
const SWITCHES: &[Switch] = &[
    Switch::NoInteractionId,
    Switch::WrongInteractionId,
    Switch::NoInteractionIdOnError,
    Switch::NoVersionHeader,
    Switch::WrongVersionHeader,
    Switch::IgnoreXMinV,
    Switch::AcceptUnsupportedVersion,
    Switch::NoVersionCheck,
    Switch::InvalidVersionAccepted,
    Switch::BadErrorCode,
    Switch::ErrorMissingDetail,
    Switch::PageSizeIgnored,
    Switch::MaxPageSizeNotEnforced,
    Switch::InvalidPageAccepted,
    Switch::WrongTotalPages,
    Switch::WrongTotalRecords,
    Switch::MissingNextLink,
    Switch::MissingPrevLink,
    Switch::MissingFirstLink,
    Switch::MissingLastLink,
    Switch::RelativeSelfLink,
    Switch::LinksDropFilters,
    Switch::DuplicateAcrossPages,
    Switch::FilterIgnoredProductCategory,
    Switch::FilterIgnoredOpenStatus,
    Switch::FilterIgnoredIsOwned,
    Switch::BadEnumValue,
    Switch::MissingRequiredField,
    Switch::WrongType,
    Switch::WrongContentType,
    Switch::NoAuth,
    Switch::DefaultPageSizeWrong,
    Switch::OldPageSizeStatus,
    Switch::XMinVNotValidated,
    Switch::InteractionIdNotUuid,
    Switch::RetiredVersionServed,
    Switch::XMinVAboveRefused,
    Switch::DataOnUnauthorised,
    Switch::UnsupportedVersionAsBadRequest,
    Switch::PageZeroAccepted,
    Switch::BadCreationDate,
    Switch::NextLinkLoops,
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
        crate::mock::FaultSet::parse("cdr", FAULTS, names).map(Faults)
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
        let faults = Faults::parse(&["wrong-type".into(), "no-auth".into()]).unwrap();
        assert!(faults.on(Switch::WrongType));
        assert!(faults.on(Switch::NoAuth));
        assert!(!faults.on(Switch::NoVersionHeader));
        assert_eq!(Faults::parse(&[]).unwrap(), Faults::default());
    }

    #[test]
    fn parse_rejects_unknown_names_listing_known_ones() {
        let err = Faults::parse(&["no-such-fault".into()]).unwrap_err();
        assert!(err.contains("`no-such-fault`"), "{err}");
        assert!(
            err.contains("no-interaction-id, wrong-interaction-id"),
            "{err}"
        );
    }
}
