//! Output files that appear whole or not at all, and leave nothing behind when a run is
//! interrupted.
//!
//! On Linux a file is written as an unnamed `O_TMPFILE` inode in the target's folder and
//! linked under a temporary name only when it is [prepared](AtomicFile::prepare), just
//! before the rename: a run killed in any way (even `SIGKILL`) while writing leaves no
//! trace, the kernel frees the inode. Where the file system cannot make unnamed files, a
//! named temporary (`.textscrub-*.tmp`) is used. Every named temporary is registered, and
//! [`remove_temporary_files_on_signals`] removes them on `SIGINT`, `SIGTERM` and `SIGHUP`.
//!
//! The outputs of one run are one result: [`commit_all`] renames them all in one critical
//! section that a signal waits for, so an interrupted run leaves either every previous
//! file or every new one.
//!
//! A new file gets the mode the umask gives (`0666 & !umask`, as `>` in a shell would); a
//! file that is replaced keeps its mode.

use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::OUTPUT_BUFFER;

/// Named temporary files not yet committed or dropped: what a signal handler removes.
static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// A file written under a temporary name (or none) beside its target and renamed into
/// place by [`AtomicFile::commit`]. Dropped without a commit, it leaves nothing behind.
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
    /// An `O_TMPFILE` inode in `folder`, with no name until commit.
    Unnamed {
        file: io::BufWriter<File>,
        folder: PathBuf,
    },
    /// A named temporary file, registered in [`PENDING`].
    Named {
        file: io::BufWriter<File>,
        path: PathBuf,
    },
    Direct(io::BufWriter<File>),
    /// Committed or failed: nothing left to clean up.
    Done,
}

impl AtomicFile {
    /// Starts writing `target`; its folder must exist.
    pub fn create(target: &Path) -> io::Result<Self> {
        if let Ok(meta) = std::fs::metadata(target) {
            if !meta.is_file() {
                let file = std::fs::OpenOptions::new().write(true).open(target)?;
                return Ok(Self {
                    target: target.to_path_buf(),
                    file: Sink::Direct(io::BufWriter::with_capacity(OUTPUT_BUFFER, file)),
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
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        // A replaced file keeps its mode; a new one gets what the umask allows.
        let keep = std::fs::metadata(&target).ok().map(|m| m.permissions());
        let file = match unnamed_file(&folder) {
            Some(file) => {
                if let Some(mode) = keep {
                    file.set_permissions(mode)?;
                }
                Sink::Unnamed {
                    file: io::BufWriter::with_capacity(OUTPUT_BUFFER, file),
                    folder,
                }
            }
            None => {
                let (file, path) = named_file(&folder)?;
                if let Some(mode) = keep {
                    file.set_permissions(mode)?;
                }
                Sink::Named {
                    file: io::BufWriter::with_capacity(OUTPUT_BUFFER, file),
                    path,
                }
            }
        };
        Ok(Self { target, file })
    }

    /// Flushes and renames the file into place.
    pub fn commit(self) -> io::Result<()> {
        commit_all(vec![self.prepare()?])
    }

    /// Flushes and syncs the file and gives it its temporary name beside the target,
    /// ready for [`commit_all`]. Dropped uncommitted, the temporary is removed.
    pub fn prepare(mut self) -> io::Result<Prepared> {
        let target = std::mem::take(&mut self.target);
        let temporary = match std::mem::replace(&mut self.file, Sink::Done) {
            Sink::Direct(mut file) => {
                file.flush()?;
                None
            }
            Sink::Unnamed { file, folder } => {
                let file = file.into_inner().map_err(io::IntoInnerError::into_error)?;
                file.sync_all()?;
                Some(link_unnamed(&file, &folder)?)
            }
            Sink::Named { file, path } => {
                // Still registered: dropped on an error, `Prepared` removes it.
                let prepared = Prepared {
                    target,
                    temporary: Some(path),
                };
                let file = file.into_inner().map_err(io::IntoInnerError::into_error)?;
                file.sync_all()?;
                return Ok(prepared);
            }
            Sink::Done => None,
        };
        Ok(Prepared { target, temporary })
    }
}

/// A written file under its temporary name, waiting for [`commit_all`].
#[derive(Debug)]
pub struct Prepared {
    target: PathBuf,
    /// `None` for a file written in place (a device, a pipe).
    temporary: Option<PathBuf>,
}

impl Drop for Prepared {
    fn drop(&mut self) {
        if let Some(path) = self.temporary.take() {
            let mut pending = lock_pending();
            let _ = std::fs::remove_file(&path);
            pending.retain(|p| p != &path);
        }
    }
}

/// Whether a run's outputs were put in place: what an interruption message says.
static COMMITTED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Renames every prepared file into place, all in one critical section: a signal that
/// arrives meanwhile is handled after the last rename, so it never leaves some outputs
/// new and others old. Renames within a folder the temporaries were just linked into do
/// not fail in practice; if one does, the error names it and the rest are dropped.
pub fn commit_all(files: Vec<Prepared>) -> io::Result<()> {
    let mut pending = lock_pending();
    for mut file in files {
        if let Some(path) = file.temporary.take() {
            let renamed = std::fs::rename(&path, &file.target);
            if renamed.is_err() {
                let _ = std::fs::remove_file(&path);
            }
            pending.retain(|p| p != &path);
            renamed
                .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", file.target.display())))?;
        }
    }
    COMMITTED.store(true, std::sync::atomic::Ordering::SeqCst);
    Ok(())
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if let Sink::Named { path, .. } = &self.file {
            let mut pending = lock_pending();
            let _ = std::fs::remove_file(path);
            pending.retain(|p| p != path);
        }
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match &mut self.file {
            Sink::Unnamed { file, .. } | Sink::Named { file, .. } | Sink::Direct(file) => {
                file.write(buf)
            }
            Sink::Done => Err(io::Error::other("write after commit")),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.file {
            Sink::Unnamed { file, .. } | Sink::Named { file, .. } | Sink::Direct(file) => {
                file.flush()
            }
            Sink::Done => Ok(()),
        }
    }
}

fn lock_pending() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    // A panic while holding the lock leaves a list that is still correct.
    PENDING
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Mode bits for a new file; the kernel masks them with the umask.
const NEW_FILE_MODE: u32 = 0o666;

/// An unnamed file in `folder`, or `None` where the file system cannot make one.
#[cfg(target_os = "linux")]
fn unnamed_file(folder: &Path) -> Option<File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .write(true)
        .mode(NEW_FILE_MODE)
        .custom_flags(libc::O_TMPFILE)
        .open(folder)
        .ok()
}

#[cfg(not(target_os = "linux"))]
fn unnamed_file(_folder: &Path) -> Option<File> {
    None
}

/// Gives the unnamed `file` a temporary name in `folder`, registered for removal.
#[cfg(target_os = "linux")]
fn link_unnamed(file: &File, folder: &Path) -> io::Result<PathBuf> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    use std::os::unix::io::AsRawFd;

    let source = CString::new(format!("/proc/self/fd/{}", file.as_raw_fd()))
        .expect("no NUL in a formatted number");
    for attempt in 0..16u32 {
        let name = folder.join(temporary_name(attempt));
        let dest = CString::new(name.as_os_str().as_bytes())
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "path contains NUL"))?;
        // Registered before it exists, so no moment passes where a signal could miss it.
        let mut pending = lock_pending();
        pending.push(name.clone());
        // SAFETY: both paths are NUL-terminated C strings that outlive the call.
        let linked = unsafe {
            libc::linkat(
                libc::AT_FDCWD,
                source.as_ptr(),
                libc::AT_FDCWD,
                dest.as_ptr(),
                libc::AT_SYMLINK_FOLLOW,
            )
        };
        if linked == 0 {
            return Ok(name);
        }
        let error = io::Error::last_os_error();
        pending.pop();
        if error.kind() != io::ErrorKind::AlreadyExists {
            return Err(error);
        }
    }
    Err(io::Error::new(
        io::ErrorKind::AlreadyExists,
        "no free temporary name",
    ))
}

#[cfg(not(target_os = "linux"))]
fn link_unnamed(_file: &File, _folder: &Path) -> io::Result<PathBuf> {
    unreachable!("unnamed files are made on Linux only")
}

/// A named temporary file in `folder`, registered for removal on signals.
fn named_file(folder: &Path) -> io::Result<(File, PathBuf)> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, NEW_FILE_MODE);
    for attempt in 0..16u32 {
        let path = folder.join(temporary_name(attempt));
        // Registered before it exists, so no moment passes where a signal could miss it.
        let mut pending = lock_pending();
        pending.push(path.clone());
        match options.open(&path) {
            Ok(file) => return Ok((file, path)),
            Err(e) => {
                pending.pop();
                if e.kind() != io::ErrorKind::AlreadyExists {
                    return Err(e);
                }
            }
        }
    }
    Err(io::Error::new(
        io::ErrorKind::AlreadyExists,
        "no free temporary name",
    ))
}

/// `.textscrub-<pid>-<counter>-<attempt>.tmp`: unique within the process, and hidden.
fn temporary_name(attempt: u32) -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!(".textscrub-{}-{n}-{attempt}.tmp", std::process::id())
}

/// On `SIGINT`, `SIGTERM` or `SIGHUP`: waits for a commit in progress, removes the
/// temporary files of uncommitted outputs, says on standard error what was left, and
/// ends the process by the signal (status 128 + its number in a shell: 130 for `SIGINT`).
/// Call once, from a binary: the library installs no handlers on its own.
pub fn remove_temporary_files_on_signals() -> io::Result<()> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP])?;
    std::thread::Builder::new()
        .name("textscrub-signals".into())
        .spawn(move || {
            if let Some(signal) = signals.forever().next() {
                // Keep the lock: no commit may rename a file after this point.
                let pending = lock_pending();
                for path in pending.iter() {
                    let _ = std::fs::remove_file(path);
                }
                let message = if COMMITTED.load(std::sync::atomic::Ordering::SeqCst) {
                    "textscrub: interrupted after the outputs were written"
                } else {
                    "textscrub: interrupted: no output file written, previous files left unchanged"
                };
                let _ = writeln!(io::stderr(), "{message}");
                // End by the signal, as an uncaught one would (a shell shows 130 for
                // SIGINT, and a script running us stops too); exiting is the fallback.
                let _ = signal_hook::low_level::emulate_default_handler(signal);
                std::process::exit(128 + signal);
            }
        })?;
    Ok(())
}

/// The temporary files an interrupted run would leave now (for tests).
#[doc(hidden)]
#[must_use]
pub fn pending_temporary_files() -> Vec<PathBuf> {
    lock_pending().clone()
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(unix)]
    use std::fs::Permissions;
    #[cfg(unix)]
    use std::os::unix::fs::PermissionsExt;

    #[cfg(unix)]
    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn nothing_is_visible_until_commit_and_nothing_is_left_on_drop() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.txt");
        let mut file = AtomicFile::create(&target).unwrap();
        file.write_all(b"hello").unwrap();
        file.flush().unwrap();
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
        drop(file);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
        let mut file = AtomicFile::create(&target).unwrap();
        file.write_all(b"hello").unwrap();
        file.commit().unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"hello");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn prepared_files_appear_together_or_not_at_all() {
        let dir = tempfile::tempdir().unwrap();
        let names = ["a.jsonl", "b.jsonl", "c.diff"];
        let prepare = |text: &str| -> Vec<Prepared> {
            names
                .iter()
                .map(|name| {
                    let mut file = AtomicFile::create(&dir.path().join(name)).unwrap();
                    file.write_all(text.as_bytes()).unwrap();
                    file.prepare().unwrap()
                })
                .collect()
        };
        let files = || {
            let mut found: Vec<String> = std::fs::read_dir(dir.path())
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
                .collect();
            found.sort();
            found
        };
        // Prepared: hidden temporaries, registered, removed when dropped.
        let ready = prepare("dropped");
        assert_eq!(files().len(), 3);
        assert!(files().iter().all(|f| f.starts_with(".textscrub-")));
        assert_eq!(
            pending_temporary_files()
                .iter()
                .filter(|p| p.starts_with(dir.path()))
                .count(),
            3
        );
        drop(ready);
        assert!(files().is_empty());
        commit_all(prepare("new")).unwrap();
        assert_eq!(files(), ["a.jsonl", "b.jsonl", "c.diff"]);
        for name in names {
            assert_eq!(std::fs::read(dir.path().join(name)).unwrap(), b"new");
        }
        assert!(!pending_temporary_files()
            .iter()
            .any(|p| p.starts_with(dir.path())));
    }

    #[cfg(unix)]
    #[test]
    fn a_replaced_file_keeps_its_mode() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.txt");
        std::fs::write(&target, "old").unwrap();
        std::fs::set_permissions(&target, Permissions::from_mode(0o664)).unwrap();
        let mut file = AtomicFile::create(&target).unwrap();
        file.write_all(b"new").unwrap();
        file.commit().unwrap();
        assert_eq!(mode(&target), 0o664);
        assert_eq!(std::fs::read(&target).unwrap(), b"new");
    }

    #[cfg(unix)]
    #[test]
    fn a_named_temporary_is_registered_until_commit_or_drop() {
        let dir = tempfile::tempdir().unwrap();
        let (file, path) = named_file(dir.path()).unwrap();
        drop(file);
        assert!(pending_temporary_files().contains(&path));
        let atomic = AtomicFile {
            target: dir.path().join("t"),
            file: Sink::Named {
                file: io::BufWriter::new(File::create(&path).unwrap()),
                path: path.clone(),
            },
        };
        drop(atomic);
        assert!(!pending_temporary_files().contains(&path));
        assert!(!path.exists());
        // A new file's mode is what the umask leaves of 0666: never more than 0666, and
        // readable by the owner.
        let (_, path) = named_file(dir.path()).unwrap();
        assert_eq!(mode(&path) & !0o666, 0);
        assert_eq!(mode(&path) & 0o600, 0o600);
        lock_pending().retain(|p| p != &path);
    }
}
