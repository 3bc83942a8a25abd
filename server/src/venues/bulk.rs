//! Applying an import file: every row valid or nothing written; new venues inserted in batches, changed ones
//! updated, unchanged ones left alone (re-importing creates no duplicates).

use std::collections::HashMap;

use crate::audit::audit;
use crate::db::new_id;
use crate::error::{AppError, AppResult};

use super::import::Parsed;
use super::store::{insert_venues, update_venue, INSERT_BATCH};
use super::{ImportReport, VenueFields, VenueRecord, Venues, VENUE_COLUMNS};

impl Venues {
    /// Imports parsed venues for a client in one transaction: new codes are created, known codes updated, the
    /// rest left alone. With row errors nothing is written; a dry run only counts.
    pub async fn import(
        &self,
        by: Option<&str>,
        client_id: &str,
        parsed: Parsed,
        dry_run: bool,
        progress: &(dyn Fn(usize) + Sync),
    ) -> AppResult<ImportReport> {
        self.client(client_id)
            .await
            .map_err(|_| AppError::bad_input("clientId", crate::msg!("no-such-client")))?;
        let mut report = ImportReport {
            dry_run,
            rows_read: parsed.rows_read,
            errors: parsed.errors,
            ..Default::default()
        };
        // What is stored is read in the transaction that writes, so an edit or another import meanwhile is not
        // overwritten with what was read before it (a dry run writes nothing and rolls back).
        let mut tx = self.db.begin_write().await?;
        let existing: Vec<VenueRecord> =
            sqlx::query_as(&format!("SELECT {VENUE_COLUMNS} FROM venues WHERE client_id = $1"))
                .bind(client_id)
                .fetch_all(&mut *tx)
                .await?;
        let existing: HashMap<String, VenueRecord> =
            existing.into_iter().map(|v| (v.external_code.clone(), v)).collect();
        let mut plan = Vec::with_capacity(parsed.drafts.len());
        for (_, draft) in &parsed.drafts {
            match existing.get(&draft.external_code) {
                None => {
                    report.created += 1;
                    plan.push((None, draft));
                }
                Some(current) if differs(current, draft) => {
                    report.updated += 1;
                    plan.push((Some(current.id.clone()), draft));
                }
                Some(_) => report.unchanged += 1,
            }
        }
        if dry_run || !report.errors.is_empty() {
            return Ok(report);
        }
        let (new, changed): (Vec<_>, Vec<_>) = plan.into_iter().partition(|(existing_id, _)| existing_id.is_none());
        let mut new: Vec<(String, VenueFields)> = new.into_iter().map(|(_, row)| (new_id(), row.clone())).collect();
        let mut changed: Vec<(String, VenueFields)> = changed
            .into_iter()
            .filter_map(|(id, row)| Some((id?, row.as_import_of(existing.get(&row.external_code)?))))
            .collect();
        // Zones of new venues and of venues that moved, from their coordinates (one finder for the file).
        let mut all: Vec<&mut VenueFields> = new.iter_mut().chain(changed.iter_mut()).map(|(_, f)| f).collect();
        self.resolve_zones(&mut tx, client_id, &mut all).await?;
        let mut done = 0;
        // New venues go in multi-row INSERTs: a round trip per hundred venues rather than per venue.
        for chunk in new.chunks(INSERT_BATCH) {
            insert_venues(&mut tx, client_id, chunk, by).await?;
            done += chunk.len();
            progress(done);
        }
        for (id, fields) in &changed {
            update_venue(&mut tx, id, fields, by).await?;
            done += 1;
            progress(done);
        }
        let detail = format!(
            "created {}, updated {}, unchanged {}",
            report.created, report.updated, report.unchanged
        );
        audit(&mut tx, by, "venue.import", Some(client_id), Some(&detail)).await?;
        tx.commit().await?;
        report.applied = true;
        Ok(report)
    }
}

/// Does the file say something different from what is stored?
fn differs(current: &VenueRecord, row: &VenueFields) -> bool {
    current.name != row.name
        || current.venue_type != row.venue_type.as_str()
        || current.address != row.address
        || current.oblast != row.oblast
        || current.raion != row.raion
        || current.hromada != row.hromada
        || current.city != row.city
        || current.lat != row.location.lat()
        || current.lon != row.location.lon()
        || current.geofence_m != row.geofence.metres()
        || row.time_zone.as_ref().is_some_and(|z| *z != current.time_zone)
        || row.size_class.is_some() && row.size_class != current.size_class
}
