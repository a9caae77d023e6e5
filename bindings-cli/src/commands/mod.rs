//! One module per command.

pub mod completions;
pub mod convert;
pub mod digest;
pub mod layer;
pub mod manifest;
pub mod negotiate;
pub mod platform;
pub mod reference;
pub mod signing;
