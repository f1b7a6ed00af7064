//! The decision flowchart of the shipped guide: the drawing (snapshot), the outline, the
//! step-through pages without JavaScript, and waits that come from the policy versions.

mod common;

use std::path::Path;

use casepath::flowchart::{self, Entities, Lookup};
use casepath::load::schema::{Fact, SourceRef, Wait};
use casepath::model::{Citation, FactView, Link, WaitView};
use common::{guide, main_of, SiteTest};

#[test]
fn the_drawing_is_inline_svg_with_title_desc_and_a_link_per_node() {
    let page = main_of("flowchart/index.html");
    let svg = &page[page.find("<svg").unwrap()..page.find("</svg>").unwrap() + 6];
    assert!(svg.contains(
        r#"role="group" aria-labelledby="flowchart-title" aria-describedby="flowchart-desc""#
    ));
    assert!(
        svg.contains(r#"<title id="flowchart-title">Flowchart: who to contact, and when</title>"#)
    );
    assert!(svg.contains(r#"<desc id="flowchart-desc">"#));
    assert!(
        svg.contains(r#"<a class="fc-node fc-question" href="../flowchart/own-case/index.html">"#)
    );
    assert!(
        svg.contains(r#"<a class="fc-node fc-outcome" href="../flowchart/ombudsman/index.html">"#)
    );
    // The drawing sits in a labelled region that can be scrolled with the keyboard.
    assert!(page.contains(r#"<div class="flowchart-scroll" role="region" aria-label="Flowchart drawing (scrolls sideways)" tabindex="0">"#));
    insta::assert_snapshot!("flowchart_svg", svg);
}

#[test]
fn the_outline_states_every_decision_and_where_each_answer_leads() {
    let page = main_of("flowchart/index.html");
    let outline =
        &page[page.find("<h2 id=\"outline-heading\">").unwrap()..page.find("</section>").unwrap()];
    let chart = shipped_chart();
    for node in &chart.nodes {
        assert!(
            outline.contains(&format!(r#"<li id="outline-{}""#, node.id)),
            "{} is not in the outline",
            node.id
        );
        for option in &node.options {
            assert!(
                outline.contains(&format!("If you answer “{}”:", option.label)),
                "the answer {:?} of {} is not in the outline",
                option.label,
                node.id
            );
        }
    }
    // A node's only way on is listed next, at the same depth, and the answer points to it.
    assert!(outline.contains(r##"<span class="outline-answer">If you answer “No answer after 15 days”:</span> go to <a href="#outline-which-center">What are the first three letters of your receipt number?</a> (next)."##), "{outline}");
    assert!(outline.contains(r#"<span class="outline-answer">If you answer “EAC”:</span> <span class="outline-kind">Do this:</span> <a href="../flowchart/email-vermont/index.html">Email the Vermont Service Center.</a>"#));
    assert_eq!(
        outline.matches("<ul>").count(),
        outline.matches("</ul>").count()
    );
}

#[test]
fn a_question_page_shows_the_trail_one_link_per_answer_and_start_over() {
    let page = main_of("flowchart/which-center/index.html");
    assert!(page.contains("<h1>What are the first three letters of your receipt number?</h1>"));
    // The trail: the shortest way from the start, each question a link, with the answer.
    let trail = &page[page.find("<nav class=\"trail\"").unwrap()..page.find("</nav>").unwrap()];
    assert!(trail.contains(r#"<li><a href="../../flowchart/own-case/index.html">Is your question about your own case?</a> <span class="trail-answer">You answered: Yes, it is about my case</span></li>"#), "{trail}");
    assert!(trail.contains(r#"<li><a href="../../flowchart/call-contact-center/index.html">Call the USCIS Contact Center. Write down the date and any request number.</a> <span class="trail-answer">You answered: No answer after 15 days</span></li>"#));
    assert!(page.contains(r#"<a href="../../flowchart/own-case/index.html">Start over</a>"#));
    // The question and its answers come first; the trail follows them.
    assert!(page.find("<h1>").unwrap() < page.find("<nav class=\"trail\"").unwrap());
    for (label, to) in [
        ("EAC", "email-vermont"),
        ("WAC", "email-california"),
        ("LIN", "email-nebraska"),
        ("SRC", "email-texas"),
    ] {
        assert!(page.contains(&format!(
            r#"<li><a href="../../flowchart/{to}/index.html">{label}</a></li>"#
        )));
    }
}

#[test]
fn the_start_page_has_no_trail_and_every_page_works_without_javascript() {
    let start = main_of("flowchart/own-case/index.html");
    assert!(!start.contains("Start over"));
    assert!(!start.contains("trail-heading"));
    for (path, bytes) in guide().snapshot_output() {
        if path.starts_with("flowchart/") {
            let html = String::from_utf8(bytes).unwrap();
            assert!(!html.contains("<script"), "{path} uses JavaScript");
        }
    }
}

#[test]
fn an_outcome_page_gives_the_contact_details_and_sources() {
    let page = main_of("flowchart/ombudsman/index.html");
    assert!(page.contains("<h1>Send DHS Form 7001 to the CIS Ombudsman.</h1>"));
    assert!(
        page.contains(r#"<a href="../../offices/cis-ombudsman/index.html">CIS Ombudsman</a>"#),
        "{page}"
    );
    assert!(page.contains(r#"<ul class="contacts">"#));
    assert!(page.contains("Ombudsman update, 2015, line"));
    let vermont = main_of("flowchart/email-vermont/index.html");
    assert!(vermont
        .contains(r#"<a href="mailto:vsc.ncscfollowup@dhs.gov">vsc.ncscfollowup@dhs.gov</a>"#));
    assert!(vermont.contains(r#"<a href="../../paths/service-center-case/index.html#email-service-center">Step 2: Email the service center that has your case</a>"#));
}

#[test]
fn waits_come_from_the_newest_version_that_states_them() {
    let svg = main_of("flowchart/index.html");
    assert!(
        svg.contains(">No answer after 15</tspan>")
            || svg.contains(">No answer after 15 days</tspan>")
    );
    let page = main_of("flowchart/call-contact-center/index.html");
    assert!(
        page.contains(
            r#"<a href="../../flowchart/which-center/index.html">No answer after 15 days</a>"#
        ),
        "{page}"
    );
    let hq = main_of("flowchart/email-headquarters/index.html");
    assert!(hq.contains("It should answer within 10 days."));
    assert!(hq.contains("<strong>Time for headquarters to answer: 10 days</strong> after your email to the headquarters office."), "{hq}");
    // The answer's wait names its source and the other versions' numbers.
    assert!(page.contains("<strong>Wait 15 days</strong> after you contacted the Contact Center"));
    assert!(page.contains("Other versions of the rules say: 30 days"));
}

/// The shipped chart, resolved in the current view.
fn shipped_chart() -> flowchart::Flowchart {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (content, errors) = casepath::load::load(root).unwrap();
    let validated = casepath::validate::validate(content, errors).unwrap();
    casepath::model::resolve(&validated)
        .unwrap()
        .flowchart
        .unwrap()
}

/// A view of the rules in which every wait is 30 days, as the oldest service-center text says.
struct ThirtyDays;

impl Lookup for ThirtyDays {
    fn citations(&self, _: &[SourceRef]) -> Vec<Citation> {
        Vec::new()
    }

    fn facts(&self, _: &[Fact]) -> Vec<FactView> {
        Vec::new()
    }

    fn wait(&self, wait: &Wait) -> Option<WaitView> {
        Some(WaitView {
            parameter: wait.parameter.value.clone(),
            label: String::new(),
            days: 30,
            after: wait.after.clone(),
            version: Link {
                kind: "version",
                id: "sc-30-day".into(),
                name: "30-day".into(),
                url: "versions/index.html#sc-30-day".into(),
            },
            note: None,
            citations: Vec::new(),
            others: Vec::new(),
        })
    }
}

#[test]
fn the_chart_resolves_again_under_another_policy_version() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (content, errors) = casepath::load::load(root).unwrap();
    let validated = casepath::validate::validate(content, errors).unwrap();
    let site = casepath::model::resolve(&validated).unwrap();
    let entities = Entities {
        offices: &site.offices,
        channels: &site.channels,
        paths: &site.paths,
    };
    let chart = flowchart::resolve(
        &validated.content.flowchart.records,
        &entities,
        &ThirtyDays,
        "versions/sc-30-day/flowchart/",
    )
    .unwrap();
    let call = chart
        .nodes
        .iter()
        .find(|n| n.id == "call-contact-center")
        .unwrap();
    assert_eq!(call.options[0].label, "No answer after 30 days");
    assert_eq!(
        call.options[0].url,
        "versions/sc-30-day/flowchart/which-center/index.html"
    );
    let svg = flowchart::svg::render(&chart, "../../../");
    assert!(svg.contains("No answer after 30"), "{svg}");
    assert!(!svg.contains("after 15"));
}

#[test]
fn a_guide_without_a_flowchart_has_no_flowchart_pages_or_link() {
    let test = SiteTest::minimal();
    std::fs::remove_file(test.root().join("content/data/flowchart.yaml")).unwrap();
    test.build();
    assert!(!test.root().join("site/flowchart").exists());
    assert!(!test
        .root()
        .join("site/versions/notice-era/flowchart")
        .exists());
    assert!(!test.read("index.html").contains("flowchart"));
}

#[test]
fn the_minimal_chart_fills_its_waits_and_links_its_outcome() {
    let test = SiteTest::minimal();
    test.build();
    let start = test.read("flowchart/start/index.html");
    assert!(
        start.contains(
            r#"<a href="../../flowchart/email/index.html">Yes, more than 15 days ago</a>"#
        ),
        "{start}"
    );
    let email = test.read("flowchart/email/index.html");
    assert!(email.contains(
        r#"<a href="mailto:helpdesk-followup@example.gov">helpdesk-followup@example.gov</a>"#
    ));
    assert!(test
        .read("index.html")
        .contains(r#"<a href="flowchart/start/index.html">Answer a few questions</a>"#));
}
