//! Citizens' feedback over GraphQL, for staff (coordinators, admins): a venue's QR code (link, poster and code
//! files) and its rotation, the responses with their risk and moderation, the moderation itself, and the
//! service catalogue. The citizens' own pages are server-rendered (`http::feedback`).

use async_graphql::{Context, Enum, InputObject, Object, SimpleObject, ID};
use chrono::{DateTime, Utc};

use super::pagination::{decode_offset, offset_page, page_size, List};
use super::{actor, Require};
use crate::auth::Permission;
use crate::db::from_ms;
use crate::error::AppError;
use crate::feedback::{CodeRecord, Feedback, ResponseFilter, ResponseRecord};

fn feedback<'a>(ctx: &'a Context<'_>) -> &'a Feedback {
    ctx.data_unchecked::<Feedback>()
}

/// Where a comment is in moderation.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum Moderation {
    /// No comment was written.
    None,
    /// Waiting for a moderator; never shown publicly.
    Pending,
    /// Its masked text may be shown publicly.
    Published,
    Rejected,
}

impl Moderation {
    fn as_str(self) -> &'static str {
        match self {
            Moderation::None => "NONE",
            Moderation::Pending => "PENDING",
            Moderation::Published => "PUBLISHED",
            Moderation::Rejected => "REJECTED",
        }
    }

    fn parse(text: &str) -> Result<Self, AppError> {
        Ok(match text {
            "NONE" => Moderation::None,
            "PENDING" => Moderation::Pending,
            "PUBLISHED" => Moderation::Published,
            "REJECTED" => Moderation::Rejected,
            other => return Err(crate::domain::UnknownValue::new("moderation", other).into()),
        })
    }
}

/// A venue's live QR code.
pub struct FeedbackCodeView {
    record: CodeRecord,
    link: String,
}

#[Object(name = "FeedbackCode")]
impl FeedbackCodeView {
    /// The link the code carries (`/q/<token>.<signature>`), also typed out on the poster.
    async fn link(&self) -> &str {
        &self.link
    }
    async fn created_at(&self) -> DateTime<Utc> {
        from_ms(self.record.created_at)
    }
    /// The A4 poster (SVG), downloaded with the session token.
    async fn poster_path(&self) -> String {
        format!("/venues/{}/poster.svg", self.record.venue_id)
    }
    /// The same A4 poster as a PDF (text embedded), downloaded with the session token.
    async fn poster_pdf_path(&self) -> String {
        format!("/venues/{}/poster.pdf", self.record.venue_id)
    }
    async fn qr_png_path(&self) -> String {
        format!("/venues/{}/qr.png", self.record.venue_id)
    }
    async fn qr_svg_path(&self) -> String {
        format!("/venues/{}/qr.svg", self.record.venue_id)
    }
}

/// A stretch of time in which one center got a burst of responses.
#[derive(SimpleObject)]
pub struct FeedbackBurst {
    pub venue_id: ID,
    pub venue_name: String,
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub responses: i32,
    /// Of them, kept out of the index (risk 50 or more).
    pub suspicious: i32,
    /// The center's usual responses per 10 minutes (its mean over the last 30 days).
    #[graphql(name = "usualPer10Minutes")]
    pub usual_per_10_minutes: f64,
}

/// One citizen's response as staff read it.
pub struct FeedbackResponseView(ResponseRecord);

#[Object(name = "FeedbackResponse")]
impl FeedbackResponseView {
    async fn id(&self) -> ID {
        ID(self.0.id.clone())
    }
    async fn venue_id(&self) -> ID {
        ID(self.0.venue_id.clone())
    }
    async fn venue_name(&self) -> &str {
        &self.0.venue_name
    }
    /// QR, WEB_MAP, SMS, VIBER or PHONE.
    async fn channel(&self) -> &str {
        &self.0.channel
    }
    async fn service_code(&self) -> Option<&str> {
        self.0.service_code.as_deref()
    }
    /// 1 (жахливо) … 4 (чудово).
    async fn premises(&self) -> Option<i64> {
        self.0.premises
    }
    async fn staff(&self) -> Option<i64> {
        self.0.staff
    }
    async fn waiting(&self) -> Option<i64> {
        self.0.waiting
    }
    async fn result(&self) -> Option<i64> {
        self.0.result
    }
    /// 0–10.
    async fn recommend(&self) -> Option<i64> {
        self.0.recommend
    }
    /// As written (staff only; never shown publicly).
    async fn comment(&self) -> Option<&str> {
        self.0.comment.as_deref()
    }
    /// With personal data masked: the only text that may ever be shown publicly, once published.
    async fn comment_masked(&self) -> Option<&str> {
        self.0.comment_masked.as_deref()
    }
    /// What was masked: Email, Phone, Name, Document.
    async fn masked(&self) -> Vec<String> {
        self.0
            .masked_kinds
            .split(',')
            .filter(|k| !k.is_empty())
            .map(str::to_string)
            .collect()
    }
    /// Given only with the citizen's consent to be called back.
    async fn contact_name(&self) -> Option<&str> {
        self.0.contact_name.as_deref()
    }
    async fn contact_phone(&self) -> Option<&str> {
        self.0.contact_phone.as_deref()
    }
    async fn contact_email(&self) -> Option<&str> {
        self.0.contact_email.as_deref()
    }
    /// 0–100; at 50 and above the response is kept out of the index.
    async fn risk_score(&self) -> i64 {
        self.0.risk_score
    }
    /// Why it is suspicious, in the reader's language.
    async fn risk_reasons(&self) -> Vec<String> {
        serde_json::from_str::<Vec<crate::domain::Msg>>(&self.0.risk_reasons)
            .unwrap_or_default()
            .iter()
            .map(super::words)
            .collect()
    }
    /// It goes into the index.
    async fn counted(&self) -> bool {
        self.0.counted == 1
    }
    async fn moderation(&self) -> async_graphql::Result<Moderation> {
        Ok(Moderation::parse(&self.0.moderation)?)
    }
    async fn created_at(&self) -> DateTime<Utc> {
        from_ms(self.0.created_at)
    }
}

/// A service a visitor may have come for.
#[derive(SimpleObject)]
pub struct ServiceView {
    pub code: String,
    pub name_uk: String,
    pub name_en: String,
    /// Where the form lists it (smallest first).
    pub position: i32,
    /// False: taken off the form (past responses keep naming it).
    pub active: bool,
}

impl From<crate::feedback::ServiceRecord> for ServiceView {
    fn from(s: crate::feedback::ServiceRecord) -> Self {
        Self {
            code: s.code,
            name_uk: s.name_uk,
            name_en: s.name_en,
            position: i32::try_from(s.position).unwrap_or(i32::MAX),
            active: s.active != 0,
        }
    }
}

#[derive(Default)]
pub struct FeedbackQuery;

#[Object]
impl FeedbackQuery {
    /// A venue's live QR code (made on first use).
    #[graphql(guard = "Require(Permission::ModerateFeedback)")]
    async fn feedback_code(&self, ctx: &Context<'_>, venue_id: ID) -> async_graphql::Result<FeedbackCodeView> {
        let record = feedback(ctx).live_code(actor(ctx)?, &venue_id).await?;
        let link = feedback(ctx).link(&record.token);
        Ok(FeedbackCodeView { record, link })
    }

    /// Bursts against a center in the last `hours` (1–720, default a week), newest first: 10-minute windows with
    /// five times the center's usual number of responses, and at least 5.
    #[graphql(guard = "Require(Permission::ModerateFeedback)")]
    async fn feedback_bursts(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 168)] hours: i32,
    ) -> async_graphql::Result<Vec<FeedbackBurst>> {
        Ok(feedback(ctx)
            .bursts(actor(ctx)?, i64::from(hours))
            .await?
            .into_iter()
            .map(|b| FeedbackBurst {
                venue_id: ID(b.venue_id),
                venue_name: b.venue_name,
                from: from_ms(b.from_ms),
                to: from_ms(b.to_ms),
                responses: b.responses as i32,
                suspicious: b.suspicious as i32,
                usual_per_10_minutes: b.usual_per_10_minutes,
            })
            .collect())
    }

    /// Citizens' responses, newest first; `suspicious: true` lists those kept out of the index.
    #[graphql(guard = "Require(Permission::ModerateFeedback)")]
    async fn feedback_responses(
        &self,
        ctx: &Context<'_>,
        venue_id: Option<ID>,
        moderation: Option<Moderation>,
        suspicious: Option<bool>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<List<FeedbackResponseView>> {
        let (limit, offset) = (page_size(first)?, decode_offset(after.as_deref())?);
        let filter = ResponseFilter {
            venue_id: venue_id.map(|v| v.0),
            moderation: moderation.map(|m| m.as_str().to_string()),
            suspicious,
        };
        let page = feedback(ctx).responses(actor(ctx)?, &filter, limit, offset).await?;
        Ok(offset_page(page, offset, FeedbackResponseView))
    }

    /// The services of a venue type in the order the public form offers them; `includeHidden` also lists those
    /// taken off the form.
    #[graphql(guard = "Require(Permission::ModerateFeedback)")]
    async fn service_catalogue(
        &self,
        ctx: &Context<'_>,
        venue_type: String,
        #[graphql(default = false)] include_hidden: bool,
    ) -> async_graphql::Result<Vec<ServiceView>> {
        let venue_type = crate::domain::VenueType::parse("venueType", &venue_type).map_err(AppError::from)?;
        Ok(feedback(ctx)
            .catalogue(venue_type.as_str(), include_hidden)
            .await?
            .into_iter()
            .map(ServiceView::from)
            .collect())
    }
}

/// One service of a venue type's catalogue.
#[derive(InputObject)]
pub struct ServiceInput {
    pub venue_type: String,
    /// 1–40 letters, digits or `_` (kept upper-case).
    pub code: String,
    pub name_uk: String,
    pub name_en: String,
    /// Where the form lists it (smallest first).
    pub position: i32,
    #[graphql(default = true)]
    pub active: bool,
}

#[derive(Default)]
pub struct FeedbackMutation;

#[Object]
impl FeedbackMutation {
    /// Retires the venue's QR code (a stolen or damaged poster) and makes a new one; other venues' posters stay.
    #[graphql(guard = "Require(Permission::ModerateFeedback)")]
    async fn rotate_feedback_code(&self, ctx: &Context<'_>, venue_id: ID) -> async_graphql::Result<FeedbackCodeView> {
        let record = feedback(ctx).rotate(actor(ctx)?, &venue_id).await?;
        let link = feedback(ctx).link(&record.token);
        Ok(FeedbackCodeView { record, link })
    }

    /// Publishes (its masked text) or rejects a pending comment. Repeating the same decision is harmless.
    #[graphql(guard = "Require(Permission::ModerateFeedback)")]
    async fn moderate_feedback(
        &self,
        ctx: &Context<'_>,
        id: ID,
        publish: bool,
    ) -> async_graphql::Result<FeedbackResponseView> {
        Ok(FeedbackResponseView(
            feedback(ctx).moderate(actor(ctx)?, &id, publish).await?,
        ))
    }

    /// Counts a response held as suspicious in the index after all (`counted: true`, a moderator judged it
    /// genuine), or takes a counted one out (`false`). Audited; repeating the same decision is harmless.
    #[graphql(guard = "Require(Permission::ModerateFeedback)")]
    async fn count_feedback(
        &self,
        ctx: &Context<'_>,
        id: ID,
        counted: bool,
    ) -> async_graphql::Result<FeedbackResponseView> {
        Ok(FeedbackResponseView(
            feedback(ctx).set_counted(actor(ctx)?, &id, counted).await?,
        ))
    }

    /// Adds or changes a service of a venue type's catalogue (`active: false` hides it from the form).
    #[graphql(guard = "Require(Permission::ModerateFeedback)")]
    async fn save_service(&self, ctx: &Context<'_>, input: ServiceInput) -> async_graphql::Result<ServiceView> {
        let saved = feedback(ctx)
            .save_service(
                actor(ctx)?,
                &input.venue_type,
                &input.code,
                &input.name_uk,
                &input.name_en,
                input.position,
                input.active,
            )
            .await?;
        Ok(saved.into())
    }
}
