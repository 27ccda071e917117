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

use crate::components::*;
use crate::handle::LessonRun;

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
        <Suspense fallback=|| view! { <p class="panel" role="status" data-testid="page-loading">"Loading this page…"</p> }>{shown}</Suspense>
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

/// Pages, each a function giving its view through [`lazy`], and beside it the split
/// function (in `split`) whose module holds the page's code. Pages used together share
/// a module: each module's code shared with another goes into a chunk of its own, one
/// more file to fetch, and with a module per page a visit fetched some 80 of them.
macro_rules! split_pages {
    ($( $(#[$doc:meta])* $name:ident($($arg:ident: $ty:ty),*) in $module:ident => $view:expr; )*) => {
        $(
            $(#[$doc])*
            pub fn $name($($arg: $ty),*) -> AnyView {
                lazy(async move { fetched!(split::$name($($arg),*)) })
            }
        )*
        mod split {
            use super::*;
            $(
                #[cfg_attr(feature = "split", wasm_split($module, wasm_split_path = ::leptos::wasm_split, fallible))]
                pub fn $name($($arg: $ty),*) -> Result<AnyView, NotLoaded> {
                    Ok($view.into_any())
                }
            )*
        }
    };
}

split_pages! {
    console() in console => view! { <Console/> };

    partitions(name: String) in table_views => view! { <PartitionsView name=name/> };
    sort_order(name: String) in table_views => view! { <SortOrderView name=name/> };
    put_vs_update(name: String) in table_views => view! { <PutVsUpdateView name=name/> };
    capacity(name: String) in table_views => view! { <CapacityView name=name/> };
    stream(name: String) in table_views => view! { <StreamView name=name/> };
    backups(name: String) in table_views => view! { <BackupsView name=name/> };
    replicas(name: String) in table_views => view! { <ReplicasView name=name/> };
    throughput(name: String) in table_views => view! { <ThroughputView name=name/> };
    deleted_backups() in table_views => view! { <DeletedTablesBackups/> };

    lessons() in learning => view! { <LessonsPage/> };
    /// The running lesson's step, above every view (with the Markdown renderer).
    lesson_step(run: LessonRun) in learning => view! { <StepPanel run=run/> };
    /// A workshop previewed.
    workshop(link: Option<String>) in learning => view! { <WorkshopPage link=link/> };
    teach() in learning => view! { <TeachPage/> };

    gallery() in scenarios => view! { <Gallery/> };
    /// The scenario file opened in this tab, read here (so the scenario reader is not
    /// in the page's start).
    opened_scenario() in scenarios => view! { <ScenarioPage scenario=opened_file()/> };
    /// A scenario's link (`#/s/<payload>`), inflated here, so the inflater is not in the
    /// page's start.
    scenario_link(payload: String) in scenarios => view! {
        <ScenarioPage scenario=dynaplay_engine::scenario::from_link(&payload).map_err(|e| e.0)/>
    };
    /// A gallery example, fetched.
    example(slug: String) in scenarios => view! { <ExamplePage slug=slug/> };
    share() in scenarios => view! { <SharePage/> };

    iam() in services => view! { <IamPage/> };
    s3() in services => view! { <S3Page/> };
    mirror() in services => view! { <MirrorPage/> };
    contention_lab() in services => view! { <ContentionLab/> };
    global(table: Option<String>) in services => view! { <GlobalPage table=table/> };
}
