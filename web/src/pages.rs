//! Pages that are not on screen at start, each compiled into a module of its own that
//! the page fetches on the first visit (`cargo xtask dist` builds with `--features split`
//! and splits them out with `wasm_split_cli_support`; ARCHITECTURE.md, "Page size"). A
//! module that cannot be fetched (offline, say) shows a message instead of stopping the
//! page, and the next visit tries again. Without the feature (tests, `cargo check`) the
//! pages are called in place: a split call imports `__wasm_split.js`, which only the
//! split step writes.

use leptos::prelude::*;
#[cfg(feature = "split")]
use leptos::wasm_split::{wasm_split, SplitLoaderError};

use crate::components::{ContentionLab, DeletedTablesBackups, IamPage, MirrorPage, S3Page, TeachPage};

/// A split page's module could not be fetched.
pub struct NotLoaded;

#[cfg(feature = "split")]
impl From<SplitLoaderError> for NotLoaded {
    fn from(_: SplitLoaderError) -> NotLoaded {
        NotLoaded
    }
}

/// The page `load` gives, a status line while its module comes, or the reason it did not.
fn lazy(load: impl std::future::Future<Output = Result<AnyView, NotLoaded>> + 'static) -> AnyView {
    let load = send_wrapper::SendWrapper::new(load);
    let shown = Suspend::new(async move {
        load.await.unwrap_or_else(|NotLoaded| {
            view! {
                <section class="panel">
                    <p class="error-text" role="alert" data-testid="page-not-loaded">
                        "This page's code could not be fetched (are you offline?). Your workspace is unaffected; open the page again to retry."
                    </p>
                </section>
            }
            .into_any()
        })
    });
    view! {
        <Suspense fallback=|| view! { <p class="panel" role="status">"Loading this page…"</p> }>{shown}</Suspense>
    }
    .into_any()
}

/// A split function's answer: awaited when split, as it is when not.
#[cfg(feature = "split")]
macro_rules! fetched {
    ($call:expr) => {
        $call.await
    };
}
#[cfg(not(feature = "split"))]
macro_rules! fetched {
    ($call:expr) => {
        $call
    };
}

pub fn iam() -> AnyView {
    lazy(async { fetched!(iam_view()) })
}

pub fn teach() -> AnyView {
    lazy(async { fetched!(teach_view()) })
}

pub fn s3() -> AnyView {
    lazy(async { fetched!(s3_view()) })
}

pub fn mirror() -> AnyView {
    lazy(async { fetched!(mirror_view()) })
}

pub fn contention_lab() -> AnyView {
    lazy(async { fetched!(contention_lab_view()) })
}

pub fn deleted_backups() -> AnyView {
    lazy(async { fetched!(deleted_backups_view()) })
}

#[cfg_attr(feature = "split", wasm_split(iam_page, wasm_split_path = ::leptos::wasm_split, fallible))]
fn iam_view() -> Result<AnyView, NotLoaded> {
    Ok(view! { <IamPage/> }.into_any())
}

#[cfg_attr(feature = "split", wasm_split(teach_page, wasm_split_path = ::leptos::wasm_split, fallible))]
fn teach_view() -> Result<AnyView, NotLoaded> {
    Ok(view! { <TeachPage/> }.into_any())
}

#[cfg_attr(feature = "split", wasm_split(s3_page, wasm_split_path = ::leptos::wasm_split, fallible))]
fn s3_view() -> Result<AnyView, NotLoaded> {
    Ok(view! { <S3Page/> }.into_any())
}

#[cfg_attr(feature = "split", wasm_split(mirror_page, wasm_split_path = ::leptos::wasm_split, fallible))]
fn mirror_view() -> Result<AnyView, NotLoaded> {
    Ok(view! { <MirrorPage/> }.into_any())
}

#[cfg_attr(feature = "split", wasm_split(contention_lab, wasm_split_path = ::leptos::wasm_split, fallible))]
fn contention_lab_view() -> Result<AnyView, NotLoaded> {
    Ok(view! { <ContentionLab/> }.into_any())
}

#[cfg_attr(feature = "split", wasm_split(deleted_backups, wasm_split_path = ::leptos::wasm_split, fallible))]
fn deleted_backups_view() -> Result<AnyView, NotLoaded> {
    Ok(view! { <DeletedTablesBackups/> }.into_any())
}
