//! The shipped guide: it builds, every page is reachable, and key facts from the five
//! source documents land on the right pages with their sources.

use std::collections::{BTreeSet, HashMap, VecDeque};

use super::{guide, main_of};
use crate::common;

#[test]
fn check_finds_no_broken_link_or_anchor() {
    let run = guide().run(&["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn vermont_page_shows_its_prefix_and_follow_up_email_with_sources() {
    let page = main_of("offices/vermont-service-center/index.html");
    assert!(page
        .contains("Receipt numbers that start with <strong>EAC</strong> belong to this office."));
    assert!(page.contains(
        r#"<a href="mailto:vsc.ncscfollowup@dhs.gov">vsc.ncscfollowup<wbr>@dhs.gov</a>"#
    ));
    assert!(page.contains(r#"href="../../sources/sc-process-30-day/index.html#L14">USCIS 30-day notice, line 14</a>"#), "{page}");
    assert!(page.contains(r#"href="../../sources/case-inquiries-15-day/index.html#L16">USCIS 15-day notice, line 16</a>"#));
    // The 2024 Policy Manual withdraws the service-center addresses: say so under the
    // address, and in its note which version withdraws it, with the words that do.
    assert!(page
        .contains("Withdrawn in 2024 Policy Manual (Forms of Assistance). It may no longer work."));
    assert!(page.contains(r#"<strong>Withdrawn in <a href="../../versions/manual-2024/index.html">2024 Policy Manual (Forms of Assistance)</a>.</strong>"#), "{page}");
    // The cited line really states it.
    let source = guide().read("sources/sc-process-30-day/index.html");
    assert!(source.contains(r#"<p id="L14"><span class="line-number" aria-hidden="true">14</span> - Vermont Service Center: vsc.ncscfollowup@dhs.gov</p>"#));
}

#[test]
fn every_service_center_has_its_receipt_prefix() {
    for (office, prefix) in [
        ("california-service-center", "WAC"),
        ("vermont-service-center", "EAC"),
        ("nebraska-service-center", "LIN"),
        ("texas-service-center", "SRC"),
    ] {
        let page = main_of(&format!("offices/{office}/index.html"));
        assert!(
            page.contains(&format!("start with <strong>{prefix}</strong>")),
            "{office}"
        );
    }
}

#[test]
fn the_service_center_wait_is_15_or_30_days_by_version() {
    let versions = main_of("versions/index.html");
    let row_start = versions
        .find("<th scope=\"row\">Wait before you email the service center</th>")
        .unwrap();
    let row = &versions[row_start..row_start + versions[row_start..].find("</tr>").unwrap()];
    // Versions oldest first: 30-day notice, 15-day notice, Ombudsman 2015, older manual,
    // 2024 manual (which does not restate the wait, so it keeps the older manual's); the
    // last cell is the value shown in the guide.
    assert_eq!(row.matches("<td ").map(|_| ()).count(), 6, "{row}");
    let cells: Vec<&str> = row
        .split("<td ")
        .skip(1)
        .map(|c| c.split_once('>').unwrap().1.split("</td>").next().unwrap())
        .collect();
    assert_eq!(
        cells,
        [
            "30 days",
            "15 days",
            "30 days",
            "15 days",
            "15 days <span class=\"silent\">(kept)</span>",
            "15 days"
        ]
    );
    for (version, days) in [
        ("sc-30-day", 30),
        ("sc-15-day", 15),
        ("ombudsman-2015", 30),
        ("manual-older", 15),
    ] {
        let rules = main_of(&format!("versions/{version}/index.html"));
        assert!(
            rules.contains(&format!(
                "<strong>Wait before you email the service center:</strong> {days} days"
            )),
            "{version}: {rules}"
        );
        let path = main_of(&format!(
            "versions/{version}/paths/service-center-case/index.html"
        ));
        assert!(
            path.contains(&format!("<strong>First wait {days} days</strong>")),
            "{version}"
        );
    }
    // The 2024 Policy Manual does not restate the email steps, nor withdraw them: its
    // version of the path keeps them, with the older manual's wait and its source.
    let path = main_of("versions/manual-2024/paths/service-center-case/index.html");
    assert!(
        path.contains("<strong>First wait 15 days</strong>"),
        "{path}"
    );
    assert!(path.contains(r#"href="../../../../sources/policy-manual-older/index.html#L95">Policy Manual, older edition, line 95</a>"#));
}

#[test]
fn the_path_page_shows_the_current_wait_and_the_other_versions() {
    let page = main_of("paths/service-center-case/index.html");
    assert!(
        page.contains("<strong>First wait 15 days</strong>"),
        "{page}"
    );
    assert!(page.contains("<strong>First wait 21 days</strong>"));
    assert!(page.contains("Older sources said 30 days: see “Older rules” below."));
    assert!(page.contains(r#"<a href="mailto:SCOPSSCATA@dhs.gov">SCOPSSCATA<wbr>@dhs.gov</a>"#));
}

#[test]
fn contact_center_page_lists_what_each_tier_can_and_cannot_do() {
    let page = main_of("offices/contact-center/index.html");
    assert!(page.contains("<h3>Tier 1 Customer Service Representatives (CSRs)</h3>"));
    assert!(page.contains("<h3>Tier 2 Immigration Service Officers (ISOs)</h3>"));
    assert!(page.contains("<h4>Can</h4>") && page.contains("<h4>Cannot</h4>"));
    assert!(page.contains("Answer questions about USCIS forms."));
    assert!(page.contains("Review a Request for Evidence (RFE) that was already sent."));
    assert!(page.contains("Give legal advice."));
    assert!(
        page.contains("National Customer Service Center (NCSC)"),
        "the former name is shown"
    );
    assert!(page.contains(r#"<a href="tel:+18003755283">1-800-375-5283</a>"#));
}

#[test]
fn the_unofficial_faq_tail_is_marked_and_its_author_block_never_appears() {
    for (path, bytes) in guide().snapshot_output() {
        let text = String::from_utf8_lossy(&bytes);
        for forbidden in [
            "Carmelo",
            "Roob",
            "Sipes Cliff",
            "6773780339780",
            "Gonzalobury",
        ] {
            assert!(
                !text.contains(forbidden),
                "{path} shows the fake author block ({forbidden})"
            );
        }
    }
    let contact = main_of("offices/contact-center/index.html");
    let vrs = contact
        .find("877-709-5797")
        .expect("the VRS number is shown");
    let card = &contact[contact[..vrs].rfind("<li class=\"contact").unwrap()..vrs];
    assert!(
        card.contains("<strong class=\"unverified\">Unverified:</strong>"),
        "{card}"
    );
    let tail = main_of("sources/faq-tail-2024/index.html");
    assert!(tail.contains("<strong>This is not an official source.</strong>"));
}

#[test]
fn the_source_pages_show_the_full_text() {
    let page = main_of("sources/ombudsman-2015/index.html");
    assert!(page.contains("<dd>September 25, 2015</dd>"));
    assert!(page.contains("If you have tried these regular USCIS avenues and have not received the information you seek, please submit DHS Form 7001 to the Ombudsman."));
    let undated = main_of("sources/sc-process-30-day/index.html");
    assert!(undated.contains("<dt>Date</dt><dd>Not dated</dd>"));
}

/// Every `href` (and form `action`) of a page, resolved to a site-relative path (fragment dropped).
fn links_of(page: &str, html: &str) -> Vec<String> {
    // A form's action counts as a link: the search box leads to the search page.
    html.split(" href=\"")
        .skip(1)
        .chain(html.split(" action=\"").skip(1))
        .filter_map(|rest| rest.split('"').next())
        .filter(|t| !t.contains(':') && !t.starts_with('#'))
        .map(|target| crate::common::resolve_link(page, target))
        .collect()
}

#[test]
fn every_page_is_reachable_from_home_and_every_office_and_channel_within_three_clicks() {
    let pages: HashMap<String, String> = guide()
        .snapshot_output()
        .into_iter()
        .filter(|(p, _)| p.ends_with(".html") && !p.ends_with("404.html"))
        .map(|(p, b)| (p, String::from_utf8(b).unwrap()))
        .collect();
    let mut depth: HashMap<String, usize> = HashMap::from([("index.html".to_string(), 0)]);
    let mut queue = VecDeque::from(["index.html".to_string()]);
    while let Some(page) = queue.pop_front() {
        let d = depth[&page];
        for target in links_of(&page, &pages[&page]) {
            if pages.contains_key(&target) && !depth.contains_key(&target) {
                depth.insert(target.clone(), d + 1);
                queue.push_back(target);
            }
        }
    }
    let unreachable: BTreeSet<&String> = pages.keys().filter(|p| !depth.contains_key(*p)).collect();
    assert!(
        unreachable.is_empty(),
        "not reachable from home: {unreachable:?}"
    );
    let far: BTreeSet<(&String, usize)> = depth
        .iter()
        .filter(|(p, d)| (p.starts_with("offices/") || p.starts_with("channels/")) && **d > 3)
        .map(|(p, d)| (p, *d))
        .collect();
    assert!(far.is_empty(), "more than three clicks from home: {far:?}");
}

#[test]
fn the_receipt_table_and_the_waits_table_work_without_javascript() {
    let home = main_of("index.html");
    // The form is hidden until the script shows it; its words come with it, from the string
    // table and the guide's site.yaml.
    assert!(home.contains(
        r#"<form class="helper-form" data-helper="receipt" data-words="{&quot;email&quot;:"#
    ));
    assert!(home.contains(r#"Check your notice, or ask the Contact Center.&quot;}" hidden>"#));
    assert!(home.contains("This runs only in your browser. Nothing you type leaves this page."));
    for (prefix, office) in [
        ("EAC", "Vermont"),
        ("WAC", "California"),
        ("LIN", "Nebraska"),
        ("SRC", "Texas"),
    ] {
        assert!(
            home.contains(&format!("<th scope=\"row\">{prefix}</th>")),
            "{prefix}"
        );
        assert!(
            home.contains(&format!(
                "data-prefix=\"{prefix}\" data-office=\"{office} Service Center\""
            )),
            "{prefix}"
        );
    }
    let path = main_of("paths/service-center-case/index.html");
    assert!(path.contains("The sources say “days” and do not say business days."));
    let row = |id: &str| {
        let start = path
            .find(&format!("<tr data-version=\"{id}\""))
            .unwrap_or_else(|| panic!("no row {id}"));
        path[start..start + path[start..].find("</tr>").unwrap()].to_string()
    };
    assert!(row("current").contains(r#"<td data-label="Before step 2" data-days="15">15 days</td><td data-label="Before step 3" data-days="21">21 days</td><td data-label="Answer to step 3" data-days="10">10 days</td>"#), "{}", row("current"));
    assert!(
        row("sc-30-day").contains(r#"<td data-label="Before step 2" data-days="30">30 days</td>"#)
    );
    // The older manual gives no answer time for headquarters: it keeps the 2015 one.
    assert!(row("manual-older").contains(r#"<td data-label="Before step 2" data-days="15">15 days</td><td data-label="Before step 3" data-days="21">21 days</td><td data-label="Answer to step 3" data-days="10">10 days</td>"#), "{}", row("manual-older"));
}

#[test]
fn the_service_center_handout_page_offers_the_deadline_calculator_on_screen() {
    let page = main_of("handouts/service-center-case/index.html");
    assert!(
        page.contains(
            r#"<div class="screen-only"><section class="helper deadline-helper" id="deadlines""#
        ),
        "{page}"
    );
}

/// A merge left half done (`<<<<<<<`, `=======`, `>>>>>>>` lines) once shipped in the
/// stylesheet, where it silently dropped the rules next to it: no file of the project may
/// hold one.
#[test]
fn no_file_holds_merge_conflict_markers() {
    let mut found = Vec::new();
    for folder in [
        "src", "themes", "content", "tests", "bench", ".ci", ".github",
    ] {
        for entry in walkdir::WalkDir::new(common::repo().join(folder))
            .into_iter()
            .filter_entry(|e| e.file_name() != "node_modules" && e.file_name() != "out")
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
        {
            let Ok(text) = std::fs::read_to_string(entry.path()) else {
                continue;
            };
            for (i, line) in text.lines().enumerate() {
                let marker = line.starts_with("<<<<<<< ")
                    || line.starts_with(">>>>>>> ")
                    || line == "=======";
                if marker {
                    found.push(format!("{}:{}", entry.path().display(), i + 1));
                }
            }
        }
    }
    assert!(found.is_empty(), "merge conflict markers at {found:?}");
}

#[test]
fn the_form_7001_step_says_the_sources_give_no_way_to_send_it() {
    // The one source that names the form says when to send it, not how or where: every
    // place that tells the reader to send it says so, and none gives an address for it.
    let plainly =
        "The sources do not say how or where to send the form, and give no address for it.";
    for page in [
        "paths/service-center-case/index.html",
        "paths/field-office-case/index.html",
        "handouts/service-center-case/index.html",
        "flowchart/ombudsman/index.html",
        "channels/dhs-form-7001/index.html",
        "offices/cis-ombudsman/index.html",
    ] {
        let html = main_of(page);
        assert!(html.contains(plainly), "{page}");
        // The Ombudsman's one email address is for comments, and is labelled so.
        if html.contains("cisombudsman@dhs.gov") {
            assert!(html.contains("For comments only"), "{page}");
        }
    }
}
