//! The shipped guide's handouts: one per path, with the call log, the receipt-prefix table
//! where it applies, numbered sources, the build date, and the online address with a QR code
//! only when the site has a base URL. (That each prints on one page is shown in a real
//! browser by `tests/browser/handouts.mjs`.)

use std::process::Command;
use std::sync::OnceLock;

use crate::common::SiteTest;

/// 2026-11-25T13:42:00Z, as a reproducible build would set it.
const EPOCH: &str = "1795614120";

const BASE_URL: &str = "https://user.github.io/guide";

/// Runs `casepath build --root <root> <args>` with `SOURCE_DATE_EPOCH` set.
fn build_at_epoch(test: &SiteTest, args: &[&str]) {
    let output = Command::new(env!("CARGO_BIN_EXE_casepath"))
        .arg("build")
        .args(args)
        .arg("--root")
        .arg(test.root())
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .env("NO_COLOR", "1")
        .output()
        .expect("run casepath");
    assert!(
        output.status.success(),
        "build failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The shipped guide built without a base URL.
fn guide() -> &'static SiteTest {
    static GUIDE: OnceLock<SiteTest> = OnceLock::new();
    GUIDE.get_or_init(|| {
        let test = SiteTest::shipped();
        build_at_epoch(&test, &[]);
        test
    })
}

/// The shipped guide built with `--base-url https://user.github.io/guide`.
fn guide_with_base_url() -> &'static SiteTest {
    static GUIDE: OnceLock<SiteTest> = OnceLock::new();
    GUIDE.get_or_init(|| {
        let test = SiteTest::shipped();
        build_at_epoch(&test, &["--base-url", BASE_URL]);
        test
    })
}

/// The ids of the shipped guide's paths, from the built path pages.
fn path_ids() -> Vec<String> {
    let mut ids: Vec<String> = std::fs::read_dir(guide().root().join("site/paths"))
        .unwrap()
        .filter_map(|e| {
            let e = e.unwrap();
            e.file_type()
                .unwrap()
                .is_dir()
                .then(|| e.file_name().to_string_lossy().into_owned())
        })
        .collect();
    ids.sort();
    assert!(ids.len() >= 9, "{ids:?}");
    ids
}

/// The `<article class="handout">` of a built page.
fn handout_of(html: &str) -> &str {
    let start = html.find("<article class=\"handout\"").expect("a handout");
    let end = start + html[start..].find("</article>").expect("its end");
    &html[start..end]
}

#[test]
fn every_path_has_a_handout_and_links_to_it() {
    let all = guide().read("handouts/index.html");
    for id in path_ids() {
        let html = guide().read(&format!("handouts/{id}/index.html"));
        let handout = handout_of(&html);
        assert!(
            handout.contains("<h1 id=\""),
            "{id}: the title is the page's h1"
        );
        assert!(
            handout.contains("<strong>Who this is for:</strong>"),
            "{id}"
        );
        assert!(
            handout.contains("<p class=\"hs-title\"><strong>Step 1. "),
            "{id}"
        );
        let path_page = guide().read(&format!("paths/{id}/index.html"));
        assert!(
            path_page.contains(&format!(
                r#"<a href="../../handouts/{id}/index.html">Print this as a one-page handout</a>"#
            )),
            "{id}"
        );
        // "Print all handouts" has each one, under a level-2 title.
        assert!(all.contains(&format!(r#"<article class="handout" id="handout-{id}""#)));
        assert!(all.contains(&format!(r#"<a href="../handouts/{id}/index.html">"#)));
    }
    assert!(all.contains(r#"<h2 id="service-center-case-title" class="handout-title">Your case is at a service center</h2>"#));
}

#[test]
fn every_handout_has_a_call_log_to_fill_in() {
    for id in path_ids() {
        let html = guide().read(&format!("handouts/{id}/index.html"));
        let handout = handout_of(&html);
        for column in [
            "Date and time",
            "Step",
            "Name or ID number of the person",
            "Service request number",
            "What they said, next step",
        ] {
            assert!(
                handout.contains(&format!(">{column}</th>")),
                "{id}: no call-log column {column}"
            );
        }
        let rows = handout.matches("<tr><td></td><td></td><td></td><td></td><td></td></tr>");
        assert!(rows.count() >= 8, "{id}: fewer than eight rows to write in");
    }
}

#[test]
fn the_service_center_handout_has_the_current_steps_and_what_to_write_down() {
    let html = guide().read("handouts/service-center-case/index.html");
    let handout = handout_of(&html);
    // Waits of the current view, with the step's number and contacts.
    assert!(
        handout.contains("<strong>Wait 15 days</strong> after you contacted the Contact Center")
    );
    assert!(handout.contains("<strong>Wait 21 days</strong> after you emailed the service center"));
    assert!(handout.contains("<strong>Expect an answer within 10 days</strong>"));
    assert!(handout.contains(r#"<a href="tel:+18003755283">1-800-375-5283</a>"#));
    assert!(handout.contains("<strong>SCOPSSCATA@dhs.gov</strong>"));
    // What to have ready and what to write down, as the sources advise.
    assert!(handout.contains("Your Alien Registration number (A-number), if you have one."));
    assert!(handout.contains("The type of application you filed and the date you filed it."));
    assert!(handout.contains("The name or ID number of the person you spoke with."));
    assert!(
        handout.contains("The service request referral number, if staff make a service request.")
    );
    // Older wording, unverified details and facts kept for the web page stay off the paper.
    assert!(!handout.contains("Older wording"));
    assert!(
        !handout.contains("877-709-5797"),
        "the unverified VRS number"
    );
    assert!(!handout.contains("The older Policy Manual also allows this step"));
    assert!(guide()
        .read("paths/service-center-case/index.html")
        .contains("The older Policy Manual also allows this step"));
}

#[test]
fn the_service_center_handout_has_the_receipt_prefix_table() {
    let html = guide().read("handouts/service-center-case/index.html");
    let handout = handout_of(&html);
    let table = &handout[handout.find("<table class=\"handout-prefixes\"").unwrap()..];
    let table = &table[..table.find("</table>").unwrap()];
    let rows: Vec<(&str, &str)> = table
        .split("<tr><th scope=\"row\">")
        .skip(1)
        .map(|row| {
            let prefix = &row[..3];
            let office = row.split("<td>").nth(1).unwrap();
            (prefix, &office[..office.find(['<', ':']).unwrap()])
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("EAC", "Vermont Service Center"),
            ("LIN", "Nebraska Service Center"),
            ("SRC", "Texas Service Center"),
            ("SRC", "Texas Service Center"),
            ("WAC", "California Service Center"),
        ]
    );
    assert!(table
        .contains(r#"<a href="mailto:vsc.ncscfollowup@dhs.gov">vsc.ncscfollowup@dhs.gov</a>*"#));
    assert!(table.contains("Texas Service Center: For refugee and asylee questions only."));
    assert!(handout.contains("* Not listed in the newest source, 2024 Policy Manual"));
    // Step 2 points at the table rather than repeating the addresses.
    assert!(handout.contains(r##"Email your service center: see <a href="#service-center-case-prefixes">the table below</a>."##));
    // The table is only where a step reaches the service centers.
    for id in ["premium-processing", "field-office-case", "military"] {
        let html = guide().read(&format!("handouts/{id}/index.html"));
        assert!(!html.contains("handout-prefixes"), "{id}");
    }
}

#[test]
fn every_source_number_on_a_handout_is_listed_with_its_short_title() {
    for id in path_ids() {
        let html = guide().read(&format!("handouts/{id}/index.html"));
        let handout = handout_of(&html);
        let sources = &handout[handout.find("<strong>Sources:</strong>").expect(&id)..];
        let listed = sources.matches("] <a href=\"../../sources/").count();
        assert!(listed >= 1, "{id}");
        let mut highest = 0;
        for cite in handout.split("<span class=\"n\">[").skip(1) {
            let cite = &cite[..cite.find(']').unwrap()];
            for part in cite.split(", ") {
                let last = part.rsplit('–').next().unwrap();
                highest = highest.max(last.parse::<usize>().expect(cite));
            }
        }
        assert_eq!(highest, listed, "{id}: cited and listed sources differ");
    }
    let html = guide().read("handouts/service-center-case/index.html");
    assert!(html.contains(
        r#"[1] <a href="../../sources/sc-process-30-day/index.html">USCIS 30-day notice</a>"#
    ));
}

#[test]
fn handouts_show_the_build_date_from_source_date_epoch() {
    for page in [
        "handouts/service-center-case/index.html",
        "handouts/index.html",
    ] {
        assert!(
            guide().read(page).contains(
                r#"<p class="handout-built">Built <time datetime="2026-11-25">November 25, 2026</time></p>"#
            ),
            "{page}"
        );
    }
}

#[test]
fn a_build_with_the_same_source_date_is_byte_for_byte_the_same() {
    let again = SiteTest::shipped();
    build_at_epoch(&again, &[]);
    for id in path_ids() {
        let page = format!("handouts/{id}/index.html");
        assert!(guide().read(&page) == again.read(&page), "{page}");
    }
}

#[test]
fn with_a_base_url_the_handout_has_the_page_address_and_its_qr_code() {
    let html = guide_with_base_url().read("handouts/service-center-case/index.html");
    let handout = handout_of(&html);
    let url = "https://user.github.io/guide/paths/service-center-case/";
    // Printed as text: the page is the online copy, so a link to itself would be noise.
    assert!(handout.contains(&format!(r#"<span class="handout-url">{url}</span>"#)));
    let qr = &handout[handout
        .find("<div class=\"handout-qr\">")
        .expect("a QR code")..];
    assert!(qr.starts_with(r#"<div class="handout-qr"><svg class="qr-code" aria-hidden="true" focusable="false" xmlns="http://www.w3.org/2000/svg""#));
    assert!(qr.contains("<path fill=\"#000\" d=\"M"));
    for id in path_ids() {
        let html = guide_with_base_url().read(&format!("handouts/{id}/index.html"));
        assert!(html.contains(&format!("{BASE_URL}/paths/{id}/")), "{id}");
        assert_eq!(html.matches("<svg class=\"qr-code\"").count(), 1, "{id}");
    }
}

#[test]
fn without_a_base_url_there_is_no_address_and_no_qr_code() {
    for id in path_ids() {
        let html = guide().read(&format!("handouts/{id}/index.html"));
        let handout = handout_of(&html);
        assert!(!handout.contains("<svg"), "{id}");
        assert!(!handout.contains("handout-qr"), "{id}");
        assert!(!handout.contains("handout-url"), "{id}");
        assert!(!handout.contains("Online, with every source"), "{id}");
        assert!(!html.contains("github.io"), "{id}");
    }
}

#[test]
fn every_page_links_the_print_stylesheet() {
    let print = r#"<link rel="stylesheet" href="../../static/print.css" media="print">"#;
    for page in [
        "offices/vermont-service-center/index.html",
        "handouts/military/index.html",
    ] {
        assert!(guide().read(page).contains(print), "{page}");
    }
    assert!(guide()
        .read("index.html")
        .contains(r#"<link rel="stylesheet" href="static/print.css" media="print">"#));
    let css = guide().read("static/print.css");
    assert!(css.contains("@page { size: auto; margin: 10mm; }"));
    assert!(css.contains(".handout + .handout { break-before: page; }"));
    assert!(css.contains(r#"a[href^="http"]::after { content: " (" attr(href) ")";"#));
}

#[test]
fn the_i_730_handout_lists_every_address_it_tells_the_reader_to_use() {
    // It sends the reader through the service-center steps: the Contact Center, the service
    // center that has the case, then headquarters. Each address is on the sheet, and only
    // addresses from the data are.
    let html = guide().read("handouts/i-730-overseas/index.html");
    let handout = handout_of(&html);
    for address in [
        "1-800-375-5283",
        "vsc.ncscfollowup@dhs.gov",
        "csc-ncsc-followup@dhs.gov",
        "ncscfollowup.nsc@dhs.gov",
        "tsc.ncscfollowup@dhs.gov",
        "SCOPSSCATA@dhs.gov",
        "603-334-0700",
        "NVCInquiry@state.gov",
        "legalnet@state.gov",
        "(202) 663-1225",
    ] {
        assert!(
            handout.contains(address),
            "{address} is not on the I-730 handout"
        );
    }
    assert!(handout.contains(r#"<table class="handout-prefixes" id="i-730-overseas-prefixes">"#));
    let data = std::fs::read_to_string(guide().root().join("content/data/channels.yaml")).unwrap()
        + &std::fs::read_to_string(guide().root().join("content/data/offices.yaml")).unwrap()
        + &std::fs::read_to_string(guide().root().join("content/data/paths.yaml")).unwrap();
    for email in handout
        .split("mailto:")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap())
    {
        assert!(
            data.contains(email),
            "{email} on the handout is in no data file"
        );
    }
}
