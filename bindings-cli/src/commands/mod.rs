//! One module per command.

pub mod completions;
pub mod digest;
pub mod manifest;
pub mod platform;
pub mod reference;
