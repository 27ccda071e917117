//! Scan: the whole table or index in storage order (partition-key hash order), one page
//! at a time; a parallel scan's segment N of T reads the N-th of T equal slices of the
//! hash space, so every item falls in exactly one segment.

use std::ops::Bound;

use super::common::*;
use super::legacy;
use super::paging::*;
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::expr::ast::{Condition, Path};
use crate::replica;
use crate::request::{Input, Violations};
use crate::table::{IndexKey, StoreKey};
use crate::trace::Trace;

/// The hash range `[start, end]` of segment `segment` of `total`.
pub fn segment_range(segment: u64, total: u64) -> (u64, u64) {
    let total = u128::from(total.max(1));
    let span = (u128::from(u64::MAX) + 1) / total;
    let rem = (u128::from(u64::MAX) + 1) % total;
    let s = u128::from(segment);
    // Spread the remainder over the first segments so the slices tile the space exactly.
    let start = s * span + s.min(rem);
    let len = span + u128::from(s < rem);
    let end = start + len - 1;
    (start as u64, end.min(u128::from(u64::MAX)) as u64)
}

/// The hash range a Scan reads: segment `Segment` of `TotalSegments`, or all of it.
fn segment_of(segment: Option<i64>, total: Option<i64>) -> Result<(u64, u64)> {
    match (segment, total) {
        (Some(_), None) => Err(Error::validation(
            "The TotalSegments parameter is required but was not present in the request when Segment parameter is present",
        )),
        (None, Some(_)) => Err(Error::validation(
            "The Segment parameter is required but was not present in the request when parameter TotalSegments is present",
        )),
        (Some(s), Some(t)) if s >= t => Err(Error::validation(format!(
            "The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: {s} is not less than TotalSegments: {t}"
        ))),
        (Some(s), Some(t)) => Ok(segment_range(s as u64, t as u64)),
        (None, None) => Ok((0, u64::MAX)),
    }
}

/// A Scan as read from the request, before the table is looked up.
struct ScanRequest<'a> {
    params: ReadParams<'a>,
    hashes: (u64, u64),
    filter: Option<Condition>,
    projection: Option<Vec<Path>>,
}

/// Reads and checks everything that does not need the table, in AWS's order.
fn read_request<'a>(input: &Input<'a>) -> Result<ScanRequest<'a>> {
    let mut v = Violations::new();
    let mut params = read_params(input, &mut v, Read::Scan)?;
    legacy::check_operators(input, &["ScanFilter"], &mut v)?;
    let segment = input.int("Segment")?;
    let total = input.int("TotalSegments")?;
    v.range(segment, "segment", 0, Some(999_999));
    v.range(total, "totalSegments", 1, Some(1_000_000));
    v.finish()?;
    no_mixing(
        input,
        &["AttributesToGet", "ScanFilter", "ConditionalOperator"],
        &["ProjectionExpression", "FilterExpression"],
    )?;
    placeholders_need_expressions(input, &["FilterExpression"], &["ProjectionExpression"])?;
    // AWS's order from here: AttributesToGet, ScanFilter, ExclusiveStartKey, the
    // segments, then the placeholders and expressions (mixing the two kinds was
    // refused above).
    let legacy_projection = input.attributes_to_get()?;
    let legacy_filter = legacy::conditions(input, "ScanFilter", input.str("ConditionalOperator")?)?;
    params.check_start_key()?;
    let hashes = segment_of(segment, total)?;
    let maps = placeholder_maps(input)?;
    let mut ph = maps.placeholders();
    let (filter, projection) = filter_and_projection(input, &mut ph)?;
    check_unused(&ph)?;
    Ok(ScanRequest { params, hashes, filter: filter.or(legacy_filter), projection: projection.or(legacy_projection) })
}

pub fn run(engine: &mut Engine, input: Input, trace: &mut Trace) -> Result<super::Answer> {
    let q = read_request(&input)?;
    let params = &q.params;
    let table = data_table(engine, params.table)?;
    let ix = index_of(table, params)?;
    check_select(params, ix, q.projection.is_some(), "Scanning")?;
    let start = start_position(table, ix, params.start_key.as_ref())?;
    let served = replica::choose(engine, params.table, params.index, params.consistent);
    let leader = data_table(engine, params.table)?;
    let view = replica::ReadView::of(engine, leader, served);
    let mut page = page_of(&view, &q, start.clone())?;
    page.read.served = served;
    page.read.stale = !view.is_leader() && page_of(&replica::ReadView::leader(leader), &q, start)?.items != page.items;
    let response = page_response(&page, params.select == Some("COUNT"), params.capacity);
    let Page { consumed, read, .. } = page;
    drop(view);
    crate::throttle::admit(engine, &consumed, crate::throttle::Dir::Read, None, trace)?;
    trace.consumed.push(consumed);
    record_read(engine, read, trace);
    Ok(response)
}

/// The page this Scan reads from `view` (the leader's table, or a replica's).
fn page_of<'v>(
    view: &'v replica::ReadView<'_>,
    q: &ScanRequest,
    start: Option<(StoreKey, Option<StoreKey>)>,
) -> Result<Page<'v>> {
    let table = view.leader;
    let ix = index_of(table, &q.params)?;
    let spec = PageSpec::new(table, ix, &q.params, q.filter.as_ref(), q.projection.as_deref());
    Ok(read_hashes(&spec, view, q.hashes, start))
}

/// One page of the table or index `spec` reads (as `view` holds it), in storage order
/// over hashes `lo..=hi`, from just past `start`.
fn read_hashes<'v>(
    spec: &PageSpec<'v, '_>,
    view: &'v replica::ReadView<'_>,
    (lo, hi): (u64, u64),
    start: Option<(StoreKey, Option<StoreKey>)>,
) -> Page<'v> {
    match spec.index {
        None => {
            let lower = match start {
                Some((k, _)) => Bound::Excluded(k),
                None => Bound::Included(StoreKey::first_with_hash(lo)),
            };
            let upper =
                hi.checked_add(1).map_or(Bound::Unbounded, |past| Bound::Excluded(StoreKey::first_with_hash(past)));
            let entries = view.items_between(lower, upper, true);
            read_page(spec, entries.filter(move |(k, _)| k.hash >= lo && k.hash <= hi))
        }
        Some(ix) => {
            // The range of the index's map from just past `start` (or the first hash) to
            // past the last hash, read as far as the page goes.
            let least =
                |hash| IndexKey { key: StoreKey::first_with_hash(hash), table_key: StoreKey::first_with_hash(0) };
            let lower = match start {
                Some((tk, ik)) => Bound::Excluded(IndexKey { key: ik.unwrap_or_else(|| tk.clone()), table_key: tk }),
                None => Bound::Included(least(lo)),
            };
            let upper = hi.checked_add(1).map_or(Bound::Unbounded, |past| Bound::Excluded(least(past)));
            let entries = view
                .index_entries_between(&ix.name, lower, upper, true)
                .filter(move |(ik, _)| ik.key.hash >= lo && ik.key.hash <= hi)
                .filter_map(|(_, tk)| view.get(tk).map(|item| (tk.borrowed(), item)));
            read_page(spec, entries)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::segment_range;

    #[test]
    fn segments_tile_the_hash_space() {
        for total in [1u64, 2, 3, 7, 1000] {
            let mut next = 0u64;
            for s in 0..total {
                let (a, b) = segment_range(s, total);
                assert_eq!(a, next);
                if s + 1 < total {
                    next = b + 1;
                } else {
                    assert_eq!(b, u64::MAX);
                }
            }
        }
    }
}
