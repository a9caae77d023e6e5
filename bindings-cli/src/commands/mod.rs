//! One module per command.

pub mod address;
pub mod blob;
pub mod catalog;
pub mod check;
pub mod completions;
pub mod config;
pub mod convert;
pub mod copy;
pub mod delete;
pub mod digest;
pub mod layer;
pub mod login;
pub mod logout;
pub mod manifest;
pub mod manifest_get;
pub mod negotiate;
pub mod platform;
pub mod reference;
pub mod signing;
pub mod tags;
