//! The checkpoint next to the input: the last line up to which every row is done, so an interrupted import goes on after it.
//!
//! Idempotence already makes a rerun from the top correct (rows already written come back as
//! already there); the checkpoint only saves the time of going over them again. It names the
//! file's size and modification time, so a changed file is read from the top.

use serde::{Deserialize, Serialize};
use std::io;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

/// Where an import stopped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkpoint {
    pub version: u32,
    /// The input's size and modification time when the checkpoint was written.
    pub file_len: u64,
    pub file_modified_ns: u64,
    pub format: String,
    /// Every row up to this line (1-based) is done: written, already there, or rejected.
    pub line: u64,
    /// The byte offset where line `line + 1` starts.
    pub offset: u64,
}

/// The input file's identity as far as the checkpoint cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fingerprint {
    pub len: u64,
    pub modified_ns: u64,
}

impl Fingerprint {
    pub fn of(metadata: &std::fs::Metadata) -> Self {
        let modified_ns = metadata
            .modified()
            .ok()
            .and_then(|at| at.duration_since(UNIX_EPOCH).ok())
            .map(|d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX))
            .unwrap_or(0);
        Self {
            len: metadata.len(),
            modified_ns,
        }
    }
}

impl Checkpoint {
    pub fn new(fingerprint: Fingerprint, format: &str, line: u64, offset: u64) -> Self {
        Self {
            version: 1,
            file_len: fingerprint.len,
            file_modified_ns: fingerprint.modified_ns,
            format: format.to_string(),
            line,
            offset,
        }
    }

    /// Whether this checkpoint was written for this very file and format.
    pub fn fits(&self, fingerprint: Fingerprint, format: &str) -> bool {
        self.version == 1
            && self.file_len == fingerprint.len
            && self.file_modified_ns == fingerprint.modified_ns
            && self.format == format
            && self.offset <= fingerprint.len
    }
}

/// `people.csv` keeps its checkpoint in `people.csv.checkpoint`.
pub fn path_for(input: &Path) -> PathBuf {
    let mut name = input.as_os_str().to_owned();
    name.push(".checkpoint");
    PathBuf::from(name)
}

/// The checkpoint at `path`; `None` when there is none or it cannot be understood.
pub fn load(path: &Path) -> io::Result<Option<Checkpoint>> {
    match std::fs::read(path) {
        Ok(bytes) => Ok(serde_json::from_slice(&bytes).ok()),
        Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(err) => Err(err),
    }
}

/// Writes the checkpoint atomically: a crash leaves the old one or the new one, never half.
pub fn save(path: &Path, checkpoint: &Checkpoint) -> io::Result<()> {
    let mut temporary = path.as_os_str().to_owned();
    temporary.push(".tmp");
    let temporary = PathBuf::from(temporary);
    let text = serde_json::to_vec_pretty(checkpoint).map_err(io::Error::other)?;
    std::fs::write(&temporary, text)?;
    std::fs::rename(&temporary, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_checkpoint_fits_only_its_file() {
        let dir = std::env::temp_dir().join(format!("keys-admin-cp-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let input = dir.join("people.csv");
        let path = path_for(&input);
        assert_eq!(path, dir.join("people.csv.checkpoint"));
        let print = Fingerprint {
            len: 1000,
            modified_ns: 7,
        };
        let checkpoint = Checkpoint::new(print, "csv", 12, 640);
        save(&path, &checkpoint).expect("save");
        let loaded = load(&path).expect("load").expect("there");
        assert_eq!(loaded, checkpoint);
        assert!(loaded.fits(print, "csv"));
        assert!(!loaded.fits(print, "jsonl"));
        assert!(!loaded.fits(Fingerprint { len: 1001, ..print }, "csv"));
        std::fs::remove_file(&path).expect("remove");
        assert_eq!(load(&path).expect("load"), None);
        std::fs::remove_dir_all(&dir).expect("clean");
    }
}
