//! Signing options for schema1 results (`--signing-key`, `--unsigned`).

use tranship::convert::sign::{KeySource, Signing};
use tranship::Result;

use crate::cli::SigningArgs;

impl SigningArgs {
    /// The signing the flags ask for: the key file, none, or a fresh key.
    pub fn signing(&self) -> Result<Signing> {
        Signing::choose(
            self.signing_key.clone().map(KeySource::File).as_ref(),
            self.unsigned,
        )
    }
}
