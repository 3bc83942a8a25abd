//! Bank files of an approved batch, streamed page by page (CSV, pain.001): the header checks, then the lines.

use crate::audit::audit;
use crate::auth::{Actor, Permission};
use crate::db::{from_ms, new_id};
use crate::domain::{BatchState, Iban};
use crate::error::{AppError, AppResult};

use super::export::{BankFileFormat, Header, Line};
use super::{export, Payouts};

impl Payouts {
    /// Starts an export: the batch must be approved and the debtor account configured. Records the export
    /// with a new message id and returns the file's header facts.
    pub async fn start_export(&self, actor: &Actor, batch_id: &str, format: BankFileFormat) -> AppResult<Header> {
        if !actor.can(Permission::ManagePayouts) {
            return Err(AppError::forbidden());
        }
        let batch = self.batch(batch_id).await?;
        if batch.state != BatchState::Approved {
            return Err(AppError::conflict(crate::msg!("payout-export-not-approved")));
        }
        let debtor_iban = self
            .settings
            .debtor_iban
            .as_deref()
            .ok_or_else(|| AppError::conflict(crate::msg!("payout-debtor-missing")))?;
        let debtor_iban = Iban::parse("payouts.debtor_iban", debtor_iban)?;
        let export_id = new_id();
        let message_id = format!("FW{}", export::end_to_end_id(&export_id));
        let now = self.db.now_ms();
        let mut tx = self.db.begin_write().await?;
        sqlx::query(
            "INSERT INTO payout_exports (id, batch_id, format, message_id, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&export_id)
        .bind(batch_id)
        .bind(format.as_str())
        .bind(&message_id)
        .bind(&actor.user_id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        audit(
            &mut tx,
            Some(&actor.user_id),
            "payout.batch.export",
            Some(batch_id),
            Some(format.as_str()),
        )
        .await?;
        tx.commit().await?;
        Ok(Header {
            message_id,
            created_at: from_ms(now),
            execution_date: crate::time::kyiv_time(now).date_naive(),
            batch_id: batch.id,
            line_count: batch.line_count,
            net_total: batch.net_total,
            currency: batch.currency,
            debtor_name: self.settings.debtor_name.clone(),
            debtor_iban: debtor_iban.as_str().to_string(),
            debtor_bic: self.settings.debtor_bic.clone(),
            remittance: format!("Fieldwork payout {}..{}", batch.period_from, batch.period_to),
        })
    }

    /// The bank file for an export started with `start_export`, as a stream of chunks: the header, then the
    /// lines 1,000 at a time straight from the database, then the footer. Memory stays flat for any batch size.
    pub fn export_stream(
        &self,
        format: BankFileFormat,
        header: Header,
    ) -> impl futures::Stream<Item = Result<bytes::Bytes, std::io::Error>> + Send + 'static {
        enum Phase {
            Header,
            Lines(i64),
            Done,
        }
        let payouts = self.clone();
        let lines = futures::stream::unfold(Phase::Header, move |phase| {
            let payouts = payouts.clone();
            let header = header.clone();
            async move {
                match phase {
                    Phase::Header => Some((Ok(bytes::Bytes::from(export::header(format, &header))), Phase::Lines(0))),
                    Phase::Lines(after) => match payouts.export_page(&header.batch_id, after, 1_000).await {
                        Ok(lines) if lines.is_empty() => {
                            Some((Ok(bytes::Bytes::from(export::footer(format))), Phase::Done))
                        }
                        Ok(lines) => {
                            let last = lines.last().map_or(after, |l| l.seq);
                            let mut chunk = Vec::with_capacity(lines.len() * 700);
                            for line in &lines {
                                chunk.extend(export::line(format, &header, line));
                            }
                            Some((Ok(bytes::Bytes::from(chunk)), Phase::Lines(last)))
                        }
                        Err(err) => {
                            if let AppError::Internal(cause) = &err {
                                tracing::error!(error = ?cause, batch = %header.batch_id, "export failed midway");
                            }
                            Some((Err(std::io::Error::other("export failed")), Phase::Done))
                        }
                    },
                    Phase::Done => None,
                }
            }
        });
        // A finished `unfold` panics when polled again, and an encoder between it and the client (the
        // compression layer) may poll once more after the end.
        futures::StreamExt::fuse(lines)
    }

    /// The next page of a batch's lines for an export, after `after_seq`.
    async fn export_page(&self, batch_id: &str, after_seq: i64, limit: i64) -> AppResult<Vec<Line>> {
        Ok(sqlx::query_as(
            "SELECT id, seq, shopper_id, account_holder, iban, tax_id, gross, income_tax, military_levy, net, currency \
             FROM payout_lines WHERE batch_id = $1 AND seq > $2 ORDER BY seq LIMIT $3",
        )
        .bind(batch_id)
        .bind(after_seq)
        .bind(limit)
        .fetch_all(self.db.pool())
        .await?)
    }
}
