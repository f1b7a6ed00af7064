//! Files that are not UTF-8 text: which encoding they probably are, and one error that says
//! so and how to fix it.
//!
//! Editors on Windows may save text as UTF-16 (Notepad's "Unicode"), with or without a
//! byte-order mark, or as Latin-1 / Windows-1252. UTF-16 of English text is valid UTF-8 full
//! of NUL bytes, so without a check every quote from such a source "is not found"; with a
//! byte-order mark it is refused, and every reference to the file then fails too. Here each
//! such file gets one error, "save this file as UTF-8", and nothing else is said about it.

use crate::diagnostic::{Diagnostic, Location, SourceFile};

/// The text of a file, or the error that says it is not UTF-8 text. `shown` is the path
/// shown to the user. NUL bytes are refused in the source texts of `content/sources/`; in
/// pages and YAML, where a stray one is reported at its place, only UTF-16 is refused here.
pub fn check(shown: &str, bytes: Vec<u8>) -> Result<SourceFile, Box<Diagnostic>> {
    if let Some(order) = utf16(&bytes) {
        // Shown as the editor shows it, so the first line can be pointed at.
        let big_endian = order.starts_with("big");
        let units = bytes.chunks_exact(2).map(|pair| {
            let pair = [pair[0], pair[1]];
            if big_endian {
                u16::from_be_bytes(pair)
            } else {
                u16::from_le_bytes(pair)
            }
        });
        let text: String = char::decode_utf16(units)
            .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
            .collect();
        let file = SourceFile::new(shown, text);
        let (line, first) = file
            .text
            .lines()
            .enumerate()
            .find(|(_, l)| !l.trim().is_empty())
            .map_or((1, 1), |(i, l)| (i + 1, l.chars().count()));
        return Err(Box::new(
            not_utf8_at(
                Location::new(&file, line, 1, first),
                &format!("it is saved as UTF-16 ({order})"),
            )
            .with_label("the whole file is UTF-16"),
        ));
    }
    match String::from_utf8(bytes) {
        Ok(text) => {
            let is_source_text = shown.starts_with("content/sources/");
            match text.find('\0') {
                Some(at) if is_source_text => {
                    let file = SourceFile::new(shown, text.replace('\0', "\u{2400}"));
                    let (line, column) = file.line_col(at);
                    Err(Box::new(
                        not_utf8_at(
                            Location::new(&file, line, column, 1),
                            "it holds NUL bytes (invisible zero bytes), which no text has",
                        )
                        .with_label("a NUL byte"),
                    ))
                }
                _ => Ok(SourceFile::new(shown, text)),
            }
        }
        Err(error) => {
            let bytes = error.into_bytes();
            let bad = std::str::from_utf8(&bytes)
                .err()
                .map_or(0, |e| e.valid_up_to());
            let byte = bytes[bad];
            let lossy = String::from_utf8_lossy(&bytes).into_owned();
            let file = SourceFile::new(shown, lossy);
            // The lossy text has one `�` where the bad byte was: find its place there.
            let before = String::from_utf8_lossy(&bytes[..bad]);
            let (line, column) = file.line_col(before.len());
            let meant = match windows_1252(byte) {
                Some(c) => format!(" (in Latin-1 or Windows-1252, byte {byte:#04X} is `{c}`)"),
                None => String::new(),
            };
            Err(Box::new(
                not_utf8_at(
                    Location::new(&file, line, column, 1),
                    "it is saved in another encoding, probably Latin-1 or Windows-1252",
                )
                .with_label(format!("this character is not UTF-8{meant}")),
            ))
        }
    }
}

/// The byte order of UTF-16 text, if `bytes` is UTF-16: it starts with a UTF-16 byte-order
/// mark, or, without one, every other byte is zero in most of its first characters (as in
/// UTF-16 of text in a Latin script).
fn utf16(bytes: &[u8]) -> Option<&'static str> {
    match bytes {
        [0xFF, 0xFE, ..] => return Some("little-endian, with a byte-order mark"),
        [0xFE, 0xFF, ..] => return Some("big-endian, with a byte-order mark"),
        _ => {}
    }
    let pairs: Vec<&[u8]> = bytes.chunks_exact(2).take(512).collect();
    if pairs.len() < 2 {
        return None;
    }
    let low = pairs.iter().filter(|p| p[0] != 0 && p[1] == 0).count();
    let high = pairs.iter().filter(|p| p[0] == 0 && p[1] != 0).count();
    if low * 4 >= pairs.len() * 3 {
        Some("little-endian, without a byte-order mark")
    } else if high * 4 >= pairs.len() * 3 {
        Some("big-endian, without a byte-order mark")
    } else {
        None
    }
}

/// The character a byte stands for in Windows-1252 (Latin-1 with typographic quotes and
/// dashes at 0x80–0x9F), for bytes that are not ASCII.
fn windows_1252(byte: u8) -> Option<char> {
    match byte {
        0x80 => Some('€'),
        0x85 => Some('…'),
        0x91 => Some('‘'),
        0x92 => Some('’'),
        0x93 => Some('“'),
        0x94 => Some('”'),
        0x96 => Some('–'),
        0x97 => Some('—'),
        0xA0..=0xFF => Some(char::from(byte)),
        _ => None,
    }
}

/// The hint under every encoding error.
const SAVE_AS_UTF8: &str = "save this file as UTF-8: in most editors, \"Save as\" (or \"Save \
                            with encoding\") and choose UTF-8; casepath reads only UTF-8 text";

/// The error for a file that is not UTF-8, at its first character that is not.
fn not_utf8_at(location: Location, why: &str) -> Diagnostic {
    let shown = location.file.path.clone();
    Diagnostic::at(location, format!("{shown} is not UTF-8 text: {why}")).with_hint(SAVE_AS_UTF8)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16_le(text: &str) -> Vec<u8> {
        text.encode_utf16().flat_map(u16::to_le_bytes).collect()
    }

    #[test]
    fn utf16_is_found_with_and_without_a_byte_order_mark() {
        let text = "Call the Help Desk at 1-800-555-0100.\n";
        assert!(utf16(&utf16_le(text))
            .unwrap()
            .starts_with("little-endian, without"));
        let mut marked = vec![0xFF, 0xFE];
        marked.extend(utf16_le(text));
        assert!(utf16(&marked).unwrap().starts_with("little-endian, with a"));
        let big: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert!(utf16(&big).unwrap().starts_with("big-endian, without"));
        assert_eq!(utf16(text.as_bytes()), None);
        assert_eq!(utf16(b"a\0"), None);
    }

    #[test]
    fn latin1_is_shown_at_its_first_bad_character() {
        let error = check("content/sources/a.txt", b"one\ncaf\xe9 two\n".to_vec()).unwrap_err();
        assert_eq!(
            error.position().as_deref(),
            Some("content/sources/a.txt:2:4")
        );
        assert!(error.label.unwrap().contains("`é`"));
    }

    #[test]
    fn nul_bytes_are_refused_in_source_texts_only() {
        assert!(check("content/sources/a.txt", b"a\0b".to_vec()).is_err());
        assert!(check("content/pages/a.md", b"a\0b".to_vec()).is_ok());
    }
}
