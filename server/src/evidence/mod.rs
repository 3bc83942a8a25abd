//! Photo evidence: checking and processing an uploaded file (format, pixel limits, EXIF, orientation, display copy,
//! thumbnail, perceptual hash, SHA-256) in [`process`](process::process), and storing the three files through
//! `object_store` with signed, expiring links in [`Storage`].
//!
//! `process` is CPU-bound and does no I/O (callers run it on the blocking pool); `Storage` does the I/O.

mod process;
mod storage;

pub use process::{perceptual_hash, process, Limits, Processed};
pub use storage::Storage;
