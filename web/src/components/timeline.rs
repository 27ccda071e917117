//! The table's history on one axis, in the point-in-time recovery panel: changes (bars, by
//! kind), the restorable window (the band), on-demand backups (▲) and exports (■). Click
//! the axis or move the slider to pick a moment: the panel previews it and can restore to
//! it. Figures from `engine::inspect::timeline_of`.

use dynaplay_engine::inspect::{timeline_of, Timeline};
use dynaplay_engine::streams::label;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::handle::{observe, use_engine};

/// The axis' slices, and the drawing's width in SVG units.
const BINS: usize = 100;
const WIDTH: f64 = 1000.0;

#[component]
pub fn TimelineAxis(table: String, picked: RwSignal<Option<u64>>, on_pick: Callback<u64>) -> impl IntoView {
    let engine = use_engine();
    let table = StoredValue::new(table);
    let line = Memo::new(move |_| observe(engine, |e| timeline_of(e, &table.get_value(), BINS)));
    let pick_at = move |fraction: f64| on_pick.run(line.with_untracked(|t| t.at(fraction)));
    let click = move |ev: leptos::ev::MouseEvent| {
        let Some(svg) = ev.current_target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else { return };
        let rect = svg.get_bounding_client_rect();
        if rect.width() > 0.0 {
            pick_at((f64::from(ev.client_x()) - rect.left()) / rect.width());
        }
    };
    let slider = move || picked.get().map_or(1000.0, |at| line.with(|t| t.fraction(at) * 1000.0)).round().to_string();
    view! {
        <div class="timeline" data-testid="timeline">
            <svg viewBox="0 0 1000 78" role="img" aria-label="The table's history: changes, the restorable window, backups and exports" on:click=click data-testid="timeline-axis">
                {move || line.with(|t| draw(t, picked.get()))}
            </svg>
            <div class="timeline-ends muted small">
                <span>{move || line.with(|t| label(t.start_ms))}</span>
                <span>{move || line.with(|t| format!("now {}", label(t.end_ms)))}</span>
            </div>
            <label class="timeline-slider">"Pick a moment"
                <input type="range" min="0" max="1000" step="1" prop:value=slider on:input=move |e| pick_at(event_target_value(&e).parse::<f64>().unwrap_or(0.0) / 1000.0) data-testid="timeline-slider"/>
            </label>
            <p class="muted small timeline-legend">"Bars: changes (green insert, blue modify, red remove). Band: restorable. ▲ backup, ■ export."</p>
        </div>
    }
}

/// The drawing: window band, change bars, marks, the picked moment (the ends' times are
/// text below it, readable at any width).
fn draw(t: &Timeline, picked: Option<u64>) -> impl IntoView {
    let x = |ms: u64| t.fraction(ms) * WIDTH;
    let tallest = t.bins.iter().map(|b| b.total()).max().unwrap_or(1).max(1) as f64;
    let band = t
        .window
        .map(|(a, b)| view! { <rect class="tl-window" x=x(a) y="8" width=(x(b) - x(a)).max(1.0) height="52"/> });
    let bars = t.bins.iter().map(|b| {
        let (mid, w) = (x(b.start_ms + (b.end_ms - b.start_ms) / 2), (x(b.end_ms) - x(b.start_ms)).max(3.0));
        let mut y = 60.0;
        let parts = [("tl-insert", b.inserts), ("tl-modify", b.modifies), ("tl-remove", b.removes)];
        parts.into_iter().filter(|(_, n)| *n > 0).map(|(class, n)| {
            let h = 48.0 * n as f64 / tallest;
            y -= h;
            view! { <rect class=class x=mid - w / 2.0 y=y width=w height=h><title>{format!("{n} at {}", label(b.start_ms))}</title></rect> }
        }).collect_view()
    }).collect_view();
    let marks = t.marks.iter().map(|m| {
        let at = x(m.at_ms);
        let shape = if m.kind == "backup" { format!("M{} 62 l6 10 h-12 z", at) } else { format!("M{} 62 h10 v10 h-10 z", at - 5.0) };
        view! { <path class=format!("tl-{}", m.kind) d=shape><title>{format!("{} at {}", m.label, label(m.at_ms))}</title></path> }
    }).collect_view();
    let pick = picked
        .map(|at| view! { <line class="tl-picked" x1=x(at) x2=x(at) y1="2" y2="74" data-testid="timeline-picked"/> });
    view! {
        {band}
        <line class="tl-axis" x1="0" x2=WIDTH y1="60" y2="60"/>
        {bars}{marks}{pick}
    }
}
