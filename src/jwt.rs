//! JSON Web Tokens (RFC 7519) in their compact form: reading the header and claims, checking
//! the shape of a token a profile supplies, and HS256 signing and verification for the
//! reference mocks, which stand in for a Gateway that knows the caller's credential.
//!
//! accord never needs to trust a token: the mocks verify the ones they issued, and the runner
//! only checks that a configured token is well formed before sending it.

use aws_lc_rs::hmac;
use serde_json::{Map, Value};

/// A token split into its parts, with header and claims decoded.
#[derive(Debug, Clone, PartialEq)]
pub struct Jwt {
    pub header: Map<String, Value>,
    pub claims: Map<String, Value>,
    /// `header.payload`, the bytes the signature covers.
    signing_input: String,
    signature: Vec<u8>,
}

/// Why a string is not a compact JWT.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JwtError {
    #[error("a JWT has three parts separated by dots; this has {0}")]
    Parts(usize),
    #[error("the {0} is not base64url")]
    Encoding(&'static str),
    #[error("the {0} is not a JSON object")]
    NotAnObject(&'static str),
}

impl Jwt {
    /// Splits and decodes a compact token (`header.payload.signature`).
    pub fn decode(token: &str) -> Result<Jwt, JwtError> {
        let parts: Vec<&str> = token.split('.').collect();
        let [h, p, s] = parts[..] else {
            return Err(JwtError::Parts(parts.len()));
        };
        let object = |part: &str, what: &'static str| -> Result<Map<String, Value>, JwtError> {
            let bytes = b64url_decode(part).ok_or(JwtError::Encoding(what))?;
            match serde_json::from_slice(&bytes) {
                Ok(Value::Object(m)) => Ok(m),
                _ => Err(JwtError::NotAnObject(what)),
            }
        };
        Ok(Jwt {
            header: object(h, "header")?,
            claims: object(p, "payload")?,
            signing_input: format!("{h}.{p}"),
            signature: b64url_decode(s).ok_or(JwtError::Encoding("signature"))?,
        })
    }

    /// A claim as a string; `None` when absent, `null` or not a string.
    pub fn claim(&self, name: &str) -> Option<&str> {
        self.claims.get(name).and_then(Value::as_str)
    }

    /// True when the header says HS256 and the signature is the HMAC-SHA256 of the token
    /// under `key`.
    pub fn verify_hs256(&self, key: &[u8]) -> bool {
        self.header.get("alg").and_then(Value::as_str) == Some("HS256")
            && hmac::verify(
                &hmac::Key::new(hmac::HMAC_SHA256, key),
                self.signing_input.as_bytes(),
                &self.signature,
            )
            .is_ok()
    }
}

/// A compact HS256 token carrying `claims`, signed with `key`.
pub fn sign_hs256(claims: &Value, key: &[u8]) -> String {
    let header = b64url_encode(br#"{"alg":"HS256","typ":"JWT"}"#);
    let payload = b64url_encode(claims.to_string().as_bytes());
    let input = format!("{header}.{payload}");
    let tag = hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, key), input.as_bytes());
    format!("{input}.{}", b64url_encode(tag.as_ref()))
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Base64url without padding (RFC 4648 §5), as JWTs use it.
pub fn b64url_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, b)| acc | u32::from(*b) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}

/// Decodes base64url; padding is tolerated, any other character outside the alphabet is not.
pub fn b64url_decode(text: &str) -> Option<Vec<u8>> {
    let text = text.trim_end_matches('=');
    if text.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in text.bytes() {
        let v = ALPHABET.iter().position(|a| *a == c)? as u32;
        acc = acc << 6 | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits & 0xff) as u8);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn base64url_round_trips_every_length() {
        for len in 0..40u8 {
            let bytes: Vec<u8> = (0..len).map(|i| i.wrapping_mul(37) ^ 0xa5).collect();
            let text = b64url_encode(&bytes);
            assert!(!text.contains(['+', '/', '=']), "{text}");
            assert_eq!(b64url_decode(&text).as_deref(), Some(&bytes[..]));
        }
    }

    #[test]
    fn base64url_matches_rfc_4648_vectors() {
        for (plain, coded) in [
            ("f", "Zg"),
            ("fo", "Zm8"),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg"),
        ] {
            assert_eq!(b64url_encode(plain.as_bytes()), coded);
        }
        assert_eq!(b64url_decode("Zm9vYg==").unwrap(), b"foob");
        assert_eq!(b64url_decode("Zm9v+g"), None);
        assert_eq!(b64url_decode("Z"), None);
    }

    #[test]
    fn decodes_rfc_7519_example_claims() {
        // RFC 7519 §3.1: the example JWS, signed with the key in RFC 7515 appendix A.1.
        let token = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        let jwt = Jwt::decode(token).unwrap();
        assert_eq!(jwt.claim("iss"), Some("joe"));
        assert_eq!(jwt.claims["exp"], json!(1300819380));
        let key = b64url_decode("AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow").unwrap();
        assert!(jwt.verify_hs256(&key));
        assert!(!jwt.verify_hs256(b"another key"));
    }

    #[test]
    fn signs_what_it_verifies() {
        let token = sign_hs256(&json!({"sub": "abc", "startLogon": null}), b"k");
        let jwt = Jwt::decode(&token).unwrap();
        assert!(jwt.verify_hs256(b"k"));
        assert_eq!(jwt.claim("sub"), Some("abc"));
        assert_eq!(jwt.claim("startLogon"), None);
        let mut tampered = token.clone();
        tampered.push('A');
        assert!(!Jwt::decode(&tampered).is_ok_and(|j| j.verify_hs256(b"k")));
    }

    #[test]
    fn malformed_tokens_say_why() {
        assert_eq!(Jwt::decode("abc"), Err(JwtError::Parts(1)));
        assert_eq!(Jwt::decode("a.b.c.d"), Err(JwtError::Parts(4)));
        assert_eq!(Jwt::decode("a*.e30.sig"), Err(JwtError::Encoding("header")));
        assert_eq!(
            Jwt::decode("WzFd.e30.c2ln"),
            Err(JwtError::NotAnObject("header"))
        );
        assert_eq!(Jwt::decode("e30.e30.c2ln").map(|j| j.claims.len()), Ok(0),);
    }
}
