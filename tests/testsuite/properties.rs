//! Property tests: the loader and validator never panic on YAML-ish input, and no page
//! carries an event attribute or a `javascript:`, `vbscript:` or `data:` address, whatever
//! HTML its Markdown holds. (The same check on the shipped guide, and the consistency of its
//! version diffs, are in `guide/properties.rs`.)

use crate::fuzz;

use crate::common::SiteTest;
use proptest::prelude::*;

/// Pieces that YAML data files are made of, including broken ones.
fn yaml_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("- id: help-desk\n".to_string()),
        Just("  name: Help Desk\n".to_string()),
        Just("  kind: contact-center\n".to_string()),
        Just("  summary: x\n".to_string()),
        Just("  sources:\n    - source: notice\n".to_string()),
        Just("  contacts:\n    - kind: phone\n      label: L\n      value: 1\n".to_string()),
        Just("  - ".to_string()),
        Just(": ".to_string()),
        Just("[".to_string()),
        Just("]".to_string()),
        Just("{".to_string()),
        Just("&a ".to_string()),
        Just("*a ".to_string()),
        Just("\"".to_string()),
        Just("\t".to_string()),
        Just("\n".to_string()),
        Just("---\n".to_string()),
        "[a-z0-9 :#@-]{0,12}",
        any::<char>().prop_map(|c| c.to_string()),
    ]
}

/// One of `items`, as a `String`.
fn one_of(items: &'static [&'static str]) -> impl Strategy<Value = String> {
    prop::sample::select(items).prop_map(str::to_string)
}

/// Addresses that run code or load from another site, hidden as browsers still read them
/// (split across lines, behind references with or without `;`, with tabs, in capitals).
const BAD_ADDRESSES: &[&str] = &[
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "java\nscript:alert(1)",
    "java\tscript:alert(1)",
    "&#0000106&#0000097vascript:alert(1)",
    "&#x6A;avascript:x",
    "&#106avascript:x",
    "jav&Tab;ascript:x",
    "javascript&colon;x",
    " javascript:x",
    "vbscript:x",
    "data:text/html,x",
    "//tracker.example/p.png",
    "https://tracker.example/p.png",
];
/// Event handlers, styles, and attributes of SVG, forms and responsive images.
const BAD_ATTRIBUTES: &[&str] = &[
    "onerror",
    "ONCLICK",
    "onmouseover",
    "style",
    "srcset",
    "xlink:href",
    "values",
    "formaction",
    "action",
    "to",
];
/// Scripts, styles, frames, forms, SVG and MathML, and elements that change how the rest
/// of the page is read.
const BAD_ELEMENTS: &[&str] = &[
    "svg", "math", "animate", "set", "script", "style", "form", "iframe", "textarea", "noscript",
    "template", "link", "meta", "base",
];

/// What goes between two attributes: spaces, a line break, a block quote's `> ` or a
/// list's indent, a `/`, or nothing after a quoted value.
fn separator() -> impl Strategy<Value = String> {
    one_of(&[" ", " ", "\n", "\t", "\n> ", "\n  ", "/"])
}

/// `value` quoted in one of the ways HTML allows.
fn quoted(value: impl Strategy<Value = String>) -> impl Strategy<Value = String> {
    (value, one_of(&["\"", "'", ""])).prop_map(|(value, quote)| format!("{quote}{value}{quote}"))
}

/// Attributes every element may have.
fn safe_attributes() -> impl Strategy<Value = String> {
    let attribute = (
        separator(),
        one_of(&["title", "class", "id", "lang", "dir"]),
        quoted(one_of(&["Help", "note", "es", "x-2", "data:2", "on-call"])),
    )
        .prop_map(|(sep, name, value)| format!("{sep}{name}={value}"));
    prop::collection::vec(attribute, 0..3).prop_map(|a| a.concat())
}

/// A tag with one thing in it a page may not have, among attributes it may have: an
/// element, an attribute, or a link, image or quotation address.
fn bad_tag() -> impl Strategy<Value = String> {
    let element = one_of(&["a", "img", "div", "span", "p", "b", "details", "q", "td"]);
    let close = || one_of(&[">", ">", "/>"]);
    prop_oneof![
        (one_of(BAD_ELEMENTS), safe_attributes(), close())
            .prop_map(|(name, attributes, close)| format!("<{name}{attributes}{close}")),
        (
            element,
            safe_attributes(),
            separator(),
            one_of(BAD_ATTRIBUTES),
            quoted(one_of(&[
                "alert(1)",
                "x.png",
                "javascript:alert(1)",
                "color: red"
            ])),
            safe_attributes(),
            close(),
        )
            .prop_map(|(name, before, sep, attribute, value, after, close)| {
                format!("<{name}{before}{sep}{attribute}={value}{after}{close}")
            }),
        (
            one_of(&["a href", "img src", "q cite", "a HREF"]),
            safe_attributes(),
            separator(),
            quoted(one_of(BAD_ADDRESSES)),
            safe_attributes(),
            close(),
        )
            .prop_map(|(tag, before, sep, value, after, close)| {
                let (name, attribute) = tag.split_once(' ').unwrap();
                format!("<{name}{before}{sep}{attribute}={value}{after}{close}")
            }),
    ]
}

/// A piece of a page a check must accept: an allowed tag, an end tag, text, the Markdown
/// that HTML sits in; and now and then a comment or tag left open.
fn page_piece() -> impl Strategy<Value = String> {
    let tag = (
        one_of(&[
            "a href=\"https://example.gov/\"",
            "img src=\"static/m.png\"",
            "div",
            "span",
            "p",
            "b",
            "details open",
            "q cite=\"#x\"",
        ]),
        safe_attributes(),
        one_of(&[">", "/>"]),
    )
        .prop_map(|(name, attributes, close)| format!("<{name}{attributes}{close}"));
    prop_oneof![
        3 => tag,
        2 => one_of(&["</a>", "</div>", "</span>", "</svg>", "</script>", "</b>"]),
        4 => one_of(&["Call us. ", "\n", "\n\n", "> ", "- ", "# Step\n", "    ", "`x`",
                      "[the desk](https://example.gov/)", "![map](static/m.png)",
                      "<https://example.gov>", "| a | b |\n|---|---|\n| ", "&amp;",
                      "<!-- note -->"]),
        1 => one_of(&["<!--", "-->", "<", "</", "<?x", "<![CDATA[x]]>", "&", "<p title='"]),
    ]
}

/// A page: pieces around one tag with something not allowed in it.
fn page() -> impl Strategy<Value = String> {
    let pieces = || prop::collection::vec(page_piece(), 0..5);
    (pieces(), bad_tag(), pieces())
        .prop_map(|(before, tag, after)| format!("{}{tag}{}", before.concat(), after.concat()))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn loading_and_validating_any_yaml_never_panics(pieces in prop::collection::vec(yaml_piece(), 0..40)) {
        let test = SiteTest::minimal();
        test.write("content/data/offices.yaml", &pieces.concat());
        let (content, errors) = casepath::load::load(test.root()).expect("content/ exists");
        let result = casepath::validate::validate(content, errors);
        if let Ok(validated) = result {
            let _ = casepath::resolve::resolve(&validated);
        }
    }

    #[test]
    fn front_matter_and_markdown_never_panic(front in "[a-z: \\n-]{0,40}", body in "[\\PC]{0,200}") {
        let test = SiteTest::minimal();
        test.write("content/pages/about.md", &format!("---\n{front}\n---\n{body}"));
        let (content, errors) = casepath::load::load(test.root()).expect("content/ exists");
        if let Ok(validated) = casepath::validate::validate(content, errors) {
            let _ = casepath::resolve::resolve(&validated);
        }
    }
}

proptest! {
    // Each case takes well under a millisecond; a check that let one kind of danger
    // through is found in about one case in sixty.
    #![proptest_config(ProptestConfig { cases: 2048, ..ProptestConfig::default() })]

    #[test]
    fn pages_with_any_html_are_refused_or_inert(page in page()) {
        // Panics when the check accepts what renders to an event attribute or a script.
        fuzz::html_check(page.as_bytes());
    }
}
