//! The home view: what Dynaplay is, and the create-table form.

use leptos::prelude::*;
use serde_json::Value;

use crate::handle::use_engine;
use crate::model::create_table::TableForm;
use crate::routes::{href, navigate, Route, Tab};

#[component]
pub fn Home() -> impl IntoView {
    view! {
        <section class="panel intro">
            <h1>"A DynamoDB playground"</h1>
            <p>
                "Everything runs in this page: a DynamoDB-compatible engine with the same requests, errors and "
                "capacity accounting as AWS, saved in your browser. Create a table, then browse its items or send "
                "any request from the " <a href="#/console">"console"</a> "."
            </p>
            <StartHere/>
        </section>
        <CreateTable/>
    }
}

/// Where a newcomer begins, and a returning learner carries on: the first lesson (or the
/// lesson left unfinished, at its step), then the course, the examples, the playground.
#[component]
fn StartHere() -> impl IntoView {
    let engine = use_engine();
    let progress = engine.with_value(|h| h.lesson_progress());
    let error = RwSignal::new(None::<String>);
    // The first lesson begun and not finished, with its next step; else the first lesson
    // (from the course's list: the lessons are fetched when one opens).
    let next = Memo::new(move |_| {
        let p = progress.get();
        let index = crate::lessons::INDEX;
        let unfinished = index.iter().find(|l| p.get(l.slug).is_some_and(|d| *d > 0 && *d < l.steps));
        unfinished.or(index.first()).map(|l| (l.slug, l.title, p.get(l.slug).copied().unwrap_or(0), l.steps))
    });
    let go = move |_| {
        let Some((slug, _, done, _)) = next.get_untracked() else { return };
        let handle = engine.get_value();
        leptos::task::spawn_local(async move {
            match crate::lessons::lesson(slug).await {
                Ok(lesson) => {
                    error.set(None);
                    handle.start_lesson(slug, lesson, done).await;
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let examples = super::gallery::EXAMPLES.len();
    let lessons = crate::lessons::INDEX.len();
    view! {
        <div class="start-here" data-testid="start-here">
            <h2>"Start here"</h2>
            {move || next.get().map(|(_, title, done, steps)| {
                let label = if done == 0 { format!("Start the first lesson: {title}") } else { format!("Continue: {title}, step {} of {steps}", done + 1) };
                view! { <button class="primary" on:click=go data-testid="start-lesson">{label}</button> }
            })}
            {move || error.get().map(|e| view! { <p class="error-text" role="alert" data-testid="start-error">{e}</p> })}
            <p>
                "Then: " <a href=href(&Route::Lessons) data-testid="start-course">{format!("the course ({lessons} lessons)")}</a>
                ", " <a href=href(&Route::Gallery) data-testid="start-examples">{format!("the examples ({examples})")}</a>
                ", each replayed apart from your own tables; or make a table below and send any request from the "
                <a href=href(&Route::Console)>"console"</a> "."
            </p>
        </div>
    }
}

#[component]
fn CreateTable() -> impl IntoView {
    let engine = use_engine();
    let form = RwSignal::new(TableForm::default());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let req = form.with_untracked(TableForm::request);
        let handle = engine.get_value();
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = handle.request("CreateTable", &req.to_string()).await;
            busy.set(false);
            match result {
                Ok(r) if r.status == 200 => {
                    error.set(None);
                    let table = req["TableName"].as_str().unwrap_or_default().to_string();
                    form.update(|f| f.name.clear());
                    navigate(&Route::Table(table, Tab::Items));
                }
                Ok(r) => {
                    let v: Value = serde_json::from_str(&r.body).unwrap_or_default();
                    let (kind, msg) = dynaplay_engine::wire::error_of(&v).unwrap_or_default();
                    error.set(Some(format!("{kind}: {msg}")));
                }
                Err(e) => error.set(Some(e.to_string())),
            }
        });
    };
    let text = move |get: fn(&TableForm) -> &String| move || form.with(|f| get(f).clone());
    let types = || view! { <option value="S">"String (S)"</option><option value="N">"Number (N)"</option><option value="B">"Binary (B)"</option> };
    view! {
        <section class="panel">
            <h2>"Create a table"</h2>
            <form class="form-grid" on:submit=submit aria-label="Create table">
                <label>"Table name"
                    <input required name="table-name" placeholder="Music" prop:value=text(|f| &f.name) on:input:target=move |ev| form.update(|f| f.name = ev.target().value())/>
                </label>
                <fieldset class="row">
                    <legend>"Partition key"</legend>
                    <p class="hint">"Every item has one. DynamoDB hashes it to choose the partition that stores the item, and a Query always names one partition key value."</p>
                    <label>"Attribute"<input required name="pk" prop:value=text(|f| &f.pk) on:input:target=move |ev| form.update(|f| f.pk = ev.target().value())/></label>
                    <label>"Type"<select name="pk-type" prop:value=text(|f| &f.pk_type) on:change:target=move |ev| form.update(|f| f.pk_type = ev.target().value())>{types()}</select></label>
                </fieldset>
                <fieldset class="row">
                    <legend>"Sort key " <span class="muted">"(optional)"</span></legend>
                    <p class="hint">"Items with the same partition key are kept together, sorted by this key, so a Query can read a range of them (all orders of one customer, newest first)."</p>
                    <label>"Attribute"<input name="sk" placeholder="none" prop:value=text(|f| &f.sk) on:input:target=move |ev| form.update(|f| f.sk = ev.target().value())/></label>
                    <label>"Type"<select name="sk-type" prop:value=text(|f| &f.sk_type) on:change:target=move |ev| form.update(|f| f.sk_type = ev.target().value())>{types()}</select></label>
                </fieldset>
                <fieldset class="row">
                    <legend>"Capacity"</legend>
                    <label>"Billing mode"
                        <select name="billing" prop:value=text(|f| &f.billing) on:change:target=move |ev| form.update(|f| f.billing = ev.target().value())>
                            <option value="PAY_PER_REQUEST">"On demand"</option>
                            <option value="PROVISIONED">"Provisioned"</option>
                        </select>
                    </label>
                    <Show when=move || form.with(|f| f.billing == "PROVISIONED")>
                        <label>"Read units"<input type="number" min="1" name="rcu" prop:value=text(|f| &f.rcu) on:input:target=move |ev| form.update(|f| f.rcu = ev.target().value())/></label>
                        <label>"Write units"<input type="number" min="1" name="wcu" prop:value=text(|f| &f.wcu) on:input:target=move |ev| form.update(|f| f.wcu = ev.target().value())/></label>
                    </Show>
                </fieldset>
                <label>"Teaching scale"
                    <select name="scale" prop:value=text(|f| &f.scale) on:change:target=move |ev| form.update(|f| f.scale = ev.target().value())>
                        <option value="1">"Real AWS limits (10 GB, 3,000 RCU, 1,000 WCU per partition)"</option>
                        <option value="1000">"× 1/1,000 (10 MB per partition)"</option>
                        <option value="1000000">"× 1/1,000,000 (10 KB per partition: splits after a few dozen items)"</option>
                    </select>
                </label>
                <div class="actions">
                    <button type="submit" class="primary" disabled=move || busy.get()>"Create table"</button>
                </div>
                <Show when=move || error.get().is_some()>
                    <p class="error-text" role="alert">{move || error.get().unwrap_or_default()}</p>
                </Show>
            </form>
        </section>
    }
}
