//! The providers that carry invitations, behind one interface: hand over one message (with our idempotency key)
//! and ask how messages fare. Each adapter turns its provider's answers into `domain::delivery`'s words.
//!
//! TurboSMS (turbosms.ua/api.html): `POST {base}/message/send.json` with the token as a bearer, the recipients
//! without `+`, an `sms` part and (hybrid) a `viber` part with its `ttl`: Viber first, the SMS if Viber did not
//! deliver in time, in one request. `sequence_id` makes a request run once, so a send repeated after a crash
//! is one message. Every valid request is answered with HTTP 200 and `{response_code, response_status,
//! response_result}`; the status names say what happened (`SUCCESS_MESSAGE_ACCEPTED`, per recipient `OK` with a
//! `message_id`, or a named error). Status by polling `POST {base}/message/status.json` with `messages`. With
//! `hybrid = false` the request carries the Viber part alone and the outbox sends the SMS itself when Viber has
//! not delivered within its time to live.
//!
//! Twilio (twilio.com/docs/messaging/api/message-resource): `POST {base}/2010-04-01/Accounts/{sid}/Messages.json`
//! (form fields `To`, `From` or `MessagingServiceSid`, `Body`, `StatusCallback`, `ValidityPeriod`; basic auth
//! with the account and its auth token) answered `201` with the message (`sid`, `status`), or an error
//! `{code, message, more_info, status}` whose code names what was refused (21211 the number, 21610 the
//! recipient unsubscribed, 21617 the text, 20003 our account; 429 with Retry-After when too fast). SMS only.
//! Reports are pushed to our `StatusCallback` URL, form-encoded and signed (`X-Twilio-Signature`: HMAC-SHA1
//! with the auth token over the URL followed by every field's name and value in name order, base64); a
//! message without a report for a while is fetched (`GET …/Messages/{sid}.json`). Twilio takes no
//! idempotency key, so a try after an earlier one that may have reached it first asks Twilio's list of
//! messages to that number since the invitation was due and adopts the one carrying our link; the callback URL
//! names our attempt, so a report for a message we never heard accepted (a crash in between) still finds it.

use std::time::Duration;

use base64::Engine as _;
use hmac::Mac as _;
use secrecy::ExposeSecret as _;
use serde_json::{json, Value};

use crate::config::InvitationSettings;
use crate::domain::delivery::{Delivery, Refusal, SendOutcome};

/// One message to hand over.
#[derive(Debug, Clone)]
pub struct Outgoing {
    /// Our idempotency key (the outbox attempt's id).
    pub key: String,
    /// E.164, with `+`.
    pub phone: String,
    pub text: String,
    /// Try Viber first (SMS after its time to live); `false`: SMS only.
    pub viber_first: bool,
    /// An earlier try of this attempt may have reached the provider (it was tried before and no answer was
    /// kept); the moment the invitation was due, from which a provider without idempotency keys looks back.
    pub earlier_try_since_ms: Option<i64>,
    /// Where the provider pushes its reports on this message, when it does.
    pub report_url: Option<String>,
}

/// What a message was sent on, as the outbox must know it for a fallback of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    /// Viber, and the provider itself sends the SMS if Viber does not deliver in time.
    Hybrid,
    /// Viber alone: the outbox sends the SMS if Viber does not deliver in time.
    Viber,
    Sms,
}

impl Route {
    pub fn as_str(self) -> &'static str {
        match self {
            Route::Hybrid => "HYBRID",
            Route::Viber => "VIBER",
            Route::Sms => "SMS",
        }
    }
}

/// A provider's word on one message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub message_id: String,
    pub delivery: Delivery,
    /// `VIBER` or `SMS`: what carried it, when the provider says.
    pub channel: Option<&'static str>,
    /// The provider's own status, for failures.
    pub detail: Option<String>,
}

/// The configured provider.
#[derive(Clone, Debug)]
pub enum Provider {
    TurboSms(TurboSms),
    Twilio(Twilio),
}

impl Provider {
    /// The provider of the settings, or `None` when invitations are only planned (`provider = "none"`).
    /// `public_url` is where the service answers from outside (a pushing provider's reports come back there).
    pub fn from_settings(settings: &InvitationSettings, public_url: &str) -> anyhow::Result<Option<Self>> {
        match settings.provider.as_str() {
            "none" | "" => Ok(None),
            "turbosms" => {
                let token = settings
                    .turbosms
                    .token
                    .as_ref()
                    .map(|t| t.expose_secret().to_string())
                    .filter(|t| !t.is_empty())
                    .ok_or_else(|| anyhow::anyhow!("invitations.turbosms.token is required for TurboSMS"))?;
                Ok(Some(Provider::TurboSms(TurboSms {
                    http: http_client(settings.request_timeout_ms)?,
                    base_url: settings.turbosms.base_url.trim_end_matches('/').to_string(),
                    token,
                    sms_sender: settings.turbosms.sms_sender.clone(),
                    viber_sender: settings.turbosms.viber_sender.clone(),
                    viber_ttl_secs: settings.turbosms.viber_ttl_secs,
                    hybrid: settings.turbosms.hybrid,
                })))
            }
            "twilio" => {
                let t = &settings.twilio;
                let auth_token = t
                    .auth_token
                    .as_ref()
                    .map(|t| t.expose_secret().to_string())
                    .filter(|t| !t.is_empty())
                    .ok_or_else(|| anyhow::anyhow!("invitations.twilio.auth_token is required for Twilio"))?;
                anyhow::ensure!(
                    !t.account_sid.is_empty(),
                    "invitations.twilio.account_sid is required for Twilio"
                );
                anyhow::ensure!(
                    !t.from.is_empty() || t.messaging_service_sid.as_deref().is_some_and(|s| !s.is_empty()),
                    "invitations.twilio.from or invitations.twilio.messaging_service_sid is required for Twilio"
                );
                Ok(Some(Provider::Twilio(Twilio {
                    http: http_client(settings.request_timeout_ms)?,
                    base_url: t.base_url.trim_end_matches('/').to_string(),
                    account_sid: t.account_sid.clone(),
                    auth_token,
                    from: t.from.clone(),
                    messaging_service_sid: t.messaging_service_sid.clone().filter(|s| !s.is_empty()),
                    validity_secs: t.validity_secs.clamp(1, 36_000),
                    report_url: format!("{}{TWILIO_REPORTS}", public_url.trim_end_matches('/')),
                })))
            }
            other => anyhow::bail!("invitations.provider: unknown provider {other:?} (none, turbosms, twilio)"),
        }
    }

    /// The name kept with each attempt.
    pub fn name(&self) -> &'static str {
        match self {
            Provider::TurboSms(_) => "turbosms",
            Provider::Twilio(_) => "twilio",
        }
    }

    /// What a message goes on: the citizen's wish (`viber_first`) as far as the provider carries it.
    pub fn route(&self, viber_first: bool) -> Route {
        match self {
            Provider::TurboSms(p) if viber_first => {
                if p.hybrid {
                    Route::Hybrid
                } else {
                    Route::Viber
                }
            }
            Provider::TurboSms(_) | Provider::Twilio(_) => Route::Sms,
        }
    }

    /// Can this provider send Viber at all?
    pub fn carries_viber(&self) -> bool {
        matches!(self, Provider::TurboSms(_))
    }

    /// Viber's time to live (after it, an undelivered Viber message falls back to SMS), ms.
    pub fn viber_ttl_ms(&self) -> i64 {
        match self {
            Provider::TurboSms(p) => i64::try_from(p.viber_ttl_secs.saturating_mul(1_000)).unwrap_or(i64::MAX),
            Provider::Twilio(_) => 0,
        }
    }

    /// Where a provider that pushes its reports sends them.
    pub fn report_base(&self) -> Option<&str> {
        match self {
            Provider::TurboSms(_) => None,
            Provider::Twilio(p) => Some(&p.report_url),
        }
    }

    /// The URL of an attempt's pushed reports, for a provider that pushes them.
    pub fn report_url(&self, attempt_id: &str) -> Option<String> {
        self.report_base().map(|base| format!("{base}?attempt={attempt_id}"))
    }

    /// A message on its way is asked about this often: reports that are pushed are only checked on.
    pub fn poll_every_ms(&self, settings: &InvitationSettings) -> i64 {
        match self {
            Provider::TurboSms(_) => settings.status_poll_ms.max(0),
            Provider::Twilio(_) => settings.twilio.safety_poll_ms.max(settings.status_poll_ms).max(0),
        }
    }

    pub async fn send(&self, message: &Outgoing) -> SendOutcome {
        match self {
            Provider::TurboSms(p) => p.send(message, self.route(message.viber_first)).await,
            Provider::Twilio(p) => p.send(message).await,
        }
    }

    /// Reports on messages by the provider's ids (those it knows nothing of are left out).
    pub async fn statuses(&self, message_ids: &[String]) -> anyhow::Result<Vec<Report>> {
        match self {
            Provider::TurboSms(p) => p.statuses(message_ids).await,
            Provider::Twilio(p) => p.statuses(message_ids).await,
        }
    }

    /// A pushed report, when its signature is the provider's: `url` is the URL it was sent to (as we gave it),
    /// `fields` the form's fields. `None` when it is not signed by the provider (or this provider pushes none).
    pub fn pushed_report(&self, url: &str, fields: &[(String, String)], signature: &str) -> Option<Report> {
        match self {
            Provider::Twilio(p) if p.signed(url, fields, signature) => twilio_report(fields),
            _ => None,
        }
    }
}

/// Where Twilio pushes its reports, under the service's public URL.
pub const TWILIO_REPORTS: &str = "/hooks/twilio/status";

fn http_client(timeout_ms: u64) -> anyhow::Result<reqwest::Client> {
    Ok(reqwest::Client::builder()
        .timeout(Duration::from_millis(timeout_ms.max(100)))
        .connect_timeout(Duration::from_millis(timeout_ms.clamp(100, 5_000)))
        .user_agent(concat!("fieldwork/", env!("CARGO_PKG_VERSION")))
        .build()?)
}

/// The TurboSMS adapter.
#[derive(Clone)]
pub struct TurboSms {
    http: reqwest::Client,
    base_url: String,
    token: String,
    sms_sender: String,
    viber_sender: String,
    viber_ttl_secs: u64,
    hybrid: bool,
}

impl std::fmt::Debug for TurboSms {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TurboSms")
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}

impl TurboSms {
    async fn send(&self, message: &Outgoing, route: Route) -> SendOutcome {
        let mut body = json!({
            "recipients": [message.phone.trim_start_matches('+')],
            "sequence_id": message.key,
        });
        if route != Route::Viber {
            body["sms"] = json!({ "sender": self.sms_sender, "text": message.text });
        }
        if route != Route::Sms {
            body["viber"] = json!({ "sender": self.viber_sender, "text": message.text, "ttl": self.viber_ttl_secs });
        }
        let answer = match self.post("message/send.json", &body).await {
            Ok(answer) => answer,
            Err(transient) => return transient,
        };
        let status = answer["response_status"].as_str().unwrap_or_default();
        if !status.starts_with("SUCCESS") && status != "OK" {
            return classify(status, &answer);
        }
        let Some(recipient) = answer["response_result"].as_array().and_then(|r| r.first()) else {
            return SendOutcome::Transient {
                after: None,
                detail: format!("{status} without a result"),
            };
        };
        let recipient_status = recipient["response_status"].as_str().unwrap_or_default();
        match recipient["message_id"].as_str().filter(|id| !id.is_empty()) {
            Some(id) if recipient_status == "OK" || recipient_status.starts_with("SUCCESS") => SendOutcome::Accepted {
                message_id: id.to_string(),
            },
            _ => classify(recipient_status, recipient),
        }
    }

    async fn statuses(&self, message_ids: &[String]) -> anyhow::Result<Vec<Report>> {
        if message_ids.is_empty() {
            return Ok(Vec::new());
        }
        let answer = self
            .post("message/status.json", &json!({ "messages": message_ids }))
            .await
            .map_err(|outcome| anyhow::anyhow!("TurboSMS status: {outcome:?}"))?;
        let status = answer["response_status"].as_str().unwrap_or_default();
        if !status.starts_with("SUCCESS") && status != "OK" {
            anyhow::bail!("TurboSMS status: {status}");
        }
        Ok(answer["response_result"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|item| {
                let message_id = item["message_id"].as_str()?.to_string();
                let reported = item["status"].as_str()?;
                let delivery = match reported {
                    "Queued" | "Accepted" => Delivery::Queued,
                    "Sent" => Delivery::Sent,
                    "Delivered" => Delivery::Delivered,
                    "Read" => Delivery::Read,
                    "Expired" => Delivery::Expired,
                    "Undelivered" | "Rejected" | "Failed" | "Cancelled" => Delivery::Failed,
                    _ => return None,
                };
                let channel = match item["type"].as_str() {
                    Some("viber") => Some("VIBER"),
                    Some("sms") => Some("SMS"),
                    _ => None,
                };
                let detail = item["rejected_status"]
                    .as_str()
                    .map(str::to_string)
                    .or_else(|| (delivery == Delivery::Failed).then(|| reported.to_string()));
                Some(Report {
                    message_id,
                    delivery,
                    channel,
                    detail,
                })
            })
            .collect())
    }

    /// One request; an answer that took nothing (the network, a time-out, 429, 5xx, not JSON) comes back as
    /// `Err(Transient)`.
    async fn post(&self, method: &str, body: &Value) -> Result<Value, SendOutcome> {
        let response = self
            .http
            .post(format!("{}/{method}", self.base_url))
            .bearer_auth(&self.token)
            .json(body)
            .send()
            .await
            .map_err(transport)?;
        let status = response.status();
        if status == reqwest::StatusCode::TOO_MANY_REQUESTS || status.is_server_error() {
            return Err(SendOutcome::Transient {
                after: retry_after(response.headers()),
                detail: format!("HTTP {}", status.as_u16()),
            });
        }
        if status == reqwest::StatusCode::UNAUTHORIZED || status == reqwest::StatusCode::FORBIDDEN {
            return Err(SendOutcome::Refused {
                refusal: Refusal::Account,
                detail: format!("HTTP {}", status.as_u16()),
            });
        }
        response.json::<Value>().await.map_err(|e| SendOutcome::Transient {
            after: None,
            detail: format!("HTTP {}: not JSON ({e})", status.as_u16()),
        })
    }
}

/// The Twilio adapter.
#[derive(Clone)]
pub struct Twilio {
    http: reqwest::Client,
    base_url: String,
    account_sid: String,
    auth_token: String,
    from: String,
    messaging_service_sid: Option<String>,
    validity_secs: u64,
    report_url: String,
}

impl std::fmt::Debug for Twilio {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Twilio")
            .field("base_url", &self.base_url)
            .field("account_sid", &self.account_sid)
            .finish_non_exhaustive()
    }
}

type HmacSha1 = hmac::Hmac<sha1::Sha1>;

impl Twilio {
    fn messages_url(&self) -> String {
        format!("{}/2010-04-01/Accounts/{}/Messages", self.base_url, self.account_sid)
    }

    async fn send(&self, message: &Outgoing) -> SendOutcome {
        // No idempotency key: when an earlier try may have reached Twilio, its list says whether it did.
        if let Some(since) = message.earlier_try_since_ms {
            match self.sent_before(message, since).await {
                Ok(Some(sid)) => return SendOutcome::Accepted { message_id: sid },
                Ok(None) => {}
                Err(detail) => return SendOutcome::Transient { after: None, detail },
            }
        }
        let mut form = vec![
            ("To", message.phone.clone()),
            ("Body", message.text.clone()),
            ("ValidityPeriod", self.validity_secs.to_string()),
        ];
        match &self.messaging_service_sid {
            Some(service) => form.push(("MessagingServiceSid", service.clone())),
            None => form.push(("From", self.from.clone())),
        }
        if let Some(url) = &message.report_url {
            form.push(("StatusCallback", url.clone()));
        }
        let response = match self
            .http
            .post(format!("{}.json", self.messages_url()))
            .basic_auth(&self.account_sid, Some(&self.auth_token))
            .form(&form)
            .send()
            .await
        {
            Ok(response) => response,
            Err(e) => return transport(e),
        };
        let status = response.status();
        let after = retry_after(response.headers());
        let answer: Value = match response.json().await {
            Ok(answer) => answer,
            Err(e) if status.is_success() => {
                // Taken, but the answer is lost: the next try finds it in the list.
                return SendOutcome::Transient {
                    after: None,
                    detail: format!("HTTP {}: not JSON ({e})", status.as_u16()),
                };
            }
            Err(_) => Value::Null,
        };
        if status.is_success() {
            return match answer["sid"].as_str().filter(|s| !s.is_empty()) {
                Some(sid) => SendOutcome::Accepted {
                    message_id: sid.to_string(),
                },
                None => SendOutcome::Transient {
                    after: None,
                    detail: format!("HTTP {} without a sid", status.as_u16()),
                },
            };
        }
        twilio_refusal(status.as_u16(), &answer, after)
    }

    /// The message this attempt put on Twilio's list before (to that number, since the invitation was due,
    /// carrying our text with its one-off link), if any.
    async fn sent_before(&self, message: &Outgoing, since_ms: i64) -> Result<Option<String>, String> {
        let day = crate::db::from_ms(since_ms - 86_400_000).format("%Y-%m-%d").to_string();
        let response = self
            .http
            .get(format!("{}.json", self.messages_url()))
            .basic_auth(&self.account_sid, Some(&self.auth_token))
            .query(&[
                ("To", message.phone.as_str()),
                ("DateSent>", day.as_str()),
                ("PageSize", "100"),
            ])
            .send()
            .await
            .map_err(|e| format!("listing earlier messages: {e}"))?;
        if !response.status().is_success() {
            return Err(format!("listing earlier messages: HTTP {}", response.status().as_u16()));
        }
        let list: Value = response
            .json()
            .await
            .map_err(|e| format!("listing earlier messages: not JSON ({e})"))?;
        Ok(list["messages"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|m| m["to"].as_str() == Some(message.phone.as_str()) && m["body"].as_str() == Some(&message.text))
            .and_then(|m| m["sid"].as_str())
            .map(str::to_string))
    }

    async fn statuses(&self, message_ids: &[String]) -> anyhow::Result<Vec<Report>> {
        use futures::StreamExt as _;
        // Owned per request (a borrowing stream is not `Send` for every lifetime the outbox's task needs).
        let this = self.clone();
        let fetched: Vec<anyhow::Result<Option<Report>>> = futures::stream::iter(message_ids.to_vec())
            .map(move |sid| {
                let this = this.clone();
                async move { this.fetch(&sid).await }
            })
            .buffer_unordered(8)
            .collect()
            .await;
        let mut reports = Vec::new();
        for one in fetched {
            match one {
                Ok(Some(report)) => reports.push(report),
                Ok(None) => {}
                Err(err) => return Err(err),
            }
        }
        Ok(reports)
    }

    /// One message as Twilio has it now, as a report.
    async fn fetch(&self, sid: &str) -> anyhow::Result<Option<Report>> {
        let response = self
            .http
            .get(format!("{}/{sid}.json", self.messages_url()))
            .basic_auth(&self.account_sid, Some(&self.auth_token))
            .send()
            .await?;
        if response.status() == reqwest::StatusCode::NOT_FOUND {
            return Ok(None);
        }
        anyhow::ensure!(
            response.status().is_success(),
            "Twilio status: HTTP {}",
            response.status()
        );
        let message: Value = response.json().await?;
        let fields = [
            ("MessageSid", message["sid"].as_str()),
            ("MessageStatus", message["status"].as_str()),
            (
                "ErrorCode",
                message["error_code"].as_i64().map(|c| c.to_string()).as_deref(),
            ),
        ]
        .into_iter()
        .filter_map(|(k, v)| Some((k.to_string(), v?.to_string())))
        .collect::<Vec<_>>();
        Ok(twilio_report(&fields))
    }

    /// Is `signature` Twilio's over this URL and these fields?
    fn signed(&self, url: &str, fields: &[(String, String)], signature: &str) -> bool {
        let Ok(given) = base64::engine::general_purpose::STANDARD.decode(signature.trim()) else {
            return false;
        };
        let mut mac = HmacSha1::new_from_slice(self.auth_token.as_bytes()).expect("HMAC takes any key");
        mac.update(twilio_signed_text(url, fields).as_bytes());
        mac.verify_slice(&given).is_ok()
    }
}

/// What Twilio signs: the URL, then each field's name and value, in name order.
fn twilio_signed_text(url: &str, fields: &[(String, String)]) -> String {
    let mut sorted: Vec<&(String, String)> = fields.iter().collect();
    sorted.sort();
    let mut text = url.to_string();
    for (name, value) in sorted {
        text.push_str(name);
        text.push_str(value);
    }
    text
}

/// A report in Twilio's words (`MessageSid`, `MessageStatus`, `ErrorCode`), as ours.
fn twilio_report(fields: &[(String, String)]) -> Option<Report> {
    let field = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    let message_id = field("MessageSid").or_else(|| field("SmsSid"))?.to_string();
    let reported = field("MessageStatus").or_else(|| field("SmsStatus"))?;
    let delivery = match reported {
        "accepted" | "scheduled" | "queued" | "sending" => Delivery::Queued,
        "sent" => Delivery::Sent,
        "delivered" => Delivery::Delivered,
        "read" => Delivery::Read,
        "undelivered" | "failed" | "canceled" => Delivery::Failed,
        _ => return None,
    };
    let detail = (delivery == Delivery::Failed).then(|| match field("ErrorCode").filter(|c| !c.is_empty()) {
        Some(code) => format!("{reported} ({code})"),
        None => reported.to_string(),
    });
    Some(Report {
        message_id,
        delivery,
        channel: Some("SMS"),
        detail,
    })
}

/// A Twilio error answer as the outbox treats it (twilio.com/docs/api/errors).
fn twilio_refusal(http_status: u16, answer: &Value, after: Option<Duration>) -> SendOutcome {
    let code = answer["code"].as_i64();
    let detail = match code {
        Some(code) => format!("HTTP {http_status}, Twilio {code}"),
        None => format!("HTTP {http_status}"),
    };
    // Too fast, Twilio's own trouble, or the sender's queue full: nothing was taken, and later may work.
    if http_status == 429 || http_status >= 500 || matches!(code, Some(20429 | 21611 | 20500 | 20503)) {
        return SendOutcome::Transient { after, detail };
    }
    let refusal = match code {
        Some(21610) => Refusal::StopListed,
        Some(21211 | 21214 | 21217 | 21612 | 21614 | 21635) => Refusal::RejectedNumber,
        Some(21602 | 21617 | 21619) => Refusal::TextRefused,
        Some(20003 | 20005 | 20008 | 21212 | 21408 | 21603 | 21606 | 21659 | 21703 | 21705) => Refusal::Account,
        _ if http_status == 401 || http_status == 403 => Refusal::Account,
        _ => Refusal::Other,
    };
    SendOutcome::Refused { refusal, detail }
}

fn transport(e: reqwest::Error) -> SendOutcome {
    SendOutcome::Transient {
        after: None,
        detail: if e.is_timeout() {
            "time-out".into()
        } else {
            format!("transport: {e}")
        },
    }
}

/// A named TurboSMS error as the outbox treats it: the provider's own failures are worth another try; the
/// rest are refusals by what they name (the number, a stop list, the text, our account).
fn classify(status: &str, answer: &Value) -> SendOutcome {
    let detail = match answer["response_code"].as_i64() {
        Some(code) => format!("{status} ({code})"),
        None => status.to_string(),
    };
    let named = |words: &[&str]| words.iter().any(|w| status.contains(w));
    if status.is_empty() || named(&["FATAL", "FAILED", "TEMPORAR", "TIMEOUT", "LIMIT_REQUESTS"]) {
        return SendOutcome::Transient { after: None, detail };
    }
    let refusal = if named(&["STOP", "BLACK", "BLOCK"]) {
        Refusal::StopListed
    } else if named(&["PHONE", "RECIPIENT", "NUMBER"]) {
        Refusal::RejectedNumber
    } else if named(&["TEXT", "CONTENT", "LENGTH", "LONG"]) {
        Refusal::TextRefused
    } else if named(&["TOKEN", "AUTH", "USER", "CREDIT", "BALANCE", "SENDER", "ACCOUNT"]) {
        Refusal::Account
    } else {
        Refusal::Other
    };
    SendOutcome::Refused { refusal, detail }
}

/// `Retry-After` in seconds (an HTTP date is read as "soon": the backoff decides).
fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    headers
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse::<u64>()
        .ok()
        .map(Duration::from_secs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn named_errors_are_sorted_into_retries_and_refusals() {
        let refused = |s: &str| match classify(s, &json!({})) {
            SendOutcome::Refused { refusal, .. } => Some(refusal),
            _ => None,
        };
        assert_eq!(refused("INVALID_PHONE"), Some(Refusal::RejectedNumber));
        assert_eq!(refused("NOT_ALLOWED_RECIPIENT_STOPLIST"), Some(Refusal::StopListed));
        assert_eq!(refused("INVALID_TEXT_LENGTH"), Some(Refusal::TextRefused));
        assert_eq!(refused("INVALID_TOKEN"), Some(Refusal::Account));
        assert_eq!(refused("NOT_ENOUGH_CREDITS"), Some(Refusal::Account));
        assert_eq!(refused("SOMETHING_NEW"), Some(Refusal::Other));
        assert_eq!(refused("FATAL_ERROR"), None);
        assert_eq!(refused("FAILED_SMS_SEND"), None);
    }

    fn twilio() -> Twilio {
        Twilio {
            http: reqwest::Client::new(),
            base_url: "http://127.0.0.1:9".into(),
            account_sid: "AC1".into(),
            auth_token: "twilio-token".into(),
            from: "CNAP".into(),
            messaging_service_sid: None,
            validity_secs: 14_400,
            report_url: format!("https://fieldwork.example{TWILIO_REPORTS}"),
        }
    }

    #[test]
    fn twilio_signatures_are_checked_over_the_url_and_the_sorted_fields() {
        // The expected value was computed apart from this code (Python's hmac over the same text).
        let url = "https://fieldwork.example/hooks/twilio/status?attempt=01J";
        let fields: Vec<(String, String)> = [
            ("MessageSid", "SM123"),
            ("MessageStatus", "delivered"),
            ("To", "+380671234567"),
            ("AccountSid", "AC1"),
            ("ErrorCode", ""),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let twilio = twilio();
        assert!(twilio.signed(url, &fields, "mouxoFeQFjN/F4FOEa0+nojbarw="));
        assert!(!twilio.signed(url, &fields, "mouxoFeQFjN/F4FOEa0+nojbarx="));
        assert!(!twilio.signed(&url.replace("01J", "01K"), &fields, "mouxoFeQFjN/F4FOEa0+nojbarw="));
        assert!(!twilio.signed(url, &fields, "not base64!"));
        let mut changed = fields.clone();
        changed[1].1 = "read".into();
        assert!(!twilio.signed(url, &changed, "mouxoFeQFjN/F4FOEa0+nojbarw="));
        let report = twilio_report(&fields).unwrap();
        assert_eq!(report.delivery, Delivery::Delivered);
        assert_eq!(report.message_id, "SM123");
    }

    #[test]
    fn twilio_errors_are_sorted_into_retries_and_refusals() {
        let refused = |status: u16, code: i64| match twilio_refusal(status, &json!({ "code": code }), None) {
            SendOutcome::Refused { refusal, .. } => Some(refusal),
            _ => None,
        };
        assert_eq!(refused(400, 21211), Some(Refusal::RejectedNumber));
        assert_eq!(refused(400, 21610), Some(Refusal::StopListed));
        assert_eq!(refused(400, 21617), Some(Refusal::TextRefused));
        assert_eq!(refused(401, 20003), Some(Refusal::Account));
        assert_eq!(refused(400, 12345), Some(Refusal::Other));
        assert_eq!(refused(429, 20429), None);
        assert_eq!(refused(503, 20503), None);
        assert_eq!(refused(400, 21611), None);
        let report = |status: &str| {
            twilio_report(&[
                ("MessageSid".to_string(), "SM1".to_string()),
                ("MessageStatus".to_string(), status.to_string()),
                ("ErrorCode".to_string(), "30003".to_string()),
            ])
        };
        assert_eq!(
            report("undelivered").unwrap().detail.as_deref(),
            Some("undelivered (30003)")
        );
        assert_eq!(report("sending").unwrap().delivery, Delivery::Queued);
        assert_eq!(report("something-new"), None);
    }
}
