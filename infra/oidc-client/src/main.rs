//! `oidc-client register < client.json`: registers a public service as an OpenID Connect client.
//!
//! Reads a registration (README, "Connecting a public service") as JSON on standard input, writes
//! the client to the table the environment names (`STORE=dynamodb`, `TABLE_NAME`, and
//! `MASTER_SECRET` or `MASTER_SECRET_ID`: the secret's hash is keyed with it, as the functions
//! check it) and prints the client with its secret, which is shown this once.

use keys_core::config::Runner;
use keys_core::wiring::StoreKind;
use std::io::Read;
use std::process::ExitCode;

const USAGE: &str = "usage: oidc-client register < registration.json";

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args != ["register"] {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    }
    let mut input = String::new();
    if let Err(err) = std::io::stdin().read_to_string(&mut input) {
        eprintln!("cannot read the registration: {err}");
        return ExitCode::FAILURE;
    }
    let registration: keys_oidc::clients::Registration = match serde_json::from_str(&input) {
        Ok(registration) => registration,
        Err(err) => {
            eprintln!("the registration is not valid JSON for a client: {err}");
            return ExitCode::FAILURE;
        }
    };
    let wired = match keys_core::wiring::from_env(Runner::Local).await {
        Ok(wired) => wired,
        Err(err) => {
            eprintln!("cannot start: {err}");
            return ExitCode::FAILURE;
        }
    };
    let wiring = &wired.wiring;
    if wiring.store != StoreKind::DynamoDb {
        eprintln!(
            "set STORE=dynamodb (and TABLE_NAME): a client registered in memory is lost at once"
        );
        return ExitCode::FAILURE;
    }
    if !wiring.keeps_its_secret() {
        eprintln!(
            "set MASTER_SECRET_ID (or MASTER_SECRET): the functions check the secret with it"
        );
        return ExitCode::FAILURE;
    }
    match keys_oidc::clients::register(&wired.app, registration).await {
        Ok(registered) => {
            println!("{:#}", keys_oidc::dev::registered_json(&registered));
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("not registered: {err}");
            ExitCode::FAILURE
        }
    }
}
