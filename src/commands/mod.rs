//! One module per subcommand; each returns the process exit code.
//! [`output`] holds what they share: where text goes and how errors print.

pub mod audit;
pub mod db;
pub mod explain;
pub mod file_bytes;
pub mod inputs;
#[cfg(unix)]
pub mod mapped;
pub mod output;
pub mod validate;
