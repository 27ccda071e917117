//! `dynaplay serve --s3-dir DIR`: the simulated S3 kept as files. Each directory directly
//! under DIR is a bucket (owned by the engine's account, ACLs disabled), each file below
//! it an object at its relative path. The directory is read when the server starts and
//! again before each export or import (so a real AWS export copied in can be imported);
//! every object the engine writes or deletes is written to or removed from DIR at once.

use std::path::{Component, Path, PathBuf};

use dynaplay_engine::s3::{check_bucket_name, Ownership};
use dynaplay_engine::{Engine, Trace};

/// The operations that read or write buckets.
pub const TOUCHES_S3: &[&str] = &["ExportTableToPointInTime", "ImportTable"];

/// Brings DIR's buckets and files into the engine: new buckets, new or changed files.
pub fn read_in(dir: &Path, engine: &mut Engine) -> Result<(), String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("cannot read --s3-dir {}: {e}", dir.display()))?;
    for entry in entries.flatten().filter(|e| e.path().is_dir()) {
        let name = entry.file_name().to_string_lossy().into_owned();
        if check_bucket_name(&name).is_err() {
            continue;
        }
        if !engine.s3().buckets.contains_key(&name) {
            engine.create_bucket(&name, None, Ownership::BucketOwnerEnforced).map_err(|e| e.0)?;
        }
        let mut files = Vec::new();
        walk(&entry.path(), &mut files);
        for file in files {
            let Some(key) = object_key(&entry.path(), &file) else { continue };
            let Ok(bytes) = std::fs::read(&file) else { continue };
            let same =
                engine.s3().buckets.get(&name).and_then(|b| b.objects.get(&key)).is_some_and(|o| o.bytes == bytes);
            if !same {
                engine.put_object(&name, &key, bytes).map_err(|e| e.0)?;
            }
        }
    }
    Ok(())
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            walk(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// A file's object key: its path below the bucket directory, `/`-separated.
fn object_key(bucket_dir: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(bucket_dir).ok()?;
    let parts: Option<Vec<&str>> = rel.components().map(|c| c.as_os_str().to_str()).collect();
    Some(parts?.join("/"))
}

/// The file an object key names under the bucket directory, when the key is a plain
/// relative path (no `..`, `.`, empty or absolute parts: a key may not escape DIR).
fn file_of(dir: &Path, bucket: &str, key: &str) -> Option<PathBuf> {
    let rel = Path::new(key);
    let plain = !key.is_empty()
        && !key.split('/').any(|p| p.is_empty() || p == "." || p == "..")
        && rel.components().all(|c| matches!(c, Component::Normal(_)));
    plain.then(|| dir.join(bucket).join(rel))
}

/// Writes to DIR what `trace` says the engine changed in S3.
pub fn write_out(dir: &Path, engine: &Engine, trace: &Trace) {
    for storage_key in &trace.s3_changed {
        if let Some(bucket) = storage_key.strip_prefix("b/") {
            if let Err(e) = std::fs::create_dir_all(dir.join(bucket)) {
                eprintln!("dynaplay: cannot create bucket directory {bucket}: {e}");
            }
            continue;
        }
        let Some((bucket, key)) = storage_key.strip_prefix("o/").and_then(|k| k.split_once('/')) else { continue };
        let Some(path) = file_of(dir, bucket, key) else {
            eprintln!("dynaplay: object key {key:?} is not a plain relative path; kept in memory only");
            continue;
        };
        let result = match engine.s3().buckets.get(bucket).and_then(|b| b.objects.get(key)) {
            Some(o) => {
                path.parent().map_or(Ok(()), std::fs::create_dir_all).and_then(|()| std::fs::write(&path, &o.bytes))
            }
            None => std::fs::remove_file(&path).or_else(|e| {
                if e.kind() == std::io::ErrorKind::NotFound {
                    Ok(())
                } else {
                    Err(e)
                }
            }),
        };
        if let Err(e) = result {
            eprintln!("dynaplay: cannot write {}: {e}", path.display());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_that_would_escape_the_directory_are_not_paths() {
        let dir = Path::new("/s3");
        assert_eq!(
            file_of(dir, "b", "AWSDynamoDB/x/data/a.json.gz"),
            Some(PathBuf::from("/s3/b/AWSDynamoDB/x/data/a.json.gz"))
        );
        for bad in ["../x", "a/../../x", "/etc/passwd", "a//b", "./a", ""] {
            assert_eq!(file_of(dir, "b", bad), None, "{bad}");
        }
    }

    #[test]
    fn a_directory_round_trips_through_the_engine() {
        let dir = std::env::temp_dir().join(format!("dynaplay-s3dir-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("imports/in")).unwrap();
        std::fs::create_dir_all(dir.join("Not_A_Bucket")).unwrap();
        std::fs::write(dir.join("imports/in/a.csv"), "Id\n1\n").unwrap();
        let mut engine = Engine::new(dynaplay_engine::Config::default());
        read_in(&dir, &mut engine).unwrap();
        assert_eq!(engine.s3().buckets.keys().collect::<Vec<_>>(), ["imports"]);
        assert_eq!(engine.s3().buckets["imports"].objects["in/a.csv"].bytes, b"Id\n1\n");
        let trace = engine.put_object("imports", "out/b.txt", b"hi".to_vec()).unwrap();
        write_out(&dir, &engine, &trace);
        assert_eq!(std::fs::read(dir.join("imports/out/b.txt")).unwrap(), b"hi");
        let trace = engine.delete_object("imports", "out/b.txt");
        write_out(&dir, &engine, &trace);
        assert!(!dir.join("imports/out/b.txt").exists());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
