//! The shipped guide's policy versions: the diff between each pair of adjacent versions
//! (reviewed snapshots), and the 30-to-15-day change with both of its sources.

use crate::common::SiteTest;

#[test]
fn the_shipped_30_to_15_day_diff_names_both_sources() {
    let test = SiteTest::shipped();
    let run = test.run(&["diff", "sc-30-day", "sc-15-day"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains(
        "  changed  Wait before you email the service center: 30 days → 15 days\n           sources: USCIS 30-day notice, line 11 → USCIS 15-day notice, line 13\n"
    ), "{}", run.stdout);
    let run = test.run(&["diff", "manual-older", "manual-2024"]);
    assert!(run.stdout.contains("  changed  Name of the contact center: National Customer Service Center (NCSC) → USCIS Contact Center\n"), "{}", run.stdout);
    assert!(run.stdout.contains(
        "  changed  Service-center email addresses published: published → not published\n"
    ));
}

/// The shipped guide's adjacent diffs, each read through as a volunteer would (issue 17).
/// Nothing shows as removed: what a newer text does not restate carries over. Each shows:
///
/// - **30-day notice → 15-day notice**: the Step 2 wait 30 → 15 days; the refugee and
///   asylee address and the count of 25 offices overseas appear; the Form I-730, overseas
///   and other-agency paths and the offices they name (NVC, embassies, RSC) appear; who may
///   get case details; the Step 2 email's "say why" wording gains "if you know".
/// - **15-day notice → 2015 Ombudsman update**: the Step 2 wait 15 → 30 days, counted from
///   the first service request; the 30-day field-office follow-up, InfoPass and the 90-day
///   call review appear; the Contact Center's two tiers with what each can and cannot do;
///   DHS Form 7001 and the Ombudsman; the field-office, expedite and military paths; the
///   Case Status tool is called Case Status Online.
/// - **2015 Ombudsman update → older Policy Manual**: the Step 2 wait 30 → 15 days, counted
///   from the call again, and only after a Service Request; TDD and the Hague Adoptions Line
///   are named; the special phone lines, mail, fax, outreach, email boxes, SRMT, the
///   adoption and premium paths, the asylum and Mexico City offices appear; the blank
///   addresses of our copy are noted.
/// - **older Policy Manual → 2024 Policy Manual**: the new names (USCIS Contact Center,
///   TTY, Intercountry Adoptions Line); the online account, online messages and Emma; the
///   multi-tiered phone help and its hours; in-person help only for critical services;
///   service requests routed on their own; the military line's hours move to its web page;
///   and the service-center follow-up addresses withdrawn (quote: "USCIS offices may
///   provide designated email boxes ..."). The waits, the headquarters address and InfoPass
///   are not restated, so they carry over.
#[test]
fn the_shipped_adjacent_diffs_show_only_what_each_text_changes() {
    let test = SiteTest::shipped();
    let ids = [
        "sc-30-day",
        "sc-15-day",
        "ombudsman-2015",
        "manual-older",
        "manual-2024",
    ];
    for pair in ids.windows(2) {
        let run = test.run(&["diff", pair[0], pair[1]]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert_eq!(run.stderr, "");
        assert!(!run.stdout.contains(" (removed)\n"), "{}", run.stdout);
        assert!(!run.stdout.contains("\n  removed  "), "{}", run.stdout);
        insta::assert_snapshot!(
            format!("shipped_diff_{}_to_{}", pair[0], pair[1]),
            run.stdout
        );
    }
}
