//! Output files, compressed like their names say (`.gz`, `.zst`), written atomically.

use std::io::{self, Write};
use std::path::Path;

use super::atomic::{AtomicFile, Prepared};
use super::document::Compression;

/// An output file that appears whole, compressed by its extension, or not at all.
pub enum OutputFile {
    /// Plain bytes.
    Plain(AtomicFile),
    /// gzip.
    Gzip(flate2::write::GzEncoder<AtomicFile>),
    /// Zstandard.
    Zstd(zstd::stream::write::Encoder<'static, AtomicFile>),
}

impl OutputFile {
    /// Starts writing `path`, compressed as its extension says.
    pub fn create(path: &Path) -> io::Result<Self> {
        let file = AtomicFile::create(path)?;
        Ok(match Compression::from_path(path) {
            Compression::None => Self::Plain(file),
            Compression::Gzip => Self::Gzip(flate2::write::GzEncoder::new(
                file,
                flate2::Compression::default(),
            )),
            Compression::Zstd => Self::Zstd(zstd::stream::write::Encoder::new(file, 3)?),
        })
    }

    /// Finishes the compressed stream and renames the file into place.
    pub fn commit(self) -> io::Result<()> {
        super::atomic::commit_all(vec![self.prepare()?])
    }

    /// Finishes the compressed stream, ready to be renamed into place with the run's other
    /// outputs ([`super::commit_all`]).
    pub fn prepare(self) -> io::Result<Prepared> {
        match self {
            Self::Plain(file) => file.prepare(),
            Self::Gzip(encoder) => encoder.finish()?.prepare(),
            Self::Zstd(encoder) => encoder.finish()?.prepare(),
        }
    }
}

impl Write for OutputFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Self::Plain(file) => file.write(buf),
            Self::Gzip(encoder) => encoder.write(buf),
            Self::Zstd(encoder) => encoder.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Self::Plain(file) => file.flush(),
            Self::Gzip(encoder) => encoder.flush(),
            Self::Zstd(encoder) => encoder.flush(),
        }
    }
}
