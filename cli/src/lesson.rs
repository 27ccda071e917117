//! `dynaplay lesson check FILE…`: proves each lesson on a fresh engine (every step's
//! check fails before its solution and passes after it), so a lesson cannot rot.

use std::path::PathBuf;
use std::process::ExitCode;

use dynaplay_engine::lesson::{verify, Lesson};

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
        /// Lesson files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
}

pub fn run(options: Options) -> ExitCode {
    let LessonCommand::Check { files } = options.command;
    let (mut steps, mut problems) = (0usize, 0usize);
    for file in &files {
        let name = printable(&file.display().to_string());
        let lesson = match read_capped(file).and_then(|t| Lesson::parse(&t).map_err(|e| e.0)) {
            Ok(l) => l,
            Err(e) => {
                eprintln!("error: {name}: {}", printable(&e));
                problems += 1;
                continue;
            }
        };
        println!("== {name} — {}", printable(&lesson.title));
        for (i, (title, problem)) in verify(&lesson).steps.into_iter().enumerate() {
            steps += 1;
            match problem {
                None => println!("[{}] {} — ok", i + 1, printable(&title)),
                Some(p) => {
                    problems += 1;
                    println!("[{}] {} — {}", i + 1, printable(&title), printable(&p));
                }
            }
        }
    }
    println!("{} lesson(s), {steps} step(s), {problems} problem(s)", files.len());
    if problems == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
