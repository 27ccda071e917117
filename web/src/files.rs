//! Files in and out of the page: downloads (text, bytes, a zip of several files),
//! reading a chosen file's bytes, and fetching a file served next to the page. The zip is
//! written by the `zip` crate, uncompressed (the export's data files are gzip already).

use std::io::Write;

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Offers `bytes` to the browser as a download named `name`.
pub fn download_bytes(name: &str, bytes: &[u8], mime: &str) {
    let array = js_sys::Uint8Array::from(bytes);
    let parts = js_sys::Array::of1(&array);
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options) else { return };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else { return };
    let anchor = leptos::prelude::document().create_element("a").ok();
    if let Some(a) = anchor.and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok()) {
        a.set_href(&url);
        a.set_download(name);
        a.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

/// Offers JSON `text` as a download named `name`.
pub fn download_json(name: &str, text: &str) {
    download_bytes(name, text.as_bytes(), "application/json");
}

/// A zip archive holding `files` (path, bytes), stored without compression.
pub fn zip(files: &[(String, Vec<u8>)]) -> Result<Vec<u8>, String> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (path, bytes) in files {
        w.start_file(path.as_str(), options).map_err(|e| e.to_string())?;
        w.write_all(bytes).map_err(|e| e.to_string())?;
    }
    w.finish().map(|c| c.into_inner()).map_err(|e| e.to_string())
}

/// The bytes of a file the user chose.
pub async fn read(file: &web_sys::File) -> Result<Vec<u8>, String> {
    let buffer = JsFuture::from(file.array_buffer()).await.map_err(|e| format!("{e:?}"))?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// Fetches the text at `path` (relative to the page: the gallery's examples, the course's
/// lessons); `None` when it could not be fetched or the site answered with an error.
pub async fn fetch_text(path: &str) -> Option<String> {
    let response = JsFuture::from(web_sys::window()?.fetch_with_str(path)).await.ok()?;
    let response: web_sys::Response = response.dyn_into().ok()?;
    if !response.ok() {
        return None;
    }
    JsFuture::from(response.text().ok()?).await.ok()?.as_string()
}
