//! Arbitrary UTF-8 as a Markdown page with front matter (`content/pages/guide/page.md`)
//! in the guide `casepath init` writes: front matter split and decoded as `load` does,
//! then validate and resolve, which render the Markdown and resolve its links
//! (`@office/…`, `../about.md#…`), and the plain text the search index keeps.

#![no_main]

mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| common::markdown(data));
