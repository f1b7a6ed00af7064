//! The check of the raw HTML in Markdown pages, and of the addresses of links and images.
//!
//! Raw HTML is read by [`html5gum`], a tokenizer that follows the WHATWG HTML standard as
//! browsers do: character references in attribute values are decoded (with or without the
//! `;`), tag and attribute names are lower-cased, a tag split across lines is read whole,
//! and every tag and attribute comes with its byte span, so each problem is reported at its
//! file, line and column. Only the elements and attributes in [`ELEMENTS`],
//! [`GLOBAL_ATTRIBUTES`] and [`element_attributes`] pass; links may lead only to web pages,
//! email addresses, phone numbers and pages of the guide; images must come from the guide
//! itself. Anything else is rejected, never stripped, so the editor sees and fixes it.
//!
//! (html5ever's tokenizer, the other well-kept choice, reports only line numbers, and it
//! looks for a repeated attribute by comparing with every earlier one: a 270 KB tag with
//! 40,000 attributes takes it a second, quadratic in the tag's size. html5gum keeps the
//! attributes in a map and gives spans.)
//!
//! [`active_content`] is the other side: it looks through a finished page, generated
//! markup included, for event attributes and code-running addresses. The tests and the
//! `html_check` fuzz target use it to check that whatever [`check`] accepts is inert.

use html5gum::{DefaultEmitter, EndTag, Error, StartTag, Token, Tokenizer};

/// The elements a page may use: prose, lists, tables, quotations and images.
pub const ELEMENTS: &[&str] = &[
    "a",
    "abbr",
    "b",
    "bdi",
    "bdo",
    "blockquote",
    "br",
    "caption",
    "cite",
    "code",
    "col",
    "colgroup",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "q",
    "rp",
    "rt",
    "ruby",
    "s",
    "samp",
    "small",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "u",
    "ul",
    "var",
    "wbr",
];

/// The attributes every allowed element may have (and `aria-…` ones).
pub const GLOBAL_ATTRIBUTES: &[&str] = &["id", "class", "title", "lang", "dir", "role"];

/// The attributes one element may have besides [`GLOBAL_ATTRIBUTES`].
pub fn element_attributes(element: &str) -> &'static [&'static str] {
    match element {
        "a" => &["href"],
        "img" => &["src", "alt", "width", "height"],
        "ol" => &["start", "reversed", "type"],
        "li" => &["value"],
        "td" => &["colspan", "rowspan", "headers"],
        "th" => &["colspan", "rowspan", "headers", "scope", "abbr"],
        "col" | "colgroup" => &["span"],
        "details" => &["open"],
        "blockquote" | "q" => &["cite"],
        "del" | "ins" => &["cite", "datetime"],
        "time" => &["datetime"],
        _ => &[],
    }
}

/// Elements that have no content and no end tag.
const VOID_ELEMENTS: &[&str] = &[
    "area", "base", "br", "col", "embed", "frame", "hr", "img", "input", "keygen", "link", "meta",
    "param", "source", "track", "wbr",
];

/// Attributes whose value is an address, checked by [`url_problem`].
const URL_ATTRIBUTES: &[&str] = &["href", "src", "cite"];

/// One thing in a piece of HTML that a page may not have.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Byte offset of its start in the checked HTML.
    pub start: usize,
    /// Byte offset of its end.
    pub end: usize,
    /// What it is and why it is not allowed.
    pub message: String,
    /// How to fix it.
    pub hint: String,
}

/// Where an address is used: a link may lead to another site, an image may not come
/// from one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrlUse {
    /// `href`, `cite`, or a Markdown link.
    Link,
    /// `src`, or a Markdown image.
    Image,
}

/// What is wrong with an address, as the end of a sentence ("could run code …"), and a
/// hint; `None` for the addresses a page may use.
///
/// The address is read as a browser reads it, or more strictly: whitespace and control
/// characters anywhere are dropped (browsers skip tabs and line breaks inside a scheme),
/// and the scheme is compared without case. Links may be relative (`page.md`, `../x/`, `#part`,
/// `@office/id`) or use `http:`, `https:`, `mailto:` or `tel:`; images must be relative
/// to the guide (not `//host/…`).
pub fn url_problem(url: &str, usage: UrlUse) -> Option<(String, &'static str)> {
    let cleaned: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    let scheme = cleaned
        .find([':', '/', '?', '#', '\\'])
        .filter(|&at| at > 0 && cleaned[at..].starts_with(':'))
        .map(|at| &cleaned[..at]);
    match (scheme, usage) {
        (Some("javascript" | "vbscript"), _) => {
            Some(("could run code in the reader's browser".into(), LINK_HINT))
        }
        (Some("data"), _) => Some((
            "is a `data:` address, which can hold a whole page or a script".into(),
            LINK_HINT,
        )),
        (Some("http" | "https" | "mailto" | "tel") | None, UrlUse::Link) => None,
        (Some("http" | "https"), UrlUse::Image) => Some((EXTERNAL_IMAGE.into(), IMAGE_HINT)),
        (None, UrlUse::Image) => {
            // `//host/…` (and `\\host`, which browsers read the same) is another site.
            let mut start = cleaned.chars().map(|c| matches!(c, '/' | '\\'));
            let external = start.next() == Some(true) && start.next() == Some(true);
            external.then(|| (EXTERNAL_IMAGE.into(), IMAGE_HINT))
        }
        (Some(scheme), UrlUse::Link) => Some((
            format!("uses the `{}:` scheme; {LINK_SCHEMES}", shorten(scheme, 20)),
            LINK_HINT,
        )),
        (Some(scheme), UrlUse::Image) => Some((
            format!(
                "uses the `{}:` scheme; an image must be a file of the guide",
                shorten(scheme, 20)
            ),
            IMAGE_HINT,
        )),
    }
}

/// Where a link may lead.
const LINK_SCHEMES: &str = "a link may lead only to a web page (`http:`, `https:`), an email \
     address (`mailto:`), a phone number (`tel:`) or a page of the guide";
/// The hint for a link address that is not allowed.
const LINK_HINT: &str = "use an http(s), mailto: or tel: address, or a link to a page of the guide";
/// Why an image from another site is not allowed.
const EXTERNAL_IMAGE: &str =
    "loads an image from another site, which would learn who reads the page (the guide loads nothing from other hosts)";
/// The hint for an image address that is not allowed.
const IMAGE_HINT: &str = "copy the image into the theme's `static/` folder (published as `static/…`) and use a relative address";

/// The first `limit` characters of `text`, with `…` if there were more.
fn shorten(text: &str, limit: usize) -> String {
    match text.char_indices().nth(limit) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

/// Tokenizes `html` with byte spans, switching to raw text after `<script>`, `<style>`,
/// `<textarea>` and the like as a browser would.
fn tokens(html: &str) -> impl Iterator<Item = Token<usize>> + '_ {
    let mut emitter = DefaultEmitter::<usize>::new_with_span();
    emitter.naively_switch_states(true);
    Tokenizer::new_with_emitter(html, emitter).flatten()
}

/// Every element, attribute and address in `html` (one run of raw HTML from a Markdown
/// page) that is not allowed, in the order they appear; and the tag, comment or attribute
/// value left open at the end, which would swallow the markup after it. What is inside a
/// refused element is not reported: it goes with the element.
pub fn check(html: &str) -> Vec<Problem> {
    let mut problems = Vec::new();
    // End of the last token: an unclosed tag starts after it.
    let mut last_end = 0;
    // The refused element whose content is not reported, while inside one.
    let mut refused: Option<Refused> = None;
    // The comment or doctype that reaches the end, if one does.
    let mut at_end = None;
    // The error for a construct the end of the HTML cut short, and where text ended before it.
    let mut eof = None;
    for token in tokens(html) {
        match token {
            Token::StartTag(tag) => {
                last_end = tag.span.end;
                match &mut refused {
                    Some(inside) => inside.start(&tag),
                    None => refused = start_tag(html, &tag, &mut problems),
                }
            }
            Token::EndTag(tag) => {
                last_end = tag.span.end;
                if refused.as_mut().is_some_and(|inside| inside.end(&tag)) {
                    refused = None;
                }
            }
            Token::String(text) => last_end = text.span.end,
            Token::Comment(comment) => {
                if comment.span.end == html.len() {
                    at_end = Some((comment.span.start, "comment"));
                }
                last_end = comment.span.end;
            }
            Token::Doctype(doctype) => {
                if doctype.span.end == html.len() {
                    at_end = Some((doctype.span.start, "`<!DOCTYPE`"));
                }
                last_end = doctype.span.end;
            }
            Token::Error(error) => {
                if let Error::EofInTag
                | Error::EofBeforeTagName
                | Error::EofInComment
                | Error::EofInDoctype
                | Error::EofInCdata
                | Error::EofInScriptHtmlCommentLikeText = error.value
                {
                    eof = Some((error.value, last_end));
                }
            }
        }
    }
    if let Some((start, what)) = left_open(html, eof, at_end) {
        problems.push(unclosed(html, start, what));
    }
    problems
}

/// A refused element whose content is not reported (an `<svg>`'s shapes, a `<form>`'s
/// inputs), and how deep in same-named elements its end is.
struct Refused {
    /// The element's name.
    name: Vec<u8>,
    /// How many same-named elements are open, itself included.
    depth: usize,
}

impl Refused {
    /// Counts a start tag inside the refused element.
    fn start(&mut self, tag: &StartTag<usize>) {
        if *self.name == *tag.name && !tag.self_closing {
            self.depth += 1;
        }
    }

    /// Counts an end tag inside the refused element; true when it ends the element.
    fn end(&mut self, tag: &EndTag<usize>) -> bool {
        if *self.name == *tag.name {
            self.depth -= 1;
        }
        self.depth == 0
    }
}

/// The problems of one start tag outside a refused element: the element, when it is not
/// allowed (then it is returned as refused, unless it has no content), else its attributes
/// that are not.
fn start_tag(html: &str, tag: &StartTag<usize>, problems: &mut Vec<Problem>) -> Option<Refused> {
    let name = String::from_utf8_lossy(&tag.name);
    if !ELEMENTS.contains(&&*name) {
        problems.push(Problem {
            start: tag.span.start,
            end: tag.span.end,
            message: format!(
                "`<{}>` is not allowed in a page: {}",
                shorten(&name, 30),
                why_not_element(&name)
            ),
            hint: ELEMENTS_HINT.to_string(),
        });
        let void = VOID_ELEMENTS.contains(&&*name)
            || (tag.self_closing && matches!(&*name, "svg" | "math"));
        return (!void).then(|| Refused {
            name: tag.name.to_vec(),
            depth: 1,
        });
    }
    let mut attributes: Vec<_> = tag.attributes.iter().collect();
    attributes.sort_by_key(|(_, value)| value.span.start);
    for (attribute, value) in attributes {
        let attribute = String::from_utf8_lossy(attribute);
        let value_text = String::from_utf8_lossy(value);
        let Some((message, hint)) = attribute_problem(&name, &attribute, &value_text) else {
            continue;
        };
        // An unquoted value's span takes in the character after it.
        let source = &html[value.span.start..value.span.end.min(html.len())];
        let trimmed = source.trim_end_matches(|c: char| c.is_whitespace() || c == '>');
        problems.push(Problem {
            start: value.span.start,
            end: value.span.start + trimmed.len().max(1),
            message,
            hint,
        });
    }
    None
}

/// What the HTML leaves open at its end, and where it starts: `eof` is the tokenizer's
/// error for a construct the end cut short (with where text ended before it), `at_end` the
/// comment or doctype that reaches the end.
///
/// The tokenizer's state at the end must be the one it started in, reading text: a
/// comment left open there would swallow the page's markup up to a `-->` in a later
/// run of HTML and let what follows it out of the attribute value it was checked in.
fn left_open(
    html: &str,
    eof: Option<(Error, usize)>,
    at_end: Option<(usize, &'static str)>,
) -> Option<(usize, &'static str)> {
    let first_tag_after = |at: usize| html[at..].find('<').map_or(at, |i| at + i);
    match eof {
        Some((Error::EofInTag | Error::EofBeforeTagName, before)) => {
            Some((first_tag_after(before), "tag"))
        }
        Some((_, before)) => Some(at_end.unwrap_or((first_tag_after(before), "comment"))),
        // A bogus comment (`<?x`, `<!x`, `</ x`) ends at the first `>`, without an error.
        None => at_end.filter(|_| !html.ends_with('>')),
    }
}

/// The problem of a tag, comment or doctype at `start` that runs to the end of the HTML.
fn unclosed(html: &str, start: usize, what: &str) -> Problem {
    let start = start.min(html.len());
    let line_end = html[start..].find('\n').map_or(html.len(), |at| start + at);
    Problem {
        start,
        end: line_end.max(start + 1).min(html.len().max(start)),
        message: format!(
            "this {what} is not closed, so it would swallow the page's markup after it"
        ),
        hint: "close it (`>` for a tag, the quote of an attribute value, `-->` for a \
               comment), or write `&lt;` for a `<` that is text"
            .to_string(),
    }
}

/// The hint for an element that is not allowed.
const ELEMENTS_HINT: &str =
    "write it in Markdown; the HTML elements a page may use are a, abbr, b, \
     bdi, bdo, blockquote, br, caption, cite, code, col, colgroup, dd, del, details, dfn, div, \
     dl, dt, em, figcaption, figure, h1-h6, hr, i, img, ins, kbd, li, mark, ol, p, pre, q, rp, \
     rt, ruby, s, samp, small, span, strong, sub, summary, sup, table, tbody, td, tfoot, th, \
     thead, time, tr, u, ul, var and wbr";

/// Why an element is not on the list.
fn why_not_element(name: &str) -> &'static str {
    match name {
        "script" | "noscript" => "it runs code in the reader's browser",
        "iframe" | "frame" | "frameset" | "object" | "embed" | "applet" | "portal"
        | "fencedframe" => "it loads another page or program into this one",
        "svg" | "math" => {
            "SVG and MathML have links, scripts and animations of their own, which could run code"
        }
        "style" => {
            "it would restyle the whole site (and the site's Content-Security-Policy blocks inline styles)"
        }
        "link" | "meta" | "base" => "it changes how the page loads or where its links lead",
        "form" | "input" | "button" | "select" | "textarea" | "option" | "optgroup"
        | "datalist" | "fieldset" | "label" | "output" | "legend" | "search" => {
            "a form can collect what the reader types and send it to another site"
        }
        "audio" | "video" | "source" | "track" | "picture" | "canvas" | "map" | "area" => {
            "it loads or draws media the guide cannot check"
        }
        "template" | "slot" | "xmp" | "plaintext" | "listing" | "title" | "noembed"
        | "noframes" => "it changes how the browser reads the rest of the page",
        "html" | "head" | "body" => "the theme writes the frame of every page",
        _ => "it is not one of the elements a page may use",
    }
}

/// What is wrong with one attribute of an allowed element, and a hint.
fn attribute_problem(element: &str, attribute: &str, value: &str) -> Option<(String, String)> {
    let allowed = GLOBAL_ATTRIBUTES.contains(&attribute)
        || attribute.starts_with("aria-")
        || element_attributes(element).contains(&attribute);
    if allowed {
        if !URL_ATTRIBUTES.contains(&attribute) {
            return None;
        }
        let usage = if attribute == "src" {
            UrlUse::Image
        } else {
            UrlUse::Link
        };
        let (why, hint) = url_problem(value, usage)?;
        let shown = shorten(&value.escape_debug().to_string(), 60);
        return Some((
            format!("`{attribute}=` address `{shown}` {why}"),
            hint.into(),
        ));
    }
    let name = shorten(attribute, 30);
    Some(if attribute.starts_with("on") {
        (
            format!("`{name}=` is an event attribute, which runs code in the reader's browser"),
            "remove it; a page cannot run scripts".into(),
        )
    } else if attribute == "style" {
        (
            "`style=` is not allowed: the site's Content-Security-Policy blocks inline styles, \
             and a style can hide text or dress a link up as something else"
                .into(),
            "remove it, or use a class of the theme (`class=`)".into(),
        )
    } else if attribute == "srcset" {
        (
            "`srcset=` is not allowed: it can load images from other sites".into(),
            "use `src=` with an image of the guide".into(),
        )
    } else {
        let own = element_attributes(element);
        (
            format!("`{name}=` is not allowed on `<{element}>`"),
            format!(
                "the attributes `<{element}>` may have are {}{} and `aria-…`",
                GLOBAL_ATTRIBUTES.join(", "),
                own.iter().map(|a| format!(", {a}")).collect::<String>()
            ),
        )
    })
}

/// Attributes that hold an address in some element of HTML or SVG.
const ADDRESS_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "action",
    "formaction",
    "cite",
    "data",
    "poster",
    "background",
    "srcset",
    "xlink:href",
    "values",
    "from",
    "to",
    "by",
    "ping",
    "longdesc",
    "manifest",
    "codebase",
    "archive",
    "lowsrc",
    "dynsrc",
    "icon",
];

/// The first event attribute (`on…=`) or `javascript:`, `vbscript:` or `data:` address in
/// a finished page, described with its byte offset; `None` when it has neither.
///
/// It reads every tag, the page's generated markup included, with references decoded and
/// whitespace and control characters dropped from addresses, and knows nothing of the
/// allowlist of [`check`]: it is the independent judge the tests and the fuzz target use.
pub fn active_content(html: &str) -> Option<String> {
    for token in tokens(html) {
        let Token::StartTag(tag) = token else {
            continue;
        };
        for (attribute, value) in &tag.attributes {
            let attribute = String::from_utf8_lossy(attribute);
            let at = value.span.start;
            let name = String::from_utf8_lossy(&tag.name);
            if attribute.starts_with("on") {
                return Some(format!("`{attribute}=` on `<{name}>` at byte {at}"));
            }
            if ADDRESS_ATTRIBUTES.contains(&&*attribute) {
                let value = String::from_utf8_lossy(value);
                // `srcset` and SVG's `values` are lists of addresses.
                let list = matches!(&*attribute, "srcset" | "values");
                let items = value.split(|c| list && matches!(c, ',' | ';'));
                for item in items {
                    let cleaned: String = item
                        .chars()
                        .filter(|c| !c.is_whitespace() && !c.is_control())
                        .collect::<String>()
                        .to_ascii_lowercase();
                    for scheme in ["javascript:", "vbscript:", "data:"] {
                        if cleaned.starts_with(scheme) {
                            return Some(format!(
                                "a `{scheme}` address in `{attribute}=` on `<{name}>` at byte {at}"
                            ));
                        }
                    }
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The messages of the problems in `html`.
    fn messages(html: &str) -> Vec<String> {
        check(html).into_iter().map(|p| p.message).collect()
    }

    /// The source text each problem of `html` points at.
    fn spans(html: &str) -> Vec<&str> {
        check(html)
            .into_iter()
            .map(|p| &html[p.start..p.end])
            .collect()
    }

    #[test]
    fn prose_html_passes() {
        for html in [
            "<kbd>Enter</kbd>",
            "<p>Call us on Monday</p>",
            "<p>Enter data: your name</p>",
            "<details open><summary>More</summary>\n<p lang=\"es\">Hola</p></details>",
            "<a href=\"https://www.example.gov/x?y=1#z\" title=\"t\">x</a>",
            "<a href=\"mailto:help@example.gov\">x</a> <a href=\"tel:+18005550100\">x</a>",
            "<a href=\"../about/#top\">x</a><a href=\"#part\">x</a><a href=\"@office/help\">x</a>",
            "<img src=\"../static/map.png\" alt=\"Map\" width=\"200\">",
            "<table><tr><th scope=\"col\" colspan=\"2\">a</th></tr></table>",
            "<!-- a comment --> <span aria-label=\"x\" role=\"note\">x</span>",
            "a < b and AT&T &amp; more",
        ] {
            assert_eq!(check(html), vec![], "{html}");
        }
    }

    #[test]
    fn the_four_bypasses_of_the_old_check_are_caught() {
        // An event attribute on the second line of a tag.
        assert_eq!(
            spans("<img src=\"x.png\" alt=\"\"\nonerror=\"alert(1)\">"),
            vec!["onerror=\"alert(1)\""]
        );
        // A scheme split across lines.
        assert_eq!(
            messages("<a href=\"java\nscript:alert(1)\">x</a>"),
            vec!["`href=` address `java\\nscript:alert(1)` could run code in the reader's browser"]
        );
        // Numeric references without `;`.
        assert_eq!(
            messages("<a href=&#0000106&#0000097vascript:alert(1)>x</a>"),
            vec!["`href=` address `javascript:alert(1)` could run code in the reader's browser"]
        );
        // SVG animating an `href`.
        let html =
            "<svg><a><animate attributeName=\"href\" values=\"javascript:alert(1)\"></a></svg>";
        assert_eq!(spans(html), vec!["<svg>"]);
    }

    #[test]
    fn elements_and_attributes_off_the_list_are_named() {
        assert_eq!(
            messages("<script>alert(1)</script>"),
            vec!["`<script>` is not allowed in a page: it runs code in the reader's browser"]
        );
        assert_eq!(spans("<IFRAME src=x>"), vec!["<IFRAME src=x>"]);
        assert_eq!(
            spans("<form action=https://evil.example/></form><style>p{}</style>"),
            vec!["<form action=https://evil.example/>", "<style>"]
        );
        // The content of a refused element goes with it; what follows it is checked.
        assert_eq!(
            spans("<svg><svg></svg><script>x</script></svg><b onclick=x>"),
            vec!["<svg>", "onclick=x"]
        );
        assert_eq!(spans("<svg/><b onclick=x>"), vec!["<svg/>", "onclick=x"]);
        assert_eq!(
            spans("<link href=x><b onclick=x>"),
            vec!["<link href=x>", "onclick=x"]
        );
        assert_eq!(
            spans("<p style=\"color: red\">x</p>"),
            vec!["style=\"color: red\""]
        );
        assert_eq!(spans("<p align=center>x</p>"), vec!["align=center"]);
        assert_eq!(
            spans("<img src=a.png srcset=\"b.png 2x\">"),
            vec!["srcset=\"b.png 2x\""]
        );
        assert_eq!(
            spans("<b ONCLICK=x onmouseover=y>"),
            vec!["ONCLICK=x", "onmouseover=y"]
        );
    }

    #[test]
    fn addresses_are_checked_after_decoding() {
        for html in [
            "<a href=\"java&#x73;cript&colon;x\">",
            "<a href=\"jav\tascript:x\">",
            "<a href=\" JAVASCRIPT:x\">",
            "<a href=\"&#x6A;avascript:x\">",
            "<a href=\"vbscript:x\">",
            "<a href=\"data:text/html,x\">",
            "<a href=\"file:///etc/passwd\">",
            "<q cite=\"javascript:x\">",
            "<img src=\"https://tracker.example/p.png\">",
            "<img src=\"//tracker.example/p.png\">",
            "<img src=\"\\\\tracker.example/p.png\">",
            "<img src=\"data:image/png;base64,AA\">",
        ] {
            assert_eq!(check(html).len(), 1, "{html}");
        }
    }

    #[test]
    fn html_left_open_is_caught() {
        assert_eq!(spans("<div title=\"x\n<p>more</p>"), vec!["<div title=\"x"]);
        assert_eq!(spans("<div>\n<!-- no end"), vec!["<!-- no end"]);
        assert_eq!(spans("text <"), vec!["<"]);
        assert_eq!(spans("<?php echo"), vec!["<?php echo"]);
        assert_eq!(spans("<?php echo ?>"), Vec::<&str>::new());
        // A comment left open ending in `>` would let a later `-->` out of an attribute.
        assert_eq!(spans("<p>x</p><!-- a >"), vec!["<!-- a >"]);
        assert_eq!(spans("<!DOCTYPE html"), vec!["<!DOCTYPE html"]);
        assert_eq!(spans("<!---->"), Vec::<&str>::new());
    }

    #[test]
    fn active_content_finds_handlers_and_scripts_anywhere() {
        assert!(active_content("<p>x</p><svg><a xlink:href=\"javascript:x\">").is_some());
        assert!(active_content("<body onload=x>").is_some());
        assert!(active_content("<a href=\"&#106;avascript:x\">").is_some());
        assert!(active_content("<animate values=\"x;javascript:y\">").is_some());
        assert_eq!(
            active_content("<p title=\"data: the numbers\">javascript:</p>"),
            None
        );
        assert_eq!(
            active_content("<img src=\"../x.png\" alt=\"data: x\">"),
            None
        );
    }
}
