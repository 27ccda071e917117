//! The engine's cold operations (backups, exports and imports, PartiQL, streams, IAM's
//! and tags' operations, the simulated S3, triggers: `dynaplay_engine::cold`), fetched
//! on demand. The page's build (`--features split`) leaves their code out of its start;
//! [`ensure`] fetches it before the first request that needs it. Without the feature the
//! engine has it built in and there is nothing to fetch.

/// Brings the cold operations' code in, once. False when it could not be fetched: the
/// engine then refuses each cold operation, saying so, and the next call tries again.
pub async fn ensure() -> bool {
    #[cfg(feature = "split")]
    if !dynaplay_engine::cold::installed() {
        match code().await {
            Ok(code) => dynaplay_engine::cold::install(code),
            Err(crate::pages::NotLoaded) => return false,
        }
    }
    true
}

/// [`ensure`], when any of `operations` is cold.
pub async fn ensure_for<'a>(mut operations: impl Iterator<Item = &'a str>) -> bool {
    if operations.any(dynaplay_engine::is_cold) {
        ensure().await
    } else {
        true
    }
}

#[cfg(feature = "split")]
#[leptos::wasm_split::wasm_split(cold_operations, wasm_split_path = ::leptos::wasm_split, fallible)]
fn code() -> Result<dynaplay_engine::cold::ColdOperations, crate::pages::NotLoaded> {
    Ok(dynaplay_engine::cold::operations())
}
