//! A running wave: pause and resume, extend, close (its open tasks are cancelled), and the daily bonus for
//! tasks nobody has taken.

use crate::audit::audit;
use crate::auth::Actor;
use crate::domain::task::TaskMove;
use crate::domain::wave::{BonusRule, Period, WaveMove, WaveStatus};
use crate::domain::BoundedText;
use crate::error::{AppError, AppResult};

use super::{move_wave, WaveRecord, Waves};

impl Waves {
    /// Pauses (`WaveMove::Pause`) or resumes (`WaveMove::Resume`) a wave; asking for the status it has is
    /// harmless.
    pub async fn set_running(&self, actor: &Actor, id: &str, mv: WaveMove) -> AppResult<WaveRecord> {
        let wave = self.wave(actor, id).await?;
        if wave.status == mv.to() {
            return Ok(wave);
        }
        if !mv.applies_to(wave.status) {
            return Err(AppError::conflict(mv.refusal(wave.status)));
        }
        let mut tx = self.db.begin_write().await?;
        if !move_wave(&mut tx, id, mv, &actor.user_id).await? {
            return Err(AppError::conflict(crate::msg!("wave-changed-meanwhile")));
        }
        let action = if mv == WaveMove::Pause {
            "wave.pause"
        } else {
            "wave.resume"
        };
        audit(&mut tx, Some(&actor.user_id), action, Some(id), None).await?;
        tx.commit().await?;
        self.wave(actor, id).await
    }

    /// Moves the end date later.
    pub async fn extend(&self, actor: &Actor, id: &str, ends_on: &str) -> AppResult<WaveRecord> {
        let wave = self.wave(actor, id).await?;
        if wave.status == WaveStatus::Closed {
            return Err(AppError::conflict(crate::msg!("wave-closed-no-extend")));
        }
        let period = Period::parse(&wave.starts_on, ends_on)?;
        if period.ends_on.to_string() <= wave.ends_on {
            return Err(AppError::bad_input(
                "endsOn",
                crate::msg!("wave-extend-after", ends_on = &wave.ends_on),
            ));
        }
        let mut tx = self.db.begin_write().await?;
        sqlx::query("UPDATE waves SET ends_on = $1, updated_by = $2, updated_at = $3 WHERE id = $4")
            .bind(period.ends_on.to_string())
            .bind(&actor.user_id)
            .bind(self.db.now_ms())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        audit(
            &mut tx,
            Some(&actor.user_id),
            "wave.extend",
            Some(id),
            Some(&period.ends_on.to_string()),
        )
        .await?;
        tx.commit().await?;
        self.wave(actor, id).await
    }

    /// Closes the wave and cancels its open tasks with the reason. Closing a closed wave changes nothing.
    pub async fn close(&self, actor: &Actor, id: &str, reason: &str) -> AppResult<(WaveRecord, u64)> {
        let wave = self.wave(actor, id).await?;
        if wave.status == WaveStatus::Closed {
            return Ok((wave, 0));
        }
        let reason = BoundedText::parse("reason", reason, 3, 1_000)?.into_inner();
        let now = self.db.now_ms();
        let mut tx = self.db.begin_write().await?;
        let mv = TaskMove::Cancel;
        let cancelled = sqlx::query(&format!(
            "UPDATE tasks SET state = '{}', cancel_reason = $1, updated_at = $2 WHERE wave_id = $3 AND state IN ({})",
            mv.to().as_str(),
            mv.from_sql()
        ))
        .bind(&reason)
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if !move_wave(&mut tx, id, WaveMove::Close, &actor.user_id).await? {
            // Closed meanwhile by someone else: what they did stands.
            drop(tx);
            return Ok((self.wave(actor, id).await?, 0));
        }
        sqlx::query("UPDATE waves SET closed_at = $1, close_reason = $2 WHERE id = $3")
            .bind(now)
            .bind(&reason)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        audit(&mut tx, Some(&actor.user_id), "wave.close", Some(id), Some(&reason)).await?;
        tx.commit().await?;
        Ok((self.wave(actor, id).await?, cancelled))
    }

    /// Raises the bonus of tasks still open in launched waves to their current step (a claimed task keeps the
    /// bonus it was claimed with: that is what the shopper will be paid). Returns how many tasks changed.
    pub async fn apply_bonuses(&self) -> AppResult<u64> {
        let rows: Vec<(String, Option<i64>, String, i64)> = sqlx::query_as(
            "SELECT id, launched_at, bonus_steps, bonus_cap_kopiykas FROM waves WHERE status = 'LAUNCHED' AND bonus_cap_kopiykas > 0",
        )
        .fetch_all(self.db.pool())
        .await?;
        let now = self.db.now_ms();
        let mut changed = 0;
        for (wave_id, launched_at, steps, cap) in rows {
            let rule = BonusRule::from_parts(serde_json::from_str(&steps).unwrap_or_default(), cap);
            let days_open = (now - launched_at.unwrap_or(now)).max(0) / 86_400_000;
            let bonus = rule.bonus_after(days_open);
            if bonus == 0 {
                continue;
            }
            changed += sqlx::query(
                "UPDATE tasks SET bonus_kopiykas = $1, updated_at = $2 WHERE wave_id = $3 AND state = 'OPEN' AND bonus_kopiykas < $1",
            )
            .bind(bonus)
            .bind(now)
            .bind(&wave_id)
            .execute(self.db.pool())
            .await?
            .rows_affected();
        }
        Ok(changed)
    }
}
