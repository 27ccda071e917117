//! CreateTable: validates the key schema, attribute definitions, billing and indexes as
//! AWS does, then creates the table in CREATING (ACTIVE once the engine clock passes the
//! configured delay).
//!
//! Extension: `"DynaplayTeachingScale": n` divides the partition limits by `n` for this
//! table (see `table::partition`). AWS ignores unknown members, so requests that use it
//! are still valid DynamoDB requests.

use serde_json::{json, Value};

use super::describe::table_description;
use super::stream_spec;
use super::table_request::*;
use super::table_settings::{read_on_demand, read_sse, uuid_from, Sse};
use super::tags::read_tags;
use crate::engine::Engine;
use crate::error::{Error, ErrorKind, Result};
use crate::request::{enums, Input, Violations};
use crate::table::{
    BillingMode, IndexDef, KeySchema, Partitions, ScalarType, Table, TableDef, TableStatus, Throughput,
    MAX_TEACHING_SCALE,
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

fn read_attribute_definitions(input: &Input, v: &mut Violations) -> Result<Vec<(String, ScalarType)>> {
    let attr_list = input.array("AttributeDefinitions")?;
    v.not_null(attr_list, "attributeDefinitions");
    let mut defs: Vec<(String, ScalarType)> = Vec::new();
    for (i, e) in attr_list.into_iter().flatten().enumerate() {
        let at = format!("attributeDefinitions.{}.member", i + 1);
        let (name, ty) = read_attribute_and(e, &at, ("AttributeType", "attributeType"), enums::SCALAR_TYPE, v)?;
        if let (Some(n), Some(t)) = (name, ty.and_then(ScalarType::parse)) {
            defs.push((n.to_string(), t));
        }
    }
    Ok(defs)
}

fn read_indexes(input: &Input, member: &str, path: &str, global: bool, v: &mut Violations) -> Result<Vec<RawIndex>> {
    let Some(list) = input.array(member)? else { return Ok(Vec::new()) };
    list.iter().enumerate().map(|(i, e)| read_index(e, &format!("{path}.{}.member", i + 1), global, v)).collect()
}

/// A CreateTable request, read and model-validated.
struct Request<'a> {
    name: &'a str,
    keys: RawKeySchema,
    defs: Vec<(String, ScalarType)>,
    billing: BillingMode,
    throughput: Option<Throughput>,
    lsis: Vec<RawIndex>,
    gsis: Vec<RawIndex>,
    table_class: Option<&'a str>,
    deletion_protection: bool,
    sse: Option<Sse>,
    on_demand: Option<crate::table::OnDemand>,
    tags: std::collections::BTreeMap<String, String>,
    scale: Option<u64>,
}

fn read_request<'a>(engine: &Engine, input: &Input<'a>) -> Result<Request<'a>> {
    let mut v = Violations::new();
    let defs = read_attribute_definitions(input, &mut v)?;
    let name = input.str("TableName")?;
    v.name(name, "tableName", true);
    let keys = read_key_schema(input.array("KeySchema")?, "keySchema", &mut v)?;
    v.not_null(keys.as_ref(), "keySchema");
    let billing = input.str("BillingMode")?;
    v.one_of(billing, "billingMode", enums::BILLING_MODE);
    let throughput = read_throughput(input.object("ProvisionedThroughput")?, "provisionedThroughput", &mut v)?;
    let lsis = read_indexes(input, "LocalSecondaryIndexes", "localSecondaryIndexes", false, &mut v)?;
    let gsis = read_indexes(input, "GlobalSecondaryIndexes", "globalSecondaryIndexes", true, &mut v)?;
    let table_class = input.str("TableClass")?;
    v.one_of(table_class, "tableClass", enums::TABLE_CLASS);
    let deletion_protection = input.bool("DeletionProtectionEnabled")?.unwrap_or(false);
    let sse = read_sse(engine, input, &mut v)?;
    let on_demand = read_on_demand(input, None)?;
    let tags = read_tags(input, "tags", &mut v)?.unwrap_or_default();
    let scale = teaching_scale(input)?;
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
    Ok(Request {
        name,
        keys,
        defs,
        billing,
        throughput,
        lsis,
        gsis,
        table_class,
        deletion_protection,
        sse,
        on_demand,
        tags,
        scale,
    })
}

/// The table's throughput: none for on-demand, required for provisioned.
fn resolve_throughput(billing: BillingMode, throughput: Option<Throughput>) -> Result<Throughput> {
    match (billing, throughput) {
        (BillingMode::PayPerRequest, Some(_)) => Err(Error::invalid_parameter(
            "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST",
        )),
        (BillingMode::PayPerRequest, None) => Ok(Throughput { read: 0, write: 0 }),
        (BillingMode::Provisioned, None) => Err(Error::invalid_parameter(
            "ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED",
        )),
        (BillingMode::Provisioned, Some(t)) => check_bounds(t).map(|_| t),
    }
}

/// The local indexes, checked against the table's key schema in AWS's order.
fn local_indexes(req: &Request, given: bool, schema: &KeySchema) -> Result<Vec<IndexDef>> {
    if given {
        if req.lsis.is_empty() {
            return Err(Error::invalid_parameter("List of LocalSecondaryIndexes is empty"));
        }
        if schema.range.is_none() {
            return Err(Error::invalid_parameter(
                "Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex",
            ));
        }
    }
    let mut indexes: Vec<IndexDef> = Vec::new();
    for ix in &req.lsis {
        let ischema = check_key_schema(&ix.keys, &req.defs)?;
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
    if req.lsis.len() > 5 {
        return Err(Error::invalid_parameter("Number of LocalSecondaryIndexes exceeds per-table limit of 5"));
    }
    Ok(indexes)
}

/// The global indexes, appended to `indexes` (names are unique across both kinds).
fn global_indexes(req: &Request, given: bool, indexes: &mut Vec<IndexDef>) -> Result<()> {
    if given && req.gsis.is_empty() {
        return Err(Error::invalid_parameter("List of GlobalSecondaryIndexes is empty"));
    }
    for ix in &req.gsis {
        let ischema = check_key_schema(&ix.keys, &req.defs)?;
        let projection = build_projection(ix)?;
        match (req.billing, ix.throughput) {
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
    if req.gsis.len() > 20 {
        return Err(Error::invalid_parameter("GlobalSecondaryIndex count exceeds the per-table limit of 20"));
    }
    Ok(())
}

/// The key schema and indexes, every attribute definition used by one of them.
fn resolve_keys(req: &Request, input: &Input) -> Result<(KeySchema, Vec<IndexDef>)> {
    let mismatch = || {
        Error::invalid_parameter(
            "Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions",
        )
    };
    if req.keys.len() > req.defs.len() {
        return Err(Error::validation("Invalid KeySchema: Some index key attribute have no definition"));
    }
    let schema = check_key_schema(&req.keys, &req.defs)?;
    let lsis_given = input.raw("LocalSecondaryIndexes").is_some();
    if req.lsis.is_empty() && req.gsis.is_empty() && req.keys.len() != req.defs.len() && !lsis_given {
        return Err(mismatch());
    }
    let mut indexes = local_indexes(req, lsis_given, &schema)?;
    global_indexes(req, input.raw("GlobalSecondaryIndexes").is_some(), &mut indexes)?;
    let used: Vec<&str> = schema.names().chain(indexes.iter().flat_map(|i| i.schema.names())).collect();
    if req.defs.iter().any(|(d, _)| !used.contains(&d.as_str())) {
        return Err(mismatch());
    }
    Ok((schema, indexes))
}

pub fn run(engine: &mut Engine, input: Input, trace: &mut Trace) -> Result<Value> {
    if input.raw("TableName").is_none() {
        return Err(Error::validation("The parameter 'TableName' is required but was not present in the request"));
    }
    let mut v = Violations::new();
    let spec = stream_spec::read(&input, &mut v)?;
    v.finish()?;
    let stream = stream_spec::check_create(spec)?;
    let req = read_request(engine, &input)?;
    let throughput = resolve_throughput(req.billing, req.throughput)?;
    let (schema, indexes) = resolve_keys(&req, &input)?;
    let name = req.name;
    if engine.tables.contains_key(name) {
        return Err(Error::new(ErrorKind::ResourceInUse, format!("Table already exists: {name}")));
    }
    let now = engine.now_ms;
    let scale = req.scale.unwrap_or(engine.config.default_teaching_scale);
    let partition_count = match req.billing {
        BillingMode::Provisioned => Partitions::for_throughput(throughput.read, throughput.write, scale),
        BillingMode::PayPerRequest => 1,
    };
    let def = TableDef {
        name: name.to_string(),
        schema,
        attribute_definitions: req.defs,
        billing: req.billing,
        billing_summary_ms: (req.billing == BillingMode::PayPerRequest).then_some(now),
        throughput,
        throughput_changes: Default::default(),
        indexes,
        stream,
        deletion_protection: req.deletion_protection,
        table_class: req.table_class.map(str::to_string),
        sse_kms_key_arn: req.sse.and_then(Sse::into_arn),
        on_demand: req.on_demand,
        tags: req.tags,
        created_ms: now,
        table_id: uuid_from(name, now),
        ttl: Default::default(),
        restored: None,
    };
    let mut table = Table::new(def, Partitions::new(partition_count, scale, now));
    table.status = TableStatus::Creating;
    table.status_until_ms = Some(now.saturating_add(engine.config.create_delay_ms));
    engine.tables.insert(name.to_string(), table);
    if stream.is_some() {
        stream_spec::apply(engine, name, stream);
    }
    trace.tables_changed.insert(name.to_string());
    let t = engine.tables.get(name).ok_or_else(|| Error::table_not_found(name))?;
    Ok(json!({ "TableDescription": table_description(engine, t) }))
}
