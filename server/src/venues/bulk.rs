//! Applying an import file: every row valid or nothing written; new venues inserted in batches, changed ones
//! updated, unchanged ones left alone (re-importing creates no duplicates).

use super::*;

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
            .map_err(|_| AppError::bad_input("clientId", "no such client"))?;
        let mut report = ImportReport {
            dry_run,
            rows_read: parsed.rows_read,
            errors: parsed.errors,
            ..Default::default()
        };
        let existing: Vec<VenueRow> =
            sqlx::query_as(&format!("SELECT {VENUE_COLUMNS} FROM venues WHERE client_id = $1"))
                .bind(client_id)
                .fetch_all(self.db.pool())
                .await?;
        let existing: HashMap<String, VenueRecord> = existing
            .into_iter()
            .map(VenueRecord::from)
            .map(|v| (v.external_code.clone(), v))
            .collect();
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
        let mut new: Vec<(String, VenueFields)> = new
            .into_iter()
            .map(|(_, draft)| (new_id(), draft_fields(draft, None)))
            .collect();
        let mut changed: Vec<(String, VenueFields)> = changed
            .into_iter()
            .filter_map(|(id, draft)| Some((id?, draft_fields(draft, existing.get(&draft.external_code)))))
            .collect();
        // Zones of new venues and of venues that moved, from their coordinates (one finder for the file).
        let mut all: Vec<&mut VenueFields> = new.iter_mut().chain(changed.iter_mut()).map(|(_, f)| f).collect();
        self.resolve_zones(client_id, &mut all).await?;
        let mut tx = self.db.begin_write().await?;
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
fn differs(current: &VenueRecord, draft: &VenueDraft) -> bool {
    current.name != draft.name
        || current.venue_type != draft.venue_type.as_str()
        || current.address != draft.address
        || current.oblast != draft.oblast
        || current.raion != draft.raion
        || current.hromada != draft.hromada
        || current.city != draft.city
        || current.lat != draft.location.lat()
        || current.lon != draft.location.lon()
        || current.geofence_m != draft.geofence.metres()
        || draft.time_zone.as_ref().is_some_and(|z| *z != current.time_zone)
        || draft.size_class.is_some() && draft.size_class != current.size_class
}

/// A draft as venue fields; opening hours and the active flag are kept from the stored venue (files do not
/// carry them); new venues are active with unknown hours.
fn draft_fields(draft: &VenueDraft, current: Option<&VenueRecord>) -> VenueFields {
    VenueFields {
        external_code: draft.external_code.clone(),
        name: draft.name.clone(),
        venue_type: draft.venue_type.clone(),
        address: draft.address.clone(),
        oblast: draft.oblast.clone(),
        raion: draft.raion.clone(),
        hromada: draft.hromada.clone(),
        city: draft.city.clone(),
        location: draft.location,
        geofence: draft.geofence,
        opening_hours: current.map(|c| c.opening_hours.clone()).unwrap_or_default(),
        active: current.is_none_or(|c| c.active),
        // A file's own zone column wins; else a venue that did not move keeps its zone; else it is derived.
        time_zone: draft.time_zone.clone().or_else(|| {
            current
                .filter(|c| c.lat == draft.location.lat() && c.lon == draft.location.lon())
                .map(|c| c.time_zone.clone())
        }),
        // A file without a size class keeps the stored one.
        size_class: draft
            .size_class
            .clone()
            .or_else(|| current.and_then(|c| c.size_class.clone())),
    }
}
