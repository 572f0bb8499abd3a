//! `accord keygen`: make an Ed25519 key pair for signing reports.

use crate::term::{errln, outln};
use std::path::PathBuf;

use clap::Args;

use crate::exit;

#[derive(Args)]
pub struct KeygenArgs {
    /// Where to write the private key (PEM); the public key goes to FILE.pub.
    #[arg(long, value_name = "FILE", default_value = "accord-signing.pem")]
    out: PathBuf,
}

pub fn keygen(a: KeygenArgs) -> i32 {
    match crate::seal::keys::keygen(&a.out) {
        Ok(public) => {
            outln!(
                "private key: {} (keep it secret; give it to runs as ACCORD_SIGNING_KEY or ACCORD_SIGNING_KEY_FILE)",
                a.out.display()
            );
            outln!(
                "public key:  {}.pub (publish it; readers pass it to `accord verify --public-key`)",
                a.out.display()
            );
            outln!("key id:      {}", public.id());
            exit::PASS
        }
        Err(e) => {
            errln!("error: {e}");
            exit::INVALID_INPUT
        }
    }
}
