//! Snapshots of representative pages of the shipped guide: the home page, an office, a
//! path and a channel. A change to the markup or the data shows up as a reviewable diff
//! (`cargo insta review`, or set `INSTA_UPDATE=always` to accept).

use crate::common::SiteTest;

#[test]
fn representative_pages() {
    let test = SiteTest::shipped();
    test.build();
    for page in [
        "index.html",
        "offices/vermont-service-center/index.html",
        "paths/service-center-case/index.html",
        "channels/military-help-line/index.html",
    ] {
        let html = test.read(page);
        let main = &html[html.find("<main").unwrap()..html.find("</main>").unwrap() + 7];
        let name = match page {
            "index.html" => "home".to_string(),
            other => other.trim_end_matches("/index.html").replace('/', "__"),
        };
        insta::assert_snapshot!(name, main);
    }
}
