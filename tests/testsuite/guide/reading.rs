//! How pages read: the action first, sources as numbered markers that lead to notes at the end
//! of the page, older rules after the steps, and no source lost on the way.

use std::collections::{BTreeMap, BTreeSet};

use super::{guide, main_of};

/// Every HTML page of the built guide, by path.
fn pages() -> BTreeMap<String, String> {
    guide()
        .snapshot_output()
        .into_iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .map(|(p, b)| (p, String::from_utf8(b).unwrap()))
        .collect()
}

/// The numbers of the source markers (`<a href="#source-N">`) in `html`, in page order.
fn markers(html: &str) -> Vec<usize> {
    html.split(r##"<sup class="source-ref"><a href="#source-"##)
        .skip(1)
        .map(|rest| rest[..rest.find('"').unwrap()].parse().unwrap())
        .collect()
}

/// The numbers of the notes (`<li id="source-N">`) in `html`, in page order.
fn notes(html: &str) -> Vec<usize> {
    html.split(r#"<li id="source-"#)
        .skip(1)
        .map(|rest| rest[..rest.find('"').unwrap()].parse().unwrap())
        .collect()
}

/// The part of a page's `<main>` before its notes.
fn body(html: &str) -> &str {
    let start = html.find("<main").unwrap_or(0);
    let end = html
        .find(r#"<section class="source-notes""#)
        .or_else(|| html.find("</main>"))
        .unwrap_or(html.len());
    &html[start..end]
}

#[test]
fn source_markers_rise_down_every_page_and_each_leads_to_its_note() {
    let mut pages_with_notes = 0;
    for (path, html) in pages() {
        let used = markers(body(&html));
        let listed = notes(&html);
        // Numbers first appear in order: 1, 2, 3 …
        let mut next = 1;
        for &n in &used {
            assert!(n <= next, "{path}: marker {n} appears before {next}");
            if n == next {
                next += 1;
            }
        }
        // The notes are 1..N, each used by a marker, and every marker has its note.
        let expected: Vec<usize> = (1..next).collect();
        assert_eq!(listed, expected, "{path}: notes do not match the markers");
        if !listed.is_empty() {
            pages_with_notes += 1;
        }
    }
    // Every office, channel and path page (in each version) and more.
    assert!(
        pages_with_notes > 140,
        "{pages_with_notes} pages with notes"
    );
}

#[test]
fn office_channel_and_path_pages_link_sources_only_from_their_notes() {
    let mut checked = 0;
    for (path, html) in pages() {
        // `offices/x/index.html`, and the same under `versions/<id>/`.
        let parts: Vec<&str> = path.split('/').collect();
        if parts.len() < 3 || !["paths", "offices", "channels"].contains(&parts[parts.len() - 3]) {
            continue;
        }
        let text = body(&html);
        let source_links = text
            .split(r#"href=""#)
            .skip(1)
            .filter(|rest| rest[..rest.find('"').unwrap()].contains("sources/"))
            .count();
        assert_eq!(
            source_links, 0,
            "{path}: a source link in the text, outside the notes"
        );
        assert!(
            !text.contains(r#"<span class="cite">"#),
            "{path}: an inline list of citations"
        );
        checked += 1;
    }
    assert!(checked > 100, "only {checked} pages checked");
}

/// Every `href` of a citation in a data.json entity: in `citations` lists anywhere within it
/// (its facts, contacts, waits, older wording and withdrawn contacts).
fn cited_hrefs(value: &serde_json::Value, out: &mut BTreeSet<String>) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, v) in map {
                if key == "citations" {
                    for c in v.as_array().into_iter().flatten() {
                        out.insert(c["href"].as_str().unwrap().to_string());
                    }
                } else if key != "backlinks" {
                    cited_hrefs(v, out);
                }
            }
        }
        serde_json::Value::Array(list) => list.iter().for_each(|v| cited_hrefs(v, out)),
        _ => {}
    }
}

#[test]
fn every_fact_still_names_and_links_its_source() {
    let data: serde_json::Value = serde_json::from_str(&guide().read("data.json")).unwrap();
    let mut checked = 0;
    for kind in ["offices", "channels", "paths"] {
        for entity in data[kind].as_array().unwrap() {
            let url = entity["url"].as_str().unwrap();
            let page = guide().read(url);
            let mut hrefs = BTreeSet::new();
            cited_hrefs(entity, &mut hrefs);
            for href in hrefs {
                assert!(
                    page.contains(&format!(r#"<a href="../../{href}">"#)),
                    "{url} does not link {href}"
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 300, "only {checked} citations checked");
}

#[test]
fn a_source_note_names_quotes_and_links_the_line_and_leads_back() {
    let page = main_of("paths/service-center-case/index.html");
    // The lead's marker is the page's first note.
    assert!(page.contains(r##"ask the CIS Ombudsman for help.<sup class="source-ref"><a href="#source-1"><span class="visually-hidden">source </span>1</a></sup></p>"##), "{page}");
    let note = &page[page.find(r#"<li id="source-1">"#).unwrap()..];
    let note = &note[..note.find("</li>").unwrap()];
    assert!(note.contains(r#"<a href="../../sources/sc-process-30-day/index.html#L3">USCIS 30-day notice, line 3</a>"#), "{note}");
    assert!(note.contains("<q>"), "{note}");
    assert!(
        note.contains(r##"Back to <a href="#main">Top of the page</a>"##),
        "{note}"
    );
    // Lines of two notices that say the same words are quoted once.
    let email = &page[page
        .find("USCIS 30-day notice, line 15</a>; ")
        .expect("grouped lines")..];
    assert!(email.starts_with("USCIS 30-day notice, line 15</a>; <a href=\"../../sources/case-inquiries-15-day/index.html#L17\">USCIS 15-day notice, line 17</a>: <q>Nebraska Service Center: ncscfollowup.nsc@dhs.gov</q>"), "{}", &email[..300]);
}

#[test]
fn the_path_page_opens_with_the_first_step_and_keeps_older_rules_for_the_end() {
    let page = main_of("paths/service-center-case/index.html");
    let at = |needle: &str| {
        page.find(needle)
            .unwrap_or_else(|| panic!("no {needle} in {page}"))
    };
    // The phone number comes before anything about versions of the rules.
    assert!(at(r#"href="tel:+18003755283""#) < at(r#"class="older-rules""#));
    assert!(at(r#"class="older-rules""#) > at("</ol>"));
    assert!(at(r#"<nav class="switcher""#) > at(r#"class="older-rules""#));
    // The wait says in words that it is today's rule and what older sources said.
    assert!(page.contains("Older sources said 30 days: see “Older rules” below."));
    assert!(page.contains("This page follows the newest source that gives each rule."));
    assert!(page.contains("<strong>30 days</strong> in <a href=\"../../versions/sc-30-day/index.html\">Service-center process, 30-day wait</a>"));
    // What to have ready opens on demand.
    assert!(page.contains(r#"<details class="step-more">"#));
}

#[test]
fn office_and_channel_pages_open_with_when_and_how_to_reach_them() {
    let office = main_of("offices/contact-center/index.html");
    let when = office.find("How and when to reach it").unwrap();
    assert!(
        when < office
            .find("The phone line is open 24 hours a day")
            .unwrap()
    );
    assert!(
        office
            .find("The phone line is open 24 hours a day")
            .unwrap()
            < office.find("tel:+18003755283").unwrap()
    );
    let channel = main_of("channels/service-center-email/index.html");
    assert!(
        channel.contains(r#"<h2 id="contacts">How to reach it</h2>"#),
        "{channel}"
    );
}
