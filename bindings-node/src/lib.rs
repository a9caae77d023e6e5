//! Node.js bindings for tranship: the native addon behind the `tranship`
//! npm package.
//!
//! Every function here converts JavaScript arguments into core types,
//! calls the core, and converts the result (or the error, see [`error`])
//! back. Names are camelCase on the JavaScript side.

pub mod abort;
pub mod address;
pub mod background;
pub mod convert;
pub mod digest;
pub mod error;
pub mod manifest;
pub mod platform;
pub mod progress;
pub mod records;
pub mod reference;
pub mod registry;
