//! What staff read and decide: responses with filters (by venue, moderation state, suspicious or not), and the
//! moderation of comments (only a masked comment a moderator published may ever be shown publicly).

use sqlx::FromRow;

use crate::audit::audit;
use crate::auth::{Actor, Permission};
use crate::db::Page;
use crate::error::{AppError, AppResult};

use super::Feedback;

/// One response as staff read it (the raw comment and contact details included).
#[derive(Debug, Clone, FromRow)]
pub struct ResponseRecord {
    pub id: String,
    pub venue_id: String,
    pub venue_name: String,
    pub channel: String,
    pub service_code: Option<String>,
    pub premises: Option<i64>,
    pub staff: Option<i64>,
    pub waiting: Option<i64>,
    pub result: Option<i64>,
    pub recommend: Option<i64>,
    pub comment: Option<String>,
    pub comment_masked: Option<String>,
    pub masked_kinds: String,
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
    pub contact_email: Option<String>,
    pub risk_score: i64,
    pub risk_reasons: String,
    pub counted: i64,
    pub moderation: String,
    pub created_at: i64,
}

/// Filters of the staff list.
#[derive(Debug, Clone, Default)]
pub struct ResponseFilter {
    pub venue_id: Option<String>,
    pub moderation: Option<String>,
    pub suspicious: Option<bool>,
}

pub(super) const COLUMNS: &str =
    "r.id, r.venue_id, v.name AS venue_name, r.channel, r.service_code, r.premises, r.staff, \
    r.waiting, r.result, r.recommend, r.comment, r.comment_masked, r.masked_kinds, r.contact_name, r.contact_phone, \
    r.contact_email, r.risk_score, r.risk_reasons, r.counted, r.moderation, r.created_at";
pub(super) const FROM: &str = "feedback_responses r JOIN venues v ON v.id = r.venue_id";

impl Feedback {
    /// Newest first.
    pub async fn responses(
        &self,
        actor: &Actor,
        filter: &ResponseFilter,
        limit: usize,
        offset: usize,
    ) -> AppResult<Page<ResponseRecord>> {
        if !actor.can(Permission::ModerateFeedback) {
            return Err(AppError::forbidden());
        }
        let counted = match filter.suspicious {
            None => -1i64,
            Some(true) => 0,
            Some(false) => 1,
        };
        let listing = crate::db::Listing {
            select: COLUMNS,
            from: FROM,
            filter: "($1 = '' OR r.venue_id = $1) AND ($2 = '' OR r.moderation = $2) AND ($3 = -1 OR r.counted = $3)",
            args: vec![
                filter.venue_id.clone().unwrap_or_default().into(),
                filter.moderation.clone().unwrap_or_default().into(),
                counted.into(),
            ],
        };
        let newest_first = crate::db::Paging::Offset {
            order: "r.created_at DESC, r.id DESC",
            skip: offset,
        };
        self.db.page::<ResponseRecord, _>(listing, newest_first, limit).await
    }

    /// Publishes or rejects a pending comment. Deciding the same again returns the response; deciding
    /// otherwise after a decision is a `CONFLICT`.
    pub async fn moderate(&self, actor: &Actor, id: &str, publish: bool) -> AppResult<ResponseRecord> {
        if !actor.can(Permission::ModerateFeedback) {
            return Err(AppError::forbidden());
        }
        let wanted = if publish { "PUBLISHED" } else { "REJECTED" };
        let mut tx = self.db.begin_write().await?;
        let current: Option<String> = sqlx::query_scalar("SELECT moderation FROM feedback_responses WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
        match current.as_deref() {
            None => return Err(AppError::NotFound("response")),
            Some("PENDING") => {
                sqlx::query(
                    "UPDATE feedback_responses SET moderation = $1, moderated_by = $2, moderated_at = $3 WHERE id = $4",
                )
                .bind(wanted)
                .bind(&actor.user_id)
                .bind(self.db.now_ms())
                .bind(id)
                .execute(&mut *tx)
                .await?;
                audit(
                    &mut tx,
                    Some(&actor.user_id),
                    "feedback.moderate",
                    Some(id),
                    Some(wanted),
                )
                .await?;
                tx.commit().await?;
            }
            Some(state) if state == wanted => drop(tx),
            Some("NONE") => return Err(AppError::conflict(crate::msg!("moderation-no-comment"))),
            Some(state) => return Err(AppError::conflict(crate::msg!("moderation-decided", state = state))),
        }
        sqlx::query_as(&format!("SELECT {COLUMNS} FROM {FROM} WHERE r.id = $1"))
            .bind(id)
            .fetch_one(self.db.pool())
            .await
            .map_err(Into::into)
    }
}

impl Feedback {
    /// A moderator's decision whether a response counts in the index: a response held as suspicious (a burst of
    /// new devices on a center's opening day, say) counted after all, or a counted one taken out. Its tallies
    /// change in the same transaction, the decision is audited and stands against later bursts; deciding the
    /// same again is harmless.
    pub async fn set_counted(&self, actor: &Actor, id: &str, counted: bool) -> AppResult<ResponseRecord> {
        #[derive(FromRow)]
        struct Facts {
            venue_id: String,
            client_id: String,
            channel: String,
            premises: Option<i64>,
            staff: Option<i64>,
            waiting: Option<i64>,
            result: Option<i64>,
            recommend: Option<i64>,
            counted: i64,
            created_at: i64,
        }
        if !actor.can(Permission::ModerateFeedback) {
            return Err(AppError::forbidden());
        }
        let mut tx = self.db.begin_write().await?;
        let facts: Option<Facts> = sqlx::query_as(
            "SELECT r.venue_id, v.client_id, r.channel, r.premises, r.staff, r.waiting, r.result, r.recommend, \
             r.counted, r.created_at FROM feedback_responses r JOIN venues v ON v.id = r.venue_id WHERE r.id = $1",
        )
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(f) = facts else {
            return Err(AppError::NotFound("response"));
        };
        if (f.counted == 1) != counted {
            sqlx::query("UPDATE feedback_responses SET counted = $1, counted_by = $2 WHERE id = $3")
                .bind(i64::from(counted))
                .bind(&actor.user_id)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            let tally = super::submit::tally_of([f.premises, f.staff, f.waiting, f.result], f.recommend);
            let sign = if counted { 1 } else { -1 };
            crate::quality::tally_response(
                &mut tx,
                &f.client_id,
                &f.venue_id,
                &f.channel,
                f.created_at,
                &tally,
                sign,
            )
            .await?;
            let action = if counted { "feedback.count" } else { "feedback.hold" };
            audit(&mut tx, Some(&actor.user_id), action, Some(id), None).await?;
            tx.commit().await?;
        }
        sqlx::query_as(&format!("SELECT {COLUMNS} FROM {FROM} WHERE r.id = $1"))
            .bind(id)
            .fetch_one(self.db.pool())
            .await
            .map_err(Into::into)
    }

    /// Adds or changes one service of a venue type's catalogue (audited).
    #[allow(clippy::too_many_arguments)]
    pub async fn save_service(
        &self,
        actor: &Actor,
        venue_type: &str,
        code: &str,
        name_uk: &str,
        name_en: &str,
        position: i32,
        active: bool,
    ) -> AppResult<super::ServiceRecord> {
        use crate::domain::{BoundedText, ValidationError, VenueType};
        if !actor.can(Permission::ModerateFeedback) {
            return Err(AppError::forbidden());
        }
        let venue_type = VenueType::parse("venueType", venue_type)?;
        let code = code.trim().to_ascii_uppercase();
        if code.is_empty() || code.len() > 40 || !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(ValidationError::new("code", crate::msg!("service-code-format")).into());
        }
        let name_uk = BoundedText::parse("nameUk", name_uk, 1, 200)?.into_inner();
        let name_en = BoundedText::parse("nameEn", name_en, 1, 200)?.into_inner();
        if !(0..=9999).contains(&position) {
            return Err(ValidationError::new("position", crate::msg!("whole-number-0-9999")).into());
        }
        let mut tx = self.db.begin_write().await?;
        sqlx::query(
            "INSERT INTO service_catalogue (venue_type, code, name_uk, name_en, position, active) VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (venue_type, code) DO UPDATE SET name_uk = excluded.name_uk, name_en = excluded.name_en, \
             position = excluded.position, active = excluded.active",
        )
        .bind(venue_type.as_str())
        .bind(&code)
        .bind(&name_uk)
        .bind(&name_en)
        .bind(i64::from(position))
        .bind(i64::from(active))
        .execute(&mut *tx)
        .await?;
        audit(
            &mut tx,
            Some(&actor.user_id),
            "feedback.service.save",
            Some(&code),
            Some(venue_type.as_str()),
        )
        .await?;
        tx.commit().await?;
        Ok(super::ServiceRecord {
            code,
            name_uk,
            name_en,
            position: i64::from(position),
            active: i64::from(active),
        })
    }
}
