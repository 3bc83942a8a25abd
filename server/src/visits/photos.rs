//! Photo evidence: checked and processed before anything is written, stored under keys from the phone's
//! client id, inserted under the visit's lock (state and cap checked again), duplicates found; unfinished
//! uploads swept.

use super::*;

impl Visits {
    /// Stores a photo for a photo question (or the receipt, with its amount). The file is checked and processed
    /// before anything is written; a repeated `clientId` returns the stored photo.
    pub async fn upload_photo(&self, actor: &Actor, visit_id: &str, photo: NewPhoto) -> AppResult<PhotoRecord> {
        let client_id = client_id_checked("clientId", &photo.client_id)?;
        if let Some(done) = self.photo_by_client_id(actor, &client_id).await? {
            return Ok(done);
        }
        let mut conn = self.db.pool().acquire().await?;
        let visit = self.own(&mut conn, actor, visit_id).await?;
        if !visit.editable() {
            return Err(AppError::conflict(format!(
                "the visit is {}; photos can be added only while it is in progress or returned for correction",
                visit.state.as_str().to_lowercase().replace('_', " ")
            )));
        }
        let definition = self.definition(&mut conn, &visit.checklist_version_id).await?;
        let kind = match (&photo.question_code, photo.receipt_kopiykas) {
            (Some(code), None) => match definition.question(code).map(|q| &q.kind) {
                Some(QuestionKind::Photo { .. }) => "QUESTION",
                Some(_) => return Err(AppError::bad_input("questionCode", "is not a photo question")),
                None => {
                    return Err(AppError::bad_input(
                        "questionCode",
                        "is not a question of this checklist",
                    ))
                }
            },
            (None, Some(amount)) if (0..=100_000_000).contains(&amount) => "RECEIPT",
            (None, Some(_)) => {
                return Err(AppError::bad_input(
                    "receiptKopiykas",
                    "must be from 0 to 100000000 kopiykas",
                ))
            }
            (Some(_), Some(_)) => {
                return Err(AppError::bad_input(
                    "receiptKopiykas",
                    "a receipt is not the answer to a question: send either questionCode or receiptKopiykas",
                ))
            }
            (None, None) => {
                return Err(AppError::bad_input(
                    "questionCode",
                    "say which photo question this photo answers (or send receiptKopiykas for the receipt)",
                ))
            }
        };
        let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM photos WHERE visit_id = $1")
            .bind(visit_id)
            .fetch_one(&mut *conn)
            .await?;
        if count >= i64::from(self.max_per_visit) {
            return Err(AppError::conflict(format!(
                "a visit carries at most {} photos",
                self.max_per_visit
            )));
        }
        drop(conn);
        let limits = self.limits;
        let file = photo.file;
        self.photo_queue.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let permit = self.processing.clone().acquire_owned().await;
        self.photo_queue.fetch_sub(1, std::sync::atomic::Ordering::Relaxed);
        let permit = permit.map_err(|e| AppError::Internal(e.into()))?;
        let (processed, bytes) = tokio::task::spawn_blocking(move || {
            let _permit = permit;
            let bytes = read_upload(file, limits.max_bytes)?;
            AppResult::Ok((evidence::process(&bytes, limits), bytes))
        })
        .await
        .map_err(|e| AppError::Internal(e.into()))??;
        let processed = processed?;
        let rules = visit.rules();
        let (from, to) = visit_span(&visit, &rules);
        let v = verdicts(
            &processed.exif,
            (visit.venue_lat, visit.venue_lon, visit.geofence_m as f64),
            rules.photo_gps_slack_m,
            from,
            to,
            rules.photo_time_tolerance_minutes,
        );
        let (duplicate_of, duplicate_visit, distance) = self.find_duplicate(visit_id, &processed).await?;
        let id = new_id();
        // Keys follow the phone's client id, so a resend after a crash overwrites the same objects rather than
        // storing a second copy; the pending row (committed first) lets the sweeper remove what a crash leaves.
        let keys = [
            format!("visits/{visit_id}/{client_id}/original.{}", processed.extension),
            format!("visits/{visit_id}/{client_id}/display.jpg"),
            format!("visits/{visit_id}/{client_id}/thumbnail.jpg"),
        ];
        let pending_id = new_id();
        sqlx::query("INSERT INTO pending_uploads (id, visit_id, object_keys, created_at) VALUES ($1, $2, $3, $4)")
            .bind(&pending_id)
            .bind(visit_id)
            .bind(serde_json::to_string(&keys).map_err(|e| AppError::Internal(e.into()))?)
            .bind(now_ms())
            .execute(self.db.pool())
            .await?;
        let size = bytes.len() as i64;
        let stored = async {
            self.storage.put(&keys[0], bytes).await?;
            self.storage.put(&keys[1], processed.display).await?;
            self.storage.put(&keys[2], processed.thumbnail).await
        }
        .await;
        if let Err(err) = stored {
            self.discard_upload(&pending_id, &keys).await;
            return Err(AppError::Internal(err));
        }
        let stored = StoredExif {
            facts: processed.exif,
            gps_verdict_note: v.gps_note,
            time_verdict_note: v.time_note,
            duplicate_visit,
            duplicate_distance: distance,
        };
        let b = bands(processed.phash);
        let now = now_ms();
        let mut tx = self.db.begin_write().await?;
        // The state and the cap are checked again under the visit's lock, so parallel uploads cannot pass them.
        lock_visit(&mut tx, visit_id).await?;
        let (state, count): (String, i64) = sqlx::query_as(
            "SELECT v.state, (SELECT COUNT(*) FROM photos p WHERE p.visit_id = v.id) FROM visits v WHERE v.id = $1",
        )
        .bind(visit_id)
        .fetch_one(&mut *tx)
        .await?;
        let refusal = if !VisitState::parse(&state)?.editable() {
            Some(AppError::conflict(format!(
                "the visit is {}; photos can be added only while it is in progress or returned for correction",
                state.to_lowercase().replace('_', " ")
            )))
        } else if count >= i64::from(self.max_per_visit) {
            Some(AppError::conflict(format!(
                "a visit carries at most {} photos",
                self.max_per_visit
            )))
        } else {
            None
        };
        if let Some(err) = refusal {
            drop(tx);
            // A resend of a photo that was stored meanwhile is not refused: it gets the stored photo.
            if let Some(done) = self.photo_by_client_id(actor, &client_id).await? {
                return Ok(done);
            }
            self.discard_upload(&pending_id, &keys).await;
            return Err(err);
        }
        let inserted = sqlx::query(
            "INSERT INTO photos (id, client_id, visit_id, shopper_id, question_code, kind, receipt_kopiykas, \
             content_type, bytes, sha256, phash, band0, band1, band2, band3, width, height, exif, gps_verdict, \
             time_verdict, duplicate_of, original_key, display_key, thumbnail_key, created_at) VALUES \
             ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, \
             $23, $24, $25)",
        )
        .bind(&id)
        .bind(&client_id)
        .bind(visit_id)
        .bind(&actor.user_id)
        .bind(&photo.question_code)
        .bind(kind)
        .bind(photo.receipt_kopiykas)
        .bind(processed.content_type)
        .bind(size)
        .bind(&processed.sha256)
        .bind(format!("{:016x}", processed.phash))
        .bind(b[0])
        .bind(b[1])
        .bind(b[2])
        .bind(b[3])
        .bind(i64::from(processed.width))
        .bind(i64::from(processed.height))
        .bind(serde_json::to_string(&stored).map_err(|e| AppError::Internal(e.into()))?)
        .bind(v.gps.as_str())
        .bind(v.time.as_str())
        .bind(&duplicate_of)
        .bind(&keys[0])
        .bind(&keys[1])
        .bind(&keys[2])
        .bind(now)
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
                    .bind(&pending_id)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
            }
            Err(err) if is_unique_violation(&err) => {
                // The same photo (client id) was stored by a parallel resend, under the same keys.
                drop(tx);
                self.forget_pending(&pending_id).await;
                return self
                    .photo_by_client_id(actor, &client_id)
                    .await?
                    .ok_or_else(|| AppError::Internal(anyhow::anyhow!("photo vanished")));
            }
            Err(err) => return Err(err.into()),
        }
        self.photo(&id).await
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
        let cutoff = now_ms() - older_than_ms;
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
                if referenced == 0 {
                    if let Err(err) = self.storage.delete(key).await {
                        tracing::warn!(error = ?err, %key, "sweeping an abandoned photo object failed");
                        clean = false;
                    }
                }
            }
            if clean {
                self.forget_pending(&id).await;
                swept += 1;
            }
        }
        Ok(swept)
    }

    /// An earlier photo of another visit with the same bytes, else the nearest perceptual match within
    /// `NEAR_DUPLICATE_DISTANCE` among photos sharing a hash band: (photo id, its visit, distance).
    async fn find_duplicate(
        &self,
        visit_id: &str,
        processed: &evidence::Processed,
    ) -> AppResult<(Option<String>, Option<String>, Option<u32>)> {
        let same: Option<(String, String)> = sqlx::query_as(
            "SELECT id, visit_id FROM photos WHERE sha256 = $1 AND visit_id <> $2 ORDER BY created_at LIMIT 1",
        )
        .bind(&processed.sha256)
        .bind(visit_id)
        .fetch_optional(self.db.pool())
        .await?;
        if let Some((id, visit)) = same {
            return Ok((Some(id), Some(visit), Some(0)));
        }
        let b = bands(processed.phash);
        let candidates: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT id, visit_id, phash FROM photos WHERE visit_id <> $5 \
             AND (band0 = $1 OR band1 = $2 OR band2 = $3 OR band3 = $4) LIMIT 5000",
        )
        .bind(b[0])
        .bind(b[1])
        .bind(b[2])
        .bind(b[3])
        .bind(visit_id)
        .fetch_all(self.db.pool())
        .await?;
        let best = candidates
            .into_iter()
            .filter_map(|(id, visit, hash)| {
                let d = hamming(u64::from_str_radix(&hash, 16).ok()?, processed.phash);
                (d <= NEAR_DUPLICATE_DISTANCE).then_some((d, id, visit))
            })
            .min_by_key(|(d, ..)| *d);
        Ok(match best {
            Some((d, id, visit)) => (Some(id), Some(visit), Some(d)),
            None => (None, None, None),
        })
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
        row.ok_or_else(|| AppError::NotFound("photo".into()))
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
