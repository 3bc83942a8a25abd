//! The QR code of a link (SVG and PNG, from the `qrcode` crate) and a printable A4 poster (SVG): the center's
//! name, the code, one line of instructions in Ukrainian and English, and the link typed out for people without
//! a QR reader. Browsers print the SVG at A4 as it is sized in millimetres.

use qrcode::{Color, EcLevel, QrCode};

use crate::error::{AppError, AppResult};

fn code(link: &str) -> AppResult<QrCode> {
    // Level M: survives a scuffed or partly covered poster, and stays small enough to scan from a metre.
    QrCode::with_error_correction_level(link.as_bytes(), EcLevel::M)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("QR code: {e}")))
}

/// The code as a standalone SVG (dark modules on white, a quiet zone of four modules).
pub fn qr_svg(link: &str) -> AppResult<String> {
    Ok(code(link)?
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(256, 256)
        .quiet_zone(true)
        .build())
}

/// The code as a PNG, `scale` pixels per module.
pub fn qr_png(link: &str, scale: u32) -> AppResult<Vec<u8>> {
    let image = code(link)?
        .render::<image::Luma<u8>>()
        .module_dimensions(scale.max(1), scale.max(1))
        .quiet_zone(true)
        .build();
    let mut out = std::io::Cursor::new(Vec::new());
    image
        .write_to(&mut out, image::ImageFormat::Png)
        .map_err(|e| AppError::Internal(e.into()))?;
    Ok(out.into_inner())
}

/// The modules as one SVG path in a `size`-unit square starting at (`x`, `y`).
fn modules_path(code: &QrCode, x: f64, y: f64, size: f64) -> String {
    let width = code.width();
    let quiet = 4;
    let unit = size / (width + 2 * quiet) as f64;
    let mut path = String::new();
    for (i, color) in code.to_colors().iter().enumerate() {
        if *color == Color::Dark {
            let (cx, cy) = ((i % width + quiet) as f64, (i / width + quiet) as f64);
            path.push_str(&format!(
                "M{:.3} {:.3}h{u:.3}v{u:.3}h-{u:.3}z",
                x + cx * unit,
                y + cy * unit,
                u = unit
            ));
        }
    }
    path
}

fn xml(text: &str) -> std::borrow::Cow<'_, str> {
    quick_xml::escape::escape(text)
}

/// Splits a long name into lines of at most `width` characters, at spaces.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= width => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    lines
}

/// What a poster file is: SVG (browsers print it at A4) or PDF (text embedded).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PosterFormat {
    Svg,
    Pdf,
}

impl PosterFormat {
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "svg" => Some(PosterFormat::Svg),
            "pdf" => Some(PosterFormat::Pdf),
            _ => None,
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            PosterFormat::Svg => "svg",
            PosterFormat::Pdf => "pdf",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            PosterFormat::Svg => "image/svg+xml",
            PosterFormat::Pdf => "application/pdf",
        }
    }

    /// One center's poster in this format.
    pub fn poster(self, center: &str, address: &str, link: &str) -> AppResult<Vec<u8>> {
        match self {
            PosterFormat::Svg => poster_svg(center, address, link).map(String::into_bytes),
            PosterFormat::Pdf => poster_pdf(center, address, link),
        }
    }
}

/// An A4 poster (210 × 297 mm) for one center.
pub fn poster_svg(center: &str, address: &str, link: &str) -> AppResult<String> {
    let qr = code(link)?;
    let mut name = String::new();
    for (i, line) in wrap(center, 30).iter().take(3).enumerate() {
        name.push_str(&format!(
            "<text x=\"105\" y=\"{}\" font-size=\"10\" font-weight=\"700\" text-anchor=\"middle\">{}</text>",
            32 + i * 12,
            xml(line)
        ));
    }
    Ok(format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
         <svg xmlns=\"http://www.w3.org/2000/svg\" width=\"210mm\" height=\"297mm\" viewBox=\"0 0 210 297\" \
         font-family=\"'DejaVu Sans', 'Noto Sans', Arial, sans-serif\" role=\"img\" aria-label=\"{label}\">\
         <title>{label}</title>\
         <rect width=\"210\" height=\"297\" fill=\"#ffffff\"/>\
         <rect x=\"0\" y=\"0\" width=\"210\" height=\"12\" fill=\"#1d4ed8\"/>\
         {name}\
         <text x=\"105\" y=\"{addr_y}\" font-size=\"6\" text-anchor=\"middle\" fill=\"#374151\">{address}</text>\
         <path d=\"{modules}\" fill=\"#000000\"/>\
         <text x=\"105\" y=\"222\" font-size=\"9\" font-weight=\"700\" text-anchor=\"middle\">Як вас обслужили? Наведіть камеру телефону на код.</text>\
         <text x=\"105\" y=\"233\" font-size=\"7\" text-anchor=\"middle\" fill=\"#374151\">How were you served? Point your phone's camera at the code.</text>\
         <text x=\"105\" y=\"250\" font-size=\"6\" text-anchor=\"middle\">Без QR-зчитувача / Without a QR reader:</text>\
         <text x=\"105\" y=\"260\" font-size=\"7\" font-family=\"'DejaVu Sans Mono', monospace\" text-anchor=\"middle\">{link}</text>\
         <text x=\"105\" y=\"285\" font-size=\"5\" text-anchor=\"middle\" fill=\"#6b7280\">Анонімно, 1 хвилина / Anonymous, one minute</text>\
         </svg>",
        label = xml(&format!("{center}: QR")),
        addr_y = 32 + wrap(center, 30).len().min(3) * 12,
        address = xml(address),
        modules = modules_path(&qr, 45.0, 70.0, 120.0),
        link = xml(link),
    ))
}

/// The fonts posters are set in (DejaVu Sans, with Cyrillic; Mono for the typed-out link), loaded once.
fn poster_fonts() -> std::sync::Arc<svg2pdf::usvg::fontdb::Database> {
    static FONTS: std::sync::LazyLock<std::sync::Arc<svg2pdf::usvg::fontdb::Database>> =
        std::sync::LazyLock::new(|| {
            let mut db = svg2pdf::usvg::fontdb::Database::new();
            for font in [
                dejavu::sans::regular(),
                dejavu::sans::bold(),
                dejavu::sans_mono::regular(),
            ] {
                db.load_font_data(font.to_vec());
            }
            std::sync::Arc::new(db)
        });
    FONTS.clone()
}

/// The A4 poster as a PDF: the same drawing as `poster_svg`, its text embedded (subset DejaVu), so it prints
/// the same everywhere and stays searchable.
pub fn poster_pdf(center: &str, address: &str, link: &str) -> AppResult<Vec<u8>> {
    let svg = poster_svg(center, address, link)?;
    let options = svg2pdf::usvg::Options {
        font_family: "DejaVu Sans".into(),
        fontdb: poster_fonts(),
        ..Default::default()
    };
    let tree = svg2pdf::usvg::Tree::from_str(&svg, &options)
        .map_err(|e| crate::error::AppError::Internal(anyhow::anyhow!("poster SVG: {e}")))?;
    // usvg reads millimetres at 96 px an inch; at 96 dpi the page is 210 × 297 mm again.
    svg2pdf::to_pdf(
        &tree,
        svg2pdf::ConversionOptions::default(),
        svg2pdf::PageOptions { dpi: 96.0 },
    )
    .map_err(|e| crate::error::AppError::Internal(anyhow::anyhow!("poster PDF: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_poster_names_the_center_and_types_out_the_link() {
        let svg = poster_svg(
            "ЦНАП «Віза» м. Львова & околиць",
            "вул. Леся Курбаса, 7б",
            "https://fw.example/q/abc.def",
        )
        .unwrap();
        assert!(svg.contains("ЦНАП «Віза» м. Львова &amp; околиць"));
        assert!(svg.contains("https://fw.example/q/abc.def"));
        assert!(svg.contains("Як вас обслужили?"));
        assert!(svg.contains("<path d=\"M"));
        let png = qr_png("https://fw.example/q/abc.def", 8).unwrap();
        assert_eq!(&png[1..4], b"PNG");
        assert!(qr_svg("https://fw.example/q/abc.def").unwrap().contains("<svg"));
    }

    #[test]
    fn the_pdf_poster_is_a4_with_its_fonts_embedded() {
        let started = std::time::Instant::now();
        let pdf = poster_pdf(
            "ЦНАП Сихівського району",
            "просп. Червоної Калини, 60",
            "https://fw.example/q/abc.def",
        )
        .unwrap();
        eprintln!("one PDF poster: {:?}, {} bytes", started.elapsed(), pdf.len());
        assert!(pdf.starts_with(b"%PDF-"));
        let text = String::from_utf8_lossy(&pdf);
        // 210 × 297 mm in points.
        let media = text.split("/MediaBox [").nth(1).unwrap();
        let numbers: Vec<f64> = media[..media.find(']').unwrap()]
            .split_whitespace()
            .map(|n| n.parse().unwrap())
            .collect();
        assert!(
            (numbers[2] - 595.28).abs() < 0.5 && (numbers[3] - 841.89).abs() < 0.5,
            "{numbers:?}"
        );
        // The text is real text in the embedded (subset) DejaVu fonts, not outlines or a missing-glyph box.
        assert!(
            text.contains("DejaVuSans") && text.contains("DejaVuSansMono"),
            "fonts embedded"
        );
        assert!(text.contains("/FontFile2") || text.contains("/FontFile3"));
    }

    #[test]
    fn long_names_wrap_at_spaces() {
        assert_eq!(
            wrap("Центр надання адміністративних послуг Личаківського району", 30),
            ["Центр надання адміністративних", "послуг Личаківського району"]
        );
    }
}
