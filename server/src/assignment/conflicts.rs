//! Conflicts of interest a shopper declares (venues, clients, employers).

use crate::auth::Actor;
use crate::db::new_id;
use crate::domain::BoundedText;
use crate::error::{AppError, AppResult};

use super::{Assignment, ConflictRecord};

impl Assignment {
    pub async fn conflicts(&self, shopper_id: &str) -> AppResult<Vec<ConflictRecord>> {
        Ok(sqlx::query_as(
            "SELECT sc.id, sc.venue_id, sc.client_id, sc.employer, sc.created_at, COALESCE(v.name, c.name) AS name \
             FROM shopper_conflicts sc LEFT JOIN venues v ON v.id = sc.venue_id LEFT JOIN clients c ON c.id = sc.client_id \
             WHERE sc.shopper_id = $1 ORDER BY sc.created_at, sc.id",
        )
        .bind(shopper_id)
        .fetch_all(self.db.pool())
        .await?)
    }

    /// A shopper declares a venue, a client or an employer they must not evaluate. Declaring the same one again
    /// (a resend) returns the declaration already made.
    pub async fn declare_conflict(
        &self,
        actor: &Actor,
        venue_id: Option<&str>,
        client_id: Option<&str>,
        employer: Option<&str>,
    ) -> AppResult<ConflictRecord> {
        let employer = employer
            .map(|e| BoundedText::line("employer", e, 3, 200).map(BoundedText::into_inner))
            .transpose()?;
        if [venue_id.is_some(), client_id.is_some(), employer.is_some()]
            .iter()
            .filter(|x| **x)
            .count()
            != 1
        {
            return Err(AppError::bad_input("venueId", crate::msg!("conflict-exactly-one")));
        }
        if let Some(venue) = venue_id {
            let found: Option<String> = sqlx::query_scalar("SELECT id FROM venues WHERE id = $1")
                .bind(venue)
                .fetch_optional(self.db.pool())
                .await?;
            found.ok_or_else(|| AppError::bad_input("venueId", crate::msg!("no-such-venue")))?;
        }
        if let Some(client) = client_id {
            let found: Option<String> = sqlx::query_scalar("SELECT id FROM clients WHERE id = $1")
                .bind(client)
                .fetch_optional(self.db.pool())
                .await?;
            found.ok_or_else(|| AppError::bad_input("clientId", crate::msg!("no-such-client")))?;
        }
        let (id, now) = (new_id(), self.db.now_ms());
        let mut tx = self.db.begin_write().await?;
        let inserted = sqlx::query(
            "INSERT INTO shopper_conflicts (id, shopper_id, venue_id, client_id, employer, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
        )
        .bind(&id)
        .bind(&actor.user_id)
        .bind(venue_id)
        .bind(client_id)
        .bind(employer.as_deref())
        .bind(now)
        .execute(&mut *tx)
        .await?;
        if inserted.rows_affected() == 0 {
            tx.rollback().await?;
            let same = |c: &ConflictRecord| {
                c.venue_id.as_deref() == venue_id && c.client_id.as_deref() == client_id && c.employer == employer
            };
            let found = self.conflicts(&actor.user_id).await?.into_iter().find(same);
            return found.ok_or_else(|| AppError::Internal(anyhow::anyhow!("a conflict declaration vanished")));
        }
        // The shopper's visits of that venue (or that client's venues) still under way or awaiting review are
        // flagged now; submission and review see it with its date.
        if venue_id.is_some() || client_id.is_some() {
            let what = match client_id {
                Some(client) => {
                    let name: String = sqlx::query_scalar("SELECT name FROM clients WHERE id = $1")
                        .bind(client)
                        .fetch_one(&mut *tx)
                        .await?;
                    crate::msg!("conflict-with-client", client = name)
                }
                None => crate::msg!("conflict-with-venue"),
            };
            let flag = crate::domain::flags::DeclaredConflict { what, declared_at: now }.flag();
            sqlx::query(
                "INSERT INTO visit_flags (visit_id, code, severity, message, other_visit_id) \
                 SELECT v.id, $1, $2, $3, NULL FROM visits v JOIN tasks t ON t.id = v.task_id \
                 JOIN venues ve ON ve.id = t.venue_id WHERE v.shopper_id = $4 \
                 AND (t.venue_id = $5 OR ve.client_id = $6) AND v.state IN ('IN_PROGRESS', 'SUBMITTED', 'RETURNED') \
                 ON CONFLICT DO NOTHING",
            )
            .bind(flag.code.as_str())
            .bind(flag.severity.as_str())
            .bind(flag.message.to_json())
            .bind(&actor.user_id)
            .bind(venue_id)
            .bind(client_id)
            .execute(&mut *tx)
            .await?;
        }
        crate::audit::audit(
            &mut tx,
            Some(&actor.user_id),
            "shopper.declare_conflict",
            Some(&id),
            None,
        )
        .await?;
        tx.commit().await?;
        let found = self.conflicts(&actor.user_id).await?.into_iter().find(|c| c.id == id);
        found.ok_or_else(|| AppError::Internal(anyhow::anyhow!("a conflict declaration vanished")))
    }
}
