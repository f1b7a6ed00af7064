//! What only the command line needs, outside the build pipeline: the preview server
//! ([`serve`]), printing handouts to PDF ([`pdf`]), `casepath diff` as text ([`diff`]), a new
//! policy version ([`new_version`]), a new guide ([`init`]), the JSON Schema files
//! ([`schema`]) and keeping the translations of the data files in step ([`translate`]).

pub mod diff;
pub mod init;
pub mod new_version;
pub mod pdf;
pub mod schema;
pub mod serve;
pub mod translate;
