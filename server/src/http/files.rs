//! Files over plain HTTP: photos behind signed, expiring links, and a payout batch's bank file, streamed.

use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::auth::Actor;
use crate::error::AppError;

use super::{auth_state, json_error, reader_language, request_id, AppState};

#[derive(Deserialize)]
pub(super) struct MediaQuery {
    expires: i64,
    sig: String,
}

/// A photo file behind a signed, expiring link (see `evidence::Storage::signed_url`).
pub(super) async fn media(
    State(state): State<AppState>,
    axum::extract::Path(key): axum::extract::Path<String>,
    query: Result<Query<MediaQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let Ok(Query(q)) = query else {
        return (StatusCode::FORBIDDEN, "this link is not signed").into_response();
    };
    if !state
        .storage
        .verify(&key, q.expires, &q.sig, state.accounts.db().now_ms())
    {
        return (StatusCode::FORBIDDEN, "this link is invalid or has expired").into_response();
    }
    match state.storage.get(&key).await {
        Ok(Some(bytes)) => {
            let content_type = match key.rsplit('.').next() {
                Some("png") => "image/png",
                Some("webp") => "image/webp",
                Some("heic") => "image/heic",
                _ => "image/jpeg",
            };
            (
                [
                    (header::CONTENT_TYPE, content_type),
                    (header::CACHE_CONTROL, "private, max-age=600"),
                ],
                bytes,
            )
                .into_response()
        }
        Ok(None) => (StatusCode::NOT_FOUND, "no such file").into_response(),
        Err(err) => {
            tracing::error!(error = ?err, %key, "reading a photo failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
        }
    }
}

/// A download: who asks (`Authorization: Bearer …`, a logged-in user), the request's id, and the query. The
/// one check every download route makes; what the caller may download is the use case's decision (each
/// `start_export`, `live_code`, `posters_zip` checks its permission and scope), so it is made in one place for
/// GraphQL and downloads alike.
pub(super) struct Download<Q> {
    pub actor: Actor,
    pub request_id: String,
    /// The reader's language, for the error answer.
    pub lang: crate::domain::Language,
    pub query: Q,
}

impl<Q> axum::extract::FromRequestParts<AppState> for Download<Q>
where
    Q: serde::de::DeserializeOwned + Default + Send,
{
    type Rejection = Response;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, state: &AppState) -> Result<Self, Response> {
        let request_id = request_id(&parts.headers);
        let lang = reader_language(&parts.headers);
        let auth = auth_state(state, &parts.headers)
            .await
            .map_err(|err| json_error(err, &request_id, lang))?;
        let actor = auth.actor().map_err(|err| json_error(err, &request_id, lang))?.clone();
        let query = match Query::<Q>::try_from_uri(&parts.uri) {
            Ok(Query(q)) => q,
            Err(rejection) => {
                return Err(json_error(
                    AppError::bad_input("query", crate::msg!("query-invalid", detail = rejection.body_text())),
                    &request_id,
                    lang,
                ))
            }
        };
        Ok(Download {
            actor,
            request_id,
            lang,
            query,
        })
    }
}

impl<Q> Download<Q> {
    /// The error answer of this download.
    pub fn error(&self, err: AppError) -> Response {
        json_error(err, &self.request_id, self.lang)
    }
}

/// A file format a download names with `?format=`: its parser, the default and the words for a bad one.
pub(super) trait FileFormat: Sized {
    const DEFAULT: &'static str;
    const EXPECTED: &'static str;
    fn parse(text: &str) -> Option<Self>;
}

impl FileFormat for crate::tabular::ExportFormat {
    const DEFAULT: &'static str = "csv";
    const EXPECTED: &'static str = "csv, xlsx";
    fn parse(text: &str) -> Option<Self> {
        crate::tabular::ExportFormat::parse(text)
    }
}

impl FileFormat for crate::payouts::export::BankFileFormat {
    const DEFAULT: &'static str = "csv";
    const EXPECTED: &'static str = "csv, pain.001.001.09, pain.001.001.03";
    fn parse(text: &str) -> Option<Self> {
        crate::payouts::export::BankFileFormat::parse(text)
    }
}

impl FileFormat for crate::feedback::PosterFormat {
    const DEFAULT: &'static str = "svg";
    const EXPECTED: &'static str = "svg, pdf";
    fn parse(text: &str) -> Option<Self> {
        crate::feedback::PosterFormat::parse(text)
    }
}

/// `?format=` (the format's default when absent), or bad input naming `format`.
pub(super) fn format_of<F: FileFormat>(text: Option<&str>) -> Result<F, AppError> {
    F::parse(text.unwrap_or(F::DEFAULT))
        .ok_or_else(|| AppError::bad_input("format", crate::msg!("one-of", allowed = F::EXPECTED)))
}

/// A file download: its type, name and the body. A name with letters beyond ASCII (a wave called «Хвиля 3»)
/// is sent as RFC 6266's `filename*`, with an ASCII `filename` for old clients.
pub(super) fn attachment(content_type: &str, file_name: &str, body: axum::body::Body) -> Response {
    let ascii: String = file_name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let disposition = if ascii == file_name {
        format!("attachment; filename=\"{file_name}\"")
    } else {
        let encoded = percent_encoding::utf8_percent_encode(file_name, percent_encoding::NON_ALPHANUMERIC);
        format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
    };
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        body,
    )
        .into_response()
}

/// The query of a download that takes none (anything given is ignored).
#[derive(Deserialize, Default)]
pub(super) struct NoQuery {}

/// The query of a download that names only its format.
#[derive(Deserialize, Default)]
pub(super) struct FormatQuery {
    format: Option<String>,
}

/// A wave's visit-level results as CSV or XLSX (`?format=`, CSV by default): one row per approved visit, one
/// column per question, for a user who may read results (a client viewer: their own client's waves; another's
/// is `NOT_FOUND`). Streamed; see `results::export`.
pub(super) async fn export_results(
    State(state): State<AppState>,
    axum::extract::Path(id): axum::extract::Path<String>,
    download: Download<FormatQuery>,
) -> Response {
    let format = match format_of::<crate::tabular::ExportFormat>(download.query.format.as_deref()) {
        Ok(format) => format,
        Err(err) => return download.error(err),
    };
    let plan = match state.results.start_export(&download.actor, &id, format).await {
        Ok(plan) => plan,
        Err(err) => return download.error(err),
    };
    let file_name = plan.file_name(format);
    match state.results.export(plan, format).await {
        Ok(bytes) => attachment(format.content_type(), &file_name, axum::body::Body::from_stream(bytes)),
        Err(err) => download.error(err),
    }
}

/// A payout batch as a bank file (CSV, pain.001.001.09 or .03), streamed page by page from the database so a
/// batch of any size takes bounded memory, for a `PAYMENTS` or `ADMIN` user.
pub(super) async fn export_batch(
    State(state): State<AppState>,
    axum::extract::Path(id): axum::extract::Path<String>,
    download: Download<FormatQuery>,
) -> Response {
    let format = match format_of::<crate::payouts::export::BankFileFormat>(download.query.format.as_deref()) {
        Ok(format) => format,
        Err(err) => return download.error(err),
    };
    let header = match state.payouts.start_export(&download.actor, &id, format).await {
        Ok(header) => header,
        Err(err) => return download.error(err),
    };
    let file_name = format!(
        "payout-{}-{}.{}",
        header.batch_id,
        header.message_id,
        format.extension()
    );
    let stream = state.payouts.export_stream(format, header);
    attachment(format.content_type(), &file_name, axum::body::Body::from_stream(stream))
}

#[derive(serde::Deserialize, Default)]
pub(super) struct CallsQuery {
    /// `csv` (default) or `xlsx`.
    format: Option<String>,
}

/// Every call of a phone interview study as CSV or XLSX: supervisors, with the session token.
pub(super) async fn export_cati_calls(
    State(state): State<AppState>,
    axum::extract::Path(study_id): axum::extract::Path<String>,
    download: Download<CallsQuery>,
) -> Response {
    if !download.actor.can(crate::auth::Permission::SuperviseCalls) {
        return download.error(AppError::forbidden());
    }
    let format = match format_of::<crate::tabular::ExportFormat>(download.query.format.as_deref()) {
        Ok(format) => format,
        Err(err) => return download.error(err),
    };
    match state.cati.export_calls(&study_id, format).await {
        Ok(bytes) => attachment(
            format.content_type(),
            &format!("calls-{study_id}.{}", format.extension()),
            axum::body::Body::from_stream(bytes),
        ),
        Err(err) => download.error(err),
    }
}
