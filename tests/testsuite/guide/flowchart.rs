//! The decision flowchart of the shipped guide: the drawing (snapshot), the outline, the
//! step-through pages without JavaScript, and waits that come from the policy versions.

use std::path::Path;

use casepath::load::schema::{Fact, SourceRef, Wait};
use casepath::model::{Citation, FactView, Link, WaitView};
use casepath::resolve::flowchart::{self, Entities, Lookup};

use super::{guide, main_of, shipped_chart};

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
        svg.contains(r#"<a class="fc-node fc-question" id="flowchart-start" href="../flowchart/own-case/index.html">"#)
    );
    assert!(
        svg.contains(r#"<a class="fc-node fc-outcome" href="../flowchart/ombudsman/index.html">"#)
    );
    // The drawing sits in a labelled region that can be scrolled with the keyboard.
    assert!(page.contains(r#"<div class="flowchart-scroll" role="region" aria-label="Flowchart drawing (scrolls sideways)" tabindex="0">"#));
    // "Go to the drawing" scrolls it to the first box, sideways too, without a script.
    assert!(page.contains(r##"<a href="#flowchart-start">Go to the drawing</a>"##));
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
fn a_question_page_gives_its_answers_first_and_the_way_back() {
    let page = main_of("flowchart/which-center/index.html");
    assert!(page.contains("<h1>What are the first three letters of your receipt number?</h1>"));
    // One way leads here, so Back can go there without a script.
    assert!(page.contains(r#"<a class="back-link" id="walk-back" href="../../flowchart/call-contact-center/index.html">Back</a>"#), "{page}");
    assert!(page.contains(r#"<a href="../../flowchart/own-case/index.html">Start over</a>"#));
    let before = &page[page
        .find(r#"<nav class="trail" id="trail-before""#)
        .unwrap()..];
    let before = &before[..before.find("</nav>").unwrap()];
    assert!(before.contains(r#"<li><a href="../../flowchart/call-contact-center/index.html">Call the USCIS Contact Center. Write down the date and any request number.</a> <span class="trail-answer">The answer “No answer after 15 days” leads here.</span></li>"#), "{before}");
    // The answers come right after the question; the way in follows them.
    let h1 = page.find("<h1>").unwrap();
    let answers = page.find(r#"<ul class="answers""#).unwrap();
    assert!(h1 < answers && answers < page.find("trail-before").unwrap());
    assert!(
        !page[h1..answers].contains("<p"),
        "nothing between the question and its answers"
    );
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
fn no_step_page_states_an_answer_the_reader_did_not_give() {
    // Four answers lead to the headquarters step: the page lists them all as ways in, says
    // none of them is the reader's, and offers no Back link until a script knows the walk.
    let page = main_of("flowchart/email-headquarters/index.html");
    for center in ["Vermont", "California", "Nebraska", "Texas"] {
        assert!(page.contains(&format!(r#"Email the {center} Service Center.</a> <span class="trail-answer">The answer “No answer after 21 days” leads here.</span>"#)), "{center}: {page}");
    }
    assert!(page.contains(r#"<a class="back-link" id="walk-back" href="../../flowchart/email-vermont/index.html" hidden>Back</a>"#));
    // "You answered" is written only in the template a script fills from the address.
    for (path, bytes) in guide().snapshot_output() {
        if path.contains("flowchart/") && path.ends_with(".html") {
            let html = String::from_utf8(bytes).unwrap();
            let outside_templates = html
                .split("<template")
                .enumerate()
                .map(|(i, part)| {
                    if i == 0 {
                        part
                    } else {
                        part.split_once("</template>").map_or("", |(_, rest)| rest)
                    }
                })
                .collect::<String>();
            assert!(!outside_templates.contains("You answered"), "{path}");
            assert!(!outside_templates.contains("Your answers so far"), "{path}");
        }
    }
}

#[test]
fn each_step_page_carries_the_part_of_the_chart_a_walk_to_it_can_pass() {
    let chart = shipped_chart();
    let node = |id: &str| chart.nodes.iter().find(|n| n.id == id).unwrap();
    let ids = |n: &casepath::model::flowchart::FlowNode| -> Vec<&str> {
        n.ancestors
            .iter()
            .map(|&i| chart.nodes[i].id.as_str())
            .collect()
    };
    assert!(node("own-case").ancestors.is_empty());
    assert!(node("own-case").before.is_empty());
    assert_eq!(ids(node("agency")), ["own-case", "who-asks"]);
    let nebraska = ids(node("email-nebraska"));
    for id in [
        "own-case",
        "online-account",
        "secure-message",
        "case-where",
        "which-center",
    ] {
        assert!(nebraska.contains(&id), "{id} leads to email-nebraska");
    }
    for id in [
        "email-vermont",
        "field-office-call",
        "expedite",
        "email-nebraska",
    ] {
        assert!(
            !nebraska.contains(&id),
            "{id} does not lead to email-nebraska"
        );
    }
    let hq: Vec<&str> = node("email-headquarters")
        .before
        .iter()
        .map(|c| c.answer.as_str())
        .collect();
    assert_eq!(hq, ["No answer after 21 days"; 4]);
    let page = main_of("flowchart/email-nebraska/index.html");
    assert!(page
        .contains(r#"<template id="walk-data" data-start="own-case" data-here="email-nebraska">"#));
    assert!(page.contains(r#"<p data-id="which-center" data-url="../../flowchart/which-center/index.html" data-text="What are the first three letters of your receipt number?"><span data-to="email-vermont">EAC</span><span data-to="email-california">WAC</span><span data-to="email-nebraska">LIN</span><span data-to="email-texas">SRC</span></p>"#), "{page}");
    assert!(!page.contains(r#"<p data-id="email-vermont""#));
}

#[test]
fn the_start_page_has_no_way_back_and_every_page_works_without_javascript() {
    let start = main_of("flowchart/own-case/index.html");
    assert!(!start.contains("Start over"));
    assert!(!start.contains("trail-before"));
    assert!(!start.contains("back-link"));
    for (path, bytes) in guide().snapshot_output() {
        if path.starts_with("flowchart/") {
            let html = String::from_utf8(bytes).unwrap();
            // The one script only adds to the page: answers are plain links without it.
            let scripts: Vec<&str> = html
                .match_indices("<script")
                .map(|(i, _)| &html[i..i + html[i..].find('>').unwrap() + 1])
                .collect();
            assert!(
                scripts
                    .iter()
                    .all(|s| s.ends_with(r#"static/flowchart.js">"#)),
                "{path}: {scripts:?}"
            );
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

/// A view of the rules in which every wait is 30 days, as the oldest service-center text says,
/// with the guide's string table.
struct ThirtyDays(casepath::strings::Strings);

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
            unit: casepath::load::schema::Unit::CalendarDays,
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

    fn strings(&self) -> &casepath::strings::Strings {
        &self.0
    }
}

#[test]
fn the_chart_resolves_again_under_another_policy_version() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (content, errors) = casepath::load::load(root).unwrap();
    let validated = casepath::validate::validate(content, errors).unwrap();
    let site = casepath::resolve::resolve(&validated);
    let entities = Entities {
        offices: &site.offices,
        channels: &site.channels,
        paths: &site.paths,
    };
    let chart = flowchart::resolve(
        &validated.content.flowchart.records,
        &entities,
        &ThirtyDays(site.strings.clone()),
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
    let svg = casepath::render::flowchart::svg::render(&chart, "../../../");
    assert!(svg.contains("No answer after 30"), "{svg}");
    assert!(!svg.contains("after 15"));
}
