//! Operations on paths: remove, rename, create a directory, stat — one ring request each
//! (`unlinkat`, `renameat`, `mkdirat`, `statx`).

use super::file::c_path;
use super::Metadata;
use crate::driver::{DefaultDriver, Drive};
use crate::event::events::{Mkdirat, Renameat, Statx, Unlinkat};
use crate::event::{Event, Submission};
use std::io;
use std::path::Path;

/// Runs one event and turns its result into `()`.
async fn run<E: Event, D: Drive>(event: E, driver: D) -> io::Result<()> {
    let (_, res) = Submission::new(event, driver).await;
    res.map(drop).map_err(io::Error::from)
}

async fn unlink<D: Drive>(path: &Path, flags: i32, driver: D) -> io::Result<()> {
    let path = c_path(path)?;
    let dirfd = libc::AT_FDCWD;
    run(Unlinkat { dirfd, path, flags }, driver).await
}

/// Removes the file (or symbolic link) at `path`, on [`DefaultDriver::current`] — the ring
/// version of [`std::fs::remove_file`].
///
/// # Example
///
/// ```
/// let path = std::env::temp_dir().join(format!("ringcore-doc-rm-{}", std::process::id()));
/// std::fs::write(&path, b"x")?;
/// futures::executor::block_on(ringcore::fs::remove_file(&path))?;
/// assert!(!path.exists());
/// # Ok::<(), std::io::Error>(())
/// ```
///
/// # Errors
/// The kernel's error from `unlinkat` (`NotFound`, `IsADirectory` for a directory,
/// `PermissionDenied` ...); `InvalidInput` for a path with a NUL byte; the driver's error if
/// it cannot start.
pub async fn remove_file(path: impl AsRef<Path>) -> io::Result<()> {
    remove_file_on(path, DefaultDriver::current()?).await
}

/// [`remove_file`] on `driver`.
///
/// # Errors
/// As [`remove_file`].
pub async fn remove_file_on<D: Drive>(path: impl AsRef<Path>, driver: D) -> io::Result<()> {
    unlink(path.as_ref(), 0, driver).await
}

/// Removes the empty directory at `path`, on [`DefaultDriver::current`] — the ring version of
/// [`std::fs::remove_dir`].
///
/// # Errors
/// The kernel's error from `unlinkat(AT_REMOVEDIR)` (`NotFound`, `DirectoryNotEmpty`,
/// `NotADirectory` ...); `InvalidInput` for a path with a NUL byte; the driver's error if it
/// cannot start.
pub async fn remove_dir(path: impl AsRef<Path>) -> io::Result<()> {
    remove_dir_on(path, DefaultDriver::current()?).await
}

/// [`remove_dir`] on `driver`.
///
/// # Errors
/// As [`remove_dir`].
pub async fn remove_dir_on<D: Drive>(path: impl AsRef<Path>, driver: D) -> io::Result<()> {
    unlink(path.as_ref(), libc::AT_REMOVEDIR, driver).await
}

/// Renames `from` to `to`, replacing `to` if it exists (as `rename(2)`), on
/// [`DefaultDriver::current`] — the ring version of [`std::fs::rename`].
///
/// # Example
///
/// ```
/// let dir = std::env::temp_dir();
/// let from = dir.join(format!("ringcore-doc-mv-a-{}", std::process::id()));
/// let to = dir.join(format!("ringcore-doc-mv-b-{}", std::process::id()));
/// std::fs::write(&from, b"moved")?;
/// futures::executor::block_on(ringcore::fs::rename(&from, &to))?;
/// assert_eq!(std::fs::read(&to)?, b"moved");
/// assert!(!from.exists());
/// # std::fs::remove_file(&to)?;
/// # Ok::<(), std::io::Error>(())
/// ```
///
/// # Errors
/// The kernel's error from `renameat` (`NotFound`, `CrossesDevices`, `IsADirectory` ...);
/// `InvalidInput` for a path with a NUL byte; the driver's error if it cannot start.
pub async fn rename(from: impl AsRef<Path>, to: impl AsRef<Path>) -> io::Result<()> {
    rename_on(from, to, DefaultDriver::current()?).await
}

/// [`rename`] on `driver`.
///
/// # Errors
/// As [`rename`].
pub async fn rename_on<D: Drive>(
    from: impl AsRef<Path>,
    to: impl AsRef<Path>,
    driver: D,
) -> io::Result<()> {
    let rename = Renameat {
        old_dirfd: libc::AT_FDCWD,
        old_path: c_path(from.as_ref())?,
        new_dirfd: libc::AT_FDCWD,
        new_path: c_path(to.as_ref())?,
        flags: 0,
    };
    run(rename, driver).await
}

/// Creates the directory `path` (mode `0o777` before the umask; its parent must exist), on
/// [`DefaultDriver::current`] — the ring version of [`std::fs::create_dir`].
///
/// # Example
///
/// ```
/// let dir = std::env::temp_dir().join(format!("ringcore-doc-mkdir-{}", std::process::id()));
/// futures::executor::block_on(async {
///     ringcore::fs::create_dir(&dir).await?;
///     assert!(ringcore::fs::metadata(&dir).await?.is_dir());
///     ringcore::fs::remove_dir(&dir).await
/// })?;
/// # Ok::<(), std::io::Error>(())
/// ```
///
/// # Errors
/// The kernel's error from `mkdirat` (`AlreadyExists`, `NotFound` for a missing parent ...);
/// `InvalidInput` for a path with a NUL byte; the driver's error if it cannot start.
pub async fn create_dir(path: impl AsRef<Path>) -> io::Result<()> {
    create_dir_on(path, DefaultDriver::current()?).await
}

/// [`create_dir`] on `driver`.
///
/// # Errors
/// As [`create_dir`].
pub async fn create_dir_on<D: Drive>(path: impl AsRef<Path>, driver: D) -> io::Result<()> {
    let path = c_path(path.as_ref())?;
    let dirfd = libc::AT_FDCWD;
    run(
        Mkdirat {
            dirfd,
            path,
            mode: 0o777,
        },
        driver,
    )
    .await
}

async fn stat<D: Drive>(path: &Path, flags: i32, driver: D) -> io::Result<Metadata> {
    let statx = Statx::new(
        libc::AT_FDCWD,
        c_path(path)?,
        flags,
        libc::STATX_BASIC_STATS,
    );
    let (statx, res) = Submission::new(statx, driver).await;
    res?;
    Ok(Metadata::new(*statx.stat()))
}

/// The metadata of the file at `path`, following symbolic links, on
/// [`DefaultDriver::current`] — the ring version of [`std::fs::metadata`].
///
/// # Example
///
/// ```
/// let meta = futures::executor::block_on(ringcore::fs::metadata("Cargo.toml"))?;
/// assert!(meta.is_file());
/// assert_eq!(meta.len(), std::fs::metadata("Cargo.toml")?.len());
/// # Ok::<(), std::io::Error>(())
/// ```
///
/// # Errors
/// The kernel's error from `statx` (`NotFound`, `PermissionDenied` ...); `InvalidInput` for a
/// path with a NUL byte; the driver's error if it cannot start.
pub async fn metadata(path: impl AsRef<Path>) -> io::Result<Metadata> {
    metadata_on(path, DefaultDriver::current()?).await
}

/// [`metadata`] on `driver`.
///
/// # Errors
/// As [`metadata`].
pub async fn metadata_on<D: Drive>(path: impl AsRef<Path>, driver: D) -> io::Result<Metadata> {
    stat(path.as_ref(), 0, driver).await
}

/// The metadata of `path` itself, not following a symbolic link, on
/// [`DefaultDriver::current`] — the ring version of [`std::fs::symlink_metadata`].
///
/// # Errors
/// As [`metadata`].
pub async fn symlink_metadata(path: impl AsRef<Path>) -> io::Result<Metadata> {
    symlink_metadata_on(path, DefaultDriver::current()?).await
}

/// [`symlink_metadata`] on `driver`.
///
/// # Errors
/// As [`metadata`].
pub async fn symlink_metadata_on<D: Drive>(
    path: impl AsRef<Path>,
    driver: D,
) -> io::Result<Metadata> {
    stat(path.as_ref(), libc::AT_SYMLINK_NOFOLLOW, driver).await
}
