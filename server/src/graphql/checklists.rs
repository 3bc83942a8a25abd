//! Queries and mutations for versioned checklists. Questionnaires travel as JSON (format in
//! `docs/CHECKLISTS.md`); the server checks them and reports the path of any faulty element.

use async_graphql::{Context, Json, Object, SimpleObject, ID};
use chrono::{DateTime, Utc};

use super::pagination::{decode_cursor, keyset_connection, page_size, List};
use super::venues::Client;
use super::{actor, checklists, venues, Require};
use crate::auth::Permission;
use crate::checklists::{ChecklistRecord, VersionRecord, VersionStatus};
use crate::db::from_ms;

/// A questionnaire with its versions.
pub struct Checklist(pub ChecklistRecord);

#[Object]
impl Checklist {
    async fn id(&self) -> ID {
        ID(self.0.id.clone())
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn client(&self, ctx: &Context<'_>) -> async_graphql::Result<Client> {
        Ok(Client(venues(ctx).client(&self.0.client_id).await?))
    }
    /// Oldest first.
    async fn versions(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<ChecklistVersion>> {
        Ok(checklists(ctx)
            .versions(&self.0.id)
            .await?
            .into_iter()
            .map(ChecklistVersion)
            .collect())
    }
    /// The newest published version, which new waves use.
    async fn latest_published(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<ChecklistVersion>> {
        let versions = checklists(ctx).versions(&self.0.id).await?;
        Ok(versions
            .into_iter()
            .rev()
            .find(|v| v.status == VersionStatus::Published)
            .map(ChecklistVersion))
    }
    async fn created_at(&self) -> DateTime<Utc> {
        from_ms(self.0.created_at)
    }
}

/// One version of a checklist: a draft, or published and immutable.
pub struct ChecklistVersion(pub VersionRecord);

#[Object]
impl ChecklistVersion {
    async fn id(&self) -> ID {
        ID(self.0.id.clone())
    }
    async fn checklist_id(&self) -> ID {
        ID(self.0.checklist_id.clone())
    }
    /// 1, 2, 3…
    async fn version(&self) -> i64 {
        self.0.version
    }
    async fn status(&self) -> VersionStatus {
        self.0.status
    }
    /// The questionnaire (sections, questions, conditions, weights) as JSON.
    async fn definition(&self) -> Json<serde_json::Value> {
        Json(self.0.definition.clone())
    }
    async fn question_count(&self) -> i32 {
        self.0.parsed().map(|d| d.questions().count() as i32).unwrap_or(0)
    }
    async fn created_at(&self) -> DateTime<Utc> {
        from_ms(self.0.created_at)
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        from_ms(self.0.updated_at)
    }
    async fn published_at(&self) -> Option<DateTime<Utc>> {
        self.0.published_at.map(from_ms)
    }
}

/// What a set of answers would score.
#[derive(SimpleObject)]
pub struct ScorePreview {
    /// 0–100, or null when nothing scored was answered.
    pub score: Option<f64>,
    /// The questions shown for these answers, in order.
    pub visible_questions: Vec<String>,
}

pub type ChecklistConnection = List<Checklist>;

#[derive(Default)]
pub struct ChecklistQuery;

#[Object]
impl ChecklistQuery {
    #[graphql(
        guard = "Require(Permission::ReadVenues)",
        complexity = "first.unwrap_or(20).clamp(0, 100) as usize * child_complexity + 10"
    )]
    async fn checklists(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        client_id: Option<ID>,
    ) -> async_graphql::Result<ChecklistConnection> {
        let limit = page_size(first)?;
        let after = decode_cursor(after.as_deref())?;
        let page = checklists(ctx)
            .list(
                actor(ctx)?,
                client_id.as_deref().map(|s| s.as_str()),
                after.as_deref(),
                limit,
            )
            .await?;
        Ok(keyset_connection(page, after.is_some(), |c| c.id.clone(), Checklist))
    }

    #[graphql(guard = "Require(Permission::ReadVenues)")]
    async fn checklist(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Checklist> {
        Ok(Checklist(checklists(ctx).checklist(actor(ctx)?, &id).await?))
    }

    #[graphql(guard = "Require(Permission::ReadVenues)")]
    async fn checklist_version(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<ChecklistVersion> {
        Ok(ChecklistVersion(checklists(ctx).version(actor(ctx)?, &id).await?))
    }

    /// Scores answers (`{"Q1": true, "Q2": 4, "Q3": {"na": true}}`) against a version, checking them as a
    /// visit would: for coordinators testing a questionnaire before publishing it.
    #[graphql(guard = "Require(Permission::ReadVenues)")]
    async fn preview_checklist_score(
        &self,
        ctx: &Context<'_>,
        version_id: ID,
        answers: Json<serde_json::Value>,
    ) -> async_graphql::Result<ScorePreview> {
        let preview = checklists(ctx)
            .preview_score(actor(ctx)?, &version_id, &answers.0)
            .await?;
        Ok(ScorePreview {
            score: preview.score,
            visible_questions: preview.visible_questions,
        })
    }
}

#[derive(Default)]
pub struct ChecklistMutation;

#[Object]
impl ChecklistMutation {
    /// A new checklist with its first draft version.
    #[graphql(guard = "Require(Permission::ManageVenues)")]
    async fn create_checklist(
        &self,
        ctx: &Context<'_>,
        client_id: ID,
        name: String,
        definition: Json<serde_json::Value>,
    ) -> async_graphql::Result<Checklist> {
        Ok(Checklist(
            checklists(ctx)
                .create(actor(ctx)?, &client_id, &name, definition.0)
                .await?,
        ))
    }

    /// Replaces a draft's questionnaire; a published version gives `CONFLICT`.
    #[graphql(guard = "Require(Permission::ManageVenues)")]
    async fn update_checklist_draft(
        &self,
        ctx: &Context<'_>,
        version_id: ID,
        definition: Json<serde_json::Value>,
    ) -> async_graphql::Result<ChecklistVersion> {
        Ok(ChecklistVersion(
            checklists(ctx)
                .update_draft(actor(ctx)?, &version_id, definition.0)
                .await?,
        ))
    }

    /// Starts a new draft from the latest version (or returns the open draft).
    #[graphql(guard = "Require(Permission::ManageVenues)")]
    async fn create_checklist_draft(
        &self,
        ctx: &Context<'_>,
        checklist_id: ID,
    ) -> async_graphql::Result<ChecklistVersion> {
        Ok(ChecklistVersion(
            checklists(ctx).new_draft(actor(ctx)?, &checklist_id).await?,
        ))
    }

    /// Checks every rule and publishes; the version is immutable from then on.
    #[graphql(guard = "Require(Permission::ManageVenues)")]
    async fn publish_checklist_version(
        &self,
        ctx: &Context<'_>,
        version_id: ID,
    ) -> async_graphql::Result<ChecklistVersion> {
        Ok(ChecklistVersion(
            checklists(ctx).publish(actor(ctx)?, &version_id).await?,
        ))
    }
}
