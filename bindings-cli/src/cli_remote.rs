//! The command line of the registry commands, as clap sees it.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use crate::remote::RegistryArgs;

/// An image in a registry and how to reach it.
#[derive(Debug, Args)]
pub struct RefArgs {
    /// `docker://REF` or `REF`, such as `localhost:5000/app:v1`.
    pub reference: String,
    /// How to reach the registry.
    #[command(flatten)]
    pub registry: RegistryArgs,
}

/// Arguments of `tranship manifest get`.
#[derive(Debug, Args)]
pub struct ManifestGetArgs {
    /// `docker://REF`, `REF`, `oci:DIR[:NAME]`, `oci-archive:FILE[:NAME]`
    /// or `docker-archive:FILE[:NAME:TAG|:@INDEX]`.
    pub reference: String,
    /// Print the manifest's exact bytes instead of a report.
    #[arg(long)]
    pub raw: bool,
    /// Offer only these media types (repeatable; default: every type
    /// tranship reads).
    #[arg(long, value_name = "MEDIA_TYPE")]
    pub accept: Vec<String>,
    /// When REF is an index or manifest list, fetch this platform's
    /// manifest instead (`linux/arm64`).
    #[arg(long, value_name = "OS/ARCH[/VARIANT]")]
    pub platform: Option<String>,
    /// How to reach the registry.
    #[command(flatten)]
    pub registry: RegistryArgs,
}

/// Arguments of `tranship config`.
#[derive(Debug, Args)]
pub struct ConfigArgs {
    /// `docker://REF` or `REF`.
    pub reference: String,
    /// The platform whose config to print, when REF is an index.
    #[arg(long, value_name = "OS/ARCH[/VARIANT]")]
    pub platform: Option<String>,
    /// How to reach the registry.
    #[command(flatten)]
    pub registry: RegistryArgs,
}

/// `tranship blob …`
#[derive(Debug, Subcommand)]
pub enum BlobCommand {
    /// Download a blob, verified, to a file.
    Get(BlobGetArgs),
}

/// Arguments of `tranship blob get`.
#[derive(Debug, Args)]
pub struct BlobGetArgs {
    /// `REPOSITORY@DIGEST`, such as `localhost:5000/app@sha256:…`.
    pub reference: String,
    /// The file to write (through a temporary name, renamed when
    /// complete and verified).
    #[arg(short, long, value_name = "FILE")]
    pub output: PathBuf,
    /// How to reach the registry.
    #[command(flatten)]
    pub registry: RegistryArgs,
}

/// Arguments of `tranship catalog`.
#[derive(Debug, Args)]
pub struct CatalogArgs {
    /// The registry: `HOST[:PORT]`.
    pub host: String,
    /// How to reach the registry.
    #[command(flatten)]
    pub registry: RegistryArgs,
}

/// Arguments of `tranship login`.
#[derive(Debug, Args)]
pub struct LoginArgs {
    /// The registry: `HOST[:PORT]`.
    pub host: String,
    /// The user name.
    #[arg(short, long)]
    pub username: Option<String>,
    /// Read the password (or token) from standard input (without it, a
    /// terminal is asked, the password without echo).
    #[arg(long)]
    pub password_stdin: bool,
    /// How to reach the registry.
    #[command(flatten)]
    pub registry: RegistryArgs,
}

/// Arguments of `tranship logout`.
#[derive(Debug, Args)]
pub struct LogoutArgs {
    /// The registry: `HOST[:PORT]`.
    pub host: String,
    /// How to reach the registry (`--authfile` names the file to edit).
    #[command(flatten)]
    pub registry: RegistryArgs,
}
