//! A shopper's yearly statement: per month, gross, withheld taxes and net paid, as rows and as CSV.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};

use crate::auth::{Actor, Permission};
use crate::db::from_ms;
use crate::domain::ledger;
use crate::error::{AppError, AppResult};
use crate::time::kyiv_start_ms;

use super::{Payouts, StatementMonth};

impl Payouts {
    /// A shopper's year by month (Europe/Kyiv): gross, withheld and net of the payments sent, less failed ones.
    pub async fn statement(&self, actor: &Actor, shopper_id: &str, year: i32) -> AppResult<Vec<StatementMonth>> {
        if !actor.owns_or_can(Some(shopper_id), Permission::ManagePayouts) {
            return Err(AppError::NotFound("shopper"));
        }
        if !(2000..=2100).contains(&year) {
            return Err(AppError::bad_input("year", crate::msg!("year-range")));
        }
        let start = kyiv_start_ms(NaiveDate::from_ymd_opt(year, 1, 1).expect("valid date"));
        let end = kyiv_start_ms(NaiveDate::from_ymd_opt(year + 1, 1, 1).expect("valid date"));
        let rows: Vec<(String, i64, i64, i64, i64, i64)> = sqlx::query_as(
            "SELECT t.kind, t.created_at, l.gross, l.income_tax, l.military_levy, l.net FROM ledger_transactions t \
             JOIN payout_lines l ON l.id = t.payout_line_id WHERE t.shopper_id = $1 AND t.kind IN ('PAYOUT', 'PAYOUT_FAILED') \
             AND t.created_at >= $2 AND t.created_at < $3",
        )
        .bind(shopper_id)
        .bind(start)
        .bind(end)
        .fetch_all(self.db.pool())
        .await?;
        let mut months: BTreeMap<u32, StatementMonth> = (1..=12)
            .map(|m| {
                (
                    m,
                    StatementMonth {
                        month: m,
                        ..Default::default()
                    },
                )
            })
            .collect();
        for (kind, at, gross, income_tax, military_levy, net) in rows {
            let month = from_ms(at).with_timezone(&chrono_tz::Europe::Kyiv).month();
            let sign = if kind == "PAYOUT" { 1 } else { -1 };
            let m = months.get_mut(&month).expect("every month is present");
            m.gross += sign * gross;
            m.income_tax += sign * income_tax;
            m.military_levy += sign * military_levy;
            m.net += sign * net;
        }
        Ok(months.into_values().collect())
    }
}

/// The yearly statement as CSV (UTF-8): `year,month,gross,income_tax,military_levy,net,currency`, amounts with
/// two decimals, and a total row (`month` = `total`).
pub fn statement_csv(year: i32, currency: &str, months: &[StatementMonth]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let row = |w: &mut csv::Writer<Vec<u8>>, month: &str, m: &StatementMonth| {
        w.write_record([
            year.to_string(),
            month.to_string(),
            ledger::decimal(m.gross),
            ledger::decimal(m.income_tax),
            ledger::decimal(m.military_levy),
            ledger::decimal(m.net),
            currency.to_string(),
        ])
        .expect("writing to memory cannot fail");
    };
    w.write_record([
        "year",
        "month",
        "gross",
        "income_tax",
        "military_levy",
        "net",
        "currency",
    ])
    .expect("writing to memory cannot fail");
    let mut total = StatementMonth::default();
    for m in months {
        row(&mut w, &m.month.to_string(), m);
        total.gross += m.gross;
        total.income_tax += m.income_tax;
        total.military_levy += m.military_levy;
        total.net += m.net;
    }
    row(&mut w, "total", &total);
    String::from_utf8(w.into_inner().expect("writing to memory cannot fail")).expect("CSV of UTF-8 is UTF-8")
}
