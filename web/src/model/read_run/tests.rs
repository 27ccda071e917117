use super::*;
use dynaplay_engine::Engine;

fn orders(n: usize) -> Engine {
    let mut e = crate::model::engine_with_table("Orders", &[("id", "S")]);
    for i in 0..n {
        let put = json!({"TableName": "Orders", "Item": {"id": {"S": format!("o{i}")}, "total": {"N": i.to_string()}}});
        assert_eq!(e.request("PutItem", put.to_string().as_bytes(), 0).status, 200);
    }
    e
}

/// Runs `plan` to the end against `engine`, as the view does against the page's engine.
fn run_all(engine: &mut Engine, plan: &ReadPlan) -> RunState {
    let mut state = RunState::new(plan.segments);
    while let Some((segment, request)) = state.next(&plan.base) {
        let response = engine.request(&plan.operation, request.to_string().as_bytes(), 0);
        state.record(segment, &Outcome::of(request, response), "id");
    }
    state
}

#[test]
fn a_parallel_scan_reads_every_item_once_page_by_page() {
    let mut e = orders(30);
    let form = ReadForm { limit: "4".into(), segments: "3".into(), ..ReadForm::default() };
    let plan = form.plan("Orders", ("id", "S"), true, false).unwrap();
    assert_eq!(plan.segments, 3);
    let state = run_all(&mut e, &plan);
    assert!(state.finished() && state.error.is_none());
    let t = state.totals();
    assert_eq!((t.evaluated, t.returned), (30, 30));
    assert!(state.cursors.iter().all(|c| c.done && c.start.is_none()));
    let per_segment: u64 = (0..3).map(|s| sum(state.pages_of(s)).evaluated).sum();
    assert_eq!(per_segment, 30);
    // Every page is charged what its receipt says.
    for p in &state.pages {
        assert_eq!(Some(p.receipt.units), p.consumed);
    }
}

#[test]
fn a_filter_shrinks_what_comes_back_not_what_is_read() {
    let mut e = orders(12);
    let form = ReadForm {
        filter: "#t >= :min".into(),
        names: r##"{"#t": "total"}"##.into(),
        values: r#"{":min": 10}"#.into(),
        ..ReadForm::default()
    };
    let plans = form.comparison("Orders", ("id", "S")).unwrap();
    let totals: Vec<Totals> = plans.iter().map(|(_, p)| run_all(&mut e, p).totals()).collect();
    assert_eq!((totals[0].returned, totals[1].returned), (12, 2));
    assert_eq!(totals[0].bytes, totals[1].bytes);
    assert_eq!(totals[0].units, totals[1].units);
    assert_eq!(totals[2].units, totals[0].units * 2.0, "strongly consistent reads cost twice as much");
}

#[test]
fn a_failed_page_stops_the_run_and_is_not_a_page() {
    let mut e = orders(3);
    let form = ReadForm { filter: "total >".into(), ..ReadForm::default() };
    let state = run_all(&mut e, &form.plan("Orders", ("id", "S"), true, false).unwrap());
    assert!(state.pages.is_empty());
    assert!(state.error.unwrap().starts_with("ValidationException: Invalid FilterExpression"));
}

#[test]
fn the_form_refuses_what_it_cannot_send() {
    let form = ReadForm { operation: "Query".into(), pk: "o1".into(), segments: "x".into(), ..ReadForm::default() };
    let q = form.plan("Orders", ("id", "S"), true, true).unwrap();
    assert_eq!(q.segments, 1, "a Query has one segment whatever the form says");
    assert_eq!(q.base["ExpressionAttributeValues"], json!({":pk": {"S": "o1"}}));
    let scan = ReadForm { segments: "x".into(), ..ReadForm::default() };
    assert_eq!(scan.plan("T", ("id", "S"), true, false), Err("Segments must be a whole number".into()));
    let names = ReadForm { filter: "a = :a".into(), names: "[]".into(), ..ReadForm::default() };
    assert!(names.plan("T", ("id", "S"), true, false).unwrap_err().starts_with("The attribute names must be"));
    assert!(ReadForm::default().comparison("T", ("id", "S")).unwrap_err().starts_with("Add a FilterExpression"));
    assert_eq!(ReadForm { segments: "99".into(), ..ReadForm::default() }.segments(), Ok(16));
}
