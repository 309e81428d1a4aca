//! Output files that appear whole or not at all.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

/// A file written under a temporary name beside its target and renamed into place by
/// [`AtomicFile::commit`]. Dropped without a commit, it leaves nothing behind.
#[derive(Debug)]
pub struct AtomicFile {
    target: PathBuf,
    file: io::BufWriter<NamedTempFile>,
}

impl AtomicFile {
    /// Starts writing `target`; its folder must exist.
    pub fn create(target: &Path) -> io::Result<Self> {
        let folder = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let file = tempfile::Builder::new()
            .prefix(".textscrub-")
            .suffix(".tmp")
            .tempfile_in(folder)?;
        Ok(Self {
            target: target.to_path_buf(),
            file: io::BufWriter::new(file),
        })
    }

    /// Flushes and renames the file into place.
    pub fn commit(self) -> io::Result<()> {
        let file = self
            .file
            .into_inner()
            .map_err(io::IntoInnerError::into_error)?;
        file.as_file().sync_all()?;
        file.persist(&self.target).map_err(|e| e.error)?;
        Ok(())
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.file.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}
