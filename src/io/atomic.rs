//! Output files that appear whole or not at all.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

/// A file written under a temporary name beside its target and renamed into place by
/// [`AtomicFile::commit`]. Dropped without a commit, it leaves nothing behind.
///
/// A target that exists and is not a regular file (`/dev/null`, `/dev/stdout`, a named
/// pipe) is written directly: renaming over it would replace the device with a file.
/// A symbolic link is followed, so the file it points to is replaced, not the link.
#[derive(Debug)]
pub struct AtomicFile {
    target: PathBuf,
    file: Sink,
}

#[derive(Debug)]
enum Sink {
    Temporary(io::BufWriter<NamedTempFile>),
    Direct(io::BufWriter<std::fs::File>),
}

impl AtomicFile {
    /// Starts writing `target`; its folder must exist.
    pub fn create(target: &Path) -> io::Result<Self> {
        if let Ok(meta) = std::fs::metadata(target) {
            if !meta.is_file() {
                let file = std::fs::OpenOptions::new().write(true).open(target)?;
                return Ok(Self {
                    target: target.to_path_buf(),
                    file: Sink::Direct(io::BufWriter::new(file)),
                });
            }
        }
        let is_link = std::fs::symlink_metadata(target).is_ok_and(|m| m.file_type().is_symlink());
        let target = if is_link {
            std::fs::canonicalize(target)?
        } else {
            target.to_path_buf()
        };
        let folder = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let file = tempfile::Builder::new()
            .prefix(".textscrub-")
            .suffix(".tmp")
            .tempfile_in(folder)?;
        Ok(Self {
            file: Sink::Temporary(io::BufWriter::new(file)),
            target,
        })
    }

    /// Flushes and renames the file into place.
    pub fn commit(self) -> io::Result<()> {
        match self.file {
            Sink::Direct(mut file) => file.flush(),
            Sink::Temporary(file) => {
                let file = file.into_inner().map_err(io::IntoInnerError::into_error)?;
                file.as_file().sync_all()?;
                file.persist(&self.target).map_err(|e| e.error)?;
                Ok(())
            }
        }
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match &mut self.file {
            Sink::Temporary(file) => file.write(buf),
            Sink::Direct(file) => file.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.file {
            Sink::Temporary(file) => file.flush(),
            Sink::Direct(file) => file.flush(),
        }
    }
}
