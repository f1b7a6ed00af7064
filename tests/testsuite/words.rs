//! The words of the pages: the theme's string table, the guide's own words in `site.yaml`,
//! a second language, the units of policy parameters (calendar and business days) and the
//! kinds a guide declares. The engine carries no guide's words; these tests show each
//! source of words reaching the pages.

use crate::common::SiteTest;

/// The `<main>` of a built page.
fn main_of(test: &SiteTest, page: &str) -> String {
    let html = test.read(page);
    let start = html.find("<main").expect("a <main>");
    let end = html.find("</main>").expect("a </main>");
    html[start..end + 7].to_string()
}

#[test]
fn a_wait_in_business_days_reads_and_counts_as_business_days() {
    let test = SiteTest::good("business-days");
    let run = test.build();
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);

    let path = main_of(&test, "paths/stuck-case/index.html");
    // The wait itself, the calculator's table and the data its script counts with.
    assert!(
        path.contains("First wait 15 business days</strong>"),
        "{path}"
    );
    assert!(
        path.contains(r#"<td data-label="Before step 2" data-days="15">15 business days</td>"#),
        "{path}"
    );
    assert!(path.contains(r#"data-after="after your call" data-unit="business_days">"#));
    // The page says how business days are counted, and that holidays are not known.
    assert!(path.contains(
        "<p>Count business days: Monday to Friday. Saturdays and Sundays do not count. This tool \
         does not know public holidays: for each holiday in a wait, add one day.</p>"
    ));
    assert!(!path.contains("Count calendar days"), "{path}");
    // The script gets the words of each unit, and of the calendar file.
    assert!(path.contains(
        "&quot;business_days&quot;:{&quot;one&quot;:&quot;{n} business day&quot;,&quot;other&quot;:&quot;{n} business days&quot;}"
    ));

    let handout = main_of(&test, "handouts/stuck-case/index.html");
    assert!(
        handout.contains("<strong>Wait 15 business days</strong>"),
        "{handout}"
    );
    let chart = main_of(&test, "flowchart/start/index.html");
    assert!(
        chart.contains("Yes, more than 15 business days ago"),
        "{chart}"
    );
    assert!(
        path.contains("Older sources said 30 business days"),
        "{path}"
    );
    let rules = main_of(&test, "versions/index.html");
    assert!(rules.contains("15 business days"), "{rules}");

    let data: serde_json::Value = serde_json::from_str(&test.read("data.json")).unwrap();
    let schedule = &data["paths"][0]["schedule"];
    assert_eq!(schedule["units"], serde_json::json!(["business_days"]));
    assert_eq!(schedule["columns"][0]["unit"], "business_days");
    assert_eq!(
        data["paths"][0]["steps"][1]["wait"]["unit"],
        "business_days"
    );
}

#[test]
fn waits_in_calendar_days_say_so_and_not_business_days() {
    let test = SiteTest::minimal();
    test.build();
    let path = main_of(&test, "paths/stuck-case/index.html");
    assert!(
        path.contains("<p>Count calendar days: every day counts, weekends and holidays too.</p>")
    );
    assert!(path.contains(r#"data-unit="calendar_days""#));
    assert!(path.contains("First wait 15 days</strong>"));
    assert!(!path.contains("Count business days"), "{path}");
    assert!(!path.contains(" business days<"), "{path}");
}

#[test]
fn the_shipped_guide_builds_without_warnings() {
    // Its one number of days that no step waits on, the Ombudsman's 90-day window for a
    // call review, is declared a limit.
    let test = SiteTest::shipped();
    let run = test.run(&["check", "--deny-warnings"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr, "");
}

#[test]
fn a_guide_puts_its_own_words_in_site_yaml_by_the_theme_s_keys() {
    let test = SiteTest::minimal();
    test.write(
        "content/site.yaml",
        "title: Minimal guide\n\
         strings:\n  \
           titles:\n    \
             channels: Ways to reach the Help Desk\n  \
           layout.nav.paths: Your problem\n  \
           handout:\n    \
             log.reference: Ticket number\n",
    );
    test.build();
    let channels = test.read("channels/index.html");
    assert!(channels.contains("<title>Ways to reach the Help Desk · Minimal guide</title>"));
    assert!(channels.contains("<h1>Ways to reach the Help Desk</h1>"));
    assert!(channels.contains(">Your problem</a></li>"), "{channels}");
    let handout = test.read("handouts/stuck-case/index.html");
    assert!(handout.contains(r#"<th scope="col" class="cl-sr">Ticket number</th>"#));
    // The theme's words stay where the guide says nothing.
    assert!(channels.contains(">Offices</a></li>"));
}

#[test]
fn a_second_language_is_a_second_string_file_of_the_theme() {
    let test = SiteTest::minimal();
    test.write("content/site.yaml", "title: Guía mínima\nlanguage: es\n");
    test.write(
        "themes/default/strings.es.yaml",
        "layout:\n  nav:\n    paths: Su situación\nunits:\n  calendar_days:\n    one: \"{n} día\"\n    other: \"{n} días\"\n",
    );
    test.build();
    let home = test.read("index.html");
    assert!(home.contains(r#"<html lang="es">"#));
    assert!(home.contains(">Su situación</a></li>"), "{home}");
    // A text the language's file leaves out keeps the theme's words.
    assert!(home.contains(">Offices</a></li>"));
    let path = main_of(&test, "paths/stuck-case/index.html");
    assert!(path.contains("First wait 15 días</strong>"), "{path}");
}

#[test]
fn version_pages_count_the_versions_by_their_place_in_time() {
    let test = SiteTest::minimal();
    let policies = std::fs::read_to_string(test.root().join("content/data/policies.yaml"))
        .unwrap()
        .replace("order: 1\n", "order: 10\n");
    test.write("content/data/policies.yaml", &policies);
    test.build();
    // `order` places a version among the others; it is not its number.
    let older = main_of(&test, "versions/older-era/index.html");
    assert!(
        older.contains(r#"<p class="kind-label">Policy version 1 of 2</p>"#),
        "{older}"
    );
    let newer = main_of(&test, "versions/notice-era/index.html");
    assert!(
        newer.contains(r#"<p class="kind-label">Policy version 2 of 2</p>"#),
        "{newer}"
    );
}

#[test]
fn kinds_of_office_and_channel_are_the_guide_s_own() {
    let test = SiteTest::minimal();
    test.write(
        "content/data/kinds.yaml",
        "- id: contact-center\n  of: office\n  label: Phone desk\n\
         - id: email\n  of: channel\n  label: Write to us\n",
    );
    test.build();
    let office = main_of(&test, "offices/help-desk/index.html");
    assert!(
        office.contains(r#"<p class="kind-label">Phone desk</p>"#),
        "{office}"
    );
    let channels = main_of(&test, "channels/index.html");
    assert!(
        channels.contains(r#"<td data-label="Kind">Write to us</td>"#),
        "{channels}"
    );
}
