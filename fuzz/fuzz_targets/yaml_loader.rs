//! Arbitrary bytes as one YAML file of a guide (a data file or `site.yaml`), through the
//! loader's decoding and limits, the validator and resolve.
//!
//! The file is the one the first line names, as every shipped file does
//! (`# yaml-language-server: $schema=../schema/offices.json`); without such a line the first
//! byte picks it. The other files are those of the guide `casepath init` writes, so a
//! shipped data file used as a seed decodes in full but its references to the shipped
//! guide's other records are reported as unknown.

#![no_main]

mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| common::yaml_loader(data));
