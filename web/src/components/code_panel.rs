//! The console's bridges to code: paste an `aws dynamodb …` command to fill the request,
//! or copy the request as an AWS CLI command, Python (boto3) or JavaScript (SDK v3).

use leptos::prelude::*;
use serde_json::Value;

use super::pretty;
use crate::code;

/// A textarea that turns a pasted AWS CLI command into the console's operation and request.
#[component]
pub fn PasteCli(op: RwSignal<String>, body: RwSignal<String>) -> impl IntoView {
    let line = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let open = RwSignal::new(false);
    let apply = move || match code::parse_aws_cli(&line.get_untracked()) {
        Ok((operation, request)) => {
            op.set(operation);
            body.set(pretty(&request.to_string()));
            error.set(None);
            line.set(String::new());
            open.set(false);
        }
        Err(e) => error.set(Some(e)),
    };
    view! {
        <details class="code-panel" prop:open=open on:toggle:target=move |ev| open.set(ev.target().open())>
            <summary>"Paste an AWS CLI command"</summary>
            <label class="block">"Command"
                <textarea class="code" name="cli" rows="4" spellcheck="false"
                    placeholder="aws dynamodb get-item --table-name Music --key '{\"Artist\": {\"S\": \"Arturus\"}}'"
                    prop:value=line on:input:target=move |ev| { line.set(ev.target().value()); error.set(None); }
                    on:keydown=move |ev: leptos::ev::KeyboardEvent| if ev.key() == "Enter" && (ev.ctrl_key() || ev.meta_key()) { ev.prevent_default(); apply(); }></textarea>
            </label>
            <div class="console-bar">
                <button disabled=move || line.get().trim().is_empty() on:click=move |_| apply()>"Use this command"</button>
                <span class="muted">"Global options such as --endpoint-url and --region are ignored."</span>
            </div>
            {move || error.get().map(|e| view! { <p class="error-text" role="alert" data-testid="cli-error">{e}</p> })}
        </details>
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Language {
    Cli,
    Python,
    JavaScript,
}

impl Language {
    const ALL: [Language; 3] = [Language::Cli, Language::Python, Language::JavaScript];

    fn label(self) -> &'static str {
        match self {
            Language::Cli => "AWS CLI",
            Language::Python => "Python (boto3)",
            Language::JavaScript => "JavaScript (SDK v3)",
        }
    }

    fn render(self, op: &str, request: &Value) -> String {
        match self {
            Language::Cli => code::aws_cli(op, request),
            Language::Python => code::python(op, request),
            Language::JavaScript => code::javascript(op, request),
        }
    }
}

/// The console's current request as code, in a language the learner picks.
#[component]
pub fn CopyAsCode(op: RwSignal<String>, body: RwSignal<String>) -> impl IntoView {
    let language = RwSignal::new(Language::Cli);
    // What was last copied: the button says "Copied" until the code changes.
    let copied = RwSignal::new(None::<String>);
    let text = Memo::new(move |_| {
        let request = serde_json::from_str::<Value>(&body.get()).ok()?;
        Some(language.get().render(&op.get(), &request))
    });
    let copy = move |_| {
        if let Some(t) = text.get_untracked() {
            let _ = window().navigator().clipboard().write_text(&t);
            copied.set(Some(t));
        }
    };
    view! {
        <details class="code-panel">
            <summary>"Copy as code"</summary>
            <div class="console-bar" role="radiogroup" aria-label="Language">
                {Language::ALL.into_iter().map(|l| view! {
                    <label class="choice">
                        <input type="radio" name="code-language" prop:checked=move || language.get() == l
                            on:change=move |_| language.set(l) />
                        {l.label()}
                    </label>
                }).collect_view()}
                <span class="spacer"></span>
                <button class="small" disabled=move || text.get().is_none() on:click=copy>
                    {move || if copied.get().is_some() && copied.get() == text.get() { "Copied" } else { "Copy" }}
                </button>
            </div>
            {move || match text.get() {
                Some(t) => view! { <pre class="code" data-testid="code">{t}</pre> }.into_any(),
                None => view! { <p class="muted">"Fix the request JSON to see it as code."</p> }.into_any(),
            }}
        </details>
    }
}
