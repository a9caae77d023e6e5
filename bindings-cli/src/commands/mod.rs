//! One module per command.

pub mod completions;
pub mod digest;
pub mod manifest;
pub mod negotiate;
pub mod platform;
pub mod reference;
pub mod schema1;
