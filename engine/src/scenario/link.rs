//! Scenario links: the scenario document, deflated and base64url-encoded, so a whole
//! example travels in a URL fragment and nothing is uploaded anywhere.
//!
//! Payload: `1.` (the link encoding's version) then base64url (no padding) of the raw
//! DEFLATE stream of the scenario's compact JSON. Decoding caps both the link's length and
//! the inflated size, so a hostile link cannot make the page inflate gigabytes.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use miniz_oxide::deflate::compress_to_vec;
use miniz_oxide::inflate::decompress_to_vec_with_limit;

use super::{Scenario, ScenarioError, MAX_BYTES};

/// The longest link payload made or accepted: browsers and chat tools handle URLs of this
/// length; a bigger scenario is shared as a file.
pub const LINK_MAX_CHARS: usize = 16_000;
const PREFIX: &str = "1.";

/// The link payload for `scenario`, or why it cannot be one.
pub fn to_link(scenario: &Scenario) -> Result<String, ScenarioError> {
    let json = scenario.to_json().to_string();
    // The decoder inflates at most MAX_BYTES: never make a link it would refuse.
    if json.len() > MAX_BYTES {
        return Err(ScenarioError(format!(
            "This scenario is too big for a link ({} bytes; links hold {MAX_BYTES}). Download it as a file instead.",
            json.len()
        )));
    }
    let payload = format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(compress_to_vec(json.as_bytes(), 9)));
    if payload.len() > LINK_MAX_CHARS {
        return Err(ScenarioError(format!(
            "This scenario is too big for a link ({} characters compressed; links hold {LINK_MAX_CHARS}). Download it as a file instead.",
            payload.len()
        )));
    }
    Ok(payload)
}

/// The scenario in a link payload.
pub fn from_link(payload: &str) -> Result<Scenario, ScenarioError> {
    let bad = |why: &str| ScenarioError(format!("This link does not hold a readable scenario: {why}."));
    if payload.len() > LINK_MAX_CHARS {
        return Err(bad("it is longer than any link Dynaplay makes"));
    }
    let Some(body) = payload.strip_prefix(PREFIX) else {
        return Err(bad("it was made by a different version of Dynaplay, or cut short"));
    };
    let deflated = URL_SAFE_NO_PAD.decode(body.trim_end_matches('=')).map_err(|_| bad("it is damaged or cut short"))?;
    let json = decompress_to_vec_with_limit(&deflated, MAX_BYTES).map_err(|_| bad("it is damaged or cut short"))?;
    let text = String::from_utf8(json).map_err(|_| bad("it is damaged"))?;
    Scenario::parse(&text)
}
