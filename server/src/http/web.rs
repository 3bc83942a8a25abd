//! The web apps, served from their build (`web/dist`, `http.web_dir`): the shoppers' app at `/app/`. Hashed
//! assets (`/app/assets/…`) are cached for good; the shell, the service worker and the manifest are revalidated on
//! every load, so a new release reaches phones on their next visit. Navigation inside the app falls back to its
//! shell. Without a build, `/app/` is not found and the log says how to make one.

use std::path::Path;

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse};
use axum::Router;
use tower::ServiceBuilder;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;

/// What the app's pages may load: only this service (scripts, styles, the camera's blobs, the API).
const APP_CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
                       img-src 'self' data: blob:; media-src 'self' blob:; connect-src 'self'; worker-src 'self'; \
                       manifest-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/// The `/app/` routes for the build in `web_dir` (or a page explaining how to build it).
pub fn routes<S: Clone + Send + Sync + 'static>(web_dir: &Path) -> Router<S> {
    let app_dir = web_dir.join("app");
    let index = app_dir.join("index.html");
    let csp = SetResponseHeaderLayer::overriding(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(APP_CSP));
    if !index.exists() {
        tracing::warn!(dir = %app_dir.display(), "the shoppers' app is not built; /app/ explains how");
        return Router::new()
            .route("/app", axum::routing::get(not_built))
            .route("/app/", axum::routing::get(not_built))
            .route("/app/{*rest}", axum::routing::get(not_built));
    }
    let assets = ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=31536000, immutable"),
        ))
        .service(ServeDir::new(app_dir.join("assets")));
    let shell = ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-cache"),
        ))
        .service(ServeDir::new(&app_dir).fallback(ServeFile::new(index)));
    Router::new()
        .route(
            "/app",
            axum::routing::get(|| async { axum::response::Redirect::permanent("/app/") }),
        )
        .nest_service("/app/assets", assets)
        .nest_service("/app/", shell)
        .layer(csp)
}

async fn not_built() -> impl IntoResponse {
    (
        StatusCode::NOT_FOUND,
        Html(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Not built</title></head><body>\
             <main><h1>The shoppers' app is not built</h1><p>Run <code>npm ci &amp;&amp; npm run build</code> in \
             <code>web/</code> (or point <code>http.web_dir</code> at a build), then restart the service.</p>\
             </main></body></html>",
        ),
    )
}
