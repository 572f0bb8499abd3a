//! The fault switches of the Akahu mock: each one breaks exactly one documented rule while every
//! other behaviour stays conformant.
//!
//! The public table is [`FAULTS`]; the code asks a [`Faults`] set whether a [`Switch`] is on.
//! Both come from the one list below, so they share one order.

crate::mock::faults::fault_switches! {
    api: "akahu";
    WrongSuccessFlag => "wrong-success-flag",
        "Successful responses say success: false although they carry the data.";
    ItemsMissing => "items-missing",
        "The account list is a bare {success: true} without the items key.";
    ItemWrongKey => "item-wrong-key",
        "A single account comes under the key account instead of item.";
    UnknownIdFound => "unknown-id-found",
        "An unknown account id gets 200 with one of the user's accounts instead of 404.";
    NotFoundSuccessTrue => "not-found-success-true",
        "404 responses say success: true.";
    ErrorWithoutMessage => "error-without-message",
        "Error bodies lack the message key.";
    NoUserTokenAccepted => "no-user-token-accepted",
        "A request without an Authorization header is served as the user's.";
    InvalidUserTokenAccepted => "invalid-user-token-accepted",
        "Any bearer token is accepted as the user's access token.";
    MalformedTokenAccepted => "malformed-token-accepted",
        "An Authorization header holding the token without the Bearer scheme is accepted.";
    InvalidToken400 => "invalid-token-400",
        "An invalid user token gets 400, which neither the guide (403) nor the change log (401) gives.";
    NoAppIdAccepted => "no-app-id-accepted",
        "A request without X-Akahu-ID is served instead of getting 401.";
    WrongAppIdAccepted => "wrong-app-id-accepted",
        "Any X-Akahu-ID value is accepted, not only the app's own token.";
    BadStatusEnum => "bad-status-enum",
        "Accounts say status OPEN, which is not ACTIVE or INACTIVE.";
    BadTypeEnum => "bad-type-enum",
        "Accounts of type CHECKING say CURRENT, which is not in the type enum.";
    BalanceAsString => "balance-as-string",
        "balance.current is a JSON string instead of a number.";
    MissingId => "missing-id",
        "Accounts lack their _id.";
    ListGetDisagree => "list-get-disagree",
        "GET /accounts/{id} gives the account a different name from the one in the list.";
    GetIgnoresId => "get-ignores-id",
        "GET /accounts/{id} with any known id returns the first account of the list.";
    WrongContentType => "wrong-content-type",
        "Successful responses say Content-Type: text/plain although the body is JSON.";
    UnknownUrl500 => "unknown-url-500",
        "A URL that does not exist gets 500 instead of 404.";
    RefreshedNotUtc => "refreshed-not-utc",
        "refreshed.balance is written in New Zealand daylight time (+13:00) instead of UTC.";
}
