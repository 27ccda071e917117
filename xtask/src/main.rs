//! `cargo xtask serve | dist | test | bench`: Dynaplay's build and test driver.
//!
//! Every command installs what a fresh machine lacks before using it (the wasm target,
//! wasm-bindgen-cli at the exact version in Cargo.lock, the npm dev dependencies, Debian's
//! Chromium for tests, a Python venv with boto3), so the README's two commands work on a
//! clean clone.

mod bench;
mod serve;
mod setup;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

pub type Result<T = ()> = std::result::Result<T, String>;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("serve") => serve_cmd(&args[1..]),
        Some("dist") => dist().map(|_| ()),
        Some("test") => test(),
        Some("bench") => bench::bench(&args[1..]),
        Some("measure") => measure(),
        _ => {
            eprintln!(
                "usage: cargo xtask <serve|dist|test|bench|measure>\n\n  \
                 serve [--port N]  build dist/ and serve the playground on http://127.0.0.1:8080\n  \
                 dist              build the static site into dist/\n  \
                 test              run every test: native, wasm in headless Chromium, browser end-to-end, real AWS SDK\n  \
                 bench [--peers|--wasm|--report]  every benchmark: the engine's, Dynaplay against dynoxide (a table of ratios), native against the page's wasm, the browser figures\n  \
                 measure           measure the playground in headless Chromium (load time, size, IndexedDB throughput)"
            );
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

pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("."))
}

/// Runs `cmd` after installing what it needs (`setup::needs`): no step can use a tool that
/// a fresh machine lacks, whichever command it belongs to.
pub fn run(cmd: &mut Command) -> Result {
    for tool in setup::needs(cmd) {
        setup::ensure(tool)?;
    }
    eprintln!("xtask: running {cmd:?}");
    let status = cmd.status().map_err(|e| format!("cannot run {cmd:?}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{cmd:?} failed with {status}"))
    }
}

pub fn cargo() -> Command {
    let mut c = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    c.current_dir(root());
    c
}

/// Node.js in the project root, for the end-to-end tests and measurements (Playwright
/// driving Debian's Chromium).
pub fn node() -> Command {
    let mut c = Command::new("node");
    c.current_dir(root());
    c
}

/// The browser-side tests: `cargo test` for wasm32, run by wasm-bindgen's test runner in
/// headless Chromium.
fn wasm_tests(bindgen: &Path) -> Command {
    let mut c = cargo();
    c.args(["test", "-p", "dynaplay-web", "--target", "wasm32-unknown-unknown"])
        .env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER", bindgen.with_file_name("wasm-bindgen-test-runner"))
        .env("CHROMEDRIVER", setup::CHROMEDRIVER);
    c
}

/// The playground's release build for the browser.
fn wasm_build() -> Command {
    let mut c = cargo();
    // With its pages split (web/src/pages.rs). The linker keeps its relocations, which the
    // split step needs to move code between modules; given to the final link only (`cargo
    // rustc`), so the dependencies are the ones the mirror's build and the benchmarks share.
    c.args(["rustc", "-p", "dynaplay-web", "--bin", "dynaplay-web", "--target", "wasm32-unknown-unknown"])
        .args(["--features", "split", "--profile", "wasm-release"])
        .args(["--", "-C", "link-arg=--emit-relocs"]);
    c
}

/// The relational mirror's module (GlueSQL), which the page loads only when a workspace
/// uses triggers or SQL.
fn mirror_build() -> Command {
    let mut c = cargo();
    c.args(["build", "-p", "dynaplay-web-mirror", "--lib", "--target", "wasm32-unknown-unknown"])
        .args(["--profile", "wasm-release"]);
    c
}

/// Builds the static site into `dist/` and returns its path: the page's module
/// (`dynaplay.js`), the mirror's (`mirror/dynaplay_mirror.js`) and `static/`.
fn dist() -> Result<PathBuf> {
    let bindgen = setup::wasm_bindgen()?;
    let root = root();
    run(&mut wasm_build())?;
    run(&mut mirror_build())?;
    let dist = root.join("dist");
    let _ = std::fs::remove_dir_all(&dist);
    std::fs::create_dir_all(&dist).map_err(|e| format!("cannot create dist/: {e}"))?;
    let built = root.join("target/wasm32-unknown-unknown/wasm-release");
    let main = split(&built.join("dynaplay-web.wasm"), &dist)?;
    bindgen_and_shrink(&bindgen, &main, &dist, "dynaplay")?;
    bundle_page_script(&dist)?;
    bindgen_and_shrink(&bindgen, &built.join("dynaplay_web_mirror.wasm"), &dist.join("mirror"), "dynaplay_mirror")?;
    copy_dir(&root.join("static"), &dist)?;
    run(&mut esbuild(&dist, "style.css"))?;
    eprintln!("xtask: built {}", dist.display());
    Ok(dist)
}

/// Splits the page's wasm at its `wasm_split` points (web/src/pages.rs): each split page's
/// module (`split_*.wasm`, with `chunk_*.wasm` for code two of them share) and the
/// JavaScript that fetches them (`__wasm_split.js`) go into `dist`, shrunk; the main
/// module, for wasm-bindgen, is returned.
fn split(wasm: &Path, dist: &Path) -> Result<PathBuf> {
    let input = std::fs::read(wasm).map_err(|e| format!("cannot read {}: {e}", wasm.display()))?;
    let main = root().join("target/wasm-split/dynaplay-web.wasm");
    let scratch = main.parent().ok_or("the split step has no folder")?;
    std::fs::create_dir_all(scratch).map_err(|e| format!("cannot create {}: {e}", scratch.display()))?;
    let mut opts = wasm_split_cli_support::Options::new(&input);
    opts.output_dir = dist;
    opts.main_out_path = &main;
    opts.main_module = "./dynaplay.js";
    let done = wasm_split_cli_support::transform(opts).map_err(|e| format!("splitting the page's wasm: {e:#}"))?;
    for module in &done.split_modules {
        run(&mut wasm_opt(module, module))?;
    }
    eprintln!("xtask: split {} modules off the page's wasm", done.split_modules.len());
    Ok(main)
}

/// wasm-bindgen's JS glue for `wasm` into `out` as `<name>.js`, then wasm-opt on its wasm.
/// LLD's exports (the function table) stay: the page's split modules link against them.
fn bindgen_and_shrink(bindgen: &Path, wasm: &Path, out: &Path, name: &str) -> Result {
    run(Command::new(bindgen)
        .args(["--target", "web", "--no-typescript", "--keep-lld-exports", "--out-name", name, "--out-dir"])
        .arg(out)
        .arg(wasm))?;
    let bg = out.join(format!("{name}_bg.wasm"));
    run(&mut wasm_opt(&bg, &bg))
}

/// The page's JavaScript (`dynaplay.js`, wasm-bindgen's glue) bundled with the snippets it
/// imports (`snippets/`, then removed) and minified: one file less to fetch at start, and
/// a third of the bytes. The split step's loader (`__wasm_split.js`) stays a file of its
/// own, as written: it is what `cargo xtask measure` reads the split modules' chunks from.
fn bundle_page_script(dist: &Path) -> Result {
    run(esbuild(dist, "dynaplay.js").args(["--bundle", "--format=esm", "--external:./__wasm_split.js"]))?;
    std::fs::remove_dir_all(dist.join("snippets")).map_err(|e| format!("cannot remove dist/snippets: {e}"))
}

/// esbuild minifying `file` (in `dist`) in place.
pub fn esbuild(dist: &Path, file: &str) -> Command {
    let mut c = Command::new(root().join(setup::ESBUILD));
    c.current_dir(dist).arg(file).args(["--minify", "--allow-overwrite", "--log-level=warning"]);
    c.arg(format!("--outfile={file}"));
    c
}

/// wasm-opt as the page's build runs it: `-Oz` with the features Chromium has. The wasm
/// benchmark (`cargo xtask bench --wasm`) runs it too, so it times the code the page runs.
pub fn wasm_opt(input: &Path, output: &Path) -> Command {
    // npm binaryen's wasm-opt: Debian's older wasm-opt silently breaks wasm-bindgen output.
    let mut c = Command::new(root().join(setup::WASM_OPT));
    c.args([
        "-Oz",
        "--enable-bulk-memory",
        "--enable-sign-ext",
        "--enable-nontrapping-float-to-int",
        "--enable-mutable-globals",
        "--enable-reference-types",
        "--enable-multivalue",
    ])
    .arg(input)
    .arg("-o")
    .arg(output);
    c
}

/// Copies `from` into `to`, folders included.
fn copy_dir(from: &Path, to: &Path) -> Result {
    std::fs::create_dir_all(to).map_err(|e| format!("cannot create {to:?}: {e}"))?;
    for entry in std::fs::read_dir(from).map_err(|e| format!("cannot read {from:?}: {e}"))? {
        let entry = entry.map_err(|e| e.to_string())?;
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target).map_err(|e| format!("cannot copy {:?}: {e}", entry.path()))?;
        }
    }
    Ok(())
}

fn serve_cmd(args: &[String]) -> Result {
    let port = match args {
        [flag, p] if flag == "--port" => p.parse().map_err(|_| format!("not a port: {p}"))?,
        [] => 8080,
        _ => return Err("usage: cargo xtask serve [--port N]".into()),
    };
    let dist = dist()?;
    let server = serve::Static::start(&dist, port)?;
    println!("Dynaplay is running at {}  (Ctrl+C to stop)", server.url);
    server.join();
    Ok(())
}

pub fn measure() -> Result {
    let dist = dist()?;
    let server = serve::Static::start(&dist, 0)?;
    run(node().env("DYNAPLAY_URL", &server.url).env("DYNAPLAY_DIST", &dist).arg("tests/e2e/measure.mjs"))
}

fn test() -> Result {
    let root = root();
    // Clippy checks every workspace member, the browser crate included.
    run(cargo().args(["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"]))?;
    run(cargo().args(["test", "--workspace"]))?;
    // The engine as the page builds it: cold operations refused until their code is in.
    run(cargo().args(["clippy", "-p", "dynaplay-engine", "--features", "cold-on-demand", "--", "-D", "warnings"]))?;
    run(cargo().args(["test", "-p", "dynaplay-engine", "--features", "cold-on-demand", "--lib", "ops::cold"]))?;

    // A real AWS SDK against `dynaplay serve`.
    run(cargo().args(["build", "-p", "dynaplay"]))?;
    let python = setup::python_env()?;
    run(Command::new(&python).current_dir(&root).env("DYNAPLAY_BIN", root.join("target/debug/dynaplay")).args([
        "-m",
        "pytest",
        "-q",
        "tests/sdk",
    ]))?;

    // Browser-side code in headless Chromium. Chromium leaves a profile folder in the
    // temporary folder for each browser it starts (about 80 MB each); they go into one
    // folder of ours, removed afterwards, so repeated runs cannot fill the disk.
    let scratch = root.join("target/browser-tmp");
    std::fs::create_dir_all(&scratch).map_err(|e| format!("cannot create {}: {e}", scratch.display()))?;
    let tested = run(wasm_tests(&setup::wasm_bindgen()?).env("TMPDIR", &scratch));
    let _ = std::fs::remove_dir_all(&scratch);
    tested?;

    // End-to-end flows through the built site.
    let dist = dist()?;
    let server = serve::Static::start(&dist, 0)?;
    run(node()
        .env("DYNAPLAY_URL", &server.url)
        .env("DYNAPLAY_SCREENSHOTS", root.join("target/screenshots"))
        .env("DYNAPLAY_BIN", root.join("target/debug/dynaplay"))
        .env("DYNAPLAY_PYTHON", &python)
        .args(["--test", "--test-concurrency=1", "tests/e2e/"]))?;
    Ok(())
}
