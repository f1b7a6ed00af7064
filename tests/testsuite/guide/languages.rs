//! The Spanish edition of the shipped guide: every page of `es/` gives the reader the same
//! phone numbers, emails and numbers as its English twin. A translation changes the words
//! around the facts, never a fact.

use std::collections::BTreeMap;

use super::guide;

/// The text of a page's `<main>`, without its tags, with `&amp;` and the like decoded.
fn main_text(html: &str) -> String {
    let start = html.find("<main").expect("a <main>");
    let end = html.find("</main>").expect("a </main>");
    let mut text = String::new();
    let mut in_tag = false;
    for c in html[start..end].chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                text.push(' ');
            }
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    decode_entities(&text)
}

/// `text` with its character references (`&amp;`, `&#39;`, `&#x2F;`…) decoded, so that the
/// digits of a reference are never read as a number of the page.
fn decode_entities(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest.find(';').filter(|&e| e <= 10).unwrap_or(0);
        let name = &rest[1..end.max(1)];
        let decoded = match name {
            "amp" => Some('&'),
            "quot" => Some('"'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "nbsp" => Some(' '),
            _ => name
                .strip_prefix("#x")
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The facts of a text that a translation may not change, each kind sorted: its emails,
/// its phone numbers (runs of digits and hyphens with seven digits or more) and every
/// run of digits.
fn facts(text: &str) -> BTreeMap<&'static str, Vec<String>> {
    let words = text.split(|c: char| c.is_whitespace() || "()<>\"“”‘’,;:".contains(c));
    let mut emails: Vec<String> = words
        .filter(|w| w.contains('@'))
        .map(|w| w.trim_end_matches('.').to_string())
        .collect();
    let runs = |keep: fn(char) -> bool| -> Vec<String> {
        text.split(|c: char| !keep(c))
            .map(|r| r.trim_matches('-'))
            .filter(|r| !r.is_empty())
            .map(str::to_string)
            .collect()
    };
    let mut phones: Vec<String> = runs(|c| c.is_ascii_digit() || c == '-')
        .into_iter()
        .filter(|r| r.chars().filter(char::is_ascii_digit).count() >= 7)
        .collect();
    let mut numbers = runs(|c| c.is_ascii_digit());
    emails.sort();
    phones.sort();
    numbers.sort();
    BTreeMap::from([("emails", emails), ("phones", phones), ("numbers", numbers)])
}

#[test]
fn every_spanish_page_has_the_phones_emails_and_numbers_of_its_english_twin() {
    let output = guide().snapshot_output();
    let pages: BTreeMap<&str, String> = output
        .iter()
        .filter(|(path, _)| path.ends_with(".html"))
        .map(|(path, bytes)| (path.as_str(), String::from_utf8_lossy(bytes).into_owned()))
        .collect();
    let mut compared = 0;
    let mut differ = Vec::new();
    for (path, html) in &pages {
        let Some(english) = path.strip_prefix("es/") else {
            continue;
        };
        let twin = pages
            .get(english)
            .unwrap_or_else(|| panic!("{path} has no twin"));
        let (ours, theirs) = (facts(&main_text(html)), facts(&main_text(twin)));
        compared += 1;
        for (kind, found) in &ours {
            if found != &theirs[kind] {
                differ.push(format!(
                    "{path}: {kind} {found:?}\n  {english}: {:?}",
                    theirs[kind]
                ));
            }
        }
    }
    assert!(compared > 300, "only {compared} Spanish pages");
    assert!(differ.is_empty(), "{}", differ.join("\n"));
}

#[test]
fn the_facts_of_a_text_are_its_emails_phones_and_numbers() {
    let found = facts(
        "Call 1-800-375-5283 (TTY 800-767-1833) or write to a.b@uscis.dhs.gov. Wait 15 days.",
    );
    assert_eq!(found["emails"], ["a.b@uscis.dhs.gov"]);
    assert_eq!(found["phones"], ["1-800-375-5283", "800-767-1833"]);
    assert_eq!(
        found["numbers"],
        ["1", "15", "1833", "375", "5283", "767", "800", "800"]
    );
}

#[test]
fn character_references_are_decoded_before_numbers_are_read() {
    assert_eq!(
        decode_entities("it&#39;s &amp; a&#x2F;b &bogus 5 &lt;"),
        "it's & a/b &bogus 5 <"
    );
    assert_eq!(
        facts(&decode_entities("don&#39;t"))["numbers"],
        Vec::<String>::new()
    );
}

#[test]
fn the_spanish_handouts_write_their_build_date_in_spanish() {
    let output = guide().snapshot_output();
    let built = |path: &str| {
        let (_, bytes) = output.iter().find(|(p, _)| p == path).expect("the handout");
        let html = String::from_utf8_lossy(bytes).into_owned();
        let start = html.find("class=\"handout-built\"").expect("a build date");
        let end = start + html[start..].find("</p>").expect("its end");
        html[start..end].to_string()
    };
    let spanish = built("es/handouts/service-center-case/index.html");
    let english = built("handouts/service-center-case/index.html");
    let months = [
        "January", "February", "March", "April", "May", "June", "July",
    ];
    let more = ["August", "September", "October", "November", "December"];
    assert!(
        !months.iter().chain(&more).any(|m| spanish.contains(m)),
        "{spanish}"
    );
    assert!(spanish.contains(" de 20"), "{spanish}");
    assert!(
        more.iter().chain(&months).any(|m| english.contains(m)),
        "{english}"
    );
}
