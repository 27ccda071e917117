//! Hash routes, so every view has a stable URL that works from any static host:
//! `#/` (tables and create form), `#/tables/<name>` (items), `#/tables/<name>/<view>` (the
//! partitions, sort-order, put-vs-update and capacity views), `#/console`, `#/gallery`,
//! `#/gallery/<example>`, `#/open` (a scenario file), `#/scenario/<link payload>`, `#/share`,
//! `#/backups` (backups of deleted tables), `#/s3` (the simulated S3, exports and imports),
//! `#/lab/contention` (the contention lab), `#/mirror` (the relational mirror and triggers),
//! `#/global/<table>` (a global table across the sandbox's regions), `#/iam` (principals,
//! policies, the simulator), `#/lessons` (the course, and the workshop joined),
//! `#/workshop/<link payload>` and `#/workshop` (a workshop, or a lesson file opened in
//! this tab, previewed), `#/teach` (a teacher builds a workshop).

use leptos::prelude::*;
use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    Home,
    Table(String, Tab),
    Console,
    /// A scenario opened from a share link (the fragment payload).
    Scenario(String),
    Gallery,
    /// The scenario file opened in this tab.
    Opened,
    /// A gallery example, by file name without `.json`.
    Example(String),
    Share,
    /// The backups of tables that no longer exist.
    Backups,
    /// The simulated S3: buckets, objects, exports and imports.
    S3,
    /// The contention lab.
    ContentionLab,
    /// The relational mirror: SQL console, tables, triggers.
    Mirror,
    /// Global tables across the sandbox's regions (one table, or the first).
    Global(Option<String>),
    /// IAM: principals, policies, the simulator.
    Iam,
    /// The course of lessons, and the workshop joined.
    Lessons,
    /// A workshop previewed: from a share link (its payload), or the file opened in this tab.
    Workshop(Option<String>),
    /// A teacher builds a workshop.
    Teach,
    NotFound(String),
}

/// The views of one table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    Items,
    Partitions,
    SortOrder,
    PutVsUpdate,
    Capacity,
    Stream,
    Backups,
    Replicas,
    Throughput,
}

impl Tab {
    pub const ALL: [Tab; 9] = [
        Tab::Items,
        Tab::Partitions,
        Tab::SortOrder,
        Tab::PutVsUpdate,
        Tab::Capacity,
        Tab::Stream,
        Tab::Backups,
        Tab::Replicas,
        Tab::Throughput,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            Tab::Items => "items",
            Tab::Partitions => "partitions",
            Tab::SortOrder => "sort-order",
            Tab::PutVsUpdate => "put-vs-update",
            Tab::Capacity => "capacity",
            Tab::Stream => "stream",
            Tab::Backups => "backups",
            Tab::Replicas => "replicas",
            Tab::Throughput => "throughput",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Tab::Items => "Items",
            Tab::Partitions => "Partitions",
            Tab::SortOrder => "Sort-key order",
            Tab::PutVsUpdate => "PutItem vs UpdateItem",
            Tab::Capacity => "Scan capacity",
            Tab::Stream => "Stream and TTL",
            Tab::Backups => "Backups",
            Tab::Replicas => "Replicas",
            Tab::Throughput => "Throughput",
        }
    }
}

/// Parses a location hash (`#/tables/Music`).
pub fn parse(hash: &str) -> Route {
    let path = hash.trim_start_matches('#').trim_start_matches('/');
    let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
    match parts.as_slice() {
        [] => Route::Home,
        ["console"] => Route::Console,
        ["scenario", payload] => Route::Scenario(payload.to_string()),
        ["gallery"] => Route::Gallery,
        ["open"] => Route::Opened,
        ["gallery", slug] => Route::Example(decode(slug)),
        ["share"] => Route::Share,
        ["backups"] => Route::Backups,
        ["s3"] => Route::S3,
        ["lab", "contention"] => Route::ContentionLab,
        ["mirror"] => Route::Mirror,
        ["iam"] => Route::Iam,
        ["lessons"] => Route::Lessons,
        ["workshop"] => Route::Workshop(None),
        ["workshop", payload] => Route::Workshop(Some(payload.to_string())),
        ["teach"] => Route::Teach,
        ["global"] => Route::Global(None),
        ["global", name] => Route::Global(Some(decode(name))),
        ["tables", name] => Route::Table(decode(name), Tab::Items),
        ["tables", name, view] => match Tab::ALL.iter().find(|t| t.slug() == *view) {
            Some(tab) => Route::Table(decode(name), *tab),
            None => Route::NotFound(path.to_string()),
        },
        _ => Route::NotFound(path.to_string()),
    }
}

pub fn href(route: &Route) -> String {
    match route {
        Route::Home => "#/".into(),
        Route::Console => "#/console".into(),
        Route::Scenario(payload) => format!("#/scenario/{payload}"),
        Route::Gallery => "#/gallery".into(),
        Route::Opened => "#/open".into(),
        Route::Example(slug) => format!("#/gallery/{}", encode(slug)),
        Route::Share => "#/share".into(),
        Route::Backups => "#/backups".into(),
        Route::S3 => "#/s3".into(),
        Route::ContentionLab => "#/lab/contention".into(),
        Route::Mirror => "#/mirror".into(),
        Route::Iam => "#/iam".into(),
        Route::Lessons => "#/lessons".into(),
        Route::Workshop(None) => "#/workshop".into(),
        Route::Workshop(Some(payload)) => format!("#/workshop/{payload}"),
        Route::Teach => "#/teach".into(),
        Route::Global(None) => "#/global".into(),
        Route::Global(Some(name)) => format!("#/global/{}", encode(name)),
        Route::Table(name, Tab::Items) => format!("#/tables/{}", encode(name)),
        Route::Table(name, tab) => format!("#/tables/{}/{}", encode(name), tab.slug()),
        Route::NotFound(p) => format!("#/{p}"),
    }
}

fn decode(s: &str) -> String {
    percent_decode_str(s).decode_utf8_lossy().into_owned()
}

/// Table names are `[a-zA-Z0-9_.-]+`, but a hand-typed URL may hold anything.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'_').remove(b'.').remove(b'-');

fn encode(s: &str) -> String {
    utf8_percent_encode(s, SEGMENT).to_string()
}

/// The current route.
pub fn current() -> Route {
    parse(&window().location().hash().unwrap_or_default())
}

pub fn navigate(route: &Route) {
    let _ = window().location().set_hash(&href(route));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_routes() {
        assert_eq!(parse(""), Route::Home);
        assert_eq!(parse("#/"), Route::Home);
        assert_eq!(parse("#/console"), Route::Console);
        assert_eq!(parse("#/elsewhere"), Route::NotFound("elsewhere".into()));
        assert_eq!(parse("#/scenario/1.abc-_"), Route::Scenario("1.abc-_".into()));
        assert_eq!(parse("#/gallery/put-vs-update"), Route::Example("put-vs-update".into()));
        assert_eq!(parse("#/share"), Route::Share);
        assert_eq!(parse("#/open"), Route::Opened);
        assert_eq!(parse("#/backups"), Route::Backups);
        assert_eq!(parse("#/s3"), Route::S3);
        assert_eq!(href(&Route::S3), "#/s3");
        assert_eq!(parse("#/lab/contention"), Route::ContentionLab);
        assert_eq!(href(&Route::ContentionLab), "#/lab/contention");
        assert_eq!(parse(&href(&Route::Mirror)), Route::Mirror);
        assert_eq!(parse(&href(&Route::Iam)), Route::Iam);
        assert_eq!(parse(&href(&Route::Lessons)), Route::Lessons);
        assert_eq!(parse("#/workshop/1.abc"), Route::Workshop(Some("1.abc".into())));
        assert_eq!(parse(&href(&Route::Workshop(None))), Route::Workshop(None));
        assert_eq!(parse(&href(&Route::Teach)), Route::Teach);
        assert_eq!(parse("#/global/Carts"), Route::Global(Some("Carts".into())));
        assert_eq!(parse(&href(&Route::Global(None))), Route::Global(None));
        assert_eq!(href(&Route::Backups), "#/backups");
        assert_eq!(parse("#/tables/Music"), Route::Table("Music".into(), Tab::Items));
        assert_eq!(parse("#/tables/Music/items"), Route::Table("Music".into(), Tab::Items));
        assert_eq!(parse("#/tables/Music/put-vs-update"), Route::Table("Music".into(), Tab::PutVsUpdate));
        assert_eq!(parse("#/tables/Music/nope"), Route::NotFound("tables/Music/nope".into()));
        assert_eq!(parse("#/tables/a%20b/capacity"), Route::Table("a b".into(), Tab::Capacity));
        assert_eq!(href(&Route::Table("a b/c".into(), Tab::Items)), "#/tables/a%20b%2Fc");
        for tab in Tab::ALL {
            let route = Route::Table("Music".into(), tab);
            assert_eq!(parse(&href(&route)), route);
        }
    }
}
