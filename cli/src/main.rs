//! `dynaplay`: the Dynaplay engine on the command line.
//!
//! `dynaplay serve` answers DynamoDB's HTTP protocol (JSON 1.0 over POST, operation in
//! `X-Amz-Target`) from an in-memory engine, so AWS SDKs, the AWS CLI and conformance
//! suites can talk to it. Like DynamoDB Local it accepts any credentials and region.

mod serve;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "dynaplay", version, about = "A DynamoDB playground engine")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve DynamoDB's HTTP API from an in-memory engine.
    Serve(serve::Options),
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Serve(options) => serve::run(options),
    }
}
