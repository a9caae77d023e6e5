//! The command line, as clap sees it.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Inspect, convert and move container images.
#[derive(Debug, Parser)]
#[command(name = "tranship", version, about, propagate_version = true)]
pub struct Cli {
    /// Print one JSON object (with a `kind` field) instead of text.
    #[arg(long, global = true)]
    pub json: bool,

    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Parse and normalise an image reference.
    #[command(name = "ref")]
    Reference {
        /// A reference such as `alpine`, `ghcr.io/o/app:v1@sha256:…`.
        reference: String,
    },
    /// Print the digest of a manifest document, or check a digest string.
    Digest(DigestArgs),
    /// Work with manifest documents.
    #[command(subcommand)]
    Manifest(ManifestCommand),
    /// Parse, match and select platforms.
    #[command(subcommand)]
    Platform(PlatformCommand),
    /// Print a shell completion script.
    Completions {
        /// The shell to write completions for.
        shell: clap_complete::Shell,
    },
}

/// Arguments of `tranship digest`.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("source").required(true).args(["file", "parse"])))]
pub struct DigestArgs {
    /// The manifest document (`-` for standard input).
    #[arg(long)]
    pub file: Option<PathBuf>,
    /// Instead of hashing, validate a digest string and show its parts.
    #[arg(long, value_name = "DIGEST")]
    pub parse: Option<String>,
    /// The digest algorithm.
    #[arg(long, default_value = "sha256", value_parser = ["sha256", "sha512"])]
    pub algorithm: String,
    /// The Content-Type the document was served with, if known.
    #[arg(long)]
    pub content_type: Option<String>,
    /// Parsing limits.
    #[command(flatten)]
    pub limits: LimitArgs,
}

/// `tranship manifest …`
#[derive(Debug, Subcommand)]
pub enum ManifestCommand {
    /// Show what a manifest is: kind, digest, config, layers or children,
    /// signatures.
    Inspect(DocumentArgs),
    /// Verify the signatures of a signed schema1 manifest.
    Verify(DocumentArgs),
}

/// A manifest document and how to read it.
#[derive(Debug, Args)]
pub struct DocumentArgs {
    /// The manifest document (`-` for standard input).
    #[arg(long)]
    pub file: PathBuf,
    /// The Content-Type the document was served with, if known; without
    /// it (or with a generic one) the kind is detected from the content.
    #[arg(long)]
    pub content_type: Option<String>,
    /// Parsing limits.
    #[command(flatten)]
    pub limits: LimitArgs,
}

/// Caps for hostile input; the defaults follow the distribution registry.
#[derive(Debug, Default, Args)]
pub struct LimitArgs {
    /// Largest manifest accepted, in bytes.
    #[arg(long, value_name = "BYTES")]
    pub max_manifest_bytes: Option<u64>,
    /// Most layers in one manifest.
    #[arg(long, value_name = "N")]
    pub max_layers: Option<u64>,
    /// Most entries in one index.
    #[arg(long, value_name = "N")]
    pub max_children: Option<u64>,
    /// Deepest JSON nesting accepted.
    #[arg(long, value_name = "N")]
    pub max_json_depth: Option<u64>,
}

/// `tranship platform …`
#[derive(Debug, Subcommand)]
pub enum PlatformCommand {
    /// Parse and normalise a platform such as `linux/arm64/v8`.
    Parse {
        /// `os[(os_version)]/arch[/variant]`
        platform: String,
    },
    /// Tell whether an available platform satisfies a wanted one.
    Match {
        /// The platform asked for.
        want: String,
        /// The platform on offer.
        have: String,
    },
    /// Choose the entry of an index or manifest list for a platform.
    Select {
        /// The index or manifest list (`-` for standard input).
        #[arg(long)]
        file: PathBuf,
        /// The platform asked for.
        platform: String,
    },
}
