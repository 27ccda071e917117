//! `dynaplay`: the Dynaplay engine on the command line.
//!
//! `dynaplay serve` answers DynamoDB's HTTP protocol (JSON 1.0 over POST, operation in
//! `X-Amz-Target`) from an in-memory engine, so AWS SDKs, the AWS CLI and conformance
//! suites can talk to it. Like DynamoDB Local it accepts any credentials and region.
//! `dynaplay run` replays scenario files and checks their expectations; `dynaplay link`
//! prints a scenario's share link; `dynaplay lesson check` proves lessons. With
//! `--endpoint URL`, `run` and `lesson check` replay on DynamoDB itself (`remote`).

mod auth;
mod lesson;
mod remote;
mod run;
mod s3dir;
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
    /// Replay scenario files, print each step's response, check expectations.
    Run(run::Options),
    /// Print the share link of a scenario file.
    Link(run::LinkOptions),
    /// Lessons: `dynaplay lesson check FILE…` proves each step's check and solution.
    Lesson(lesson::Options),
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    // Triggers write into a relational mirror: GlueSQL, linked in.
    dynaplay_engine::trigger::mirror::register(dynaplay_mirror::factory);
    match cli.command {
        Command::Serve(options) => serve::run(options),
        Command::Run(options) => run::run(options),
        Command::Link(options) => run::link(options),
        Command::Lesson(options) => lesson::run(options),
    }
}
