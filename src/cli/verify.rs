//! `accord verify`: check a report directory against its manifest and signature.

use crate::term::{errln, out, outln};
use std::path::PathBuf;

use clap::Args;

use crate::exit;

#[derive(Args)]
pub struct VerifyArgs {
    /// The directory holding manifest.json (and manifest.sig).
    #[arg(default_value = "reports")]
    dir: PathBuf,
    /// The Ed25519 public key that must have signed (PEM, base64 or a file holding either).
    #[arg(long, value_name = "KEY")]
    public_key: Option<String>,
    /// Fail when the manifest is not signed.
    #[arg(long)]
    require_signature: bool,
}

pub fn verify(a: VerifyArgs) -> i32 {
    let public_key = match a
        .public_key
        .as_deref()
        .map(crate::seal::keys::PublicKey::parse)
    {
        Some(Err(e)) => {
            errln!("error: --public-key: {e}");
            return exit::INVALID_INPUT;
        }
        Some(Ok(k)) => Some(k),
        None => None,
    };
    let opts = crate::seal::verify::Options {
        public_key,
        require_signature: a.require_signature,
    };
    match crate::seal::verify::verify(&a.dir, &opts) {
        Ok(v) => {
            outln!("verify {}", a.dir.display());
            out!("{}", v.render());
            if v.holds() { exit::PASS } else { exit::FAIL }
        }
        Err(e) => {
            errln!("error: {e}");
            exit::INVALID_INPUT
        }
    }
}
