//! The process edge: parse arguments, run one command, exit with its code.
//! Only this binary knows about the process; the library returns data.

mod allocator;
mod cli;
mod commands;

use std::process::ExitCode;

use clap::Parser;

use cli::{Cli, Command};

fn main() -> ExitCode {
    allocator::tune();
    let cli = Cli::parse();
    let code = match &cli.command {
        Command::Audit(args) => commands::audit::run(args),
        Command::Explain(args) => commands::explain::run(args),
        Command::Validate(args) => commands::validate::run(args),
        Command::Db(command) => commands::db::run(command),
    };
    ExitCode::from(u8::try_from(code).unwrap_or(2))
}
