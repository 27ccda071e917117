//! Hash routes, so every view has a stable URL that works from any static host:
//! `#/` (tables and create form), `#/tables/<name>` (items), `#/console`.

use leptos::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    Home,
    Table(String),
    Console,
    NotFound(String),
}

/// Parses a location hash (`#/tables/Music`).
pub fn parse(hash: &str) -> Route {
    let path = hash.trim_start_matches('#').trim_start_matches('/');
    let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
    match parts.as_slice() {
        [] => Route::Home,
        ["console"] => Route::Console,
        ["tables", name] => Route::Table(decode(name)),
        _ => Route::NotFound(path.to_string()),
    }
}

pub fn href(route: &Route) -> String {
    match route {
        Route::Home => "#/".into(),
        Route::Console => "#/console".into(),
        Route::Table(name) => format!("#/tables/{}", encode(name)),
        Route::NotFound(p) => format!("#/{p}"),
    }
}

fn decode(s: &str) -> String {
    js_sys::decode_uri_component(s).ok().and_then(|v| v.as_string()).unwrap_or_else(|| s.to_string())
}

fn encode(s: &str) -> String {
    js_sys::encode_uri_component(s).as_string().unwrap_or_else(|| s.to_string())
}

/// The current route.
pub fn current() -> Route {
    parse(&window().location().hash().unwrap_or_default())
}

pub fn navigate(route: &Route) {
    let _ = window().location().set_hash(&href(route));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_routes() {
        assert_eq!(parse(""), Route::Home);
        assert_eq!(parse("#/"), Route::Home);
        assert_eq!(parse("#/console"), Route::Console);
        assert_eq!(parse("#/elsewhere"), Route::NotFound("elsewhere".into()));
    }
}
