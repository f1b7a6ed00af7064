//! Arbitrary UTF-8 through the check of raw HTML in Markdown pages, alone and as the body
//! of a page: anything the check accepts must render without an event attribute or a
//! `javascript:`, `vbscript:` or `data:` address.

#![no_main]

mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| common::html_check(data));
