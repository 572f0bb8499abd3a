//! Ed25519 keys for signing a run's manifest, and their textual forms.
//!
//! The private key comes only from the environment: `ACCORD_SIGNING_KEY` holds a PKCS#8 key as
//! PEM (what `openssl genpkey -algorithm ed25519` and `accord keygen` write) or as base64 DER,
//! and `ACCORD_SIGNING_KEY_FILE` names a file holding one. Public keys are read as PEM
//! (`-----BEGIN PUBLIC KEY-----`), as base64 of the 32 raw bytes, or from a file holding either.
//! A key is named by its id, `SHA256:` and the first 16 hex digits of the digest of its raw
//! bytes. No message here ever shows a private key.

use aws_lc_rs::signature::{self, Ed25519KeyPair, KeyPair as _};
use serde::{Deserialize, Serialize};

use crate::jwt::{b64url_decode, b64url_encode};

/// The environment variable holding the signing key itself.
pub const KEY_ENV: &str = "ACCORD_SIGNING_KEY";

/// The environment variable naming a file that holds the signing key.
pub const KEY_FILE_ENV: &str = "ACCORD_SIGNING_KEY_FILE";

/// The DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410), before the 32 key bytes.
const SPKI_PREFIX: [u8; 12] = [
    0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
];

/// The signing algorithm's name as written in manifest.sig.
pub const ALGORITHM: &str = "Ed25519";

/// A private key that signs manifests.
pub struct SigningKey {
    pair: Ed25519KeyPair,
    /// The text the key was read from, so every output can redact it.
    secret: String,
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SigningKey({})", self.public().id())
    }
}

/// A public key that checks signatures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicKey(pub [u8; 32]);

/// The detached signature file, `manifest.sig`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignatureFile {
    pub algorithm: String,
    /// Base64 of the signer's 32 raw public key bytes.
    pub public_key: String,
    pub key_id: String,
    /// Base64 of the 64 signature bytes over manifest.json exactly as written.
    pub signature: String,
}

impl SignatureFile {
    pub fn render(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }
}

/// Standard base64 with padding (RFC 4648 §4).
pub fn b64_encode(bytes: &[u8]) -> String {
    let mut out: String = b64url_encode(bytes)
        .chars()
        .map(|c| match c {
            '-' => '+',
            '_' => '/',
            c => c,
        })
        .collect();
    while out.len() % 4 != 0 {
        out.push('=');
    }
    out
}

/// Decodes standard base64, ignoring whitespace and padding.
pub fn b64_decode(text: &str) -> Option<Vec<u8>> {
    let url: String = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '+' => '-',
            '/' => '_',
            '-' | '_' => '!',
            c => c,
        })
        .collect();
    b64url_decode(&url)
}

/// The DER inside a PEM block with this label, or the text itself read as base64.
fn der(text: &str, label: &str) -> Result<Vec<u8>, String> {
    let text = text.trim();
    if text.starts_with("-----BEGIN") {
        let begin = format!("-----BEGIN {label}-----");
        let end = format!("-----END {label}-----");
        let body = text
            .strip_prefix(&begin)
            .and_then(|rest| rest.split_once(&end))
            .map(|(body, _)| body)
            .ok_or_else(|| {
                let first = text.lines().next().unwrap_or_default();
                format!("a PEM block `{begin}` was expected, found `{first}`")
            })?;
        b64_decode(body).ok_or_else(|| "the PEM block is not valid base64".to_owned())
    } else {
        b64_decode(text).ok_or_else(|| "neither PEM nor base64".to_owned())
    }
}

impl SigningKey {
    /// Reads a PKCS#8 Ed25519 private key from PEM or base64 DER; `origin` names where it came
    /// from in messages.
    pub fn parse(text: &str, origin: &str) -> Result<SigningKey, String> {
        let bytes = der(text, "PRIVATE KEY").map_err(|e| format!("{origin}: {e}"))?;
        let pair = Ed25519KeyPair::from_pkcs8_maybe_unchecked(&bytes).map_err(|e| {
            format!("{origin}: not a PKCS#8 Ed25519 private key ({e}); make one with `accord keygen` or `openssl genpkey -algorithm ed25519`")
        })?;
        Ok(SigningKey {
            pair,
            secret: text.trim().to_owned(),
        })
    }

    /// The key named by the environment, if any: `ACCORD_SIGNING_KEY`, else the file named by
    /// `ACCORD_SIGNING_KEY_FILE`.
    pub fn from_env() -> Result<Option<SigningKey>, String> {
        if let Ok(text) = std::env::var(KEY_ENV)
            && !text.trim().is_empty()
        {
            return SigningKey::parse(&text, KEY_ENV).map(Some);
        }
        if let Ok(path) = std::env::var(KEY_FILE_ENV)
            && !path.is_empty()
        {
            let text = std::fs::read_to_string(&path)
                .map_err(|e| format!("{KEY_FILE_ENV}={path}: cannot read: {e}"))?;
            return SigningKey::parse(&text, &format!("{KEY_FILE_ENV}={path}")).map(Some);
        }
        Ok(None)
    }

    /// Makes a new key; returns it with its PKCS#8 PEM.
    pub fn generate() -> Result<(SigningKey, String), String> {
        let doc = Ed25519KeyPair::generate_pkcs8v1(&aws_lc_rs::rand::SystemRandom::new())
            .map_err(|_| "the system's random source failed".to_owned())?;
        let pem = pem("PRIVATE KEY", doc.as_ref());
        SigningKey::parse(&pem, "new key").map(|k| (k, pem))
    }

    pub fn public(&self) -> PublicKey {
        let mut raw = [0u8; 32];
        raw.copy_from_slice(self.pair.public_key().as_ref());
        PublicKey(raw)
    }

    /// The forms of the private key to redact from every output.
    pub fn secrets(&self) -> Vec<String> {
        let body: String = self
            .secret
            .lines()
            .filter(|l| !l.starts_with("-----"))
            .collect();
        let mut out = vec![self.secret.clone(), body];
        out.extend(
            self.secret
                .lines()
                .filter(|l| !l.starts_with("-----") && l.len() >= 16)
                .map(str::to_owned),
        );
        out
    }

    /// Signs `message` (the manifest's bytes).
    pub fn sign(&self, message: &[u8]) -> SignatureFile {
        let public = self.public();
        SignatureFile {
            algorithm: ALGORITHM.to_owned(),
            public_key: b64_encode(&public.0),
            key_id: public.id(),
            signature: b64_encode(self.pair.sign(message).as_ref()),
        }
    }
}

/// A PEM block.
fn pem(label: &str, der: &[u8]) -> String {
    let b64 = b64_encode(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for chunk in b64.as_bytes().chunks(64) {
        out.push_str(&String::from_utf8_lossy(chunk));
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

impl PublicKey {
    /// Reads a public key from PEM, from base64 of the raw 32 bytes, or from a file holding
    /// either.
    pub fn parse(text: &str) -> Result<PublicKey, String> {
        let trimmed = text.trim();
        let from_file;
        let text = if !trimmed.starts_with("-----") && std::path::Path::new(trimmed).is_file() {
            from_file = std::fs::read_to_string(trimmed)
                .map_err(|e| format!("{trimmed}: cannot read: {e}"))?;
            from_file.as_str()
        } else {
            trimmed
        };
        let bytes = der(text, "PUBLIC KEY")?;
        let raw = match bytes.len() {
            32 => bytes.as_slice(),
            44 if bytes[..12] == SPKI_PREFIX => &bytes[12..],
            n => {
                return Err(format!(
                    "not an Ed25519 public key ({n} bytes; expected 32 raw bytes or a PEM `PUBLIC KEY`)"
                ));
            }
        };
        let mut key = [0u8; 32];
        key.copy_from_slice(raw);
        Ok(PublicKey(key))
    }

    /// `SHA256:` and the first 16 hex digits of the digest of the raw key.
    pub fn id(&self) -> String {
        format!("SHA256:{}", &crate::digest::sha256_hex(&self.0)[..16])
    }

    /// The key as PEM SubjectPublicKeyInfo.
    pub fn pem(&self) -> String {
        let mut der = SPKI_PREFIX.to_vec();
        der.extend_from_slice(&self.0);
        pem("PUBLIC KEY", &der)
    }

    /// True when `signature` is this key's signature of `message`.
    pub fn verifies(&self, message: &[u8], signature: &[u8]) -> bool {
        signature::UnparsedPublicKey::new(&signature::ED25519, &self.0)
            .verify(message, signature)
            .is_ok()
    }
}

/// Writes a new private key to `out` (PEM, readable by its owner only) and its public key to
/// `out.pub`; an existing file is never overwritten.
pub fn keygen(out: &std::path::Path) -> Result<PublicKey, String> {
    let public_path = std::path::PathBuf::from(format!("{}.pub", out.display()));
    for p in [out, public_path.as_path()] {
        if p.exists() {
            return Err(format!(
                "{} exists: choose another --out or remove it first",
                p.display()
            ));
        }
    }
    let (key, pem_text) = SigningKey::generate()?;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options
        .open(out)
        .map_err(|e| format!("{}: cannot create: {e}", out.display()))?;
    std::io::Write::write_all(&mut file, pem_text.as_bytes())
        .map_err(|e| format!("{}: cannot write: {e}", out.display()))?;
    let public = key.public();
    std::fs::write(&public_path, public.pem())
        .map_err(|e| format!("{}: cannot write: {e}", public_path.display()))?;
    Ok(public)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc_4648_vectors() {
        for (plain, enc) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(b64_encode(plain.as_bytes()), enc);
            assert_eq!(b64_decode(enc).unwrap(), plain.as_bytes());
        }
        assert_eq!(b64_decode("+/+/").unwrap(), vec![0xfb, 0xff, 0xbf]);
        assert!(
            b64_decode("-_-_").is_none(),
            "base64url letters are not base64"
        );
    }

    /// RFC 8032 §7.1, test 1: the secret key, its public key and the signature of "".
    #[test]
    fn signs_rfc_8032_test_vector() {
        let seed: Vec<u8> = (0..32)
            .map(|i| {
                u8::from_str_radix(
                    &"9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"
                        [2 * i..2 * i + 2],
                    16,
                )
                .unwrap()
            })
            .collect();
        let pair = Ed25519KeyPair::from_seed_unchecked(&seed).unwrap();
        let key = SigningKey::parse(
            &pem("PRIVATE KEY", pair.to_pkcs8v1().unwrap().as_ref()),
            "t",
        )
        .unwrap();
        assert_eq!(
            crate::digest::hex(&key.public().0),
            "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
        );
        let sig = key.sign(b"");
        let raw = b64_decode(&sig.signature).unwrap();
        assert_eq!(
            crate::digest::hex(&raw),
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
        );
        assert!(key.public().verifies(b"", &raw));
        assert!(!key.public().verifies(b"x", &raw));
    }

    #[test]
    fn public_keys_read_as_pem_or_raw_base64() {
        let (key, pem_text) = SigningKey::generate().unwrap();
        let public = key.public();
        assert_eq!(PublicKey::parse(&public.pem()).unwrap(), public);
        assert_eq!(PublicKey::parse(&b64_encode(&public.0)).unwrap(), public);
        assert!(public.id().starts_with("SHA256:") && public.id().len() == 23);
        let err = PublicKey::parse("aGVsbG8=").unwrap_err();
        assert!(err.contains("5 bytes"), "{err}");
        assert!(SigningKey::parse(&pem_text, "k").is_ok());
    }

    #[test]
    fn bad_private_keys_say_where_and_never_what() {
        let err = SigningKey::parse("not a key at all", KEY_ENV).unwrap_err();
        assert!(err.starts_with("ACCORD_SIGNING_KEY: "), "{err}");
        let err = SigningKey::parse(&b64_encode(b"0123456789abcdef0123"), KEY_ENV).unwrap_err();
        assert!(err.contains("not a PKCS#8 Ed25519 private key"), "{err}");
        assert!(!err.contains("MDEy"), "{err}");
        let err = SigningKey::parse(
            "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----",
            KEY_ENV,
        )
        .unwrap_err();
        assert!(err.contains("BEGIN PRIVATE KEY"), "{err}");
    }

    #[test]
    fn secrets_cover_the_pem_body_and_its_lines() {
        let (key, pem_text) = SigningKey::generate().unwrap();
        let secrets = key.secrets();
        let line = pem_text.lines().nth(1).unwrap();
        assert!(secrets.iter().any(|s| s == line));
        assert!(secrets.iter().any(|s| s == pem_text.trim()));
    }
}
