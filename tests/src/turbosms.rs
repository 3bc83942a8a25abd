//! A stand-in for TurboSMS (turbosms.ua/api.html), a real HTTP server in the test process speaking its shapes:
//! `POST /message/send.json` (bearer token; `recipients` without `+`; an `sms` part and, for hybrid sending, a
//! `viber` part with `ttl`; `sequence_id` runs a request once and a repeat gets the first answer) answered with
//! HTTP 200 and `{response_code, response_status, response_result}`, one result per recipient (a `message_id`,
//! or `null` and a named error); `POST /message/status.json` with `messages` answers each message's `status`
//! and `type`. A test scripts the misbehaviour: a rejected or stop-listed number, 429 with Retry-After, 5xx, an
//! answer too slow to wait for, a request accepted whose answer never arrives, reports repeated or late.

use std::collections::{HashMap, HashSet, VecDeque};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde_json::{json, Value};

pub const TOKEN: &str = "turbosms-test-token";

/// One message the stand-in took (a repeat of a `sequence_id` is not a new one).
#[derive(Debug, Clone)]
pub struct Taken {
    pub message_id: String,
    pub phone: String,
    pub sequence_id: Option<String>,
    /// The SMS part (absent when Viber was sent alone).
    pub sms_text: Option<String>,
    pub viber_text: Option<String>,
    pub viber_ttl: Option<u64>,
}

impl Taken {
    /// The message's text, whichever part carries it.
    pub fn text(&self) -> &str {
        self.sms_text
            .as_deref()
            .or(self.viber_text.as_deref())
            .unwrap_or_default()
    }
}

/// What the next send request gets instead of the normal answer.
#[derive(Debug, Clone)]
pub enum Misbehave {
    /// HTTP 429 with this Retry-After (seconds).
    RateLimited(u64),
    /// HTTP 5xx.
    ServerError(u16),
    /// No answer for this long (longer than the client waits: a time-out); nothing is taken.
    Slow(Duration),
    /// The message is taken, then the answer is held this long (the client gives up waiting: to it, the same
    /// as a crash after the provider accepted).
    TakenThenSlow(Duration),
}

#[derive(Default)]
struct Inner {
    taken: Vec<Taken>,
    send_requests: usize,
    status_requests: usize,
    by_sequence: HashMap<String, Value>,
    script: VecDeque<Misbehave>,
    rejected: HashSet<String>,
    stop_listed: HashSet<String>,
    /// message id → the reports the next status requests give, in order (the last one stays).
    reports: HashMap<String, VecDeque<(String, String)>>,
    /// Every answer to a send request is held this long after the message was taken.
    answer_after: Option<Duration>,
}

/// The stand-in server.
#[derive(Clone)]
pub struct TurboSmsStandIn {
    pub url: String,
    inner: Arc<Mutex<Inner>>,
}

impl TurboSmsStandIn {
    pub async fn start() -> Self {
        let inner = Arc::new(Mutex::new(Inner::default()));
        let app = Router::new()
            .route("/message/send.json", post(send))
            .route("/message/status.json", post(status))
            .with_state(inner.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a port");
        let addr: SocketAddr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            axum::serve(listener, app).await.ok();
        });
        Self {
            url: format!("http://{addr}"),
            inner,
        }
    }

    pub fn taken(&self) -> Vec<Taken> {
        self.inner.lock().unwrap().taken.clone()
    }

    pub fn send_requests(&self) -> usize {
        self.inner.lock().unwrap().send_requests
    }

    pub fn status_requests(&self) -> usize {
        self.inner.lock().unwrap().status_requests
    }

    /// The next send requests misbehave, in this order.
    pub fn script(&self, steps: impl IntoIterator<Item = Misbehave>) {
        self.inner.lock().unwrap().script.extend(steps);
    }

    /// From now on every send request is taken at once and answered this much later (a slow provider, so a
    /// server killed meanwhile leaves messages taken but not recorded).
    pub fn answer_after(&self, wait: Duration) {
        self.inner.lock().unwrap().answer_after = Some(wait);
    }

    /// A number (`380…`) the provider cannot reach.
    pub fn reject(&self, phone: &str) {
        self.inner.lock().unwrap().rejected.insert(phone.to_string());
    }

    /// A number that blocked the sender.
    pub fn stop_list(&self, phone: &str) {
        self.inner.lock().unwrap().stop_listed.insert(phone.to_string());
    }

    /// What the next status requests say about a message, one report per request (`status`, `type`), the last
    /// repeated after.
    pub fn report(&self, message_id: &str, reports: &[(&str, &str)]) {
        self.inner.lock().unwrap().reports.insert(
            message_id.to_string(),
            reports.iter().map(|(s, t)| (s.to_string(), t.to_string())).collect(),
        );
    }

    /// Waits (polling, with a deadline) until `n` messages were taken.
    pub async fn wait_for(&self, n: usize) -> Vec<Taken> {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let taken = self.taken();
            if taken.len() >= n {
                return taken;
            }
            assert!(
                Instant::now() < deadline,
                "the provider took {} of {n} messages",
                taken.len()
            );
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }
}

fn answer(code: i64, status: &str, result: Value) -> Response {
    Json(json!({ "response_code": code, "response_status": status, "response_result": result })).into_response()
}

fn authorised(headers: &HeaderMap) -> bool {
    headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v == format!("Bearer {TOKEN}") || v == format!("Basic {TOKEN}"))
}

async fn send(State(inner): State<Arc<Mutex<Inner>>>, headers: HeaderMap, body: Json<Value>) -> Response {
    let misbehave = {
        let mut inner = inner.lock().unwrap();
        inner.send_requests += 1;
        inner.script.pop_front()
    };
    match misbehave {
        Some(Misbehave::RateLimited(secs)) => {
            let mut response = (StatusCode::TOO_MANY_REQUESTS, "Too Many Requests").into_response();
            response
                .headers_mut()
                .insert("retry-after", HeaderValue::from_str(&secs.to_string()).unwrap());
            return response;
        }
        Some(Misbehave::ServerError(code)) => {
            return (StatusCode::from_u16(code).unwrap(), "<html>Bad Gateway</html>").into_response();
        }
        Some(Misbehave::Slow(wait)) => {
            tokio::time::sleep(wait).await;
            return answer(999, "FATAL_ERROR", Value::Null);
        }
        Some(Misbehave::TakenThenSlow(wait)) => {
            let taken = take(&inner, &headers, &body);
            tokio::time::sleep(wait).await;
            return taken;
        }
        None => {}
    }
    let answer = take(&inner, &headers, &body);
    let wait = inner.lock().unwrap().answer_after;
    if let Some(wait) = wait {
        tokio::time::sleep(wait).await;
    }
    answer
}

/// The normal answer to a send request.
fn take(inner: &Mutex<Inner>, headers: &HeaderMap, Json(body): &Json<Value>) -> Response {
    if !authorised(headers) {
        return answer(103, "REQUIRED_TOKEN", Value::Null);
    }
    let mut inner = inner.lock().unwrap();
    let sequence = body["sequence_id"].as_str().map(str::to_string);
    if let Some(first) = sequence.as_ref().and_then(|s| inner.by_sequence.get(s)) {
        return Json(first.clone()).into_response();
    }
    let Some(recipients) = body["recipients"].as_array().filter(|r| !r.is_empty()) else {
        return answer(104, "REQUIRED_RECIPIENT", Value::Null);
    };
    // An `sms` part, a `viber` part, or both (hybrid); at least one.
    let sms_text = body["sms"]["text"].as_str().filter(|t| !t.is_empty());
    let viber_text = body["viber"]["text"].as_str().filter(|t| !t.is_empty());
    let Some(text) = sms_text.or(viber_text) else {
        return answer(104, "REQUIRED_CONTENT", Value::Null);
    };
    if text.chars().count() > 1000 {
        return answer(205, "INVALID_TEXT_LENGTH", Value::Null);
    }
    let mut results = Vec::new();
    for recipient in recipients {
        let phone = recipient.as_str().unwrap_or_default().to_string();
        let malformed = phone.starts_with('+') || phone.len() != 12 || !phone.chars().all(|c| c.is_ascii_digit());
        let refused = if malformed || inner.rejected.contains(&phone) {
            Some((406, "INVALID_PHONE"))
        } else if inner.stop_listed.contains(&phone) {
            Some((409, "NOT_ALLOWED_RECIPIENT_STOPLIST"))
        } else {
            None
        };
        match refused {
            Some((code, status)) => results.push(json!({
                "phone": phone, "response_code": code, "message_id": null, "response_status": status
            })),
            None => {
                let message_id = uuid::Uuid::new_v4().to_string();
                inner.taken.push(Taken {
                    message_id: message_id.clone(),
                    phone: phone.clone(),
                    sequence_id: sequence.clone(),
                    sms_text: sms_text.map(str::to_string),
                    viber_text: viber_text.map(str::to_string),
                    viber_ttl: body["viber"]["ttl"].as_u64(),
                });
                let kind = if viber_text.is_some() { "viber" } else { "sms" };
                inner
                    .reports
                    .entry(message_id.clone())
                    .or_insert_with(|| VecDeque::from([("Queued".to_string(), kind.to_string())]));
                results.push(json!({
                    "phone": phone, "response_code": 0, "message_id": message_id, "response_status": "OK"
                }));
            }
        }
    }
    let full = json!({
        "response_code": 800, "response_status": "SUCCESS_MESSAGE_ACCEPTED", "response_result": results
    });
    if let Some(sequence) = sequence {
        inner.by_sequence.insert(sequence, full.clone());
    }
    Json(full).into_response()
}

async fn status(State(inner): State<Arc<Mutex<Inner>>>, headers: HeaderMap, Json(body): Json<Value>) -> Response {
    if !authorised(&headers) {
        return answer(103, "REQUIRED_TOKEN", Value::Null);
    }
    let mut inner = inner.lock().unwrap();
    inner.status_requests += 1;
    let Some(ids) = body["messages"].as_array() else {
        return answer(104, "REQUIRED_MESSAGES", Value::Null);
    };
    let mut results = Vec::new();
    for id in ids {
        let id = id.as_str().unwrap_or_default();
        let Some(queue) = inner.reports.get_mut(id) else {
            results.push(json!({ "message_id": id, "response_code": 404, "response_status": "NOT_FOUND" }));
            continue;
        };
        let (status, kind) = if queue.len() > 1 {
            queue.pop_front().unwrap()
        } else {
            queue.front().cloned().unwrap()
        };
        results.push(json!({
            "message_id": id, "response_code": 0, "response_status": "OK", "recipient": "",
            "sent": "2026-12-08 09:00:05", "updated": "2026-12-08 09:00:07", "status": status, "type": kind,
            "rejected_status": if status == "Undelivered" { json!("UNDELIVERABLE") } else { Value::Null },
        }));
    }
    answer(0, "OK", Value::Array(results))
}
