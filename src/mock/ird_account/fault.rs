//! The fault switches of the Inland Revenue Account API mock: each one breaks exactly one rule
//! of the API while every other behaviour stays conformant.
//!
//! The public table is [`FAULTS`]; the code asks a [`Faults`] set whether a [`Switch`] is on.
//! Both come from the one list below, so they share one order.

crate::mock::faults::fault_switches! {
    api: "ird-account";
    DelegateSeesAll => "delegate-sees-all",
        "A delegated user is shown every account of the customer, including those not delegated to them.";
    StrangerGetsData => "stranger-gets-data",
        "A caller with no access to the customer is served the accounts instead of 403 EV1022.";
    AgentDenied => "agent-denied",
        "An intermediary linked to the customer is refused with 403 EV1022.";
    AgencyDenied => "agency-denied",
        "A government agency with a memorandum of understanding is refused with 403 EV1022.";
    OtherCustomerVisible => "other-customer-visible",
        "A customer's own token also reaches other customers' accounts.";
    WrongAccessCode => "wrong-access-code",
        "Access denials carry code EV1020 (invalid token) instead of EV1022.";
    AccessDeniedUnauthorised => "access-denied-unauthorised",
        "Access denials (EV1022) are answered with status 401, which neither the Swagger file (403) nor the sample message (400) gives.";
    MissingFilingFrequency => "missing-filing-frequency",
        "/account responses lack the mandatory FilingFrequency field.";
    CeaseBeforeCommence => "cease-before-commence",
        "Cease, the stop date, is one year before Commence, the start date, so an open account no longer says 9999-12-31.";
    AccountIdIgnored => "account-id-ignored",
        "/account answers with the customer's first account whatever AccountID asks for.";
    ListIdTypeWrong => "list-id-type-wrong",
        "/list gives every account IDType KSF while /account knows them as ACC, so listed ids cannot be fetched.";
    NoAuth => "no-auth",
        "The token is not checked: a request without Authorization is served as the customer's own.";
    InvalidTokenWrongCode => "invalid-token-wrong-code",
        "An unknown token gets EV1021 (no token present) instead of EV1020.";
    CheckDigitNotValidated => "check-digit-not-validated",
        "An IRD number failing the modulus-11 check digit gets CST404 instead of EV2234.";
    IdTypeNotValidated => "id-type-not-validated",
        "A CustomerIDType outside IRD and CST is treated as IRD instead of getting EV1100.";
    IneligibleAccountServed => "ineligible-account-served",
        "An account whose type is not eligible for the service is served instead of getting 400 ACT100.";
    UnknownCustomerEmpty => "unknown-customer-empty",
        "An unknown customer gets 200 with no accounts instead of 400 CST404.";
    BadStatusValue => "bad-status-value",
        "Account Status is ACTIVE, which is not in the ACT/CLS/SUS enumeration.";
    ErrorMissingType => "error-missing-type",
        "Error objects lack the mandatory type field.";
    AccountIdTypeDefaulted => "account-id-type-defaulted",
        "An /account request without AccountIDType is served as ACC instead of getting 400 EV1100.";
    OtherMethodsServed => "other-methods-served",
        "GET, PUT and every other method on /list and /account are answered like POST (200 with the data) instead of being refused.";
    NoStatusService => "no-status-service",
        "GET /status is not served (404) instead of answering 200 with the body OK.";
}
