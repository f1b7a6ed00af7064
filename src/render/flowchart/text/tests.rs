//! Unit tests of the flowchart's text boxes: text wrapping, and edge segments that cross a
//! box.

use super::*;

#[test]
fn wrapping_keeps_lines_within_the_width() {
    let lines = wrap("Email the repair office that has your request", 14.0, 120.0);
    assert!(lines.len() > 1);
    for line in &lines {
        assert!(text_width(line, 14.0) <= 120.0, "{line}");
    }
    assert_eq!(
        lines.join(" "),
        "Email the repair office that has your request"
    );
}

#[test]
fn a_word_wider_than_a_line_is_cut() {
    let lines = wrap("REPAIRDESK@housing.example.verylongaddress", 14.0, 60.0);
    assert!(lines.len() > 2);
    for line in &lines {
        assert!(text_width(line, 14.0) <= 60.0, "{line}");
    }
}

#[test]
fn segments_through_a_box_are_found() {
    let r = Rect {
        x: 10.0,
        y: 10.0,
        w: 20.0,
        h: 20.0,
    };
    assert!(r.crossed_by((0.0, 20.0), (40.0, 20.0), 0.5));
    assert!(!r.crossed_by((0.0, 5.0), (40.0, 5.0), 0.5));
    assert!(!r.crossed_by((20.0, 0.0), (20.0, 10.0), 0.5));
}
