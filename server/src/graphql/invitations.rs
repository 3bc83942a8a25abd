//! The SMS and Viber channel for staff: the funnel of a client over a span of days (per oblast or center), why
//! events were skipped and messages failed, the cost per day against the budget, the provider's health, and
//! the client's invitation policy.

use async_graphql::{Context, InputObject, Object, SimpleObject, ID};
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};

use super::{actor, Require};
use crate::auth::Permission;
use crate::db::from_ms;
use crate::domain::invitation::Policy;
use crate::error::AppError;
use crate::invitations::{Invitations, Span};
use crate::msg;

fn invitations<'a>(ctx: &'a Context<'_>) -> &'a Invitations {
    ctx.data_unchecked::<Invitations>()
}

/// Counts along the way, for services completed in the span.
#[derive(SimpleObject)]
pub struct InvitationFunnel {
    /// Services the centers reported.
    pub reported: i64,
    /// …with a phone and the citizen's consent.
    pub with_phone: i64,
    /// …invited by the policy.
    pub invited: i64,
    /// …handed to the provider.
    pub sent: i64,
    pub delivered: i64,
    /// Viber only: the message was opened.
    pub read: i64,
    /// The link was opened.
    pub opened: i64,
    pub answered: i64,
    /// Answered of sent, 0–1 (none sent: 0).
    pub response_rate: f64,
    /// SMS segments paid for.
    pub segments: i64,
    /// Why events were not invited (`NO_PHONE`, `OPTED_OUT`, `COOLDOWN`, `NOT_SAMPLED`, `TOO_LATE`, `BUDGET`).
    pub skipped: Vec<ReasonCount>,
    /// Why messages did not arrive (`REJECTED_NUMBER`, `STOP_LISTED`, `PROVIDER_UNAVAILABLE`, `OPTED_OUT`, …).
    pub failed: Vec<ReasonCount>,
    /// Messages per local day, against the daily budget.
    pub days: Vec<InvitationDay>,
    /// The client's daily budget (none: no cap).
    pub daily_budget: Option<i32>,
    /// Phones on the opt-out list (all clients).
    pub opted_out: i64,
    pub provider: ProviderHealth,
}

#[derive(SimpleObject)]
pub struct ReasonCount {
    pub reason: String,
    pub count: i64,
}

#[derive(SimpleObject)]
pub struct InvitationDay {
    /// The local day, `YYYY-MM-DD`.
    pub day: String,
    pub sent: i64,
    pub segments: i64,
}

/// How the provider is doing now.
#[derive(SimpleObject)]
pub struct ProviderHealth {
    /// `turbosms`, or none when messages are only planned.
    pub name: Option<String>,
    /// Messages waiting to leave.
    pub waiting: i64,
    /// Of them, those waiting to be tried again after a failure.
    pub retrying: i64,
    pub last_accepted_at: Option<DateTime<Utc>>,
    /// Messages refused or given up in the last 24 hours.
    pub failed_last_day: i64,
    /// The provider's last error, as it said it.
    pub last_error: Option<String>,
}

/// A client's invitation policy.
#[derive(SimpleObject)]
pub struct InvitationPolicy {
    /// The share of services invited, 0–1.
    pub share: f64,
    /// At most one invitation per phone in this many days, across all centers.
    pub cooldown_days: i32,
    /// Minutes after the service the invitation leaves.
    pub delay_minutes: i32,
    /// Messages go out from this local time of the center (`HH:MM`)…
    pub window_start: String,
    /// …until this one.
    pub window_end: String,
    /// Later than this after the service, nobody is asked any more.
    pub max_wait_hours: i32,
    pub daily_budget: Option<i32>,
}

impl From<Policy> for InvitationPolicy {
    fn from(p: Policy) -> Self {
        Self {
            share: p.share,
            cooldown_days: p.cooldown_days as i32,
            delay_minutes: p.delay_minutes as i32,
            window_start: p.window_start.format("%H:%M").to_string(),
            window_end: p.window_end.format("%H:%M").to_string(),
            max_wait_hours: p.max_wait_hours as i32,
            daily_budget: p.daily_budget.map(|b| b as i32),
        }
    }
}

#[derive(InputObject)]
pub struct InvitationPolicyInput {
    pub share: f64,
    pub cooldown_days: i32,
    pub delay_minutes: i32,
    /// `HH:MM`
    pub window_start: String,
    /// `HH:MM`
    pub window_end: String,
    pub max_wait_hours: i32,
    /// None: no cap.
    pub daily_budget: Option<i32>,
}

impl InvitationPolicyInput {
    /// The policy, keeping the client's shares per center and service (set elsewhere).
    fn into_policy(self, kept: Policy) -> Result<Policy, AppError> {
        let time = |field: &str, text: &str| {
            NaiveTime::parse_from_str(text.trim(), "%H:%M").map_err(|_| AppError::BadInput {
                field: field.to_string(),
                message: msg!("policy-time-format"),
            })
        };
        if self.daily_budget.is_some_and(|b| b < 0) {
            return Err(AppError::BadInput {
                field: "dailyBudget".into(),
                message: msg!("policy-budget"),
            });
        }
        Ok(Policy {
            share: self.share,
            cooldown_days: i64::from(self.cooldown_days),
            delay_minutes: i64::from(self.delay_minutes),
            window_start: time("windowStart", &self.window_start)?,
            window_end: time("windowEnd", &self.window_end)?,
            max_wait_hours: i64::from(self.max_wait_hours),
            daily_budget: self.daily_budget.map(|b| b as u32),
            ..kept
        })
    }
}

#[derive(Default)]
pub struct InvitationQuery;

#[Object]
impl InvitationQuery {
    /// The channel's funnel for services completed from `from` to `to` (Kyiv days, both included; at most a
    /// year), for a client, one of its oblasts or one center.
    #[graphql(guard = "Require(Permission::ManageVenues)")]
    async fn invitation_funnel(
        &self,
        ctx: &Context<'_>,
        client_id: ID,
        from: NaiveDate,
        to: NaiveDate,
        oblast: Option<String>,
        center_id: Option<ID>,
    ) -> async_graphql::Result<InvitationFunnel> {
        if to < from || (to - from).num_days() > 366 {
            return Err(AppError::BadInput {
                field: "to".into(),
                message: msg!("span-too-long", days = 366),
            }
            .into());
        }
        let actor = actor(ctx)?;
        let service = invitations(ctx);
        let span = Span {
            client_id: &client_id,
            oblast: oblast.as_deref().filter(|o| !o.is_empty()),
            venue_id: center_id.as_ref().map(|c| c.as_str()),
            from_ms: crate::time::kyiv_start_ms(from),
            to_ms: crate::time::kyiv_start_ms(to.succ_opt().unwrap_or(to)),
        };
        let policy = service.policy_of(actor, &client_id).await?;
        let funnel = service.funnel(actor, &span).await?;
        let (skipped, failed) = service.reasons(actor, &span).await?;
        let days = service.days(actor, &span).await?;
        let health = service.health(actor).await?;
        let reasons = |list: Vec<crate::invitations::ByReason>| {
            list.into_iter()
                .map(|r| ReasonCount {
                    reason: r.reason,
                    count: r.count,
                })
                .collect()
        };
        Ok(InvitationFunnel {
            response_rate: if funnel.sent > 0 {
                funnel.answered as f64 / funnel.sent as f64
            } else {
                0.0
            },
            reported: funnel.reported,
            with_phone: funnel.with_phone,
            invited: funnel.invited,
            sent: funnel.sent,
            delivered: funnel.delivered,
            read: funnel.read,
            opened: funnel.opened,
            answered: funnel.answered,
            segments: funnel.segments,
            skipped: reasons(skipped),
            failed: reasons(failed),
            days: days
                .into_iter()
                .map(|d| InvitationDay {
                    day: d.day,
                    sent: d.sent,
                    segments: d.segments,
                })
                .collect(),
            daily_budget: policy.daily_budget.map(|b| b as i32),
            opted_out: service.opted_out(actor).await?,
            provider: ProviderHealth {
                name: service.provider_name().map(str::to_string),
                waiting: health.waiting,
                retrying: health.retrying,
                last_accepted_at: health.last_accepted_at.map(from_ms),
                failed_last_day: health.failed_last_day,
                last_error: health.last_error,
            },
        })
    }

    /// A client's invitation policy (the defaults until it is set).
    #[graphql(guard = "Require(Permission::ManageVenues)")]
    async fn invitation_policy(&self, ctx: &Context<'_>, client_id: ID) -> async_graphql::Result<InvitationPolicy> {
        Ok(invitations(ctx).policy_of(actor(ctx)?, &client_id).await?.into())
    }
}

#[derive(Default)]
pub struct InvitationMutation;

#[Object]
impl InvitationMutation {
    /// Sets a client's invitation policy; events decided from now on follow it.
    #[graphql(guard = "Require(Permission::ManageVenues)")]
    async fn set_invitation_policy(
        &self,
        ctx: &Context<'_>,
        client_id: ID,
        input: InvitationPolicyInput,
    ) -> async_graphql::Result<InvitationPolicy> {
        let actor = actor(ctx)?;
        let service = invitations(ctx);
        let kept = service.policy_of(actor, &client_id).await?;
        let policy = input.into_policy(kept)?;
        Ok(service.set_policy(actor, &client_id, policy).await?.into())
    }
}
