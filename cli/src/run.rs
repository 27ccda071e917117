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
}

#[derive(clap::Args)]
pub struct LinkOptions {
    /// A scenario file (JSON).
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
}

pub fn run(options: Options) -> ExitCode {
    let mut tally = Tally::default();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for file in &options.files {
        let scenario = match load(file) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("error: {e}");
                tally.unreadable += 1;
                continue;
            }
        };
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
        let _ = writeln!(out, "{}", summary(options.files.len(), &tally));
    }
    let _ = out.flush();
    if tally.mismatches + tally.unreadable > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
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

fn summary(files: usize, t: &Tally) -> String {
    let plural = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let unreadable = if t.unreadable > 0 { format!(", {} unreadable", t.unreadable) } else { String::new() };
    format!(
        "{}, {}, {}{unreadable}",
        plural(files, "scenario", "scenarios"),
        plural(t.steps, "step", "steps"),
        plural(t.mismatches, "mismatch", "mismatches")
    )
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
