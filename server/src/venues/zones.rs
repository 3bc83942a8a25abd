//! A venue's time zone, derived from its coordinates with `tzf-rs` (an offline copy of the
//! timezone-boundary-builder polygons), or the client's default where the point lies in no zone (at sea). The
//! finder takes ~30 MB while it is loaded, so it is built for one batch of venues and dropped after.

use crate::error::{AppError, AppResult};

use super::{VenueFields, Venues};

/// The IANA zone at each point (longitude-latitude lookups), `None` where there is none.
pub fn zones_at(points: &[(f64, f64)]) -> Vec<Option<String>> {
    if points.is_empty() {
        return Vec::new();
    }
    let finder = tzf_rs::DefaultFinder::new();
    points
        .iter()
        .map(|&(lat, lon)| {
            let name = finder.get_tz_name(lon, lat);
            // "Etc/GMT-2" and the like are the sea's nautical zones, not a place's civil time.
            (!name.is_empty() && !name.starts_with("Etc/") && name.parse::<chrono_tz::Tz>().is_ok())
                .then(|| name.to_string())
        })
        .collect()
}

impl Venues {
    /// Fills in the zone of every venue in `fields` that has none: from its coordinates, else the client's
    /// (read on `conn`, so a caller inside a transaction asks nothing of the pool).
    pub(super) async fn resolve_zones(
        &self,
        conn: &mut sqlx::AnyConnection,
        client_id: &str,
        fields: &mut [&mut VenueFields],
    ) -> AppResult<()> {
        let missing: Vec<usize> = (0..fields.len()).filter(|&i| fields[i].time_zone.is_none()).collect();
        if missing.is_empty() {
            return Ok(());
        }
        let default: String = sqlx::query_scalar("SELECT time_zone FROM clients WHERE id = $1")
            .bind(client_id)
            .fetch_optional(&mut *conn)
            .await?
            .unwrap_or_else(|| "Europe/Kyiv".into());
        let points: Vec<(f64, f64)> = missing
            .iter()
            .map(|&i| (fields[i].location.lat(), fields[i].location.lon()))
            .collect();
        let zones = tokio::task::spawn_blocking(move || zones_at(&points))
            .await
            .map_err(|e| AppError::Internal(e.into()))?;
        for (i, zone) in missing.into_iter().zip(zones) {
            fields[i].time_zone = Some(zone.unwrap_or_else(|| default.clone()));
        }
        Ok(())
    }

    /// Gives every venue stored before zones were kept its zone (run at start-up; each venue once).
    pub async fn fill_missing_time_zones(&self) -> AppResult<u64> {
        let mut filled = 0;
        loop {
            let rows: Vec<(String, f64, f64, String)> = sqlx::query_as(
                "SELECT v.id, v.lat, v.lon, c.time_zone FROM venues v JOIN clients c ON c.id = v.client_id \
                 WHERE v.time_zone IS NULL ORDER BY v.id LIMIT 5000",
            )
            .fetch_all(self.db.pool())
            .await?;
            if rows.is_empty() {
                return Ok(filled);
            }
            let points: Vec<(f64, f64)> = rows.iter().map(|r| (r.1, r.2)).collect();
            let zones = tokio::task::spawn_blocking(move || zones_at(&points))
                .await
                .map_err(|e| AppError::Internal(e.into()))?;
            let mut tx = self.db.begin_write().await?;
            for ((id, _, _, default), zone) in rows.into_iter().zip(zones) {
                sqlx::query("UPDATE venues SET time_zone = $1 WHERE id = $2 AND time_zone IS NULL")
                    .bind(zone.unwrap_or(default))
                    .bind(&id)
                    .execute(&mut *tx)
                    .await?;
                filled += 1;
            }
            tx.commit().await?;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::zones_at;

    #[test]
    fn zones_come_from_the_map() {
        let zones = zones_at(&[
            (49.84195, 24.0316), // Lviv
            (53.35, -6.26),      // Dublin
            (44.41, 8.93),       // Genoa
            (41.89, 12.49),      // Rome
            (0.0, -30.0),        // the Atlantic
            (50.5, -12.0),       // west of Ireland, at sea
        ]);
        assert_eq!(
            zones,
            [
                Some("Europe/Kyiv".to_string()),
                Some("Europe/Dublin".to_string()),
                Some("Europe/Rome".to_string()),
                Some("Europe/Rome".to_string()),
                None,
                None
            ]
        );
    }
}
