//! Reading the parts of a table definition that CreateTable and UpdateTable share: key
//! schemas, provisioned throughput and its bounds, index definitions and projections, and
//! the refusal of settings Dynaplay has not built yet.

use serde_json::Value;

use crate::error::{Error, Result};
use crate::request::{enums, Input, Violations};
use crate::table::{KeyDef, KeySchema, Projection, ScalarType, Throughput};

/// A key schema as written: (attribute name, key type) pairs.
pub type RawKeySchema = Vec<(String, String)>;

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
        let at = format!("{path}.{}.member", i + 1);
        let (name, kind) = read_attribute_and(e, &at, ("KeyType", "keyType"), enums::KEY_TYPE, v)?;
        out.push((name.unwrap_or_default().to_string(), kind.unwrap_or_default().to_string()));
    }
    Ok(Some(out))
}

/// An `{AttributeName, <member>}` pair at `at` (a key schema element or an attribute
/// definition): the name 1-255 long, the member required and one of `allowed`.
pub fn read_attribute_and<'a>(
    e: &'a Value,
    at: &str,
    (member, member_path): (&str, &str),
    allowed: &[&str],
    v: &mut Violations,
) -> Result<(Option<&'a str>, Option<&'a str>)> {
    let e = Input::new(e)?;
    let name = e.str("AttributeName")?;
    let other = e.str(member)?;
    v.not_null(name, &format!("{at}.attributeName"));
    if let Some(n) = name {
        v.length(Some(n.len()), n, &format!("{at}.attributeName"), 1, Some(255));
    }
    v.not_null(other, &format!("{at}.{member_path}"));
    v.one_of(other, &format!("{at}.{member_path}"), allowed);
    Ok((name, other))
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
