//! Validation of a PIR request: who calls (the `Authorization` header) and what the JSON body
//! asks for.
//!
//! The main types are [`Caller`] and [`PirRequest`]; each step returns the
//! [`GatewayError`] the build pack asks for, in the order documented on the module [`super`].

use axum::http::{HeaderMap, header};
use serde_json::{Map, Value};

use super::error::{Code, GatewayError};
use super::fault::{Faults, Switch};
use crate::irdnum::{self, IrdError};

/// Who is calling, as the mock's credentials establish it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Caller {
    /// A myIR user of a tax preparer (build pack 2.4.1 and 2.4.2.1): OAuth (`Bearer
    /// <token>`), or a JWT whose `startLogon` claim names [`TAX_PREPARER_LOGON`]. PieIRD is not
    /// expected.
    TaxPreparer,
    /// A JWT with a null `startLogon`, validated by its `sub` claim (2.4.2.2): the Gateway
    /// credential of the provider of the scheme [`super::data::SCHEME_IRD`]. Without a myIR
    /// logon the caller counts as a PIE entity or KiwiSaver scheme, so PieIRD is required
    /// (PIR101).
    Scheme,
}

/// The thumbprint of the Gateway credential registered for the scheme provider: the `sub`
/// claim its JWTs carry.
pub(crate) const CREDENTIAL_THUMBPRINT: &str = "5C1E0B9A7D3F48E2A6C0914B7E2D5F3A8C6B1E04";

/// The myIR logon of the tax preparer's user, as a JWT's `startLogon` claim names it.
pub(crate) const TAX_PREPARER_LOGON: &str = "ACCORDTAXPREP01";

/// How long the JWTs the mock issues stay valid.
const JWT_LIFETIME_SECS: u64 = 24 * 3600;

/// The JWTs the mock issues, signed (HS256) with its token as the credential's key: `jwt`
/// with a null `startLogon` (validated by `sub`), and `jwt_start_logon` naming the tax
/// preparer's myIR user.
pub(crate) fn credentials(opts: &crate::mock::MockOptions) -> Vec<(&'static str, String)> {
    let now = unix_now();
    let claims = |start_logon: serde_json::Value| {
        serde_json::json!({
            "iss": CREDENTIAL_THUMBPRINT,
            "sub": CREDENTIAL_THUMBPRINT,
            "aud": "https://services.ird.govt.nz",
            "iat": now,
            "exp": now + JWT_LIFETIME_SECS,
            "startLogon": start_logon,
        })
    };
    let key = opts.token.as_bytes();
    vec![
        ("jwt", crate::jwt::sign_hs256(&claims(Value::Null), key)),
        (
            "jwt_start_logon",
            crate::jwt::sign_hs256(&claims(Value::from(TAX_PREPARER_LOGON)), key),
        ),
    ]
}

fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// Validates a JWT sent with no prefix. A non-null `startLogon` alone decides who calls;
/// only when it is null does `sub` (the credential) decide (build pack 2.4.2, note).
fn jwt_caller(value: &str, token: &str, faults: Faults) -> Result<Caller, GatewayError> {
    let jwt = crate::jwt::Jwt::decode(value).map_err(|_| GatewayError::new(Code::Ev1024))?;
    if !jwt.verify_hs256(token.as_bytes()) {
        return Err(GatewayError::new(Code::Ev1028));
    }
    let now = unix_now();
    let date = |name: &str| jwt.claims.get(name).and_then(Value::as_u64);
    match (date("iat"), date("exp")) {
        (Some(iat), Some(exp)) if iat <= now + 300 && now < exp => {}
        _ => return Err(GatewayError::new(Code::Ev1026)),
    }
    match jwt.claim("startLogon") {
        Some(logon) if !faults.on(Switch::StartLogonIgnored) => {
            if logon == TAX_PREPARER_LOGON {
                Ok(Caller::TaxPreparer)
            } else {
                Err(GatewayError::new(Code::Ev1042))
            }
        }
        _ if jwt.claim("sub") == Some(CREDENTIAL_THUMBPRINT) => Ok(Caller::Scheme),
        _ => Err(GatewayError::new(Code::Ev1027)),
    }
}

/// Identifies the caller from `Authorization`.
pub(crate) fn authenticate(
    headers: &HeaderMap,
    token: &str,
    faults: Faults,
) -> Result<Caller, GatewayError> {
    let value = headers
        .get(header::AUTHORIZATION)
        .map(|v| v.to_str().unwrap_or(""));
    let Some(value) = value else {
        if faults.on(Switch::NoAuth) {
            return Ok(Caller::TaxPreparer);
        }
        let code = if faults.on(Switch::MissingTokenWrongCode) {
            Code::Ev1024
        } else {
            Code::Ev1025
        };
        return Err(GatewayError::new(code));
    };
    let bearer = value
        .split_once(' ')
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, t)| t.trim());
    let caller = match bearer {
        Some(t) if t == token && !faults.on(Switch::BearerRejected) => Ok(Caller::TaxPreparer),
        None if !faults.on(Switch::RawJwtRejected) => jwt_caller(value, token, faults),
        _ => Err(GatewayError::new(Code::Ev1024)),
    };
    match caller {
        Err(_) if faults.on(Switch::NoAuth) => Ok(Caller::TaxPreparer),
        other => other,
    }
}

/// A valid request body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PirRequest {
    pub(crate) ird: u32,
    pub(crate) pie_ird: Option<u32>,
    /// The tax year asked for; `None` means the current one.
    pub(crate) filing_year: Option<i32>,
}

/// Parses and validates the body; the first invalid field answers. Unknown members and `null`
/// optional members are ignored.
pub(crate) fn parse(body: &[u8], faults: Faults) -> Result<PirRequest, GatewayError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        if faults.on(Switch::EmptyBodyWrongCode) {
            return Err(GatewayError::new(Code::Ev1100));
        }
        return Err(GatewayError::new(Code::Ev1000));
    }
    let Ok(Value::Object(fields)) = serde_json::from_slice::<Value>(body) else {
        return Err(GatewayError::new(Code::Ev1100));
    };
    let ird = match present(&fields, "IRD") {
        Some(Value::String(s)) => ird_number(s, faults).ok_or(GatewayError::invalid("IRD"))?,
        _ => return Err(GatewayError::invalid("IRD")),
    };
    let pie_ird = match present(&fields, "PieIRD") {
        None => None,
        Some(Value::String(s)) if faults.on(Switch::PieIrdNotValidated) => ird_number(s, faults),
        Some(Value::String(s)) => {
            Some(ird_number(s, faults).ok_or(GatewayError::invalid("PieIRD"))?)
        }
        Some(_) if faults.on(Switch::PieIrdNotValidated) => None,
        Some(_) => return Err(GatewayError::invalid("PieIRD")),
    };
    let filing_year = match present(&fields, "FilingPeriod") {
        None => None,
        Some(v) => Some(filing_year(v, faults).ok_or(GatewayError::invalid("FilingPeriod"))?),
    };
    if !faults.on(Switch::LenientSoftMatch) {
        soft_match(&fields)?;
    }
    Ok(PirRequest {
        ird,
        pie_ird,
        filing_year,
    })
}

/// Holds the soft-matching fields to the Swagger file's constraints, as Inland Revenue's own mock
/// does (it refuses an Address.Country such as AB), although the build pack states no rule for
/// them.
fn soft_match(fields: &Map<String, Value>) -> Result<(), GatewayError> {
    text(fields, "FormattedName", 0, 255, false)?;
    if let Some(name) = present(fields, "Name") {
        let name = name.as_object().ok_or(GatewayError::invalid("Name"))?;
        text(name, "FirstName", 1, 50, true)?;
        text(name, "MiddleName", 0, 50, false)?;
        text(name, "LastName", 1, 50, true)?;
    }
    if let Some(dob) = present(fields, "Dob") {
        dob.as_str()
            .and_then(crate::template::full_date)
            .ok_or(GatewayError::invalid("Dob"))?;
    }
    text(fields, "FormattedAddress", 0, 255, false)?;
    if let Some(address) = present(fields, "Address") {
        let address = address
            .as_object()
            .ok_or(GatewayError::invalid("Address"))?;
        text(address, "Street", 1, 60, true)?;
        text(address, "City", 1, 50, true)?;
        text(address, "PostCode", 0, 10, false)?;
        text(address, "State", 0, 30, false)?;
        text(address, "Country", 1, 2, true)?;
        let country = address["Country"].as_str().unwrap_or("");
        if !is_country(country) {
            return Err(GatewayError::invalid("Country"));
        }
    }
    Ok(())
}

/// A member that is present and not `null`.
fn present<'a>(fields: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    fields.get(name).filter(|v| !v.is_null())
}

/// Checks an optional (or, with `required`, mandatory) string member's length in characters.
fn text(
    fields: &Map<String, Value>,
    name: &'static str,
    min: usize,
    max: usize,
    required: bool,
) -> Result<(), GatewayError> {
    match present(fields, name) {
        None if !required => Ok(()),
        Some(Value::String(s)) if (min..=max).contains(&s.chars().count()) => Ok(()),
        _ => Err(GatewayError::invalid(name)),
    }
}

/// An IRD number of eight or nine digits that passes the modulus-11 check.
fn ird_number(s: &str, faults: Faults) -> Option<u32> {
    if !(8..=9).contains(&s.len()) || (s.len() == 8 && faults.on(Switch::EightDigitNotPadded)) {
        return None;
    }
    match irdnum::check(s) {
        Ok(n) => Some(n),
        Err(IrdError::CheckDigit { .. } | IrdError::NoCheckDigit)
            if faults.on(Switch::Mod11NotChecked) =>
        {
            s.parse().ok()
        }
        Err(IrdError::OutOfRange(n))
            if n > irdnum::MAX
                && faults.on(Switch::RangeNotChecked)
                && irdnum::check_digit(n / 10).map(u32::from) == Some(n % 10) =>
        {
            Some(n)
        }
        Err(_) => None,
    }
}

/// The tax year of a FilingPeriod: a date that must be 31 March.
fn filing_year(v: &Value, faults: Faults) -> Option<i32> {
    let (y, m, d) = v.as_str().and_then(crate::template::full_date)?;
    match (m, d) {
        (3, 31) => Some(y),
        _ if faults.on(Switch::FilingPeriodNotValidated) => Some(if m <= 3 { y } else { y + 1 }),
        _ => None,
    }
}

/// The officially assigned ISO 3166-1 alpha-2 codes.
const COUNTRIES: &str = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ \
BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ \
CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ \
EC EE EG EH ER ES ET FI FJ FK FM FO FR \
GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU \
ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ \
LA LB LC LI LK LR LS LT LU LV LY \
MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ \
NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA \
RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ \
TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ \
VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW";

fn is_country(code: &str) -> bool {
    code.len() == 2 && COUNTRIES.split(' ').any(|c| c == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(body: &str) -> Result<PirRequest, GatewayError> {
        parse(body.as_bytes(), Faults::default())
    }

    fn field(body: &str) -> Option<&'static str> {
        ok(body).unwrap_err().field
    }

    #[test]
    fn country_list_has_every_assigned_code() {
        assert_eq!(COUNTRIES.split(' ').count(), 249);
        assert!(is_country("NZ") && is_country("AU") && !is_country("AB") && !is_country("nz"));
    }

    #[test]
    fn ird_is_padded_and_checked() {
        let r = ok(r#"{"IRD":"49091850"}"#).unwrap();
        assert_eq!((r.ird, r.pie_ird, r.filing_year), (49_091_850, None, None));
        assert_eq!(ok(r#"{"IRD":"049091850"}"#).unwrap().ird, 49_091_850);
        for bad in [
            r#"{}"#,
            r#"{"IRD":null}"#,
            r#"{"IRD":136410132}"#,
            r#"{"IRD":"136410133"}"#,
            r#"{"IRD":"9125568"}"#,
            r#"{"IRD":"999999999"}"#,
            r#"{"IRD":"13641013A"}"#,
            r#"{"IRD":"1364101320"}"#,
            r#"{"IRD":""}"#,
        ] {
            assert_eq!(field(bad), Some("IRD"), "{bad}");
        }
    }

    #[test]
    fn empty_and_malformed_bodies() {
        assert_eq!(ok("").unwrap_err().code, Code::Ev1000);
        assert_eq!(ok(" \n").unwrap_err().code, Code::Ev1000);
        assert_eq!(ok("{").unwrap_err(), GatewayError::new(Code::Ev1100));
        assert_eq!(ok("[]").unwrap_err(), GatewayError::new(Code::Ev1100));
    }

    #[test]
    fn filing_period_must_be_31_march() {
        let r = ok(r#"{"IRD":"136410132","FilingPeriod":"2021-03-31"}"#).unwrap();
        assert_eq!(r.filing_year, Some(2021));
        for bad in [
            "2021-03-30",
            "2021-04-01",
            "2021-02-30",
            "21-03-31",
            "2021/03/31",
        ] {
            let body = format!(r#"{{"IRD":"136410132","FilingPeriod":"{bad}"}}"#);
            assert_eq!(field(&body), Some("FilingPeriod"), "{bad}");
        }
        let lax = Faults::parse(&["filing-period-not-validated".into()]).unwrap();
        let r = parse(br#"{"IRD":"136410132","FilingPeriod":"2021-06-30"}"#, lax).unwrap();
        assert_eq!(r.filing_year, Some(2022));
    }

    #[test]
    fn soft_match_fields_are_checked_in_order() {
        let base = r#""IRD":"136410132","PieIRD":"094123453""#;
        let good = format!(
            r#"{{{base},"FormattedName":"Allen, Gary","Name":{{"FirstName":"Gary","MiddleName":"","LastName":"Allen"}},"Dob":"1990-01-02","FormattedAddress":"1 A St","Address":{{"Street":"123 HA CRESCENT","City":"AUCKLAND","PostCode":"2104","State":"","Country":"NZ"}}}}"#
        );
        assert_eq!(ok(&good).unwrap().pie_ird, Some(94_123_453));
        for (extra, name) in [
            (r#""PieIRD":"012345678""#, "PieIRD"),
            (r#""Name":{"LastName":"Allen"}"#, "FirstName"),
            (r#""Name":{"FirstName":"G","LastName":""}"#, "LastName"),
            (r#""Dob":"1990-13-01""#, "Dob"),
            (
                r#""Address":{"Street":"1 A St","City":"X","Country":"AB"}"#,
                "Country",
            ),
            (r#""Address":{"City":"X","Country":"NZ"}"#, "Street"),
            (r#""Address":"somewhere""#, "Address"),
        ] {
            let body = format!(r#"{{"IRD":"136410132",{extra}}}"#);
            assert_eq!(field(&body), Some(name), "{body}");
        }
    }

    #[test]
    fn two_authorization_styles() {
        let mut h = HeaderMap::new();
        let none = Faults::default();
        assert_eq!(authenticate(&h, "t", none).unwrap_err().code, Code::Ev1025);
        h.insert(header::AUTHORIZATION, "Bearer t".parse().unwrap());
        assert_eq!(authenticate(&h, "t", none), Ok(Caller::TaxPreparer));
        h.insert(header::AUTHORIZATION, "bearer t".parse().unwrap());
        assert_eq!(authenticate(&h, "t", none), Ok(Caller::TaxPreparer));
        for wrong in ["Bearer u", "u", "t", "Basic t", "Bearer"] {
            h.insert(header::AUTHORIZATION, wrong.parse().unwrap());
            assert_eq!(
                authenticate(&h, "t", none).unwrap_err().code,
                Code::Ev1024,
                "{wrong}"
            );
        }
    }

    fn jwt(claims: Value, key: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        let token = crate::jwt::sign_hs256(&claims, key.as_bytes());
        h.insert(header::AUTHORIZATION, token.parse().unwrap());
        h
    }

    fn claims(start_logon: Value, sub: &str) -> Value {
        let now = unix_now();
        serde_json::json!({"sub": sub, "iat": now, "exp": now + 60, "startLogon": start_logon})
    }

    #[test]
    fn start_logon_decides_when_present_and_sub_only_when_null() {
        let none = Faults::default();
        let code = |h: &HeaderMap| authenticate(h, "t", none).map_err(|e| e.code);
        let sub = CREDENTIAL_THUMBPRINT;
        assert_eq!(
            code(&jwt(claims(Value::Null, sub), "t")),
            Ok(Caller::Scheme)
        );
        let preparer = Value::from(TAX_PREPARER_LOGON);
        assert_eq!(
            code(&jwt(claims(preparer.clone(), sub), "t")),
            Ok(Caller::TaxPreparer)
        );
        assert_eq!(
            code(&jwt(claims(preparer, "unknown"), "t")),
            Ok(Caller::TaxPreparer)
        );
        let stranger = Value::from("SOMEONEELSE");
        assert_eq!(code(&jwt(claims(stranger, sub), "t")), Err(Code::Ev1042));
        assert_eq!(
            code(&jwt(claims(Value::Null, "unknown"), "t")),
            Err(Code::Ev1027)
        );
        let absent = serde_json::json!({"sub": sub, "iat": unix_now(), "exp": unix_now() + 60});
        assert_eq!(code(&jwt(absent, "t")), Ok(Caller::Scheme));
    }

    #[test]
    fn signature_and_dates_are_checked() {
        let none = Faults::default();
        let code = |h: &HeaderMap| authenticate(h, "t", none).map_err(|e| e.code);
        let sub = CREDENTIAL_THUMBPRINT;
        assert_eq!(
            code(&jwt(claims(Value::Null, sub), "other")),
            Err(Code::Ev1028)
        );
        let expired = serde_json::json!({"sub": sub, "iat": 1, "exp": 2});
        assert_eq!(code(&jwt(expired, "t")), Err(Code::Ev1026));
        let undated = serde_json::json!({"sub": sub});
        assert_eq!(code(&jwt(undated, "t")), Err(Code::Ev1026));
    }

    #[test]
    fn issued_credentials_authenticate() {
        let opts = crate::mock::MockOptions {
            token: "t".into(),
            ..Default::default()
        };
        let creds = credentials(&opts);
        let mut h = HeaderMap::new();
        for (name, want) in [
            ("jwt", Caller::Scheme),
            ("jwt_start_logon", Caller::TaxPreparer),
        ] {
            let (_, value) = creds.iter().find(|(n, _)| *n == name).unwrap();
            h.insert(header::AUTHORIZATION, value.parse().unwrap());
            assert_eq!(authenticate(&h, "t", Faults::default()), Ok(want), "{name}");
        }
    }
}
