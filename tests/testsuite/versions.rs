//! Policy versions: each version's own pages, the switcher and banner, the structured and
//! word-level diffs, `casepath diff` and `casepath new-version`. Versions inherit: a version
//! carries over what it does not restate, and its diff shows only what it changes and what
//! it withdraws. (The shipped guide's versions are checked in `guide/versions.rs`.)

use crate::common::SiteTest;

#[test]
fn diff_prints_the_exact_structured_changes_between_two_versions() {
    let test = SiteTest::minimal();
    let run = test.run(&["diff", "older-era", "notice-era"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "Changes from The older notice to The notice

Rules
  changed  Followup: 30 days → 15 days
           sources: Older notice, line 3 → Help Desk notice, line 3

Offices, channels and paths
  path Your case is stuck (added)
    + Step: Call the Help Desk
    + Step: Email the follow-up address
  office Help Desk (changed)
    + Main line: 1-800-555-0100
  channel Follow-up email (added)
    + Follow-up email: helpdesk-followup@example.gov
    + Name: Follow-up email
"
    );
}

#[test]
fn diff_of_a_version_with_itself_is_empty() {
    let test = SiteTest::minimal();
    let run = test.run(&["diff", "notice-era", "notice-era"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("Rules\n  no rule changed\n"));
    assert!(run
        .stdout
        .contains("Offices, channels and paths\n  nothing changed\n"));
}

#[test]
fn diff_as_json_for_tools() {
    let test = SiteTest::minimal();
    let run = test.run(&["diff", "older-era", "notice-era", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let change = &json["parameters"][0];
    assert_eq!(change["name"], "followup_days");
    assert_eq!(change["change"], "changed");
    assert_eq!(change["old"], "30 days");
    assert_eq!(change["new"], "15 days");
    assert_eq!(change["old_sources"][0]["source"]["id"], "older-notice");
    assert_eq!(
        change["new_sources"][0]["href"],
        "sources/notice/index.html#L3"
    );
    assert_eq!(json["records"].as_array().unwrap().len(), 3);
}

#[test]
fn unknown_versions_are_a_usage_error_listing_the_known_ones() {
    let test = SiteTest::minimal();
    let run = test.run(&["diff", "older-era", "newest"]);
    assert_eq!(run.code, 2);
    insta::assert_snapshot!(run.stderr, @"
    error: unknown policy version `newest`
    help: the versions, oldest first, are: older-era, notice-era
    ");
}

#[test]
fn each_version_has_its_own_pages_with_a_banner_and_a_switcher() {
    let test = SiteTest::minimal();
    test.build();
    let older = test.read("versions/older-era/offices/help-desk/index.html");
    assert!(older.contains("<strong>Rules as of <a href=\"../../../../versions/older-era/index.html\">The older notice</a>:</strong> this page shows what that version says, and what older versions say that it does not restate"));
    assert!(older.contains("Call the Help Desk first."));
    assert!(
        !older.contains("1-800-555-0100</a>"),
        "the current notice's phone line is not in the older version"
    );
    let current = test.read("offices/help-desk/index.html");
    assert!(!current.contains("Rules as of"));
    assert!(current.contains(r#"<li><a href="../../offices/help-desk/index.html" aria-current="page">Newest sources</a></li>"#), "{current}");
    assert!(current.contains(r#"<li><a href="../../versions/older-era/offices/help-desk/index.html">The older notice</a></li>"#));
    // The path exists only in the version whose source states its steps.
    assert!(test
        .root()
        .join("site/versions/notice-era/paths/stuck-case/index.html")
        .exists());
    assert!(!test
        .root()
        .join("site/versions/older-era/paths/stuck-case/index.html")
        .exists());
    // Its switcher still lists that version, and says the path is not in it yet.
    let path = test.read("paths/stuck-case/index.html");
    assert!(path.contains(r#"<li><a href="../../versions/older-era/index.html">The older notice</a> <span class="switcher-note">(not in it yet)</span></li>"#), "{path}");
}

/// The newer version's text carries over what it does not restate: the older notice's
/// advice stays on the newer version's page of the office, with its own source.
#[test]
fn a_version_keeps_what_an_older_version_states_and_it_does_not_restate() {
    let test = SiteTest::minimal();
    test.build();
    let page = test.read("versions/notice-era/offices/help-desk/index.html");
    assert!(page.contains("Call the Help Desk first."), "{page}");
    assert!(page.contains(
        r#"<a href="../../../../sources/older-notice/index.html#L1">Older notice, line 1</a>"#
    ));
    assert!(page.contains("1-800-555-0100</a>"));
}

#[test]
fn waits_come_from_the_version_shown() {
    let test = SiteTest::minimal();
    test.build();
    let current = test.read("paths/stuck-case/index.html");
    assert!(current.contains("<strong>First wait 15 days</strong>"));
    assert!(
        current.contains("Older sources said 30 days: see “Older rules” below."),
        "{current}"
    );
    assert!(current.contains(r#"<strong>30 days</strong> in <a href="../../versions/older-era/index.html">The older notice</a>"#), "{current}");
    let version = test.read("versions/notice-era/paths/stuck-case/index.html");
    assert!(version.contains("<strong>First wait 15 days</strong>"));
}

#[test]
fn the_diff_page_marks_changes_with_ins_and_del_for_every_reader() {
    let test = SiteTest::minimal();
    test.build();
    let page = test.read("versions/compare/older-era/notice-era/index.html");
    assert!(
        page.contains(r#"<del><span class="visually-hidden">Before: </span>30 days</del>"#),
        "{page}"
    );
    assert!(page.contains(r#"<ins><span class="visually-hidden">After: </span>15 days</ins>"#));
    assert!(page.contains(r#"<li>Followup: 30 days → 15 days</li>"#));
    assert!(page.contains(r#"<del><span class="visually-hidden">[removed: </span>30</del><ins><span class="visually-hidden">[added: </span>15</ins>"#) || page.contains("[removed: </span>"));
    let timeline = test.read("versions/index.html");
    assert!(timeline.contains("<strong>What changed since The older notice:</strong>"));
    assert!(timeline.contains(r#"<a href="../versions/compare/older-era/notice-era/index.html">See every change, word by word</a>"#));
}

/// The fixture `one-rule-change`: a later notice whose only change is the follow-up wait,
/// 15 → 45 days (the case from issue 17).
#[test]
fn a_version_that_changes_one_rule_diffs_to_exactly_that_rule() {
    let test = SiteTest::good("one-rule-change");
    let run = test.run(&["diff", "notice-era", "later-era"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr, "");
    assert_eq!(
        run.stdout,
        "Changes from The notice to The later notice

Rules
  changed  Followup: 15 days → 45 days
           sources: Help Desk notice, line 3 → Later notice, line 3

Offices, channels and paths
  nothing changed
"
    );
    let run = test.run(&["diff", "notice-era", "later-era", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["reversed"], false);
    assert_eq!(json["parameters"].as_array().unwrap().len(), 1);
    assert_eq!(json["parameters"][0]["old"], "15 days");
    assert_eq!(json["parameters"][0]["new"], "45 days");
    assert_eq!(json["records"], serde_json::json!([]));
}

#[test]
fn the_diff_page_of_a_one_rule_version_shows_only_that_rule() {
    let test = SiteTest::good("one-rule-change");
    test.build();
    let page = test.read("versions/compare/notice-era/later-era/index.html");
    let changes =
        &page[page.find(r#"<h2 id="rules">"#).unwrap()..page.find(r#"<h2 id="text">"#).unwrap()];
    assert_eq!(
        changes.matches(r#"<tr><th scope="row">"#).count(),
        1,
        "{changes}"
    );
    assert!(changes
        .contains(r#"<tr><th scope="row">Followup</th><td data-label="Change">changed</td>"#));
    assert!(
        changes.contains(r#"<ul class="change-summary"><li>Followup: 15 days → 45 days</li></ul>"#)
    );
    assert!(changes.contains("<p>Nothing changed.</p>"), "{changes}");
    // The versions page says the same in its timeline.
    let timeline = test.read("versions/index.html");
    assert!(timeline.contains("<strong>What changed since The notice:</strong></p>\n<ul><li>Followup: 15 days → 45 days</li></ul>"), "{timeline}");
}

#[test]
fn every_switcher_lists_a_version_that_changes_only_a_rule() {
    let test = SiteTest::good("one-rule-change");
    test.build();
    let path = test.read("paths/stuck-case/index.html");
    assert!(
        path.contains("<strong>First wait 45 days</strong>"),
        "{path}"
    );
    assert!(path.contains(r#"<li><a href="../../versions/later-era/paths/stuck-case/index.html">The later notice</a></li>"#), "{path}");
    for page in [
        "offices/help-desk/index.html",
        "channels/followup-email/index.html",
        "versions/later-era/paths/stuck-case/index.html",
        "versions/older-era/offices/help-desk/index.html",
    ] {
        let html = test.read(page);
        assert!(html.contains(">The later notice</a>"), "{page}");
        assert!(html.contains(">The older notice</a>"), "{page}");
        assert!(html.contains(">The notice</a>"), "{page}");
    }
    // The later version's page of the path keeps the steps the notice states, with its wait.
    let later = test.read("versions/later-era/paths/stuck-case/index.html");
    assert!(later.contains("<strong>First wait 45 days</strong>"));
    assert!(later.contains(r#"aria-current="page">The later notice</a>"#));
    // Its own page names the rule it states.
    let version = test.read("versions/later-era/index.html");
    assert!(version.contains(r#"<h2 id="rules">Rules this version states</h2>"#));
    assert!(version.contains("<strong>Followup:</strong> 45 days"));
}

/// The fixture `withdrawn-email`: a third notice closes the follow-up address.
#[test]
fn a_withdrawn_email_address_diffs_as_withdrawn_with_its_quote() {
    let test = SiteTest::good("withdrawn-email");
    let run = test.run(&["diff", "notice-era", "no-email-era"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "Changes from The notice to The notice without email

Rules
  no rule changed

Offices, channels and paths
  channel Follow-up email (changed)
    withdrawn: Follow-up email: helpdesk-followup@example.gov
      by The notice without email: No-email notice, line 3
      “The Help Desk no longer answers email; the follow-up address is closed.”
"
    );
    let run = test.run(&["diff", "notice-era", "no-email-era", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let withdrawn = &json["records"][0]["withdrawn"][0];
    assert_eq!(
        withdrawn["text"],
        "Follow-up email: helpdesk-followup@example.gov"
    );
    assert_eq!(withdrawn["version"]["id"], "no-email-era");
    assert_eq!(
        withdrawn["note"],
        "The third edition says the address is closed."
    );
    assert_eq!(
        withdrawn["citations"][0]["href"],
        "sources/no-email-notice/index.html#L3"
    );
    assert_eq!(json["records"][0]["removed"], serde_json::json!([]));
}

#[test]
fn pages_say_which_version_withdraws_an_email_and_quote_it() {
    let test = SiteTest::good("withdrawn-email");
    test.build();
    // Under the address, which version withdraws it; in the note its marker leads to, the
    // version's words that do.
    let warning = "Withdrawn in The notice without email. It may no longer work.";
    let note = r#"<p class="note-withdrawn"><strong>Withdrawn in <a href="../../versions/no-email-era/index.html">The notice without email</a>.</strong> The third edition says the address is closed.</p>
<p class="note-group"><a href="../../sources/no-email-notice/index.html#L3">No-email notice, line 3</a>"#;
    let current = test.read("channels/followup-email/index.html");
    assert!(current.contains(warning), "{current}");
    assert!(current.contains(note), "{current}");
    // The notice's own page of the channel still gives the address, with no warning.
    let notice = test.read("versions/notice-era/channels/followup-email/index.html");
    assert!(notice.contains("helpdesk-followup<wbr>@example.gov</a>"));
    assert!(!notice.contains("Withdrawn in"), "{notice}");
    let page = test.read("versions/compare/notice-era/no-email-era/index.html");
    assert!(page.contains(r#"<li class="withdrawn"><del><span class="visually-hidden">Withdrawn: </span>Follow-up email: helpdesk-followup@example.gov</del> <strong>Withdrawn in"#), "{page}");
    assert!(page.contains("<p>No rule changed.</p>"));
}

#[test]
fn diff_warns_when_the_newer_version_is_given_first() {
    let test = SiteTest::minimal();
    let run = test.run(&["diff", "notice-era", "older-era"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    insta::assert_snapshot!(run.stderr, @"
    warning: `notice-era` is newer than `older-era`, so this diff runs back in time
    help: to see what `notice-era` changed, write: casepath diff older-era notice-era
    ");
    assert!(run.stdout.starts_with(
        "Changes from The notice to The older notice\n(back in time: the first version is the newer one)\n"
    ));
    let run = test.run(&["diff", "older-era", "notice-era"]);
    assert_eq!(run.stderr, "");
}

/// Runs `casepath check` and returns what it printed to standard error.
fn check_errors(test: &SiteTest) -> String {
    let run = test.run(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    run.stderr
}

/// The minimal site with one more rule in the older version and `newer` as the notice's;
/// `reply_days` is declared beside `followup_days`.
fn with_rules(older: &str, newer: &str) -> SiteTest {
    let test = SiteTest::minimal();
    test.write(
        "content/data/parameters.yaml",
        "- id: followup_days\n  label: Followup\n  unit: calendar_days\n\
         - id: reply_days\n  label: Reply\n  unit: calendar_days\n",
    );
    test.write(
        "content/data/policies.yaml",
        &format!(
            "- id: older-era
  name: The older notice
  order: 0
  order_reason: It waits longer, so it came first.
  era: Undated
  summary: The rules of the older notice.
  sources:
    - source: older-notice
  parameters:
    followup_days:
      value: 30
      sources:
        - source: older-notice
          quote: more than 30 days have passed
{older}- id: notice-era
  name: The notice
  order: 1
  order_reason: The only version.
  era: Undated
  summary: The rules of the notice.
  sources:
    - source: notice
  parameters:
    followup_days:
      value: 15
      sources:
        - source: notice
          quote: more than 15 days have passed
{newer}"
        ),
    );
    test
}

#[test]
fn a_parameter_needs_a_value_or_a_withdrawal() {
    let test = with_rules(
        "",
        "    reply_days:\n      note: The notice does not say.\n      sources:\n        - source: notice\n",
    );
    insta::assert_snapshot!(check_errors(&test), @"
    error: parameter `reply_days` of `notice-era` has no value
      --> content/data/policies.yaml:15:7
       |
    15 | - id: notice-era
       |       ^^^^^^^^^^ no `value:` for this parameter
       |
    help: write `value:`; when this version withdraws the rule, write `withdrawn: true` and quote the words of its source that withdraw it; a version that does not mention a rule leaves it out and carries it over

    error: 1 problem found; nothing was written
    ");
}

#[test]
fn a_parameter_cannot_have_a_value_and_be_withdrawn() {
    let test = with_rules(
        "",
        "    reply_days:\n      value: 15\n      withdrawn: true\n      sources:\n        - source: notice\n          quote: more than 15 days have passed\n",
    );
    insta::assert_snapshot!(check_errors(&test), @"
    error: parameter `reply_days` of `notice-era` has a value and is withdrawn
      --> content/data/policies.yaml:30:14
       |
    30 |       value: 15
       |              ^^ a value here
       |
    help: a version either states a new value or withdraws the rule: keep one

    error: 1 problem found; nothing was written
    ");
}

#[test]
fn a_version_can_withdraw_only_what_an_older_version_states() {
    let test = with_rules(
        "",
        "    reply_days:\n      withdrawn: true\n      sources:\n        - source: notice\n          quote: more than 15 days have passed\n",
    );
    insta::assert_snapshot!(check_errors(&test), @"
    error: version `notice-era` withdraws `reply_days`, but no older version states it
      --> content/data/policies.yaml:30:18
       |
    30 |       withdrawn: true
       |                  ^^^^ nothing to withdraw
       |
    help: withdraw only a rule an older version states; a version carries over every rule it does not mention

    error: 1 problem found; nothing was written
    ");
}

#[test]
fn a_withdrawn_parameter_quotes_the_words_that_withdraw_it() {
    let test = with_rules(
        "    reply_days:\n      value: 10\n      sources:\n        - source: older-notice\n",
        "    reply_days:\n      withdrawn: true\n      sources:\n        - source: notice\n",
    );
    insta::assert_snapshot!(check_errors(&test), @"
    error: the withdrawal of `reply_days` in `notice-era` quotes nothing
      --> content/data/policies.yaml:34:18
       |
    34 |       withdrawn: true
       |                  ^^^^ withdrawn without a quote
       |
    help: add `sources:` with `- source: <id>` and a `quote:` of the words that withdraw the rule

    error: 1 problem found; nothing was written
    ");
}

/// The `withdrawn-email` fixture with its channel's withdrawal replaced by `withdrawal`.
fn withdrawn_email_with(withdrawal: &str) -> SiteTest {
    let test = SiteTest::good("withdrawn-email");
    let path = test.root().join("content/data/channels.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let start = text.find("      withdrawn:\n").unwrap();
    let end = text.find("  sources:\n    - source: notice\n").unwrap();
    test.write(
        "content/data/channels.yaml",
        &format!("{}{withdrawal}{}", &text[..start], &text[end..]),
    );
    test
}

#[test]
fn a_withdrawal_is_made_by_a_policy_versions_source() {
    let test = withdrawn_email_with(
        "      withdrawn:\n        sources:\n          - source: no-email-notice\n            quote: The Help Desk no longer answers email\n",
    );
    // The version resting on the no-email notice is removed: the source is nobody's.
    let policies = std::fs::read_to_string(test.root().join("content/data/policies.yaml")).unwrap();
    let cut = policies.find("\n# The notice without email").unwrap();
    test.write("content/data/policies.yaml", &policies[..cut + 1]);
    insta::assert_snapshot!(check_errors(&test), @"
    error: source `no-email-notice` belongs to no policy version
      --> content/data/channels.yaml:16:21
       |
    16 |           - source: no-email-notice
       |                     ^^^^^^^^^^^^^^^ a withdrawal is made by a policy version
       |
    help: cite the source of the version that withdraws it: one listed under `sources:` of a version in content/data/policies.yaml

    error: 1 problem found; nothing was written
    ");
}

#[test]
fn a_withdrawal_comes_from_a_newer_version_than_every_one_that_states_it() {
    let test = withdrawn_email_with(
        "      withdrawn:\n        sources:\n          - source: older-notice\n            quote: write to the Help Desk\n",
    );
    insta::assert_snapshot!(check_errors(&test), @"
    error: `helpdesk-followup@example.gov` is withdrawn by version `older-era`, but version `notice-era` states it and is not older
      --> content/data/channels.yaml:16:21
       |
    16 |           - source: older-notice
       |                     ^^^^^^^^^^^^ this version does not come after every version that states it
       |
    help: a version can withdraw only what older versions state: cite the source of a newer version here

    error: 1 problem found; nothing was written
    ");
}

#[test]
fn a_withdrawal_of_a_contact_needs_a_quote_and_a_source() {
    let test = withdrawn_email_with(
        "      withdrawn:\n        sources:\n          - source: no-email-notice\n",
    );
    insta::assert_snapshot!(check_errors(&test), @"
    error: the withdrawal of `helpdesk-followup@example.gov` quotes nothing
      --> content/data/channels.yaml:16:21
       |
    16 |           - source: no-email-notice
       |                     ^^^^^^^^^^^^^^^ withdrawn without a quote
       |
    help: add a `quote:` of the words that withdraw it

    error: 1 problem found; nothing was written
    ");
    let test = withdrawn_email_with("      withdrawn:\n        note: Closed.\n");
    let errors = check_errors(&test);
    assert!(
        errors.starts_with(
            "error: the withdrawal of contact `helpdesk-followup@example.gov` has no source\n"
        ),
        "{errors}"
    );
}

/// Replaces each `FILL IN` placeholder of `text` (to its closing quote or the line's end).
fn fill_in(text: &str) -> String {
    text.lines()
        .map(|line| match line.split_once("FILL IN") {
            Some((head, _)) if head.ends_with('"') => format!("{head}Filled in\""),
            Some((head, _)) => format!("{head}Filled in."),
            None => line.to_string(),
        })
        .map(|line| line + "\n")
        .collect()
}

/// The README's walk-through: a new text whose only change is one wait.
#[test]
fn new_version_appends_skeletons_and_one_rule_then_diffs_to_that_rule() {
    let test = SiteTest::minimal();
    let read = |rel: &str| std::fs::read_to_string(test.root().join(rel)).unwrap();
    let (policies, sources) = (
        read("content/data/policies.yaml"),
        read("content/data/sources.yaml"),
    );
    let text = "Help Desk notice, second edition.\n\nIf more than 45 days have passed since you called, email helpdesk-followup@example.gov.\n";
    test.write("drafts/later.txt", text);
    let draft = test.root().join("drafts/later.txt");
    let run = test.run(&[
        "new-version",
        "later-era",
        "--source",
        draft.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.starts_with(
            "added policy version `later-era` (order 2, after `notice-era`):
  content/sources/later.txt            the source text
  content/data/sources.yaml:18         its source record
  content/data/policies.yaml:33        the version
"
        ),
        "{}",
        run.stdout
    );
    assert!(run
        .stdout
        .contains("     The rules so far: followup_days.\n"));
    assert!(run.stdout.ends_with(
        "Everything else carries over from `notice-era`. See what changed: casepath diff notice-era later-era\n"
    ));
    // Every byte of the files stays; the records come after.
    let (new_policies, new_sources) = (
        read("content/data/policies.yaml"),
        read("content/data/sources.yaml"),
    );
    assert!(new_policies.starts_with(&policies));
    assert!(new_sources.starts_with(&sources));
    assert_eq!(new_policies.lines().nth(32), Some("- id: later-era"));
    assert_eq!(new_sources.lines().nth(17), Some("- id: later-era"));
    assert_eq!(read("content/sources/later.txt"), text);
    // Until they are written, the build names each placeholder.
    let run = test.run(&["check"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr
            .matches("error: a value still says FILL IN")
            .count(),
        9
    );
    assert!(
        run.stderr
            .contains("  --> content/data/policies.yaml:34:10\n"),
        "{}",
        run.stderr
    );
    // Filled in, with the one rule the text changes.
    test.write("content/data/sources.yaml", &fill_in(&new_sources));
    test.write(
        "content/data/policies.yaml",
        &(fill_in(&new_policies)
            + "  parameters:\n    followup_days:\n      value: 45\n      sources:\n        - source: later-era\n          quote: more than 45 days have passed\n"),
    );
    let run = test.run(&["diff", "notice-era", "later-era"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.ends_with(
            "Rules
  changed  Followup: 15 days → 45 days
           sources: Help Desk notice, line 3 → Filled in, line 3

Offices, channels and paths
  nothing changed
"
        ),
        "{}",
        run.stdout
    );
    test.build();
    let path = test.read("paths/stuck-case/index.html");
    assert!(path.contains(r#"<li><a href="../../versions/later-era/paths/stuck-case/index.html">Filled in</a></li>"#), "{path}");
}

#[test]
fn new_version_refuses_a_bad_or_taken_id_and_a_missing_or_clashing_file() {
    let test = SiteTest::minimal();
    let policies = std::fs::read_to_string(test.root().join("content/data/policies.yaml")).unwrap();
    test.write("drafts/notice.txt", "Another text.\n");
    let draft = test.root().join("drafts/notice.txt");
    let draft = draft.to_str().unwrap();
    // The messages for the three ids, one after the other.
    let mut messages = String::new();
    for id in ["Later", "notice-era", "older-notice"] {
        let run = test.run(&["new-version", id, "--source", draft]);
        assert_eq!(run.code, 2, "{id}");
        messages += &run.stderr;
    }
    insta::assert_snapshot!(messages, @"
    error: the id `Later` is not kebab-case: use lower-case letters, digits and single hyphens, e.g. `notice-2026`
    error: a policy version or source is already called `notice-era`: choose another id
    error: a policy version or source is already called `older-notice`: choose another id
    ");
    let run = test.run(&["new-version", "later-era", "--source", "no/such/file.txt"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .starts_with("error: cannot read the source text no/such/file.txt: "),
        "{}",
        run.stderr
    );
    test.write("drafts/tab\there.txt", "A text.\n");
    let tab = test.root().join("drafts/tab\there.txt");
    let run = test.run(&[
        "new-version",
        "later-era",
        "--source",
        tab.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 2);
    insta::assert_snapshot!(run.stderr, @r#"error: the file name "tab\there.txt" has a control character: rename the file"#);
    std::fs::write(test.root().join("drafts/binary.txt"), [0xff, 0xfe, 0x00]).unwrap();
    let binary = test.root().join("drafts/binary.txt");
    let run = test.run(&[
        "new-version",
        "later-era",
        "--source",
        binary.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .ends_with("binary.txt is not UTF-8 text: save the source as plain text first\n"),
        "{}",
        run.stderr
    );
    // content/sources/notice.txt holds the notice: another text of that name is refused.
    let run = test.run(&["new-version", "later-era", "--source", draft]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.ends_with("content/sources/notice.txt already exists with other text: rename the new source file\n"), "{}", run.stderr);
    let after = std::fs::read_to_string(test.root().join("content/data/policies.yaml")).unwrap();
    assert_eq!(after, policies, "a refused version writes nothing");
}

#[test]
fn a_withdrawn_rule_diffs_as_withdrawn_and_is_no_rule_of_later_versions() {
    let test = with_rules(
        "    reply_days:\n      value: 10\n      sources:\n        - source: older-notice\n",
        "    reply_days:\n      withdrawn: true\n      note: The notice stops promising a reply.\n      sources:\n        - source: notice\n          quote: since you called, email helpdesk-followup@example.gov\n",
    );
    let run = test.run(&["diff", "older-era", "notice-era"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains(
            "  withdrawn Reply: 10 days
           withdrawn by: Help Desk notice, line 3
           “since you called, email helpdesk-followup@example.gov”
"
        ),
        "{}",
        run.stdout
    );
    let run = test.run(&["diff", "older-era", "notice-era", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let change = &json["parameters"][1];
    assert_eq!(change["change"], "withdrawn");
    assert_eq!(change["old"], "10 days");
    assert_eq!(change["new"], serde_json::Value::Null);
    assert_eq!(change["note"], "The notice stops promising a reply.");
    test.build();
    let versions = test.read("versions/index.html");
    assert!(versions.contains(r#"<tr><th scope="row">Reply</th><td data-label="The older notice">10 days</td><td data-label="The notice"><span class="silent">withdrawn</span></td><td data-label="Shown in this guide"><span class="silent">withdrawn</span></td></tr>"#), "{versions}");
    let page = test.read("versions/notice-era/index.html");
    assert!(
        page.contains("<strong>Reply:</strong> withdrawn (The notice stops promising a reply.)"),
        "{page}"
    );
}

/// A fact that a version withdraws keeps one marker, whose note gives its source and then the
/// words that withdraw it; a line under the fact names the version. (Without the withdrawal
/// in the page's notes, the `note` filter fails the build.)
#[test]
fn a_withdrawn_fact_has_one_marker_whose_note_quotes_the_withdrawal() {
    let test = SiteTest::good("withdrawn-email");
    let path = test.root().join("content/data/channels.yaml");
    let text = std::fs::read_to_string(path).unwrap();
    let fact = "  facts:
    - text: Call the Help Desk before you write.
      sources:
        - source: notice
          quote: Contact the Help Desk
      withdrawn:
        sources:
          - source: no-email-notice
            quote: Call the Help Desk at 1-800-555-0100
";
    let channel_sources = "  sources:\n    - source: notice\n";
    test.write(
        "content/data/channels.yaml",
        &text.replacen(channel_sources, &format!("{fact}{channel_sources}"), 1),
    );
    test.build();
    let page = test.read("channels/followup-email/index.html");
    let fact = &page[page.find("Call the Help Desk before you write.").unwrap()..];
    let fact = &fact[..fact.find("</li>").unwrap()];
    assert_eq!(
        fact.matches(r#"<sup class="source-ref">"#).count(),
        1,
        "{fact}"
    );
    assert!(
        fact.contains(r#"<span class="fact-withdrawn">Withdrawn in The notice without email. It may no longer hold.</span>"#),
        "{fact}"
    );
    let number = &fact[fact.find("#source-").unwrap() + 8..];
    let number = &number[..number.find('"').unwrap()];
    let note = &page[page.find(&format!(r#"<li id="source-{number}">"#)).unwrap()..];
    let note = &note[..note.find("</li>").unwrap()];
    assert!(note.contains(r#"<p class="note-withdrawn"><strong>Withdrawn in <a href="../../versions/no-email-era/index.html">The notice without email</a>.</strong></p>"#), "{note}");
    assert!(
        note.contains("<q>Call the Help Desk at 1-800-555-0100</q>"),
        "{note}"
    );
}
