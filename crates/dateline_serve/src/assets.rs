//! The dashboard: `web/dist/`, built by `web/build.sh` and compiled into the binary.

use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use rust_embed::RustEmbed;

#[derive(RustEmbed)]
#[folder = "../../web/dist/"]
struct Dist;

fn content_type(path: &str) -> &'static str {
    match path.rsplit_once('.').map(|(_, extension)| extension) {
        Some("html") => "text/html; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("json") => "application/json",
        Some("txt") => "text/plain; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        _ => "application/octet-stream",
    }
}

fn respond(path: &str) -> Response {
    match Dist::get(path) {
        Some(file) => {
            let cache = if path.ends_with(".html") { "no-cache" } else { "public, max-age=3600" };
            ([(header::CONTENT_TYPE, content_type(path)), (header::CACHE_CONTROL, cache)], file.data.into_owned())
                .into_response()
        }
        None => (StatusCode::NOT_FOUND, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], "not found\n")
            .into_response(),
    }
}

/// `/`: the dashboard's page, whatever the query string.
pub(crate) async fn index() -> Response {
    respond("index.html")
}

/// A file of the dashboard.
pub(crate) async fn file(Path(path): Path<String>) -> Response {
    respond(&path)
}
