//! Signing options for schema1 results (`--signing-key`, `--unsigned`).

use tranship::convert::sign::{Schema1Key, Signing};
use tranship::Result;

use crate::cli::SigningArgs;
use crate::input::read_document;

impl SigningArgs {
    /// The signing the flags ask for: the key file, none, or a fresh key.
    pub fn signing(&self) -> Result<Signing> {
        if self.unsigned {
            return Ok(Signing::Unsigned);
        }
        let key = match &self.signing_key {
            Some(path) => Schema1Key::from_bytes(&read_document(path, 1 << 20)?)?,
            None => Schema1Key::generate(),
        };
        Ok(Signing::Key(key))
    }
}
