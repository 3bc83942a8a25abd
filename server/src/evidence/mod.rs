//! Photo evidence: checking and processing an uploaded file (format, pixel limits, EXIF, orientation, display copy,
//! thumbnail, perceptual hash, SHA-256) in [`process`](process::process), and storing the three files through
//! `object_store` with signed, expiring links in [`Storage`].
//!
//! `process` is CPU-bound and does no I/O (callers run it on the blocking pool); `Storage` does the I/O.

mod process;
mod storage;

pub use process::{perceptual_hash, process, Limits, Processed};

/// The photo types this build reads, as content types: HEIC/HEIF only with the `heic` feature (libheif).
pub fn photo_types() -> &'static [&'static str] {
    if cfg!(feature = "heic") {
        &["image/jpeg", "image/png", "image/webp", "image/heic"]
    } else {
        &["image/jpeg", "image/png", "image/webp"]
    }
}
pub use storage::Storage;
