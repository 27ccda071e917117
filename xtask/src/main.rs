//! `cargo xtask serve | dist | test`: Dynaplay's build and test driver.
//!
//! Each command installs what a fresh machine lacks before using it, so the README's two
//! commands work on a clean clone: `cargo xtask serve` and `cargo xtask test`.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

type Result<T = ()> = std::result::Result<T, String>;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("serve") => serve(&args[1..]),
        Some("test") => test(),
        Some("bench") => bench(),
        _ => {
            eprintln!("usage: cargo xtask <serve|test|bench>\n\n  serve [--port N]  build and run `dynaplay serve` (DynamoDB's HTTP API)\n  test              run every test: engine, CLI, real AWS SDK against `dynaplay serve`\n  bench             run the criterion benchmarks");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("."))
}

fn run(cmd: &mut Command) -> Result {
    eprintln!("xtask: running {cmd:?}");
    let status = cmd.status().map_err(|e| format!("cannot run {cmd:?}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{cmd:?} failed with {status}"))
    }
}

fn cargo() -> Command {
    let mut c = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    c.current_dir(root());
    c
}

fn serve(args: &[String]) -> Result {
    run(cargo().args(["build", "--release", "-p", "dynaplay"]))?;
    let bin = root().join("target/release/dynaplay");
    let mut cmd = Command::new(bin);
    cmd.arg("serve").args(args);
    run(&mut cmd)
}

fn bench() -> Result {
    run(cargo().args(["bench", "-p", "dynaplay-engine"]))
}

/// A Python virtual environment under `target/` with the SDK test's dependencies.
fn python_env() -> Result<PathBuf> {
    let venv = root().join("target/sdk-venv");
    let python = venv.join("bin/python");
    if !python.exists() {
        run(Command::new("python3").args(["-m", "venv"]).arg(&venv)).map_err(|e| {
            format!("{e}\n  (the SDK test needs python3 with the venv module: apt-get install python3-venv)")
        })?;
    }
    let ready = Command::new(&python)
        .args(["-c", "import boto3, pytest"])
        .stderr(std::process::Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    if !ready {
        run(Command::new(&python).args(["-m", "pip", "install", "--quiet", "boto3>=1.34", "pytest>=8"]))?;
    }
    Ok(python)
}

fn test() -> Result {
    run(cargo().args(["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"]))?;
    run(cargo().args(["test", "--workspace", "--exclude", "xtask"]))?;
    run(cargo().args(["build", "-p", "dynaplay"]))?;
    let python = python_env()?;
    let bin = root().join("target/debug/dynaplay");
    run(Command::new(python).current_dir(root()).env("DYNAPLAY_BIN", bin).args(["-m", "pytest", "-q", "tests/sdk"]))
}
