//! The printable one-page handout of a path, as its template sees it.

use super::Link;

use serde::Serialize;

/// A printable handout for one path.
#[derive(Debug, Serialize)]
pub struct Handout {
    /// The path's id.
    pub id: String,
    /// The path's name: the situation.
    pub name: String,
    /// Site-relative URL of the handout.
    pub url: String,
    /// The path's page.
    pub path: Link,
    /// Who it is for.
    pub for_whom: String,
    /// The path in a few sentences.
    pub summary: String,
    /// Source numbers of the path itself.
    pub cites: String,
    /// The steps, trimmed for paper.
    pub steps: Vec<HandoutStep>,
    /// Which office has the case, by the prefix of its number, when the path reaches them.
    pub prefixes: Option<PrefixTable>,
    /// What to write down, from every step, without repeats.
    pub record: Vec<Item>,
    /// The call log to fill in.
    pub call_log: CallLog,
    /// True when another policy version gives a different wait for a step.
    pub waits_differ: bool,
    /// The sources cited on the handout, numbered in order of first use.
    pub sources: Vec<HandoutSource>,
    /// The path page's address on the web, with its QR code; only with a base URL.
    pub online: Option<Online>,
}

/// A step, trimmed for paper.
#[derive(Debug, Serialize)]
pub struct HandoutStep {
    /// 1-based position.
    pub number: usize,
    /// The action.
    pub title: String,
    /// Wait before the step.
    pub wait: Option<HandoutWait>,
    /// Wait for an answer.
    pub response: Option<HandoutWait>,
    /// What to do.
    pub text: Vec<Item>,
    /// Numbers and addresses to use.
    pub contacts: Vec<HandoutContact>,
    /// True when the step's contacts are in the receipt-prefix table instead.
    pub contacts_in_prefix_table: bool,
    /// What to have ready.
    pub have_ready: Vec<Item>,
    /// Source numbers of the step itself.
    pub cites: String,
}

/// A sourced statement on a handout.
#[derive(Debug, Serialize, Clone, PartialEq)]
pub struct Item {
    /// The statement.
    pub text: String,
    /// The statement in pieces, with the phone numbers and addresses it gives marked strong.
    pub segments: Vec<Segment>,
    /// Its source numbers, `"1, 3"`.
    pub cites: String,
}

/// A piece of a statement.
#[derive(Debug, Serialize, Clone, PartialEq)]
pub struct Segment {
    /// The words.
    pub text: String,
    /// True for a phone number or address to pick out.
    pub strong: bool,
}

/// A wait on a handout.
#[derive(Debug, Serialize)]
pub struct HandoutWait {
    /// Days in the current view.
    pub days: i64,
    /// How the days are counted: `calendar_days` or `business_days`.
    pub unit: crate::load::schema::Unit,
    /// What it counts from.
    pub after: String,
    /// Source numbers of the current value.
    pub cites: String,
}

/// A contact on a handout.
#[derive(Debug, Serialize)]
pub struct HandoutContact {
    /// `phone`, `tty`, `email`, `web` or `mail`.
    pub kind: String,
    /// What it is for.
    pub label: String,
    /// The number or address.
    pub value: String,
    /// A `tel:`, `mailto:` or `https:` link.
    pub href: Option<String>,
    /// Who may use it, or a limit.
    pub note: Option<String>,
    /// Set when the newest version no longer lists it: that version's name.
    pub withdrawn_by: Option<String>,
    /// Source numbers.
    pub cites: String,
}

/// Case-number prefixes and the offices they belong to.
#[derive(Debug, Serialize)]
pub struct PrefixTable {
    /// One row per email of each office with a prefix, by prefix.
    pub rows: Vec<PrefixRow>,
    /// Source numbers shared by every row (then the rows have none of their own).
    pub cites: String,
    /// When some emails are no longer listed by the newest version: its name.
    pub withdrawn_by: Option<String>,
    /// Source numbers of the withdrawal.
    pub withdrawn_cites: String,
}

/// One receipt prefix.
#[derive(Debug, Serialize)]
pub struct PrefixRow {
    /// The three letters.
    pub prefix: String,
    /// The office.
    pub office: Link,
    /// Its follow-up email, if it has one.
    pub email: Option<HandoutContact>,
    /// What the email is for, when the office has more than one.
    pub note: Option<String>,
    /// Source numbers for the prefix.
    pub cites: String,
}

/// The call log.
#[derive(Debug, Serialize)]
pub struct CallLog {
    /// Empty rows to write in.
    pub rows: usize,
    /// Source numbers of the advice to write these things down.
    pub cites: String,
}

/// A source as a handout lists it.
#[derive(Debug, Serialize)]
pub struct HandoutSource {
    /// Its number on the handout.
    pub number: usize,
    /// Its short title.
    pub title: String,
    /// Its page on the site.
    pub url: String,
    /// True when it is not an official source.
    pub unverified: bool,
}

/// A page's address on the web.
#[derive(Debug, Serialize)]
pub struct Online {
    /// The absolute URL.
    pub url: String,
    /// The URL as an inline SVG QR code.
    pub qr_svg: String,
}
