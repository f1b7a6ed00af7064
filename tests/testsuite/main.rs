//! casepath's integration tests, as one test binary with one module per feature (the layout
//! of mdBook's `tests/testsuite/`): the module list below is the list of what casepath does.
//! One binary links once, and the shipped guide is built once for all the tests that read it.
//!
//! The engine's tests run the real `casepath` binary (or the library) on fixtures under
//! `tests/fixtures/` and on temporary folders. The tests of the shipped guide's content, the
//! USCIS guide in `content/`, are kept apart under [`guide`].
//!
//! Run one area with `cargo test --test testsuite <module>::`, such as `errors::`. Expected
//! diagnostics are insta snapshots under `snapshots/` (`cargo insta review` shows a change).
//! `cargo test --test testsuite -- --ignored` runs the tests that need a tool `cargo test`
//! does not assume (Chromium); CI runs them. Proptest keeps the failing cases it found in
//! `tests/proptest-regressions/<module>.txt` and replays them before new ones.

mod common;
#[path = "../../fuzz/fuzz_targets/common.rs"]
mod fuzz;

// The shape of the engine: a one-way pipeline, short files.
mod architecture;
// `casepath build` and `casepath check` on the minimal fixture.
mod build;
// Bad input: one fixture per kind of mistake, each with the exact message a user sees.
mod errors;
// File-system faults during a build: the previous site stays byte for byte.
mod faults;
// The decision flowchart of a guide.
mod flowchart;
// The flowchart layout's promises on random charts.
mod flowchart_layout;
// The fuzz targets' committed seeds, replayed.
mod fuzz_regressions;
// Printable handouts and their PDF.
mod handouts;
// Incremental rebuilds, as `casepath serve` makes them.
mod incremental;
// `casepath init` and the default theme built into the binary.
mod init;
// A guide in more than one language: the pages of each, hreflang, the switcher, notices.
mod languages;
// Property tests of the loader, the validator and the HTML check.
mod properties;
// Publishing: base URL, GitHub Pages files, sitemap, data export.
mod publish;
// `casepath schema`.
mod schema;
// The file-system and `serve` defences that SECURITY.md lists.
mod security;
// `casepath serve`: live reload and the preview server.
mod serve;
// The translations of the data files: overlays, staleness, `casepath translate`.
mod translations;
// Policy versions, their diffs, `casepath diff` and `casepath new-version`.
mod versions;
// The words of the pages: the string table, units of parameters, kinds a guide declares.
mod words;
// The GitHub Actions workflows casepath ships and the one `casepath init` writes.
mod workflows;

// The shipped guide's content.
mod guide;
