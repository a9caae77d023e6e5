//! `tranship completions SHELL`

use clap::CommandFactory;

use crate::cli::Cli;

/// Writes the completion script for `shell` to standard output.
pub fn run(shell: clap_complete::Shell) {
    clap_complete::generate(
        shell,
        &mut Cli::command(),
        "tranship",
        &mut std::io::stdout(),
    );
}
