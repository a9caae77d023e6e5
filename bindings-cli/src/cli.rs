//! The command line, as clap sees it.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

pub use crate::cli_remote::*;
use crate::remote::RegistryArgs;

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
    /// Parse an image address: `docker://REF` (or `REF`), `oci:DIR[:NAME]`,
    /// `oci-archive:FILE[:NAME]` or `docker-archive:FILE[:REF|:@INDEX]`.
    Address {
        /// An address such as `oci:/srv/layout:v1` or `docker-archive:x.tar:@0`.
        address: String,
    },
    /// Print the digest of a manifest in a registry or a document, or
    /// check a digest string.
    Digest(DigestArgs),
    /// Copy an image (or index) between registries, OCI layouts and
    /// archives: `docker://REF` (or a bare REF), `oci:DIR[:NAME]`,
    /// `oci-archive:FILE[:NAME]`, `docker-archive:FILE[:NAME:TAG|:@INDEX]`.
    Copy(Box<CopyArgs>),
    /// Check that an image is whole where it is: every child of an index
    /// and every blob present, of the right size and digest. Exit status
    /// 0 only when complete, 1 otherwise.
    Check(Box<CheckArgs>),
    /// Work with manifest documents.
    #[command(subcommand)]
    Manifest(ManifestCommand),
    /// Parse, match and select platforms.
    #[command(subcommand)]
    Platform(PlatformCommand),
    /// Convert a manifest to another format (schema1, schema 2, OCI).
    Convert(Box<ConvertArgs>),
    /// Work with layer blobs.
    #[command(subcommand)]
    Layer(LayerCommand),
    /// Tell what a registry serves for a stored manifest, how it was
    /// requested and the client's Accept header(s).
    Negotiate(Box<NegotiateArgs>),
    /// Print the config blob of an image in a registry.
    Config(ConfigArgs),
    /// Work with blobs in a registry.
    #[command(subcommand)]
    Blob(BlobCommand),
    /// List the tags of a repository in a registry.
    Tags(RefArgs),
    /// List the repositories of a registry.
    Catalog(CatalogArgs),
    /// Check credentials with a registry and store them.
    Login(LoginArgs),
    /// Forget the stored credentials of a registry.
    Logout(LogoutArgs),
    /// Delete a manifest from a registry (a tag deletes what it points to).
    Delete(RefArgs),
    /// Print a shell completion script.
    Completions {
        /// The shell to write completions for.
        shell: clap_complete::Shell,
    },
}

/// Arguments of `tranship digest`.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("source").required(true).args(["reference", "file", "parse"])))]
pub struct DigestArgs {
    /// An image in a registry (`docker://REF` or `REF`): print the
    /// registry's digest of its manifest (checked to exist).
    pub reference: Option<String>,
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
    /// How to reach the registry (with REF).
    #[command(flatten)]
    pub registry: RegistryArgs,
}

/// `tranship manifest …`
#[derive(Debug, Subcommand)]
pub enum ManifestCommand {
    /// Show what a manifest is: kind, digest, config, layers or children,
    /// signatures.
    Inspect(DocumentArgs),
    /// Verify the signatures of a signed schema1 manifest.
    Verify(DocumentArgs),
    /// Read a manifest from a registry, a layout or an archive: a report,
    /// or its exact bytes.
    Get(ManifestGetArgs),
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

/// Caps for hostile input; the defaults follow the distribution registry
/// (a negative value is refused with `INVALID_CONFIG`).
#[derive(Debug, Default, Args)]
pub struct LimitArgs {
    /// Largest manifest accepted, in bytes.
    #[arg(long, value_name = "BYTES", allow_negative_numbers = true)]
    pub max_manifest_bytes: Option<i64>,
    /// Most layers in one manifest.
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    pub max_layers: Option<i64>,
    /// Most entries in one index.
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    pub max_children: Option<i64>,
    /// Most signatures on a signed schema1 manifest.
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    pub max_signatures: Option<i64>,
    /// Deepest JSON nesting accepted.
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    pub max_json_depth: Option<i64>,
}

/// How a schema1 result is signed.
#[derive(Debug, Args)]
pub struct SigningArgs {
    /// Sign schema1 with this key: PEM (PKCS#8 or SEC1) or JWK, P-256.
    /// Without it (and without `--unsigned`) a fresh key is generated.
    #[arg(long, value_name = "FILE")]
    pub signing_key: Option<PathBuf>,
    /// Leave schema1 unsigned (`application/vnd.docker.distribution.manifest.v1+json`).
    #[arg(long)]
    pub unsigned: bool,
}

/// Arguments of `tranship copy`.
#[derive(Debug, Args)]
pub struct CopyArgs {
    /// Where the image is: `docker://REF`, `REF`, `oci:DIR[:NAME]`,
    /// `oci-archive:FILE[:NAME]`, `docker-archive:FILE[:NAME:TAG|:@INDEX]`.
    /// Several sources go into one docker-archive, like `docker save A B`.
    #[arg(value_name = "SOURCE", required = true, num_args = 1..)]
    pub sources: Vec<String>,
    /// Where it goes, in the same forms.
    #[arg(value_name = "DESTINATION")]
    pub destination: String,
    /// Copy this platform of an index (`os/arch[/variant]`); repeat for
    /// several.
    #[arg(long, value_name = "PLATFORM")]
    pub platform: Vec<String>,
    /// Copy every platform of an index.
    #[arg(long)]
    pub all: bool,
    /// With `--platform`, rewrite the index to name only the children
    /// copied (its digest changes) instead of keeping it as it is, sparse.
    #[arg(long)]
    pub strip_missing: bool,
    /// Fail before writing anything if the copy would change a digest.
    #[arg(long)]
    pub preserve_digests: bool,
    /// Leave behind the signatures, attestations and other artifacts that
    /// refer to the images copied (brought by default).
    #[arg(long)]
    pub no_referrers: bool,
    /// Convert to this format: `v2s1`, `v2s2` or `oci` (digests change
    /// and are reported).
    #[arg(long, value_name = "FORMAT")]
    pub format: Option<String>,
    /// Write the layers in this compression, `gzip` or `zstd`, with an
    /// optional level (`zstd:19`); layers already in it are kept. Their
    /// digests change and are reported; the config does not.
    #[arg(long, value_name = "FORMAT[:LEVEL]", conflicts_with_all = ["dest_compress_format", "dest_compress_level"])]
    pub compress: Option<String>,
    /// `--compress`'s format alone, as skopeo spells it.
    #[arg(long, value_name = "FORMAT")]
    pub dest_compress_format: Option<String>,
    /// `--compress`'s level alone (gzip 1-9, default 1; zstd 1-19,
    /// default 3).
    #[arg(long, value_name = "N", allow_hyphen_values = true)]
    pub dest_compress_level: Option<i64>,
    /// Blobs moved at once.
    #[arg(long, short = 'j', value_name = "N", default_value_t = tranship::copy::DEFAULT_JOBS)]
    pub jobs: usize,
    /// Another `NAME:TAG` for a docker-archive; repeat for several.
    #[arg(long, value_name = "NAME:TAG")]
    pub additional_tag: Vec<String>,
    /// Also write a docker-archive's pre-Docker 25 entries (a folder per
    /// layer, `repositories`) for loaders that do not read manifest.json.
    #[arg(long)]
    pub legacy: bool,
    /// Print nothing but errors.
    #[arg(short, long)]
    pub quiet: bool,
    /// schema1 output (`--format v2s1`): signing.
    #[command(flatten)]
    pub signing: SigningArgs,
    /// How to reach registries.
    #[command(flatten)]
    pub registry: RegistryArgs,
}

/// Arguments of `tranship check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// What to check, in the forms `copy` takes.
    #[arg(value_name = "ADDRESS")]
    pub address: String,
    /// Download and hash a registry's blobs too (layouts and archives are
    /// always hashed; by default a registry's blobs are checked with HEAD).
    #[arg(long)]
    pub full: bool,
    /// Size caps.
    #[command(flatten)]
    pub limits: LimitArgs,
    /// How to reach registries.
    #[command(flatten)]
    pub registry: RegistryArgs,
}

/// Arguments of `tranship negotiate`.
#[derive(Debug, Args)]
pub struct NegotiateArgs {
    /// An `Accept` header value, as sent; repeat for several headers.
    #[arg(long, value_name = "VALUE", allow_hyphen_values = true)]
    pub accept: Vec<String>,
    /// The manifest was requested by digest (default: by tag).
    #[arg(long)]
    pub by_digest: bool,
    /// The stored manifest (`-` for standard input).
    #[arg(long)]
    pub file: PathBuf,
    /// The Content-Type it was stored with, if known.
    #[arg(long)]
    pub content_type: Option<String>,
    /// The stored manifest's config blob (needed to serve schema1).
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Blob store holding configs, child manifests and layers by digest
    /// (`DIR/blobs/sha256/HEX` or `DIR/sha256/HEX`).
    #[arg(long, value_name = "DIR")]
    pub blobs: Option<PathBuf>,
    /// Repository path (`team/app`, no registry).
    #[arg(long)]
    pub name: String,
    /// The tag requested, or the tag schema1 carries.
    #[arg(long)]
    pub tag: String,
    /// Signing of a schema1 answer.
    #[command(flatten)]
    pub signing: SigningArgs,
    /// Write the body here (`-`: standard output, the headers then go to
    /// standard error).
    #[arg(short, long, value_name = "OUT")]
    pub output: Option<PathBuf>,
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

/// Arguments of `tranship convert`.
#[derive(Debug, Args)]
pub struct ConvertArgs {
    /// The format to convert to.
    #[arg(long, value_parser = ["v2s1", "v2s2", "oci"])]
    pub to: String,
    /// The manifest to convert (`-` for standard input).
    #[arg(long)]
    pub file: PathBuf,
    /// The Content-Type the manifest was served with, if known.
    #[arg(long)]
    pub content_type: Option<String>,
    /// The source image's config blob (otherwise read from --blobs when
    /// needed).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Blob store holding the layers (and config): DIR/blobs/sha256/<hex>
    /// or DIR/sha256/<hex>. A new config blob is written into it.
    #[arg(long, value_name = "DIR")]
    pub blobs: Option<PathBuf>,
    /// A known diff_id of a layer blob, spares decompressing it
    /// (repeatable).
    #[arg(long = "diff-id", value_name = "BLOB=DIFF_ID", value_parser = digest_pair)]
    pub diff_ids: Vec<(String, String)>,
    /// A known size of a layer blob, for blobs not in --blobs
    /// (repeatable).
    #[arg(long = "layer-size", value_name = "BLOB=BYTES", value_parser = size_pair)]
    pub layer_sizes: Vec<(String, i64)>,
    /// Docker to OCI: re-encode the config as skopeo does (drops Docker's
    /// fields; the image ID changes) instead of keeping its bytes.
    #[arg(long)]
    pub reencode_config: bool,
    /// schema1 output: repository path written in the manifest.
    #[arg(long, requires = "tag")]
    pub name: Option<String>,
    /// schema1 output: tag written in the manifest.
    #[arg(long, requires = "name")]
    pub tag: Option<String>,
    /// schema1 output: signing.
    #[command(flatten)]
    pub signing: SigningArgs,
    /// Write the result manifest to this file instead of standard output.
    #[arg(short = 'o', long, value_name = "OUT")]
    pub output: Option<PathBuf>,
    /// Parsing limits.
    #[command(flatten)]
    pub limits: LimitArgs,
}

/// `tranship layer …`
#[derive(Debug, Subcommand)]
pub enum LayerCommand {
    /// Print the diff_id (sha256 of the uncompressed content) of layer
    /// blobs: gzip, zstd, bzip2, xz or plain tar.
    DiffId {
        /// Layer blob files (`-` for standard input).
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Compress a layer (plain tar, or already compressed: it is decoded
    /// first) to gzip or zstd, printing the new blob's digest and size and
    /// the diff_id. The same input, format and level give the same bytes
    /// on every machine.
    Compress {
        /// The layer file.
        file: PathBuf,
        /// Where to write the blob (default: FILE.gz or FILE.zst).
        #[arg(short, long, value_name = "OUT")]
        output: Option<PathBuf>,
        /// `gzip` (default) or `zstd`.
        #[arg(long, value_name = "FORMAT")]
        format: Option<String>,
        /// gzip 1-9 (default 1), zstd 1-19 (default 3).
        #[arg(long, value_name = "N", allow_hyphen_values = true)]
        level: Option<i64>,
        /// Threads compressing at once (default: every CPU; the bytes do
        /// not depend on it).
        #[arg(long, value_name = "N")]
        threads: Option<u64>,
    },
    /// Decompress a layer blob (gzip, zstd, bzip2, xz or plain) to its
    /// tar, printing its digest and diff_id.
    Decompress {
        /// The layer blob file.
        file: PathBuf,
        /// Where to write the tar.
        #[arg(short, long, value_name = "OUT")]
        output: PathBuf,
    },
}

/// Splits `BLOB=DIFF_ID` (the core checks both digests).
fn digest_pair(text: &str) -> Result<(String, String), String> {
    let (blob, value) = text
        .split_once('=')
        .ok_or_else(|| format!("expected BLOB=DIFF_ID, found `{text}`"))?;
    Ok((blob.to_string(), value.to_string()))
}

/// Splits `BLOB=BYTES` (the core checks the digest and the size).
fn size_pair(text: &str) -> Result<(String, i64), String> {
    let (blob, value) = text
        .split_once('=')
        .ok_or_else(|| format!("expected BLOB=BYTES, found `{text}`"))?;
    let size = value
        .parse()
        .map_err(|_| format!("`{value}` is not a size in bytes"))?;
    Ok((blob.to_string(), size))
}
