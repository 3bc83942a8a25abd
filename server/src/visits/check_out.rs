//! Check-out: where and when the shopper left.

use crate::auth::Actor;
use crate::domain::Coordinates;
use crate::error::{AppError, AppResult};

use super::{accuracy_checked, device_time_checked, lock_visit, CheckOut, VisitRecord, Visits};

impl Visits {
    /// Records leaving the venue. Repeats return the visit as first checked out.
    pub async fn check_out(&self, actor: &Actor, visit_id: &str, out: CheckOut) -> AppResult<VisitRecord> {
        let now = self.db.now_ms();
        Coordinates::parse("position", out.lat, out.lon)?;
        let accuracy = accuracy_checked("accuracyM", out.accuracy_m)?;
        let device_at = device_time_checked("deviceTime", out.device_at, now)?;
        let mut tx = self.db.begin_write().await?;
        lock_visit(&mut tx, visit_id).await?;
        let visit = self.own(&mut tx, actor, visit_id).await?;
        if visit.checkout_device_at.is_some() {
            return Ok(visit);
        }
        if !visit.editable() {
            return Err(AppError::conflict(crate::msg!("visit-not-in-progress")));
        }
        if device_at < visit.checkin_device_at {
            return Err(AppError::bad_input("deviceTime", crate::msg!("before-check-in")));
        }
        sqlx::query(
            "UPDATE visits SET checkout_lat = $1, checkout_lon = $2, checkout_accuracy_m = $3, checkout_device_at = $4, \
             checkout_server_at = $5, updated_at = $5 WHERE id = $6 AND checkout_device_at IS NULL",
        )
        .bind(out.lat)
        .bind(out.lon)
        .bind(accuracy)
        .bind(device_at)
        .bind(now)
        .bind(visit_id)
        .execute(&mut *tx)
        .await?;
        let visit = self.load(&mut tx, visit_id).await?;
        tx.commit().await?;
        Ok(visit)
    }
}
