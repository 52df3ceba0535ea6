//! The HTTP API's paths and query parameters, over a database made from the demo corpus
//! (`DATELINE_FUZZ_DB`, made by scripts/fuzz.sh): no request makes the server fail (5xx other
//! than 503, a query cut off) or answer anything but JSON on /api.
#![no_main]

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::Request;
use libfuzzer_sys::fuzz_target;
use tower::ServiceExt;

const PATHS: &[&str] = &[
    "/api/events",
    "/api/events/1",
    "/api/articles",
    "/api/articles/1",
    "/api/search",
    "/api/timeline",
    "/api/map",
    "/api/network",
    "/api/stats",
    "/api/",
    "/",
];

struct Server {
    runtime: tokio::runtime::Runtime,
    router: Router,
}

fn server() -> &'static Server {
    static SERVER: OnceLock<Server> = OnceLock::new();
    SERVER.get_or_init(|| {
        let db = std::env::var_os("DATELINE_FUZZ_DB").expect("DATELINE_FUZZ_DB names the database to query");
        let state = dateline_serve::AppState::new(db.as_ref(), Duration::from_secs(2)).expect("the database opens");
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
        Server { runtime, router: dateline_serve::router(Arc::new(state)) }
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else { return };
    let path = PATHS[usize::from(pick) % PATHS.len()];
    let Ok(tail) = std::str::from_utf8(rest) else { return };
    // The first byte's high bit puts the rest after the path rather than after `?`.
    let uri = if pick & 0x80 == 0 { format!("{path}?{tail}") } else { format!("{path}{tail}") };
    let Ok(request) = Request::get(uri.as_str()).body(Body::empty()) else { return };
    let server = server();
    let response = server.runtime.block_on(server.router.clone().oneshot(request)).expect("infallible");
    let status = response.status();
    let kind = response.headers().get("content-type").map(|value| value.to_str().unwrap_or("").to_owned());
    let body = server.runtime.block_on(axum::body::to_bytes(response.into_body(), 1 << 24)).expect("a body");
    let body = String::from_utf8_lossy(&body);
    assert!(!status.is_server_error() || status.as_u16() == 503, "{uri}: {status}: {body}");
    if uri.starts_with("/api/") {
        assert!(kind.as_deref().is_some_and(|kind| kind.starts_with("application/json")), "{uri}: {kind:?}");
    }
});
