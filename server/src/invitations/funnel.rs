//! What staff see of the channel: the funnel of a client (one oblast's or one center's) over a span of days,
//! from services reported to answers; why events were skipped and messages failed; the cost per day against
//! the budget; the provider's health; and the client's policy, which they set.

use sqlx::FromRow;

use super::Invitations;
use crate::audit::audit;
use crate::auth::{Actor, Permission};
use crate::domain::invitation::Policy;
use crate::error::{AppError, AppResult};

/// Counts along the way, for services completed in the span.
#[derive(Debug, Clone, Default, FromRow)]
pub struct Funnel {
    pub reported: i64,
    /// Came with a phone and consent (decided by the policy).
    pub with_phone: i64,
    pub invited: i64,
    pub sent: i64,
    pub delivered: i64,
    /// Viber only: the citizen opened the message.
    pub read: i64,
    pub opened: i64,
    pub answered: i64,
    /// SMS segments paid for.
    pub segments: i64,
}

/// How many, by a reason code.
#[derive(Debug, Clone, FromRow)]
pub struct ByReason {
    pub reason: String,
    pub count: i64,
}

/// One local day's messages against the budget.
#[derive(Debug, Clone, FromRow)]
pub struct Day {
    pub day: String,
    pub sent: i64,
    pub segments: i64,
}

/// How the provider is doing now.
#[derive(Debug, Clone, FromRow)]
pub struct Health {
    /// Messages waiting to leave (due or not).
    pub waiting: i64,
    /// Of them, those that failed at least once and wait to be tried again.
    pub retrying: i64,
    pub last_accepted_at: Option<i64>,
    /// Attempts that gave up or were refused in the last 24 hours.
    pub failed_last_day: i64,
    pub last_error: Option<String>,
}

/// The funnel's filter.
#[derive(Debug, Clone, Default)]
pub struct Span<'a> {
    pub client_id: &'a str,
    pub oblast: Option<&'a str>,
    pub venue_id: Option<&'a str>,
    /// Services completed from (inclusive) and to (exclusive), ms.
    pub from_ms: i64,
    pub to_ms: i64,
}

const SCOPE: &str = "FROM service_events e JOIN venues v ON v.id = e.venue_id \
     LEFT JOIN invitations i ON i.event_id = e.id \
     WHERE e.client_id = $1 AND ($2 IS NULL OR v.oblast = $2) AND ($3 IS NULL OR e.venue_id = $3) \
     AND e.completed_at >= $4 AND e.completed_at < $5";

impl Invitations {
    fn may_see(actor: &Actor) -> AppResult<()> {
        if actor.can(Permission::ManageVenues) {
            Ok(())
        } else {
            Err(AppError::forbidden())
        }
    }

    /// The funnel over the span.
    pub async fn funnel(&self, actor: &Actor, span: &Span<'_>) -> AppResult<Funnel> {
        Self::may_see(actor)?;
        let sql = format!(
            "SELECT COUNT(e.id) AS reported, COUNT(i.id) AS with_phone, \
             CAST(COALESCE(SUM(CASE WHEN i.status <> 'SKIPPED' THEN 1 ELSE 0 END), 0) AS BIGINT) AS invited, \
             COUNT(i.sent_at) AS sent, COUNT(i.delivered_at) AS delivered, COUNT(i.read_at) AS read, \
             COUNT(i.opened_at) AS opened, COUNT(i.answered_at) AS answered, \
             CAST(COALESCE(SUM(i.segments), 0) AS BIGINT) AS segments {SCOPE}"
        );
        Ok(bind(sqlx::query_as(&sql), span).fetch_one(self.db.pool()).await?)
    }

    /// Why events were not invited, or messages did not arrive: (skipped, failed), most frequent first.
    pub async fn reasons(&self, actor: &Actor, span: &Span<'_>) -> AppResult<(Vec<ByReason>, Vec<ByReason>)> {
        Self::may_see(actor)?;
        let of = |statuses: &str| {
            format!(
                "SELECT COALESCE(i.reason, i.status) AS reason, COUNT(*) AS count {SCOPE} AND i.status IN ({statuses}) \
                 GROUP BY COALESCE(i.reason, i.status) ORDER BY count DESC, reason"
            )
        };
        let skipped = bind(sqlx::query_as(&of("'SKIPPED'")), span)
            .fetch_all(self.db.pool())
            .await?;
        let failed = bind(sqlx::query_as(&of("'FAILED', 'EXPIRED', 'OPTED_OUT'")), span)
            .fetch_all(self.db.pool())
            .await?;
        Ok((skipped, failed))
    }

    /// Messages sent per local day (the budget's day) in the span.
    pub async fn days(&self, actor: &Actor, span: &Span<'_>) -> AppResult<Vec<Day>> {
        Self::may_see(actor)?;
        let sql = format!(
            "SELECT i.budget_day AS day, COUNT(i.sent_at) AS sent, CAST(COALESCE(SUM(i.segments), 0) AS BIGINT) AS segments \
             {SCOPE} AND i.budget_day IS NOT NULL GROUP BY i.budget_day ORDER BY i.budget_day"
        );
        Ok(bind(sqlx::query_as(&sql), span).fetch_all(self.db.pool()).await?)
    }

    /// The provider's health now (all clients: one provider carries them all).
    pub async fn health(&self, actor: &Actor) -> AppResult<Health> {
        Self::may_see(actor)?;
        let day_ago = self.db.now_ms() - 86_400_000;
        Ok(sqlx::query_as(
            "SELECT \
               (SELECT COUNT(*) FROM invitation_attempts WHERE state = 'PENDING') AS waiting, \
               (SELECT COUNT(*) FROM invitation_attempts WHERE state = 'PENDING' AND last_error IS NOT NULL) AS retrying, \
               (SELECT MAX(accepted_at) FROM invitation_attempts) AS last_accepted_at, \
               (SELECT COUNT(*) FROM invitation_attempts WHERE state IN ('GAVE_UP', 'REFUSED') AND created_at > $1) AS failed_last_day, \
               (SELECT last_error FROM invitation_attempts WHERE last_error IS NOT NULL AND state <> 'CANCELLED' \
                ORDER BY created_at DESC LIMIT 1) AS last_error",
        )
        .bind(day_ago)
        .fetch_one(self.db.pool())
        .await?)
    }

    /// The provider's name, or `None` when messages are only planned.
    pub fn provider_name(&self) -> Option<&'static str> {
        self.provider.as_ref().map(super::Provider::name)
    }

    /// How many phones asked for no more messages (all clients: the list is the citizens').
    pub async fn opted_out(&self, actor: &Actor) -> AppResult<i64> {
        Self::may_see(actor)?;
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM phone_opt_outs")
            .fetch_one(self.db.pool())
            .await?)
    }

    /// A client's policy, for staff.
    pub async fn policy_of(&self, actor: &Actor, client_id: &str) -> AppResult<Policy> {
        Self::may_see(actor)?;
        self.known_client(client_id).await?;
        self.policy(client_id).await
    }

    /// Sets a client's policy (checked; audited). Applies to events decided from now on.
    pub async fn set_policy(&self, actor: &Actor, client_id: &str, policy: Policy) -> AppResult<Policy> {
        Self::may_see(actor)?;
        self.known_client(client_id).await?;
        if let Err((field, _)) = policy.check() {
            let code = match field {
                "share" => crate::msg!("policy-share"),
                "window_start" => crate::msg!("policy-window"),
                "cooldown_days" => crate::msg!("policy-cooldown"),
                "delay_minutes" => crate::msg!("policy-delay"),
                _ => crate::msg!("policy-max-wait"),
            };
            let field = match field {
                "window_start" => "windowStart",
                "cooldown_days" => "cooldownDays",
                "delay_minutes" => "delayMinutes",
                "max_wait_hours" => "maxWaitHours",
                other => other,
            };
            return Err(AppError::BadInput {
                field: field.to_string(),
                message: code,
            });
        }
        let json = serde_json::to_string(&policy).map_err(|e| AppError::Internal(e.into()))?;
        let mut tx = self.db.begin_write().await?;
        let now = tx.now_ms();
        sqlx::query(
            "INSERT INTO invitation_policies (client_id, policy, updated_by, updated_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (client_id) DO UPDATE SET policy = excluded.policy, updated_by = excluded.updated_by, \
             updated_at = excluded.updated_at",
        )
        .bind(client_id)
        .bind(&json)
        .bind(&actor.user_id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        audit(
            &mut tx,
            Some(&actor.user_id),
            "invitation.policy",
            Some(client_id),
            Some(&json),
        )
        .await?;
        tx.commit().await?;
        Ok(policy)
    }

    async fn known_client(&self, client_id: &str) -> AppResult<()> {
        let found: Option<String> = sqlx::query_scalar("SELECT id FROM clients WHERE id = $1")
            .bind(client_id)
            .fetch_optional(self.db.pool())
            .await?;
        found.map(|_| ()).ok_or(AppError::NotFound("client"))
    }
}

fn bind<'q, O>(
    query: sqlx::query::QueryAs<'q, sqlx::Any, O, sqlx::any::AnyArguments<'q>>,
    span: &Span<'q>,
) -> sqlx::query::QueryAs<'q, sqlx::Any, O, sqlx::any::AnyArguments<'q>> {
    query
        .bind(span.client_id)
        .bind(span.oblast)
        .bind(span.venue_id)
        .bind(span.from_ms)
        .bind(span.to_ms)
}
