//! `tranship`: inspect, convert and move container images.
//!
//! Exit status: 0 on success, 1 when the operation failed (the error's
//! stable code is printed as `error[CODE]: message`), 2 on a usage error.

mod cli;
mod cli_remote;
mod commands;
mod input;
mod output;
mod progress;
mod remote;

use std::process::ExitCode;

use clap::Parser;

use cli::{Cli, Command};
use output::Output;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let out = Output { json: cli.json };
    let result = match cli.command {
        Command::Reference { reference } => commands::reference::run(&reference, out),
        Command::Address { address } => commands::address::run(&address, out),
        Command::Digest(args) => commands::digest::run(&args, out),
        Command::Copy(args) => commands::copy::run(&args, out),
        Command::Check(args) => commands::check::run(&args, out),
        Command::Manifest(cmd) => commands::manifest::run(cmd, out),
        Command::Platform(cmd) => commands::platform::run(cmd, out),
        Command::Convert(args) => commands::convert::run(&args, out),
        Command::Layer(cmd) => commands::layer::run(cmd, out),
        Command::Negotiate(args) => commands::negotiate::run(&args, out),
        Command::Config(args) => commands::config::run(&args, out),
        Command::Blob(cmd) => commands::blob::run(cmd, out),
        Command::Tags(args) => commands::tags::run(&args, out),
        Command::Catalog(args) => commands::catalog::run(&args, out),
        Command::Login(args) => commands::login::run(&args, out),
        Command::Logout(args) => commands::logout::run(&args, out),
        Command::Delete(args) => commands::delete::run(&args, out),
        Command::Completions { shell } => {
            commands::completions::run(shell);
            Ok(())
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            if out.json {
                let obj = serde_json::json!({
                    "kind": "error",
                    "code": e.code(),
                    "message": e.to_string(),
                });
                println!("{obj}");
            }
            eprintln!("error[{}]: {e}", e.code());
            ExitCode::from(1)
        }
    }
}
