//! One module per command.

pub mod completions;
pub mod convert;
pub mod digest;
pub mod layer;
pub mod manifest;
pub mod platform;
pub mod reference;
