//! `dynaplay run FILE…`: replays scenario files on a fresh in-memory engine each, prints
//! every step's response, checks the steps' expectations, and exits non-zero on any
//! mismatch or unreadable file, so teaching material can be checked in CI.
//!
//! `dynaplay link FILE` prints the share link of a scenario (the page URL is given with
//! `--base`).
//!
//! Scenario files are untrusted (they arrive by link or chat): a file is read up to the
//! scenario size limit and no further, each response is printed as soon as it is known
//! and then dropped, and text from the file is printed with control characters escaped so
//! it cannot drive the terminal.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use dynaplay_engine::lesson::Workshop;
use dynaplay_engine::scenario::{to_link, Outcome, Scenario, MAX_BYTES};

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
    /// Replay on this DynamoDB endpoint instead (https://dynamodb.<region>.amazonaws.com,
    /// DynamoDB Local, `dynaplay serve`), signed with the standard AWS credentials, in
    /// tables with a unique prefix that are deleted afterwards.
    #[arg(long, conflicts_with = "json")]
    endpoint: Option<String>,
}

#[derive(clap::Args)]
pub struct LinkOptions {
    /// A scenario, workshop or lesson file (JSON).
    file: PathBuf,
    /// Where the playground is served; the link is this URL with the scenario in its fragment.
    #[arg(long, default_value = "http://127.0.0.1:8080/")]
    base: String,
}

/// `text` with every control character escaped (`\u{1b}`), so a title cannot move the
/// cursor, recolour the terminal or fake an "ok" line.
pub fn printable(text: &str) -> String {
    text.chars().map(|c| if c.is_control() { c.escape_default().to_string() } else { c.to_string() }).collect()
}

/// Reads `file`, refusing it past [`MAX_BYTES`] without reading further.
pub(crate) fn read_capped(file: &Path) -> Result<String, String> {
    let name = printable(&file.display().to_string());
    let opened = std::fs::File::open(file).map_err(|e| format!("{name}: {e}"))?;
    let mut bytes = Vec::new();
    opened.take(MAX_BYTES as u64 + 1).read_to_end(&mut bytes).map_err(|e| format!("{name}: {e}"))?;
    if bytes.len() > MAX_BYTES {
        return Err(format!("{name}: larger than {MAX_BYTES} bytes, the most a scenario may be"));
    }
    String::from_utf8(bytes).map_err(|_| format!("{name}: not UTF-8 text"))
}

fn load(file: &Path) -> Result<Scenario, String> {
    let text = read_capped(file)?;
    Scenario::parse(&text).map_err(|e| printable(&format!("{}: {e}", file.display())))
}

#[derive(Default)]
struct Tally {
    steps: usize,
    mismatches: usize,
    unreadable: usize,
    skipped: usize,
}

impl Tally {
    /// The scenario in `file`, or `None` after saying why it cannot be read.
    fn load(&mut self, file: &Path) -> Option<Scenario> {
        match load(file) {
            Ok(s) => Some(s),
            Err(e) => {
                eprintln!("error: {e}");
                self.unreadable += 1;
                None
            }
        }
    }

    fn exit_code(&self) -> ExitCode {
        if self.mismatches + self.unreadable > 0 {
            ExitCode::FAILURE
        } else {
            ExitCode::SUCCESS
        }
    }
}

/// `[3] PutItem — its title`, or `setup PutItem`.
fn step_label(scenario: &Scenario, step: Option<usize>, operation: &str) -> String {
    match (step, step.and_then(|i| scenario.steps.get(i)).and_then(|s| s.title.as_deref())) {
        (None, _) => format!("setup {operation}"),
        (Some(i), Some(title)) => format!("[{}] {operation} — {title}", i + 1),
        (Some(i), None) => format!("[{}] {operation}", i + 1),
    }
}

pub fn run(options: Options) -> ExitCode {
    if let Some(url) = &options.endpoint {
        return match crate::remote::Endpoint::new(url, None) {
            Ok(endpoint) => run_remote(&options, &endpoint),
            Err(e) => {
                eprintln!("error: {}", printable(&e));
                ExitCode::FAILURE
            }
        };
    }
    let mut tally = Tally::default();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for file in &options.files {
        let Some(scenario) = tally.load(file) else { continue };
        let name = printable(&file.display().to_string());
        if !options.quiet && !options.json {
            let _ = writeln!(out, "== {name} — {}", printable(&scenario.title));
        }
        scenario.replay_each(|o| {
            tally.steps += usize::from(o.step.is_some());
            tally.mismatches += usize::from(o.mismatch.is_some());
            let _ = print_outcome(&mut out, &options, &scenario, &name, o);
        });
    }
    if !options.json {
        let _ = writeln!(out, "{}", summary(options.files.len(), &tally, ("mismatch", "mismatches")));
    }
    let _ = out.flush();
    tally.exit_code()
}

fn print_outcome(
    out: &mut impl Write,
    options: &Options,
    scenario: &Scenario,
    name: &str,
    o: Outcome,
) -> std::io::Result<()> {
    if options.json {
        let line = serde_json::json!({"file": name, "step": o.step, "operation": o.operation,
            "status": o.status, "body": o.body, "mismatch": o.mismatch});
        return writeln!(out, "{line}");
    }
    let show = !options.quiet && o.step.is_some();
    let step = o.step.and_then(|i| scenario.steps.get(i));
    if show || o.mismatch.is_some() {
        let label = match (o.step, step.and_then(|s| s.title.as_deref())) {
            (None, _) => "setup".to_string(),
            (Some(i), Some(title)) => format!("[{}] {} — {title}", i + 1, o.operation),
            (Some(i), None) => format!("[{}] {}", i + 1, o.operation),
        };
        writeln!(out, "{}\n    {} {}", printable(&label), o.status, printable(&o.body))?;
        if let Some(r) = &o.replica {
            writeln!(out, "    ({r})")?;
        }
        for p in &o.plan {
            writeln!(out, "    (ran as {})", printable(p))?;
        }
    }
    if let Some(m) = &o.mismatch {
        writeln!(out, "    MISMATCH in {name}: {}", printable(m))?;
    } else if show && step.is_some_and(|s| s.expect.is_some()) {
        writeln!(out, "    ok")?;
    }
    Ok(())
}

fn summary(files: usize, t: &Tally, word: (&str, &str)) -> String {
    let plural = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let unreadable = if t.unreadable > 0 { format!(", {} unreadable", t.unreadable) } else { String::new() };
    let unreadable = if t.skipped > 0 { format!("{unreadable}, {} skipped", t.skipped) } else { unreadable };
    format!(
        "{}, {}, {}{unreadable}",
        plural(files, "scenario", "scenarios"),
        plural(t.steps, "step", "steps"),
        plural(t.mismatches, word.0, word.1)
    )
}

/// `dynaplay run --endpoint URL`: each file replayed on the endpoint, every difference
/// from its expectations and every skipped step said.
fn run_remote(options: &Options, endpoint: &crate::remote::Endpoint) -> ExitCode {
    use crate::remote::scenario::{replay, Replayed};
    let mut tally = Tally::default();
    for (n, file) in options.files.iter().enumerate() {
        let Some(scenario) = tally.load(file) else { continue };
        let endpoint = endpoint.numbered(n);
        let name = printable(&file.display().to_string());
        println!(
            "== {name} — {} (on {}, tables named {}…)",
            printable(&scenario.title),
            printable(options.endpoint.as_deref().unwrap_or_default()),
            endpoint.prefix.0
        );
        let problems = replay(&scenario, &endpoint, |timed, result| {
            tally.steps += usize::from(timed.step.is_some());
            let label = step_label(&scenario, timed.step, &timed.operation);
            match result {
                Replayed::Skipped(why) => {
                    tally.skipped += 1;
                    println!("{} — skipped: {}", printable(&label), printable(&why));
                }
                Replayed::Answered { status, body, difference } => {
                    if !options.quiet || difference.is_some() {
                        println!("{}\n    {status} {}", printable(&label), printable(&body.to_string()));
                    }
                    match difference {
                        Some(d) => {
                            tally.mismatches += 1;
                            println!("    DIFFERENCE in {name}: {}", printable(&d));
                        }
                        None if !options.quiet && timed.step.is_some() => println!("    ok"),
                        None => {}
                    }
                }
            }
        });
        for p in problems {
            tally.mismatches += 1;
            println!("    CLEAN-UP in {name}: {}", printable(&p));
        }
    }
    println!("{}", summary(options.files.len(), &tally, ("difference", "differences")));
    tally.exit_code()
}

pub fn link(options: LinkOptions) -> ExitCode {
    match link_of(&options.file) {
        Ok(fragment) => {
            println!("{}#/{fragment}", options.base);
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The fragment of a scenario's (`scenario/…`) or a workshop's or lesson's
/// (`workshop/…`) share link.
fn link_of(file: &Path) -> Result<String, String> {
    let text = read_capped(file)?;
    let format = serde_json::from_str::<serde_json::Value>(&text).ok().and_then(|d| d.get("format").cloned());
    let name = printable(&file.display().to_string());
    match format.as_ref().and_then(serde_json::Value::as_str) {
        Some("dynaplay-workshop" | "dynaplay-lesson") => {
            let w = Workshop::parse(&text).map_err(|e| printable(&format!("{name}: {}", e.0)))?;
            Ok(format!("workshop/{}", w.to_link().map_err(|e| printable(&format!("{name}: {e}")))?))
        }
        _ => {
            let s = Scenario::parse(&text).map_err(|e| printable(&format!("{name}: {e}")))?;
            Ok(format!("scenario/{}", to_link(&s).map_err(|e| printable(&format!("{name}: {}", e.0)))?))
        }
    }
}
