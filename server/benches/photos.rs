//! Benchmark: processing one 12-megapixel phone JPEG (validate, EXIF, orientation, display copy, thumbnail,
//! perceptual hash, SHA-256) against libvips' `vipsthumbnail` making the thumbnail alone, side by side in one run
//! over the same 20 photos, each tool in one process. CPU time (user + system) per photo is compared.
//!
//! `cargo bench -p fieldwork-server --bench photos [--features turbojpeg]` (needs `vipsthumbnail`: Debian package
//! `libvips-tools`; the feature needs `libturbojpeg0-dev`).
//!
//! The 20 photos are made from the real phone photos in `tests/fixtures/photos` (iPhone 5, iPhone 6, Nexus 4,
//! Nokia 8.3): each is scaled to cover 4000 × 3000 (12 MP), cropped at five different places, saved as a JPEG of
//! quality 92, and given back its original EXIF block, so they are 12 MP phone JPEGs with real EXIF.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use fieldwork::evidence::{process, Limits};

fn cpu_seconds(who: i32) -> f64 {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: getrusage fills the struct it is given.
    let usage = unsafe {
        libc::getrusage(who, usage.as_mut_ptr());
        usage.assume_init()
    };
    let t = |tv: libc::timeval| tv.tv_sec as f64 + tv.tv_usec as f64 / 1e6;
    t(usage.ru_utime) + t(usage.ru_stime)
}

/// The APP1 (EXIF) segment of a JPEG, with its marker.
fn exif_segment(jpeg: &[u8]) -> Option<Vec<u8>> {
    let mut i = 2;
    while i + 4 <= jpeg.len() && jpeg[i] == 0xFF {
        let marker = jpeg[i + 1];
        let len = u16::from_be_bytes([jpeg[i + 2], jpeg[i + 3]]) as usize;
        if marker == 0xE1 && jpeg[i + 4..].starts_with(b"Exif\0\0") {
            return Some(jpeg[i..i + 2 + len].to_vec());
        }
        if marker == 0xDA {
            break;
        }
        i += 2 + len;
    }
    None
}

fn make_photos(dir: &Path) -> Vec<PathBuf> {
    let sources = [
        "Apple_iPhone_5.jpg",
        "iphone_hdr_NO.jpg",
        "Nexus_4.jpg",
        "HMD_Nokia_8.3_5G.jpg",
    ];
    let mut paths = Vec::new();
    for name in sources {
        let path = format!(
            "{}/../tests/fixtures/photos/{name}",
            std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_string())
        );
        let original = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let exif = exif_segment(&original);
        let picture = image::load_from_memory(&original).unwrap();
        let (w, h) = (4000u32, 3000u32);
        let scale = (w as f64 / picture.width() as f64).max(h as f64 / picture.height() as f64) * 1.15;
        let big = picture.resize_exact(
            (picture.width() as f64 * scale).ceil() as u32,
            (picture.height() as f64 * scale).ceil() as u32,
            image::imageops::FilterType::Triangle,
        );
        for k in 0..5u32 {
            let x = (big.width() - w) * k / 4;
            let y = (big.height() - h) * (4 - k) / 4;
            let crop = big.crop_imm(x, y, w, h).to_rgb8();
            let mut jpeg = Vec::new();
            image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 92)
                .encode_image(&crop)
                .unwrap();
            if let Some(segment) = &exif {
                jpeg.splice(2..2, segment.iter().copied());
            }
            let out = dir.join(format!("{}_{k}.jpg", name.trim_end_matches(".jpg")));
            std::fs::write(&out, jpeg).unwrap();
            paths.push(out);
        }
    }
    paths
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let photos = make_photos(dir.path());
    let n = photos.len() as f64;
    let mbytes: f64 = photos
        .iter()
        .map(|p| std::fs::metadata(p).unwrap().len() as f64)
        .sum::<f64>()
        / n
        / 1e6;

    // vipsthumbnail: one process over all 20 (its default thread pool; CPU time counts every thread).
    let out_dir = dir.path().join("vips");
    std::fs::create_dir_all(&out_dir).unwrap();
    let before = cpu_seconds(libc::RUSAGE_CHILDREN);
    let started = Instant::now();
    let status = Command::new("vipsthumbnail")
        .arg("--size")
        .arg("512")
        .arg("-o")
        .arg(format!("{}/%s_tn.jpg", out_dir.display()))
        .args(&photos)
        .status()
        .expect("vipsthumbnail runs (Debian package libvips-tools)");
    assert!(status.success());
    let vips_wall = started.elapsed().as_secs_f64();
    let vips_cpu = cpu_seconds(libc::RUSAGE_CHILDREN) - before;

    // Ours: the whole pipeline, in this process, one photo after another on one thread.
    let limits = Limits {
        max_bytes: 50 * 1024 * 1024,
        max_pixels: 64_000_000,
        display_px: 1600,
        thumbnail_px: 512,
    };
    let inputs: Vec<Vec<u8>> = photos.iter().map(|p| std::fs::read(p).unwrap()).collect();
    // One warm-up photo (page faults of the first allocations), not counted.
    process(&inputs[0], limits, chrono_tz::Europe::Kyiv).unwrap();
    let before = cpu_seconds(libc::RUSAGE_SELF);
    let started = Instant::now();
    for bytes in &inputs {
        let p = process(bytes, limits, chrono_tz::Europe::Kyiv).unwrap();
        assert!(p.exif.present && !p.display.is_empty() && !p.thumbnail.is_empty());
    }
    let ours_wall = started.elapsed().as_secs_f64();
    let ours_cpu = cpu_seconds(libc::RUSAGE_SELF) - before;

    println!("20 photos, 4000 × 3000 (12 MP), mean {mbytes:.1} MB, real EXIF");
    println!();
    println!("| tool | work per photo | CPU ms per photo | wall ms per photo |");
    println!("|---|---|---|---|");
    println!(
        "| vipsthumbnail {} | 512 px thumbnail | {:.0} | {:.0} |",
        String::from_utf8_lossy(
            &Command::new("vipsthumbnail")
                .arg("--vips-version")
                .output()
                .map(|o| o.stdout)
                .unwrap_or_default()
        )
        .trim(),
        vips_cpu * 1000.0 / n,
        vips_wall * 1000.0 / n
    );
    println!(
        "| fieldwork `evidence::process` ({}) | validate, EXIF, orientation, 1600 px display JPEG, 512 px thumbnail JPEG, perceptual hash, SHA-256 | {:.0} | {:.0} |",
        if cfg!(feature = "turbojpeg") {
            "libjpeg-turbo, feature `turbojpeg`"
        } else {
            "pure Rust: zune-jpeg, jpeg-encoder"
        },
        ours_cpu * 1000.0 / n,
        ours_wall * 1000.0 / n
    );
    println!();
    println!("ratio (ours / vipsthumbnail, CPU): {:.2}", ours_cpu / vips_cpu);
}
