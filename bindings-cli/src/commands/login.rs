//! `tranship login HOST [-u USER] [--password-stdin]`; asks on a terminal.

use std::io::{BufRead, IsTerminal, Read};

use serde_json::json;
use tranship::registry::{save_login, Credential};
use tranship::{Error, Result};

use crate::cli::LoginArgs;
use crate::output::Output;
use crate::remote::block_on;
use tranship::registry::registry_host;

/// Checks a user name and password with the registry (`GET /v2/` with
/// them), then stores them in Docker's config (or `--authfile`). The
/// password is never printed, and never taken from the command line
/// except through `--creds`.
pub fn run(args: &LoginArgs, out: Output) -> Result<()> {
    let registry = registry_host(&args.host);
    let (username, password) = credentials(args)?;
    let file = args.registry.login_file();
    let credential = Credential::Basic {
        username: username.clone(),
        password: password.clone(),
    };
    let client = args.registry.client_with(&registry, credential)?;
    block_on(async {
        client.ping(&registry).await?;
        save_login(&file, &args.host, &username, &password).await
    })?;
    let report = json!({
        "registry": registry,
        "username": username,
        "file": file.display().to_string(),
    });
    out.emit("login", &report, || "Login Succeeded".into());
    Ok(())
}

/// The user name and password: `--creds`, `--password-stdin` (with
/// `-u`), or asked for on a terminal (the password without echo).
fn credentials(args: &LoginArgs) -> Result<(String, String)> {
    if let Some(creds) = &args.registry.creds {
        return Ok((creds.username.clone(), creds.password.clone()));
    }
    let refuse = |why: &str| Err(Error::Credentials(why.to_string()));
    let stdin = std::io::stdin();
    if !args.password_stdin {
        if !stdin.is_terminal() {
            return refuse(
                "no terminal to ask for the password: give it on standard input with --password-stdin (or use --creds USER:PASS)",
            );
        }
        let username = match args.username.clone() {
            Some(name) => name,
            None => {
                eprint!("Username: ");
                let mut name = String::new();
                stdin
                    .lock()
                    .read_line(&mut name)
                    .map_err(|e| Error::io("reading the user name", e))?;
                name.trim().to_string()
            }
        };
        if username.is_empty() {
            return refuse("the user name is empty");
        }
        let password = rpassword::prompt_password("Password: ")
            .map_err(|e| Error::io("reading the password from the terminal", e))?;
        if password.is_empty() {
            return refuse("the password is empty");
        }
        return Ok((username, password));
    }
    let Some(username) = args.username.clone() else {
        return refuse("--password-stdin needs --username");
    };
    let mut password = String::new();
    if stdin.is_terminal() {
        stdin.lock().read_line(&mut password)
    } else {
        stdin.lock().read_to_string(&mut password)
    }
    .map_err(|e| Error::io("reading the password from standard input", e))?;
    // As docker: one trailing newline is the terminal's, not the password's.
    let password = password.trim_end_matches(['\n', '\r']).to_string();
    if password.is_empty() {
        return refuse("the password on standard input is empty");
    }
    Ok((username, password))
}
