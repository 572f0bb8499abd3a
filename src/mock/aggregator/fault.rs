//! The fault switches of the aggregator mock: each one breaks exactly one documented rule of the
//! accounts service while every other behaviour stays conformant.
//!
//! The public table is [`FAULTS`]; the code asks a [`Faults`] set whether a [`Switch`] is on.
//! Both come from the one list below, so they share one order.

crate::mock::faults::fault_switches! {
    api: "aggregator";
    LimitIgnored => "limit-ignored",
        "A valid limit is ignored: pages always hold up to 10 accounts.";
    MaxLimitNotEnforced => "max-limit-not-enforced",
        "Not a fault: a limit above 100 is served as 100 instead of getting 400 VALIDATION, which the seed allows (max 100, refusal not stated), so the suite passes with warnings.";
    LimitOverMaximumServed => "limit-over-maximum-served",
        "A limit above 100 is served as given: asked for 150, a page holds up to 150 accounts, past the seed's max 100.";
    ZeroLimitAccepted => "zero-limit-accepted",
        "Not a fault: a limit of 0 is served as an empty page instead of getting 400 VALIDATION, which no source demands, so the suite passes with warnings.";
    LimitTypeNotChecked => "limit-type-not-checked",
        "Not a fault: a limit written as a string of digits is read as that number instead of getting 400 VALIDATION, which no source demands, so the suite passes with warnings.";
    NegativeSkipAccepted => "negative-skip-accepted",
        "Not a fault: a negative skip is served as 0 instead of getting 400 VALIDATION, which no source demands, so the suite passes with warnings.";
    DefaultLimitWrong => "default-limit-wrong",
        "Without limit, pages hold up to 20 accounts instead of the default 10.";
    HasMoreOnLastPage => "has-more-on-last-page",
        "hasMore is true on the last page whenever that page holds accounts.";
    HasMoreAlwaysFalse => "has-more-always-false",
        "hasMore is false even when more accounts follow the page.";
    SkipRepeats => "skip-repeats",
        "A skip above 0 starts one account early, so a page repeats the last account of the page before.";
    SkipGaps => "skip-gaps",
        "A skip above 0 starts one account late, so one account is missed between consecutive pages.";
    SubcategoryMismatch => "subcategory-mismatch",
        "Credit accounts carry subcategory savings, which only fits category cash.";
    BadEnumValue => "bad-enum-value",
        "The first account of every page has status connected, which is not in the enum.";
    MissingAccountNumber => "missing-account-number",
        "sortCode financial addresses lack their mandatory accountNumber.";
    UnknownIdFound => "unknown-id-found",
        "retrieve answers an id with no account with 200 and the first account instead of 404 NOT_FOUND.";
    RetrieveIgnoresId => "retrieve-ignores-id",
        "retrieve answers any known id with the first account of the list.";
    IdTypeNotChecked => "id-type-not-checked",
        "A non-string id is looked up as text (so 404) instead of getting 400 VALIDATION.";
    DisconnectNoEffect => "disconnect-no-effect",
        "disconnect answers 200 but the account keeps its status.";
    WrongErrorBody => "wrong-error-body",
        "Error bodies are {\"error\": text} without the documented message and code.";
    NoAuth => "no-auth",
        "The X-Ivy-Api-Key header is not checked: requests without or with a wrong key are served.";
    WrongContentType => "wrong-content-type",
        "Successful responses say Content-Type: text/plain although the body is JSON.";
}
