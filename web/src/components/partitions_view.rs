//! `#/tables/<name>/partitions`: the hash space cut into partitions, each with its items,
//! bytes and recent traffic (a heat scale); item collections placed at their hash; hot
//! keys; the last split before and after; and, for any key, why it lands where it does.

use dynaplay_engine::inspect::{collections, partition_map, placement, PartitionInfo, PartitionMap, TRAFFIC_WINDOW_S};
use dynaplay_engine::table::{BillingMode, Table, HEAT_WINDOW_S};
use leptos::prelude::*;

use super::viz::{full_hash, heat_color, short_hash, x_of, WIDTH};
use crate::handle::{observe_table, read_table, use_engine, SplitRecord};
use crate::text::{bytes_text, key_text, parse_key, plural, units};

/// At most this many collections are drawn as dots.
const DOTS: usize = 1500;

#[derive(Clone, Debug, PartialEq)]
struct Dot {
    x: f64,
    y: f64,
    r: f64,
    hot: bool,
    label: String,
}

#[derive(Clone, Debug, PartialEq)]
struct Snapshot {
    map: PartitionMap,
    dots: Vec<Dot>,
    collections: usize,
}

impl Snapshot {
    /// The partition map at engine time `now`, and the item collections as dots.
    fn of(t: &Table, now: u64) -> Snapshot {
        let map = partition_map(t, now);
        let (cols, total) = collections(t, None, DOTS);
        let hot: Vec<_> = map.hot_keys.iter().filter(|k| k.hot).map(|k| k.key.clone()).collect();
        let dots = cols
            .iter()
            .map(|c| Dot {
                x: x_of(c.hash),
                // Spread dots vertically by hash so neighbours do not overlap.
                y: 118.0 + (c.hash % 5) as f64 * 12.0,
                r: (2.5 + (c.items as f64).sqrt() * 1.5).min(10.0),
                hot: hot.contains(&c.key),
                label: format!(
                    "{} · {} · hash {}",
                    key_text(&c.key),
                    crate::text::count(c.items, "item"),
                    short_hash(c.hash)
                ),
            })
            .collect();
        Snapshot { map, dots, collections: total }
    }
}

#[component]
pub fn PartitionsView(name: String) -> impl IntoView {
    let engine = use_engine();
    let splits = engine.with_value(|h| h.splits());
    let table = StoredValue::new(name);
    // Heat fades with time, so redraw every second while the view is open.
    let tick = super::viz::every_second();
    let selected = RwSignal::new(None::<usize>);
    let snapshot = Memo::new(move |_| {
        tick.track();
        // The engine clock only: the page's tick keeps it moving outside the sandbox, and a
        // sandbox replay keeps the scenario's own times.
        observe_table(engine, &table.get_value(), Snapshot::of)
    });
    let last_split = Memo::new(move |_| {
        let name = table.get_value();
        splits.with(|all| all.iter().find(|s| s.table == name).cloned())
    });

    let pk_type = read_table(engine, &table.get_value(), |t| t.def.schema.hash.ty.as_str()).unwrap_or("S");
    let exists = Memo::new(move |_| snapshot.with(Option::is_some));
    // Only the drawings follow `snapshot`; the inputs below keep what the user typed.
    let drawn =
        move |f: fn(Snapshot, RwSignal<Option<usize>>) -> AnyView| move || snapshot.get().map(|s| f(s, selected));
    view! {
        <Show when=move || exists.get() fallback=|| view! { <section class="panel"><p>"No such table."</p></section> }>
            <section class="panel viz" aria-labelledby="partitions-title">
                <div class="panel-head">
                    <h2 id="partitions-title">"Partitions"</h2>
                    {drawn(|s, _| {
                        let n = s.map.partitions.len();
                        view! {
                            <span class="badge" data-testid="viz-partition-count">{format!("{n} partition{}", plural(n))}</span>
                            <span class="muted">{format!("{} item collection{}", s.collections, plural(s.collections))}</span>
                        }.into_any()
                    })}
                </div>
                <div class="viz-grid">
                    <div class="viz-picture">
                        {drawn(|s, selected| view! {
                            <HashSpace map=s.map.clone() dots=s.dots selected=selected/>
                            <PartitionTable map=s.map selected=selected/>
                        }.into_any())}
                    </div>
                    <aside class="explain">
                        {drawn(|s, _| view! { <Explain map=s.map.clone()/><HotKeys map=s.map/> }.into_any())}
                    </aside>
                </div>
                {move || selected.get().map(|p| view! { <PartitionDetail table=table.get_value() partition=p/> })}
                <KeyPlacement table=table.get_value() pk_type=pk_type/>
            </section>
        </Show>
        {move || last_split.get().map(|record| view! { <SplitView record=record/> })}
    }
}

/// The hash space from 0 to 2^64 − 1: one band per partition, coloured by heat, with the
/// table's item collections as dots at their hashes.
#[component]
fn HashSpace(map: PartitionMap, dots: Vec<Dot>, selected: RwSignal<Option<usize>>) -> impl IntoView {
    let count = map.partitions.len();
    let bands = map
        .partitions
        .into_iter()
        .map(|p| {
            let x = x_of(p.start);
            let w = (x_of(p.end) - x).max(1.0);
            let index = p.index;
            let label = format!(
                "Partition {index}: hashes {} to {}, {} items, {}, heat {:.0}%",
                full_hash(p.start),
                full_hash(p.end),
                p.items,
                bytes_text(p.bytes as u64),
                p.heat * 100.0
            );
            let wide = w > 40.0;
            let aria = label.clone();
            view! {
                <g class="band" class:selected=move || selected.get() == Some(index)
                   tabindex="0" role="button" aria-label=aria
                   aria-pressed=move || (selected.get() == Some(index)).to_string()
                   on:click=move |_| selected.update(|s| *s = if *s == Some(index) { None } else { Some(index) })
                   on:keydown=move |ev: leptos::ev::KeyboardEvent| if ev.key() == "Enter" || ev.key() == " " {
                       ev.prevent_default();
                       selected.update(|s| *s = if *s == Some(index) { None } else { Some(index) });
                   }>
                    <title>{label}</title>
                    <rect x=x y="24" width=w height="64" fill=heat_color(p.heat) data-partition=index/>
                    {wide.then(|| view! {
                        <text x=x + w / 2.0 y="52" text-anchor="middle" class="band-label">{format!("P{index}")}</text>
                        <text x=x + w / 2.0 y="72" text-anchor="middle" class="band-sub">{format!("{} items", p.items)}</text>
                    })}
                </g>
            }
        })
        .collect_view();
    let dots = dots
        .into_iter()
        .map(|d| {
            view! {
                <circle cx=d.x cy=d.y r=d.r class="dot" class:hot=d.hot><title>{d.label}</title></circle>
            }
        })
        .collect_view();
    view! {
        <svg class="hash-space" viewBox=format!("-10 0 {} 190", WIDTH + 20.0) role="img"
             aria-label=format!("The hash space with {count} partitions and the table's item collections")>
            <text x="0" y="16" class="axis">"hash 0x0000…"</text>
            <text x=WIDTH y="16" text-anchor="end" class="axis">"0xffff… (2⁶⁴ − 1)"</text>
            {bands}
            <line x1="0" x2=WIDTH y1="104" y2="104" class="axis-line"/>
            {dots}
        </svg>
        <p class="legend muted">
            <span class="swatch" style=format!("background:{}", heat_color(0.0))></span><span>"idle"</span>
            <span class="swatch" style=format!("background:{}", heat_color(0.5))></span><span>"half its limit"</span>
            <span class="swatch" style=format!("background:{}", heat_color(1.0))></span><span>"at its limit."</span>
            <span>"Dots: item collections at their hash (bigger = more items, red = hot key). Click a partition for its collections."</span>
        </p>
    }
}

#[component]
fn PartitionTable(map: PartitionMap, selected: RwSignal<Option<usize>>) -> impl IntoView {
    let limit = map.byte_limit as f64;
    let rows = map
        .partitions
        .into_iter()
        .map(|p: PartitionInfo| {
            let index = p.index;
            view! {
                <tr class:selected=move || selected.get() == Some(index) tabindex="0"
                    on:click=move |_| selected.set(Some(index))
                    on:keydown=move |e| if e.key() == "Enter" { selected.set(Some(index)) }>
                    <td>{format!("P{index}")}</td>
                    <td><code>{format!("{} – {}", short_hash(p.start), short_hash(p.end))}</code></td>
                    <td data-testid="partition-items">{p.items}</td>
                    <td>{format!("{} ({:.0}% of limit)", bytes_text(p.bytes as u64), p.bytes as f64 / limit * 100.0)}</td>
                    <td>{format!("{} / {}", units(p.read_units), units(p.write_units))}</td>
                    <td>{format!("{:.0}%", p.heat * 100.0)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-scroll">
            <table class="items compact wrap" data-testid="partition-table">
                <caption class="visually-hidden">"Partitions"</caption>
                <thead><tr>
                    <th scope="col">"Partition"</th><th scope="col">"Hash range"</th><th scope="col">"Items"</th>
                    <th scope="col">"Size"</th>
                    <th scope="col" title=format!("Read / write units consumed in the last {TRAFFIC_WINDOW_S} seconds")>"RCU / WCU"</th>
                    <th scope="col" title=format!("Traffic over the last {HEAT_WINDOW_S} s as a share of the partition's limit")>"Heat"</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        <p class="legend muted">{format!("RCU / WCU: units consumed in the last {TRAFFIC_WINDOW_S} seconds. Heat: traffic over the last {HEAT_WINDOW_S} seconds against the partition's per-second limit.")}</p>
    }
}

#[component]
fn Explain(map: PartitionMap) -> impl IntoView {
    let c = map.count.clone();
    let scale = if map.scale == 1 {
        "real AWS limits".to_string()
    } else {
        format!("teaching scale 1/{} of AWS's limits", map.scale)
    };
    let throughput = match c.billing {
        BillingMode::Provisioned => format!(
            "{} RCU and {} WCU provisioned: ⌈{} / {} + {} / {}⌉ = {} partition{} for throughput.",
            c.read_units,
            c.write_units,
            c.read_units,
            units(map.read_limit),
            c.write_units,
            units(map.write_limit),
            c.for_throughput,
            plural(c.for_throughput as usize)
        ),
        BillingMode::PayPerRequest => {
            "On-demand: the table starts with one partition here and grows by splitting.".into()
        }
    };
    let size = format!(
        "{} of data: ⌈{} / {}⌉ = {} partition{} for size.",
        bytes_text(c.table_bytes as u64),
        bytes_text(c.table_bytes as u64),
        bytes_text(map.byte_limit),
        c.for_size,
        plural(c.for_size as usize)
    );
    let splits = c.current.saturating_sub(c.for_throughput.max(1) as usize);
    view! {
        <h3>"Why this many partitions"</h3>
        <p>{format!(
            "Each partition holds at most {} and serves {} RCU and {} WCU per second ({scale}).",
            bytes_text(map.byte_limit), units(map.read_limit), units(map.write_limit)
        )}</p>
        <p>{throughput}</p>
        <p>{size}</p>
        <p>{if splits > 0 {
            format!("It has {} now: {splits} split{} happened when a partition grew past its size or ran hot. Partitions never merge.", c.current, plural(splits))
        } else {
            format!("It has {} now.", c.current)
        }}</p>
        <p class="muted">"An item goes to the partition whose hash range holds the hash of its partition key; all items with one partition key (an item collection) live together."</p>
    }
}

#[component]
fn HotKeys(map: PartitionMap) -> impl IntoView {
    let rows = map
        .hot_keys
        .iter()
        .map(|k| {
            view! {
                <li class:hot=k.hot>
                    <code>{key_text(&k.key)}</code>
                    {k.hot.then_some(" (hot)")}
                    {format!(" in P{}: {} RCU, {} WCU — {:.0}% of its partition's traffic", k.partition, units(k.read_units), units(k.write_units), k.share * 100.0)}
                </li>
            }
        })
        .collect_view();
    let empty = map.hot_keys.is_empty();
    view! {
        <h3>"Busiest keys (last minute)"</h3>
        {if empty {
            view! { <p class="muted">"No traffic in the last minute."</p> }.into_any()
        } else {
            view! { <ol class="hot-keys" data-testid="hot-keys">{rows}</ol> }.into_any()
        }}
        <p class="muted">{format!(
            "A partition whose traffic over {HEAT_WINDOW_S} s passes its limit splits at the median hash of its items. One hot key cannot be split: its whole collection stays in one partition."
        )}</p>
    }
}

#[component]
fn PartitionDetail(table: String, partition: usize) -> impl IntoView {
    let engine = use_engine();
    let table = StoredValue::new(table);
    let rows = Memo::new(move |_| {
        observe_table(engine, &table.get_value(), |t, _| {
            let (cols, total) = collections(t, Some(partition), 200);
            let rows: Vec<(String, String, usize, usize)> =
                cols.iter().map(|c| (key_text(&c.key), short_hash(c.hash), c.items, c.bytes)).collect();
            (rows, total)
        })
    });
    view! {
        <div class="detail" data-testid="partition-detail">
            <h3>{format!("Item collections in P{partition}")}</h3>
            {move || rows.get().map(|(rows, total)| {
                let shown = rows.len();
                view! {
                    <table class="items compact">
                        <thead><tr><th scope="col">"Partition key"</th><th scope="col">"Hash"</th><th scope="col">"Items"</th><th scope="col">"Size"</th></tr></thead>
                        <tbody>
                            {rows.into_iter().map(|(k, h, n, b)| view! {
                                <tr><td>{k}</td><td><code>{h}</code></td><td>{n}</td><td>{bytes_text(b as u64)}</td></tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                    {(total > shown).then(|| view! { <p class="muted">{format!("Showing {shown} of {total}.")}</p> })}
                }
            })}
        </div>
    }
}

/// "Why did my key land there?": the hash computed step by step.
#[component]
fn KeyPlacement(table: String, pk_type: &'static str) -> impl IntoView {
    let engine = use_engine();
    let text = RwSignal::new(String::new());
    let table = StoredValue::new(table);
    let result = Memo::new(move |_| {
        let key = text.get();
        if key.is_empty() {
            return None;
        }
        let placed = observe_table(engine, &table.get_value(), |t, _| {
            parse_key(t.def.schema.hash.ty, &key).map(|k| placement(t, &k))
        });
        Some(placed.unwrap_or_else(|| Err("no such table".into())))
    });
    view! {
        <div class="detail">
            <h3>"Where does a key land?"</h3>
            <label class="block">{format!("Partition key value ({pk_type})")}
                <input type="text" placeholder="alice" prop:value=move || text.get()
                       on:input=move |e| text.set(event_target_value(&e)) data-testid="placement-input"/>
            </label>
            {move || result.get().map(|r| match r {
                Err(e) => view! { <p class="error-text">{e}</p> }.into_any(),
                Ok(p) => {
                    let input: String = p.hash_input.iter().map(|b| format!("{b:02x}")).collect();
                    let digest: String = p.digest.iter().map(|b| format!("{b:02x}")).collect();
                    view! {
                        <ol class="steps" data-testid="placement">
                            <li>{format!("Hash input: the type tag then the key's bytes: 0x{input}")}</li>
                            <li>{format!("MD5 of that: {digest}")}</li>
                            <li>{format!("Its first 8 bytes are the hash: {} ({:.2}% of the way through the hash space)", full_hash(p.hash), p.position * 100.0)}</li>
                            <li>{format!("P{} holds hashes {} to {}, so the key lands in P{}.", p.partition, full_hash(p.start), full_hash(p.end), p.partition)}</li>
                        </ol>
                        <p class="muted">"AWS does not publish its hash function; Dynaplay's is MD5, so you can recompute it."</p>
                    }.into_any()
                }
            })}
        </div>
    }
}

/// The last split, before and after.
#[component]
fn SplitView(record: SplitRecord) -> impl IntoView {
    let reasons: Vec<String> = record
        .splits
        .iter()
        .map(|(p, at, reason)| {
            let why = match reason {
                dynaplay_engine::table::SplitReason::Size => "it held more than its size limit",
                dynaplay_engine::table::SplitReason::Heat => "its traffic passed its throughput limit",
            };
            format!("P{p} split at {} because {why}", full_hash(*at))
        })
        .collect();
    let bar = |parts: Vec<PartitionInfo>| {
        parts
            .into_iter()
            .map(|p| {
                let x = x_of(p.start);
                let w = (x_of(p.end) - x).max(1.0);
                view! {
                    <g>
                        <rect x=x y="4" width=w height="36" class="split-band"/>
                        {(w > 40.0).then(|| view! {
                            <text x=x + w / 2.0 y="27" text-anchor="middle" class="band-sub">{format!("P{}: {}", p.index, p.items)}</text>
                        })}
                    </g>
                }
            })
            .collect_view()
    };
    let (before_n, after_n) = (record.before.len(), record.after.len());
    view! {
        <section class="panel viz" data-testid="split-view">
            <h2>"Last split"</h2>
            <p>{format!("During {}: {}.", record.operation, reasons.join("; "))}</p>
            <h3>{format!("Before: {before_n} partition{}", plural(before_n))}</h3>
            <svg class="split" viewBox=format!("0 0 {WIDTH} 44") role="img" aria-label="Partitions before the split">{bar(record.before)}</svg>
            <h3>{format!("After: {after_n} partition{}", plural(after_n))}</h3>
            <svg class="split" viewBox=format!("0 0 {WIDTH} 44") role="img" aria-label="Partitions after the split">{bar(record.after)}</svg>
        </section>
    }
}
