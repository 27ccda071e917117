//! The scan-capacity view's model: the Scan or Query a form describes, and a read run page
//! by page over one or more parallel-scan segments, with each page's facts and the totals.

use dynaplay_engine::inspect::{read_receipt, ReadReceipt};
use dynaplay_engine::table::KeyValue;
use dynaplay_engine::value::item_from_json;
use serde_json::{json, Map, Value};

use super::Outcome;
use crate::convert::from_plain;

/// A run stops after this many pages, whatever happens.
pub const MAX_PAGES: usize = 2000;
/// The most segments the form allows.
pub const MAX_SEGMENTS: u64 = 16;

/// What one page cost, all read from the engine's response and trace.
#[derive(Clone, Debug, PartialEq)]
pub struct PageFacts {
    pub segment: u64,
    pub evaluated: u64,
    pub returned: u64,
    pub bytes: usize,
    pub receipt: ReadReceipt,
    pub consumed: Option<f64>,
    /// Which replica served the page (eventually consistent reads), and whether it was
    /// stale.
    pub replica: Option<String>,
}

impl PageFacts {
    fn of(segment: u64, o: &Outcome) -> PageFacts {
        let read = o.read();
        PageFacts {
            segment,
            evaluated: o.body["ScannedCount"].as_u64().unwrap_or(0),
            returned: o.body["Count"].as_u64().unwrap_or(0),
            bytes: read.bytes,
            receipt: read_receipt(read.bytes, o.read_mode()),
            consumed: o.consumed(),
            replica: o.replica_note(),
        }
    }
}

/// The sums over a run's pages.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Totals {
    pub pages: usize,
    pub evaluated: u64,
    pub returned: u64,
    pub bytes: usize,
    pub units: f64,
}

/// One segment's place in a run.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Cursor {
    /// The next `ExclusiveStartKey`.
    pub start: Option<Value>,
    pub done: bool,
    /// The hash of the partition key the segment has read up to (its LastEvaluatedKey).
    pub reached: Option<u64>,
}

/// A read in progress: where each segment is, and the pages so far.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RunState {
    pub total: u64,
    pub cursors: Vec<Cursor>,
    pub pages: Vec<PageFacts>,
    /// Why the last page failed: the run stops there, and nothing after it is drawn.
    pub error: Option<String>,
}

impl RunState {
    pub fn new(total: u64) -> RunState {
        let total = total.clamp(1, MAX_SEGMENTS);
        RunState { total, cursors: vec![Cursor::default(); total as usize], pages: Vec::new(), error: None }
    }

    pub fn finished(&self) -> bool {
        self.cursors.iter().all(|c| c.done) || self.pages.len() >= MAX_PAGES
    }

    /// Whether a run of `total` segments can carry on from here.
    pub fn can_continue(&self, total: u64) -> bool {
        self.total == total && !self.finished() && self.error.is_none()
    }

    /// The pages segment `segment` has read.
    pub fn pages_of(&self, segment: u64) -> impl Iterator<Item = &PageFacts> {
        self.pages.iter().filter(move |p| p.segment == segment)
    }

    /// The next page to read: the unfinished segment with the fewest pages, as a request
    /// made from `base`.
    pub fn next(&self, base: &Value) -> Option<(u64, Value)> {
        if self.finished() || self.error.is_some() {
            return None;
        }
        let segment = (0..self.total)
            .filter(|&s| !self.cursors[s as usize].done)
            .min_by_key(|&s| (self.pages_of(s).count(), s))?;
        let mut request = base.clone();
        if self.total > 1 {
            request["Segment"] = json!(segment);
            request["TotalSegments"] = json!(self.total);
        }
        if let Some(k) = &self.cursors[segment as usize].start {
            request["ExclusiveStartKey"] = k.clone();
        }
        Some((segment, request))
    }

    /// Takes in the page segment `segment` read; `pk` is the table's partition key name.
    pub fn record(&mut self, segment: u64, o: &Outcome, pk: &str) {
        // A failed request read nothing and cost nothing: it is not a page.
        if let Some(e) = o.error_text() {
            self.error = Some(e);
            return;
        }
        self.pages.push(PageFacts::of(segment, o));
        let last = o.body.get("LastEvaluatedKey").cloned();
        let reached = last
            .as_ref()
            .and_then(|k| item_from_json(k).ok())
            .and_then(|k| k.get(pk).and_then(KeyValue::from_attribute))
            .map(|k| k.hash());
        if let Some(c) = self.cursors.get_mut(segment as usize) {
            *c = Cursor { done: last.is_none(), start: last, reached };
        }
    }

    pub fn totals(&self) -> Totals {
        sum(self.pages.iter())
    }
}

/// The totals of some pages.
pub fn sum<'a>(pages: impl Iterator<Item = &'a PageFacts>) -> Totals {
    pages.fold(Totals::default(), |t, p| Totals {
        pages: t.pages + 1,
        evaluated: t.evaluated + p.evaluated,
        returned: t.returned + p.returned,
        bytes: t.bytes + p.bytes,
        units: t.units + p.consumed.unwrap_or(0.0),
    })
}

/// The form: Scan or Query, the partition key (Query), the filter with its names and
/// values, Limit, segments (Scan) and consistency.
#[derive(Clone, Debug, PartialEq)]
pub struct ReadForm {
    pub operation: String,
    pub pk: String,
    pub filter: String,
    /// `#name` placeholders as JSON, for reserved words (`{"#t": "total"}`).
    pub names: String,
    /// The filter's values as plain JSON.
    pub values: String,
    pub limit: String,
    pub segments: String,
    pub consistent: bool,
}

impl Default for ReadForm {
    fn default() -> ReadForm {
        ReadForm {
            operation: "Scan".into(),
            pk: String::new(),
            filter: String::new(),
            names: "{}".into(),
            values: "{}".into(),
            limit: String::new(),
            segments: "1".into(),
            consistent: false,
        }
    }
}

/// A read to run: the operation, the request every page starts from, and the segments.
#[derive(Clone, Debug, PartialEq)]
pub struct ReadPlan {
    pub operation: String,
    pub base: Value,
    pub segments: u64,
}

impl ReadForm {
    /// The read the form describes on `table` (partition key `pk_name` of type `pk_type`);
    /// `with_filter` and `strong` let a comparison vary one thing at a time.
    pub fn plan(&self, table: &str, pk: (&str, &str), with_filter: bool, strong: bool) -> Result<ReadPlan, String> {
        let mut names = Map::new();
        let mut values = Map::new();
        let mut base = json!({"TableName": table, "ReturnConsumedCapacity": "TOTAL", "ConsistentRead": strong});
        let query = self.operation == "Query";
        if query {
            names.insert("#pk".into(), json!(pk.0));
            values.insert(":pk".into(), json!({ pk.1: self.pk }));
            base["KeyConditionExpression"] = json!("#pk = :pk");
        }
        if with_filter && !self.filter.trim().is_empty() {
            base["FilterExpression"] = json!(self.filter);
            names.extend(self.filter_names()?);
            let typed: Value =
                serde_json::from_str(&self.values).map_err(|e| format!("The filter values are not valid JSON: {e}"))?;
            if let Value::Object(m) = from_plain(&typed)? {
                values.extend(m);
            }
        }
        if !names.is_empty() {
            base["ExpressionAttributeNames"] = Value::Object(names);
        }
        if !values.is_empty() {
            base["ExpressionAttributeValues"] = Value::Object(values);
        }
        super::set_limit(&mut base, &self.limit)?;
        let segments = if query { 1 } else { self.segments()? };
        Ok(ReadPlan { operation: self.operation.clone(), base, segments })
    }

    fn filter_names(&self) -> Result<Map<String, Value>, String> {
        let names: Value =
            serde_json::from_str(&self.names).map_err(|e| format!("The attribute names are not valid JSON: {e}"))?;
        match names {
            Value::Object(m) => Ok(m),
            _ => Err("The attribute names must be a JSON object, such as {\"#t\": \"total\"}".into()),
        }
    }

    /// The number of segments, within 1 to [`MAX_SEGMENTS`].
    pub fn segments(&self) -> Result<u64, String> {
        let n: u64 = self.segments.trim().parse().map_err(|_| "Segments must be a whole number".to_string())?;
        Ok(n.clamp(1, MAX_SEGMENTS))
    }

    /// The three reads the comparison runs: without and with the filter, eventually
    /// consistent, and without it strongly consistent.
    pub fn comparison(&self, table: &str, pk: (&str, &str)) -> Result<Vec<(&'static str, ReadPlan)>, String> {
        if self.filter.trim().is_empty() {
            return Err(
                "Add a FilterExpression (for example: attribute_exists(#missing) or price > :p) to compare.".into()
            );
        }
        [
            ("Without the filter, eventually consistent", false, false),
            ("With the filter, eventually consistent", true, false),
            ("Without the filter, strongly consistent", false, true),
        ]
        .into_iter()
        .map(|(label, with_filter, strong)| self.plan(table, pk, with_filter, strong).map(|p| (label, p)))
        .collect()
    }
}

#[cfg(test)]
mod tests;
