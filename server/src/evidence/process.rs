//! Pure processing of one uploaded photo: no I/O, CPU-bound (callers run it on the blocking pool).

use std::io::Cursor;

use image::{DynamicImage, ImageFormat, ImageReader, RgbImage};
use sha2::{Digest, Sha256};

use crate::config::PhotoSettings;
use crate::domain::photo::{read_exif, ExifFacts};
use crate::domain::ValidationError;

/// A checked and processed photo, ready to store.
#[derive(Debug)]
pub struct Processed {
    pub content_type: &'static str,
    pub extension: &'static str,
    pub sha256: String,
    pub phash: u64,
    /// The hashes of its crop windows (`domain::photo::CROP_WINDOWS`).
    pub crop_hashes: Vec<u64>,
    /// After orientation.
    pub width: u32,
    pub height: u32,
    pub exif: ExifFacts,
    pub display: Vec<u8>,
    pub thumbnail: Vec<u8>,
}

/// What `process` accepts.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_bytes: usize,
    pub max_pixels: u64,
    pub display_px: u32,
    pub thumbnail_px: u32,
}

impl From<&PhotoSettings> for Limits {
    fn from(s: &PhotoSettings) -> Self {
        Self {
            max_bytes: s.max_bytes,
            max_pixels: u64::from(s.max_megapixels) * 1_000_000,
            display_px: s.display_px,
            thumbnail_px: s.thumbnail_px,
        }
    }
}

/// Checks that `bytes` is an accepted image within the limits and derives everything stored with it. Errors
/// name the field `file` and say why in words for the shopper.
///
/// Photo times without an offset are read in `zone`, the venue's time zone.
pub fn process(bytes: &[u8], limits: Limits, zone: chrono_tz::Tz) -> Result<Processed, ValidationError> {
    let refuse = |why: crate::domain::Msg| ValidationError::new("file", why);
    if bytes.is_empty() {
        return Err(refuse(crate::msg!("file-empty")));
    }
    if bytes.len() > limits.max_bytes {
        return Err(refuse(crate::msg!(
            "photo-too-big",
            size_mb = (bytes.len() as f64 / 104_857.6).round() / 10.0,
            max_mb = (limits.max_bytes as f64 / 1_048_576.0).round()
        )));
    }
    let (format, content_type, extension) = match image::guess_format(bytes) {
        Ok(ImageFormat::Jpeg) => (ImageFormat::Jpeg, "image/jpeg", "jpg"),
        Ok(ImageFormat::Png) => (ImageFormat::Png, "image/png", "png"),
        Ok(ImageFormat::WebP) => (ImageFormat::WebP, "image/webp", "webp"),
        _ if is_heif(bytes) => return process_heif(bytes, limits, zone),
        _ => return Err(refuse(crate::msg!("photo-not-image"))),
    };
    // Dimensions from the header first: a decompression bomb is refused before any pixel is decoded.
    let (w, h) = ImageReader::with_format(Cursor::new(bytes), format)
        .into_dimensions()
        .map_err(|e| refuse(crate::msg!("photo-unreadable", detail = e.to_string())))?;
    within_pixels((w, h), limits)?;
    // The JPEG decoder fills a cut-off file with grey rather than failing: check for the end marker.
    if format == ImageFormat::Jpeg && !jpeg_is_complete(bytes) {
        return Err(refuse(crate::msg!("photo-truncated")));
    }
    let exif = read_exif(bytes, zone);
    let orientation = image::metadata::Orientation::from_exif(exif.orientation as u8)
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    // Decoded at the smallest size that still covers the display copy (libjpeg-turbo scales in the DCT), then
    // scaled and turned upright at display size, which is far cheaper than turning 12 megapixels.
    let decoded = decode(bytes, format, (w, h), limits)?;
    derive(
        bytes,
        (content_type, extension),
        decoded,
        (w, h),
        orientation,
        exif,
        limits,
    )
}

/// Everything stored with a decoded photo: the upright display copy and thumbnail, hashes and facts.
fn derive(
    bytes: &[u8],
    (content_type, extension): (&'static str, &'static str),
    decoded: RgbImage,
    (w, h): (u32, u32),
    orientation: image::metadata::Orientation,
    exif: ExifFacts,
    limits: Limits,
) -> Result<Processed, ValidationError> {
    let display = orient(fit(&decoded, limits.display_px), orientation);
    drop(decoded);
    let thumbnail = fit(&display, limits.thumbnail_px);
    let phash = perceptual_hash(&thumbnail);
    let crop_hashes = crop_hashes(&thumbnail);
    let (width, height) = if swaps_sides(orientation) { (h, w) } else { (w, h) };
    Ok(Processed {
        content_type,
        extension,
        sha256: hex::encode(Sha256::digest(bytes)),
        phash,
        crop_hashes,
        width,
        height,
        exif,
        display: encode_jpeg(&display, 82)?,
        thumbnail: encode_jpeg(&thumbnail, 78)?,
    })
}

/// Refuses a picture with more pixels than the limit (read from its header: before any pixel is decoded).
fn within_pixels((w, h): (u32, u32), limits: Limits) -> Result<(), ValidationError> {
    if u64::from(w) * u64::from(h) > limits.max_pixels {
        return Err(ValidationError::new(
            "file",
            crate::msg!(
                "photo-too-many-pixels",
                width = w,
                height = h,
                max = limits.max_pixels / 1_000_000
            ),
        ));
    }
    Ok(())
}

fn damaged(e: impl std::fmt::Display) -> ValidationError {
    ValidationError::new("file", crate::msg!("photo-damaged", detail = e.to_string()))
}

/// The picture as RGB, for JPEG at the smallest libjpeg scale (n/8) whose long side still reaches the display
/// size (with the `turbojpeg` feature); otherwise in full.
fn decode(bytes: &[u8], format: ImageFormat, (w, h): (u32, u32), limits: Limits) -> Result<RgbImage, ValidationError> {
    #[cfg(feature = "turbojpeg")]
    if format == ImageFormat::Jpeg {
        // TurboJPEG scales in the decoder when asked for a smaller size; 1/2, 1/4 and 1/8 keep its SIMD IDCT.
        let scaled = |side: u32, denom: u32| side.div_ceil(denom) as usize;
        let long = w.max(h);
        let denom = [8, 4, 2]
            .into_iter()
            .find(|d| long.div_ceil(*d) >= limits.display_px.min(long))
            .unwrap_or(1);
        let (sw, sh) = (scaled(w, denom), scaled(h, denom));
        let pixels = turbo_decode(bytes, sw, sh).map_err(damaged)?;
        return RgbImage::from_raw(sw as u32, sh as u32, pixels).ok_or_else(|| damaged("unexpected size"));
    }
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut decode_limits = image::Limits::default();
    decode_limits.max_image_width = Some(w);
    decode_limits.max_image_height = Some(h);
    decode_limits.max_alloc = Some(limits.max_pixels * 4 + 64 * 1024 * 1024);
    reader.limits(decode_limits);
    Ok(reader.decode().map_err(damaged)?.into_rgb8())
}

/// Decodes a JPEG to RGB at `width` × `height` (a scaled size: TurboJPEG scales in the IDCT), with the fast IDCT
/// and chroma upsampling (the result is only ever shown scaled down). The safe `turbojpeg` 0.5 API does not take
/// these flags, hence the raw call.
#[cfg(feature = "turbojpeg")]
fn turbo_decode(bytes: &[u8], width: usize, height: usize) -> Result<Vec<u8>, String> {
    use turbojpeg::raw;
    struct Handle(raw::tjhandle);
    impl Drop for Handle {
        fn drop(&mut self) {
            // SAFETY: the handle came from tjInitDecompress and is destroyed once.
            unsafe { raw::tjDestroy(self.0) };
        }
    }
    // SAFETY: no arguments; a null result is checked.
    let handle = Handle(unsafe { raw::tjInitDecompress() });
    if handle.0.is_null() {
        return Err("the JPEG decoder could not start".into());
    }
    let mut pixels = vec![0u8; 3 * width * height];
    let int = |n: usize| libc::c_int::try_from(n).map_err(|_| "the picture is too large".to_string());
    // SAFETY: `bytes` is a valid buffer of its length; `pixels` holds pitch × height bytes for RGB output.
    let result = unsafe {
        raw::tjDecompress2(
            handle.0,
            bytes.as_ptr(),
            bytes.len() as libc::c_ulong,
            pixels.as_mut_ptr(),
            int(width)?,
            int(3 * width)?,
            int(height)?,
            raw::TJPF_TJPF_RGB,
            (raw::TJFLAG_FASTDCT | raw::TJFLAG_FASTUPSAMPLE) as libc::c_int,
        )
    };
    if result != 0 {
        // SAFETY: TurboJPEG returns a NUL-terminated message owned by the handle.
        let message = unsafe { std::ffi::CStr::from_ptr(raw::tjGetErrorStr2(handle.0)) };
        return Err(message.to_string_lossy().into_owned());
    }
    Ok(pixels)
}

/// Orientations 5–8 turn the picture a quarter, so width and height swap.
fn swaps_sides(o: image::metadata::Orientation) -> bool {
    use image::metadata::Orientation::*;
    matches!(o, Rotate90 | Rotate270 | Rotate90FlipH | Rotate270FlipH)
}

fn orient(picture: RgbImage, o: image::metadata::Orientation) -> RgbImage {
    if o == image::metadata::Orientation::NoTransforms {
        return picture;
    }
    let mut dynamic = DynamicImage::ImageRgb8(picture);
    dynamic.apply_orientation(o);
    dynamic.into_rgb8()
}

/// Whether an end-of-image marker follows the last start-of-scan. In entropy-coded data a 0xFF byte is always
/// followed by 0x00 or a restart marker, so 0xFF 0xD9 there can only be the real end.
fn jpeg_is_complete(bytes: &[u8]) -> bool {
    let last_scan = bytes.windows(2).rposition(|w| w == [0xFF, 0xDA]);
    match last_scan {
        Some(at) => bytes[at..].windows(2).any(|w| w == [0xFF, 0xD9]),
        None => false,
    }
}

/// A HEIC/HEIF photo without libheif in this build: refused with the camera setting to change.
#[cfg(not(feature = "heic"))]
fn process_heif(_bytes: &[u8], _limits: Limits, _zone: chrono_tz::Tz) -> Result<Processed, ValidationError> {
    Err(ValidationError::new("file", crate::msg!("photo-heic")))
}

/// A HEIC/HEIF photo decoded with libheif (feature `heic`). libheif applies the container's rotation and
/// mirroring (`irot`, `imir`: where iPhones keep the orientation; HEIF readers ignore EXIF's Orientation), so the
/// picture comes out upright; EXIF is read from the container by kamadak-exif as for JPEG.
#[cfg(feature = "heic")]
fn process_heif(bytes: &[u8], limits: Limits, zone: chrono_tz::Tz) -> Result<Processed, ValidationError> {
    use libheif_rs::{ColorSpace, HeifContext, LibHeif, RgbChroma};
    // It has a HEIF brand, so a file libheif cannot read is a damaged or cut-off one.
    let context = HeifContext::read_from_bytes(bytes).map_err(damaged)?;
    let handle = context.primary_image_handle().map_err(damaged)?;
    // Dimensions from the container first, as for the other formats.
    let (w, h) = (handle.width(), handle.height());
    if w == 0 || h == 0 {
        return Err(damaged("no picture"));
    }
    within_pixels((w, h), limits)?;
    let image = LibHeif::new()
        .decode(&handle, ColorSpace::Rgb(RgbChroma::Rgb), None)
        .map_err(damaged)?;
    let planes = image.planes();
    let plane = planes.interleaved.ok_or_else(|| damaged("no RGB plane"))?;
    let (pw, ph) = (plane.width, plane.height);
    let row = pw as usize * 3;
    let mut pixels = Vec::with_capacity(row * ph as usize);
    for y in 0..ph as usize {
        let start = y * plane.stride;
        let line = plane
            .data
            .get(start..start + row)
            .ok_or_else(|| damaged("a short row"))?;
        pixels.extend_from_slice(line);
    }
    let decoded = RgbImage::from_raw(pw, ph, pixels).ok_or_else(|| damaged("unexpected size"))?;
    let exif = read_exif(bytes, zone);
    derive(
        bytes,
        ("image/heic", "heic"),
        decoded,
        (pw, ph),
        image::metadata::Orientation::NoTransforms,
        exif,
        limits,
    )
}

/// ISO BMFF with a HEIF brand (`ftypheic`, `ftypmif1`, …).
fn is_heif(bytes: &[u8]) -> bool {
    bytes.len() >= 12
        && &bytes[4..8] == b"ftyp"
        && matches!(
            &bytes[8..12],
            b"heic" | b"heix" | b"hevc" | b"hevx" | b"mif1" | b"msf1" | b"avif"
        )
}

/// Scales down so the long side is at most `px` (never up), with `fast_image_resize` (SIMD, area-aware).
fn fit(picture: &RgbImage, px: u32) -> RgbImage {
    let (w, h) = picture.dimensions();
    let long = w.max(h);
    if long <= px {
        return picture.clone();
    }
    let scaled = |side: u32| ((u64::from(side) * u64::from(px) + u64::from(long) / 2) / u64::from(long)).max(1) as u32;
    let mut out = RgbImage::new(scaled(w), scaled(h));
    let options = fast_image_resize::ResizeOptions::new().resize_alg(fast_image_resize::ResizeAlg::Convolution(
        fast_image_resize::FilterType::Bilinear,
    ));
    fast_image_resize::Resizer::new()
        .resize(picture, &mut out, &options)
        .expect("RGB8 to RGB8 of non-zero size always resizes");
    out
}

/// JPEG without any metadata (the encoder writes none): what clients see.
fn encode_jpeg(picture: &RgbImage, quality: u8) -> Result<Vec<u8>, ValidationError> {
    let failed = |e: String| ValidationError::new("file", crate::msg!("photo-reencode-failed", detail = e));
    #[cfg(feature = "turbojpeg")]
    {
        let image = turbojpeg::Image {
            pixels: picture.as_raw().as_slice(),
            width: picture.width() as usize,
            pitch: 3 * picture.width() as usize,
            height: picture.height() as usize,
            format: turbojpeg::PixelFormat::RGB,
        };
        let mut compressor = turbojpeg::Compressor::new().map_err(|e| failed(e.to_string()))?;
        compressor.set_quality(i32::from(quality));
        compressor.set_subsamp(turbojpeg::Subsamp::Sub2x2);
        compressor.compress_to_vec(image).map_err(|e| failed(e.to_string()))
    }
    #[cfg(not(feature = "turbojpeg"))]
    {
        let mut out = Vec::new();
        jpeg_encoder::Encoder::new(&mut out, quality)
            .encode(
                picture.as_raw(),
                picture.width() as u16,
                picture.height() as u16,
                jpeg_encoder::ColorType::Rgb,
            )
            .map_err(|e| failed(e.to_string()))?;
        Ok(out)
    }
}

/// A 64-bit gradient hash (`image_hasher`): near-identical pictures differ in few bits, whatever their size
/// or compression.
/// The perceptual hashes of the upright picture's crop windows (`CROP_WINDOWS`), so a later crop of it is found.
pub fn crop_hashes(picture: &RgbImage) -> Vec<u64> {
    // A 9 × 8 gradient hash needs little detail: windows of a 128 px copy hash as well and far faster.
    let picture = &fit(picture, 128);
    let (w, h) = picture.dimensions();
    crate::domain::photo::CROP_WINDOWS
        .iter()
        .map(|&(size, (ax, ay))| {
            let (cw, ch) = (
                ((w as f32 * size).round() as u32).clamp(1, w),
                ((h as f32 * size).round() as u32).clamp(1, h),
            );
            let (x, y) = (
                ((w - cw) as f32 * ax).round() as u32,
                ((h - ch) as f32 * ay).round() as u32,
            );
            perceptual_hash(&image::imageops::crop_imm(picture, x, y, cw, ch).to_image())
        })
        .collect()
}

pub fn perceptual_hash(picture: &RgbImage) -> u64 {
    let hasher = image_hasher::HasherConfig::new()
        .hash_size(8, 8)
        .hash_alg(image_hasher::HashAlg::Gradient)
        .to_hasher();
    let hash = hasher.hash_image(picture);
    hash.as_bytes()
        .iter()
        .take(8)
        .fold(0u64, |acc, b| (acc << 8) | u64::from(*b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits() -> Limits {
        Limits {
            max_bytes: 20 * 1024 * 1024,
            max_pixels: 64_000_000,
            display_px: 1600,
            thumbnail_px: 512,
        }
    }

    fn photo(name: &str) -> Vec<u8> {
        std::fs::read(format!(
            "{}/../tests/fixtures/photos/{name}",
            std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_string())
        ))
        .unwrap()
    }

    #[test]
    fn a_rotated_phone_photo_is_upright_scaled_and_hashed() {
        let bytes = photo("Samsung_GT-I9000_Galaxy_S.jpg");
        let p = process(&bytes, limits(), chrono_tz::Europe::Kyiv).unwrap();
        // Stored 640 × 480 with Orientation 6 (rotate 90° clockwise): upright it is 480 × 640.
        assert_eq!((p.width, p.height), (480, 640));
        let display = image::load_from_memory(&p.display).unwrap();
        assert_eq!((display.width(), display.height()), (480, 640));
        let thumb = image::load_from_memory(&p.thumbnail).unwrap();
        assert_eq!(thumb.height(), 512);
        assert!(p.sha256.starts_with("3ad8b0790cdf55b3"), "{}", p.sha256);
        // No EXIF in what clients see.
        assert!(
            read_exif(&p.display, chrono_tz::Europe::Kyiv).lat.is_none()
                && !read_exif(&p.display, chrono_tz::Europe::Kyiv).present
        );
    }

    #[test]
    fn a_12_megapixel_photo_gets_a_1600_px_display_copy() {
        let p = process(&photo("Apple_iPhone_5.jpg"), limits(), chrono_tz::Europe::Kyiv).unwrap();
        assert_eq!((p.width, p.height), (3264, 2448));
        let display = image::load_from_memory(&p.display).unwrap();
        assert_eq!((display.width(), display.height()), (1600, 1200));
        assert!(p.sha256.starts_with("662e58cc178ebab6"));
    }

    #[test]
    fn a_resized_copy_hashes_near_the_original() {
        let original = process(&photo("DSCN0010.jpg"), limits(), chrono_tz::Europe::Kyiv).unwrap();
        let smaller = image::load_from_memory(&photo("DSCN0010.jpg")).unwrap().resize(
            320,
            320,
            image::imageops::FilterType::Triangle,
        );
        let copy = process(
            &encode_jpeg(&smaller.to_rgb8(), 60).unwrap(),
            limits(),
            chrono_tz::Europe::Kyiv,
        )
        .unwrap();
        assert_ne!(original.sha256, copy.sha256);
        let d = crate::domain::photo::hamming(original.phash, copy.phash);
        assert!(d <= crate::domain::photo::NEAR_DUPLICATE_DISTANCE, "distance {d}");
        let other = process(&photo("Nikon_D5000.jpg"), limits(), chrono_tz::Europe::Kyiv).unwrap();
        assert!(crate::domain::photo::hamming(original.phash, other.phash) > 12);
    }

    #[cfg(feature = "heic")]
    #[test]
    fn an_iphones_heic_is_decoded_upright_with_its_exif() {
        let p = process(&photo("IMG_5195.HEIC"), limits(), chrono_tz::Europe::Kyiv).unwrap();
        assert_eq!((p.content_type, p.extension), ("image/heic", "heic"));
        // Portrait: the container's rotation is applied (the coded picture is landscape).
        assert!(p.height > p.width, "{}x{}", p.width, p.height);
        assert_eq!((p.exif.lat, p.exif.lon), (Some(39.051344), Some(-94.288772)));
        assert_eq!(p.exif.offset.as_deref(), Some("-05:00"));
        assert_eq!(p.exif.model.as_deref(), Some("iPhone 11 Pro Max"));
        let display = image::load_from_memory(&p.display).unwrap();
        assert_eq!(display.height().max(display.width()), 1600);
        assert!(display.height() > display.width());
        // Not a blank: a real picture has detail.
        let grey = display.to_luma8();
        let (min, max) = grey
            .pixels()
            .fold((255u8, 0u8), |(lo, hi), px| (lo.min(px[0]), hi.max(px[0])));
        assert!(max - min > 100, "contrast {min}..{max}");
        // Too many pixels is refused before decoding, as for JPEG.
        let small = Limits {
            max_pixels: 1_000_000,
            ..limits()
        };
        assert!(process(&photo("IMG_5195.HEIC"), small, chrono_tz::Europe::Kyiv).is_err());
    }

    /// A window of `picture` (size as a share of each side, anchor as the share of the free margin).
    fn cut(picture: &RgbImage, size: f32, (ax, ay): (f32, f32)) -> RgbImage {
        let (w, h) = picture.dimensions();
        let (cw, ch) = ((w as f32 * size).round() as u32, (h as f32 * size).round() as u32);
        let (x, y) = (
            ((w - cw) as f32 * ax).round() as u32,
            ((h - ch) as f32 * ay).round() as u32,
        );
        image::imageops::crop_imm(picture, x, y, cw, ch).to_image()
    }

    #[test]
    fn copies_of_real_photos_are_near_and_other_photos_are_not() {
        use crate::domain::photo::{crop_distance, NEAR_DUPLICATE_DISTANCE};
        let names = [
            "DSCN0010.jpg",
            "Nikon_D5000.jpg",
            "Samsung_GT-I9000_Galaxy_S.jpg",
            "no_exif.jpg",
        ];
        let originals: Vec<Processed> = names
            .iter()
            .map(|n| process(&photo(n), limits(), chrono_tz::Europe::Kyiv).unwrap())
            .collect();
        for (name, original) in names.iter().zip(&originals) {
            let upright = image::load_from_memory(&original.display).unwrap().to_rgb8();
            let (w, h) = upright.dimensions();
            let mut copies: Vec<(String, RgbImage)> = Vec::new();
            for size in [0.95, 0.94, 0.92, 0.9, 0.88, 0.86, 0.85] {
                for anchor in [(0.5, 0.5), (0.0, 0.0), (1.0, 0.0), (0.0, 1.0), (1.0, 1.0)] {
                    copies.push((format!("crop {size} at {anchor:?}"), cut(&upright, size, anchor)));
                }
            }
            for share in [0.7, 0.8, 0.9] {
                let (cw, ch) = ((w as f32 * share) as u32, (h as f32 * share) as u32);
                copies.push((
                    format!("resized {share}"),
                    image::imageops::resize(&upright, cw, ch, image::imageops::FilterType::Triangle),
                ));
            }
            for change in [-31, 31] {
                // ±12 % of the 0–255 range.
                copies.push((
                    format!("brightness {change}"),
                    image::imageops::colorops::brighten(&upright, change),
                ));
            }
            for (i, (what, picture)) in copies.into_iter().enumerate() {
                // Re-compressed at q60 or q75, then hashed as the server hashes an upload (upright thumbnail).
                let quality = [60, 75][i % 2];
                let copy = image::load_from_memory(&encode_jpeg(&picture, quality).unwrap())
                    .unwrap()
                    .to_rgb8();
                let thumbnail = fit(&copy, limits().thumbnail_px);
                let (hash, windows) = (perceptual_hash(&thumbnail), crop_hashes(&thumbnail));
                let d = crop_distance(hash, &windows, original.phash, &original.crop_hashes);
                assert!(d <= NEAR_DUPLICATE_DISTANCE, "{name}: {what}, q{quality}: distance {d}");
            }
        }
        for (i, a) in originals.iter().enumerate() {
            for b in &originals[i + 1..] {
                let d = crop_distance(a.phash, &a.crop_hashes, b.phash, &b.crop_hashes);
                assert!(d > 2 * NEAR_DUPLICATE_DISTANCE, "distinct photos at distance {d}");
            }
        }
    }

    #[test]
    fn bad_files_are_refused_with_a_reason() {
        let why = |bytes: &[u8], l: Limits| {
            let m = process(bytes, l, chrono_tz::Europe::Kyiv).unwrap_err().message;
            crate::i18n::render(crate::domain::Language::En, &m)
        };
        assert!(why(b"", limits()).contains("empty"));
        assert!(why(b"hello, this is text", limits()).contains("not a JPEG, PNG or WebP"));
        #[cfg(not(feature = "heic"))]
        assert!(why(&photo("IMG_5195.HEIC"), limits()).contains("HEIC"));
        #[cfg(feature = "heic")]
        {
            let heic = photo("IMG_5195.HEIC");
            assert!(why(&heic[..heic.len() / 2], limits()).contains("damaged or incomplete"));
        }
        let jpeg = photo("Nexus_4.jpg");
        assert!(why(&jpeg[..jpeg.len() / 3], limits()).contains("damaged or incomplete"));
        assert!(why(
            &jpeg,
            Limits {
                max_bytes: 1_000_000,
                ..limits()
            }
        )
        .contains("at most 1 MB"));
        assert!(why(
            &jpeg,
            Limits {
                max_pixels: 2_000_000,
                ..limits()
            }
        )
        .contains("2448 × 3264"));
    }

    #[test]
    fn a_huge_png_is_refused_before_decoding() {
        // A 30,000 × 30,000 PNG header (900 megapixels, correct CRC) over a 1-pixel body.
        let mut png = Vec::new();
        let encoder = image::codecs::png::PngEncoder::new(&mut png);
        image::ImageEncoder::write_image(encoder, &[0u8; 3], 1, 1, image::ExtendedColorType::Rgb8).unwrap();
        png[16..20].copy_from_slice(&30_000u32.to_be_bytes());
        png[20..24].copy_from_slice(&30_000u32.to_be_bytes());
        let crc = crc32fast::hash(&png[12..29]);
        png[29..33].copy_from_slice(&crc.to_be_bytes());
        let err = process(&png, limits(), chrono_tz::Europe::Kyiv).unwrap_err().message;
        let err = crate::i18n::render(crate::domain::Language::En, &err);
        assert!(err.contains("30000 × 30000 pixels"), "{err}");
    }
}
