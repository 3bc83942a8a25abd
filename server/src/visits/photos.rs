//! Photo evidence: checked and processed before anything is written, stored under keys from the phone's
//! client id, inserted under the visit's lock (state and cap checked again), duplicates found; unfinished
//! uploads swept.

use sqlx::AnyConnection;

use crate::auth::Actor;
use crate::db::{is_unique_violation, new_id};
use crate::domain::photo::{
    band_probes, bands, crop_distance, format_hashes, hamming, parse_hashes, DuplicateOf, PhotoSource,
    NEAR_DUPLICATE_DISTANCE,
};
use crate::domain::visit::{self, PhotoClaim, PhotoKind, VisitState};
use crate::error::{AppError, AppResult};
use crate::evidence;

use super::{
    client_id_checked, judge_photo, lock_visit, read_upload, visit_span, NewPhoto, PhotoRecord, StoredExif,
    VisitRecord, Visits, PHOTO_COLUMNS,
};

/// What an upload is judged by.
struct UploadFacts {
    visit: VisitRecord,
    definition: crate::domain::checklist::ChecklistDefinition,
    /// Photos the visit carries now.
    photos: i64,
}

/// A photo's files, written, waiting for their row.
struct PendingUpload {
    pending_id: String,
    /// The original's size, bytes.
    size: i64,
}

/// The photo row the decision writes.
struct NewPhotoRow<'a> {
    id: String,
    client_id: &'a str,
    kind: PhotoKind,
    question_code: Option<&'a str>,
    receipt_kopiykas: Option<i64>,
    source: PhotoSource,
    processed: &'a evidence::Processed,
    stored: StoredExif,
    verdicts: &'a crate::domain::photo::PhotoVerdicts,
    keys: &'a [String; 3],
    capture_token: Option<&'a str>,
}

/// The keys of a photo's three files, from the phone's client id (a resend writes the same keys).
fn upload_keys(visit_id: &str, client_id: &str, extension: &str) -> [String; 3] {
    [
        format!("visits/{visit_id}/{client_id}/original.{extension}"),
        format!("visits/{visit_id}/{client_id}/display.jpg"),
        format!("visits/{visit_id}/{client_id}/thumbnail.jpg"),
    ]
}

impl Visits {
    /// Stores a photo for a photo question (or the receipt, with its amount). The file is checked and processed
    /// before anything is written; a repeated `clientId` returns the stored photo.
    pub async fn upload_photo(&self, actor: &Actor, visit_id: &str, photo: NewPhoto) -> AppResult<PhotoRecord> {
        let client_id = client_id_checked("clientId", &photo.client_id)?;
        if let Some(done) = self.photo_by_client_id(actor, &client_id).await? {
            return Ok(done);
        }
        // Load the facts, and decide what the photo is before the file is touched.
        let facts = self.upload_facts(actor, visit_id).await?;
        if let Some(refusal) = visit::photo_refusal(facts.visit.state, facts.photos, self.max_per_visit) {
            return Err(AppError::conflict(refusal));
        }
        let claim = PhotoClaim {
            question_code: photo.question_code.as_deref(),
            receipt_kopiykas: photo.receipt_kopiykas,
            source: photo.source,
            has_capture: photo.capture.is_some(),
        };
        let kind = visit::photo_kind(&facts.definition, &facts.visit.rules(), claim)?;
        let capture = match &photo.capture {
            Some(c) => Some(self.capture_fix(actor, visit_id, c).await?),
            None => None,
        };
        // The file: checked and processed on the blocking pool, one per core; then judged against the visit.
        let zone = crate::domain::stored_zone(facts.visit.venue_time_zone.as_deref())?;
        let (processed, bytes) = self.process(photo.file, zone).await?;
        let rules = facts.visit.rules();
        let mut stored = StoredExif {
            facts: processed.exif.clone(),
            source: photo.source,
            capture: capture.as_ref().map(|(_, fix)| *fix),
            ..StoredExif::default()
        };
        let judged = judge_photo(&stored, &facts.visit, &rules, visit_span(&facts.visit, &rules));
        let verdicts = judged.effective().clone();
        stored.capture_mismatch = judged.mismatch;
        stored.gps_verdict_note = verdicts.gps_note.clone();
        stored.time_verdict_note = verdicts.time_note.clone();
        // Write: the files under keys from the phone's client id, then the row, once, under the visit's lock.
        let keys = upload_keys(visit_id, &client_id, processed.extension);
        let upload = self.store_files(visit_id, &keys, bytes, &processed).await?;
        let row = NewPhotoRow {
            id: new_id(),
            client_id: &client_id,
            kind,
            question_code: photo.question_code.as_deref(),
            receipt_kopiykas: photo.receipt_kopiykas,
            source: photo.source,
            processed: &processed,
            stored,
            verdicts: &verdicts,
            keys: &keys,
            capture_token: capture.as_ref().map(|(token, _)| token.as_str()),
        };
        self.insert_photo(actor, visit_id, &upload, row).await
    }

    /// The facts an upload is judged by: the shopper's own visit, its questionnaire, how many photos it has.
    async fn upload_facts(&self, actor: &Actor, visit_id: &str) -> AppResult<UploadFacts> {
        let mut conn = self.db.pool().acquire().await?;
        let visit = self.own(&mut conn, actor, visit_id).await?;
        let definition = self.definition(&mut conn, &visit.checklist_version_id).await?;
        let photos: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM photos WHERE visit_id = $1")
            .bind(visit_id)
            .fetch_one(&mut *conn)
            .await?;
        Ok(UploadFacts {
            visit,
            definition,
            photos,
        })
    }

    /// A live capture's token checked (this shopper's, this visit's, unspent) with the phone's fix.
    async fn capture_fix(
        &self,
        actor: &Actor,
        visit_id: &str,
        capture: &super::CaptureInput,
    ) -> AppResult<(String, crate::domain::photo::CaptureFix)> {
        let mut conn = self.db.pool().acquire().await?;
        super::capture::check_capture(&mut conn, actor, visit_id, capture, self.db.now_ms()).await
    }

    /// The file checked and processed (EXIF, display copy, thumbnail, hashes) on the blocking pool, one per
    /// core: a burst of uploads queues for a slot instead of starving the server.
    async fn process(&self, file: std::fs::File, zone: chrono_tz::Tz) -> AppResult<(evidence::Processed, Vec<u8>)> {
        let limits = self.limits;
        self.photo_queue.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let permit = self.processing.clone().acquire_owned().await;
        self.photo_queue.fetch_sub(1, std::sync::atomic::Ordering::Relaxed);
        let permit = permit.map_err(|e| AppError::Internal(e.into()))?;
        let (processed, bytes) = tokio::task::spawn_blocking(move || {
            let _permit = permit;
            let bytes = read_upload(file, limits.max_bytes)?;
            AppResult::Ok((evidence::process(&bytes, limits, zone), bytes))
        })
        .await
        .map_err(|e| AppError::Internal(e.into()))??;
        Ok((processed?, bytes))
    }

    /// Writes a photo's three files after a pending row naming them is committed (so the sweeper removes what a
    /// crash leaves). Keys follow the phone's client id, so a resend after a crash overwrites the same objects
    /// rather than storing a second copy.
    async fn store_files(
        &self,
        visit_id: &str,
        keys: &[String; 3],
        original: Vec<u8>,
        processed: &evidence::Processed,
    ) -> AppResult<PendingUpload> {
        let pending_id = new_id();
        sqlx::query("INSERT INTO pending_uploads (id, visit_id, object_keys, created_at) VALUES ($1, $2, $3, $4)")
            .bind(&pending_id)
            .bind(visit_id)
            .bind(serde_json::to_string(keys).map_err(|e| AppError::Internal(e.into()))?)
            .bind(self.db.now_ms())
            .execute(self.db.pool())
            .await?;
        let size = original.len() as i64;
        let written = async {
            self.storage.put(&keys[0], original).await?;
            self.storage.put(&keys[1], processed.display.clone()).await?;
            self.storage.put(&keys[2], processed.thumbnail.clone()).await
        }
        .await;
        if let Err(err) = written {
            self.discard_upload(&pending_id, keys).await;
            return Err(AppError::Internal(err));
        }
        Ok(PendingUpload { pending_id, size })
    }

    /// Inserts the photo in one transaction under the visit's lock: the state and the cap asked again (so
    /// parallel uploads cannot pass them), the capture token spent once, the duplicate search and the insert one
    /// serialised step. A resend of a photo stored meanwhile gets the stored photo; a refused upload's files go.
    async fn insert_photo(
        &self,
        actor: &Actor,
        visit_id: &str,
        upload: &PendingUpload,
        row: NewPhotoRow<'_>,
    ) -> AppResult<PhotoRecord> {
        let now = self.db.now_ms();
        let mut tx = self.db.begin_write().await?;
        lock_visit(&mut tx, visit_id).await?;
        let (state, count): (String, i64) = sqlx::query_as(
            "SELECT v.state, (SELECT COUNT(*) FROM photos p WHERE p.visit_id = v.id) FROM visits v WHERE v.id = $1",
        )
        .bind(visit_id)
        .fetch_one(&mut *tx)
        .await?;
        let mut refusal =
            visit::photo_refusal(VisitState::parse(&state)?, count, self.max_per_visit).map(AppError::conflict);
        if refusal.is_none() {
            if let Some(token) = row.capture_token {
                if !super::capture::spend_token(&mut tx, token, &row.id).await? {
                    refusal = Some(AppError::bad_input("capture.token", crate::msg!("capture-token-used")));
                }
            }
        }
        if let Some(err) = refusal {
            drop(tx);
            if let Some(done) = self.photo_by_client_id(actor, row.client_id).await? {
                return Ok(done);
            }
            self.discard_upload(&upload.pending_id, row.keys).await;
            return Err(err);
        }
        lock_duplicate_search(&mut tx).await?;
        let p = row.processed;
        let duplicate = find_duplicate(&mut tx, visit_id, &p.sha256, p.phash, &p.crop_hashes).await?;
        let mut stored = row.stored;
        stored.set_duplicate(duplicate.as_ref());
        let b = bands(p.phash);
        let inserted = sqlx::query(
            "INSERT INTO photos (id, client_id, visit_id, shopper_id, question_code, kind, receipt_kopiykas, \
             content_type, bytes, sha256, phash, band0, band1, band2, band3, width, height, exif, gps_verdict, \
             time_verdict, duplicate_of, original_key, display_key, thumbnail_key, created_at, crop_hashes, source) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, \
             $22, $23, $24, $25, $26, $27)",
        )
        .bind(&row.id)
        .bind(row.client_id)
        .bind(visit_id)
        .bind(&actor.user_id)
        .bind(row.question_code)
        .bind(row.kind.as_str())
        .bind(row.receipt_kopiykas)
        .bind(p.content_type)
        .bind(upload.size)
        .bind(&p.sha256)
        .bind(format!("{:016x}", p.phash))
        .bind(b[0])
        .bind(b[1])
        .bind(b[2])
        .bind(b[3])
        .bind(i64::from(p.width))
        .bind(i64::from(p.height))
        .bind(serde_json::to_string(&stored).map_err(|e| AppError::Internal(e.into()))?)
        .bind(row.verdicts.gps.as_str())
        .bind(row.verdicts.time.as_str())
        .bind(duplicate.as_ref().map(|d| d.photo_id.clone()))
        .bind(&row.keys[0])
        .bind(&row.keys[1])
        .bind(&row.keys[2])
        .bind(now)
        .bind(format_hashes(&p.crop_hashes))
        .bind(row.source.as_str())
        .execute(&mut *tx)
        .await;
        match inserted {
            Ok(_) => {
                sqlx::query("UPDATE visits SET updated_at = $1 WHERE id = $2")
                    .bind(now)
                    .bind(visit_id)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query("DELETE FROM pending_uploads WHERE id = $1")
                    .bind(&upload.pending_id)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                self.photo(&row.id).await
            }
            Err(err) if is_unique_violation(&err) => {
                // The same photo (client id) was stored by a parallel resend, under the same keys.
                drop(tx);
                self.forget_pending(&upload.pending_id).await;
                self.photo_by_client_id(actor, row.client_id)
                    .await?
                    .ok_or_else(|| AppError::Internal(anyhow::anyhow!("photo vanished")))
            }
            Err(err) => Err(err.into()),
        }
    }

    /// Removes the objects of an upload that will not be stored, and its pending row.
    async fn discard_upload(&self, pending_id: &str, keys: &[String]) {
        for key in keys {
            if let Err(err) = self.storage.delete(key).await {
                tracing::warn!(error = ?err, %key, "removing an unused photo object failed; the sweeper retries");
                return;
            }
        }
        self.forget_pending(pending_id).await;
    }

    async fn forget_pending(&self, pending_id: &str) {
        let done = sqlx::query("DELETE FROM pending_uploads WHERE id = $1")
            .bind(pending_id)
            .execute(self.db.pool())
            .await;
        if let Err(err) = done {
            tracing::warn!(error = ?err, "removing a pending upload row failed; the sweeper retries");
        }
    }

    /// Removes the objects of uploads that never finished (the process died between storing and inserting)
    /// and are older than `older_than_ms`; objects a photo row refers to are kept. Returns how many uploads
    /// were swept. Runs in the background loop of every server.
    pub async fn sweep_abandoned_uploads(&self, older_than_ms: i64) -> AppResult<usize> {
        let cutoff = self.db.now_ms() - older_than_ms;
        let rows: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT id, visit_id, object_keys FROM pending_uploads WHERE created_at < $1 ORDER BY created_at LIMIT 500",
        )
        .bind(cutoff)
        .fetch_all(self.db.pool())
        .await?;
        let mut swept = 0;
        for (id, visit_id, keys) in rows {
            let keys: Vec<String> = serde_json::from_str(&keys).unwrap_or_default();
            let mut clean = true;
            for key in &keys {
                // Keys live under their visit, so the visit's photos (an index) are all that can refer to them.
                let referenced: i64 = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM photos WHERE visit_id = $1 \
                     AND (original_key = $2 OR display_key = $2 OR thumbnail_key = $2)",
                )
                .bind(&visit_id)
                .bind(key)
                .fetch_one(self.db.pool())
                .await?;
                // An unreferenced object goes; a referenced one (a resend finished the upload) keeps its file, but
                // not what the interrupted first write left beside it.
                let swept = if referenced == 0 {
                    self.storage.delete(key).await
                } else {
                    self.storage.remove_staged(key).await.map(|_| ())
                };
                if let Err(err) = swept {
                    tracing::warn!(error = ?err, %key, "sweeping an abandoned photo object failed");
                    clean = false;
                }
            }
            if clean {
                self.forget_pending(&id).await;
                swept += 1;
            }
        }
        Ok(swept)
    }

    async fn photo_by_client_id(&self, actor: &Actor, client_id: &str) -> AppResult<Option<PhotoRecord>> {
        Ok(sqlx::query_as(&format!(
            "SELECT {PHOTO_COLUMNS} FROM photos WHERE shopper_id = $1 AND client_id = $2"
        ))
        .bind(&actor.user_id)
        .bind(client_id)
        .fetch_optional(self.db.pool())
        .await?)
    }

    async fn photo(&self, id: &str) -> AppResult<PhotoRecord> {
        let row: Option<PhotoRecord> = sqlx::query_as(&format!("SELECT {PHOTO_COLUMNS} FROM photos WHERE id = $1"))
            .bind(id)
            .fetch_optional(self.db.pool())
            .await?;
        row.ok_or_else(|| AppError::NotFound("photo"))
    }

    pub async fn photos(&self, visit_id: &str) -> AppResult<Vec<PhotoRecord>> {
        Ok(sqlx::query_as(&format!(
            "SELECT {PHOTO_COLUMNS} FROM photos WHERE visit_id = $1 ORDER BY created_at, id"
        ))
        .bind(visit_id)
        .fetch_all(self.db.pool())
        .await?)
    }
}

/// Serialises the duplicate search with the insert that follows it, across every server: the lock row is held
/// until the caller's transaction ends (on SQLite the write transaction itself is the lock). So of two
/// shoppers uploading the same new picture at the same moment, the second finds the first.
pub(super) async fn lock_duplicate_search(tx: &mut crate::db::Tx) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO rate_subjects (bucket, subject, touched_at) VALUES ('photos', 'duplicate-search', $1) \
         ON CONFLICT (bucket, subject) DO UPDATE SET touched_at = excluded.touched_at",
    )
    .bind(tx.now_ms())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The earliest photo of another visit with the same bytes (an exact copy), else the nearest picture within
/// `NEAR_DUPLICATE_DISTANCE`: among all photos, every stored hash within the threshold is a candidate
/// (`band_probes`), so none is missed; among the photos of the same venue, crops are compared too (the whole
/// of one against the crop windows of the other, both ways).
pub async fn find_duplicate(
    conn: &mut AnyConnection,
    visit_id: &str,
    sha256: &str,
    phash: u64,
    crop_hashes: &[u64],
) -> AppResult<Option<DuplicateOf>> {
    let same: Option<(String, String)> = sqlx::query_as(
        "SELECT id, visit_id FROM photos WHERE sha256 = $1 AND visit_id <> $2 ORDER BY created_at, id LIMIT 1",
    )
    .bind(sha256)
    .bind(visit_id)
    .fetch_optional(&mut *conn)
    .await?;
    if let Some((photo_id, visit_id)) = same {
        return Ok(Some(DuplicateOf {
            photo_id,
            visit_id,
            distance: 0,
            exact: true,
        }));
    }
    let probes = band_probes(phash);
    let mut n = 1;
    let mut conditions = Vec::with_capacity(4);
    for band in 0..4 {
        let list: Vec<String> = (0..17)
            .map(|_| {
                n += 1;
                format!("${n}")
            })
            .collect();
        conditions.push(format!("band{band} IN ({})", list.join(", ")));
    }
    let sql = format!(
        "SELECT id, visit_id, phash, created_at FROM photos WHERE visit_id <> $1 AND ({})",
        conditions.join(" OR ")
    );
    let mut query = sqlx::query_as::<_, (String, String, String, i64)>(&sql).bind(visit_id);
    for value in probes.iter().flatten() {
        query = query.bind(*value);
    }
    let mut candidates: Vec<(u32, i64, String, String)> = query
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .filter_map(|(id, visit, hash, created_at)| {
            let d = hamming(u64::from_str_radix(&hash, 16).ok()?, phash);
            (d <= NEAR_DUPLICATE_DISTANCE).then_some((d, created_at, id, visit))
        })
        .collect();
    let same_venue: Vec<(String, String, String, String, i64)> = sqlx::query_as(
        "SELECT p.id, p.visit_id, p.phash, p.crop_hashes, p.created_at FROM photos p \
         JOIN visits v ON v.id = p.visit_id JOIN tasks t ON t.id = v.task_id \
         WHERE p.visit_id <> $1 AND t.venue_id = \
         (SELECT t2.venue_id FROM visits v2 JOIN tasks t2 ON t2.id = v2.task_id WHERE v2.id = $1)",
    )
    .bind(visit_id)
    .fetch_all(&mut *conn)
    .await?;
    candidates.extend(
        same_venue
            .into_iter()
            .filter_map(|(id, visit, hash, windows, created_at)| {
                let hash = u64::from_str_radix(&hash, 16).ok()?;
                let d = crop_distance(phash, crop_hashes, hash, &parse_hashes(&windows));
                (d <= NEAR_DUPLICATE_DISTANCE).then_some((d, created_at, id, visit))
            }),
    );
    Ok(candidates
        .into_iter()
        .min_by(|a, b| (a.0, a.1, &a.2).cmp(&(b.0, b.1, &b.2)))
        .map(|(distance, _, photo_id, visit_id)| DuplicateOf {
            photo_id,
            visit_id,
            distance,
            exact: false,
        }))
}
