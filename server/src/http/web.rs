//! The web apps, served from their build (`web/dist`, `http.web_dir`): the shoppers' app at `/app/`. Hashed
//! assets (`/app/assets/…`) are cached for good; the shell, the service worker and the manifest are revalidated on
//! every load, so a new release reaches phones on their next visit. Navigation inside the app falls back to its
//! shell. Without a build, `/app/` is not found and the log says how to make one. `/app/config.json` tells the
//! app what this deployment configured (the map's tiles).
//!
//! The API explorer (GraphiQL, built from npm in `web/graphiql`) is the page of `GET /graphql`; its hashed assets
//! are under `/graphiql/assets/`. Nothing of it comes from another host, so it works offline and under a CSP
//! that names no other host.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::Router;

use crate::config::HttpSettings;
use tower::{Layer, ServiceBuilder};
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;

/// What the app's pages may load: only this service (scripts, styles, the camera's blobs, the API), and the map
/// tiles' host when one is configured.
fn app_csp(tile_source: Option<&str>) -> String {
    let tiles = tile_source.map(|s| format!(" {s}")).unwrap_or_default();
    format!(
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
         img-src 'self' data: blob:{tiles}; media-src 'self' blob:; connect-src 'self'; worker-src 'self'; \
         manifest-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
    )
}

/// What the web apps read at start: the map's tiles (none: points on a plain background).
pub(super) fn client_config(http: &HttpSettings) -> serde_json::Value {
    serde_json::json!({
        "map": {
            "tileUrl": http.map_tile_url,
            "pmtilesUrl": http.map_pmtiles.as_ref().map(|_| PMTILES_PATH),
            "attribution": http.map_attribution,
            "maxZoom": http.map_max_zoom,
        }
    })
}

/// Where a self-hosted PMTiles archive (`http.map_pmtiles`) is served, with byte ranges.
pub const PMTILES_PATH: &str = "/tiles/map.pmtiles";

/// The PMTiles archive, if one is configured: `ServeFile` answers `Range` requests with 206.
pub fn pmtiles_routes<S: Clone + Send + Sync + 'static>(http: &HttpSettings) -> Router<S> {
    match &http.map_pmtiles {
        Some(path) => Router::new().route_service(
            PMTILES_PATH,
            ServiceBuilder::new()
                .layer(SetResponseHeaderLayer::overriding(
                    header::CACHE_CONTROL,
                    HeaderValue::from_static("public, max-age=3600"),
                ))
                .service(ServeFile::new(path)),
        ),
        None => Router::new(),
    }
}

/// What the API explorer's page may load: only this service.
const EXPLORER_CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
                            img-src 'self' data:; font-src 'self' data:; connect-src 'self'; worker-src 'self'; \
                            frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/// `GET /graphql`: the explorer's page from the build (read once, at start), or a page saying how to build it.
pub fn explorer<S: Clone + Send + Sync + 'static>(http: &HttpSettings) -> axum::routing::MethodRouter<S> {
    let index = http.web_dir.join("graphiql").join("index.html");
    let page: Option<std::sync::Arc<str>> = std::fs::read_to_string(&index).ok().map(Into::into);
    if page.is_none() {
        tracing::warn!(file = %index.display(), "the API explorer is not built; GET /graphql explains how");
    }
    axum::routing::get(move || {
        let page = page.clone();
        async move {
            let headers = [
                (header::CONTENT_SECURITY_POLICY, EXPLORER_CSP),
                (header::CACHE_CONTROL, "no-cache"),
            ];
            match page {
                Some(page) => (headers, Html(page.to_string())).into_response(),
                None => (
                    StatusCode::NOT_FOUND,
                    headers,
                    Html(
                        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>GraphiQL is not built</title>\
                         </head><body><main><h1>GraphiQL is not built</h1><p>The API answers <code>POST /graphql</code>. \
                         For the explorer, run <code>npm ci &amp;&amp; npm run build</code> in <code>web/</code> (or point \
                         <code>http.web_dir</code> at a build), then restart the service.</p></main></body></html>",
                    ),
                )
                    .into_response(),
            }
        }
    })
}

/// The web apps' routes: the shoppers' app, the staff console and the explorer's assets.
pub fn routes<S: Clone + Send + Sync + 'static>(http: &HttpSettings) -> Router<S> {
    let explorer_assets = ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=31536000, immutable"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(EXPLORER_CSP),
        ))
        .service(precompressed(ServeDir::new(
            http.web_dir.join("graphiql").join("assets"),
        )));
    spa_routes(http, "app", "shoppers' app")
        .merge(spa_routes(http, "console", "staff console"))
        .nest_service("/graphiql/assets", explorer_assets)
        .nest_service("/portal/assets", portal_assets(http))
}

/// The public map portal's script (`web/portal`; the entry `portal.js` has a fixed name so the server-rendered
/// pages can name it, its chunks are hashed). Revalidated on every load, so a release reaches browsers at once.
fn portal_assets(http: &HttpSettings) -> tower_http::set_header::SetResponseHeader<ServeDir, HeaderValue> {
    SetResponseHeaderLayer::overriding(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"))
        .layer(precompressed(ServeDir::new(http.web_dir.join("portal").join("assets"))))
}

/// A build folder served with the Brotli and gzip copies the build wrote beside each text file
/// (`web/scripts/compress.mjs`), picked by the browser's `Accept-Encoding` (with `Vary: Accept-Encoding`), so
/// static files are never compressed per request.
fn precompressed<F>(dir: ServeDir<F>) -> ServeDir<F> {
    dir.precompressed_br().precompressed_gzip()
}

/// The routes of one single-page app of the build (`/app/`: the shoppers' app; `/console/`: the staff console),
/// or a page explaining how to build it.
fn spa_routes<S: Clone + Send + Sync + 'static>(
    http: &HttpSettings,
    name: &'static str,
    title: &'static str,
) -> Router<S> {
    let dir = http.web_dir.join(name);
    let index = dir.join("index.html");
    // Checked at start-up (Application::build); a router built without that check gets no tile host.
    let tile_source = http.map_tile_source().ok().flatten();
    let csp_value = HeaderValue::from_str(&app_csp(tile_source.as_deref())).expect("CSP is ASCII without newlines");
    let csp = SetResponseHeaderLayer::overriding(header::CONTENT_SECURITY_POLICY, csp_value);
    let config = client_config(http);
    let root = format!("/{name}/");
    if !index.exists() {
        tracing::warn!(dir = %dir.display(), "the {title} is not built; {root} explains how");
        let page = move || async move { not_built(title) };
        return Router::new()
            .route(&format!("/{name}"), axum::routing::get(page))
            .route(&root, axum::routing::get(page))
            .route(&format!("/{name}/{{*rest}}"), axum::routing::get(page));
    }
    let assets = ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=31536000, immutable"),
        ))
        .service(precompressed(ServeDir::new(dir.join("assets"))));
    let shell = ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-cache"),
        ))
        .service(
            precompressed(ServeDir::new(&dir)).fallback(ServeFile::new(index).precompressed_br().precompressed_gzip()),
        );
    let redirect_to = root.clone();
    Router::new()
        .route(
            &format!("/{name}"),
            axum::routing::get(move || async move { axum::response::Redirect::permanent(&redirect_to) }),
        )
        .route(
            &format!("/{name}/config.json"),
            axum::routing::get(move || {
                let config = config.clone();
                async move { ([(header::CACHE_CONTROL, "no-cache")], axum::Json(config)) }
            }),
        )
        .nest_service(&format!("/{name}/assets"), assets)
        .nest_service(&root, shell)
        .layer(csp)
}

fn not_built(title: &str) -> Response {
    (
        StatusCode::NOT_FOUND,
        Html(format!(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Not built</title></head><body>\
             <main><h1>The {title} is not built</h1><p>Run <code>npm ci &amp;&amp; npm run build</code> in \
             <code>web/</code> (or point <code>http.web_dir</code> at a build), then restart the service.</p>\
             </main></body></html>"
        )),
    )
        .into_response()
}
