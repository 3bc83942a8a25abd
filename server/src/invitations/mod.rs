//! Invitations to rate a service (docs/INVITATIONS.md), from a reported service event to a message and back:
//!
//! 1. **Planning**: each event with a phone is decided once by the client's policy (`domain::invitation`):
//!    invited, with the moment it is due, or skipped with the reason. One row per event (`invitations`), so
//!    several servers planning at once decide each event once; a client's planning is serialised so the day's
//!    budget and the phone's cooldown see every decision before it.
//! 2. **The outbox** (`invitation_attempts`): an attempt is claimed with a lease, the opt-out list is asked
//!    again, the phone opened, and the message handed to the provider with the attempt's id as its idempotency
//!    key; accepted is final (never sent again), a refusal is final, anything that took nothing is retried with
//!    backoff and jitter, never before the provider's Retry-After, never in the center's quiet hours, and given
//!    up after a while. A server killed at any moment leaves its lease to lapse; the next try carries the same
//!    key, so the provider runs the request once.
//! 3. **Statuses**: the provider's reports, asked for while a message is on its way, move the invitation on and
//!    never back (`domain::delivery::after_report`).
//! 4. **The link** opens the feedback form (`feedback::invited`, `http::feedback`); it also lets the citizen
//!    ask for no more messages (`opt_out`).

mod funnel;
pub mod provider;

pub use funnel::{ByReason, Day, Funnel, Health, Span};

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use sqlx::FromRow;
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;

pub use provider::{Outgoing, Provider, Report};

use crate::config::InvitationSettings;
use crate::db::{new_id, Db, Tx};
use crate::domain::delivery::{self, Delivery, Refusal, Retry, RetryPolicy, SendOutcome};
use crate::domain::invitation::{decide, local_day, next_window, Decision, Facts, Policy};
use crate::domain::Language;
use crate::error::{AppError, AppResult};
use crate::events::Events;
use crate::feedback::Feedback;

/// Events planned in one pass; an event older than this is not planned any more (nobody is asked a week on).
const PLAN_BATCH: i64 = 500;
const PLAN_HORIZON_MS: i64 = 8 * 86_400_000;
/// Attempts claimed in one pass.
const SEND_BATCH: i64 = 64;
/// Messages asked about in one status request.
const POLL_BATCH: i64 = 100;

/// The invitations service.
#[derive(Clone)]
pub struct Invitations {
    db: Db,
    events: Events,
    feedback: Feedback,
    provider: Option<Provider>,
    settings: Arc<InvitationSettings>,
    wake: Arc<Notify>,
}

#[derive(FromRow)]
struct Unplanned {
    id: String,
    client_id: String,
    venue_id: String,
    service_code: String,
    completed_at: i64,
    phone_hash: Option<String>,
    zone: Option<String>,
}

#[derive(FromRow)]
struct Claimed {
    id: String,
    invitation_id: String,
    number: i64,
    /// Set on a fallback attempt (SMS after Viber); otherwise decided when it is sent.
    channel: Option<String>,
    tries: i64,
    created_at: i64,
    event_id: String,
    client_id: String,
    phone_hash: Option<String>,
    token: Option<String>,
    due_at: Option<i64>,
    messenger: Option<String>,
    zone: Option<String>,
}

#[derive(FromRow)]
struct OnItsWay {
    id: String,
    provider_message_id: String,
    invitation_id: String,
    channel: Option<String>,
}

/// The attempt a pushed report is about.
#[derive(FromRow)]
struct Reported {
    id: String,
    invitation_id: String,
    state: String,
    provider_message_id: Option<String>,
    channel: Option<String>,
}

/// How long after Viber's time to live an undelivered Viber message waits for a late report before the SMS.
const FALLBACK_GRACE_MS: i64 = 5 * 60_000;

impl Invitations {
    pub fn new(
        db: Db,
        events: Events,
        feedback: Feedback,
        provider: Option<Provider>,
        settings: Arc<InvitationSettings>,
    ) -> Self {
        let sample = message_text(&feedback.invitation_link(&Feedback::new_invitation_token()));
        let size = delivery::sms_size(&sample);
        if size.segments > 1 {
            tracing::warn!(
                segments = size.segments,
                characters = size.units,
                "an invitation's SMS takes more than one segment (70 Cyrillic characters): a shorter http.public_url \
                 keeps it to one"
            );
        }
        Self {
            db,
            events,
            feedback,
            provider,
            settings,
            wake: Arc::new(Notify::new()),
        }
    }

    /// What wakes the outbox (events were reported).
    pub fn waker(&self) -> Arc<Notify> {
        self.wake.clone()
    }

    /// A client's policy (the defaults when none is kept).
    pub async fn policy(&self, client_id: &str) -> AppResult<Policy> {
        let kept: Option<String> = sqlx::query_scalar("SELECT policy FROM invitation_policies WHERE client_id = $1")
            .bind(client_id)
            .fetch_optional(self.db.pool())
            .await?;
        match kept {
            Some(json) => serde_json::from_str(&json).map_err(|e| AppError::Internal(e.into())),
            None => Ok(Policy::default()),
        }
    }

    /// The first moment at or after `at_ms` inside the client's sending window in the center's zone (`zone` as
    /// stored: the venue's, else the client's).
    async fn in_window(&self, client_id: &str, zone: Option<&str>, at_ms: i64) -> AppResult<i64> {
        let window = self.policy(client_id).await?;
        let zone = crate::domain::stored_zone(zone)?;
        Ok(next_window(at_ms, zone, window.window_start, window.window_end))
    }

    /// Plans the events not yet decided; returns how many were decided.
    pub async fn plan_due(&self) -> AppResult<usize> {
        let now = self.db.now_ms();
        let events: Vec<Unplanned> = sqlx::query_as(
            "SELECT e.id, e.client_id, e.venue_id, e.service_code, e.completed_at, e.phone_hash, \
             COALESCE(v.time_zone, c.time_zone) AS zone \
             FROM service_events e JOIN venues v ON v.id = e.venue_id JOIN clients c ON c.id = e.client_id \
             WHERE e.phone_cipher IS NOT NULL AND e.received_at > $1 \
             AND NOT EXISTS (SELECT 1 FROM invitations i WHERE i.event_id = e.id) \
             ORDER BY e.received_at, e.id LIMIT $2",
        )
        .bind(now - PLAN_HORIZON_MS)
        .bind(PLAN_BATCH)
        .fetch_all(self.db.pool())
        .await?;
        let mut by_client: BTreeMap<String, Vec<Unplanned>> = BTreeMap::new();
        for event in events {
            by_client.entry(event.client_id.clone()).or_default().push(event);
        }
        let mut planned = 0;
        for (client_id, events) in by_client {
            planned += self.plan_client(&client_id, &events).await?;
        }
        Ok(planned)
    }

    /// Decides one client's events in one transaction (the client's planning row serialises servers).
    async fn plan_client(&self, client_id: &str, events: &[Unplanned]) -> AppResult<usize> {
        let policy = self.policy(client_id).await?;
        let mut tx = self.db.begin_write().await?;
        let now = tx.now_ms();
        sqlx::query(
            "INSERT INTO rate_subjects (bucket, subject, touched_at) VALUES ('invitation-plan', $1, $2) \
             ON CONFLICT (bucket, subject) DO UPDATE SET touched_at = excluded.touched_at",
        )
        .bind(client_id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let mut planned = 0;
        for event in events {
            let zone = crate::domain::stored_zone(event.zone.as_deref())?;
            let phone_hash = event.phone_hash.as_deref();
            let opted_out = match phone_hash {
                Some(hash) => opted_out(&mut *tx, hash).await?,
                None => false,
            };
            let last_invited_at_ms: Option<i64> = match phone_hash {
                Some(hash) => {
                    sqlx::query_scalar(
                        "SELECT MAX(due_at) FROM invitations WHERE phone_hash = $1 AND status <> 'SKIPPED'",
                    )
                    .bind(hash)
                    .fetch_one(&mut *tx)
                    .await?
                }
                None => None,
            };
            let mut facts = Facts {
                event_id: &event.id,
                venue_id: &event.venue_id,
                service: &event.service_code,
                completed_at_ms: event.completed_at,
                zone,
                has_phone: phone_hash.is_some(),
                opted_out,
                last_invited_at_ms,
                planned_that_day: 0,
            };
            // The budget counts the day the message would go out, so the moment is decided first.
            let mut decision = decide(&policy, &facts, now);
            if let (Decision::Invite { due_at_ms }, Some(_)) = (decision, policy.daily_budget) {
                let day = local_day(due_at_ms, zone);
                let that_day: i64 = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM invitations WHERE client_id = $1 AND budget_day = $2 AND status <> 'SKIPPED'",
                )
                .bind(client_id)
                .bind(&day)
                .fetch_one(&mut *tx)
                .await?;
                facts.planned_that_day = that_day.clamp(0, u32::MAX as i64) as u32;
                decision = decide(&policy, &facts, now);
            }
            let id = new_id();
            let (status, reason, due, day, token) = match decision {
                Decision::Invite { due_at_ms } => (
                    "PLANNED",
                    None,
                    Some(due_at_ms),
                    Some(local_day(due_at_ms, zone)),
                    Some(Feedback::new_invitation_token()),
                ),
                Decision::Skip(skip) => ("SKIPPED", Some(skip.as_str()), None, None, None),
            };
            let inserted = sqlx::query(
                "INSERT INTO invitations (id, event_id, client_id, venue_id, service_code, phone_hash, status, reason, \
                 due_at, budget_day, token, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) \
                 ON CONFLICT (event_id) DO NOTHING",
            )
            .bind(&id)
            .bind(&event.id)
            .bind(client_id)
            .bind(&event.venue_id)
            .bind(&event.service_code)
            .bind(phone_hash)
            .bind(status)
            .bind(reason)
            .bind(due)
            .bind(&day)
            .bind(&token)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            if inserted.rows_affected() == 0 {
                continue;
            }
            if let Some(due) = due {
                sqlx::query(
                    "INSERT INTO invitation_attempts (id, invitation_id, number, provider, state, tries, \
                     next_attempt_at, created_at) VALUES ($1, $2, 1, $3, 'PENDING', 0, $4, $5)",
                )
                .bind(new_id())
                .bind(&id)
                .bind(self.provider.as_ref().map_or("none", Provider::name))
                .bind(due)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            }
            planned += 1;
        }
        tx.commit().await?;
        Ok(planned)
    }

    /// Claims the due attempts and hands them to the provider; returns how many were tried.
    pub async fn send_due(&self) -> AppResult<usize> {
        let Some(provider) = &self.provider else {
            return Ok(0);
        };
        let now = self.db.now_ms();
        let lease = now + self.settings.lease_ms.max(1_000);
        let claimed: Vec<(String, i64)> = sqlx::query_as(
            "UPDATE invitation_attempts SET locked_until = $1, tries = tries + 1 \
             WHERE id IN (SELECT id FROM invitation_attempts WHERE state = 'PENDING' AND next_attempt_at <= $2 \
                          AND (locked_until IS NULL OR locked_until < $2) ORDER BY next_attempt_at LIMIT $3) \
               AND state = 'PENDING' AND (locked_until IS NULL OR locked_until < $2) \
             RETURNING id, tries",
        )
        .bind(lease)
        .bind(now)
        .bind(SEND_BATCH)
        .fetch_all(self.db.pool())
        .await?;
        // Several at once: a provider answers in tens of milliseconds, and one message at a time would cap a
        // server at a few dozen a second.
        use futures::StreamExt as _;
        futures::stream::iter(&claimed)
            .for_each_concurrent(self.settings.send_concurrency.max(1), |(attempt_id, _)| async move {
                if let Err(err) = self.send_one(provider, attempt_id, lease).await {
                    tracing::error!(attempt = %attempt_id, error = ?err, "sending an invitation failed; its lease will lapse");
                }
            })
            .await;
        Ok(claimed.len())
    }

    async fn send_one(&self, provider: &Provider, attempt_id: &str, lease: i64) -> AppResult<()> {
        let claimed: Claimed = sqlx::query_as(
            "SELECT a.id, a.invitation_id, a.number, a.channel, a.tries, a.created_at, i.event_id, i.client_id, i.phone_hash, i.token, i.due_at, \
             e.messenger, COALESCE(v.time_zone, c.time_zone) AS zone \
             FROM invitation_attempts a JOIN invitations i ON i.id = a.invitation_id \
             JOIN service_events e ON e.id = i.event_id JOIN venues v ON v.id = i.venue_id \
             JOIN clients c ON c.id = i.client_id WHERE a.id = $1",
        )
        .bind(attempt_id)
        .fetch_one(self.db.pool())
        .await?;
        // The opt-out list is asked before every send.
        if let Some(hash) = &claimed.phone_hash {
            if opted_out(self.db.pool(), hash).await? {
                return self.cancel(&claimed, "OPTED_OUT", "OPTED_OUT").await;
            }
        }
        let now = self.db.now_ms();
        // Due when the invitation was due; a fallback when it was added, or when the window next opened after.
        let due = if claimed.number > 1 {
            self.in_window(&claimed.client_id, claimed.zone.as_deref(), claimed.created_at)
                .await?
        } else {
            claimed.due_at.unwrap_or(now)
        };
        let deadline = due + self.settings.give_up_after_hours.max(1) * 3_600_000;
        if now > deadline {
            return self.give_up(&claimed, "TOO_LATE", "not handed over in time").await;
        }
        let Some(phone) = self.events.phone_of(&claimed.event_id).await? else {
            return self.cancel(&claimed, "FAILED", "PHONE_ERASED").await;
        };
        let token = claimed
            .token
            .as_deref()
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("an invited event without a link token")))?;
        let text = message_text(&self.feedback.invitation_link(token));
        // A fallback attempt goes by SMS; otherwise the citizen's messenger as far as the provider carries it.
        let viber_first = claimed.channel.as_deref() != Some("SMS") && claimed.messenger.as_deref() != Some("SMS");
        let route = provider.route(viber_first);
        let outgoing = Outgoing {
            key: claimed.id.clone(),
            phone,
            text,
            viber_first,
            earlier_try_since_ms: (claimed.tries > 1).then_some(due),
            report_url: provider.report_url(&claimed.id),
        };
        let outcome = provider.send(&outgoing).await;
        let now = self.db.now_ms();
        match outcome {
            SendOutcome::Accepted { message_id } => {
                let segments = delivery::sms_size(&outgoing.text).segments;
                self.accepted(&claimed.id, &message_id, route, segments, now).await?;
                tracing::info!(invitation = %claimed.invitation_id, attempt = %claimed.id, number = claimed.number, route = route.as_str(), %message_id, segments, "invitation handed to the provider");
            }
            SendOutcome::Refused { refusal, detail } => {
                let mut tx = self.db.begin_write().await?;
                finish_attempt(&mut tx, &claimed.id, "REFUSED", &detail).await?;
                let stop_listed = refusal == Refusal::StopListed;
                let status = if stop_listed { "OPTED_OUT" } else { "FAILED" };
                set_status(&mut tx, &claimed.invitation_id, status, refusal.code()).await?;
                if stop_listed {
                    opt_out_hash(&mut tx, claimed.phone_hash.as_deref(), "PROVIDER", now).await?;
                }
                tx.commit().await?;
                tracing::warn!(invitation = %claimed.invitation_id, reason = refusal.code(), %detail, "the provider refused an invitation");
            }
            SendOutcome::Transient { after, detail } => {
                let policy = RetryPolicy {
                    max_tries: self.settings.max_tries.max(1),
                    base_ms: self.settings.retry_base_ms.max(1),
                    max_ms: self.settings.retry_max_ms.max(1),
                };
                let tries = u32::try_from(claimed.tries).unwrap_or(u32::MAX);
                let retry = match delivery::retry_after_failure(policy, tries, after, now, deadline, rand::random()) {
                    Retry::At(at) => {
                        // Never in the center's quiet hours.
                        let at = self.in_window(&claimed.client_id, claimed.zone.as_deref(), at).await?;
                        if at > deadline {
                            Retry::GiveUp
                        } else {
                            Retry::At(at)
                        }
                    }
                    Retry::GiveUp => Retry::GiveUp,
                };
                match retry {
                    Retry::At(at) => {
                        sqlx::query(
                            "UPDATE invitation_attempts SET next_attempt_at = $1, locked_until = NULL, last_error = $2 \
                             WHERE id = $3 AND state = 'PENDING' AND locked_until = $4",
                        )
                        .bind(at)
                        .bind(&detail)
                        .bind(&claimed.id)
                        .bind(lease)
                        .execute(self.db.pool())
                        .await?;
                        tracing::warn!(invitation = %claimed.invitation_id, tries, retry_in_ms = at - now, %detail, "the provider took nothing; will retry");
                    }
                    Retry::GiveUp => self.give_up(&claimed, "PROVIDER_UNAVAILABLE", &detail).await?,
                }
            }
        }
        Ok(())
    }

    /// Records that the provider took an attempt's message (once: a second word on it changes nothing). The
    /// invitation is on its way from the first accepted attempt; a fallback's SMS only says what carries it. An
    /// attempt we gave up on (no answer in time) that the provider reports after all is taken as accepted: the
    /// message did go.
    async fn accepted(
        &self,
        attempt_id: &str,
        message_id: &str,
        route: provider::Route,
        segments: u32,
        now: i64,
    ) -> AppResult<bool> {
        let mut tx = self.db.begin_write().await?;
        let updated = sqlx::query(
            "UPDATE invitation_attempts SET state = 'ACCEPTED', provider_message_id = $1, accepted_at = $2, \
             channel = $3, locked_until = NULL, last_error = NULL WHERE id = $4 AND state IN ('PENDING', 'GAVE_UP')",
        )
        .bind(message_id)
        .bind(now)
        .bind(route.as_str())
        .bind(attempt_id)
        .execute(&mut *tx)
        .await?;
        let first = updated.rows_affected() > 0;
        if first {
            let channel = match route {
                provider::Route::Sms => Some("SMS"),
                provider::Route::Viber => Some("VIBER"),
                provider::Route::Hybrid => None,
            };
            sqlx::query(
                "UPDATE invitations SET status = CASE WHEN status IN ('PLANNED', 'FAILED') THEN 'QUEUED' ELSE status END, \
                 reason = CASE WHEN status = 'FAILED' THEN NULL ELSE reason END, \
                 sent_at = COALESCE(sent_at, $1), segments = COALESCE(segments, 0) + $2, \
                 expires_at = COALESCE(expires_at, $3), channel = COALESCE($4, channel) \
                 WHERE id = (SELECT invitation_id FROM invitation_attempts WHERE id = $5) \
                 AND (status IN ('PLANNED', 'QUEUED', 'SENT') \
                      OR (status = 'FAILED' AND reason IN ('PROVIDER_UNAVAILABLE', 'TOO_LATE')))",
            )
            .bind(now)
            .bind(i64::from(segments))
            .bind(now + self.settings.link_ttl_days.max(1) * 86_400_000)
            .bind(channel)
            .bind(attempt_id)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(first)
    }

    /// A report the provider pushed to us (`query`: the query string of the URL it was sent to, which names our
    /// attempt). `Err(Forbidden)` unless the provider signed it; a report on a message we never heard accepted
    /// (the server died between the provider's answer and our record) records it accepted first.
    pub async fn pushed_report(
        &self,
        query: Option<&str>,
        fields: &[(String, String)],
        signature: &str,
    ) -> AppResult<()> {
        let Some(provider) = &self.provider else {
            return Err(AppError::forbidden());
        };
        let Some(base) = provider.report_base() else {
            return Err(AppError::forbidden());
        };
        // The URL as we gave it: the base and the query as it came back.
        let url = match query {
            Some(query) => format!("{base}?{query}"),
            None => base.to_string(),
        };
        let Some(report) = provider.pushed_report(&url, fields, signature) else {
            tracing::warn!("a delivery report without the provider's signature was refused");
            return Err(AppError::forbidden());
        };
        let attempt_id = query
            .and_then(|q| url::form_urlencoded::parse(q.as_bytes()).find(|(k, _)| k == "attempt"))
            .map(|(_, v)| v.into_owned());
        let found: Option<Reported> = sqlx::query_as(
            "SELECT a.id, a.invitation_id, a.state, a.provider_message_id, a.channel FROM invitation_attempts a \
             WHERE a.provider = $1 AND (a.id = $2 OR a.provider_message_id = $3) ORDER BY a.number DESC LIMIT 1",
        )
        .bind(provider.name())
        .bind(attempt_id.as_deref().unwrap_or(""))
        .bind(&report.message_id)
        .fetch_optional(self.db.pool())
        .await?;
        let Some(Reported {
            id,
            invitation_id,
            state,
            provider_message_id: message_id,
            channel,
        }) = found
        else {
            tracing::info!(message = %report.message_id, "a delivery report on a message we do not know");
            return Ok(());
        };
        if let Some(known) = &message_id {
            if known != &report.message_id {
                tracing::warn!(attempt = %id, "a delivery report on another message than the attempt's");
                return Ok(());
            }
        }
        let mut channel = channel;
        if state == "PENDING" || state == "GAVE_UP" {
            let token: Option<String> = sqlx::query_scalar("SELECT token FROM invitations WHERE id = $1")
                .bind(&invitation_id)
                .fetch_one(self.db.pool())
                .await?;
            let segments = token
                .map(|t| delivery::sms_size(&message_text(&self.feedback.invitation_link(&t))).segments)
                .unwrap_or(1);
            let route = provider.route(false);
            self.accepted(&id, &report.message_id, route, segments, self.db.now_ms())
                .await?;
            channel = Some(route.as_str().to_string());
            tracing::info!(attempt = %id, message = %report.message_id, "a report told us of a message we had not heard accepted");
        } else if state != "ACCEPTED" {
            tracing::info!(attempt = %id, %state, "a delivery report on an attempt that ended otherwise");
            return Ok(());
        }
        let item = OnItsWay {
            id,
            provider_message_id: report.message_id.clone(),
            invitation_id,
            channel,
        };
        self.apply_report(&item, &report).await?;
        Ok(())
    }

    /// Viber alone did not deliver: the SMS goes with the same link (once: the attempt's number is unique), at
    /// the next moment the center's quiet hours allow.
    async fn fall_back_to_sms(&self, item: &OnItsWay) -> AppResult<bool> {
        let (client_id, zone): (String, Option<String>) = sqlx::query_as(
            "SELECT i.client_id, COALESCE(v.time_zone, c.time_zone) FROM invitations i \
             JOIN venues v ON v.id = i.venue_id JOIN clients c ON c.id = i.client_id WHERE i.id = $1",
        )
        .bind(&item.invitation_id)
        .fetch_one(self.db.pool())
        .await?;
        let now = self.db.now_ms();
        let at = self.in_window(&client_id, zone.as_deref(), now).await?;
        let inserted = sqlx::query(
            "INSERT INTO invitation_attempts (id, invitation_id, number, provider, state, tries, next_attempt_at, \
             channel, created_at) SELECT $1, $2, MAX(number) + 1, MAX(provider), 'PENDING', 0, $3, 'SMS', $4 \
             FROM invitation_attempts WHERE invitation_id = $2 AND NOT EXISTS \
             (SELECT 1 FROM invitation_attempts WHERE invitation_id = $2 AND channel = 'SMS') \
             HAVING COUNT(*) > 0 ON CONFLICT (invitation_id, number) DO NOTHING",
        )
        .bind(new_id())
        .bind(&item.invitation_id)
        .bind(at)
        .bind(now)
        .execute(self.db.pool())
        .await?;
        let added = inserted.rows_affected() > 0;
        if added {
            tracing::info!(invitation = %item.invitation_id, "Viber did not deliver in time: the SMS follows");
            self.wake.notify_one();
        }
        Ok(added)
    }

    /// Ends an attempt that was not sent (opted out, the phone erased): the invitation takes `status`.
    async fn cancel(&self, claimed: &Claimed, status: &str, reason: &str) -> AppResult<()> {
        let mut tx = self.db.begin_write().await?;
        finish_attempt(&mut tx, &claimed.id, "CANCELLED", reason).await?;
        set_status(&mut tx, &claimed.invitation_id, status, reason).await?;
        tx.commit().await?;
        tracing::info!(invitation = %claimed.invitation_id, reason, "invitation not sent");
        Ok(())
    }

    async fn give_up(&self, claimed: &Claimed, reason: &str, detail: &str) -> AppResult<()> {
        let mut tx = self.db.begin_write().await?;
        finish_attempt(&mut tx, &claimed.id, "GAVE_UP", detail).await?;
        set_status(&mut tx, &claimed.invitation_id, "FAILED", reason).await?;
        tx.commit().await?;
        tracing::warn!(invitation = %claimed.invitation_id, reason, %detail, "invitation given up");
        Ok(())
    }

    /// Asks the provider how the messages on their way fare and moves their invitations on; returns how many
    /// reports changed something.
    pub async fn poll_statuses(&self) -> AppResult<usize> {
        let Some(provider) = &self.provider else {
            return Ok(0);
        };
        let now = self.db.now_ms();
        // Claimed by stamping them polled now, so two servers do not ask about the same messages at once.
        // Only a provider that carries Viber can have sent it alone (whatever its settings say today).
        let mut moved = if provider.carries_viber() {
            self.fall_back_when_viber_lapsed(provider, now).await?
        } else {
            0
        };
        // The latest attempt of each invitation only (an SMS fallback supersedes its Viber message).
        let due: Vec<OnItsWay> = sqlx::query_as(
            "UPDATE invitation_attempts SET last_polled_at = $1 WHERE id IN ( \
               SELECT a.id FROM invitation_attempts a JOIN invitations i ON i.id = a.invitation_id \
               WHERE a.state = 'ACCEPTED' AND a.provider = $2 AND a.accepted_at > $3 \
               AND (i.status IN ('QUEUED', 'SENT') OR (i.status = 'DELIVERED' AND i.channel = 'VIBER')) \
               AND COALESCE(a.last_polled_at, a.accepted_at) <= $4 \
               AND NOT EXISTS (SELECT 1 FROM invitation_attempts b WHERE b.invitation_id = a.invitation_id \
                               AND b.number > a.number) \
               ORDER BY a.accepted_at LIMIT $5) \
             AND COALESCE(last_polled_at, accepted_at) <= $4 \
             RETURNING id, provider_message_id, invitation_id, channel",
        )
        .bind(now)
        .bind(provider.name())
        .bind(now - self.settings.status_poll_hours.max(1) * 3_600_000)
        .bind(now - provider.poll_every_ms(&self.settings))
        .bind(POLL_BATCH)
        .fetch_all(self.db.pool())
        .await?;
        if due.is_empty() {
            return Ok(moved);
        }
        let ids: Vec<String> = due.iter().map(|d| d.provider_message_id.clone()).collect();
        let reports = match provider.statuses(&ids).await {
            Ok(reports) => reports,
            Err(err) => {
                tracing::warn!(error = %format!("{err:#}"), "asking the provider for statuses failed; will ask again");
                return Ok(moved);
            }
        };
        for report in reports {
            let Some(item) = due.iter().find(|d| d.provider_message_id == report.message_id) else {
                continue;
            };
            if self.apply_report(item, &report).await? {
                moved += 1;
            }
        }
        Ok(moved)
    }

    /// Viber messages sent alone that have not been delivered within their time to live (and a grace for a
    /// late report): the SMS follows.
    async fn fall_back_when_viber_lapsed(&self, provider: &Provider, now: i64) -> AppResult<usize> {
        let lapsed: Vec<OnItsWay> = sqlx::query_as(
            "SELECT a.id, a.provider_message_id, a.invitation_id, a.channel FROM invitation_attempts a \
             JOIN invitations i ON i.id = a.invitation_id \
             WHERE a.state = 'ACCEPTED' AND a.channel = 'VIBER' AND a.provider = $1 AND a.accepted_at <= $2 \
             AND a.accepted_at > $3 AND i.status IN ('QUEUED', 'SENT') \
             AND NOT EXISTS (SELECT 1 FROM invitation_attempts b WHERE b.invitation_id = a.invitation_id \
                             AND b.number > a.number) \
             ORDER BY a.accepted_at LIMIT $4",
        )
        .bind(provider.name())
        .bind(now - provider.viber_ttl_ms() - FALLBACK_GRACE_MS)
        .bind(now - self.settings.status_poll_hours.max(1) * 3_600_000)
        .bind(POLL_BATCH)
        .fetch_all(self.db.pool())
        .await?;
        let mut added = 0;
        for item in &lapsed {
            if self.fall_back_to_sms(item).await? {
                added += 1;
            }
        }
        Ok(added)
    }

    /// Moves an invitation on by a report (never back); `true` when it changed. Viber sent alone that failed
    /// or expired is followed by the SMS instead.
    async fn apply_report(&self, item: &OnItsWay, report: &Report) -> AppResult<bool> {
        if item.channel.as_deref() == Some("VIBER") && matches!(report.delivery, Delivery::Failed | Delivery::Expired) {
            tracing::info!(invitation = %item.invitation_id, detail = ?report.detail, "Viber did not deliver");
            return self.fall_back_to_sms(item).await;
        }
        // Compare and set; reports pushed at once on one message may race, so a lost race reads again.
        for _ in 0..4 {
            if let Some(changed) = self.apply_report_once(item, report).await? {
                return Ok(changed);
            }
        }
        Ok(false)
    }

    /// One compare-and-set of a report: `None` when the status changed under it.
    async fn apply_report_once(&self, item: &OnItsWay, report: &Report) -> AppResult<Option<bool>> {
        let status: String = sqlx::query_scalar("SELECT status FROM invitations WHERE id = $1")
            .bind(&item.invitation_id)
            .fetch_one(self.db.pool())
            .await?;
        let current = parse_delivery(&status);
        let next = delivery::after_report(current, report.delivery);
        if Some(next) == current {
            return Ok(Some(false));
        }
        let now = self.db.now_ms();
        // A reason code of ours; the provider's own words go to the log.
        let reason = match next {
            Delivery::Failed => Some("UNDELIVERED"),
            Delivery::Expired => Some("EXPIRED"),
            _ => None,
        };
        if reason.is_some() {
            tracing::info!(invitation = %item.invitation_id, detail = ?report.detail, "the provider could not deliver an invitation");
        }
        let changed = sqlx::query(
            "UPDATE invitations SET status = $1, channel = COALESCE($2, channel), reason = $3, \
             delivered_at = CASE WHEN $4 = 1 AND delivered_at IS NULL THEN $5 ELSE delivered_at END, \
             read_at = CASE WHEN $6 = 1 AND read_at IS NULL THEN $5 ELSE read_at END \
             WHERE id = $7 AND status = $8",
        )
        .bind(next.as_str())
        .bind(report.channel)
        .bind(reason)
        .bind(i64::from(matches!(next, Delivery::Delivered | Delivery::Read)))
        .bind(now)
        .bind(i64::from(next == Delivery::Read))
        .bind(&item.invitation_id)
        .bind(&status)
        .execute(self.db.pool())
        .await?;
        tracing::debug!(attempt = %item.id, from = %status, to = next.as_str(), "delivery report");
        Ok((changed.rows_affected() > 0).then_some(true))
    }

    /// The citizen asked for no more messages through an invitation's link: the phone goes on the opt-out list
    /// and nothing planned for it leaves.
    pub async fn opt_out(&self, invitation_id: &str) -> AppResult<()> {
        let mut tx = self.db.begin_write().await?;
        let now = tx.now_ms();
        let hash: Option<Option<String>> = sqlx::query_scalar("SELECT phone_hash FROM invitations WHERE id = $1")
            .bind(invitation_id)
            .fetch_optional(&mut *tx)
            .await?;
        opt_out_hash(&mut tx, hash.flatten().as_deref(), "LINK", now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Plans, sends and asks for statuses until cancelled.
    pub async fn run(self, cancel: CancellationToken) {
        tracing::info!(
            provider = self.provider.as_ref().map_or("none", Provider::name),
            "invitation outbox started"
        );
        let interval = Duration::from_millis(self.settings.poll_interval_ms.max(10));
        loop {
            let mut busy = false;
            match self.plan_due().await {
                Ok(n) => busy |= n > 0,
                Err(err) => tracing::error!(error = ?err, "planning invitations failed"),
            }
            match self.send_due().await {
                Ok(n) => busy |= n > 0,
                Err(err) => tracing::error!(error = ?err, "sending invitations failed"),
            }
            if let Err(err) = self.poll_statuses().await {
                tracing::error!(error = ?err, "asking for delivery statuses failed");
            }
            if busy {
                continue;
            }
            tokio::select! {
                _ = cancel.cancelled() => break,
                _ = self.wake.notified() => {}
                _ = tokio::time::sleep(interval) => {}
            }
        }
        tracing::info!("invitation outbox stopped");
    }
}

/// The message: Ukrainian (the citizens of the first client's centers; the form it opens offers English).
fn message_text(link: &str) -> String {
    crate::i18n::render(Language::Uk, &crate::msg!("invitation-text", link = link))
}

fn parse_delivery(status: &str) -> Option<Delivery> {
    Some(match status {
        "QUEUED" => Delivery::Queued,
        "SENT" => Delivery::Sent,
        "DELIVERED" => Delivery::Delivered,
        "READ" => Delivery::Read,
        "FAILED" => Delivery::Failed,
        "EXPIRED" => Delivery::Expired,
        _ => return None,
    })
}

/// Is the phone on the opt-out list? Asked on the pool or inside a transaction.
async fn opted_out<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(executor: E, hash: &str) -> AppResult<bool> {
    let listed: Option<String> = sqlx::query_scalar("SELECT phone_hash FROM phone_opt_outs WHERE phone_hash = $1")
        .bind(hash)
        .fetch_optional(executor)
        .await?;
    Ok(listed.is_some())
}

/// Puts a phone on the opt-out list and stops what is planned for it.
async fn opt_out_hash(tx: &mut Tx, hash: Option<&str>, source: &str, now: i64) -> AppResult<()> {
    let Some(hash) = hash else {
        return Ok(());
    };
    sqlx::query(
        "INSERT INTO phone_opt_outs (phone_hash, source, opted_out_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
    )
    .bind(hash)
    .bind(source)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "UPDATE invitation_attempts SET state = 'CANCELLED', locked_until = NULL, last_error = 'OPTED_OUT' \
         WHERE state = 'PENDING' AND invitation_id IN (SELECT id FROM invitations WHERE phone_hash = $1)",
    )
    .bind(hash)
    .execute(&mut **tx)
    .await?;
    sqlx::query("UPDATE invitations SET status = 'OPTED_OUT', reason = 'OPTED_OUT' WHERE phone_hash = $1 AND status = 'PLANNED'")
        .bind(hash)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

async fn finish_attempt(tx: &mut Tx, attempt_id: &str, state: &str, detail: &str) -> AppResult<()> {
    sqlx::query(
        "UPDATE invitation_attempts SET state = $1, locked_until = NULL, last_error = $2 WHERE id = $3 AND state = 'PENDING'",
    )
    .bind(state)
    .bind(detail)
    .bind(attempt_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn set_status(tx: &mut Tx, invitation_id: &str, status: &str, reason: &str) -> AppResult<()> {
    sqlx::query("UPDATE invitations SET status = $1, reason = $2 WHERE id = $3 AND status = 'PLANNED'")
        .bind(status)
        .bind(reason)
        .bind(invitation_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
