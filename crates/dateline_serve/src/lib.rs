//! `dateline serve`: a read-only JSON API over one database (docs/API.md, `/openapi.json`)
//! and the dashboard, embedded in the binary, at `/`.
//!
//! Queries run on blocking threads with connections from a small pool of read-only
//! connections, so many requests are answered at once while `dateline ingest` may still be
//! writing (WAL). Every request has limits: 16 KiB of URI or body, a 5 s query time (the query
//! is interrupted, `503`), a 10 s response time. Responses carry a strict
//! Content-Security-Policy: pages are hostile input, and the dashboard renders them as text.

mod assets;
mod openapi;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::{Path as UrlPath, Query, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use dateline_store::query::{EventFilter, Sort};
use dateline_store::{Store, StoreError};
use serde::Serialize;
use serde_json::json;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;

/// Longest URI or body accepted.
pub const MAX_REQUEST_BYTES: usize = 16 * 1024;

/// The dashboard's Content-Security-Policy: nothing from other hosts, no inline script.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; img-src 'self' data: blob:; \
     style-src 'self' 'unsafe-inline'; worker-src 'self' blob:; connect-src 'self'; \
     object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/// How the server runs.
#[derive(Clone, Debug)]
pub struct Config {
    /// The database.
    pub db: PathBuf,
    /// Where to listen.
    pub addr: SocketAddr,
    /// Longest time a query may run.
    pub query_timeout: Duration,
    /// Longest time a client may take to send a request's headers, and longest time a
    /// connection may stay open without a request (slow and idle clients are cut off).
    pub header_timeout: Duration,
}

impl Config {
    /// The defaults of `dateline serve` for a database and address.
    pub fn new(db: PathBuf, addr: SocketAddr) -> Config {
        Config { db, addr, query_timeout: Duration::from_secs(5), header_timeout: DEFAULT_HEADER_TIMEOUT }
    }
}

/// The default of [`Config::header_timeout`].
pub const DEFAULT_HEADER_TIMEOUT: Duration = Duration::from_secs(10);

/// Connections served at once; more wait in the listen queue until one closes.
pub const MAX_CONNECTIONS: usize = 1024;

/// Longest a connection may stay open, however busy: a client keeping one alive for longer
/// reconnects.
const MAX_CONNECTION_LIFE: Duration = Duration::from_secs(300);

/// Read-only connections, reused across requests.
#[derive(Debug)]
struct Pool {
    path: PathBuf,
    idle: Mutex<Vec<Store>>,
}

impl Pool {
    fn take(&self) -> Result<Store, StoreError> {
        if let Some(store) = self.idle.lock().ok().and_then(|mut idle| idle.pop()) {
            return Ok(store);
        }
        Store::open_read_only(&self.path)
    }

    fn give_back(&self, store: Store) {
        if let Ok(mut idle) = self.idle.lock()
            && idle.len() < 16
        {
            idle.push(store);
        }
    }
}

/// What every handler shares.
#[derive(Debug)]
pub struct AppState {
    pool: Pool,
    query_timeout: Duration,
}

impl AppState {
    /// Opens the database once to check it, and keeps that connection for the pool.
    pub fn new(db: &Path, query_timeout: Duration) -> Result<AppState, StoreError> {
        let store = Store::open_read_only(db)?;
        Ok(AppState { pool: Pool { path: db.to_path_buf(), idle: Mutex::new(vec![store]) }, query_timeout })
    }
}

/// An answer that is an error: a status and `{"error": "..."}`.
#[derive(Debug)]
struct ApiError(StatusCode, String);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.0, axum::Json(json!({ "error": self.1 }))).into_response()
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> ApiError {
        match error {
            StoreError::BadQuery(message) => ApiError(StatusCode::BAD_REQUEST, message),
            StoreError::Sqlite { cause: rusqlite_error, .. } if is_interrupt(&rusqlite_error) => {
                ApiError(StatusCode::SERVICE_UNAVAILABLE, "the query took too long and was stopped".to_owned())
            }
            other => ApiError(StatusCode::INTERNAL_SERVER_ERROR, other.to_string()),
        }
    }
}

fn is_interrupt(error: &dateline_store::rusqlite::Error) -> bool {
    matches!(error, dateline_store::rusqlite::Error::SqliteFailure(failure, _)
        if failure.code == dateline_store::rusqlite::ErrorCode::OperationInterrupted)
}

/// Runs a query on a blocking thread with a pooled connection, within the time limit.
async fn run<T, F>(state: &Arc<AppState>, query: F) -> Result<axum::Json<T>, ApiError>
where
    T: Serialize + Send + 'static,
    F: FnOnce(&Store) -> Result<T, StoreError> + Send + 'static,
{
    let store = state.pool.take()?;
    let interrupt = store.interrupt_handle();
    let worker_state = Arc::clone(state);
    let task = tokio::task::spawn_blocking(move || {
        let result = query(&store);
        worker_state.pool.give_back(store);
        result
    });
    match tokio::time::timeout(state.query_timeout, task).await {
        Ok(Ok(result)) => Ok(axum::Json(result?)),
        Ok(Err(_)) => Err(ApiError(StatusCode::INTERNAL_SERVER_ERROR, "the query failed".to_owned())),
        Err(_) => {
            interrupt.interrupt();
            Err(ApiError(StatusCode::SERVICE_UNAVAILABLE, "the query took too long and was stopped".to_owned()))
        }
    }
}

type Params = Query<HashMap<String, String>>;

/// A parameter's value; empty counts as absent.
fn param<'a>(params: &'a HashMap<String, String>, name: &str) -> Option<&'a str> {
    params.get(name).map(|value| value.trim()).filter(|value| !value.is_empty())
}

fn number(params: &HashMap<String, String>, name: &str, default: i64) -> Result<i64, ApiError> {
    match param(params, name) {
        None => Ok(default),
        Some(value) => value
            .parse()
            .map_err(|_| ApiError(StatusCode::BAD_REQUEST, format!("{name}: '{value}' is not a whole number"))),
    }
}

/// The event filters of docs/API.md.
fn filter(params: &HashMap<String, String>) -> Result<EventFilter, ApiError> {
    let text = |name: &str| param(params, name).map(str::to_owned);
    let quad =
        match param(params, "quad") {
            None => None,
            Some(value) => Some(value.parse::<u8>().map_err(|_| {
                ApiError(StatusCode::BAD_REQUEST, format!("quad: '{value}' is not a quad class, 1 to 4"))
            })?),
        };
    let filter = EventFilter {
        actor: text("actor"),
        source: text("source"),
        target: text("target"),
        country: text("country"),
        code: text("code"),
        root: text("root").map(|root| if root.len() == 1 { format!("0{root}") } else { root }),
        quad,
        plover: text("plover"),
        since: text("since"),
        until: text("until"),
        place: text("place"),
        q: text("q"),
    };
    filter.validate()?;
    Ok(filter)
}

fn id(text: &str, what: &str) -> Result<i64, ApiError> {
    text.parse().map_err(|_| ApiError(StatusCode::BAD_REQUEST, format!("'{text}' is not {what} id")))
}

async fn stats(State(state): State<Arc<AppState>>) -> Result<impl IntoResponse, ApiError> {
    run(&state, |store| store.stats()).await
}

async fn events(State(state): State<Arc<AppState>>, Query(params): Params) -> Result<impl IntoResponse, ApiError> {
    let filter = filter(&params)?;
    let sort = Sort::parse(param(&params, "sort").unwrap_or("-date"))?;
    let (limit, offset) = (number(&params, "limit", 100)?, number(&params, "offset", 0)?);
    run(&state, move |store| store.events(&filter, sort, limit, offset)).await
}

async fn event(State(state): State<Arc<AppState>>, UrlPath(event): UrlPath<String>) -> Result<Response, ApiError> {
    let event = id(&event, "an event")?;
    match run(&state, move |store| store.event(event)).await?.0 {
        Some(detail) => Ok(axum::Json(detail).into_response()),
        None => Err(ApiError(StatusCode::NOT_FOUND, format!("no event {event}"))),
    }
}

async fn articles(State(state): State<Arc<AppState>>, Query(params): Params) -> Result<impl IntoResponse, ApiError> {
    let q = param(&params, "q").map(str::to_owned);
    let (limit, offset) = (number(&params, "limit", 50)?, number(&params, "offset", 0)?);
    run(&state, move |store| store.articles(q.as_deref(), limit, offset)).await
}

async fn article(State(state): State<Arc<AppState>>, UrlPath(article): UrlPath<String>) -> Result<Response, ApiError> {
    let article = id(&article, "an article")?;
    match run(&state, move |store| store.article(article)).await?.0 {
        Some(document) => Ok(axum::Json(document).into_response()),
        None => Err(ApiError(StatusCode::NOT_FOUND, format!("no article {article}"))),
    }
}

async fn search(State(state): State<Arc<AppState>>, Query(params): Params) -> Result<impl IntoResponse, ApiError> {
    let Some(q) = param(&params, "q").map(str::to_owned) else {
        return Err(ApiError(StatusCode::BAD_REQUEST, "q: a text query is needed".to_owned()));
    };
    let (limit, offset) = (number(&params, "limit", 20)?, number(&params, "offset", 0)?);
    run(&state, move |store| store.search(&q, limit, offset)).await
}

async fn timeline(State(state): State<Arc<AppState>>, Query(params): Params) -> Result<impl IntoResponse, ApiError> {
    let filter = filter(&params)?;
    run(&state, move |store| store.timeline(&filter)).await
}

async fn map(State(state): State<Arc<AppState>>, Query(params): Params) -> Result<impl IntoResponse, ApiError> {
    let filter = filter(&params)?;
    run(&state, move |store| store.map(&filter).map(|places| json!({ "places": places }))).await
}

async fn network(State(state): State<Arc<AppState>>, Query(params): Params) -> Result<impl IntoResponse, ApiError> {
    let filter = filter(&params)?;
    let limit = number(&params, "limit", 200)?;
    run(&state, move |store| store.network(&filter, limit)).await
}

async fn not_found_api() -> ApiError {
    ApiError(StatusCode::NOT_FOUND, "no such endpoint; see /openapi.json".to_owned())
}

/// A file of the dashboard; a path under `/api` that no API route took (such as `/api/` or
/// `/api//events`) gets the API's JSON 404, not the dashboard's.
async fn dashboard_file(
    uri: axum::http::Uri,
    path: Result<axum::extract::Path<String>, axum::extract::rejection::PathRejection>,
) -> Response {
    if uri.path() == "/api" || uri.path().starts_with("/api/") {
        return not_found_api().await.into_response();
    }
    match path {
        Ok(path) => assets::file(path).await,
        // A path that does not decode names no file of the dashboard.
        Err(_) => (StatusCode::NOT_FOUND, "not found").into_response(),
    }
}

/// Makes every error under `/api` the API's JSON error: the rejections of axum's extractors (a
/// path or query string that does not decode as UTF-8) and "method not allowed" come as plain
/// text otherwise. The status (and an `Allow` header) is kept.
async fn json_errors(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let status = response.status();
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|kind| kind.to_str().ok())
        .is_some_and(|kind| kind.starts_with("application/json"));
    if is_json || !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let allow = response.headers().get(header::ALLOW).cloned();
    let body = axum::body::to_bytes(response.into_body(), MAX_REQUEST_BYTES).await.unwrap_or_default();
    let text = String::from_utf8_lossy(&body).trim().to_owned();
    let message = if text.is_empty() { status.canonical_reason().unwrap_or("error").to_lowercase() } else { text };
    let mut response = ApiError(status, message).into_response();
    if let Some(allow) = allow {
        response.headers_mut().insert(header::ALLOW, allow);
    }
    response
}

/// Refuses URIs over [`MAX_REQUEST_BYTES`] before any work is done.
async fn limit_uri(request: Request, next: Next) -> Response {
    let length = request.uri().path().len() + request.uri().query().map_or(0, str::len);
    if length > MAX_REQUEST_BYTES {
        return ApiError(StatusCode::URI_TOO_LONG, format!("the request URI is over {MAX_REQUEST_BYTES} bytes"))
            .into_response();
    }
    next.run(request).await
}

/// The whole application: API, OpenAPI document, dashboard, limits and security headers.
pub fn router(state: Arc<AppState>) -> Router {
    let api = Router::new()
        .route("/stats", get(stats))
        .route("/events", get(events))
        .route("/events/{id}", get(event))
        .route("/articles", get(articles))
        .route("/articles/{id}", get(article))
        .route("/search", get(search))
        .route("/timeline", get(timeline))
        .route("/map", get(map))
        .route("/network", get(network))
        .fallback(not_found_api)
        .with_state(state)
        .layer(middleware::from_fn(json_errors));
    Router::new()
        .nest("/api", api)
        .route("/openapi.json", get(|| async { axum::Json(openapi::document()) }))
        .route("/", get(assets::index))
        .route("/{*path}", get(dashboard_file))
        .layer(middleware::from_fn(limit_uri))
        .layer(RequestBodyLimitLayer::new(MAX_REQUEST_BYTES))
        .layer(TimeoutLayer::with_status_code(StatusCode::SERVICE_UNAVAILABLE, Duration::from_secs(10)))
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        ))
        .layer(SetResponseHeaderLayer::overriding(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(SetResponseHeaderLayer::overriding(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
        .layer(SetResponseHeaderLayer::overriding(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer")))
}

/// Serves until Ctrl-C. Calls `ready` with the bound address once listening.
///
/// HTTP/1.1 only, with the limits a server facing the network needs: at most
/// [`MAX_CONNECTIONS`] connections at once, a client must send each request's headers within
/// [`Config::header_timeout`] (slow-header clients are cut off), a connection idle for as long
/// is closed, and none lives longer than five minutes.
pub fn serve(config: &Config, ready: impl FnOnce(SocketAddr)) -> Result<(), String> {
    let state = Arc::new(AppState::new(&config.db, config.query_timeout).map_err(|error| error.to_string())?);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|error| format!("starting the server runtime: {error}"))?;
    let header_timeout = config.header_timeout;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(config.addr)
            .await
            .map_err(|error| format!("listening on {}: {error}", config.addr))?;
        let addr = listener.local_addr().map_err(|error| error.to_string())?;
        ready(addr);
        let app = router(state);
        let slots = Arc::new(tokio::sync::Semaphore::new(MAX_CONNECTIONS));
        let mut stop = std::pin::pin!(tokio::signal::ctrl_c());
        loop {
            let slot = tokio::select! {
                slot = slots.clone().acquire_owned() => slot.map_err(|error| error.to_string())?,
                _ = &mut stop => return Ok(()),
            };
            let stream = tokio::select! {
                accepted = listener.accept() => match accepted {
                    Ok((stream, _)) => stream,
                    // Out of file descriptors, or a connection reset before it was taken:
                    // wait a moment rather than spin, and go on.
                    Err(_) => {
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                },
                _ = &mut stop => return Ok(()),
            };
            let _ = stream.set_nodelay(true);
            let app = app.clone();
            tokio::spawn(async move {
                let service = hyper::service::service_fn(move |request: hyper::Request<hyper::body::Incoming>| {
                    tower::ServiceExt::oneshot(app.clone(), request.map(axum::body::Body::new))
                });
                let connection = hyper::server::conn::http1::Builder::new()
                    .timer(hyper_util::rt::TokioTimer::new())
                    .header_read_timeout(header_timeout)
                    .serve_connection(hyper_util::rt::TokioIo::new(stream), service);
                let _ = tokio::time::timeout(MAX_CONNECTION_LIFE, connection).await;
                drop(slot);
            });
        }
    })
}
