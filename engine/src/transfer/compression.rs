//! The compressions ImportTable reads (`GZIP`, `ZSTD`, `NONE`) and gzip for the export's
//! data files: flate2 (pure-Rust backend) for gzip, ruzstd for Zstandard.

use std::io::{Read, Write};

/// The largest object an import decompresses (a guard against decompression bombs in a
/// browser tab): 64 MiB.
pub const MAX_INFLATED: u64 = 64 * 1024 * 1024;

/// `bytes` gzip-compressed, as the export writes its data files.
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    // Writing to a Vec cannot fail.
    let _ = out.write_all(bytes);
    out.finish().unwrap_or_default()
}

/// `bytes` decompressed as `compression` says (`GZIP`, `ZSTD` or `NONE`). The error is
/// what the import's error log records.
pub fn inflate(bytes: &[u8], compression: &str) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let read = match compression {
        "GZIP" => flate2::read::MultiGzDecoder::new(bytes).take(MAX_INFLATED + 1).read_to_end(&mut out),
        "ZSTD" => match ruzstd::decoding::StreamingDecoder::new(bytes) {
            Ok(d) => d.take(MAX_INFLATED + 1).read_to_end(&mut out),
            Err(e) => return Err(format!("The object is not Zstandard-compressed: {e}")),
        },
        _ => return Ok(bytes.to_vec()),
    };
    match read {
        Ok(n) if n as u64 > MAX_INFLATED => Err(format!("The object inflates to more than {MAX_INFLATED} bytes")),
        Ok(_) => Ok(out),
        Err(e) => Err(format!("The object could not be decompressed as {compression}: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gzip_round_trips_and_bad_input_is_an_error() {
        let z = gzip(b"{\"Item\":{}}\n");
        assert_eq!(&z[..2], &[0x1f, 0x8b]);
        assert_eq!(inflate(&z, "GZIP").unwrap(), b"{\"Item\":{}}\n");
        assert_eq!(inflate(b"plain", "NONE").unwrap(), b"plain");
        assert!(inflate(b"plain", "GZIP").unwrap_err().starts_with("The object could not be decompressed as GZIP"));
        assert!(inflate(b"plain", "ZSTD").is_err());
    }
}
