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
    pack(&scenario.to_json().to_string(), "scenario", MAX_BYTES).map_err(ScenarioError)
}

/// The scenario in a link payload.
pub fn from_link(payload: &str) -> Result<Scenario, ScenarioError> {
    let text = unpack(payload, MAX_BYTES)
        .map_err(|why| ScenarioError(format!("This link does not hold a readable scenario: {why}.")))?;
    Scenario::parse(&text)
}

/// A link payload for the document `json` (a `what`: "scenario", "workshop"), or why it
/// cannot be one: bigger than `max_bytes` (what the decoder inflates at most: never make
/// a link it would refuse), or longer than [`LINK_MAX_CHARS`] compressed.
pub fn pack(json: &str, what: &str, max_bytes: usize) -> Result<String, String> {
    if json.len() > max_bytes {
        return Err(format!(
            "This {what} is too big for a link ({} bytes; links hold {max_bytes}). Download it as a file instead.",
            json.len()
        ));
    }
    let payload = format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(compress_to_vec(json.as_bytes(), 9)));
    if payload.len() > LINK_MAX_CHARS {
        return Err(format!(
            "This {what} is too big for a link ({} characters compressed; links hold {LINK_MAX_CHARS}). Download it as a file instead.",
            payload.len()
        ));
    }
    Ok(payload)
}

/// The document in a link payload, inflated to at most `max_bytes`; or why not.
pub fn unpack(payload: &str, max_bytes: usize) -> Result<String, &'static str> {
    if payload.len() > LINK_MAX_CHARS {
        return Err("it is longer than any link Dynaplay makes");
    }
    let Some(body) = payload.strip_prefix(PREFIX) else {
        return Err("it was made by a different version of Dynaplay, or cut short");
    };
    let deflated = URL_SAFE_NO_PAD.decode(body.trim_end_matches('=')).map_err(|_| "it is damaged or cut short")?;
    let json = decompress_to_vec_with_limit(&deflated, max_bytes).map_err(|_| "it is damaged or cut short")?;
    String::from_utf8(json).map_err(|_| "it is damaged")
}
