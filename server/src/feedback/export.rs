//! The responses of a client in one period as CSV or XLSX, for staff who moderate (the raw comments and the
//! call-back contacts are in it, so every export is audited): one row per response, oldest first, read 500 at a
//! time (`tabular`).

use crate::audit::audit;
use crate::auth::{Actor, Permission};
use crate::domain::quality_index::period_days;
use crate::domain::results::Cell;
use crate::error::{AppError, AppResult};
use crate::tabular::{ExportFormat, Rows};

use super::staff::{ResponseRecord, COLUMNS, FROM};
use super::Feedback;

const PAGE: i64 = 500;

const HEADER: [&str; 23] = [
    "id",
    "created_at",
    "venue_id",
    "venue_name",
    "channel",
    "service",
    "premises",
    "staff",
    "waiting",
    "result",
    "recommend",
    "comment",
    "comment_masked",
    "moderation",
    "callback_consent",
    "contact_name",
    "contact_phone",
    "contact_email",
    "risk_score",
    "risk_reasons",
    "counted",
    "masked_kinds",
    "period",
];

/// What an export covers, checked.
#[derive(Debug, Clone)]
pub struct ResponsesExport {
    client_id: String,
    period: String,
    from_ms: i64,
    to_ms: i64,
    /// The reader's language: the risk reasons are written in it.
    lang: crate::domain::Language,
}

impl ResponsesExport {
    /// The same export, its words in `lang`.
    pub fn in_language(self, lang: crate::domain::Language) -> Self {
        Self { lang, ..self }
    }

    pub fn file_name(&self, format: ExportFormat) -> String {
        format!("feedback-{}.{}", self.period, format.extension())
    }

    pub fn header(&self) -> Vec<String> {
        HEADER.iter().map(|h| h.to_string()).collect()
    }

    fn cells(&self, r: &ResponseRecord) -> Vec<Cell> {
        let text = |t: &str| Cell::Text(t.to_string());
        let optional = |t: &Option<String>| t.as_deref().map_or(Cell::Empty, text);
        let number = |n: Option<i64>| n.map_or(Cell::Empty, |n| Cell::Number(n as f64));
        let reasons: Vec<String> = serde_json::from_str::<Vec<crate::domain::Msg>>(&r.risk_reasons)
            .unwrap_or_default()
            .iter()
            .map(|m| crate::i18n::render(self.lang, m))
            .collect();
        vec![
            text(&r.id),
            text(&crate::time::kyiv_time(r.created_at).to_rfc3339_opts(chrono::SecondsFormat::Secs, false)),
            text(&r.venue_id),
            text(&r.venue_name),
            text(&r.channel),
            optional(&r.service_code),
            number(r.premises),
            number(r.staff),
            number(r.waiting),
            number(r.result),
            number(r.recommend),
            optional(&r.comment),
            optional(&r.comment_masked),
            text(&r.moderation),
            Cell::Number(
                if r.contact_name.is_some() || r.contact_phone.is_some() || r.contact_email.is_some() {
                    1.0
                } else {
                    0.0
                },
            ),
            optional(&r.contact_name),
            optional(&r.contact_phone),
            optional(&r.contact_email),
            Cell::Number(r.risk_score as f64),
            text(&reasons.join("; ")),
            Cell::Number(r.counted as f64),
            text(&r.masked_kinds),
            text(&self.period),
        ]
    }
}

impl Feedback {
    /// Checks the actor may read raw responses and the client exists, records the export in the audit log.
    pub async fn start_export(
        &self,
        actor: &Actor,
        client_id: &str,
        period: &str,
        format: ExportFormat,
    ) -> AppResult<ResponsesExport> {
        if !actor.can(Permission::ModerateFeedback) {
            return Err(AppError::forbidden());
        }
        let Some((from, to)) = period_days(period) else {
            return Err(AppError::bad_input("period", crate::msg!("period-format")));
        };
        self.known_client(client_id).await?;
        let mut tx = self.db.begin_write().await?;
        audit(
            &mut tx,
            Some(&actor.user_id),
            "feedback.export",
            Some(client_id),
            Some(&format!("{period} {}", format.extension())),
        )
        .await?;
        tx.commit().await?;
        Ok(ResponsesExport {
            client_id: client_id.to_string(),
            period: period.to_string(),
            from_ms: crate::time::kyiv_start_ms(from),
            to_ms: crate::time::kyiv_start_ms(to),
            lang: crate::domain::Language::Uk,
        })
    }

    /// Up to `PAGE` responses after the cursor (by id, which grows with time), as cells.
    pub async fn export_rows(&self, export: &ResponsesExport, after: &str) -> AppResult<Rows> {
        let rows: Vec<ResponseRecord> = sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM {FROM} WHERE v.client_id = $1 AND r.created_at >= $2 AND r.created_at < $3 AND r.id > $4 \
             ORDER BY r.id LIMIT $5"
        ))
        .bind(&export.client_id)
        .bind(export.from_ms)
        .bind(export.to_ms)
        .bind(after)
        .bind(PAGE)
        .fetch_all(self.db.pool())
        .await?;
        let next = (rows.len() as i64 == PAGE).then(|| rows.last().map(|r| r.id.clone()).unwrap_or_default());
        Ok((rows.iter().map(|r| export.cells(r)).collect(), next))
    }

    /// The export's bytes (`tabular::export`; the XLSX's sheet is `responses`).
    pub async fn export(&self, export: ResponsesExport, format: ExportFormat) -> AppResult<crate::tabular::ByteStream> {
        let feedback = self.clone();
        crate::tabular::export(
            format,
            "responses",
            export.header(),
            move |after| {
                let (feedback, export) = (feedback.clone(), export.clone());
                async move { feedback.export_rows(&export, &after).await }
            },
            |_| Ok(()),
        )
        .await
    }
}
