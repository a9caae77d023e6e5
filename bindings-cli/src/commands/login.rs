//! `tranship login HOST [-u USER] [--password-stdin]`

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

/// The user name and password: `--creds`, or `-u` (asked for on a
/// terminal) and `--password-stdin`.
fn credentials(args: &LoginArgs) -> Result<(String, String)> {
    if let Some(creds) = &args.registry.creds {
        return Ok((creds.username.clone(), creds.password.clone()));
    }
    let refuse = |why: &str| Err(Error::Credentials(why.to_string()));
    if !args.password_stdin {
        return refuse(
            "give the password on standard input with --password-stdin (or use --creds USER:PASS)",
        );
    }
    let Some(username) = args.username.clone() else {
        return refuse("--password-stdin needs --username");
    };
    let mut password = String::new();
    let stdin = std::io::stdin();
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
