//! The HTTP surface: `POST /graphql`, GraphiQL on `GET /graphql`, `/healthz`, `/readyz`; the web apps (`web`:
//! `/app/`, `/console/`, map tiles); the pages behind email links (`pages`: `/verify-email`, `/reset-password`);
//! downloads (`files`: signed photo links at `/media/…`, a payout batch's bank file, a wave's results; with
//! `feedback`: posters, QR codes, a client's responses); the citizens' pages (`feedback`: the form at `/q/<code>`
//! and `/feedback/<venue>`; `portal`: the map portal at `/map/…` and open data; both in `public`'s frame); and
//! Prometheus `/metrics` (when enabled).
//! Middleware: request ids, one tracing span per request, the client's address behind trusted proxies
//! (`client`), no URL with hidden characters (`guard`), response counts per route, security headers (CSP,
//! frame-ancestors, nosniff, referrer policy), CORS (closed unless origins are allowed), body size limit, timeout,
//! panic catching.

use async_graphql_axum::{GraphQLRequest, GraphQLResponse};
use axum::extract::{MatchedPath, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method, Request, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::accounts::{Accounts, ClientInfo};
use crate::config::Settings;
use crate::domain::Language;
use crate::error::AppError;
use crate::evidence::Storage;
use crate::graphql::{AppSchema, AuthState, RequestCtx, REQUEST_ID, REQUEST_LANG};
use crate::metrics::{Metrics, Sample};
use crate::payouts::Payouts;
use crate::visits::Visits;

mod client;
mod feedback;
mod files;
mod guard;
mod integrations;
mod pages;
mod portal;
mod public;
mod web;

pub use client::{ClientAddr, TrustedProxies};
use files::{export_batch, export_results, media};
use pages::{reset_password_form, reset_password_submit, verify_email_page};

/// Shared by every handler.
#[derive(Clone)]
pub struct AppState {
    pub schema: AppSchema,
    pub accounts: Accounts,
    pub storage: Storage,
    pub payouts: Payouts,
    pub results: crate::results::Results,
    pub feedback: crate::feedback::Feedback,
    pub quality: crate::quality::Quality,
    pub api_keys: crate::apikeys::ApiKeys,
    pub events: crate::events::Events,
    pub invitations: crate::invitations::Invitations,
    pub cati: crate::cati::Cati,
    pub visits: Visits,
    pub metrics: Metrics,
    pub settings: std::sync::Arc<Settings>,
}

const REQUEST_ID_HEADER: HeaderName = HeaderName::from_static("x-request-id");

/// The Content-Security-Policy of the service's own pages: nothing from elsewhere, no scripts, inline styles
/// only (the small pages behind email links carry theirs inline), no framing.
const PAGE_CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; \
                        frame-ancestors 'none'; base-uri 'none'";

/// The application's router with all middleware (tests drive exactly this).
pub fn router(state: AppState, settings: &Settings, proxies: TrustedProxies) -> Router {
    let middleware = ServiceBuilder::new()
        .layer(SetRequestIdLayer::new(REQUEST_ID_HEADER, MakeRequestUuid))
        .layer(TraceLayer::new_for_http().make_span_with(|request: &Request<_>| {
            let request_id = request
                .headers()
                .get(REQUEST_ID_HEADER)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("-");
            tracing::info_span!("request", method = %request.method(), path = %request.uri().path(), request_id)
        }))
        .layer(PropagateRequestIdLayer::new(REQUEST_ID_HEADER))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(PAGE_CSP),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        .layer(cors(&settings.http.cors_allowed_origins))
        .layer(axum::middleware::map_response(vary_on_encoding))
        .layer(compression())
        .layer(CatchPanicLayer::new())
        .layer(axum::middleware::from_fn(guard::clean_urls))
        .layer(axum::middleware::from_fn_with_state(
            std::sync::Arc::new(proxies),
            client::resolve_client,
        ))
        .layer(axum::middleware::from_fn_with_state(
            BodyLimits {
                json: settings.limits.max_body_bytes,
                upload: settings.limits.max_upload_bytes,
            },
            limit_body,
        ))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            settings.request_timeout(),
        ));
    Router::new()
        .route("/", get(|| async { Redirect::temporary("/graphql") }))
        .route("/graphql", web::explorer(&settings.http).post(graphql))
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(readyz))
        .route("/verify-email", get(verify_email_page))
        .route("/reset-password", get(reset_password_form).post(reset_password_submit))
        .route("/media/{*key}", get(media))
        .route("/payouts/batches/{id}/export", get(export_batch))
        .route("/waves/{id}/results", get(export_results))
        .route("/cati/studies/{id}/calls", get(files::export_cati_calls))
        .route("/q/pow.js", get(feedback::pow_script))
        .route("/q/{code}", get(feedback::qr_form).post(feedback::qr_submit))
        .route("/i/{code}", get(feedback::invite_form).post(feedback::invite_submit))
        .route(
            "/i/{code}/stop",
            get(feedback::invite_stop).post(feedback::invite_stop_confirm),
        )
        .route("/feedback/{venue}", get(feedback::map_form).post(feedback::map_submit))
        .route("/venues/{id}/{file}", get(feedback::poster))
        .route("/clients/{id}/posters.zip", get(feedback::posters_zip))
        .route("/clients/{id}/feedback", get(feedback::responses_export))
        .route("/map", get(|| async { Redirect::permanent("/map/") }))
        .route("/map/", get(portal::map_home))
        .route("/map/search", get(portal::map_search))
        .route("/map/centers.json", get(portal::map_centers_json))
        .route("/map/oblast/{oblast}", get(portal::map_oblast))
        .route("/map/centers/{id}", get(portal::map_center))
        .route("/open-data/{file}", get(portal::open_data))
        .route(
            "/api/v1/service-events",
            axum::routing::post(integrations::post_service_events),
        )
        .route(
            crate::invitations::provider::TWILIO_REPORTS,
            axum::routing::post(integrations::twilio_status),
        )
        .route("/metrics", get(metrics))
        .merge(testing_routes(settings))
        .merge(web::routes(&settings.http))
        .merge(web::pmtiles_routes(&settings.http))
        .route_layer(axum::middleware::from_fn_with_state(state.clone(), count_response))
        .with_state(state)
        .layer(middleware)
}

/// `POST /testing/clock` when `testing.clock_control` is on (test servers on loopback only): moves the
/// service's clock by `advanceMs`, or to `atMs`; answers with the clock's `nowMs`.
fn testing_routes(settings: &Settings) -> Router<AppState> {
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Move {
        advance_ms: Option<u64>,
        at_ms: Option<i64>,
    }
    async fn move_clock(State(state): State<AppState>, Json(m): Json<Move>) -> Response {
        let clock = state.accounts.db().clock();
        if let Some(at) = m.at_ms {
            clock.set(at);
        }
        if let Some(by) = m.advance_ms {
            clock.advance(std::time::Duration::from_millis(by));
        }
        Json(serde_json::json!({ "nowMs": clock.now_ms() })).into_response()
    }
    if settings.testing.clock_control {
        Router::new().route("/testing/clock", axum::routing::post(move_clock))
    } else {
        Router::new()
    }
}

/// Dynamic answers (GraphQL, pages, CSV, JSON) compressed with Brotli or gzip as the client accepts; not what is
/// compressed already (images, ZIP, XLSX, PDF, files the build precompressed) or answered in byte ranges (map
/// tiles), nor anything under 1 KiB.
fn compression() -> tower_http::compression::CompressionLayer<impl tower_http::compression::Predicate> {
    use tower_http::compression::predicate::{NotForContentType, Predicate, SizeAbove};
    use tower_http::compression::{CompressionLayer, DefaultPredicate};
    let not_ranges = |status: StatusCode, _: axum::http::Version, headers: &HeaderMap, _: &axum::http::Extensions| {
        status != StatusCode::PARTIAL_CONTENT && !headers.contains_key(header::CONTENT_RANGE)
    };
    let predicate = DefaultPredicate::new()
        .and(SizeAbove::new(1024))
        .and(NotForContentType::const_new("application/zip"))
        .and(NotForContentType::const_new("application/pdf"))
        .and(NotForContentType::const_new("application/octet-stream"))
        .and(NotForContentType::const_new(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ))
        .and(not_ranges);
    CompressionLayer::new().br(true).gzip(true).compress_when(predicate)
}

/// Every answer whose body was chosen by `Accept-Encoding` says so, so that no shared cache hands a Brotli body
/// to a client that asked for none: the compression layer marks what it compresses, but the build's
/// precompressed files are served without the mark.
async fn vary_on_encoding<B>(mut response: axum::http::Response<B>) -> axum::http::Response<B> {
    let headers = response.headers_mut();
    let marked = headers.get_all(header::VARY).iter().any(|v| {
        v.to_str().is_ok_and(|v| {
            v.split(',')
                .any(|name| name.trim().eq_ignore_ascii_case("accept-encoding"))
        })
    });
    if headers.contains_key(header::CONTENT_ENCODING) && !marked {
        headers.append(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    response
}

/// CORS: closed (no headers, so browsers refuse cross-origin calls) unless origins are allowed by name.
fn cors(origins: &[String]) -> CorsLayer {
    let allowed: Vec<HeaderValue> = origins
        .iter()
        .filter_map(|o| HeaderValue::from_str(o.trim_end_matches('/')).ok())
        .collect();
    if allowed.is_empty() {
        return CorsLayer::new();
    }
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(allowed))
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE, REQUEST_ID_HEADER])
        .expose_headers([REQUEST_ID_HEADER, header::RETRY_AFTER])
        .max_age(std::time::Duration::from_secs(600))
}

/// Counts responses per matched route (the pattern, never the raw path) and status class.
async fn count_response(
    State(state): State<AppState>,
    request: Request<axum::body::Body>,
    next: axum::middleware::Next,
) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "unmatched".into());
    let response = next.run(request).await;
    state.metrics.http_response(&route, response.status().as_u16());
    response
}

/// Prometheus metrics: 404 unless enabled; with a token configured, only for its bearer.
async fn metrics(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let config = &state.settings.metrics;
    if !config.enabled {
        return (StatusCode::NOT_FOUND, "metrics are not enabled").into_response();
    }
    if let Some(expected) = config.token() {
        let given = bearer_token(&headers).unwrap_or_default();
        let same = given.len() == expected.len()
            && given
                .bytes()
                .zip(expected.bytes())
                .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                == 0;
        if !same {
            return (
                StatusCode::UNAUTHORIZED,
                [(header::WWW_AUTHENTICATE, "Bearer")],
                "a metrics token is required",
            )
                .into_response();
        }
    }
    let body = state
        .metrics
        .render(&Sample {
            db: state.accounts.db(),
            photo_queue: state.visits.photo_queue(),
            hashing_queue: state.accounts.hasher().queued(),
        })
        .await;
    (
        [
            (
                header::CONTENT_TYPE,
                "application/openmetrics-text; version=1.0.0; charset=utf-8",
            ),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response()
}

#[derive(Clone, Copy)]
struct BodyLimits {
    json: usize,
    upload: usize,
}

/// Bodies are limited by kind: multipart uploads may be larger than JSON requests. A declared length over the
/// limit is refused at once (413); a streamed body is cut off at the limit.
async fn limit_body(
    State(limits): State<BodyLimits>,
    request: Request<axum::body::Body>,
    next: axum::middleware::Next,
) -> Response {
    let multipart = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    let limit = if multipart { limits.upload } else { limits.json };
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        let message = crate::msg!(
            "body-too-large",
            max_mb = (limit as f64 / 1_048_576.0 * 10.0).round() / 10.0
        );
        let body = serde_json::json!({ "errors": [{
            "message": crate::i18n::render(reader_language(request.headers()), &message),
            "extensions": { "code": "PAYLOAD_TOO_LARGE", "messageCode": message.code, "params": message.args }
        }]});
        return (StatusCode::PAYLOAD_TOO_LARGE, Json(body)).into_response();
    }
    let (parts, body) = request.into_parts();
    let limited = axum::body::Body::new(http_body_util::Limited::new(body, limit));
    next.run(Request::from_parts(parts, limited)).await
}

/// The HTTP status of an error outside GraphQL (plain endpoints and pages): the one mapping every route uses.
fn http_status(err: &AppError) -> StatusCode {
    match err {
        AppError::BadInput { .. } | AppError::InvalidFields(_) => StatusCode::BAD_REQUEST,
        AppError::Unauthenticated(_) => StatusCode::UNAUTHORIZED,
        AppError::Forbidden(_) => StatusCode::FORBIDDEN,
        AppError::NotFound(_) => StatusCode::NOT_FOUND,
        AppError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
        AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        AppError::Conflict { .. } | AppError::Rule { .. } => StatusCode::CONFLICT,
    }
}

/// An error of a plain HTTP endpoint, as JSON with the same codes as GraphQL errors (and `Retry-After` when
/// the client should come back).
fn json_error(err: AppError, request_id: &str, lang: Language) -> Response {
    let status = http_status(&err);
    let retry_after = match &err {
        AppError::RateLimited { retry_after_secs, .. } => Some(*retry_after_secs),
        _ => None,
    };
    let code = err.code();
    let message = match &err {
        AppError::Internal(cause) => {
            tracing::error!(error = ?cause, request_id, "internal error");
            crate::i18n::render(lang, &crate::msg!("internal-error-with-id", request_id = request_id))
        }
        other => other.render(lang),
    };
    let msg = err.msg();
    let mut extensions = serde_json::json!({
        "code": code,
        "requestId": request_id,
        "messageCode": msg.code,
        "params": msg.args,
    });
    if let Some(secs) = retry_after {
        extensions["retryAfterSeconds"] = secs.into();
    }
    if let AppError::BadInput { field, .. } = &err {
        extensions["field"] = field.clone().into();
    }
    let body = serde_json::json!({ "errors": [{ "message": message, "extensions": extensions }] });
    let mut response = (status, Json(body)).into_response();
    if let Some(secs) = retry_after {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(secs));
    }
    response
}

async fn readyz(State(state): State<AppState>) -> Response {
    if state.accounts.db().ping().await {
        (StatusCode::OK, "ready").into_response()
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "database unreachable").into_response()
    }
}

/// The reader's language, from the request's `Accept-Language` (the faces send their own; Ukrainian without
/// one).
fn reader_language(headers: &HeaderMap) -> Language {
    crate::i18n::negotiate(headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()))
}

fn request_id(headers: &HeaderMap) -> String {
    headers
        .get(REQUEST_ID_HEADER)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-")
        .to_string()
}

/// The client's address (resolved behind trusted proxies, `http::client`) and user agent.
fn client_info(headers: &HeaderMap, client: ClientAddr) -> ClientInfo {
    ClientInfo {
        ip: client.0.to_string(),
        user_agent: headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string),
        login_device: cookie(headers, crate::accounts::LOGIN_DEVICE_COOKIE).map(str::to_string),
    }
}

/// A cookie's value, from any of the request's `Cookie` headers.
fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// A request's media type without its parameters, lower case (`application/json`; empty without a header).
fn content_type_essence(headers: &HeaderMap) -> String {
    let value = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    value.split(';').next().unwrap_or_default().trim().to_ascii_lowercase()
}

/// Content types a GraphQL POST may have. Anything a cross-site form can send without a CORS preflight
/// (`text/plain`, `application/x-www-form-urlencoded`) is refused, and so is an anonymous multipart request
/// (every upload needs a login, and the `Authorization` header forces a preflight): no CSRF.
fn refuse_content_type(headers: &HeaderMap) -> Option<Response> {
    match content_type_essence(headers).as_str() {
        "application/json" | "application/graphql-response+json" => None,
        "multipart/form-data" if bearer_token(headers).is_some() => None,
        "multipart/form-data" => Some(error_response(
            StatusCode::UNAUTHORIZED,
            "UNAUTHENTICATED",
            "file uploads need a login (Authorization: Bearer …)",
            &request_id(headers),
        )),
        _ => Some(error_response(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "UNSUPPORTED_MEDIA_TYPE",
            "send GraphQL requests as application/json (or multipart/form-data for file uploads)",
            &request_id(headers),
        )),
    }
}

async fn graphql(
    State(state): State<AppState>,
    axum::Extension(client): axum::Extension<ClientAddr>,
    headers: HeaderMap,
    request: Result<GraphQLRequest, async_graphql_axum::rejection::GraphQLRejection>,
) -> Response {
    let request_id = request_id(&headers);
    let lang = reader_language(&headers);
    if let Some(refused) = refuse_content_type(&headers) {
        return refused;
    }
    let request = match request {
        Ok(request) => request.into_inner(),
        Err(rejection) => {
            let message = format!("the request is not valid GraphQL over HTTP: {}", rejection.0);
            return bad_request(&message, &request_id);
        }
    };
    let auth = match auth_state(&state, &headers).await {
        Ok(auth) => auth,
        Err(err) => return json_error(err, &request_id, lang),
    };
    let ctx = RequestCtx {
        request_id: request_id.clone(),
        client: client_info(&headers, client),
        auth,
        lang,
    };
    let schema = state.schema.clone();
    let mut response = REQUEST_ID
        .scope(
            request_id,
            REQUEST_LANG.scope(
                lang,
                schema.execute(request.data(ctx).data(crate::graphql::RequestMemo::default())),
            ),
        )
        .await;
    // Errors raised by the GraphQL layer itself (syntax, validation, argument types, complexity) carry no code
    // yet: they get one, and words from the catalogue (the library's own words kept as the detail).
    let mut retry_after: Option<u64> = None;
    for error in &mut response.errors {
        let extensions = error.extensions.get_or_insert_with(Default::default);
        if extensions.get("code").is_none() {
            extensions.set("code", "BAD_USER_INPUT");
        }
        if extensions.get("messageCode").is_none() {
            let message = if error.message == "Query is too complex." {
                crate::msg!("request-too-complex")
            } else {
                crate::msg!("request-invalid", detail = error.message.as_str())
            };
            error.message = crate::i18n::render(lang, &message);
            extensions.set("messageCode", message.code.as_ref());
            extensions.set("params", crate::error::params(&message));
        }
        if let Some(async_graphql::Value::Number(secs)) = extensions.get("retryAfterSeconds") {
            retry_after = retry_after.max(secs.as_u64());
        }
    }
    // A request that failed before execution (unparsable, invalid against the schema, over the limits) is a 400.
    let request_failed = response.data == async_graphql::Value::Null
        && !response.errors.is_empty()
        && response.errors.iter().all(|e| e.path.is_empty());
    let status = if request_failed {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let mut http = (status, GraphQLResponse::from(response)).into_response();
    if let Some(secs) = retry_after {
        http.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(secs));
    }
    http
}

fn error_response(status: StatusCode, code: &str, message: &str, request_id: &str) -> Response {
    let body = serde_json::json!({
        "errors": [{ "message": message, "extensions": { "code": code, "requestId": request_id } }]
    });
    (status, Json(body)).into_response()
}

fn bad_request(message: &str, request_id: &str) -> Response {
    error_response(StatusCode::BAD_REQUEST, "BAD_REQUEST", message, request_id)
}

/// Who sent the request: the one bearer-token check for every route (`/graphql`, the bank-file export).
async fn auth_state(state: &AppState, headers: &HeaderMap) -> Result<AuthState, AppError> {
    Ok(match bearer_token(headers) {
        None => AuthState::Anonymous,
        Some(token) if token.starts_with(crate::apikeys::SECRET_PREFIX) => {
            match state.api_keys.authenticate(token).await? {
                Some(key) => AuthState::Key(key),
                None => AuthState::InvalidToken,
            }
        }
        Some(token) => match state.accounts.authenticate(token).await? {
            Some(actor) => AuthState::User(actor),
            None => AuthState::InvalidToken,
        },
    })
}

fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let token = value
        .strip_prefix("Bearer ")
        .or_else(|| value.strip_prefix("bearer "))?
        .trim();
    (!token.is_empty()).then_some(token)
}
