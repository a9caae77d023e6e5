//! What compressing a layer may be told, with its defaults and checks.

use std::fmt;
use std::str::FromStr;

use super::{gzip, isal};
use crate::error::{Error, Result};
use crate::layer::{Compression, DiffIdOptions};

/// A format layers are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LayerFormat {
    /// gzip: levels 1 to 9, default 1.
    Gzip,
    /// Zstandard: levels 1 to 19, default 3.
    Zstd,
}

impl LayerFormat {
    /// The level used when none is given.
    pub fn default_level(self) -> i32 {
        match self {
            LayerFormat::Gzip => 1,
            LayerFormat::Zstd => 3,
        }
    }

    /// The levels accepted.
    pub fn levels(self) -> std::ops::RangeInclusive<i32> {
        match self {
            LayerFormat::Gzip => 1..=9,
            LayerFormat::Zstd => 1..=19,
        }
    }

    /// The file name extension of a blob in this format: `gz`, `zst`.
    pub fn extension(self) -> &'static str {
        match self {
            LayerFormat::Gzip => "gz",
            LayerFormat::Zstd => "zst",
        }
    }

    /// The compression a blob in this format has.
    pub fn compression(self) -> Compression {
        match self {
            LayerFormat::Gzip => Compression::Gzip,
            LayerFormat::Zstd => Compression::Zstd,
        }
    }

    /// The format of a blob compressed so, if layers are written in it.
    pub fn of(compression: Compression) -> Option<LayerFormat> {
        match compression {
            Compression::Gzip => Some(LayerFormat::Gzip),
            Compression::Zstd => Some(LayerFormat::Zstd),
            _ => None,
        }
    }
}

impl fmt::Display for LayerFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.compression().as_str())
    }
}

impl FromStr for LayerFormat {
    type Err = Error;

    fn from_str(s: &str) -> Result<LayerFormat> {
        match s {
            "gzip" => Ok(LayerFormat::Gzip),
            "zstd" => Ok(LayerFormat::Zstd),
            other => Err(Error::InvalidConfig(format!(
                "unknown layer compression `{other}`: give gzip or zstd"
            ))),
        }
    }
}

/// How to compress a layer; see [`super::compress`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct CompressOptions {
    /// The format written (default gzip).
    pub format: LayerFormat,
    /// The level, within [`LayerFormat::levels`].
    pub level: i32,
    /// Threads compressing at once (default: the number of CPUs). The
    /// bytes written do not depend on it.
    pub threads: usize,
    /// Most decompressed bytes accepted from a compressed input (default
    /// 32 GiB), which stops decompression bombs.
    pub max_uncompressed_bytes: u64,
}

impl Default for CompressOptions {
    fn default() -> Self {
        CompressOptions {
            format: LayerFormat::Gzip,
            level: LayerFormat::Gzip.default_level(),
            threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
            max_uncompressed_bytes: DiffIdOptions::DEFAULT_MAX_UNCOMPRESSED_BYTES,
        }
    }
}

impl CompressOptions {
    /// Options from the plain values a front end collects, each checked:
    /// an unknown format or a level out of range is `INVALID_CONFIG`.
    ///
    /// ```
    /// use tranship::layer::{CompressOptions, CompressSettings, LayerFormat};
    /// let o = CompressOptions::from_settings(&CompressSettings::default())?;
    /// assert_eq!((o.format, o.level), (LayerFormat::Gzip, 1));
    /// let bad = CompressSettings { format: Some("zstd".into()), level: Some(30), ..Default::default() };
    /// assert_eq!(CompressOptions::from_settings(&bad).unwrap_err().code(), "INVALID_CONFIG");
    /// # Ok::<(), tranship::Error>(())
    /// ```
    pub fn from_settings(settings: &CompressSettings) -> Result<CompressOptions> {
        let mut opts = CompressOptions::default();
        if let Some(format) = &settings.format {
            opts.format = format.parse()?;
        }
        opts.level = match settings.level {
            None => opts.format.default_level(),
            Some(level) => i32::try_from(level)
                .ok()
                .filter(|l| opts.format.levels().contains(l))
                .ok_or_else(|| {
                    let levels = opts.format.levels();
                    Error::InvalidConfig(format!(
                        "{} levels go from {} to {}, not {level}",
                        opts.format,
                        levels.start(),
                        levels.end()
                    ))
                })?,
        };
        if let Some(threads) = settings.threads {
            if threads == 0 {
                return Err(Error::InvalidConfig("threads must be at least 1".into()));
            }
            opts.threads = usize::try_from(threads).unwrap_or(usize::MAX);
        }
        if let Some(bytes) = settings.max_uncompressed_bytes {
            opts.max_uncompressed_bytes = bytes;
        }
        Ok(opts)
    }

    /// Fails with `ENCODER_UNAVAILABLE` when this machine cannot write
    /// the format and level with the bytes every other machine writes.
    pub fn check_available(&self) -> Result<()> {
        if self.format == LayerFormat::Gzip
            && gzip::by_isal(self.level)
            && !isal::encoder_available()
        {
            return Err(Error::EncoderUnavailable(format!(
                "gzip level {} is written by ISA-L's x86-64 code, which needs a CPU with SSE4.2; \
                 this one would write other bytes (other digests), so it writes none: \
                 use a gzip level from 4 to 9, or zstd",
                self.level
            )));
        }
        Ok(())
    }
}

/// [`CompressOptions`] as plain values, as front ends collect them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CompressSettings {
    /// `gzip` (the default) or `zstd`.
    pub format: Option<String>,
    /// The level (gzip 1-9, default 1; zstd 1-19, default 3).
    pub level: Option<i64>,
    /// Threads compressing at once (default: the number of CPUs).
    pub threads: Option<u64>,
    /// Most decompressed bytes accepted from a compressed input.
    pub max_uncompressed_bytes: Option<u64>,
}

impl CompressSettings {
    /// Reads `FORMAT[:LEVEL]`, as `--compress` takes it: `gzip`,
    /// `zstd:19`. The values are checked by
    /// [`CompressOptions::from_settings`].
    ///
    /// ```
    /// use tranship::layer::CompressSettings;
    /// let s = CompressSettings::parse("zstd:19")?;
    /// assert_eq!((s.format.as_deref(), s.level), (Some("zstd"), Some(19)));
    /// assert_eq!(CompressSettings::parse("zstd:x").unwrap_err().code(), "INVALID_CONFIG");
    /// # Ok::<(), tranship::Error>(())
    /// ```
    pub fn parse(spec: &str) -> Result<CompressSettings> {
        let (format, level) = match spec.split_once(':') {
            Some((format, level)) => {
                let level = level.parse().map_err(|_| {
                    Error::InvalidConfig(format!(
                        "`{spec}`: the level after `:` is a number (zstd:19)"
                    ))
                })?;
                (format, Some(level))
            }
            None => (spec, None),
        };
        Ok(CompressSettings {
            format: Some(format.to_string()),
            level,
            ..CompressSettings::default()
        })
    }
}
