//! Launching a wave: its venue selection becomes tasks, once (a relaunch creates nothing new).

use crate::audit::audit;
use crate::auth::Actor;
use crate::db::new_id;
use crate::domain::wave::WaveMove;
use crate::error::{AppError, AppResult};

use super::{move_wave, SelectionMode, WaveRecord, Waves};

impl Waves {
    /// Creates the wave's tasks: one per selected venue and visit number. Tasks that exist are left alone, so
    /// launching twice creates nothing new (and a relaunch after venues joined the selection adds only theirs).
    /// Returns the wave and how many tasks were created.
    pub async fn launch(&self, actor: &Actor, id: &str) -> AppResult<(WaveRecord, u64)> {
        let wave = self.wave(actor, id).await?;
        if !WaveMove::Launch.applies_to(wave.status) {
            return Err(AppError::conflict(WaveMove::Launch.refusal(wave.status)));
        }
        let venues = self.selected_venues(&wave).await?;
        if venues.is_empty() {
            return Err(AppError::bad_input("selection", crate::msg!("selection-empty")));
        }
        let now = self.db.now_ms();
        let mut tx = self.db.begin_write().await?;
        let mut created = 0;
        let rows: Vec<(String, i64)> = venues
            .iter()
            .flat_map(|v| (1..=wave.visits_per_venue).map(move |seq| (v.clone(), seq)))
            .collect();
        for chunk in rows.chunks(200) {
            let mut sql = String::from(
                "INSERT INTO tasks (id, wave_id, venue_id, seq, state, fee_kopiykas, bonus_kopiykas, created_at, updated_at) VALUES ",
            );
            for i in 0..chunk.len() {
                let b = i * 4;
                if i > 0 {
                    sql.push_str(", ");
                }
                sql.push_str(&format!(
                    "(${}, ${}, ${}, ${}, 'OPEN', ${}, 0, ${}, ${})",
                    b + 1,
                    b + 2,
                    b + 3,
                    b + 4,
                    chunk.len() * 4 + 1,
                    chunk.len() * 4 + 2,
                    chunk.len() * 4 + 2
                ));
            }
            sql.push_str(" ON CONFLICT (wave_id, venue_id, seq) DO NOTHING");
            let mut query = sqlx::query(&sql);
            for (venue_id, seq) in chunk {
                query = query.bind(new_id()).bind(&wave.id).bind(venue_id).bind(*seq);
            }
            created += query
                .bind(wave.fee_kopiykas)
                .bind(now)
                .execute(&mut *tx)
                .await?
                .rows_affected();
        }
        if !move_wave(&mut tx, id, WaveMove::Launch, &actor.user_id).await? {
            return Err(AppError::conflict(crate::msg!("wave-changed-meanwhile")));
        }
        sqlx::query("UPDATE waves SET launched_at = COALESCE(launched_at, $1) WHERE id = $2")
            .bind(now)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        audit(
            &mut tx,
            Some(&actor.user_id),
            "wave.launch",
            Some(id),
            Some(&format!("{created} tasks created")),
        )
        .await?;
        tx.commit().await?;
        Ok((self.wave(actor, id).await?, created))
    }

    async fn selected_venues(&self, wave: &WaveRecord) -> AppResult<Vec<String>> {
        let s = &wave.selection;
        let ids: Vec<String> = match s.mode {
            SelectionMode::All => sqlx::query_scalar("SELECT id FROM venues WHERE client_id = $1 AND active = 1 ORDER BY id")
                .bind(&wave.client_id)
                .fetch_all(self.db.pool())
                .await?,
            SelectionMode::Filter => sqlx::query_scalar(
                "SELECT id FROM venues WHERE client_id = $1 AND active = 1 AND ($2 IS NULL OR oblast = $2) \
                 AND ($3 IS NULL OR raion = $3) AND ($4 IS NULL OR city = $4) AND ($5 IS NULL OR venue_type = $5) ORDER BY id",
            )
            .bind(&wave.client_id)
            .bind(s.oblast.as_deref())
            .bind(s.raion.as_deref())
            .bind(s.city.as_deref())
            .bind(s.venue_type.as_deref())
            .fetch_all(self.db.pool())
            .await?,
            SelectionMode::List => {
                let mut ids = Vec::new();
                for id in &s.venue_ids {
                    let active: Option<String> =
                        sqlx::query_scalar("SELECT id FROM venues WHERE id = $1 AND client_id = $2 AND active = 1")
                            .bind(id)
                            .bind(&wave.client_id)
                            .fetch_optional(self.db.pool())
                            .await?;
                    ids.extend(active);
                }
                ids
            }
        };
        Ok(ids)
    }
}
