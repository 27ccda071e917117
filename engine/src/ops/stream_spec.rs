//! `StreamSpecification` as CreateTable and UpdateTable read it, and turning a table's
//! stream on and off. AWS's messages (ack-api-quirks' catalogue of live responses, see the
//! README) name the view type `UpdateViewType`.

use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::request::{Input, Violations};
use crate::streams::ViewType;

/// A StreamSpecification: on with a view type, or off.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StreamSpec {
    pub enabled: bool,
    pub view: Option<ViewType>,
}

/// Reads `StreamSpecification`, its model constraints into `v`.
pub fn read(input: &Input, v: &mut Violations) -> Result<Option<StreamSpec>> {
    let Some(spec) = input.object("StreamSpecification")? else { return Ok(None) };
    let enabled = spec.bool("StreamEnabled")?;
    v.not_null(enabled, "streamSpecification.streamEnabled");
    let view = spec.str("StreamViewType")?;
    v.one_of(view, "streamSpecification.streamViewType", ViewType::NAMES);
    Ok(Some(StreamSpec { enabled: enabled.unwrap_or(false), view: view.and_then(ViewType::parse) }))
}

/// CreateTable's rule: a view type exactly when the stream is on.
pub fn check_create(spec: Option<StreamSpec>) -> Result<Option<ViewType>> {
    match spec {
        Some(StreamSpec { enabled: true, view: None }) => {
            Err(Error::invalid_parameter("Table is being created with a stream enabled, UpdateViewType is required"))
        }
        Some(StreamSpec { enabled: false, view: Some(_) }) => Err(Error::invalid_parameter(
            "Table is being created with a stream disabled, UpdateViewType should not be specified",
        )),
        Some(StreamSpec { enabled: true, view }) => Ok(view),
        _ => Ok(None),
    }
}

/// UpdateTable's rules before the table is looked up.
pub fn check_update(spec: StreamSpec, index_changes: bool) -> Result<()> {
    match spec {
        StreamSpec { enabled: true, view: None } => {
            Err(Error::invalid_parameter("If stream is being enabled then UpdateViewType is required"))
        }
        StreamSpec { enabled: false, view: Some(_) } => {
            Err(Error::invalid_parameter("If stream is being disabled, then UpdateViewType must not be specified"))
        }
        _ if index_changes => {
            Err(Error::invalid_parameter("You cannot create or delete index while changing stream status"))
        }
        _ => Ok(()),
    }
}

/// UpdateTable's rules against the table as it is.
pub fn check_against(current: Option<ViewType>, spec: StreamSpec, table: &str) -> Result<()> {
    match (current, spec.enabled) {
        (Some(_), true) => Err(Error::validation(format!("Table already has an enabled stream: TableName: {table}"))),
        (None, false) => Err(Error::validation(format!("Table has no stream to disable: TableName: {table}"))),
        _ => Ok(()),
    }
}

/// Turns `table`'s stream on with `view` (a new stream, one shard per partition), or off.
pub fn apply(engine: &mut Engine, table: &str, view: Option<ViewType>) {
    let now = engine.now_ms;
    let seq = engine.logs.get(table).map_or(1, |l| l.next_seq);
    let arn = engine.arn(table);
    match (view, engine.tables.get(table)) {
        (Some(view), Some(t)) => engine.streams.enable(&arn, t, view, seq, now),
        _ => engine.streams.disable(table, seq, now),
    }
}
