//! Replaying a scenario on an endpoint: its setup, then each step, compared with the
//! step's expectations. A step Dynaplay alone can make (its own operations, one made as
//! a simulated principal or in another region) is skipped and said so. Scenario time
//! does not pass there: steps go out as fast as the endpoint answers.
//!
//! What an endpoint makes up itself (ARNs, stream labels, shard IDs and iterators,
//! times) cannot equal what Dynaplay made: where an expectation quotes one, the
//! endpoint's own is taken instead, and carried into later requests that quote it.

use serde_json::Value;

use dynaplay_engine::scenario::{Scenario, Timed};

use super::{Answer, Endpoint};

/// How one request of the replay went.
pub enum Replayed {
    /// Status, answer and what differs from the expectation, if anything.
    Answered {
        status: u16,
        body: Value,
        difference: Option<String>,
    },
    Skipped(String),
}

/// Replays `scenario` on `endpoint`, handing each timeline entry's result to `each`, then
/// deletes its tables; what the clean-up could not delete.
pub fn replay(scenario: &Scenario, endpoint: &Endpoint, mut each: impl FnMut(&Timed, Replayed)) -> Vec<String> {
    let mut made: Vec<(String, String)> = Vec::new();
    for timed in scenario.timeline() {
        let result = match skip_reason(&timed) {
            Some(why) => Replayed::Skipped(why),
            None => {
                let mut body: Value = serde_json::from_str(&timed.body).unwrap_or(Value::Null);
                carry(&mut body, &made);
                match endpoint.call(&timed.operation, &body) {
                    Answer::Done(status, body) => {
                        let expect = timed.step.and_then(|i| scenario.steps.get(i)).and_then(|s| s.expect.clone());
                        let difference = match expect {
                            Some(mut expect) => {
                                expect.response = expect.response.map(|want| align(&want, &body, &mut made));
                                expect.mismatch(status, &body.to_string())
                            }
                            None => scenario.check(&timed, status, &body.to_string()),
                        };
                        Replayed::Answered { status, body, difference }
                    }
                    Answer::Skipped(why) => Replayed::Skipped(why),
                    Answer::Failed(why) => Replayed::Answered {
                        status: 0,
                        body: Value::Null,
                        difference: Some(format!("no answer: {why}")),
                    },
                }
            }
        };
        each(&timed, result);
    }
    endpoint.clean_up()
}

fn skip_reason(timed: &Timed) -> Option<String> {
    if let Some(principal) = &timed.principal {
        return Some(format!("made as {principal}, a principal only Dynaplay's IAM simulates"));
    }
    if let Some(region) = &timed.region {
        return Some(format!("made in the region {region}; one endpoint is one region"));
    }
    super::only_in_dynaplay(&timed.operation)
}

/// Keys whose values the endpoint makes up.
fn made_up(key: &str) -> bool {
    ["Arn", "Label", "ShardIterator", "ShardId", "DateTime", "Time"].iter().any(|end| key.ends_with(end))
}

/// `want` with each made-up value replaced by the answer's own, noting string swaps.
fn align(want: &Value, got: &Value, made: &mut Vec<(String, String)>) -> Value {
    match (want, got) {
        (Value::Object(w), Value::Object(g)) => Value::Object(
            w.iter()
                .map(|(k, wv)| {
                    let aligned = match g.get(k) {
                        Some(gv) if made_up(k) && !wv.is_object() && !wv.is_array() => {
                            if let (Value::String(a), Value::String(b)) = (wv, gv) {
                                if a != b && !made.iter().any(|(x, _)| x == a) {
                                    made.push((a.clone(), b.clone()));
                                }
                            }
                            gv.clone()
                        }
                        Some(gv) => align(wv, gv, made),
                        None => wv.clone(),
                    };
                    (k.clone(), aligned)
                })
                .collect(),
        ),
        (Value::Array(w), Value::Array(g)) => Value::Array(
            w.iter().enumerate().map(|(i, wv)| g.get(i).map_or_else(|| wv.clone(), |gv| align(wv, gv, made))).collect(),
        ),
        _ => want.clone(),
    }
}

/// Puts the endpoint's own values where a request quotes one Dynaplay made, whole or
/// (a stream label in a stream ARN) inside a longer text.
fn carry(request: &mut Value, made: &[(String, String)]) {
    match request {
        Value::String(s) => {
            for (ours, theirs) in made {
                if s == ours || (ours.len() >= 16 && s.contains(ours.as_str())) {
                    *s = s.replace(ours.as_str(), theirs);
                }
            }
        }
        Value::Object(map) => map.values_mut().for_each(|v| carry(v, made)),
        Value::Array(list) => list.iter_mut().for_each(|v| carry(v, made)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn made_up_values_are_taken_from_the_answer_and_carried_forward() {
        let want = json!({"BackupDetails": {"BackupArn": "arn:ours", "BackupName": "b", "BackupCreationDateTime": 1}});
        let got = json!({"BackupDetails": {"BackupArn": "arn:theirs", "BackupName": "c", "BackupCreationDateTime": 2}});
        let mut made = Vec::new();
        let aligned = align(&want, &got, &mut made);
        assert_eq!(
            aligned,
            json!({"BackupDetails": {"BackupArn": "arn:theirs", "BackupName": "b", "BackupCreationDateTime": 2}})
        );
        assert_eq!(made, vec![("arn:ours".to_string(), "arn:theirs".to_string())]);
        let mut request = json!({"BackupArn": "arn:ours", "TableName": "arn:ours-not"});
        carry(&mut request, &made);
        assert_eq!(request, json!({"BackupArn": "arn:theirs", "TableName": "arn:ours-not"}));
        let mut made = Vec::new();
        align(
            &json!({"LatestStreamLabel": "2023-11-14T22:13:20.000"}),
            &json!({"LatestStreamLabel": "2026-01-01T00:00:00.000"}),
            &mut made,
        );
        let mut request = json!({"StreamArn": "arn:aws:dynamodb:us-east-1:1:table/T/stream/2023-11-14T22:13:20.000"});
        carry(&mut request, &made);
        assert_eq!(request["StreamArn"], "arn:aws:dynamodb:us-east-1:1:table/T/stream/2026-01-01T00:00:00.000");
    }
}
