//! Installs what a fresh machine lacks, or says exactly what to install.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::{root, run, Result};

pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
pub const WASM_OPT: &str = "node_modules/.bin/wasm-opt";
pub const ESBUILD: &str = "node_modules/.bin/esbuild";
const WASM: &str = "wasm32-unknown-unknown";

/// Something a step uses that a fresh machine lacks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tool {
    /// rustup's `wasm32-unknown-unknown` target.
    WasmTarget,
    /// The npm dev dependencies (`node_modules`).
    Npm,
    /// Debian's Chromium and ChromeDriver.
    Chromium,
}

/// What `cmd` needs installed before it runs, read off the command itself: a build or test
/// for wasm32 needs the target; `node` (the end-to-end tests) and anything run from
/// `node_modules` need the npm packages; the end-to-end tests and wasm-bindgen's test
/// runner need Chromium. wasm-bindgen and the Python venv are installed by the functions
/// that return their paths, so a step cannot name them without installing them.
pub fn needs(cmd: &Command) -> Vec<Tool> {
    let program = Path::new(cmd.get_program());
    // rustup installs the target: it cannot need it (and asking would recurse).
    if program == Path::new("rustup") {
        return Vec::new();
    }
    let wasm = cmd.get_args().any(|a| a == WASM || a.to_string_lossy().starts_with("--target=wasm32"));
    let browser_runner = cmd.get_envs().any(|(k, _)| k == OsStr::new("CHROMEDRIVER"));
    let node = program == Path::new("node");
    let from_node_modules = program.components().any(|c| c.as_os_str() == "node_modules");
    let mut tools = Vec::new();
    if wasm {
        tools.push(Tool::WasmTarget);
    }
    if node || from_node_modules {
        tools.push(Tool::Npm);
    }
    if node || browser_runner {
        tools.push(Tool::Chromium);
    }
    tools
}

/// Installs `tool` unless it is already there.
pub fn ensure(tool: Tool) -> Result {
    match tool {
        Tool::WasmTarget => wasm_target(),
        Tool::Npm => npm(),
        Tool::Chromium => chromium(),
    }
}

fn quiet_ok(cmd: &mut Command) -> bool {
    cmd.stdout(Stdio::null()).stderr(Stdio::null()).status().map(|s| s.success()).unwrap_or(false)
}

fn cargo_bin(name: &str) -> PathBuf {
    let home = std::env::var("CARGO_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(std::env::var("HOME").unwrap_or_else(|_| "/root".into())).join(".cargo"));
    home.join("bin").join(name)
}

fn wasm_target() -> Result {
    let installed = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).lines().any(|l| l.trim() == WASM))
        .unwrap_or(false);
    if installed {
        return Ok(());
    }
    run(Command::new("rustup").args(["target", "add", WASM]))
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
        // the registry (see shared/docs/toolchain.md). --force: cargo's install records can
        // outlive the binaries (deleted by hand), and then it would skip the install.
        run(Command::new("cargo").args(["install", "--force", "wasm-bindgen-cli", "--version", &want]))?;
    }
    Ok(bin)
}

/// The npm dev dependencies (Playwright's core library, binaryen's wasm-opt, esbuild, and
/// the AWS SDK for JavaScript that runs the console's "Copy as code" output in the
/// end-to-end tests).
fn npm() -> Result {
    let root = root();
    let ok = [WASM_OPT, ESBUILD, "node_modules/playwright-core", "node_modules/@aws-sdk/client-dynamodb"]
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
fn chromium() -> Result {
    let have = |p: &str| Path::new(p).exists();
    if have(CHROMIUM) && have(CHROMEDRIVER) {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The fresh-machine failure this guards: the wasm tests ran before anything had added
    /// the wasm target. Every command xtask builds must name what it needs.
    #[test]
    fn every_step_names_what_a_fresh_machine_lacks() {
        let wasm_tests = crate::wasm_tests(Path::new("/x/wasm-bindgen"));
        assert_eq!(needs(&wasm_tests), [Tool::WasmTarget, Tool::Chromium]);
        assert_eq!(needs(&crate::node()), [Tool::Npm, Tool::Chromium]);
        assert_eq!(needs(&crate::wasm_build()), [Tool::WasmTarget]);
        assert_eq!(needs(Command::new(root().join(WASM_OPT)).arg("-Oz")), [Tool::Npm]);
        assert_eq!(needs(&crate::esbuild(Path::new("/x/dist"), "style.css")), [Tool::Npm]);
        assert_eq!(needs(crate::cargo().args(["test", "--workspace"])), []);
        // The installers themselves need nothing, or ensuring would recurse.
        assert_eq!(needs(Command::new("rustup").args(["target", "add", WASM])), []);
        assert_eq!(needs(Command::new("npm").args(["ci"])), []);
    }
}
