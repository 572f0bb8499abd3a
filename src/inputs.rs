//! Formats of the values a target supplies to suites: a suite's `var_formats` names the
//! format each variable must have (`ird: ird-number`, `jwt: jwt`), and a run refuses, before
//! sending anything, a profile or environment value that does not have it. A wrong IRD number
//! or a token with a line break in it is the user's mistake, and deserves one clear message
//! rather than a page of failed cases.
//!
//! The main type is [`Format`]; [`target_problems`] judges one target's values.

use serde::Deserialize;

use crate::profile::TargetProfile;
use crate::template::Vars;

/// What a variable's value must look like.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// An Inland Revenue (IRD) number: eight or nine digits, in range, with a valid
    /// modulus-11 check digit.
    IrdNumber,
    /// A calendar date, `YYYY-MM-DD`.
    Date,
    /// Decimal digits, optionally signed.
    Integer,
    /// A UUID in its 8-4-4-4-12 hex form.
    Uuid,
    /// A credential sent in a header: visible ASCII, no spaces.
    Token,
    /// A compact JSON Web Token: three base64url parts, header and claims JSON objects.
    Jwt,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::IrdNumber => "ird-number",
            Format::Date => "date",
            Format::Integer => "integer",
            Format::Uuid => "uuid",
            Format::Token => "token",
            Format::Jwt => "jwt",
        }
    }

    /// Why `value` does not have this format. The reason never quotes the value, which may
    /// be a secret.
    pub fn check(self, value: &str) -> Result<(), String> {
        match self {
            Format::IrdNumber => crate::irdnum::check(value)
                .map(|_| ())
                .map_err(|e| format!("not a valid IRD number: {e}")),
            Format::Date => crate::template::full_date(value)
                .is_some()
                .then_some(())
                .ok_or_else(|| "not a calendar date written YYYY-MM-DD".to_owned()),
            Format::Integer => {
                let digits = value.strip_prefix('-').unwrap_or(value);
                (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
                    .then_some(())
                    .ok_or_else(|| "not an integer".to_owned())
            }
            Format::Uuid => uuid::Uuid::try_parse(value)
                .ok()
                .filter(|_| value.len() == 36)
                .map(|_| ())
                .ok_or_else(|| "not a UUID (8-4-4-4-12 hex digits)".to_owned()),
            Format::Token => token_problem(value).map_or(Ok(()), Err),
            Format::Jwt => {
                if let Some(p) = token_problem(value) {
                    return Err(p);
                }
                crate::jwt::Jwt::decode(value)
                    .map(|_| ())
                    .map_err(|e| format!("not a JWT: {e}"))
            }
        }
    }
}

fn token_problem(value: &str) -> Option<String> {
    if value.is_empty() {
        return Some("empty".to_owned());
    }
    let (at, c) = value
        .chars()
        .enumerate()
        .find(|(_, c)| !c.is_ascii_graphic())?;
    let what = match c {
        ' ' => "a space".to_owned(),
        '\n' | '\r' => "a line break".to_owned(),
        '\t' => "a tab".to_owned(),
        c if c.is_ascii_control() => format!("the control character U+{:04X}", c as u32),
        _ => "a character outside ASCII".to_owned(),
    };
    Some(format!(
        "it has {what} at character {}; a credential sent in a header is visible ASCII without spaces",
        at + 1
    ))
}

/// The values of one API's target that break a suite's `var_formats`, one message each,
/// naming where the value came from. Values the profile gives as plain `vars` are quoted;
/// secrets and environment values never are. Values the built-in mocks issue are not judged.
pub fn target_problems(
    api: &str,
    vars: &Vars,
    profile: Option<&TargetProfile>,
    suite_file: &str,
    formats: &indexmap::IndexMap<String, Format>,
) -> Vec<String> {
    let mut out = Vec::new();
    for (name, format) in formats {
        let plain = profile.and_then(|p| p.vars.get(name));
        let secret = profile.and_then(|p| p.secrets.get(name));
        let env = crate::profile::env_var_name(api, name);
        let (source, shown) = match (plain, secret) {
            (Some(v), _) => (format!("targets.{api}.vars.{name}"), Some(v.clone())),
            (None, Some(s)) => (
                match (&s.env, &s.file) {
                    (Some(e), _) => {
                        format!("targets.{api}.secrets.{name} (environment variable {e})")
                    }
                    (_, Some(f)) => format!("targets.{api}.secrets.{name} (file {f})"),
                    _ => format!("targets.{api}.secrets.{name}"),
                },
                None,
            ),
            (None, None) if std::env::var_os(&env).is_some() => {
                (format!("environment variable {env}"), None)
            }
            // The suite's own default, or a value a built-in mock issued.
            (None, None) => continue,
        };
        let Some(value) = vars.get(name) else {
            continue;
        };
        let text = match &value {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        if let Err(why) = format.check(&text) {
            let quoted = shown.map(|v| format!(" = {v:?}")).unwrap_or_default();
            out.push(format!(
                "{source}{quoted}: {why} ({suite_file} declares `{name}` as {})",
                format.name()
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ird_numbers_follow_inland_revenue_rules() {
        assert_eq!(Format::IrdNumber.check("49091850"), Ok(()));
        assert_eq!(Format::IrdNumber.check("136410132"), Ok(()));
        let err = Format::IrdNumber.check("136410133").unwrap_err();
        assert!(
            err.starts_with("not a valid IRD number: the check digit"),
            "{err}"
        );
        assert!(Format::IrdNumber.check("12-345-678").is_err());
    }

    #[test]
    fn dates_are_calendar_dates() {
        assert_eq!(Format::Date.check("2024-02-29"), Ok(()));
        for bad in [
            "2023-02-29",
            "2024-13-01",
            "2024-04-31",
            "24-03-31",
            "2024/03/31",
            "",
        ] {
            assert!(Format::Date.check(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn tokens_are_header_safe_and_never_quoted() {
        assert_eq!(Format::Token.check("abc.DEF-123_~+/="), Ok(()));
        let err = Format::Token.check("secret-value\n").unwrap_err();
        assert!(err.contains("a line break at character 13"), "{err}");
        assert!(!err.contains("secret-value"));
        assert!(
            Format::Token
                .check("two words")
                .unwrap_err()
                .contains("a space")
        );
        assert!(Format::Token.check("").is_err());
        assert!(
            Format::Token
                .check("caf\u{e9}")
                .unwrap_err()
                .contains("outside ASCII")
        );
    }

    #[test]
    fn jwts_have_three_decodable_parts() {
        let jwt = crate::jwt::sign_hs256(&serde_json::json!({"sub": "x"}), b"k");
        assert_eq!(Format::Jwt.check(&jwt), Ok(()));
        assert_eq!(
            Format::Jwt.check("opaque-token").unwrap_err(),
            "not a JWT: a JWT has three parts separated by dots; this has 1"
        );
        assert!(
            Format::Jwt
                .check("Bearer x.y.z")
                .unwrap_err()
                .contains("a space")
        );
    }

    #[test]
    fn integers_and_uuids() {
        assert_eq!(Format::Integer.check("-12"), Ok(()));
        assert!(Format::Integer.check("1.5").is_err());
        assert_eq!(
            Format::Uuid.check("9d2c4a10-61f3-4b8e-a2c7-0e5f3d9b1a64"),
            Ok(())
        );
        assert!(
            Format::Uuid
                .check("9d2c4a1061f34b8ea2c70e5f3d9b1a64")
                .is_err()
        );
    }

    #[test]
    fn problems_name_their_source_and_hide_secrets() {
        let profile: TargetProfile = toml::from_str(
            "vars = { ird = \"136410133\" }\nsecrets = { jwt = { env = \"X_JWT\" } }\n",
        )
        .unwrap();
        let mut vars = Vars::default();
        vars.set("ird", "136410133".into());
        vars.set("jwt", "s3cret".into());
        vars.set("date", "2024-03-31".into());
        let formats: indexmap::IndexMap<String, Format> = [
            ("ird".to_owned(), Format::IrdNumber),
            ("jwt".to_owned(), Format::Jwt),
            ("date".to_owned(), Format::Date),
        ]
        .into_iter()
        .collect();
        let p = target_problems("ird-pir", &vars, Some(&profile), "s.yaml", &formats);
        assert_eq!(p.len(), 2, "{p:?}");
        assert!(
            p[0].starts_with("targets.ird-pir.vars.ird = \"136410133\": not a valid IRD number"),
            "{}",
            p[0]
        );
        assert!(
            p[0].ends_with("(s.yaml declares `ird` as ird-number)"),
            "{}",
            p[0]
        );
        assert!(
            p[1].starts_with("targets.ird-pir.secrets.jwt (environment variable X_JWT): not a JWT"),
            "{}",
            p[1]
        );
        assert!(!p.join(" ").contains("s3cret"));
    }
}
