//! Start-up progress and storage problems.

use leptos::prelude::*;

use crate::handle::use_engine;

/// Shown while the saved workspace loads from IndexedDB.
#[component]
pub fn Loading() -> impl IntoView {
    view! {
        <section class="panel loading" role="status" aria-live="polite">
            <div class="spinner" aria-hidden="true"></div>
            <p>"Loading your saved workspace…"</p>
        </section>
    }
}

/// Storage errors (quota, blocked upgrade, unavailable storage), shown until dismissed;
/// never swallowed.
#[component]
pub fn StorageBanner() -> impl IntoView {
    let error = use_engine().with_value(|h| h.storage_error());
    view! {
        <Show when=move || error.get().is_some()>
            <div class="banner error" role="alert">
                <span>{move || error.get().unwrap_or_default()}</span>
                <button class="link" on:click=move |_| error.set(None)>"Dismiss"</button>
            </div>
        </Show>
    }
}
