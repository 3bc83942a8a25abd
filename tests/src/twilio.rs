//! A stand-in for Twilio's Programmable Messaging (twilio.com/docs/messaging/api/message-resource), a real HTTP
//! server in the test process speaking its shapes:
//!
//! - `POST /2010-04-01/Accounts/{AccountSid}/Messages.json`, basic auth (the account and its auth token), form
//!   fields `To`, `From` or `MessagingServiceSid`, `Body`, `StatusCallback`, `ValidityPeriod`: `201` with the
//!   message resource (`sid` `SM…`, `status` `queued`, `num_segments`…), or an error
//!   `{code, message, more_info, status}`: 401/20003 (credentials), 400/21211 (not a valid number), 400/21610
//!   (the recipient unsubscribed), 400/21617 (body over 1,600 characters), 429/20429 with Retry-After, 5xx.
//!   Twilio takes no idempotency key: a request repeated is a second message.
//! - `GET …/Messages.json?To=…&DateSent>=…&PageSize=…`: the list, newest first; `GET …/Messages/{sid}.json`.
//! - Reports pushed to the message's `StatusCallback`: form-encoded (`MessageSid`, `SmsSid`, `MessageStatus`,
//!   `SmsStatus`, `AccountSid`, `From`, `To`, `ApiVersion`, `ErrorCode` when it failed), signed
//!   `X-Twilio-Signature` = base64(HMAC-SHA1(auth token, URL + each field's name and value in name order)).
//!   The test decides when, how often and in which order they go.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine as _;
use hmac::Mac as _;
use serde_json::{json, Value};

pub const ACCOUNT_SID: &str = "AC0123456789abcdef0123456789abcdef";
pub const AUTH_TOKEN: &str = "twilio-test-auth-token";

/// One message the stand-in took.
#[derive(Debug, Clone)]
pub struct Message {
    pub sid: String,
    pub to: String,
    pub from: Option<String>,
    pub body: String,
    pub status_callback: Option<String>,
    pub validity_period: Option<String>,
    pub status: String,
    pub error_code: Option<i64>,
    pub date_sent: chrono::DateTime<chrono::Utc>,
}

/// What the next create request gets instead of the normal answer.
#[derive(Debug, Clone)]
pub enum Misbehave {
    /// HTTP 429, Twilio code 20429, with this Retry-After (seconds).
    RateLimited(u64),
    /// HTTP 5xx.
    ServerError(u16),
    /// The message is taken, then the answer is held this long (the client gives up waiting).
    TakenThenSlow(Duration),
}

#[derive(Default)]
struct Inner {
    messages: Vec<Message>,
    create_requests: usize,
    list_requests: usize,
    fetch_requests: usize,
    script: VecDeque<Misbehave>,
    unsubscribed: Vec<String>,
    answer_after: Option<Duration>,
}

/// The stand-in server.
#[derive(Clone)]
pub struct TwilioStandIn {
    pub url: String,
    inner: Arc<Mutex<Inner>>,
    http: reqwest::Client,
    /// Where the public URL's reports really go (the service behind its proxy): the scheme and host of a
    /// `StatusCallback` are swapped for this when the report is posted; the signature is over the URL as given.
    deliver_to: Arc<Mutex<Option<String>>>,
}

type Shared = Arc<Mutex<Inner>>;

impl TwilioStandIn {
    pub async fn start() -> Self {
        let inner: Shared = Arc::default();
        let messages = format!("/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json");
        let one = format!("/2010-04-01/Accounts/{ACCOUNT_SID}/Messages/{{sid}}");
        let app = Router::new()
            .route(&messages, post(create).get(list))
            .route(&one, get(fetch))
            .with_state(inner.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a port");
        let addr: SocketAddr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            axum::serve(listener, app).await.ok();
        });
        Self {
            url: format!("http://{addr}"),
            inner,
            http: reqwest::Client::new(),
            deliver_to: Arc::default(),
        }
    }

    /// Posts reports to this base URL instead of the callback's own scheme and host.
    pub fn deliver_reports_to(&self, base_url: &str) {
        *self.deliver_to.lock().unwrap() = Some(base_url.trim_end_matches('/').to_string());
    }

    /// Changes a message's status without a report (what a fetch then says).
    pub fn set_status(&self, sid: &str, status: &str) {
        let mut inner = self.inner.lock().unwrap();
        if let Some(m) = inner.messages.iter_mut().find(|m| m.sid == sid) {
            m.status = status.to_string();
        }
    }

    pub fn messages(&self) -> Vec<Message> {
        self.inner.lock().unwrap().messages.clone()
    }

    pub fn create_requests(&self) -> usize {
        self.inner.lock().unwrap().create_requests
    }

    pub fn list_requests(&self) -> usize {
        self.inner.lock().unwrap().list_requests
    }

    pub fn fetch_requests(&self) -> usize {
        self.inner.lock().unwrap().fetch_requests
    }

    /// The next create requests misbehave, in this order.
    pub fn script(&self, steps: impl IntoIterator<Item = Misbehave>) {
        self.inner.lock().unwrap().script.extend(steps);
    }

    /// From now on every create request is taken at once and answered this much later.
    pub fn answer_after(&self, wait: Duration) {
        self.inner.lock().unwrap().answer_after = Some(wait);
    }

    /// A recipient who replied STOP to the sender (E.164).
    pub fn unsubscribe(&self, to: &str) {
        self.inner.lock().unwrap().unsubscribed.push(to.to_string());
    }

    /// Waits (polling, with a deadline) until `n` messages were taken.
    pub async fn wait_for(&self, n: usize) -> Vec<Message> {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let messages = self.messages();
            if messages.len() >= n {
                return messages;
            }
            assert!(
                Instant::now() < deadline,
                "Twilio took {} of {n} messages",
                messages.len()
            );
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }

    /// Pushes a report on a message to its `StatusCallback`, signed as Twilio signs; returns the HTTP status
    /// our service answered.
    pub async fn report(&self, sid: &str, status: &str, error_code: Option<i64>) -> u16 {
        self.push(sid, status, error_code, None).await
    }

    /// The same report, but signed with another token (a forgery).
    pub async fn forged_report(&self, sid: &str, status: &str) -> u16 {
        self.push(sid, status, None, Some("not-the-auth-token")).await
    }

    async fn push(&self, sid: &str, status: &str, error_code: Option<i64>, token: Option<&str>) -> u16 {
        let message = {
            let mut inner = self.inner.lock().unwrap();
            let message = inner
                .messages
                .iter_mut()
                .find(|m| m.sid == sid)
                .expect("a message the stand-in took");
            message.status = status.to_string();
            message.error_code = error_code;
            message.clone()
        };
        let url = message
            .status_callback
            .clone()
            .expect("the message named a StatusCallback");
        let mut fields = vec![
            ("AccountSid".to_string(), ACCOUNT_SID.to_string()),
            ("ApiVersion".to_string(), "2010-04-01".to_string()),
            ("From".to_string(), message.from.clone().unwrap_or_default()),
            ("MessageSid".to_string(), sid.to_string()),
            ("MessageStatus".to_string(), status.to_string()),
            ("SmsSid".to_string(), sid.to_string()),
            ("SmsStatus".to_string(), status.to_string()),
            ("To".to_string(), message.to.clone()),
        ];
        if let Some(code) = error_code {
            fields.push(("ErrorCode".to_string(), code.to_string()));
        }
        let signature = sign(token.unwrap_or(AUTH_TOKEN), &url, &fields);
        let target = match self.deliver_to.lock().unwrap().clone() {
            Some(base) => {
                let parsed = url::Url::parse(&url).expect("a callback URL");
                let rest = &parsed[url::Position::BeforePath..];
                format!("{base}{rest}")
            }
            None => url.clone(),
        };
        self.http
            .post(&target)
            .header("x-twilio-signature", signature)
            .header("i-twilio-idempotency-token", uuid::Uuid::new_v4().to_string())
            .form(&fields)
            .send()
            .await
            .expect("the service answers the report")
            .status()
            .as_u16()
    }
}

/// Twilio's signature over a URL and form fields.
pub fn sign(token: &str, url: &str, fields: &[(String, String)]) -> String {
    let mut sorted: Vec<&(String, String)> = fields.iter().collect();
    sorted.sort();
    let mut text = url.to_string();
    for (name, value) in sorted {
        text.push_str(name);
        text.push_str(value);
    }
    let mut mac = hmac::Hmac::<sha1::Sha1>::new_from_slice(token.as_bytes()).unwrap();
    mac.update(text.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

fn error(status: u16, code: i64, message: &str) -> Response {
    (
        StatusCode::from_u16(status).unwrap(),
        Json(json!({
            "code": code, "message": message,
            "more_info": format!("https://www.twilio.com/docs/errors/{code}"), "status": status,
        })),
    )
        .into_response()
}

fn authorised(headers: &HeaderMap) -> bool {
    let expected = base64::engine::general_purpose::STANDARD.encode(format!("{ACCOUNT_SID}:{AUTH_TOKEN}"));
    headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v == format!("Basic {expected}"))
}

fn resource(m: &Message) -> Value {
    json!({
        "account_sid": ACCOUNT_SID, "api_version": "2010-04-01", "body": m.body,
        "date_created": m.date_sent.to_rfc2822(), "date_sent": m.date_sent.to_rfc2822(), "date_updated": m.date_sent.to_rfc2822(),
        "direction": "outbound-api", "error_code": m.error_code, "error_message": null, "from": m.from,
        "messaging_service_sid": null, "num_media": "0", "num_segments": "1", "price": null, "price_unit": "USD",
        "sid": m.sid, "status": m.status, "to": m.to,
        "uri": format!("/2010-04-01/Accounts/{ACCOUNT_SID}/Messages/{}.json", m.sid),
    })
}

async fn create(State(inner): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    let misbehave = {
        let mut inner = inner.lock().unwrap();
        inner.create_requests += 1;
        inner.script.pop_front()
    };
    match misbehave {
        Some(Misbehave::RateLimited(secs)) => {
            let mut response = error(429, 20429, "Too Many Requests");
            response
                .headers_mut()
                .insert("retry-after", HeaderValue::from_str(&secs.to_string()).unwrap());
            return response;
        }
        Some(Misbehave::ServerError(status)) => {
            return error(status, 20500, "An internal server error has occurred");
        }
        Some(Misbehave::TakenThenSlow(wait)) => {
            let answer = take(&inner, &headers, &body);
            tokio::time::sleep(wait).await;
            return answer;
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

fn take(inner: &Mutex<Inner>, headers: &HeaderMap, body: &[u8]) -> Response {
    if !authorised(headers) {
        return error(401, 20003, "Authenticate");
    }
    let fields: Vec<(String, String)> = url::form_urlencoded::parse(body).into_owned().collect();
    let field = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
    let Some(to) = field("To") else {
        return error(400, 21604, "A 'To' phone number is required.");
    };
    let from = field("From");
    if from.is_none() && field("MessagingServiceSid").is_none() {
        return error(400, 21603, "A 'From' phone number is required.");
    }
    let body = field("Body").unwrap_or_default();
    if body.is_empty() {
        return error(400, 21602, "Message body is required.");
    }
    if body.chars().count() > 1_600 {
        return error(
            400,
            21617,
            "The concatenated message body exceeds the 1600 character limit.",
        );
    }
    let digits = to.strip_prefix('+').unwrap_or_default();
    if !(8..=15).contains(&digits.len()) || !digits.chars().all(|c| c.is_ascii_digit()) {
        return error(400, 21211, &format!("Invalid 'To' Phone Number: {to}"));
    }
    let mut inner = inner.lock().unwrap();
    if inner.unsubscribed.contains(&to) {
        return error(400, 21610, "Attempt to send to unsubscribed recipient");
    }
    let message = Message {
        sid: format!("SM{}", uuid::Uuid::new_v4().simple()),
        to,
        from,
        body,
        status_callback: field("StatusCallback"),
        validity_period: field("ValidityPeriod"),
        status: "queued".into(),
        error_code: None,
        date_sent: chrono::Utc::now(),
    };
    let answer = resource(&message);
    inner.messages.push(message);
    (StatusCode::CREATED, Json(answer)).into_response()
}

async fn list(State(inner): State<Shared>, headers: HeaderMap, RawQuery(query): RawQuery) -> Response {
    if !authorised(&headers) {
        return error(401, 20003, "Authenticate");
    }
    let query: Vec<(String, String)> = url::form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .into_owned()
        .collect();
    let field = |name: &str| query.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
    let mut inner = inner.lock().unwrap();
    inner.list_requests += 1;
    let since = field("DateSent>").and_then(|d| chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok());
    let page_size = field("PageSize").and_then(|p| p.parse().ok()).unwrap_or(50usize);
    let mut found: Vec<Value> = inner
        .messages
        .iter()
        .rev()
        .filter(|m| field("To").is_none_or(|to| m.to == to))
        .filter(|m| since.is_none_or(|d| m.date_sent.date_naive() >= d))
        .take(page_size)
        .map(resource)
        .collect();
    found.truncate(page_size);
    Json(json!({
        "messages": found, "page": 0, "page_size": page_size, "first_page_uri": null, "next_page_uri": null,
        "previous_page_uri": null, "uri": format!("/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json"),
    }))
    .into_response()
}

async fn fetch(State(inner): State<Shared>, headers: HeaderMap, Path(sid): Path<String>) -> Response {
    if !authorised(&headers) {
        return error(401, 20003, "Authenticate");
    }
    let mut inner = inner.lock().unwrap();
    inner.fetch_requests += 1;
    let sid = sid.trim_end_matches(".json");
    match inner.messages.iter().find(|m| m.sid == sid) {
        Some(message) => Json(resource(message)).into_response(),
        None => error(404, 20404, "The requested resource was not found"),
    }
}
