//! QR codes as inline SVG, made at build time with the `qrcode` crate.
//!
//! A handout carries a QR code of its path's online address, so a person holding the paper
//! can open the page on a phone. The SVG is one `<path>`, black on white, with a quiet zone;
//! its size on paper is set by the stylesheet (the `viewBox` counts modules). It is marked
//! `aria-hidden`: the address it encodes is printed next to it as text.

use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};

/// An inline `<svg>` element encoding `text`, or `None` if it is too long for a QR code.
pub fn svg(text: &str) -> Option<String> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).ok()?;
    let image = code
        .render::<svg::Color>()
        .module_dimensions(1, 1)
        .quiet_zone(true)
        .dark_color(svg::Color("#000"))
        .light_color(svg::Color("#fff"))
        .build();
    // The renderer writes a standalone document; inline SVG in HTML has no XML declaration.
    let start = image.find("<svg")?;
    let element = image[start..].replacen(
        "<svg ",
        r#"<svg class="qr-code" aria-hidden="true" focusable="false" "#,
        1,
    );
    Some(element)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_becomes_an_inline_svg() {
        let svg = svg("https://user.github.io/guide/paths/late-repair/").unwrap();
        assert!(svg.starts_with(r#"<svg class="qr-code" aria-hidden="true" focusable="false" xmlns="http://www.w3.org/2000/svg""#), "{svg}");
        assert!(!svg.contains("<?xml"));
        assert!(svg.contains("viewBox=\"0 0 "));
        assert!(svg.ends_with("</svg>"));
    }

    #[test]
    fn the_same_text_gives_the_same_code() {
        assert_eq!(svg("https://example.org/"), svg("https://example.org/"));
        assert_ne!(svg("https://example.org/"), svg("https://example.org/a"));
    }

    #[test]
    fn text_too_long_for_a_code_gives_none() {
        assert_eq!(svg(&"x".repeat(5000)), None);
    }
}
