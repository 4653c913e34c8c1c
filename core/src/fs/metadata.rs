//! [`Metadata`]: what `statx` says about a file.

use std::time::{Duration, SystemTime};

/// A file's `statx` record.
#[derive(Clone, Copy)]
pub struct Metadata {
    stat: libc::statx,
}

impl core::fmt::Debug for Metadata {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Metadata")
            .field("len", &self.len())
            .field("mode", &format_args!("{:o}", self.mode()))
            .finish_non_exhaustive()
    }
}

impl Metadata {
    pub(crate) fn new(stat: libc::statx) -> Metadata {
        Metadata { stat }
    }

    /// Size in bytes.
    pub fn len(&self) -> u64 {
        self.stat.stx_size
    }

    /// True for an empty file.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The file type and permission bits (`st_mode`).
    pub fn mode(&self) -> u32 {
        u32::from(self.stat.stx_mode)
    }

    /// True for a regular file.
    pub fn is_file(&self) -> bool {
        self.mode() & libc::S_IFMT == libc::S_IFREG
    }

    /// True for a directory.
    pub fn is_dir(&self) -> bool {
        self.mode() & libc::S_IFMT == libc::S_IFDIR
    }

    /// True for a symbolic link (only [`symlink_metadata`](super::symlink_metadata) reports
    /// one; the others follow links).
    pub fn is_symlink(&self) -> bool {
        self.mode() & libc::S_IFMT == libc::S_IFLNK
    }

    /// Last modification time (`None` if before the epoch).
    pub fn modified(&self) -> Option<SystemTime> {
        let t = self.stat.stx_mtime;
        let secs = u64::try_from(t.tv_sec).ok()?;
        SystemTime::UNIX_EPOCH.checked_add(Duration::new(secs, t.tv_nsec))
    }

    /// The whole record.
    pub fn statx(&self) -> &libc::statx {
        &self.stat
    }
}
