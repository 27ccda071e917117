//! The engine's cold code (`dynaplay_engine::cold`: the cold operations, IAM's checks
//! while IAM is enforced, global tables' replication, the readers of the legacy
//! parameters, the readers of the records only
//! cold operations make and the clock's work for them), fetched on demand. The page's build (`--features
//! split`) leaves it out of its start; [`ensure`] fetches it before the first request
//! that needs it (`World::needs_cold_code`), [`ensure_for`] before a replay or a lesson
//! that does, and a load before reading records that need it (`persist::read`). Without
//! the feature the engine has it built in and there is nothing to fetch.
//!
//! The code that runs requests comes the same way, in a module of their own: the
//! engine's (`dynaplay_engine::hot`: a request read and checked, items and tables'
//! basics), the handle's that runs its queue (`handle::queue`) and the write path that
//! saves what they change (`persist::writer`). The
//! start shows a workspace without running or saving anything, so [`ensure_hot`] fetches
//! it once the page is interactive, and before any request or change.

/// Brings the cold operations' code in, once. False when it could not be fetched: the
/// engine then refuses each cold operation, saying so, and the next call tries again.
pub async fn ensure() -> bool {
    // Cold operations run hot ones too (PartiQL's statements, a transaction's writes).
    if !ensure_hot().await {
        return false;
    }
    #[cfg(feature = "split")]
    if !dynaplay_engine::cold::installed() {
        match code().await {
            Ok(code) => dynaplay_engine::cold::install(code),
            Err(crate::pages::NotLoaded) => return false,
        }
    }
    true
}

/// Brings the code that runs requests and saves changes in, once. False when it could
/// not be fetched: each request is then refused, saying so, and the next call tries again.
pub async fn ensure_hot() -> bool {
    #[cfg(feature = "split")]
    if !dynaplay_engine::hot::installed() {
        match hot_code().await {
            Ok((engine, queue, writer)) => {
                // The engine's code last: its being in is what says all are.
                crate::persist::writer::install(writer);
                crate::handle::queue::install(queue);
                dynaplay_engine::hot::install(engine);
            }
            Err(crate::pages::NotLoaded) => return false,
        }
    }
    true
}

/// [`ensure_hot`], and [`ensure`] when any of `steps` (a replay's or a lesson's: operation and request)
/// needs the cold code (`dynaplay_engine::needs_cold_code`: a cold operation, or a legacy
/// parameter). Those steps run at once, so their code must be in first; IAM's checks and
/// replication come with it, as only cold operations (UpdateAccessControl, UpdateTable)
/// turn IAM on or make a global table.
pub async fn ensure_for<'a>(mut steps: impl Iterator<Item = (&'a str, &'a serde_json::Value)>) -> bool {
    if steps.any(|(op, body)| dynaplay_engine::needs_cold_code(op, body.to_string().as_bytes())) {
        ensure().await
    } else {
        ensure_hot().await
    }
}

#[cfg(feature = "split")]
#[leptos::wasm_split::wasm_split(cold_operations, wasm_split_path = ::leptos::wasm_split, fallible)]
fn code() -> Result<dynaplay_engine::cold::ColdOperations, crate::pages::NotLoaded> {
    Ok(dynaplay_engine::cold::operations())
}

#[cfg(feature = "split")]
#[leptos::wasm_split::wasm_split(operations, wasm_split_path = ::leptos::wasm_split, fallible)]
fn hot_code() -> Result<HotCode, crate::pages::NotLoaded> {
    Ok((dynaplay_engine::hot::operations(), crate::handle::queue::runner(), crate::persist::writer::code()))
}

/// The code that runs requests: the engine's, the handle's queue, the write path.
#[cfg(feature = "split")]
type HotCode = (dynaplay_engine::hot::HotOperations, crate::handle::queue::Runner, crate::persist::writer::Writer);
