//! Bad input: one fixture per kind of mistake, each with the exact message a user sees.
//!
//! Each fixture under `tests/fixtures/bad/<case>/` holds only the files that differ from
//! `tests/fixtures/good/minimal`. Every error names the file, line and column, shows the
//! line with a caret, gives a hint, exits with code 1 and writes nothing. The messages are
//! insta snapshots: written out below (`@"…"`), or kept in
//! `snapshots/testsuite__errors__<case>.snap` (`cargo insta review` shows a change; each was
//! read as a volunteer would read it).

use crate::common;
use crate::common::SiteTest;

/// Builds the bad fixture, checks exit code 1 and no output folder, and compares the whole
/// message with its reviewed snapshot.
fn assert_fails_as_reviewed(case: &str) {
    let test = SiteTest::bad(case);
    let run = test.run(&["build"]);
    assert_eq!(
        run.code, 1,
        "stdout: {}\nstderr: {}",
        run.stdout, run.stderr
    );
    assert!(
        !test.root().join("site").exists(),
        "a failed build wrote site/"
    );
    insta::assert_snapshot!(case, run.stderr);
}

/// Builds the fixture, which has only warnings: the build succeeds and prints them (compared
/// with the reviewed snapshot), and `check --deny-warnings` fails on them.
fn assert_warns_as_reviewed(case: &str) {
    let test = SiteTest::bad(case);
    let run = test.run(&["build"]);
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    assert!(
        run.stdout.ends_with(", with 1 warning (above)\n"),
        "{}",
        run.stdout
    );
    insta::assert_snapshot!(case, run.stderr);
    let check = test.run(&["check"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert_eq!(check.stderr, run.stderr);
    let denied = test.run(&["check", "--deny-warnings"]);
    assert_eq!(denied.code, 1);
    assert_eq!(
        denied.stderr,
        format!(
            "{}error: the check found 1 warning, and `--deny-warnings` makes warnings fail it\n",
            run.stderr
        )
    );
}

/// One test per fixture whose message is a reviewed snapshot.
macro_rules! fails_as_reviewed {
    ($($(#[$doc:meta])* $name:ident: $case:literal,)*) => {
        $($(#[$doc])* #[test] fn $name() { assert_fails_as_reviewed($case); })*
    };
}

/// One test per fixture that builds with a warning, kept as a reviewed snapshot.
macro_rules! warns_as_reviewed {
    ($($(#[$doc:meta])* $name:ident: $case:literal,)*) => {
        $($(#[$doc])* #[test] fn $name() { assert_warns_as_reviewed($case); })*
    };
}

fails_as_reviewed! {
    /// A misspelt key of a page's front matter.
    front_matter: "front-matter",
    /// An unknown key in `offices.yaml` and an unknown source in `channels.yaml`: both files
    /// are named, in the order of their paths.
    several: "several",
    /// A key no office has.
    unknown_field: "unknown-field",
    /// A page named `search.md` would replace the search page the generator writes.
    page_takes_search: "page-takes-search",
    /// `help.md` and `help/index.md` would both be written to `help/index.html`.
    pages_share_an_address: "pages-share-an-address",
    /// An office `kind:` that content/data/kinds.yaml does not declare.
    unknown_variant: "unknown-variant",
    /// Words where a number goes (the library said "invalid i64").
    wrong_type: "wrong-type",
    /// Text starting with `[`, read as a list that is never closed.
    yaml_syntax: "yaml-syntax",
    /// `*` references that expand into more than 100,000 values.
    yaml_alias_bomb: "yaml-alias-bomb",
    /// Lists nested more than 32 deep.
    yaml_deep_nesting: "yaml-deep-nesting",
    /// NUL characters made by escapes in a data file.
    nul_in_a_data_file: "yaml-nul",
    /// A YAML file saved with a byte-order mark: an error on its first line is shown under
    /// the right characters.
    bom_yaml: "bom-yaml",
    /// A tab before a key (the library reported the line above, with no advice).
    yaml_tab: "yaml-tab",
    /// `summary:` indented under `kind:` (the library reported "unknown variant
    /// `contact-center summary`" on the line above).
    yaml_key_indented_too_far: "yaml-key-indented-too-far",
    /// A second record without its `- ` (the library reported a duplicate key and leaked
    /// one of its settings).
    yaml_record_without_dash: "yaml-record-without-dash",
    /// A quote left open on line 2, which the next quote, on line 7, closes.
    yaml_unclosed_quote: "yaml-unclosed-quote",
    /// A deleted `name:`: reported at the record's `- id:` line, naming its id, not at its
    /// last key.
    yaml_missing_name: "yaml-missing-name",
    /// A link to a heading that another page does not have, and to one this page does not.
    markdown_link_missing_anchor: "markdown-link-missing-anchor",
    /// A link that starts with `/`.
    markdown_link_absolute: "markdown-link-absolute",
    /// A link to a page without its `.md`.
    markdown_link_without_md: "markdown-link-without-md",
    /// An emptied `offices.yaml`: one error, not one for every reference to an office.
    empty_data_file: "empty-data-file",
    /// A source text saved as UTF-16 without a byte-order mark: one error, not a "quote not
    /// found" for every quote.
    utf16_without_bom: "utf16-without-bom",
    /// A source text saved as UTF-16 with a byte-order mark: one error, not also "unknown
    /// file" in `sources.yaml`.
    utf16_with_bom: "utf16-with-bom",
    /// A source text saved as Windows-1252, with its curly apostrophe.
    latin1_source: "latin1-source",
    /// A source text with NUL bytes in it.
    nul_bytes_source: "nul-bytes-source",
    /// `quote: ""` (it was accepted, and cited line 1).
    empty_quote: "empty-quote",
    /// A template that leaves `{% if %}` open (Tera said "Unknown tag" at `{% endblock %}`).
    template_unclosed_if: "template-unclosed-if",
    /// A filter that does not exist, named at the theme's file (Tera named `page.html`).
    template_unknown_filter: "template-unknown-filter",
    /// Errors in two files, found out of order: shown by file, then line.
    ordering: "ordering",
    /// `name:"Help Desk"`: no space after the colon.
    yaml_no_space_after_colon: "yaml-no-space-after-colon",
    /// `name Help Desk`: no colon.
    yaml_missing_colon: "yaml-missing-colon",
    /// `'The desk's phone'`: an apostrophe that ends single quotes.
    yaml_apostrophe_in_single_quotes: "yaml-apostrophe-in-single-quotes",
    /// `"the "main line""`: a quotation mark that ends double quotes.
    yaml_quote_inside_double_quotes: "yaml-quote-inside-double-quotes",
    /// A key indented one space less than its neighbours.
    yaml_key_indented_too_little: "yaml-key-indented-too-little",
    /// `-kind: phone`: no space after the dash.
    yaml_dash_without_space: "yaml-dash-without-space",
    /// `summary: Note: …`: a colon inside unquoted text.
    yaml_colon_in_text: "yaml-colon-in-text",
    /// `summary: *Only* …`: text starting with `*`.
    yaml_text_starts_with_star: "yaml-text-starts-with-star",
    /// `summary: - …`: text starting with a dash.
    yaml_text_starts_with_dash: "yaml-text-starts-with-dash",
    /// `sources: notice`: one id where a list goes.
    yaml_sources_not_a_list: "yaml-sources-not-a-list",
    /// `sumary:`: a misspelt key, with the right one suggested.
    yaml_misspelt_key: "yaml-misspelt-key",
    /// Text that goes on to the next line at the start of the line.
    yaml_wrapped_text: "yaml-wrapped-text",
    /// The text under `summary: >-` indented no more than `summary:`.
    yaml_block_text_not_indented: "yaml-block-text-not-indented",
    /// `name:` written twice in a record.
    yaml_duplicate_key: "yaml-duplicate-key",
    /// A citation with a `quote:` and no `source:`.
    yaml_citation_without_source: "yaml-citation-without-source",
    /// `name:` with nothing after it.
    yaml_empty_value: "yaml-empty-value",
    /// The first record of a file without its `- `.
    yaml_first_record_without_dash: "yaml-first-record-without-dash",
    /// `offices.yaml` saved as UTF-16 (Notepad's "Unicode").
    utf16_data_file: "utf16-data-file",
    /// `offices.yaml` saved as Windows-1252.
    windows_1252_data_file: "windows-1252-data-file",
    /// `channels.yaml` with its records deleted and only its comments left.
    comments_only_data_file: "comments-only-data-file",
    /// A tab in a page's front matter.
    front_matter_tab: "front-matter-tab",
    /// A link to a step of a path that the path does not have.
    markdown_link_to_missing_step: "markdown-link-to-missing-step",
    /// A link written as a built page's address, to a page that does not exist: found in the
    /// built site, and shown at its line in the Markdown.
    markdown_link_to_missing_address: "markdown-link-to-missing-address",
    /// A link to a line of a source's text that the text does not have.
    markdown_link_to_missing_line: "markdown-link-to-missing-line",
    /// An `{% endif %}` with no `{% if %}`.
    template_endif_without_if: "template-endif-without-if",
    /// `{% iff %}`: a tag that does not exist.
    template_unknown_tag: "template-unknown-tag",
    /// A page saved as UTF-16 and linked from another page: one error, not also "link to
    /// missing page".
    utf16_page: "utf16-page",
    /// `sources.yaml` with a quote left open: one error, not an "unknown source" for each
    /// citation.
    broken_sources_file: "broken-sources-file",
    /// A quote left open in the theme's string table (`themes/default/strings.yaml`).
    strings_yaml_syntax: "strings-yaml-syntax",
    /// A list where the string table holds a text.
    strings_list: "strings-list",
    /// A template that names a key the string table does not have: shown at the template's
    /// line before any page renders, with the nearest key.
    strings_missing_key: "strings-missing-key",
    /// A misspelt key in `strings:` of `site.yaml`, which would otherwise never show.
    site_strings_unknown_key: "site-strings-unknown-key",
    /// A page `about.fr.md` in a guide whose `languages:` do not name `fr`.
    language_undeclared: "language-undeclared",
    /// A page named for the default language (`about.en.md`).
    page_in_default_language: "page-in-default-language",
    /// A translation `help.es.md` of a page `help.md` that does not exist.
    translation_without_original: "translation-without-original",
    /// `languages:` that does not start with the default language.
    languages_default_not_first: "languages-default-not-first",
    /// `languages:` without the default language (`en`, as `language:` is not set).
    languages_without_default: "languages-without-default",
    /// A language written as its name, and a language listed twice.
    language_not_a_code: "language-not-a-code",
    /// `site.fr.yaml` in a guide whose `languages:` do not name `fr`.
    site_words_undeclared: "site-words-undeclared",
    /// A policy parameter that `parameters.yaml` does not declare.
    undeclared_parameter: "undeclared-parameter",
    /// A `unit:` that is not one of the units.
    unknown_unit: "unknown-unit",
    /// Numbers for a parameter declared yes/no: the values are reported, not the waits.
    parameter_value_not_in_unit: "parameter-value-not-in-unit",
    /// A step that waits on a parameter declared as a limit.
    wait_on_a_limit: "wait-on-a-limit",
}

warns_as_reviewed! {
    /// A text in `content/sources/` that no source record lists.
    unlisted_source_file: "unlisted-source-file",
    /// A source record that nothing cites.
    unused_source: "unused-source",
    /// A policy parameter of days that no wait reads.
    unused_parameter: "unused-parameter",
    /// A quote of two words.
    short_quote: "short-quote",
}

/// Every fixture under `tests/fixtures/bad/` has a test in this file.
#[test]
fn every_bad_fixture_is_tested() {
    let source = include_str!("errors.rs");
    let mut untested = Vec::new();
    for entry in std::fs::read_dir(common::repo().join("tests/fixtures/bad")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if !source.contains(&format!("\"{name}\"")) {
            untested.push(name);
        }
    }
    assert!(untested.is_empty(), "fixtures without a test: {untested:?}");
}

/// Builds the bad fixture, checks exit code 1 and no output folder, and returns the message,
/// which each test compares whole with its inline snapshot.
fn build_fails(case: &str) -> String {
    let test = SiteTest::bad(case);
    let run = test.run(&["build"]);
    assert_eq!(run.code, 1, "stdout: {}", run.stdout);
    assert!(
        !test.root().join("site").exists(),
        "a failed build wrote site/"
    );
    run.stderr
}

#[test]
fn dangling_reference() {
    insta::assert_snapshot!(build_fails("dangling-reference"), @"
    error: unknown office `help-dsk`
     --> content/data/channels.yaml:5:11
      |
    5 |   office: help-dsk
      |           ^^^^^^^^ no office is called this
      |
    help: did you mean `help-desk`?

    error: 1 problem found; nothing was written
    ");
}

#[test]
fn duplicate_id() {
    insta::assert_snapshot!(build_fails("duplicate-id"), @"
    error: duplicate office id `help-desk`
     --> content/data/offices.yaml:7:7
      |
    7 | - id: help-desk
      |       ^^^^^^^^^ this id is already used
      |
    help: the first record with this id is at line 1; give each record its own id

    error: 1 problem found; nothing was written
    ");
}

#[test]
fn missing_entity() {
    insta::assert_snapshot!(build_fails("missing-entity"), @"
    error: unknown office `help-dsk` in link `@office/help-dsk`
     --> content/pages/about.md:4:22
      |
    4 | Call the [Help Desk](@office/help-dsk) first.
      |                      ^^^^^^^^^^^^^^^^ this link does not lead anywhere
      |
    help: did you mean `@office/help-desk`?

    error: 1 problem found; nothing was written
    ");
}

#[test]
fn missing_page() {
    insta::assert_snapshot!(build_fails("missing-page"), @"
    error: link to missing page `start.md`
     --> content/pages/about.md:4:18
      |
    4 | Read [the start](start.md) first.
      |                  ^^^^^^^^ this link does not lead anywhere

    error: 1 problem found; nothing was written
    ");
}

#[test]
fn no_source() {
    insta::assert_snapshot!(build_fails("no-source"), @"
    error: contact `1-800-555-0100` has no source
     --> content/data/offices.yaml:8:14
      |
    8 |       value: 1-800-555-0100
      |              ^^^^^^^^^^^^^^ no `sources:` for this
      |
    help: every fact names the document it comes from: add `sources:` with `- source: <id>` and a `quote:` from that document

    error: 1 problem found; nothing was written
    ");
}

#[test]
fn quote_not_in_source() {
    insta::assert_snapshot!(build_fails("quote-not-in-source"), @"
    error: quote not found in source `notice`
      --> content/data/offices.yaml:11:18
       |
    11 |           quote: Contact the Help Desk at 1-800-555-0199.
       |                  ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ these words are not in the source text
       |
    help: copy the words exactly from the source (spaces, line breaks and `*` do not matter; punctuation and spelling do)

    error: 1 problem found; nothing was written
    ");
}

#[test]
fn template_render() {
    insta::assert_snapshot!(build_fails("template-render"), @"
    error: template error: Field `fax_number` is not defined. Available fields: backlinks, channels, children, citations, contacts, facts, hours, id, jurisdiction, kind, name, other_names, parent, receipt_prefix, summary, switch, tiers, url
     --> themes/default/templates/office.html:4:14
      |
    4 | <p>{{ office.fax_number }}</p>
      |              ^^^^^^^^^^ here
      |
    help: while rendering `offices/help-desk/index.html` for office `help-desk` (content/data/offices.yaml), and 2 more pages

    error: 1 problem found; nothing was written
    ");
}

#[test]
fn template_syntax() {
    insta::assert_snapshot!(build_fails("template-syntax"), @"
    error: template error: Found `}` but expected }}.
     --> themes/default/templates/page.html:3:19
      |
    3 | <h1>{{ page.title }</h1>
      |                   ^ here

    error: 1 problem found; nothing was written
    ");
}

#[test]
fn unknown_parameter() {
    insta::assert_snapshot!(build_fails("unknown-parameter"), @"
    error: unknown policy parameter `follow_up_days`
      --> content/data/paths.yaml:10:20
       |
    10 |         parameter: follow_up_days
       |                    ^^^^^^^^^^^^^^ no policy parameter is called this
       |
    help: did you mean `followup_days`?

    error: 1 problem found; nothing was written
    ");
}

#[test]
fn unknown_source() {
    insta::assert_snapshot!(build_fails("unknown-source"), @"
    error: unknown source `notise`
     --> content/data/offices.yaml:6:15
      |
    6 |     - source: notise
      |               ^^^^^^ no source is called this
      |
    help: did you mean `notice`?

    error: 1 problem found; nothing was written
    ");
}

#[test]
fn published_per_not_yes_no() {
    insta::assert_snapshot!(build_fails("published-per-not-yes-no"), @"
    error: parameter `followup_days` is not a yes/no value
      --> content/data/channels.yaml:10:22
       |
    10 |       published_per: followup_days
       |                      ^^^^^^^^^^^^^ `published_per` needs a parameter that is true or false
       |
    help: name a parameter whose values are `true` or `false` in every version

    error: 1 problem found; nothing was written
    ");
}

#[test]
fn version_lacks_wait() {
    insta::assert_snapshot!(build_fails("version-lacks-wait"), @"
    error: policy version `notice-era` states step `email` of path `stuck-case` but not its wait `followup_days`
      --> content/data/paths.yaml:15:20
       |
    15 |         parameter: followup_days
       |                    ^^^^^^^^^^^^^ this wait has no value in that version or any older one
       |
    help: add `followup_days` to version `notice-era` in content/data/policies.yaml, or mark the wait `optional: true` if that source does not say

    error: 1 problem found; nothing was written
    ");
}

#[test]
fn flowchart_no_start() {
    insta::assert_snapshot!(build_fails("flowchart-no-start"), @"
    error: the flowchart has no start node
     --> content/data/flowchart.yaml:1:7
      |
    1 | - id: start
      |       ^^^^^ no node has `start: true`
      |
    help: add `start: true` to the node the chart begins with, usually the first question

    error: 1 problem found; nothing was written
    ");
}

#[test]
fn flowchart_two_starts() {
    insta::assert_snapshot!(build_fails("flowchart-two-starts"), @"
    error: the flowchart has a second start node, `call`
      --> content/data/flowchart.yaml:17:10
       |
    17 |   start: true
       |          ^^^^ only one node may start the chart
       |
    help: the chart starts at `start` (line 1); remove `start: true` here

    error: 1 problem found; nothing was written
    ");
}

#[test]
fn flowchart_unreachable() {
    insta::assert_snapshot!(build_fails("flowchart-unreachable"), @"
    error: flowchart node `old-email` cannot be reached from the start
      --> content/data/flowchart.yaml:36:7
       |
    36 | - id: old-email
       |       ^^^^^^^^^ no answer leads here
       |
    help: point an answer of another node at `old-email` (`to: old-email`), or remove this node

    error: 1 problem found; nothing was written
    ");
}

#[test]
fn flowchart_dead_end() {
    insta::assert_snapshot!(build_fails("flowchart-dead-end"), @"
    error: flowchart node `call` is a dead end
      --> content/data/flowchart.yaml:15:7
       |
    15 | - id: call
       |       ^^^^ nothing leads on from here
       |
    help: add `options:` that say where to go next, or make it an `outcome` that names a path, office or channel

    error: 1 problem found; nothing was written
    ");
}

#[test]
fn flowchart_loop() {
    insta::assert_snapshot!(build_fails("flowchart-loop"), @"
    error: the flowchart loops: `call` leads back to `start`
      --> content/data/flowchart.yaml:25:11
       |
    25 |       to: start
       |           ^^^^^ this answer goes back up the chart
       |
    help: the loop is start → call → start; a chart must always move on, so point this answer at a node further down

    error: 1 problem found; nothing was written
    ");
}

#[test]
fn flowchart_one_answer() {
    insta::assert_snapshot!(build_fails("flowchart-one-answer"), @"
    error: question `start` has only one answer
     --> content/data/flowchart.yaml:1:7
      |
    1 | - id: start
      |       ^^^^^ a question needs at least two answers
      |
    help: add the other answers under `options:`, or make it an `action` if there is only one way on

    error: 1 problem found; nothing was written
    ");
}

#[test]
fn flowchart_unknown_reference() {
    insta::assert_snapshot!(build_fails("flowchart-unknown-reference"), @"
    error: unknown flowchart node `cal`
     --> content/data/flowchart.yaml:7:11
      |
    7 |       to: cal
      |           ^^^ no flowchart node is called this
      |
    help: did you mean `call`?

    error: path `stuck-case` has no step `emial`
      --> content/data/flowchart.yaml:18:20
       |
    18 |   step: stuck-case#emial
       |                    ^^^^^ no step of this path is called this
       |
    help: did you mean `stuck-case#email`?

    error: 2 problems found; nothing was written
    ");
}

#[test]
fn flowchart_outcome_goes_nowhere() {
    insta::assert_snapshot!(build_fails("flowchart-outcome-goes-nowhere"), @"
    error: outcome `email` does not say where to go
      --> content/data/flowchart.yaml:29:7
       |
    29 | - id: email
       |       ^^^^^ no path, office or channel
       |
    help: add `path:`, `step:` (`path-id#step-id`), `office:` or `channel:` so the reader knows who to contact

    error: 1 problem found; nothing was written
    ");
}

#[test]
fn flowchart_wait_in_words() {
    insta::assert_snapshot!(build_fails("flowchart-wait-in-words"), @r#"
    error: a wait is written as a number of days
      --> content/data/flowchart.yaml:21:31
       |
    21 |     - label: "No answer after 15 days"
       |                               ^^ this number of days is fixed in the text
       |
    help: write `{wait}` instead and add `wait: {parameter: <name>, after: "..."}`, so each policy version shows its own number

    error: 1 problem found; nothing was written
    "#);
}

/// A `<script>` element, an event attribute and a `javascript:` link.
#[test]
fn markdown_script() {
    insta::assert_snapshot!(build_fails("markdown-script"), @r#"
    error: `<script>` is not allowed in a page: it runs code in the reader's browser
     --> content/pages/about.md:6:1
      |
    6 | <script>alert("hi")</script>
      | ^^^^^^^^ not allowed in a page
      |
    help: write it in Markdown; the HTML elements a page may use are a, abbr, b, bdi, bdo, blockquote, br, caption, cite, code, col, colgroup, dd, del, details, dfn, div, dl, dt, em, figcaption, figure, h1-h6, hr, i, img, ins, kbd, li, mark, ol, p, pre, q, rp, rt, ruby, s, samp, small, span, strong, sub, summary, sup, table, tbody, td, tfoot, th, thead, time, tr, u, ul, var and wbr

    error: `onerror=` is an event attribute, which runs code in the reader's browser
     --> content/pages/about.md:8:26
      |
    8 | <img src="x.png" alt="x" onerror="alert(1)">
      |                          ^^^^^^^^^^^^^^^^^^ not allowed in a page
      |
    help: remove it; a page cannot run scripts

    error: link address `javascript:alert(1)` could run code in the reader's browser
      --> content/pages/about.md:10:12
       |
    10 | [Click me](javascript:alert(1))
       |            ^^^^^^^^^^^^^^^^^^^ not allowed
       |
    help: use an http(s), mailto: or tel: address, or a link to a page of the guide

    error: 3 problems found; nothing was written
    "#);
}

/// An event attribute on the second line of a tag in an HTML block, which the old
/// line-by-line check missed.
#[test]
fn markdown_handler_second_line() {
    insta::assert_snapshot!(build_fails("markdown-handler-second-line"), @r#"
    error: `onerror=` is an event attribute, which runs code in the reader's browser
     --> content/pages/about.md:8:1
      |
    8 | onerror="alert(1)">
      | ^^^^^^^^^^^^^^^^^^ not allowed in a page
      |
    help: remove it; a page cannot run scripts

    error: 1 problem found; nothing was written
    "#);
}

/// `java` and `script:` on two lines of an address, which browsers join.
#[test]
fn markdown_scheme_split_across_lines() {
    insta::assert_snapshot!(build_fails("markdown-scheme-split-across-lines"), @r#"
    error: `href=` address `java\nscript:alert(1)` could run code in the reader's browser
     --> content/pages/about.md:6:12
      |
    6 | <p>Read <a href="java
      |            ^^^^^^^^^^ not allowed in a page
      |
    help: use an http(s), mailto: or tel: address, or a link to a page of the guide

    error: 1 problem found; nothing was written
    "#);
}

/// `javascript:` hidden behind numeric references without `;`, which browsers decode.
#[test]
fn markdown_references_without_semicolons() {
    insta::assert_snapshot!(build_fails("markdown-references-without-semicolons"), @"
    error: `href=` address `javascript:alert(1)` could run code in the reader's browser
     --> content/pages/about.md:6:4
      |
    6 | <a href=&#0000106&#0000097vascript:alert(1)>the notice</a>
      |    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ not allowed in a page
      |
    help: use an http(s), mailto: or tel: address, or a link to a page of the guide

    error: 1 problem found; nothing was written
    ");
}

/// SVG animating a link's `href` through a list of values to a `javascript:` address.
#[test]
fn markdown_svg_animate() {
    insta::assert_snapshot!(build_fails("markdown-svg-animate"), @r##"
    error: `<svg>` is not allowed in a page: SVG and MathML have links, scripts and animations of their own, which could run code
     --> content/pages/about.md:6:1
      |
    6 | <svg><a><animate attributeName="href" values="#;javascript:alert(1)"/><text y="20">Click</text></a></svg>
      | ^^^^^ not allowed in a page
      |
    help: write it in Markdown; the HTML elements a page may use are a, abbr, b, bdi, bdo, blockquote, br, caption, cite, code, col, colgroup, dd, del, details, dfn, div, dl, dt, em, figcaption, figure, h1-h6, hr, i, img, ins, kbd, li, mark, ol, p, pre, q, rp, rt, ruby, s, samp, small, span, strong, sub, summary, sup, table, tbody, td, tfoot, th, thead, time, tr, u, ul, var and wbr

    error: 1 problem found; nothing was written
    "##);
}

/// A form, a style sheet, `style=`, images from other sites, a `<link>`, and an event
/// attribute in inline HTML over two lines of a block quote.
#[test]
fn markdown_html_off_the_list() {
    insta::assert_snapshot!(build_fails("markdown-html-off-the-list"), @r#"
    error: `<form>` is not allowed in a page: a form can collect what the reader types and send it to another site
     --> content/pages/about.md:6:1
      |
    6 | <form action="https://forms.example/collect"><input name="ssn"></form>
      | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ not allowed in a page
      |
    help: write it in Markdown; the HTML elements a page may use are a, abbr, b, bdi, bdo, blockquote, br, caption, cite, code, col, colgroup, dd, del, details, dfn, div, dl, dt, em, figcaption, figure, h1-h6, hr, i, img, ins, kbd, li, mark, ol, p, pre, q, rp, rt, ruby, s, samp, small, span, strong, sub, summary, sup, table, tbody, td, tfoot, th, thead, time, tr, u, ul, var and wbr

    error: `<style>` is not allowed in a page: it would restyle the whole site (and the site's Content-Security-Policy blocks inline styles)
     --> content/pages/about.md:8:1
      |
    8 | <style>body { display: none }</style>
      | ^^^^^^^ not allowed in a page
      |
    help: write it in Markdown; the HTML elements a page may use are a, abbr, b, bdi, bdo, blockquote, br, caption, cite, code, col, colgroup, dd, del, details, dfn, div, dl, dt, em, figcaption, figure, h1-h6, hr, i, img, ins, kbd, li, mark, ol, p, pre, q, rp, rt, ruby, s, samp, small, span, strong, sub, summary, sup, table, tbody, td, tfoot, th, thead, time, tr, u, ul, var and wbr

    error: `style=` is not allowed: the site's Content-Security-Policy blocks inline styles, and a style can hide text or dress a link up as something else
      --> content/pages/about.md:10:4
       |
    10 | <p style="color: white">Hidden text</p>
       |    ^^^^^^^^^^^^^^^^^^^^ not allowed in a page
       |
    help: remove it, or use a class of the theme (`class=`)

    error: `src=` address `https://tracker.example/pixel.png` loads an image from another site, which would learn who reads the page (the guide loads nothing from other hosts)
      --> content/pages/about.md:12:6
       |
    12 | <img src="https://tracker.example/pixel.png" alt="">
       |      ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ not allowed in a page
       |
    help: copy the image into the theme's `static/` folder (published as `static/…`) and use a relative address

    error: `<link>` is not allowed in a page: it changes how the page loads or where its links lead
      --> content/pages/about.md:14:1
       |
    14 | <link rel="stylesheet" href="https://cdn.example/x.css">
       | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ not allowed in a page
       |
    help: write it in Markdown; the HTML elements a page may use are a, abbr, b, bdi, bdo, blockquote, br, caption, cite, code, col, colgroup, dd, del, details, dfn, div, dl, dt, em, figcaption, figure, h1-h6, hr, i, img, ins, kbd, li, mark, ol, p, pre, q, rp, rt, ruby, s, samp, small, span, strong, sub, summary, sup, table, tbody, td, tfoot, th, thead, time, tr, u, ul, var and wbr

    error: image address `https://maps.example/office.png` loads an image from another site, which would learn who reads the page (the guide loads nothing from other hosts)
      --> content/pages/about.md:16:8
       |
    16 | ![Map](https://maps.example/office.png)
       |        ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ not allowed
       |
    help: copy the image into the theme's `static/` folder (published as `static/…`) and use a relative address

    error: `onclick=` is an event attribute, which runs code in the reader's browser
      --> content/pages/about.md:19:3
       |
    19 | > onclick="alert(1)">text</span>
       |   ^^^^^^^^^^^^^^^^^^ not allowed in a page
       |
    help: remove it; a page cannot run scripts

    error: 7 problems found; nothing was written
    "#);
}

/// An HTML block that leaves an attribute value open, so the Markdown after it would
/// fall inside the tag; and a comment left open, which a `-->` hidden in a later
/// attribute value would close, letting the `<img onerror>` after it out.
#[test]
fn markdown_html_left_open() {
    insta::assert_snapshot!(build_fails("markdown-html-left-open"), @r#"
    error: this tag is not closed, so it would swallow the page's markup after it
     --> content/pages/about.md:6:1
      |
    6 | <div title="Call us
      | ^^^^^^^^^^^^^^^^^^^ not allowed in a page
      |
    help: close it (`>` for a tag, the quote of an attribute value, `-->` for a comment), or write `&lt;` for a `<` that is text

    error: this comment is not closed, so it would swallow the page's markup after it
      --> content/pages/about.md:10:3
       |
    10 | > <!-- a comment left open in a block quote
       |   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ not allowed in a page
       |
    help: close it (`>` for a tag, the quote of an attribute value, `-->` for a comment), or write `&lt;` for a `<` that is text

    error: 2 problems found; nothing was written
    "#);
}

#[test]
fn a_yaml_file_over_the_size_limit_is_refused() {
    let test = SiteTest::minimal();
    let filler = format!("# {}\n", "x".repeat(1023)).repeat(9 * 1024);
    test.write("content/data/channels.yaml", &filler);
    let run = test.run(&["build"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .starts_with("error: content/data/channels.yaml is too large to read: "),
        "{}",
        run.stderr
    );
    assert!(run
        .stderr
        .contains(" bytes of YAML, and the limit is 8388608 bytes (8 MiB)\n"));
}

/// A file with thousands of wrong references (found while fuzzing: each error listed every
/// known name, so the output grew with the square of the file) gets a bounded report: the
/// first problems in full, each listing a few known names, then a count of the rest.
#[test]
fn thousands_of_wrong_references_make_a_bounded_report() {
    let test = SiteTest::minimal();
    let mut flowchart = String::from(
        "- id: start\n  kind: question\n  start: true\n  text: \"Start?\"\n  options:\n",
    );
    for i in 0..3000 {
        flowchart.push_str(&format!(
            "    - label: \"Option {i}\"\n      to: missing-{i}\n"
        ));
    }
    flowchart.push_str("  sources:\n    - source: notice\n");
    for i in 0..3000 {
        flowchart.push_str(&format!(
            "- id: node-{i}\n  kind: outcome\n  text: \"Node {i}.\"\n  sources:\n    - source: notice\n"
        ));
    }
    test.write("content/data/flowchart.yaml", &flowchart);
    let run = test.run_plain(&["check"]);
    assert_eq!(run.code, 1, "{}", &run.stderr[..run.stderr.len().min(2000)]);
    let shown =
        run.stderr.matches("\nerror: ").count() + usize::from(run.stderr.starts_with("error: "));
    assert!(shown <= 101, "{shown} errors shown");
    assert!(
        run.stderr.contains("more problems are not shown"),
        "{}",
        &run.stderr[run.stderr.len().saturating_sub(2000)..]
    );
    assert!(
        run.stderr.len() < 200_000,
        "the report is {} bytes long",
        run.stderr.len()
    );
}

#[test]
fn template_unnumbered_source() {
    insta::assert_snapshot!(build_fails("template-unnumbered-source"), @"
    error: template error: no source note on this page for the citations `sources/older-notice/index.html`: a page numbers the sources of what its kind of page shows, not of other entities
     --> themes/default/templates/components.html:9:35
      |
    9 | {%- if list -%}{%- set n = list | note(notes=notes, also=also) -%}
      |                                   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^ here
      |
    help: while rendering `offices/help-desk/index.html` for office `help-desk` (content/data/offices.yaml), and 2 more pages

    error: 1 problem found; nothing was written
    ");
}

#[test]
fn nul_in_site_yaml() {
    insta::assert_snapshot!(build_fails("site-yaml-nul"), @r#"
    error: this text holds a NUL character (an invisible zero byte); remove it
     --> content/site.yaml:1:16
      |
    1 | title: "Minimal\u0000 guide"
      |                ^^^^^^ a NUL character
      |
    help: delete the escape `\0` (or `\x00`, `\u0000`) or the invisible character; no text of a guide needs it

    error: 1 problem found; nothing was written
    "#);
}

#[test]
fn nul_in_a_markdown_page() {
    insta::assert_snapshot!(build_fails("markdown-nul"), @r#"
    error: this text holds a NUL character (an invisible zero byte); remove it
     --> content/pages/about.md:6:8
      |
    6 | # About␀
      |        ^ a NUL character
      |
    help: delete the escape `\0` (or `\x00`, `\u0000`) or the invisible character; no text of a guide needs it

    error: this text holds a NUL character (an invisible zero byte); remove it
     --> content/pages/notes.md:3:20
      |
    3 | description: "Notes\0"
      |                    ^^ a NUL character
      |
    help: delete the escape `\0` (or `\x00`, `\u0000`) or the invisible character; no text of a guide needs it

    error: 2 problems found; nothing was written
    "#);
}

/// A NUL byte written as it is in a data file is refused by the YAML parser; the error says
/// what it is rather than "unexpected character".
#[test]
fn a_raw_nul_byte_in_a_data_file_is_named() {
    let test = SiteTest::minimal();
    test.write(
        "content/site.yaml",
        "title: Minimal guide\ndescription: A tiny\0 guide.\n",
    );
    let run = test.run(&["build"]);
    assert_eq!(run.code, 1);
    insta::assert_snapshot!(run.stderr, @r"
    error: this text holds a NUL character (an invisible zero byte); remove it
     --> content/site.yaml:2:20
      |
    2 | description: A tiny␀ guide.
      |                    ^ a NUL character
      |
    help: delete the escape `\0` (or `\x00`, `\u0000`) or the invisible character; no text of a guide needs it

    error: 1 problem found; nothing was written
    ");
}

#[test]
fn wait_out_of_range() {
    insta::assert_snapshot!(build_fails("wait-out-of-range"), @"
    error: parameter `followup_days` of `notice-era` is -5 days; a number of days must be from 1 to 3650
      --> content/data/policies.yaml:11:14
       |
    11 |       value: -5
       |              ^^ not a possible number of days
       |
    help: write the number of days the source states, e.g. `value: 15`

    error: parameter `followup_days` of `older-era` is 1000000000 days; a number of days must be from 1 to 3650
      --> content/data/policies.yaml:25:14
       |
    25 |       value: 1000000000
       |              ^^^^^^^^^^ not a possible number of days
       |
    help: write the number of days the source states, e.g. `value: 15`

    error: parameter `followup_days` of `zero-era` is 0 days; a number of days must be from 1 to 3650
      --> content/data/policies.yaml:39:14
       |
    39 |       value: 0
       |              ^ not a possible number of days
       |
    help: write the number of days the source states, e.g. `value: 15`

    error: 3 problems found; nothing was written
    ");
}

#[test]
fn wait_quote_mismatch() {
    insta::assert_snapshot!(build_fails("wait-quote-mismatch"), @"
    error: the quote says 30, the value is 300
      --> content/data/policies.yaml:25:14
       |
    25 |       value: 300
       |              ^^^ the value of parameter `followup_days` of `older-era`
       |
    help: the quote at line 28 states this value in the source's words: write the number it gives, or quote the words that give this number

    error: 1 problem found; nothing was written
    ");
}

#[test]
fn base_url_scheme() {
    insta::assert_snapshot!(build_fails("base-url-scheme"), @r#"
    error: the base URL must start with `http://` or `https://`
     --> content/site.yaml:3:11
      |
    3 | base_url: "javascript:alert(1)"
      |           ^^^^^^^^^^^^^^^^^^^ `base_url` of the site
      |
    help: write the address the site is published at, such as `https://example.github.io/guide`

    error: 1 problem found; nothing was written
    "#);
}

#[test]
fn base_url_double_slash() {
    insta::assert_snapshot!(build_fails("base-url-double-slash"), @"
    error: the base URL must not hold `//` in its path: a browser reads what follows as another host
     --> content/site.yaml:3:11
      |
    3 | base_url: https://a.example//evil.example/
      |           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ `base_url` of the site
      |
    help: write the address the site is published at, such as `https://example.github.io/guide`

    error: 1 problem found; nothing was written
    ");
}

#[test]
fn cname_newline() {
    insta::assert_snapshot!(build_fails("cname-newline"), @r#"
    error: `cname` must be one host name
     --> content/site.yaml:3:8
      |
    3 | cname: "guide.example.org\nevil.example"
      |        ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ written to the file CNAME for GitHub Pages
      |
    help: write the domain only, such as `guide.example.org`: letters, digits, hyphens and dots, with no `https://`, no path and no spaces or line breaks

    error: 1 problem found; nothing was written
    "#);
}

/// `--base-url` is checked like `base_url:` and refused as a usage error (exit code 2),
/// for `build`, `check` and `serve`.
#[test]
fn a_bad_base_url_on_the_command_line_is_a_usage_error() {
    let test = SiteTest::minimal();
    let urls = [
        "javascript:alert(1)",
        "https://a.example//evil.example/",
        "https://",
        "https://a.example@evil.example/",
    ];
    // The messages for the four addresses, one after the other: the same for each command.
    insta::allow_duplicates! {
        for command in ["build", "check", "serve"] {
            let mut messages = String::new();
            for url in urls {
                let run = test.run(&[command, "--base-url", url]);
                assert_eq!(run.code, 2, "{command} {url}: {}", run.stderr);
                messages += &run.stderr;
            }
            insta::assert_snapshot!(messages, @"
            error: invalid value 'javascript:alert(1)' for '--base-url <BASE_URL>': the base URL must start with `http://` or `https://`

            For more information, try '--help'.
            error: invalid value 'https://a.example//evil.example/' for '--base-url <BASE_URL>': the base URL must not hold `//` in its path: a browser reads what follows as another host

            For more information, try '--help'.
            error: invalid value 'https://' for '--base-url <BASE_URL>': the base URL must name a host after `https://`

            For more information, try '--help'.
            error: invalid value 'https://a.example@evil.example/' for '--base-url <BASE_URL>': the base URL must have a host name of letters, digits, hyphens and dots, and may add a `:port`

            For more information, try '--help'.
            ");
        }
    }
    assert!(!test.root().join("site").exists());
    test.run(&["build", "--base-url", "https://example.github.io/guide"]);
    assert!(test.root().join("site/sitemap.xml").is_file());
}

/// A page saved with a byte-order mark (as some Windows editors do) is read, and its errors
/// point at the same line and column as without it.
#[test]
fn bom_page() {
    assert_eq!(build_fails("bom-page"), build_fails("missing-entity"));
}

/// Pages and data files with a byte-order mark build like those without.
#[test]
fn files_with_a_byte_order_mark_build() {
    let test = SiteTest::minimal();
    for rel in [
        "content/pages/about.md",
        "content/site.yaml",
        "content/data/offices.yaml",
    ] {
        let text = std::fs::read_to_string(test.root().join(rel)).unwrap();
        test.write(rel, &format!("\u{feff}{text}"));
    }
    test.build();
    assert!(test.read("about/index.html").contains("About this guide"));
    assert!(test.read("index.html").contains("Minimal guide"));
}

// The translations of the data files (`content/data/<lang>/*.yaml`).
fails_as_reviewed! {
    /// An overlay record whose id no English record has: the nearest id is offered.
    translation_unknown_id: "translation-unknown-id",
    /// A misspelt key in an overlay record: the keys allowed there are listed.
    translation_unknown_key: "translation-unknown-key",
    /// A translation that drops `{wait}` and writes a number the English does not have.
    translation_changes_a_fact: "translation-changes-a-fact",
    /// A step id the English path does not have.
    translation_unknown_step: "translation-unknown-step",
    /// A list item past the end of the English list.
    translation_past_the_list: "translation-past-the-list",
    /// `from:` that is not a fingerprint.
    translation_from_not_fingerprint: "translation-from-not-fingerprint",
    /// An overlay of `sources.yaml`, which has no words to translate.
    translation_unknown_file: "translation-unknown-file",
    /// A text with both `from:` and a draft's `en:`.
    translation_from_and_en: "translation-from-and-en",
    /// A text with `from:` and no `text:`.
    translation_without_text: "translation-without-text",
    /// A parameter the version does not state.
    translation_unknown_parameter: "translation-unknown-parameter",
}

warns_as_reviewed! {
    /// A translated text that does not say which English it was made from.
    translation_without_from: "translation-without-from",
}
