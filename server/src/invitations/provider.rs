//! The providers that carry invitations, behind one interface: hand over one message (with our idempotency key)
//! and ask how messages fare. Each adapter turns its provider's answers into `domain::delivery`'s words.
//!
//! TurboSMS (turbosms.ua/api.html): `POST {base}/message/send.json` with the token as a bearer, the recipients
//! without `+`, an `sms` part and (hybrid) a `viber` part with its `ttl`: Viber first, the SMS if Viber did not
//! deliver in time, in one request. `sequence_id` makes a request run once, so a send repeated after a crash
//! is one message. Every valid request is answered with HTTP 200 and `{response_code, response_status,
//! response_result}`; the status names say what happened (`SUCCESS_MESSAGE_ACCEPTED`, per recipient `OK` with a
//! `message_id`, or a named error). Status by polling `POST {base}/message/status.json` with `messages`.

use std::time::Duration;

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
}

impl Provider {
    /// The provider of the settings, or `None` when invitations are only planned (`provider = "none"`).
    pub fn from_settings(settings: &InvitationSettings) -> anyhow::Result<Option<Self>> {
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
                })))
            }
            other => anyhow::bail!("invitations.provider: unknown provider {other:?} (none, turbosms)"),
        }
    }

    /// The name kept with each attempt.
    pub fn name(&self) -> &'static str {
        match self {
            Provider::TurboSms(_) => "turbosms",
        }
    }

    pub async fn send(&self, message: &Outgoing) -> SendOutcome {
        match self {
            Provider::TurboSms(p) => p.send(message).await,
        }
    }

    /// Reports on messages by the provider's ids (those it knows nothing of are left out).
    pub async fn statuses(&self, message_ids: &[String]) -> anyhow::Result<Vec<Report>> {
        match self {
            Provider::TurboSms(p) => p.statuses(message_ids).await,
        }
    }
}

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
}

impl std::fmt::Debug for TurboSms {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TurboSms")
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}

impl TurboSms {
    async fn send(&self, message: &Outgoing) -> SendOutcome {
        let mut body = json!({
            "recipients": [message.phone.trim_start_matches('+')],
            "sequence_id": message.key,
            "sms": { "sender": self.sms_sender, "text": message.text },
        });
        if message.viber_first {
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
            .map_err(|e| SendOutcome::Transient {
                after: None,
                detail: if e.is_timeout() {
                    "time-out".into()
                } else {
                    format!("transport: {e}")
                },
            })?;
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
}
