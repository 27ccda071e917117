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

use dynaplay_engine::lesson::Workshop;
use dynaplay_engine::scenario::Scenario;

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
/// function (in `split`) whose module holds the page's code.
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
    iam() in iam_page => view! { <IamPage/> };
    teach() in teach_page => view! { <TeachPage/> };
    s3() in s3_page => view! { <S3Page/> };
    mirror() in mirror_page => view! { <MirrorPage/> };
    contention_lab() in contention_lab => view! { <ContentionLab/> };
    deleted_backups() in deleted_backups => view! { <DeletedTablesBackups/> };
    console() in console => view! { <Console/> };
    gallery() in gallery => view! { <Gallery/> };
    /// A scenario: opened from a file, the gallery or a link.
    scenario(scenario: Result<Scenario, String>) in scenario => view! { <ScenarioPage scenario=scenario/> };
    share() in share => view! { <SharePage/> };
    lessons() in lessons => view! { <LessonsPage/> };
    /// A workshop previewed.
    workshop(workshop: Result<Workshop, String>) in workshop => view! { <WorkshopPage workshop=workshop/> };
    global(table: Option<String>) in global => view! { <GlobalPage table=table/> };
    /// The running lesson's step, above every view (with the Markdown renderer).
    lesson_step(run: LessonRun) in lesson_step => view! { <StepPanel run=run/> };
    partitions(name: String) in partitions => view! { <PartitionsView name=name/> };
    sort_order(name: String) in sort_order => view! { <SortOrderView name=name/> };
    put_vs_update(name: String) in put_vs_update => view! { <PutVsUpdateView name=name/> };
    capacity(name: String) in capacity => view! { <CapacityView name=name/> };
    stream(name: String) in stream => view! { <StreamView name=name/> };
    backups(name: String) in backups => view! { <BackupsView name=name/> };
    replicas(name: String) in replicas => view! { <ReplicasView name=name/> };
    throughput(name: String) in throughput => view! { <ThroughputView name=name/> };
}
