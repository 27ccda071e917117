//! A workspace setting in seconds (the Time to Live sweep delay, the point-in-time
//! recovery lag): a number field and Save, saved with the workspace through
//! `EngineHandle::set_settings` (other tabs reload it).

use dynaplay_engine::Config;
use leptos::prelude::*;

use crate::handle::{peek, use_engine};
use crate::model::seconds_ms;

/// One setting: its label, its test id (the Save button and the message add `-save` and
/// `-message`), where it lives in `Config`, and what Save says (given the seconds).
#[derive(Clone, Copy)]
pub struct Seconds {
    pub label: &'static str,
    pub testid: &'static str,
    pub get: fn(&Config) -> u64,
    pub set: fn(&mut Config, u64),
    pub saved: fn(u64) -> String,
}

#[component]
pub fn SecondsSetting(setting: Seconds) -> impl IntoView {
    let engine = use_engine();
    let seconds = RwSignal::new((peek(engine, |e| (setting.get)(&e.config)) / 1000).to_string());
    let message = RwSignal::new(None::<String>);
    let save = move |_| {
        let ms = match seconds_ms(&seconds.get_untracked()) {
            Ok(ms) => ms,
            Err(e) => return message.set(Some(e.into())),
        };
        let handle = engine.get_value();
        leptos::task::spawn_local(async move {
            match handle.set_settings(|c| (setting.set)(c, ms)).await {
                Ok(()) => message.set(Some((setting.saved)(ms / 1000))),
                Err(e) => message.set(Some(e)),
            }
        });
    };
    let message_id = format!("{}-message", setting.testid);
    view! {
        <div class="form-row spaced">
            <label>{setting.label}
                <input type="number" min="0" style="width:8em" prop:value=move || seconds.get()
                       on:input=move |e| seconds.set(event_target_value(&e)) data-testid=setting.testid/>
            </label>
            <button on:click=save data-testid=format!("{}-save", setting.testid)>"Save"</button>
        </div>
        {move || message.get().map(|m| view! { <p class="muted" role="status" data-testid=message_id.clone()>{m}</p> })}
    }
}
