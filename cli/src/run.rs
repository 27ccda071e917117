//! `dynaplay run FILE…`: replays scenario files on a fresh in-memory engine each, prints
//! every step's response, checks the steps' expectations, and exits non-zero on any
//! mismatch or unreadable file, so teaching material can be checked in CI.
//!
//! `dynaplay link FILE` prints the share link of a scenario (the page URL is given with
//! `--base`).

use std::path::PathBuf;
use std::process::ExitCode;

use dynaplay_engine::scenario::{to_link, Scenario};

#[derive(clap::Args)]
pub struct Options {
    /// Scenario files (JSON).
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Print only mismatches and the summary.
    #[arg(long, short)]
    quiet: bool,
    /// Print one JSON object per request ({file, step, operation, status, body, mismatch})
    /// instead of text.
    #[arg(long, conflicts_with = "quiet")]
    json: bool,
}

#[derive(clap::Args)]
pub struct LinkOptions {
    /// A scenario file (JSON).
    file: PathBuf,
    /// Where the playground is served; the link is this URL with the scenario in its fragment.
    #[arg(long, default_value = "http://127.0.0.1:8080/")]
    base: String,
}

fn load(file: &PathBuf) -> Result<Scenario, String> {
    let text = std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?;
    Scenario::parse(&text).map_err(|e| format!("{}: {e}", file.display()))
}

pub fn run(options: Options) -> ExitCode {
    let (mut steps, mut mismatches, mut unreadable) = (0, 0, 0);
    for file in &options.files {
        let scenario = match load(file) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("error: {e}");
                unreadable += 1;
                continue;
            }
        };
        if !options.quiet && !options.json {
            println!("== {} — {}", file.display(), scenario.title);
        }
        let (_, outcomes) = scenario.replay();
        for o in outcomes {
            steps += usize::from(o.step.is_some());
            mismatches += usize::from(o.mismatch.is_some());
            if options.json {
                let line = serde_json::json!({"file": file.display().to_string(), "step": o.step, "operation": o.operation,
                    "status": o.status, "body": o.body, "mismatch": o.mismatch});
                println!("{line}");
                continue;
            }
            let show = !options.quiet && o.step.is_some();
            let label = o.step.map_or("setup".to_string(), |i| {
                let title =
                    scenario.steps.get(i).and_then(|s| s.title.clone()).map(|t| format!(" — {t}")).unwrap_or_default();
                format!("[{}] {}{title}", i + 1, o.operation)
            });
            if show || o.mismatch.is_some() {
                println!("{label}\n    {} {}", o.status, o.body);
            }
            if let Some(m) = &o.mismatch {
                println!("    MISMATCH in {}: {m}", file.display());
            } else if show && scenario.steps.get(o.step.unwrap_or(0)).is_some_and(|s| s.expect.is_some()) {
                println!("    ok");
            }
        }
    }
    if !options.json {
        println!(
            "{} scenario{}, {steps} step{}, {mismatches} mismatch{}{}",
            options.files.len(),
            if options.files.len() == 1 { "" } else { "s" },
            if steps == 1 { "" } else { "s" },
            if mismatches == 1 { "" } else { "es" },
            if unreadable > 0 { format!(", {unreadable} unreadable") } else { String::new() }
        );
    }
    if mismatches + unreadable > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

pub fn link(options: LinkOptions) -> ExitCode {
    match load(&options.file).and_then(|s| to_link(&s).map_err(|e| e.0)) {
        Ok(payload) => {
            println!("{}#/scenario/{payload}", options.base);
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
