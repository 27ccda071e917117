//! CreateTable: validates the key schema, attribute definitions, billing and indexes as
//! AWS does, then creates the table in CREATING (ACTIVE once the engine clock passes the
//! configured delay).
//!
//! Extension: `"DynaplayTeachingScale": n` divides the partition limits by `n` for this
//! table (see `table::partition`). AWS ignores unknown members, so requests that use it
//! are still valid DynamoDB requests.

use md5::{Digest, Md5};
use serde_json::{json, Value};

use super::describe::table_description;
use super::table_settings::{read_on_demand, read_sse, Sse};
use super::tags::read_tags;
use crate::engine::Engine;
use crate::error::{Error, ErrorKind, Result};
use crate::request::{enums, Input, Violations};
use crate::table::{
    BillingMode, IndexDef, KeyDef, KeySchema, Partitions, Projection, ScalarType, Table, TableDef, TableStatus,
    Throughput, MAX_TEACHING_SCALE,
};
use crate::trace::Trace;

/// A key schema as written: (attribute name, key type) pairs.
type RawKeySchema = Vec<(String, String)>;

pub fn read_key_schema(list: Option<&Vec<Value>>, path: &str, v: &mut Violations) -> Result<Option<RawKeySchema>> {
    let Some(list) = list else { return Ok(None) };
    // Echoed as AWS's Java validator prints the list.
    let shown: Vec<String> = list
        .iter()
        .map(|e| {
            let field = |k: &str| e.get(k).and_then(Value::as_str).unwrap_or("null").to_string();
            format!("KeySchemaElement(attributeName={}, keyType={})", field("AttributeName"), field("KeyType"))
        })
        .collect();
    v.length(Some(list.len()), &format!("[{}]", shown.join(", ")), path, 1, Some(2));
    let mut out = Vec::new();
    for (i, e) in list.iter().enumerate() {
        let e = Input::new(e)?;
        let name = e.str("AttributeName")?;
        let kind = e.str("KeyType")?;
        let at = format!("{path}.{}.member", i + 1);
        v.not_null(name, &format!("{at}.attributeName"));
        if let Some(n) = name {
            v.length(Some(n.len()), n, &format!("{at}.attributeName"), 1, Some(255));
        }
        v.not_null(kind, &format!("{at}.keyType"));
        v.one_of(kind, &format!("{at}.keyType"), enums::KEY_TYPE);
        out.push((name.unwrap_or_default().to_string(), kind.unwrap_or_default().to_string()));
    }
    Ok(Some(out))
}

pub fn read_throughput(input: Option<Input>, path: &str, v: &mut Violations) -> Result<Option<Throughput>> {
    let Some(t) = input else { return Ok(None) };
    let read = t.int("ReadCapacityUnits")?;
    let write = t.int("WriteCapacityUnits")?;
    v.not_null(write, &format!("{path}.writeCapacityUnits"));
    v.range(write, &format!("{path}.writeCapacityUnits"), 1, None);
    v.not_null(read, &format!("{path}.readCapacityUnits"));
    v.range(read, &format!("{path}.readCapacityUnits"), 1, None);
    Ok(Some(Throughput { read: read.unwrap_or(0), write: write.unwrap_or(0) }))
}

/// The refusal of a parameter whose feature Dynaplay has not built yet: never accepted
/// and silently ignored.
pub fn not_built(parameter: &str, feature: &str) -> Error {
    Error::validation(format!(
        "Dynaplay does not support {feature} yet, so {parameter} is refused rather than ignored (see the README)"
    ))
}

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

/// AWS's ceiling on a table's provisioned throughput value (dynalite's captures).
pub fn check_bounds(t: Throughput) -> Result<()> {
    for (which, value) in [("ReadCapacityUnits", t.read), ("WriteCapacityUnits", t.write)] {
        if value > 1_000_000_000_000 {
            return Err(Error::validation(format!("Given value {value} for {which} is out of bounds")));
        }
    }
    Ok(())
}

pub fn read_projection(
    p: Option<Input>,
    path: &str,
    v: &mut Violations,
) -> Result<(Option<String>, Option<Vec<String>>)> {
    v.not_null(p.map(|_| ()), path);
    let Some(p) = p else { return Ok((None, None)) };
    let kind = p.str("ProjectionType")?;
    v.one_of(kind, &format!("{path}.projectionType"), enums::PROJECTION_TYPE);
    let attrs = match p.array("NonKeyAttributes")? {
        Some(a) => {
            v.length(Some(a.len()), "[]", &format!("{path}.nonKeyAttributes"), 1, Some(20));
            Some(
                a.iter()
                    .map(|x| crate::value::json_string(x, "String").map(str::to_string))
                    .collect::<Result<Vec<_>>>()?,
            )
        }
        None => None,
    };
    Ok((kind.map(str::to_string), attrs))
}

/// A raw index from the request.
pub struct RawIndex {
    pub name: String,
    pub keys: RawKeySchema,
    pub projection: (Option<String>, Option<Vec<String>>),
    pub throughput: Option<Throughput>,
}

pub fn read_index(e: &Value, path: &str, global: bool, v: &mut Violations) -> Result<RawIndex> {
    let e = Input::new(e)?;
    let name = e.str("IndexName")?;
    v.name(name, &format!("{path}.indexName"), true);
    let keys = read_key_schema(e.array("KeySchema")?, &format!("{path}.keySchema"), v)?;
    v.not_null(keys.as_ref(), &format!("{path}.keySchema"));
    let projection = read_projection(e.object("Projection")?, &format!("{path}.projection"), v)?;
    let throughput = if global {
        read_throughput(e.object("ProvisionedThroughput")?, &format!("{path}.provisionedThroughput"), v)?
    } else {
        None
    };
    Ok(RawIndex { name: name.unwrap_or_default().into(), keys: keys.unwrap_or_default(), projection, throughput })
}

/// Checks a key schema's shape, returning AWS's message for the first problem.
pub fn check_key_schema(keys: &RawKeySchema, defs: &[(String, ScalarType)]) -> Result<KeySchema> {
    let names: Vec<&str> = keys.iter().map(|(n, _)| n.as_str()).collect();
    let def_names: Vec<&str> = defs.iter().map(|(n, _)| n.as_str()).collect();
    if names.iter().any(|n| !def_names.contains(n)) {
        return Err(Error::invalid_parameter(format!(
            "Some index key attributes are not defined in AttributeDefinitions. Keys: [{}], AttributeDefinitions: [{}]",
            names.join(", "),
            def_names.join(", ")
        )));
    }
    if let [(a, _), (b, _)] = keys.as_slice() {
        if a == b {
            return Err(Error::validation(
                "Both the Hash Key and the Range Key element in the KeySchema have the same name",
            ));
        }
    }
    let ty = |n: &str| defs.iter().find(|(d, _)| d == n).map_or(ScalarType::S, |(_, t)| *t);
    let mut it = keys.iter();
    let Some((hash, hash_kind)) = it.next() else {
        return Err(Error::validation("Invalid KeySchema: The first KeySchemaElement is not a HASH key type"));
    };
    if hash_kind != "HASH" {
        return Err(Error::validation("Invalid KeySchema: The first KeySchemaElement is not a HASH key type"));
    }
    let range = match it.next() {
        Some((r, kind)) if kind == "RANGE" => Some(KeyDef { name: r.clone(), ty: ty(r) }),
        Some(_) => {
            return Err(Error::validation("Invalid KeySchema: The second KeySchemaElement is not a RANGE key type"))
        }
        None => None,
    };
    Ok(KeySchema { hash: KeyDef { name: hash.clone(), ty: ty(hash) }, range })
}

pub fn build_projection(index: &RawIndex) -> Result<Projection> {
    let (kind, attrs) = &index.projection;
    let kind = kind.as_deref().ok_or_else(|| Error::invalid_parameter("Unknown ProjectionType: null"))?;
    if attrs.is_some() && kind != "INCLUDE" {
        return Err(Error::invalid_parameter(format!("ProjectionType is {kind}, but NonKeyAttributes is specified")));
    }
    Ok(match kind {
        "ALL" => Projection::All,
        "KEYS_ONLY" => Projection::KeysOnly,
        _ => match attrs {
            Some(a) if !a.is_empty() => Projection::Include(a.clone()),
            _ => {
                return Err(Error::invalid_parameter(
                    "ProjectionType is INCLUDE, but NonKeyAttributes is not specified",
                ))
            }
        },
    })
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

/// A UUID-shaped id derived from a name and a time, so replays agree.
pub fn uuid_from(name: &str, now_ms: u64) -> String {
    let mut h = Md5::new();
    h.update(name.as_bytes());
    h.update(now_ms.to_be_bytes());
    let d: Vec<String> = h.finalize().iter().map(|b| format!("{b:02x}")).collect();
    let hex = d.concat();
    let part = |a: usize, b: usize| hex.get(a..b).unwrap_or("");
    format!("{}-{}-{}-{}-{}", part(0, 8), part(8, 12), part(12, 16), part(16, 20), part(20, 32))
}
