//! One file per sizeable component.

mod backups_view;
mod capacity_view;
mod code_panel;
mod console;
mod create_table;
mod export_panel;
mod gallery;
mod global_view;
mod header;
mod iam_explain;
mod iam_view;
mod import_panel;
mod item_browser;
mod item_editor;
mod lab_view;
mod lesson_panel;
mod lessons_view;
mod markdown;
mod mirror_view;
mod partitions_view;
mod pitr_panel;
mod put_vs_update_view;
mod replicas_view;
mod s3_view;
mod scenario_view;
mod setting;
mod share;
mod sidebar;
mod sort_order_view;
mod status;
mod stream_view;
mod table_view;
mod teach_view;
mod throughput_view;
mod timeline;
mod trigger_card;
mod viz;
mod workshop_view;

pub use backups_view::{BackupsView, DeletedTablesBackups};
pub use capacity_view::CapacityView;
pub use console::Console;
pub use create_table::Home;
pub use gallery::{opened_file, ExamplePage, Gallery};
pub use global_view::GlobalPage;
pub use header::Header;
pub use iam_view::IamPage;
pub use lab_view::ContentionLab;
pub use lesson_panel::{LessonPanel, StepPanel};
pub use lessons_view::LessonsPage;
pub use mirror_view::MirrorPage;
pub use partitions_view::PartitionsView;
pub use put_vs_update_view::PutVsUpdateView;
pub use replicas_view::ReplicasView;
pub use s3_view::S3Page;
pub use scenario_view::ScenarioPage;
pub use share::SharePage;
pub use sidebar::Sidebar;
pub use sort_order_view::SortOrderView;
pub use status::{Loading, SandboxBanner, StorageBanner};
pub use stream_view::StreamView;
pub use table_view::TableView;
pub use teach_view::TeachPage;
pub use throughput_view::ThroughputView;
pub use workshop_view::WorkshopPage;

/// Pretty-prints JSON text for display; leaves anything unparseable as it is.
pub fn pretty(text: &str) -> String {
    serde_json::from_str::<serde_json::Value>(text)
        .ok()
        .and_then(|v| serde_json::to_string_pretty(&v).ok())
        .unwrap_or_else(|| text.to_string())
}
