//! CreateTable: validates the key schema, attribute definitions, billing and indexes as
//! AWS does, then creates the table in CREATING (ACTIVE once the engine clock passes the
//! configured delay).
//!
//! Extension: `"DynaplayTeachingScale": n` divides the partition limits by `n` for this
//! table (see `table::partition`). AWS ignores unknown members, so requests that use it
//! are still valid DynamoDB requests.

use serde_json::{json, Value};

use super::describe::table_description;
use super::table_request::*;
use super::table_settings::{read_on_demand, read_sse, uuid_from, Sse};
use super::tags::read_tags;
use crate::engine::Engine;
use crate::error::{Error, ErrorKind, Result};
use crate::request::{enums, Input, Violations};
use crate::table::{
    BillingMode, IndexDef, Partitions, ScalarType, Table, TableDef, TableStatus, Throughput, MAX_TEACHING_SCALE,
};
use crate::trace::Trace;

/// `DynaplayTeachingScale`: a whole number from 1 to [`MAX_TEACHING_SCALE`]. Dynaplay's
/// own member, so the message is ours.
fn teaching_scale(input: &Input) -> Result<Option<u64>> {
    let Some(raw) = input.raw("DynaplayTeachingScale") else { return Ok(None) };
    match raw.as_u64() {
        Some(n) if (1..=MAX_TEACHING_SCALE).contains(&n) => Ok(Some(n)),
        _ => Err(Error::validation(format!(
            "DynaplayTeachingScale must be a whole number from 1 to {MAX_TEACHING_SCALE}; got {raw}"
        ))),
    }
}

pub fn run(engine: &mut Engine, input: Input, trace: &mut Trace) -> Result<Value> {
    if input.raw("TableName").is_none() {
        return Err(Error::validation("The parameter 'TableName' is required but was not present in the request"));
    }
    // Streams are not built yet: a contradictory specification gets AWS's message, and
    // an enabled stream is refused rather than accepted and ignored.
    if let Some(stream) = input.object("StreamSpecification")? {
        let enabled = stream.bool("StreamEnabled")?;
        if enabled == Some(false) && stream.raw("StreamViewType").is_some() {
            return Err(Error::invalid_parameter(
                "Table is being created with a stream disabled, UpdateViewType should not be specified",
            ));
        }
        if enabled == Some(true) {
            return Err(not_built("StreamSpecification", "DynamoDB Streams"));
        }
    }
    let mut v = Violations::new();
    let attr_list = input.array("AttributeDefinitions")?;
    v.not_null(attr_list, "attributeDefinitions");
    let mut defs: Vec<(String, ScalarType)> = Vec::new();
    for (i, e) in attr_list.into_iter().flatten().enumerate() {
        let e = Input::new(e)?;
        let name = e.str("AttributeName")?;
        let ty = e.str("AttributeType")?;
        let at = format!("attributeDefinitions.{}.member", i + 1);
        v.not_null(name, &format!("{at}.attributeName"));
        if let Some(n) = name {
            v.length(Some(n.len()), n, &format!("{at}.attributeName"), 1, Some(255));
        }
        v.not_null(ty, &format!("{at}.attributeType"));
        v.one_of(ty, &format!("{at}.attributeType"), enums::SCALAR_TYPE);
        if let (Some(n), Some(t)) = (name, ty.and_then(ScalarType::parse)) {
            defs.push((n.to_string(), t));
        }
    }
    let name = input.str("TableName")?;
    v.name(name, "tableName", true);
    let keys = read_key_schema(input.array("KeySchema")?, "keySchema", &mut v)?;
    v.not_null(keys.as_ref(), "keySchema");
    let billing = input.str("BillingMode")?;
    v.one_of(billing, "billingMode", enums::BILLING_MODE);
    let throughput = read_throughput(input.object("ProvisionedThroughput")?, "provisionedThroughput", &mut v)?;
    let mut lsis = Vec::new();
    if let Some(list) = input.array("LocalSecondaryIndexes")? {
        for (i, e) in list.iter().enumerate() {
            lsis.push(read_index(e, &format!("localSecondaryIndexes.{}.member", i + 1), false, &mut v)?);
        }
    }
    let mut gsis = Vec::new();
    if let Some(list) = input.array("GlobalSecondaryIndexes")? {
        for (i, e) in list.iter().enumerate() {
            gsis.push(read_index(e, &format!("globalSecondaryIndexes.{}.member", i + 1), true, &mut v)?);
        }
    }
    let table_class = input.str("TableClass")?;
    v.one_of(table_class, "tableClass", enums::TABLE_CLASS);
    let deletion_protection = input.bool("DeletionProtectionEnabled")?.unwrap_or(false);
    let sse = read_sse(engine, &input, &mut v)?;
    let on_demand = read_on_demand(&input, None)?;
    let tags = read_tags(&input, "tags", &mut v)?.unwrap_or_default();
    let scale = teaching_scale(&input)?;
    v.finish()?;
    let (Some(name), Some(keys)) = (name, keys) else {
        return Err(Error::validation("Invalid request"));
    };
    // One type per attribute: AWS refuses a name defined twice before anything else.
    if let Some((dup, _)) =
        defs.iter().enumerate().find_map(|(i, (n, _))| defs.iter().skip(i + 1).find(|(m, _)| m == n))
    {
        return Err(Error::validation(format!("Attribute Name is duplicated: {dup}")));
    }

    let billing =
        if billing == Some("PAY_PER_REQUEST") { BillingMode::PayPerRequest } else { BillingMode::Provisioned };
    let throughput =
        match (billing, throughput) {
            (BillingMode::PayPerRequest, Some(_)) => return Err(Error::invalid_parameter(
                "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST",
            )),
            (BillingMode::PayPerRequest, None) => Throughput { read: 0, write: 0 },
            (BillingMode::Provisioned, None) => {
                return Err(Error::invalid_parameter(
                    "ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED",
                ))
            }
            (BillingMode::Provisioned, Some(t)) => t,
        };
    check_bounds(throughput)?;
    if keys.len() > defs.len() {
        return Err(Error::validation("Invalid KeySchema: Some index key attribute have no definition"));
    }
    let schema = check_key_schema(&keys, &defs)?;
    if lsis.is_empty() && gsis.is_empty() && keys.len() != defs.len() && input.raw("LocalSecondaryIndexes").is_none() {
        return Err(Error::invalid_parameter(
            "Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions",
        ));
    }
    let mut indexes: Vec<IndexDef> = Vec::new();
    if input.raw("LocalSecondaryIndexes").is_some() {
        if lsis.is_empty() {
            return Err(Error::invalid_parameter("List of LocalSecondaryIndexes is empty"));
        }
        if schema.range.is_none() {
            return Err(Error::invalid_parameter(
                "Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex",
            ));
        }
    }
    for ix in &lsis {
        let ischema = check_key_schema(&ix.keys, &defs)?;
        if ischema.range.is_none() {
            return Err(Error::invalid_parameter(format!(
                "Index KeySchema does not have a range key for index: {}",
                ix.name
            )));
        }
        if ischema.hash.name != schema.hash.name {
            return Err(Error::invalid_parameter(format!(
                "Index KeySchema does not have the same leading hash key as table KeySchema for index: {}. index hash key: {}, table hash key: {}",
                ix.name, ischema.hash.name, schema.hash.name
            )));
        }
        let projection = build_projection(ix)?;
        if indexes.iter().any(|i| i.name == ix.name) {
            return Err(Error::invalid_parameter(format!("Duplicate index name: {}", ix.name)));
        }
        indexes.push(IndexDef { name: ix.name.clone(), schema: ischema, projection, local: true, throughput: None });
    }
    if lsis.len() > 5 {
        return Err(Error::invalid_parameter("Number of LocalSecondaryIndexes exceeds per-table limit of 5"));
    }
    if input.raw("GlobalSecondaryIndexes").is_some() && gsis.is_empty() {
        return Err(Error::invalid_parameter("List of GlobalSecondaryIndexes is empty"));
    }
    for ix in &gsis {
        let ischema = check_key_schema(&ix.keys, &defs)?;
        let projection = build_projection(ix)?;
        match (billing, ix.throughput) {
            (BillingMode::PayPerRequest, Some(_)) => {
                return Err(Error::invalid_parameter(format!(
                    "ProvisionedThroughput should not be specified for index: {} when BillingMode is PAY_PER_REQUEST",
                    ix.name
                )))
            }
            (BillingMode::Provisioned, None) => {
                return Err(Error::invalid_parameter(format!(
                    "ProvisionedThroughput must be specified for index: {}",
                    ix.name
                )))
            }
            _ => {}
        }
        if indexes.iter().any(|i| i.name == ix.name) {
            return Err(Error::invalid_parameter(format!("Duplicate index name: {}", ix.name)));
        }
        indexes.push(IndexDef {
            name: ix.name.clone(),
            schema: ischema,
            projection,
            local: false,
            throughput: ix.throughput,
        });
    }
    if gsis.len() > 20 {
        return Err(Error::invalid_parameter("GlobalSecondaryIndex count exceeds the per-table limit of 20"));
    }
    let used: Vec<&str> = schema.names().chain(indexes.iter().flat_map(|i| i.schema.names())).collect();
    if defs.iter().any(|(d, _)| !used.contains(&d.as_str())) {
        return Err(Error::invalid_parameter(
            "Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions",
        ));
    }

    if engine.tables.contains_key(name) {
        return Err(Error::new(ErrorKind::ResourceInUse, format!("Table already exists: {name}")));
    }
    let now = engine.now_ms;
    let scale = scale.unwrap_or(engine.config.default_teaching_scale);
    let partition_count = match billing {
        BillingMode::Provisioned => Partitions::for_throughput(throughput.read, throughput.write, scale),
        BillingMode::PayPerRequest => 1,
    };
    let def = TableDef {
        name: name.to_string(),
        schema,
        attribute_definitions: defs,
        billing,
        billing_summary_ms: (billing == BillingMode::PayPerRequest).then_some(now),
        throughput,
        throughput_changes: Default::default(),
        indexes,
        stream: None,
        deletion_protection,
        table_class: table_class.map(str::to_string),
        sse_kms_key_arn: sse.and_then(Sse::into_arn),
        on_demand,
        tags,
        created_ms: now,
        table_id: uuid_from(name, now),
    };
    let mut table = Table::new(def, Partitions::new(partition_count, scale, now));
    table.status = TableStatus::Creating;
    table.status_until_ms = Some(now.saturating_add(engine.config.create_delay_ms));
    let description = table_description(engine, &table);
    engine.tables.insert(name.to_string(), table);
    trace.tables_changed.insert(name.to_string());
    Ok(json!({ "TableDescription": description }))
}
