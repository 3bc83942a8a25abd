//! Files over plain HTTP: photos behind signed, expiring links, and a payout batch's bank file, streamed.

use super::*;

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
    if !state.storage.verify(&key, q.expires, &q.sig, crate::db::now_ms()) {
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
    let request_id = request_id(&headers);
    let auth = match auth_state(&state, &headers).await {
        Ok(auth) => auth,
        Err(err) => return json_error(err, &request_id),
    };
    let actor = match auth.actor() {
        Ok(actor) => actor.clone(),
        Err(err) => return json_error(err, &request_id),
    };
    if id.chars().any(char::is_control) {
        return json_error(
            AppError::bad_input("id", "must not contain control characters"),
            &request_id,
        );
    }
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
    (
        [
            (header::CONTENT_TYPE, format.content_type().to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file_name}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        axum::body::Body::from_stream(stream),
    )
        .into_response()
}
