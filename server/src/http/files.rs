//! Files over plain HTTP: photos behind signed, expiring links, and a payout batch's bank file, streamed.

use super::*;
use crate::auth::Actor;

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

/// The caller of a download route (`Authorization: Bearer …`) and the request id, or the error response; the
/// path's id is checked for control characters like every GraphQL string.
pub(super) async fn download_caller(
    state: &AppState,
    headers: &HeaderMap,
    id: &str,
) -> Result<(Actor, String), Response> {
    let request_id = request_id(headers);
    let auth = auth_state(state, headers)
        .await
        .map_err(|err| json_error(err, &request_id))?;
    let actor = auth.actor().map_err(|err| json_error(err, &request_id))?.clone();
    if id.chars().any(char::is_control) {
        return Err(json_error(
            AppError::bad_input("id", "must not contain control characters"),
            &request_id,
        ));
    }
    Ok((actor, request_id))
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

/// A wave's visit-level results as CSV or XLSX (`?format=`, CSV by default): one row per approved visit, one
/// column per question. `Authorization: Bearer …` of a user who may read results (a client viewer: their own
/// client's waves; another's is `NOT_FOUND`). Streamed; see `results::export`.
pub(super) async fn export_results(
    State(state): State<AppState>,
    axum::extract::Path(id): axum::extract::Path<String>,
    headers: HeaderMap,
    query: Result<Query<ExportQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    use crate::results::ExportFormat;
    let (actor, request_id) = match download_caller(&state, &headers, &id).await {
        Ok(caller) => caller,
        Err(response) => return response,
    };
    if !actor.can(crate::auth::Permission::ReadResults) {
        return json_error(AppError::forbidden(), &request_id);
    }
    let format_text = query.ok().and_then(|Query(q)| q.format).unwrap_or_else(|| "csv".into());
    let Some(format) = ExportFormat::parse(&format_text) else {
        return json_error(AppError::bad_input("format", "must be csv or xlsx"), &request_id);
    };
    let plan = match state.results.start_export(&actor, &id, format).await {
        Ok(plan) => plan,
        Err(err) => return json_error(err, &request_id),
    };
    let file_name = plan.file_name(format);
    match state.results.export(plan, format).await {
        Ok(bytes) => attachment(format.content_type(), &file_name, axum::body::Body::from_stream(bytes)),
        Err(err) => json_error(err, &request_id),
    }
}

#[derive(Deserialize)]
pub(super) struct ExportQuery {
    format: Option<String>,
}

/// A payout batch as a bank file (CSV, pain.001.001.09 or .03), streamed page by page from the database so a
/// batch of any size takes bounded memory. `Authorization: Bearer …` of a `PAYMENTS` or `ADMIN` user.
pub(super) async fn export_batch(
    State(state): State<AppState>,
    axum::extract::Path(id): axum::extract::Path<String>,
    headers: HeaderMap,
    query: Result<Query<ExportQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    use crate::payouts::export::ExportFormat;
    let (actor, request_id) = match download_caller(&state, &headers, &id).await {
        Ok(caller) => caller,
        Err(response) => return response,
    };
    let format_text = query.ok().and_then(|Query(q)| q.format).unwrap_or_else(|| "csv".into());
    let Some(format) = ExportFormat::parse(&format_text) else {
        return json_error(
            AppError::bad_input("format", "must be csv, pain.001.001.09 or pain.001.001.03"),
            &request_id,
        );
    };
    let header = match state.payouts.start_export(&actor, &id, format).await {
        Ok(header) => header,
        Err(err) => return json_error(err, &request_id),
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
