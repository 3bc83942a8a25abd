//! Auto-assignment of a wave with the optimizer: a preview, then the whole plan in one transaction.

use std::collections::{HashMap, HashSet};

use sqlx::FromRow;

use crate::auth::Actor;
use crate::db::new_id;
use crate::domain::eligibility;
use crate::domain::eligibility::{Limits, ShopperFacts, TaskFacts};
use crate::domain::task::TaskMove;
use crate::domain::wave::WaveStatus;
use crate::error::{AppError, AppResult};

use super::{Assignment, TaskContext, TASK_CONTEXT};

/// A proposed (or made) assignment from the wave optimizer.
#[derive(Debug, Clone)]
pub struct Proposal {
    pub task_id: String,
    pub shopper_id: String,
    pub venue_name: String,
    pub distance_m: u32,
}

/// The optimizer's answer for a wave.
#[derive(Debug, Clone, Default)]
pub struct AutoAssignPlan {
    pub proposals: Vec<Proposal>,
    /// (task id, venue name, reason)
    pub unassignable: Vec<(String, String, &'static str)>,
    pub total_m: u64,
    /// How many proposals were made into assignments (commit only).
    pub committed: usize,
    /// Proposals that no longer applied when the plan was written (commit only): (task id, venue name, why).
    pub not_committed: Vec<(String, String, crate::domain::Msg)>,
}

impl Assignment {
    /// Spreads a launched wave's open tasks over eligible shoppers: the most tasks possible, then the least
    /// total home-to-venue distance (see `domain::optimizer`). Without `commit` it only proposes; with it,
    /// each proposal becomes an assignment (rules are checked again for each).
    pub async fn auto_assign(
        &self,
        actor: &Actor,
        wave_id: &str,
        commit: bool,
        as_offers: bool,
    ) -> AppResult<AutoAssignPlan> {
        use crate::domain::optimizer::{self, Unfilled};
        let mut conn = self.db.pool().acquire().await?;
        let status: Option<String> = sqlx::query_scalar("SELECT status FROM waves WHERE id = $1")
            .bind(wave_id)
            .fetch_optional(&mut *conn)
            .await?;
        match status.as_deref().map(WaveStatus::parse).transpose()? {
            None => return Err(AppError::NotFound("wave")),
            Some(WaveStatus::Launched) => {}
            Some(other) => {
                return Err(AppError::conflict(crate::msg!(
                    "auto-assign-wave-state",
                    status = other.as_str()
                )))
            }
        }
        let open: Vec<TaskContextWithId> = sqlx::query_as(&format!(
            "SELECT t.id AS task_id, {} WHERE t.wave_id = $1 AND t.state = 'OPEN' ORDER BY t.venue_id, t.seq",
            &TASK_CONTEXT["SELECT ".len()..]
        ))
        .bind(wave_id)
        .fetch_all(&mut *conn)
        .await?;
        // Venues with their open tasks.
        let mut venue_index: HashMap<String, usize> = HashMap::new();
        let mut venue_tasks: Vec<Vec<String>> = Vec::new();
        let mut venue_facts: Vec<TaskFacts> = Vec::new();
        for row in &open {
            let v = *venue_index.entry(row.ctx.venue_id.clone()).or_insert_with(|| {
                venue_tasks.push(Vec::new());
                venue_facts.push(row.ctx.facts());
                venue_tasks.len() - 1
            });
            venue_tasks[v].push(row.task_id.clone());
        }
        let venues: Vec<optimizer::Venue> = venue_facts
            .iter()
            .zip(&venue_tasks)
            .map(|(f, tasks)| optimizer::Venue {
                lat: f.venue_lat,
                lon: f.venue_lon,
                demand: tasks.len() as u32,
            })
            .collect();
        // Every active, verified shopper, with what the rules need (four queries, not four per shopper).
        let (shopper_ids, facts) = self.all_shopper_facts(&mut conn).await?;
        let max_in_wave = venue_facts.first().map_or(0, |f| f.max_tasks_per_shopper);
        let shoppers: Vec<optimizer::Shopper> = facts
            .iter()
            .map(|f| {
                let in_wave = f.held_by_wave.get(wave_id).copied().unwrap_or(0) as i64;
                let capacity = (max_in_wave - in_wave)
                    .min(self.limits().max_concurrent_tasks as i64 - f.held_total as i64)
                    .max(0);
                optimizer::Shopper {
                    lat: f.home_lat,
                    lon: f.home_lon,
                    radius_m: f.travel_radius_km * 1000.0,
                    capacity: capacity as u32,
                }
            })
            .collect();
        let now = self.db.now_ms();
        let unlimited = Limits {
            max_concurrent_tasks: usize::MAX,
        };
        // Capacity is the optimizer's business; every other rule decides here.
        let free: Vec<ShopperFacts> = facts
            .into_iter()
            .map(|f| ShopperFacts {
                held_total: 0,
                held_by_wave: HashMap::new(),
                ..f
            })
            .collect();
        let pairs = optimizer::candidate_pairs(&venues, &shoppers, |v, s| {
            eligibility::check(&free[s], &venue_facts[v], unlimited, now).is_ok()
        });
        let plan = tokio::task::spawn_blocking(move || {
            let plan = optimizer::optimal(&venues, &shoppers, &pairs);
            let metres: HashMap<(usize, usize), u32> = pairs.iter().map(|p| ((p.venue, p.shopper), p.metres)).collect();
            (plan, metres)
        })
        .await
        .map_err(|e| AppError::Internal(e.into()))?;
        let (plan, metres) = plan;
        let mut next_task = vec![0usize; venue_tasks.len()];
        let mut result = AutoAssignPlan {
            total_m: plan.total_m,
            ..Default::default()
        };
        for (v, s) in plan.pairs {
            let task_id = venue_tasks[v][next_task[v]].clone();
            next_task[v] += 1;
            result.proposals.push(Proposal {
                task_id,
                shopper_id: shopper_ids[s].clone(),
                venue_name: venue_facts[v].venue_name.clone(),
                distance_m: metres[&(v, s)],
            });
        }
        for (v, _, why) in plan.unfilled {
            let reason = match why {
                Unfilled::NoEligibleShopper => "no eligible shopper lives within reach of this venue",
                Unfilled::ShoppersAtCapacity => "every eligible shopper nearby is at capacity or holds a task here",
            };
            for task_id in &venue_tasks[v][next_task[v]..] {
                result
                    .unassignable
                    .push((task_id.clone(), venue_facts[v].venue_name.clone(), reason));
            }
        }
        drop(conn);
        if commit {
            let tasks: HashMap<String, TaskContext> = open.into_iter().map(|row| (row.task_id, row.ctx)).collect();
            self.commit_plan(actor, &mut result, &tasks, as_offers).await?;
        }
        Ok(result)
    }

    /// Writes a plan in one transaction: all of it that still applies, or (on any failure) none of it. Every
    /// shopper in the plan is locked first (claims lock the shopper too), their facts are read again, and each
    /// proposal is checked against the rules with the load the plan itself adds; the tasks change in batched
    /// conditional UPDATEs ([`TaskMove::AutoAssign`]: open tasks only), so a task taken meanwhile is left alone. What did not apply is
    /// reported in `not_committed` with the reason.
    async fn commit_plan(
        &self,
        actor: &Actor,
        plan: &mut AutoAssignPlan,
        tasks: &HashMap<String, TaskContext>,
        as_offers: bool,
    ) -> AppResult<()> {
        const WHY: &str = "proposed by the wave optimizer";
        let (mv, action) = if as_offers {
            (TaskMove::AutoOffer, "OFFER")
        } else {
            (TaskMove::AutoAssign, "ASSIGN")
        };
        let now = self.db.now_ms();
        let mut tx = self.db.begin_write().await?;
        let shoppers: Vec<&str> = plan
            .proposals
            .iter()
            .map(|p| p.shopper_id.as_str())
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        for chunk in shoppers.chunks(500) {
            let list = (1..=chunk.len())
                .map(|i| format!("${i}"))
                .collect::<Vec<_>>()
                .join(", ");
            let sql = format!("UPDATE users SET updated_at = updated_at WHERE id IN ({list})");
            let mut query = sqlx::query(&sql);
            for id in chunk {
                query = query.bind(*id);
            }
            query.execute(&mut *tx).await?;
        }
        // The wave as it is now (it may have been paused or closed since the plan was made).
        if let Some(ctx) = tasks.values().next() {
            let status: String = sqlx::query_scalar("SELECT status FROM waves WHERE id = $1")
                .bind(&ctx.wave_id)
                .fetch_one(&mut *tx)
                .await?;
            TaskContext {
                wave_status: status,
                ..ctx.clone()
            }
            .check_wave_open(self.db.clock().kyiv_today())?;
        }
        let (ids, mut facts) = self.all_shopper_facts(&mut tx).await?;
        let index: HashMap<&str, usize> = ids.iter().enumerate().map(|(i, id)| (id.as_str(), i)).collect();
        let mut accepted: Vec<(&Proposal, i64)> = Vec::new();
        for p in &plan.proposals {
            let Some(ctx) = tasks.get(&p.task_id) else { continue };
            let task = ctx.facts();
            let refusal = match index.get(p.shopper_id.as_str()) {
                None => Some(crate::msg!("auto-assign-shopper-gone")),
                Some(&i) => match eligibility::check(&facts[i], &task, self.limits(), now) {
                    Ok(()) => {
                        let f = &mut facts[i];
                        f.held_total += 1;
                        *f.held_by_wave.entry(task.wave_id.clone()).or_default() += 1;
                        f.held_venues.insert(task.venue_id.clone());
                        None
                    }
                    Err(refusal) => Some(refusal.message()),
                },
            };
            match refusal {
                Some(reason) => plan
                    .not_committed
                    .push((p.task_id.clone(), p.venue_name.clone(), reason)),
                None => {
                    let deadline = if as_offers {
                        (now + 24 * 3_600_000).min(ctx.end_of_last_day())
                    } else {
                        self.deadline(ctx, now)
                    };
                    accepted.push((p, deadline));
                }
            }
        }
        let mut written: HashSet<String> = HashSet::new();
        for chunk in accepted.chunks(300) {
            let values = (0..chunk.len())
                .map(|i| format!("(${}, ${}, ${})", 3 + 3 * i, 4 + 3 * i, 5 + 3 * i))
                .collect::<Vec<_>>()
                .join(", ");
            let sql = format!(
                "UPDATE tasks SET state = $1, shopper_id = v.column2, held_since = $2, deadline_at = v.column3, \
                 updated_at = $2 FROM (VALUES {values}) AS v WHERE tasks.id = v.column1 AND tasks.state IN ({}) \
                 RETURNING tasks.id",
                mv.from_sql()
            );
            let mut query = sqlx::query_scalar::<_, String>(&sql).bind(mv.to().as_str()).bind(now);
            for (p, deadline) in chunk {
                query = query.bind(&p.task_id).bind(&p.shopper_id).bind(*deadline);
            }
            written.extend(query.fetch_all(&mut *tx).await?);
        }
        let done: Vec<&Proposal> = accepted
            .iter()
            .map(|(p, _)| *p)
            .filter(|p| written.contains(&p.task_id))
            .collect();
        for p in accepted
            .iter()
            .map(|(p, _)| *p)
            .filter(|p| !written.contains(&p.task_id))
        {
            plan.not_committed.push((
                p.task_id.clone(),
                p.venue_name.clone(),
                crate::msg!("auto-assign-taken-meanwhile"),
            ));
        }
        for chunk in done.chunks(200) {
            let values = (0..chunk.len())
                .map(|i| {
                    let b = 6 + 3 * i;
                    format!("(${b}, ${}, $1, ${}, $2, $3, NULL, $4, $5)", b + 1, b + 2)
                })
                .collect::<Vec<_>>()
                .join(", ");
            let sql = format!(
                "INSERT INTO task_events (id, task_id, action, shopper_id, actor_id, reason, overridden, late, at) \
                 VALUES {values}"
            );
            let mut query = sqlx::query(&sql)
                .bind(action)
                .bind(&actor.user_id)
                .bind(WHY)
                .bind(0_i64)
                .bind(now);
            for p in chunk {
                query = query.bind(new_id()).bind(&p.task_id).bind(&p.shopper_id);
            }
            query.execute(&mut *tx).await?;
        }
        tx.commit().await?;
        plan.committed = done.len();
        Ok(())
    }
}

#[derive(FromRow)]
struct TaskContextWithId {
    task_id: String,
    #[sqlx(flatten)]
    ctx: TaskContext,
}
