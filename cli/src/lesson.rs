//! `dynaplay lesson check FILE…`: proves each lesson on a fresh engine (every step's
//! check fails before its solution and passes after it), so a lesson cannot rot. A
//! workshop file's lessons are each proven, the built-in ones and its own. With
//! `--endpoint URL` it proves them on DynamoDB itself, where checks only Dynaplay can
//! answer, and steps made as a simulated principal, are reported as skipped.

use std::path::PathBuf;
use std::process::ExitCode;

use dynaplay_engine::lesson::{verify, StepOutcome, Workshop};

use crate::remote::Endpoint;
use crate::run::{printable, read_capped};

#[derive(clap::Args)]
pub struct Options {
    #[command(subcommand)]
    command: LessonCommand,
}

#[derive(clap::Subcommand)]
enum LessonCommand {
    /// Apply each lesson's solutions on a fresh engine and check every step.
    Check {
        /// Lesson or workshop files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Prove them on this DynamoDB endpoint instead, signed with the standard AWS
        /// credentials, in tables with a unique prefix that are deleted afterwards.
        #[arg(long)]
        endpoint: Option<String>,
    },
}

#[derive(Default)]
struct Tally {
    steps: usize,
    problems: usize,
    skipped: usize,
}

impl Tally {
    /// Counts and prints step `i`.
    fn note(&mut self, i: usize, title: &str, outcome: StepOutcome) {
        self.steps += 1;
        let said = match outcome {
            StepOutcome::Passed => "ok".to_string(),
            StepOutcome::Skipped(why) => {
                self.skipped += 1;
                format!("skipped: {why}")
            }
            StepOutcome::Problem(p) => {
                self.problems += 1;
                p
            }
        };
        println!("[{}] {} — {}", i + 1, printable(title), printable(&said));
    }
}

pub fn run(options: Options) -> ExitCode {
    let LessonCommand::Check { files, endpoint } = options.command;
    let endpoint = match endpoint.as_deref().map(|url| Endpoint::new(url, None)).transpose() {
        Ok(e) => e,
        Err(e) => {
            eprintln!("error: {}", printable(&e));
            return ExitCode::FAILURE;
        }
    };
    let mut tally = Tally::default();
    let mut lessons = 0usize;
    for file in &files {
        let name = printable(&file.display().to_string());
        let workshop = match read_capped(file).and_then(|t| Workshop::parse(&t).map_err(|e| e.0)) {
            Ok(w) => w,
            Err(e) => {
                eprintln!("error: {name}: {}", printable(&e));
                tally.problems += 1;
                continue;
            }
        };
        for entry in &workshop.lessons {
            let verified = match &endpoint {
                None => verify(&entry.lesson),
                Some(e) => crate::remote::lesson::verify(&entry.lesson, &e.numbered(lessons)),
            };
            lessons += 1;
            println!("== {name} — {}", printable(&entry.lesson.title));
            for (i, (title, outcome)) in verified.steps.into_iter().enumerate() {
                tally.note(i, &title, outcome);
            }
        }
    }
    let skipped = if tally.skipped > 0 { format!(", {} skipped", tally.skipped) } else { String::new() };
    println!("{lessons} lesson(s), {} step(s), {} problem(s){skipped}", tally.steps, tally.problems);
    if tally.problems == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
