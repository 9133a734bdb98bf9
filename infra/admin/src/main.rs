//! `keys-admin`: the operators' command line (commands and options in `keys_admin::cli`).

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    // Wrong usage exits with 2 and `--help` with 0, as clap does.
    let cli = keys_admin::cli::Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("keys-admin: cannot start the async runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(keys_admin::cli::run(cli))
}
