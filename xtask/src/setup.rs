//! Installs what a fresh machine lacks, or says exactly what to install.

use std::path::PathBuf;
use std::process::{Command, Stdio};

use crate::{root, run, Result};

fn quiet_ok(cmd: &mut Command) -> bool {
    cmd.stdout(Stdio::null()).stderr(Stdio::null()).status().map(|s| s.success()).unwrap_or(false)
}

fn cargo_bin(name: &str) -> PathBuf {
    let home = std::env::var("CARGO_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(std::env::var("HOME").unwrap_or_else(|_| "/root".into())).join(".cargo"));
    home.join("bin").join(name)
}

pub fn wasm_target() -> Result {
    let installed = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).contains("wasm32-unknown-unknown"))
        .unwrap_or(false);
    if installed {
        return Ok(());
    }
    run(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))
}

/// The `wasm-bindgen` crate version pinned in Cargo.lock.
fn locked_bindgen_version() -> Result<String> {
    let lock =
        std::fs::read_to_string(root().join("Cargo.lock")).map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == "name = \"wasm-bindgen\"" {
            if let Some(v) = lines.next().and_then(|l| l.trim().strip_prefix("version = \"")) {
                return Ok(v.trim_end_matches('"').to_string());
            }
        }
    }
    Err("Cargo.lock has no wasm-bindgen entry".into())
}

/// wasm-bindgen-cli at exactly the locked crate version (they must match).
pub fn wasm_bindgen() -> Result<PathBuf> {
    let want = locked_bindgen_version()?;
    let bin = cargo_bin("wasm-bindgen");
    let have =
        Command::new(&bin).arg("--version").output().map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string());
    if have.as_deref().ok() != Some(&format!("wasm-bindgen {want}")) {
        // Without --locked: a dependency version the CLI's lock file names is gone from
        // the registry (see shared/docs/toolchain.md).
        run(Command::new("cargo").args(["install", "wasm-bindgen-cli", "--version", &want]))?;
    }
    Ok(bin)
}

/// The npm dev dependencies (Playwright's core library, binaryen's wasm-opt, and the AWS SDK
/// for JavaScript that runs the console's "Copy as code" output in the end-to-end tests).
pub fn npm() -> Result {
    let root = root();
    let ok = ["node_modules/.bin/wasm-opt", "node_modules/playwright-core", "node_modules/@aws-sdk/client-dynamodb"]
        .iter()
        .all(|p| root.join(p).exists());
    if ok {
        return Ok(());
    }
    if !quiet_ok(Command::new("npm").arg("--version")) {
        return Err("npm is missing: install Node.js 20 or later (Debian: apt-get install nodejs npm)".into());
    }
    run(Command::new("npm").current_dir(&root).args(["ci", "--no-audit", "--no-fund"]))
}

/// Debian's Chromium and ChromeDriver for the browser tests.
pub fn chromium() -> Result {
    let have = |p: &str| std::path::Path::new(p).exists();
    if have("/usr/bin/chromium") && have("/usr/bin/chromedriver") {
        return Ok(());
    }
    let root_user = Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false);
    if root_user && quiet_ok(Command::new("apt-get").arg("--version")) {
        run(Command::new("apt-get").arg("update"))?;
        return run(Command::new("apt-get").args(["install", "-y", "chromium", "chromium-driver"]));
    }
    Err("the browser tests need Chromium and ChromeDriver at /usr/bin/chromium and /usr/bin/chromedriver \
         (Debian: sudo apt-get install chromium chromium-driver)"
        .into())
}

/// A Python virtual environment under `target/` with the SDK tests' dependencies: boto3 for
/// tests/sdk, and the AWS CLI and boto3 that run the console's "Copy as code" output in the
/// end-to-end tests.
pub fn python_env() -> Result<PathBuf> {
    let venv = root().join("target/sdk-venv");
    let python = venv.join("bin/python");
    if !python.exists() {
        run(Command::new("python3").args(["-m", "venv"]).arg(&venv)).map_err(|e| {
            format!("{e}\n  (the SDK test needs python3 with the venv module: apt-get install python3-venv)")
        })?;
    }
    if !quiet_ok(Command::new(&python).args(["-c", "import boto3, pytest, awscli"])) {
        run(Command::new(&python).args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "boto3>=1.34",
            "pytest>=8",
            "awscli>=1.34",
        ]))?;
    }
    Ok(python)
}
