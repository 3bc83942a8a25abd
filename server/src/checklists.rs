//! Versioned checklists. A version is a draft until published; a published version never changes (the database
//! refuses too); editing means a new draft version. Visits will point at the version they answered.

use sqlx::FromRow;

use crate::audit::audit;
use crate::auth::Actor;
use crate::db::{new_id, violates, Db, Listing, Page, Paging};
use crate::domain::checklist::{parse_answers, parse_definition, ChecklistDefinition};
use crate::domain::BoundedText;
use crate::error::{AppError, AppResult};

#[derive(async_graphql::Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum VersionStatus {
    Draft,
    Published,
}

#[derive(Debug, Clone)]
pub struct ChecklistRecord {
    pub id: String,
    pub client_id: String,
    pub name: String,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(FromRow)]
struct ChecklistRow {
    id: String,
    client_id: String,
    name: String,
    created_at: i64,
    updated_at: i64,
}

impl From<ChecklistRow> for ChecklistRecord {
    fn from(r: ChecklistRow) -> Self {
        ChecklistRecord {
            id: r.id,
            client_id: r.client_id,
            name: r.name,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

#[derive(Debug, Clone)]
pub struct VersionRecord {
    pub id: String,
    pub checklist_id: String,
    pub client_id: String,
    pub version: i64,
    pub status: VersionStatus,
    pub definition: serde_json::Value,
    pub created_at: i64,
    pub updated_at: i64,
    pub published_at: Option<i64>,
}

#[derive(FromRow)]
struct VersionRow {
    id: String,
    checklist_id: String,
    client_id: String,
    version: i64,
    status: String,
    definition: String,
    created_at: i64,
    updated_at: i64,
    published_at: Option<i64>,
}

impl From<VersionRow> for VersionRecord {
    fn from(r: VersionRow) -> Self {
        VersionRecord {
            id: r.id,
            checklist_id: r.checklist_id,
            client_id: r.client_id,
            version: r.version,
            status: if r.status == "PUBLISHED" {
                VersionStatus::Published
            } else {
                VersionStatus::Draft
            },
            definition: serde_json::from_str(&r.definition).unwrap_or(serde_json::Value::Null),
            created_at: r.created_at,
            updated_at: r.updated_at,
            published_at: r.published_at,
        }
    }
}

impl VersionRecord {
    /// The parsed questionnaire (stored versions always parse: they were checked when saved).
    pub fn parsed(&self) -> AppResult<ChecklistDefinition> {
        parse_definition(&self.definition).map_err(|e| AppError::Internal(anyhow::anyhow!("stored checklist: {e}")))
    }
}

const VERSION_SELECT: &str = "SELECT v.id, v.checklist_id, c.client_id, v.version, v.status, v.definition, \
     v.created_at, v.updated_at, v.published_at FROM checklist_versions v JOIN checklists c ON c.id = v.checklist_id";

/// A score computed for a set of answers.
pub struct ScorePreview {
    pub score: Option<f64>,
    pub visible_questions: Vec<String>,
}

#[derive(Clone)]
pub struct Checklists {
    db: Db,
}

impl Checklists {
    pub fn new(db: Db) -> Self {
        Self { db }
    }

    /// Creates a checklist with its first draft version.
    pub async fn create(
        &self,
        actor: &Actor,
        client_id: &str,
        name: &str,
        definition: serde_json::Value,
    ) -> AppResult<ChecklistRecord> {
        let name = BoundedText::line("name", name, 2, 200)?.into_inner();
        parse_definition(&definition)?;
        let exists: Option<String> = sqlx::query_scalar("SELECT id FROM clients WHERE id = $1")
            .bind(client_id)
            .fetch_optional(self.db.pool())
            .await?;
        exists.ok_or_else(|| AppError::bad_input("clientId", crate::msg!("no-such-client")))?;
        let (id, now) = (new_id(), self.db.now_ms());
        let mut tx = self.db.begin_write().await?;
        let inserted = sqlx::query(
            "INSERT INTO checklists (id, client_id, name, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5)",
        )
        .bind(&id)
        .bind(client_id)
        .bind(&name)
        .bind(&actor.user_id)
        .bind(now)
        .execute(&mut *tx)
        .await;
        if let Err(err) = inserted {
            if violates(
                &err,
                "checklists_client_name_key",
                "checklists.client_id, checklists.name",
            ) {
                return Err(AppError::conflict_on("name", crate::msg!("checklist-name-taken")));
            }
            return Err(err.into());
        }
        insert_version(&mut tx, &id, 1, &definition, &actor.user_id).await?;
        audit(
            &mut tx,
            Some(&actor.user_id),
            "checklist.create",
            Some(&id),
            Some(&name),
        )
        .await?;
        tx.commit().await?;
        self.checklist(actor, &id).await
    }

    pub async fn checklist(&self, actor: &Actor, id: &str) -> AppResult<ChecklistRecord> {
        let row: Option<ChecklistRow> =
            sqlx::query_as("SELECT id, client_id, name, created_at, updated_at FROM checklists WHERE id = $1")
                .bind(id)
                .fetch_optional(self.db.pool())
                .await?;
        let record: ChecklistRecord = row.map(Into::into).ok_or_else(|| AppError::NotFound("checklist"))?;
        match actor.client_scope()? {
            Some(own) if own != record.client_id => Err(AppError::NotFound("checklist")),
            _ => Ok(record),
        }
    }

    pub async fn list(
        &self,
        actor: &Actor,
        client_id: Option<&str>,
        after: Option<&str>,
        limit: usize,
    ) -> AppResult<Page<ChecklistRecord>> {
        let client = actor.client_scope()?.or(client_id);
        let listing = Listing {
            select: "id, client_id, name, created_at, updated_at",
            from: "checklists",
            filter: "$1 IS NULL OR client_id = $1",
            args: vec![client.into()],
        };
        let after = Paging::After {
            column: "id",
            after: after.into(),
            descending: false,
        };
        self.db.page::<ChecklistRow, _>(listing, after, limit).await
    }

    pub async fn versions(&self, checklist_id: &str) -> AppResult<Vec<VersionRecord>> {
        let rows: Vec<VersionRow> = sqlx::query_as(&format!(
            "{VERSION_SELECT} WHERE v.checklist_id = $1 ORDER BY v.version"
        ))
        .bind(checklist_id)
        .fetch_all(self.db.pool())
        .await?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    pub async fn version(&self, actor: &Actor, id: &str) -> AppResult<VersionRecord> {
        let row: Option<VersionRow> = sqlx::query_as(&format!("{VERSION_SELECT} WHERE v.id = $1"))
            .bind(id)
            .fetch_optional(self.db.pool())
            .await?;
        let record: VersionRecord = row
            .map(Into::into)
            .ok_or_else(|| AppError::NotFound("checklist-version"))?;
        match actor.client_scope()? {
            Some(own) if own != record.client_id => Err(AppError::NotFound("checklist-version")),
            _ => Ok(record),
        }
    }

    /// Replaces a draft's questionnaire. Published versions are never edited (`CONFLICT`).
    pub async fn update_draft(
        &self,
        actor: &Actor,
        version_id: &str,
        definition: serde_json::Value,
    ) -> AppResult<VersionRecord> {
        parse_definition(&definition)?;
        let current = self.version(actor, version_id).await?;
        if current.status == VersionStatus::Published {
            return Err(published_conflict());
        }
        let mut tx = self.db.begin_write().await?;
        let done = sqlx::query(
            "UPDATE checklist_versions SET definition = $1, updated_by = $2, updated_at = $3 WHERE id = $4 AND status = 'DRAFT'",
        )
        .bind(definition.to_string())
        .bind(&actor.user_id)
        .bind(self.db.now_ms())
        .bind(version_id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(published_conflict());
        }
        audit(
            &mut tx,
            Some(&actor.user_id),
            "checklist.update_draft",
            Some(version_id),
            None,
        )
        .await?;
        tx.commit().await?;
        self.version(actor, version_id).await
    }

    /// A new draft version copied from the latest version. If a draft already exists, that draft is returned
    /// (so a retried request makes one draft).
    pub async fn new_draft(&self, actor: &Actor, checklist_id: &str) -> AppResult<VersionRecord> {
        self.checklist(actor, checklist_id).await?;
        let mut tx = self.db.begin_write().await?;
        let latest: Option<(String, i64, String, String)> = sqlx::query_as(
            "SELECT id, version, status, definition FROM checklist_versions WHERE checklist_id = $1 ORDER BY version DESC LIMIT 1",
        )
        .bind(checklist_id)
        .fetch_optional(&mut *tx)
        .await?;
        let (latest_id, number, status, definition) =
            latest.ok_or_else(|| AppError::Internal(anyhow::anyhow!("checklist without versions")))?;
        if status == "DRAFT" {
            drop(tx);
            return self.version(actor, &latest_id).await;
        }
        let definition: serde_json::Value =
            serde_json::from_str(&definition).map_err(|e| AppError::Internal(e.into()))?;
        let id = insert_version(&mut tx, checklist_id, number + 1, &definition, &actor.user_id).await?;
        audit(&mut tx, Some(&actor.user_id), "checklist.new_draft", Some(&id), None).await?;
        tx.commit().await?;
        self.version(actor, &id).await
    }

    /// Publishes a draft after checking every rule; publishing a published version changes nothing.
    pub async fn publish(&self, actor: &Actor, version_id: &str) -> AppResult<VersionRecord> {
        let current = self.version(actor, version_id).await?;
        if current.status == VersionStatus::Published {
            return Ok(current);
        }
        parse_definition(&current.definition)?.validate()?;
        let now = self.db.now_ms();
        let mut tx = self.db.begin_write().await?;
        sqlx::query(
            "UPDATE checklist_versions SET status = 'PUBLISHED', published_by = $1, published_at = $2, updated_at = $2 \
             WHERE id = $3 AND status = 'DRAFT'",
        )
        .bind(&actor.user_id)
        .bind(now)
        .bind(version_id)
        .execute(&mut *tx)
        .await?;
        audit(
            &mut tx,
            Some(&actor.user_id),
            "checklist.publish",
            Some(version_id),
            None,
        )
        .await?;
        tx.commit().await?;
        self.version(actor, version_id).await
    }

    /// What a set of answers would score on a version (and which questions they leave visible).
    pub async fn preview_score(
        &self,
        actor: &Actor,
        version_id: &str,
        answers: &serde_json::Value,
    ) -> AppResult<ScorePreview> {
        let version = self.version(actor, version_id).await?;
        let definition = version.parsed()?;
        let answers = parse_answers(answers)?;
        definition.check_answers(&answers, false)?;
        let visible_questions = definition
            .questions()
            .map(|(_, q)| q.code.clone())
            .filter(|code| definition.is_visible(code, &answers))
            .collect();
        Ok(ScorePreview {
            score: definition.score(&answers),
            visible_questions,
        })
    }
}

fn published_conflict() -> AppError {
    AppError::conflict(crate::msg!("checklist-published-immutable"))
}

async fn insert_version(
    tx: &mut crate::db::Tx,
    checklist_id: &str,
    number: i64,
    definition: &serde_json::Value,
    actor_id: &str,
) -> Result<String, sqlx::Error> {
    let (id, now) = (new_id(), tx.now_ms());
    sqlx::query(
        "INSERT INTO checklist_versions (id, checklist_id, version, status, definition, created_by, created_at, \
         updated_by, updated_at) VALUES ($1, $2, $3, 'DRAFT', $4, $5, $6, $5, $6)",
    )
    .bind(&id)
    .bind(checklist_id)
    .bind(number)
    .bind(definition.to_string())
    .bind(actor_id)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(id)
}
