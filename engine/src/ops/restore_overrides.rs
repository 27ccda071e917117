//! The restores' index, encryption and on-demand overrides. As AWS documents, an index
//! override lists which of the source's secondary indexes the new table keeps (the
//! indexes given must match existing ones; leaving some out drops them; an empty list
//! drops them all), with the projection and, for a global index, the throughput given.
//! `SSESpecificationOverride` and `OnDemandThroughputOverride` read as CreateTable reads
//! `SSESpecification` and `OnDemandThroughput`.

use serde_json::json;

use super::table_request::{build_projection, check_key_schema, read_index, RawIndex};
use super::table_settings::{read_on_demand, read_sse, Sse};
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::request::{Input, Violations};
use crate::table::{OnDemand, TableDef};

/// The overrides as read.
#[derive(Default)]
pub struct Overrides {
    gsis: Option<Vec<RawIndex>>,
    lsis: Option<Vec<RawIndex>>,
    sse: Option<Sse>,
    on_demand: Option<OnDemand>,
}

/// Reads the overrides into `v`.
pub fn read(engine: &Engine, input: &Input, v: &mut Violations) -> Result<Overrides> {
    let indexes = |member: &str, path: &str, global: bool, v: &mut Violations| -> Result<Option<Vec<RawIndex>>> {
        let Some(list) = input.array(member)? else { return Ok(None) };
        let read = list.iter().enumerate().map(|(i, e)| read_index(e, &format!("{path}.{}.member", i + 1), global, v));
        read.collect::<Result<Vec<_>>>().map(Some)
    };
    let gsis = indexes("GlobalSecondaryIndexOverride", "globalSecondaryIndexOverride", true, v)?;
    let lsis = indexes("LocalSecondaryIndexOverride", "localSecondaryIndexOverride", false, v)?;
    let wrapped = |member: &str, as_member: &str| input.raw(member).map(|o| json!({ as_member: o }));
    let sse = match wrapped("SSESpecificationOverride", "SSESpecification") {
        Some(doc) => read_sse(engine, &Input::new(&doc)?, v)?,
        None => None,
    };
    let on_demand = match wrapped("OnDemandThroughputOverride", "OnDemandThroughput") {
        Some(doc) => read_on_demand(&Input::new(&doc)?, None)?,
        None => None,
    };
    Ok(Overrides { gsis, lsis, sse, on_demand })
}

impl Overrides {
    /// Applies the overrides to the new table's definition.
    pub fn apply(self, def: &mut TableDef) -> Result<()> {
        if let Some(list) = &self.gsis {
            keep(def, list, false, "GlobalSecondaryIndexOverride")?;
        }
        if let Some(list) = &self.lsis {
            keep(def, list, true, "LocalSecondaryIndexOverride")?;
        }
        if let Some(sse) = self.sse {
            def.sse_kms_key_arn = sse.into_arn();
        }
        if let Some(o) = self.on_demand {
            def.on_demand = Some(o);
        }
        unused_definitions_dropped(def);
        Ok(())
    }
}

/// Keeps the `local` (or global) indexes `list` names, with their projection and
/// throughput as given; each must be one of the source's, with the same key schema.
fn keep(def: &mut TableDef, list: &[RawIndex], local: bool, member: &str) -> Result<()> {
    let mut kept = Vec::new();
    for ix in list {
        let schema = check_key_schema(&ix.keys, &def.attribute_definitions)?;
        let existing = def.indexes.iter().find(|i| i.name == ix.name && i.local == local);
        let Some(existing) = existing.filter(|e| e.schema == schema) else {
            return Err(Error::invalid_parameter(format!(
                "{member} must list indexes of the source table with their key schema; {} is not one",
                ix.name
            )));
        };
        let mut index = existing.clone();
        index.projection = build_projection(ix)?;
        if !local && ix.throughput.is_some() {
            index.throughput = ix.throughput;
        }
        kept.push(index);
    }
    def.indexes.retain(|i| i.local != local);
    def.indexes.extend(kept);
    Ok(())
}

/// Attribute definitions no key of the table or its indexes uses any more.
fn unused_definitions_dropped(def: &mut TableDef) {
    let used: Vec<String> =
        def.schema.names().chain(def.indexes.iter().flat_map(|i| i.schema.names())).map(str::to_string).collect();
    def.attribute_definitions.retain(|(n, _)| used.contains(n));
}
