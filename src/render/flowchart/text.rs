//! The text of the flowchart in boxes: each node text and edge label is wrapped to a
//! maximum width, measured with a per-character width table (the wider of DejaVu Sans and
//! Liberation Sans/Arial at each character, plus a margin), so that it fits in its box in
//! any common sans-serif font; and the rectangles the [`layout`](super::layout) places.

/// How a kind of text box is set: font size, line height, padding and maximum text width,
/// in CSS pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TextStyle {
    /// Font size.
    pub font_size: f64,
    /// Distance between baselines.
    pub line_height: f64,
    /// Space between the box's left and right sides and the text.
    pub pad_x: f64,
    /// Space between the box's top and bottom and the text.
    pub pad_y: f64,
    /// The widest a line of text may be.
    pub max_text_width: f64,
    /// The narrowest a box may be.
    pub min_width: f64,
}

/// Node boxes.
pub const NODE_STYLE: TextStyle = TextStyle {
    font_size: 14.0,
    line_height: 18.0,
    pad_x: 10.0,
    pad_y: 8.0,
    max_text_width: 150.0,
    min_width: 96.0,
};

/// Edge labels.
pub const LABEL_STYLE: TextStyle = TextStyle {
    font_size: 13.0,
    line_height: 16.0,
    pad_x: 6.0,
    pad_y: 3.0,
    max_text_width: 132.0,
    min_width: 0.0,
};

/// Extra width on every measured text, for fonts a little wider than the table.
const WIDTH_MARGIN: f64 = 1.03;

/// The advance width of a character in em: the wider of DejaVu Sans and Liberation Sans
/// (metric-compatible with Arial and Helvetica) at that character. Other characters count
/// as wide as a capital M.
pub fn char_width(c: char) -> f64 {
    match c {
        ' ' | ',' | '.' | '’' | '‘' => 0.319,
        'i' | 'j' | 'l' | '\'' => 0.278,
        'I' => 0.295,
        '!' => 0.401,
        '"' => 0.46,
        '(' | ')' | '[' | ']' | 'r' => 0.411,
        '/' | ':' | ';' | '|' | '\\' => 0.337,
        '-' => 0.361,
        'f' => 0.352,
        't' => 0.392,
        '*' | 'J' | '`' => 0.5,
        '“' | '”' => 0.518,
        's' => 0.521,
        'z' => 0.525,
        'c' => 0.55,
        '?' | '_' | '–' => 0.556,
        'L' => 0.557,
        'k' => 0.579,
        'v' | 'x' | 'y' => 0.592,
        'F' | 'T' => 0.611,
        'o' => 0.612,
        'a' => 0.613,
        'e' | 'é' => 0.615,
        'h' | 'n' | 'u' => 0.634,
        'b' | 'd' | 'g' | 'p' | 'q' | '$' | '{' | '}' => 0.636,
        '0'..='9' => 0.636,
        'E' | 'K' | 'P' | 'S' | 'Y' => 0.667,
        'A' | 'V' => 0.684,
        'B' | 'X' | 'Z' => 0.686,
        'C' | 'R' => 0.722,
        'U' => 0.732,
        'N' => 0.748,
        'H' => 0.752,
        'D' => 0.77,
        'G' => 0.778,
        '&' => 0.78,
        'O' | 'Q' => 0.787,
        'w' => 0.818,
        '#' | '+' | '<' | '=' | '>' | '^' | '~' => 0.838,
        'M' => 0.863,
        '%' => 0.95,
        'm' => 0.974,
        'W' => 0.989,
        '—' | '…' => 1.0,
        '@' => 1.015,
        _ => 1.0,
    }
}

/// The width of `text` at `font_size`, in CSS pixels, with a small margin.
pub fn text_width(text: &str, font_size: f64) -> f64 {
    text.chars().map(char_width).sum::<f64>() * font_size * WIDTH_MARGIN
}

/// Wraps `text` into lines no wider than `max_width` at `font_size`, breaking at spaces, and
/// inside a word only when the word alone is too wide.
pub fn wrap(text: &str, font_size: f64, max_width: f64) -> Vec<String> {
    let fits = |s: &str| text_width(s, font_size) <= max_width;
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if fits(&candidate) {
            line = candidate;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        if fits(word) {
            line = word.to_string();
            continue;
        }
        // A word wider than a line: cut it where it no longer fits.
        for c in word.chars() {
            let mut longer = line.clone();
            longer.push(c);
            if !line.is_empty() && !fits(&longer) {
                lines.push(std::mem::take(&mut line));
                line.push(c);
            } else {
                line = longer;
            }
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// An axis-aligned rectangle: top-left corner, width and height.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    /// Left.
    pub x: f64,
    /// Top.
    pub y: f64,
    /// Width.
    pub w: f64,
    /// Height.
    pub h: f64,
}

impl Rect {
    /// Right side.
    pub fn right(&self) -> f64 {
        self.x + self.w
    }

    /// Bottom side.
    pub fn bottom(&self) -> f64 {
        self.y + self.h
    }

    /// Horizontal centre.
    pub fn center_x(&self) -> f64 {
        self.x + self.w / 2.0
    }

    /// True when the insides of the two rectangles share any point.
    pub fn overlaps(&self, other: &Rect) -> bool {
        self.x < other.right()
            && other.x < self.right()
            && self.y < other.bottom()
            && other.y < self.bottom()
    }

    /// True when the segment from `a` to `b` passes through the inside of the rectangle,
    /// shrunk by `inset` on every side.
    pub fn crossed_by(&self, a: (f64, f64), b: (f64, f64), inset: f64) -> bool {
        let (left, right) = (self.x + inset, self.right() - inset);
        let (top, bottom) = (self.y + inset, self.bottom() - inset);
        if left >= right || top >= bottom {
            return false;
        }
        // Liang–Barsky clipping of the segment against the rectangle.
        let (dx, dy) = (b.0 - a.0, b.1 - a.1);
        let mut t0: f64 = 0.0;
        let mut t1: f64 = 1.0;
        for (p, q) in [
            (-dx, a.0 - left),
            (dx, right - a.0),
            (-dy, a.1 - top),
            (dy, bottom - a.1),
        ] {
            if p == 0.0 {
                if q <= 0.0 {
                    return false;
                }
            } else {
                let t = q / p;
                if p < 0.0 {
                    t0 = t0.max(t);
                } else {
                    t1 = t1.min(t);
                }
            }
        }
        t0 < t1
    }
}

/// A box with wrapped text.
#[derive(Debug, Clone)]
pub struct TextBox {
    /// Where the box is.
    pub rect: Rect,
    /// The text, one entry per line.
    pub lines: Vec<String>,
    /// How the text is set.
    pub style: TextStyle,
}

impl TextBox {
    /// A box at the origin, just large enough for `text` wrapped and set in `style`.
    pub(super) fn new(text: &str, style: TextStyle) -> Self {
        let lines = wrap(text, style.font_size, style.max_text_width);
        let widest = lines
            .iter()
            .map(|l| text_width(l, style.font_size))
            .fold(0.0, f64::max);
        let w = (widest + 2.0 * style.pad_x).max(style.min_width).ceil();
        let h = lines.len() as f64 * style.line_height + 2.0 * style.pad_y;
        TextBox {
            rect: Rect {
                x: 0.0,
                y: 0.0,
                w,
                h,
            },
            lines,
            style,
        }
    }

    /// The baseline of each line: x of the centre, y of the baseline.
    pub fn baselines(&self) -> impl Iterator<Item = (f64, f64, &str)> + '_ {
        let s = self.style;
        // The baseline sits about 0.3 em below the middle of the line box.
        let first = self.rect.y + s.pad_y + s.line_height / 2.0 + 0.35 * s.font_size;
        self.lines.iter().enumerate().map(move |(i, line)| {
            (
                self.rect.center_x(),
                first + i as f64 * s.line_height,
                line.as_str(),
            )
        })
    }
}

#[cfg(test)]
mod tests;
