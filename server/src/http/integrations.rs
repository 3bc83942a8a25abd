//! Machine endpoints for integrations (docs/INVITATIONS.md): `POST /api/v1/service-events`, where a center's
//! system reports completed services with its API key (`Authorization: Bearer fwk_…`).
//!
//! The body is `{"events": [ … up to 1,000 … ]}` (staff sessions add `"clientId"`). The answer is 200 with one
//! result per event, in order: `ACCEPTED`, `DUPLICATE` (the external id was reported before with the same
//! content) or `REFUSED` with its errors (field, code, message in the reader's language). A body that is not
//! such JSON is a 400 naming where it went wrong; a missing, unknown, expired or revoked key a 401; a key
//! without `events:write` a 403.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use super::{auth_state, content_type_essence, json_error, reader_language, request_id, AppState};
use crate::domain::service_event::{EventInput, MAX_BATCH};
use crate::domain::{Language, ValidationError};
use crate::error::AppError;
use crate::events::{Arrived, BatchOutcome, ItemStatus, Reporter, Source};
use crate::graphql::AuthState;

pub(super) async fn post_service_events(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let request_id = request_id(&headers);
    let lang = reader_language(&headers);
    let fail = |err: AppError| json_error(err, &request_id, lang);
    let auth = match auth_state(&state, &headers).await {
        Ok(auth) => auth,
        Err(err) => return fail(err),
    };
    let unauthenticated = match &auth {
        AuthState::Anonymous => Some(crate::msg!("api-key-needed")),
        AuthState::InvalidToken => Some(crate::msg!("api-key-invalid")),
        _ => None,
    };
    if let Some(message) = unauthenticated {
        let mut response = fail(AppError::Unauthenticated(message));
        response
            .headers_mut()
            .insert(header::WWW_AUTHENTICATE, "Bearer".parse().expect("a header value"));
        return response;
    }
    if content_type_essence(&headers) != "application/json" {
        let mut response = fail(AppError::bad_input("body", crate::msg!("events-body-json")));
        *response.status_mut() = StatusCode::UNSUPPORTED_MEDIA_TYPE;
        return response;
    }
    let (client_id, inputs) = match read_batch(&body) {
        Ok(batch) => batch,
        Err(err) => return fail(err),
    };
    let reporter = match &auth {
        AuthState::Key(key) => Reporter::Key(key),
        AuthState::User(actor) => Reporter::Staff(actor),
        AuthState::Anonymous | AuthState::InvalidToken => unreachable!("answered above"),
    };
    match state
        .events
        .report(reporter, client_id.as_deref(), &inputs, Source::Api)
        .await
    {
        Ok(outcome) => (StatusCode::OK, Json(outcome_json(&outcome, lang))).into_response(),
        Err(err) => fail(err),
    }
}

/// The body as a client id and the events, each read on its own: a wrong type in one event refuses that event,
/// not the batch.
fn read_batch(body: &[u8]) -> Result<(Option<String>, Vec<Arrived>), AppError> {
    let value: Value = serde_json::from_slice(body)
        .map_err(|e| AppError::bad_input("body", crate::msg!("request-invalid", detail = e.to_string())))?;
    let Value::Object(mut object) = value else {
        return Err(AppError::bad_input("body", crate::msg!("events-body-shape")));
    };
    let client_id = match object.remove("clientId") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s),
        Some(_) => return Err(AppError::bad_input("clientId", crate::msg!("events-body-shape"))),
    };
    let Some(Value::Array(events)) = object.remove("events") else {
        return Err(AppError::bad_input("events", crate::msg!("events-body-shape")));
    };
    if events.is_empty() || events.len() > MAX_BATCH {
        return Err(AppError::bad_input(
            "events",
            crate::msg!("events-batch-size", max = MAX_BATCH),
        ));
    }
    let inputs = events
        .into_iter()
        .map(|event| {
            serde_path_to_error::deserialize::<_, EventInput>(event).map_err(|e| {
                let path = e.path().to_string();
                let field = if path == "." { "event".to_string() } else { path };
                vec![ValidationError::new(field, crate::msg!("event-field-type"))]
            })
        })
        .collect();
    Ok((client_id, inputs))
}

fn status_name(status: ItemStatus) -> &'static str {
    match status {
        ItemStatus::Accepted => "ACCEPTED",
        ItemStatus::Duplicate => "DUPLICATE",
        ItemStatus::Refused => "REFUSED",
    }
}

fn outcome_json(outcome: &BatchOutcome, lang: Language) -> Value {
    let results: Vec<Value> = outcome
        .items
        .iter()
        .map(|item| {
            let mut result = json!({
                "index": item.index,
                "externalId": item.external_id,
                "status": status_name(item.status),
            });
            if let Some(id) = &item.event_id {
                result["eventId"] = json!(id);
            }
            if !item.errors.is_empty() {
                result["errors"] = item
                    .errors
                    .iter()
                    .map(|e| {
                        json!({
                            "field": e.field,
                            "code": e.message.code,
                            "params": e.message.args,
                            "message": crate::i18n::render_field_error(lang, &e.field, &e.message),
                        })
                    })
                    .collect();
            }
            result
        })
        .collect();
    json!({
        "accepted": outcome.count(ItemStatus::Accepted),
        "duplicates": outcome.count(ItemStatus::Duplicate),
        "refused": outcome.count(ItemStatus::Refused),
        "results": results,
    })
}

/// `POST /hooks/twilio/status?attempt=…`: Twilio's delivery report on one message, form-encoded and signed
/// (`X-Twilio-Signature`). 403 unless the signature is Twilio's over the URL we gave and the fields as sent;
/// otherwise 204, also for a repeated, late or unknown report (nothing moves back; Twilio need not retry).
pub(super) async fn twilio_status(
    State(state): State<AppState>,
    uri: axum::http::Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let request_id = request_id(&headers);
    let signature = headers
        .get("x-twilio-signature")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let fields: Vec<(String, String)> = url::form_urlencoded::parse(&body).into_owned().collect();
    match state.invitations.pushed_report(uri.query(), &fields, signature).await {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(err) => json_error(err, &request_id, Language::En),
    }
}
