//! Pages that are not on screen at start, each compiled into a module of its own that
//! the page fetches on the first visit (`cargo xtask dist` splits them out with
//! `wasm_split_cli_support`; ARCHITECTURE.md, "Page size"). A module that cannot be
//! fetched (offline, say) shows a message instead of stopping the page, and the next
//! visit tries again.

use leptos::prelude::*;
use leptos::wasm_split::{wasm_split, SplitLoaderError};

use crate::components::{ContentionLab, DeletedTablesBackups, IamPage, MirrorPage, S3Page, TeachPage};

/// A split page's module could not be fetched.
pub struct NotLoaded;

impl From<SplitLoaderError> for NotLoaded {
    fn from(_: SplitLoaderError) -> NotLoaded {
        NotLoaded
    }
}

/// The page `load` gives, a status line while its module comes, or the reason it did not.
pub fn lazy(load: impl std::future::Future<Output = Result<AnyView, NotLoaded>> + 'static) -> AnyView {
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

#[wasm_split(iam_page, wasm_split_path = ::leptos::wasm_split, fallible)]
pub fn iam() -> Result<AnyView, NotLoaded> {
    Ok(view! { <IamPage/> }.into_any())
}

#[wasm_split(teach_page, wasm_split_path = ::leptos::wasm_split, fallible)]
pub fn teach() -> Result<AnyView, NotLoaded> {
    Ok(view! { <TeachPage/> }.into_any())
}

#[wasm_split(s3_page, wasm_split_path = ::leptos::wasm_split, fallible)]
pub fn s3() -> Result<AnyView, NotLoaded> {
    Ok(view! { <S3Page/> }.into_any())
}

#[wasm_split(mirror_page, wasm_split_path = ::leptos::wasm_split, fallible)]
pub fn mirror() -> Result<AnyView, NotLoaded> {
    Ok(view! { <MirrorPage/> }.into_any())
}

#[wasm_split(contention_lab, wasm_split_path = ::leptos::wasm_split, fallible)]
pub fn contention_lab() -> Result<AnyView, NotLoaded> {
    Ok(view! { <ContentionLab/> }.into_any())
}

#[wasm_split(deleted_backups, wasm_split_path = ::leptos::wasm_split, fallible)]
pub fn deleted_backups() -> Result<AnyView, NotLoaded> {
    Ok(view! { <DeletedTablesBackups/> }.into_any())
}
