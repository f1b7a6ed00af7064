//! Incremental rebuilds of the shipped guide, as `casepath serve` makes them: each kind of
//! edit renders only the pages whose inputs changed (counted on the guide's 300-odd pages),
//! and the result is byte for byte what a compile from nothing gives.

use casepath::Cache;

use crate::common::SiteTest;
use crate::incremental::{edit, pages_under, rebuild};

#[test]
fn each_edit_renders_only_what_it_changes_and_equals_a_full_build() {
    let test = SiteTest::shipped();
    let mut cache = Cache::kept();
    let all = rebuild(&test, &mut cache, "first build");
    assert!(all > 300, "the first build renders every page ({all})");

    assert_eq!(rebuild(&test, &mut cache, "no edit"), 0);

    // A sentence in the body of one Markdown page: that page alone.
    edit(
        &test,
        "content/pages/before-you-call.md",
        "starts before you dial",
        "begins before you dial",
    );
    assert_eq!(rebuild(&test, &mut cache, "Markdown body edit"), 1);

    // A page's title is listed on every page (the menu): all pages.
    edit(
        &test,
        "content/pages/before-you-call.md",
        "title: \"Before you call\"",
        "title: \"Before you phone\"",
    );
    let title = rebuild(&test, &mut cache, "Markdown title edit");
    assert!(
        title > 300,
        "a title in the menu renders every page ({title})"
    );

    // One office's summary: its pages in each version, and the pages that show it.
    edit(
        &test,
        "content/data/offices.yaml",
        "The main USCIS phone line and online help desk.",
        "The main USCIS phone line and help desk online.",
    );
    let data = rebuild(&test, &mut cache, "data edit");
    assert!(
        (1..all / 2).contains(&data),
        "an office's summary renders some pages, not most ({data} of {all})"
    );

    // The office template: the office pages of every version and nothing else.
    edit(
        &test,
        "themes/default/templates/office.html",
        "{% endblock content %}",
        "<!-- edited -->{% endblock content %}",
    );
    let offices = pages_under(&test, "offices/");
    let template = rebuild(&test, &mut cache, "template edit");
    assert!(
        template > 0 && template <= offices,
        "the office template renders office pages only ({template}; {offices} office pages)"
    );

    // A stylesheet: no page is rendered again; the file is copied.
    edit(&test, "themes/default/static/style.css", "", "/* v2 */\n");
    assert_eq!(rebuild(&test, &mut cache, "stylesheet edit"), 0);

    // A shared template (the base of every page): every page.
    edit(
        &test,
        "themes/default/templates/base.html",
        "</footer>",
        "<!-- edited --></footer>",
    );
    assert_eq!(rebuild(&test, &mut cache, "base template edit"), all);
}
