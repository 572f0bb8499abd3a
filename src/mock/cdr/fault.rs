//! The fault switches of the CDR mock: each one breaks exactly one rule of the standard while
//! every other behaviour stays conformant.
//!
//! The public table is [`FAULTS`]; the code asks a [`Faults`] set whether a [`Switch`] is on.
//! Both come from the one list below, so they share one order.

crate::mock::faults::fault_switches! {
    api: "cdr";
    NoInteractionId => "no-interaction-id",
        "No response carries the x-fapi-interaction-id header.";
    WrongInteractionId => "wrong-interaction-id",
        "x-fapi-interaction-id is a fresh UUID even when the request sent one to play back.";
    NoInteractionIdOnError => "no-interaction-id-on-error",
        "Error responses (4xx) lack x-fapi-interaction-id; successful ones carry it.";
    NoVersionHeader => "no-version-header",
        "Successful responses lack the x-v header.";
    WrongVersionHeader => "wrong-version-header",
        "Successful responses say x-v: 1 although the version 2 payload is served.";
    IgnoreXMinV => "ignore-x-min-v",
        "x-min-v is validated but left out of negotiation, so x-v: 3 with x-min-v: 1 gets 406 instead of version 2.";
    AcceptUnsupportedVersion => "accept-unsupported-version",
        "A request for versions above 2 only (e.g. x-v: 3 without x-min-v) is served as version 2 instead of 406.";
    NoVersionCheck => "no-version-check",
        "A request without x-v is served instead of getting 400 Header/Missing.";
    InvalidVersionAccepted => "invalid-version-accepted",
        "An x-v that is not a PositiveInteger (e.g. abc) is served as version 2 instead of getting 400 Header/InvalidVersion.";
    BadErrorCode => "bad-error-code",
        "Every error object carries the non-standard code urn:au-cds:error:cds-all:Request/Invalid.";
    ErrorMissingDetail => "error-missing-detail",
        "Error objects lack the mandatory detail field.";
    ErrorTitleVaries => "error-title-varies",
        "An error's title carries the occurrence's detail (Invalid Field: is-owned), so one code comes with several titles.";
    PageSizeIgnored => "page-size-ignored",
        "A valid page-size is ignored and pages always hold 25 records.";
    MaxPageSizeNotEnforced => "max-page-size-not-enforced",
        "A page-size above 1000 is served instead of getting 400 Field/InvalidPageSize.";
    InvalidPageAccepted => "invalid-page-accepted",
        "A page beyond the last one gets 200 with no accounts instead of 422 Field/InvalidPage.";
    WrongTotalPages => "wrong-total-pages",
        "meta.totalPages rounds down, so it is one short when the last page is partial.";
    WrongTotalRecords => "wrong-total-records",
        "meta.totalRecords counts the records on the current page instead of the whole set.";
    MissingNextLink => "missing-next-link",
        "links.next is missing on pages that are not the last.";
    MissingPrevLink => "missing-prev-link",
        "links.prev is missing on pages that are not the first.";
    MissingFirstLink => "missing-first-link",
        "links.first is missing on pages that are not the first.";
    MissingLastLink => "missing-last-link",
        "links.last is missing on pages that are not the last.";
    RelativeSelfLink => "relative-self-link",
        "links.self is a relative reference (path and query) instead of a fully qualified URI.";
    LinksDropFilters => "links-drop-filters",
        "links.first/prev/next/last lose the product-category, open-status and is-owned filters.";
    DuplicateAcrossPages => "duplicate-across-pages",
        "Every page after the first starts with the last record of the page before it.";
    FilterIgnoredProductCategory => "filter-ignored-product-category",
        "product-category is validated but not applied.";
    FilterIgnoredOpenStatus => "filter-ignored-open-status",
        "open-status is validated but not applied.";
    FilterIgnoredIsOwned => "filter-ignored-is-owned",
        "is-owned is validated but not applied.";
    BadEnumValue => "bad-enum-value",
        "The first account of every page has productCategory SAVINGS, which is not in the enum.";
    MissingRequiredField => "missing-required-field",
        "Accounts lack the mandatory maskedNumber field.";
    WrongType => "wrong-type",
        "meta.totalRecords is a JSON string instead of a number.";
    WrongContentType => "wrong-content-type",
        "Successful responses say Content-Type: text/plain although the body is JSON.";
    NoAuth => "no-auth",
        "The bearer token is not checked: requests without or with a wrong token are served.";
    DefaultPageSizeWrong => "default-page-size-wrong",
        "Without page-size, pages hold 10 records instead of the default 25.";
    OldPageSizeStatus => "old-page-size-status",
        "A page-size above 1000 gets 422 (the retired rule) instead of 400 Field/InvalidPageSize.";
    XMinVNotValidated => "x-min-v-not-validated",
        "An x-min-v that is not a PositiveInteger is treated as absent instead of getting 400 Header/InvalidVersion.";
    InteractionIdNotUuid => "interaction-id-not-uuid",
        "Without x-fapi-interaction-id in the request, the response's id is a counter, not an RFC 4122 UUID.";
    RetiredVersionServed => "retired-version-served",
        "A request for versions below 2 only (e.g. x-v: 1, a retired version) is served as version 2 instead of 406.";
    XMinVAboveRefused => "x-min-v-above-refused",
        "An x-min-v above x-v is not treated as absent: x-v: 2 with x-min-v: 5 gets 406 instead of version 2.";
    DataOnUnauthorised => "data-on-unauthorised",
        "401 responses carry the first page of accounts under data beside the error.";
    UnsupportedVersionAsBadRequest => "unsupported-version-as-bad-request",
        "Header/UnsupportedVersion errors come with status 400 instead of 406.";
    PageZeroAccepted => "page-zero-accepted",
        "A page of 0, which is not a PositiveInteger, is served as the first page instead of getting 400 Field/Invalid.";
    BadCreationDate => "bad-creation-date",
        "The first creationDate of every page is written DD/MM/YYYY (e.g. 04/03/2021) instead of as a DateString (RFC 3339 full-date).";
    NextLinkLoops => "next-link-loops",
        "The last page carries a links.next back to page 1, so a client following next never stops.";
    SelfLinkWrongPage => "self-link-wrong-page",
        "links.self names page 1 on every page (filters and page-size kept), not the page it answers.";
    PrevLinkWrongPage => "prev-link-wrong-page",
        "links.prev names the page two back (page 1 at the least) instead of the previous page.";
    NextLinkOnLastPage => "next-link-on-last-page",
        "The last page carries a links.next to the page after it, which answers 422 Field/InvalidPage.";
    PrevLinkOnFirstPage => "prev-link-on-first-page",
        "The first page carries a links.prev to page 0, which answers 400 Field/Invalid.";
    CursorPrevLinkWrongPage => "cursor-prev-link-wrong-page",
        "links.prev is a cursor (cursor=pg<n>, no page number) that leads to the page two back instead of the previous page.";
    AcceptNotChecked => "accept-not-checked",
        "An Accept that application/json does not satisfy (e.g. application/xml) is served as JSON instead of getting 406.";
    AcceptCaseSensitive => "accept-case-sensitive",
        "Accept media types and charsets compare case-sensitively, so AppliCAtion/JSon;Charset=uTf-8 gets 406.";
    UnknownPathServed => "unknown-path-served",
        "A path under /banking that is no end point is answered 200 with the account list instead of 404.";
    OtherMethodsServed => "other-methods-served",
        "POST /banking/accounts is answered like GET instead of 405 Method Not Allowed.";
    NonAsciiAccountId => "non-ascii-account-id",
        "Every accountId ends in the letter é, which an ASCIIString cannot hold.";
    DetailWithoutField => "detail-without-field",
        "Field/Invalid and Header/Missing details leave out the parameter or header name (must be a PositiveInteger; A required header is missing).";
}
