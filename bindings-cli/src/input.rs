//! Reading documents named on the command line.

use std::io::Read;
use std::path::Path;

use tranship::{Error, Result};

/// Reads a file (or standard input for `-`), refusing more than `max`
/// bytes without reading them all: the parser reports the limit.
pub fn read_document(path: &Path, max: u64) -> Result<Vec<u8>> {
    let name = path.display().to_string();
    let reader: Box<dyn Read> = if name == "-" {
        Box::new(std::io::stdin().lock())
    } else {
        Box::new(std::fs::File::open(path).map_err(|e| Error::io(format!("opening {name}"), e))?)
    };
    let mut bytes = Vec::new();
    reader
        .take(max.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io(format!("reading {name}"), e))?;
    Ok(bytes)
}
