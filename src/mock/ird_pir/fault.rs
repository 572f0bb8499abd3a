//! The fault switches of the PIR mock: each one breaks exactly one rule of the build pack while
//! every other behaviour stays conformant. One switch, `lenient-soft-match`, breaks no rule:
//! it is the lenient reading of the build pack, which the suite must pass with warnings.
//!
//! The public table is [`FAULTS`]; the code asks a [`Faults`] set whether a [`Switch`] is on.
//! Both come from the one list below, so they share one order.

crate::mock::faults::fault_switches! {
    api: "ird-pir";
    Mod11NotChecked => "mod11-not-checked",
        "IRD check digits are not verified: a number in range with a wrong check digit passes validation.";
    RangeNotChecked => "range-not-checked",
        "IRD numbers above 150,000,000 with a correct check digit (e.g. 999999999) pass validation.";
    EightDigitNotPadded => "eight-digit-not-padded",
        "An eight-digit IRD is refused with EV1100 instead of being padded to nine digits.";
    PieIrdEchoedWhenAbsent => "pie-ird-echoed-when-absent",
        "The 200 body carries PieIRD (the investor's scheme) although the request sent none.";
    PieIrdNotEchoed => "pie-ird-not-echoed",
        "The 200 body leaves out the PieIRD the request sent.";
    RateAndNotFound => "rate-and-not-found",
        "A 200 with a suggested rate also carries PirRateNotFound: false.";
    RateAsString => "rate-as-string",
        "SuggestedPirRate is a JSON string (\"28\") instead of a number.";
    EvCodeWrongStatus => "ev-code-wrong-status",
        "EV1100 errors are answered with 422 instead of 400.";
    EmptyBodyWrongCode => "empty-body-wrong-code",
        "A request without content gets EV1100 instead of EV1000.";
    MissingTokenWrongCode => "missing-token-wrong-code",
        "A request without Authorization gets EV1024 instead of EV1025.";
    FilingPeriodNotValidated => "filing-period-not-validated",
        "A FilingPeriod that is not 31 March is accepted as the tax year it falls in.";
    Per100NotRaised => "per100-not-raised",
        "A FilingPeriod missing from the investor's account gets 200 PirRateNotFound instead of 400 PER100.";
    Pir101NotRaised => "pir101-not-raised",
        "A JWT caller without a startLogon is served without PieIRD instead of getting PIR101.";
    Pir101WrongStatus => "pir101-wrong-status",
        "PIR101 is answered with 401, which neither the build pack (500) nor the Swagger file (400) gives.";
    BearerRejected => "bearer-rejected",
        "OAuth access tokens sent as Authorization: Bearer <token> are refused with EV1024.";
    RawJwtRejected => "raw-jwt-rejected",
        "A JWT sent as the whole Authorization value, without a prefix, is refused with EV1024.";
    NoAuth => "no-auth",
        "Authorization is not checked: a request without it is served as the tax preparer.";
    ClientListNotChecked => "client-list-not-checked",
        "OAuth callers are served investors missing from their client list instead of getting EV1041.";
    MembershipNotChecked => "membership-not-checked",
        "JWT callers are served investors who are not members of their scheme instead of getting EV1043.";
    ErrorTypeMissing => "error-type-missing",
        "Error objects lack the mandatory type field.";
    WrongContentType => "wrong-content-type",
        "Successful responses say Content-Type: text/plain although the body is JSON.";
    StartLogonIgnored => "start-logon-ignored",
        "A JWT is validated by its sub claim even when its startLogon names a myIR user, so a tax preparer's JWT is treated as the scheme's and gets PIR101 without PieIRD.";
    PieIrdNotValidated => "pie-ird-not-validated",
        "A PieIRD that is not an IRD number (letters, a wrong check digit) is accepted as if none was sent.";
    LenientSoftMatch => "lenient-soft-match",
        "Not a fault: the soft-matching fields (FormattedName, Name, Dob, FormattedAddress, Address and their members) are not validated, which the build pack allows, so the suite passes with warnings.";
    NoStatusService => "no-status-service",
        "GET /status is not served (404) instead of answering 200 with the body OK.";
    ResponseIrdCheckDigitWrong => "response-ird-check-digit-wrong",
        "The 200 body's IRD has a check digit one above the modulus-11 result (e.g. 139276508 for 139276507).";
}
