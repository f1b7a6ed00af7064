//! The defences SECURITY.md lists that need the real binary: the file-system guards of
//! `casepath build` ([`fs`]) and `casepath serve` under abuse ([`serve`]).

mod fs;
mod serve;
